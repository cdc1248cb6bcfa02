//! Renaming a mechanism by splicing bytes: only the name token of its SUFFIX/POINT_PROCESS/… statement changes,
//! every other byte of the file stays as it was (comments, layout, CRLF, Latin-1 bytes). Pure: no IO.
//!
//! A file without a mechanism statement (nocmodl then names the mechanism after the file) gets one inserted as the
//! first statement of its NEURON block, or a new NEURON block after the file's leading TITLE and comments. The kind
//! is chosen from the file: `POINT_PROCESS` when it has a NET_RECEIVE block (NEURON delivers events only to point
//! processes), else `SUFFIX`. A POINTER does not decide it (density mechanisms have POINTERs too), and
//! `ARTIFICIAL_CELL`, `VOLTAGE_PROCESS` and `JUNCTION_PROCESS` are never guessed: they change how the simulator
//! treats the mechanism and must be written by the author.
//!
//! The renamed text is parsed again before it is returned: the new name must read back as the mechanism's name,
//! with no new error (so a keyword or a builtin of the dialect is refused, not written).

use thiserror::Error;

use crate::diagnostics::{Code, Diagnostic};
use crate::identity::name::NEURON_NAME_LENGTH_LIMIT;
use crate::semantics::mechanism::{mechanism_facts, MechanismFacts};
use crate::span::Span;
use crate::syntax::ast::{ItemKind, MechanismKind};
use crate::syntax::token::TokenKind;
use crate::syntax::{parse, Dialect, Parse};

/// A renamed file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Renamed {
    /// The new file contents.
    pub text: Vec<u8>,
    /// What was changed.
    pub change: NameChange,
    /// Places that depend on the old name, as spans into [`Renamed::text`].
    pub warnings: Vec<RenameWarning>,
}

/// The one edit a rename makes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameChange {
    /// The name token of an existing statement was replaced.
    Replaced {
        kind: MechanismKind,
        /// The old name, as written in the source.
        old_name: Vec<u8>,
        /// The old name token in the source.
        old_span: Span,
        /// The new name in the output.
        new_span: Span,
    },
    /// A mechanism statement was inserted.
    Inserted {
        kind: MechanismKind,
        /// Whether a whole NEURON block was inserted (the file had none).
        new_neuron_block: bool,
        /// All inserted bytes, in the output.
        inserted: Span,
        /// The new name in the output.
        new_span: Span,
    },
}

impl NameChange {
    /// The new name in the output.
    pub fn new_name_span(&self) -> Span {
        match self {
            NameChange::Replaced { new_span, .. } | NameChange::Inserted { new_span, .. } => {
                *new_span
            }
        }
    }
}

/// Why a warning was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenameWarningKind {
    /// A VERBATIM block names the old mechanism, or a C identifier nocmodl derives from it (`_nrn_init__old`).
    VerbatimMentionsOldName,
    /// An INCLUDEd file is not read here; text in it that depends on the old name is not reported.
    IncludedFileNotExamined,
    /// `SUFFIX nothing` declares no mechanism; after the rename the file declares a density mechanism.
    SuffixNothingRenamed,
}

/// A place in the renamed file that may depend on the old name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenameWarning {
    pub kind: RenameWarningKind,
    /// Where, in [`Renamed::text`].
    pub span: Span,
    pub message: String,
}

/// Why a file was not renamed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum RenameError {
    #[error("the file has {} syntax error{}; renaming needs a file that parses", .diagnostics.len(), if .diagnostics.len() == 1 { "" } else { "s" })]
    SyntaxErrors { diagnostics: Vec<Diagnostic> },
    #[error("`{name}` is not an NMODL name: {reason}")]
    InvalidNewName { name: String, reason: String },
    #[error("`{name}` cannot be used as the mechanism name in the {dialect} dialect: {reason}")]
    NewNameRefused {
        name: String,
        dialect: &'static str,
        reason: String,
    },
}

/// The diagnostics that make a syntax tree unreliable for splicing. `NotInDialect` findings do not: the tree is
/// exact, the file only uses something the dialect's compiler refuses, and renaming does not change that.
fn breaks_the_tree(diagnostic: &Diagnostic) -> bool {
    diagnostic.is_error()
        && matches!(
            diagnostic.code,
            Code::SyntaxError
                | Code::UnterminatedComment
                | Code::UnterminatedVerbatim
                | Code::UnexpectedCharacter
                | Code::NestingTooDeep
        )
}

