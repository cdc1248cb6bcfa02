//! Choosing a parser by the kind of the next token, instead of trying alternatives one after another.
//!
//! Statements and expression atoms are told apart by their first token. `choice` would try every alternative in
//! turn, building an error for each that fails; a table lookup goes straight to the one that can match. When no
//! arm starts with the next token, the error expects the table's label ("a statement", "an expression").

use std::rc::Rc;

use chumsky::prelude::*;

use super::{Expected, Extra, ParserInput, SyntaxError, SyntaxToken};
use crate::syntax::token::TokenKind;

type Arm<'t, O> = Boxed<'t, 't, ParserInput<'t>, O, Extra<'t>>;

/// One arm of a [`dispatch`] table: the token kinds that start it, and its parser.
pub(crate) type DispatchArm<'t, O> = (&'static [TokenKind], Arm<'t, O>);

struct Table<'t, O> {
    arm_of_kind: [Option<u8>; 256],
    arms: Vec<Arm<'t, O>>,
    label: Expected,
}

/// Builds a dispatching parser from `(first tokens, parser)` arms; the first arm listing a kind wins.
pub(crate) fn dispatch<'t, O: 't>(
    label: Expected,
    arms: Vec<DispatchArm<'t, O>>,
) -> impl Parser<'t, ParserInput<'t>, O, Extra<'t>> + Clone {
    let mut table = Table {
        arm_of_kind: [None; 256],
        arms: Vec::with_capacity(arms.len()),
        label,
    };
    for (kinds, parser) in arms {
        let index = u8::try_from(table.arms.len()).expect("fewer than 256 arms");
        for &kind in kinds {
            table.arm_of_kind[kind as usize].get_or_insert(index);
        }
        table.arms.push(parser);
    }
    let table = Rc::new(table);
    custom(move |input| {
        let next: Option<SyntaxToken> = input.peek();
        let arm = next.and_then(|token| table.arm_of_kind[token.kind as usize]);
        match (arm, next) {
            (Some(index), _) => input.parse(&table.arms[index as usize]),
            (None, Some(found)) => Err(SyntaxError::expecting(
                table.label,
                Some(found.kind),
                super::ParserSpan::from(found.span.range()),
            )),
            (None, None) => {
                let start = input.cursor();
                Err(SyntaxError::expecting(
                    table.label,
                    None,
                    input.span_since(&start),
                ))
            }
        }
    })
}
