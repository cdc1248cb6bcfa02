//! Import storms against the real NEURON and Arbor toolchains: 32 processes start `glia nrnivmodl` (or
//! `glia build-catalogue`) at once on the same stale inputs, as the ranks of an MPI job do at the start of a
//! simulation script. One build happens, every process ends with the same complete library, none fails, and none
//! takes longer than the build plus one second — the build's own wall time, measured in the same storm.
//!
//! The harness is `common::storm`: a storm of another glia command is one more call to `start_together`.

mod common;

use std::path::Path;
use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use common::builds::{arbor_leak_channel, json_run, leak_channel, Workspace};
use common::storm::start_together;

const PROCESSES: usize = 32;
/// "None waits longer than the build plus 1 s."
const SLACK: Duration = Duration::from_secs(1);

/// One storm at a time: two storms of 32 processes on two cores would each measure the other.
static ONE_STORM_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Writes two mechanisms with `mechanism`, builds them with `command`, changes both so the library is stale, and
/// starts the storm of `command`s; checks it and prints its figures. The totals of translations, compiles and
/// links over all the processes.
fn stale_storm(
    what: &str,
    workspace: &Workspace,
    mechanism: fn(&str, &str) -> String,
    command: impl Fn() -> Command,
    library: &Path,
) -> (u64, u64, u64) {
    let _one_at_a_time = ONE_STORM_AT_A_TIME
        .lock()
        .unwrap_or_else(|poison| poison.into_inner());
    for name in ["storm_a", "storm_b"] {
        workspace.write(&format!("{name}.mod"), &mechanism(name, "0.001"));
    }
    let (status, report) = json_run(&mut command());
    assert_eq!(status, 0, "{report:#}");
    for name in ["storm_a", "storm_b"] {
        workspace.write(&format!("{name}.mod"), &mechanism(name, "0.002"));
    }
    let storm = start_together(PROCESSES, |_| command(), library);
    let summary = storm.assert_one_build(SLACK);
    let totals = (
        storm.total_processes("translate"),
        storm.total_processes("compile"),
        storm.total_processes("link"),
    );
    eprintln!(
        "{what} storm: {} processes, {} build ({} compiles, {} link in all), the build {:.2} s, the longest process {:.2} s",
        summary.processes,
        summary.builds,
        totals.1,
        totals.2,
        summary.build.as_secs_f64(),
        summary.longest.as_secs_f64()
    );
    totals
}

#[test]
fn an_import_storm_of_nrnivmodl_builds_once() {
    let workspace = Workspace::new();
    let totals = stale_storm(
        "glia nrnivmodl",
        &workspace,
        leak_channel,
        || workspace.command(&["--format", "json"]),
        &workspace.library(),
    );
    assert_eq!(
        totals,
        (2, 2, 1),
        "two translations and compiles and one link among all the processes"
    );
}

#[test]
fn an_import_storm_of_build_catalogue_builds_once() {
    let workspace = Workspace::new();
    let totals = stale_storm(
        "glia build-catalogue",
        &workspace,
        arbor_leak_channel,
        || workspace.catalogue_command("storm", &["--format", "json"]),
        &workspace.catalogue("storm"),
    );
    // Two mechanisms and the catalogue source (it includes every header, so it changes with them).
    assert_eq!(
        totals,
        (2, 3, 1),
        "two translations, three compiles and one link among all the processes"
    );
}
