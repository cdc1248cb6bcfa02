//! Printing a build's report, shared by `glia nrnivmodl` and `glia build-catalogue`: diagnostics (ariadne) and a
//! summary on standard error, or one JSON object on standard output; and the build's exit status.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::ValueEnum;
use serde::Serialize;

use super::exit;
use crate::build::exec::ProcessCounts;
use crate::build::outcome::{BuildReport, MechanismOutcome};
use crate::diagnostics::{human, json, FileReport};

/// How a build reports.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildFormat {
    /// Diagnostics and a summary on standard error.
    Human,
    /// A report object on standard output (progress is not shown).
    Json,
}

/// What the report says about the toolchain.
pub struct ToolchainSummary<'a> {
    /// `NEURON` or `Arbor`.
    pub simulator: &'a str,
    pub version: &'a str,
    pub jobs: usize,
}

/// Prints the report; the exit status: 0 when no mechanism failed, 1 otherwise, 2 if the report can't be written.
pub fn print_build_report(
    report: &BuildReport,
    toolchain: &ToolchainSummary<'_>,
    format: BuildFormat,
    verbose: bool,
) -> ExitCode {
    let written = match format {
        BuildFormat::Human => print_human(report, toolchain, verbose),
        BuildFormat::Json => print_json(report, toolchain),
    };
    if let Err(error) = written {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("error: cannot write the report: {error}");
            return ExitCode::from(exit::USAGE_OR_IO);
        }
    }
    if report.count(MechanismOutcome::Failed) > 0 {
        ExitCode::from(exit::FOUND_PROBLEMS)
    } else {
        ExitCode::from(exit::CLEAN)
    }
}

fn print_human(
    report: &BuildReport,
    toolchain: &ToolchainSummary<'_>,
    verbose: bool,
) -> std::io::Result<()> {
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for mechanism in &report.mechanisms {
        if mechanism.diagnostics.is_empty() {
            continue;
        }
        human::render(
            &FileReport {
                path: &mechanism.display,
                source: &mechanism.source,
                diagnostics: &mechanism.diagnostics,
            },
            colour,
            &mut out,
        )?;
        if verbose && !mechanism.tool_output.is_empty() {
            writeln!(
                out,
                "--- tool output for {} ---\n{}",
                mechanism.display,
                mechanism.tool_output.trim_end()
            )?;
        }
    }
    let failed: Vec<&str> = report
        .mechanisms
        .iter()
        .filter(|mechanism| mechanism.outcome == MechanismOutcome::Failed)
        .map(|mechanism| mechanism.display.as_str())
        .collect();
    if report.up_to_date {
        writeln!(
            out,
            "{} is up to date ({} mechanisms, {} {}) in {:.3} s",
            report.library.display(),
            report.mechanisms.len(),
            toolchain.simulator,
            toolchain.version,
            report.duration.as_secs_f64()
        )?;
    } else {
        writeln!(
            out,
            "{} mechanisms: {} built, {} reused, {} failed; {} in {:.1} s",
            report.mechanisms.len(),
            report.count(MechanismOutcome::Built),
            report.count(MechanismOutcome::Reused),
            failed.len(),
            describe_counts(&report.counts),
            report.duration.as_secs_f64()
        )?;
        if report.linked {
            writeln!(out, "wrote {}", report.library.display())?;
            for product in &report.other_products {
                writeln!(out, "wrote {}", product.display())?;
            }
        } else if !failed.is_empty() {
            writeln!(
                out,
                "{} was not changed (use --keep-going to link the mechanisms that built)",
                report.library.display()
            )?;
        }
    }
    if !failed.is_empty() {
        writeln!(out, "failed: {}", failed.join(", "))?;
    }
    out.flush()
}

fn describe_counts(counts: &ProcessCounts) -> String {
    let mut parts = vec![
        format!("{} translations", counts.translate),
        format!("{} compiles", counts.compile),
    ];
    if counts.precompile > 0 {
        parts.push(format!("{} precompiled headers", counts.precompile));
    }
    parts.push(format!("{} links", counts.link));
    parts.join(", ")
}

#[derive(Serialize)]
struct JsonReport<'a> {
    library: String,
    other_products: Vec<String>,
    simulator: &'a str,
    version: &'a str,
    up_to_date: bool,
    linked: bool,
    precompiled_header_users: usize,
    seconds: f64,
    /// Compile time summed over the parallel jobs.
    compile_seconds: f64,
    jobs: usize,
    processes: ProcessCounts,
    mechanisms: Vec<JsonMechanism<'a>>,
}

#[derive(Serialize)]
struct JsonMechanism<'a> {
    file: &'a str,
    outcome: &'static str,
    diagnostics: Vec<json::JsonDiagnostic>,
}

fn print_json(report: &BuildReport, toolchain: &ToolchainSummary<'_>) -> std::io::Result<()> {
    let mechanisms = report
        .mechanisms
        .iter()
        .map(|mechanism| JsonMechanism {
            file: &mechanism.display,
            outcome: mechanism.outcome.as_str(),
            diagnostics: json::to_json(&FileReport {
                path: &mechanism.display,
                source: &mechanism.source,
                diagnostics: &mechanism.diagnostics,
            }),
        })
        .collect();
    let object = JsonReport {
        library: report.library.display().to_string(),
        other_products: report
            .other_products
            .iter()
            .map(|path| path.display().to_string())
            .collect(),
        simulator: toolchain.simulator,
        version: toolchain.version,
        up_to_date: report.up_to_date,
        linked: report.linked,
        precompiled_header_users: report.precompiled_header_users,
        seconds: report.duration.as_secs_f64(),
        compile_seconds: report.compile_time.as_secs_f64(),
        jobs: toolchain.jobs,
        processes: report.counts,
        mechanisms,
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer_pretty(&mut out, &object).map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.flush()
}
