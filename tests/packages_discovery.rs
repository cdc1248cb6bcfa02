//! Discovery of installed Glia packages, against the original: nmodl-glia 8.0.2's own `glia.get_packages()`, run in
//! `.venv-original`, and `glia list --format json` run on that same environment must give the same packages, asset
//! by asset: dbbs-catalogue 6.0.1 and nrn-patch 8.0.2 from PyPI, unchanged (in `.glia-packages`, on `PYTHONPATH`).
//!
//! Also: a package whose declaration the static reader refuses is read by the interpreter, once (the answer is
//! remembered), with the same result; and packages that cannot be read are reported with their package and file.

mod common;

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use common::{glia_packages, original_venv, run_with, write_installed_package, SMALL_DENSITY_MOD};
use glia::build::exec::Executor;
use glia::build::store::Store;
use glia::packages::discovery::discover_packages;
use glia::packages::environment::PythonEnvironment;
use glia::packages::index::PackageIndex;
use serde_json::Value;

/// (package name, asset, variant, dialect) → (mod file, point process, artificial cell).
type Assets = BTreeMap<(String, String, String, Option<String>), (PathBuf, bool, bool)>;

const ORIGINAL_PACKAGES: &str = r#"
import json, glia
packages = []
for package in glia.get_packages():
    packages.append({
        "name": package.name,
        "root": str(package.root),
        "mods": [{
            "file": str(package.root / mod.relpath),
            "asset": mod.asset_name,
            "variant": str(mod.variant),
            "is_point_process": bool(mod.is_point_process),
            "is_artificial_cell": bool(mod.is_artificial_cell),
            "dialect": mod.dialect,
        } for mod in package.mods],
    })
print(json.dumps(packages))
"#;

