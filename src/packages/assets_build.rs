//! What `glia compile` and `glia build` hand the build layer: each asset's mod file, renamed in memory for its
//! simulator (the identity layer's byte splice: every other byte kept, nothing written beside the installed
//! file), and, for NEURON, the load test that the original's `glia compile` runs: the library loaded into NEURON in
//! a subprocess of the environment's interpreter, every mechanism inserted once.
//!
//! Also where the environment's products go: `<store>/environments/<environment>/` (what `glia cache` prints)
//! holds `neuron/<arch>/libnrnmech.so` and `arbor/<package>-catalogue.so`; the objects they are linked from are
//! the store's, shared by every environment.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::environment::PythonEnvironment;
use super::index::{DeclaredKind, IndexedMod, IndexedPackage, PackageIndex};
use crate::build::exec::{Executor, ToolCommand, ToolKind};
use crate::build::outcome::{ModInput, Replacement};
use crate::build::store::Store;
use crate::diagnostics::{Code, Diagnostic};
use crate::identity::name::Simulator;
use crate::identity::rename::{rename, RenameError};
use crate::semantics::mechanism::mechanism_facts;
use crate::span::Span;
use crate::syntax::ast::MechanismKind;
use crate::syntax::{parse, Dialect};

/// The folder of one environment's products.
#[derive(Clone, Debug)]
pub struct EnvironmentFolder {
    pub path: PathBuf,
}

impl EnvironmentFolder {
    pub fn new(store: &Store, environment: &PythonEnvironment) -> EnvironmentFolder {
        EnvironmentFolder {
            path: store
                .root()
                .join("environments")
                .join(environment.folder_name()),
        }
    }

    /// The NEURON build's output folder (the library is in its `<arch>/`).
    pub fn neuron(&self) -> PathBuf {
        self.path.join("neuron")
    }

    /// The folder of the Arbor catalogues.
    pub fn arbor(&self) -> PathBuf {
        self.path.join("arbor")
    }
}

/// An asset ready to build.
#[derive(Clone, Debug)]
pub struct PreparedAsset {
    pub package: String,
    pub asset: String,
    pub variant: String,
    /// The name the simulator knows it by (the glia name for NEURON, the catalogue name for Arbor).
    pub name: String,
    pub declared_kind: DeclaredKind,
    /// What the file declares (`None`: no mechanism statement before renaming, one was inserted).
    pub file_kind: Option<MechanismKind>,
    /// The mechanism's name in the renamed text.
    pub name_span: Span,
    pub input: ModInput,
    /// Warnings about the asset (on the renamed source): a declared kind the file contradicts.
    pub warnings: Vec<Diagnostic>,
}

