//! `glia nrnivmodl`: a drop-in, incremental, parallel `nrnivmodl`.
//!
//! Builds `<output>/<arch>/libnrnmech.so` from mod files (default: the `*.mod` of the current folder; a folder
//! argument means its `*.mod`, not recursively, and `X` may name `X.mod`, as with nrnivmodl). nrnivmodl's
//! single-dash `-incflags` and `-loadflags` are accepted as well as `--incflags`/`--loadflags`.
//!
//! Exit status: 0 built or up to date; 1 a mechanism failed (its diagnostics are printed; the others were built and
//! stored, and with `--keep-going` linked); 2 usage error, NEURON or a compiler missing, output folder unusable.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use super::build_report::{print_build_report, BuildFormat, ToolchainSummary};
use super::exit;
use crate::build::exec::Executor;
use crate::build::neuron::{build_neuron_library, NeuronBuildRequest};
use crate::build::outcome::ModInput;
use crate::build::progress::{Progress, ProgressMode};
use crate::build::store::Store;
use crate::build::toolchain::{DiscoveryEnvironment, NeuronDiscoveryOptions, NeuronToolchain};

#[derive(Args, Debug)]
pub struct NrnivmodlArguments {
    /// Mod files, folders of mod files (not searched recursively) or names without `.mod`. Default: the current
    /// folder's `*.mod`.
    paths: Vec<PathBuf>,
    /// Where the `<arch>/` folder with the library goes.
    #[arg(short = 'o', long = "output", default_value = ".")]
    output: PathBuf,
    /// Also link NEURON's `special` executable (Python users don't need it).
    #[arg(long)]
    special: bool,
    /// Extra compile flags and include paths, like nrnivmodl's `-incflags`.
    #[arg(
        long = "incflags",
        value_name = "FLAGS",
        default_value = "",
        allow_hyphen_values = true
    )]
    include_flags: String,
    /// Extra link flags, paths and libraries, like nrnivmodl's `-loadflags`.
    #[arg(
        long = "loadflags",
        value_name = "FLAGS",
        default_value = "",
        allow_hyphen_values = true
    )]
    load_flags: String,
    /// Parallel jobs (default: one per core).
    #[arg(short = 'j', long, default_value_t = 0)]
    jobs: usize,
    /// Print every command, and the tools' raw output for mechanisms that failed.
    #[arg(short, long)]
    verbose: bool,
    /// Link the mechanisms that built even if others failed (the exit status still says they failed).
    #[arg(short, long)]
    keep_going: bool,
    /// A compiler launcher put in front of every compile, e.g. `ccache` or `sccache`.
    #[arg(long, value_name = "COMMAND")]
    launcher: Option<String>,
    /// NEURON's installation prefix (default: NRNHOME, the active virtual environment, then PATH).
    #[arg(long, value_name = "DIR")]
    neuron_home: Option<PathBuf>,
    /// The build store (default: GLIA_CACHE_DIR, else ~/.cache/glia).
    #[arg(long, value_name = "DIR")]
    cache_dir: Option<PathBuf>,
    /// Compile every file on its own, without the shared precompiled header.
    #[arg(long)]
    no_precompiled_header: bool,
    /// `human`: diagnostics and a summary on standard error; `json`: a report object on standard output.
    #[arg(long, value_enum, default_value = "human")]
    format: BuildFormat,
}

/// nrnivmodl's single-dash options, rewritten to their double-dash forms before clap reads the arguments.
pub fn accept_nrnivmodl_spellings(arguments: Vec<std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let is_nrnivmodl = arguments.get(1).is_some_and(|word| word == "nrnivmodl");
    if !is_nrnivmodl {
        return arguments;
    }
    arguments
        .into_iter()
        .map(|word| match word.to_str() {
            Some("-incflags") => "--incflags".into(),
            Some("-loadflags") => "--loadflags".into(),
            _ => word,
        })
        .collect()
}

pub fn run(arguments: &NrnivmodlArguments) -> ExitCode {
    let (inputs, input_errors) = mod_inputs(&arguments.paths);
    for error in &input_errors {
        eprintln!("error: {error}");
    }
    if !input_errors.is_empty() {
        return ExitCode::from(exit::USAGE_OR_IO);
    }
    if inputs.is_empty() {
        eprintln!("error: no mod files to build (give files or folders, or run in a folder with *.mod files)");
        return ExitCode::from(exit::USAGE_OR_IO);
    }
    let progress_mode = match arguments.format {
        BuildFormat::Json => ProgressMode::Quiet,
        BuildFormat::Human => ProgressMode::for_standard_error(),
    };
    let progress = Progress::new(progress_mode);
    let Some(store_root) = arguments.cache_dir.clone().or_else(Store::default_root) else {
        eprintln!(
            "error: no folder for the build store: set GLIA_CACHE_DIR or HOME, or give --cache-dir"
        );
        return ExitCode::from(exit::USAGE_OR_IO);
    };
    let store = match Store::open(&store_root) {
        Ok(store) => store,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(exit::USAGE_OR_IO);
        }
    };
    let executor = match Executor::new(
        arguments.jobs,
        arguments.launcher.as_deref(),
        arguments.verbose,
    ) {
        Ok(executor) => executor,
        Err(error) => {
            eprintln!("error: cannot start the build threads: {error}");
            return ExitCode::from(exit::USAGE_OR_IO);
        }
    };
    let options = NeuronDiscoveryOptions {
        neuron_home: arguments.neuron_home.clone(),
        include_flags: arguments.include_flags.clone(),
        load_flags: arguments.load_flags.clone(),
    };
    let toolchain = match NeuronToolchain::discover(
        &options,
        &DiscoveryEnvironment::from_process(),
        &store,
        &executor,
    ) {
        Ok(toolchain) => toolchain,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(exit::USAGE_OR_IO);
        }
    };
    if arguments.verbose {
        progress.note(&format!(
            "NEURON {} at {} (found by {}); compiler {}",
            toolchain.version,
            toolchain.prefix.display(),
            toolchain.found_by,
            toolchain.compiler.program.display()
        ));
        for note in &toolchain.notes {
            progress.note(&format!("note: {note}"));
        }
    }
    let request = NeuronBuildRequest {
        inputs,
        output_folder: arguments.output.clone(),
        link_special: arguments.special,
        keep_going: arguments.keep_going,
        use_precompiled_header: !arguments.no_precompiled_header && arguments.launcher.is_none(),
    };
    let result = build_neuron_library(&request, &toolchain, &store, &executor, &progress);
    progress.finish();
    let report = match result {
        Ok(report) => report,
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(if error.is_build_failure() {
                exit::FOUND_PROBLEMS
            } else {
                exit::USAGE_OR_IO
            });
        }
    };
    print_build_report(
        &report,
        &ToolchainSummary {
            simulator: "NEURON",
            version: &toolchain.version,
            jobs: executor.jobs(),
        },
        arguments.format,
        arguments.verbose,
    )
}
/// The mod files named, as nrnivmodl finds them.
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
                        ModInput {
                            path: file,
                            display,
                        }
                    }));
                }
                Err(error) => errors.push(format!("{}: {error}", path.display())),
            }
        } else if path.is_file() {
            inputs.push(ModInput {
                display: path.display().to_string(),
                path,
            });
        } else {
            let with_extension = PathBuf::from(format!("{}.mod", path.display()));
            if with_extension.is_file() {
                inputs.push(ModInput {
                    display: with_extension.display().to_string(),
                    path: with_extension,
                });
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
