//! Top-level items: TITLE, INCLUDE, DEFINE, UNITSON/OFF, VERBATIM, the NEURON block, UNITS, the declaration
//! blocks (PARAMETER, ASSIGNED, STATE, CONSTANT, INDEPENDENT, WHITE_NOISE) and the blocks that hold statements.

use chumsky::prelude::*;

use super::reader::{accept, peek, ExpressionInput};
use super::recovery::{braced_list, skip_item};
use super::statements::{argument_list, block_parser, local_declarations};
use super::{
    name, name_list, optional_unit, signed_number, to_span, token, token_among, token_on_same_line,
    Expected, Extra, ParserInput,
};
use crate::span::Span;
use crate::syntax::ast::{
    Callable, CallableKind, Declaration, DeclarationBlock, File, Item, ItemKind, MechanismKind,
    Name, NameListKind, NeuronStatement, NeuronStatementKind, RareDeclarationParts, UnitDefinition,
    UseIon,
};
use crate::syntax::token::TokenKind;

/// A whole file: items up to the end of the input.
pub(crate) fn file_parser<'t>() -> impl Parser<'t, ParserInput<'t>, File, Extra<'t>> {
    item_parser()
        .recover_with(via_parser(skip_item().map(|span| Item {
            kind: ItemKind::Error,
            span,
        })))
        .repeated()
        .collect::<Vec<_>>()
        .then_ignore(end())
        .map(|items| File { items })
}

fn item_parser<'t>() -> impl Parser<'t, ParserInput<'t>, Item, Extra<'t>> + Clone {
    let title = token(TokenKind::KwTitle)
        .ignore_then(token(TokenKind::TitleText).or_not())
        .map(|text| ItemKind::Title { text });
    let include = token(TokenKind::KwInclude)
        .ignore_then(token(TokenKind::String))
        .map(|path| ItemKind::Include { path });
    let define = token(TokenKind::KwDefine)
        .ignore_then(name())
        .then(signed_number())
        .map(|(name, value)| ItemKind::Define { name, value });
    let verbatim = token(TokenKind::Verbatim).to(ItemKind::Verbatim);

    let neuron = token(TokenKind::KwNeuron)
        .ignore_then(
            braced_list(
                neuron_statement(),
                |span| NeuronStatement {
                    kind: NeuronStatementKind::Error,
                    span,
                },
                Some(plain_neuron_statements),
            )
            .map_with(|statements, extra| (statements, to_span(extra.span()))),
        )
        .map(|(statements, body)| ItemKind::Neuron { statements, body });

    let units = token(TokenKind::KwUnits)
        .ignore_then(braced_list(
            unit_definition(),
            |span| UnitDefinition {
                left: span,
                right: Vec::new(),
                span,
            },
            None,
        ))
        .map(|definitions| ItemKind::Units { definitions });

    let declaration_block = token_among(&[
        (TokenKind::KwParameter, DeclarationBlock::Parameter),
        (TokenKind::KwAssigned, DeclarationBlock::Assigned),
        (TokenKind::KwState, DeclarationBlock::State),
        (TokenKind::KwConstant, DeclarationBlock::Constant),
        (TokenKind::KwIndependent, DeclarationBlock::Independent),
        (TokenKind::KwWhiteNoise, DeclarationBlock::WhiteNoise),
    ])
    .map(|(block, _)| block)
    .then(braced_list(
        declaration(),
        |span| {
            Declaration::new(
                Name { span },
                None,
                None,
                RareDeclarationParts::default(),
                span,
            )
        },
        Some(plain_declarations),
    ))
    .map(|(block, declarations)| ItemKind::Declarations {
        block,
        declarations,
    });

    let function_table = token(TokenKind::KwFunctionTable)
        .ignore_then(name())
        .then(argument_list())
        .then(optional_unit())
        .map(|((name, arguments), unit)| ItemKind::FunctionTable {
            name,
            arguments,
            unit,
        });

    let local = local_declarations().map(|names| ItemKind::Local { names });

    choice((
        title,
        local,
        include,
        define,
        verbatim,
        neuron,
        units,
        declaration_block,
        function_table,
        callable().map(|callable| ItemKind::Callable(Box::new(callable))),
    ))
    .map_with(|kind, extra| Item {
        kind,
        span: to_span(extra.span()),
    })
    .labelled(Expected::TopLevelBlock)
}

