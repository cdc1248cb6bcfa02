//! The semantic hash of a mod file: a sha256 over what the compilers read, blind to comments and layout.
//!
//! Pure: the caller parses the file and passes a resolver that returns the bytes of an `INCLUDE`d file by name
//! (the CLI searches the file's folder, the current folder, `../` and `MODL_INCLUDE`, as nocmodl does).
//!
//! # What the digest covers, in order
//!
//! Every item is framed as one tag byte, the length of its bytes as a little-endian `u64`, then the bytes, so no
//! two different sequences of items give the same stream (`ab` + `c` is not `a` + `bc`).
//!
//! 1. The format version ([`FORMAT_VERSION`]) and the dialect (`neuron` or `arbor`: the same text can mean different
//!    things to the two compilers).
//! 2. Each significant token, with a tag for its category (keyword, name, number, punctuation, unit, string, …) and
//!    its exact bytes. Trivia are skipped: whitespace, line breaks, `:`/`?` comments, COMMENT blocks, a byte order
//!    mark, the text after a Ctrl-Z.
//! 3. Before a significant token separated from the previous one by a line break (in whitespace or inside a
//!    comment), a line-break marker: one, however many line breaks and blank lines there are. Line structure
//!    matters to the compilers in a few places (modcc ends lists at a newline, nocmodl refuses lines over 512
//!    characters), so joining or splitting lines changes the hash; adding blank lines, re-indenting and changing
//!    line endings do not. A comment block that spans lines keeps its line break when it is removed.
//! 4. After the quoted name of an `INCLUDE`, the semantic hash of the included file (computed the same way,
//!    recursively, from its content; the name as written counts too, as a string token).
//!
//! # Decisions
//!
//! - VERBATIM: the raw C text between the `VERBATIM` keyword and the line holding `ENDVERBATIM` counts byte for
//!   byte (indentation, trailing spaces and C comments inside it included), except that `\r\n` and a lone `\r` read
//!   as `\n`: nocmodl copies the text into the C++ file with `\n` line ends whatever the source used (checked). The
//!   rest of the `ENDVERBATIM` line is left out: nocmodl discards it. So editing a C comment inside a VERBATIM block
//!   changes the hash: glia does not parse C, and whitespace can matter there (strings, macros, `\` line splices).
//! - TITLE: the title text counts, without its trailing spaces. nocmodl copies it into the generated C++ as
//!   `static const char *modelname = "…";` (trailing spaces included, leading ones and the `\r` of a CRLF line not),
//!   a variable that the generated code never uses; it counts so that the hash never hides a change to the C++
//!   text, and trailing spaces do not, as everywhere else.
//! - Units (`(mV)`), strings and ontology identifiers count with their exact bytes, inner spaces included.
//! - What nocmodl writes that a comment or layout change does alter, and the hash ignores: the whole source text,
//!   comments included, that it embeds in the C++ (`nmodl_file_text`, shown by NEURON's help), and its runtime
//!   error messages, which give a line number and quote that line, indentation included (`at line 46 in file
//!   X.mod:\n    SOLVE states`). A library built from a file whose comments changed still embeds the old text and
//!   old line numbers; the oracle test (`tests/identity_hash.rs`) checks that nothing else in the C++ differs.
//! - A file with syntax errors still has a hash (the tokens are there); reporting the errors is the caller's job.

use std::fmt;

use sha2::{Digest, Sha256};

use crate::semantics::mechanism::mechanism_facts;
use crate::span::Span;
use crate::syntax::token::{Token, TokenKind};
use crate::syntax::{parse, Dialect, Parse};

/// Changes whenever the framing or what is hashed changes, so old and new hashes never collide.
pub const FORMAT_VERSION: &[u8] = b"glia-semantic-hash-1";

/// How deep INCLUDEs may nest before the chain is refused (nocmodl has no limit, but a chain this deep is a cycle
/// through different names).
pub const MAXIMUM_INCLUDE_DEPTH: usize = 32;

/// A sha256 digest of a file's meaning.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SemanticHash(pub [u8; 32]);

