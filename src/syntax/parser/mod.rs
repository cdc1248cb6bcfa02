//! The parser: significant tokens in, an [`ast::File`] and syntax errors out. It never fails and never panics.
//!
//! Built with chumsky over a slice of [`SyntaxToken`]s: chumsky reads the slice directly (a token is one index
//! step, with no per-token mapping), and only turns index spans into byte spans ([`TokenSpans`]) when a parser asks
//! for a span. Error recovery resynchronises at statement boundaries (the
//! first token of a line, or a closing `}`) and at top-level blocks, so every error in a file is reported, not only
//! the first. The submodules follow the grammar: [`expressions`], [`statements`], [`blocks`] (top-level items),
//! and [`recovery`] (how to skip bad input).

mod blocks;
mod error;
mod expressions;
mod reader;
mod recovery;
mod statements;

use chumsky::input::{Input, MappedSpan};
use chumsky::prelude::*;

use crate::diagnostics::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::token::{TokenKind, Tokens};
use crate::syntax::{ast, MAXIMUM_NESTING};

pub(crate) use error::{Expected, SyntaxError};

/// A significant token as the parser sees it: its kind, and whether it is the first significant token of a line
/// (statements resynchronise there after an error).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct SyntaxToken {
    pub kind: TokenKind,
    pub first_on_line: bool,
    /// The token's bytes, so the innermost matcher needs no span arithmetic.
    pub span: Span,
}

pub(crate) type ParserSpan = SimpleSpan<usize>;
/// How chumsky's spans of token indices become byte spans: see [`TokenSpans::byte_span`].
type IndexToByteSpan<'t> = &'t dyn Fn(SimpleSpan<usize>) -> ParserSpan;
pub(crate) type ParserInput<'t> = MappedSpan<ParserSpan, &'t [SyntaxToken], IndexToByteSpan<'t>>;
pub(crate) type Extra<'t> = extra::Err<SyntaxError>;

/// Converts a parser span (byte offsets) into a project span.
/// An empty span between two tokens comes back from chumsky with `end < start`; it becomes an empty span at the
/// end of the earlier token.
pub(crate) fn to_span(span: ParserSpan) -> Span {
    if span.end < span.start {
        Span::empty_at(span.end)
    } else {
        Span::new(span.start, span.end)
    }
}

/// The significant tokens with the length of the source: turns a span of token indices into a span of bytes.
struct TokenSpans<'t> {
    tokens: &'t [SyntaxToken],
    source_length: usize,
}

impl TokenSpans<'_> {
    /// The bytes of the tokens `start..end`: from the start of the first to the end of the token before `end`.
    /// Nothing consumed between two tokens gives `end < start` (see [`to_span`]); at the very start (`end` is 0)
    /// the end is the end of the input, and from the end of the input the span is empty there. These are the spans
    /// chumsky's mapped token input (`(token, span)` pairs) gave, so diagnostics do not depend on the input type.
    fn byte_span(&self, indices: SimpleSpan<usize>) -> ParserSpan {
        let Some(first) = self.tokens.get(indices.start) else {
            return ParserSpan::from(self.source_length..self.source_length);
        };
        let end = match indices.end.checked_sub(1) {
            Some(last) => self.tokens[last].span.end as usize,
            None => self.source_length,
        };
        ParserSpan::from(first.span.start as usize..end)
    }
}

/// Parses the tokens of one file (all of them, trivia included) into a syntax tree and the syntax errors found.
/// Also returns the diagnostics for nesting deeper than [`MAXIMUM_NESTING`]: such a region is replaced, for the
/// parser, by one placeholder (a number inside an expression, an empty `{}` for braces).
pub(crate) fn parse_tokens(
    tokens: &Tokens,
    source_length: usize,
) -> (ast::File, Vec<SyntaxError>, Vec<Diagnostic>) {
    let (mut significant, deepest) = significant_tokens(tokens);
    let nesting_errors = limit_nesting(&mut significant, deepest);
    let spans = TokenSpans {
        tokens: &significant,
        source_length,
    };
    let byte_span = |indices| spans.byte_span(indices);
    let input = significant
        .as_slice()
        .map_span(&byte_span as IndexToByteSpan);
    let (file, errors) = blocks::file_parser().parse(input).into_output_errors();
    (file.unwrap_or_default(), errors, nesting_errors)
}

