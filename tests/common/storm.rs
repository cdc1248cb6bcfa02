//! Import storms: many copies of one glia command started at once on the same stale inputs, as the ranks of an MPI
//! job do when each imports a simulation script. [`start_together`] runs them; [`StormRuns::assert_one_build`]
//! checks what a storm must give. Any glia command that prints a JSON report with `linked` (or another field
//! saying it built) fits: to add one, give [`start_together`] a closure that makes its command.

#![allow(dead_code)] // Each test crate uses its own part of the shared helpers.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use super::library::{check_complete_elf, digest};

/// One process of a storm.
#[derive(Debug)]
pub struct StormRun {
    pub index: usize,
    pub status: Option<i32>,
    pub report: Value,
    pub stderr: String,
    /// From the moment it was started to the moment it ended.
    pub wall: Duration,
    /// The sha256 of the library the moment the process ended (`None`: no library).
    pub library_digest: Option<[u8; 32]>,
}

/// The processes of a storm, in the order they were started.
#[derive(Debug)]
pub struct StormRuns {
    pub runs: Vec<StormRun>,
    pub library: PathBuf,
}

/// What a storm came to.
#[derive(Debug)]
pub struct StormSummary {
    pub processes: usize,
    pub builds: usize,
    /// The wall time of the process that built.
    pub build: Duration,
    /// The longest wall time of any process.
    pub longest: Duration,
}

/// Starts `count` processes made by `command(index)` at once — every one is started before any is waited for —
/// and waits for each on its own thread, which notes when it ended and the digest of `library` at that moment.
/// Standard output is read as the JSON report.
pub fn start_together(
    count: usize,
    command: impl Fn(usize) -> Command,
    library: &Path,
) -> StormRuns {
    let mut commands: Vec<Command> = (0..count).map(&command).collect();
    let runs = std::thread::scope(|scope| {
        let waiters: Vec<_> = commands
            .iter_mut()
            .enumerate()
            .map(|(index, command)| {
                let started = Instant::now();
                let child = command
                    .stdin(Stdio::null())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .expect("glia starts");
                scope.spawn(move || {
                    let output = child.wait_with_output().expect("glia ends");
                    let wall = started.elapsed();
                    let library_digest = std::fs::read(library).ok().map(|bytes| digest(&bytes));
                    StormRun {
                        index,
                        status: output.status.code(),
                        report: serde_json::from_slice(&output.stdout).unwrap_or(Value::Null),
                        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
                        wall,
                        library_digest,
                    }
                })
            })
            .collect();
        waiters
            .into_iter()
            .map(|waiter| waiter.join().expect("the waiter thread ends"))
            .collect()
    });
    StormRuns {
        runs,
        library: library.to_path_buf(),
    }
}

impl StormRuns {
    /// [`StormRuns::assert_one_build_by`] with "it built" read from the report's `linked`.
    pub fn assert_one_build(&self, slack: Duration) -> StormSummary {
        self.assert_one_build_by(slack, |report| report["linked"] == true)
    }

    /// Checks a storm: every process succeeded with a report; exactly one built (as `built` reads its report);
    /// every process ended with the same library, a complete ELF file; and none took longer than the build plus
    /// `slack`.
    pub fn assert_one_build_by(
        &self,
        slack: Duration,
        built: impl Fn(&Value) -> bool,
    ) -> StormSummary {
        for run in &self.runs {
            assert_eq!(
                run.status,
                Some(0),
                "process {} failed:\n{}\n{:#}",
                run.index,
                run.stderr,
                run.report
            );
            assert!(
                run.report.is_object(),
                "process {} printed no JSON report:\n{}",
                run.index,
                run.stderr
            );
        }
        let builders: Vec<&StormRun> = self.runs.iter().filter(|run| built(&run.report)).collect();
        assert_eq!(
            builders.len(),
            1,
            "exactly one process builds; these did: {:?}",
            builders.iter().map(|run| run.index).collect::<Vec<_>>()
        );
        let library = std::fs::read(&self.library).expect("the library exists after the storm");
        check_complete_elf(&library).expect("the library is a complete ELF file");
        let final_digest = digest(&library);
        for run in &self.runs {
            assert_eq!(
                run.library_digest,
                Some(final_digest),
                "process {} ended with another library (or none) than the others",
                run.index
            );
        }
        let build = builders[0].wall;
        let longest = self
            .runs
            .iter()
            .map(|run| run.wall)
            .max()
            .unwrap_or_default();
        for run in &self.runs {
            assert!(
                run.wall <= build + slack,
                "process {} took {:.2} s, more than the build ({:.2} s) plus {:.1} s",
                run.index,
                run.wall.as_secs_f64(),
                build.as_secs_f64(),
                slack.as_secs_f64()
            );
        }
        StormSummary {
            processes: self.runs.len(),
            builds: builders.len(),
            build,
            longest,
        }
    }

    /// The sum over every process's report of `processes.<kind>` (e.g. `compile`).
    pub fn total_processes(&self, kind: &str) -> u64 {
        self.runs
            .iter()
            .map(|run| run.report["processes"][kind].as_u64().unwrap_or(0))
            .sum()
    }
}
