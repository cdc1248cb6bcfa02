//! `glia build-catalogue` against the real Arbor 0.12.2, modcc and g++ — and against `arbor-build-catalogue` itself:
//! the two catalogues, built from the same mods, simulate identically (`tools/arb_simulate.py`, each catalogue in
//! its own Python process). Also what each edit rebuilds, the 13 dbbs-catalogue mods modcc refuses, and the errors
//! for a bad name, a GPU asked of a CPU-only Arbor, and a missing Arbor.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::builds::{outcomes, text};
use serde_json::Value;

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn dbbs_arbor_mods() -> PathBuf {
    let folder = repository().join("corpus/real/dbbs-catalogue-6.0.1/dbbs_catalogue/mods/arbor");
    assert!(
        folder.is_dir(),
        "{}: {}",
        folder.display(),
        common::ORACLE_SETUP
    );
    folder
}

/// `glia build-catalogue NAME MODS -o OUT --cache-dir STORE --format json EXTRA...`: exit code and report.
fn glia_build(
    name: &str,
    mods: &Path,
    output: &Path,
    store: &Path,
    extra: &[&str],
) -> (i32, Value) {
    let run = Command::new(env!("CARGO_BIN_EXE_glia"))
        .args(["build-catalogue", name])
        .arg(mods)
        .arg("-o")
        .arg(output)
        .arg("--cache-dir")
        .arg(store)
        .args(["--format", "json"])
        .args(extra)
        .env("VIRTUAL_ENV", common::oracle_venv())
        .env_remove("CXX")
        .output()
        .unwrap();
    let report = serde_json::from_slice(&run.stdout)
        .unwrap_or_else(|error| panic!("no JSON report ({error}):\n{}", text(&run)));
    (run.status.code().unwrap_or(-1), report)
}

fn processes(report: &Value) -> (u64, u64, u64) {
    let counts = &report["processes"];
    (
        counts["translate"].as_u64().unwrap(),
        counts["compile"].as_u64().unwrap(),
        counts["link"].as_u64().unwrap(),
    )
}

/// Copies each mod that modcc accepts into `target` as `<mechanism name>.mod`, as arbor-build-catalogue needs.
fn copy_accepted_mods_by_name(sources: &[PathBuf], target: &Path) -> usize {
    std::fs::create_dir_all(target).unwrap();
    let modcc = common::oracle_site_packages().join("arbor/bin/modcc");
    let scratch = tempfile::tempdir().unwrap();
    let mut copied = 0;
    for source in sources {
        let accepted = Command::new(&modcc)
            .args(["-t", "cpu", "-N", "arb", "-o"])
            .arg(scratch.path())
            .arg(source)
            .output()
            .unwrap()
            .status
            .success();
        if !accepted {
            continue;
        }
        let inspect = Command::new(env!("CARGO_BIN_EXE_glia"))
            .args(["inspect", "--format", "json"])
            .arg(source)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&inspect.stdout).unwrap();
        let Some(name) = report[0]["mechanism"]["name"].as_str() else {
            continue;
        };
        std::fs::copy(source, target.join(format!("{name}.mod"))).unwrap();
        copied += 1;
    }
    copied
}

fn mod_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(folder)
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "mod"))
        .collect();
    files.sort();
    files
}

fn simulate(catalogue: &Path, output: &Path) -> Value {
    let run = Command::new(common::oracle_venv().join("bin/python"))
        .arg(repository().join("tools/arb_simulate.py"))
        .arg("--catalogue")
        .arg(catalogue)
        .arg("--output")
        .arg(output)
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "simulating {} failed:\n{}",
        catalogue.display(),
        text(&run)
    );
    serde_json::from_slice(&std::fs::read(output).unwrap()).unwrap()
}