/// Cuts every region nested deeper than [`MAXIMUM_NESTING`] out of the token list, so the recursive parser stays
/// shallow whatever the input, and reports each region once.
fn limit_nesting(significant: &mut Vec<SyntaxToken>, deepest: usize) -> Vec<Diagnostic> {
    if deepest <= MAXIMUM_NESTING {
        return Vec::new();
    }
    let mut depth = 0usize;
    let mut diagnostics = Vec::new();
    let mut kept = Vec::with_capacity(significant.len());
    let mut index = 0;
    while index < significant.len() {
        let token = significant[index];
        let span = token.span;
        match token.kind {
            TokenKind::LeftParen | TokenKind::LeftBracket | TokenKind::LeftBrace
                if depth == MAXIMUM_NESTING =>
            {
                // Find the matching closer (or the end of the input) and replace the region.
                let mut inner_depth = 0usize;
                let mut end = index;
                while end < significant.len() {
                    match significant[end].kind {
                        TokenKind::LeftParen | TokenKind::LeftBracket | TokenKind::LeftBrace => {
                            inner_depth += 1
                        }
                        TokenKind::RightParen | TokenKind::RightBracket | TokenKind::RightBrace => {
                            inner_depth -= 1;
                            if inner_depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    end += 1;
                }
                let last = end.min(significant.len() - 1);
                let region = span.cover(significant[last].span);
                diagnostics.push(Diagnostic::error(
                    Code::NestingTooDeep,
                    format!("nesting deeper than {MAXIMUM_NESTING} levels"),
                    span,
                    "this opens a region nested too deeply to be read",
                )
                .with_note("nocmodl and modcc cannot compile such a file either; the region was skipped"));
                if token.kind == TokenKind::LeftBrace {
                    kept.push(token);
                    if end < significant.len() {
                        kept.push(significant[end]);
                    }
                } else {
                    kept.push(SyntaxToken {
                        kind: TokenKind::Number,
                        first_on_line: token.first_on_line,
                        span: region,
                    });
                }
                index = end + 1;
                continue;
            }
            TokenKind::LeftParen | TokenKind::LeftBracket | TokenKind::LeftBrace => depth += 1,
            TokenKind::RightParen | TokenKind::RightBracket | TokenKind::RightBrace => {
                depth = depth.saturating_sub(1)
            }
            _ => {}
        }
        kept.push(token);
        index += 1;
    }
    *significant = kept;
    diagnostics
}

/// The tokens the parser sees, and the deepest nesting of brackets among them.
fn significant_tokens(tokens: &Tokens) -> (Vec<SyntaxToken>, usize) {
    let mut significant = Vec::with_capacity(tokens.len() * 2 / 3 + 1);
    let mut at_line_start = true;
    let (mut depth, mut deepest) = (0usize, 0usize);
    for token in tokens {
        match token.kind {
            TokenKind::Newline => at_line_start = true,
            // UNITSON/UNITSOFF only switch unit checking; both compilers take them anywhere, so the grammar
            // does not see them.
            kind if kind.is_trivia()
                || kind == TokenKind::KwUnitsOn
                || kind == TokenKind::KwUnitsOff => {}
            kind => {
                let kind = match kind {
                    TokenKind::UnterminatedVerbatim => TokenKind::Verbatim,
                    TokenKind::LeftParen | TokenKind::LeftBracket | TokenKind::LeftBrace => {
                        depth += 1;
                        deepest = deepest.max(depth);
                        kind
                    }
                    TokenKind::RightParen | TokenKind::RightBracket | TokenKind::RightBrace => {
                        depth = depth.saturating_sub(1);
                        kind
                    }
                    kind => kind,
                };
                significant.push(SyntaxToken {
                    kind,
                    first_on_line: at_line_start,
                    span: token.span,
                });
                at_line_start = false;
            }
        }
    }
    (significant, deepest)
}

/// Matches one token of `kind` and yields its span. Written by hand (not `filter` + `labelled`) because it is the
/// parser's innermost loop: a mismatch costs one comparison and one small error value.
pub(crate) fn token<'t>(
    kind: TokenKind,
) -> impl Parser<'t, ParserInput<'t>, Span, Extra<'t>> + Clone {
    custom(move |input| {
        let next: Option<SyntaxToken> = input.peek();
        match next {
            Some(token) if token.kind == kind => {
                input.next();
                Ok(token.span)
            }
            Some(found) => Err(SyntaxError::expecting(
                Expected::Token(kind),
                Some(found.kind),
                ParserSpan::from(found.span.range()),
            )),
            None => {
                let start = input.cursor();
                Err(SyntaxError::expecting(
                    Expected::Token(kind),
                    None,
                    input.span_since(&start),
                ))
            }
        }
    })
}