/// Renames the mechanism of `source` (parsed as `parse`, in `dialect`) to `new_name`.
pub fn rename(
    source: &[u8],
    parse_result: &Parse,
    dialect: Dialect,
    new_name: &str,
) -> Result<Renamed, RenameError> {
    rename_with_implicit_name(source, parse_result, dialect, new_name, None)
}

/// [`rename`], knowing the name nocmodl gives a file without a mechanism statement (its file stem), so that a
/// VERBATIM block mentioning it is reported when a statement is inserted.
pub fn rename_with_implicit_name(
    source: &[u8],
    parse_result: &Parse,
    dialect: Dialect,
    new_name: &str,
    implicit_name: Option<&str>,
) -> Result<Renamed, RenameError> {
    let syntax_errors: Vec<Diagnostic> = parse_result
        .diagnostics
        .iter()
        .filter(|diagnostic| breaks_the_tree(diagnostic))
        .cloned()
        .collect();
    if !syntax_errors.is_empty() {
        return Err(RenameError::SyntaxErrors {
            diagnostics: syntax_errors,
        });
    }
    validate_new_name(new_name, dialect)?;

    let facts = mechanism_facts(&parse_result.file);
    let renamed = match facts.declaration {
        Some(declaration) => replace_name(
            source,
            &facts,
            declaration.kind,
            declaration.name.span,
            new_name,
        ),
        None => insert_declaration(source, parse_result, &facts, new_name, implicit_name),
    };
    check_the_new_name_reads_back(&renamed, dialect, new_name)?;
    Ok(renamed)
}

fn validate_new_name(new_name: &str, dialect: Dialect) -> Result<(), RenameError> {
    let invalid = |reason: &str| RenameError::InvalidNewName {
        name: new_name.to_owned(),
        reason: reason.to_owned(),
    };
    let mut characters = new_name.chars();
    match characters.next() {
        None => return Err(invalid("it is empty")),
        Some(first) if !first.is_ascii_alphabetic() => {
            return Err(invalid("it must begin with an ASCII letter"))
        }
        Some(_) => {}
    }
    if !characters.all(|character| character.is_ascii_alphanumeric() || character == '_') {
        return Err(invalid("it may hold only ASCII letters, digits and `_`"));
    }
    if dialect == Dialect::Neuron && new_name == "nothing" {
        return Err(RenameError::NewNameRefused {
            name: new_name.to_owned(),
            dialect: dialect.name(),
            reason: "nocmodl reads `SUFFIX nothing` as no mechanism at all".to_owned(),
        });
    }
    if dialect == Dialect::Neuron && new_name.len() > NEURON_NAME_LENGTH_LIMIT {
        return Err(RenameError::NewNameRefused {
            name: new_name.to_owned(),
            dialect: dialect.name(),
            reason: format!(
                "it is {} characters long; nocmodl cuts names longer than {NEURON_NAME_LENGTH_LIMIT}",
                new_name.len()
            ),
        });
    }
    Ok(())
}

fn check_the_new_name_reads_back(
    renamed: &Renamed,
    dialect: Dialect,
    new_name: &str,
) -> Result<(), RenameError> {
    let reparsed = parse(&renamed.text, dialect);
    let refused = |reason: String| RenameError::NewNameRefused {
        name: new_name.to_owned(),
        dialect: dialect.name(),
        reason,
    };
    if let Some(error) = reparsed.diagnostics.iter().find(|diagnostic| {
        diagnostic.is_error()
            && diagnostic.primary.span.end > renamed.change.new_name_span().start
            && diagnostic.primary.span.start < renamed.change.new_name_span().end
    }) {
        return Err(refused(error.message.clone()));
    }
    if let Some(error) = reparsed
        .diagnostics
        .iter()
        .find(|diagnostic| breaks_the_tree(diagnostic))
    {
        return Err(refused(error.message.clone()));
    }
    let declared = mechanism_facts(&reparsed.file)
        .declaration
        .map(|declaration| declaration.name.span);
    if declared != Some(renamed.change.new_name_span()) {
        return Err(refused(
            "the renamed file does not read back with it as the mechanism name".to_owned(),
        ));
    }
    Ok(())
}

