//! Front-end benchmarks: how fast glia reads mod files, and how that compares with the real compilers.
//!
//! Run with `cargo bench --bench front_end` (release profile; about one to two minutes). Filters work as in
//! criterion: `cargo bench --bench front_end -- lex` runs only the criterion part, `-- check` only the process part.
//! `cargo test --benches` runs each criterion benchmark once as a smoke test and skips the process part.
//!
//! The input is the real corpus in `corpus/real` (fetch it with `python3 tools/fetch-corpus.py`); without it the
//! benchmarks fall back to `corpus/fixtures`, and say so.
//!
//! 1. Criterion group `front_end`, single thread, throughput in bytes per second over every corpus file (one
//!    iteration reads all of them, from memory; no IO is measured):
//!    - `lex`: `glia::syntax::lexer::lex` in the NEURON dialect;
//!    - `lex_parse`: `glia::syntax::parse_grammar` (lexer and parser, with their diagnostics) in the NEURON dialect;
//!    - `lex_parse_arbor`: the same in the Arbor dialect;
//!    - `check`: `glia::syntax::parse`, which adds the checks of what nocmodl refuses beyond the grammar;
//!    - `check_arbor`: the same for modcc.
//!
//!    The benchmark uses the allocator the `glia` binary uses (mimalloc), as the figures are the binary's.
//! 2. `glia check` as a user runs it: 2,000 files (the corpus cycled, each copy with a unique name) are written to a
//!    temporary directory and whole `glia check DIR` processes (the release binary, `RAYON_NUM_THREADS=2`, output
//!    to /dev/null) are timed: one warm-up run, then 10 timed runs (mean and minimum wall time), and the child's peak
//!    resident set size from `wait4`'s `ru_maxrss`. Targets: wall < 1 s and peak RSS < 100 MB; the figures and
//!    whether each target holds are printed, never asserted. The files are in the page cache (just written).
//!    This part runs before the criterion part: until `exec` a child shares this process's memory and Linux counts
//!    it in the child's `ru_maxrss`, so the figure is only honest while this process is small (its resident size
//!    is printed as the bound of that error). Cross-checked: `/usr/bin/time -f %M glia check DIR` agrees.
//!    `glia lint --dialect both DIR` (every rule, both dialects) is timed the same way, against the same < 1 s
//!    target, and compared with nocmodl and modcc together (part 3), since it gives both compilers' verdicts.
//! 3. The oracles, in the same run, on the same files: `nocmodl X.mod -o DIR` (what `nrnivmodl` runs per file) and
//!    `modcc -t cpu -N arb -o DIR X.mod` (what `arbor-build-catalogue` runs), one process per file, with 2 parallel
//!    workers (the same 2 cores glia uses). `glia check` time is printed as a ratio of each (against
//!    `glia check --dialect arbor` for modcc). Both stop at a file's first error, so files they reject are cheap for
//!    them; how many they accept is printed. Skipped, with a note, when the oracle venv is absent.
//!
//! Environment: `GLIA_ORACLE_VENV` (default `<repo>/.venv`), `GLIA_BENCH_FILES` (default 2000),
//! `GLIA_BENCH_ORACLE_FILES` (default: all; fewer runs the oracles on the first N files and extrapolates linearly,
//! saying so). A summary table in Markdown is printed at the end.

use std::fmt::Write as _;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use criterion::{Criterion, SamplingMode, Throughput};
use glia::syntax::lexer::lex;
use glia::syntax::{parse, parse_grammar, Dialect};
use measure::run_measured;

mod measure;

/// The allocator of the `glia` binary, so that the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const GROUP: &str = "front_end";
const CRITERION_BENCHMARKS: [&str; 5] = [
    "lex",
    "lex_parse",
    "lex_parse_arbor",
    "check",
    "check_arbor",
];
const WALL_TARGET: Duration = Duration::from_secs(1);
const RSS_TARGET_BYTES: u64 = 100 * 1000 * 1000;
const CHECK_RUNS: usize = 10;
const CHECK_RUNS_ARBOR: usize = 5;
const WORKERS: usize = 2;

