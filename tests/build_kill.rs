//! Kill -9 at every step of a build, against the real NEURON and Arbor toolchains: after translation, during the
//! compiles, during the link, during the install (the linker has finished, the library is not yet renamed into
//! place), just after the install, and at a random moment. Each kill hits glia alone (its compilers carry on as
//! orphans) or its whole process group, at random. After every kill:
//!
//! - the library in place is the previous one (or none, before the first build), or — once the rename may have
//!   happened — a complete ELF file, never a cut one;
//! - the next build succeeds, reuses every object the killed build stored whole (counted in the store, where each
//!   object is checked against its checksum) and builds only the rest;
//! - no temporary product is left in the output folder, no work folder in the store, no store entry that fails its
//!   checksum; and the final library loads in the simulator.
//!
//! The moment of each kill is read from the build's own output (`--verbose` prints each command before it runs,
//! progress lines follow each step) and from `/proc` (the linker child); random delays spread the kills within
//! each step. `GLIA_KILL_ROUNDS` (default 2 for NEURON, 1 for Arbor) repeats the six phases; `GLIA_KILL_SEED`
//! replays a run (the seed is printed).

mod common;

use std::io::BufRead;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::builds::{arbor_leak_channel, json_run, leak_channel, outcomes, Workspace};
use common::library::{
    check_complete_elf, mechanisms_arbor_loads, mechanisms_neuron_loads, store_entries,
    store_temporary_files, temporary_products,
};

/// When, in a build, the kill comes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Phase {
    AfterTranslation,
    DuringCompiles,
    DuringLink,
    DuringInstall,
    AfterInstall,
    AtRandom,
}

const PHASES: [Phase; 6] = [
    Phase::AfterTranslation,
    Phase::DuringCompiles,
    Phase::DuringLink,
    Phase::DuringInstall,
    Phase::AfterInstall,
    Phase::AtRandom,
];

impl Phase {
    /// Whether the new library may already be in place when the kill lands.
    fn may_have_installed(self) -> bool {
        matches!(
            self,
            Phase::DuringInstall | Phase::AfterInstall | Phase::AtRandom
        )
    }
}

/// A small random number generator (xorshift), seeded by `GLIA_KILL_SEED` or the clock.
struct Random(u64);

impl Random {
    fn new() -> Random {
        let seed = std::env::var("GLIA_KILL_SEED")
            .ok()
            .and_then(|text| text.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .unwrap()
                    .as_nanos() as u64
                    | 1
            });
        eprintln!("kill test seed: GLIA_KILL_SEED={seed}");
        Random(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }

    fn duration_below(&mut self, bound: Duration) -> Duration {
        Duration::from_micros(self.below(bound.as_micros() as u64))
    }
}

/// The simulator whose build is killed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Simulator {
    Neuron,
    Arbor,
}

/// A build of small mechanisms, as the kill test sees it.
struct Target<'a> {
    workspace: &'a Workspace,
    simulator: Simulator,
    names: &'static [&'static str],
}

const CATALOGUE: &str = "killed";

impl Target<'_> {
    fn command(&self, extra: &[&str]) -> Command {
        match self.simulator {
            Simulator::Neuron => self.workspace.command(extra),
            Simulator::Arbor => self.workspace.catalogue_command(CATALOGUE, extra),
        }
    }

    fn library(&self) -> std::path::PathBuf {
        match self.simulator {
            Simulator::Neuron => self.workspace.library(),
            Simulator::Arbor => self.workspace.catalogue(CATALOGUE),
        }
    }

    fn object_kind(&self) -> &'static str {
        match self.simulator {
            Simulator::Neuron => "neuron-objects",
            Simulator::Arbor => "arbor-objects",
        }
    }

    /// What the link's command line (printed by `--verbose`) contains.
    fn link_marker(&self) -> String {
        let file_name = self.library();
        format!(
            "-Wl,-soname,{}",
            file_name.file_name().unwrap().to_string_lossy()
        )
    }

    /// Writes every mechanism in version `version` (each version changes them all).
    fn write_version(&self, version: usize) {
        let conductance = format!("0.{:03}", version + 1);
        for name in self.names {
            let text = match self.simulator {
                Simulator::Neuron => leak_channel(name, &conductance),
                Simulator::Arbor => arbor_leak_channel(name, &conductance),
            };
            self.workspace.write(&format!("{name}.mod"), &text);
        }
    }

    /// The mechanisms the simulator finds when it loads the library.
    fn loaded_mechanisms(&self) -> Vec<String> {
        match self.simulator {
            Simulator::Neuron => mechanisms_neuron_loads(&self.library()),
            Simulator::Arbor => mechanisms_arbor_loads(&self.library()),
        }
    }
}

fn rounds(default: usize) -> usize {
    std::env::var("GLIA_KILL_ROUNDS")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(default)
}

