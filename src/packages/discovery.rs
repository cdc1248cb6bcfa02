//! Finding the Glia packages installed in an environment, without importing them.
//!
//! Each `glia.package` entry point (see [`super::distributions`]) names a module and an attribute. The module's
//! source is found on `sys.path` and its `Package(...)` declaration read by [`super::declaration`]. Where that
//! reader cannot answer exactly (a computed list, a helper module, a compiled or editable-installed module), the
//! interpreter is asked, once for all such packages, in one subprocess that imports them against a stand-in `glia`
//! module (so neither nmodl-glia's nor this project's start-up runs); each answer is remembered in the store, keyed
//! by the entry point, the interpreter, `sys.path` and the module file's contents.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::declaration::{
    read_package_declaration, ModDeclaration, NotStatic, PackageDeclaration, ReaderContext,
};
use super::distributions::{find_module_source, glia_entry_points, EntryPoint, ModuleLocation};
use super::environment::PythonEnvironment;
use crate::atomic_write::replace_file;
use crate::build::exec::{Executor, ToolCommand, ToolKind};
use crate::build::store::{KeyBuilder, Store};
use crate::span::Span;

/// An installed package whose declaration could be read.
#[derive(Clone, Debug)]
pub struct InstalledPackage {
    pub entry_point: EntryPoint,
    /// The module's source file, when it was found.
    pub module_file: Option<PathBuf>,
    pub declaration: PackageDeclaration,
    /// `None` when read statically; else why the interpreter was asked.
    pub read_by_interpreter: Option<String>,
}

/// Something wrong with an installed package, reported with the package and file it is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageProblem {
    /// `distribution (entry point name = module:attribute)`.
    pub package: String,
    pub file: Option<PathBuf>,
    /// The place in `file`, when known.
    pub span: Option<Span>,
    pub message: String,
}

/// What discovery found.
#[derive(Clone, Debug, Default)]
pub struct Discovery {
    pub packages: Vec<InstalledPackage>,
    /// Packages that could not be read (they are left out of `packages`).
    pub problems: Vec<PackageProblem>,
}

/// Every Glia package installed in `environment`.
pub fn discover_packages(
    environment: &PythonEnvironment,
    store: &Store,
    executor: &Executor,
) -> Discovery {
    let entry_points = glia_entry_points(&environment.search_path);
    let mut discovery = Discovery::default();
    let mut for_interpreter = Vec::new();
    for entry_point in entry_points {
        let location = find_module_source(&environment.search_path, &entry_point.module);
        let (module_file, static_answer) = match (&location, &entry_point.attribute) {
            (_, None) => {
                discovery.problems.push(PackageProblem {
                    package: describe(&entry_point),
                    file: Some(entry_point.metadata_folder.join("entry_points.txt")),
                    span: None,
                    message: format!(
                        "the entry point `{} = {}` names a module, not a `Package` object (`module:attribute`); packages written for Glia before 4.0 are not supported",
                        entry_point.name,
                        entry_point.value()
                    ),
                });
                continue;
            }
            (ModuleLocation::Source(file), Some(attribute)) => (
                Some(file.clone()),
                read_module_file(file, attribute, Some(environment)),
            ),
            (ModuleLocation::Missing, Some(_)) => (
                None,
                Err(NotStatic {
                    reason: format!("module `{}` is not found on sys.path", entry_point.module),
                    span: None,
                }),
            ),
            (ModuleLocation::NotSource(reason), Some(_)) => (
                None,
                Err(NotStatic {
                    reason: reason.clone(),
                    span: None,
                }),
            ),
        };
        match static_answer {
            Ok(declaration) => discovery.packages.push(InstalledPackage {
                entry_point,
                module_file,
                declaration,
                read_by_interpreter: None,
            }),
            Err(not_static) => for_interpreter.push((entry_point, module_file, not_static.reason)),
        }
    }
    if !for_interpreter.is_empty() {
        ask_interpreter(
            environment,
            store,
            executor,
            for_interpreter,
            &mut discovery,
        );
    }
    discovery
}

