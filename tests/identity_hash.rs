//! The semantic hash against the real compiler: layout and comments never change it, tokens always do.
//!
//! For every `.mod` file under `corpus/real/` (fetched by `tools/fetch-corpus.py`) that nocmodl accepts, the test
//! makes variants that only change comments and layout (every `:`/`?` comment and COMMENT block stripped, lines
//! re-indented, a blank line after every line, trailing spaces added, CRLF line ends, and all of these at once) and
//! asserts that
//! - each has the same semantic hash as the original, and
//! - nocmodl's C++ for it equals the C++ for the original, once these lines are dropped from both: the source text
//!   that nocmodl embeds (`nmodl_file_text`, comments included), the lines that name the file (its path, and the
//!   runtime error messages that give a line number in it and quote that source line, indentation included); and the TITLE's trailing spaces are trimmed in the
//!   `modelname` line (nocmodl keeps them; the variable is unused, the hash ignores them).
//!
//! VERBATIM blocks are raw C and stay untouched except for line ends (the hash keeps their bytes). Then variants
//! that change one token (numbers, names, operators, units, VERBATIM text; up to five of each, spread through the
//! file) must each change the hash. nocmodl runs as `nrnivmodl` runs it: `nocmodl X.mod -o OUT`, with `MODLUNIT`
//! set, in a temporary copy of the file's folder (for INCLUDEs), two files at a time.
//!
//! A test with a synthetic INCLUDE (the corpus has none) checks the same for an included file, and that nocmodl
//! does read it. A snapshot of the hashes of fixed inputs guards the format: a change there invalidates every build
//! cache. The `glia hash` command is tested for its output and exit statuses.

mod common;

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::thread;

use glia::identity::hash::{semantic_hash, SemanticHash};
use glia::syntax::token::{Token, TokenKind, Tokens};
use glia::syntax::{parse, Dialect};

const CORPUS_INSTRUCTIONS: &str = "run `python3 tools/fetch-corpus.py` first";
const VENV_INSTRUCTIONS: &str = "run `bash tools/setup-oracles.sh`";
const TOKEN_CHANGES_PER_CATEGORY: usize = 5;

fn hash_of(source: &[u8], folder: &Path) -> SemanticHash {
    let parsed = parse(source, Dialect::Neuron);
    semantic_hash(source, &parsed, Dialect::Neuron, &mut |name: &str| {
        fs::read(folder.join(name)).map_err(|error| error.to_string())
    })
    .unwrap_or_else(|error| panic!("cannot hash a corpus file: {error}"))
}

// ---------------------------------------------------------------------------------------------------------------
// Variants

/// Rebuilds a source from its tokens, letting `edit` replace each token's text (`None` keeps it).
fn rebuild(
    source: &[u8],
    tokens: &Tokens,
    mut edit: impl FnMut(usize, &Token) -> Option<Vec<u8>>,
) -> Vec<u8> {
    let mut output = Vec::with_capacity(source.len() * 2);
    for (index, token) in tokens.iter().enumerate() {
        match edit(index, &token) {
            Some(replacement) => output.extend_from_slice(&replacement),
            None => output.extend_from_slice(token.span.slice(source)),
        }
    }
    output
}

fn strip_comments(source: &[u8], tokens: &Tokens) -> Vec<u8> {
    rebuild(source, tokens, |_, token| match token.kind {
        TokenKind::LineComment => Some(Vec::new()),
        TokenKind::CommentBlock | TokenKind::UnterminatedCommentBlock => {
            let text = token.span.slice(source);
            // Keep the line structure: a block that spanned lines leaves a line break.
            Some(if text.iter().any(|&byte| byte == b'\n' || byte == b'\r') {
                b"\n".to_vec()
            } else {
                b" ".to_vec()
            })
        }
        _ => None,
    })
}

fn reindent(source: &[u8], tokens: &Tokens) -> Vec<u8> {
    rebuild(source, tokens, |index, token| {
        let at_line_start =
            index == 0 || tokens.get(index - 1).expect("in range").kind == TokenKind::Newline;
        if !at_line_start || matches!(token.kind, TokenKind::Newline | TokenKind::IgnoredTail) {
            return None;
        }
        let mut replacement = b"  \t ".to_vec();
        if token.kind != TokenKind::Whitespace {
            replacement.extend_from_slice(token.span.slice(source));
        }
        Some(replacement)
    })
}

