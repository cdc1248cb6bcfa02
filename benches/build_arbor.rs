//! `glia build-catalogue` against Arbor 0.12.2's `arbor-build-catalogue` (the wheel's, with `--prefix` and cmake
//! from the venv), on the 20 Arbor mods of `dbbs-catalogue==6.0.1` that modcc accepts, measured in the same run on
//! the same machine. Run with `cargo bench --bench build_arbor` after
//! `bash tools/setup-oracles.sh && python3 tools/fetch-corpus.py`.
//!
//! Reported (wall-clock seconds, and ratios to arbor-build-catalogue's build): cold (glia with an empty store;
//! target ≤ 0.5×), no-op (median of 20; target ≤ 30 ms), comment-only edit (median of 10; ≤ 50 ms), one changed
//! mechanism (median of 3). Timings are printed, never asserted.

mod build_support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use build_support::{
    compile_floor, filtered_out, glia_binary, manifest_folder, median, timed, venv,
};

/// Copies the mods modcc accepts into `target` as `<mechanism name>.mod` (arbor-build-catalogue needs that).
fn copy_accepted_by_name(glia: &Path, source: &Path, target: &Path) -> usize {
    std::fs::create_dir_all(target).unwrap();
    let modcc = venv().join("lib/python3.11/site-packages/arbor/bin/modcc");
    let scratch = tempfile::tempdir().unwrap();
    let mut copied = 0;
    let mut files: Vec<PathBuf> = std::fs::read_dir(source)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "mod"))
        .collect();
    files.sort();
    for file in files {
        let accepted = Command::new(&modcc)
            .args(["-t", "cpu", "-N", "arb", "-o"])
            .arg(scratch.path())
            .arg(&file)
            .output()
            .map(|output| output.status.success())
            .unwrap_or(false);
        if !accepted {
            continue;
        }
        let inspect = Command::new(glia)
            .args(["inspect", "--format", "json"])
            .arg(&file)
            .output()
            .unwrap();
        let report: serde_json::Value = serde_json::from_slice(&inspect.stdout).unwrap();
        if let Some(name) = report[0]["mechanism"]["name"].as_str() {
            std::fs::copy(&file, target.join(format!("{name}.mod"))).unwrap();
            copied += 1;
        }
    }
    copied
}

fn main() {
    if filtered_out("build_arbor") {
        return;
    }
    let source =
        manifest_folder().join("corpus/real/dbbs-catalogue-6.0.1/dbbs_catalogue/mods/arbor");
    assert!(
        source.is_dir() && venv().join("bin/arbor-build-catalogue").is_file(),
        "run `bash tools/setup-oracles.sh && python3 tools/fetch-corpus.py` first"
    );
    let glia = glia_binary();
    let root = tempfile::tempdir().unwrap();
    let mods = root.path().join("mods");
    let count = copy_accepted_by_name(&glia, &source, &mods);

    let reference_folder = root.path().join("reference");
    std::fs::create_dir_all(&reference_folder).unwrap();
    let path = format!(
        "{}:{}",
        venv().join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let (reference, _) = timed(
        Command::new(venv().join("bin/arbor-build-catalogue"))
            .arg("bench")
            .arg(&mods)
            .arg("--prefix")
            .arg(venv().join("lib/python3.11/site-packages/arbor"))
            .current_dir(&reference_folder)
            .env("PATH", &path),
    );
    println!(
        "arbor-build-catalogue, {count} mods:          {:8.2} s",
        reference.as_secs_f64()
    );

    let store = root.path().join("store");
    let output = root.path().join("glia");
    let glia_run = |extra: &[&str]| -> (Duration, Vec<u8>) {
        let mut command = Command::new(&glia);
        command
            .args(["build-catalogue", "bench"])
            .arg(&mods)
            .args(["--format", "json", "--cache-dir"])
            .arg(&store)
            .arg("-o")
            .arg(&output)
            .args(extra)
            .env("VIRTUAL_ENV", venv());
        timed(&mut command)
    };
    let (cold, cold_report) = glia_run(&[]);
    let no_op = median((0..20).map(|_| glia_run(&[]).0).collect());
    let edited = std::fs::read_dir(&mods)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.to_string_lossy().contains("Kv1_1"))
        .expect("Kv1_1 is among the accepted mods");
    let original = std::fs::read_to_string(&edited).unwrap();
    let comment_edit = median(
        (0..10)
            .map(|round| {
                std::fs::write(&edited, format!(": edit {round}\n{original}")).unwrap();
                glia_run(&[]).0
            })
            .collect(),
    );
    let one_change = median(
        (0..3)
            .map(|round| {
                let changed = original.replacen(
                    "PARAMETER {",
                    &format!("PARAMETER {{\n    glia_bench_{round} = {round}"),
                    1,
                );
                std::fs::write(&edited, changed).unwrap();
                glia_run(&[]).0
            })
            .collect(),
    );
    let ratio = |duration: Duration| duration.as_secs_f64() / reference.as_secs_f64();
    println!(
        "glia, cold (empty store):                  {:8.2} s  {:.2}× arbor-build-catalogue (target ≤ 0.5)",
        cold.as_secs_f64(),
        ratio(cold)
    );
    println!(
        "  its compile floor (compile time / jobs): {:8.2} s",
        compile_floor(&cold_report)
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
        "glia, one changed mechanism (median of 3): {:8.2} s  {:.3}× arbor-build-catalogue",
        one_change.as_secs_f64(),
        ratio(one_change)
    );
}
