//! Helpers shared by the integration tests that run the real compilers.

pub mod builds;
pub mod disks;
pub mod library;
pub mod storm;

use std::path::{Path, PathBuf};

/// What to run when the oracles are missing.
pub const ORACLE_SETUP: &str =
    "run `bash tools/setup-oracles.sh && python3 tools/fetch-corpus.py` (or `bash tools/test.sh`)";

/// The site-packages folder of the oracle venv (`$GLIA_ORACLE_VENV`, default `<repo>/.venv`) that holds the
/// `neuron` and `arbor` packages. Panics, saying how to set it up, when there is none.
pub fn oracle_site_packages() -> PathBuf {
    let venv = std::env::var_os("GLIA_ORACLE_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv"));
    std::fs::read_dir(venv.join("lib"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path().join("site-packages"))
        .find(|candidate| candidate.join("neuron").is_dir() && candidate.join("arbor").is_dir())
        .unwrap_or_else(|| {
            panic!(
                "no NEURON and Arbor installation in the oracle venv {}: {ORACLE_SETUP}",
                venv.display()
            )
        })
}

/// The oracle venv folder itself (the parent of its `lib/`), for tools that find NEURON through `VIRTUAL_ENV`.
#[allow(dead_code)] // Not every test crate that shares this module builds.
pub fn oracle_venv() -> PathBuf {
    oracle_site_packages()
        .ancestors()
        .nth(3)
        .expect("site-packages sits at <venv>/lib/pythonX.Y/site-packages")
        .to_path_buf()
}

/// Runs the `glia` binary under test with `arguments` in `directory`, and waits for its output.
#[allow(dead_code)] // Not every test crate that shares this module runs glia this way.
pub fn glia(arguments: &[&str], directory: &Path) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_glia"))
        .args(arguments)
        .current_dir(directory)
        .output()
        .expect("glia runs")
}
