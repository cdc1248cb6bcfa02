//! The resolver, case by case against nmodl-glia 8.0.2's: the cases of `tests/packages/resolution_cases.json` are
//! resolved by the original's own `Resolver` (in `.venv-original`, `tests/packages/original_resolution.py`) and by
//! this project's, on the same installed packages (three test packages written into a folder put first on the
//! path). Each case gives the expected answer; where the original has a bug, the case also gives the original's
//! answer and the bug, and the test checks that the original still answers that way (documenting the bug) and that
//! this resolver does not.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::{original_venv, run_with, write_installed_package, SMALL_DENSITY_MOD};
use glia::build::exec::Executor;
use glia::build::store::Store;
use glia::packages::discovery::discover_packages;
use glia::packages::environment::PythonEnvironment;
use glia::packages::index::PackageIndex;
use glia::packages::resolver::{
    resolve, ContextPreferences, Preference, Preferences, ResolveError,
};
use serde_json::{json, Value};

fn write_test_packages(site: &Path) {
    let package = |name: &str, mods: &[(&str, &str, &str)]| {
        let declarations: Vec<String> = mods
            .iter()
            .map(|(asset, variant, dialect)| {
                let dialect = if dialect.is_empty() {
                    String::new()
                } else {
                    format!(", dialect=\"{dialect}\"")
                };
                format!(
                    "    Mod(\"mods/{asset}.mod\", \"{asset}\", variant=\"{variant}\"{dialect}),"
                )
            })
            .collect();
        let source = format!(
            "from pathlib import Path\nfrom glia import Mod, Package\n\npackage = Package(\"{name}\", Path(__file__).resolve().parent, mods=[\n{}\n])\n",
            declarations.join("\n")
        );
        let files: Vec<(String, &str)> = mods
            .iter()
            .map(|(asset, _, _)| (format!("mods/{asset}.mod"), SMALL_DENSITY_MOD))
            .collect();
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(path, text)| (path.as_str(), *text))
            .collect();
        write_installed_package(
            site,
            &format!("{name}_assets"),
            &format!("{name}_assets"),
            &source,
            &files,
        );
    };
    package(
        "alpha",
        &[
            ("Kf", "0", ""),
            ("Kf", "high", ""),
            ("Nf", "0", ""),
            ("Nf", "fast", ""),
            ("Hf", "golgi", ""),
            ("Hf", "golgi", "neuron"),
            ("Lf", "0", ""),
        ],
    );
    package(
        "beta",
        &[("Kf", "0", ""), ("Cf", "x", ""), ("Lf", "GABA", "")],
    );
    package("gamma", &[("Kf", "high", ""), ("Lf", "GABA", "")]);
}

fn preferences_of(value: &Value) -> BTreeMap<String, Preference> {
    value
        .as_object()
        .map(|assets| {
            assets
                .iter()
                .map(|(asset, preference)| (asset.clone(), preference_of(preference)))
                .collect()
        })
        .unwrap_or_default()
}

fn preference_of(value: &Value) -> Preference {
    Preference {
        package: value["package"].as_str().map(str::to_string),
        variant: value["variant"].as_str().map(str::to_string),
    }
}

fn answer(result: Result<String, ResolveError>) -> Value {
    match result {
        Ok(name) => json!({ "name": name }),
        Err(ResolveError::TooManyMatches { mut candidates, .. }) => {
            candidates.sort();
            json!({ "error": "TooManyMatches", "candidates": candidates })
        }
        Err(ResolveError::NoMatches { .. }) => json!({ "error": "NoMatches" }),
        Err(ResolveError::UnknownAsset { .. }) => json!({ "error": "UnknownAsset" }),
    }
}

#[test]
fn resolution_agrees_with_nmodl_glia_except_where_its_bugs_are() {
    let site = tempfile::tempdir().unwrap();
    write_test_packages(site.path());
    let cases_path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packages/resolution_cases.json");
    let cases: Vec<Value> = serde_json::from_slice(&std::fs::read(&cases_path).unwrap()).unwrap();

    let home = tempfile::tempdir().unwrap();
    let python = original_venv().join("bin").join("python");
    let script =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/packages/original_resolution.py");
    let output = run_with(
        &python,
        &[script.as_os_str(), cases_path.as_os_str()],
        home.path(),
        &[
            ("HOME", home.path().as_os_str()),
            ("PYTHONPATH", site.path().as_os_str()),
        ],
    );
    assert!(
        output.status.success(),
        "the original's resolver failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let original: BTreeMap<String, Value> = serde_json::from_slice(&output.stdout).unwrap();

    let store_folder = tempfile::tempdir().unwrap();
    let store = Store::open(store_folder.path()).unwrap();
    let executor = Executor::new(1, None, false).unwrap();
    let mut environment = PythonEnvironment::of_interpreter(&python, &store, &executor).unwrap();
    environment.search_path.insert(0, site.path().to_path_buf());
    let index = PackageIndex::new(discover_packages(&environment, &store, &executor));
    assert!(index.problems.is_empty(), "{:#?}", index.problems);
    let candidates = index.neuron_candidates();

    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let contexts: Vec<ContextPreferences> = case["contexts"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|context| ContextPreferences {
                assets: preferences_of(&context["assets"]),
                general: preference_of(
                    &json!({"package": context["pkg"], "variant": context["variant"]}),
                ),
            })
            .collect();
        let global = preferences_of(&case["global"]);
        let script = preferences_of(&case["script"]);
        let preferences = Preferences {
            global: &global,
            script: &script,
            contexts: &contexts,
        };
        let ours = answer(
            resolve(
                &candidates,
                case["asset"].as_str().unwrap(),
                case["pkg"].as_str(),
                case["variant"].as_str(),
                preferences,
            )
            .map(|candidate| candidate.name.clone()),
        );
        let expected = &case["expected"];
        let original_expected = case.get("original").unwrap_or(expected);
        if &ours != expected {
            failures.push(format!(
                "{name}: this resolver gave {ours}, expected {expected}"
            ));
        }
        if original.get(name) != Some(original_expected) {
            failures.push(format!(
                "{name}: nmodl-glia gave {}, the case says {original_expected}",
                original
                    .get(name)
                    .map_or("nothing".to_string(), Value::to_string)
            ));
        }
        if case.get("original").is_some() && case.get("bug").is_none() {
            failures.push(format!(
                "{name}: a different answer of the original needs a `bug`"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let bugs = cases
        .iter()
        .filter(|case| case.get("bug").is_some())
        .count();
    eprintln!(
        "{} cases: {} agree with nmodl-glia 8.0.2, {bugs} are its documented bugs",
        cases.len(),
        cases.len() - bugs
    );
}
