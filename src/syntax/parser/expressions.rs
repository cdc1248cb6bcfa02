//! Expressions, with nocmodl's precedence (loosest first): `||`; `&&`; comparisons; `+ -`; `* /`; unary `- + !`;
//! `^` (right-associative, so `-a^2` is `-(a^2)`). Atoms are numbers with an optional unit (`22 (degC)`),
//! variables (`x`, `m'`, `a[i]`, `x@2`), calls (`exp(-v/10)`), strings (`printf("…")`) and parentheses.
//!
//! Expressions are the parser's hottest path (most tokens of a mod file are in them), so they are read by hand —
//! precedence climbing over the token stream, called by the hand-written statements — instead of by one combinator
//! per operator and atom, each of which would build and merge an error whenever it does not match. A bad
//! parenthesised expression is reported and skipped to its `)`, and the rest of the statement is read.

use chumsky::input::Checkpoint;

use super::reader::{accept, expect, expect_after_operand, peek, unexpected, ExpressionInput};
use super::{Expected, ParserInput, SyntaxError, SyntaxToken};
use crate::span::Span;
use crate::syntax::ast::{BinaryOperator, Expression, ExpressionKind, Name, UnaryOperator};
use crate::syntax::token::TokenKind;
use crate::syntax::MAXIMUM_NESTING;

/// Binding power of the prefix operators: tighter than `*`, looser than `^`.
const PREFIX_POWER: u8 = 11;

/// Left and right binding power of a binary operator token.
fn infix_operator(kind: TokenKind) -> Option<(BinaryOperator, u8, u8)> {
    use BinaryOperator as Op;
    let (operator, left_power, right_power) = match kind {
        TokenKind::OrOr => (Op::Or, 1, 2),
        TokenKind::AndAnd => (Op::And, 3, 4),
        TokenKind::Less => (Op::Less, 5, 6),
        TokenKind::LessEqual => (Op::LessEqual, 5, 6),
        TokenKind::Greater => (Op::Greater, 5, 6),
        TokenKind::GreaterEqual => (Op::GreaterEqual, 5, 6),
        TokenKind::EqualEqual => (Op::Equal, 5, 6),
        TokenKind::NotEqual => (Op::NotEqual, 5, 6),
        TokenKind::Plus => (Op::Add, 7, 8),
        TokenKind::Minus => (Op::Subtract, 7, 8),
        TokenKind::Star => (Op::Multiply, 9, 10),
        TokenKind::Slash => (Op::Divide, 9, 10),
        TokenKind::Caret => (Op::Power, 14, 13),
        _ => return None,
    };
    Some((operator, left_power, right_power))
}

fn prefix_operator(kind: TokenKind) -> Option<UnaryOperator> {
    match kind {
        TokenKind::Minus => Some(UnaryOperator::Negate),
        TokenKind::Plus => Some(UnaryOperator::Plus),
        TokenKind::Bang => Some(UnaryOperator::Not),
        _ => None,
    }
}

/// Parses operators binding at least as tightly as `minimum_power` around atoms.
pub(crate) fn expression(
    input: &mut ExpressionInput<'_, '_>,
    minimum_power: u8,
) -> Result<Expression, SyntaxError> {
    expression_at(input, minimum_power, 1)
}

/// [`expression`] at nesting `depth`: operators and brackets together, so the depth of any expression tree is
/// bounded by [`MAXIMUM_NESTING`]. The stack is checked (and grown if need be) every 16 levels only: each level
/// needs well under 4 KiB, and the check costs more than the rest of a level.
fn expression_at(
    input: &mut ExpressionInput<'_, '_>,
    minimum_power: u8,
    depth: usize,
) -> Result<Expression, SyntaxError> {
    if depth.is_multiple_of(16) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            expression_level(input, minimum_power, depth)
        })
    } else {
        expression_level(input, minimum_power, depth)
    }
}

