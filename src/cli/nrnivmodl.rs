//! `glia nrnivmodl`: a drop-in, incremental, parallel `nrnivmodl`.
//!
//! Builds `<output>/<arch>/libnrnmech.so` from mod files (default: the `*.mod` of the current folder; a folder
//! argument means its `*.mod`, not recursively, and `X` may name `X.mod`, as with nrnivmodl). nrnivmodl's
//! single-dash `-incflags` and `-loadflags` are accepted as well as `--incflags`/`--loadflags`.
//!
//! Exit status: 0 built or up to date; 1 a mechanism failed (its diagnostics are printed; the others were built and
//! stored, and with `--keep-going` linked); 2 usage error, NEURON or a compiler missing, output folder unusable.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::build_common::{
    build_error_status, print_build_report, start_build, BuildOptions, BuildSession,
    ToolchainSummary,
};
use super::exit;
use crate::build::neuron::{build_neuron_library, NeuronBuildRequest};
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
    /// NEURON's installation prefix (default: NRNHOME, the active virtual environment, then PATH).
    #[arg(long, value_name = "DIR")]
    neuron_home: Option<PathBuf>,
    #[command(flatten)]
    build: BuildOptions,
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
    let BuildSession {
        inputs,
        progress,
        store,
        executor,
    } = match start_build(&arguments.build, &arguments.paths) {
        Ok(session) => session,
        Err(status) => return status,
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
    let summary = ToolchainSummary::neuron(&toolchain, executor.jobs());
    if arguments.build.verbose {
        summary.announce(&progress);
    }
    let request = NeuronBuildRequest {
        inputs,
        output_folder: arguments.output.clone(),
        link_special: arguments.special,
        keep_going: arguments.build.keep_going,
        other_failures: false,
        use_precompiled_header: arguments.build.use_precompiled_header(),
    };
    let result = build_neuron_library(&request, &toolchain, &store, &executor, &progress);
    progress.finish();
    let report = match result {
        Ok(report) => report,
        Err(error) => return build_error_status(&error),
    };
    print_build_report(
        &report,
        &summary,
        &store,
        arguments.build.format,
        arguments.build.verbose,
    )
}
