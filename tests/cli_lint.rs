//! `glia lint` and `glia rule` as a user runs them: rule findings, suppression comments, `--fix` and `--diff`,
//! `--fail-on`, `--statistics`, the CI formats; and a fixed file checked with the real modcc.

mod common;

use common::glia;

use std::path::Path;
use std::process::Command;

/// A NEURON leak channel as commonly written: fine for nocmodl, three modcc problems with safe fixes.
const LEAK: &[u8] = b"NEURON {\r\n    SUFFIX leak\r\n    NONSPECIFIC_CURRENT il\r\n    RANGE g\r\n}\r\nPARAMETER { g = 0.001 (S/cm2) }\r\nASSIGNED {\r\n    v (mV) : membrane voltage\r\n    il (mA/cm2)\r\n}\r\nBREAKPOINT { il = g*(v - -70) }\r\n";

#[test]
fn rules_find_what_modcc_refuses_and_the_fix_is_accepted_by_modcc() {
    let directory = tempfile::tempdir().unwrap();
    let file = directory.path().join("leak.mod");
    std::fs::write(&file, LEAK).unwrap();
    let neuron = glia(&["lint", "leak.mod"], directory.path());
    assert_eq!(neuron.status.code(), Some(0), "nocmodl accepts this file");
    let arbor = glia(
        &["lint", "--dialect", "arbor", "--format", "json", "leak.mod"],
        directory.path(),
    );
    assert_eq!(arbor.status.code(), Some(1));
    let findings: serde_json::Value = serde_json::from_slice(&arbor.stdout).unwrap();
    let rules: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, vec!["A101", "A103"]);
    assert!(findings[0]["fix"]["edits"].is_array());

    let diff = glia(
        &["lint", "--dialect", "arbor", "--diff", "leak.mod"],
        directory.path(),
    );
    let diff_text = String::from_utf8_lossy(&diff.stdout);
    assert!(diff_text.contains("-    il (mA/cm2)"), "{diff_text}");
    assert_eq!(
        std::fs::read(&file).unwrap(),
        LEAK,
        "--diff changes nothing"
    );
    // With a machine-readable format the report keeps standard output to itself; the diff goes to standard error.
    for format in ["json", "sarif"] {
        let both = glia(
            &[
                "lint",
                "--dialect",
                "arbor",
                "--diff",
                "--format",
                format,
                "leak.mod",
            ],
            directory.path(),
        );
        assert!(
            serde_json::from_slice::<serde_json::Value>(&both.stdout).is_ok(),
            "--diff --format {format}: standard output is not JSON"
        );
        assert!(String::from_utf8_lossy(&both.stderr).contains("-    il (mA/cm2)"));
    }

    let fixed = glia(
        &["lint", "--dialect", "arbor", "--fix", "leak.mod"],
        directory.path(),
    );
    assert_eq!(
        fixed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fixed.stderr)
    );
    let after = std::fs::read(&file).unwrap();
    assert_eq!(
        after,
        b"NEURON {\r\n    SUFFIX leak\r\n    NONSPECIFIC_CURRENT il\r\n    RANGE g\r\n}\r\nPARAMETER { g = 0.001 (S/cm2) }\r\nASSIGNED {\r\n    : membrane voltage\r\n}\r\nBREAKPOINT { il = g*(v - -70) }\r\n",
        "only the two declarations go; the comment and the CRLF line endings stay"
    );
    let modcc = common::oracle_site_packages().join("arbor/bin/modcc");
    let output_folder = directory.path().join("modcc-output");
    std::fs::create_dir(&output_folder).unwrap();
    let compiled = Command::new(modcc)
        .args(["-t", "cpu", "-N", "arb", "-o"])
        .arg(&output_folder)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        compiled.status.success(),
        "modcc refuses the fixed file: {compiled:?}"
    );
}

#[test]
fn suppression_comments_and_statistics() {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(
        directory.path().join("quiet.mod"),
        "NEURON { SUFFIX q NONSPECIFIC_CURRENT i }\nASSIGNED {\n    v (mV) : glia: ignore[A101]\n    i : glia: ignore[A103]\n}\nBREAKPOINT { }\n",
    )
    .unwrap();
    let quiet = glia(
        &["lint", "--dialect", "arbor", "quiet.mod"],
        directory.path(),
    );
    assert_eq!(
        quiet.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&quiet.stdout)
    );

    std::fs::write(
        directory.path().join("loud.mod"),
        "NEURON { SUFFIX l NONSPECIFIC_CURRENT i }\nASSIGNED { v (mV) : glia: ignore[X999]\n}\n",
    )
    .unwrap();
    let loud = glia(
        &[
            "lint",
            "--dialect",
            "arbor",
            "--statistics",
            "--format",
            "concise",
            "loud.mod",
        ],
        directory.path(),
    );
    assert_eq!(loud.status.code(), Some(1));
    let lines = String::from_utf8_lossy(&loud.stdout);
    assert!(lines.contains("loud.mod:2:12: error[A101]"), "{lines}");
    assert!(
        lines.contains("error[E007] `X999` is not a rule code"),
        "{lines}"
    );
    let statistics = String::from_utf8_lossy(&loud.stderr);
    assert!(
        statistics.contains("A101  error   builtin-declared-in-assigned"),
        "{statistics}"
    );
}

