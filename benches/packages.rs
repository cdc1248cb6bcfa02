//! `glia compile` and `import glia` against nmodl-glia 8.0.2, with dbbs-catalogue 6.0.1 (47 NEURON mods) and
//! nrn-patch 8.0.2 (1) installed, measured in the same run on the same machine. Run with
//! `cargo bench --bench packages` after `bash tools/test.sh` (or `bash tools/setup-oracles.sh &&
//! bash tools/build-python-module.sh`).
//!
//! Both environments get the packages from `.glia-packages` on PYTHONPATH, a private HOME, cache and configuration
//! folder, and their `bin/` first on PATH (the original runs `nrnivmodl` from there). Reported:
//! - issue #11, `glia compile`: nmodl-glia's first `glia compile` in a fresh home (it installs itself, which
//!   compiles everything, then compiles everything again) and its second (every `glia compile` rebuilds everything);
//!   this project's with an empty store (target ≤ 0.6× the original's);
//! - up to date: this project's `glia compile` (median of 20; target ≤ 50 ms) against the original's own check,
//!   `glia._manager.compile(check_cache=True)` in a new interpreter (median of 5);
//! - a comment edit in one installed mod: this project's `glia compile` (compiles: 0) and whether the original's
//!   check then calls for a rebuild of everything;
//! - issue #12, `python -c "import glia; glia.load_library()"` with an up-to-date library, both (medians of 10,
//!   interleaved; target ≤ 0.1 s), and the same followed by `from neuron import h`, which both scripts need before
//!   they can use NEURON (nmodl-glia imports NEURON inside `load_library`; this project's module loads its library
//!   when NEURON is imported).
//!
//! Timings are printed, never asserted.

mod build_support;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use build_support::{glia_binary, manifest_folder, median, timed};

struct Environment {
    venv: PathBuf,
    home: tempfile::TempDir,
    site: PathBuf,
}

impl Environment {
    fn new(venv: PathBuf, site: &Path, original: bool) -> Environment {
        let home = tempfile::tempdir().unwrap();
        if original {
            // Its first use would otherwise pip-install a "local" package that downgrades it (see README).
            std::fs::create_dir_all(home.path().join(".local/share/Glia/8/local")).unwrap();
        }
        Environment {
            venv,
            home,
            site: site.to_path_buf(),
        }
    }

    fn command(&self, program: &Path) -> Command {
        let mut path = OsString::from(self.venv.join("bin"));
        path.push(":");
        path.push(std::env::var_os("PATH").unwrap_or_default());
        let mut command = Command::new(program);
        command
            .current_dir(self.home.path())
            .env("HOME", self.home.path())
            .env("PATH", path)
            .env("PYTHONPATH", &self.site)
            .env("GLIA_CACHE_DIR", self.home.path().join("glia-cache"))
            .env("GLIA_CONFIG_DIR", self.home.path().join("glia-config"))
            .env_remove("VIRTUAL_ENV");
        command
    }

    fn python(&self, code: &str) -> Duration {
        timed(
            self.command(&self.venv.join("bin/python"))
                .args(["-c", code]),
        )
        .0
    }

    fn python_output(&self, code: &str) -> String {
        let (_, output) = timed(
            self.command(&self.venv.join("bin/python"))
                .args(["-c", code]),
        );
        String::from_utf8_lossy(&output).trim().to_string()
    }

    /// The original's `glia compile`.
    fn original_compile(&self) -> Duration {
        timed(self.command(&self.venv.join("bin/glia")).arg("compile")).0
    }

    /// This project's `glia compile` (the release binary), with its JSON report.
    fn glia_compile(&self, glia: &Path) -> (Duration, serde_json::Value) {
        let (elapsed, output) = timed(self.command(glia).args([
            "compile".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            "--python".as_ref(),
            self.venv.join("bin/python").as_os_str(),
        ]));
        (
            elapsed,
            serde_json::from_slice(&output).expect("a JSON report"),
        )
    }
}

fn seconds(duration: Duration) -> f64 {
    duration.as_secs_f64()
}