impl SemanticHash {
    /// The 64 lowercase hexadecimal digits, as `sha256sum` prints them.
    pub fn to_hex(&self) -> String {
        let mut text = String::with_capacity(64);
        for byte in self.0 {
            text.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
            text.push(char::from(HEX_DIGITS[usize::from(byte & 0xF)]));
        }
        text
    }
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

impl fmt::Display for SemanticHash {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.to_hex())
    }
}

impl fmt::Debug for SemanticHash {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "SemanticHash({})", self.to_hex())
    }
}

/// Why a file could not be hashed. Every variant carries the span, in the file being hashed, of the quoted name of
/// the top-level INCLUDE that leads to the problem, and the chain of INCLUDE names from there to the failing one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HashError {
    /// The resolver could not find or read an INCLUDEd file.
    #[error("cannot read INCLUDE {}: {reason}", describe_chain(chain))]
    IncludeNotFound {
        span: Span,
        chain: Vec<String>,
        reason: String,
    },
    /// A file includes itself, directly or through others.
    #[error("INCLUDE {} includes itself", describe_chain(chain))]
    IncludeCycle { span: Span, chain: Vec<String> },
    /// INCLUDEs nested deeper than [`MAXIMUM_INCLUDE_DEPTH`].
    #[error(
        "INCLUDE {} nests deeper than {MAXIMUM_INCLUDE_DEPTH} files",
        describe_chain(chain)
    )]
    IncludeTooDeep { span: Span, chain: Vec<String> },
}

impl HashError {
    /// The span of the quoted name of the top-level INCLUDE that leads to the problem.
    pub fn span(&self) -> Span {
        match self {
            HashError::IncludeNotFound { span, .. }
            | HashError::IncludeCycle { span, .. }
            | HashError::IncludeTooDeep { span, .. } => *span,
        }
    }
}

fn describe_chain(chain: &[String]) -> String {
    chain
        .iter()
        .map(|name| format!("\"{name}\""))
        .collect::<Vec<_>>()
        .join(" -> ")
}

/// The semantic hash of `source` (parsed as `parse` in `dialect`). `resolve_include` returns the bytes of an
/// INCLUDEd file from its name as written between the quotes, or a message saying why it cannot.
pub fn semantic_hash(
    source: &[u8],
    parse: &Parse,
    dialect: Dialect,
    resolve_include: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
) -> Result<SemanticHash, HashError> {
    semantic_hash_and_includes(source, parse, dialect, resolve_include).map(|(hash, _)| hash)
}

/// A file reached through INCLUDEs while hashing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncludedFile {
    /// The INCLUDE names from the hashed file down to this one.
    pub chain: Vec<String>,
    pub hash: SemanticHash,
    /// How many errors parsing it in the dialect gave (it is hashed anyway).
    pub syntax_error_count: usize,
}

/// [`semantic_hash`], and every file reached through INCLUDEs (each listed after the files it includes).
pub fn semantic_hash_and_includes(
    source: &[u8],
    parse: &Parse,
    dialect: Dialect,
    resolve_include: &mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
) -> Result<(SemanticHash, Vec<IncludedFile>), HashError> {
    let mut walk = IncludeWalk {
        dialect,
        resolve_include,
        chain: Vec::new(),
        included: Vec::new(),
    };
    let hash = hash_with_includes(source, parse, &mut walk)?;
    Ok((hash, walk.included))
}

/// What the recursion over INCLUDEs carries.
struct IncludeWalk<'r> {
    dialect: Dialect,
    resolve_include: &'r mut dyn FnMut(&str) -> Result<Vec<u8>, String>,
    /// The names of the INCLUDEs being hashed, outermost first.
    chain: Vec<String>,
    included: Vec<IncludedFile>,
}

/// Item tags. Token categories are tagged by what they are, not by `TokenKind`'s numbering, so adding a keyword to
/// the lexer does not change existing hashes.
mod tag {
    pub const VERSION: u8 = b'#';
    pub const DIALECT: u8 = b'D';
    pub const LINE_BREAK: u8 = b'L';
    pub const INCLUDED_FILE: u8 = b'I';
    pub const KEYWORD: u8 = b'K';
    pub const NAME: u8 = b'N';
    pub const PRIMED_NAME: u8 = b'P';
    pub const NUMBER: u8 = b'0';
    pub const PUNCTUATION: u8 = b'p';
    pub const UNIT: u8 = b'U';
    pub const STRING: u8 = b'S';
    pub const TITLE: u8 = b'T';
    pub const ONTOLOGY_ID: u8 = b'O';
    pub const VERBATIM: u8 = b'V';
    pub const UNTERMINATED_VERBATIM: u8 = b'v';
    pub const UNKNOWN: u8 = b'?';
}