fn main() {
    let started = SystemTime::now();
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    let options = Options::from_arguments(&arguments);
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));

    let Some(corpus) = Corpus::load(manifest) else {
        println!(
            "front_end: no input: corpus/real has no .mod files (run `python3 tools/fetch-corpus.py`) and neither \
             has corpus/fixtures; nothing to measure"
        );
        return;
    };
    println!(
        "front_end: {} .mod files, {} bytes, from {}",
        corpus.files.len(),
        corpus.total_bytes(),
        corpus.origin
    );

    // The process part runs first, while this process is small: a child's `ru_maxrss` also counts the memory it
    // shared with this process until `exec` (std spawns with CLONE_VM), so a big parent would inflate it.
    let mut summary = Summary::default();
    if !options.benchmark_mode {
        println!("front_end: `glia check` and oracle timings run only under `cargo bench` (skipped in test/list mode)");
    } else if options.wants_processes() {
        process_benchmarks(manifest, &corpus, &mut summary);
    }

    let mut criterion = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args();
    criterion_benchmarks(&mut criterion, &corpus);
    criterion.final_summary();

    if options.benchmark_mode {
        for name in CRITERION_BENCHMARKS {
            summary
                .throughput
                .push((name, read_criterion_mean(manifest, name, started)));
        }
        summary.print(&corpus);
    }
}

/// What the command line asks for. Criterion parses its own options; this only decides whether the process part
/// runs (it has no criterion benchmark id, so criterion's filter cannot select it).
struct Options {
    benchmark_mode: bool,
    filter: Option<String>,
}

impl Options {
    fn from_arguments(arguments: &[String]) -> Options {
        // Criterion's options that take a value: the value is not a filter.
        const WITH_VALUE: [&str; 16] = [
            "--save-baseline",
            "--baseline",
            "--baseline-lenient",
            "--load-baseline",
            "--sample-size",
            "--warm-up-time",
            "--measurement-time",
            "--nresamples",
            "--noise-threshold",
            "--confidence-level",
            "--significance-level",
            "--profile-time",
            "--color",
            "--format",
            "--output-format",
            "--plotting-backend",
        ];
        let has = |flag: &str| arguments.iter().any(|argument| argument == flag);
        let mut filter = None;
        let mut previous: Option<&str> = None;
        for argument in arguments {
            if !argument.starts_with('-')
                && !previous.is_some_and(|option| WITH_VALUE.contains(&option))
            {
                filter = Some(argument.clone());
            }
            previous = Some(argument);
        }
        Options {
            // `cargo bench` passes `--bench`; `cargo test --benches` does not.
            benchmark_mode: has("--bench")
                && !has("--test")
                && !has("--list")
                && !has("--profile-time"),
            filter,
        }
    }

    fn wants_processes(&self) -> bool {
        self.filter
            .as_deref()
            .is_none_or(|filter| "glia_check oracles nocmodl modcc".contains(filter))
    }
}

/// The benchmark input: every `.mod` file, read into memory once.
struct Corpus {
    origin: String,
    files: Vec<(PathBuf, Vec<u8>)>,
}

impl Corpus {
    fn load(manifest: &Path) -> Option<Corpus> {
        let real = manifest.join("corpus/real");
        let mut paths = mod_files(&real);
        let mut origin = real.display().to_string();
        if paths.is_empty() {
            println!(
                "front_end: NOTE: the real corpus is missing ({} has no .mod files); run `python3 tools/fetch-corpus.py` \
                 for meaningful figures. Falling back to corpus/fixtures.",
                real.display()
            );
            let fixtures = manifest.join("corpus/fixtures");
            paths = mod_files(&fixtures);
            origin = format!(
                "{} (FALLBACK: the real corpus is missing)",
                fixtures.display()
            );
        }
        if paths.is_empty() {
            return None;
        }
        let files = paths
            .into_iter()
            .filter_map(|path| match std::fs::read(&path) {
                Ok(bytes) => Some((path, bytes)),
                Err(error) => {
                    println!("front_end: cannot read {}: {error}", path.display());
                    None
                }
            })
            .collect();
        Some(Corpus { origin, files })
    }

    fn total_bytes(&self) -> u64 {
        self.files.iter().map(|(_, bytes)| bytes.len() as u64).sum()
    }
}

