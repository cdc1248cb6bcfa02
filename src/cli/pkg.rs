//! `glia pkg new | add | check`: making, filling and checking a Glia package project.
//!
//! - `new`: writes the template (flags, or prompts on a terminal for what the flags do not give); exit 2 when the
//!   folder exists or a name is invalid.
//! - `add FILE.mod`: copies the file into the package, renamed, and declares it (see `packages::add`); exit 1 when
//!   the file has syntax errors (printed), 2 for the other refusals.
//! - `check [PATH]`: what to run before publishing; the output formats and exit statuses of `glia lint`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use super::build_common::open_build_store;
use super::exit;
use super::lint::FailOn;
use super::package_session::usage_error;
use super::report::{print_reported_files, DiagnosticFormat, ReportOptions, ReportedFile};
use crate::atomic_write::replace_file;
use crate::build::exec::Executor;
use crate::diagnostics::{human, FileReport, Severity};
use crate::packages::add::{add_mod, AddError, AddRequest};
use crate::packages::check::{check_project, Importer};
use crate::packages::declaration::DeclaredDialect;
use crate::packages::environment::PythonEnvironment;
use crate::packages::project::Project;
use crate::packages::template::{check_slug, slug_of, template_files, TemplateOptions};

#[derive(Subcommand, Debug)]
pub enum PkgCommand {
    /// Create a new Glia package project (installable with pip, found by Glia).
    New(NewArguments),
    /// Copy a mod file into the package, renamed, and declare it in the package's `Package(...)`.
    Add(AddArguments),
    /// Check a package before publishing: its declaration, names, files, and each mod file in its dialects.
    Check(CheckArguments),
}

#[derive(Args, Debug)]
pub struct NewArguments {
    /// The folder to create the project in (default: the current folder).
    #[arg(long, default_value = ".")]
    parent: PathBuf,
    /// The project's name (e.g. "My channels"); the package, module and distribution name is derived from it.
    #[arg(long)]
    name: Option<String>,
    /// The package, module and distribution name (default: the name in lower case, spaces and `-` as `_`).
    #[arg(long)]
    slug: Option<String>,
    #[arg(long)]
    author: Option<String>,
    #[arg(long)]
    email: Option<String>,
    #[arg(long)]
    description: Option<String>,
    /// The first version.
    #[arg(long = "package-version", default_value = "0.1.0")]
    package_version: String,
    /// Never prompt (the defaults stand for what is not given).
    #[arg(long)]
    no_input: bool,
}

#[derive(Args, Debug)]
pub struct AddArguments {
    /// The mod file.
    source: PathBuf,
    /// The asset name (default: from the file name: `Kv1__fast.mod` gives `Kv1`, `hh.mod` gives `hh`).
    #[arg(short = 'n', long)]
    name: Option<String>,
    /// The variant (default: from the file name, else `0`).
    #[arg(short = 'v', long)]
    variant: Option<String>,
    /// Restrict the mod to Arbor.
    #[arg(short = 'a', long, conflicts_with = "neuron")]
    arbor: bool,
    /// Restrict the mod to NEURON.
    #[arg(short = 'N', long)]
    neuron: bool,
    /// The folder, relative to the package folder, to put the file in (default: the mod folder).
    #[arg(short = 't', long)]
    target: Option<PathBuf>,
    /// Replace a file already at the target.
    #[arg(short = 'w', long)]
    overwrite: bool,
    /// The package project (default: the nearest folder with a pyproject.toml, from the current one up).
    #[arg(long, default_value = ".")]
    project: PathBuf,
}

#[derive(Args, Debug)]
pub struct CheckArguments {
    /// The package project (default: the nearest folder with a pyproject.toml, from the current one up).
    #[arg(default_value = ".")]
    project: PathBuf,
    /// The Python interpreter that imports the package (default: the active virtual environment's, else `python3`
    /// on PATH).
    #[arg(long, value_name = "PYTHON")]
    python: Option<PathBuf>,
    /// Do not import the package (check the source only).
    #[arg(long)]
    no_import: bool,
    /// The build store, where the interpreter's answers are remembered (default: GLIA_CACHE_DIR, else
    /// ~/.cache/glia).
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    format: DiagnosticFormat,
    /// The least severity that makes the exit status 1.
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOn,
}

pub fn run(command: &PkgCommand) -> ExitCode {
    match command {
        PkgCommand::New(arguments) => run_new(arguments),
        PkgCommand::Add(arguments) => run_add(arguments),
        PkgCommand::Check(arguments) => run_check(arguments),
    }
}

