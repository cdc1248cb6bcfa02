//! Expressions, with nocmodl's precedence (loosest first): `||`; `&&`; comparisons; `+ -`; `* /`; unary `- !`;
//! `^` (right-associative, so `-a^2` is `-(a^2)`). Atoms are numbers with an optional unit (`22 (degC)`),
//! variables (`x`, `m'`, `a[i]`, `x@2`), calls (`exp(-v/10)`), strings (`printf("…")`) and parentheses.

use chumsky::pratt::{infix, left, prefix, right};
use chumsky::prelude::*;

use super::recovery::skip_nested_parentheses;
use super::{name, optional_unit, to_span, token, Expected, Extra, ParserInput};
use crate::span::Span;
use crate::syntax::ast::{BinaryOperator, Expression, ExpressionKind, Name, UnaryOperator};
use crate::syntax::token::TokenKind;

pub(crate) type ExpressionParser<'t> = Boxed<'t, 't, ParserInput<'t>, Expression, Extra<'t>>;

/// `name`, `m'`, `a[i]`, `x@2`: something that can be assigned to.
pub(crate) fn variable<'t>(expression: ExpressionParser<'t>) -> impl Parser<'t, ParserInput<'t>, Expression, Extra<'t>> + Clone {
    let plain_name = name().or(token(TokenKind::PrimedName).map(|span| Name { span }));
    plain_name
        .then(
            expression
                .delimited_by(token(TokenKind::LeftBracket), token(TokenKind::RightBracket))
                .or_not(),
        )
        .then(token(TokenKind::At).ignore_then(token(TokenKind::Number)).or_not())
        .map_with(|((name, index), at), extra| Expression {
            kind: ExpressionKind::Variable {
                name,
                index: index.map(Box::new),
                at,
            },
            span: to_span(extra.span()),
        })
}

/// The expression grammar.
pub(crate) fn expression_parser<'t>() -> ExpressionParser<'t> {
    recursive(|expression: Recursive<chumsky::recursive::Direct<'t, 't, ParserInput<'t>, Expression, Extra<'t>>>| {
        let expression = expression.boxed();
        let number = token(TokenKind::Number)
            .then(optional_unit())
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
        let arguments = expression
            .clone()
            .separated_by(token(TokenKind::Comma))
            .collect::<Vec<_>>()
            .delimited_by(token(TokenKind::LeftParen), token(TokenKind::RightParen));
        let call = name()
            .then(arguments)
            .map_with(|(name, arguments), extra| Expression {
                kind: ExpressionKind::Call { name, arguments },
                span: to_span(extra.span()),
            });
        let parenthesized = expression
            .clone()
            .delimited_by(token(TokenKind::LeftParen), token(TokenKind::RightParen))
            .map_with(|inner, extra| Expression {
                kind: ExpressionKind::Parenthesized(Box::new(inner)),
                span: to_span(extra.span()),
            })
            .recover_with(via_parser(skip_nested_parentheses().map(|span| Expression {
                kind: ExpressionKind::Error,
                span,
            })));
        let atom = choice((number, call, variable(expression.clone()), parenthesized, string))
            .labelled(Expected::Expression);

        atom.pratt((
            infix(right(7), token(TokenKind::Caret), |left, _, right, _| binary(BinaryOperator::Power, left, right)),
            prefix(6, token(TokenKind::Minus), |operator_span, operand, _| unary(UnaryOperator::Negate, operator_span, operand)),
            prefix(6, token(TokenKind::Plus), |operator_span, operand, _| unary(UnaryOperator::Plus, operator_span, operand)),
            prefix(6, token(TokenKind::Bang), |operator_span, operand, _| unary(UnaryOperator::Not, operator_span, operand)),
            infix(left(5), token(TokenKind::Star), |left, _, right, _| binary(BinaryOperator::Multiply, left, right)),
            infix(left(5), token(TokenKind::Slash), |left, _, right, _| binary(BinaryOperator::Divide, left, right)),
            infix(left(4), token(TokenKind::Plus), |left, _, right, _| binary(BinaryOperator::Add, left, right)),
            infix(left(4), token(TokenKind::Minus), |left, _, right, _| binary(BinaryOperator::Subtract, left, right)),
            infix(left(3), token(TokenKind::Less), |left, _, right, _| binary(BinaryOperator::Less, left, right)),
            infix(left(3), token(TokenKind::LessEqual), |left, _, right, _| binary(BinaryOperator::LessEqual, left, right)),
            infix(left(3), token(TokenKind::Greater), |left, _, right, _| binary(BinaryOperator::Greater, left, right)),
            infix(left(3), token(TokenKind::GreaterEqual), |left, _, right, _| binary(BinaryOperator::GreaterEqual, left, right)),
            infix(left(3), token(TokenKind::EqualEqual), |left, _, right, _| binary(BinaryOperator::Equal, left, right)),
            infix(left(3), token(TokenKind::NotEqual), |left, _, right, _| binary(BinaryOperator::NotEqual, left, right)),
            infix(left(2), token(TokenKind::AndAnd), |left, _, right, _| binary(BinaryOperator::And, left, right)),
            infix(left(1), token(TokenKind::OrOr), |left, _, right, _| binary(BinaryOperator::Or, left, right)),
        ))
        .labelled(Expected::Expression)
    })
    .boxed()
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

fn unary(operator: UnaryOperator, operator_span: Span, operand: Expression) -> Expression {
    Expression {
        span: operator_span.cover(operand.span),
        kind: ExpressionKind::Unary {
            operator,
            operand: Box::new(operand),
        },
    }
}
