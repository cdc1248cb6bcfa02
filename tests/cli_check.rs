//! `glia check` as a user runs it: exit statuses, JSON fields and positions, directories, missing files.

mod common;

use common::glia;

use std::path::Path;
use std::process::Output;

fn write(directory: &Path, name: &str, text: &[u8]) {
    let path = directory.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const CLEAN: &[u8] = b"NEURON { SUFFIX clean }\nPARAMETER { g = 1 (S/cm2) }\n";
const TWO_ERRORS: &[u8] = b"NEURON { SUFFIX broken }\nPARAMETER { g = }\nBREAKPOINT { x = (1 + }\n";

fn json(output: &Output) -> Vec<serde_json::Value> {
    serde_json::from_slice::<serde_json::Value>(&output.stdout)
        .expect("stdout is JSON")
        .as_array()
        .expect("a JSON array")
        .clone()
}

#[test]
fn clean_files_exit_zero_with_an_empty_json_array() {
    let directory = tempfile::tempdir().unwrap();
    write(directory.path(), "clean.mod", CLEAN);
    let output = glia(
        &["check", "--format", "json", "clean.mod"],
        directory.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(json(&output).is_empty());
    let human = glia(&["check", "clean.mod"], directory.path());
    assert_eq!(human.status.code(), Some(0));
    assert!(human.stdout.is_empty());
}

#[test]
fn every_error_is_reported_with_its_position() {
    let directory = tempfile::tempdir().unwrap();
    write(directory.path(), "broken.mod", TWO_ERRORS);
    let output = glia(
        &["check", "--format", "json", "broken.mod"],
        directory.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    let diagnostics = json(&output);
    let positions: Vec<(u64, u64)> = diagnostics
        .iter()
        .map(|d| (d["line"].as_u64().unwrap(), d["column"].as_u64().unwrap()))
        .collect();
    assert_eq!(positions, vec![(2, 17), (3, 23)], "{diagnostics:#?}");
    for diagnostic in &diagnostics {
        assert_eq!(diagnostic["file"], "broken.mod");
        assert_eq!(diagnostic["severity"], "error");
        assert_eq!(diagnostic["code"], "E001");
        assert!(diagnostic["message"]
            .as_str()
            .unwrap()
            .starts_with("expected"));
        assert!(
            diagnostic["end_line"].as_u64().is_some()
                && diagnostic["end_column"].as_u64().is_some()
        );
    }
}

#[test]
fn columns_count_characters_not_bytes() {
    let directory = tempfile::tempdir().unwrap();
    // modcc resumes reading after a mid-line ENDCOMMENT: the stray `}` is the error, after a two-byte `é`.
    write(
        directory.path(),
        "utf8.mod",
        "NEURON { SUFFIX u }\nCOMMENT é ENDCOMMENT }\n".as_bytes(),
    );
    let output = glia(
        &[
            "check",
            "--dialect",
            "arbor",
            "--format",
            "json",
            "utf8.mod",
        ],
        directory.path(),
    );
    let diagnostics = json(&output);
    assert_eq!(diagnostics[0]["line"], 2, "{diagnostics:#?}");
    assert_eq!(diagnostics[0]["column"], 22, "{diagnostics:#?}");
}

#[test]
fn human_output_names_file_line_and_column_without_colour_when_piped() {
    let directory = tempfile::tempdir().unwrap();
    write(directory.path(), "broken.mod", TWO_ERRORS);
    let output = glia(&["check", "broken.mod"], directory.path());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("broken.mod:2:17"), "{text}");
    assert!(text.contains("broken.mod:3:23"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no ANSI escapes when piped: {text}"
    );
    let summary = String::from_utf8(output.stderr).unwrap();
    assert!(
        summary.contains("checked 1 file: 2 errors in 1 file"),
        "{summary}"
    );
}

#[test]
fn a_missing_file_is_reported_and_the_others_are_still_checked() {
    let directory = tempfile::tempdir().unwrap();
    write(directory.path(), "broken.mod", TWO_ERRORS);
    let output = glia(
        &["check", "--format", "json", "missing.mod", "broken.mod"],
        directory.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(json(&output).len(), 2);
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("missing.mod"), "{stderr}");
}

#[test]
fn directories_are_searched_recursively_for_mod_files_only() {
    let directory = tempfile::tempdir().unwrap();
    write(directory.path(), "mods/a.mod", CLEAN);
    write(directory.path(), "mods/deeper/b.mod", TWO_ERRORS);
    write(directory.path(), "mods/notes.txt", b"not NMODL {");
    let output = glia(&["check", "--format", "json", "mods"], directory.path());
    assert_eq!(output.status.code(), Some(1));
    let files: Vec<String> = json(&output)
        .iter()
        .map(|d| d["file"].as_str().unwrap().replace('\\', "/"))
        .collect();
    assert_eq!(files, vec!["mods/deeper/b.mod", "mods/deeper/b.mod"]);
}

#[test]
fn version_help_and_usage_errors() {
    let directory = tempfile::tempdir().unwrap();
    let version = glia(&["--version"], directory.path());
    assert_eq!(version.status.code(), Some(0));
    assert_eq!(
        String::from_utf8(version.stdout).unwrap().trim(),
        format!("glia {}", env!("CARGO_PKG_VERSION"))
    );
    let help = glia(&["help"], directory.path());
    assert_eq!(help.status.code(), Some(0));
    assert!(String::from_utf8(help.stdout).unwrap().contains("check"));
    assert_eq!(glia(&["check"], directory.path()).status.code(), Some(2));
    assert_eq!(
        glia(
            &["check", "--dialect", "fortran", "x.mod"],
            directory.path()
        )
        .status
        .code(),
        Some(2)
    );
}
