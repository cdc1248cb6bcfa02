//! Statements inside blocks: assignments and calls, LOCAL, reactions and equations (`~`), control flow
//! (`if`/`else`, `while`, `FROM … TO …`), SOLVE, TABLE, CONSERVE, COMPARTMENT, WATCH, VERBATIM and the rest.
//!
//! Like expressions, statements are the hot path (every procedural block is made of them), so they are read by hand
//! inside one chumsky `custom` parser: the first token decides the statement, and a statement that cannot be read is
//! reported, skipped to the next line (or the `}` that closes its block) and replaced by an `Error` node, so every
//! error of a block is found. A `}` missing before the next top-level keyword is assumed, and reported.

use chumsky::prelude::*;

use super::expressions::{expression, name_or_call};
use super::reader::{accept, expect, expect_after_operand, peek, unexpected, ExpressionInput};
use super::recovery::{ends_block_without_brace, skip_to_next_statement};
use super::{to_span, Expected, Extra, ParserInput, SyntaxError, SyntaxToken};
use crate::span::Span;
use crate::syntax::ast::{
    Argument, Block, Declaration, Expression, ExpressionKind, Name, RareDeclarationParts,
    ReactionArrow, ReactionTerm, Statement, StatementKind,
};
use crate::syntax::token::TokenKind;
use crate::syntax::MAXIMUM_NESTING;

pub(crate) type BlockParser<'t> = Boxed<'t, 't, ParserInput<'t>, Block, Extra<'t>>;

type Input<'t, 'p> = ExpressionInput<'t, 'p>;

/// `{ statement* }`.
pub(crate) fn block_parser<'t>() -> BlockParser<'t> {
    custom(|input| block(input)).boxed()
}

/// A formal argument list `(v (mV), x)`, possibly empty.
pub(crate) fn argument_list<'t>(
) -> impl Parser<'t, ParserInput<'t>, Vec<Argument>, Extra<'t>> + Clone {
    custom(|input| arguments(input))
}

/// `LOCAL a, b[3]`: used in blocks and at the top level.
pub(crate) fn local_declarations<'t>(
) -> impl Parser<'t, ParserInput<'t>, Vec<Declaration>, Extra<'t>> + Clone {
    custom(|input| local_names(input))
}

fn block(input: &mut Input<'_, '_>) -> Result<Block, SyntaxError> {
    // Blocks nest at most MAXIMUM_NESTING deep (deeper braces never reach the parser), but a thread's stack may be
    // small (rayon's workers'): grow it when needed.
    stacker::maybe_grow(64 * 1024, 1024 * 1024, || block_contents(input))
}

fn block_contents(input: &mut Input<'_, '_>) -> Result<Block, SyntaxError> {
    let open = expect(input, TokenKind::LeftBrace)?;
    let mut statements = Vec::new();
    loop {
        let next = peek(input);
        match next {
            Some(token) if token.kind == TokenKind::RightBrace => {
                input.next();
                return Ok(Block {
                    statements,
                    span: open.cover(token.span),
                });
            }
            // A top-level keyword at the start of a line: the `}` is missing; assume it.
            Some(token) if ends_block_without_brace(token) => {
                let error = unexpected(input, &[Expected::Statement, Expected::EndOfBlock], next);
                input.emit(error);
                let span = open.cover(last_span(&statements, open));
                return Ok(Block { statements, span });
            }
            None => {
                let error = unexpected(input, &[Expected::Statement, Expected::EndOfBlock], None);
                input.emit(error);
                let span = open.cover(last_span(&statements, open));
                return Ok(Block { statements, span });
            }
            Some(_) => {
                let checkpoint = input.save();
                match statement(input) {
                    Ok(statement) => statements.push(statement),
                    Err(error) => {
                        input.rewind(checkpoint);
                        let span = skip_to_next_statement(input);
                        input.emit(error);
                        statements.push(Statement {
                            kind: StatementKind::Error,
                            span,
                        });
                    }
                }
            }
        }
    }
}