#[test]
fn nrnivmodl_killed_at_every_step_never_leaves_a_cut_library() {
    let workspace = Workspace::new();
    let target = Target {
        workspace: &workspace,
        simulator: Simulator::Neuron,
        names: &["kill_a", "kill_b", "kill_c"],
    };
    kill_at_every_step(&target, rounds(2));
}

#[test]
fn build_catalogue_killed_at_every_step_never_leaves_a_cut_library() {
    let workspace = Workspace::new();
    let target = Target {
        workspace: &workspace,
        simulator: Simulator::Arbor,
        names: &["kill_a", "kill_b"],
    };
    kill_at_every_step(&target, rounds(1));
}

/// Kills a build of a new version of every mechanism at each phase, `rounds` times over, checking after each kill
/// and after each recovery build; prints the figures.
fn kill_at_every_step(target: &Target, rounds: usize) {
    let mut random = Random::new();
    let started = Instant::now();
    let store = &target.workspace.store;
    let library_path = target.library();
    let mechanisms = target.names.len();
    // How long a whole build takes here (for random kills): timed on version 0, whose library then goes, so the
    // first kill has no previous library.
    target.write_version(0);
    let timing = Instant::now();
    let (status, report) = json_run(&mut target.command(&["--format", "json"]));
    assert_eq!(status, 0, "{report:#}");
    let whole_build = timing.elapsed();
    std::fs::remove_file(&library_path).unwrap();

    // Per phase: kills, and of those, the ones that found the new library already in place.
    let mut kills = [0usize; PHASES.len()];
    let mut landed_after_install = [0usize; PHASES.len()];
    let mut whole_group_kills = 0;
    let mut reused_after_kills = 0;
    let mut version = 1;
    for _ in 0..rounds {
        for (phase_index, phase) in PHASES.into_iter().enumerate() {
            target.write_version(version);
            version += 1;
            let previous = std::fs::read(&library_path).ok();
            let (before, _) = store_entries(store, target.object_kind());
            let (killed, whole_group) = kill_one_build(target, phase, whole_build, &mut random);
            kills[phase_index] += usize::from(killed);
            whole_group_kills += usize::from(killed && whole_group);

            // The library: the previous one, or (once the rename may have happened) a complete new one.
            let now = std::fs::read(&library_path).ok();
            match (&previous, &now) {
                (_, None) => assert!(previous.is_none(), "{phase:?}: the library disappeared"),
                (Some(previous), Some(now)) if previous == now => {}
                (_, Some(now)) => {
                    assert!(
                        phase.may_have_installed() || !killed,
                        "{phase:?}: a new library was installed before the link had finished"
                    );
                    check_complete_elf(now)
                        .unwrap_or_else(|problem| panic!("{phase:?}: a cut library: {problem}"));
                    landed_after_install[phase_index] += usize::from(killed);
                }
            }

            // The next build reuses what the killed one stored whole, and builds the rest.
            let (after, broken) = store_entries(store, target.object_kind());
            assert!(
                broken.is_empty(),
                "{phase:?}: entries failing their checksum: {broken:?}"
            );
            let stored_by_the_killed_build =
                after.iter().filter(|entry| !before.contains(entry)).count();
            let expected_reused = stored_by_the_killed_build.min(mechanisms);
            let (status, report) = json_run(&mut target.command(&["--format", "json"]));
            assert_eq!(
                status, 0,
                "{phase:?}: the build after the kill failed: {report:#}"
            );
            if report["up_to_date"] == false {
                assert_eq!(
                    outcomes(&report, "reused").len(),
                    expected_reused,
                    "{phase:?}: every object stored whole is reused: {report:#}"
                );
                assert_eq!(
                    outcomes(&report, "built").len(),
                    mechanisms - expected_reused,
                    "{phase:?}: {report:#}"
                );
            }
            reused_after_kills += expected_reused;
            let library = std::fs::read(&library_path).expect("the build made the library");
            check_complete_elf(&library).unwrap();
            assert_ne!(
                Some(&library),
                previous.as_ref(),
                "{phase:?}: the new version is in place"
            );
            let output_folder = library_path.parent().unwrap();
            assert_eq!(
                temporary_products(output_folder),
                Vec::<String>::new(),
                "{phase:?}"
            );
            assert_eq!(
                store_temporary_files(store),
                Vec::<std::path::PathBuf>::new(),
                "{phase:?}"
            );
        }
    }
    assert_eq!(
        target.loaded_mechanisms(),
        target.names,
        "the final library loads with every mechanism"
    );
    let total: usize = kills.iter().sum();
    let by_phase: Vec<String> = PHASES
        .iter()
        .enumerate()
        .map(|(index, phase)| {
            format!(
                "{phase:?} {} ({} after the rename)",
                kills[index], landed_after_install[index]
            )
        })
        .collect();
    eprintln!(
        "{:?}: {total} kills survived over {} builds ({whole_group_kills} of the whole process group, the others of glia alone): {}; {reused_after_kills} objects stored by killed builds reused; nothing lost; {:.0} s",
        target.simulator,
        rounds * PHASES.len(),
        by_phase.join(", "),
        started.elapsed().as_secs_f64()
    );
    assert!(
        total >= rounds * PHASES.len() * 2 / 3,
        "most builds were killed before they finished ({total})"
    );
}

