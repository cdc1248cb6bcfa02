//! Names from package files are data. An asset, package, variant or catalogue name with `/`, `..`, spaces, quotes,
//! shell characters, control characters or non-ASCII letters is refused by the identity layer before any path is
//! made — checked on `ModName` and `validate_catalogue_name` directly (and, as a property, for every string), and
//! through each command that takes such a name (`glia rename --pkg/--asset/--variant`, `glia build-catalogue
//! NAME`): a refusal, a message, and no file written or folder made. Hostile *file* names are refused by
//! `glia nrnivmodl` before any process starts, and build as any other file in `glia build-catalogue` (which names
//! mechanisms by their SUFFIX), without a shell ever seeing them. And no process is started through a shell
//! anywhere in glia's source.

mod common;

use std::path::{Path, PathBuf};

use common::builds::{arbor_leak_channel, leak_channel, outcomes, text, Workspace};
use common::library::files_under;
use glia::identity::name::{validate_catalogue_name, ModName, NameError};
use proptest::prelude::*;

/// Names a package file might hold, each one a way into a path or a shell.
const HOSTILE_NAMES: [&str; 22] = [
    "a/b",
    "..",
    "../../etc",
    "/abs",
    "a b",
    "a\tb",
    "a\nb",
    "it's",
    "say\"hi\"",
    "$(touch pwned)",
    "`touch pwned`",
    "a;touch pwned",
    "a|b",
    "a&b",
    "a>b",
    "glob*",
    "back\\slash",
    "~user",
    "-rf",
    "café",
    "名前",
    "nul\0byte",
];

#[test]
fn the_identity_layer_refuses_every_hostile_name_in_every_part() {
    for hostile in HOSTILE_NAMES {
        for (package, asset, variant) in [
            (hostile, "asset", "0"),
            ("package", hostile, "0"),
            ("package", "asset", hostile),
        ] {
            let error = ModName::new(package, asset, variant).expect_err(hostile);
            assert!(
                matches!(error, NameError::InvalidCharacter { .. }),
                "{hostile:?}: {error:?}"
            );
            let message = error.to_string();
            assert!(
                !message.contains('\n') && !message.contains('\0'),
                "the message escapes what it quotes: {message:?}"
            );
        }
        assert!(validate_catalogue_name(hostile).is_err(), "{hostile:?}");
        assert!(ModName::parse(&format!("glia__{hostile}__a__0")).is_err());
    }
}

proptest! {
    /// Whatever the parts, a name that is accepted is a single path component and a C identifier: only ASCII
    /// letters, digits and `_`, never empty, never `.` or `..`.
    #[test]
    fn accepted_names_are_plain_identifiers(
        package in "\\PC{0,12}",
        asset in "[A-Za-z0-9_./ $;'\"é-]{0,12}",
        variant in "\\PC{0,6}",
    ) {
        let accepted = ModName::new(&package, &asset, &variant);
        let plain = |text: &str| !text.is_empty()
            && text.chars().all(|character| character.is_ascii_alphanumeric() || character == '_');
        prop_assert_eq!(accepted.is_ok(), plain(&package) && plain(&asset) && plain(&variant)
            && !([&package, &asset, &variant].iter().any(|part| part.contains("__") || part.starts_with('_') || part.ends_with('_'))));
        if let Ok(name) = accepted {
            for text in [name.neuron_name(), name.arbor_name()] {
                prop_assert!(plain(&text), "{}", text);
                prop_assert_eq!(Path::new(&text).components().count(), 1);
            }
        }
        prop_assert_eq!(validate_catalogue_name(&asset).is_ok(), plain(&asset)
            && !asset.starts_with(|character: char| character.is_ascii_digit()) && !asset.contains("__"));
    }
}

/// Every file under `folder`, to see that a refused command wrote nothing.
fn everything_under(folder: &Path) -> Vec<PathBuf> {
    let mut all = files_under(folder);
    all.extend(
        std::fs::read_dir(folder)
            .into_iter()
            .flatten()
            .flatten()
            .map(|entry| entry.path()),
    );
    all.sort();
    all.dedup();
    all
}

#[test]
fn glia_rename_refuses_hostile_names_before_writing_anything() {
    let workspace = Workspace::new();
    workspace.write("leak.mod", &leak_channel("leak", "0.001"));
    let input = workspace.mods.join("leak.mod");
    let before = everything_under(workspace.root.path());
    for hostile in HOSTILE_NAMES.iter().filter(|name| !name.contains('\0')) {
        for flag in ["--pkg", "--asset", "--variant"] {
            for arbor in [false, true] {
                // `--flag=value`, so that a name starting with `-` reaches glia as a value.
                let mut arguments: Vec<String> =
                    [("--pkg", "p"), ("--asset", "a"), ("--variant", "v")]
                        .into_iter()
                        .map(|(name, value)| {
                            format!("{name}={}", if name == flag { hostile } else { value })
                        })
                        .collect();
                if arbor {
                    arguments.push("--arbor".to_string());
                }
                let output = workspace
                    .glia(&["rename"])
                    .args(&arguments)
                    .arg(&input)
                    .arg("-o")
                    .arg(workspace.output.join("renamed.mod"))
                    .current_dir(workspace.root.path())
                    .output()
                    .unwrap();
                let message = text(&output);
                // `glia rename` refuses a name as it refuses a file it cannot rename: status 1.
                assert_eq!(
                    output.status.code(),
                    Some(1),
                    "{flag} {hostile:?}: {message}"
                );
                assert!(
                    message.contains("invalid name"),
                    "{flag} {hostile:?}: {message}"
                );
            }
        }
    }
    assert_eq!(
        everything_under(workspace.root.path()),
        before,
        "nothing was written, no folder made"
    );
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        leak_channel("leak", "0.001")
    );
}

