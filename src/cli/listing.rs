//! `glia list`, `glia show ASSET` and `glia show-pkg PKG`: what is installed, in people's words or as JSON.
//!
//! Exit status: 0; 1 when a package has problems (they are printed too); 2 an unknown asset or package.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use clap::Args;
use serde_json::{json, Value};

use super::exit;
use super::package_session::{
    environment_json, open_session, print_problems, usage_error, EnvironmentOptions, PackageSession,
};
use super::OutputFormat;
use crate::build::exec::Executor;
use crate::identity::name::Simulator;
use crate::packages::index::{IndexedMod, IndexedPackage};
use crate::packages::resolver::{resolve, Preferences};
use crate::packages::selections::{default_selections_path, read_selections};

#[derive(Args, Debug)]
pub struct ListArguments {
    #[command(flatten)]
    environment: EnvironmentOptions,
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
}

#[derive(Args, Debug)]
pub struct ShowArguments {
    /// The asset (e.g. `Kv1`).
    asset: String,
    #[command(flatten)]
    environment: EnvironmentOptions,
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
}

#[derive(Args, Debug)]
pub struct ShowPackageArguments {
    /// The package's name (as `glia list` shows it).
    package: String,
    #[command(flatten)]
    environment: EnvironmentOptions,
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
}

fn open(environment: &EnvironmentOptions) -> Result<PackageSession, ExitCode> {
    let executor = Executor::new(1, None, false)
        .map_err(|error| usage_error(format!("cannot start: {error}")))?;
    open_session(
        environment.python.as_deref(),
        environment.cache_dir.as_deref(),
        None,
        &executor,
    )
}

fn mod_json(indexed: &IndexedMod) -> Value {
    json!({
        "asset": indexed.declaration.asset,
        "variant": indexed.declaration.variant,
        "dialect": indexed.dialect.map(|dialect| dialect.name()),
        "kind": indexed.declared_kind().name(),
        "file": indexed.file,
        "builtin": indexed.declaration.builtin,
        "neuron_name": indexed.neuron_name(),
        "arbor_name": indexed.name.arbor_name(),
    })
}

fn package_json(package: &IndexedPackage) -> Value {
    let installed = &package.installed;
    json!({
        "name": package.name(),
        "distribution": installed.entry_point.distribution,
        "version": installed.entry_point.version,
        "entry_point": format!("{} = {}", installed.entry_point.name, installed.entry_point.value()),
        "module_file": installed.module_file,
        "root": installed.declaration.root,
        "read_by_interpreter": installed.read_by_interpreter,
        "mods": package.mods.iter().map(mod_json).collect::<Vec<_>>(),
    })
}

fn problems_json(session: &PackageSession) -> Vec<Value> {
    session
        .index
        .problems
        .iter()
        .map(|problem| {
            json!({
                "package": problem.package,
                "file": problem.file,
                "message": problem.message,
            })
        })
        .collect()
}

/// The exit status once everything was printed.
fn status(session: &PackageSession) -> ExitCode {
    ExitCode::from(if session.index.problems.is_empty() {
        exit::CLEAN
    } else {
        exit::FOUND_PROBLEMS
    })
}