/// Matches one token whose kind is paired with a value in `kinds`, and yields that value and the token's span.
///
/// It stands for `choice((token(a).to(x), token(b).to(y), …))` with one look at the next token instead of one
/// attempt, and one error built and merged, per alternative. A mismatch fails with the error that choice would
/// end with: every kind expected, the next token found, at the same place. (The choice also leaves the errors of
/// the alternatives before the one that matched as stale alternatives at the token it consumed; every later
/// attempt starts after that token, so its failure lies further on and replaces them: they are never reported,
/// and need no copy here. The differential test of the speed work checked the messages stay the same.)
pub(crate) fn token_among<'t, T: Copy + 't>(
    kinds: &'static [(TokenKind, T)],
) -> impl Parser<'t, ParserInput<'t>, (T, Span), Extra<'t>> + Clone {
    custom(move |input| {
        let next: Option<SyntaxToken> = input.peek();
        if let Some(token) = next {
            if let Some(&(_, value)) = kinds.iter().find(|(kind, _)| *kind == token.kind) {
                input.next();
                return Ok((value, token.span));
            }
        }
        let span = match next {
            Some(found) => ParserSpan::from(found.span.range()),
            None => {
                let start = input.cursor();
                input.span_since(&start)
            }
        };
        let mut error = SyntaxError::expecting_none(next.map(|token| token.kind), span);
        for &(kind, _) in kinds {
            error.add(Expected::Token(kind));
        }
        Err(error)
    })
}

/// Matches one token of `kind` that continues the current line (is not the first token of a line).
pub(crate) fn token_on_same_line<'t>(
    kind: TokenKind,
) -> impl Parser<'t, ParserInput<'t>, Span, Extra<'t>> + Clone {
    any()
        .filter(move |token: &SyntaxToken| token.kind == kind && !token.first_on_line)
        .map_with(|_, extra| to_span(extra.span()))
        .labelled(Expected::Token(kind))
}

/// A plain name (not a keyword).
pub(crate) fn name<'t>() -> impl Parser<'t, ParserInput<'t>, ast::Name, Extra<'t>> + Clone {
    token(TokenKind::Name).map(|span| ast::Name { span })
}

/// A comma-separated list of names (at least one).
pub(crate) fn name_list<'t>() -> impl Parser<'t, ParserInput<'t>, Vec<ast::Name>, Extra<'t>> + Clone
{
    name()
        .separated_by(token(TokenKind::Comma))
        .at_least(1)
        .collect::<Vec<_>>()
}

/// A number with an optional sign, as in PARAMETER defaults and limits: yields the span of sign and digits.
pub(crate) fn signed_number<'t>() -> impl Parser<'t, ParserInput<'t>, Span, Extra<'t>> + Clone {
    token(TokenKind::Minus)
        .or(token(TokenKind::Plus))
        .or_not()
        .then(token(TokenKind::Number))
        .map(|(sign, number)| match sign {
            Some(sign) => sign.cover(number),
            None => number,
        })
        .labelled(Expected::Number)
}

/// An optional unit `(mV)`.
pub(crate) fn optional_unit<'t>(
) -> impl Parser<'t, ParserInput<'t>, Option<Span>, Extra<'t>> + Clone {
    // Records that a unit could come here, so that a `(` which cannot start one gets a precise message.
    token(TokenKind::Unit).labelled(Expected::Unit).or_not()
}