/// Every `*.mod` file under `directory`, recursively, sorted (empty if the directory does not exist).
fn mod_files(directory: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![directory.to_path_buf()];
    while let Some(directory) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&directory) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "mod") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn criterion_benchmarks(criterion: &mut Criterion, corpus: &Corpus) {
    let sources: Vec<&[u8]> = corpus
        .files
        .iter()
        .map(|(_, bytes)| bytes.as_slice())
        .collect();
    let mut group = criterion.benchmark_group(GROUP);
    group.throughput(Throughput::Bytes(corpus.total_bytes()));
    // One iteration takes milliseconds: flat sampling keeps the run short without criterion's linear ramp.
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("lex", |bencher| {
        bencher.iter(|| {
            for source in &sources {
                black_box(lex(black_box(source), Dialect::Neuron));
            }
        })
    });
    type Pass = fn(&[u8], Dialect) -> glia::syntax::Parse;
    let passes: [(&str, Pass, Dialect); 4] = [
        ("lex_parse", parse_grammar, Dialect::Neuron),
        ("lex_parse_arbor", parse_grammar, Dialect::Arbor),
        ("check", parse, Dialect::Neuron),
        ("check_arbor", parse, Dialect::Arbor),
    ];
    for (name, pass, dialect) in passes {
        group.bench_function(name, |bencher| {
            bencher.iter(|| {
                for source in &sources {
                    black_box(pass(black_box(source), dialect));
                }
            })
        });
    }
    group.finish();
}

/// The mean time per iteration (all corpus files) criterion measured in this run, from its `estimates.json`.
fn read_criterion_mean(manifest: &Path, benchmark: &str, started: SystemTime) -> Option<Duration> {
    // Criterion's own choice of directory, minus its `cargo metadata` step.
    let home = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("CARGO_TARGET_DIR")
                .map(|target| PathBuf::from(target).join("criterion"))
        })
        .unwrap_or_else(|| manifest.join("target/criterion"));
    let path = home.join(GROUP).join(benchmark).join("new/estimates.json");
    let fresh = std::fs::metadata(&path)
        .and_then(|metadata| metadata.modified())
        .is_ok_and(|modified| modified >= started);
    if !fresh {
        return None; // filtered out in this run, or criterion writes elsewhere
    }
    let estimates: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).ok()?).ok()?;
    let nanoseconds = estimates["mean"]["point_estimate"].as_f64()?;
    Some(Duration::from_secs_f64(nanoseconds * 1e-9))
}

/// This process's resident set size now (Linux: `/proc/self/statm`), 0 if unknown.
fn own_resident_bytes() -> u64 {
    // SAFETY: `sysconf` has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(0) as u64;
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|text| text.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or(0, |pages| pages * page)
}

