//! Statements inside blocks: assignments and calls, LOCAL, reactions and equations (`~`), control flow
//! (`if`/`else`, `while`, `FROM … TO …`), SOLVE, TABLE, CONSERVE, COMPARTMENT, WATCH, VERBATIM and the rest.

use chumsky::prelude::*;

use super::dispatch::{dispatch, DispatchArm};
use super::expressions::{expression_parser, name_or_call_parser, variable, ExpressionParser};
use super::recovery::braced_list;
use super::{
    name, name_list, optional_unit, to_span, token, Expected, Extra, ParserInput, ParserSpan,
    SyntaxError, SyntaxToken,
};
use crate::syntax::ast::ExpressionKind;
use crate::syntax::ast::{
    Argument, Block, Declaration, Name, ReactionArrow, ReactionTerm, Statement, StatementKind,
};
use crate::syntax::token::TokenKind;

pub(crate) type StatementParser<'t> = Boxed<'t, 't, ParserInput<'t>, Statement, Extra<'t>>;
pub(crate) type BlockParser<'t> = Boxed<'t, 't, ParserInput<'t>, Block, Extra<'t>>;

/// A formal argument list `(v (mV), x)`, possibly empty.
pub(crate) fn argument_list<'t>(
) -> impl Parser<'t, ParserInput<'t>, Vec<Argument>, Extra<'t>> + Clone {
    name()
        .labelled(Expected::Argument)
        .then(optional_unit())
        .map(|(name, unit)| Argument { name, unit })
        .separated_by(token(TokenKind::Comma))
        .collect::<Vec<_>>()
        .delimited_by(token(TokenKind::LeftParen), token(TokenKind::RightParen))
}

/// `LOCAL a, b[3]`: used in blocks and at the top level.
pub(crate) fn local_declarations<'t>(
) -> impl Parser<'t, ParserInput<'t>, Vec<Declaration>, Extra<'t>> + Clone {
    let local_name = name()
        .then(
            token(TokenKind::Number)
                .or(token(TokenKind::Name))
                .delimited_by(
                    token(TokenKind::LeftBracket),
                    token(TokenKind::RightBracket),
                )
                .or_not(),
        )
        .map_with(|(name, size), extra| Declaration {
            name,
            size,
            value: None,
            unit: None,
            from_to: None,
            limits: None,
            tolerance: None,
            start: None,
            span: to_span(extra.span()),
        });
    token(TokenKind::KwLocal).ignore_then(
        local_name
            .separated_by(token(TokenKind::Comma))
            .at_least(1)
            .collect::<Vec<_>>(),
    )
}

/// `{ statement* }`, with statement-level recovery inside and a missing `}` assumed before the next top-level block.
pub(crate) fn block_parser<'t>() -> BlockParser<'t> {
    let expression = expression_parser();
    // `recursive` links a block to the statements inside it through a weak reference; chumsky's
    // `Recursive::declare`/`define` would make a reference cycle and leak the parser on every parse.
    recursive(move |block| {
        let statement = statement_parser(expression.clone(), block.boxed());
        braced_list(statement, |span| Statement {
            kind: StatementKind::Error,
            span,
        })
        .map_with(|statements, extra| Block {
            statements,
            span: to_span(extra.span()),
        })
    })
    .boxed()
}

