//! `glia build PKG... | --all`: one Arbor catalogue per installed package, `<environment>/arbor/<pkg>-catalogue.so`,
//! from its Arbor assets renamed to their catalogue names, by the Arbor orchestrator.
//!
//! Exit status: 0 every catalogue built or up to date; 1 a package problem or an asset that failed (the catalogue
//! is left as it was, unless `--keep-going`); 2 an unknown package, no Arbor, no compiler, an unusable store.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::build_catalogue::gpu_refusal;
use super::build_common::{
    build_error_status, build_report_json, print_human, start_executor, start_progress,
    write_human, BuildFormat, BuildOptions, ToolchainSummary,
};
use super::exit;
use super::package_session::{environment_json, open_session, print_problems, usage_error};
use crate::build::arbor_toolchain::ArborToolchain;
use crate::diagnostics::{human, FileReport};
use crate::packages::compile::{
    build_package_catalogue, CatalogueBuilt, CompileError, CompileOptions,
};
use crate::packages::index::IndexedPackage;

#[derive(Args, Debug)]
pub struct BuildArguments {
    /// The packages whose catalogues to build (their names as `glia list` shows them).
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    packages: Vec<String>,
    /// Build the catalogue of every installed package that has Arbor assets.
    #[arg(long)]
    all: bool,
    /// The Python interpreter of the environment (default: the active virtual environment's, else `python3` on
    /// PATH).
    #[arg(long, value_name = "PYTHON")]
    python: Option<PathBuf>,
    /// Arbor's installation prefix (default: the environment's arbor package, then modcc on PATH).
    #[arg(long, value_name = "DIR")]
    arbor_prefix: Option<PathBuf>,
    /// Build for a GPU (Arbor must have been built with GPU support).
    #[arg(long)]
    gpu: bool,
    #[command(flatten)]
    build: BuildOptions,
}

pub fn run(arguments: &BuildArguments) -> ExitCode {
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
    let packages: Vec<&IndexedPackage> = if arguments.all {
        session.index.packages.iter().collect()
    } else {
        let mut chosen = Vec::new();
        for name in &arguments.packages {
            match session.index.package(name) {
                Some(package) => chosen.push(package),
                None => {
                    let known: Vec<&str> = session
                        .index
                        .packages
                        .iter()
                        .map(|package| package.name())
                        .collect();
                    print_problems(&session.index.problems);
                    return usage_error(format!(
                        "no installed package `{name}`; installed: {}",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        }
                    ));
                }
            }
        }
        chosen
    };
    let toolchain = match ArborToolchain::discover(
        arguments.arbor_prefix.as_deref(),
        &session.discovery_environment(),
        &session.store,
        &executor,
    ) {
        Ok(toolchain) => toolchain,
        Err(error) => return usage_error(error),
    };
    if arguments.gpu {
        return usage_error(gpu_refusal(&toolchain));
    }
    let summary = ToolchainSummary::arbor(&toolchain, executor.jobs());
    if options.verbose {
        summary.announce(&progress);
    }
    let compile_options = CompileOptions {
        keep_going: options.keep_going,
        use_precompiled_header: options.use_precompiled_header(),
        load_test: false,
    };
    if options.format == BuildFormat::Human {
        print_problems(&session.index.problems);
    }
    let mut failed = !session.index.problems.is_empty();
    let mut catalogues = Vec::new();
    for package in packages {
        let result = build_package_catalogue(
            &session,
            package,
            &toolchain,
            compile_options,
            &executor,
            &progress,
        );
        let built = match result {
            Ok(Some(built)) => built,
            Ok(None) => {
                if !arguments.all {
                    progress.note(&format!("package `{}` has no Arbor assets", package.name()));
                }
                continue;
            }
            Err(CompileError::Build(error)) => {
                progress.finish();
                return build_error_status(&error);
            }
            Err(error) => return usage_error(error),
        };
        failed |= !built.failures.is_empty()
            || built
                .report
                .count(crate::build::outcome::MechanismOutcome::Failed)
                > 0;
        if options.format == BuildFormat::Human {
            progress.finish();
            let colour = {
                use std::io::IsTerminal;
                std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
            };
            for failure in &built.failures {
                let _ = human::render(
                    &FileReport {
                        path: &failure.display,
                        source: &failure.source,
                        diagnostics: &failure.diagnostics,
                    },
                    colour,
                    &mut std::io::stderr().lock(),
                );
            }
            if let Err(error) = print_human(&built.report, &summary, options.verbose) {
                return usage_error(format!("cannot write the report: {error}"));
            }
        }
        catalogues.push(serde_json::json!({
            "package": package.name(),
            "assets": built.assets.iter().map(|asset| serde_json::json!({
                "asset": asset.asset,
                "variant": asset.variant,
                "name": asset.name,
                "file": asset.input.display,
            })).collect::<Vec<_>>(),
            "unbuildable": built.failures.iter().map(|failure| &failure.display).collect::<Vec<_>>(),
            "build": build_report_json(&built.report, &summary, &session.store.rejected_entries()),
        }));
    }
    progress.finish();
    if options.format == BuildFormat::Json {
        let object = serde_json::json!({
            "environment": environment_json(&session),
            "problems": session.index.problems.iter().map(|problem| serde_json::json!({
                "package": problem.package,
                "file": problem.file,
                "message": problem.message,
            })).collect::<Vec<_>>(),
            "catalogues": catalogues,
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&object).unwrap_or_default()
        );
    }
    ExitCode::from(if failed {
        exit::FOUND_PROBLEMS
    } else {
        exit::CLEAN
    })
}

/// The human report of one package's catalogue build, without colour (for the Python module's exceptions and
/// warnings): the assets that could not be handed to the build, then the build's diagnostics and summary.
pub fn catalogue_report_text(built: &CatalogueBuilt, toolchain: &ArborToolchain) -> String {
    let summary = ToolchainSummary::arbor(toolchain, 0);
    let mut text = Vec::new();
    for failure in &built.failures {
        let _ = human::render(
            &FileReport {
                path: &failure.display,
                source: &failure.source,
                diagnostics: &failure.diagnostics,
            },
            false,
            &mut text,
        );
    }
    let _ = write_human(&built.report, &summary, false, false, &mut text);
    String::from_utf8_lossy(&text).into_owned()
}