fn replace_name(
    source: &[u8],
    facts: &MechanismFacts,
    kind: MechanismKind,
    old_span: Span,
    new_name: &str,
) -> Renamed {
    let mut text = Vec::with_capacity(source.len() + new_name.len());
    text.extend_from_slice(&source[..old_span.start as usize]);
    text.extend_from_slice(new_name.as_bytes());
    text.extend_from_slice(&source[old_span.end as usize..]);
    let new_span = Span::new(
        old_span.start as usize,
        old_span.start as usize + new_name.len(),
    );
    let old_name = old_span.slice(source).to_vec();
    let shift = |span: Span| shift_after_edit(span, old_span, new_name.len());

    let mut warnings = Vec::new();
    if kind == MechanismKind::Suffix && old_name == b"nothing" {
        warnings.push(RenameWarning {
            kind: RenameWarningKind::SuffixNothingRenamed,
            span: new_span,
            message: format!(
                "`SUFFIX nothing` declares no mechanism (nocmodl compiles only its functions); renamed, the file \
                 declares a density mechanism `{new_name}`"
            ),
        });
    }
    if old_name != new_name.as_bytes() {
        warnings.extend(verbatim_warnings(source, facts, &old_name, shift));
    }
    warnings.extend(include_warnings(facts, shift));
    Renamed {
        text,
        change: NameChange::Replaced {
            kind,
            old_name,
            old_span,
            new_span,
        },
        warnings,
    }
}

/// A warning for each identifier in a VERBATIM block that depends on `old_name`, as spans shifted into the output.
fn verbatim_warnings(
    source: &[u8],
    facts: &MechanismFacts,
    old_name: &[u8],
    shift: impl Fn(Span) -> Span,
) -> Vec<RenameWarning> {
    let old = String::from_utf8_lossy(old_name);
    let mut warnings = Vec::new();
    for verbatim in &facts.verbatim_blocks {
        for mention in mentions_of_name(source, *verbatim, old_name) {
            let identifier = mention.text(source);
            let message = if identifier == old {
                format!("this VERBATIM block names the old mechanism `{old}`; its C code is not renamed")
            } else {
                format!(
                    "this VERBATIM block uses `{identifier}`, which depends on the old name `{old}` (nocmodl builds \
                     C names from the mechanism name); its C code is not renamed"
                )
            };
            warnings.push(RenameWarning {
                kind: RenameWarningKind::VerbatimMentionsOldName,
                span: shift(mention),
                message,
            });
        }
    }
    warnings
}

/// Where `span` of the source lies in the output, after `edit` was replaced by `replacement_length` bytes.
fn shift_after_edit(span: Span, edit: Span, replacement_length: usize) -> Span {
    if span.start >= edit.end {
        let moved = |offset: u32| offset as usize - edit.len() + replacement_length;
        Span::new(moved(span.start), moved(span.end))
    } else {
        span
    }
}

fn include_warnings(facts: &MechanismFacts, shift: impl Fn(Span) -> Span) -> Vec<RenameWarning> {
    facts
        .includes
        .iter()
        .map(|include| RenameWarning {
            kind: RenameWarningKind::IncludedFileNotExamined,
            span: shift(*include),
            message: "the INCLUDEd file is not examined: text in it that depends on the old name is not reported"
                .to_owned(),
        })
        .collect()
}

/// The C identifiers in `verbatim` (outside C comments; string contents included, as in `hoc_lookup("hh")`) that
/// are the old name, or contain it between underscores or at an end after `_` (`_nrn_state__hh`, `gnabar_hh`).
fn mentions_of_name(source: &[u8], verbatim: Span, old_name: &[u8]) -> Vec<Span> {
    let bytes = verbatim.slice(source);
    let mut mentions = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if bytes[index..].starts_with(b"//") {
            index += memchr::memchr(b'\n', &bytes[index..]).unwrap_or(bytes.len() - index);
        } else if bytes[index..].starts_with(b"/*") {
            index += memchr::memmem::find(&bytes[index + 2..], b"*/")
                .map_or(bytes.len() - index, |end| end + 4);
        } else if byte.is_ascii_alphabetic() || byte == b'_' {
            let start = index;
            while index < bytes.len()
                && (bytes[index].is_ascii_alphanumeric() || bytes[index] == b'_')
            {
                index += 1;
            }
            if identifier_depends_on(&bytes[start..index], old_name) {
                let offset = verbatim.start as usize;
                mentions.push(Span::new(offset + start, offset + index));
            }
        } else if byte.is_ascii_digit() {
            // A number such as `1e5` or `0x1f`: its letters are no identifier.
            while index < bytes.len()
                && (bytes[index].is_ascii_alphanumeric() || bytes[index] == b'_')
            {
                index += 1;
            }
        } else {
            index += 1;
        }
    }
    mentions
}