fn process_benchmarks(manifest: &Path, corpus: &Corpus, summary: &mut Summary) {
    let Some(glia) = glia_binary(manifest) else {
        println!(
            "glia_check: SKIPPED: no release `glia` binary (CARGO_BIN_EXE_glia is unset and target/release/glia is \
             missing); build it with `cargo build --release`"
        );
        return;
    };
    let file_count = env_count("GLIA_BENCH_FILES").unwrap_or(2000);
    let work = match tempfile::Builder::new().prefix("glia-bench-").tempdir() {
        Ok(directory) => directory,
        Err(error) => {
            println!("glia_check: SKIPPED: cannot create a temporary directory: {error}");
            return;
        }
    };
    let inputs = work.path().join("inputs");
    let files = match write_inputs(corpus, &inputs, file_count) {
        Ok(files) => files,
        Err(error) => {
            println!("glia_check: SKIPPED: cannot write the input files: {error}");
            return;
        }
    };
    let input_bytes: u64 = files.iter().map(|(_, size)| size).sum();
    let paths: Vec<PathBuf> = files.into_iter().map(|(path, _)| path).collect();
    summary.check_files = paths.len();
    summary.check_bytes = input_bytes;
    summary.parent_resident_bytes = own_resident_bytes();
    println!(
        "\nglia_check: {} files ({:.1} MB) in {}, binary {}, {} CPUs available, load average {}; this process is \
         {:.1} MB resident (a child's peak RSS may include up to that much, shared until `exec`)",
        paths.len(),
        input_bytes as f64 / 1e6,
        inputs.display(),
        glia.display(),
        std::thread::available_parallelism().map_or(0, usize::from),
        load_average(),
        summary.parent_resident_bytes as f64 / 1e6
    );

    summary.check = time_glia(&glia, "check", &inputs, "neuron", CHECK_RUNS);
    if let Some(check) = &summary.check {
        check.print("glia check (NEURON dialect)");
        println!(
            "  target wall < 1 s: {}   target peak RSS < 100 MB: {}",
            verdict(check.mean() < WALL_TARGET),
            verdict(check.peak_rss_bytes < RSS_TARGET_BYTES)
        );
    }

    summary.lint = time_glia(&glia, "lint", &inputs, "both", CHECK_RUNS);
    if let Some(lint) = &summary.lint {
        lint.print("glia lint --dialect both");
        println!(
            "  target wall < 1 s: {}",
            verdict(lint.mean() < WALL_TARGET)
        );
    }

    let Some(oracles) = Oracles::find(manifest) else {
        println!(
            "oracles: SKIPPED: no oracle venv at {} (set GLIA_ORACLE_VENV, or run `bash tools/setup-oracles.sh`); no \
             ratios against nocmodl or modcc",
            oracle_venv(manifest).display()
        );
        return;
    };
    let oracle_count = env_count("GLIA_BENCH_ORACLE_FILES")
        .unwrap_or(paths.len())
        .clamp(1, paths.len());
    let subset = &paths[..oracle_count];
    let out = work.path().join("out");

    if let Some(nocmodl) = &oracles.nocmodl {
        let modlunit = oracles.modlunit.clone();
        summary.nocmodl = time_oracle(
            "nocmodl",
            subset,
            paths.len(),
            &out.join("nocmodl"),
            |file, out| {
                let mut command = Command::new(nocmodl);
                command.arg(file).arg("-o").arg(out).current_dir(out);
                if let Some(modlunit) = &modlunit {
                    command.env("MODLUNIT", modlunit);
                }
                command
            },
        );
    } else {
        println!("oracles: nocmodl not found in the venv: skipped");
    }

    if let Some(modcc) = &oracles.modcc {
        summary.modcc_binary = Some(modcc.clone());
        summary.check_arbor = time_glia(&glia, "check", &inputs, "arbor", CHECK_RUNS_ARBOR);
        if let Some(check) = &summary.check_arbor {
            check.print("glia check --dialect arbor");
        }
        summary.modcc = time_oracle(
            "modcc",
            subset,
            paths.len(),
            &out.join("modcc"),
            |file, out| {
                let mut command = Command::new(modcc);
                command
                    .args(["-t", "cpu", "-N", "arb", "-o"])
                    .arg(out)
                    .arg(file)
                    .current_dir(out);
                command
            },
        );
    } else {
        println!("oracles: modcc not found in the venv: skipped");
    }
}

fn verdict(holds: bool) -> &'static str {
    if holds {
        "holds"
    } else {
        "MISSED"
    }
}

fn env_count(name: &str) -> Option<usize> {
    std::env::var(name)
        .ok()?
        .trim()
        .parse()
        .ok()
        .filter(|&count| count > 0)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|_| "unknown".into())
}

/// The `glia` binary cargo built for this benchmark (release profile), else `target/release/glia`.
fn glia_binary(manifest: &Path) -> Option<PathBuf> {
    option_env!("CARGO_BIN_EXE_glia")
        .map(PathBuf::from)
        .filter(|path| path.is_file())
        .or_else(|| Some(manifest.join("target/release/glia")).filter(|path| path.is_file()))
}

/// Writes `count` files into `directory` by cycling through the corpus; names are `<stem>_<index>.mod`, unique.
fn write_inputs(
    corpus: &Corpus,
    directory: &Path,
    count: usize,
) -> std::io::Result<Vec<(PathBuf, u64)>> {
    std::fs::create_dir_all(directory)?;
    let mut written = Vec::with_capacity(count);
    for (index, (path, bytes)) in corpus.files.iter().cycle().take(count).enumerate() {
        let stem = path
            .file_stem()
            .map_or("file".into(), |stem| stem.to_string_lossy());
        let target = directory.join(format!("{stem}_{index:04}.mod"));
        std::fs::write(&target, bytes)?;
        written.push((target, bytes.len() as u64));
    }
    Ok(written)
}