struct FramedHasher(Sha256);

impl FramedHasher {
    fn item(&mut self, tag: u8, bytes: &[u8]) {
        self.0.update([tag]);
        self.0.update((bytes.len() as u64).to_le_bytes());
        self.0.update(bytes);
    }
}

fn hash_with_includes(
    source: &[u8],
    parse: &Parse,
    walk: &mut IncludeWalk<'_>,
) -> Result<SemanticHash, HashError> {
    let dialect = walk.dialect;
    let include_spans = mechanism_facts(&parse.file).includes;
    let mut hasher = FramedHasher(Sha256::new());
    hasher.item(tag::VERSION, FORMAT_VERSION);
    hasher.item(
        tag::DIALECT,
        match dialect {
            Dialect::Neuron => b"neuron",
            Dialect::Arbor => b"arbor",
        },
    );
    let mut seen_significant = false;
    let mut line_break_since_last = false;
    for token in &parse.tokens {
        if token.kind.is_trivia() || token.kind == TokenKind::EndOfFile {
            line_break_since_last |= trivia_breaks_line(token, source);
            continue;
        }
        if seen_significant && line_break_since_last {
            hasher.item(tag::LINE_BREAK, b"");
        }
        seen_significant = true;
        line_break_since_last = false;
        hash_token(&mut hasher, token, source, dialect);
        if token.kind == TokenKind::String && include_spans.contains(&token.span) {
            let included = hash_included_file(token.span, source, walk)?;
            hasher.item(tag::INCLUDED_FILE, &included.0);
        }
    }
    Ok(SemanticHash(hasher.0.finalize().into()))
}

fn trivia_breaks_line(token: Token, source: &[u8]) -> bool {
    match token.kind {
        TokenKind::Newline => true,
        TokenKind::CommentBlock | TokenKind::UnterminatedCommentBlock => token
            .span
            .slice(source)
            .iter()
            .any(|&byte| byte == b'\n' || byte == b'\r'),
        _ => false,
    }
}

fn hash_token(hasher: &mut FramedHasher, token: Token, source: &[u8], dialect: Dialect) {
    let text = token.span.slice(source);
    let tag = match token.kind {
        TokenKind::Name => tag::NAME,
        TokenKind::PrimedName => tag::PRIMED_NAME,
        TokenKind::Number => tag::NUMBER,
        TokenKind::Unit => tag::UNIT,
        TokenKind::String => tag::STRING,
        TokenKind::OntologyId => tag::ONTOLOGY_ID,
        TokenKind::Unknown => tag::UNKNOWN,
        TokenKind::TitleText => {
            hasher.item(tag::TITLE, text.trim_ascii_end());
            return;
        }
        TokenKind::Verbatim | TokenKind::UnterminatedVerbatim => {
            let terminated = token.kind == TokenKind::Verbatim;
            let content = verbatim_content(text, terminated, dialect);
            hasher.item(
                if terminated {
                    tag::VERBATIM
                } else {
                    tag::UNTERMINATED_VERBATIM
                },
                &normalize_line_ends(content),
            );
            return;
        }
        kind if kind.is_keyword() => tag::KEYWORD,
        _ => tag::PUNCTUATION,
    };
    hasher.item(tag, text);
}

const VERBATIM_KEYWORD: &[u8] = b"VERBATIM";
const VERBATIM_TERMINATOR: &[u8] = b"ENDVERBATIM";

