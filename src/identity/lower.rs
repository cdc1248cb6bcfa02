//! Dialect lowering: the rewrites Glia applies before handing a file to a compiler, so that a file written for one
//! dialect compiles with the other's compiler. Each is a list of byte edits on spans of the parsed tree (never a
//! regular expression on raw text); every other byte stays as it was.
//!
//! For Arbor (modcc 0.12):
//! - `~ x << (f)`, a flux into `x`, becomes `~ x <-> (0, f)`: a reaction from `x` to nothing with forward rate 0
//!   and backward rate `f`, which adds `f` to `x'` like the flux did. (modcc's sparse solver still needs the
//!   system to stay linear and homogeneous in the states.)
//! - An `INDEPENDENT` block, which modcc refuses and NEURON ignores (time is always `t`), is removed.
//!
//! NEURON (nocmodl) reads everything Glia writes: no lowering.

use serde::Serialize;

use crate::span::{apply_edits, Span, TextEdit};
use crate::syntax::ast::{DeclarationBlock, File, ItemKind};
use crate::syntax::dialect::flux_as_reaction;
use crate::syntax::visit::for_each_statement;
use crate::syntax::Dialect;

/// One rewrite of one construct, made of edits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Lowering {
    /// The construct rewritten.
    pub span: Span,
    pub description: &'static str,
    pub edits: Vec<TextEdit>,
}

/// The rewrites that `file` (parsed from its source) needs before `dialect`'s compiler reads it.
pub fn lowerings_for(dialect: Dialect, file: &File) -> Vec<Lowering> {
    let mut lowerings = Vec::new();
    if dialect != Dialect::Arbor {
        return lowerings;
    }
    for item in &file.items {
        if let ItemKind::Declarations {
            block: DeclarationBlock::Independent,
            ..
        } = item.kind
        {
            lowerings.push(Lowering {
                span: item.span,
                description: "INDEPENDENT block removed (modcc has none; time is `t`)",
                edits: vec![TextEdit {
                    span: item.span,
                    replacement: String::new(),
                }],
            });
        }
    }
    for_each_statement(file, &mut |statement, _depth| {
        if let Some(edits) = flux_as_reaction(statement) {
            lowerings.push(Lowering {
                span: statement.span,
                description: "flux `~ x << (f)` written as `~ x <-> (0, f)`",
                edits,
            });
        }
    });
    lowerings.sort_by_key(|lowering| lowering.span.start);
    lowerings
}

/// Applies the edits of `lowerings` to `source`. Edits must not overlap (those of [`lowerings_for`] never do).
pub fn apply(source: &[u8], lowerings: &[Lowering]) -> Vec<u8> {
    let edits: Vec<TextEdit> = lowerings
        .iter()
        .flat_map(|lowering| lowering.edits.iter().cloned())
        .collect();
    apply_edits(source, &edits).0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::parse;

    fn lower(source: &str) -> String {
        let parse = parse(source.as_bytes(), Dialect::Arbor);
        let lowerings = lowerings_for(Dialect::Arbor, &parse.file);
        String::from_utf8(apply(source.as_bytes(), &lowerings)).unwrap()
    }

    #[test]
    fn flux_becomes_a_reaction_and_nothing_else_changes() {
        let source = "KINETIC s {\n    ~ cai << (-cai/tau) : decay\n    ~ a <-> b (1, 2)\n}\n";
        assert_eq!(
            lower(source),
            "KINETIC s {\n    ~ cai <-> (0, -cai/tau) : decay\n    ~ a <-> b (1, 2)\n}\n"
        );
    }

    #[test]
    fn spaced_flux_arrow_is_lowered_too() {
        assert_eq!(
            lower("KINETIC s { ~ x < < (f) }\n"),
            "KINETIC s { ~ x <-> (0, f) }\n"
        );
    }

    #[test]
    fn independent_block_is_removed() {
        assert_eq!(
            lower("INDEPENDENT { t FROM 0 TO 1 WITH 1 (ms) }\nNEURON { SUFFIX x }\n"),
            "\nNEURON { SUFFIX x }\n"
        );
    }

    #[test]
    fn neuron_needs_nothing() {
        let parse = parse(b"KINETIC s { ~ x << (f) }\n", Dialect::Neuron);
        assert!(lowerings_for(Dialect::Neuron, &parse.file).is_empty());
    }
}
