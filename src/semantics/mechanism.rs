//! The facts of one mechanism, read once from its syntax tree: what it is called and what kind it is, which ions
//! it uses, what it exports (RANGE, GLOBAL, POINTER …), its parameters and states, its NET_RECEIVE arguments, its
//! INCLUDEs and VERBATIM blocks. Later stages (inspect, rename, hash, build) read these instead of the tree.

use serde::Serialize;

use crate::span::Span;
use crate::syntax::ast::{
    Argument, CallableKind, DeclarationBlock, File, ItemKind, MechanismKind, Name, NameListKind,
    NeuronStatementKind, StatementKind,
};
use crate::syntax::visit::for_each_statement;

/// Everything later stages need to know about a mechanism, as spans into its source.
#[derive(Clone, Debug, Default, Serialize)]
pub struct MechanismFacts {
    /// The SUFFIX/POINT_PROCESS/… statement, if the file has one (the first, if several).
    pub declaration: Option<MechanismDeclaration>,
    /// The NEURON block's braces, `{` to `}` (the first NEURON block, if several).
    pub neuron_block_body: Option<Span>,
    pub ions: Vec<IonUse>,
    pub nonspecific_currents: Vec<Name>,
    pub electrode_currents: Vec<Name>,
    pub ranges: Vec<Name>,
    pub globals: Vec<Name>,
    pub pointers: Vec<Name>,
    pub bbcore_pointers: Vec<Name>,
    pub randoms: Vec<Name>,
    pub externals: Vec<Name>,
    pub thread_safe: bool,
    pub parameters: Vec<ParameterFact>,
    pub states: Vec<Name>,
    /// `None` when the file has no NET_RECEIVE block.
    pub net_receive_arguments: Option<Vec<Argument>>,
    /// The quoted path of each top-level `INCLUDE "…"`, quotes included.
    pub includes: Vec<Span>,
    /// Every VERBATIM block, top-level or inside blocks.
    pub verbatim_blocks: Vec<Span>,
    /// `~ x << (f)` reactions (Arbor needs them lowered).
    pub flux_reactions: Vec<Span>,
    /// INDEPENDENT blocks.
    pub independent_blocks: Vec<Span>,
}

/// `SUFFIX hh`, `POINT_PROCESS ExpSyn`, …
#[derive(Clone, Copy, Debug, Serialize)]
pub struct MechanismDeclaration {
    pub kind: MechanismKind,
    pub name: Name,
    pub statement: Span,
}

/// `USEION ca READ cai, eca WRITE ica VALENCE 2`.
#[derive(Clone, Debug, Serialize)]
pub struct IonUse {
    pub ion: Name,
    pub read: Vec<Name>,
    pub write: Vec<Name>,
    pub valence: Option<Span>,
    pub statement: Span,
}

/// One PARAMETER: `gbar = 0.12 (S/cm2) <0, 1e9>`.
#[derive(Clone, Debug, Serialize)]
pub struct ParameterFact {
    pub name: Name,
    pub default: Option<Span>,
    pub unit: Option<Span>,
    pub limits: Option<(Span, Span)>,
    pub size: Option<Span>,
}

/// Reads the facts of the mechanism in `file`.
pub fn mechanism_facts(file: &File) -> MechanismFacts {
    let mut facts = MechanismFacts::default();
    for item in &file.items {
        match &item.kind {
            ItemKind::Neuron { statements, body } => {
                facts.neuron_block_body.get_or_insert(*body);
                for statement in statements {
                    read_neuron_statement(&statement.kind, statement.span, &mut facts);
                }
            }
            ItemKind::Declarations {
                block: DeclarationBlock::Parameter,
                declarations,
            } => facts
                .parameters
                .extend(declarations.iter().map(|declaration| ParameterFact {
                    name: declaration.name,
                    default: declaration.value,
                    unit: declaration.unit,
                    limits: declaration.limits(),
                    size: declaration.size(),
                })),
            ItemKind::Declarations {
                block: DeclarationBlock::State,
                declarations,
            } => facts
                .states
                .extend(declarations.iter().map(|declaration| declaration.name)),
            ItemKind::Declarations {
                block: DeclarationBlock::Independent,
                ..
            } => facts.independent_blocks.push(item.span),
            ItemKind::Include { path } => facts.includes.push(*path),
            ItemKind::Verbatim => facts.verbatim_blocks.push(item.span),
            ItemKind::Callable(callable) if callable.kind == CallableKind::NetReceive => {
                facts
                    .net_receive_arguments
                    .get_or_insert_with(|| callable.arguments.clone());
            }
            _ => {}
        }
    }
    for_each_statement(file, &mut |statement, _depth| match &statement.kind {
        StatementKind::Verbatim => facts.verbatim_blocks.push(statement.span),
        StatementKind::Reaction {
            arrow: crate::syntax::ast::ReactionArrow::Flux,
            ..
        } => facts.flux_reactions.push(statement.span),
        _ => {}
    });
    facts.verbatim_blocks.sort_by_key(|span| span.start);
    facts
}

