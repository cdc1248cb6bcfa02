//! Building an environment's products from its packages: the NEURON library of every package's NEURON assets
//! (`glia compile`, `glia.compile()`, `import glia`), and one Arbor catalogue per package (`glia build`,
//! `glia.catalogue(name)`).
//!
//! NEURON: the assets are renamed (see [`super::assets_build`]), built by the NEURON orchestrator into the
//! environment's folder (its lock makes concurrent compiles of one environment — MPI ranks importing glia at once —
//! build once: the others wait, then find it up to date, checking under a shared lock all at once), then loaded
//! into NEURON with every mechanism inserted once, under a lock of its own so that one process tests. The load
//! test's result is remembered beside the library with the library's link key, so an up-to-date compile starts no
//! process at all.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::assets_build::{
    load_test_kind, prepare_assets, prepare_neuron_assets, run_load_test, AssetFailure,
    LoadTestMechanism, LoadTestResult, PreparedAsset,
};
use super::index::IndexedPackage;
use super::session::PackageSession;
use crate::build::arbor::{build_arbor_catalogue, ArborBuildRequest};
use crate::build::arbor_toolchain::ArborToolchain;
use crate::build::exec::Executor;
use crate::build::install::read_manifest;
use crate::build::lock::{lock_folder, LockMode};
use crate::build::neuron::{build_neuron_library, NeuronBuildRequest, MANIFEST_NAME};
use crate::build::outcome::{BuildError, BuildReport, MechanismOutcome};
use crate::build::progress::Progress;
use crate::build::toolchain::NeuronToolchain;
use crate::identity::name::Simulator;

/// How to compile.
#[derive(Clone, Copy, Debug)]
pub struct CompileOptions {
    /// Link what built even when assets or packages failed.
    pub keep_going: bool,
    pub use_precompiled_header: bool,
    /// Load the library into NEURON and insert every mechanism.
    pub load_test: bool,
}

/// What a compile did.
pub struct Compiled {
    pub assets: Vec<PreparedAsset>,
    /// Assets that could not be handed to the build (unreadable, unparsable, unnameable).
    pub failures: Vec<AssetFailure>,
    pub report: BuildReport,
    /// `None` when not asked for, or when there is no library to test.
    pub load_test: Option<LoadTestResult>,
}

impl Compiled {
    /// Whether anything failed: a package problem (`session`'s), an asset, a build, a load test.
    pub fn failed(&self, session: &PackageSession) -> bool {
        !session.index.problems.is_empty()
            || !self.failures.is_empty()
            || self.report.count(MechanismOutcome::Failed) > 0
            || self.load_test.as_ref().is_some_and(LoadTestResult::failed)
    }
}

/// Why a compile could not be done at all.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    #[error("cannot use {}: {message}", .folder.display())]
    Folder { folder: PathBuf, message: String },
    #[error(transparent)]
    Build(#[from] BuildError),
}

/// The load test's result as remembered beside the library.
#[derive(Serialize, Deserialize)]
struct RememberedLoadTest {
    format: u32,
    link_key: String,
    mechanisms: Vec<LoadTestMechanism>,
    result: LoadTestResult,
}

const LOAD_TEST_RECORD: &str = ".glia-load-test.json";
const LOAD_TEST_LOCK: &str = ".glia-load-test.lock";

/// Builds (or finds up to date) the environment's NEURON library from every package's NEURON assets.
pub fn compile_neuron_library(
    session: &PackageSession,
    toolchain: &NeuronToolchain,
    options: CompileOptions,
    executor: &Executor,
    progress: &Progress,
) -> Result<Compiled, CompileError> {
    let neuron_folder = session.folder.neuron();
    let folder_error = |error: std::io::Error| CompileError::Folder {
        folder: neuron_folder.clone(),
        message: error.to_string(),
    };
    std::fs::create_dir_all(&neuron_folder).map_err(folder_error)?;
    let (assets, failures) = prepare_neuron_assets(&session.index, executor);
    let request = NeuronBuildRequest {
        inputs: assets.iter().map(|asset| asset.input.clone()).collect(),
        output_folder: neuron_folder.clone(),
        link_special: false,
        keep_going: options.keep_going,
        other_failures: !failures.is_empty() || !session.index.problems.is_empty(),
        use_precompiled_header: options.use_precompiled_header,
    };
    // The orchestrator's own lock makes concurrent compiles build once: the others wait, then find it up to date.
    let report = build_neuron_library(&request, toolchain, &session.store, executor, progress)?;
    let load_test = if options.load_test && (report.linked || report.up_to_date) {
        // One load test per library: the others wait for it, then read its remembered result.
        let _lock = lock_folder(
            &neuron_folder,
            LOAD_TEST_LOCK,
            LockMode::Exclusive,
            |holder| {
                progress.note(&format!(
                    "waiting for {holder}, which is testing this environment's library"
                ))
            },
        )
        .map_err(folder_error)?;
        Some(load_test(
            session,
            &assets,
            &report,
            &toolchain.architecture,
            executor,
        ))
    } else {
        None
    };
    Ok(Compiled {
        assets,
        failures,
        report,
        load_test,
    })
}