/// An asset that cannot be built, with its diagnostics on its mod file.
#[derive(Clone, Debug)]
pub struct AssetFailure {
    pub display: String,
    pub source: Vec<u8>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The assets of `packages` that `simulator` gets, renamed for it.
pub fn prepare_assets(
    packages: &[&IndexedPackage],
    simulator: Simulator,
    executor: &Executor,
) -> (Vec<PreparedAsset>, Vec<AssetFailure>) {
    let work: Vec<(&IndexedPackage, &IndexedMod)> = packages
        .iter()
        .flat_map(|package| {
            package
                .mods_for(simulator)
                .into_iter()
                .filter(|indexed| !indexed.declaration.builtin)
                .map(move |indexed| (*package, indexed))
        })
        .collect();
    let results = executor.parallel_map(work, |(package, indexed)| {
        prepare_asset(package, indexed, simulator)
    });
    let mut prepared = Vec::new();
    let mut failures = Vec::new();
    for result in results {
        match result {
            Ok(asset) => prepared.push(asset),
            Err(failure) => failures.push(failure),
        }
    }
    (prepared, failures)
}

/// Every NEURON asset of the index, renamed.
pub fn prepare_neuron_assets(
    index: &PackageIndex,
    executor: &Executor,
) -> (Vec<PreparedAsset>, Vec<AssetFailure>) {
    let packages: Vec<&IndexedPackage> = index.packages.iter().collect();
    prepare_assets(&packages, Simulator::Neuron, executor)
}

fn prepare_asset(
    package: &IndexedPackage,
    indexed: &IndexedMod,
    simulator: Simulator,
) -> Result<PreparedAsset, AssetFailure> {
    let file = indexed
        .file
        .clone()
        .expect("a mod that is not builtin has a file");
    let display = file.display().to_string();
    let source = std::fs::read(&file).map_err(|error| AssetFailure {
        display: display.clone(),
        source: Vec::new(),
        diagnostics: vec![Diagnostic::error(
            Code::Io,
            format!("cannot read the mod file: {error}"),
            Span::empty_at(0),
            "",
        )],
    })?;
    let (dialect, name) = match simulator {
        Simulator::Neuron => (Dialect::Neuron, indexed.name.neuron_name()),
        Simulator::Arbor => match indexed.name.valid_arbor_name() {
            Ok(name) => (Dialect::Arbor, name),
            Err(error) => {
                return Err(AssetFailure {
                    display,
                    source,
                    diagnostics: vec![Diagnostic::error(
                        Code::BuildInput,
                        error.to_string(),
                        Span::empty_at(0),
                        "",
                    )],
                })
            }
        },
    };
    let parsed = parse(&source, dialect);
    let file_kind = mechanism_facts(&parsed.file)
        .declaration
        .map(|declaration| declaration.kind);
    let renamed = match rename(&source, &parsed, dialect, &name) {
        Ok(renamed) => renamed,
        Err(RenameError::SyntaxErrors { diagnostics }) => {
            return Err(AssetFailure {
                display,
                source,
                diagnostics,
            })
        }
        Err(other) => {
            return Err(AssetFailure {
                display,
                source,
                diagnostics: vec![Diagnostic::error(
                    Code::BuildInput,
                    format!("cannot name the mechanism `{name}`: {other}"),
                    Span::empty_at(0),
                    "",
                )],
            })
        }
    };
    let declared_kind = indexed.declared_kind();
    let name_span = renamed.change.new_name_span();
    let mut warnings = Vec::new();
    if let Some(message) = kind_mismatch(declared_kind, file_kind) {
        warnings.push(
            Diagnostic::warning(Code::Package, message, name_span, "declared here").with_help(
                format!(
                    "fix the `Mod(...)` of asset `{}` variant `{}` in package `{}`",
                    indexed.declaration.asset,
                    indexed.declaration.variant,
                    package.name()
                ),
            ),
        );
    }
    Ok(PreparedAsset {
        package: package.name().to_string(),
        asset: indexed.declaration.asset.clone(),
        variant: indexed.declaration.variant.clone(),
        name: name.clone(),
        declared_kind,
        file_kind,
        name_span,
        input: ModInput {
            path: file,
            display,
            replacement: Some(Replacement {
                stem: name,
                contents: renamed.text,
            }),
        },
        warnings,
    })
}

/// What is wrong when a package declares a mod as one kind and the file is another (`glia.insert` would call
/// NEURON the wrong way).
pub fn kind_mismatch(declared: DeclaredKind, file: Option<MechanismKind>) -> Option<String> {
    let file_kind = match file {
        Some(MechanismKind::Suffix) | None => DeclaredKind::Density,
        Some(MechanismKind::PointProcess) => DeclaredKind::PointProcess,
        Some(MechanismKind::ArtificialCell) => DeclaredKind::ArtificialCell,
        Some(_) => return None,
    };
    (file_kind != declared).then(|| {
        let flags = |kind: DeclaredKind| match kind {
            DeclaredKind::Density => "neither is_point_process nor is_artificial_cell",
            DeclaredKind::PointProcess => "is_point_process=True",
            DeclaredKind::ArtificialCell => "is_artificial_cell=True",
        };
        format!(
            "the package declares this mod with {}, but the file declares a {} mechanism ({}): glia.insert would fail",
            flags(declared),
            file_kind.name().replace('_', " "),
            flags(file_kind)
        )
    })
}

/// One mechanism to insert in the load test: its NEURON name and how to insert it (`density`, `point_process`,
/// `artificial_cell`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadTestMechanism {
    pub name: String,
    pub kind: String,
}

