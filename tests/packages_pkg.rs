//! `glia pkg new`, `add` and `check` on a real project: the template, filled by `glia pkg add`, installs with pip
//! (flit's backend, from `.venv`), is found by nmodl-glia 8.0.2 and by this glia on the same environment, and builds
//! with `glia compile`; `glia pkg check` finds what is wrong before publishing.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

use common::{oracle_venv, original_venv, run_with, SMALL_DENSITY_MOD};

fn glia(arguments: &[&OsStr], directory: &Path, cache: &Path) -> (i32, String, String) {
    let output = run_with(
        Path::new(env!("CARGO_BIN_EXE_glia")),
        arguments,
        directory,
        &[
            ("GLIA_CACHE_DIR", cache.as_os_str()),
            ("GLIA_CONFIG_DIR", cache.join("config").as_os_str()),
        ],
    );
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn os(text: &str) -> &OsStr {
    OsStr::new(text)
}

const POINT_PROCESS_MOD: &str = "COMMENT\nA synapse.\nENDCOMMENT\nNEURON {\n    POINT_PROCESS Syn : the name glia replaces\n    RANGE tau, i\n    NONSPECIFIC_CURRENT i\n}\nPARAMETER { tau = 2 (ms) }\nASSIGNED {\n    v (mV)\n    i (nA)\n}\nSTATE { g (uS) }\nINITIAL { g = 0 }\nBREAKPOINT {\n    SOLVE state METHOD cnexp\n    i = g*v\n}\nDERIVATIVE state { g' = -g/tau }\nNET_RECEIVE(weight (uS)) { g = g + weight }\n";

#[test]
fn a_new_package_is_filled_installed_found_by_both_glias_and_built() {
    let work = tempfile::tempdir().unwrap();
    let cache = work.path().join("cache");
    let (status, _, errors) = glia(
        &[
            os("pkg"),
            os("new"),
            os("--name"),
            os("My channels"),
            os("--no-input"),
        ],
        work.path(),
        &cache,
    );
    assert_eq!(status, 0, "{errors}");
    let project = work.path().join("my_channels");
    assert!(project.join("pyproject.toml").is_file());
    let (status, _, errors) = glia(
        &[
            os("pkg"),
            os("new"),
            os("--name"),
            os("My channels"),
            os("--no-input"),
        ],
        work.path(),
        &cache,
    );
    assert_eq!(status, 2, "an existing folder is refused");
    assert!(errors.contains("already exists"), "{errors}");

    let sources = work.path().join("sources");
    std::fs::create_dir_all(&sources).unwrap();
    std::fs::write(sources.join("Leak.mod"), SMALL_DENSITY_MOD).unwrap();
    std::fs::write(sources.join("Syn__fast.mod"), POINT_PROCESS_MOD).unwrap();
    std::fs::write(
        sources.join("Broken.mod"),
        "NEURON { SUFFIX b }\nBREAKPOINT { x = }\n",
    )
    .unwrap();
    let leak = sources.join("Leak.mod");
    let syn = sources.join("Syn__fast.mod");
    let broken = sources.join("Broken.mod");
    for arguments in [
        vec![os("pkg"), os("add"), leak.as_os_str()],
        vec![os("pkg"), os("add"), syn.as_os_str()],
    ] {
        let (status, _, errors) = glia(&arguments, &project, &cache);
        assert_eq!(status, 0, "{errors}");
    }
    let (status, _, errors) = glia(
        &[os("pkg"), os("add"), broken.as_os_str()],
        &project,
        &cache,
    );
    assert_eq!(status, 1, "a file with syntax errors is not added");
    assert!(errors.contains("Broken.mod:2"), "{errors}");
    let (status, _, errors) = glia(&[os("pkg"), os("add"), leak.as_os_str()], &project, &cache);
    assert_eq!(status, 2);
    assert!(
        errors.contains("already declares asset `Leak` variant `0`"),
        "{errors}"
    );

    let module = std::fs::read_to_string(project.join("my_channels/__init__.py")).unwrap();
    assert!(module.contains("        Mod(\"mods/Leak__0.mod\", \"Leak\"),\n        Mod(\"mods/Syn__fast.mod\", \"Syn\", variant=\"fast\", is_point_process=True),\n    ],"), "{module}");
    let added = std::fs::read_to_string(project.join("my_channels/mods/Syn__fast.mod")).unwrap();
    // Renamed, every other byte kept (the comment after the name too).
    assert_eq!(
        added,
        POINT_PROCESS_MOD.replace(
            "POINT_PROCESS Syn :",
            "POINT_PROCESS glia__my_channels__Syn__fast :"
        )
    );

    // pkg check: both dialects for a mod without one; this Leak declares `v` and the current for NEURON, which
    // modcc refuses, so check says to restrict it.
    let (status, report, _) = glia(
        &[
            os("pkg"),
            os("check"),
            os("--no-import"),
            os("--format"),
            os("json"),
        ],
        &project,
        &cache,
    );
    assert_eq!(status, 1);
    let findings: serde_json::Value = serde_json::from_str(&report).unwrap();
    let messages: Vec<&str> = findings
        .as_array()
        .unwrap()
        .iter()
        .map(|finding| finding["message"].as_str().unwrap())
        .collect();
    assert!(
        messages.iter().any(|message| message.contains("asset `Leak` variant `0` has no dialect, so it is built for Arbor too, but modcc would refuse mods/Leak__0.mod")),
        "{messages:#?}"
    );

    // Installed with pip (flit's backend from .venv, no network), then found by both implementations.
    let site = work.path().join("site");
    let pip = run_with(
        &oracle_venv().join("bin/python"),
        &[
            os("-m"),
            os("pip"),
            os("install"),
            os("--quiet"),
            os("--no-build-isolation"),
            os("--no-deps"),
            os("--no-index"),
            os("--target"),
            site.as_os_str(),
            project.as_os_str(),
        ],
        work.path(),
        &[],
    );
    assert!(
        pip.status.success(),
        "{}",
        String::from_utf8_lossy(&pip.stderr)
    );
    let original = run_with(
        &original_venv().join("bin/python"),
        &[os("-c"), os("import glia; print(sorted((m.mod_name, m.is_point_process) for p in glia.get_packages() if p.name == 'my_channels' for m in p.mods))")],
        work.path(),
        &[("HOME", work.path().as_os_str()), ("PYTHONPATH", site.as_os_str())],
    );
    assert_eq!(
        String::from_utf8_lossy(&original.stdout).trim(),
        "[('glia__my_channels__Leak__0', False), ('glia__my_channels__Syn__fast', True)]",
        "{}",
        String::from_utf8_lossy(&original.stderr)
    );
    let python: PathBuf = oracle_venv().join("bin/python");
    let compiled = run_with(
        Path::new(env!("CARGO_BIN_EXE_glia")),
        &[
            os("compile"),
            os("--format"),
            os("json"),
            os("--python"),
            python.as_os_str(),
        ],
        work.path(),
        &[
            ("PYTHONPATH", site.as_os_str()),
            ("GLIA_CACHE_DIR", cache.as_os_str()),
        ],
    );
    assert!(
        compiled.status.success(),
        "{}",
        String::from_utf8_lossy(&compiled.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&compiled.stdout).unwrap();
    let tested = &report["load_test"]["mechanisms"];
    assert!(
        tested["glia__my_channels__Leak__0"].is_null()
            && tested["glia__my_channels__Syn__fast"].is_null(),
        "{tested}"
    );
}