/// Repeated whole-process runs of one command.
struct Timing {
    walls: Vec<Duration>,
    peak_rss_bytes: u64,
    statuses: Vec<i32>,
}

impl Timing {
    fn mean(&self) -> Duration {
        self.walls.iter().sum::<Duration>() / self.walls.len().max(1) as u32
    }

    fn min(&self) -> Duration {
        self.walls.iter().copied().min().unwrap_or_default()
    }

    fn print(&self, label: &str) {
        let mut statuses = self.statuses.clone();
        statuses.sort_unstable();
        statuses.dedup();
        println!(
            "{label}: {} runs, wall mean {:.3} s, min {:.3} s, max {:.3} s; peak RSS {:.1} MB; exit status {:?}",
            self.walls.len(),
            self.mean().as_secs_f64(),
            self.min().as_secs_f64(),
            self.walls.iter().max().copied().unwrap_or_default().as_secs_f64(),
            self.peak_rss_bytes as f64 / 1e6,
            statuses
        );
    }
}

/// One untimed warm-up run, then `runs` timed runs of `glia SUBCOMMAND --dialect DIALECT DIRECTORY`.
fn time_glia(
    glia: &Path,
    subcommand: &str,
    directory: &Path,
    dialect: &str,
    runs: usize,
) -> Option<Timing> {
    let command = || {
        let mut command = Command::new(glia);
        command
            .args([subcommand, "--dialect", dialect])
            .arg(directory)
            .env("RAYON_NUM_THREADS", WORKERS.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        command
    };
    let mut timing = Timing {
        walls: Vec::new(),
        peak_rss_bytes: 0,
        statuses: Vec::new(),
    };
    for run in 0..=runs {
        match run_measured(&mut command()) {
            Ok(measured) => {
                if run > 0 {
                    timing.walls.push(measured.wall);
                    timing.peak_rss_bytes = timing.peak_rss_bytes.max(measured.peak_rss_bytes);
                    timing.statuses.push(measured.status);
                }
            }
            Err(error) => {
                println!("glia {subcommand}: cannot run {}: {error}", glia.display());
                return None;
            }
        }
    }
    Some(timing)
}

/// The oracle compilers, found in the venv the oracle tests use.
struct Oracles {
    nocmodl: Option<PathBuf>,
    modlunit: Option<PathBuf>,
    modcc: Option<PathBuf>,
}

fn oracle_venv(manifest: &Path) -> PathBuf {
    std::env::var_os("GLIA_ORACLE_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest.join(".venv"))
}

impl Oracles {
    fn find(manifest: &Path) -> Option<Oracles> {
        let venv = oracle_venv(manifest);
        if !venv.is_dir() {
            return None;
        }
        let site_packages: Vec<PathBuf> = std::fs::read_dir(venv.join("lib"))
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path().join("site-packages"))
            .filter(|path| path.is_dir())
            .collect();
        let first = |relative: &str| {
            site_packages
                .iter()
                .map(|site| site.join(relative))
                .find(|path| path.is_file())
        };
        // `.venv/bin/modcc` is a Python wrapper that imports arbor first (~0.2 s a call); the native binary it
        // runs is what arbor-build-catalogue's CMake invokes, so that is the fair one to time.
        let modcc = first("arbor/bin/modcc")
            .or_else(|| Some(venv.join("bin/modcc")).filter(|path| path.is_file()));
        Some(Oracles {
            nocmodl: first("neuron/.data/bin/nocmodl"),
            modlunit: first("neuron/.data/share/nrn/lib/nrnunits.lib"),
            modcc,
        })
    }
}

/// An oracle's run over the files.
struct OracleTiming {
    wall: Duration,
    /// Wall time scaled linearly to all files when only a subset ran.
    extrapolated: Duration,
    files: usize,
    accepted: usize,
    peak_rss_bytes: u64,
}

/// Runs one oracle process per file with `WORKERS` parallel workers, each writing into its own output directory.
fn time_oracle(
    name: &str,
    files: &[PathBuf],
    all_files: usize,
    out: &Path,
    command: impl Fn(&Path, &Path) -> Command + Sync,
) -> Option<OracleTiming> {
    let outs: Vec<PathBuf> = (0..WORKERS)
        .map(|worker| out.join(format!("worker{worker}")))
        .collect();
    for directory in &outs {
        if let Err(error) = std::fs::create_dir_all(directory) {
            println!(
                "{name}: SKIPPED: cannot create {}: {error}",
                directory.display()
            );
            return None;
        }
    }
    let run = |file: &Path, out: &Path| {
        let mut command = command(file, out);
        command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        run_measured(&mut command)
    };
    // Warm-up: page the binary and its libraries in.
    if let Err(error) = run(&files[0], &outs[0]) {
        println!("{name}: SKIPPED: cannot run it: {error}");
        return None;
    }
    let next = AtomicUsize::new(0);
    let accepted = AtomicUsize::new(0);
    let peak = Mutex::new(0u64);
    let failure: Mutex<Option<String>> = Mutex::new(None);
    let start = Instant::now();
    std::thread::scope(|scope| {
        let (next, accepted, peak, failure, run) = (&next, &accepted, &peak, &failure, &run);
        for out in &outs {
            scope.spawn(move || loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = files.get(index) else {
                    break;
                };
                match run(file, out) {
                    Ok(measured) => {
                        if measured.status == 0 {
                            accepted.fetch_add(1, Ordering::Relaxed);
                        }
                        let mut peak = peak.lock().unwrap();
                        *peak = (*peak).max(measured.peak_rss_bytes);
                    }
                    Err(error) => {
                        *failure.lock().unwrap() = Some(error.to_string());
                        break;
                    }
                }
            });
        }
    });
    let wall = start.elapsed();
    if let Some(error) = failure.into_inner().unwrap() {
        println!("{name}: SKIPPED: a run failed to start: {error}");
        return None;
    }
    let timing = OracleTiming {
        wall,
        extrapolated: wall.mul_f64(all_files as f64 / files.len() as f64),
        files: files.len(),
        accepted: accepted.into_inner(),
        peak_rss_bytes: peak.into_inner().unwrap(),
    };
    let scaled = if timing.files < all_files {
        format!(
            " (ran on the first {} files only; extrapolated linearly to {all_files} files: {:.2} s)",
            timing.files,
            timing.extrapolated.as_secs_f64()
        )
    } else {
        String::new()
    };
    println!(
        "{name}: {} files, one process each, {WORKERS} parallel workers: wall {:.2} s ({:.2} ms per file per worker); \
         {} accepted, {} rejected (it stops at the first error); peak RSS of one process {:.1} MB{scaled}",
        timing.files,
        wall.as_secs_f64(),
        wall.as_secs_f64() * 1e3 * WORKERS as f64 / timing.files as f64,
        timing.accepted,
        timing.files - timing.accepted,
        timing.peak_rss_bytes as f64 / 1e6,
    );
    Some(timing)
}

