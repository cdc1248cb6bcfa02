//! The syntax layer: tokens, the lossless lexer, the error-tolerant parser and the AST. Pure: no IO.
//!
//! [`parse`] is the entry point. It never fails and never panics: whatever the bytes, it returns every token (the
//! tokens cover the input exactly, trivia included), a syntax tree (with `Error` nodes where input could not be
//! read) and the diagnostics explaining each problem.

pub mod ast;
pub mod dialect;
pub mod lexer;
mod parser;
pub mod token;
pub mod visit;

use crate::diagnostics::{Code, Diagnostic};
use crate::span::Span;
use parser::{Expected, SyntaxError};
use token::{Token, TokenKind, Tokens};

/// The two NMODL dialects: NEURON's (nocmodl) and Arbor's (modcc).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    #[default]
    Neuron,
    Arbor,
}

impl Dialect {
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Neuron => "NEURON",
            Dialect::Arbor => "Arbor",
        }
    }
}

/// The result of parsing one file.
#[derive(Debug)]
pub struct Parse {
    pub tokens: Tokens,
    pub file: ast::File,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parentheses, brackets and braces nested deeper than this are reported and not followed.
pub const MAXIMUM_NESTING: usize = 256;

/// Lexes and parses `source`, and reports everything the compiler of `dialect` would refuse as syntax.
pub fn parse(source: &[u8], dialect: Dialect) -> Parse {
    let mut parse = parse_grammar(source, dialect);
    parse
        .diagnostics
        .extend(dialect::check(source, &parse.tokens, &parse.file, dialect));
    crate::diagnostics::sort_by_position(&mut parse.diagnostics);
    parse
}

/// Lexes and parses `source` by the grammar both dialects share (with the lexical rules of `dialect`), without the
/// checks of what only one compiler refuses ([`dialect::check`]): the lexer and parser alone, as the throughput
/// benchmark measures them.
pub fn parse_grammar(source: &[u8], dialect: Dialect) -> Parse {
    let tokens = lexer::lex(source, dialect);
    let mut diagnostics = lexical_diagnostics(source, &tokens, dialect);
    let (file, syntax_errors, nesting_errors) = parser::parse_tokens(&tokens, source.len());
    diagnostics.extend(nesting_errors);
    // Only needed to word syntax errors.
    let significant: Vec<Token> = if syntax_errors.is_empty() {
        Vec::new()
    } else {
        tokens
            .iter()
            .filter(|token| !token.kind.is_trivia())
            .collect()
    };
    diagnostics.extend(
        syntax_errors
            .iter()
            .map(|error| syntax_error_diagnostic(source, &significant, error)),
    );
    crate::diagnostics::sort_by_position(&mut diagnostics);
    Parse {
        tokens,
        file,
        diagnostics,
    }
}

/// Problems the lexer finds: unterminated blocks, bytes that start no token.
fn lexical_diagnostics(source: &[u8], tokens: &Tokens, dialect: Dialect) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    let has_problem = |kind: TokenKind| {
        matches!(
            kind,
            TokenKind::UnterminatedCommentBlock
                | TokenKind::UnterminatedVerbatim
                | TokenKind::Unknown
        )
    };
    for token in tokens.iter().filter(|token| has_problem(token.kind)) {
        let text = token.span.slice(source);
        match token.kind {
            TokenKind::UnterminatedCommentBlock if dialect == Dialect::Neuron => diagnostics.push(
                Diagnostic::error(
                    Code::UnterminatedComment,
                    "this COMMENT block is never closed",
                    Span::new(token.span.start as usize, token.span.start as usize + 7),
                    "the block starts here and runs to the end of the file",
                )
                .with_help("end it with a line that starts with `ENDCOMMENT`"),
            ),
            TokenKind::UnterminatedVerbatim => diagnostics.push(
                Diagnostic::error(
                    Code::UnterminatedVerbatim,
                    "this VERBATIM block is never closed",
                    Span::new(token.span.start as usize, token.span.start as usize + 8),
                    "the block starts here and runs to the end of the file",
                )
                .with_help("end it with a line that starts with `ENDVERBATIM`"),
            ),
            TokenKind::Unknown => {
                let shown = token.span.text(source);
                let message = if text.iter().all(u8::is_ascii) {
                    format!("unexpected character `{shown}`")
                } else {
                    "non-ASCII bytes outside a comment".to_string()
                };
                diagnostics.push(Diagnostic::error(
                    Code::UnexpectedCharacter,
                    message,
                    token.span,
                    "NMODL has no token that starts here",
                ));
            }
            _ => {}
        }
    }
    diagnostics
}