/// A home folder for a run of nmodl-glia: its caches and data go there, never to the user's.
fn isolated_home() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn original_assets(venv: &Path, home: &Path) -> Assets {
    let python = venv.join("bin").join("python");
    let output = run_with(
        &python,
        &[OsStr::new("-c"), OsStr::new(ORIGINAL_PACKAGES)],
        home,
        &[
            ("HOME", home.as_os_str()),
            ("PYTHONPATH", glia_packages().as_os_str()),
        ],
    );
    assert!(
        output.status.success(),
        "nmodl-glia's get_packages failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let packages: Vec<Value> = serde_json::from_slice(&output.stdout).expect("JSON");
    let mut assets = Assets::new();
    for package in packages {
        for module in package["mods"].as_array().unwrap() {
            assets.insert(
                (
                    package["name"].as_str().unwrap().to_string(),
                    module["asset"].as_str().unwrap().to_string(),
                    module["variant"].as_str().unwrap().to_string(),
                    module["dialect"].as_str().map(str::to_string),
                ),
                (
                    PathBuf::from(module["file"].as_str().unwrap()),
                    module["is_point_process"].as_bool().unwrap(),
                    module["is_artificial_cell"].as_bool().unwrap(),
                ),
            );
        }
    }
    assets
}

fn glia_list(python: &Path, cache: &Path) -> Value {
    let output = run_with(
        Path::new(env!("CARGO_BIN_EXE_glia")),
        &[
            OsStr::new("list"),
            OsStr::new("--format"),
            OsStr::new("json"),
            OsStr::new("--python"),
            python.as_os_str(),
            OsStr::new("--cache-dir"),
            cache.as_os_str(),
        ],
        cache,
        &[("PYTHONPATH", glia_packages().as_os_str())],
    );
    assert!(
        output.status.success(),
        "glia list failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("JSON")
}

fn listed_assets(listing: &Value) -> Assets {
    let mut assets = Assets::new();
    for package in listing["packages"].as_array().unwrap() {
        assert_eq!(
            package["read_by_interpreter"],
            Value::Null,
            "{} was not read statically",
            package["name"]
        );
        for module in package["mods"].as_array().unwrap() {
            let kind = module["kind"].as_str().unwrap();
            assets.insert(
                (
                    package["name"].as_str().unwrap().to_string(),
                    module["asset"].as_str().unwrap().to_string(),
                    module["variant"].as_str().unwrap().to_string(),
                    module["dialect"].as_str().map(str::to_string),
                ),
                (
                    PathBuf::from(module["file"].as_str().unwrap()),
                    kind == "point_process",
                    kind == "artificial_cell",
                ),
            );
        }
    }
    assets
}

#[test]
fn installed_packages_are_read_as_nmodl_glia_reads_them() {
    let original_environment = original_venv();
    let home = isolated_home();
    let original = original_assets(&original_environment, home.path());
    assert_eq!(
        original.len(),
        81,
        "dbbs-catalogue's 80 mods and nrn-patch's VecStim"
    );

    let cache = tempfile::tempdir().unwrap();
    let same_environment = glia_list(
        &original_environment.join("bin").join("python"),
        cache.path(),
    );
    assert_eq!(listed_assets(&same_environment), original);
    assert!(same_environment["problems"].as_array().unwrap().is_empty());
}

/// The original's interpreter with its standard library and `site` as its only packages folder.
fn environment_with(site: &Path, store: &Store, executor: &Executor) -> PythonEnvironment {
    let mut environment = PythonEnvironment::of_interpreter(
        &original_venv().join("bin").join("python"),
        store,
        executor,
    )
    .unwrap();
    environment
        .search_path
        .retain(|folder| !folder.ends_with("site-packages"));
    environment.search_path.insert(0, site.to_path_buf());
    environment
}

#[test]
fn a_declaration_python_must_compute_is_read_by_the_interpreter_once() {
    let site = tempfile::tempdir().unwrap();
    let computed = "from pathlib import Path\nfrom glia import Package, Mod\n\nNAMES = ['A', 'B']\npackage = Package(\n    'computed',\n    Path(__file__).resolve().parent,\n    mods=[Mod(f'mods/{name}.mod', name) for name in NAMES],\n)\n";
    write_installed_package(
        site.path(),
        "computed_pkg",
        "computed_pkg",
        computed,
        &[
            ("mods/A.mod", SMALL_DENSITY_MOD),
            ("mods/B.mod", SMALL_DENSITY_MOD),
        ],
    );
    let plain = "from pathlib import Path\nfrom glia import Package, Mod\n\npackage = Package('plain', Path(__file__).resolve().parent, mods=[Mod('mods/A.mod', 'A', variant='x')])\n";
    write_installed_package(
        site.path(),
        "plain_pkg",
        "plain_pkg",
        plain,
        &[("mods/A.mod", SMALL_DENSITY_MOD)],
    );
    // A package written for Glia before 4.0 (an entry point to a module), and one whose module fails.
    write_installed_package(site.path(), "old_pkg", "old_pkg", "x = 1\n", &[]);
    std::fs::write(
        site.path()
            .join("old_pkg-1.0.dist-info")
            .join("entry_points.txt"),
        "[glia.package]\nold_pkg = old_pkg\n",
    )
    .unwrap();
    write_installed_package(
        site.path(),
        "broken_pkg",
        "broken_pkg",
        "from glia import Package\nimport not_installed_anywhere\npackage = Package('broken', '/nowhere')\n",
        &[],
    );

    let store_folder = tempfile::tempdir().unwrap();
    let store = Store::open(store_folder.path()).unwrap();
    let executor = Executor::new(1, None, false).unwrap();
    let environment = environment_with(site.path(), &store, &executor);
    let asked = executor.counts().query;
    let index = PackageIndex::new(discover_packages(&environment, &store, &executor));
    let names: Vec<&str> = index
        .packages
        .iter()
        .map(|package| package.name())
        .collect();
    assert_eq!(names, ["plain", "computed"]);
    let computed = index.package("computed").unwrap();
    assert!(computed
        .installed
        .read_by_interpreter
        .as_deref()
        .is_some_and(|reason| reason.contains("uses Python this reader does not evaluate")));
    let assets: Vec<(&str, &str)> = computed
        .mods
        .iter()
        .map(|indexed| {
            (
                indexed.declaration.asset.as_str(),
                indexed.declaration.variant.as_str(),
            )
        })
        .collect();
    assert_eq!(assets, [("A", "0"), ("B", "0")]);
    assert_eq!(
        computed.mods[1].file.as_deref(),
        Some(
            site.path()
                .join("computed_pkg/mods/B.mod")
                .canonicalize()
                .unwrap()
                .as_path()
        )
    );
    assert_eq!(
        executor.counts().query - asked,
        1,
        "one interpreter run for both unreadable packages"
    );

    let problems: Vec<String> = index
        .problems
        .iter()
        .map(|problem| format!("{}: {}", problem.package, problem.message))
        .collect();
    assert_eq!(problems.len(), 2, "{problems:#?}");
    assert!(problems
        .iter()
        .any(|problem| problem.starts_with("old_pkg (old_pkg = old_pkg)")
            && problem.contains("names a module, not a `Package` object")));
    assert!(problems
        .iter()
        .any(|problem| problem.starts_with("broken_pkg")
            && problem.contains("ModuleNotFoundError: No module named 'not_installed_anywhere'")));

    // The answers are remembered: a second discovery asks nothing.
    let again = Executor::new(1, None, false).unwrap();
    let index = PackageIndex::new(discover_packages(&environment, &store, &again));
    assert_eq!(index.packages.len(), 2);
    assert_eq!(again.counts().query, 0);
}

#[test]
fn invalid_names_missing_files_and_a_package_declared_twice_are_reported_with_their_files() {
    let site = tempfile::tempdir().unwrap();
    let first = "from pathlib import Path\nfrom glia import Package, Mod\npackage = Package('twice', Path(__file__).parent, mods=[\n    Mod('mods/A.mod', 'A'),\n    Mod('mods/missing.mod', 'B'),\n    Mod('mods/A.mod', 'bad__name'),\n    Mod('mods/A.mod', 'C', dialect='nest'),\n])\n";
    write_installed_package(
        site.path(),
        "first_pkg",
        "first_pkg",
        first,
        &[("mods/A.mod", SMALL_DENSITY_MOD)],
    );
    let second = "from pathlib import Path\nfrom glia import Package, Mod\npackage = Package('twice', Path(__file__).parent, mods=[Mod('mods/A.mod', 'A')])\n";
    write_installed_package(
        site.path(),
        "second_pkg",
        "second_pkg",
        second,
        &[("mods/A.mod", SMALL_DENSITY_MOD)],
    );
    let store_folder = tempfile::tempdir().unwrap();
    let store = Store::open(store_folder.path()).unwrap();
    let executor = Executor::new(1, None, false).unwrap();
    let environment = environment_with(site.path(), &store, &executor);
    let index = PackageIndex::new(discover_packages(&environment, &store, &executor));
    assert_eq!(index.packages.len(), 1);
    assert_eq!(index.packages[0].mods.len(), 1, "only `A` is usable");
    let messages: Vec<(String, Option<PathBuf>, String)> = index
        .problems
        .iter()
        .map(|problem| {
            (
                problem.package.clone(),
                problem.file.clone(),
                problem.message.clone(),
            )
        })
        .collect();
    let first_module = site.path().join("first_pkg/__init__.py");
    let expected = [
        "the mod file of asset `B` variant `0` does not exist",
        "asset `bad__name` variant `0` cannot be named: the asset name `bad__name` contains `__`",
        "asset `C` variant `0` has dialect \"nest\"",
    ];
    for (expected, (package, file, message)) in expected.iter().zip(&messages) {
        assert!(package.starts_with("first_pkg"), "{package}");
        assert_eq!(file.as_deref(), Some(first_module.as_path()));
        assert!(message.starts_with(expected), "{message}");
    }
    let (package, file, message) = &messages[3];
    assert!(package.starts_with("second_pkg"));
    assert_eq!(
        file.as_deref(),
        Some(site.path().join("second_pkg/__init__.py").as_path())
    );
    assert!(
        message.contains("two installed distributions declare the package `twice`: first_pkg")
            && message.contains("and second_pkg"),
        "{message}"
    );
    // Each problem is placed on its `Mod(...)` in the module (read statically).
    assert!(index.problems[..3]
        .iter()
        .all(|problem| problem.span.is_some()));
}