fn identifier_depends_on(identifier: &[u8], old_name: &[u8]) -> bool {
    if old_name.is_empty() || identifier.len() < old_name.len() {
        return false;
    }
    if identifier == old_name {
        return true;
    }
    memchr::memmem::find_iter(identifier, old_name).any(|start| {
        let end = start + old_name.len();
        let before_ok = start == 0 || identifier[start - 1] == b'_';
        let after_ok = end == identifier.len() || identifier[end] == b'_';
        before_ok && after_ok && (start > 0 || end < identifier.len())
    })
}

/// The file's first line ending (`\r\n`, `\n` or a lone `\r`), `\n` when it has none.
fn line_ending_of(source: &[u8]) -> &'static [u8] {
    match memchr::memchr2(b'\n', b'\r', source) {
        Some(index) if source[index] == b'\n' => b"\n",
        Some(index) if source.get(index + 1) == Some(&b'\n') => b"\r\n",
        Some(_) => b"\r",
        None => b"\n",
    }
}

fn is_line_break(byte: u8) -> bool {
    byte == b'\n' || byte == b'\r'
}

/// The spaces and tabs before `offset` on its line, if only spaces and tabs precede it there.
fn indentation_before(source: &[u8], offset: usize) -> Option<&[u8]> {
    let line_start = source[..offset]
        .iter()
        .rposition(|&byte| is_line_break(byte))
        .map_or(0, |index| index + 1);
    let prefix = &source[line_start..offset];
    prefix
        .iter()
        .all(|&byte| byte == b' ' || byte == b'\t')
        .then_some(prefix)
}

/// The offset just past the line ending that ends the line containing `offset`, or the end of the file.
fn after_line_ending(source: &[u8], offset: usize) -> usize {
    match memchr::memchr2(b'\n', b'\r', &source[offset..]) {
        Some(relative) => {
            let index = offset + relative;
            if source[index] == b'\r' && source.get(index + 1) == Some(&b'\n') {
                index + 2
            } else {
                index + 1
            }
        }
        None => source.len(),
    }
}

const DEFAULT_INDENTATION: &[u8] = b"    ";

fn kind_keyword(kind: MechanismKind) -> &'static str {
    match kind {
        MechanismKind::Suffix => "SUFFIX",
        MechanismKind::PointProcess => "POINT_PROCESS",
        MechanismKind::ArtificialCell => "ARTIFICIAL_CELL",
        MechanismKind::VoltageProcess => "VOLTAGE_PROCESS",
        MechanismKind::JunctionProcess => "JUNCTION_PROCESS",
    }
}

/// The kind of statement inserted into a file without one (see the module documentation).
pub fn guessed_kind(facts: &MechanismFacts) -> MechanismKind {
    if facts.net_receive_arguments.is_some() {
        MechanismKind::PointProcess
    } else {
        MechanismKind::Suffix
    }
}

fn insert_declaration(
    source: &[u8],
    parse_result: &Parse,
    facts: &MechanismFacts,
    new_name: &str,
    implicit_name: Option<&str>,
) -> Renamed {
    let kind = guessed_kind(facts);
    let line_ending = line_ending_of(source);
    let statement = format!("{} {new_name}", kind_keyword(kind));
    let (at, inserted_text, name_offset, new_neuron_block) = match facts.neuron_block_body {
        Some(body) => {
            let (at, text, name_offset) =
                statement_insertion(source, parse_result, body, line_ending, &statement);
            (at, text, name_offset, false)
        }
        None => {
            let (at, text, name_offset) =
                neuron_block_insertion(source, parse_result, line_ending, &statement);
            (at, text, name_offset, true)
        }
    };
    let mut text = Vec::with_capacity(source.len() + inserted_text.len());
    text.extend_from_slice(&source[..at]);
    text.extend_from_slice(&inserted_text);
    text.extend_from_slice(&source[at..]);
    let name_start = at + name_offset;
    let insertion = Span::empty_at(at);
    let shift = |span: Span| shift_after_edit(span, insertion, inserted_text.len());
    let mut warnings = Vec::new();
    if let Some(implicit_name) = implicit_name.filter(|implicit_name| *implicit_name != new_name) {
        warnings.extend(verbatim_warnings(
            source,
            facts,
            implicit_name.as_bytes(),
            shift,
        ));
    }
    warnings.extend(include_warnings(facts, shift));
    Renamed {
        text,
        change: NameChange::Inserted {
            kind,
            new_neuron_block,
            inserted: Span::new(at, at + inserted_text.len()),
            new_span: Span::new(name_start, name_start + new_name.len()),
        },
        warnings,
    }
}