#[derive(Default)]
struct Summary {
    throughput: Vec<(&'static str, Option<Duration>)>,
    check_files: usize,
    check_bytes: u64,
    parent_resident_bytes: u64,
    check: Option<Timing>,
    check_arbor: Option<Timing>,
    /// `glia lint --dialect both`: every rule, both dialects' verdicts in one run.
    lint: Option<Timing>,
    nocmodl: Option<OracleTiming>,
    modcc: Option<OracleTiming>,
    modcc_binary: Option<PathBuf>,
}

impl Summary {
    fn print(&self, corpus: &Corpus) {
        let bytes = corpus.total_bytes() as f64;
        let mut table = String::new();
        let _ = writeln!(table, "| Benchmark | Measured | Target / ratio |");
        let _ = writeln!(table, "|---|---|---|");
        for (name, mean) in &self.throughput {
            let what = match *name {
                "lex" => "lex",
                "lex_parse" => "lex + parse (NEURON)",
                "lex_parse_arbor" => "lex + parse (Arbor)",
                "check" => "lex + parse + NEURON dialect checks",
                _ => "lex + parse + Arbor dialect checks",
            };
            let measured = mean.map_or("not measured in this run".into(), |mean| {
                let per_second = bytes / mean.as_secs_f64();
                format!(
                    "{:.1} MiB/s ({:.1} MB/s)",
                    per_second / (1024.0 * 1024.0),
                    per_second / 1e6
                )
            });
            let _ = writeln!(
                table,
                "| {what}, {} files ({:.0} KB), 1 thread | {measured} | |",
                corpus.files.len(),
                bytes / 1e3
            );
        }
        let files = format!(
            "{} files ({:.1} MB)",
            self.check_files,
            self.check_bytes as f64 / 1e6
        );
        if let Some(check) = &self.check {
            let _ = writeln!(
                table,
                "| `glia check`, {files}, 2 threads: wall mean / min | {:.3} s / {:.3} s | < 1 s: {} |",
                check.mean().as_secs_f64(),
                check.min().as_secs_f64(),
                verdict(check.mean() < WALL_TARGET)
            );
            let _ = writeln!(
                table,
                "| `glia check`, {files}: peak RSS | {:.1} MB | < 100 MB: {} |",
                check.peak_rss_bytes as f64 / 1e6,
                verdict(check.peak_rss_bytes < RSS_TARGET_BYTES)
            );
        }
        let oracle_row = |table: &mut String,
                          label: &str,
                          oracle: &OracleTiming,
                          glia: Option<&Timing>| {
            let note = if oracle.files < self.check_files {
                format!(
                    ", extrapolated from {} files in {:.2} s",
                    oracle.files,
                    oracle.wall.as_secs_f64()
                )
            } else {
                String::new()
            };
            let ratio = glia.map_or("no glia timing".into(), |glia| {
                let ratio = glia.mean().as_secs_f64() / oracle.extrapolated.as_secs_f64();
                format!("glia / {label} = {ratio:.3} ({:.0}x faster)", 1.0 / ratio)
            });
            let _ = writeln!(
                table,
                "| {label}, same files, 1 process per file, {WORKERS} workers ({} of {} accepted{note}) | {:.2} s | {ratio} |",
                oracle.accepted,
                oracle.files,
                oracle.extrapolated.as_secs_f64(),
            );
        };
        if let Some(nocmodl) = &self.nocmodl {
            oracle_row(&mut table, "nocmodl", nocmodl, self.check.as_ref());
        }
        if let Some(check) = &self.check_arbor {
            let _ = writeln!(
                table,
                "| `glia check --dialect arbor`, {files}: wall mean / min | {:.3} s / {:.3} s | |",
                check.mean().as_secs_f64(),
                check.min().as_secs_f64()
            );
        }
        if let Some(modcc) = &self.modcc {
            oracle_row(&mut table, "modcc", modcc, self.check_arbor.as_ref());
        }
        if let Some(lint) = &self.lint {
            let oracles = match (&self.nocmodl, &self.modcc) {
                (Some(nocmodl), Some(modcc)) => {
                    let both = nocmodl.extrapolated + modcc.extrapolated;
                    let ratio = lint.mean().as_secs_f64() / both.as_secs_f64();
                    format!(
                        "; nocmodl + modcc on the same files: {:.2} s, glia / them = {ratio:.3} ({:.0}x faster)",
                        both.as_secs_f64(),
                        1.0 / ratio
                    )
                }
                _ => String::new(),
            };
            let _ = writeln!(
                table,
                "| `glia lint --dialect both`, {files}, 2 threads: wall mean / min | {:.3} s / {:.3} s | < 1 s: {}{oracles} |",
                lint.mean().as_secs_f64(),
                lint.min().as_secs_f64(),
                verdict(lint.mean() < WALL_TARGET)
            );
        }
        println!("\n## Summary (paste into a README)\n");
        print!("{table}");
        println!(
            "\nMachine: {} CPUs, load average {} at the end. Throughput: criterion mean over all corpus files in memory. \
             glia check: {CHECK_RUNS} whole-process runs after a warm-up, files in the page cache; peak RSS from \
             `wait4` (it may include up to {:.1} MB, the benchmark process's resident size, shared until `exec`).",
            std::thread::available_parallelism().map_or(0, usize::from),
            load_average(),
            self.parent_resident_bytes as f64 / 1e6
        );
        if let Some(modcc) = &self.modcc_binary {
            println!(
                "modcc binary: {} (run directly, not through the Python wrapper).",
                modcc.display()
            );
        }
    }
}