/// Asks for `what` on a terminal (the default on an empty answer); the default without one.
fn ask(what: &str, given: Option<&String>, default: &str, interactive: bool) -> String {
    if let Some(given) = given {
        return given.clone();
    }
    if !interactive {
        return default.to_string();
    }
    eprint!("{what} [{default}]: ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    let _ = std::io::stdin().lock().read_line(&mut answer);
    let answer = answer.trim();
    if answer.is_empty() {
        default.to_string()
    } else {
        answer.to_string()
    }
}

fn run_new(arguments: &NewArguments) -> ExitCode {
    let interactive = !arguments.no_input && std::io::stdin().is_terminal();
    let project_name = ask(
        "Project name",
        arguments.name.as_ref(),
        "Glia package",
        interactive,
    );
    let slug = ask(
        "Package name",
        arguments.slug.as_ref(),
        &slug_of(&project_name),
        interactive,
    );
    if let Err(message) = check_slug(&slug) {
        return usage_error(message);
    }
    let options = TemplateOptions {
        project_name: project_name.clone(),
        author: ask("Author", arguments.author.as_ref(), "Me", interactive),
        email: ask(
            "Email",
            arguments.email.as_ref(),
            "me@example.com",
            interactive,
        ),
        description: ask(
            "Description",
            arguments.description.as_ref(),
            "My collection of NMODL assets.",
            interactive,
        ),
        version: arguments.package_version.clone(),
        slug: slug.clone(),
    };
    let folder = arguments.parent.join(&slug);
    if folder.exists() {
        return usage_error(format!("{} already exists", folder.display()));
    }
    for (relative, contents) in template_files(&options) {
        let path = folder.join(&relative);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| replace_file(&path, contents.as_bytes()));
        if let Err(error) = written {
            let _ = std::fs::remove_dir_all(&folder);
            return usage_error(format!("cannot write {}: {error}", path.display()));
        }
    }
    eprintln!(
        "created {} (package `{slug}`); add mod files with `glia pkg add FILE.mod` in it, install with `pip install {}`",
        folder.display(),
        folder.display()
    );
    ExitCode::from(exit::CLEAN)
}

fn run_add(arguments: &AddArguments) -> ExitCode {
    let project = match Project::find(&arguments.project) {
        Ok(project) => project,
        Err(error) => return usage_error(error),
    };
    let request = AddRequest {
        source_file: arguments.source.clone(),
        asset: arguments.name.clone(),
        variant: arguments.variant.clone(),
        dialect: match (arguments.arbor, arguments.neuron) {
            (true, _) => Some(DeclaredDialect::Arbor),
            (_, true) => Some(DeclaredDialect::Neuron),
            _ => None,
        },
        target: arguments.target.clone(),
        overwrite: arguments.overwrite,
    };
    match add_mod(&project, &request) {
        Ok(added) => {
            eprintln!(
                "added {} and declared it in {}:\n    {}",
                added.mod_file.display(),
                added.module_file.display(),
                added.declaration
            );
            ExitCode::from(exit::CLEAN)
        }
        Err(AddError::Syntax {
            path,
            text,
            diagnostics,
        }) => {
            let display = path.display().to_string();
            let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            let _ = human::render(
                &FileReport {
                    path: &display,
                    source: &text,
                    diagnostics: &diagnostics,
                },
                colour,
                &mut std::io::stderr().lock(),
            );
            eprintln!("error: {display} was not added: fix its syntax errors first");
            ExitCode::from(exit::FOUND_PROBLEMS)
        }
        Err(error) => usage_error(error),
    }
}

fn run_check(arguments: &CheckArguments) -> ExitCode {
    let project = match Project::find(&arguments.project) {
        Ok(project) => project,
        Err(error) => return usage_error(error),
    };
    let executor = match Executor::new(1, None, false) {
        Ok(executor) => executor,
        Err(error) => return usage_error(format!("cannot start: {error}")),
    };
    let opened = if arguments.no_import {
        None
    } else {
        let store = match open_build_store(arguments.cache_dir.as_deref(), None) {
            Ok(store) => store,
            Err(status) => return status,
        };
        let interpreter = match PythonEnvironment::find_interpreter(arguments.python.as_deref()) {
            Ok(interpreter) => interpreter,
            Err(error) => return usage_error(error),
        };
        match PythonEnvironment::of_interpreter(&interpreter, &store, &executor) {
            Ok(environment) => Some((environment, store)),
            Err(error) => return usage_error(error),
        }
    };
    let importer = opened.as_ref().map(|(environment, store)| Importer {
        environment,
        store,
        executor: &executor,
    });
    let checked = check_project(&project, importer.as_ref());
    let working_folder = std::env::current_dir().unwrap_or_default();
    let reported: Vec<ReportedFile> = checked
        .into_iter()
        .map(|file| ReportedFile {
            display: file
                .path
                .strip_prefix(&working_folder)
                .unwrap_or(&file.path)
                .display()
                .to_string(),
            path: file.path,
            source: file.source,
            diagnostics: file.diagnostics,
        })
        .collect();
    let mut options = ReportOptions::new(arguments.format);
    options.fail_on = match arguments.fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
    };
    print_reported_files(&reported, &[], &options)
}
