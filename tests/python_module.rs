//! The Python module against the original: the behaviour tests of `tests/python/` (pytest) run once with this
//! project's module (the wheel `tools/build-python-module.sh` builds, installed in `.venv`) and once with
//! nmodl-glia 8.0.2 (in `.venv-original`), each with the test packages of `tests/python/packages/` on PYTHONPATH
//! and a private HOME, cache and configuration folder. Both runs must pass: the tests themselves say where the
//! original has a bug and what each implementation does there.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use common::{glia_packages, oracle_venv, original_venv, run_with};

/// A private home for one run of `venv`'s Python: glia's caches and configuration go there.
fn private_home(original: bool) -> tempfile::TempDir {
    let home = tempfile::tempdir().unwrap();
    if original {
        // nmodl-glia's first use otherwise creates a "local" package and pip-installs it, whose template requires
        // nmodl-glia~=4.0: with network access that downgrades the original to 4.0.2.
        std::fs::create_dir_all(home.path().join(".local/share/Glia/8/local")).unwrap();
    }
    home
}

/// The variables of a run in `home` with `venv` active (its `bin/` first on PATH, as the original needs to find
/// `nrnivmodl`) and `python_path` on the interpreter's path.
fn run_environment(
    home: &Path,
    venv: &Path,
    python_path: &OsStr,
) -> Vec<(&'static str, std::ffi::OsString)> {
    let mut path = std::ffi::OsString::from(venv.join("bin"));
    path.push(":");
    path.push(std::env::var_os("PATH").unwrap_or_default());
    vec![
        ("HOME", home.as_os_str().to_owned()),
        ("PATH", path),
        ("PYTHONPATH", python_path.to_owned()),
        ("GLIA_CACHE_DIR", home.join("glia-cache").into_os_string()),
        ("GLIA_CONFIG_DIR", home.join("glia-config").into_os_string()),
        ("PYTHONDONTWRITEBYTECODE", "1".into()),
    ]
}

/// Runs the behaviour tests with `venv`'s interpreter; panics with pytest's output when they fail.
fn run_behaviour_tests(venv: &Path, original: bool) {
    let home = private_home(original);
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The test packages, and nrn-patch (which the original has installed, as its way to NEURON) for this project's
    // module too: Patch sections are part of what a drop-in must take.
    let patch = home.path().join("patch-only");
    std::fs::create_dir_all(&patch).unwrap();
    for name in [
        "patch",
        "nrn_patch-8.0.2.dist-info",
        "errr",
        "errr-1.2.2.dist-info",
    ] {
        std::os::unix::fs::symlink(glia_packages().join(name), patch.join(name)).unwrap();
    }
    let packages = std::env::join_paths([repository.join("tests/python/packages"), patch]).unwrap();
    let python = venv.join("bin").join("python");
    let output = run_with(
        &python,
        &[
            OsStr::new("-m"),
            OsStr::new("pytest"),
            OsStr::new("-q"),
            OsStr::new("-p"),
            OsStr::new("no:cacheprovider"),
            repository.join("tests/python").as_os_str(),
        ],
        home.path(),
        &borrowed(&run_environment(home.path(), venv, &packages)),
    );
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the behaviour tests fail with {}:\n{text}",
        python.display()
    );
    eprintln!(
        "{}: {}",
        python.display(),
        text.trim().lines().last().unwrap_or_default()
    );
}

fn borrowed<'a>(
    environment: &'a [(&'static str, std::ffi::OsString)],
) -> Vec<(&'static str, &'a OsStr)> {
    environment
        .iter()
        .map(|(name, value)| (*name, value.as_os_str()))
        .collect()
}

/// The soma's voltage trace of `tests/python/simulate_dbbs.py` run with `venv`'s glia, and the implementation's
/// name it reports.
fn dbbs_trace(venv: &Path, original: bool) -> (String, Vec<f64>) {
    let home = private_home(original);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/simulate_dbbs.py");
    let python = venv.join("bin").join("python");
    let output = run_with(
        &python,
        &[script.as_os_str()],
        home.path(),
        &borrowed(&run_environment(
            home.path(),
            venv,
            glia_packages().as_os_str(),
        )),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the dbbs simulation fails with {}:\n{stdout}\n{}",
        python.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    let result: serde_json::Value =
        serde_json::from_str(stdout.trim().lines().last().unwrap_or_default())
            .expect("a JSON trace");
    let trace = result["v"]
        .as_array()
        .unwrap()
        .iter()
        .map(|value| value.as_f64().unwrap())
        .collect();
    (
        result["implementation"].as_str().unwrap().to_string(),
        trace,
    )
}

#[test]
fn a_dbbs_catalogue_cell_built_with_glia_insert_gives_the_same_trace_with_both() {
    let (ours_name, ours) = dbbs_trace(&oracle_venv(), false);
    let (original_name, original) = dbbs_trace(&original_venv(), true);
    assert_eq!(
        (ours_name.as_str(), original_name.as_str()),
        ("this project", "original")
    );
    assert_eq!(ours.len(), 2401, "60 ms at dt = 0.025 ms");
    assert!(ours.iter().any(|&v| v > 0.0), "the cell fires");
    let largest_difference = ours
        .iter()
        .zip(&original)
        .map(|(left, right)| (left - right).abs())
        .fold(0.0, f64::max);
    assert_eq!(ours.len(), original.len());
    assert!(
        largest_difference == 0.0,
        "the traces differ by up to {largest_difference} mV"
    );
}

fn installed_module(venv: &Path) -> PathBuf {
    let python = venv.join("bin").join("python");
    let output = run_with(
        &python,
        &[
            OsStr::new("-c"),
            OsStr::new("import glia._native, glia; print(glia.__file__)"),
        ],
        venv,
        &[],
    );
    assert!(
        output.status.success(),
        "this project's Python module is not installed in {}: run `bash tools/build-python-module.sh` (or `bash tools/test.sh`)\n{}",
        venv.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    PathBuf::from(String::from_utf8_lossy(&output.stdout).trim())
}

#[test]
fn the_behaviour_tests_pass_with_this_module_and_with_nmodl_glia() {
    let ours = oracle_venv();
    installed_module(&ours);
    run_behaviour_tests(&ours, false);
    run_behaviour_tests(&original_venv(), true);
}
