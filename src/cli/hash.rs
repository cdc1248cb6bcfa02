//! `glia hash`: the semantic hash of each mod file, printed like `sha256sum` or as JSON.
//!
//! Files are hashed in parallel and printed in input order. INCLUDEd files are found as nocmodl finds them: in the
//! folder of the file being hashed, then the current folder, then `../`, then each folder of `MODL_INCLUDE`
//! (separated by `:`). Exit status:
//! - 0: every file hashed, no syntax error;
//! - 1: a file or a file it INCLUDEs has syntax errors (its hash is still printed, the errors go to stderr: a hash
//!   is no promise that the file compiles) or an INCLUDE cannot be resolved (no hash for that file; the message
//!   names the INCLUDE with its line and column);
//! - 2: a path cannot be read (the other files are still hashed).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use rayon::prelude::*;
use serde::Serialize;

use super::inputs::{collect_mod_files, InputError};
use super::{exit, DialectArgument};
use crate::build::sources::read_include;
use crate::diagnostics::line_index::LineIndex;
use crate::diagnostics::{human, Diagnostic, FileReport};
use crate::identity::hash::{semantic_hash_and_includes, HashError, IncludedFile, SemanticHash};
use crate::syntax::{parse, Dialect};

#[derive(Args, Debug)]
pub struct HashArguments {
    /// The dialect to read the files in (it is part of the hash).
    #[arg(long, value_enum, default_value = "neuron")]
    dialect: DialectArgument,
    /// `text`: `<hash>  <path>` per line, like sha256sum; `json`: an array of {file, hash, dialect}.
    #[arg(long, value_enum, default_value = "text")]
    format: HashFormat,
    /// Files or directories (searched recursively for `*.mod`).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
}

/// How hashes are printed.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashFormat {
    Text,
    Json,
}

/// What happened to one input file.
enum FileOutcome {
    Hashed {
        display: String,
        hash: SemanticHash,
        source: Vec<u8>,
        syntax_errors: Vec<Diagnostic>,
        included: Vec<IncludedFile>,
    },
    IncludeFailed {
        display: String,
        source: Vec<u8>,
        error: HashError,
    },
    Unreadable(InputError),
}

#[derive(Serialize)]
struct JsonHash<'a> {
    file: &'a str,
    hash: String,
    dialect: Dialect,
}

pub fn run(arguments: &HashArguments) -> ExitCode {
    let dialect: Dialect = arguments.dialect.into();
    let (files, input_errors) = collect_mod_files(&arguments.paths);
    let outcomes: Vec<FileOutcome> = files
        .par_iter()
        .map(|file| hash_file(&file.path, &file.display, dialect))
        .collect();

    let stderr_colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut found_problems = false;
    let mut io_problems = !input_errors.is_empty();
    for error in &input_errors {
        eprintln!(
            "glia: cannot read {}: {}",
            error.path.display(),
            error.message
        );
    }
    let mut hashed = Vec::new();
    for outcome in &outcomes {
        match outcome {
            FileOutcome::Hashed {
                display,
                hash,
                source,
                syntax_errors,
                included,
            } => {
                if !syntax_errors.is_empty() {
                    found_problems = true;
                    let report = FileReport {
                        path: display,
                        source,
                        diagnostics: syntax_errors,
                    };
                    let _ = human::render(&report, stderr_colour, &mut std::io::stderr().lock());
                    eprintln!(
                        "glia hash: warning: {display} has {} syntax error{}; its hash is printed anyway",
                        syntax_errors.len(),
                        if syntax_errors.len() == 1 { "" } else { "s" }
                    );
                }
                for file in included.iter().filter(|file| file.syntax_error_count > 0) {
                    found_problems = true;
                    let chain: Vec<String> = file
                        .chain
                        .iter()
                        .map(|name| format!("\"{name}\""))
                        .collect();
                    eprintln!(
                        "glia hash: warning: {display}: INCLUDE {} has {} syntax error{} (run `glia check` on it); \
                         the hash of {display} is printed anyway",
                        chain.join(" -> "),
                        file.syntax_error_count,
                        if file.syntax_error_count == 1 { "" } else { "s" }
                    );
                }
                hashed.push((display.as_str(), *hash));
            }
            FileOutcome::IncludeFailed {
                display,
                source,
                error,
            } => {
                found_problems = true;
                let position = LineIndex::new(source).position(source, error.span().start as usize);
                eprintln!(
                    "{display}:{}:{}: error: {error}",
                    position.line, position.column
                );
            }
            FileOutcome::Unreadable(error) => {
                io_problems = true;
                eprintln!(
                    "glia: cannot read {}: {}",
                    error.path.display(),
                    error.message
                );
            }
        }
    }

    if let Err(error) = write_hashes(&hashed, arguments.format, dialect) {
        if error.kind() != std::io::ErrorKind::BrokenPipe {
            eprintln!("glia: cannot write output: {error}");
            return ExitCode::from(exit::USAGE_OR_IO);
        }
    }
    if io_problems {
        ExitCode::from(exit::USAGE_OR_IO)
    } else if found_problems {
        ExitCode::from(exit::FOUND_PROBLEMS)
    } else {
        ExitCode::from(exit::CLEAN)
    }
}

fn write_hashes(
    hashed: &[(&str, SemanticHash)],
    format: HashFormat,
    dialect: Dialect,
) -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match format {
        HashFormat::Text => {
            for (display, hash) in hashed {
                writeln!(out, "{hash}  {display}")?;
            }
        }
        HashFormat::Json => {
            let entries: Vec<JsonHash<'_>> = hashed
                .iter()
                .map(|(display, hash)| JsonHash {
                    file: display,
                    hash: hash.to_hex(),
                    dialect,
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &entries).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
    }
    out.flush()
}

fn hash_file(path: &Path, display: &str, dialect: Dialect) -> FileOutcome {
    let source = match std::fs::read(path) {
        Ok(source) => source,
        Err(error) => {
            return FileOutcome::Unreadable(InputError {
                path: path.to_path_buf(),
                message: error.to_string(),
            })
        }
    };
    let parsed = parse(&source, dialect);
    let folder = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut resolve = |name: &str| read_include(&folder, name);
    match semantic_hash_and_includes(&source, &parsed, dialect, &mut resolve) {
        Ok((hash, included)) => FileOutcome::Hashed {
            display: display.to_string(),
            hash,
            syntax_errors: parsed
                .diagnostics
                .into_iter()
                .filter(Diagnostic::is_error)
                .collect(),
            source,
            included,
        },
        Err(error) => FileOutcome::IncludeFailed {
            display: display.to_string(),
            source,
            error,
        },
    }
}
