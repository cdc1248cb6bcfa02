//! The Python module against the original: the behaviour tests of `tests/python/` (pytest) run once with this
//! project's module (the wheel `tools/build-python-module.sh` builds, installed in `.venv`) and once with
//! nmodl-glia 8.0.2 (in `.venv-original`), each with the test packages of `tests/python/packages/` on PYTHONPATH
//! and a private HOME, cache and configuration folder. Both runs must pass: the tests themselves say where the
//! original has a bug and what each implementation does there.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use common::{glia_packages, oracle_venv, original_venv, run_with};
use glia::identity::name::ModName;
use glia::packages::declaration::{read_package_declaration, ReaderContext};

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

/// Runs one of the `tests/python/` scripts with `venv`'s glia in `home`, `python_path` on its path; the JSON of its
/// last line of output.
fn run_script(script: &str, venv: &Path, home: &Path, python_path: &OsStr) -> serde_json::Value {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/python")
        .join(script);
    let python = venv.join("bin").join("python");
    let output = run_with(
        &python,
        &[script.as_os_str()],
        home,
        &borrowed(&run_environment(home, venv, python_path)),
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{} fails with {}:\n{stdout}\n{}",
        script.display(),
        python.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(stdout.trim().lines().last().unwrap_or_default()).expect("a JSON line")
}

fn floats(value: &serde_json::Value) -> Vec<f64> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item.as_f64().unwrap_or(f64::NAN))
        .collect()
}

/// The largest difference between two traces of equal length.
fn largest_difference(left: &[f64], right: &[f64]) -> f64 {
    assert_eq!(left.len(), right.len());
    left.iter()
        .zip(right)
        .map(|(left, right)| (left - right).abs())
        .fold(0.0, f64::max)
}