/// The C text of a VERBATIM token: after the `VERBATIM` keyword, up to the terminator line (NEURON: the last line
/// of the token starts with `ENDVERBATIM`, the rest of which nocmodl discards) or the terminator itself (Arbor).
fn verbatim_content(token_text: &[u8], terminated: bool, dialect: Dialect) -> &[u8] {
    let after_keyword = token_text.get(VERBATIM_KEYWORD.len()..).unwrap_or_default();
    if !terminated {
        return after_keyword;
    }
    let end = match dialect {
        Dialect::Neuron => after_keyword
            .iter()
            .rposition(|&byte| byte == b'\n' || byte == b'\r')
            .map_or(0, |line_break| line_break + 1),
        Dialect::Arbor => after_keyword
            .len()
            .saturating_sub(VERBATIM_TERMINATOR.len()),
    };
    &after_keyword[..end]
}

/// `\r\n` and lone `\r` become `\n`.
fn normalize_line_ends(text: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if !text.contains(&b'\r') {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut normalized = Vec::with_capacity(text.len());
    let mut index = 0;
    while index < text.len() {
        match text[index] {
            b'\r' => {
                normalized.push(b'\n');
                if text.get(index + 1) == Some(&b'\n') {
                    index += 1;
                }
            }
            byte => normalized.push(byte),
        }
        index += 1;
    }
    std::borrow::Cow::Owned(normalized)
}

fn hash_included_file(
    name_span: Span,
    source: &[u8],
    walk: &mut IncludeWalk<'_>,
) -> Result<SemanticHash, HashError> {
    let quoted = name_span.slice(source);
    let unquoted = quoted
        .strip_prefix(b"\"")
        .and_then(|rest| rest.strip_suffix(b"\""))
        .unwrap_or(quoted);
    let name = String::from_utf8_lossy(unquoted).into_owned();
    let in_top_file = walk.chain.is_empty();
    let mut chain = walk.chain.clone();
    chain.push(name.clone());
    // Spans of errors found in nested files point into those files until they reach the top-level INCLUDE, which
    // replaces them with its own.
    let span = name_span;
    let result = if walk.chain.contains(&name) {
        Err(HashError::IncludeCycle { span, chain })
    } else if walk.chain.len() >= MAXIMUM_INCLUDE_DEPTH {
        Err(HashError::IncludeTooDeep { span, chain })
    } else {
        match (walk.resolve_include)(&name) {
            Err(reason) => Err(HashError::IncludeNotFound {
                span,
                chain,
                reason,
            }),
            Ok(included_source) => {
                let included_parse = parse(&included_source, walk.dialect);
                walk.chain.push(name);
                let result = hash_with_includes(&included_source, &included_parse, walk);
                walk.chain.pop();
                if let Ok(hash) = result {
                    walk.included.push(IncludedFile {
                        chain,
                        hash,
                        syntax_error_count: included_parse
                            .diagnostics
                            .iter()
                            .filter(|diagnostic| diagnostic.is_error())
                            .count(),
                    });
                }
                result
            }
        }
    };
    result.map_err(|error| {
        if in_top_file {
            with_span(error, name_span)
        } else {
            error
        }
    })
}

fn with_span(error: HashError, span: Span) -> HashError {
    match error {
        HashError::IncludeNotFound { chain, reason, .. } => HashError::IncludeNotFound {
            span,
            chain,
            reason,
        },
        HashError::IncludeCycle { chain, .. } => HashError::IncludeCycle { span, chain },
        HashError::IncludeTooDeep { chain, .. } => HashError::IncludeTooDeep { span, chain },
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn hash_in(
        source: &str,
        dialect: Dialect,
        files: &HashMap<&str, &str>,
    ) -> Result<SemanticHash, HashError> {
        let parsed = parse(source.as_bytes(), dialect);
        semantic_hash(source.as_bytes(), &parsed, dialect, &mut |name: &str| {
            files
                .get(name)
                .map(|text| text.as_bytes().to_vec())
                .ok_or_else(|| format!("no file named {name}"))
        })
    }

    fn hash(source: &str) -> SemanticHash {
        hash_in(source, Dialect::Neuron, &HashMap::new()).expect("no INCLUDE to resolve")
    }

    const BASE: &str = "TITLE leak channel\nNEURON {\n    SUFFIX leak\n    RANGE g\n}\nPARAMETER {\n    g = 0.001 (S/cm2) : conductance\n}\nBREAKPOINT {\n    i = g*(v - e)\n}\n";

    #[test]
    fn framing_separates_items() {
        let digest = |items: &[&[u8]]| {
            let mut hasher = FramedHasher(Sha256::new());
            for item in items {
                hasher.item(tag::NAME, item);
            }
            hasher.0.finalize()
        };
        assert_ne!(digest(&[b"ab", b"c"]), digest(&[b"a", b"bc"]));
        assert_ne!(digest(&[b"abc"]), digest(&[b"ab", b"c"]));
        assert_ne!(hash("PARAMETER { x = 12 }"), hash("PARAMETER { x = 1 2 }"));
    }

    #[test]
    fn comments_and_layout_do_not_count() {
        let reformatted = "COMMENT\nanything\nENDCOMMENT\n\n  TITLE leak channel   \n\nNEURON {\n\tSUFFIX leak ? the name\n\n\tRANGE g   \n}\nPARAMETER {\n g = 0.001 (S/cm2)\n}\n: a comment line\nBREAKPOINT {   \n        i = g * ( v - e )\n}";
        assert_eq!(hash(BASE), hash(reformatted));
    }

    #[test]
    fn line_endings_do_not_count() {
        let with_verbatim = format!("{BASE}VERBATIM\n  static int x;  /* c */\nENDVERBATIM\n");
        let crlf = with_verbatim.replace('\n', "\r\n");
        let lone_cr = with_verbatim.replace('\n', "\r");
        assert_eq!(hash(&with_verbatim), hash(&crlf));
        assert_eq!(hash(&with_verbatim), hash(&lone_cr));
    }

    #[test]
    fn every_token_counts() {
        let original = hash(BASE);
        for changed in [
            BASE.replace("0.001", "0.002"),
            BASE.replace("RANGE g", "RANGE gg"),
            BASE.replace("g*(v", "g/(v"),
            BASE.replace("(S/cm2)", "(mho/cm2)"),
            BASE.replace("leak channel", "leak channels"),
        ] {
            assert_ne!(original, hash(&changed), "{changed}");
        }
        assert_ne!(
            original,
            hash_in(BASE, Dialect::Arbor, &HashMap::new()).expect("no INCLUDE"),
            "the dialect counts"
        );
    }

    #[test]
    fn joining_lines_counts() {
        assert_ne!(
            hash("NEURON {\n RANGE a, b\n c\n}"),
            hash("NEURON {\n RANGE a, b c\n}")
        );
    }

    #[test]
    fn verbatim_text_counts_byte_for_byte_but_not_the_rest_of_its_last_line() {
        let verbatim = |body: &str, last_line: &str| {
            hash(&format!("{BASE}VERBATIM\n{body}\nENDVERBATIM{last_line}\n"))
        };
        let original = verbatim("  int x; /* c */", "");
        assert_ne!(original, verbatim("  int x; /* d */", ""));
        assert_ne!(original, verbatim("  int x;  /* c */", ""));
        assert_ne!(original, verbatim("  int x; /* c */ ", ""));
        assert_eq!(
            original,
            verbatim("  int x; /* c */", "  : discarded by nocmodl")
        );
    }

    #[test]
    fn included_files_count_by_their_own_semantic_hash() {
        let main = "INCLUDE \"units.inc\"\nNEURON { SUFFIX x }\n";
        let with = |included: &str| {
            hash_in(
                main,
                Dialect::Neuron,
                &HashMap::from([("units.inc", included)]),
            )
            .expect("resolvable")
        };
        let original = with("UNITS { (mV) = (millivolt) }\n");
        assert_eq!(
            original,
            with(": units\r\n\r\n   UNITS {  (mV) = (millivolt) }  : mV\r\n")
        );
        assert_ne!(original, with("UNITS { (mA) = (milliamp) }\n"));
        let nested = HashMap::from([
            ("units.inc", "INCLUDE \"deeper.inc\"\n"),
            ("deeper.inc", "UNITS { (mV) = (millivolt) }\n"),
        ]);
        let changed_deeper = HashMap::from([
            ("units.inc", "INCLUDE \"deeper.inc\"\n"),
            ("deeper.inc", "UNITS { (mV) = (microvolt) }\n"),
        ]);
        assert_ne!(
            hash_in(main, Dialect::Neuron, &nested),
            hash_in(main, Dialect::Neuron, &changed_deeper)
        );
    }

    #[test]
    fn included_files_are_listed_with_their_syntax_errors() {
        let main = "INCLUDE \"units.inc\"\nNEURON { SUFFIX x }\n";
        let files = HashMap::from([
            ("units.inc", "INCLUDE \"deeper.inc\"\nPARAMETER { x = }\n"),
            ("deeper.inc", "UNITS { (mV) = (millivolt) }\n"),
        ]);
        let parsed = parse(main.as_bytes(), Dialect::Neuron);
        let (hash, included) =
            semantic_hash_and_includes(main.as_bytes(), &parsed, Dialect::Neuron, &mut |name| {
                Ok(files[name].as_bytes().to_vec())
            })
            .expect("resolvable");
        assert_eq!(Ok(hash), hash_in(main, Dialect::Neuron, &files));
        let summary: Vec<(Vec<String>, bool)> = included
            .iter()
            .map(|file| (file.chain.clone(), file.syntax_error_count > 0))
            .collect();
        assert_eq!(
            summary,
            [
                (
                    vec!["units.inc".to_string(), "deeper.inc".to_string()],
                    false
                ),
                (vec!["units.inc".to_string()], true),
            ]
        );
    }

    #[test]
    fn a_missing_include_names_the_top_level_include() {
        let main = "NEURON { SUFFIX x }\nINCLUDE \"a.inc\"\n";
        let include_span = Span::new(28, 35);
        assert_eq!(&main[include_span.range()], "\"a.inc\"");
        assert_eq!(
            hash_in(main, Dialect::Neuron, &HashMap::new()),
            Err(HashError::IncludeNotFound {
                span: include_span,
                chain: vec!["a.inc".to_string()],
                reason: "no file named a.inc".to_string(),
            })
        );
        let nested = HashMap::from([("a.inc", "INCLUDE \"b.inc\"\n")]);
        let error = hash_in(main, Dialect::Neuron, &nested).expect_err("b.inc is missing");
        assert_eq!(error.span(), include_span);
        assert_eq!(
            error.to_string(),
            "cannot read INCLUDE \"a.inc\" -> \"b.inc\": no file named b.inc"
        );
    }

    #[test]
    fn include_cycles_are_refused() {
        let main = "INCLUDE \"a.inc\"\n";
        let files = HashMap::from([
            ("a.inc", "INCLUDE \"b.inc\"\n"),
            ("b.inc", "INCLUDE \"a.inc\"\n"),
        ]);
        let error = hash_in(main, Dialect::Neuron, &files).expect_err("a cycle");
        assert_eq!(
            error,
            HashError::IncludeCycle {
                span: Span::new(8, 15),
                chain: vec!["a.inc".into(), "b.inc".into(), "a.inc".into()],
            }
        );
        let itself = HashMap::from([("a.inc", "INCLUDE \"a.inc\"\n")]);
        assert!(matches!(
            hash_in(main, Dialect::Neuron, &itself),
            Err(HashError::IncludeCycle { .. })
        ));
    }

    #[test]
    fn odd_inputs_hash_without_panicking() {
        let inputs = [
            "VERBATIM",
            "VERBATIM\r",
            "VERBATIM x ENDVERBATIM y",
            "VERBATIM\nENDVERBATIM",
            "NEURON { VERBATIM\n int x;\n",
            "COMMENT\r\n",
            "TITLE",
            "TITLE \t \r\n",
            "INCLUDE",
            "INCLUDE \"",
            "INCLUDE \"\"",
            "\u{1a}trailing",
            "\u{feff}NEURON {}",
            "PARAMETER { x = 1 (mV",
        ];
        for input in inputs {
            for dialect in [Dialect::Neuron, Dialect::Arbor] {
                let _ = hash_in(input, dialect, &HashMap::from([("", "")]));
            }
        }
        assert_ne!(
            hash_in("VERBATIM x ENDVERBATIM y", Dialect::Arbor, &HashMap::new()),
            hash_in("VERBATIM xy ENDVERBATIM y", Dialect::Arbor, &HashMap::new())
        );
    }

    #[test]
    fn hex_is_lowercase_and_64_digits() {
        let text = hash(BASE).to_hex();
        assert_eq!(text.len(), 64);
        assert!(text
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte)));
    }
}
