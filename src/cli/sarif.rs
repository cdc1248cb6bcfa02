//! `--format sarif`: the findings of a whole `glia lint` (or `glia check`) run as one SARIF 2.1.0 log, for GitHub
//! code scanning and other SARIF viewers. `tests/lint_sarif.rs` validates it against the official OASIS schema.
//!
//! The log holds one run:
//! - `tool.driver.rules` describes every code glia can report, in a fixed order (the front end's codes `E001`…
//!   `E900`, then the lint rules in the order of [`RULES`]), so that a code's `ruleIndex` is the same in every log,
//!   whatever was found. SARIF's rules array is the tool's rule metadata, not a list of what fired; lint rules with
//!   their documentation (What it does / Why it matters / Example / Fix) as `fullDescription` and `help`.
//! - Each finding is a result with its primary span as the location, its secondary labels as `relatedLocations`,
//!   its notes and help appended to the message, and its safe fix as a SARIF fix whose deleted regions are byte
//!   ranges of the original file (exact whatever the file's encoding and line endings, as `glia lint --fix` applies
//!   them).
//! - Lines and columns are the ones `--format json` gives: 1-based, columns counted in characters (an invalid UTF-8
//!   byte counts as one), so the run says `columnKind: unicodeCodePoints`, and a lone CR ends a line as for
//!   nocmodl, so the run lists it among its `newlineSequences`.
//! - A path given relative is a relative URI reference (forward slashes, percent-encoded) against `%SRCROOT%`, which
//!   `originalUriBaseIds` sets to the working folder; an absolute path is a `file://` URI.
//! - Every file that could not be read is a `toolExecutionNotifications` entry of the invocation, which then is not
//!   `executionSuccessful`; a configuration that cannot be read gives a log with a `toolConfigurationNotifications`
//!   entry and no result.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Component, Path};

use serde_json::{json, Map, Value};

use super::inputs::InputError;
use crate::diagnostics::line_index::LineIndex;
use crate::diagnostics::{Code, Diagnostic, FileReport, Severity};
use crate::semantics::lint::{Rule, RULES};
use crate::span::{Span, TextEdit};

/// The `$schema` of the log: the SARIF 2.1.0 schema as published by SchemaStore (GitHub's documented choice).
pub const SARIF_SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const SARIF_VERSION: &str = "2.1.0";
/// The base that relative artifact URIs are resolved against: the folder glia ran in.
pub const SOURCE_ROOT_BASE_ID: &str = "%SRCROOT%";

/// The front end's codes, in the order of their descriptors at the start of `tool.driver.rules`.
const FRONT_END_CODES: [Code; 13] = [
    Code::SyntaxError,
    Code::UnterminatedComment,
    Code::UnterminatedVerbatim,
    Code::UnexpectedCharacter,
    Code::NestingTooDeep,
    Code::NotInDialect,
    Code::UnknownRule,
    Code::BuildInput,
    Code::TranslationFailed,
    Code::CompilationFailed,
    Code::Io,
    Code::LoadTestFailed,
    Code::Package,
];

/// One file whose findings go into the log: the path as given on the command line (or found in a folder given
/// there) and its report.
pub struct AnalysedFile<'a> {
    pub path: &'a Path,
    pub report: FileReport<'a>,
}