/// Inserts `statement` as the first statement of the NEURON block whose braces are `body`: on its own line just
/// after `{` (after a comment that ends the `{` line), indented like the block's first statement.
/// Returns the insertion offset, the bytes and where the name starts in them.
fn statement_insertion(
    source: &[u8],
    parse_result: &Parse,
    body: Span,
    line_ending: &[u8],
    statement: &str,
) -> (usize, Vec<u8>, usize) {
    let open_brace_end = body.start as usize + 1;
    let first_statement = parse_result
        .file
        .items
        .iter()
        .find_map(|item| match &item.kind {
            ItemKind::Neuron {
                statements,
                body: item_body,
            } if *item_body == body => statements
                .first()
                .map(|statement| statement.span.start as usize),
            _ => None,
        });
    let indentation = first_statement
        .and_then(|start| indentation_before(source, start))
        .filter(|indentation| !indentation.is_empty())
        .unwrap_or(DEFAULT_INDENTATION);
    let neuron_line_indentation = line_indentation(source, body.start as usize);

    // What follows `{` on its line: nothing, a comment, or code (a statement or `}`).
    let mut at = open_brace_end;
    while at < source.len() && (source[at] == b' ' || source[at] == b'\t') {
        at += 1;
    }
    let token_here = parse_result
        .tokens
        .iter()
        .find(|token| token.span.start as usize == at);
    let mut inserted = Vec::new();
    inserted.extend_from_slice(line_ending);
    inserted.extend_from_slice(indentation);
    let name_offset =
        inserted.len() + statement.len() - statement.rsplit(' ').next().map_or(0, str::len);
    inserted.extend_from_slice(statement.as_bytes());
    if at >= source.len() || is_line_break(source[at]) {
        // `{` ends its line: insert right after it (trailing spaces stay where they are).
        return (open_brace_end, inserted, name_offset);
    }
    if let Some(comment) = token_here
        .filter(|token| matches!(token.kind, TokenKind::LineComment | TokenKind::CommentBlock))
    {
        // `{ : comment` — the statement goes on the line after the comment, the comment stays with `{`.
        let line_end = after_line_ending(source, comment.span.end as usize);
        let before_break = source[..line_end]
            .iter()
            .rposition(|&byte| !is_line_break(byte))
            .map_or(line_end, |index| index + 1)
            .max(at);
        return (before_break, inserted, name_offset);
    }
    // Code follows `{` on the same line: the statement gets its own line and the code moves to the next.
    inserted.extend_from_slice(line_ending);
    if token_here.map(|token| token.kind) == Some(TokenKind::RightBrace) {
        inserted.extend_from_slice(neuron_line_indentation);
    } else {
        inserted.extend_from_slice(indentation);
    }
    (at, inserted, name_offset)
}

/// The leading spaces and tabs of the line containing `offset`.
fn line_indentation(source: &[u8], offset: usize) -> &[u8] {
    let line_start = source[..offset]
        .iter()
        .rposition(|&byte| is_line_break(byte))
        .map_or(0, |index| index + 1);
    let length = source[line_start..]
        .iter()
        .take_while(|&&byte| byte == b' ' || byte == b'\t')
        .count();
    &source[line_start..line_start + length]
}