#[test]
fn github_annotations_and_both_dialects() {
    let directory = tempfile::tempdir().unwrap();
    std::fs::write(
        directory.path().join("both.mod"),
        "NEURON { SUFFIX b RANGE r }\nASSIGNED { v (mV) }\nFUNCTION r(x) { r = x }\n",
    )
    .unwrap();
    let output = glia(
        &[
            "lint",
            "--dialect",
            "both",
            "--format",
            "github",
            "both.mod",
        ],
        directory.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains(
            "::error file=both.mod,line=2,col=12,endLine=2,endColumn=13,title=A101::[Arbor]"
        ),
        "{text}"
    );
    assert!(
        text.contains("title=N102::[NEURON] `r` is used both as a variable and as a function"),
        "{text}"
    );
}

#[test]
fn rule_documentation() {
    let directory = tempfile::tempdir().unwrap();
    let all = glia(&["rule", "--all"], directory.path());
    assert_eq!(all.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&all.stdout).contains("A102  ion-variable-declared-in-assigned")
    );
    let one = glia(&["rule", "n101"], directory.path());
    let text = String::from_utf8_lossy(&one.stdout);
    assert!(
        text.starts_with("# N101 ion-variable-declared-constant"),
        "{text}"
    );
    assert!(text.contains("## Fix"));
    assert_eq!(
        glia(&["rule", "Z000"], directory.path()).status.code(),
        Some(2)
    );
}

#[test]
fn configuration_in_pyproject_and_glia_toml() {
    let directory = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = directory.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    let mechanism =
        "NEURON { SUFFIX x NONSPECIFIC_CURRENT i }\nASSIGNED {\n    v (mV)\n    i\n}\nBREAKPOINT { }\n";
    write("mods/arbor/a.mod", mechanism);
    write("mods/legacy/b.mod", mechanism);
    write("mods/neuron/c.mod", mechanism);
    write(
        "pyproject.toml",
        "[project]\nname = \"demo\"\n\n[tool.glia.lint]\nignore = [\"A103\"]\n\
         [tool.glia.lint.per-path-dialect]\n\"mods/arbor/**\" = \"arbor\"\n\"mods/legacy/**\" = \"arbor\"\n\
         [tool.glia.lint.per-file-ignores]\n\"mods/legacy/*.mod\" = [\"A1\"]\n",
    );
    let output = glia(&["lint", "--format", "concise", "mods"], directory.path());
    let text = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        vec!["mods/arbor/a.mod:3:5: error[A101] `v` is an Arbor builtin and cannot be declared in ASSIGNED"],
        "arbor/ is linted for Arbor without A103; legacy/ ignores A1xx; neuron/ is linted for NEURON"
    );
    // The command line's dialect wins over the configuration's.
    let both = glia(
        &["lint", "--dialect", "neuron", "--format", "concise", "mods"],
        directory.path(),
    );
    assert_eq!(both.status.code(), Some(0));

    write("glia.toml", "[lint]\nselect = [\"A999\"]\n");
    let typo = glia(&["lint", "mods"], directory.path());
    assert_eq!(
        typo.status.code(),
        Some(2),
        "an unknown code is an error, not silence"
    );
    assert!(String::from_utf8_lossy(&typo.stderr).contains("`A999` names no rule"));
}

#[test]
fn a_flux_reaction_is_fixed_for_arbor() {
    let directory = tempfile::tempdir().unwrap();
    let file = directory.path().join("decay.mod");
    std::fs::write(
        &file,
        "NEURON {\n    SUFFIX decay\n    USEION ca READ ica WRITE cai\n    RANGE tau\n}\nPARAMETER { tau = 5 (ms) }\nSTATE { cai (mM) }\nBREAKPOINT {\n    SOLVE scheme METHOD sparse\n}\nKINETIC scheme {\n    ~ cai << (-cai/tau) : removal\n}\n",
    )
    .unwrap();
    let fixed = glia(
        &["lint", "--dialect", "arbor", "--fix", "decay.mod"],
        directory.path(),
    );
    assert_eq!(
        fixed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fixed.stdout)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("    ~ cai <-> (0, -cai/tau) : removal\n"),
        "{text}"
    );
}

/// The `valid/` fixtures are accepted by the real compilers (`tests/oracle_fixtures.rs` proves each folder's
/// promise), so lint must find no error in them in the dialects they are valid for.
#[test]
fn lint_finds_no_error_in_fixtures_the_compilers_accept() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/fixtures/valid");
    for (folder, dialects) in [
        ("both", &["neuron", "arbor"][..]),
        ("neuron", &["neuron"][..]),
        ("arbor", &["arbor"][..]),
    ] {
        for dialect in dialects {
            let output = glia(
                &["lint", "--dialect", dialect, "--format", "json", folder],
                &fixtures,
            );
            let findings: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            let errors: Vec<String> = findings
                .as_array()
                .unwrap()
                .iter()
                .filter(|finding| finding["severity"] == "error")
                .map(|finding| {
                    format!(
                        "{}: {} {}",
                        finding["file"], finding["code"], finding["message"]
                    )
                })
                .collect();
            assert!(
                errors.is_empty(),
                "valid/{folder} in {dialect}: {errors:#?}"
            );
        }
    }
}
