//! `glia build-catalogue`: a parallel, incremental `arbor-build-catalogue`.
//!
//! Builds `<output>/<NAME>-catalogue.so`, which `arbor.load_catalogue` loads, from Arbor-dialect mod files (files,
//! or folders meaning their `*.mod`). Each file is lowered for Arbor and named by its mechanism, so file stems need
//! not match. Exit status: 0 built or up to date; 1 a mechanism failed (diagnostics on its source; with
//! `--keep-going` the others are linked); 2 usage error, Arbor or a compiler missing, GPU asked of a CPU-only
//! Arbor, output folder unusable.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::build_common::{
    build_error_status, print_build_report, start_build, BuildOptions, BuildSession,
    ToolchainSummary,
};
use super::exit;
use crate::build::arbor::{build_arbor_catalogue, ArborBuildRequest};
use crate::build::arbor_toolchain::ArborToolchain;
use crate::build::toolchain::DiscoveryEnvironment;
use crate::identity::name::validate_catalogue_name;

#[derive(Args, Debug)]
pub struct BuildCatalogueArguments {
    /// The catalogue's name: letters, digits and `_` (not starting with a digit, no `__`).
    name: String,
    /// Mod files, or folders of mod files (not searched recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Where `<NAME>-catalogue.so` goes.
    #[arg(short = 'o', long = "output", default_value = ".")]
    output: PathBuf,
    /// Build for a GPU as well (Arbor must have been built with GPU support).
    #[arg(long, value_enum)]
    gpu: Option<GpuArgument>,
    /// Arbor's installation prefix (default: the active virtual environment's arbor package, then modcc on PATH).
    #[arg(long, value_name = "DIR")]
    arbor_prefix: Option<PathBuf>,
    #[command(flatten)]
    build: BuildOptions,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
enum GpuArgument {
    Cuda,
}

pub fn run(arguments: &BuildCatalogueArguments) -> ExitCode {
    if let Err(error) = validate_catalogue_name(&arguments.name) {
        eprintln!(
            "error: `{}` cannot name a catalogue: {error}; use letters, digits and `_`, not starting with a digit and without `__` (it becomes part of file names and C++ names)",
            arguments.name.escape_debug()
        );
        return ExitCode::from(exit::USAGE_OR_IO);
    }
    let BuildSession {
        inputs,
        progress,
        store,
        executor,
    } = match start_build(&arguments.build, &arguments.paths) {
        Ok(session) => session,
        Err(status) => return status,
    };
    let toolchain = match ArborToolchain::discover(
        arguments.arbor_prefix.as_deref(),
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
    if arguments.gpu.is_some() {
        eprintln!("error: {}", gpu_refusal(&toolchain));
        return ExitCode::from(exit::USAGE_OR_IO);
    }
    let summary = ToolchainSummary::arbor(&toolchain, executor.jobs());
    if arguments.build.verbose {
        summary.announce(&progress);
    }
    let request = ArborBuildRequest {
        catalogue: arguments.name.clone(),
        inputs,
        output_folder: arguments.output.clone(),
        keep_going: arguments.build.keep_going,
        other_failures: false,
        use_precompiled_header: arguments.build.use_precompiled_header(),
    };
    let result = build_arbor_catalogue(&request, &toolchain, &store, &executor, &progress);
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

/// Why a GPU catalogue is not built with `toolchain`.
pub fn gpu_refusal(toolchain: &ArborToolchain) -> String {
    if toolchain.has_gpu {
        "GPU catalogues are not built by glia yet; use arbor-build-catalogue --gpu cuda for now"
            .to_string()
    } else {
        format!(
            "--gpu asks for GPU code, but Arbor {} at {} was built without GPU support (ARB_WITH_GPU is off in its arbor-config.cmake)",
            toolchain.version,
            toolchain.prefix.display()
        )
    }
}