/// Blocks that hold statements, with their headers.
fn callable<'t>() -> impl Parser<'t, ParserInput<'t>, Callable, Extra<'t>> + Clone {
    let body = block_parser();
    let no_header = token_among(&[
        (TokenKind::KwInitial, CallableKind::Initial),
        (TokenKind::KwBreakpoint, CallableKind::Breakpoint),
        (TokenKind::KwConstructor, CallableKind::Constructor),
        (TokenKind::KwDestructor, CallableKind::Destructor),
    ])
    .map(|(kind, _)| (kind, None, Vec::new(), None, Vec::new()));
    let solve_for = token(TokenKind::KwSolveFor)
        .ignore_then(name_list())
        .or_not();
    let named = token_among(&[
        (TokenKind::KwDerivative, CallableKind::Derivative),
        (TokenKind::KwKinetic, CallableKind::Kinetic),
        (TokenKind::KwLinear, CallableKind::Linear),
        (TokenKind::KwNonlinear, CallableKind::Nonlinear),
        (TokenKind::KwDiscrete, CallableKind::Discrete),
    ])
    .map(|(kind, _)| kind)
    .then(name())
    .then(solve_for)
    .map(|((kind, name), solve_for)| {
        (
            kind,
            Some(name),
            Vec::new(),
            None,
            solve_for.unwrap_or_default(),
        )
    });
    let with_arguments = token_among(&[
        (TokenKind::KwProcedure, CallableKind::Procedure),
        (TokenKind::KwFunction, CallableKind::Function),
    ])
    .map(|(kind, _)| kind)
    .then(name())
    .then(argument_list())
    .then(optional_unit())
    .map(|(((kind, name), arguments), unit)| (kind, Some(name), arguments, unit, Vec::new()));
    let anonymous_with_arguments = token_among(&[
        (TokenKind::KwNetReceive, CallableKind::NetReceive),
        (TokenKind::KwPostEvent, CallableKind::PostEvent),
    ])
    .map(|(kind, _)| kind)
    .then(argument_list())
    .map(|(kind, arguments)| (kind, None, arguments, None, Vec::new()));
    // BEFORE/AFTER name the step they hook into: BREAKPOINT, SOLVE, INITIAL or STEP.
    let hook_step = token_among(&[
        (TokenKind::KwBreakpoint, ()),
        (TokenKind::KwSolve, ()),
        (TokenKind::KwInitial, ()),
        (TokenKind::KwStep, ()),
    ])
    .map(|((), span)| Name { span });
    let hook = token_among(&[
        (TokenKind::KwBefore, CallableKind::Before),
        (TokenKind::KwAfter, CallableKind::After),
    ])
    .map(|(kind, _)| kind)
    .then(hook_step)
    .map(|(kind, step)| (kind, Some(step), Vec::new(), None, Vec::new()));

    choice((
        no_header,
        named,
        with_arguments,
        anonymous_with_arguments,
        hook,
    ))
    .then(body)
    .map(
        |((kind, name, arguments, unit, solve_for), body)| Callable {
            kind,
            name,
            arguments,
            unit,
            solve_for,
            body,
        },
    )
}

