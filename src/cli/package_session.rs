//! What the package commands share: the `--python` option, opening the store, finding the environment and its
//! packages (the index), and printing package problems as diagnostics on the package's Python file.

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::build_common::open_build_store;
use super::exit;
use crate::build::exec::Executor;
use crate::build::store::Store;
use crate::diagnostics::{human, Code, Diagnostic, FileReport};
use crate::packages::discovery::PackageProblem;
use crate::packages::environment::PythonEnvironment;
pub use crate::packages::session::PackageSession;
use crate::span::Span;

/// Which environment's packages to use.
#[derive(Args, Debug, Clone)]
pub struct EnvironmentOptions {
    /// The Python interpreter of the environment (default: the active virtual environment's, else `python3` on
    /// PATH).
    #[arg(long, value_name = "PYTHON")]
    pub python: Option<PathBuf>,
    /// The build store and products (default: GLIA_CACHE_DIR, else ~/.cache/glia).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
}

/// Prints `message` as an error and gives the usage/IO exit status.
pub fn usage_error(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(exit::USAGE_OR_IO)
}

/// The environment of a session as the JSON reports give it: interpreter, prefix, and glia's folder for it.
pub fn environment_json(session: &PackageSession) -> serde_json::Value {
    serde_json::json!({
        "interpreter": session.environment.interpreter,
        "prefix": session.environment.prefix,
        "folder": session.folder.path,
    })
}

/// Finds the environment of `python` (default: the active one) and reads its packages; the store is `cache_dir`
/// or the default one.
pub fn open_session(
    python: Option<&Path>,
    cache_dir: Option<&Path>,
    shared_store: Option<&Path>,
    executor: &Executor,
) -> Result<PackageSession, ExitCode> {
    let (environment, store) = open_environment(python, cache_dir, shared_store, executor)?;
    Ok(PackageSession::open(environment, store, executor))
}

/// Finds the environment of `python` (default: the active one), without reading its packages.
pub fn open_environment(
    python: Option<&Path>,
    cache_dir: Option<&Path>,
    shared_store: Option<&Path>,
    executor: &Executor,
) -> Result<(PythonEnvironment, Store), ExitCode> {
    let store = open_build_store(cache_dir, shared_store)?;
    let interpreter = PythonEnvironment::find_interpreter(python).map_err(usage_error)?;
    let environment =
        PythonEnvironment::of_interpreter(&interpreter, &store, executor).map_err(usage_error)?;
    Ok((environment, store))
}

/// The problems as diagnostics, grouped by file (`None`: not about a readable file), in order of appearance.
pub fn problem_diagnostics(
    problems: &[PackageProblem],
) -> Vec<(Option<PathBuf>, Vec<u8>, Vec<Diagnostic>)> {
    let mut grouped: BTreeMap<Option<PathBuf>, (usize, Vec<Diagnostic>)> = BTreeMap::new();
    for (position, problem) in problems.iter().enumerate() {
        let diagnostic = Diagnostic::error(
            Code::Package,
            format!("package {}: {}", problem.package, problem.message),
            problem.span.unwrap_or(Span::empty_at(0)),
            "",
        );
        grouped
            .entry(problem.file.clone())
            .or_insert_with(|| (position, Vec::new()))
            .1
            .push(diagnostic);
    }
    let mut files: Vec<_> = grouped.into_iter().collect();
    files.sort_by_key(|(_, (position, _))| *position);
    files
        .into_iter()
        .map(|(file, (_, diagnostics))| {
            let source = file
                .as_deref()
                .filter(|file| file.is_file())
                .and_then(|file| std::fs::read(file).ok())
                .unwrap_or_default();
            (file, source, diagnostics)
        })
        .collect()
}

/// Prints package problems on standard error (rendered on their Python file when it can be read).
pub fn print_problems(problems: &[PackageProblem]) {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let _ = write_problems(problems, colour, &mut std::io::stderr().lock());
}

/// Writes package problems to `out` (rendered on their Python file when it can be read).
pub fn write_problems(
    problems: &[PackageProblem],
    colour: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for (file, source, diagnostics) in problem_diagnostics(problems) {
        match file {
            Some(file) if !source.is_empty() => {
                let display = file.display().to_string();
                human::render(
                    &FileReport {
                        path: &display,
                        source: &source,
                        diagnostics: &diagnostics,
                    },
                    colour,
                    out,
                )?;
            }
            _ => {
                let place = file.map_or(String::new(), |file| format!(" ({})", file.display()));
                for diagnostic in diagnostics {
                    writeln!(
                        out,
                        "error[{}]: {}{place}",
                        diagnostic.code.as_str(),
                        diagnostic.message
                    )?;
                }
            }
        }
    }
    Ok(())
}
