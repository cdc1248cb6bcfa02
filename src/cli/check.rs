//! `glia check`: reads mod files in parallel and reports their syntax errors (and what the dialect's compiler
//! refuses beyond the shared grammar).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::report::{run_pass, DiagnosticFormat, ReportOptions};
use super::DialectArgument;
use crate::semantics::lint::in_dialects;
use crate::syntax::parse;

#[derive(Args, Debug)]
pub struct CheckArguments {
    /// The dialect to read the files in.
    #[arg(long, value_enum, default_value = "neuron")]
    dialect: DialectArgument,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    format: DiagnosticFormat,
    /// Files or directories (searched recursively for `*.mod`).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

pub fn run(arguments: &CheckArguments) -> ExitCode {
    let dialects = [arguments.dialect.into()];
    run_pass(
        &arguments.paths,
        &ReportOptions::new(arguments.format),
        &|_file, source| {
            in_dialects(source, &dialects, |source, dialect| {
                parse(source, dialect).diagnostics
            })
        },
    )
}
