//! `glia check`: reads mod files in parallel and reports their syntax errors (and what the dialect's compiler
//! refuses beyond the shared grammar).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::report::{run_pass, DiagnosticFormat, ReportOptions};
use super::DialectArgument;
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
    run_pass(
        &arguments.paths,
        &[arguments.dialect.into()],
        &ReportOptions::new(arguments.format),
        &|source, dialect| parse(source, dialect).diagnostics,
    )
}
