//! `glia rename`: gives a mod file's mechanism its glia name, changing only the name token, and writes the result
//! to stdout, to another file or back in place. Output files are written atomically: a temporary file in the same
//! folder, flushed to disk, then renamed over the target, keeping the target's permissions (or the input's, for a
//! new file). Nothing is left behind when writing fails.

use std::fs;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use super::exit;
use crate::diagnostics::line_index::LineIndex;
use crate::diagnostics::{human, FileReport};
use crate::identity::name::ModName;
use crate::identity::rename::{rename_with_implicit_name, NameChange, RenameError, Renamed};
use crate::syntax::{parse, Dialect};

#[derive(Args, Debug)]
pub struct RenameArguments {
    /// The package the mechanism belongs to.
    #[arg(long = "pkg", value_name = "PACKAGE")]
    package: String,
    /// The asset (mechanism) name within the package.
    #[arg(long)]
    asset: String,
    /// The variant of the asset.
    #[arg(long, default_value = crate::identity::name::DEFAULT_VARIANT)]
    variant: String,
    /// Use the Arbor catalogue name (`asset`, or `asset_variant`) and read the file in the Arbor dialect.
    #[arg(long)]
    arbor: bool,
    /// The mod file to rename.
    file: PathBuf,
    /// Write the renamed file here instead of to stdout.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "OUT",
        conflicts_with = "in_place"
    )]
    output: Option<PathBuf>,
    /// Replace FILE with the renamed file.
    #[arg(long)]
    in_place: bool,
}

pub fn run(arguments: &RenameArguments) -> ExitCode {
    let name = match ModName::new(&arguments.package, &arguments.asset, &arguments.variant) {
        Ok(name) => name,
        Err(error) => return refuse(&format!("invalid name: {error}")),
    };
    let (new_name, dialect) = if arguments.arbor {
        match name.valid_arbor_name() {
            Ok(arbor_name) => (arbor_name, Dialect::Arbor),
            Err(error) => return refuse(&format!("invalid name: {error}")),
        }
    } else {
        (name.neuron_name(), Dialect::Neuron)
    };

    let display = arguments.file.display().to_string();
    let source = match fs::read(&arguments.file) {
        Ok(source) => source,
        Err(error) => {
            eprintln!("glia rename: cannot read {display}: {error}");
            return ExitCode::from(exit::USAGE_OR_IO);
        }
    };
    let parse_result = parse(&source, dialect);
    // Without a mechanism statement nocmodl names the mechanism after the file.
    let implicit_name = arguments
        .file
        .file_stem()
        .map(|stem| stem.to_string_lossy());
    let renamed = match rename_with_implicit_name(
        &source,
        &parse_result,
        dialect,
        &new_name,
        implicit_name.as_deref(),
    ) {
        Ok(renamed) => renamed,
        Err(RenameError::SyntaxErrors { diagnostics }) => {
            let report = FileReport {
                path: &display,
                source: &source,
                diagnostics: &diagnostics,
            };
            let mut stderr = std::io::stderr().lock();
            // Nothing better to do if stderr itself fails.
            let _ = human::render(&report, false, &mut stderr);
            return refuse(&format!(
                "{display} not renamed: {}",
                RenameError::SyntaxErrors { diagnostics }
            ));
        }
        Err(error) => return refuse(&format!("{display} not renamed: {error}")),
    };

    let shown_path = match (&arguments.output, arguments.in_place) {
        (Some(output), _) => output.display().to_string(),
        (None, true) => display.clone(),
        // Positions are the same in the input except after an inserted statement, a line or three further down.
        (None, false) => display.clone(),
    };
    report_change(&shown_path, &renamed);
    report_warnings(&shown_path, &renamed);
    if arguments.arbor {
        warn_when_the_stem_differs(arguments, &new_name);
    }

    let write_result = match (&arguments.output, arguments.in_place) {
        (Some(output), _) => {
            crate::atomic_write::write_atomically(output, &renamed.text, &arguments.file)
        }
        (None, true) => {
            // Through a symbolic link, rewrite the file it points to and keep the link.
            let target =
                fs::canonicalize(&arguments.file).unwrap_or_else(|_| arguments.file.clone());
            crate::atomic_write::write_atomically(&target, &renamed.text, &arguments.file)
        }
        (None, false) => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(&renamed.text)
                .and_then(|()| stdout.flush())
            {
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => other,
            }
        }
    };
    if let Err(error) = write_result {
        eprintln!("glia rename: cannot write {shown_path}: {error}");
        return ExitCode::from(exit::USAGE_OR_IO);
    }
    ExitCode::from(exit::CLEAN)
}

fn refuse(message: &str) -> ExitCode {
    eprintln!("glia rename: {message}");
    ExitCode::from(exit::FOUND_PROBLEMS)
}

fn report_change(shown_path: &str, renamed: &Renamed) {
    let index = LineIndex::new(&renamed.text);
    let position = index.position(&renamed.text, renamed.change.new_name_span().start as usize);
    let new_name = renamed.change.new_name_span().text(&renamed.text);
    match &renamed.change {
        NameChange::Replaced { old_name, .. } => eprintln!(
            "{shown_path}:{}:{}: renamed `{}` to `{new_name}`",
            position.line,
            position.column,
            String::from_utf8_lossy(old_name)
        ),
        NameChange::Inserted {
            new_neuron_block, ..
        } => eprintln!(
            "{shown_path}:{}:{}: the file declared no mechanism name; inserted `{}`{}",
            position.line,
            position.column,
            statement_text(renamed),
            if *new_neuron_block {
                " in a new NEURON block"
            } else {
                ""
            }
        ),
    }
}

/// The inserted statement's keyword and name (its line up to the name's end), for messages.
fn statement_text(renamed: &Renamed) -> String {
    let name_span = renamed.change.new_name_span();
    let line_start = renamed.text[..name_span.start as usize]
        .iter()
        .rposition(|&byte| byte == b'\n' || byte == b'\r')
        .map_or(0, |index| index + 1);
    String::from_utf8_lossy(&renamed.text[line_start..name_span.end as usize])
        .trim()
        .to_owned()
}

fn report_warnings(shown_path: &str, renamed: &Renamed) {
    if renamed.warnings.is_empty() {
        return;
    }
    let index = LineIndex::new(&renamed.text);
    for warning in &renamed.warnings {
        let position = index.position(&renamed.text, warning.span.start as usize);
        eprintln!(
            "{shown_path}:{}:{}: warning: {}",
            position.line, position.column, warning.message
        );
    }
}

/// Arbor takes a catalogue mechanism's name from its file stem: say so when they will differ.
fn warn_when_the_stem_differs(arguments: &RenameArguments, new_name: &str) {
    let written = arguments.output.as_deref().unwrap_or(&arguments.file);
    if arguments.output.is_none() && !arguments.in_place {
        return;
    }
    let stem = written.file_stem().map(|stem| stem.to_string_lossy());
    if stem.as_deref() != Some(new_name) {
        eprintln!(
            "glia rename: warning: Arbor requires a catalogue mechanism's file to be named after it: `{new_name}.mod`, \
             not {}",
            written.display()
        );
    }
}
