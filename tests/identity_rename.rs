//! Renaming mechanisms, checked byte for byte and against the real compilers.
//!
//! - Every `.mod` file of the real corpus (`corpus/real/`, fetched by `tools/fetch-corpus.py`) and every NEURON
//!   fixture in `corpus/fixtures/valid/` is renamed to a glia name. The output must equal the input outside the name
//!   token, and when nocmodl accepts the original it must accept the renamed file and generate the same C++ once the
//!   new name is put back to the old one (and the scratch folder to the original's): nocmodl sees nothing but the
//!   name change. Files refused for syntax errors must be ones nocmodl refuses too.
//! - Every Arbor fixture, and every real file that reads without error in the Arbor dialect and that modcc accepts,
//!   is renamed to its Arbor catalogue name and must be accepted by modcc under that name.
//! - Files without a mechanism statement get one inserted, which nocmodl accepts and registers.
//! - Name validation, collisions, and `glia rename` as a user runs it (in place, `-o`, stdout, refusals).

mod common;

use common::glia;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use glia::identity::name::{
    arbor_catalogue_name, find_name_collisions, ModName, NameError, NamePart, Simulator,
    NEURON_NAME_LENGTH_LIMIT,
};
use glia::identity::rename::{
    rename, rename_with_implicit_name, NameChange, RenameError, RenameWarningKind, Renamed,
};
use glia::syntax::{parse, Dialect};

const CORPUS_INSTRUCTIONS: &str = "run `python3 tools/fetch-corpus.py` first";

fn repository() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------------------------------
// The real compilers
// ---------------------------------------------------------------------------------------------------------------

struct Compilers {
    nocmodl: PathBuf,
    modlunit: PathBuf,
    modcc: PathBuf,
}

impl Compilers {
    fn locate() -> Compilers {
        let site_packages = common::oracle_site_packages();
        let compilers = Compilers {
            nocmodl: site_packages.join("neuron/.data/bin/nocmodl"),
            modlunit: site_packages.join("neuron/.data/share/nrn/lib/nrnunits.lib"),
            modcc: site_packages.join("arbor/bin/modcc"),
        };
        for required in [&compilers.nocmodl, &compilers.modlunit, &compilers.modcc] {
            assert!(
                required.is_file(),
                "missing {}: {}",
                required.display(),
                common::ORACLE_SETUP
            );
        }
        compilers
    }

    /// Runs nocmodl on `mod_file` from `include_folder` (where its INCLUDEs are found), writing into `output`.
    /// Returns the generated C++ or nocmodl's complaint.
    fn nocmodl(
        &self,
        mod_file: &Path,
        include_folder: &Path,
        output: &Path,
    ) -> Result<String, String> {
        fs::create_dir_all(output).expect("create the output folder");
        let run = Command::new(&self.nocmodl)
            .arg(mod_file)
            .arg("-o")
            .arg(output)
            .env("MODLUNIT", &self.modlunit)
            .env("MODL_INCLUDE", include_folder)
            .current_dir(include_folder)
            .output()
            .expect("nocmodl runs");
        let stem = mod_file.file_stem().expect("a file name");
        let cpp = output.join(stem).with_extension("cpp");
        if !run.status.success() {
            return Err(describe_failure(&run));
        }
        fs::read(&cpp)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|error| format!("no {}: {error}", cpp.display()))
    }

    /// Runs modcc on `mod_file`; returns the generated header of mechanism `name`, or modcc's complaint.
    fn modcc(&self, mod_file: &Path, name: &str, output: &Path) -> Result<String, String> {
        fs::create_dir_all(output).expect("create the output folder");
        let run = Command::new(&self.modcc)
            .arg("-t")
            .arg("cpu")
            .arg("-o")
            .arg(output)
            .arg(mod_file)
            .output()
            .expect("modcc runs");
        if !run.status.success() {
            return Err(describe_failure(&run));
        }
        let header = output.join(format!("{name}.hpp"));
        fs::read_to_string(&header).map_err(|error| format!("no {}: {error}", header.display()))
    }
}

fn describe_failure(run: &Output) -> String {
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .take(4)
        .collect::<Vec<_>>()
        .join(" | ")
}

/// The name nocmodl registers the mechanism under: the line after the version in `_mechanism[]`.
fn registered_neuron_name(cpp: &str) -> Option<String> {
    let mut lines = cpp
        .lines()
        .skip_while(|line| !line.contains("static const char *_mechanism[]"));
    lines.next()?;
    lines.next()?;
    let line = lines.next()?.trim();
    Some(line.trim_end_matches(',').trim_matches('"').to_owned())
}

// ---------------------------------------------------------------------------------------------------------------
// Byte checks
// ---------------------------------------------------------------------------------------------------------------

