//! Oracle test for lint rules, one fixture per case: `corpus/lint/<dialect>/<CODE>-<what>.mod` must get a `CODE`
//! finding from `glia lint --dialect <dialect>`, and the real compiler of that dialect must agree with the finding's
//! severity:
//!
//! - an error: the compiler (nocmodl 9.0.2 for `neuron/`, modcc 0.12.2 with `-t cpu` for `arbor/`) refuses the file;
//! - a warning: the compiler accepts it. For the warnings that predict a failed C++ compile (N109, N111), NEURON's
//!   own `nrnivmodl` must then fail on the file, which proves the prediction with the real g++.
//!
//! Every mismatch is reported at once. The compilers come from the oracle venv (see `tests/common`).

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Warnings that say nocmodl's C++ will not compile.
const CODES_PREDICTING_A_CPP_FAILURE: &[&str] = &["N109", "N111"];

#[test]
fn each_rule_fixture_gets_its_finding_and_the_compiler_agrees() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/lint");
    let site_packages = common::oracle_site_packages();
    let nocmodl = site_packages.join("neuron/.data/bin/nocmodl");
    let units_library = site_packages.join("neuron/.data/share/nrn/lib/nrnunits.lib");
    let modcc = site_packages.join("arbor/bin/modcc");
    let nrnivmodl = common::oracle_venv().join("bin/nrnivmodl");

    let mut mismatches = Vec::new();
    let mut checked = 0;
    for dialect in ["neuron", "arbor"] {
        for fixture in mod_files(&root.join(dialect)) {
            checked += 1;
            let label = format!(
                "{dialect}/{}",
                fixture.file_name().unwrap().to_string_lossy()
            );
            let code = fixture
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .split('-')
                .next()
                .unwrap()
                .to_string();

            let lint = glia_lint(&fixture, dialect);
            let Some(severity) = lint
                .iter()
                .find(|finding| finding["code"] == code.as_str())
                .map(|finding| finding["severity"].as_str().unwrap_or_default().to_string())
            else {
                mismatches.push(format!("{label}: no {code} finding; lint said {lint:?}"));
                continue;
            };

            let scratch = tempfile::tempdir().unwrap();
            let compiler_run = if dialect == "neuron" {
                Command::new(&nocmodl)
                    .arg(&fixture)
                    .arg("-o")
                    .arg(scratch.path())
                    .env("MODLUNIT", &units_library)
                    .output()
            } else {
                Command::new(&modcc)
                    .args(["-t", "cpu", "-N", "arb", "-o"])
                    .arg(scratch.path())
                    .arg(&fixture)
                    .output()
            }
            .expect("run the compiler");
            let compiler_output = describe(&compiler_run);
            // modcc 0.12.2 exits with 0 after some of its semantic errors: what it prints decides.
            let refused = !compiler_run.status.success()
                || compiler_output.contains("error")
                || compiler_output.contains("Error:");
            match severity.as_str() {
                "error" if !refused => mismatches.push(format!(
                    "{label}: {code} is an error, but the compiler accepted the file:\n{compiler_output}"
                )),
                "warning" if refused => mismatches.push(format!(
                    "{label}: {code} is a warning, but the compiler refused the file:\n{compiler_output}"
                )),
                "warning" if CODES_PREDICTING_A_CPP_FAILURE.contains(&code.as_str()) => {
                    let mods = scratch.path().join("build/mods");
                    fs::create_dir_all(&mods).unwrap();
                    fs::copy(&fixture, mods.join(fixture.file_name().unwrap())).unwrap();
                    let build = Command::new(&nrnivmodl)
                        .arg("mods")
                        .current_dir(scratch.path().join("build"))
                        .env_remove("NRNHOME")
                        .output()
                        .expect("run nrnivmodl");
                    if build.status.success() {
                        mismatches.push(format!(
                            "{label}: {code} predicts a failed C++ compile, but nrnivmodl built the file"
                        ));
                    }
                }
                _ => {}
            }
        }
    }
    assert!(checked > 0, "no fixture under {}", root.display());
    assert!(
        mismatches.is_empty(),
        "{} of {checked} rule fixtures disagree:\n\n{}",
        mismatches.len(),
        mismatches.join("\n\n")
    );
}

fn mod_files(folder: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", folder.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|extension| extension == "mod"))
        .collect();
    files.sort();
    files
}

/// The findings of `glia lint --dialect DIALECT --format json FILE`.
fn glia_lint(fixture: &Path, dialect: &str) -> Vec<serde_json::Value> {
    let output = Command::new(env!("CARGO_BIN_EXE_glia"))
        .args(["lint", "--dialect", dialect, "--format", "json"])
        .arg(fixture)
        .output()
        .expect("run glia");
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "glia lint printed no JSON ({error}):\n{}",
            describe(&output)
        )
    })
}

fn describe(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}
