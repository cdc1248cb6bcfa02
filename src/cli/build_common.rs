//! What `glia nrnivmodl` and `glia build-catalogue` share: their common options, starting a build (store,
//! executor, progress), and printing its report — diagnostics (ariadne) and a summary on standard error, or one
//! JSON object on standard output — with the build's exit status.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde::Serialize;

use super::exit;
use crate::build::arbor_toolchain::ArborToolchain;
use crate::build::exec::{Executor, ProcessCounts};
use crate::build::outcome::{BuildError, BuildReport, MechanismOutcome, ModInput};
use crate::build::progress::{Progress, ProgressMode};
use crate::build::store::{FileSystemWrites, RejectedEntry, Store};
use crate::build::toolchain::NeuronToolchain;
use crate::diagnostics::{human, json, FileReport};

/// Options every build command takes.
#[derive(Args, Debug)]
pub struct BuildOptions {
    /// Parallel jobs (default: one per core).
    #[arg(short = 'j', long, default_value_t = 0)]
    pub jobs: usize,
    /// Print every command, and the tools' raw output for mechanisms that failed.
    #[arg(short, long)]
    pub verbose: bool,
    /// Link the mechanisms that built even if others failed (the exit status still says they failed).
    #[arg(short, long)]
    pub keep_going: bool,
    /// A compiler launcher put in front of every compile, e.g. `ccache` or `sccache`.
    #[arg(long, value_name = "COMMAND")]
    pub launcher: Option<String>,
    /// The build store (default: GLIA_CACHE_DIR, else ~/.cache/glia).
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// A read-only store consulted after the build store, e.g. a team's or a CI job's (default:
    /// GLIA_SHARED_STORE). Its entries are checked against their checksums before use.
    #[arg(long, value_name = "DIR")]
    pub shared_store: Option<PathBuf>,
    /// Compile every file on its own, without the shared precompiled header.
    #[arg(long)]
    pub no_precompiled_header: bool,
    /// `human`: diagnostics and a summary on standard error; `json`: a report object on standard output.
    #[arg(long, value_enum, default_value = "human")]
    pub format: BuildFormat,
}

impl BuildOptions {
    /// Whether files may share a precompiled header (not behind a launcher, which would not see it).
    pub fn use_precompiled_header(&self) -> bool {
        !self.no_precompiled_header && self.launcher.is_none()
    }
}

/// What a build runs with.
pub struct BuildSession {
    pub inputs: Vec<ModInput>,
    pub progress: Progress,
    pub store: Store,
    pub executor: Executor,
}

/// Finds the mod files of `paths`, opens the store, starts the executor and the progress display; on failure, the
/// message is printed and the exit status returned.
pub fn start_build(options: &BuildOptions, paths: &[PathBuf]) -> Result<BuildSession, ExitCode> {
    let (inputs, input_errors) = mod_inputs(paths);
    for error in &input_errors {
        eprintln!("error: {error}");
    }
    if !input_errors.is_empty() {
        return Err(ExitCode::from(exit::USAGE_OR_IO));
    }
    if inputs.is_empty() {
        eprintln!("error: no mod files to build (give files or folders, or run in a folder with *.mod files)");
        return Err(ExitCode::from(exit::USAGE_OR_IO));
    }
    let progress = start_progress(options.format);
    let store = open_build_store(
        options.cache_dir.as_deref(),
        options.shared_store.as_deref(),
    )?;
    let executor = start_executor(options)?;
    Ok(BuildSession {
        inputs,
        progress,
        store,
        executor,
    })
}

/// The progress display of a build: quiet when the report is JSON.
pub fn start_progress(format: BuildFormat) -> Progress {
    Progress::new(match format {
        BuildFormat::Json => ProgressMode::Quiet,
        BuildFormat::Human => ProgressMode::for_standard_error(),
    })
}

/// The executor of a build, with its jobs, launcher and verbosity.
pub fn start_executor(options: &BuildOptions) -> Result<Executor, ExitCode> {
    Executor::new(options.jobs, options.launcher.as_deref(), options.verbose)
        .map_err(|error| usage_error(format!("cannot start the build threads: {error}")))
}