/// Reads the declaration bound to `attribute` in the module file `path` statically. Its imports are looked up in
/// `environment` when given (an import that would fail makes the reader refuse), else taken to succeed.
pub fn read_module_file(
    path: &Path,
    attribute: &str,
    environment: Option<&PythonEnvironment>,
) -> Result<PackageDeclaration, NotStatic> {
    let bytes = std::fs::read(path).map_err(|error| NotStatic {
        reason: format!("cannot read {}: {error}", path.display()),
        span: None,
    })?;
    let source = String::from_utf8(bytes).map_err(|_| NotStatic {
        reason: format!("{} is not UTF-8", path.display()),
        span: None,
    })?;
    if attribute.contains('.') {
        return Err(NotStatic {
            reason: format!("the entry point's attribute `{attribute}` is a path"),
            span: None,
        });
    }
    let resolve = |path: &Path| {
        std::fs::canonicalize(path)
            .unwrap_or_else(|_| std::path::absolute(path).unwrap_or(path.to_path_buf()))
    };
    let module_exists = |name: &str, level: usize| match (environment, level) {
        (None, _) => true,
        (Some(environment), 0) => {
            let top = name.split('.').next().unwrap_or_default();
            environment
                .builtin_modules
                .iter()
                .any(|builtin| builtin == top)
                || find_module_source(&environment.search_path, name) != ModuleLocation::Missing
        }
        (Some(_), level) => {
            // Relative to the package the module is in: `from . import x` from `pkg/__init__.py` looks in `pkg/`.
            let mut folder = path.parent().unwrap_or(Path::new(".")).to_path_buf();
            for _ in 1..level {
                folder.pop();
            }
            if name.is_empty() {
                return true;
            }
            let base = folder.join(name.replace('.', "/"));
            base.is_dir() || base.with_extension("py").is_file()
        }
    };
    read_package_declaration(
        &source,
        path,
        attribute,
        &ReaderContext {
            resolve: &resolve,
            module_exists: &module_exists,
        },
    )
}

fn describe(entry_point: &EntryPoint) -> String {
    format!(
        "{} ({} = {})",
        entry_point.distribution,
        entry_point.name,
        entry_point.value()
    )
}

