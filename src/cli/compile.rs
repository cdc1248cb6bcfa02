//! `glia compile`: every NEURON asset of every installed Glia package, renamed to `glia__<pkg>__<asset>__<variant>`,
//! built by the NEURON orchestrator into the environment's folder as one library, then loaded into NEURON in a
//! subprocess with every mechanism inserted once (the load test; its result is remembered with the library, so an
//! up-to-date run starts no process).
//!
//! Exit status: 0 built (or up to date) and every mechanism inserted; 1 a package problem, an asset that failed to
//! build, or a mechanism that NEURON refused (the library is left as it was, unless `--keep-going`); 2 no Python,
//! no NEURON, no compiler, or an unusable store.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::build_common::{
    build_error_status, build_report_json, start_executor, start_progress, write_human,
    BuildFormat, BuildOptions, ToolchainSummary,
};
use super::exit;
use super::package_session::{
    environment_json, open_session, print_problems, problem_diagnostics, usage_error,
    write_problems, PackageSession,
};
use crate::build::exec::ProcessCounts;
use crate::build::toolchain::{NeuronDiscoveryOptions, NeuronToolchain};
use crate::diagnostics::{human, json, Code, Diagnostic, FileReport};
use crate::packages::assets_build::load_test_kind;
use crate::packages::compile::{compile_neuron_library, CompileError, CompileOptions, Compiled};

#[derive(Args, Debug)]
pub struct CompileArguments {
    /// The Python interpreter of the environment (default: the active virtual environment's, else `python3` on
    /// PATH).
    #[arg(long, value_name = "PYTHON")]
    python: Option<PathBuf>,
    /// NEURON's installation prefix (default: NRNHOME, the active virtual environment, then PATH).
    #[arg(long, value_name = "DIR")]
    neuron_home: Option<PathBuf>,
    /// Do not load the library into NEURON to insert every mechanism.
    #[arg(long)]
    no_test: bool,
    #[command(flatten)]
    build: BuildOptions,
}

/// Everything a compile found, for printing.
struct CompileOutcome<'a> {
    session: &'a PackageSession,
    compiled: &'a Compiled,
    /// Every process the compile started (the build's, the interpreter's, the load test).
    processes: ProcessCounts,
}

pub fn run(arguments: &CompileArguments) -> ExitCode {
    let options = &arguments.build;
    let progress = start_progress(options.format);
    let executor = match start_executor(options) {
        Ok(executor) => executor,
        Err(status) => return status,
    };
    let session = match open_session(
        arguments.python.as_deref(),
        options.cache_dir.as_deref(),
        options.shared_store.as_deref(),
        &executor,
    ) {
        Ok(session) => session,
        Err(status) => return status,
    };
    if session.index.packages.is_empty() && session.index.problems.is_empty() {
        eprintln!(
            "no Glia package is installed in the environment {} (interpreter {})",
            session.environment.prefix.display(),
            session.environment.interpreter.display()
        );
        return ExitCode::from(exit::CLEAN);
    }
    let discovery_options = NeuronDiscoveryOptions {
        neuron_home: arguments.neuron_home.clone(),
        include_flags: String::new(),
        load_flags: String::new(),
    };
    let toolchain = match NeuronToolchain::discover(
        &discovery_options,
        &session.discovery_environment(),
        &session.store,
        &executor,
    ) {
        Ok(toolchain) => toolchain,
        Err(error) => return usage_error(error),
    };
    let summary = ToolchainSummary::neuron(&toolchain, executor.jobs());
    if options.verbose {
        summary.announce(&progress);
    }
    let compile_options = CompileOptions {
        keep_going: options.keep_going,
        use_precompiled_header: options.use_precompiled_header(),
        load_test: !arguments.no_test,
    };
    let result =
        compile_neuron_library(&session, &toolchain, compile_options, &executor, &progress);
    progress.finish();
    let compiled = match result {
        Ok(compiled) => compiled,
        Err(CompileError::Build(error)) => {
            print_problems(&session.index.problems);
            return build_error_status(&error);
        }
        Err(error) => return usage_error(error),
    };
    let outcome = CompileOutcome {
        session: &session,
        compiled: &compiled,
        processes: executor.counts(),
    };
    let written = match options.format {
        BuildFormat::Human => print_compile_human(&outcome, &summary, options.verbose),
        BuildFormat::Json => print_compile_json(&outcome, &summary),
    };
    if let Err(error) = written {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            return usage_error(format!("cannot write the report: {error}"));
        }
    }
    ExitCode::from(if compiled.failed(&session) {
        exit::FOUND_PROBLEMS
    } else {
        exit::CLEAN
    })
}

/// The diagnostics of the compile beyond the build's: assets that could not be renamed, declared kinds the file
/// contradicts, and mechanisms NEURON refused in the load test; each with its file's display and source.
fn asset_diagnostics<'a>(
    outcome: &'a CompileOutcome<'_>,
) -> Vec<(&'a str, &'a [u8], Vec<Diagnostic>)> {
    let mut files = Vec::new();
    for failure in &outcome.compiled.failures {
        files.push((
            failure.display.as_str(),
            failure.source.as_slice(),
            failure.diagnostics.clone(),
        ));
    }
    for asset in &outcome.compiled.assets {
        let mut diagnostics = asset.warnings.clone();
        if let Some(Some(error)) = outcome
            .compiled
            .load_test
            .as_ref()
            .and_then(|test| test.mechanisms.get(&asset.name))
        {
            let span = asset.name_span;
            diagnostics.push(
                Diagnostic::error(
                    Code::LoadTestFailed,
                    format!(
                        "NEURON could not insert `{}` ({}): {error}",
                        asset.name,
                        load_test_kind(asset)
                    ),
                    span,
                    "",
                )
                .with_note(format!(
                    "package `{}`, asset `{}`, variant `{}`",
                    asset.package, asset.asset, asset.variant
                )),
            );
        }
        if !diagnostics.is_empty() {
            let source = asset
                .input
                .replacement
                .as_ref()
                .map_or(&[][..], |replacement| replacement.contents.as_slice());
            files.push((asset.input.display.as_str(), source, diagnostics));
        }
    }
    files
}