/// One statement of the NEURON block.
fn neuron_statement<'t>() -> impl Parser<'t, ParserInput<'t>, NeuronStatement, Extra<'t>> + Clone {
    let mechanism = token_among(&[
        (TokenKind::KwSuffix, MechanismKind::Suffix),
        (TokenKind::KwPointProcess, MechanismKind::PointProcess),
        (TokenKind::KwArtificialCell, MechanismKind::ArtificialCell),
        (TokenKind::KwVoltageProcess, MechanismKind::VoltageProcess),
        (TokenKind::KwJunctionProcess, MechanismKind::JunctionProcess),
    ])
    .map(|(kind, _)| kind)
    .then(name())
    .map(|(kind, name)| NeuronStatementKind::Mechanism { kind, name });

    // READ and WRITE clauses in any order and number, as modcc reads them (nocmodl wants at most one READ before
    // at most one WRITE: the dialect check says so); the valence a number, or for modcc a name.
    let clause =
        token_among(&[(TokenKind::KwRead, true), (TokenKind::KwWrite, false)]).then(name_list());
    let use_ion = token(TokenKind::KwUseIon)
        .ignore_then(name())
        .then(clause.repeated().collect::<Vec<_>>())
        .then(
            token(TokenKind::KwValence)
                .or(token(TokenKind::KwCharge))
                .ignore_then(signed_number().or(token(TokenKind::Name)))
                .or_not(),
        )
        .then(
            token(TokenKind::KwRepresents)
                .ignore_then(token(TokenKind::OntologyId))
                .or_not(),
        )
        .map(|(((ion, clauses), valence), represents)| {
            let (mut read, mut write, mut misordered) = (Vec::new(), Vec::new(), None);
            let (mut seen_read, mut seen_write) = (false, false);
            for ((is_read, keyword), names) in clauses {
                let out_of_order = if is_read {
                    seen_read || seen_write
                } else {
                    seen_write
                };
                if out_of_order && misordered.is_none() {
                    misordered = Some(keyword);
                }
                if is_read {
                    seen_read = true;
                    read.extend(names);
                } else {
                    seen_write = true;
                    write.extend(names);
                }
            }
            NeuronStatementKind::UseIon(Box::new(UseIon {
                ion,
                read,
                write,
                misordered,
                valence,
                represents,
            }))
        });

    let list = token_among(&[
        (
            TokenKind::KwNonspecificCurrent,
            NameListKind::NonspecificCurrent,
        ),
        (
            TokenKind::KwElectrodeCurrent,
            NameListKind::ElectrodeCurrent,
        ),
        (TokenKind::KwRange, NameListKind::Range),
        (TokenKind::KwGlobal, NameListKind::Global),
        (TokenKind::KwPointer, NameListKind::Pointer),
        (TokenKind::KwBbcorePointer, NameListKind::BbcorePointer),
        (TokenKind::KwExternal, NameListKind::External),
        (TokenKind::KwRandom, NameListKind::Random),
    ])
    .map(|(list, _)| list)
    .then(name_list())
    .map(|(list, names)| NeuronStatementKind::NameList { list, names });

    let thread_safe = token(TokenKind::KwThreadSafe)
        .ignore_then(name_list().or_not())
        .map(|names| NeuronStatementKind::ThreadSafe {
            names: names.unwrap_or_default(),
        });
    let represents = token(TokenKind::KwRepresents)
        .ignore_then(token(TokenKind::OntologyId))
        .map(|id| NeuronStatementKind::Represents { id });
    let verbatim = token(TokenKind::Verbatim).to(NeuronStatementKind::Verbatim);

    choice((mechanism, use_ion, list, thread_safe, represents, verbatim))
        .map_with(|kind, extra| NeuronStatement {
            kind,
            span: to_span(extra.span()),
        })
        .labelled(Expected::NeuronStatement)
}