/// Builds `mods` with arbor-build-catalogue (the wheel's, with `--prefix`, cmake from the venv) and with glia, and
/// compares the simulations of the two catalogues.
fn assert_same_simulations(label: &str, mods: &Path) {
    let root = tempfile::tempdir().unwrap();
    let reference_folder = root.path().join("reference");
    std::fs::create_dir_all(&reference_folder).unwrap();
    let venv = common::oracle_venv();
    let path = format!(
        "{}:{}",
        venv.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let reference = Command::new(venv.join("bin/arbor-build-catalogue"))
        .arg("ref")
        .arg(mods)
        .arg("--prefix")
        .arg(common::oracle_site_packages().join("arbor"))
        .current_dir(&reference_folder)
        .env("PATH", path)
        .output()
        .unwrap();
    assert!(
        reference.status.success(),
        "arbor-build-catalogue failed on {label}:\n{}",
        text(&reference)
    );
    let (status, report) = glia_build(
        "ref",
        mods,
        &root.path().join("glia"),
        &root.path().join("store"),
        &[],
    );
    assert_eq!(status, 0, "{label}: {report:#}");

    let expected = simulate(
        &reference_folder.join("ref-catalogue.so"),
        &root.path().join("expected.json"),
    );
    let actual = simulate(
        &root.path().join("glia/ref-catalogue.so"),
        &root.path().join("actual.json"),
    );
    let traces = expected["traces"].as_object().unwrap();
    let recorded = traces
        .values()
        .filter(|trace| trace.get("v").is_some())
        .count();
    assert!(recorded > 0, "{label}: nothing was simulated");
    assert_eq!(
        expected["catalogue_mechanisms"], actual["catalogue_mechanisms"],
        "{label}"
    );
    for (name, trace) in traces {
        assert_eq!(
            Some(trace),
            actual["traces"].get(name),
            "{label}: {name} simulates differently"
        );
    }
    eprintln!(
        "{label}: {} mechanisms, {recorded} simulated identically (the others fail alike in both: {:?})",
        traces.len(),
        traces
            .iter()
            .filter(|(_, trace)| trace.get("v").is_none())
            .map(|(name, _)| name)
            .collect::<Vec<_>>()
    );
}

#[test]
fn fixture_catalogue_simulates_like_arbor_build_catalogues() {
    let root = tempfile::tempdir().unwrap();
    let mut sources = mod_files(&repository().join("corpus/fixtures/valid/arbor"));
    sources.extend(mod_files(&repository().join("corpus/fixtures/valid/both")));
    let mods = root.path().join("mods");
    let copied = copy_accepted_mods_by_name(&sources, &mods);
    assert!(copied >= 40, "only {copied} fixtures accepted by modcc");
    assert_same_simulations("own fixtures", &mods);
}

#[test]
fn dbbs_catalogue_simulates_like_arbor_build_catalogues() {
    let root = tempfile::tempdir().unwrap();
    let mods = root.path().join("mods");
    let copied = copy_accepted_mods_by_name(&mod_files(&dbbs_arbor_mods()), &mods);
    assert_eq!(
        copied, 20,
        "modcc 0.12.2 accepts 20 of the 33 dbbs-catalogue Arbor mods"
    );
    assert_same_simulations("dbbs-catalogue 6.0.1", &mods);
}

#[test]
fn the_thirteen_mods_modcc_refuses_are_named_and_the_rest_still_build() {
    let root = tempfile::tempdir().unwrap();
    let output = root.path().join("out");
    let store = root.path().join("store");
    let (status, report) = glia_build(
        "dbbs",
        &dbbs_arbor_mods(),
        &output,
        &store,
        &["--keep-going"],
    );
    assert_eq!(status, 1, "{report:#}");
    let failed = outcomes(&report, "failed");
    assert_eq!(failed.len(), 13, "{failed:?}");
    assert_eq!(
        failed
            .iter()
            .filter(|file| file.starts_with("cdp5"))
            .count(),
        4
    );
    assert_eq!(report["linked"], true);
    let mechanisms = report["mechanisms"].as_array().unwrap();
    let with_v_fix = mechanisms
        .iter()
        .filter(|mechanism| {
            mechanism["diagnostics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|diagnostic| {
                    diagnostic["fix"].is_object()
                        && diagnostic["message"].as_str().unwrap().contains("`v`")
                })
        })
        .count();
    assert_eq!(
        with_v_fix, 9,
        "the 9 files declaring v in ASSIGNED carry lint's fix"
    );
    for mechanism in mechanisms
        .iter()
        .filter(|mechanism| mechanism["outcome"] == "failed")
    {
        let first = &mechanism["diagnostics"][0];
        assert!(
            first["line"].as_u64().unwrap() > 1,
            "a located diagnostic: {first:#}"
        );
    }
    let loaded = Command::new(common::oracle_venv().join("bin/python"))
        .args([
            "-c",
            "import arbor, sys; print(len(list(arbor.load_catalogue(sys.argv[1]).keys())))",
        ])
        .arg(output.join("dbbs-catalogue.so"))
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&loaded.stdout).trim(),
        "20",
        "{}",
        text(&loaded)
    );

    // Without --keep-going nothing is linked, but the 20 are stored: a second run compiles nothing of them.
    let (status, report) = glia_build(
        "dbbs2",
        &dbbs_arbor_mods(),
        &root.path().join("out2"),
        &store,
        &[],
    );
    assert_eq!(status, 1);
    assert_eq!(report["linked"], false);
}

