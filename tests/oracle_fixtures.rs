//! Oracle test for the project's own fixtures: the folder of every `.mod` file under `corpus/fixtures/` must tell the
//! truth about the real compilers, NEURON 9.0.2's `nocmodl` and Arbor 0.12.2's `modcc`.
//!
//! | folder           | promise                                                      |
//! |------------------|--------------------------------------------------------------|
//! | `valid/both`     | nocmodl and modcc both accept the file                       |
//! | `valid/neuron`   | nocmodl accepts it                                           |
//! | `valid/arbor`    | modcc accepts it                                             |
//! | `invalid/neuron` | nocmodl rejects it while reading or parsing (a syntax error) |
//! | `invalid/arbor`  | modcc rejects it while reading or parsing (a syntax error)   |
//!
//! A rejection proves an `invalid` fixture only when it comes from the compiler's reader or parser, told apart from
//! semantic rejections by what the compiler prints (checked by experiment on the pinned versions):
//! - nocmodl's parser prints `syntax error`; its reader prints `Syntax error: no closing ')'`, `Line too long`,
//!   `Non-Ascii character` or `block goes to end of file`. Any other refusal is semantic.
//! - modcc prints its lexer and parser errors directly, and its semantic errors under `error trace:` (or as an
//!   `internal compiler error`). A run that does not finish within [`COMPILER_TIME_LIMIT`] counts as a rejection:
//!   modcc 0.12.2 loops forever on `invalid/arbor/range_list_on_next_line_hangs_modcc.mod`.
//!
//! The compilers come from the virtual environment made by `bash tools/setup-oracles.sh` (`.venv` at the repository
//! root, or the folder named by `$GLIA_ORACLE_VENV`). Each run gets a fresh temporary output folder; the fixture is
//! passed by its absolute path so that nocmodl finds `INCLUDE`d files next to it. Every mismatch is reported at once.

mod common;

use std::env;
use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

const COMPILER_TIME_LIMIT: Duration = Duration::from_secs(10);
const SETUP_INSTRUCTIONS: &str =
    "run `bash tools/setup-oracles.sh` to install the pinned NEURON and Arbor wheels";
const NOCMODL_SYNTAX_MARKERS: &[&str] = &[
    "syntax error",
    "Syntax error",
    "Line too long",
    "Non-Ascii character",
    "block goes to end of file",
];
const MODCC_SEMANTIC_MARKERS: &[&str] = &["error trace:", "internal compiler error"];