/// Asserts that `renamed` differs from `source` only by the name edit.
fn assert_only_the_name_changed(label: &str, source: &[u8], renamed: &Renamed, new_name: &str) {
    let text = &renamed.text;
    let new_span = renamed.change.new_name_span();
    assert_eq!(
        new_span.slice(text),
        new_name.as_bytes(),
        "{label}: the new name is not where it is said to be"
    );
    match &renamed.change {
        NameChange::Replaced { old_span, .. } => {
            let (start, end) = (old_span.start as usize, old_span.end as usize);
            assert_eq!(new_span.start as usize, start, "{label}");
            assert!(
                text[..start] == source[..start],
                "{label}: bytes before the name changed"
            );
            assert!(
                text[new_span.end as usize..] == source[end..],
                "{label}: bytes after the name changed"
            );
        }
        NameChange::Inserted { inserted, .. } => {
            let (start, end) = (inserted.start as usize, inserted.end as usize);
            assert!(
                text[..start] == source[..start],
                "{label}: bytes before the insertion changed"
            );
            assert!(
                text[end..] == source[start..],
                "{label}: bytes after the insertion changed"
            );
            assert!(
                inserted.start <= new_span.start && new_span.end <= inserted.end,
                "{label}"
            );
        }
    }
}

/// A valid asset name made from a file stem.
fn asset_from_stem(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut asset = String::new();
    for character in stem.chars() {
        let character = if character.is_ascii_alphanumeric() {
            character
        } else {
            '_'
        };
        if !(character == '_' && (asset.is_empty() || asset.ends_with('_'))) {
            asset.push(character);
        }
    }
    let asset = asset.trim_end_matches('_').to_owned();
    match asset.chars().next() {
        Some(first) if first.is_ascii_alphabetic() => asset,
        _ => format!("m{asset}"),
    }
}

fn collect_mod_files(folder: &Path, files: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(folder).unwrap_or_else(|error| {
        panic!(
            "cannot read {}: {error}; {CORPUS_INSTRUCTIONS}",
            folder.display()
        )
    });
    for entry in entries {
        let path = entry.expect("a readable folder entry").path();
        if path.is_dir() {
            collect_mod_files(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "mod") {
            files.push(path);
        }
    }
}

fn real_corpus_files() -> Vec<PathBuf> {
    let root = repository().join("corpus/real");
    assert!(
        root.is_dir(),
        "no {}: {CORPUS_INSTRUCTIONS}",
        root.display()
    );
    let mut files = Vec::new();
    collect_mod_files(&root, &mut files);
    files.sort();
    assert!(
        !files.is_empty(),
        "no .mod file under {}: {CORPUS_INSTRUCTIONS}",
        root.display()
    );
    files
}

fn fixture_files(dialect_folder: &str) -> Vec<PathBuf> {
    let mut files = Vec::new();
    collect_mod_files(
        &repository()
            .join("corpus/fixtures/valid")
            .join(dialect_folder),
        &mut files,
    );
    files.sort();
    files
}

fn relative(path: &Path) -> String {
    path.strip_prefix(repository())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Runs `work` on every item with two threads (the machine is shared), collecting the results in input order.
fn in_parallel<T: Sync, R: Send>(items: &[T], work: impl Fn(usize, &T) -> R + Sync) -> Vec<R> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::with_capacity(items.len()));
    std::thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(item) = items.get(index) else { break };
                let result = work(index, item);
                results
                    .lock()
                    .expect("no poisoned lock")
                    .push((index, result));
            });
        }
    });
    let mut results = results.into_inner().expect("no poisoned lock");
    results.sort_by_key(|(index, _)| *index);
    results.into_iter().map(|(_, result)| result).collect()
}

// ---------------------------------------------------------------------------------------------------------------
// NEURON: the real corpus and the fixtures
// ---------------------------------------------------------------------------------------------------------------

enum NeuronOutcome {
    /// Renamed; nocmodl accepted both and the C++ differs only by the name.
    SameCode,
    /// Renamed; nocmodl accepted the renamed file and registers the new name (the C++ is not compared: the old
    /// file declared `SUFFIX nothing` or no mechanism at all).
    Registered,
    /// Renamed, byte-checked; nocmodl rejects the original too.
    OriginalRejected,
    /// Refused (syntax errors, or a mechanism kind NEURON lacks), and nocmodl rejects the original too.
    RefusedLikeNocmodl,
    Failure(String),
}