/// Inserts a NEURON block holding `statement` after the file's header: its leading TITLE and the comments before
/// the first other item, except the comments directly above that item (no blank line between), which belong to it.
fn neuron_block_insertion(
    source: &[u8],
    parse_result: &Parse,
    line_ending: &[u8],
    statement: &str,
) -> (usize, Vec<u8>, usize) {
    let first_item_start = parse_result
        .file
        .items
        .iter()
        .find(|item| !matches!(item.kind, ItemKind::Title { .. }))
        .map_or(source.len(), |item| item.span.start as usize);
    let mut earliest = 0;
    let mut header: Vec<(Span, bool)> = Vec::new();
    for token in &parse_result.tokens {
        if token.span.start as usize >= first_item_start {
            break;
        }
        match token.kind {
            TokenKind::ByteOrderMark => earliest = token.span.end as usize,
            TokenKind::LineComment | TokenKind::CommentBlock => header.push((token.span, true)),
            _ => {}
        }
    }
    for item in &parse_result.file.items {
        if matches!(item.kind, ItemKind::Title { .. })
            && (item.span.start as usize) < first_item_start
        {
            header.push((item.span, false));
        }
    }
    header.sort_by_key(|(span, _)| span.start);
    // Drop the comments attached to the first item.
    let mut next_start = first_item_start;
    while let Some(&(span, is_comment)) = header.last() {
        let gap = &source[span.end as usize..next_start];
        let line_breaks = gap
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count()
            .max(gap.iter().filter(|&&byte| byte == b'\r').count());
        let attached = is_comment
            && first_item_start < source.len()
            && gap.iter().all(u8::is_ascii_whitespace)
            && line_breaks <= 1;
        if !attached {
            break;
        }
        next_start = span.start as usize;
        header.pop();
    }
    let at = match header.last() {
        Some(&(span, _)) => {
            let end = span.end as usize;
            let rest_of_line_is_blank = source[end..]
                .iter()
                .take_while(|&&byte| !is_line_break(byte))
                .all(|&byte| byte == b' ' || byte == b'\t');
            if rest_of_line_is_blank {
                after_line_ending(source, end)
            } else {
                end
            }
        }
        None => earliest,
    }
    .max(earliest);

    let mut inserted = Vec::new();
    if at > 0 && !is_line_break(source[at - 1]) && at > earliest {
        inserted.extend_from_slice(line_ending);
    }
    inserted.extend_from_slice(b"NEURON {");
    inserted.extend_from_slice(line_ending);
    inserted.extend_from_slice(DEFAULT_INDENTATION);
    let name_offset =
        inserted.len() + statement.len() - statement.rsplit(' ').next().map_or(0, str::len);
    inserted.extend_from_slice(statement.as_bytes());
    inserted.extend_from_slice(line_ending);
    inserted.extend_from_slice(b"}");
    inserted.extend_from_slice(line_ending);
    if at < source.len() && !is_line_break(source[at]) {
        // Keep a blank line between the new block and what follows.
        inserted.extend_from_slice(line_ending);
    }
    (at, inserted, name_offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renamed(source: &[u8], new_name: &str) -> Renamed {
        let parse_result = parse(source, Dialect::Neuron);
        rename(source, &parse_result, Dialect::Neuron, new_name).expect("renames")
    }

    #[test]
    fn identifiers_that_depend_on_the_name() {
        for (identifier, expected) in [
            ("hh", true),
            ("_nrn_init__hh", true),
            ("gnabar_hh", true),
            ("hh_table", true),
            ("x_hh_y", true),
            ("hhx", false),
            ("xhh", false),
            ("h", false),
        ] {
            assert_eq!(
                identifier_depends_on(identifier.as_bytes(), b"hh"),
                expected,
                "{identifier}"
            );
        }
    }

    #[test]
    fn inserts_after_an_open_brace_followed_by_code_on_the_same_line() {
        let result = renamed(b"NEURON { RANGE g }\nPARAMETER { g = 1 }\n", "x");
        assert_eq!(
            String::from_utf8_lossy(&result.text),
            // Only bytes are inserted: the space after `{` stays, now at the end of its line.
            "NEURON { \n    SUFFIX x\n    RANGE g }\nPARAMETER { g = 1 }\n"
        );
    }

    #[test]
    fn inserts_after_a_comment_that_ends_the_brace_line() {
        let result = renamed(b"NEURON { : the interface\r\n  RANGE g\r\n}\r\n", "x");
        assert_eq!(
            String::from_utf8_lossy(&result.text),
            "NEURON { : the interface\r\n  SUFFIX x\r\n  RANGE g\r\n}\r\n"
        );
    }

    #[test]
    fn a_new_neuron_block_goes_after_the_title_but_before_the_comments_of_the_first_block() {
        let result = renamed(
            b"TITLE t\n: about the file\n\n: the parameters\nPARAMETER { g = 1 }\n",
            "x",
        );
        assert_eq!(
            String::from_utf8_lossy(&result.text),
            "TITLE t\n: about the file\nNEURON {\n    SUFFIX x\n}\n\n: the parameters\nPARAMETER { g = 1 }\n"
        );
    }
}