#[test]
fn fixture_folders_match_what_nocmodl_and_modcc_do() {
    let repository_root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let site_packages = common::oracle_site_packages();
    let nocmodl = site_packages.join("neuron/.data/bin/nocmodl");
    let units_library = site_packages.join("neuron/.data/share/nrn/lib/nrnunits.lib");
    let modcc = site_packages.join("arbor/bin/modcc");
    for required_file in [&nocmodl, &units_library, &modcc] {
        assert!(
            required_file.is_file(),
            "missing {}: {SETUP_INSTRUCTIONS}",
            required_file.display()
        );
    }

    let mut mismatches = Vec::new();
    let mut fixture_count = 0;
    for folder in [
        "valid/both",
        "valid/neuron",
        "valid/arbor",
        "invalid/neuron",
        "invalid/arbor",
    ] {
        let folder_path = repository_root.join("corpus/fixtures").join(folder);
        let mut fixtures: Vec<PathBuf> = fs::read_dir(&folder_path)
            .unwrap_or_else(|error| panic!("cannot read {}: {error}", folder_path.display()))
            .map(|entry| entry.expect("readable folder entry").path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "mod"))
            .collect();
        fixtures.sort();
        assert!(
            !fixtures.is_empty(),
            "no .mod fixture in {}",
            folder_path.display()
        );

        for fixture in fixtures {
            fixture_count += 1;
            let relative_path = fixture
                .strip_prefix(repository_root)
                .unwrap_or(&fixture)
                .display()
                .to_string();
            let (expects_valid, checks_nocmodl, checks_modcc) = match folder {
                "valid/both" => (true, true, true),
                "valid/neuron" => (true, true, false),
                "valid/arbor" => (true, false, true),
                "invalid/neuron" => (false, true, false),
                _ => (false, false, true),
            };
            if checks_nocmodl {
                let output_folder = tempfile::tempdir().expect("temporary folder");
                let run = run_compiler(
                    Command::new(&nocmodl)
                        .arg(&fixture)
                        .arg("-o")
                        .arg(output_folder.path())
                        .env("MODLUNIT", &units_library)
                        .current_dir(output_folder.path()),
                    output_folder.path(),
                );
                let accepted = run.finished && run.succeeded;
                let rejected_for_syntax = !run.succeeded
                    && NOCMODL_SYNTAX_MARKERS
                        .iter()
                        .any(|marker| run.output.contains(marker));
                if expects_valid && !accepted {
                    mismatches.push(format!(
                        "{relative_path}: nocmodl should accept it, but:\n{}",
                        run.output
                    ));
                } else if !expects_valid && !rejected_for_syntax {
                    mismatches.push(format!(
                        "{relative_path}: nocmodl should reject it with a syntax error, but {}:\n{}",
                        if accepted { "it accepted it" } else { "the rejection is not a syntax error" },
                        run.output
                    ));
                }
            }
            if checks_modcc {
                let output_folder = tempfile::tempdir().expect("temporary folder");
                let run = run_compiler(
                    Command::new(&modcc)
                        .args(["-N", "arb", "-o"])
                        .arg(output_folder.path())
                        .arg(&fixture)
                        .current_dir(output_folder.path()),
                    output_folder.path(),
                );
                let accepted = run.finished && run.succeeded;
                let rejected_for_syntax = !run.succeeded
                    && !MODCC_SEMANTIC_MARKERS
                        .iter()
                        .any(|marker| run.output.contains(marker));
                if expects_valid && !accepted {
                    mismatches.push(format!(
                        "{relative_path}: modcc should accept it, but:\n{}",
                        run.output
                    ));
                } else if !expects_valid && !rejected_for_syntax {
                    mismatches.push(format!(
                        "{relative_path}: modcc should reject it with a syntax error, but {}:\n{}",
                        if accepted {
                            "it accepted it"
                        } else {
                            "the rejection is semantic"
                        },
                        run.output
                    ));
                }
            }
        }
    }

    assert!(
        mismatches.is_empty(),
        "{} of {fixture_count} fixtures are in the wrong folder:\n\n{}",
        mismatches.len(),
        mismatches.join("\n\n")
    );
}

/// What one compiler run came to: whether it finished in time, whether it exited with status 0, and everything it
/// printed (stdout then stderr), with terminal colour codes removed.
struct CompilerRun {
    finished: bool,
    succeeded: bool,
    output: String,
}

/// Runs `command` (no shell) with its output captured in files under `scratch_folder`, killing it when it outlives
/// [`COMPILER_TIME_LIMIT`].
fn run_compiler(command: &mut Command, scratch_folder: &Path) -> CompilerRun {
    let stdout_path = scratch_folder.join("compiler-stdout.txt");
    let stderr_path = scratch_folder.join("compiler-stderr.txt");
    let mut child = command
        .stdin(Stdio::null())
        .stdout(File::create(&stdout_path).expect("stdout capture file"))
        .stderr(File::create(&stderr_path).expect("stderr capture file"))
        .spawn()
        .unwrap_or_else(|error| {
            panic!(
                "cannot start {:?}: {error}; {SETUP_INSTRUCTIONS}",
                command.get_program()
            )
        });
    let deadline = Instant::now() + COMPILER_TIME_LIMIT;
    let (finished, succeeded) = loop {
        if let Some(status) = child.try_wait().expect("waiting for the compiler") {
            break (true, status.success());
        }
        if Instant::now() >= deadline {
            child.kill().expect("stopping the compiler");
            child.wait().expect("reaping the compiler");
            break (false, false);
        }
        thread::sleep(Duration::from_millis(5));
    };
    let mut output =
        String::from_utf8_lossy(&fs::read(&stdout_path).unwrap_or_default()).into_owned();
    output.push_str(&String::from_utf8_lossy(
        &fs::read(&stderr_path).unwrap_or_default(),
    ));
    let mut plain_output = String::with_capacity(output.len());
    let mut characters = output.chars();
    while let Some(character) = characters.next() {
        if character == '\u{1b}' {
            characters
                .by_ref()
                .take_while(|next| !next.is_ascii_alphabetic())
                .for_each(drop);
        } else {
            plain_output.push(character);
        }
    }
    if !finished {
        plain_output.push_str(&format!(
            "(did not finish within {COMPILER_TIME_LIMIT:?}; stopped)"
        ));
    }
    CompilerRun {
        finished,
        succeeded,
        output: plain_output,
    }
}
