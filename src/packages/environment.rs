//! The Python environment whose packages glia serves: its interpreter, `sys.prefix` and `sys.path`.
//!
//! The interpreter is `--python` when given, else the active virtual environment's (`$VIRTUAL_ENV/bin/python`),
//! else `python3` on `PATH`. Its `sys.path` is asked once, in a subprocess, and remembered in the store, keyed by
//! the interpreter's path and the variables that change `sys.path` (`PYTHONPATH`, `PYTHONHOME`,
//! `PYTHONNOUSERSITE`, `PYTHONUSERBASE`, `PYTHONSAFEPATH`). The answer is used while the interpreter file and every
//! folder of its `sys.path` keep their size and modification time, so installing or removing a package (which
//! changes its site-packages folder) asks again, and a run that finds it unchanged starts no process.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::build::exec::{Executor, ToolCommand, ToolKind};
use crate::build::store::{KeyBuilder, Store};
use crate::build::toolchain::{file_stamp, find_on_path};

/// An environment: where its packages are found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PythonEnvironment {
    /// The interpreter (as found, not resolved).
    pub interpreter: PathBuf,
    /// `sys.prefix`: the virtual environment's folder, or the installation's.
    pub prefix: PathBuf,
    /// The folders of `sys.path`, in order (the current folder's empty entry left out).
    pub search_path: Vec<PathBuf>,
    /// `sys.builtin_module_names`: modules compiled into the interpreter, found on no path.
    #[serde(default)]
    pub builtin_modules: Vec<String>,
}

/// Why the environment could not be found or asked.
#[derive(Debug, thiserror::Error)]
pub enum EnvironmentError {
    #[error("no Python interpreter: {0}")]
    NoInterpreter(String),
    #[error("cannot ask {} for its sys.path: {message}", .interpreter.display())]
    Query {
        interpreter: PathBuf,
        message: String,
    },
}

/// What the interpreter says of itself.
#[derive(Serialize, Deserialize)]
struct RememberedAnswer {
    format: u32,
    environment: PythonEnvironment,
    /// The interpreter's stamp and each `sys.path` folder's, when asked.
    stamps: Vec<(PathBuf, String)>,
}

const ANSWER_FORMAT: u32 = 2;
const ANSWER_MARKER: &str = "GLIA-PYTHON-ENVIRONMENT:";
const QUESTION: &str = "import json, sys\nprint('GLIA-PYTHON-ENVIRONMENT:' + json.dumps({'prefix': sys.prefix, 'path': sys.path, 'builtin': sys.builtin_module_names}))\n";
/// Variables that change what `sys.path` is.
const PATH_VARIABLES: &[&str] = &[
    "PYTHONPATH",
    "PYTHONHOME",
    "PYTHONNOUSERSITE",
    "PYTHONUSERBASE",
    "PYTHONSAFEPATH",
];

impl PythonEnvironment {
    /// The interpreter to ask: `explicit`, else `$VIRTUAL_ENV/bin/python`, else `python3` on `PATH`.
    pub fn find_interpreter(explicit: Option<&Path>) -> Result<PathBuf, EnvironmentError> {
        if let Some(interpreter) = explicit {
            return Ok(interpreter.to_path_buf());
        }
        if let Some(virtual_environment) =
            std::env::var_os("VIRTUAL_ENV").filter(|value| !value.is_empty())
        {
            let folder = PathBuf::from(virtual_environment);
            for name in ["python", "python3"] {
                let candidate = folder.join("bin").join(name);
                if candidate.is_file() {
                    return Ok(candidate);
                }
            }
            return Err(EnvironmentError::NoInterpreter(format!(
                "VIRTUAL_ENV is {} but it has no bin/python",
                folder.display()
            )));
        }
        find_on_path("python3", std::env::var_os("PATH").as_deref()).ok_or_else(|| {
            EnvironmentError::NoInterpreter(
                "no active virtual environment (VIRTUAL_ENV) and no python3 on PATH; give --python"
                    .to_string(),
            )
        })
    }