fn read_neuron_statement(statement: &NeuronStatementKind, span: Span, facts: &mut MechanismFacts) {
    match statement {
        NeuronStatementKind::Mechanism { kind, name } => {
            facts.declaration.get_or_insert(MechanismDeclaration {
                kind: *kind,
                name: *name,
                statement: span,
            });
        }
        NeuronStatementKind::UseIon(use_ion) => facts.ions.push(IonUse {
            ion: use_ion.ion,
            read: use_ion.read.clone(),
            write: use_ion.write.clone(),
            valence: use_ion.valence,
            statement: span,
        }),
        NeuronStatementKind::NameList { list, names } => {
            let target = match list {
                NameListKind::NonspecificCurrent => &mut facts.nonspecific_currents,
                NameListKind::ElectrodeCurrent => &mut facts.electrode_currents,
                NameListKind::Range => &mut facts.ranges,
                NameListKind::Global => &mut facts.globals,
                NameListKind::Pointer => &mut facts.pointers,
                NameListKind::BbcorePointer => &mut facts.bbcore_pointers,
                NameListKind::External => &mut facts.externals,
                NameListKind::Random => &mut facts.randoms,
                NameListKind::Section => return,
            };
            target.extend(names.iter().copied());
        }
        NeuronStatementKind::ThreadSafe { .. } => facts.thread_safe = true,
        NeuronStatementKind::Verbatim => facts.verbatim_blocks.push(span),
        NeuronStatementKind::Represents { .. } | NeuronStatementKind::Error => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::{parse, Dialect};

    #[test]
    fn reads_the_facts_of_a_point_process() {
        let source = b"NEURON {\n POINT_PROCESS Syn\n USEION ca READ cai WRITE ica VALENCE 2\n \
            RANGE g, tau\n GLOBAL q\n POINTER p\n THREADSAFE\n}\nPARAMETER { tau = 2 (ms) <1e-9, 1e9> }\n\
            STATE { g }\nNET_RECEIVE(w (uS)) { g = g + w }\n";
        let parse = parse(source, Dialect::Neuron);
        assert!(parse.diagnostics.is_empty(), "{:?}", parse.diagnostics);
        let facts = mechanism_facts(&parse.file);
        let declaration = facts.declaration.unwrap();
        assert_eq!(declaration.kind, MechanismKind::PointProcess);
        assert_eq!(declaration.name.span.text(source), "Syn");
        assert_eq!(facts.ions[0].ion.span.text(source), "ca");
        assert_eq!(facts.ions[0].valence.unwrap().text(source), "2");
        assert_eq!(facts.ranges.len(), 2);
        assert_eq!(facts.globals[0].span.text(source), "q");
        assert_eq!(facts.pointers[0].span.text(source), "p");
        assert!(facts.thread_safe);
        assert_eq!(facts.parameters[0].unit.unwrap().text(source), "(ms)");
        assert_eq!(facts.parameters[0].limits.unwrap().1.text(source), "1e9");
        assert_eq!(facts.states[0].span.text(source), "g");
        assert_eq!(
            facts.net_receive_arguments.unwrap()[0]
                .name
                .span
                .text(source),
            "w"
        );
        assert_eq!(
            &source[facts.neuron_block_body.unwrap().start as usize..][..1],
            b"{"
        );
    }
}