#[test]
fn each_kind_of_edit_rebuilds_exactly_what_it_should() {
    let root = tempfile::tempdir().unwrap();
    let mods = root.path().join("mods");
    std::fs::create_dir_all(&mods).unwrap();
    let fixtures = repository().join("corpus/fixtures/valid/both");
    for name in [
        "minimal_density_mechanism",
        "point_process_net_receive",
        "useion_read_write_valence",
    ] {
        std::fs::copy(
            fixtures.join(format!("{name}.mod")),
            mods.join(format!("{name}.mod")),
        )
        .unwrap();
    }
    let output = root.path().join("out");
    let store = root.path().join("store");
    let build = |extra: &[&str]| glia_build("edits", &mods, &output, &store, extra);

    let (status, report) = build(&[]);
    assert_eq!(status, 0, "{report:#}");
    // Three mechanisms and the catalogue source; one link.
    assert_eq!(processes(&report), (3, 4, 1), "{report:#}");
    let catalogue = std::fs::read(output.join("edits-catalogue.so")).unwrap();

    let (_, report) = build(&[]);
    assert_eq!(
        (report["up_to_date"].as_bool(), processes(&report)),
        (Some(true), (0, 0, 0))
    );

    let edited = mods.join("minimal_density_mechanism.mod");
    let original = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, format!(": a comment\n{original}\n\n")).unwrap();
    let (_, report) = build(&[]);
    assert_eq!(
        processes(&report),
        (0, 0, 0),
        "comment and blank lines: {report:#}"
    );
    assert_eq!(
        std::fs::read(output.join("edits-catalogue.so")).unwrap(),
        catalogue
    );

    // A real change: that mechanism, the catalogue source (it includes the mechanism's header), the link.
    let changed = original.replacen("PARAMETER {", "PARAMETER {\n    glia_test_extra = 1", 1);
    assert_ne!(changed, original, "the fixture has a PARAMETER block");
    std::fs::write(&edited, changed).unwrap();
    let (status, report) = build(&[]);
    assert_eq!(status, 0, "{report:#}");
    assert_eq!(processes(&report), (1, 2, 1), "one change: {report:#}");

    // An object whose header left the store is built again (the catalogue source needs the header).
    std::fs::remove_dir_all(store.join("arbor-headers")).unwrap();
    let (status, report) = glia_build("edits", &mods, &root.path().join("elsewhere"), &store, &[]);
    assert_eq!(status, 0, "{report:#}");
    assert_eq!(processes(&report).0, 3, "headers missing: {report:#}");
}

#[test]
fn bad_names_gpu_on_a_cpu_arbor_and_a_missing_arbor_are_clear_errors() {
    let root = tempfile::tempdir().unwrap();
    let mods = repository().join("corpus/fixtures/valid/both/minimal_density_mechanism.mod");
    let run = |arguments: &[&str], environment: &[(&str, &str)]| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_glia"));
        command
            .arg("build-catalogue")
            .args(arguments)
            .arg(&mods)
            .arg("-o")
            .arg(root.path())
            .arg("--cache-dir")
            .arg(root.path().join("store"))
            .env("VIRTUAL_ENV", common::oracle_venv());
        for (name, value) in environment {
            command.env(name, value);
        }
        command.output().unwrap()
    };
    let bad_name = run(&["my-cat"], &[]);
    assert_eq!(bad_name.status.code(), Some(2));
    assert!(
        text(&bad_name).contains("cannot name a catalogue"),
        "{}",
        text(&bad_name)
    );

    let gpu = run(&["cat", "--gpu", "cuda"], &[]);
    assert_eq!(gpu.status.code(), Some(2));
    assert!(
        text(&gpu).contains("built without GPU support"),
        "{}",
        text(&gpu)
    );

    let missing = run(
        &["cat"],
        &[("VIRTUAL_ENV", "/nonexistent"), ("PATH", "/usr/bin:/bin")],
    );
    assert_eq!(missing.status.code(), Some(2));
    let message = text(&missing);
    assert!(message.contains("Arbor not found"), "{message}");
    assert!(message.contains("modcc: not on PATH"), "{message}");
}