/// One declaration in PARAMETER, ASSIGNED, STATE, CONSTANT, INDEPENDENT or WHITE_NOISE.
fn declaration<'t>() -> impl Parser<'t, ParserInput<'t>, Declaration, Extra<'t>> + Clone {
    let size = token(TokenKind::Number)
        .or(token(TokenKind::Name))
        .delimited_by(
            token(TokenKind::LeftBracket),
            token(TokenKind::RightBracket),
        );
    let value = token(TokenKind::Assign).ignore_then(signed_number());
    let from_to = token(TokenKind::KwFrom)
        .ignore_then(signed_number())
        .then_ignore(token(TokenKind::KwTo))
        .then(signed_number());
    // INDEPENDENT's `t FROM 0 TO 1 WITH 1` and the old `START x` are read and kept in the span only.
    let with = token(TokenKind::KwWith)
        .ignore_then(signed_number())
        .or_not();
    let limits = token(TokenKind::Less)
        .ignore_then(signed_number())
        .then(
            token(TokenKind::Comma)
                .ignore_then(signed_number())
                .or_not(),
        )
        .then_ignore(token(TokenKind::Greater));
    name()
        .then(size.or_not())
        .then(value.or_not())
        .then(from_to.or_not())
        .then_ignore(with)
        .then(
            token(TokenKind::KwStart)
                .ignore_then(signed_number())
                .or_not(),
        )
        .then(optional_unit())
        .then(limits.or_not())
        .map_with(
            |((((((name, size), value), from_to), start), unit), limits), extra| {
                let (limits, tolerance) = match limits {
                    Some((low, Some(high))) => (Some((low, high)), None),
                    Some((tolerance, None)) => (None, Some(tolerance)),
                    None => (None, None),
                };
                Declaration::new(
                    name,
                    value,
                    unit,
                    RareDeclarationParts {
                        size,
                        from_to,
                        limits,
                        tolerance,
                        start,
                    },
                    to_span(extra.span()),
                )
            },
        )
        .labelled(Expected::Declaration)
}

/// One line of the UNITS block: `(mV) = (millivolt)`, `FARADAY = (faraday) (coulomb)`, `R = 8.314 (joule/degC)`.
fn unit_definition<'t>() -> impl Parser<'t, ParserInput<'t>, UnitDefinition, Extra<'t>> + Clone {
    token(TokenKind::Unit)
        .or(token(TokenKind::Name))
        .then_ignore(token(TokenKind::Assign))
        .then(token(TokenKind::Unit).or(signed_number()))
        .then(
            token(TokenKind::Minus)
                .then(token(TokenKind::Greater))
                .or_not()
                .ignore_then(token_on_same_line(TokenKind::Unit))
                .or_not(),
        )
        .map_with(|((left, first), second), extra| UnitDefinition {
            left,
            right: std::iter::once(first).chain(second).collect(),
            span: to_span(extra.span()),
        })
        .labelled(Expected::UnitDefinition)
}

/// The declarations and closing `}` of a declaration block whose entries all read `name [= number] [(unit)]
/// [<low, high>]`, by hand (see [`braced_list`]); `None` at anything else: a size, FROM, START, a missing `}` or an
/// error. The tree is the one [`declaration`] builds.
fn plain_declarations(input: &mut ExpressionInput<'_, '_>) -> Option<Vec<Declaration>> {
    let mut declarations = Vec::new();
    loop {
        let first = peek(input)?;
        match first.kind {
            TokenKind::RightBrace => {
                input.next();
                return Some(declarations);
            }
            TokenKind::Name => {
                input.next();
            }
            _ => return None,
        }
        let mut last = first.span;
        let value = match accept(input, TokenKind::Assign) {
            Some(_) => {
                let number = plain_signed_number(input)?;
                last = number;
                Some(number)
            }
            None => None,
        };
        let unit = accept(input, TokenKind::Unit);
        if let Some(unit) = unit {
            last = unit;
        }
        let (mut limits, mut tolerance) = (None, None);
        if accept(input, TokenKind::Less).is_some() {
            let low = plain_signed_number(input)?;
            match accept(input, TokenKind::Comma) {
                Some(_) => limits = Some((low, plain_signed_number(input)?)),
                None => tolerance = Some(low),
            }
            last = accept(input, TokenKind::Greater)?;
        }
        declarations.push(Declaration::new(
            Name { span: first.span },
            value,
            unit,
            RareDeclarationParts {
                limits,
                tolerance,
                ..RareDeclarationParts::default()
            },
            first.span.cover(last),
        ));
    }
}

