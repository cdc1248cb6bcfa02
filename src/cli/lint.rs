//! `glia lint`: what nocmodl and modcc will reject, syntax and beyond, for CI and for package authors; and
//! `glia rule`, the documentation of each rule.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::exit;
use super::report::{run_pass, DiagnosticFormat};
use crate::semantics::lint::{lint, rule_by_code, RULES};
use crate::syntax::Dialect;

/// The dialects to lint for.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum LintDialect {
    Neuron,
    Arbor,
    Both,
}

#[derive(Args, Debug)]
pub struct LintArguments {
    /// The dialect(s) whose compiler the findings speak for.
    #[arg(long, value_enum, default_value = "neuron")]
    dialect: LintDialect,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    format: DiagnosticFormat,
    /// Files or directories (searched recursively for `*.mod`).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

#[derive(Args, Debug)]
pub struct RuleArguments {
    /// The rule's code, e.g. `A101`.
    #[arg(required_unless_present = "all")]
    code: Option<String>,
    /// List every rule.
    #[arg(long, conflicts_with = "code")]
    all: bool,
}

pub fn run(arguments: &LintArguments) -> ExitCode {
    let dialects: &[Dialect] = match arguments.dialect {
        LintDialect::Neuron => &[Dialect::Neuron],
        LintDialect::Arbor => &[Dialect::Arbor],
        LintDialect::Both => &[Dialect::Neuron, Dialect::Arbor],
    };
    run_pass(&arguments.paths, dialects, arguments.format, &lint)
}

pub fn run_rule(arguments: &RuleArguments) -> ExitCode {
    if arguments.all {
        for rule in RULES {
            let dialects: Vec<&str> = rule.dialects.iter().map(|dialect| dialect.name()).collect();
            println!(
                "{}  {:<34} {:<7} {}",
                rule.code,
                rule.name,
                rule.severity.as_str(),
                dialects.join(", ")
            );
        }
        return ExitCode::from(exit::CLEAN);
    }
    let code = arguments.code.as_deref().unwrap_or_default();
    match rule_by_code(code) {
        Some(rule) => {
            println!("# {} {}\n", rule.code, rule.name);
            print!("{}", rule.documentation);
            ExitCode::from(exit::CLEAN)
        }
        None => {
            eprintln!("glia: no rule `{code}`; `glia rule --all` lists them");
            ExitCode::from(exit::USAGE_OR_IO)
        }
    }
}
