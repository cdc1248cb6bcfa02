//! The `glia` command line: argument parsing and dispatch to one module per command.

mod build_catalogue;
mod build_common;
pub mod build_packages;
mod check;
pub mod compile;
mod hash;
pub mod inputs;
mod inspect;
mod lint;
mod lint_config;
mod listing;
mod nrnivmodl;
mod package_session;
mod pkg;
mod rename;
mod report;
mod sarif;
mod select;

use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::syntax::Dialect;

/// Glia: NMODL tooling for NEURON and Arbor.
#[derive(Parser, Debug)]
#[command(name = "glia", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check the syntax of mod files (files or directories, searched recursively for `*.mod`).
    Check(check::CheckArguments),
    /// Find what nocmodl and modcc will reject, syntax and beyond (for CI and before publishing).
    Lint(lint::LintArguments),
    /// Explain a lint rule (`glia rule A101`), or list them all (`glia rule --all`).
    Rule(lint::RuleArguments),
    /// Print what each mod file declares: mechanism kind and name, dialect, ions, ranges, parameters, states.
    Inspect(inspect::InspectArguments),
    /// Rename a mechanism to the glia scheme `glia__<pkg>__<asset>__<variant>`, changing only the name token.
    Rename(rename::RenameArguments),
    /// Print a semantic hash of each mod file: comments and layout do not change it, code does.
    Hash(hash::HashArguments),
    /// Build NEURON's mechanism library like nrnivmodl: in parallel, each mechanism cached until what the compiler
    /// sees changes.
    Nrnivmodl(nrnivmodl::NrnivmodlArguments),
    /// Build an Arbor mechanism catalogue like arbor-build-catalogue: in parallel, each mechanism cached until
    /// what the compiler sees changes.
    BuildCatalogue(build_catalogue::BuildCatalogueArguments),
    /// Compile every NEURON asset of every installed Glia package into the environment's library, then load it into
    /// NEURON and insert every mechanism once.
    Compile(compile::CompileArguments),
    /// Build the Arbor catalogue of installed Glia packages (`<pkg>-catalogue.so` in the environment's folder).
    Build(build_packages::BuildArguments),
    /// List the installed Glia packages and their assets.
    List(listing::ListArguments),
    /// Show the packages and variants that provide an asset, and which one `glia.insert` uses.
    Show(listing::ShowArguments),
    /// Show an installed package: where it is, how it was read, its assets and files.
    ShowPkg(listing::ShowPackageArguments),
    /// Select the package and/or variant `glia.insert` uses for an asset, everywhere (or `--clear` it).
    Select(select::SelectArguments),
    /// Print the environment's cache folder (where its library and catalogues are), or `--clear` the cache.
    Cache(select::CacheArguments),
    /// Make, fill and check Glia package projects.
    #[command(subcommand)]
    Pkg(pkg::PkgCommand),
}

/// The dialect to read files in.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DialectArgument {
    Neuron,
    Arbor,
}

impl From<DialectArgument> for Dialect {
    fn from(argument: DialectArgument) -> Dialect {
        match argument {
            DialectArgument::Neuron => Dialect::Neuron,
            DialectArgument::Arbor => Dialect::Arbor,
        }
    }
}

/// How diagnostics are printed.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    Human,
    Json,
}

/// Exit statuses shared by every command.
pub mod exit {
    /// Nothing to report at or above the failure level.
    pub const CLEAN: u8 = 0;
    /// Problems were found in the input.
    pub const FOUND_PROBLEMS: u8 = 1;
    /// The command could not do its work: bad usage, unreadable files.
    pub const USAGE_OR_IO: u8 = 2;
}

/// Parses the process arguments and runs the command. Usage errors exit with status 2, as clap does.
pub fn run() -> ExitCode {
    run_with_arguments(std::env::args_os().collect())
}

/// Runs the command `arguments` give (the first is the program's name), as [`run`] does with the process's.
pub fn run_with_arguments(arguments: Vec<std::ffi::OsString>) -> ExitCode {
    let cli = Cli::parse_from(nrnivmodl::accept_nrnivmodl_spellings(arguments));
    match cli.command {
        Command::Check(arguments) => check::run(&arguments),
        Command::Lint(arguments) => lint::run(&arguments),
        Command::Rule(arguments) => lint::run_rule(&arguments),
        Command::Inspect(arguments) => inspect::run(&arguments),
        Command::Rename(arguments) => rename::run(&arguments),
        Command::Hash(arguments) => hash::run(&arguments),
        Command::Nrnivmodl(arguments) => nrnivmodl::run(&arguments),
        Command::BuildCatalogue(arguments) => build_catalogue::run(&arguments),
        Command::Compile(arguments) => compile::run(&arguments),
        Command::Build(arguments) => build_packages::run(&arguments),
        Command::List(arguments) => listing::run_list(&arguments),
        Command::Show(arguments) => listing::run_show(&arguments),
        Command::ShowPkg(arguments) => listing::run_show_package(&arguments),
        Command::Select(arguments) => select::run_select(&arguments),
        Command::Cache(arguments) => select::run_cache(&arguments),
        Command::Pkg(command) => pkg::run(&command),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