/// The SARIF log of a run over `files`; `unreadable_paths` are the paths that could not be read or searched.
pub fn sarif_log(files: &[AnalysedFile<'_>], unreadable_paths: &[InputError]) -> Value {
    let mut rule_table = RuleTable::with_every_known_code();
    let mut results = Vec::new();
    let mut artifacts = Vec::new();
    for file in files {
        let artifact_location = artifact_location(file.path);
        artifacts.push(json!({
            "location": artifact_location,
            "length": file.report.source.len(),
            "roles": ["analysisTarget"],
            "sourceLanguage": "nmodl",
        }));
        if file.report.diagnostics.is_empty() {
            continue;
        }
        let line_index = LineIndex::new(file.report.source);
        for diagnostic in file.report.diagnostics {
            let rule_index = rule_table.index_of(diagnostic.code);
            results.push(result_of(
                diagnostic,
                rule_index,
                &artifact_location,
                file.report.source,
                &line_index,
            ));
        }
    }
    let mut invocation = Map::new();
    invocation.insert(
        "executionSuccessful".to_string(),
        Value::Bool(unreadable_paths.is_empty()),
    );
    if !unreadable_paths.is_empty() {
        let notifications: Vec<Value> = unreadable_paths
            .iter()
            .map(|error| {
                json!({
                    "level": "error",
                    "message": {
                        "text": format!("cannot read {}: {}", error.path.display(), error.message),
                    },
                    "locations": [{
                        "physicalLocation": { "artifactLocation": artifact_location(&error.path) },
                    }],
                    "descriptor": { "id": Code::Io.as_str(), "index": 0 },
                })
            })
            .collect();
        invocation.insert(
            "toolExecutionNotifications".to_string(),
            Value::Array(notifications),
        );
    }
    let mut run = run_skeleton(rule_table.into_descriptors(), invocation);
    run.insert("artifacts".to_string(), Value::Array(artifacts));
    run.insert("results".to_string(), Value::Array(results));
    log_of(run)
}

/// The SARIF log of a run that stopped before reading any file because its configuration is wrong: no result, a
/// `toolConfigurationNotifications` entry with `message`, and `executionSuccessful: false`.
pub fn configuration_failure_log(message: &str) -> Value {
    let mut invocation = Map::new();
    invocation.insert("executionSuccessful".to_string(), Value::Bool(false));
    invocation.insert(
        "toolConfigurationNotifications".to_string(),
        json!([{ "level": "error", "message": { "text": message } }]),
    );
    let mut run = run_skeleton(
        RuleTable::with_every_known_code().into_descriptors(),
        invocation,
    );
    run.insert("results".to_string(), json!([]));
    log_of(run)
}

fn log_of(run: Map<String, Value>) -> Value {
    json!({
        "$schema": SARIF_SCHEMA_URI,
        "version": SARIF_VERSION,
        "runs": [Value::Object(run)],
    })
}

/// The parts of a run that do not depend on the files: the tool, the invocation, the URI base and the way
/// positions are counted.
fn run_skeleton(rules: Vec<Value>, invocation: Map<String, Value>) -> Map<String, Value> {
    let mut driver = Map::new();
    driver.insert("name".to_string(), json!("glia"));
    driver.insert("version".to_string(), json!(env!("CARGO_PKG_VERSION")));
    driver.insert(
        "semanticVersion".to_string(),
        json!(env!("CARGO_PKG_VERSION")),
    );
    if let Some(information_uri) = [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|uri| !uri.is_empty())
    {
        driver.insert("informationUri".to_string(), json!(information_uri));
    }
    driver.insert("rules".to_string(), Value::Array(rules));
    driver.insert(
        "notifications".to_string(),
        json!([{
            "id": Code::Io.as_str(),
            "name": "unreadable-file",
            "shortDescription": { "text": "A file or folder named on the command line could not be read." },
            "defaultConfiguration": { "level": "error" },
        }]),
    );
    let mut run = Map::new();
    run.insert("tool".to_string(), json!({ "driver": driver }));
    run.insert(
        "invocations".to_string(),
        Value::Array(vec![Value::Object(invocation)]),
    );
    if let Some(working_folder) = std::env::current_dir()
        .ok()
        .and_then(|folder| absolute_folder_uri(&folder))
    {
        run.insert(
            "originalUriBaseIds".to_string(),
            json!({ SOURCE_ROOT_BASE_ID: { "uri": working_folder } }),
        );
    }
    run.insert("columnKind".to_string(), json!("unicodeCodePoints"));
    run.insert("newlineSequences".to_string(), json!(["\r\n", "\n", "\r"]));
    run
}

/// The reporting descriptors of the run and the index of each code among them.
struct RuleTable {
    descriptors: Vec<Value>,
    index_by_code: HashMap<&'static str, usize>,
}

impl RuleTable {
    /// Every front-end code, then every lint rule.
    fn with_every_known_code() -> RuleTable {
        let mut table = RuleTable {
            descriptors: Vec::new(),
            index_by_code: HashMap::new(),
        };
        for code in FRONT_END_CODES {
            table.push(code.as_str(), front_end_descriptor(code));
        }
        for rule in RULES {
            table.push(rule.code, lint_rule_descriptor(rule));
        }
        table
    }

    fn push(&mut self, code: &'static str, descriptor: Value) {
        self.index_by_code.insert(code, self.descriptors.len());
        self.descriptors.push(descriptor);
    }

    /// The index of `code`'s descriptor; a code with none yet (a code added to the project without a descriptor
    /// here) gets a generic one, so that every result's `ruleIndex` resolves.
    fn index_of(&mut self, code: Code) -> usize {
        let code_text = code.as_str();
        if let Some(&index) = self.index_by_code.get(code_text) {
            return index;
        }
        self.push(
            code_text,
            json!({
                "id": code_text,
                "shortDescription": { "text": format!("glia diagnostic {code_text}") },
                "defaultConfiguration": { "level": "error" },
            }),
        );
        self.descriptors.len() - 1
    }

    fn into_descriptors(self) -> Vec<Value> {
        self.descriptors
    }
}

/// The kebab-case name and description of a front-end code; `None` for a lint rule's code.
fn front_end_name_and_description(code: Code) -> Option<(&'static str, &'static str)> {
    Some(match code {
        Code::SyntaxError => ("syntax-error", "The parser found a token it cannot use here."),
        Code::UnterminatedComment => (
            "unterminated-comment",
            "A COMMENT block without ENDCOMMENT.",
        ),
        Code::UnterminatedVerbatim => (
            "unterminated-verbatim",
            "A VERBATIM block without ENDVERBATIM.",
        ),
        Code::UnexpectedCharacter => (
            "unexpected-character",
            "A byte that starts no NMODL token.",
        ),
        Code::NestingTooDeep => (
            "nesting-too-deep",
            "Parentheses, brackets or braces nested deeper than the parser follows.",
        ),
        Code::NotInDialect => (
            "not-in-dialect",
            "A construct the selected dialect's compiler (nocmodl for NEURON, modcc for Arbor) refuses.",
        ),
        Code::UnknownRule => (
            "unknown-rule-in-suppression",
            "A suppression comment `glia: ignore[...]` names a code that is not a rule.",
        ),
        Code::BuildInput => (
            "build-input",
            "A mod file that cannot be built as given (its name, a duplicate, a missing INCLUDE).",
        ),
        Code::TranslationFailed => (
            "translation-failed",
            "The translator (nocmodl, modcc) refused a mod file.",
        ),
        Code::CompilationFailed => (
            "compilation-failed",
            "The C++ compiler refused the translated file.",
        ),
        Code::Io => ("unreadable-file", "A file that could not be read."),
        Code::LoadTestFailed => (
            "load-test-failed",
            "A built mechanism that NEURON could not load or insert.",
        ),
        Code::Package => (
            "package-declaration",
            "A Glia package's declaration: an unreadable module, an invalid name, a missing file, a collision.",
        ),
        Code::Rule(_) => return None,
    })
}

fn front_end_descriptor(code: Code) -> Value {
    let (name, description) =
        front_end_name_and_description(code).expect("FRONT_END_CODES holds no lint rule code");
    let help = format!(
        "{description} The message says what was found and the location where; `glia check` reports the same. \
         A compiler given this file stops here, so the lint rules do not run on a file with such an error."
    );
    json!({
        "id": code.as_str(),
        "name": name,
        "shortDescription": { "text": description },
        "fullDescription": { "text": description },
        "help": { "text": help, "markdown": help },
        "defaultConfiguration": { "level": "error" },
        "properties": { "tags": ["nmodl"] },
    })
}

fn lint_rule_descriptor(rule: &Rule) -> Value {
    let what_it_does = documentation_section(rule.documentation, "What it does");
    let full_description = format!(
        "{what_it_does}\n\n{}",
        documentation_section(rule.documentation, "Why it matters")
    );
    let mut tags = vec!["nmodl".to_string()];
    tags.extend(
        rule.dialects
            .iter()
            .map(|dialect| dialect.name().to_ascii_lowercase()),
    );
    json!({
        "id": rule.code,
        "name": rule.name,
        "shortDescription": { "text": first_paragraph_as_one_line(&what_it_does) },
        "fullDescription": {
            "text": markdown_as_plain_text(&full_description),
            "markdown": full_description,
        },
        "help": {
            "text": markdown_as_plain_text(rule.documentation),
            "markdown": rule.documentation,
        },
        "defaultConfiguration": { "level": level_of(rule.severity) },
        "properties": { "tags": tags },
    })
}

/// The text under the heading `## {title}` of a rule's documentation, up to the next heading, trimmed (the whole
/// documentation when it has no such heading).
fn documentation_section(documentation: &str, title: &str) -> String {
    let heading = format!("## {title}");
    let mut lines = documentation
        .lines()
        .skip_while(|line| line.trim() != heading);
    if lines.next().is_none() {
        return documentation.trim().to_string();
    }
    let section: Vec<&str> = lines.take_while(|line| !line.starts_with("## ")).collect();
    section.join("\n").trim().to_string()
}

fn first_paragraph_as_one_line(text: &str) -> String {
    text.split("\n\n")
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The documentation's markdown as plain text: headings without their `#`s, code fences removed (the code stays).
fn markdown_as_plain_text(markdown: &str) -> String {
    let lines: Vec<&str> = markdown
        .lines()
        .filter(|line| !line.trim_start().starts_with("```"))
        .map(|line| {
            if line.starts_with('#') {
                line.trim_start_matches('#').trim_start()
            } else {
                line
            }
        })
        .collect();
    lines.join("\n").trim().to_string()
}

fn level_of(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

fn result_of(
    diagnostic: &Diagnostic,
    rule_index: usize,
    artifact_location: &Value,
    source: &[u8],
    line_index: &LineIndex,
) -> Value {
    let mut message = diagnostic.message.clone();
    for note in &diagnostic.notes {
        message.push_str("\nnote: ");
        message.push_str(note);
    }
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let location_with_message = |span: Span, label: &str| {
        let mut location = Map::new();
        location.insert(
            "physicalLocation".to_string(),
            json!({
                "artifactLocation": artifact_location,
                "region": text_region(source, line_index, span),
            }),
        );
        if !label.is_empty() {
            location.insert("message".to_string(), json!({ "text": label }));
        }
        Value::Object(location)
    };
    let mut result = Map::new();
    result.insert("ruleId".to_string(), json!(diagnostic.code.as_str()));
    result.insert("ruleIndex".to_string(), json!(rule_index));
    result.insert("level".to_string(), json!(level_of(diagnostic.severity)));
    result.insert("message".to_string(), json!({ "text": message }));
    result.insert(
        "locations".to_string(),
        json!([location_with_message(
            diagnostic.primary.span,
            &diagnostic.primary.message
        )]),
    );
    if !diagnostic.secondary.is_empty() {
        let related: Vec<Value> = diagnostic
            .secondary
            .iter()
            .map(|label| location_with_message(label.span, &label.message))
            .collect();
        result.insert("relatedLocations".to_string(), Value::Array(related));
    }
    if let Some(fix) = &diagnostic.fix {
        let mut edits: Vec<&TextEdit> = fix.edits.iter().collect();
        edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
        let replacements: Vec<Value> = edits.into_iter().map(replacement_of).collect();
        result.insert(
            "fixes".to_string(),
            json!([{
                "description": { "text": fix.description },
                "artifactChanges": [{
                    "artifactLocation": artifact_location,
                    "replacements": replacements,
                }],
            }]),
        );
    }
    Value::Object(result)
}

/// A span as a SARIF text region: 1-based lines, columns in characters, the end column that of the character after
/// the span (as in `--format json`).
fn text_region(source: &[u8], line_index: &LineIndex, span: Span) -> Value {
    let start = line_index.position(source, span.start as usize);
    let end = line_index.position(source, span.end as usize);
    json!({
        "startLine": start.line,
        "startColumn": start.column,
        "endLine": end.line,
        "endColumn": end.column,
    })
}

/// An edit as a SARIF replacement: the deleted bytes of the original file as a binary region (the offsets `--fix`
/// uses), and the inserted text, left out when the edit only deletes.
fn replacement_of(edit: &TextEdit) -> Value {
    let mut replacement = Map::new();
    replacement.insert(
        "deletedRegion".to_string(),
        json!({ "byteOffset": edit.span.start, "byteLength": edit.span.len() }),
    );
    if !edit.replacement.is_empty() {
        replacement.insert(
            "insertedContent".to_string(),
            json!({ "text": edit.replacement }),
        );
    }
    Value::Object(replacement)
}

/// Where a file is, as a SARIF artifact location: a relative path is a relative URI reference against
/// `%SRCROOT%`, an absolute one a `file://` URI.
pub fn artifact_location(path: &Path) -> Value {
    match absolute_file_uri(path) {
        Some(uri) => json!({ "uri": uri }),
        None => json!({ "uri": relative_uri(path), "uriBaseId": SOURCE_ROOT_BASE_ID }),
    }
}

/// A relative path as a relative URI reference: its parts percent-encoded and joined with `/`, `.` parts left out.
fn relative_uri(path: &Path) -> String {
    let mut segments = Vec::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => segments.push("..".to_string()),
            Component::Normal(part) => segments.push(percent_encoded(part.as_encoded_bytes())),
            Component::Prefix(_) | Component::RootDir => {}
        }
    }
    segments.join("/")
}

/// An absolute path as a `file://` URI (`None` for a relative path).
fn absolute_file_uri(path: &Path) -> Option<String> {
    if !path.is_absolute() {
        return None;
    }
    let mut uri = String::from("file://");
    let mut wrote_segment = false;
    for component in path.components() {
        match component {
            // A Windows drive (`C:`) stays as it is: `file:///C:/…`.
            Component::Prefix(prefix) => {
                uri.push('/');
                uri.push_str(&prefix.as_os_str().to_string_lossy().replace('\\', "/"));
            }
            Component::RootDir | Component::CurDir => {}
            Component::ParentDir => {
                uri.push_str("/..");
                wrote_segment = true;
            }
            Component::Normal(part) => {
                uri.push('/');
                uri.push_str(&percent_encoded(part.as_encoded_bytes()));
                wrote_segment = true;
            }
        }
    }
    if !wrote_segment {
        uri.push('/');
    }
    Some(uri)
}

/// A folder as an absolute `file://` URI ending with `/`, as `originalUriBaseIds` requires.
fn absolute_folder_uri(folder: &Path) -> Option<String> {
    let mut uri = absolute_file_uri(folder)?;
    if !uri.ends_with('/') {
        uri.push('/');
    }
    Some(uri)
}

/// `bytes` as one URI path segment: RFC 3986's unreserved characters and sub-delimiters and `@` as they are, every
/// other byte (`/`, `:`, space, `%`, non-ASCII …) as `%XX`. `:` is encoded so that a first segment never reads as a
/// scheme.
fn percent_encoded(bytes: &[u8]) -> String {
    let mut encoded = String::with_capacity(bytes.len());
    for &byte in bytes {
        if byte.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=@".contains(&byte) {
            encoded.push(byte as char);
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            artifact_location(Path::new("./mods/a b/é:x%.mod")),
            json!({ "uri": "mods/a%20b/%C3%A9%3Ax%25.mod", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location(Path::new("../up/leak.mod")),
            json!({ "uri": "../up/leak.mod", "uriBaseId": "%SRCROOT%" })
        );
        assert_eq!(
            artifact_location(Path::new("/tmp/with space/k#1.mod")),
            json!({ "uri": "file:///tmp/with%20space/k%231.mod" })
        );
        assert_eq!(
            absolute_folder_uri(Path::new("/work/main")).as_deref(),
            Some("file:///work/main/")
        );
        assert_eq!(
            absolute_folder_uri(Path::new("/")).as_deref(),
            Some("file:///")
        );
    }

    #[test]
    fn every_code_has_a_descriptor_and_the_order_is_fixed() {
        let table = RuleTable::with_every_known_code();
        assert_eq!(table.descriptors.len(), FRONT_END_CODES.len() + RULES.len());
        assert_eq!(table.descriptors[0]["id"], "E001");
        assert_eq!(table.index_by_code["A101"], FRONT_END_CODES.len());
        for (index, descriptor) in table.descriptors.iter().enumerate() {
            let id = descriptor["id"].as_str().unwrap();
            assert_eq!(table.index_by_code[id], index, "{id} appears twice");
            assert!(
                !descriptor["shortDescription"]["text"]
                    .as_str()
                    .unwrap()
                    .is_empty(),
                "{id}"
            );
        }
    }

    #[test]
    fn rule_documentation_becomes_descriptions() {
        let rule = crate::semantics::lint::rule_by_code("A101").unwrap();
        let descriptor = lint_rule_descriptor(rule);
        assert_eq!(
            descriptor["shortDescription"]["text"],
            "Finds `v`, `celsius`, `diam`, `area` or `v_peer` declared in an ASSIGNED block."
        );
        assert_eq!(descriptor["defaultConfiguration"]["level"], "error");
        assert_eq!(descriptor["help"]["markdown"], rule.documentation);
        let help_text = descriptor["help"]["text"].as_str().unwrap();
        assert!(
            help_text.starts_with("What it does\nFinds `v`"),
            "{help_text}"
        );
        assert!(!help_text.contains("```") && !help_text.contains("## "));
        assert!(help_text.contains("ASSIGNED {\n    v (mV)"), "{help_text}");
        let full_description = descriptor["fullDescription"]["markdown"].as_str().unwrap();
        assert!(
            full_description.starts_with("Finds `v`")
                && full_description.contains("\n\nmodcc provides these itself"),
            "{full_description}"
        );
    }
}