/// Starts one build and kills it at `phase`; whether it was killed (rather than finishing first), and whether the
/// kill went to the whole process group.
fn kill_one_build(
    target: &Target,
    phase: Phase,
    whole_build: Duration,
    random: &mut Random,
) -> (bool, bool) {
    let link_marker = target.link_marker();
    let link_marker = link_marker.as_str();
    let mut child = target
        .command(&["--verbose", "--jobs", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .process_group(0)
        .spawn()
        .unwrap();
    let lines = read_lines(&mut child);
    let pid = child.id() as i32;
    let whole_group = random.below(2) == 0;
    // Reads the build's lines until one satisfies `predicate`; false if the build ended first.
    let until = |predicate: &mut dyn FnMut(&str) -> bool| lines.iter().any(|line| predicate(&line));
    match phase {
        Phase::AfterTranslation => {
            let mut translated = 0;
            until(&mut |line| {
                translated += usize::from(line.contains("] translated "));
                translated == target.names.len()
            });
        }
        Phase::DuringCompiles => {
            if until(&mut |line| line.contains(" -c ") && line.contains(".cpp -o ")) {
                std::thread::sleep(random.duration_below(whole_build / 2));
            }
        }
        Phase::DuringLink => {
            if until(&mut |line| line.contains(link_marker)) {
                std::thread::sleep(random.duration_below(Duration::from_millis(150)));
            }
        }
        Phase::DuringInstall => {
            if until(&mut |line| line.contains(link_marker)) {
                stop_once_the_linker_has_finished(pid, link_marker);
            }
        }
        Phase::AfterInstall => {
            until(&mut |line| line.contains("] linked "));
        }
        // Within the first half of a whole build's time: the timed build also made the precompiled header and
        // asked the compiler its version, so later builds are shorter.
        Phase::AtRandom => std::thread::sleep(random.duration_below(whole_build / 2)),
    }
    (kill(&mut child, whole_group), whole_group)
}

/// Waits for glia's linker child to start, stops glia (SIGSTOP), then waits for the linker to finish: glia is then
/// held between the end of the link and the rename of its product, and cannot reap the linker.
fn stop_once_the_linker_has_finished(glia: i32, link_marker: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Some(linker) = children_of(glia)
            .into_iter()
            .find(|child| command_line_of(*child).contains(link_marker))
        {
            // SAFETY: kill(2) on our own child process.
            unsafe {
                libc::kill(glia, libc::SIGSTOP);
            }
            while Instant::now() < deadline && !matches!(state_of(linker), None | Some('Z')) {
                std::thread::sleep(Duration::from_millis(1));
            }
            return;
        }
        if matches!(state_of(glia), None | Some('Z')) {
            return;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// The processes whose parent is `parent` (from `/proc/*/stat`).
fn children_of(parent: i32) -> Vec<i32> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<i32>().ok())
        .filter(|&pid| stat_fields(pid).is_some_and(|(_, ppid)| ppid == parent))
        .collect()
}

/// A process's state letter and parent, from `/proc/<pid>/stat` (read after the command name, which may hold
/// spaces and parentheses).
fn stat_fields(pid: i32) -> Option<(char, i32)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let mut fields = stat[stat.rfind(')')? + 1..].split_whitespace();
    let state = fields.next()?.chars().next()?;
    let parent = fields.next()?.parse().ok()?;
    Some((state, parent))
}

fn state_of(pid: i32) -> Option<char> {
    stat_fields(pid).map(|(state, _)| state)
}

fn command_line_of(pid: i32) -> String {
    std::fs::read(format!("/proc/{pid}/cmdline"))
        .map(|bytes| String::from_utf8_lossy(&bytes).replace('\0', " "))
        .unwrap_or_default()
}

fn read_lines(child: &mut Child) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}

/// Sends SIGKILL to glia (or its whole process group), reaps it, then stops whatever tools it left; whether glia
/// was still running.
fn kill(child: &mut Child, whole_group: bool) -> bool {
    let running = matches!(child.try_wait(), Ok(None));
    let pid = child.id() as i32;
    // SAFETY: kill(2) with a process id of our own child (or its group).
    unsafe {
        libc::kill(if whole_group { -pid } else { pid }, libc::SIGKILL);
    }
    let _ = child.wait();
    // SAFETY: as above; the group may be empty by now.
    unsafe {
        libc::kill(-pid, libc::SIGKILL);
    }
    running
}