/// The load test's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadTestResult {
    /// Why the test could not run at all (the interpreter has no `neuron` module).
    pub not_run: Option<String>,
    /// Why NEURON could not load the library.
    #[serde(default)]
    pub library_error: Option<String>,
    /// Per mechanism name: `None` when it was inserted, else the error.
    pub mechanisms: BTreeMap<String, Option<String>>,
}

impl LoadTestResult {
    pub fn failures(&self) -> usize {
        self.mechanisms
            .values()
            .filter(|error| error.is_some())
            .count()
    }

    /// Whether the library failed the test (a test that could not run is not a failure).
    pub fn failed(&self) -> bool {
        self.library_error.is_some() || self.failures() > 0
    }
}

const LOAD_TEST_MARKER: &str = "GLIA-LOAD-TEST:";
const LOAD_TEST: &str = r#"
import json, sys
try:
    from neuron import h
except BaseException as error:
    print("GLIA-LOAD-TEST:" + json.dumps({"not_run": f"the neuron module cannot be imported: {error}"}))
    sys.exit()
if not h.nrn_load_dll(sys.argv[1]):
    print("GLIA-LOAD-TEST:" + json.dumps({"library_error": f"NEURON could not load {sys.argv[1]}"}))
    sys.exit()
section = h.Section(name="glia_load_test")
results = {}
for mechanism in json.loads(sys.argv[2]):
    name, kind = mechanism["name"], mechanism["kind"]
    try:
        if kind == "density":
            section.insert(name)
        elif kind == "point_process":
            getattr(h, name)(section(0.5))
        else:
            getattr(h, name)()
        results[name] = None
    except BaseException as error:
        results[name] = f"{type(error).__name__}: {error}"
print("GLIA-LOAD-TEST:" + json.dumps({"mechanisms": results}))
"#;

/// Loads `library` into NEURON in a subprocess of `environment`'s interpreter and inserts every mechanism once.
pub fn run_load_test(
    environment: &PythonEnvironment,
    library: &Path,
    mechanisms: &[LoadTestMechanism],
    executor: &Executor,
) -> LoadTestResult {
    let run = executor.run(
        &ToolCommand::new(ToolKind::Test, &environment.interpreter)
            .argument("-c")
            .argument(LOAD_TEST)
            .argument(library.as_os_str())
            .argument(serde_json::to_string(mechanisms).unwrap_or_default()),
    );
    #[derive(Deserialize)]
    struct Answer {
        not_run: Option<String>,
        library_error: Option<String>,
        #[serde(default)]
        mechanisms: BTreeMap<String, Option<String>>,
    }
    let answer = run
        .output
        .lines()
        .find_map(|line| line.strip_prefix(LOAD_TEST_MARKER))
        .and_then(|text| serde_json::from_str::<Answer>(text).ok());
    match answer {
        Some(answer) => LoadTestResult {
            not_run: answer.not_run,
            library_error: answer.library_error,
            mechanisms: answer.mechanisms,
        },
        // The process died (NEURON aborts the interpreter on some library errors).
        None => LoadTestResult {
            not_run: None,
            library_error: Some(format!(
                "the test process failed: {}",
                run.output.trim().lines().last().unwrap_or("no output")
            )),
            mechanisms: BTreeMap::new(),
        },
    }
}

/// How the load test inserts a mechanism of `kind` (what the file declares, else what the package declares).
pub fn load_test_kind(asset: &PreparedAsset) -> &'static str {
    match asset.file_kind {
        Some(MechanismKind::PointProcess) => "point_process",
        Some(MechanismKind::ArtificialCell) => "artificial_cell",
        Some(MechanismKind::Suffix) => "density",
        _ => asset.declared_kind.name(),
    }
}
