//! How the parser skips input it cannot read, so that one error does not hide the next.
//!
//! Two grains here (a bad parenthesised expression is skipped by the expression reader): a bad statement to the next token
//! that starts a line (or the `}` that closes its block); a bad top-level item to the next top-level keyword at the
//! start of a line. Braces met while skipping are skipped as a whole.

use chumsky::error::LabelError;
use chumsky::prelude::*;

use super::reader::{peek, ExpressionInput};
use super::{to_span, token, Expected, Extra, ParserInput, SyntaxError, SyntaxToken};
use crate::span::Span;
use crate::syntax::token::TokenKind;

fn error_here(
    expected: Expected,
    found: Option<SyntaxToken>,
    span: super::ParserSpan,
) -> SyntaxError {
    <SyntaxError as LabelError<'_, ParserInput<'_>, Expected>>::expected_found(
        [expected],
        found.as_ref().map(Into::into),
        span,
    )
}

/// Whether a top-level block can start at this token (a keyword at the start of a line).
fn starts_top_level_item(token: SyntaxToken) -> bool {
    token.first_on_line && token.kind.starts_top_level_item()
}

/// A top-level keyword at the start of a line ends a block whose `}` is missing (INITIAL excepted: it is also the
/// nested INITIAL statement of NET_RECEIVE).
pub(crate) fn ends_block_without_brace(token: SyntaxToken) -> bool {
    starts_top_level_item(token) && token.kind != TokenKind::KwInitial
}

/// Skips what could not be read as a statement: at least one token, then up to the next token that starts a line
/// or the `}` that closes the block (braces in between are skipped whole, unless a top-level keyword shows that
/// one was never closed). Yields the skipped span.
pub(crate) fn skip_to_next_statement(input: &mut ExpressionInput<'_, '_>) -> Span {
    let mut depth = 0usize;
    let mut span: Option<Span> = None;
    while let Some(token) = peek(input) {
        if span.is_some() {
            if depth == 0 && (token.first_on_line || token.kind == TokenKind::RightBrace) {
                break;
            }
            if depth > 0 && ends_block_without_brace(token) {
                break;
            }
        }
        match token.kind {
            TokenKind::LeftBrace => depth += 1,
            TokenKind::RightBrace => depth = depth.saturating_sub(1),
            _ => {}
        }
        input.next();
        span = Some(span.map_or(token.span, |span| span.cover(token.span)));
    }
    span.unwrap_or_default()
}

/// Skips a statement that could not be read: at least one token, then up to the next token that starts a line or
/// the `}` that closes the enclosing block. Fails (skipping nothing) at a `}`, at the end of the input, and at a
/// top-level keyword that starts a line, so that the enclosing block can end there.
pub(crate) fn skip_statement<'t>() -> impl Parser<'t, ParserInput<'t>, Span, Extra<'t>> + Clone {
    custom(|input| {
        let start = input.cursor();
        let next: Option<SyntaxToken> = input.peek();
        match next {
            None => {
                let span = input.span_since(&start);
                return Err(error_here(Expected::Statement, None, span));
            }
            Some(token) if token.kind == TokenKind::RightBrace || starts_top_level_item(token) => {
                let span = input.span_since(&start);
                return Err(error_here(Expected::Statement, Some(token), span));
            }
            Some(_) => {}
        }
        Ok(skip_to_next_statement(input))
    })
}

/// Skips a top-level item that could not be read: at least one token, then up to the next top-level keyword that
/// starts a line.
pub(crate) fn skip_item<'t>() -> impl Parser<'t, ParserInput<'t>, Span, Extra<'t>> + Clone {
    custom(|input| {
        let start = input.cursor();
        if input.peek().is_none() {
            let span = input.span_since(&start);
            return Err(error_here(Expected::TopLevelBlock, None, span));
        }
        input.next();
        while let Some(token) = input.peek() as Option<SyntaxToken> {
            if starts_top_level_item(token) {
                break;
            }
            input.next();
        }
        Ok(to_span(input.span_since(&start)))
    })
}

/// Succeeds without consuming anything where a missing `}` can be assumed: before a top-level keyword that starts
/// a line, or at the end of the input. Used as the recovery of a block's closing brace.
pub(crate) fn assume_closing_brace<'t>() -> impl Parser<'t, ParserInput<'t>, Span, Extra<'t>> + Clone
{
    custom(|input| {
        let start = input.cursor();
        let next = input.peek();
        let span = input.span_since(&start);
        match next {
            None => Ok(to_span(span)),
            Some(token) if starts_top_level_item(token) => Ok(to_span(span)),
            found => Err(error_here(
                Expected::Token(TokenKind::RightBrace),
                found,
                span,
            )),
        }
    })
}

/// Reads, by hand, the items and the closing `}` of a braced list whose items all have a common simple form; gives
/// `None` at anything else (the caller then rewinds and reads the list with the general parser).
pub(crate) type PlainListReader<T> = for<'t, 'p> fn(&mut ExpressionInput<'t, 'p>) -> Option<Vec<T>>;

/// `{ … }` around a list of `inner`, with statement-level recovery and a missing `}` assumed before the next
/// top-level block.
///
/// After the `{`, `plain` tries first: long lists of simple items (a PARAMETER block of thousands of entries) are read
/// by hand at a fraction of the cost of chumsky's combinators. Where it gives up, the input is rewound and the
/// general parser reads the list from the `{` on, so its errors and recovery are unchanged. The plain reader adds
/// no error and no expected alternative: chumsky keeps only the furthest failed alternative, and every parser after
/// the list starts beyond its `}`, so the alternatives the general parser leaves inside the list can never be
/// reported or merged. The general contents never fail either (the recovery stops only at `}`, a top-level keyword
/// or the end, where the closing brace is read or assumed), so running them through `InputRef::parse` changes
/// nothing.
pub(crate) fn braced_list<'t, T: 't>(
    inner: impl Parser<'t, ParserInput<'t>, T, Extra<'t>> + Clone + 't,
    error: impl Fn(Span) -> T + Clone + 't,
    plain: Option<PlainListReader<T>>,
) -> impl Parser<'t, ParserInput<'t>, Vec<T>, Extra<'t>> + Clone {
    let general = inner
        .recover_with(via_parser(skip_statement().map(error)))
        .repeated()
        .collect::<Vec<_>>()
        .then_ignore(
            token(TokenKind::RightBrace)
                .labelled(Expected::EndOfBlock)
                .recover_with(via_parser(assume_closing_brace())),
        );
    token(TokenKind::LeftBrace).ignore_then(custom(move |input| {
        if let Some(plain) = plain {
            let checkpoint = input.save();
            if let Some(items) = plain(input) {
                return Ok(items);
            }
            input.rewind(checkpoint);
        }
        input.parse(&general)
    }))
}
