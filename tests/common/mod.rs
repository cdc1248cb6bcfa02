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

/// The environment with nmodl-glia 8.0.2, the original Glia (`<repo>/.venv-original`, made by
/// `tools/setup-oracles.sh`). Panics, saying how to set it up, when there is none.
#[allow(dead_code)]
pub fn original_venv() -> PathBuf {
    let venv = Path::new(env!("CARGO_MANIFEST_DIR")).join(".venv-original");
    assert!(
        venv.join("bin").join("python").is_file(),
        "no nmodl-glia environment at {}: {ORACLE_SETUP}",
        venv.display()
    );
    venv
}

/// Runs `program` with `arguments` in `directory` with extra environment variables, and waits for its output.
#[allow(dead_code)]
pub fn run_with(
    program: &Path,
    arguments: &[&std::ffi::OsStr],
    directory: &Path,
    environment: &[(&str, &std::ffi::OsStr)],
) -> std::process::Output {
    let mut command = std::process::Command::new(program);
    command.args(arguments).current_dir(directory);
    for (name, value) in environment {
        command.env(name, value);
    }
    command
        .output()
        .unwrap_or_else(|error| panic!("{} runs: {error}", program.display()))
}

/// A Glia package written straight into a `sys.path` folder, as pip would install it: `<distribution>-1.0.dist-info`
/// with its `glia.package` entry point, the module `<module>/__init__.py` with `module_source`, and mod files.
#[allow(dead_code)]
pub fn write_installed_package(
    site: &Path,
    distribution: &str,
    module: &str,
    module_source: &str,
    mod_files: &[(&str, &str)],
) {
    let metadata = site.join(format!("{distribution}-1.0.dist-info"));
    std::fs::create_dir_all(&metadata).unwrap();
    std::fs::write(
        metadata.join("METADATA"),
        format!("Metadata-Version: 2.1\nName: {distribution}\nVersion: 1.0\n"),
    )
    .unwrap();
    std::fs::write(
        metadata.join("entry_points.txt"),
        format!("[glia.package]\n{module} = {module}:package\n"),
    )
    .unwrap();
    let folder = site.join(module);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("__init__.py"), module_source).unwrap();
    for (relative, contents) in mod_files {
        let path = folder.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
    }
}

/// A density mechanism that NEURON builds (nocmodl, then its C++ compiles: the current is declared).
#[allow(dead_code)]
pub const SMALL_DENSITY_MOD: &str = "NEURON {\n    SUFFIX leak\n    NONSPECIFIC_CURRENT i\n    RANGE g, e\n}\n\nPARAMETER {\n    g = 0.001 (S/cm2)\n    e = -65 (mV)\n}\n\nASSIGNED {\n    v (mV)\n    i (mA/cm2)\n}\n\nBREAKPOINT {\n    i = g*(v - e)\n}\n";

/// A density mechanism that Arbor builds (modcc refuses `v` and the current in ASSIGNED).
#[allow(dead_code)]
pub const SMALL_ARBOR_DENSITY_MOD: &str = "NEURON {\n    SUFFIX leak\n    NONSPECIFIC_CURRENT i\n    RANGE g, e\n}\n\nPARAMETER {\n    g = 0.001 (S/cm2)\n    e = -65 (mV)\n}\n\nBREAKPOINT {\n    i = g*(v - e)\n}\n";

/// The folder of Glia packages from PyPI (dbbs-catalogue 6.0.1, nrn-patch 8.0.2) that tests put on `PYTHONPATH`
/// (`<repo>/.glia-packages`, made by `tools/setup-oracles.sh`).
#[allow(dead_code)]
pub fn glia_packages() -> PathBuf {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join(".glia-packages");
    assert!(
        folder.join("dbbs_catalogue").is_dir(),
        "no Glia packages at {}: {ORACLE_SETUP}",
        folder.display()
    );
    folder
}