fn add_blank_lines(source: &[u8], tokens: &Tokens) -> Vec<u8> {
    rebuild(source, tokens, |_, token| {
        (token.kind == TokenKind::Newline).then(|| token.span.slice(source).repeat(2))
    })
}

fn add_trailing_spaces(source: &[u8], tokens: &Tokens) -> Vec<u8> {
    rebuild(source, tokens, |_, token| {
        (token.kind == TokenKind::Newline)
            .then(|| [b"  \t".as_slice(), token.span.slice(source)].concat())
    })
}

fn to_crlf(source: &[u8]) -> Vec<u8> {
    let mut output = Vec::with_capacity(source.len() + source.len() / 16);
    for (index, &byte) in source.iter().enumerate() {
        if byte == b'\n' && (index == 0 || source[index - 1] != b'\r') {
            output.push(b'\r');
        }
        output.push(byte);
    }
    output
}

fn layout_variants(source: &[u8]) -> Vec<(&'static str, Vec<u8>)> {
    let tokens = parse(source, Dialect::Neuron).tokens;
    let retokenized = |text: &[u8]| parse(text, Dialect::Neuron).tokens;
    let mut combined = strip_comments(source, &tokens);
    combined = reindent(&combined, &retokenized(&combined));
    combined = add_blank_lines(&combined, &retokenized(&combined));
    combined = add_trailing_spaces(&combined, &retokenized(&combined));
    combined = to_crlf(&combined);
    vec![
        ("comments stripped", strip_comments(source, &tokens)),
        ("re-indented", reindent(source, &tokens)),
        ("blank lines added", add_blank_lines(source, &tokens)),
        (
            "trailing spaces added",
            add_trailing_spaces(source, &tokens),
        ),
        ("CRLF line ends", to_crlf(source)),
        ("all at once", combined),
    ]
}

/// One-token changes: `(description, changed source)`.
fn token_changes(source: &[u8]) -> Vec<(String, Vec<u8>)> {
    let tokens = parse(source, Dialect::Neuron).tokens;
    let mut by_category: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
    for (index, token) in tokens.iter().enumerate() {
        let category = match token.kind {
            TokenKind::Number => "number",
            TokenKind::Name => "name",
            TokenKind::Plus | TokenKind::Minus | TokenKind::Star | TokenKind::Slash => "operator",
            TokenKind::Less
            | TokenKind::Greater
            | TokenKind::LessEqual
            | TokenKind::GreaterEqual => "comparison",
            TokenKind::Unit => "unit",
            TokenKind::Verbatim => "verbatim",
            _ => continue,
        };
        by_category.entry(category).or_default().push(index);
    }
    let mut changes = Vec::new();
    for (category, indices) in by_category {
        let step = indices.len().div_ceil(TOKEN_CHANGES_PER_CATEGORY).max(1);
        for &index in indices.iter().step_by(step) {
            let token = tokens.get(index).expect("in range");
            let text = token.span.slice(source);
            let replacement: Vec<u8> = match token.kind {
                TokenKind::Number | TokenKind::Name => [text, b"7"].concat(),
                TokenKind::Plus => b"-".to_vec(),
                TokenKind::Minus => b"+".to_vec(),
                TokenKind::Star => b"/".to_vec(),
                TokenKind::Slash => b"*".to_vec(),
                TokenKind::Less => b">".to_vec(),
                TokenKind::Greater => b"<".to_vec(),
                TokenKind::LessEqual => b">=".to_vec(),
                TokenKind::GreaterEqual => b"<=".to_vec(),
                // `(mV)` -> `(mV2)`.
                TokenKind::Unit => [&text[..text.len() - 1], b"2)"].concat(),
                // One more space after the keyword, inside the C text.
                TokenKind::Verbatim => [b"VERBATIM ".as_slice(), &text[8..]].concat(),
                _ => continue,
            };
            let changed = rebuild(source, &tokens, |other, _| {
                (other == index).then(|| replacement.clone())
            });
            changes.push((
                format!(
                    "{category} `{}` at byte {}",
                    String::from_utf8_lossy(text),
                    token.span.start
                ),
                changed,
            ));
        }
    }
    changes
}

