//! `glia lint`: what nocmodl and modcc will reject, syntax and beyond, for CI and for package authors; and
//! `glia rule`, the documentation of each rule.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::exit;
use super::inputs::collect_mod_files;
use super::lint_config::LintConfiguration;
use super::report::{run_pass, DiagnosticFormat, ReportOptions};
use crate::atomic_write::write_atomically;
use crate::diagnostics::{Diagnostic, Severity};
use crate::semantics::lint::in_dialects;
use crate::semantics::lint::{lint_with_includes, rule_by_code, RULES};
use crate::span::{apply_edits, TextEdit};
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
    /// The dialect(s) whose compiler the findings speak for [default: from the configuration, else neuron].
    #[arg(long, value_enum)]
    dialect: Option<LintDialect>,
    /// The configuration file [default: the nearest glia.toml or pyproject.toml with a lint table].
    #[arg(long)]
    config: Option<PathBuf>,
    /// How to print diagnostics.
    #[arg(long, value_enum, default_value = "human")]
    format: DiagnosticFormat,
    /// The least severity that makes the exit status 1.
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOn,
    /// Print how many findings each code has (on stderr).
    #[arg(long)]
    statistics: bool,
    /// Apply the safe fixes to the files (atomically), then report what is left.
    #[arg(long, conflicts_with = "diff")]
    fix: bool,
    /// Print the safe fixes as a unified diff instead of applying them.
    #[arg(long)]
    diff: bool,
    /// Files or directories (searched recursively for `*.mod`).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

/// `--fail-on`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
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
    let working_folder = std::env::current_dir().unwrap_or_default();
    let configuration =
        match LintConfiguration::discover(arguments.config.as_deref(), &working_folder) {
            Ok(configuration) => configuration,
            Err(message) => {
                eprintln!("glia: {message}");
                if arguments.format == DiagnosticFormat::Sarif {
                    println!("{:#}", super::sarif::configuration_failure_log(&message));
                }
                return ExitCode::from(exit::USAGE_OR_IO);
            }
        };
    let chosen: Option<Vec<Dialect>> = arguments.dialect.map(|dialect| match dialect {
        LintDialect::Neuron => vec![Dialect::Neuron],
        LintDialect::Arbor => vec![Dialect::Arbor],
        LintDialect::Both => vec![Dialect::Neuron, Dialect::Arbor],
    });
    let dialects_for = |path: &Path| {
        chosen
            .clone()
            .unwrap_or_else(|| configuration.dialects_for(path))
    };
    let lint_file = |path: &Path, source: &[u8]| -> Vec<Diagnostic> {
        let file_folder = path.parent().unwrap_or(Path::new("."));
        let include_lookup = |name: &str| crate::build::sources::read_include(file_folder, name);
        let mut diagnostics = in_dialects(source, &dialects_for(path), |source, dialect| {
            lint_with_includes(source, dialect, Some(&include_lookup))
        });
        diagnostics.retain(|diagnostic| configuration.keeps(path, diagnostic));
        diagnostics
    };
    if arguments.fix || arguments.diff {
        let machine_readable = matches!(
            arguments.format,
            DiagnosticFormat::Json | DiagnosticFormat::Sarif
        );
        if let Err(status) = apply_fixes(
            &arguments.paths,
            arguments.diff,
            machine_readable,
            &lint_file,
        ) {
            return status;
        }
    }
    let options = ReportOptions {
        format: arguments.format,
        fail_on: match arguments.fail_on {
            FailOn::Error => Severity::Error,
            FailOn::Warning => Severity::Warning,
        },
        statistics: arguments.statistics,
    };
    run_pass(&arguments.paths, &options, &|file, source| {
        lint_file(&file.path, source)
    })
}

/// Applies (or, with `show_only`, prints as a diff) every safe fix the rules offer for each file.
fn apply_fixes(
    paths: &[PathBuf],
    show_only: bool,
    diff_to_standard_error: bool,
    lint_file: &dyn Fn(&Path, &[u8]) -> Vec<Diagnostic>,
) -> Result<(), ExitCode> {
    let (files, input_errors) = collect_mod_files(paths);
    if let Some(error) = input_errors.first() {
        eprintln!(
            "glia: cannot read {}: {}",
            error.path.display(),
            error.message
        );
        return Err(ExitCode::from(exit::USAGE_OR_IO));
    }
    let mut fixed_files = 0;
    for file in files {
        let source = std::fs::read(&file.path).map_err(|error| {
            eprintln!("glia: cannot read {}: {error}", file.display);
            ExitCode::from(exit::USAGE_OR_IO)
        })?;
        let edits: Vec<TextEdit> = lint_file(&file.path, &source)
            .into_iter()
            .filter_map(|diagnostic| diagnostic.fix.map(|fix| *fix))
            .flat_map(|fix| fix.edits)
            .collect();
        if edits.is_empty() {
            continue;
        }
        let (fixed, applied) = apply_edits(&source, &edits);
        fixed_files += 1;
        if show_only {
            let (before, after) = (
                String::from_utf8_lossy(&source),
                String::from_utf8_lossy(&fixed),
            );
            let diff = similar::TextDiff::from_lines(before.as_ref(), after.as_ref());
            let unified = diff
                .unified_diff()
                .header(
                    &format!("a/{}", file.display),
                    &format!("b/{}", file.display),
                )
                .to_string();
            // A machine-readable report owns standard output, so the diff goes to standard error beside it.
            if diff_to_standard_error {
                eprint!("{unified}");
            } else {
                print!("{unified}");
            }
        } else {
            write_atomically(&file.path, &fixed, &file.path).map_err(|error| {
                eprintln!("glia: cannot write {}: {error}", file.display);
                ExitCode::from(exit::USAGE_OR_IO)
            })?;
            eprintln!(
                "{}: applied {applied} fix{}",
                file.display,
                if applied == 1 { "" } else { "es" }
            );
        }
    }
    if !show_only {
        eprintln!(
            "fixed {fixed_files} file{}",
            if fixed_files == 1 { "" } else { "s" }
        );
    }
    Ok(())
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