/// Opens the build store: `cache_dir`, else the default one; with `shared_store`, else `GLIA_SHARED_STORE`, as
/// its read-only second store.
pub fn open_build_store(
    cache_dir: Option<&Path>,
    shared_store: Option<&Path>,
) -> Result<Store, ExitCode> {
    let Some(store_root) = cache_dir
        .map(Path::to_path_buf)
        .or_else(Store::default_root)
    else {
        return Err(usage_error(
            "no folder for the build store: set GLIA_CACHE_DIR or HOME, or give --cache-dir"
                .to_string(),
        ));
    };
    let shared_root = shared_store
        .map(Path::to_path_buf)
        .or_else(Store::default_shared_root);
    Store::open_with(
        &store_root,
        shared_root.as_deref(),
        Box::new(FileSystemWrites),
    )
    .map_err(|error| {
        usage_error(
            BuildError::Store {
                root: store_root,
                error,
            }
            .to_string(),
        )
    })
}

fn usage_error(message: String) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(exit::USAGE_OR_IO)
}

/// The exit status of a build that stopped as a whole (its message printed).
pub fn build_error_status(error: &BuildError) -> ExitCode {
    eprintln!("error: {error}");
    ExitCode::from(if error.is_build_failure() {
        exit::FOUND_PROBLEMS
    } else {
        exit::USAGE_OR_IO
    })
}

/// How a build reports.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuildFormat {
    /// Diagnostics and a summary on standard error.
    Human,
    /// A report object on standard output (progress is not shown).
    Json,
}

/// The mod files named, as nrnivmodl and arbor-build-catalogue find them: a folder means its `*.mod` (not
/// recursively, sorted), `X` may name `X.mod`; no paths means the current folder.
fn mod_inputs(paths: &[PathBuf]) -> (Vec<ModInput>, Vec<String>) {
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    let paths = if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    };
    for path in paths {
        if path.is_dir() {
            match std::fs::read_dir(&path) {
                Ok(entries) => {
                    let mut files: Vec<PathBuf> = entries
                        .flatten()
                        .map(|entry| entry.path())
                        .filter(|file| {
                            file.is_file()
                                && file.extension().is_some_and(|extension| extension == "mod")
                        })
                        .collect();
                    files.sort();
                    inputs.extend(files.into_iter().map(|file| {
                        let display = if path == Path::new(".") {
                            file.strip_prefix(".")
                                .unwrap_or(&file)
                                .display()
                                .to_string()
                        } else {
                            file.display().to_string()
                        };
                        ModInput::file(file, display)
                    }));
                }
                Err(error) => errors.push(format!("{}: {error}", path.display())),
            }
        } else if path.is_file() {
            inputs.push(ModInput::file(path.clone(), path.display().to_string()));
        } else {
            let with_extension = PathBuf::from(format!("{}.mod", path.display()));
            if with_extension.is_file() {
                inputs.push(ModInput::file(
                    with_extension.clone(),
                    with_extension.display().to_string(),
                ));
            } else {
                errors.push(format!(
                    "{}: no such mod file or folder (nor {})",
                    path.display(),
                    with_extension.display()
                ));
            }
        }
    }
    (inputs, errors)
}

/// The toolchain a build used, as `--verbose` announces it and the report names it.
pub struct ToolchainSummary<'a> {
    /// `NEURON` or `Arbor`.
    pub simulator: &'a str,
    pub version: &'a str,
    pub prefix: &'a Path,
    /// How the installation was found.
    pub found_by: &'a str,
    pub compiler: &'a Path,
    /// Fallbacks taken (e.g. a configured compiler that is not on this machine).
    pub notes: &'a [String],
    pub jobs: usize,
}