// ---------------------------------------------------------------------------------------------------------------
// nocmodl

struct Nocmodl {
    binary: PathBuf,
    units: PathBuf,
}

impl Nocmodl {
    fn locate() -> Nocmodl {
        let venv_found = std::panic::catch_unwind(common::oracle_site_packages);
        let site_packages =
            venv_found.unwrap_or_else(|_| panic!("no oracle venv: {VENV_INSTRUCTIONS}"));
        let nocmodl = Nocmodl {
            binary: site_packages.join("neuron/.data/bin/nocmodl"),
            units: site_packages.join("neuron/.data/share/nrn/lib/nrnunits.lib"),
        };
        for required in [&nocmodl.binary, &nocmodl.units] {
            assert!(
                required.is_file(),
                "missing {}: {VENV_INSTRUCTIONS}",
                required.display()
            );
        }
        nocmodl
    }

    /// The C++ nocmodl generates for `folder/file_name`, or its complaint.
    fn translate(
        &self,
        folder: &Path,
        file_name: &str,
        output_name: &str,
    ) -> Result<String, String> {
        let output_folder = folder.join(output_name);
        let output = Command::new(&self.binary)
            .arg(file_name)
            .arg("-o")
            .arg(&output_folder)
            .current_dir(folder)
            .env("MODLUNIT", &self.units)
            .stdin(Stdio::null())
            .output()
            .map_err(|error| format!("cannot run nocmodl: {error}"))?;
        let stem = file_name.trim_end_matches(".mod");
        let generated = output_folder.join(format!("{stem}.cpp"));
        if !output.status.success() {
            return Err(String::from_utf8_lossy(&output.stderr).into_owned()
                + &String::from_utf8_lossy(&output.stdout));
        }
        fs::read(&generated)
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .map_err(|error| format!("no {}: {error}", generated.display()))
    }
}

/// The generated C++ without what legitimately follows comments and layout (see the module comment).
fn comparable_cpp(cpp: &str, file_name: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut in_embedded_source = false;
    for line in cpp.lines() {
        if in_embedded_source {
            in_embedded_source = line.trim() != ";";
            continue;
        }
        if line.contains("nmodl_file_text =") {
            in_embedded_source = true;
            continue;
        }
        if line.contains(file_name) {
            continue;
        }
        const MODEL_NAME: &str = "static const char *modelname = \"";
        if let Some(title) = line
            .strip_prefix(MODEL_NAME)
            .and_then(|rest| rest.strip_suffix("\";"))
        {
            lines.push(format!("{MODEL_NAME}{}\";", title.trim_end()));
            continue;
        }
        lines.push(line.to_string());
    }
    lines
}

fn first_difference(original: &[String], variant: &[String]) -> String {
    let index = original
        .iter()
        .zip(variant)
        .position(|(left, right)| left != right)
        .unwrap_or(original.len().min(variant.len()));
    format!(
        "line {index} of the kept C++: original {:?}, variant {:?}",
        original.get(index),
        variant.get(index)
    )
}

// ---------------------------------------------------------------------------------------------------------------
// The oracle test

#[derive(Default)]
struct FileResult {
    accepted_by_nocmodl: bool,
    layout_variants: usize,
    token_changes: usize,
    failures: Vec<String>,
}

fn copy_folder_files(from: &Path, to: &Path) {
    for entry in fs::read_dir(from)
        .expect("readable corpus folder")
        .flatten()
    {
        let path = entry.path();
        let small_file = entry
            .metadata()
            .is_ok_and(|metadata| metadata.is_file() && metadata.len() < 4 << 20);
        if small_file {
            fs::copy(&path, to.join(entry.file_name())).expect("copy into the temporary folder");
        }
    }
}