#[test]
fn glia_build_catalogue_refuses_hostile_catalogue_names_before_any_path_is_made() {
    let workspace = Workspace::new();
    workspace.write("leak.mod", &arbor_leak_channel("leak", "0.001"));
    let before = everything_under(workspace.root.path());
    for hostile in HOSTILE_NAMES.iter().filter(|name| !name.contains('\0')) {
        let output = workspace
            .catalogue_command(hostile, &[])
            .current_dir(workspace.root.path())
            .output()
            .unwrap();
        let message = text(&output);
        assert_eq!(output.status.code(), Some(2), "{hostile:?}: {message}");
        // A name that starts with `-` is taken for an option and refused by the argument parser.
        assert!(
            message.contains("cannot name a catalogue")
                || (hostile.starts_with('-') && message.contains("unexpected argument")),
            "{hostile:?}: {message}"
        );
    }
    assert_eq!(
        everything_under(workspace.root.path()),
        before,
        "no output folder, no store, no file"
    );
}

/// File names a package may ship, as shell injections and path tricks.
const HOSTILE_FILE_NAMES: [&str; 6] = [
    "$(touch pwned).mod",
    "`touch pwned`.mod",
    "a;touch pwned.mod",
    "two words.mod",
    "it's.mod",
    "café.mod",
];

#[test]
fn glia_nrnivmodl_refuses_hostile_file_names_before_starting_any_process() {
    let workspace = Workspace::new();
    for name in HOSTILE_FILE_NAMES {
        workspace.write(name, &leak_channel("hostile", "0.001"));
    }
    let (status, report) = workspace.build(&[]);
    assert_eq!(status, 1, "{report:#}");
    assert_eq!(outcomes(&report, "failed").len(), HOSTILE_FILE_NAMES.len());
    for mechanism in report["mechanisms"].as_array().unwrap() {
        let message = mechanism["diagnostics"][0]["message"].as_str().unwrap();
        assert!(message.contains("must be a C identifier"), "{message}");
    }
    let counts = &report["processes"];
    assert_eq!(
        (
            counts["translate"].as_u64(),
            counts["compile"].as_u64(),
            counts["link"].as_u64()
        ),
        (Some(0), Some(0), Some(0)),
        "no process started: {report:#}"
    );
    assert!(
        !files_under(workspace.root.path())
            .iter()
            .any(|file| file.file_name().is_some_and(|name| name == "pwned")),
        "no shell ran"
    );
}

#[test]
fn glia_build_catalogue_builds_a_hostile_file_name_without_a_shell_seeing_it() {
    let workspace = Workspace::new();
    workspace.write(
        "$(touch pwned); `touch pwned`.mod",
        &arbor_leak_channel("calm", "0.001"),
    );
    let (status, report) = common::builds::json_run(
        &mut workspace.catalogue_command("hostile", &["--format", "json"]),
    );
    assert_eq!(status, 0, "{report:#}");
    assert_eq!(
        common::library::mechanisms_arbor_loads(&workspace.catalogue("hostile")),
        ["calm"]
    );
    assert!(
        !files_under(workspace.root.path())
            .iter()
            .any(|file| file.file_name().is_some_and(|name| name == "pwned")),
        "no shell ran"
    );
}

/// Every `.rs` file of glia's own source.
fn source_files() -> Vec<PathBuf> {
    files_under(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
        .into_iter()
        .filter(|file| file.extension().is_some_and(|extension| extension == "rs"))
        .collect()
}

#[test]
fn no_process_is_started_through_a_shell_and_only_the_executor_starts_processes() {
    let forbidden = [
        "sh -c",
        "Command::new(\"sh\")",
        "Command::new(\"bash\")",
        "\"/bin/sh\"",
        "\"/bin/bash\"",
        "\"/usr/bin/env\"",
        "system(",
    ];
    let executor = Path::new("src/build/exec.rs");
    let mut starters = Vec::new();
    for file in source_files() {
        let source = std::fs::read_to_string(&file).unwrap();
        for pattern in forbidden {
            assert!(
                !source.contains(pattern),
                "{} contains `{pattern}`",
                file.display()
            );
        }
        let starts_a_process = source.contains("process::Command")
            || source.match_indices("Command::new(").any(|(at, _)| {
                // `ToolCommand::new(` describes a run for the executor; it starts nothing.
                !source[..at]
                    .ends_with(|character: char| character.is_alphanumeric() || character == '_')
            });
        if starts_a_process {
            starters.push(file);
        }
    }
    assert!(!starters.is_empty(), "the search found the executor");
    for file in &starters {
        assert!(
            file.ends_with(executor),
            "{} starts a process outside {}",
            file.display(),
            executor.display()
        );
    }
}