/// `0 (neuron), granule (arbor), x`: a package's variants of one asset with the dialects they are restricted to.
fn variants_text(mods: &[&IndexedMod]) -> String {
    mods.iter()
        .map(|indexed| match indexed.dialect {
            Some(dialect) => format!("{} ({})", indexed.declaration.variant, dialect.name()),
            None => indexed.declaration.variant.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn run_list(arguments: &ListArguments) -> ExitCode {
    let session = match open(&arguments.environment) {
        Ok(session) => session,
        Err(status) => return status,
    };
    if arguments.format == OutputFormat::Json {
        let object = json!({
            "environment": environment_json(&session),
            "packages": session.index.packages.iter().map(package_json).collect::<Vec<_>>(),
            "problems": problems_json(&session),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&object).unwrap_or_default()
        );
        return status(&session);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = writeln!(
        out,
        "environment {} ({})",
        session.environment.prefix.display(),
        session.environment.interpreter.display()
    );
    if session.index.packages.is_empty() {
        let _ = writeln!(out, "no Glia package is installed");
    }
    for package in &session.index.packages {
        let installed = &package.installed;
        let _ = writeln!(
            out,
            "\n{} (distribution {} {}, {} assets)",
            package.name(),
            installed.entry_point.distribution,
            installed.entry_point.version,
            package.mods.len()
        );
        let mut by_asset: BTreeMap<&str, Vec<&IndexedMod>> = BTreeMap::new();
        for indexed in &package.mods {
            by_asset
                .entry(&indexed.declaration.asset)
                .or_default()
                .push(indexed);
        }
        let width = by_asset.keys().map(|asset| asset.len()).max().unwrap_or(0);
        for (asset, mods) in by_asset {
            let kind = mods[0].declared_kind().name().replace('_', " ");
            let _ = writeln!(
                out,
                "  {asset:width$}  {kind:<15}  {}",
                variants_text(&mods)
            );
        }
    }
    drop(out);
    print_problems(&session.index.problems);
    status(&session)
}

pub fn run_show(arguments: &ShowArguments) -> ExitCode {
    let session = match open(&arguments.environment) {
        Ok(session) => session,
        Err(status) => return status,
    };
    let asset = &arguments.asset;
    let providers: Vec<(&IndexedPackage, &IndexedMod)> = session
        .index
        .packages
        .iter()
        .flat_map(|package| {
            package
                .mods
                .iter()
                .filter(|indexed| &indexed.declaration.asset == asset)
                .map(move |indexed| (package, indexed))
        })
        .collect();
    let candidates = session.index.neuron_candidates();
    if providers.is_empty() {
        let empty = BTreeMap::new();
        let preferences = Preferences {
            global: &empty,
            script: &empty,
            contexts: &[],
        };
        let error = resolve(&candidates, asset, None, None, preferences)
            .err()
            .map_or_else(
                || format!("asset `{asset}` is not installed"),
                |error| error.to_string(),
            );
        print_problems(&session.index.problems);
        return usage_error(error);
    }
    let selections = match default_selections_path().and_then(|path| read_selections(&path)) {
        Ok(selections) => selections,
        Err(error) => return usage_error(error),
    };
    let empty = BTreeMap::new();
    let preferences = Preferences {
        global: &selections,
        script: &empty,
        contexts: &[],
    };
    let resolved = resolve(&candidates, asset, None, None, preferences);
    let selection = selections.get(asset.as_str());
    let neuron_names: Vec<String> = session
        .index
        .packages
        .iter()
        .flat_map(|package| package.mods_for(Simulator::Neuron))
        .filter(|indexed| &indexed.declaration.asset == asset)
        .map(|indexed| indexed.neuron_name())
        .collect();
    if arguments.format == OutputFormat::Json {
        let object = json!({
            "asset": asset,
            "selection": selection.map(|selection| json!({
                "package": selection.package,
                "variant": selection.variant,
            })),
            "resolves_to": resolved.as_ref().ok().map(|candidate| &candidate.name),
            "resolve_error": resolved.as_ref().err().map(|error| error.to_string()),
            "neuron_names": neuron_names,
            "providers": providers.iter().map(|(package, indexed)| {
                let mut value = mod_json(indexed);
                value["package"] = json!(package.name());
                value
            }).collect::<Vec<_>>(),
            "problems": problems_json(&session),
        });
        println!(
            "{}",
            serde_json::to_string_pretty(&object).unwrap_or_default()
        );
        return status(&session);
    }
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = writeln!(out, "asset {asset}");
    match selection {
        Some(selection) => {
            let _ = writeln!(
                out,
                "selected (glia select): package {}, variant {}",
                selection.package.as_deref().unwrap_or("any"),
                selection.variant.as_deref().unwrap_or("any")
            );
        }
        None => {
            let _ = writeln!(
                out,
                "selected: nothing (glia select {asset} --pkg P --variant V)"
            );
        }
    }
    match &resolved {
        Ok(candidate) => {
            let _ = writeln!(
                out,
                "glia.insert(section, \"{asset}\") uses {}",
                candidate.name
            );
        }
        Err(error) => {
            let _ = writeln!(out, "glia.insert(section, \"{asset}\") fails: {error}");
        }
    }
    let _ = writeln!(out, "provided by:");
    for (package, indexed) in &providers {
        let dialect = indexed
            .dialect
            .map_or("neuron and arbor".to_string(), |dialect| {
                format!("{} only", dialect.name())
            });
        let _ = writeln!(
            out,
            "  {}  package {}, variant {}, {}, {} ({})",
            indexed.neuron_name(),
            package.name(),
            indexed.declaration.variant,
            indexed.declared_kind().name().replace('_', " "),
            dialect,
            indexed
                .file
                .as_ref()
                .map_or("builtin".to_string(), |file| file.display().to_string())
        );
    }
    drop(out);
    print_problems(&session.index.problems);
    status(&session)
}

pub fn run_show_package(arguments: &ShowPackageArguments) -> ExitCode {
    let session = match open(&arguments.environment) {
        Ok(session) => session,
        Err(status) => return status,
    };
    let Some(package) = session.index.package(&arguments.package) else {
        let names: Vec<&str> = session
            .index
            .packages
            .iter()
            .map(|package| package.name())
            .collect();
        print_problems(&session.index.problems);
        return usage_error(format!(
            "no installed package `{}`; installed: {}",
            arguments.package,
            if names.is_empty() {
                "none".to_string()
            } else {
                names.join(", ")
            }
        ));
    };
    if arguments.format == OutputFormat::Json {
        let mut object = package_json(package);
        object["problems"] = json!(problems_json(&session));
        println!(
            "{}",
            serde_json::to_string_pretty(&object).unwrap_or_default()
        );
        return status(&session);
    }
    let installed = &package.installed;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = writeln!(out, "package {}", package.name());
    let _ = writeln!(
        out,
        "distribution {} {} (entry point {} = {})",
        installed.entry_point.distribution,
        installed.entry_point.version,
        installed.entry_point.name,
        installed.entry_point.value()
    );
    let _ = writeln!(out, "root {}", installed.declaration.root.display());
    if let Some(file) = &installed.module_file {
        let _ = writeln!(out, "declared in {}", file.display());
    }
    if let Some(reason) = &installed.read_by_interpreter {
        let _ = writeln!(out, "read by the interpreter ({reason})");
    }
    let _ = writeln!(out, "assets:");
    for indexed in &package.mods {
        let _ = writeln!(
            out,
            "  {}{}  {} = {}",
            indexed.neuron_name(),
            indexed.dialect.map_or(String::new(), |dialect| format!(
                " ({} only)",
                dialect.name()
            )),
            indexed.declared_kind().name().replace('_', " "),
            indexed
                .file
                .as_ref()
                .map_or("builtin".to_string(), |file| file.display().to_string())
        );
    }
    drop(out);
    print_problems(&session.index.problems);
    status(&session)
}
