//! `glia._native`: the glia crate's packages layer and command line, as the Python module's shell
//! (`python/glia/`) calls them. A thin skin: every function takes and gives JSON text or plain values, holds no
//! state between calls (the store on disk is the state), and releases the interpreter's lock while it builds, so
//! other Python threads run meanwhile.
//!
//! The environment is the calling interpreter's (`sys.executable`, `sys.prefix`, `sys.path`,
//! `sys.builtin_module_names`), passed in by the shell as JSON, so discovery sees exactly what `import` sees.

use std::collections::BTreeMap;
use std::path::PathBuf;

use glia::build::arbor_toolchain::ArborToolchain;
use glia::build::exec::Executor;
use glia::build::progress::{Progress, ProgressMode};
use glia::build::store::{FileSystemWrites, Store};
use glia::build::toolchain::{NeuronDiscoveryOptions, NeuronToolchain};
use glia::packages::compile::{build_package_catalogue, compile_neuron_library, CompileOptions};
use glia::packages::environment::PythonEnvironment;
use glia::packages::resolver::{
    resolve, Candidate, ContextPreferences, Preference, Preferences, ResolveError,
};
use glia::packages::selections::{default_selections_path, read_selections, update_selections};
use glia::packages::session::PackageSession;
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use serde_json::{json, Value};

fn runtime_error(error: impl std::fmt::Display) -> PyErr {
    PyRuntimeError::new_err(error.to_string())
}

fn parse_json(text: &str) -> PyResult<Value> {
    serde_json::from_str(text)
        .map_err(|error| PyValueError::new_err(format!("invalid JSON from glia's shell: {error}")))
}

/// The store: `cache_dir`, else the default (`GLIA_CACHE_DIR`, `XDG_CACHE_HOME/glia`, `~/.cache/glia`).
fn open_store(cache_dir: Option<&str>) -> PyResult<Store> {
    let root = match cache_dir {
        Some(folder) => PathBuf::from(folder),
        None => Store::default_root().ok_or_else(|| {
            runtime_error("no folder for glia's cache: set GLIA_CACHE_DIR or HOME")
        })?,
    };
    // GLIA_SHARED_STORE, as for the glia command.
    let shared = Store::default_shared_root();
    Store::open_with(&root, shared.as_deref(), Box::new(FileSystemWrites)).map_err(runtime_error)
}

fn environment_of(environment_json: &str) -> PyResult<PythonEnvironment> {
    serde_json::from_str(environment_json).map_err(|error| {
        PyValueError::new_err(format!("invalid environment from glia's shell: {error}"))
    })
}

fn session(
    environment_json: &str,
    cache_dir: Option<&str>,
    executor: &Executor,
) -> PyResult<PackageSession> {
    let environment = environment_of(environment_json)?;
    let store = open_store(cache_dir)?;
    Ok(PackageSession::open(environment, store, executor))
}

fn executor() -> PyResult<Executor> {
    Executor::new(0, None, false).map_err(runtime_error)
}

/// The environment's installed packages, as JSON: `{"folder", "packages": [{name, distribution, version,
/// module, attribute, module_file, root, builtin, mods: [{relpath, asset, variant, is_point_process,
/// is_artificial_cell, dialect, builtin}]}], "problems": [{package, file, message}]}`.
#[pyfunction]
#[pyo3(signature = (environment_json, cache_dir=None))]
fn installed_packages(
    py: Python<'_>,
    environment_json: &str,
    cache_dir: Option<&str>,
) -> PyResult<String> {
    let environment_json = environment_json.to_string();
    let cache_dir = cache_dir.map(str::to_string);
    py.detach(move || {
        let executor = executor()?;
        let session = session(&environment_json, cache_dir.as_deref(), &executor)?;
        let packages: Vec<Value> = session
            .index
            .packages
            .iter()
            .map(|package| {
                let installed = &package.installed;
                json!({
                    "name": package.name(),
                    "distribution": installed.entry_point.distribution,
                    "version": installed.entry_point.version,
                    "module": installed.entry_point.module,
                    "attribute": installed.entry_point.attribute,
                    "module_file": installed.module_file,
                    "root": installed.declaration.root,
                    "builtin": installed.declaration.builtin,
                    "mods": package.mods.iter().map(|indexed| json!({
                        "relpath": indexed.declaration.relative_path,
                        "asset": indexed.declaration.asset,
                        "variant": indexed.declaration.variant,
                        "is_point_process": indexed.declaration.is_point_process,
                        "is_artificial_cell": indexed.declaration.is_artificial_cell,
                        "dialect": indexed.declaration.dialect_text,
                        "builtin": indexed.declaration.builtin,
                    })).collect::<Vec<_>>(),
                })
            })
            .collect();
        let problems: Vec<Value> = session
            .index
            .problems
            .iter()
            .map(|problem| json!({"package": problem.package, "file": problem.file, "message": problem.message}))
            .collect();
        Ok(json!({
            "folder": session.folder.path,
            "packages": packages,
            "problems": problems,
        })
        .to_string())
    })
}

