//! `glia compile` and `glia build` on installed packages, with the real NEURON and Arbor toolchains of `.venv`.
//!
//! The packages are copies of the installed dbbs-catalogue 6.0.1 and nrn-patch 8.0.2 (and small test packages),
//! written into a folder put first on the interpreter's path (`PYTHONPATH`), so that a test can edit and add
//! packages without touching the environment. Each test has its own cache (`GLIA_CACHE_DIR`) and configuration
//! folder.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use common::{
    glia_packages, oracle_venv, run_with, write_installed_package, SMALL_ARBOR_DENSITY_MOD,
    SMALL_DENSITY_MOD,
};
use serde_json::Value;

/// A private environment: the venv's interpreter with `site` first on its path, and its own cache.
struct Environment {
    site: tempfile::TempDir,
    cache: tempfile::TempDir,
}

impl Environment {
    fn new() -> Environment {
        Environment {
            site: tempfile::tempdir().unwrap(),
            cache: tempfile::tempdir().unwrap(),
        }
    }

    /// Runs glia; (exit status, standard output as JSON or `null`, standard output, standard error).
    fn run(&self, arguments: &[&str]) -> (i32, Value, String, String) {
        let python = oracle_venv().join("bin").join("python");
        let mut all: Vec<&OsStr> = arguments.iter().map(OsStr::new).collect();
        all.extend([OsStr::new("--python"), python.as_os_str()]);
        let output = run_with(
            Path::new(env!("CARGO_BIN_EXE_glia")),
            &all,
            self.cache.path(),
            &[
                ("PYTHONPATH", self.site.path().as_os_str()),
                ("GLIA_CACHE_DIR", self.cache.path().as_os_str()),
                (
                    "GLIA_CONFIG_DIR",
                    self.cache.path().join("config").as_os_str(),
                ),
                ("HOME", self.cache.path().as_os_str()),
            ],
        );
        let json = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
        (
            output.status.code().unwrap_or(-1),
            json,
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    }

    fn glia(&self, arguments: &[&str]) -> (i32, Value, String) {
        let (status, json, _, errors) = self.run(arguments);
        (status, json, errors)
    }

    fn compile(&self, extra: &[&str]) -> (i32, Value, String) {
        let mut arguments = vec!["compile", "--format", "json"];
        arguments.extend(extra);
        self.glia(&arguments)
    }
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

/// Copies a distribution of `.glia-packages` (its metadata folder and top-level package folder) into `site`.
fn copy_installed(site: &Path, metadata: &str, package: &str) {
    let installed = glia_packages();
    copy_folder(&installed.join(metadata), &site.join(metadata));
    copy_folder(&installed.join(package), &site.join(package));
}

/// Every process the compile started: (translations, compiles, links, queries, load tests).
fn processes(report: &Value) -> (u64, u64, u64, u64, u64) {
    let counts = &report["processes"];
    let count = |kind: &str| counts[kind].as_u64().unwrap();
    (
        count("translate"),
        count("compile"),
        count("link"),
        count("query"),
        count("test"),
    )
}

#[test]
fn dbbs_catalogue_compiles_tests_and_then_rebuilds_only_what_changed() {
    let environment = Environment::new();
    let site = environment.site.path();
    copy_installed(site, "dbbs_catalogue-6.0.1.dist-info", "dbbs_catalogue");
    copy_installed(site, "nrn_patch-8.0.2.dist-info", "patch");

    // Cold: every NEURON asset of both packages, renamed, built, then inserted in NEURON.
    let (status, report, errors) = environment.compile(&[]);
    assert_eq!(status, 0, "{errors}\n{report:#}");
    let assets = report["assets"].as_array().unwrap();
    assert_eq!(
        assets.len(),
        48,
        "47 NEURON assets of dbbs-catalogue and VecStim"
    );
    assert!(assets.iter().all(|asset| asset["outcome"] == "built"));
    let names: Vec<&str> = assets
        .iter()
        .map(|asset| asset["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"glia__dbbs__Kv1_1__0")
            && names.contains(&"glia__patch_extensions__VecStim__0")
    );
    let load_test = &report["load_test"]["mechanisms"];
    assert_eq!(load_test.as_object().unwrap().len(), 48);
    assert!(
        load_test.as_object().unwrap().values().all(Value::is_null),
        "{load_test:#}"
    );
    let (translations, compiles, links, _, tests) = processes(&report);
    assert_eq!((translations, links, tests), (48, 1, 1));
    assert!(compiles >= 49, "48 mechanisms and mod_func.cpp");
    let library = PathBuf::from(report["build"]["library"].as_str().unwrap());
    assert!(library.starts_with(environment.cache.path().join("environments")));
    let (_, _, printed, _) = environment.run(&["cache"]);
    assert_eq!(
        Path::new(printed.trim()),
        library
            .parent()
            .unwrap()
            .parent()
            .unwrap()
            .parent()
            .unwrap()
    );

    // Up to date: no process at all, not even the interpreter or the load test (its result is remembered).
    let (status, report, errors) = environment.compile(&[]);
    assert_eq!(status, 0, "{errors}");
    assert_eq!(processes(&report), (0, 0, 0, 0, 0));
    assert!(report["build"]["up_to_date"].as_bool().unwrap());

    // A comment edit in an installed mod: nothing to compile.
    let edited = site.join("dbbs_catalogue/mods/neuron/Kv1_1__0.mod");
    let mut text = std::fs::read(&edited).unwrap();
    text.extend_from_slice(b"\n: a comment added after installation\n");
    std::fs::write(&edited, text).unwrap();
    let (status, report, errors) = environment.compile(&[]);
    assert_eq!(status, 0, "{errors}");
    assert_eq!(processes(&report).0 + processes(&report).1, 0);

    // One more package installed: only its mechanism is translated and compiled (with the registration source).
    write_installed_package(
        site,
        "more_channels",
        "more_channels",
        "from pathlib import Path\nfrom glia import Package, Mod\npackage = Package('more', Path(__file__).parent, mods=[Mod('mods/Leak.mod', 'Leak')])\n",
        &[("mods/Leak.mod", SMALL_DENSITY_MOD)],
    );
    let (status, report, errors) = environment.compile(&[]);
    assert_eq!(status, 0, "{errors}");
    let (translations, compiles, links, _, tests) = processes(&report);
    assert_eq!((translations, compiles, links, tests), (1, 2, 1, 1));
    assert_eq!(report["assets"].as_array().unwrap().len(), 49);
    assert!(report["load_test"]["mechanisms"]["glia__more__Leak__0"].is_null());
}

#[test]
fn broken_packages_and_assets_are_named_and_the_library_is_kept() {
    let environment = Environment::new();
    let site = environment.site.path();
    let package = |distribution: &str, name: &str, mods: &[(&str, &str)]| {
        let declarations: Vec<String> = mods
            .iter()
            .map(|(file, _)| {
                let asset = file.trim_end_matches(".mod");
                format!("Mod('mods/{file}', '{asset}')")
            })
            .collect();
        let files: Vec<(String, &str)> = mods
            .iter()
            .map(|(file, text)| (format!("mods/{file}"), *text))
            .collect();
        let files: Vec<(&str, &str)> = files
            .iter()
            .map(|(path, text)| (path.as_str(), *text))
            .collect();
        write_installed_package(
            site,
            distribution,
            distribution,
            &format!(
                "from pathlib import Path\nfrom glia import Package, Mod\npackage = Package('{name}', Path(__file__).parent, mods=[{}])\n",
                declarations.join(", ")
            ),
            &files,
        );
    };
    package("good_one", "good", &[("Leak.mod", SMALL_DENSITY_MOD)]);
    let (status, report, errors) = environment.compile(&[]);
    assert_eq!(status, 0, "{errors}");
    let library = PathBuf::from(report["build"]["library"].as_str().unwrap());
    let built = std::fs::read(&library).unwrap();

    // A mod with a syntax error, and one nocmodl refuses.
    package(
        "bad_one",
        "bad",
        &[
            ("Broken.mod", "NEURON { SUFFIX broken }\nBREAKPOINT { x = }\n"),
            ("Refused.mod", "NEURON { SUFFIX refused USEION ca READ cai }\nCONSTANT { cai = 1 (mM) }\nBREAKPOINT { }\n"),
        ],
    );
    let (status, report, errors) = environment.compile(&[]);
    assert_eq!(status, 1, "{errors}");
    let findings = report["asset_diagnostics"].as_array().unwrap();
    assert!(
        findings.iter().any(|finding| finding["file"]
            .as_str()
            .unwrap()
            .ends_with("bad_one/mods/Broken.mod")
            && finding["code"] == "E001"
            && finding["line"] == 2),
        "{findings:#?}"
    );
    let refused = report["build"]["mechanisms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|mechanism| mechanism["file"].as_str().unwrap().ends_with("Refused.mod"))
        .expect("the nocmodl refusal is reported");
    assert_eq!(refused["outcome"], "failed");
    assert!(!refused["diagnostics"].as_array().unwrap().is_empty());
    assert_eq!(
        std::fs::read(&library).unwrap(),
        built,
        "the library is left as it was"
    );
    assert!(!report["build"]["linked"].as_bool().unwrap());

    // With --keep-going what built is linked and tested.
    let (status, report, errors) = environment.compile(&["--keep-going"]);
    assert_eq!(status, 1, "{errors}");
    assert!(report["build"]["linked"].as_bool().unwrap());
    assert!(report["load_test"]["mechanisms"]["glia__good__Leak__0"].is_null());

    // Two distributions declaring one package: an error naming both files.
    package("good_two", "good", &[("Other.mod", SMALL_DENSITY_MOD)]);
    let (status, report, errors) = environment.compile(&[]);
    assert_eq!(status, 1, "{errors}");
    let problems = report["problems"].as_array().unwrap();
    let twice = problems
        .iter()
        .find(|problem| {
            problem["message"]
                .as_str()
                .unwrap()
                .contains("two installed distributions declare the package `good`")
        })
        .expect("the collision is reported");
    assert!(twice["file"]
        .as_str()
        .unwrap()
        .ends_with("good_two/__init__.py"));
    assert!(twice["message"].as_str().unwrap().contains("good_one"));

    // No NEURON: a clear message and status 2.
    let (status, _, errors) =
        environment.glia(&["compile", "--neuron-home", "/nonexistent/neuron"]);
    assert_eq!(status, 2);
    assert!(errors.contains("/nonexistent/neuron"), "{errors}");
}

#[test]
fn a_package_catalogue_is_built_loaded_and_named_by_asset_and_variant() {
    let environment = Environment::new();
    let site = environment.site.path();
    write_installed_package(
        site,
        "arbor_assets",
        "arbor_assets",
        "from pathlib import Path\nfrom glia import Package, Mod\npackage = Package('arb', Path(__file__).parent, mods=[\n    Mod('mods/Leak.mod', 'Leak'),\n    Mod('mods/Leak_fast.mod', 'Leak', variant='fast', dialect='arbor'),\n    Mod('mods/Only_neuron.mod', 'Nrn', dialect='neuron'),\n])\n",
        &[
            ("mods/Leak.mod", SMALL_ARBOR_DENSITY_MOD),
            ("mods/Leak_fast.mod", SMALL_ARBOR_DENSITY_MOD),
            ("mods/Only_neuron.mod", SMALL_DENSITY_MOD),
        ],
    );
    let (status, report, errors) = environment.glia(&["build", "arb", "--format", "json"]);
    assert_eq!(status, 0, "{errors}\n{report:#}");
    let catalogue = &report["catalogues"][0];
    let names: Vec<&str> = catalogue["assets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|asset| asset["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Leak", "Leak_fast"]);
    let library = catalogue["build"]["library"].as_str().unwrap();
    assert!(library.ends_with("arb-catalogue.so"));
    let python = oracle_venv().join("bin").join("python");
    let loaded = run_with(
        &python,
        &[
            OsStr::new("-c"),
            OsStr::new("import arbor, sys; print(sorted(arbor.load_catalogue(sys.argv[1])))"),
            OsStr::new(library),
        ],
        environment.cache.path(),
        &[],
    );
    assert_eq!(
        String::from_utf8_lossy(&loaded.stdout).trim(),
        "['Leak', 'Leak_fast']"
    );

    // Unknown packages and a missing Arbor are usage errors.
    let (status, _, errors) = environment.glia(&["build", "nope"]);
    assert_eq!(status, 2);
    assert!(
        errors.contains("no installed package `nope`; installed: arb"),
        "{errors}"
    );
    let (status, _, errors) =
        environment.glia(&["build", "--all", "--arbor-prefix", "/nonexistent/arbor"]);
    assert_eq!(status, 2);
    assert!(errors.contains("/nonexistent/arbor"), "{errors}");
}

/// An import storm on `glia compile`: 32 processes start it at once on packages nothing was built for. One builds
/// (each mechanism translated once over all of them, one link, one load test), every process ends with the same
/// complete library and succeeds, and none ends more than 1 s after the builder.
#[test]
fn thirty_two_compiles_at_once_build_once() {
    let environment = Environment::new();
    let site = environment.site.path();
    for (distribution, name, asset) in [("storm_a", "a", "Leak"), ("storm_b", "b", "Drain")] {
        write_installed_package(
            site,
            distribution,
            distribution,
            &format!("from pathlib import Path\nfrom glia import Package, Mod\npackage = Package('{name}', Path(__file__).parent, mods=[Mod('mods/{asset}.mod', '{asset}')])\n"),
            &[(&format!("mods/{asset}.mod"), SMALL_DENSITY_MOD)],
        );
    }
    // The environment as every rank sees it (its sys.path asked once, as after any earlier glia command).
    let (status, listing, errors) = environment.glia(&["list", "--format", "json"]);
    assert_eq!(status, 0, "{errors}");
    let library = PathBuf::from(listing["environment"]["folder"].as_str().unwrap())
        .join("neuron/x86_64/libnrnmech.so");
    assert!(!library.exists());

    let python = oracle_venv().join("bin").join("python");
    let command = |_: usize| {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_glia"));
        command
            .args(["compile", "--format", "json", "--python"])
            .arg(&python)
            .current_dir(environment.cache.path())
            .env("PYTHONPATH", site)
            .env("GLIA_CACHE_DIR", environment.cache.path())
            .env("GLIA_CONFIG_DIR", environment.cache.path().join("config"))
            .env("HOME", environment.cache.path());
        command
    };
    let storm = common::storm::start_together(32, command, &library);
    let summary = storm.assert_one_build_by(std::time::Duration::from_secs(1), |report| {
        report["build"]["linked"] == true
    });
    let total = |kind: &str| -> u64 {
        storm
            .runs
            .iter()
            .map(|run| run.report["processes"][kind].as_u64().unwrap_or(0))
            .sum()
    };
    assert_eq!(total("translate"), 2, "each mechanism translated once");
    assert_eq!(total("link"), 1);
    assert_eq!(total("test"), 1, "one load test over all 32 processes");
    for run in &storm.runs {
        assert!(
            run.report["load_test"]["mechanisms"]
                .as_object()
                .is_some_and(|tested| tested.len() == 2 && tested.values().all(Value::is_null)),
            "process {}: {:#}",
            run.index,
            run.report["load_test"]
        );
    }
    eprintln!(
        "32 glia compiles: one built in {:.1} s, the longest process took {:.1} s",
        summary.build.as_secs_f64(),
        summary.longest.as_secs_f64()
    );
}

/// `glia compile` takes a team's read-only store (`GLIA_SHARED_STORE`) as `glia nrnivmodl` does: a second user
/// with an empty cache compiles nothing that the first user's store holds.
#[test]
fn a_shared_store_serves_a_second_users_compile() {
    let first = Environment::new();
    write_installed_package(
        first.site.path(),
        "shared_channels",
        "shared_channels",
        "from pathlib import Path\nfrom glia import Package, Mod\npackage = Package('shared', Path(__file__).parent, mods=[Mod('mods/Leak.mod', 'Leak')])\n",
        &[("mods/Leak.mod", SMALL_DENSITY_MOD)],
    );
    let (status, report, errors) = first.compile(&[]);
    assert_eq!(status, 0, "{errors}");
    assert_eq!(processes(&report).1, 2, "{report:#}");

    let second_cache = tempfile::tempdir().unwrap();
    let python = oracle_venv().join("bin").join("python");
    let output = run_with(
        Path::new(env!("CARGO_BIN_EXE_glia")),
        &[
            OsStr::new("compile"),
            OsStr::new("--format"),
            OsStr::new("json"),
            OsStr::new("--python"),
            python.as_os_str(),
        ],
        second_cache.path(),
        &[
            ("PYTHONPATH", first.site.path().as_os_str()),
            ("GLIA_CACHE_DIR", second_cache.path().as_os_str()),
            ("GLIA_SHARED_STORE", first.cache.path().as_os_str()),
            (
                "GLIA_CONFIG_DIR",
                second_cache.path().join("config").as_os_str(),
            ),
            ("HOME", second_cache.path().as_os_str()),
        ],
    );
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or(Value::Null);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let (translations, compiles, links, _, _) = processes(&report);
    assert_eq!(
        (translations, compiles, links),
        (0, 0, 1),
        "the shared store serves every object: {report:#}"
    );
}
