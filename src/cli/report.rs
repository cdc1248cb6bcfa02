//! Running a diagnostics-producing pass over many files in parallel and printing what it found: the shared body of
//! `glia check` and `glia lint`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;

use super::exit;
use super::inputs::{process_mod_files, report_output_and_input_errors, InputError, InputFile};
use super::sarif;
use crate::diagnostics::{ci, human, json, Diagnostic, FileReport, Severity};

/// How diagnostics are printed.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagnosticFormat {
    /// Rich reports with the source (ariadne).
    Human,
    /// One JSON array of diagnostics.
    Json,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// One line per diagnostic: `file:line:col: severity[CODE] message`.
    Concise,
    /// One SARIF 2.1.0 log for the whole run (GitHub code scanning).
    Sarif,
}

/// A file with its findings, as printed.
pub struct ReportedFile {
    pub path: PathBuf,
    pub display: String,
    pub source: Vec<u8>,
    pub diagnostics: Vec<Diagnostic>,
}

/// How a pass reports: the output format, the severity that makes the exit status 1, and whether to print counts
/// per code.
pub struct ReportOptions {
    pub format: DiagnosticFormat,
    pub fail_on: Severity,
    pub statistics: bool,
}

impl ReportOptions {
    pub fn new(format: DiagnosticFormat) -> ReportOptions {
        ReportOptions {
            format,
            fail_on: Severity::Error,
            statistics: false,
        }
    }
}

/// Reads the mod files under `paths`, runs `pass` on each, prints the diagnostics, and returns the
/// exit status: 2 when a path could not be read, else 1 when any finding is at or above `fail_on`, else 0.
pub fn run_pass(
    paths: &[PathBuf],
    options: &ReportOptions,
    pass: &(dyn Fn(&InputFile, &[u8]) -> Vec<Diagnostic> + Sync),
) -> ExitCode {
    let (reported, input_errors) = process_mod_files(paths, |file, source| {
        let diagnostics = pass(file, &source);
        ReportedFile {
            path: file.path.clone(),
            display: file.display.clone(),
            source,
            diagnostics,
        }
    });
    print_reported_files(&reported, &input_errors, options)
}

/// Prints the findings in `options.format`, and the summary and statistics on standard error; returns the exit
/// status: 2 when output or an input failed, else 1 when a finding is at or above `options.fail_on`, else 0.
pub fn print_reported_files(
    reported: &[ReportedFile],
    input_errors: &[InputError],
    options: &ReportOptions,
) -> ExitCode {
    let format = options.format;
    let stdout = std::io::stdout();
    // Buffered: standard output is line-buffered, and a file with a million findings would cost a write per line.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = match format {
        DiagnosticFormat::Json => {
            let all: Vec<json::JsonDiagnostic> = reported
                .iter()
                .flat_map(|file| json::to_json(&report(file)))
                .collect();
            serde_json::to_writer_pretty(&mut out, &all)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out))
        }
        DiagnosticFormat::Human => {
            let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
            reported
                .iter()
                .try_for_each(|file| human::render(&report(file), colour, &mut out))
        }
        DiagnosticFormat::Github => reported
            .iter()
            .try_for_each(|file| out.write_all(ci::github(&report(file)).as_bytes())),
        DiagnosticFormat::Concise => reported
            .iter()
            .try_for_each(|file| out.write_all(ci::concise(&report(file)).as_bytes())),
        DiagnosticFormat::Sarif => {
            let files: Vec<sarif::AnalysedFile> = reported
                .iter()
                .map(|file| sarif::AnalysedFile {
                    path: &file.path,
                    report: report(file),
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &sarif::sarif_log(&files, input_errors))
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out))
        }
    };
    let written = written.and_then(|()| out.flush());
    drop(out);
    let output_status = report_output_and_input_errors(written, input_errors);

    let count = |errors: bool| -> usize {
        reported
            .iter()
            .map(|file| {
                file.diagnostics
                    .iter()
                    .filter(|d| d.is_error() == errors)
                    .count()
            })
            .sum()
    };
    let (error_count, warning_count) = (count(true), count(false));
    if format == DiagnosticFormat::Human {
        let files_with_errors = reported
            .iter()
            .filter(|file| file.diagnostics.iter().any(Diagnostic::is_error))
            .count();
        eprintln!(
            "checked {} file{}: {} error{} in {} file{}, {} warning{}",
            reported.len(),
            plural(reported.len()),
            error_count,
            plural(error_count),
            files_with_errors,
            plural(files_with_errors),
            warning_count,
            plural(warning_count),
        );
    }
    if options.statistics {
        print_statistics(reported);
    }
    let failing = reported
        .iter()
        .flat_map(|file| &file.diagnostics)
        .any(|diagnostic| diagnostic.severity >= options.fail_on);
    if let Err(status) = output_status {
        status
    } else if failing {
        ExitCode::from(exit::FOUND_PROBLEMS)
    } else {
        ExitCode::from(exit::CLEAN)
    }
}

/// Counts per code, most frequent first, on stderr.
fn print_statistics(reported: &[ReportedFile]) {
    let mut counts: Vec<(&'static str, Severity, usize)> = Vec::new();
    for diagnostic in reported.iter().flat_map(|file| &file.diagnostics) {
        let code = diagnostic.code.as_str();
        match counts.iter_mut().find(|(known, _, _)| *known == code) {
            Some((_, _, count)) => *count += 1,
            None => counts.push((code, diagnostic.severity, 1)),
        }
    }
    counts.sort_by(|left, right| right.2.cmp(&left.2).then(left.0.cmp(right.0)));
    for (code, severity, count) in counts {
        let name = crate::semantics::lint::rule_by_code(code).map_or("", |rule| rule.name);
        eprintln!("{count:>6}  {code}  {:<7} {name}", severity.as_str());
    }
}

fn report(file: &ReportedFile) -> FileReport<'_> {
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
