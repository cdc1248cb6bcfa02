//! `--launcher ccache` and `--launcher sccache` with the real tools (Debian packages, installed by
//! `tools/setup-system.sh`) in front of every compile of a real `glia nrnivmodl` build: a second cold build — a
//! fresh glia store, so glia compiles everything again — gets every compile from the launcher's cache, and the two
//! libraries are byte for byte the same (glia compiles each file by name in its own folder, so neither the
//! objects nor the launchers' keys depend on where the work folder is). How much faster that is: `cargo bench
//! --bench build_launchers`.

mod common;

use std::path::Path;
use std::process::Command;

use common::builds::{leak_channel, Workspace};
use common::library::mechanisms_neuron_loads;

const NAMES: [&str; 2] = ["launched_a", "launched_b"];

/// The launcher on PATH, or a panic saying how to install it.
fn require(program: &str) {
    let found = Command::new(program).arg("--version").output().is_ok();
    assert!(
        found,
        "`{program}` is not installed: run `bash tools/setup-system.sh` (or `bash tools/test.sh`)"
    );
}

/// Builds the workspace's mods twice with `--launcher launcher`, each time with an empty glia store; returns the
/// two reports. `environment` configures the launcher (its cache folder).
fn two_cold_builds(
    workspace: &Workspace,
    launcher: &str,
    environment: &[(&str, &Path)],
) -> [serde_json::Value; 2] {
    ["first", "second"].map(|build| {
        let folder = workspace.root.path().join(build);
        let mut command =
            workspace.glia(&["nrnivmodl", "--format", "json", "--launcher", launcher]);
        command
            .arg("--cache-dir")
            .arg(folder.join("store"))
            .arg("-o")
            .arg(folder.join("out"))
            .arg(&workspace.mods);
        for (name, value) in environment {
            command.env(name, value);
        }
        let (status, report) = common::builds::json_run(&mut command);
        assert_eq!(status, 0, "{build} build behind {launcher}: {report:#}");
        report
    })
}

/// What both launchers must give: the same compiles twice, the same library twice, loadable.
fn check_the_two_builds(workspace: &Workspace, reports: &[serde_json::Value; 2]) -> u64 {
    let compiles = reports[0]["processes"]["compile"].as_u64().unwrap();
    assert_eq!(
        compiles,
        NAMES.len() as u64 + 1,
        "each mechanism and mod_func.cpp"
    );
    assert_eq!(reports[1]["processes"]["compile"].as_u64(), Some(compiles));
    let libraries = ["first", "second"].map(|build| {
        std::fs::read(
            workspace
                .root
                .path()
                .join(build)
                .join("out/x86_64/libnrnmech.so"),
        )
        .unwrap()
    });
    assert_eq!(
        libraries[0], libraries[1],
        "the cached objects make the same library"
    );
    let library = workspace
        .root
        .path()
        .join("second/out/x86_64/libnrnmech.so");
    assert_eq!(mechanisms_neuron_loads(&library), NAMES);
    compiles
}

fn workspace() -> Workspace {
    let workspace = Workspace::new();
    for name in NAMES {
        workspace.write(&format!("{name}.mod"), &leak_channel(name, "0.001"));
    }
    workspace
}

#[test]
fn ccache_serves_every_compile_of_a_second_cold_build() {
    require("ccache");
    let workspace = workspace();
    let cache = workspace.root.path().join("ccache");
    let reports = two_cold_builds(&workspace, "ccache", &[("CCACHE_DIR", &cache)]);
    let compiles = check_the_two_builds(&workspace, &reports);
    let statistics = Command::new("ccache")
        .arg("--print-stats")
        .env("CCACHE_DIR", &cache)
        .output()
        .unwrap();
    let statistics = String::from_utf8_lossy(&statistics.stdout);
    let count = |name: &str| -> u64 {
        statistics
            .lines()
            .find_map(|line| line.strip_prefix(name)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {name} in ccache's statistics:\n{statistics}"))
    };
    assert_eq!(
        (
            count("cache_miss\t"),
            count("direct_cache_hit\t") + count("preprocessed_cache_hit\t")
        ),
        (compiles, compiles),
        "the first build fills ccache, the second is served by it:\n{statistics}"
    );
}

/// Stops the sccache server this test started (on its own port) however the test ends.
struct SccacheServer<'a> {
    environment: [(&'a str, &'a Path); 2],
}

impl Drop for SccacheServer<'_> {
    fn drop(&mut self) {
        let mut command = Command::new("sccache");
        command.arg("--stop-server");
        for (name, value) in self.environment {
            command.env(name, value);
        }
        let _ = command.output();
    }
}

#[test]
fn sccache_serves_every_compile_of_a_second_cold_build() {
    require("sccache");
    let workspace = workspace();
    let cache = workspace.root.path().join("sccache");
    // A port of its own: other sccache users on this machine keep theirs.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let port_path = Path::new(&port);
    let server = SccacheServer {
        environment: [("SCCACHE_DIR", &cache), ("SCCACHE_SERVER_PORT", port_path)],
    };
    let reports = two_cold_builds(&workspace, "sccache", &server.environment);
    let compiles = check_the_two_builds(&workspace, &reports);
    let mut command = Command::new("sccache");
    command.arg("--show-stats");
    for (name, value) in server.environment {
        command.env(name, value);
    }
    let statistics = String::from_utf8_lossy(&command.output().unwrap().stdout).into_owned();
    let count = |name: &str| -> u64 {
        statistics
            .lines()
            .find_map(|line| {
                let rest = line.strip_prefix(name)?;
                rest.starts_with("  ").then(|| rest.trim().parse().ok())?
            })
            .unwrap_or_else(|| panic!("no {name} in sccache's statistics:\n{statistics}"))
    };
    assert_eq!(
        (count("Cache misses"), count("Cache hits")),
        (compiles, compiles),
        "the first build fills sccache, the second is served by it:\n{statistics}"
    );
}