fn last_span(statements: &[Statement], open: Span) -> Span {
    statements.last().map_or(open, |statement| statement.span)
}

fn statement(input: &mut Input<'_, '_>) -> Result<Statement, SyntaxError> {
    let start = input.cursor();
    let first = peek(input);
    let Some(first) = first else {
        return Err(unexpected(input, &[Expected::Statement], None));
    };
    let kind = match first.kind {
        TokenKind::Name | TokenKind::PrimedName => assignment_or_call(input)?,
        TokenKind::KwIf => return if_statement(input, 1),
        TokenKind::KwLocal => StatementKind::Local {
            names: local_names(input)?,
        },
        TokenKind::Tilde => tilde_statement(input)?,
        TokenKind::KwWhile => {
            input.next();
            let condition = condition(input)?;
            let body = block(input)?;
            StatementKind::While { condition, body }
        }
        TokenKind::KwFrom => from_statement(input)?,
        TokenKind::KwSolve => solve_statement(input)?,
        TokenKind::KwTable => table_statement(input)?,
        TokenKind::KwConserve => {
            input.next();
            let left = reaction_terms(input)?;
            expect(input, TokenKind::Assign)?;
            let right = expression(input, 0)?;
            StatementKind::Conserve { left, right }
        }
        TokenKind::KwCompartment | TokenKind::KwLongitudinalDiffusion => {
            input.next();
            let arguments = expression_list(input)?;
            let states = braced_names(input)?;
            if first.kind == TokenKind::KwCompartment {
                StatementKind::Compartment { arguments, states }
            } else {
                StatementKind::LongitudinalDiffusion { arguments, states }
            }
        }
        TokenKind::KwProtect => {
            input.next();
            StatementKind::Protect(Box::new(statement(input)?))
        }
        TokenKind::KwMutexLock => {
            input.next();
            StatementKind::MutexLock
        }
        TokenKind::KwMutexUnlock => {
            input.next();
            StatementKind::MutexUnlock
        }
        TokenKind::KwLag => {
            input.next();
            let name = name(input)?;
            expect(input, TokenKind::KwBy)?;
            let by = self::name(input)?;
            StatementKind::Lag { name, by }
        }
        TokenKind::KwWatch => {
            input.next();
            let mut watches = vec![(condition(input)?, expression(input, 0)?)];
            while accept(input, TokenKind::Comma).is_some() {
                watches.push((condition(input)?, expression(input, 0)?));
            }
            StatementKind::Watch { watches }
        }
        TokenKind::KwForNetcons => {
            input.next();
            let arguments = arguments(input)?;
            let body = block(input)?;
            StatementKind::ForNetcons { arguments, body }
        }
        TokenKind::KwConductance => {
            input.next();
            let name = name(input)?;
            let ion = match accept(input, TokenKind::KwUseIon) {
                Some(_) => Some(self::name(input)?),
                None => None,
            };
            StatementKind::Conductance { name, ion }
        }
        TokenKind::KwInitial => {
            input.next();
            StatementKind::Initial(block(input)?)
        }
        TokenKind::Verbatim => {
            input.next();
            StatementKind::Verbatim
        }
        TokenKind::LeftBrace => StatementKind::Block(block(input)?),
        _ => return Err(unexpected(input, &[Expected::Statement], Some(first))),
    };
    Ok(Statement {
        span: to_span(input.span_since(&start)),
        kind,
    })
}

fn name(input: &mut Input<'_, '_>) -> Result<Name, SyntaxError> {
    expect(input, TokenKind::Name).map(|span| Name { span })
}

/// `name, name, …` (at least one).
fn name_list(input: &mut Input<'_, '_>) -> Result<Vec<Name>, SyntaxError> {
    let mut names = vec![name(input)?];
    while accept(input, TokenKind::Comma).is_some() {
        names.push(name(input)?);
    }
    Ok(names)
}