    /// The environment of `interpreter`, from the store when nothing changed since it was last asked.
    pub fn of_interpreter(
        interpreter: &Path,
        store: &Store,
        executor: &Executor,
    ) -> Result<PythonEnvironment, EnvironmentError> {
        let canonical =
            std::fs::canonicalize(interpreter).map_err(|error| EnvironmentError::Query {
                interpreter: interpreter.to_path_buf(),
                message: error.to_string(),
            })?;
        let mut key = KeyBuilder::new("python-environment", ANSWER_FORMAT)
            .text_field("interpreter", &interpreter.to_string_lossy())
            .text_field("resolved", &canonical.to_string_lossy());
        for variable in PATH_VARIABLES {
            let value = std::env::var_os(variable).unwrap_or_default();
            key = key.text_field(variable, &value.to_string_lossy());
        }
        let key = key.finish();
        if let Some(remembered) = store
            .lookup("python-environments", &key, "json")
            .and_then(|path| std::fs::read(path).ok())
            .and_then(|bytes| serde_json::from_slice::<RememberedAnswer>(&bytes).ok())
        {
            let unchanged = remembered.format == ANSWER_FORMAT
                && remembered
                    .stamps
                    .iter()
                    .all(|(path, stamp)| file_stamp(path) == *stamp);
            if unchanged {
                return Ok(remembered.environment);
            }
        }
        let run = executor.run(
            &ToolCommand::new(ToolKind::Query, interpreter)
                .argument("-c")
                .argument(QUESTION),
        );
        let answer = run
            .output
            .lines()
            .find_map(|line| line.strip_prefix(ANSWER_MARKER))
            .filter(|_| run.success)
            .ok_or_else(|| EnvironmentError::Query {
                interpreter: interpreter.to_path_buf(),
                message: run.output.trim().to_string(),
            })?;
        #[derive(Deserialize)]
        struct Answer {
            prefix: PathBuf,
            path: Vec<String>,
            builtin: Vec<String>,
        }
        let answer: Answer =
            serde_json::from_str(answer).map_err(|error| EnvironmentError::Query {
                interpreter: interpreter.to_path_buf(),
                message: format!("unexpected answer: {error}"),
            })?;
        let environment = PythonEnvironment {
            interpreter: interpreter.to_path_buf(),
            prefix: answer.prefix,
            search_path: answer
                .path
                .into_iter()
                .filter(|entry| !entry.is_empty())
                .map(PathBuf::from)
                .collect(),
            builtin_modules: answer.builtin,
        };
        let mut stamps = vec![(canonical.clone(), file_stamp(&canonical))];
        stamps.extend(
            environment
                .search_path
                .iter()
                .map(|folder| (folder.clone(), file_stamp(folder))),
        );
        let remembered = RememberedAnswer {
            format: ANSWER_FORMAT,
            environment: environment.clone(),
            stamps,
        };
        if let Ok(bytes) = serde_json::to_vec_pretty(&remembered) {
            // Best effort: without it the next run asks again.
            let _ = store.insert_bytes("python-environments", &key, "json", &bytes);
        }
        Ok(environment)
    }

    /// A short, stable name for the environment's build folder: the prefix's last component and a hash of the
    /// whole prefix (`venv-3f2a9c1b`).
    pub fn folder_name(&self) -> String {
        let key = KeyBuilder::new("python-environment-folder", 1)
            .text_field("prefix", &self.prefix.to_string_lossy())
            .finish();
        let base: String = self
            .prefix
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
            .chars()
            .map(|character| {
                if character.is_ascii_alphanumeric() || character == '_' || character == '-' {
                    character
                } else {
                    '_'
                }
            })
            .collect();
        let base = if base.trim_matches('.').is_empty() {
            "python".to_string()
        } else {
            base
        };
        format!("{base}-{}", &key.as_str()[..8])
    }
}
