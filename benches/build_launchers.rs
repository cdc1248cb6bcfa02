//! `glia nrnivmodl --launcher sccache` (and `ccache`) on the 47 NEURON mods of `dbbs-catalogue==6.0.1`: how much a
//! warm compiler cache saves a cold glia build — a fresh glia store, as on a new machine or a new CI runner that
//! shares the team's sccache/ccache. Run with `cargo bench --bench build_launchers` after `bash tools/test.sh`
//! (which installs the oracles, the corpus, and ccache and sccache from Debian).
//!
//! Reported (wall-clock seconds, in one run): glia cold without a launcher (with its precompiled header); per
//! launcher, glia cold with an empty launcher cache (every compile a miss), then glia cold again — a new store,
//! output folder — with the now warm launcher cache; and the ratios of that warm build to the other two.
//! sccache runs its own server on a free port with its cache in a temporary folder, stopped at the end.
//!
//! Timings are printed, never asserted: this 2-core machine is shared, and a benchmark is for reading.

mod build_support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use build_support::{copy_mods, filtered_out, glia_binary, manifest_folder, timed, venv};

fn main() {
    if filtered_out("build_launchers") {
        return;
    }
    let source =
        manifest_folder().join("corpus/real/dbbs-catalogue-6.0.1/dbbs_catalogue/mods/neuron");
    assert!(
        source.is_dir(),
        "run `bash tools/setup-oracles.sh && python3 tools/fetch-corpus.py` first"
    );
    let glia = glia_binary();
    let root = tempfile::tempdir().unwrap();
    let mods = root.path().join("mods");
    copy_mods(&source, &mods);

    // A glia cold build in a fresh store and output folder named `name`, with `extra` arguments and environment.
    let cold_build = |name: &str, extra: &[&str], environment: &[(&str, &str)]| -> Duration {
        let folder = root.path().join(name);
        let mut command = Command::new(&glia);
        command
            .args(["nrnivmodl", "--format", "json", "--cache-dir"])
            .arg(folder.join("store"))
            .arg("-o")
            .arg(folder.join("out"))
            .args(extra)
            .arg(&mods)
            .env("VIRTUAL_ENV", venv());
        for (variable, value) in environment {
            command.env(variable, value);
        }
        timed(&mut command).0
    };

    let plain = cold_build("plain", &[], &[]);
    println!(
        "glia nrnivmodl, cold, no launcher (precompiled header): {:8.2} s",
        plain.as_secs_f64()
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
        .to_string();
    let sccache_folder = root.path().join("sccache-cache");
    let ccache_folder = root.path().join("ccache-cache");
    let launchers: [(&str, Vec<(&str, &str)>); 2] = [
        (
            "sccache",
            vec![
                ("SCCACHE_DIR", sccache_folder.to_str().unwrap()),
                ("SCCACHE_SERVER_PORT", port.as_str()),
            ],
        ),
        (
            "ccache",
            vec![("CCACHE_DIR", ccache_folder.to_str().unwrap())],
        ),
    ];
    for (launcher, environment) in &launchers {
        let arguments = ["--launcher", launcher];
        let empty = cold_build(&format!("{launcher}-empty"), &arguments, environment);
        let warm = cold_build(&format!("{launcher}-warm"), &arguments, environment);
        println!(
            "glia nrnivmodl --launcher {launcher}, cold, empty {launcher} cache: {:8.2} s",
            empty.as_secs_f64()
        );
        println!(
            "glia nrnivmodl --launcher {launcher}, cold, warm {launcher} cache:  {:8.2} s  = {:.3}× the empty-cache build, {:.3}× the build without a launcher",
            warm.as_secs_f64(),
            warm.as_secs_f64() / empty.as_secs_f64(),
            warm.as_secs_f64() / plain.as_secs_f64()
        );
    }
    stop_sccache(&launchers[0].1, root.path());
}

fn stop_sccache(environment: &[(&str, &str)], folder: &Path) {
    let mut command = Command::new("sccache");
    command.arg("--stop-server").current_dir(folder);
    for (variable, value) in environment {
        command.env(variable, value);
    }
    let _ = command.output();
}
