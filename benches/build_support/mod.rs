//! What the build benchmarks share: the repository and oracle venv, a release glia, timing a command, medians, and
//! the compile floor a glia build reports.

#![allow(dead_code)] // Each benchmark uses its own part.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// Whether `cargo bench FILTER` names another benchmark than `name` (`cargo bench` passes `--bench`, which is not a
/// filter).
pub fn filtered_out(name: &str) -> bool {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|argument| !argument.starts_with('-'))
        .collect();
    !filters.is_empty() && !filters.iter().any(|filter| name.contains(filter.as_str()))
}

pub fn manifest_folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn venv() -> PathBuf {
    std::env::var_os("GLIA_ORACLE_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| manifest_folder().join(".venv"))
}

pub fn glia_binary() -> PathBuf {
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet", "--bin", "glia"])
        .current_dir(manifest_folder())
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cannot build glia");
    manifest_folder().join("target/release/glia")
}

pub fn copy_mods(source: &Path, target: &Path) {
    std::fs::create_dir_all(target).unwrap();
    for entry in std::fs::read_dir(source).unwrap().flatten() {
        if entry.path().is_file() {
            std::fs::copy(entry.path(), target.join(entry.file_name())).unwrap();
        }
    }
}

/// Runs a command to success; its wall time and standard output.
pub fn timed(command: &mut Command) -> (Duration, Vec<u8>) {
    let start = Instant::now();
    let output = command.output().expect("the program runs");
    let elapsed = start.elapsed();
    assert!(
        output.status.success(),
        "{command:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    (elapsed, output.stdout)
}

/// The compile floor of a glia build from its JSON report: compile time summed over jobs, divided by the jobs.
pub fn compile_floor(report: &[u8]) -> f64 {
    let report: serde_json::Value = serde_json::from_slice(report).expect("a JSON report");
    report["compile_seconds"].as_f64().unwrap_or(f64::NAN)
        / report["jobs"].as_f64().unwrap_or(f64::NAN)
}

pub fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}
