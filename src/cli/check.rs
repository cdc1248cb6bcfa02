//! `glia check`: reads mod files in parallel and reports their syntax errors.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use rayon::prelude::*;

use super::inputs::collect_mod_files;
use super::{exit, DialectArgument, OutputFormat};
use crate::diagnostics::{human, json, Diagnostic, FileReport};
use crate::syntax::{parse, Dialect};

#[derive(Args, Debug)]
pub struct CheckArguments {
    /// The dialect to read the files in.
    #[arg(long, value_enum, default_value = "neuron")]
    dialect: DialectArgument,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
    /// Files or directories (searched recursively for `*.mod`).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

struct CheckedFile {
    display: String,
    source: Vec<u8>,
    diagnostics: Vec<Diagnostic>,
}

pub fn run(arguments: &CheckArguments) -> ExitCode {
    let dialect: Dialect = arguments.dialect.into();
    let (files, mut input_errors) = collect_mod_files(&arguments.paths);
    let results: Vec<Result<CheckedFile, (PathBuf, String)>> = files
        .par_iter()
        .map(|file| match std::fs::read(&file.path) {
            Ok(source) => {
                let diagnostics = parse(&source, dialect).diagnostics;
                Ok(CheckedFile {
                    display: file.display.clone(),
                    source,
                    diagnostics,
                })
            }
            Err(error) => Err((file.path.clone(), error.to_string())),
        })
        .collect();
    let mut checked = Vec::with_capacity(results.len());
    for result in results {
        match result {
            Ok(file) => checked.push(file),
            Err((path, message)) => input_errors.push(super::inputs::InputError { path, message }),
        }
    }

    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let write_result = match arguments.format {
        OutputFormat::Json => {
            let all: Vec<json::JsonDiagnostic> = checked
                .iter()
                .flat_map(|file| json::to_json(&report(file)))
                .collect();
            serde_json::to_writer_pretty(&mut out, &all)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out))
        }
        OutputFormat::Human => {
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            checked
                .iter()
                .try_for_each(|file| human::render(&report(file), colour, &mut out))
        }
    };
    if let Err(error) = write_result {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("glia: cannot write output: {error}");
            return ExitCode::from(exit::USAGE_OR_IO);
        }
    }
    for error in &input_errors {
        eprintln!(
            "glia: cannot read {}: {}",
            error.path.display(),
            error.message
        );
    }

    let error_count: usize = checked
        .iter()
        .map(|file| file.diagnostics.iter().filter(|d| d.is_error()).count())
        .sum();
    let warning_count: usize = checked
        .iter()
        .map(|file| file.diagnostics.iter().filter(|d| !d.is_error()).count())
        .sum();
    if arguments.format == OutputFormat::Human {
        let files_with_errors = checked
            .iter()
            .filter(|file| file.diagnostics.iter().any(Diagnostic::is_error))
            .count();
        eprintln!(
            "checked {} file{}: {} error{} in {} file{}, {} warning{}",
            checked.len(),
            plural(checked.len()),
            error_count,
            plural(error_count),
            files_with_errors,
            plural(files_with_errors),
            warning_count,
            plural(warning_count),
        );
    }
    if !input_errors.is_empty() {
        ExitCode::from(exit::USAGE_OR_IO)
    } else if error_count > 0 {
        ExitCode::from(exit::FOUND_PROBLEMS)
    } else {
        ExitCode::from(exit::CLEAN)
    }
}

fn report(file: &CheckedFile) -> FileReport<'_> {
    FileReport {
        path: &file.display,
        source: &file.source,
        diagnostics: &file.diagnostics,
    }
}

fn plural(count: usize) -> &'static str {
    if count == 1 {
        ""
    } else {
        "s"
    }
}