fn expression_level(
    input: &mut ExpressionInput<'_, '_>,
    minimum_power: u8,
    depth: usize,
) -> Result<Expression, SyntaxError> {
    {
        if depth > MAXIMUM_NESTING {
            // Chains like `a^-a^-a…`, alone or inside brackets, nest deeper than the bracket limit sees; refuse
            // them before the tree gets too deep to walk or drop.
            let here = input.cursor();
            let span = input.span_since(&here);
            return Err(SyntaxError::nesting_too_deep(span));
        }
        let next = peek(input);
        let mut left = match next.and_then(|token| prefix_operator(token.kind)) {
            Some(operator) => {
                input.next();
                let operand = expression_at(input, PREFIX_POWER, depth + 1)?;
                let operator_span = next.map(|token| token.span).unwrap_or_default();
                Expression {
                    span: operator_span.cover(operand.span),
                    kind: ExpressionKind::Unary {
                        operator,
                        operand: Box::new(operand),
                    },
                }
            }
            None => atom(input, depth)?,
        };
        while let Some((operator, left_power, right_power)) =
            peek(input).and_then(|token| infix_operator(token.kind))
        {
            if left_power < minimum_power {
                break;
            }
            input.next();
            let right = expression_at(input, right_power, depth + 1)?;
            left = binary(operator, left, right);
        }
        Ok(left)
    }
}

fn atom(input: &mut ExpressionInput<'_, '_>, depth: usize) -> Result<Expression, SyntaxError> {
    let next = peek(input);
    match next.map(|token| token.kind) {
        Some(TokenKind::Name | TokenKind::PrimedName) => name_or_call_at(input, true, depth),
        Some(TokenKind::Number) => {
            input.next();
            let number = next.map(|token| token.span).unwrap_or_default();
            let unit = accept(input, TokenKind::Unit);
            Ok(Expression {
                kind: ExpressionKind::Number { unit },
                span: unit.map_or(number, |unit| number.cover(unit)),
            })
        }
        Some(TokenKind::String) => {
            input.next();
            Ok(Expression {
                kind: ExpressionKind::String,
                span: next.map(|token| token.span).unwrap_or_default(),
            })
        }
        Some(TokenKind::LeftParen) => parenthesized(input, depth),
        _ => Err(unexpected(input, &[Expected::Expression], next)),
    }
}

/// `( expression )`; when what is inside cannot be read, the error is reported and the parenthesis is skipped
/// to its `)` (never past the end of its line), so the rest of the statement is still read.
fn parenthesized(
    input: &mut ExpressionInput<'_, '_>,
    depth: usize,
) -> Result<Expression, SyntaxError> {
    let checkpoint = input.save();
    let open = expect(input, TokenKind::LeftParen)?;
    let inner = expression_at(input, 0, depth + 1)
        .and_then(|inner| Ok((inner, expect_after_operand(input, TokenKind::RightParen)?)));
    match inner {
        Ok((inner, close)) => Ok(Expression {
            kind: ExpressionKind::Parenthesized(Box::new(inner)),
            span: open.cover(close),
        }),
        Err(error) => Ok(skip_parenthesized(input, checkpoint, error)),
    }
}

fn skip_parenthesized<'t, 'p>(
    input: &mut ExpressionInput<'t, 'p>,
    checkpoint: Checkpoint<'t, 'p, ParserInput<'t>, ()>,
    error: SyntaxError,
) -> Expression {
    input.rewind(checkpoint);
    let open = input
        .next()
        .map(|token: SyntaxToken| token.span)
        .unwrap_or_default();
    let mut end = open;
    let mut depth = 1usize;
    while depth > 0 {
        match peek(input) {
            None => break,
            Some(token) if matches!(token.kind, TokenKind::LeftBrace | TokenKind::RightBrace) => {
                break
            }
            Some(token) if token.first_on_line => break,
            Some(token) => {
                match token.kind {
                    TokenKind::LeftParen => depth += 1,
                    TokenKind::RightParen => depth -= 1,
                    _ => {}
                }
                input.next();
                end = token.span;
            }
        }
    }
    input.emit(error);
    Expression {
        kind: ExpressionKind::Error,
        span: open.cover(end),
    }
}

/// `x`, `m'` or `m '` (modcc reads the prime as a token of its own; the dialect pass reports the spaced form for
/// NEURON), then — for a call — `(arguments)`, or an index `[i]` and a lag `@2`.
pub(crate) fn name_or_call(
    input: &mut ExpressionInput<'_, '_>,
    calls_allowed: bool,
) -> Result<Expression, SyntaxError> {
    name_or_call_at(input, calls_allowed, 1)
}