fn rename_and_compile_for_neuron(
    compilers: &Compilers,
    scratch: &Path,
    index: usize,
    path: &Path,
) -> NeuronOutcome {
    let label = relative(path);
    let source = fs::read(path).expect("read a corpus file");
    let new_name = ModName::new("corpus", &asset_from_stem(path), "v1")
        .expect("a valid name")
        .neuron_name();
    let folder = path.parent().expect("a folder");
    let file_name = path.file_name().expect("a file name");
    let original_folder = scratch.join(format!("{index}-original"));
    let renamed_folder = scratch.join(format!("{index}-renamed"));
    fs::create_dir_all(&original_folder).expect("scratch folder");
    fs::create_dir_all(&renamed_folder).expect("scratch folder");
    let original_copy = original_folder.join(file_name);
    fs::write(&original_copy, &source).expect("write the original copy");
    let original_cpp = compilers.nocmodl(&original_copy, folder, &original_folder.join("out"));

    let parse_result = parse(&source, Dialect::Neuron);
    let renamed = match rename(&source, &parse_result, Dialect::Neuron, &new_name) {
        Ok(renamed) => renamed,
        // Refused for syntax errors, or for a mechanism kind NEURON does not have (Arbor's VOLTAGE_PROCESS and
        // JUNCTION_PROCESS, in Arbor's own mechanisms): nocmodl rejects those files too.
        Err(RenameError::SyntaxErrors { .. } | RenameError::NewNameRefused { .. })
            if original_cpp.is_err() =>
        {
            return NeuronOutcome::RefusedLikeNocmodl
        }
        Err(error) => return NeuronOutcome::Failure(format!("{label}: not renamed: {error}")),
    };
    assert_only_the_name_changed(&label, &source, &renamed, &new_name);
    let Ok(original_cpp) = original_cpp else {
        return NeuronOutcome::OriginalRejected;
    };

    let renamed_copy = renamed_folder.join(file_name);
    fs::write(&renamed_copy, &renamed.text).expect("write the renamed copy");
    let renamed_cpp = match compilers.nocmodl(&renamed_copy, folder, &renamed_folder.join("out")) {
        Ok(cpp) => cpp,
        Err(message) => {
            return NeuronOutcome::Failure(format!(
                "{label}: nocmodl rejects the renamed file: {message}"
            ))
        }
    };
    if registered_neuron_name(&renamed_cpp).as_deref() != Some(new_name.as_str()) {
        return NeuronOutcome::Failure(format!(
            "{label}: the C++ registers {:?}, not {new_name}",
            registered_neuron_name(&renamed_cpp)
        ));
    }
    let old_name = match &renamed.change {
        NameChange::Replaced { old_name, .. } if old_name != b"nothing" => {
            String::from_utf8_lossy(old_name).into_owned()
        }
        _ => return NeuronOutcome::Registered,
    };
    let put_back = renamed_cpp.replace(&new_name, &old_name).replace(
        &*renamed_folder.to_string_lossy(),
        &original_folder.to_string_lossy(),
    );
    if put_back != original_cpp {
        let first_difference = put_back
            .lines()
            .zip(original_cpp.lines())
            .find(|(renamed_line, original_line)| renamed_line != original_line)
            .map(|(renamed_line, original_line)| {
                format!("renamed `{renamed_line}` vs original `{original_line}`")
            })
            .unwrap_or_else(|| "the line counts differ".to_owned());
        return NeuronOutcome::Failure(format!(
            "{label}: the C++ differs beyond the name: {first_difference}"
        ));
    }
    NeuronOutcome::SameCode
}

