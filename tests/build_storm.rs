//! Import storms against the real NEURON and Arbor toolchains: 32 processes start `glia nrnivmodl` (or
//! `glia build-catalogue`) at once on the same stale inputs, as the ranks of an MPI job do at the start of a
//! simulation script. One build happens, every process ends with the same complete library, none fails, and none
//! takes longer than the build plus one second — the build's own wall time, measured in the same storm.
//!
//! The harness is `common::storm`: a storm of another glia command is one more call to `start_together`.

mod common;

use std::sync::Mutex;
use std::time::Duration;

use common::builds::{arbor_leak_channel, leak_channel, Workspace};
use common::storm::{start_together, StormSummary};

const PROCESSES: usize = 32;
/// "None waits longer than the build plus 1 s."
const SLACK: Duration = Duration::from_secs(1);

/// One storm at a time: two storms of 32 processes on two cores would each measure the other.
static ONE_STORM_AT_A_TIME: Mutex<()> = Mutex::new(());

fn report(what: &str, summary: &StormSummary, compiles: u64, links: u64) {
    eprintln!(
        "{what}: {} processes, {} build ({compiles} compiles, {links} link in all), build {:.2} s, longest process {:.2} s",
        summary.processes,
        summary.builds,
        summary.build.as_secs_f64(),
        summary.longest.as_secs_f64()
    );
}

#[test]
fn an_import_storm_of_nrnivmodl_builds_once() {
    let _one_at_a_time = ONE_STORM_AT_A_TIME
        .lock()
        .unwrap_or_else(|poison| poison.into_inner());
    let workspace = Workspace::new();
    for name in ["storm_a", "storm_b"] {
        workspace.write(&format!("{name}.mod"), &leak_channel(name, "0.001"));
    }
    let (status, _) = workspace.build(&[]);
    assert_eq!(status, 0);
    // Stale: both mechanisms changed since the library was built.
    for name in ["storm_a", "storm_b"] {
        workspace.write(&format!("{name}.mod"), &leak_channel(name, "0.002"));
    }
    let storm = start_together(
        PROCESSES,
        |_| workspace.command(&["--format", "json"]),
        &workspace.library(),
    );
    let summary = storm.assert_one_build(SLACK);
    let (compiles, links) = (
        storm.total_processes("compile"),
        storm.total_processes("link"),
    );
    assert_eq!(
        (storm.total_processes("translate"), compiles, links),
        (2, 2, 1),
        "two translations and compiles and one link among all the processes"
    );
    report("glia nrnivmodl storm", &summary, compiles, links);
}

#[test]
fn an_import_storm_of_build_catalogue_builds_once() {
    let _one_at_a_time = ONE_STORM_AT_A_TIME
        .lock()
        .unwrap_or_else(|poison| poison.into_inner());
    let workspace = Workspace::new();
    for name in ["storm_a", "storm_b"] {
        workspace.write(&format!("{name}.mod"), &arbor_leak_channel(name, "0.001"));
    }
    let (status, _) =
        common::builds::json_run(&mut workspace.catalogue_command("storm", &["--format", "json"]));
    assert_eq!(status, 0);
    for name in ["storm_a", "storm_b"] {
        workspace.write(&format!("{name}.mod"), &arbor_leak_channel(name, "0.002"));
    }
    let storm = start_together(
        PROCESSES,
        |_| workspace.catalogue_command("storm", &["--format", "json"]),
        &workspace.catalogue("storm"),
    );
    let summary = storm.assert_one_build(SLACK);
    let (compiles, links) = (
        storm.total_processes("compile"),
        storm.total_processes("link"),
    );
    // Two mechanisms and the catalogue source (it includes every header, so it changes with them).
    assert_eq!(
        (storm.total_processes("translate"), compiles, links),
        (2, 3, 1),
        "two translations, three compiles and one link among all the processes"
    );
    report("glia build-catalogue storm", &summary, compiles, links);
}