/// Turns a parser error into a diagnostic that names what was expected and found in NMODL terms.
fn syntax_error_diagnostic(
    source: &[u8],
    significant: &[Token],
    error: &SyntaxError,
) -> Diagnostic {
    if error.too_deep {
        let at = error.span.start.min(source.len());
        return Diagnostic::error(
            Code::NestingTooDeep,
            format!("expression nested deeper than {MAXIMUM_NESTING} operators"),
            Span::empty_at(at),
            "the expression is too deep from here on",
        );
    }
    let expected = error.expected();
    if error.found == Some(TokenKind::LeftParen) && expected.contains(&Expected::Unit) {
        // The lexer reads `(` as a unit only when its `)` is on the same line.
        let at = error.span.start.min(source.len());
        return Diagnostic::error(
            Code::SyntaxError,
            "this unit is not closed on its line",
            Span::new(at, at + 1),
            "the unit starts here",
        )
        .with_help("a unit like `(mV)` must end on the line where it starts");
    }
    let expected_text = describe_alternatives(&expected);
    let (span, found_text) = match error.found {
        Some(kind) => {
            let span = Span::new(error.span.start, error.span.end.max(error.span.start));
            let found_token = significant
                .iter()
                .find(|token| token.span.start as usize == error.span.start)
                .map(|token| token.span)
                .unwrap_or(span);
            (found_token, describe_found(source, kind, found_token))
        }
        None => (
            Span::empty_at(source.len()),
            "the end of the file".to_string(),
        ),
    };
    let previous = significant
        .iter()
        .rev()
        .find(|token| (token.span.end as usize) <= span.start as usize)
        .map(|token| describe_found(source, token.kind, token.span));
    let message = if expected.is_empty() {
        format!("unexpected {found_text}")
    } else {
        format!("expected {expected_text}, found {found_text}")
    };
    let label = match (&previous, expected.is_empty()) {
        (Some(previous), false) => format!("expected {expected_text} after {previous}"),
        _ => format!("unexpected {found_text}"),
    };
    Diagnostic::error(Code::SyntaxError, message, span, label)
}

/// Names the alternatives; when an operand could continue with any binary operator, they read "an operator".
fn describe_alternatives(expected: &[Expected]) -> String {
    let operator_count = expected
        .iter()
        .filter(|item| matches!(item, Expected::Token(kind) if kind.is_binary_operator()))
        .count();
    let mut descriptions: Vec<&str> = Vec::new();
    for item in expected {
        let description = match item {
            Expected::Token(kind) if kind.is_binary_operator() && operator_count > 3 => {
                "an operator"
            }
            other => other.description(),
        };
        if !descriptions.contains(&description) {
            descriptions.push(description);
        }
    }
    match descriptions.as_slice() {
        [] => String::new(),
        [only] => only.to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    }
}

fn describe_found(source: &[u8], kind: TokenKind, span: Span) -> String {
    match kind {
        TokenKind::Name | TokenKind::Number | TokenKind::PrimedName | TokenKind::Unit
            if span.len() <= 40 =>
        {
            format!("`{}`", span.text(source))
        }
        kind if kind.is_keyword() => kind.description().to_string(),
        kind => kind.description().to_string(),
    }
}