/// Builds (or finds up to date) the environment's NEURON library, as `glia compile` does, and load-tests it unless
/// `load_test` is false. JSON: `{"library", "built", "up_to_date", "failed", "report" (human text), "kinds":
/// {name: kind}}`.
#[pyfunction]
#[pyo3(signature = (environment_json, cache_dir=None, load_test=true, keep_going=true))]
fn compile(
    py: Python<'_>,
    environment_json: &str,
    cache_dir: Option<&str>,
    load_test: bool,
    keep_going: bool,
) -> PyResult<String> {
    let environment_json = environment_json.to_string();
    let cache_dir = cache_dir.map(str::to_string);
    py.detach(move || {
        let executor = executor()?;
        let session = session(&environment_json, cache_dir.as_deref(), &executor)?;
        let toolchain = NeuronToolchain::discover(
            &NeuronDiscoveryOptions::default(),
            &session.discovery_environment(),
            &session.store,
            &executor,
        )
        .map_err(runtime_error)?;
        let progress = Progress::new(ProgressMode::for_standard_error_or_quiet());
        let options = CompileOptions {
            keep_going,
            use_precompiled_header: true,
            load_test,
        };
        let compiled = compile_neuron_library(&session, &toolchain, options, &executor, &progress)
            .map_err(runtime_error)?;
        progress.finish();
        let failed = compiled.failed(&session);
        let report = glia::cli::compile::compile_report_text(
            &session,
            &compiled,
            &toolchain,
            executor.counts(),
        );
        let kinds: BTreeMap<&str, &str> = compiled
            .assets
            .iter()
            .map(|asset| {
                (
                    asset.name.as_str(),
                    glia::packages::assets_build::load_test_kind(asset),
                )
            })
            .collect();
        Ok(json!({
            "library": compiled.report.library,
            "linked": compiled.report.linked,
            "up_to_date": compiled.report.up_to_date,
            "library_exists": compiled.report.library.is_file(),
            "built": compiled.report.count(glia::build::outcome::MechanismOutcome::Built),
            "processes": executor.counts(),
            "failed": failed,
            "report": report,
            "kinds": kinds,
        })
        .to_string())
    })
}

/// Builds (or finds up to date) one package's Arbor catalogue, linking the mechanisms that build. JSON:
/// `{"catalogue" (path or null), "failed", "report" (human text), "names": [catalogue names]}`.
#[pyfunction]
#[pyo3(signature = (environment_json, package, cache_dir=None))]
fn build_catalogue(
    py: Python<'_>,
    environment_json: &str,
    package: &str,
    cache_dir: Option<&str>,
) -> PyResult<String> {
    let environment_json = environment_json.to_string();
    let package = package.to_string();
    let cache_dir = cache_dir.map(str::to_string);
    py.detach(move || {
        let executor = executor()?;
        let session = session(&environment_json, cache_dir.as_deref(), &executor)?;
        let Some(indexed) = session.index.package(&package) else {
            let names: Vec<&str> = session
                .index
                .packages
                .iter()
                .map(|package| package.name())
                .collect();
            return Ok(json!({"unknown": true, "installed": names}).to_string());
        };
        let toolchain = ArborToolchain::discover(
            None,
            &session.discovery_environment(),
            &session.store,
            &executor,
        )
        .map_err(runtime_error)?;
        let progress = Progress::new(ProgressMode::for_standard_error_or_quiet());
        let options = CompileOptions {
            keep_going: true,
            use_precompiled_header: true,
            load_test: false,
        };
        let built =
            build_package_catalogue(&session, indexed, &toolchain, options, &executor, &progress)
                .map_err(runtime_error)?;
        progress.finish();
        let Some(built) = built else {
            return Ok(
                json!({"catalogue": null, "failed": false, "report": "", "names": []}).to_string(),
            );
        };
        let failed = !built.failures.is_empty()
            || built
                .report
                .count(glia::build::outcome::MechanismOutcome::Failed)
                > 0;
        let library = built.report.library.clone();
        Ok(json!({
            "catalogue": library.is_file().then_some(library),
            "failed": failed,
            "report": glia::cli::build_packages::catalogue_report_text(&built, &toolchain),
            "names": built.assets.iter().map(|asset| &asset.name).collect::<Vec<_>>(),
        })
        .to_string())
    })
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
    let text = |keys: &[&str]| {
        keys.iter().find_map(|key| {
            value
                .get(*key)
                .and_then(|item| item.as_str())
                .map(str::to_string)
        })
    };
    Preference {
        package: text(&["package", "pkg"]),
        variant: text(&["variant"]),
    }
}