/// A copy of `.glia-packages` in which dbbs-catalogue declares only the Arbor mods in `keep` (and all its NEURON
/// mods), the other `Mod(...)` calls cut out of its module by the spans glia's own reader gives.
fn dbbs_with_arbor_mods(keep: &[String]) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    copy_folder(&glia_packages(), site.path());
    let module = site.path().join("dbbs_catalogue/__init__.py");
    let source = std::fs::read_to_string(&module).unwrap();
    let declaration = read_package_declaration(
        &source,
        &module,
        "package",
        &ReaderContext {
            resolve: &|path: &Path| path.to_path_buf(),
            module_exists: &|_, _| true,
        },
    )
    .expect("dbbs-catalogue's declaration reads statically");
    let mut cut: Vec<(usize, usize)> = declaration
        .mods
        .iter()
        .filter(|declared| declared.dialect_text.as_deref() == Some("arbor"))
        .filter(|declared| {
            let name = ModName::new("dbbs", &declared.asset, &declared.variant).unwrap();
            !keep.contains(&name.arbor_name())
        })
        .map(|declared| {
            let span = declared.span.unwrap();
            let after = &source[span.end as usize..];
            let comma = after
                .find(',')
                .filter(|&index| after[..index].trim().is_empty());
            (
                span.start as usize,
                span.end as usize + comma.map_or(0, |index| index + 1),
            )
        })
        .collect();
    cut.sort();
    let mut filtered = String::new();
    let mut copied = 0;
    for (start, end) in cut {
        filtered.push_str(&source[copied..start]);
        copied = end;
    }
    filtered.push_str(&source[copied..]);
    std::fs::write(&module, filtered).unwrap();
    site
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn dbbs_catalogue_simulates_the_same_through_both_implementations() {
    let ours_home = private_home(false);
    let original_home = private_home(true);
    let packages = glia_packages();

    // NEURON: a cell of dbbs channels and a synapse, every mechanism inserted with glia.insert.
    let ours = run_script(
        "simulate_dbbs.py",
        &oracle_venv(),
        ours_home.path(),
        packages.as_os_str(),
    );
    let original = run_script(
        "simulate_dbbs.py",
        &original_venv(),
        original_home.path(),
        packages.as_os_str(),
    );
    assert_eq!(ours["implementation"], "this project");
    assert_eq!(original["implementation"], "original");
    let (ours_trace, original_trace) = (floats(&ours["v"]), floats(&original["v"]));
    assert_eq!(ours_trace.len(), 2401, "60 ms at dt = 0.025 ms");
    assert!(ours_trace.iter().any(|&v| v > 0.0), "the cell fires");
    let difference = largest_difference(&ours_trace, &original_trace);
    assert!(
        difference == 0.0,
        "the NEURON traces differ by up to {difference} mV"
    );

    // Arbor: glia.catalogue("dbbs") on the package as published.
    let ours = run_script(
        "simulate_dbbs_arbor.py",
        &oracle_venv(),
        ours_home.path(),
        packages.as_os_str(),
    );
    let mechanisms: Vec<String> = ours["mechanisms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|name| name.as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        mechanisms.len(),
        20,
        "the 20 of 33 Arbor mods modcc 0.12.2 accepts: {mechanisms:?}"
    );
    assert!(ours["warnings"][0]
        .as_str()
        .unwrap()
        .contains("could not be built"));
    // The original refuses the whole catalogue when one mod fails.
    let refused = run_script(
        "simulate_dbbs_arbor.py",
        &original_venv(),
        original_home.path(),
        packages.as_os_str(),
    );
    assert!(
        refused["error"]
            .as_str()
            .is_some_and(|error| error.starts_with("BuildCatalogueError")),
        "{refused}"
    );
    // Given only the mods modcc accepts, it builds them, and each simulates as in this project's catalogue.
    let filtered = dbbs_with_arbor_mods(&mechanisms);
    let original = run_script(
        "simulate_dbbs_arbor.py",
        &original_venv(),
        original_home.path(),
        filtered.path().as_os_str(),
    );
    assert_eq!(original["mechanisms"], ours["mechanisms"]);
    let mut worst = (0.0, String::new());
    for name in &mechanisms {
        let (left, right) = (&ours["traces"][name], &original["traces"][name]);
        assert!(
            left.get("error").is_none() && right.get("error").is_none(),
            "{name}: {left} / {right}"
        );
        for (key, trace) in left.as_object().unwrap() {
            let difference = largest_difference(&floats(trace), &floats(&right[key]));
            if difference > worst.0 {
                worst = (difference, format!("{name} {key}"));
            }
        }
    }
    assert!(
        worst.0 <= 1e-9,
        "the Arbor traces differ by up to {} ({})",
        worst.0,
        worst.1
    );
    eprintln!(
        "NEURON: identical; Arbor: {} mechanisms, largest difference {} ({})",
        mechanisms.len(),
        worst.0,
        worst.1
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

/// What each rank of [`ranks_importing_glia_at_once_build_once_and_all_load`] runs: `import glia`, NEURON, one
/// insert; its last compile's report as JSON on the standard output it started with (NEURON prints its banner of
/// loaded mechanisms on standard output, which goes to standard error here).
const RANK_SCRIPT: &str = r#"
import json, os, sys
report = os.fdopen(os.dup(1), "w")
os.dup2(2, 1)
import glia
from neuron import h
section = h.Section()
point = glia.insert(section, "Nf")
last = glia._manager._last_compile
report.write(json.dumps({key: last[key] for key in ("linked", "up_to_date", "built", "processes", "library")}))
report.flush()
"#;

/// N MPI ranks start a script that imports glia at once, with no library yet: one builds (translations, compiles,
/// link and load test happen once over all of them), the others wait for it and load the same library; then a new
/// process finds the library up to date and starts no process at all.
#[test]
fn ranks_importing_glia_at_once_build_once_and_all_load() {
    let venv = oracle_venv();
    installed_module(&venv);
    let home = private_home(false);
    let packages = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python/packages");
    let environment = run_environment(home.path(), &venv, packages.as_os_str());
    let python = venv.join("bin").join("python");
    let command = |_: usize| {
        let mut command = std::process::Command::new(&python);
        command
            .args(["-c", RANK_SCRIPT])
            .current_dir(home.path())
            .envs(environment.iter().map(|(name, value)| (name, value)));
        command
    };
    let cache_path = run_with(
        &python,
        &[
            OsStr::new("-c"),
            OsStr::new("import glia; print(glia.get_cache_path())"),
        ],
        home.path(),
        &borrowed(&environment),
    );
    assert!(cache_path.status.success());
    let library = PathBuf::from(String::from_utf8_lossy(&cache_path.stdout).trim())
        .join("neuron/x86_64/libnrnmech.so");
    assert!(!library.exists());

    let ranks = 6;
    let storm = common::storm::start_together(ranks, command, &library);
    let summary = storm.assert_one_build(std::time::Duration::from_secs(20));
    let mechanisms = 11; // the test packages' NEURON mods
    assert_eq!(storm.total_processes("translate"), mechanisms);
    assert_eq!(storm.total_processes("link"), 1);
    assert_eq!(
        storm.total_processes("test"),
        1,
        "one load test over all ranks"
    );
    for run in &storm.runs {
        assert_eq!(run.report["library"], library.to_str().unwrap());
    }
    eprintln!(
        "{ranks} ranks: one built in {:.1} s, the longest took {:.1} s",
        summary.build.as_secs_f64(),
        summary.longest.as_secs_f64()
    );

    let after = common::storm::start_together(1, command, &library);
    let report = &after.runs[0].report;
    assert_eq!(after.runs[0].status, Some(0), "{}", after.runs[0].stderr);
    assert_eq!(report["up_to_date"], true, "{report:#}");
    let processes: u64 = report["processes"]
        .as_object()
        .unwrap()
        .values()
        .map(|count| count.as_u64().unwrap())
        .sum();
    assert_eq!(
        processes, 0,
        "an up-to-date import starts no process: {report:#}"
    );
}