/// A number with an optional sign, as [`signed_number`] reads it.
fn plain_signed_number(input: &mut ExpressionInput<'_, '_>) -> Option<Span> {
    let sign = accept(input, TokenKind::Minus).or_else(|| accept(input, TokenKind::Plus));
    let number = accept(input, TokenKind::Number)?;
    Some(sign.map_or(number, |sign| sign.cover(number)))
}

/// The statements and closing `}` of a NEURON block made only of `SUFFIX name` (and the other mechanism kinds),
/// name lists (`RANGE a, b`, `GLOBAL`, `NONSPECIFIC_CURRENT` …) and `THREADSAFE`, by hand (see [`braced_list`]);
/// `None` at anything else (USEION, VERBATIM, an error). The tree is the one [`neuron_statement`] builds.
fn plain_neuron_statements(input: &mut ExpressionInput<'_, '_>) -> Option<Vec<NeuronStatement>> {
    let mut statements = Vec::new();
    loop {
        let first = peek(input)?;
        input.next();
        let mechanism = match first.kind {
            TokenKind::RightBrace => return Some(statements),
            TokenKind::KwSuffix => Some(MechanismKind::Suffix),
            TokenKind::KwPointProcess => Some(MechanismKind::PointProcess),
            TokenKind::KwArtificialCell => Some(MechanismKind::ArtificialCell),
            TokenKind::KwVoltageProcess => Some(MechanismKind::VoltageProcess),
            TokenKind::KwJunctionProcess => Some(MechanismKind::JunctionProcess),
            _ => None,
        };
        let list = match first.kind {
            TokenKind::KwNonspecificCurrent => Some(NameListKind::NonspecificCurrent),
            TokenKind::KwElectrodeCurrent => Some(NameListKind::ElectrodeCurrent),
            TokenKind::KwRange => Some(NameListKind::Range),
            TokenKind::KwGlobal => Some(NameListKind::Global),
            TokenKind::KwPointer => Some(NameListKind::Pointer),
            TokenKind::KwBbcorePointer => Some(NameListKind::BbcorePointer),
            TokenKind::KwExternal => Some(NameListKind::External),
            TokenKind::KwRandom => Some(NameListKind::Random),
            _ => None,
        };
        let (kind, last) = if let Some(kind) = mechanism {
            let name = accept(input, TokenKind::Name)?;
            (
                NeuronStatementKind::Mechanism {
                    kind,
                    name: Name { span: name },
                },
                name,
            )
        } else if let Some(list) = list {
            let names = plain_name_list(input)?;
            let last = names.last()?.span;
            (NeuronStatementKind::NameList { list, names }, last)
        } else if first.kind == TokenKind::KwThreadSafe {
            // `THREADSAFE` takes the names that follow it, if any.
            let names = match peek(input) {
                Some(next) if next.kind == TokenKind::Name => plain_name_list(input)?,
                _ => Vec::new(),
            };
            let last = names.last().map_or(first.span, |name| name.span);
            (NeuronStatementKind::ThreadSafe { names }, last)
        } else {
            return None;
        };
        statements.push(NeuronStatement {
            kind,
            span: first.span.cover(last),
        });
    }
}

/// `a, b, c`: names separated by commas, as [`name_list`] reads them; `None` if a comma is not followed by a name.
fn plain_name_list(input: &mut ExpressionInput<'_, '_>) -> Option<Vec<Name>> {
    let mut names = vec![Name {
        span: accept(input, TokenKind::Name)?,
    }];
    while accept(input, TokenKind::Comma).is_some() {
        names.push(Name {
            span: accept(input, TokenKind::Name)?,
        });
    }
    Some(names)
}
