//! Expressions, with nocmodl's precedence (loosest first): `||`; `&&`; comparisons; `+ -`; `* /`; unary `- + !`;
//! `^` (right-associative, so `-a^2` is `-(a^2)`). Atoms are numbers with an optional unit (`22 (degC)`),
//! variables (`x`, `m'`, `a[i]`, `x@2`), calls (`exp(-v/10)`), strings (`printf("…")`) and parentheses.
//!
//! Operators are handled by precedence climbing in one hand-written loop: the parser's hottest path, where trying
//! one combinator per operator would cost a failed match per operator after every operand.

use chumsky::prelude::*;

use super::dispatch::{dispatch, when_next_is};
use super::recovery::skip_nested_parentheses;
use super::{to_span, token, Expected, Extra, ParserInput, SyntaxError, SyntaxToken};

use crate::syntax::ast::{BinaryOperator, Expression, ExpressionKind, Name, UnaryOperator};
use crate::syntax::token::TokenKind;
use crate::syntax::MAXIMUM_NESTING;

pub(crate) type ExpressionParser<'t> = Boxed<'t, 't, ParserInput<'t>, Expression, Extra<'t>>;

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

/// `x`, `m'` or `m '` (modcc reads the prime as a token of its own; the dialect pass reports the spaced form for
/// NEURON).
fn primed_or_plain_name<'t>() -> impl Parser<'t, ParserInput<'t>, Name, Extra<'t>> + Clone {
    custom(|input| {
        let next: Option<SyntaxToken> = input.peek();
        match next {
            Some(token) if token.kind == TokenKind::PrimedName => {
                input.next();
                Ok(Name { span: token.span })
            }
            Some(token) if token.kind == TokenKind::Name => {
                input.next();
                let mut span = token.span;
                while let Some(prime) = input
                    .peek()
                    .filter(|next: &SyntaxToken| next.kind == TokenKind::Apostrophe)
                {
                    input.next();
                    span = span.cover(prime.span);
                }
                Ok(Name { span })
            }
            found => {
                let start = input.cursor();
                let span = match found {
                    Some(token) => super::ParserSpan::from(token.span.range()),
                    None => input.span_since(&start),
                };
                Err(SyntaxError::expecting(
                    Expected::Token(TokenKind::Name),
                    found.map(|token| token.kind),
                    span,
                ))
            }
        }
    })
}

/// `name`, `m'`, `a[i]`, `x@2`: something that can be assigned to.
pub(crate) fn variable<'t>(
    expression: ExpressionParser<'t>,
) -> impl Parser<'t, ParserInput<'t>, Expression, Extra<'t>> + Clone {
    let index = expression.delimited_by(
        token(TokenKind::LeftBracket),
        token(TokenKind::RightBracket),
    );
    let at = token(TokenKind::At).ignore_then(token(TokenKind::Number));
    primed_or_plain_name()
        .then(when_next_is(TokenKind::LeftBracket, index))
        .then(when_next_is(TokenKind::At, at))
        .map_with(|((name, index), at), extra| Expression {
            kind: ExpressionKind::Variable {
                name,
                index: index.map(Box::new),
                at,
            },
            span: to_span(extra.span()),
        })
}

/// A name that starts a call `f(x)` or a variable `x`, `a[i]`, `x@2`: parsed once, then told apart.
pub(crate) fn name_or_call<'t>(
    expression: ExpressionParser<'t>,
) -> impl Parser<'t, ParserInput<'t>, Expression, Extra<'t>> + Clone {
    let arguments = expression
        .clone()
        .separated_by(token(TokenKind::Comma))
        .collect::<Vec<_>>()
        .delimited_by(token(TokenKind::LeftParen), token(TokenKind::RightParen));
    let index = expression.delimited_by(
        token(TokenKind::LeftBracket),
        token(TokenKind::RightBracket),
    );
    let at = token(TokenKind::At).ignore_then(token(TokenKind::Number));
    primed_or_plain_name()
        .then(when_next_is(TokenKind::LeftParen, arguments))
        .then(when_next_is(TokenKind::LeftBracket, index))
        .then(when_next_is(TokenKind::At, at))
        .map_with(|(((name, arguments), index), at), extra| Expression {
            kind: match arguments {
                Some(arguments) => ExpressionKind::Call { name, arguments },
                None => ExpressionKind::Variable {
                    name,
                    index: index.map(Box::new),
                    at,
                },
            },
            span: to_span(extra.span()),
        })
}