/// `( expression )`.
fn condition(input: &mut Input<'_, '_>) -> Result<Expression, SyntaxError> {
    expect(input, TokenKind::LeftParen)?;
    let condition = expression(input, 0)?;
    expect_after_operand(input, TokenKind::RightParen)?;
    Ok(condition)
}

/// `expression, expression, …` (at least one).
fn expression_list(input: &mut Input<'_, '_>) -> Result<Vec<Expression>, SyntaxError> {
    let mut expressions = vec![expression(input, 0)?];
    while accept(input, TokenKind::Comma).is_some() {
        expressions.push(expression(input, 0)?);
    }
    Ok(expressions)
}

/// `{ name name … }` (COMPARTMENT and LONGITUDINAL_DIFFUSION).
fn braced_names(input: &mut Input<'_, '_>) -> Result<Vec<Name>, SyntaxError> {
    expect(input, TokenKind::LeftBrace)?;
    let mut names = vec![name(input)?];
    loop {
        match peek(input) {
            Some(token) if token.kind == TokenKind::Name => {
                input.next();
                names.push(Name { span: token.span });
            }
            Some(token) if token.kind == TokenKind::RightBrace => {
                input.next();
                return Ok(names);
            }
            found => {
                return Err(unexpected(
                    input,
                    &[
                        Expected::Token(TokenKind::Name),
                        Expected::Token(TokenKind::RightBrace),
                    ],
                    found,
                ))
            }
        }
    }
}

/// `(v (mV), x)`, possibly empty.
fn arguments(input: &mut Input<'_, '_>) -> Result<Vec<Argument>, SyntaxError> {
    expect(input, TokenKind::LeftParen)?;
    let mut arguments = Vec::new();
    if accept(input, TokenKind::RightParen).is_some() {
        return Ok(arguments);
    }
    loop {
        let name = match peek(input) {
            Some(token) if token.kind == TokenKind::Name => {
                input.next();
                Name { span: token.span }
            }
            found => return Err(unexpected(input, &[Expected::Argument], found)),
        };
        let unit = accept(input, TokenKind::Unit);
        arguments.push(Argument { name, unit });
        match peek(input) {
            Some(token) if token.kind == TokenKind::Comma => {
                input.next();
            }
            Some(token) if token.kind == TokenKind::RightParen => {
                input.next();
                return Ok(arguments);
            }
            found => {
                let mut expected = vec![
                    Expected::Token(TokenKind::Comma),
                    Expected::Token(TokenKind::RightParen),
                ];
                if unit.is_none() {
                    expected.push(Expected::Unit);
                }
                return Err(unexpected(input, &expected, found));
            }
        }
    }
}

/// `LOCAL a, b[3]`.
fn local_names(input: &mut Input<'_, '_>) -> Result<Vec<Declaration>, SyntaxError> {
    expect(input, TokenKind::KwLocal)?;
    let mut names = Vec::new();
    loop {
        let name = name(input)?;
        let mut span = name.span;
        let size = match accept(input, TokenKind::LeftBracket) {
            Some(_) => {
                let size = match peek(input) {
                    Some(token) if matches!(token.kind, TokenKind::Number | TokenKind::Name) => {
                        input.next();
                        token.span
                    }
                    found => {
                        return Err(unexpected(
                            input,
                            &[Expected::Number, Expected::Token(TokenKind::Name)],
                            found,
                        ))
                    }
                };
                span = span.cover(expect(input, TokenKind::RightBracket)?);
                Some(size)
            }
            None => None,
        };
        names.push(Declaration::new(
            name,
            None,
            None,
            RareDeclarationParts {
                size,
                ..RareDeclarationParts::default()
            },
            span,
        ));
        if accept(input, TokenKind::Comma).is_none() {
            return Ok(names);
        }
    }
}