fn print_compile_human(
    outcome: &CompileOutcome<'_>,
    summary: &ToolchainSummary<'_>,
    verbose: bool,
) -> std::io::Result<()> {
    use std::io::IsTerminal;
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    write_compile_human(
        outcome,
        summary,
        verbose,
        colour,
        &mut std::io::stderr().lock(),
    )
}

/// The human report of a compile, without colour: what the Python module puts in its messages and exceptions.
pub fn compile_report_text(
    session: &PackageSession,
    compiled: &Compiled,
    toolchain: &NeuronToolchain,
    processes: ProcessCounts,
) -> String {
    let summary = ToolchainSummary::neuron(toolchain, 0);
    let outcome = CompileOutcome {
        session,
        compiled,
        processes,
    };
    let mut text = Vec::new();
    let _ = write_compile_human(&outcome, &summary, false, false, &mut text);
    String::from_utf8_lossy(&text).into_owned()
}

fn write_compile_human(
    outcome: &CompileOutcome<'_>,
    summary: &ToolchainSummary<'_>,
    verbose: bool,
    colour: bool,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    write_problems(&outcome.session.index.problems, colour, out)?;
    for (display, source, diagnostics) in asset_diagnostics(outcome) {
        human::render(
            &FileReport {
                path: display,
                source,
                diagnostics: &diagnostics,
            },
            colour,
            out,
        )?;
    }
    write_human(&outcome.compiled.report, summary, verbose, colour, out)?;
    let packages = &outcome.session.index.packages;
    let assets = outcome.compiled.assets.len() + outcome.compiled.failures.len();
    writeln!(
        out,
        "{assets} NEURON asset{} of {} package{} ({}) in {}",
        if assets == 1 { "" } else { "s" },
        packages.len(),
        if packages.len() == 1 { "" } else { "s" },
        packages
            .iter()
            .map(|package| package.name())
            .collect::<Vec<_>>()
            .join(", "),
        outcome.session.folder.path.display()
    )?;
    if let Some(test) = &outcome.compiled.load_test {
        match (&test.not_run, &test.library_error) {
            (Some(reason), _) => writeln!(out, "warning: load test not run: {reason}")?,
            (None, Some(error)) => writeln!(out, "error: load test: {error}")?,
            (None, None) => writeln!(
                out,
                "load test: {} of {} mechanisms inserted in NEURON",
                test.mechanisms.len() - test.failures(),
                test.mechanisms.len()
            )?,
        }
    }
    let problem_count = outcome.session.index.problems.len() + outcome.compiled.failures.len();
    if problem_count > 0 {
        writeln!(
            out,
            "{problem_count} package or asset problem{} (see above)",
            if problem_count == 1 { "" } else { "s" }
        )?;
    }
    out.flush()
}

fn print_compile_json(
    outcome: &CompileOutcome<'_>,
    summary: &ToolchainSummary<'_>,
) -> std::io::Result<()> {
    use std::io::Write;
    let session = outcome.session;
    let problems: Vec<json::JsonDiagnostic> = problem_diagnostics(&session.index.problems)
        .iter()
        .flat_map(|(file, source, diagnostics)| {
            let display = file
                .as_ref()
                .map_or(String::new(), |file| file.display().to_string());
            json::to_json(&FileReport {
                path: &display,
                source,
                diagnostics,
            })
        })
        .collect();
    let asset_findings: Vec<json::JsonDiagnostic> = asset_diagnostics(outcome)
        .iter()
        .flat_map(|(display, source, diagnostics)| {
            json::to_json(&FileReport {
                path: display,
                source,
                diagnostics,
            })
        })
        .collect();
    let assets: Vec<serde_json::Value> = outcome
        .compiled
        .assets
        .iter()
        .zip(&outcome.compiled.report.mechanisms)
        .map(|(asset, mechanism)| {
            serde_json::json!({
                "package": asset.package,
                "asset": asset.asset,
                "variant": asset.variant,
                "name": asset.name,
                "file": asset.input.display,
                "kind": load_test_kind(asset),
                "outcome": mechanism.outcome.as_str(),
            })
        })
        .collect();
    let object = serde_json::json!({
        "environment": environment_json(session),
        "packages": session.index.packages.iter().map(|package| serde_json::json!({
            "name": package.name(),
            "distribution": package.installed.entry_point.distribution,
            "version": package.installed.entry_point.version,
            "module_file": package.installed.module_file,
            "read_by_interpreter": package.installed.read_by_interpreter,
        })).collect::<Vec<_>>(),
        "problems": problems,
        "assets": assets,
        "asset_diagnostics": asset_findings,
        "build": build_report_json(&outcome.compiled.report, summary, &session.store.rejected_entries()),
        "processes": outcome.processes,
        "load_test": outcome.compiled.load_test,
    });
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer_pretty(&mut out, &object).map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.flush()
}