/// The expression grammar.
pub(crate) fn expression_parser<'t>() -> ExpressionParser<'t> {
    recursive(|expression| {
        let expression = expression.boxed();
        let number = token(TokenKind::Number)
            .then(when_next_is(TokenKind::Unit, token(TokenKind::Unit)))
            .map(|(number, unit)| Expression {
                kind: ExpressionKind::Number { unit },
                span: match unit {
                    Some(unit) => number.cover(unit),
                    None => number,
                },
            });
        let string = token(TokenKind::String).map(|span| Expression {
            kind: ExpressionKind::String,
            span,
        });
        let name_atom = name_or_call(expression.clone());
        let parenthesized = expression
            .clone()
            .delimited_by(token(TokenKind::LeftParen), token(TokenKind::RightParen))
            .map_with(|inner, extra| Expression {
                kind: ExpressionKind::Parenthesized(Box::new(inner)),
                span: to_span(extra.span()),
            })
            .recover_with(via_parser(skip_nested_parentheses().map(|span| {
                Expression {
                    kind: ExpressionKind::Error,
                    span,
                }
            })));
        let atom = dispatch(
            Expected::Expression,
            vec![
                (
                    &[TokenKind::Name, TokenKind::PrimedName][..],
                    name_atom.boxed(),
                ),
                (&[TokenKind::Number][..], number.boxed()),
                (&[TokenKind::LeftParen][..], parenthesized.boxed()),
                (&[TokenKind::String][..], string.boxed()),
            ],
        )
        .boxed();
        custom(move |input| climb(input, &atom, 0))
    })
    .boxed()
}

type ExpressionInput<'t, 'p> = chumsky::input::InputRef<'t, 'p, ParserInput<'t>, Extra<'t>>;

thread_local! {
    /// How many `climb` calls are active on this thread: operators and brackets together, across nested
    /// parentheses and calls, so the depth of any expression tree is bounded.
    static EXPRESSION_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Counts one level of expression nesting while alive.
struct DepthGuard;

impl DepthGuard {
    fn enter() -> (DepthGuard, usize) {
        let depth = EXPRESSION_DEPTH.with(|cell| {
            cell.set(cell.get() + 1);
            cell.get()
        });
        (DepthGuard, depth)
    }
}

impl Drop for DepthGuard {
    fn drop(&mut self) {
        EXPRESSION_DEPTH.with(|cell| cell.set(cell.get() - 1));
    }
}

/// Parses operators binding at least as tightly as `minimum_power` around atoms.
fn climb<'t>(
    input: &mut ExpressionInput<'t, '_>,
    atom: &ExpressionParser<'t>,
    minimum_power: u8,
) -> Result<Expression, SyntaxError> {
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
        let start = input.cursor();
        let (_guard, depth) = DepthGuard::enter();
        if depth > MAXIMUM_NESTING {
            // Chains like `a^-a^-a…`, alone or inside brackets, nest deeper than the bracket limit sees; refuse
            // them before the tree gets too deep to walk or drop.
            let span = input.span_since(&start);
            return Err(SyntaxError::nesting_too_deep(span));
        }
        let next: Option<SyntaxToken> = input.peek();
        let mut left = match next.and_then(|token| prefix_operator(token.kind)) {
            Some(operator) => {
                input.next();
                let operator_span = to_span(input.span_since(&start));
                let operand = climb(input, atom, PREFIX_POWER)?;
                Expression {
                    span: operator_span.cover(operand.span),
                    kind: ExpressionKind::Unary {
                        operator,
                        operand: Box::new(operand),
                    },
                }
            }
            None => input.parse(atom)?,
        };
        loop {
            let next: Option<SyntaxToken> = input.peek();
            let Some((operator, left_power, right_power)) =
                next.and_then(|token| infix_operator(token.kind))
            else {
                break;
            };
            if left_power < minimum_power {
                break;
            }
            input.next();
            let right = climb(input, atom, right_power)?;
            left = binary(operator, left, right);
        }
        Ok(left)
    })
}

fn binary(operator: BinaryOperator, left: Expression, right: Expression) -> Expression {
    Expression {
        span: left.span.cover(right.span),
        kind: ExpressionKind::Binary {
            operator,
            left: Box::new(left),
            right: Box::new(right),
        },
    }
}