fn name_or_call_at(
    input: &mut ExpressionInput<'_, '_>,
    calls_allowed: bool,
    depth: usize,
) -> Result<Expression, SyntaxError> {
    let first = peek(input);
    let mut name = match first {
        Some(token) if token.kind == TokenKind::PrimedName => {
            input.next();
            Name { span: token.span }
        }
        Some(token) if token.kind == TokenKind::Name => {
            input.next();
            Name { span: token.span }
        }
        found => {
            return Err(unexpected(
                input,
                &[Expected::Token(TokenKind::Name)],
                found,
            ))
        }
    };
    // What may follow a name: primes (`m '`, Arbor), a call's `(`, an index `[`, a lag `@`. One look at the next
    // token decides, since this runs for every name in the file.
    let mut next = peek(input);
    while let Some(prime) = next.filter(|token| {
        token.kind == TokenKind::Apostrophe
            && first.is_some_and(|first| first.kind == TokenKind::Name)
    }) {
        input.next();
        name.span = name.span.cover(prime.span);
        next = peek(input);
    }
    let mut span = name.span;
    let mut index = None;
    match next.map(|token| token.kind) {
        Some(TokenKind::LeftParen) if calls_allowed => {
            input.next();
            let open = next.map(|token| token.span).unwrap_or_default();
            let (arguments, close) = call_arguments(input, open, depth)?;
            return Ok(Expression {
                kind: ExpressionKind::Call {
                    name,
                    arguments: arguments.into_boxed_slice(),
                },
                span: name.span.cover(close),
            });
        }
        Some(TokenKind::LeftBracket) => {
            input.next();
            index = Some(Box::new(expression_at(input, 0, depth + 1)?));
            span = span.cover(expect_after_operand(input, TokenKind::RightBracket)?);
            next = peek(input);
        }
        _ => {}
    }
    let mut at = None;
    if next.is_some_and(|token| token.kind == TokenKind::At) {
        input.next();
        let lag = expect(input, TokenKind::Number)?;
        span = span.cover(lag);
        at = Some(lag);
    }
    Ok(Expression {
        kind: ExpressionKind::Variable { name, index, at },
        span,
    })
}

/// The arguments of a call after its `(`, and the span of its `)`.
fn call_arguments(
    input: &mut ExpressionInput<'_, '_>,
    open: Span,
    depth: usize,
) -> Result<(Vec<Expression>, Span), SyntaxError> {
    let mut arguments = Vec::new();
    if let Some(close) = accept(input, TokenKind::RightParen) {
        return Ok((arguments, open.cover(close)));
    }
    loop {
        arguments.push(expression_at(input, 0, depth + 1)?);
        match peek(input) {
            Some(token) if token.kind == TokenKind::Comma => {
                input.next();
            }
            Some(token) if token.kind == TokenKind::RightParen => {
                input.next();
                return Ok((arguments, token.span));
            }
            found => {
                let mut expected: Vec<Expected> = BINARY_OPERATORS
                    .iter()
                    .map(|&kind| Expected::Token(kind))
                    .collect();
                expected.extend([
                    Expected::Token(TokenKind::Comma),
                    Expected::Token(TokenKind::RightParen),
                ]);
                return Err(unexpected(input, &expected, found));
            }
        }
    }
}

pub(crate) const BINARY_OPERATORS: [TokenKind; 13] = [
    TokenKind::OrOr,
    TokenKind::AndAnd,
    TokenKind::Less,
    TokenKind::LessEqual,
    TokenKind::Greater,
    TokenKind::GreaterEqual,
    TokenKind::EqualEqual,
    TokenKind::NotEqual,
    TokenKind::Plus,
    TokenKind::Minus,
    TokenKind::Star,
    TokenKind::Slash,
    TokenKind::Caret,
];

fn binary(operator: BinaryOperator, left: Expression, right: Expression) -> Expression {
    Expression {
        span: left.span.cover(right.span),
        kind: ExpressionKind::Binary {
            operator,
            operands: Box::new([left, right]),
        },
    }
}
