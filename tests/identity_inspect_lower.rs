//! `glia inspect`'s JSON schema (snapshot) and the Arbor lowering, checked with the real modcc.

mod common;

use std::path::Path;
use std::process::Command;

use glia::identity::lower::{apply, lowerings_for};
use glia::syntax::{parse, Dialect};

#[test]
fn inspect_json_schema_is_stable() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = Command::new(env!("CARGO_BIN_EXE_glia"))
        .args([
            "inspect",
            "--format",
            "json",
            "example/mods",
            "corpus/fixtures/valid/neuron",
        ])
        .current_dir(root)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let reports: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let reports = reports.as_array().unwrap();
    // The two example files in full: every field of the schema appears in them.
    insta::assert_json_snapshot!("inspect_example_mods", &reports[..2]);
    // Every report has every field, whatever the file.
    let fields: Vec<&str> = reports[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for report in reports {
        let keys: Vec<&str> = report
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, fields, "{}", report["file"]);
    }
}

fn modcc_accepts(source: &[u8]) -> (bool, String) {
    let modcc = common::oracle_site_packages().join("arbor/bin/modcc");
    let directory = tempfile::tempdir().unwrap();
    let file = directory.path().join("lowered.mod");
    std::fs::write(&file, source).unwrap();
    let out = directory.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let output = Command::new(modcc)
        .args(["-t", "cpu", "-N", "arb", "-o"])
        .arg(&out)
        .arg(&file)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    (output.status.success(), text)
}

fn lower_for_arbor(source: &[u8]) -> Vec<u8> {
    let parsed = parse(source, Dialect::Arbor);
    apply(source, &lowerings_for(Dialect::Arbor, &parsed.file))
}

#[test]
fn lowered_flux_and_independent_are_accepted_by_modcc() {
    let source = b"INDEPENDENT { t FROM 0 TO 1 WITH 1 (ms) }\nNEURON {\n    SUFFIX decay\n    USEION ca READ ica WRITE cai\n    RANGE tau\n}\nPARAMETER { tau = 5 (ms) }\nSTATE { cai (mM) }\nBREAKPOINT {\n    SOLVE scheme METHOD sparse\n}\nKINETIC scheme {\n    ~ cai << (-cai/tau) : first-order removal\n}\n";
    let (accepted, _) = modcc_accepts(source);
    assert!(!accepted, "modcc should refuse `<<` and INDEPENDENT");
    let lowered = lower_for_arbor(source);
    assert!(parse(&lowered, Dialect::Arbor).diagnostics.is_empty());
    let (accepted, messages) = modcc_accepts(&lowered);
    assert!(
        accepted,
        "modcc refuses the lowered file:\n{messages}\n{}",
        String::from_utf8_lossy(&lowered)
    );
}

#[test]
fn lowering_the_real_corpus_removes_every_flux_and_independent_error() {
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/real");
    assert!(corpus.is_dir(), "run `python3 tools/fetch-corpus.py`");
    let mut files = Vec::new();
    let mut pending = vec![corpus];
    while let Some(directory) = pending.pop() {
        for entry in std::fs::read_dir(directory).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|extension| extension == "mod") {
                files.push(path);
            }
        }
    }
    let is_lowered_problem =
        |message: &str| message.contains("`<<`") || message.contains("INDEPENDENT");
    let (mut lowered_files, mut newly_accepted) = (0, 0);
    for path in files {
        let source = std::fs::read(&path).unwrap();
        let before = parse(&source, Dialect::Arbor);
        if !before
            .diagnostics
            .iter()
            .any(|d| is_lowered_problem(&d.message))
        {
            continue;
        }
        lowered_files += 1;
        let lowered = lower_for_arbor(&source);
        let after = parse(&lowered, Dialect::Arbor);
        assert!(
            !after
                .diagnostics
                .iter()
                .any(|d| is_lowered_problem(&d.message)),
            "{} still has flux or INDEPENDENT problems after lowering",
            path.display()
        );
        if after.diagnostics.is_empty() {
            let (accepted, messages) = modcc_accepts(&lowered);
            // modcc's semantic checks (e.g. `v` declared in ASSIGNED) are not the lowering's business; its
            // syntax errors would be.
            assert!(
                accepted
                    || messages.contains("error trace")
                    || messages.contains("internal compiler error"),
                "{}: modcc refuses the lowered file as a syntax error:\n{messages}",
                path.display()
            );
            newly_accepted += usize::from(accepted);
        }
    }
    println!(
        "lowered {lowered_files} real files; modcc accepts {newly_accepted} of them after lowering"
    );
    assert!(lowered_files > 0);
}