fn examine(nocmodl: &Nocmodl, path: &Path, relative: &str) -> FileResult {
    let mut result = FileResult::default();
    let source = fs::read(path).expect("readable corpus file");
    let folder = path.parent().expect("a file has a folder");
    let file_name = path
        .file_name()
        .and_then(|name| name.to_str())
        .expect("UTF-8 file name")
        .to_string();
    let work = tempfile::tempdir().expect("temporary folder");
    copy_folder_files(folder, work.path());
    let original_cpp = match nocmodl.translate(work.path(), &file_name, "original") {
        Ok(cpp) => comparable_cpp(&cpp, &file_name),
        Err(_) => return result,
    };
    result.accepted_by_nocmodl = true;
    let original_hash = hash_of(&source, folder);

    for (index, (description, variant)) in layout_variants(&source).into_iter().enumerate() {
        result.layout_variants += 1;
        if hash_of(&variant, folder) != original_hash {
            result
                .failures
                .push(format!("{relative}: {description}: the hash changed"));
        }
        fs::write(work.path().join(&file_name), &variant).expect("write the variant");
        match nocmodl.translate(work.path(), &file_name, &format!("variant{index}")) {
            Ok(cpp) => {
                let variant_cpp = comparable_cpp(&cpp, &file_name);
                if variant_cpp != original_cpp {
                    result.failures.push(format!(
                        "{relative}: {description}: nocmodl's C++ differs: {}",
                        first_difference(&original_cpp, &variant_cpp)
                    ));
                }
            }
            Err(message) => result.failures.push(format!(
                "{relative}: {description}: nocmodl rejects the variant: {}",
                message.trim()
            )),
        }
    }

    for (description, changed) in token_changes(&source) {
        result.token_changes += 1;
        if hash_of(&changed, folder) == original_hash {
            result.failures.push(format!(
                "{relative}: changing the {description} leaves the hash unchanged"
            ));
        }
    }
    result
}

fn collect_mod_files(folder: &Path, mod_files: &mut Vec<PathBuf>) {
    let entries = fs::read_dir(folder).unwrap_or_else(|error| {
        panic!(
            "cannot read {}: {error}; {CORPUS_INSTRUCTIONS}",
            folder.display()
        )
    });
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_mod_files(&path, mod_files);
        } else if path.extension().is_some_and(|extension| extension == "mod") {
            mod_files.push(path);
        }
    }
}

#[test]
fn layout_keeps_the_hash_and_nocmodls_output_and_tokens_change_the_hash() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus/real");
    let mut mod_files = Vec::new();
    collect_mod_files(&root, &mut mod_files);
    mod_files.sort();
    assert!(
        !mod_files.is_empty(),
        "no .mod file under {}: {CORPUS_INSTRUCTIONS}",
        root.display()
    );
    let nocmodl = Nocmodl::locate();

    let next = AtomicUsize::new(0);
    let results = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for _ in 0..2 {
            scope.spawn(|| loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = mod_files.get(index) else {
                    break;
                };
                let relative = path
                    .strip_prefix(&root)
                    .unwrap_or(path)
                    .display()
                    .to_string();
                let result = examine(&nocmodl, path, &relative);
                results.lock().expect("no worker panicked").push(result);
            });
        }
    });
    let results = results.into_inner().expect("no worker panicked");
    let accepted = results
        .iter()
        .filter(|result| result.accepted_by_nocmodl)
        .count();
    let layout_variants: usize = results.iter().map(|result| result.layout_variants).sum();
    let token_changes: usize = results.iter().map(|result| result.token_changes).sum();
    let failures: Vec<&String> = results.iter().flat_map(|result| &result.failures).collect();
    let mut summary = String::new();
    writeln!(
        summary,
        "{} corpus files, {accepted} accepted by nocmodl; {layout_variants} comment/layout variants (hash and \
         nocmodl's C++ compared), {token_changes} one-token changes (hash compared); {} failures",
        mod_files.len(),
        failures.len()
    )
    .expect("write to a String");
    for failure in failures.iter().take(40) {
        writeln!(summary, "  {failure}").expect("write to a String");
    }
    assert!(
        accepted > 0,
        "nocmodl accepted no corpus file: {VENV_INSTRUCTIONS}\n{summary}"
    );
    assert!(failures.is_empty(), "{summary}");
    println!("{summary}");
}

