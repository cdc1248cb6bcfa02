//! `glia lint --format sarif` (and `glia check --format sarif`): every log is validated against the official OASIS
//! SARIF 2.1.0 JSON schema with Python's `jsonschema` (Draft 7, format checking on: `uri` and `uri-reference` are
//! checked through `rfc3986-validator`), and its content is checked by value: rule ids and indices against the rules
//! array, regions against `--format json`, fixes against what `--fix` does, the missing file, the exit statuses.
//!
//! The schema comes from `python3 tools/fetch-sarif-schema.py` (pinned, hash-checked, not committed) and the
//! validator from the oracle venv (`bash tools/setup-oracles.sh`); `bash tools/test.sh` does both. Without them the
//! test fails and says so.

mod common;

use common::glia;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

const SETUP: &str = "run `bash tools/setup-oracles.sh && python3 tools/fetch-sarif-schema.py` (or `bash tools/test.sh`)";

/// Checks the schema, then validates each log file against it; prints one line per error and exits 1 on any.
const VALIDATOR: &str = r#"
import json, sys
try:
    from jsonschema import Draft7Validator, FormatChecker
except ImportError as error:
    print(f"the venv's python has no jsonschema ({error})")
    sys.exit(4)
with open(sys.argv[1], encoding="utf-8") as schema_file:
    schema = json.load(schema_file)
Draft7Validator.check_schema(schema)
checker = FormatChecker()
unchecked = {"uri", "uri-reference"} - set(checker.checkers)
if unchecked:
    print(f"jsonschema cannot check the formats {sorted(unchecked)}: rfc3986-validator is missing")
    sys.exit(4)
validator = Draft7Validator(schema, format_checker=checker)
failed = False
for path in sys.argv[2:]:
    with open(path, encoding="utf-8") as log_file:
        log = json.load(log_file)
    for error in sorted(validator.iter_errors(log), key=lambda error: list(map(str, error.absolute_path))):
        failed = True
        where = "/".join(map(str, error.absolute_path)) or "(root)"
        print(f"{path}: {where}: {error.message}")
sys.exit(1 if failed else 0)
"#;

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The NEURON leak channel with CRLF line endings and a comment holding `µ` (two bytes, one character) before a
/// declaration on the same line, so that the column of `v` differs in bytes and characters.
const LEAK: &[u8] = "NEURON {\r\n    SUFFIX leak\r\n    NONSPECIFIC_CURRENT il\r\n    RANGE g\r\n}\r\nPARAMETER { g = 0.001 (S/cm2) }\r\nASSIGNED {\r\n    COMMENT µ ENDCOMMENT v (mV)\r\n    il (mA/cm2)\r\n}\r\nBREAKPOINT { il = g*(v - -70) }\r\n".as_bytes();
/// `celcius` (a warning with a fix), unused (a warning), and no BREAKPOINT (an Arbor error whose fix inserts).
const WARM: &[u8] = b"NEURON { SUFFIX t }\nPARAMETER { celcius = 37 (degC) }\n";
const SYNTAX: &[u8] = b"NEURON { SUFFIX s }\nPARAMETER { g = 1 (S) }\nBREAKPOINT { g = = 1 }\n";
/// A shadowed name (a secondary label) and a suppression comment naming no rule (an error with help).
const SHADOW: &[u8] = b"NEURON { SUFFIX s NONSPECIFIC_CURRENT i RANGE g }\nPARAMETER { g = 1 (S/cm2) }\nASSIGNED { } : glia: ignore[Z999]\nBREAKPOINT { i = f(g) }\nFUNCTION f(g) { f = 2 * g }\n";
/// Only a warning (a PARAMETER without a unit); given by its absolute path.
const UNITLESS: &[u8] = b"NEURON { SUFFIX a NONSPECIFIC_CURRENT i RANGE g }\nPARAMETER { g = 1 }\nBREAKPOINT { i = g }\n";

const LEAK_PATH: &str = "dir with space/leak µ.mod";
const ABSOLUTE_NAME: &str = "abs#1.mod";

/// Writes the inputs into `directory`.
fn write_inputs(directory: &Path) {
    std::fs::create_dir_all(directory.join("dir with space")).unwrap();
    for (name, text) in [
        (LEAK_PATH, LEAK),
        ("warm.mod", WARM),
        ("syntax.mod", SYNTAX),
        ("shadow.mod", SHADOW),
        (ABSOLUTE_NAME, UNITLESS),
    ] {
        std::fs::write(directory.join(name), text).unwrap();
    }
}