fn main() {
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|argument| !argument.starts_with('-'))
        .collect();
    if !filters.is_empty()
        && !filters
            .iter()
            .any(|filter| "packages".contains(filter.as_str()))
    {
        return;
    }
    let root = manifest_folder();
    let packages = root.join(".glia-packages");
    assert!(
        packages.join("dbbs_catalogue").is_dir() && root.join(".venv-original/bin/glia").is_file(),
        "run `bash tools/test.sh` first (the venvs, .glia-packages and the Python module)"
    );
    let glia = glia_binary();
    // A copy of the packages, so the comment edit touches no shared file.
    let site = tempfile::tempdir().unwrap();
    copy_folder(&packages, site.path());

    let original = Environment::new(root.join(".venv-original"), site.path(), true);
    let ours = Environment::new(root.join(".venv"), site.path(), false);

    println!("issue #11: glia compile, dbbs-catalogue 6.0.1 + nrn-patch 8.0.2 (48 NEURON mods)");
    let original_first = original.original_compile();
    println!(
        "  nmodl-glia 8.0.2, first glia compile (installs itself: two full builds): {:.1} s",
        seconds(original_first)
    );
    let original_cold = original.original_compile();
    println!(
        "  nmodl-glia 8.0.2, glia compile (a full build, every time):             {:.1} s",
        seconds(original_cold)
    );
    let (ours_cold, report) = ours.glia_compile(&glia);
    let compiles = report["processes"]["compile"].as_u64().unwrap_or(0);
    println!(
        "  glia compile, empty store: {:.1} s ({compiles} compiles, load test {}) = {:.2}x nmodl-glia's (target <= 0.6x)",
        seconds(ours_cold),
        if report["load_test"]["mechanisms"].as_object().is_some_and(|tested| tested.values().all(|error| error.is_null())) { "passed" } else { "FAILED" },
        seconds(ours_cold) / seconds(original_cold)
    );

    let ours_up_to_date = median((0..20).map(|_| ours.glia_compile(&glia).0).collect());
    let original_check = median(
        (0..5)
            .map(|_| original.python("import glia; glia._manager.compile(check_cache=True)"))
            .collect(),
    );
    println!(
        "  up to date: glia compile {:.1} ms (median of 20; target <= 50 ms); nmodl-glia's check {:.0} ms (median of 5)",
        1e3 * seconds(ours_up_to_date),
        1e3 * seconds(original_check)
    );

    let edited = site.path().join("dbbs_catalogue/mods/neuron/Kv1_1__0.mod");
    let mut text = std::fs::read(&edited).unwrap();
    text.extend_from_slice(b"\n: a comment added after installation\n");
    std::fs::write(&edited, text).unwrap();
    let (ours_edit, report) = ours.glia_compile(&glia);
    let fresh = original.python_output("import glia; print(glia._manager.is_cache_fresh())");
    println!(
        "  comment edit in one installed mod: glia compile {:.1} ms with {} compiles; nmodl-glia's cache still fresh: {}",
        1e3 * seconds(ours_edit),
        report["processes"]["compile"].as_u64().unwrap_or(0),
        fresh.lines().last().unwrap_or_default()
    );

    println!("issue #12: python -c \"import glia; glia.load_library()\", library up to date (medians of 10, interleaved)");
    // Both libraries are up to date: the original's from its last build, this project's likewise.
    let load = "import glia; glia.load_library()";
    let load_and_neuron = "import glia; glia.load_library(); from neuron import h";
    ours.python(load);
    original.python(load);
    let mut samples: [Vec<Duration>; 5] = Default::default();
    for _ in 0..10 {
        samples[0].push(ours.python(load));
        samples[1].push(original.python(load));
        samples[2].push(ours.python(load_and_neuron));
        samples[3].push(original.python(load_and_neuron));
        samples[4].push(ours.python("from neuron import h"));
    }
    let [ours_load, original_load, ours_neuron, original_neuron, neuron_alone] =
        samples.map(median);
    println!(
        "  import glia; load_library(): this project {:.3} s, nmodl-glia {:.3} s = {:.2}x (target <= 0.1 s)",
        seconds(ours_load),
        seconds(original_load),
        seconds(ours_load) / seconds(original_load)
    );
    println!(
        "  ... then from neuron import h: this project {:.3} s, nmodl-glia {:.3} s = {:.2}x; `from neuron import h` alone {:.3} s",
        seconds(ours_neuron),
        seconds(original_neuron),
        seconds(ours_neuron) / seconds(original_neuron),
        seconds(neuron_alone)
    );
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