// ---------------------------------------------------------------------------------------------------------------
// Format stability and the command

/// Changing any of these hashes invalidates every cache keyed on them: bump `FORMAT_VERSION` on purpose, then
/// accept the snapshot.
#[test]
fn hashes_of_fixed_inputs_are_stable() {
    let inputs: [(&str, &str); 5] = [
        ("empty", ""),
        ("leak", "NEURON { SUFFIX leak RANGE g }\nPARAMETER { g = 0.001 (S/cm2) }\nBREAKPOINT { i = g*(v - e) }\n"),
        ("title", "TITLE a title: with a colon\nNEURON { SUFFIX t }\n"),
        ("verbatim", "NEURON { SUFFIX vb }\nVERBATIM\n  static int calls; /* C */\nENDVERBATIM\n"),
        ("include", "INCLUDE \"units.inc\"\nNEURON { SUFFIX inc }\n"),
    ];
    let mut lines = String::new();
    for dialect in [Dialect::Neuron, Dialect::Arbor] {
        for (name, source) in inputs {
            let parsed = parse(source.as_bytes(), dialect);
            let hash = semantic_hash(source.as_bytes(), &parsed, dialect, &mut |_: &str| {
                Ok(b"UNITS { (mV) = (millivolt) }\n".to_vec())
            })
            .expect("the resolver always answers");
            writeln!(lines, "{hash}  {name} ({dialect:?})").expect("write to a String");
        }
    }
    insta::assert_snapshot!(lines);
}

