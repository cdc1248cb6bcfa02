//! Reading tokens by hand inside a chumsky `custom` parser: peek, accept, expect, and the errors they make. Used by
//! the hand-written parts of the grammar (statements and expressions, the hottest paths).

use super::expressions::BINARY_OPERATORS;
use super::{Expected, Extra, ParserInput, ParserSpan, SyntaxError, SyntaxToken};
use crate::span::Span;
use crate::syntax::token::TokenKind;

/// The input as a hand-written parser sees it.
pub(crate) type ExpressionInput<'t, 'p> =
    chumsky::input::InputRef<'t, 'p, ParserInput<'t>, Extra<'t>>;

#[inline]
pub(crate) fn peek(input: &mut ExpressionInput<'_, '_>) -> Option<SyntaxToken> {
    input.peek()
}

/// The error for `found` (the next token, or the end of the input) where one of `expected` should be.
#[cold]
pub(crate) fn unexpected(
    input: &mut ExpressionInput<'_, '_>,
    expected: &[Expected],
    found: Option<SyntaxToken>,
) -> SyntaxError {
    let span = match found {
        Some(token) => ParserSpan::from(token.span.range()),
        None => {
            let here = input.cursor();
            input.span_since(&here)
        }
    };
    SyntaxError::expecting_any(expected, found.map(|token| token.kind), span)
}

/// Consumes a token of `kind`, or fails expecting it.
#[inline]
pub(crate) fn expect(
    input: &mut ExpressionInput<'_, '_>,
    kind: TokenKind,
) -> Result<Span, SyntaxError> {
    expect_or_name(input, kind, &[])
}

/// Consumes the `kind` that closes a bracket after an operand; the error also says an operator could come.
#[inline]
pub(crate) fn expect_after_operand(
    input: &mut ExpressionInput<'_, '_>,
    kind: TokenKind,
) -> Result<Span, SyntaxError> {
    expect_or_name(input, kind, &BINARY_OPERATORS)
}

/// Consumes a token of `kind`; the error names `also_possible` too (tokens that could have continued instead).
#[inline]
fn expect_or_name(
    input: &mut ExpressionInput<'_, '_>,
    kind: TokenKind,
    also_possible: &[TokenKind],
) -> Result<Span, SyntaxError> {
    match peek(input) {
        Some(token) if token.kind == kind => {
            input.next();
            Ok(token.span)
        }
        found => Err(expected_instead(input, kind, also_possible, found)),
    }
}

/// The error of [`expect_or_name`], out of line: the expected path stays small enough to inline.
#[cold]
#[inline(never)]
fn expected_instead(
    input: &mut ExpressionInput<'_, '_>,
    kind: TokenKind,
    also_possible: &[TokenKind],
    found: Option<SyntaxToken>,
) -> SyntaxError {
    let mut error = unexpected(input, &[Expected::Token(kind)], found);
    for &possible in also_possible {
        error.add(Expected::Token(possible));
    }
    error
}

/// Consumes a token of `kind` if it is next.
#[inline]
pub(crate) fn accept(input: &mut ExpressionInput<'_, '_>, kind: TokenKind) -> Option<Span> {
    match peek(input) {
        Some(token) if token.kind == kind => {
            input.next();
            Some(token.span)
        }
        _ => None,
    }
}