/// Resolves a request among `candidates_json` (`[{asset, package, variant, name}]`) under the preferences of
/// `request_json` (`{asset, pkg, variant, script: {asset: {package, variant}}, contexts: [{assets, pkg,
/// variant}]}`; the global selections are read from the user's file). JSON: `{"name"}` or `{"error": kind,
/// "message", "candidates"}`.
#[pyfunction]
fn resolve_asset(candidates_json: &str, request_json: &str) -> PyResult<String> {
    let candidates: Vec<Candidate> = parse_json(candidates_json)?
        .as_array()
        .into_iter()
        .flatten()
        .map(|candidate| Candidate {
            asset: candidate["asset"].as_str().unwrap_or_default().to_string(),
            package: candidate["package"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            variant: candidate["variant"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            name: candidate["name"].as_str().unwrap_or_default().to_string(),
        })
        .collect();
    let request = parse_json(request_json)?;
    let global = default_selections_path()
        .and_then(|path| read_selections(&path))
        .map_err(runtime_error)?;
    let script = preferences_of(&request["script"]);
    let contexts: Vec<ContextPreferences> = request["contexts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|context| ContextPreferences {
            assets: preferences_of(&context["assets"]),
            general: preference_of(context),
        })
        .collect();
    let preferences = Preferences {
        global: &global,
        script: &script,
        contexts: &contexts,
    };
    let result = resolve(
        &candidates,
        request["asset"].as_str().unwrap_or_default(),
        request["pkg"].as_str(),
        request["variant"].as_str(),
        preferences,
    );
    Ok(match result {
        Ok(candidate) => json!({"name": candidate.name}),
        Err(error) => {
            let (kind, candidates) = match &error {
                ResolveError::UnknownAsset { similar, .. } => ("UnknownAsset", similar.clone()),
                ResolveError::NoMatches { candidates, .. } => ("NoMatches", candidates.clone()),
                ResolveError::TooManyMatches { candidates, .. } => {
                    ("TooManyMatches", candidates.clone())
                }
            };
            json!({"error": kind, "message": error.to_string(), "candidates": candidates})
        }
    }
    .to_string())
}

/// Stores a global selection (what `glia select` does), under the writers' lock.
#[pyfunction]
#[pyo3(signature = (asset, package=None, variant=None))]
fn select_globally(asset: &str, package: Option<String>, variant: Option<String>) -> PyResult<()> {
    let path = default_selections_path().map_err(runtime_error)?;
    update_selections(&path, |selections| {
        selections.insert(asset.to_string(), Preference { package, variant });
    })
    .map_err(runtime_error)?;
    Ok(())
}

/// The environment's cache folder (where its library and catalogues go).
#[pyfunction]
#[pyo3(signature = (environment_json, cache_dir=None))]
fn cache_path(environment_json: &str, cache_dir: Option<&str>) -> PyResult<String> {
    let environment = environment_of(environment_json)?;
    let store = open_store(cache_dir)?;
    Ok(
        glia::packages::assets_build::EnvironmentFolder::new(&store, &environment)
            .path
            .to_string_lossy()
            .into_owned(),
    )
}

/// Runs the `glia` command line with `arguments` (the first is the program's name); its exit status.
#[pyfunction]
fn run_command_line(py: Python<'_>, arguments: Vec<String>) -> u8 {
    py.detach(move || {
        let status = glia::cli::run_with_arguments(arguments.into_iter().map(Into::into).collect());
        // `ExitCode` has no accessor: find the status it was made from (the commands make theirs from a `u8`).
        (0..=u8::MAX)
            .find(|&code| std::process::ExitCode::from(code) == status)
            .unwrap_or(1)
    })
}

#[pymodule]
fn _native(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("__version__", env!("CARGO_PKG_VERSION"))?;
    module.add_function(wrap_pyfunction!(installed_packages, module)?)?;
    module.add_function(wrap_pyfunction!(compile, module)?)?;
    module.add_function(wrap_pyfunction!(build_catalogue, module)?)?;
    module.add_function(wrap_pyfunction!(resolve_asset, module)?)?;
    module.add_function(wrap_pyfunction!(select_globally, module)?)?;
    module.add_function(wrap_pyfunction!(cache_path, module)?)?;
    module.add_function(wrap_pyfunction!(run_command_line, module)?)?;
    Ok(())
}