fn run_glia_hash(folder: &Path, arguments: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_glia"))
        .arg("hash")
        .args(arguments)
        .current_dir(folder)
        .env_remove("MODL_INCLUDE")
        .env("NO_COLOR", "1")
        .output()
        .expect("run glia");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn glia_hash_prints_like_sha256sum_in_input_order() {
    let folder = tempfile::tempdir().expect("temporary folder");
    let leak = "NEURON { SUFFIX leak }\n";
    fs::write(folder.path().join("b.mod"), leak).expect("write");
    fs::write(
        folder.path().join("a.mod"),
        ": same code, other comments\r\nNEURON {   SUFFIX leak }\r\n",
    )
    .expect("write");
    let (status, stdout, stderr) = run_glia_hash(folder.path(), &["b.mod", "a.mod"]);
    assert_eq!(status, 0, "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(
        lines[0].ends_with("  b.mod") && lines[1].ends_with("  a.mod"),
        "{stdout}"
    );
    assert_eq!(
        lines[0][..64],
        lines[1][..64],
        "comments and layout do not count"
    );

    let (status, stdout, _) = run_glia_hash(
        folder.path(),
        &["--format", "json", "--dialect", "arbor", "a.mod"],
    );
    assert_eq!(status, 0);
    let entries: serde_json::Value = serde_json::from_str(&stdout).expect("JSON output");
    assert_eq!(entries[0]["file"], "a.mod");
    assert_eq!(entries[0]["dialect"], "arbor");
    assert_eq!(entries[0]["hash"].as_str().map(str::len), Some(64));
    assert_ne!(
        entries[0]["hash"].as_str(),
        Some(&lines[1][..64]),
        "the dialect counts"
    );
}

#[test]
fn glia_hash_reports_missing_includes_syntax_errors_and_unreadable_files() {
    let folder = tempfile::tempdir().expect("temporary folder");
    fs::write(folder.path().join("good.mod"), "NEURON { SUFFIX good }\n").expect("write");
    fs::write(
        folder.path().join("missing.mod"),
        "NEURON { SUFFIX m }\nINCLUDE \"nowhere.inc\"\n",
    )
    .expect("write");
    fs::write(
        folder.path().join("broken.mod"),
        "NEURON { SUFFIX broken \n",
    )
    .expect("write");
    fs::create_dir(folder.path().join("sub")).expect("create");
    fs::write(
        folder.path().join("sub/uses.mod"),
        "INCLUDE \"units.inc\"\nNEURON { SUFFIX u }\n",
    )
    .expect("write");
    fs::write(
        folder.path().join("sub/units.inc"),
        "UNITS { (mV) = (millivolt) }\n",
    )
    .expect("write");

    let (status, stdout, stderr) =
        run_glia_hash(folder.path(), &["missing.mod", "good.mod", "sub/uses.mod"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stderr.contains("missing.mod:2:9: error: cannot read INCLUDE \"nowhere.inc\""),
        "{stderr}"
    );
    assert!(
        stdout.contains("  good.mod") && stdout.contains("  sub/uses.mod"),
        "{stdout}"
    );
    assert!(!stdout.contains("missing.mod"), "{stdout}");

    let (status, stdout, stderr) = run_glia_hash(folder.path(), &["broken.mod"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(
        stdout.contains("  broken.mod"),
        "a file with syntax errors still gets a hash: {stdout}"
    );
    assert!(stderr.contains("syntax error"), "{stderr}");

    fs::write(folder.path().join("bad.inc"), "PARAMETER { x = }\n").expect("write");
    fs::write(
        folder.path().join("uses_bad.mod"),
        "INCLUDE \"bad.inc\"\nNEURON { SUFFIX b }\n",
    )
    .expect("write");
    let (status, stdout, stderr) = run_glia_hash(folder.path(), &["uses_bad.mod"]);
    assert_eq!(status, 1, "{stderr}");
    assert!(stdout.contains("  uses_bad.mod"), "{stdout}");
    assert!(
        stderr.contains("INCLUDE \"bad.inc\" has 1 syntax error"),
        "{stderr}"
    );

    let (status, stdout, stderr) = run_glia_hash(folder.path(), &["absent.mod", "good.mod"]);
    assert_eq!(status, 2, "{stderr}");
    assert!(stderr.contains("cannot read absent.mod"), "{stderr}");
    assert!(stdout.contains("  good.mod"), "{stdout}");
}

/// An INCLUDEd file counts by its own semantic hash: its comments and layout change neither the hash nor
/// nocmodl's C++, its tokens change both.
#[test]
fn included_files_count_by_content_like_nocmodl_reads_them() {
    let nocmodl = Nocmodl::locate();
    let folder = tempfile::tempdir().expect("temporary folder");
    let main = concat!(
        "NEURON { SUFFIX incl  NONSPECIFIC_CURRENT i  RANGE g, e }\n",
        "INCLUDE \"params.inc\"\n",
        "ASSIGNED { v (mV) i (mA/cm2) }\n",
        "BREAKPOINT { i = g*(v - e) }\n",
    );
    let included =
        ": parameters\nPARAMETER {\n    g = 0.001 (S/cm2) : conductance\n    e = -70 (mV)\n}\n";
    fs::write(folder.path().join("main.mod"), main).expect("write");
    let translate_with = |included_text: &[u8], output_name: &str| {
        fs::write(folder.path().join("params.inc"), included_text).expect("write");
        let hash = hash_of(main.as_bytes(), folder.path());
        let cpp = nocmodl
            .translate(folder.path(), "main.mod", output_name)
            .map(|cpp| comparable_cpp(&cpp, "main.mod"));
        (hash, cpp)
    };
    let (original_hash, original_cpp) = translate_with(included.as_bytes(), "original");
    let original_cpp = original_cpp.expect("nocmodl accepts the original");
    for (index, (description, variant)) in
        layout_variants(included.as_bytes()).into_iter().enumerate()
    {
        let (hash, cpp) = translate_with(&variant, &format!("layout{index}"));
        assert_eq!(hash, original_hash, "{description}");
        let cpp = cpp.unwrap_or_else(|message| panic!("{description}: nocmodl rejects: {message}"));
        assert!(
            cpp == original_cpp,
            "{description}: {}",
            first_difference(&original_cpp, &cpp)
        );
    }
    let changed = included.replace("0.001", "0.002");
    let (hash, cpp) = translate_with(changed.as_bytes(), "changed");
    assert_ne!(hash, original_hash);
    assert_ne!(
        cpp.expect("nocmodl accepts the change"),
        original_cpp,
        "nocmodl reads the INCLUDE"
    );
}
