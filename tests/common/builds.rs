//! What the build tests share: small mechanisms for both simulators, and a workspace (mod files, output folder,
//! build store) with the `glia nrnivmodl` and `glia build-catalogue` commands that build it against the oracle
//! venv's NEURON and Arbor, as a user with an activated environment would.

#![allow(dead_code)] // Each test crate uses its own part of the shared helpers.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// A small NEURON density mechanism with its own suffix.
pub fn leak_channel(suffix: &str, conductance: &str) -> String {
    format!(
        "NEURON {{\n    SUFFIX {suffix}\n    NONSPECIFIC_CURRENT i\n    RANGE g, e\n}}\n\nUNITS {{\n    (mA) = (milliamp)\n    (mV) = (millivolt)\n    (S) = (siemens)\n}}\n\nPARAMETER {{\n    g = {conductance} (S/cm2)\n    e = -70 (mV)\n}}\n\nASSIGNED {{\n    v (mV)\n    i (mA/cm2)\n}}\n\nBREAKPOINT {{\n    i = g*(v - e)\n}}\n"
    )
}

/// A small Arbor density mechanism (Arbor knows `v` without a declaration).
pub fn arbor_leak_channel(suffix: &str, conductance: &str) -> String {
    format!(
        "NEURON {{\n    SUFFIX {suffix}\n    NONSPECIFIC_CURRENT i\n    RANGE g, e\n}}\n\nPARAMETER {{\n    g = {conductance} (S/cm2)\n    e = -70 (mV)\n}}\n\nBREAKPOINT {{\n    i = g*(v - e)\n}}\n"
    )
}

/// A test's folders: the mod files, the output and the build store.
pub struct Workspace {
    pub root: tempfile::TempDir,
    pub mods: PathBuf,
    pub output: PathBuf,
    pub store: PathBuf,
}

impl Workspace {
    pub fn new() -> Workspace {
        let root = tempfile::tempdir().unwrap();
        let mods = root.path().join("mods");
        let output = root.path().join("out");
        let store = root.path().join("store");
        std::fs::create_dir_all(&mods).unwrap();
        Workspace {
            mods,
            output,
            store,
            root,
        }
    }

    pub fn write(&self, name: &str, text: &str) {
        std::fs::write(self.mods.join(name), text).unwrap();
    }

    /// The NEURON library `glia nrnivmodl` makes.
    pub fn library(&self) -> PathBuf {
        self.output.join("x86_64").join("libnrnmech.so")
    }

    /// The Arbor catalogue `glia build-catalogue NAME` makes.
    pub fn catalogue(&self, name: &str) -> PathBuf {
        self.output.join(format!("{name}-catalogue.so"))
    }

    /// `glia <arguments>` with NEURON and Arbor found through the oracle venv and no build settings inherited.
    pub fn glia(&self, arguments: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_glia"));
        command
            .args(arguments)
            .env("VIRTUAL_ENV", super::oracle_venv())
            .env_remove("NRNHOME")
            .env_remove("CXX")
            .env_remove("GLIA_CACHE_DIR")
            .env_remove("GLIA_SHARED_STORE");
        command
    }

    /// `glia nrnivmodl -o OUT --cache-dir STORE EXTRA... MODS`
    pub fn command(&self, extra: &[&str]) -> Command {
        let mut command = self.glia(&["nrnivmodl"]);
        command
            .arg("-o")
            .arg(&self.output)
            .arg("--cache-dir")
            .arg(&self.store)
            .args(extra)
            .arg(&self.mods);
        command
    }

    /// `glia build-catalogue NAME MODS -o OUT --cache-dir STORE EXTRA...`
    pub fn catalogue_command(&self, name: &str, extra: &[&str]) -> Command {
        let mut command = self.glia(&["build-catalogue", name]);
        command
            .arg(&self.mods)
            .arg("-o")
            .arg(&self.output)
            .arg("--cache-dir")
            .arg(&self.store)
            .args(extra);
        command
    }

    /// Runs a `glia nrnivmodl` build with `--format json`; the exit code and the report.
    pub fn build(&self, extra: &[&str]) -> (i32, Value) {
        json_run(&mut self.command(&[&["--format", "json"], extra].concat()))
    }
}

impl Default for Workspace {
    fn default() -> Workspace {
        Workspace::new()
    }
}

/// Runs a build command that prints a JSON report; the exit code and the report.
pub fn json_run(command: &mut Command) -> (i32, Value) {
    let output = command.output().unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("no JSON report ({error}):\n{}", text(&output)));
    (output.status.code().unwrap_or(-1), report)
}

/// Standard output and standard error of a finished command.
pub fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// The files of the report's mechanisms with `outcome` (`built`, `reused`, `failed`), by file name.
pub fn outcomes(report: &Value, outcome: &str) -> Vec<String> {
    report["mechanisms"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|mechanism| mechanism["outcome"] == outcome)
        .map(|mechanism| {
            Path::new(mechanism["file"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect()
}
