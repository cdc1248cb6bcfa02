//! `glia nrnivmodl` against NEURON 9.0.2's `nrnivmodl`, on the 47 NEURON mods of `dbbs-catalogue==6.0.1`,
//! measured in the same run on the same machine. Run with `cargo bench --bench build_neuron` after
//! `bash tools/setup-oracles.sh && python3 tools/fetch-corpus.py`.
//!
//! Reported (wall-clock seconds, and ratios to nrnivmodl's full build):
//! - cold: nrnivmodl; glia with an empty store; glia with an empty store and no precompiled header (how far the
//!   precompiled header moves the compile floor);
//! - no-op: glia with everything up to date (median of 20 runs; target ≤ 30 ms);
//! - comment-only edit (median of 10; target ≤ 50 ms);
//! - one changed mechanism of 47 (median of 3; target ≤ 0.1× nrnivmodl's full build).
//!
//! Timings are printed, never asserted: shared machines are noisy, and a benchmark is for reading.

mod build_support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use build_support::{
    compile_floor, copy_mods, filtered_out, glia_binary, manifest_folder, median, timed, venv,
};

fn main() {
    // `cargo bench` passes `--bench`; a filter that does not name this bench skips it.
    if filtered_out("build_neuron") {
        return;
    }
    let mods =
        manifest_folder().join("corpus/real/dbbs-catalogue-6.0.1/dbbs_catalogue/mods/neuron");
    assert!(
        mods.is_dir() && venv().join("bin/nrnivmodl").is_file(),
        "run `bash tools/setup-oracles.sh && python3 tools/fetch-corpus.py` first"
    );
    let glia = glia_binary();
    let root = tempfile::tempdir().unwrap();
    let mod_count = std::fs::read_dir(&mods)
        .unwrap()
        .flatten()
        .filter(|entry| {
            entry
                .path()
                .extension()
                .is_some_and(|extension| extension == "mod")
        })
        .count();

    let reference_folder = root.path().join("nrnivmodl");
    copy_mods(&mods, &reference_folder.join("mods"));
    let (nrnivmodl, _) = timed(
        Command::new(venv().join("bin/nrnivmodl"))
            .arg("mods")
            .current_dir(&reference_folder),
    );
    println!(
        "nrnivmodl, full build of {mod_count} mods:        {:8.2} s",
        nrnivmodl.as_secs_f64()
    );

    let glia_run_reporting = |store: &Path, output: &Path, extra: &[&str]| -> (Duration, Vec<u8>) {
        let mut command = Command::new(&glia);
        command
            .args(["nrnivmodl", "--format", "json", "--cache-dir"])
            .arg(store)
            .arg("-o")
            .arg(output)
            .args(extra)
            .arg(root.path().join("glia/mods"))
            .env("VIRTUAL_ENV", venv());
        timed(&mut command)
    };
    let glia_run =
        |store: &Path, output: &Path, extra: &[&str]| glia_run_reporting(store, output, extra).0;
    copy_mods(&mods, &root.path().join("glia/mods"));
    let store = root.path().join("store");
    let output = root.path().join("glia");
    let (cold, cold_report) = glia_run_reporting(&store, &output, &[]);
    let plain_store = root.path().join("store-without-pch");
    let plain_output = root.path().join("glia-without-pch");
    let (cold_plain, cold_plain_report) =
        glia_run_reporting(&plain_store, &plain_output, &["--no-precompiled-header"]);

    let no_op = median((0..20).map(|_| glia_run(&store, &output, &[])).collect());

    let edited = root.path().join("glia/mods/Kv1_1__0.mod");
    let original = std::fs::read_to_string(&edited).unwrap();
    let comment_edit = median(
        (0..10)
            .map(|round| {
                std::fs::write(&edited, format!(": edit {round}\n{original}")).unwrap();
                glia_run(&store, &output, &[])
            })
            .collect(),
    );
    let one_change = median(
        (0..3)
            .map(|round| {
                // A new PARAMETER default each round, so each is a real, uncached change.
                let changed = original.replacen(
                    "PARAMETER {",
                    &format!("PARAMETER {{\n    glia_bench_{round} = {round}"),
                    1,
                );
                std::fs::write(&edited, changed).unwrap();
                glia_run(&store, &output, &[])
            })
            .collect(),
    );

    let ratio = |duration: Duration| duration.as_secs_f64() / nrnivmodl.as_secs_f64();
    println!(
        "glia, cold (empty store):                  {:8.2} s  {:.2}× nrnivmodl (target ≤ 0.7)",
        cold.as_secs_f64(),
        ratio(cold)
    );
    println!(
        "  its compile floor (compile time / jobs): {:8.2} s",
        compile_floor(&cold_report)
    );
    println!(
        "glia, cold, no precompiled header:         {:8.2} s  {:.2}× nrnivmodl",
        cold_plain.as_secs_f64(),
        ratio(cold_plain)
    );
    println!(
        "  its compile floor (compile time / jobs): {:8.2} s",
        compile_floor(&cold_plain_report)
    );
    println!(
        "glia, no-op (median of 20):                {:8.1} ms (target ≤ 30 ms)",
        no_op.as_secs_f64() * 1000.0
    );
    println!(
        "glia, comment-only edit (median of 10):    {:8.1} ms (target ≤ 50 ms)",
        comment_edit.as_secs_f64() * 1000.0
    );
    println!(
        "glia, one changed mechanism (median of 3): {:8.2} s  {:.3}× nrnivmodl (target ≤ 0.1)",
        one_change.as_secs_f64(),
        ratio(one_change)
    );
}