#[test]
fn renaming_changes_only_the_name_and_nocmodl_sees_only_the_new_name() {
    let compilers = Compilers::locate();
    let mut files = real_corpus_files();
    files.extend(fixture_files("both"));
    files.extend(fixture_files("neuron"));
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let outcomes = in_parallel(&files, |index, path| {
        rename_and_compile_for_neuron(&compilers, scratch.path(), index, path)
    });

    let count = |wanted: fn(&NeuronOutcome) -> bool| {
        outcomes.iter().filter(|outcome| wanted(outcome)).count()
    };
    let same_code = count(|outcome| matches!(outcome, NeuronOutcome::SameCode));
    let registered = count(|outcome| matches!(outcome, NeuronOutcome::Registered));
    let original_rejected = count(|outcome| matches!(outcome, NeuronOutcome::OriginalRejected));
    let refused = count(|outcome| matches!(outcome, NeuronOutcome::RefusedLikeNocmodl));
    let failures: Vec<&String> = outcomes
        .iter()
        .filter_map(|outcome| match outcome {
            NeuronOutcome::Failure(message) => Some(message),
            _ => None,
        })
        .collect();
    let summary = format!(
        "{} files: {same_code} renamed with identical C++ up to the name, {registered} renamed and registered \
         (SUFFIX nothing or inserted), {original_rejected} renamed but nocmodl rejects the original, {refused} \
         refused where nocmodl also rejects the original, {} failures",
        files.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{summary}\n{}",
        failures
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(same_code > 200, "{summary}");
    println!("{summary}");
}

// ---------------------------------------------------------------------------------------------------------------
// Arbor: the fixtures and the real files modcc accepts
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn arbor_renames_are_accepted_by_modcc_under_the_catalogue_name() {
    let compilers = Compilers::locate();
    let mut candidates = fixture_files("arbor");
    candidates.extend(fixture_files("both"));
    candidates.extend(real_corpus_files().into_iter().filter(|path| {
        let source = fs::read(path).expect("read a corpus file");
        !parse(&source, Dialect::Arbor)
            .diagnostics
            .iter()
            .any(|diagnostic| diagnostic.is_error())
    }));
    let scratch = tempfile::tempdir().expect("a scratch folder");
    let outcomes = in_parallel(&candidates, |index, path| -> Result<bool, String> {
        let label = relative(path);
        let source = fs::read(path).expect("read a mod file");
        let name = ModName::new("corpus", &asset_from_stem(path), "fast").expect("a valid name");
        let new_name = name.valid_arbor_name().expect("a valid Arbor name");
        let old_stem = path
            .file_stem()
            .expect("a stem")
            .to_string_lossy()
            .into_owned();
        let original_folder = scratch.path().join(format!("{index}-original"));
        fs::create_dir_all(&original_folder).expect("scratch folder");
        let original_copy = original_folder.join(path.file_name().expect("a file name"));
        fs::write(&original_copy, &source).expect("write the original copy");
        let parse_result = parse(&source, Dialect::Arbor);
        let renamed = rename(&source, &parse_result, Dialect::Arbor, &new_name)
            .map_err(|error| format!("{label}: not renamed: {error}"))?;
        assert_only_the_name_changed(&label, &source, &renamed, &new_name);
        let old_name = match &renamed.change {
            NameChange::Replaced { old_name, .. } => String::from_utf8_lossy(old_name).into_owned(),
            NameChange::Inserted { .. } => old_stem.clone(),
        };
        if compilers
            .modcc(&original_copy, &old_name, &original_folder.join("out"))
            .is_err()
        {
            return Ok(false);
        }
        // Arbor names a catalogue mechanism after its file: the renamed file is `<new name>.mod`.
        let renamed_folder = scratch.path().join(format!("{index}-renamed"));
        fs::create_dir_all(&renamed_folder).expect("scratch folder");
        let renamed_copy = renamed_folder.join(format!("{new_name}.mod"));
        fs::write(&renamed_copy, &renamed.text).expect("write the renamed copy");
        let header = compilers
            .modcc(&renamed_copy, &new_name, &renamed_folder.join("out"))
            .map_err(|message| format!("{label}: modcc rejects the renamed file: {message}"))?;
        if !header.contains(&format!("result.name=\"{new_name}\";")) {
            return Err(format!(
                "{label}: modcc does not name the mechanism {new_name}"
            ));
        }
        Ok(true)
    });
    let failures: Vec<&String> = outcomes
        .iter()
        .filter_map(|outcome| outcome.as_ref().err())
        .collect();
    let accepted = outcomes
        .iter()
        .filter(|outcome| matches!(outcome, Ok(true)))
        .count();
    let summary = format!(
        "{} candidates: {accepted} accepted by modcc under their new name, {} rejected by modcc before renaming, {} \
         failures",
        candidates.len(),
        outcomes.iter().filter(|outcome| matches!(outcome, Ok(false))).count(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{summary}\n{}",
        failures
            .iter()
            .map(|m| m.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(accepted >= 30, "{summary}");
    println!("{summary}");
}

// ---------------------------------------------------------------------------------------------------------------
// Files without a mechanism statement
// ---------------------------------------------------------------------------------------------------------------

/// (label, source, expected keyword, whether a NEURON block is inserted)
const FILES_WITHOUT_A_NAME: &[(&str, &[u8], &str, bool)] = &[
    (
        "neuron_block_without_suffix",
        b"TITLE leak without a name\n: a header comment\n\nNEURON {\n    NONSPECIFIC_CURRENT i\n    RANGE g\n}\n\n\
PARAMETER { g = 0.001 (S/cm2) }\nASSIGNED { v (mV) i (mA/cm2) }\nBREAKPOINT { i = g*v }\n",
        "SUFFIX",
        false,
    ),
    (
        "no_neuron_block",
        b"TITLE no NEURON block\nCOMMENT\nA header comment.\nENDCOMMENT\n\n: the parameter\nPARAMETER { g = 0.001 }\n\
ASSIGNED { v (mV) x }\nBREAKPOINT { x = g*v }\n",
        "SUFFIX",
        true,
    ),
    (
        "net_receive_crlf",
        b": a synapse with CRLF line endings\r\nNEURON {\r\n\tRANGE w\r\n}\r\nASSIGNED { w }\r\n\
NET_RECEIVE(weight) {\r\n\tw = weight\r\n}\r\n",
        "POINT_PROCESS",
        false,
    ),
    (
        "one_line_neuron_block",
        b"NEURON { RANGE g }\nPARAMETER { g = 1 }\n",
        "SUFFIX",
        false,
    ),
];

#[test]
fn a_file_without_a_mechanism_statement_gets_one_that_nocmodl_registers() {
    let compilers = Compilers::locate();
    let scratch = tempfile::tempdir().expect("a scratch folder");
    for (label, source, keyword, new_block) in FILES_WITHOUT_A_NAME {
        let new_name = ModName::new("tests", label, "0")
            .expect("a valid name")
            .neuron_name();
        let parse_result = parse(source, Dialect::Neuron);
        assert!(
            parse_result.diagnostics.is_empty(),
            "{label}: {:?}",
            parse_result.diagnostics
        );
        let renamed = rename(source, &parse_result, Dialect::Neuron, &new_name).expect("renames");
        assert_only_the_name_changed(label, source, &renamed, &new_name);
        let NameChange::Inserted {
            kind,
            new_neuron_block,
            inserted,
            ..
        } = &renamed.change
        else {
            panic!("{label}: expected an insertion, got {:?}", renamed.change);
        };
        assert_eq!(new_neuron_block, new_block, "{label}");
        let inserted_text = String::from_utf8_lossy(inserted.slice(&renamed.text)).into_owned();
        assert!(
            inserted_text.contains(&format!("{keyword} {new_name}")),
            "{label}: {kind:?} {inserted_text:?}"
        );
        if source.windows(2).any(|pair| pair == b"\r\n") {
            assert!(
                !inserted_text.replace("\r\n", "").contains('\n'),
                "{label}: the insertion does not use the file's CRLF: {inserted_text:?}"
            );
        }
        let folder = scratch.path().join(label);
        fs::create_dir_all(&folder).expect("scratch folder");
        let renamed_path = folder.join(format!("{label}.mod"));
        fs::write(&renamed_path, &renamed.text).expect("write");
        let cpp = compilers
            .nocmodl(&renamed_path, &folder, &folder.join("out"))
            .unwrap_or_else(|message| {
                panic!(
                    "{label}: nocmodl rejects\n{}\n{message}",
                    String::from_utf8_lossy(&renamed.text)
                )
            });
        assert_eq!(
            registered_neuron_name(&cpp).as_deref(),
            Some(new_name.as_str()),
            "{label}"
        );
    }
}

#[test]
fn insertions_are_placed_and_indented_like_the_file() {
    let check = |source: &[u8], expected: &str| {
        let parse_result = parse(source, Dialect::Neuron);
        let renamed = rename(source, &parse_result, Dialect::Neuron, "x").expect("renames");
        assert_eq!(String::from_utf8_lossy(&renamed.text), expected);
    };
    check(
        b"NEURON {\r\n\tRANGE w\r\n}\r\nNET_RECEIVE(weight) { }\r\n",
        "NEURON {\r\n\tPOINT_PROCESS x\r\n\tRANGE w\r\n}\r\nNET_RECEIVE(weight) { }\r\n",
    );
    check(
        b"TITLE t\nCOMMENT\nabout\nENDCOMMENT\n\nPARAMETER { g = 1 }\n",
        "TITLE t\nCOMMENT\nabout\nENDCOMMENT\nNEURON {\n    SUFFIX x\n}\n\nPARAMETER { g = 1 }\n",
    );
    check(
        b"PARAMETER { g = 1 }\n",
        "NEURON {\n    SUFFIX x\n}\n\nPARAMETER { g = 1 }\n",
    );
    check(b"NEURON {}\n", "NEURON {\n    SUFFIX x\n}\n");
    // A COMMENT block after `{` (Arbor reads it there): the statement goes after the whole block.
    let source = b"NEURON { COMMENT\nabout\nENDCOMMENT\n  RANGE g\n}\n";
    let renamed =
        rename(source, &parse(source, Dialect::Arbor), Dialect::Arbor, "x").expect("renames");
    assert_eq!(
        String::from_utf8_lossy(&renamed.text),
        "NEURON { COMMENT\nabout\nENDCOMMENT\n  SUFFIX x\n  RANGE g\n}\n"
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Refusals and warnings of the library
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn files_with_syntax_errors_and_unusable_names_are_refused() {
    let broken = b"NEURON { SUFFIX broken }\nPARAMETER { g = }\n";
    let error = rename(
        broken,
        &parse(broken, Dialect::Neuron),
        Dialect::Neuron,
        "x",
    )
    .expect_err("refused");
    let RenameError::SyntaxErrors { diagnostics } = &error else {
        panic!("expected syntax errors, got {error:?}");
    };
    assert_eq!(diagnostics.len(), 1);
    assert!(error.to_string().contains("1 syntax error"), "{error}");

    let fine = b"NEURON { SUFFIX fine }\n";
    let fine_parse = parse(fine, Dialect::Neuron);
    for refused in [
        "",
        "1abc",
        "a-b",
        "PARAMETER",
        "é",
        "nothing",
        &"a".repeat(NEURON_NAME_LENGTH_LIMIT + 1),
    ] {
        assert!(
            rename(fine, &fine_parse, Dialect::Neuron, refused).is_err(),
            "`{refused}` was accepted"
        );
    }
    assert!(rename(
        fine,
        &fine_parse,
        Dialect::Neuron,
        &"a".repeat(NEURON_NAME_LENGTH_LIMIT)
    )
    .is_ok());
}

#[test]
fn verbatim_mentions_of_the_old_name_are_warned_about() {
    let source = b"NEURON { POINT_PROCESS ALU }\nVERBATIM\n/* ALU in a comment is fine */\n\
static void* x = hoc_lookup(\"ALU\");\nextern void _nrn_init__ALU(void); // ALU\nint ALUx, xALU;\nENDVERBATIM\n\
INCLUDE \"other.inc\"\n";
    let renamed = rename(
        source,
        &parse(source, Dialect::Neuron),
        Dialect::Neuron,
        "glia__p__ALU__0",
    )
    .expect("renames");
    let mentioned: Vec<String> = renamed
        .warnings
        .iter()
        .filter(|warning| warning.kind == RenameWarningKind::VerbatimMentionsOldName)
        .map(|warning| warning.span.text(&renamed.text).into_owned())
        .collect();
    assert_eq!(mentioned, ["ALU", "_nrn_init__ALU"]);
    assert!(renamed.warnings.iter().any(|warning| warning.kind
        == RenameWarningKind::IncludedFileNotExamined
        && warning.span.text(&renamed.text) == "\"other.inc\""));

    // Without a statement nocmodl names the mechanism after the file; mentions of that name are reported too.
    let unnamed =
        b"NEURON { RANGE g }\nPARAMETER { g = 1 }\nVERBATIM\nextern double g_leak;\nENDVERBATIM\n";
    let renamed = rename_with_implicit_name(
        unnamed,
        &parse(unnamed, Dialect::Neuron),
        Dialect::Neuron,
        "glia__p__leak__0",
        Some("leak"),
    )
    .expect("renames");
    let mentioned: Vec<String> = renamed
        .warnings
        .iter()
        .map(|warning| warning.span.text(&renamed.text).into_owned())
        .collect();
    assert_eq!(mentioned, ["g_leak"]);

    let nothing = b"NEURON { SUFFIX nothing }\nFUNCTION f() { f = 1 }\n";
    let renamed = rename(
        nothing,
        &parse(nothing, Dialect::Neuron),
        Dialect::Neuron,
        "x",
    )
    .expect("renames");
    assert_eq!(
        renamed.warnings[0].kind,
        RenameWarningKind::SuffixNothingRenamed
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------------------

#[test]
fn name_validation() {
    let long_asset = "a".repeat(NEURON_NAME_LENGTH_LIMIT);
    let longest_asset = "a".repeat(NEURON_NAME_LENGTH_LIMIT - "glia__p____0".len());
    let cases: &[(&str, &str, &str, Result<&str, NameError>)] = &[
        ("dbbs", "Kv1_1", "0", Ok("glia__dbbs__Kv1_1__0")),
        ("p", "Na", "t", Ok("glia__p__Na__t")),
        (
            "p2",
            "5HT3",
            "high_activity",
            Ok("glia__p2__5HT3__high_activity"),
        ),
        ("p", &longest_asset, "0", Ok("")),
        (
            "",
            "a",
            "0",
            Err(NameError::EmptyPart {
                part: NamePart::Package,
            }),
        ),
        (
            "p",
            "",
            "0",
            Err(NameError::EmptyPart {
                part: NamePart::Asset,
            }),
        ),
        (
            "p",
            "a",
            "",
            Err(NameError::EmptyPart {
                part: NamePart::Variant,
            }),
        ),
        (
            "p",
            "Na__t",
            "0",
            Err(NameError::DoubleUnderscoreInPart {
                part: NamePart::Asset,
                text: "Na__t".into(),
            }),
        ),
        (
            "p",
            "a",
            "_x",
            Err(NameError::UnderscoreAtPartEdge {
                part: NamePart::Variant,
                text: "_x".into(),
            }),
        ),
        (
            "p",
            "Kir2.3",
            "0",
            Err(NameError::InvalidCharacter {
                part: NamePart::Asset,
                text: "Kir2.3".into(),
                character: '.',
            }),
        ),
        (
            "my-package",
            "a",
            "0",
            Err(NameError::InvalidCharacter {
                part: NamePart::Package,
                text: "my-package".into(),
                character: '-',
            }),
        ),
        (
            "p",
            "Kvé",
            "0",
            Err(NameError::InvalidCharacter {
                part: NamePart::Asset,
                text: "Kvé".into(),
                character: 'é',
            }),
        ),
        (
            "p",
            &long_asset,
            "0",
            Err(NameError::TooLong {
                name: format!("glia__p__{long_asset}__0"),
                length: NEURON_NAME_LENGTH_LIMIT + "glia__p____0".len(),
            }),
        ),
    ];
    for (package, asset, variant, expected) in cases {
        let result = ModName::new(package, asset, variant);
        match (expected, &result) {
            (Ok(""), Ok(name)) => assert_eq!(name.neuron_name().len(), NEURON_NAME_LENGTH_LIMIT),
            (Ok(text), Ok(name)) => {
                assert_eq!(name.to_string(), *text);
                assert_eq!(
                    ModName::parse(text).as_ref(),
                    Ok(name),
                    "{text} parses back"
                );
                assert_eq!(text.parse::<ModName>().as_ref(), Ok(name));
            }
            _ => assert_eq!(
                result
                    .as_ref()
                    .map(ToString::to_string)
                    .map_err(Clone::clone),
                expected.clone().map(str::to_owned),
                "{package:?} {asset:?} {variant:?}"
            ),
        }
    }
    for not_glia in [
        "Kv1",
        "glia__a__b",
        "glia__a__b__c__d",
        "glia_a__b__c",
        "gliaX__a__b__c",
        "glia__a____c",
    ] {
        assert!(ModName::parse(not_glia).is_err(), "{not_glia}");
    }
    assert!(matches!(
        ModName::parse("glia__a__b.c__0"),
        Err(NameError::InvalidCharacter { .. })
    ));
    // Every error message says what is wrong.
    let message = ModName::new("p", "Na__t", "0")
        .expect_err("invalid")
        .to_string();
    assert!(
        message.contains("Na__t") && message.contains("__"),
        "{message}"
    );
}

#[test]
fn arbor_catalogue_names() {
    let name = |asset: &str, variant: &str| {
        ModName::new("p", asset, variant)
            .expect("valid")
            .arbor_name()
    };
    assert_eq!(name("Kv1", "0"), "Kv1");
    assert_eq!(name("Kv1", "high_activity"), "Kv1_high_activity");
    assert_eq!(arbor_catalogue_name("Na__t", "0"), "Na_t");
    assert_eq!(arbor_catalogue_name("Na_", "_t"), "Na_t");
    assert!(matches!(
        ModName::new("p", "5HT3", "0")
            .expect("valid NEURON name")
            .valid_arbor_name(),
        Err(NameError::ArborNameStartsWithDigit { .. })
    ));
}

#[test]
fn colliding_names_are_reported_with_both_sides() {
    let names = [
        ModName::new("dbbs", "Na", "t").expect("valid"),
        ModName::new("dbbs", "Na_t", "0").expect("valid"),
        ModName::new("other", "Na_t", "0").expect("valid"),
        ModName::new("dbbs", "Kv1", "0").expect("valid"),
        ModName::new("dbbs", "Kv1", "0").expect("valid"),
    ];
    let collisions = find_name_collisions(&names);
    let described: Vec<String> = collisions.iter().map(ToString::to_string).collect();
    assert_eq!(
        described,
        [
            "Arbor name `Na_t` is shared by package `dbbs` asset `Na` variant `t` and package `dbbs` asset `Na_t` \
             variant `0`",
            "NEURON name `glia__dbbs__Kv1__0` is shared by package `dbbs` asset `Kv1` variant `0` and package `dbbs` \
             asset `Kv1` variant `0`",
            "Arbor name `Kv1` is shared by package `dbbs` asset `Kv1` variant `0` and package `dbbs` asset `Kv1` \
             variant `0`",
        ]
    );
    assert_eq!(collisions[0].simulator, Simulator::Arbor);
    assert_eq!(collisions[0].first, names[0]);
    assert_eq!(collisions[0].second, names[1]);
}

// ---------------------------------------------------------------------------------------------------------------
// The command line
// ---------------------------------------------------------------------------------------------------------------

/// CRLF line endings, tabs, trailing spaces, a Latin-1 byte in a top-level COMMENT block and no final line break.
const AWKWARD_FILE: &[u8] =
    b"COMMENT\r\nAuthor: Fran\xe7ois, \xa9 1998  \r\nENDCOMMENT\r\n\r\nNEURON {\r\n\tSUFFIX \
old_name   : keep this comment\r\n\tRANGE g\r\n}\r\n\r\nPARAMETER {\r\n\tg = 1 (S/cm2)\t\r\n}";

fn folder_entries(folder: &Path) -> Vec<String> {
    let mut entries: Vec<String> = fs::read_dir(folder)
        .expect("readable folder")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    entries.sort();
    entries
}

#[test]
fn in_place_keeps_every_other_byte_and_the_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().expect("a folder");
    let path = folder.path().join("awkward.mod");
    fs::write(&path, AWKWARD_FILE).expect("write");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).expect("chmod");
    let output = glia(
        &[
            "rename",
            "--pkg",
            "p",
            "--asset",
            "a",
            "--variant",
            "v",
            "awkward.mod",
            "--in-place",
        ],
        folder.path(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.stdout.is_empty());
    let expected = String::from_utf8_lossy(AWKWARD_FILE).replace("old_name", "glia__p__a__v");
    let written = fs::read(&path).expect("read back");
    assert_eq!(String::from_utf8_lossy(&written), expected);
    let name_at = AWKWARD_FILE
        .windows(8)
        .position(|window| window == b"old_name")
        .expect("the name");
    assert!(written[..name_at] == AWKWARD_FILE[..name_at]);
    assert!(
        written[name_at + "glia__p__a__v".len()..] == AWKWARD_FILE[name_at + "old_name".len()..]
    );
    let mode = fs::metadata(&path).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert_eq!(
        folder_entries(folder.path()),
        ["awkward.mod"],
        "no temporary file is left"
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("awkward.mod:6:9: renamed `old_name` to `glia__p__a__v`"),
        "{stderr}"
    );
}

#[test]
fn stdout_by_default_and_output_files() {
    let folder = tempfile::tempdir().expect("a folder");
    fs::write(folder.path().join("awkward.mod"), AWKWARD_FILE).expect("write");
    let output = glia(
        &[
            "rename",
            "--pkg",
            "p",
            "--asset",
            "Na",
            "--variant",
            "t",
            "--arbor",
            "awkward.mod",
        ],
        folder.path(),
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(AWKWARD_FILE).replace("old_name", "Na_t")
    );
    assert_eq!(
        fs::read(folder.path().join("awkward.mod")).expect("read"),
        AWKWARD_FILE,
        "the input is untouched"
    );

    let output = glia(
        &[
            "rename",
            "--pkg",
            "p",
            "--asset",
            "a",
            "awkward.mod",
            "-o",
            "renamed.mod",
        ],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    let written = fs::read(folder.path().join("renamed.mod")).expect("written");
    assert_eq!(
        String::from_utf8_lossy(&written),
        String::from_utf8_lossy(AWKWARD_FILE).replace("old_name", "glia__p__a__0")
    );
    assert_eq!(
        folder_entries(folder.path()),
        ["awkward.mod", "renamed.mod"]
    );
}

#[test]
fn output_into_a_read_only_folder_fails_with_status_2_and_leaves_nothing() {
    use std::os::unix::fs::PermissionsExt;
    let folder = tempfile::tempdir().expect("a folder");
    fs::write(folder.path().join("awkward.mod"), AWKWARD_FILE).expect("write");
    let read_only = folder.path().join("read-only");
    fs::create_dir(&read_only).expect("mkdir");
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o555)).expect("chmod");
    // Root may write anywhere it has permission bits against it; then use a read-only mount instead.
    let probe = read_only.join("probe");
    let target_folder = if fs::write(&probe, b"").is_ok() {
        fs::remove_file(&probe).expect("remove the probe");
        let system = PathBuf::from("/sys");
        assert!(
            fs::write(system.join("glia-probe"), b"").is_err(),
            "no read-only folder to test with"
        );
        system
    } else {
        read_only.clone()
    };
    let before = folder_entries(&target_folder);
    let target = target_folder.join("renamed.mod");
    let output = glia(
        &[
            "rename",
            "--pkg",
            "p",
            "--asset",
            "a",
            "awkward.mod",
            "-o",
            &target.to_string_lossy(),
        ],
        folder.path(),
    );
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("cannot write"));
    assert!(output.stdout.is_empty());
    assert_eq!(
        folder_entries(&target_folder),
        before,
        "nothing is left behind"
    );
    fs::set_permissions(&read_only, fs::Permissions::from_mode(0o755)).expect("chmod back");
}

#[test]
fn refusals_exit_1_and_usage_or_io_errors_exit_2() {
    let folder = tempfile::tempdir().expect("a folder");
    fs::write(
        folder.path().join("broken.mod"),
        b"NEURON { SUFFIX broken }\nPARAMETER { g = }\n",
    )
    .expect("write");
    fs::write(folder.path().join("fine.mod"), b"NEURON { SUFFIX fine }\n").expect("write");

    let broken = glia(
        &[
            "rename",
            "--pkg",
            "p",
            "--asset",
            "a",
            "broken.mod",
            "--in-place",
        ],
        folder.path(),
    );
    assert_eq!(broken.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&broken.stderr);
    assert!(
        stderr.contains("E001") && stderr.contains("1 syntax error"),
        "{stderr}"
    );
    assert_eq!(
        fs::read(folder.path().join("broken.mod")).expect("read"),
        b"NEURON { SUFFIX broken }\nPARAMETER { g = }\n"
    );

    let invalid = glia(
        &["rename", "--pkg", "my__pkg", "--asset", "a", "fine.mod"],
        folder.path(),
    );
    assert_eq!(invalid.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&invalid.stderr).contains("`my__pkg` contains `__`"));

    let missing = glia(
        &["rename", "--pkg", "p", "--asset", "a", "missing.mod"],
        folder.path(),
    );
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read missing.mod"));

    let both = glia(
        &[
            "rename",
            "--pkg",
            "p",
            "--asset",
            "a",
            "fine.mod",
            "-o",
            "x.mod",
            "--in-place",
        ],
        folder.path(),
    );
    assert_eq!(both.status.code(), Some(2));
    assert_eq!(folder_entries(folder.path()), ["broken.mod", "fine.mod"]);
}

#[test]
fn warnings_name_their_place() {
    let folder = tempfile::tempdir().expect("a folder");
    fs::write(
        folder.path().join("ALU.mod"),
        b"NEURON {\n    POINT_PROCESS ALU\n}\nVERBATIM\nstatic void* s;\nstatic void f(void) { s = hoc_lookup(\"ALU\"); }\n\
ENDVERBATIM\n",
    )
    .expect("write");
    let output = glia(
        &[
            "rename", "--pkg", "nd", "--asset", "ALU", "ALU.mod", "-o", "out.mod",
        ],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(String::from_utf8_lossy(&output.stderr));
}

#[test]
fn in_place_through_a_symbolic_link_rewrites_the_linked_file() {
    let folder = tempfile::tempdir().expect("a folder");
    fs::write(folder.path().join("real.mod"), AWKWARD_FILE).expect("write");
    std::os::unix::fs::symlink("real.mod", folder.path().join("link.mod")).expect("symlink");
    let output = glia(
        &[
            "rename",
            "--pkg",
            "p",
            "--asset",
            "a",
            "link.mod",
            "--in-place",
        ],
        folder.path(),
    );
    assert_eq!(output.status.code(), Some(0));
    assert!(fs::symlink_metadata(folder.path().join("link.mod"))
        .expect("the link")
        .file_type()
        .is_symlink());
    assert_eq!(
        String::from_utf8_lossy(&fs::read(folder.path().join("real.mod")).expect("read")),
        String::from_utf8_lossy(AWKWARD_FILE).replace("old_name", "glia__p__a__0")
    );
    assert_eq!(folder_entries(folder.path()), ["link.mod", "real.mod"]);
}