impl<'a> ToolchainSummary<'a> {
    /// The summary of a NEURON installation, for a build of `jobs` parallel jobs (0 where that is not shown).
    pub fn neuron(toolchain: &'a NeuronToolchain, jobs: usize) -> ToolchainSummary<'a> {
        ToolchainSummary {
            simulator: "NEURON",
            version: &toolchain.version,
            prefix: &toolchain.prefix,
            found_by: &toolchain.found_by,
            compiler: &toolchain.compiler.program,
            notes: &toolchain.notes,
            jobs,
        }
    }

    /// The summary of an Arbor installation, for a build of `jobs` parallel jobs (0 where that is not shown).
    pub fn arbor(toolchain: &'a ArborToolchain, jobs: usize) -> ToolchainSummary<'a> {
        ToolchainSummary {
            simulator: "Arbor",
            version: &toolchain.version,
            prefix: &toolchain.prefix,
            found_by: &toolchain.found_by,
            compiler: &toolchain.compiler.program,
            notes: &toolchain.notes,
            jobs,
        }
    }
}

impl ToolchainSummary<'_> {
    /// With `--verbose`: which installation and compiler the build uses, and the fallbacks taken.
    pub fn announce(&self, progress: &Progress) {
        progress.note(&format!(
            "{} {} at {} (found by {}); compiler {}",
            self.simulator,
            self.version,
            self.prefix.display(),
            self.found_by,
            self.compiler.display()
        ));
        for note in self.notes {
            progress.note(&format!("note: {note}"));
        }
    }
}

/// Prints the report; the exit status: 0 when no mechanism failed, 1 otherwise, 2 if the report can't be written.
pub fn print_build_report(
    report: &BuildReport,
    toolchain: &ToolchainSummary<'_>,
    store: &Store,
    format: BuildFormat,
    verbose: bool,
) -> ExitCode {
    let rejected = store.rejected_entries();
    if verbose {
        for entry in &rejected {
            eprintln!("note: {entry}");
        }
    }
    let written = match format {
        BuildFormat::Human => print_human(report, toolchain, verbose),
        BuildFormat::Json => print_json(report, toolchain, &rejected),
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

/// Prints the report's diagnostics and summary on standard error.
pub fn print_human(
    report: &BuildReport,
    toolchain: &ToolchainSummary<'_>,
    verbose: bool,
) -> std::io::Result<()> {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    write_human(
        report,
        toolchain,
        verbose,
        colour,
        &mut std::io::stderr().lock(),
    )
}

/// Writes the report's diagnostics and summary to `out`.
pub fn write_human(
    report: &BuildReport,
    toolchain: &ToolchainSummary<'_>,
    verbose: bool,
    colour: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
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
            out,
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
    /// Store entries refused because they did not match their checksums (then rebuilt).
    rejected_store_entries: Vec<JsonRejectedEntry>,
    mechanisms: Vec<JsonMechanism<'a>>,
}

#[derive(Serialize)]
struct JsonRejectedEntry {
    entry: String,
    shared: bool,
    problem: String,
}

#[derive(Serialize)]
struct JsonMechanism<'a> {
    file: &'a str,
    outcome: &'static str,
    diagnostics: Vec<json::JsonDiagnostic>,
}

/// The JSON object of a build's report (what `--format json` prints); `rejected` are the store entries refused.
pub fn build_report_json(
    report: &BuildReport,
    toolchain: &ToolchainSummary<'_>,
    rejected: &[RejectedEntry],
) -> serde_json::Value {
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
        rejected_store_entries: rejected
            .iter()
            .map(|entry| JsonRejectedEntry {
                entry: entry.entry.display().to_string(),
                shared: entry.shared,
                problem: entry.problem.to_string(),
            })
            .collect(),
        mechanisms,
    };
    serde_json::to_value(object).unwrap_or_default()
}

fn print_json(
    report: &BuildReport,
    toolchain: &ToolchainSummary<'_>,
    rejected: &[RejectedEntry],
) -> std::io::Result<()> {
    let object = build_report_json(report, toolchain, rejected);
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    serde_json::to_writer_pretty(&mut out, &object).map_err(std::io::Error::from)?;
    writeln!(out)?;
    out.flush()
}