/// The command-line paths: a folder with a space, three relative files, one absolute file and a missing one.
fn input_arguments(directory: &Path, with_missing_file: bool) -> Vec<String> {
    let mut paths = vec![
        "dir with space".to_string(),
        "warm.mod".to_string(),
        "./syntax.mod".to_string(),
        "shadow.mod".to_string(),
        directory.join(ABSOLUTE_NAME).display().to_string(),
    ];
    if with_missing_file {
        paths.push("missing.mod".to_string());
    }
    paths
}

fn run_with(leading: &[&str], paths: &[String], directory: &Path) -> (Output, Option<Value>) {
    let mut arguments: Vec<&str> = leading.to_vec();
    arguments.extend(paths.iter().map(String::as_str));
    let output = glia(&arguments, directory);
    let parsed = serde_json::from_slice(&output.stdout).ok();
    (output, parsed)
}

/// Saves `log` for the validator and returns its path.
fn save_log(folder: &Path, name: &str, output: &Output) -> PathBuf {
    let path = folder.join(name);
    std::fs::write(&path, &output.stdout).unwrap();
    path
}

fn validate_against_the_official_schema(logs: &[PathBuf]) {
    let schema = repository().join("corpus/real/sarif/sarif-schema-2.1.0.json");
    assert!(
        schema.is_file(),
        "no SARIF schema at {}: {SETUP}",
        schema.display()
    );
    let venv = std::env::var_os("GLIA_ORACLE_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| repository().join(".venv"));
    let python = venv.join("bin/python");
    assert!(
        python.is_file(),
        "no Python in the oracle venv {}: {SETUP}",
        venv.display()
    );
    let validated = Command::new(&python)
        .arg("-c")
        .arg(VALIDATOR)
        .arg(&schema)
        .args(logs)
        .output()
        .expect("the venv's python runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&validated.stdout),
        String::from_utf8_lossy(&validated.stderr)
    );
    match validated.status.code() {
        Some(0) => {}
        Some(4) => panic!("{report}: {SETUP}"),
        _ => panic!("the SARIF logs do not validate against the SARIF 2.1.0 schema:\n{report}"),
    }
}

/// `log.runs[0]`, after the checks every log must pass: the version, one run, the driver, and every result's
/// `ruleId` resolving through its `ruleIndex`.
fn checked_run(log: &Value) -> &Value {
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(
        log["$schema"],
        "https://json.schemastore.org/sarif-2.1.0.json"
    );
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "glia");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let rules = driver["rules"].as_array().unwrap();
    let mut ids: Vec<&str> = rules
        .iter()
        .map(|rule| rule["id"].as_str().unwrap())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), rules.len(), "a rule id appears twice");
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"], "{result:#}");
    }
    run
}

fn rule_of<'a>(run: &'a Value, id: &str) -> &'a Value {
    run["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|rule| rule["id"] == id)
        .unwrap_or_else(|| panic!("no rule {id}"))
}

fn results_of<'a>(run: &'a Value, id: &str) -> Vec<&'a Value> {
    run["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|result| result["ruleId"] == id)
        .collect()
}

/// Applies every replacement of every fix for `uri` to `source`, as `--fix` does: in order of position, skipping
/// one that overlaps a replacement already applied.
fn apply_sarif_fixes(run: &Value, uri: &str, source: &[u8]) -> Vec<u8> {
    let mut replacements: Vec<(usize, usize, String)> = Vec::new();
    for result in run["results"].as_array().unwrap() {
        for fix in result["fixes"].as_array().into_iter().flatten() {
            for change in fix["artifactChanges"].as_array().unwrap() {
                assert_eq!(
                    change["artifactLocation"],
                    result["locations"][0]["physicalLocation"]["artifactLocation"]
                );
                if change["artifactLocation"]["uri"] != uri {
                    continue;
                }
                for replacement in change["replacements"].as_array().unwrap() {
                    let region = &replacement["deletedRegion"];
                    let offset = region["byteOffset"].as_u64().unwrap() as usize;
                    let length = region["byteLength"].as_u64().unwrap() as usize;
                    let text = replacement["insertedContent"]["text"]
                        .as_str()
                        .unwrap_or_default();
                    replacements.push((offset, offset + length, text.to_string()));
                }
            }
        }
    }
    replacements.sort_by_key(|(start, end, _)| (*start, *end));
    let mut fixed = Vec::new();
    let mut copied_up_to = 0;
    for (start, end, text) in replacements {
        if start < copied_up_to {
            continue;
        }
        fixed.extend_from_slice(&source[copied_up_to..start]);
        fixed.extend_from_slice(text.as_bytes());
        copied_up_to = end;
    }
    fixed.extend_from_slice(&source[copied_up_to..]);
    fixed
}