/// The load test's result: remembered when the library is the one it was run on, else run now (and remembered
/// when the library is complete).
fn load_test(
    session: &PackageSession,
    assets: &[PreparedAsset],
    report: &BuildReport,
    architecture: &str,
    executor: &Executor,
) -> LoadTestResult {
    let mechanisms: Vec<LoadTestMechanism> = assets
        .iter()
        .zip(&report.mechanisms)
        .filter(|(_, mechanism)| mechanism.outcome != MechanismOutcome::Failed)
        .map(|(asset, _)| LoadTestMechanism {
            name: asset.name.clone(),
            kind: load_test_kind(asset).to_string(),
        })
        .collect();
    let neuron_folder = session.folder.neuron();
    let record_path = neuron_folder.join(LOAD_TEST_RECORD);
    let link_key = read_manifest(&neuron_folder.join(architecture).join(MANIFEST_NAME))
        .map(|manifest| manifest.link_key);
    if let Some(link_key) = &link_key {
        let remembered = std::fs::read(&record_path)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<RememberedLoadTest>(&bytes).ok());
        if let Some(remembered) = remembered {
            if remembered.format == 1
                && &remembered.link_key == link_key
                && remembered.mechanisms == mechanisms
            {
                return remembered.result;
            }
        }
    }
    let result = run_load_test(&session.environment, &report.library, &mechanisms, executor);
    if let (Some(link_key), None) = (link_key, &result.not_run) {
        let record = RememberedLoadTest {
            format: 1,
            link_key,
            mechanisms,
            result: result.clone(),
        };
        if let Ok(bytes) = serde_json::to_vec_pretty(&record) {
            // Best effort: without the record the next run tests again.
            let _ = crate::atomic_write::replace_file(&record_path, &bytes);
        }
    }
    result
}

/// What building one package's catalogue did.
pub struct CatalogueBuilt {
    pub assets: Vec<PreparedAsset>,
    pub failures: Vec<AssetFailure>,
    pub report: BuildReport,
}

/// Builds (or finds up to date) `package`'s Arbor catalogue, `<environment>/arbor/<package>-catalogue.so`, from
/// its Arbor assets renamed to their catalogue names. `None` when the package has no Arbor assets.
pub fn build_package_catalogue(
    session: &PackageSession,
    package: &IndexedPackage,
    toolchain: &ArborToolchain,
    options: CompileOptions,
    executor: &Executor,
    progress: &Progress,
) -> Result<Option<CatalogueBuilt>, CompileError> {
    let (assets, failures) = prepare_assets(&[package], Simulator::Arbor, executor);
    if assets.is_empty() && failures.is_empty() {
        return Ok(None);
    }
    let arbor_folder = session.folder.arbor();
    std::fs::create_dir_all(&arbor_folder).map_err(|error| CompileError::Folder {
        folder: arbor_folder.clone(),
        message: error.to_string(),
    })?;
    let request = ArborBuildRequest {
        catalogue: package.name().to_string(),
        inputs: assets.iter().map(|asset| asset.input.clone()).collect(),
        output_folder: arbor_folder,
        keep_going: options.keep_going,
        other_failures: !failures.is_empty(),
        use_precompiled_header: options.use_precompiled_header,
    };
    let report = build_arbor_catalogue(&request, toolchain, &session.store, executor, progress)?;
    Ok(Some(CatalogueBuilt {
        assets,
        failures,
        report,
    }))
}