/// A statement that starts with a name: an assignment `x = …` (also `m' = …`, `a[i] = …`) or a call `f(…)`.
fn assignment_or_call(input: &mut Input<'_, '_>) -> Result<StatementKind, SyntaxError> {
    let target = name_or_call(input, true)?;
    let next = peek(input);
    match (next, &target.kind) {
        (Some(token), ExpressionKind::Variable { .. }) if token.kind == TokenKind::Assign => {
            input.next();
            let value = expression(input, 0)?;
            Ok(StatementKind::Assignment { target, value })
        }
        (_, ExpressionKind::Call { .. }) => Ok(StatementKind::Expression(target)),
        (found, _) => Err(unexpected(
            input,
            &[
                Expected::Token(TokenKind::Assign),
                Expected::Token(TokenKind::LeftParen),
                Expected::Token(TokenKind::LeftBracket),
            ],
            found,
        )),
    }
}

/// `if (c) { … } else if (c) { … } else { … }`; `chain` counts the `else if`s, each of which nests the tree one
/// level deeper, so a chain longer than [`MAXIMUM_NESTING`] is refused.
fn if_statement(input: &mut Input<'_, '_>, chain: usize) -> Result<Statement, SyntaxError> {
    if chain > MAXIMUM_NESTING {
        let here = input.cursor();
        let span = input.span_since(&here);
        return Err(SyntaxError::nesting_too_deep(span));
    }
    let start = expect(input, TokenKind::KwIf)?;
    let condition = condition(input)?;
    let then_block = block(input)?;
    let mut span = start.cover(then_block.span);
    let else_branch = match accept(input, TokenKind::KwElse) {
        Some(_) => {
            let branch = match peek(input) {
                Some(token) if token.kind == TokenKind::KwIf => {
                    stacker::maybe_grow(64 * 1024, 1024 * 1024, || if_statement(input, chain + 1))?
                }
                Some(token) if token.kind == TokenKind::LeftBrace => {
                    let block = block(input)?;
                    Statement {
                        span: block.span,
                        kind: StatementKind::Block(block),
                    }
                }
                found => {
                    return Err(unexpected(
                        input,
                        &[
                            Expected::Token(TokenKind::KwIf),
                            Expected::Token(TokenKind::LeftBrace),
                        ],
                        found,
                    ))
                }
            };
            span = span.cover(branch.span);
            Some(Box::new(branch))
        }
        None => None,
    };
    Ok(Statement {
        kind: StatementKind::If {
            condition,
            then_block,
            else_branch,
        },
        span,
    })
}

/// `FROM i = a TO b [BY c] { … }`.
fn from_statement(input: &mut Input<'_, '_>) -> Result<StatementKind, SyntaxError> {
    expect(input, TokenKind::KwFrom)?;
    let variable = name(input)?;
    expect(input, TokenKind::Assign)?;
    let from = Box::new(expression(input, 0)?);
    expect(input, TokenKind::KwTo)?;
    let to = Box::new(expression(input, 0)?);
    let by = match accept(input, TokenKind::KwBy) {
        Some(_) => Some(Box::new(expression(input, 0)?)),
        None => None,
    };
    let body = block(input)?;
    Ok(StatementKind::From {
        variable,
        from,
        to,
        by,
        body,
    })
}

/// `SOLVE name [METHOD method | STEADYSTATE method]`.
fn solve_statement(input: &mut Input<'_, '_>) -> Result<StatementKind, SyntaxError> {
    expect(input, TokenKind::KwSolve)?;
    let name = name(input)?;
    let (mut method, mut steady_state) = (None, None);
    if accept(input, TokenKind::KwMethod).is_some() {
        method = Some(self::name(input)?);
    } else if accept(input, TokenKind::KwSteadyState).is_some() {
        steady_state = Some(self::name(input)?);
    }
    Ok(StatementKind::Solve {
        name,
        method,
        steady_state,
        if_error: None,
    })
}