#[test]
fn sarif_logs_validate_against_the_official_schema_and_hold_what_json_reports() {
    let directory = tempfile::tempdir().unwrap();
    let directory = directory.path().canonicalize().unwrap();
    let inputs = directory.join("inputs");
    write_inputs(&inputs);
    let logs_folder = directory.join("logs");
    std::fs::create_dir(&logs_folder).unwrap();
    let mut logs = Vec::new();

    // The main run: every kind of finding, and a missing file.
    let all_paths = input_arguments(&inputs, true);
    let (output, log) = run_with(
        &["lint", "--dialect", "arbor", "--format", "sarif"],
        &all_paths,
        &inputs,
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "a missing file: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let log = log.expect("stdout is one JSON document");
    logs.push(save_log(&logs_folder, "lint-arbor.sarif", &output));
    let run = checked_run(&log);

    // The same files in JSON: the same findings in the same order, at the same places.
    let (json_output, json) = run_with(
        &["lint", "--dialect", "arbor", "--format", "json"],
        &all_paths,
        &inputs,
    );
    assert_eq!(json_output.status.code(), Some(2));
    let json = json.unwrap();
    let json = json.as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), json.len(), "{results:#?}");
    for (result, finding) in results.iter().zip(json) {
        assert_eq!(result["ruleId"], finding["code"]);
        assert_eq!(result["level"], finding["severity"]);
        let message = result["message"]["text"].as_str().unwrap();
        assert!(
            message.starts_with(finding["message"].as_str().unwrap()),
            "{message}"
        );
        let location = &result["locations"][0];
        assert_eq!(location["message"]["text"], finding["label"]);
        let region = &location["physicalLocation"]["region"];
        for (sarif_name, json_name) in [
            ("startLine", "line"),
            ("startColumn", "column"),
            ("endLine", "end_line"),
            ("endColumn", "end_column"),
        ] {
            assert_eq!(region[sarif_name], finding[json_name], "{result:#}");
        }
        assert_eq!(result["fixes"].is_array(), !finding["fix"].is_null());
        if let Some(fix) = finding["fix"].as_object() {
            assert_eq!(
                result["fixes"][0]["description"]["text"],
                fix["description"]
            );
            assert_eq!(
                result["fixes"][0]["artifactChanges"][0]["replacements"]
                    .as_array()
                    .unwrap()
                    .len(),
                fix["edits"].as_array().unwrap().len()
            );
        }
    }
    let codes: Vec<&str> = results
        .iter()
        .map(|result| result["ruleId"].as_str().unwrap())
        .collect();
    for code in [
        "A101", "A103", "A104", "W001", "W005", "W006", "W002", "E001", "E007",
    ] {
        assert!(codes.contains(&code), "no {code} in {codes:?}");
    }

    // URIs: relative paths against %SRCROOT% (the working folder), percent-encoded; absolute ones as file URIs.
    let leak_uri = "dir%20with%20space/leak%20%C2%B5.mod";
    let absolute_uri = format!("file://{}/abs%231.mod", inputs.display());
    assert!(
        inputs
            .to_str()
            .unwrap()
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"/._-".contains(&byte)),
        "the test expects a temporary folder that needs no percent-encoding: {}",
        inputs.display()
    );
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", inputs.display())
    );
    let artifact_uris: Vec<&str> = run["artifacts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|artifact| artifact["location"]["uri"].as_str().unwrap())
        .collect();
    assert_eq!(
        artifact_uris,
        vec![
            leak_uri,
            "warm.mod",
            "syntax.mod",
            "shadow.mod",
            absolute_uri.as_str()
        ]
    );
    for result in results {
        let location = &result["locations"][0]["physicalLocation"]["artifactLocation"];
        if location["uri"] == absolute_uri.as_str() {
            assert!(location.get("uriBaseId").is_none());
        } else {
            assert_eq!(location["uriBaseId"], "%SRCROOT%", "{result:#}");
        }
    }
    assert_eq!(
        results_of(run, "W002")[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        absolute_uri.as_str()
    );

    // Columns count characters: `v` follows `    COMMENT µ ENDCOMMENT ` (25 characters, 26 bytes) on line 8 of a
    // CRLF file. Its fix deletes `v (mV)`, given as bytes of the original file.
    let builtin = results_of(run, "A101");
    assert_eq!(builtin.len(), 1);
    let builtin = builtin[0];
    assert_eq!(builtin["level"], "error");
    let location = &builtin["locations"][0]["physicalLocation"];
    assert_eq!(location["artifactLocation"]["uri"], leak_uri);
    assert_eq!(
        location["region"],
        serde_json::json!({ "startLine": 8, "startColumn": 26, "endLine": 8, "endColumn": 27 })
    );
    let replacement = &builtin["fixes"][0]["artifactChanges"][0]["replacements"][0];
    let v_offset = LEAK
        .windows(6)
        .position(|window| window == b"v (mV)")
        .unwrap();
    assert_eq!(
        replacement["deletedRegion"],
        serde_json::json!({ "byteOffset": v_offset, "byteLength": 6 })
    );
    assert!(replacement.get("insertedContent").is_none(), "a deletion");

    // `celcius` is replaced by `celsius`; the missing BREAKPOINT is inserted at the end.
    let celsius = results_of(run, "W001")[0];
    assert_eq!(celsius["level"], "warning");
    let replacement = &celsius["fixes"][0]["artifactChanges"][0]["replacements"][0];
    let offset = replacement["deletedRegion"]["byteOffset"].as_u64().unwrap() as usize;
    let length = replacement["deletedRegion"]["byteLength"].as_u64().unwrap() as usize;
    assert_eq!(&WARM[offset..offset + length], b"celcius");
    assert_eq!(replacement["insertedContent"]["text"], "celsius");
    let breakpoint = results_of(run, "A104")[0];
    assert_eq!(
        breakpoint["fixes"][0]["artifactChanges"][0]["replacements"][0],
        serde_json::json!({
            "deletedRegion": { "byteOffset": WARM.len(), "byteLength": 0 },
            "insertedContent": { "text": "BREAKPOINT { }\n" },
        })
    );

    // Secondary labels are related locations; help is appended to the message.
    let shadowed = results_of(run, "W006")[0];
    let related = shadowed["relatedLocations"].as_array().unwrap();
    assert_eq!(related.len(), 1);
    assert_eq!(related[0]["message"]["text"], "the PARAMETER variable");
    assert_eq!(
        related[0]["physicalLocation"]["region"],
        serde_json::json!({ "startLine": 2, "startColumn": 13, "endLine": 2, "endColumn": 14 })
    );
    let unknown_code = results_of(run, "E007")[0];
    assert!(
        unknown_code["message"]["text"]
            .as_str()
            .unwrap()
            .ends_with("\nhelp: `glia rule --all` lists the codes"),
        "{unknown_code:#}"
    );

    // Rule descriptors: the name, the level, and the documentation `glia rule` prints.
    let a101 = rule_of(run, "A101");
    assert_eq!(a101["name"], "builtin-declared-in-assigned");
    assert_eq!(a101["defaultConfiguration"]["level"], "error");
    let documentation = glia(&["rule", "A101"], &inputs);
    let documentation = String::from_utf8(documentation.stdout).unwrap();
    let documentation = documentation
        .strip_prefix("# A101 builtin-declared-in-assigned\n\n")
        .unwrap();
    assert_eq!(a101["help"]["markdown"], documentation);
    assert!(a101["help"]["text"]
        .as_str()
        .unwrap()
        .contains("Why it matters"));
    assert!(!a101["shortDescription"]["text"]
        .as_str()
        .unwrap()
        .is_empty());
    assert_eq!(
        rule_of(run, "W001")["defaultConfiguration"]["level"],
        "warning"
    );
    assert_eq!(rule_of(run, "E001")["name"], "syntax-error");

    // The missing file is a notification of the invocation, which did not succeed.
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notifications = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notifications.len(), 1);
    let notification = &notifications[0];
    assert_eq!(notification["level"], "error");
    assert_eq!(
        notification["locations"][0]["physicalLocation"]["artifactLocation"],
        serde_json::json!({ "uri": "missing.mod", "uriBaseId": "%SRCROOT%" })
    );
    assert!(notification["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("cannot read missing.mod: "));
    let descriptor_index = notification["descriptor"]["index"].as_u64().unwrap() as usize;
    assert_eq!(
        run["tool"]["driver"]["notifications"][descriptor_index]["id"],
        notification["descriptor"]["id"]
    );

    // The fixes, applied as SARIF describes them, give what `glia lint --fix` writes.
    let fixed_copy = directory.join("fixed");
    write_inputs(&fixed_copy);
    let fixed = run_with(
        &["lint", "--dialect", "arbor", "--fix"],
        &input_arguments(&fixed_copy, false),
        &fixed_copy,
    )
    .0;
    assert!(
        fixed.status.code() == Some(1),
        "errors are left: {}",
        String::from_utf8_lossy(&fixed.stderr)
    );
    for (uri, name, source) in [
        (leak_uri, LEAK_PATH, LEAK),
        ("warm.mod", "warm.mod", WARM),
        ("shadow.mod", "shadow.mod", SHADOW),
    ] {
        assert_eq!(
            String::from_utf8(apply_sarif_fixes(run, uri, source)).unwrap(),
            String::from_utf8(std::fs::read(fixed_copy.join(name)).unwrap()).unwrap(),
            "{name}"
        );
    }
    assert_ne!(std::fs::read(fixed_copy.join("warm.mod")).unwrap(), WARM);

    // Without the missing file: exit 1 for the errors, and a successful invocation without notifications.
    let (output, log) = run_with(
        &["lint", "--dialect", "arbor", "--format", "sarif"],
        &input_arguments(&inputs, false),
        &inputs,
    );
    assert_eq!(output.status.code(), Some(1));
    let log = log.unwrap();
    logs.push(save_log(&logs_folder, "lint-no-missing.sarif", &output));
    let invocation = &checked_run(&log)["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    assert!(invocation.get("toolExecutionNotifications").is_none());

    // Only warnings: exit 0, unless --fail-on warning.
    let absolute = inputs.join(ABSOLUTE_NAME).display().to_string();
    for (fail_on, status) in [("error", 0), ("warning", 1)] {
        let (output, log) = run_with(
            &[
                "lint",
                "--dialect",
                "arbor",
                "--format",
                "sarif",
                "--fail-on",
                fail_on,
            ],
            std::slice::from_ref(&absolute),
            &inputs,
        );
        assert_eq!(output.status.code(), Some(status), "--fail-on {fail_on}");
        let run = checked_run(log.as_ref().unwrap()).clone();
        assert_eq!(results_of(&run, "W002").len(), 1);
        logs.push(save_log(
            &logs_folder,
            &format!("lint-fail-on-{fail_on}.sarif"),
            &output,
        ));
    }

    // Both dialects: NEURON's errors on the same files (E002, E006 …), prefixed with the dialect.
    let (output, log) = run_with(
        &["lint", "--dialect", "both", "--format", "sarif"],
        &input_arguments(&inputs, false),
        &inputs,
    );
    assert_eq!(output.status.code(), Some(1));
    let log = log.unwrap();
    let run = checked_run(&log);
    assert!(results_of(run, "E006")[0]["message"]["text"]
        .as_str()
        .unwrap()
        .starts_with("[NEURON] "));
    logs.push(save_log(&logs_folder, "lint-both.sarif", &output));

    // `glia check` shares the format.
    let (output, log) = run_with(
        &["check", "--format", "sarif"],
        &input_arguments(&inputs, true),
        &inputs,
    );
    assert_eq!(output.status.code(), Some(2));
    let run = checked_run(log.as_ref().unwrap()).clone();
    assert!(!results_of(&run, "E001").is_empty());
    assert!(
        results_of(&run, "W001").is_empty(),
        "check runs no lint rule"
    );
    logs.push(save_log(&logs_folder, "check.sarif", &output));

    // A configuration that cannot be read: exit 2, a log with the reason and no result.
    let (output, log) = run_with(
        &["lint", "--format", "sarif", "--config", "absent.toml"],
        &["warm.mod".to_string()],
        &inputs,
    );
    assert_eq!(output.status.code(), Some(2));
    let log = log.expect("a SARIF log even when the configuration is wrong");
    let run = checked_run(&log);
    assert_eq!(run["results"], serde_json::json!([]));
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
    assert!(
        run["invocations"][0]["toolConfigurationNotifications"][0]["message"]["text"]
            .as_str()
            .unwrap()
            .contains("absent.toml")
    );
    logs.push(save_log(&logs_folder, "configuration.sarif", &output));

    validate_against_the_official_schema(&logs);
}

#[test]
fn an_invalid_log_is_refused_by_the_validator() {
    // The validation is not vacuous: a result without its required message, and a relative URI with a space, fail.
    let folder = tempfile::tempdir().unwrap();
    let bad = folder.path().join("bad.sarif");
    std::fs::write(
        &bad,
        r#"{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "glia"}}, "results": [{"ruleId": "E001"}],
            "artifacts": [{"location": {"uri": "a b.mod"}}]}]}"#,
    )
    .unwrap();
    let outcome = std::panic::catch_unwind(|| {
        validate_against_the_official_schema(std::slice::from_ref(&bad))
    });
    let message = *outcome
        .expect_err("an invalid log must not validate")
        .downcast::<String>()
        .unwrap();
    assert!(
        message.contains("'message' is a required property"),
        "{message}"
    );
    assert!(message.contains("is not a 'uri-reference'"), "{message}");
}