/// The stand-in `glia` module the interpreter imports package modules against: Glia 8's `Package` and `Mod`
/// signatures, recording their arguments.
const STAND_IN_GLIA: &str = r#""""A stand-in for the glia module: the glia command imports package modules against it to read their
declarations without starting either Glia implementation."""

from pathlib import Path as _Path

__version__ = "8.0.2"


class Mod:
    def __init__(self, relpath, asset_name, *, variant="0", is_point_process=False,
                 is_artificial_cell=False, dialect=None, builtin=False):
        self.relpath = relpath
        self.asset_name = asset_name
        self.variant = variant
        self.is_point_process = is_point_process
        self.is_artificial_cell = is_artificial_cell
        self.dialect = dialect
        self.builtin = builtin


class Package:
    def __init__(self, name, root, *, mods=None, builtin=False):
        self.name = name
        self.root = _Path(root)
        self.mods = list(mods or [])
        self.builtin = builtin
        for mod in self.mods:
            if not isinstance(mod, Mod):
                raise TypeError(f"Package mod '{mod}' is not a valid `glia.Mod`.")
"#;

const STAND_IN_ASSETS: &str = "from . import Mod, Package\n";

/// Imports each requested `module`/`attribute` and prints its declaration (or the error) after a marker.
const READ_DECLARATIONS: &str = r#"
import importlib, json, sys
sys.path[:0] = [sys.argv[1]] + json.loads(sys.argv[3])
import glia
for request in json.loads(sys.argv[2]):
    try:
        value = importlib.import_module(request["module"])
        for part in request["attribute"].split("."):
            value = getattr(value, part)
        if not isinstance(value, glia.Package):
            raise TypeError(f"{request['attribute']} is {type(value).__name__}, not a glia.Package")
        def text(value, what):
            if not isinstance(value, str):
                raise TypeError(f"{what} is {type(value).__name__} {value!r}, not a string")
            return value
        answer = {"declaration": {
            "name": text(value.name, "the package name"),
            "root": str(value.root),
            "builtin": bool(value.builtin),
            "mods": [{
                "relative_path": None if mod.relpath is None else str(mod.relpath),
                "asset": text(mod.asset_name, "an asset name"),
                "variant": str(mod.variant),
                "is_point_process": bool(mod.is_point_process),
                "is_artificial_cell": bool(mod.is_artificial_cell),
                "dialect": None if mod.dialect is None else str(mod.dialect),
                "builtin": bool(mod.builtin),
            } for mod in value.mods],
        }}
    except BaseException as error:
        answer = {"error": f"{type(error).__name__}: {error}"}
    print("GLIA-PACKAGE:" + json.dumps(answer), flush=True)
"#;
const ANSWER_MARKER: &str = "GLIA-PACKAGE:";

#[derive(Serialize, Deserialize)]
struct ModAnswer {
    relative_path: Option<String>,
    asset: String,
    variant: String,
    is_point_process: bool,
    is_artificial_cell: bool,
    dialect: Option<String>,
    builtin: bool,
}

#[derive(Serialize, Deserialize)]
struct DeclarationAnswer {
    name: String,
    root: PathBuf,
    builtin: bool,
    mods: Vec<ModAnswer>,
}

#[derive(Serialize, Deserialize)]
struct Answer {
    declaration: Option<DeclarationAnswer>,
    error: Option<String>,
}

impl DeclarationAnswer {
    fn into_declaration(self) -> PackageDeclaration {
        PackageDeclaration {
            name: self.name,
            root: self.root,
            builtin: self.builtin,
            mods: self
                .mods
                .into_iter()
                .map(|answer| ModDeclaration {
                    relative_path: answer.relative_path,
                    asset: answer.asset,
                    variant: answer.variant,
                    is_point_process: answer.is_point_process,
                    is_artificial_cell: answer.is_artificial_cell,
                    dialect_text: answer.dialect,
                    builtin: answer.builtin,
                    span: None,
                })
                .collect(),
            place: None,
        }
    }
}

fn ask_interpreter(
    environment: &PythonEnvironment,
    store: &Store,
    executor: &Executor,
    requests: Vec<(EntryPoint, Option<PathBuf>, String)>,
    discovery: &mut Discovery,
) {
    let keyed: Vec<_> = requests
        .into_iter()
        .map(|(entry_point, module_file, reason)| {
            let contents = module_file
                .as_ref()
                .and_then(|file| std::fs::read(file).ok())
                .unwrap_or_default();
            let mut key = KeyBuilder::new("package-declaration", 1)
                .text_field("entry point", &entry_point.value())
                .text_field("interpreter", &environment.interpreter.to_string_lossy())
                .field("module file", &Sha256::digest(&contents));
            for folder in &environment.search_path {
                key = key.text_field("sys.path", &folder.to_string_lossy());
            }
            (entry_point, module_file, reason, key.finish())
        })
        .collect();
    let remembered: Vec<Option<Answer>> = keyed
        .iter()
        .map(|(_, _, _, key)| {
            store
                .lookup("package-declarations", key, "json")
                .and_then(|path| std::fs::read(path).ok())
                .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        })
        .collect();
    let missing: Vec<usize> = (0..keyed.len())
        .filter(|&index| remembered[index].is_none())
        .collect();
    let mut fresh: Vec<Option<Answer>> = (0..keyed.len()).map(|_| None).collect();
    let mut failure = None;
    if !missing.is_empty() {
        let questions: Vec<serde_json::Value> = missing
            .iter()
            .map(|&index| {
                let entry_point = &keyed[index].0;
                serde_json::json!({
                    "module": entry_point.module,
                    "attribute": entry_point.attribute.clone().unwrap_or_default(),
                })
            })
            .collect();
        match run_reader(
            environment,
            store,
            executor,
            &questions,
            &environment.search_path,
        ) {
            Ok(answers) if answers.len() == missing.len() => {
                for (&index, answer) in missing.iter().zip(answers) {
                    if let Ok(bytes) = serde_json::to_vec(&answer) {
                        let _ = store.insert_bytes(
                            "package-declarations",
                            &keyed[index].3,
                            "json",
                            &bytes,
                        );
                    }
                    fresh[index] = Some(answer);
                }
            }
            Ok(_) => failure = Some("the interpreter's answer was cut short".to_string()),
            Err(message) => failure = Some(message),
        }
    }
    for ((index, (entry_point, module_file, reason, _)), remembered) in
        keyed.into_iter().enumerate().zip(remembered)
    {
        let answer = remembered.or_else(|| fresh[index].take());
        let problem = |message: String| PackageProblem {
            package: describe(&entry_point),
            file: module_file.clone(),
            span: None,
            message,
        };
        match answer {
            Some(Answer {
                declaration: Some(declaration),
                ..
            }) => discovery.packages.push(InstalledPackage {
                entry_point,
                module_file,
                declaration: declaration.into_declaration(),
                read_by_interpreter: Some(reason),
            }),
            Some(Answer { error, .. }) => discovery.problems.push(problem(format!(
                "importing `{}` failed: {}",
                entry_point.value(),
                error.unwrap_or_default()
            ))),
            None => discovery.problems.push(problem(format!(
                "cannot read the package statically ({reason}), nor through {}: {}",
                environment.interpreter.display(),
                failure.clone().unwrap_or_default()
            ))),
        }
    }
}

/// Imports `module` and reads the declaration bound to `attribute` in the environment's interpreter, with the
/// folders of `extra_path` first on `sys.path` (a project not installed); the error is the import's. Not
/// remembered: for `glia pkg check`, which must see the project as it is now.
pub fn import_declaration(
    environment: &PythonEnvironment,
    store: &Store,
    executor: &Executor,
    module: &str,
    attribute: &str,
    extra_path: &[PathBuf],
) -> Result<PackageDeclaration, String> {
    let question = serde_json::json!({"module": module, "attribute": attribute});
    let mut path = extra_path.to_vec();
    path.extend(environment.search_path.iter().cloned());
    let mut answers = run_reader(environment, store, executor, &[question], &path)?;
    match answers.pop() {
        Some(Answer {
            declaration: Some(declaration),
            ..
        }) => Ok(declaration.into_declaration()),
        Some(Answer { error, .. }) => Err(error.unwrap_or_default()),
        None => Err("the interpreter gave no answer".to_string()),
    }
}

/// Runs the declaration reader in the environment's interpreter, with `path` before its own `sys.path` (the
/// environment's search path is the one that counts, whatever the interpreter's variables say).
fn run_reader(
    environment: &PythonEnvironment,
    store: &Store,
    executor: &Executor,
    questions: &[serde_json::Value],
    path: &[PathBuf],
) -> Result<Vec<Answer>, String> {
    let stand_in = store.root().join("python-stand-in-1");
    let glia_folder = stand_in.join("glia");
    for (name, text) in [
        ("__init__.py", STAND_IN_GLIA),
        ("assets.py", STAND_IN_ASSETS),
    ] {
        let path = glia_folder.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            std::fs::create_dir_all(&glia_folder).map_err(|error| error.to_string())?;
            replace_file(&path, text.as_bytes()).map_err(|error| error.to_string())?;
        }
    }
    let run = executor.run(
        &ToolCommand::new(ToolKind::Query, &environment.interpreter)
            .argument("-c")
            .argument(READ_DECLARATIONS)
            .argument(stand_in.as_os_str())
            .argument(serde_json::Value::Array(questions.to_vec()).to_string())
            .argument(serde_json::to_string(path).unwrap_or_else(|_| "[]".to_string())),
    );
    let answers: Vec<Answer> = run
        .output
        .lines()
        .filter_map(|line| line.strip_prefix(ANSWER_MARKER))
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    if answers.is_empty() && !run.success {
        return Err(run.output.trim().to_string());
    }
    Ok(answers)
}