fn statement_parser<'t>(
    expression: ExpressionParser<'t>,
    block: BlockParser<'t>,
) -> StatementParser<'t> {
    recursive(
        |statement: Recursive<
            chumsky::recursive::Direct<'t, 't, ParserInput<'t>, Statement, Extra<'t>>,
        >| {
            let statement = statement.boxed();
            let local = local_declarations().map(|names| StatementKind::Local { names });

            // A statement that starts with a name is an assignment `x = …` (also `m' = …`, `a[i] = …`) or a call
            // `f(…)`: the name and what follows it are read once, then told apart.
            let target_parser = name_or_call_parser().boxed();
            let value_parser = expression.clone();
            let assignment_or_call = custom(move |input| {
                let target = input.parse(&target_parser)?;
                let next: Option<SyntaxToken> = input.peek();
                match (next, &target.kind) {
                    (Some(token), ExpressionKind::Variable { .. })
                        if token.kind == TokenKind::Assign =>
                    {
                        input.next();
                        let value = input.parse(&value_parser)?;
                        Ok(StatementKind::Assignment { target, value })
                    }
                    (_, ExpressionKind::Call { .. }) => Ok(StatementKind::Expression(target)),
                    (found, _) => {
                        let start = input.cursor();
                        let span = match found {
                            Some(token) => ParserSpan::from(token.span.range()),
                            None => input.span_since(&start),
                        };
                        Err(SyntaxError::expecting_any(
                            &[
                                Expected::Token(TokenKind::Assign),
                                Expected::Token(TokenKind::LeftParen),
                                Expected::Token(TokenKind::LeftBracket),
                            ],
                            found.map(|token| token.kind),
                            span,
                        ))
                    }
                }
            });

            let reaction_term = token(TokenKind::Number)
                .or_not()
                .then(variable())
                .map(|(coefficient, state)| ReactionTerm { coefficient, state });
            let reaction_side = reaction_term
                .separated_by(token(TokenKind::Plus))
                .at_least(1)
                .collect::<Vec<_>>();
            let arrow = choice((
                token(TokenKind::ReactionArrow).map(|span| (ReactionArrow::Reversible, span)),
                token(TokenKind::Less)
                    .then(token(TokenKind::Less))
                    .map(|(first, second)| (ReactionArrow::Flux, first.cover(second))),
                token(TokenKind::Minus)
                    .then(token(TokenKind::Greater))
                    .map(|(first, second)| (ReactionArrow::Forward, first.cover(second))),
            ))
            .labelled(Expected::ReactionArrow);
            let rates = expression
                .clone()
                .separated_by(token(TokenKind::Comma))
                .at_least(1)
                .collect::<Vec<_>>()
                .delimited_by(token(TokenKind::LeftParen), token(TokenKind::RightParen));
            let reaction = reaction_side
                .clone()
                .then(arrow)
                .then(reaction_side.clone().or_not())
                .then(rates)
                .map(
                    |(((left, (arrow, arrow_span)), right), rates)| StatementKind::Reaction {
                        left,
                        arrow,
                        arrow_span,
                        right: right.unwrap_or_default(),
                        rates,
                    },
                );
            let equation = expression
                .clone()
                .then_ignore(token(TokenKind::Assign))
                .then(expression.clone())
                .map(|(left, right)| StatementKind::Equation { left, right });
            // `~+ x = y` adds to an equation of a LINEAR/NONLINEAR block.
            let tilde = token(TokenKind::Tilde)
                .ignore_then(reaction.or(token(TokenKind::Plus).or_not().ignore_then(equation)));

            let condition = expression
                .clone()
                .delimited_by(token(TokenKind::LeftParen), token(TokenKind::RightParen));
            let if_statement = recursive(
                |if_statement: Recursive<
                    chumsky::recursive::Direct<'t, 't, ParserInput<'t>, Statement, Extra<'t>>,
                >| {
                    token(TokenKind::KwIf)
                        .ignore_then(condition.clone())
                        .then(block.clone())
                        .then(
                            token(TokenKind::KwElse)
                                .ignore_then(if_statement.or(block.clone().map(|block| {
                                    Statement {
                                        span: block.span,
                                        kind: StatementKind::Block(block),
                                    }
                                })))
                                .or_not(),
                        )
                        .map_with(|((condition, then_block), else_branch), extra| Statement {
                            kind: StatementKind::If {
                                condition,
                                then_block,
                                else_branch: else_branch.map(Box::new),
                            },
                            span: to_span(extra.span()),
                        })
                },
            );
            let while_statement = token(TokenKind::KwWhile)
                .ignore_then(condition.clone())
                .then(block.clone())
                .map(|(condition, body)| StatementKind::While { condition, body });
            let from_statement = token(TokenKind::KwFrom)
                .ignore_then(name())
                .then_ignore(token(TokenKind::Assign))
                .then(expression.clone())
                .then_ignore(token(TokenKind::KwTo))
                .then(expression.clone())
                .then(
                    token(TokenKind::KwBy)
                        .ignore_then(expression.clone())
                        .or_not(),
                )
                .then(block.clone())
                .map(|((((variable, from), to), by), body)| StatementKind::From {
                    variable,
                    from,
                    to,
                    by,
                    body,
                });
            let solve = token(TokenKind::KwSolve)
                .ignore_then(name())
                .then(
                    choice((
                        token(TokenKind::KwMethod)
                            .ignore_then(name())
                            .map(|method| (Some(method), None)),
                        token(TokenKind::KwSteadyState)
                            .ignore_then(name())
                            .map(|method| (None, Some(method))),
                    ))
                    .or_not(),
                )
                .map(|(name, method)| {
                    let (method, steady_state) = method.unwrap_or((None, None));
                    StatementKind::Solve {
                        name,
                        method,
                        steady_state,
                        if_error: None,
                    }
                });
            let table = token(TokenKind::KwTable)
                .ignore_then(name_list().or_not())
                .then(token(TokenKind::KwDepend).ignore_then(name_list()).or_not())
                .then_ignore(token(TokenKind::KwFrom))
                .then(expression.clone())
                .then_ignore(token(TokenKind::KwTo))
                .then(expression.clone())
                .then_ignore(token(TokenKind::KwWith))
                .then(expression.clone())
                .map(
                    |((((names, depend), from), to), with)| StatementKind::Table {
                        names: names.unwrap_or_default(),
                        depend: depend.unwrap_or_default(),
                        from,
                        to,
                        with,
                    },
                );
            let conserve = token(TokenKind::KwConserve)
                .ignore_then(reaction_side.clone())
                .then_ignore(token(TokenKind::Assign))
                .then(expression.clone())
                .map(|(left, right)| StatementKind::Conserve { left, right });
            let state_names = name()
                .repeated()
                .at_least(1)
                .collect::<Vec<Name>>()
                .delimited_by(token(TokenKind::LeftBrace), token(TokenKind::RightBrace));
            let compartment_arguments = expression
                .clone()
                .separated_by(token(TokenKind::Comma))
                .at_least(1)
                .collect::<Vec<_>>();
            let compartment = token(TokenKind::KwCompartment)
                .ignore_then(compartment_arguments.clone())
                .then(state_names.clone())
                .map(|(arguments, states)| StatementKind::Compartment { arguments, states });
            let longitudinal_diffusion = token(TokenKind::KwLongitudinalDiffusion)
                .ignore_then(compartment_arguments)
                .then(state_names)
                .map(|(arguments, states)| StatementKind::LongitudinalDiffusion {
                    arguments,
                    states,
                });
            let protect = token(TokenKind::KwProtect)
                .ignore_then(statement.clone())
                .map(|inner| StatementKind::Protect(Box::new(inner)));
            let lag = token(TokenKind::KwLag)
                .ignore_then(name())
                .then_ignore(token(TokenKind::KwBy))
                .then(name())
                .map(|(name, by)| StatementKind::Lag { name, by });
            let watch = token(TokenKind::KwWatch)
                .ignore_then(
                    condition
                        .clone()
                        .then(expression.clone())
                        .separated_by(token(TokenKind::Comma))
                        .at_least(1)
                        .collect::<Vec<_>>(),
                )
                .map(|watches| StatementKind::Watch { watches });
            let for_netcons = token(TokenKind::KwForNetcons)
                .ignore_then(argument_list())
                .then(block.clone())
                .map(|(arguments, body)| StatementKind::ForNetcons { arguments, body });
            let conductance = token(TokenKind::KwConductance)
                .ignore_then(name())
                .then(token(TokenKind::KwUseIon).ignore_then(name()).or_not())
                .map(|(name, ion)| StatementKind::Conductance { name, ion });
            let initial = token(TokenKind::KwInitial)
                .ignore_then(block.clone())
                .map(StatementKind::Initial);

            use TokenKind as T;
            let arms: Vec<DispatchArm<'t, StatementKind>> = vec![
                (&[T::Name, T::PrimedName], assignment_or_call.boxed()),
                (
                    &[T::KwIf],
                    if_statement.map(|statement| statement.kind).boxed(),
                ),
                (&[T::KwLocal], local.boxed()),
                (&[T::Tilde], tilde.boxed()),
                (&[T::KwWhile], while_statement.boxed()),
                (&[T::KwFrom], from_statement.boxed()),
                (&[T::KwSolve], solve.boxed()),
                (&[T::KwTable], table.boxed()),
                (&[T::KwConserve], conserve.boxed()),
                (&[T::KwCompartment], compartment.boxed()),
                (
                    &[T::KwLongitudinalDiffusion],
                    longitudinal_diffusion.boxed(),
                ),
                (&[T::KwProtect], protect.boxed()),
                (
                    &[T::KwMutexLock],
                    token(T::KwMutexLock).to(StatementKind::MutexLock).boxed(),
                ),
                (
                    &[T::KwMutexUnlock],
                    token(T::KwMutexUnlock)
                        .to(StatementKind::MutexUnlock)
                        .boxed(),
                ),
                (&[T::KwLag], lag.boxed()),
                (&[T::KwWatch], watch.boxed()),
                (&[T::KwForNetcons], for_netcons.boxed()),
                (&[T::KwConductance], conductance.boxed()),
                (&[T::KwInitial], initial.boxed()),
                (
                    &[T::Verbatim],
                    token(T::Verbatim).to(StatementKind::Verbatim).boxed(),
                ),
                (
                    &[T::LeftBrace],
                    block.clone().map(StatementKind::Block).boxed(),
                ),
            ];
            dispatch(Expected::Statement, arms).map_with(|kind, extra| Statement {
                kind,
                span: to_span(extra.span()),
            })
        },
    )
    .boxed()
}