/// `TABLE [names] [DEPEND names] FROM a TO b WITH n`.
fn table_statement(input: &mut Input<'_, '_>) -> Result<StatementKind, SyntaxError> {
    expect(input, TokenKind::KwTable)?;
    let names = match peek(input) {
        Some(token) if token.kind == TokenKind::Name => name_list(input)?,
        _ => Vec::new(),
    };
    let depend = match accept(input, TokenKind::KwDepend) {
        Some(_) => name_list(input)?,
        None => Vec::new(),
    };
    expect(input, TokenKind::KwFrom)?;
    let from = Box::new(expression(input, 0)?);
    expect(input, TokenKind::KwTo)?;
    let to = Box::new(expression(input, 0)?);
    expect(input, TokenKind::KwWith)?;
    let with = Box::new(expression(input, 0)?);
    Ok(StatementKind::Table {
        names,
        depend,
        from,
        to,
        with,
    })
}

/// `~ A + 2 B <-> C (kf, kb)`, `~ x << (f)`, `~ A -> (k)`, or an equation `~ a*x = b` (`~+` in NONLINEAR).
fn tilde_statement(input: &mut Input<'_, '_>) -> Result<StatementKind, SyntaxError> {
    expect(input, TokenKind::Tilde)?;
    let checkpoint = input.save();
    match reaction(input) {
        Ok(reaction) => Ok(reaction),
        Err(reaction_error) => {
            input.rewind(checkpoint);
            // `~+ x = y` adds to an equation of a LINEAR/NONLINEAR block.
            accept(input, TokenKind::Plus);
            let left = match expression(input, 0) {
                Ok(left) => left,
                Err(_) => return Err(reaction_error),
            };
            if peek(input).is_none_or(|token| token.kind != TokenKind::Assign) {
                return Err(reaction_error);
            }
            input.next();
            let right = expression(input, 0)?;
            Ok(StatementKind::Equation { left, right })
        }
    }
}

fn reaction(input: &mut Input<'_, '_>) -> Result<StatementKind, SyntaxError> {
    let left = reaction_terms(input)?;
    let (arrow, arrow_span) = reaction_arrow(input)?;
    let right = match peek(input) {
        Some(token)
            if matches!(
                token.kind,
                TokenKind::Name | TokenKind::PrimedName | TokenKind::Number
            ) =>
        {
            reaction_terms(input)?
        }
        _ => Vec::new(),
    };
    expect(input, TokenKind::LeftParen)?;
    let rates = expression_list(input)?;
    expect_after_operand(input, TokenKind::RightParen)?;
    Ok(StatementKind::Reaction {
        left,
        arrow,
        arrow_span,
        right,
        rates,
    })
}

fn reaction_arrow(input: &mut Input<'_, '_>) -> Result<(ReactionArrow, Span), SyntaxError> {
    let first = peek(input);
    let (arrow, second) = match first.map(|token| token.kind) {
        Some(TokenKind::ReactionArrow) => {
            input.next();
            return Ok((ReactionArrow::Reversible, first.unwrap_or_default_span()));
        }
        Some(TokenKind::Less) => (ReactionArrow::Flux, TokenKind::Less),
        Some(TokenKind::Minus) => (ReactionArrow::Forward, TokenKind::Greater),
        _ => {
            let mut expected = vec![Expected::ReactionArrow, Expected::Token(TokenKind::Plus)];
            expected.push(Expected::Token(TokenKind::LeftBracket));
            return Err(unexpected(input, &expected, first));
        }
    };
    input.next();
    let end = expect(input, second)?;
    Ok((arrow, first.unwrap_or_default_span().cover(end)))
}

/// `2 A + B`: terms with an optional integer coefficient.
fn reaction_terms(input: &mut Input<'_, '_>) -> Result<Vec<ReactionTerm>, SyntaxError> {
    let mut terms = Vec::new();
    loop {
        let coefficient = accept(input, TokenKind::Number);
        let state = name_or_call(input, false)?;
        terms.push(ReactionTerm { coefficient, state });
        if accept(input, TokenKind::Plus).is_none() {
            return Ok(terms);
        }
    }
}

trait TokenSpan {
    fn unwrap_or_default_span(self) -> Span;
}

impl TokenSpan for Option<SyntaxToken> {
    fn unwrap_or_default_span(self) -> Span {
        self.map(|token| token.span).unwrap_or_default()
    }
}
