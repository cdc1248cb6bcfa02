//! `glia select ASSET --pkg P [--variant V]`, `glia select --clear ASSET`: the user's global selections, which
//! every script's `glia.insert` follows unless the script, a context or the call says otherwise; and `glia cache`,
//! which prints (and with `--clear` empties) the cache, never touching the selections.
//!
//! A selection is checked against the installed packages: one that matches no installed asset is refused with the
//! candidates (`--force` stores it anyway, e.g. for a package installed in another environment).

use std::process::ExitCode;

use clap::Args;

use super::build_common::open_build_store;
use super::exit;
use super::package_session::{open_environment, open_session, usage_error, EnvironmentOptions};
use crate::build::exec::Executor;
use crate::identity::name::ModName;
use crate::packages::assets_build::EnvironmentFolder;
use crate::packages::resolver::Preference;
use crate::packages::selections::{default_selections_path, update_selections};

#[derive(Args, Debug)]
pub struct SelectArguments {
    /// The asset (e.g. `Kv1`).
    asset: String,
    /// The package to prefer.
    #[arg(
        short = 'p',
        long = "pkg",
        visible_alias = "package",
        conflicts_with = "clear"
    )]
    package: Option<String>,
    /// The variant to prefer.
    #[arg(short = 'v', long, conflicts_with = "clear")]
    variant: Option<String>,
    /// Remove the asset's selection.
    #[arg(long)]
    clear: bool,
    /// Store the selection even if no installed package provides it.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    environment: EnvironmentOptions,
}

#[derive(Args, Debug)]
pub struct CacheArguments {
    /// Remove everything built (libraries, catalogues, objects); the selections stay.
    #[arg(long)]
    clear: bool,
    #[command(flatten)]
    environment: EnvironmentOptions,
}

pub fn run_select(arguments: &SelectArguments) -> ExitCode {
    let path = match default_selections_path() {
        Ok(path) => path,
        Err(error) => return usage_error(error),
    };
    let asset = arguments.asset.clone();
    if arguments.clear {
        let mut had = false;
        return match update_selections(&path, |selections| {
            had = selections.remove(&asset).is_some()
        }) {
            Ok(_) => {
                eprintln!(
                    "{} the selection of {asset} ({})",
                    if had { "removed" } else { "there was no" },
                    path.display()
                );
                ExitCode::from(exit::CLEAN)
            }
            Err(error) => usage_error(error),
        };
    }
    let preference = Preference {
        package: arguments.package.clone(),
        variant: arguments.variant.clone(),
    };
    if preference.is_empty() {
        return usage_error("give --pkg, --variant or both (or --clear)");
    }
    // The parts must be able to form a glia name.
    let check = ModName::new(
        preference.package.as_deref().unwrap_or("p"),
        &asset,
        preference.variant.as_deref().unwrap_or("0"),
    );
    if let Err(error) = check {
        return usage_error(format!("cannot select that: {error}"));
    }
    if !arguments.force {
        let executor = match Executor::new(1, None, false) {
            Ok(executor) => executor,
            Err(error) => return usage_error(format!("cannot start: {error}")),
        };
        let session = match open_session(
            arguments.environment.python.as_deref(),
            arguments.environment.cache_dir.as_deref(),
            None,
            &executor,
        ) {
            Ok(session) => session,
            Err(status) => return status,
        };
        let candidates = session.index.neuron_candidates();
        let of_asset: Vec<_> = candidates
            .iter()
            .filter(|candidate| candidate.asset == asset)
            .collect();
        let matches = of_asset.iter().any(|candidate| {
            preference
                .package
                .as_ref()
                .is_none_or(|package| &candidate.package == package)
                && preference
                    .variant
                    .as_ref()
                    .is_none_or(|variant| &candidate.variant == variant)
        });
        if !matches {
            let listed = if of_asset.is_empty() {
                format!("no installed package provides `{asset}`")
            } else {
                format!(
                    "the installed candidates are {}",
                    of_asset
                        .iter()
                        .map(|candidate| format!(
                            "`{}` (--pkg {} --variant {})",
                            candidate.name, candidate.package, candidate.variant
                        ))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            return usage_error(format!(
                "no installed NEURON asset matches that selection of `{asset}`: {listed}; use --force to store it anyway"
            ));
        }
    }
    match update_selections(&path, |selections| {
        selections.insert(asset.clone(), preference.clone());
    }) {
        Ok(_) => {
            eprintln!(
                "selected {asset}: package {}, variant {} ({})",
                preference.package.as_deref().unwrap_or("any"),
                preference.variant.as_deref().unwrap_or("any"),
                path.display()
            );
            ExitCode::from(exit::CLEAN)
        }
        Err(error) => usage_error(error),
    }
}

pub fn run_cache(arguments: &CacheArguments) -> ExitCode {
    let executor = match Executor::new(1, None, false) {
        Ok(executor) => executor,
        Err(error) => return usage_error(format!("cannot start: {error}")),
    };
    if arguments.clear {
        let store = match open_build_store(arguments.environment.cache_dir.as_deref(), None) {
            Ok(store) => store,
            Err(status) => return status,
        };
        return match store.clear() {
            Ok(freed) => {
                eprintln!(
                    "cleared {} ({:.1} MB); the selections are kept",
                    store.root().display(),
                    freed as f64 / 1e6
                );
                ExitCode::from(exit::CLEAN)
            }
            Err(error) => usage_error(format!("cannot clear {}: {error}", store.root().display())),
        };
    }
    let (environment, store) = match open_environment(
        arguments.environment.python.as_deref(),
        arguments.environment.cache_dir.as_deref(),
        None,
        &executor,
    ) {
        Ok(opened) => opened,
        Err(status) => return status,
    };
    println!(
        "{}",
        EnvironmentFolder::new(&store, &environment).path.display()
    );
    ExitCode::from(exit::CLEAN)
}
