//! What `glia inspect` reports about one mod file, as a serialisable value: the mechanism, the dialects that read
//! it (and the constructs that decided), its ions, exports, parameters and states, and the lowerings each dialect
//! needs. Positions are 1-based lines and character columns. Pure: it takes the source and parses it itself.
//!
//! The JSON form is a stable schema (documented in README.md, guarded by a snapshot test): fields are only ever
//! added.

use serde::Serialize;

use crate::diagnostics::line_index::LineIndex;
use crate::identity::lower::lowerings_for;
use crate::semantics::mechanism::{mechanism_facts, MechanismFacts};
use crate::span::Span;
use crate::syntax::ast::{MechanismKind, Name};
use crate::syntax::{parse, Dialect, Parse};

/// The report on one file.
#[derive(Clone, Debug, Serialize)]
pub struct Inspection {
    pub mechanism: Option<MechanismReport>,
    /// `neuron`, `arbor`, `both` (each compiler reads it) or `none` (neither does).
    pub dialect: &'static str,
    /// Why the file is not read by the dialects it is not: the first problems each would have.
    pub dialect_evidence: Vec<Evidence>,
    pub ions: Vec<IonReport>,
    pub nonspecific_currents: Vec<String>,
    pub electrode_currents: Vec<String>,
    pub range: Vec<String>,
    pub global: Vec<String>,
    pub pointer: Vec<String>,
    pub bbcore_pointer: Vec<String>,
    pub parameters: Vec<ParameterReport>,
    pub states: Vec<String>,
    /// `null` when there is no NET_RECEIVE block.
    pub net_receive_arguments: Option<Vec<String>>,
    pub thread_safe: bool,
    pub includes: Vec<String>,
    /// Rewrites Glia applies before compiling for a dialect.
    pub lowerings: Vec<LoweringReport>,
}

#[derive(Clone, Debug, Serialize)]
pub struct MechanismReport {
    /// `density` (SUFFIX), `point_process`, `artificial_cell`, `voltage_process` or `junction_process`.
    pub kind: &'static str,
    pub name: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Evidence {
    /// The dialect that refuses the construct.
    pub refused_by: &'static str,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct IonReport {
    pub name: String,
    pub read: Vec<String>,
    pub write: Vec<String>,
    pub valence: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ParameterReport {
    pub name: String,
    pub default: Option<String>,
    /// The unit without its parentheses, e.g. `S/cm2`.
    pub unit: Option<String>,
    pub limits: Option<(String, String)>,
}

#[derive(Clone, Debug, Serialize)]
pub struct LoweringReport {
    pub dialect: &'static str,
    pub line: usize,
    pub column: usize,
    pub description: &'static str,
}

/// How many problems per refusing dialect are given as evidence.
const EVIDENCE_PER_DIALECT: usize = 3;

/// Inspects `source`.
pub fn inspect(source: &[u8]) -> Inspection {
    let neuron = parse(source, Dialect::Neuron);
    let arbor = parse(source, Dialect::Arbor);
    let index = LineIndex::new(source);
    let text = |span: Span| span.text(source).into_owned();
    let names = |names: &[Name]| names.iter().map(|name| text(name.span)).collect::<Vec<_>>();
    let position = |span: Span| index.position(source, span.start as usize);

    let neuron_reads = !has_errors(&neuron);
    let arbor_reads = !has_errors(&arbor);
    let dialect = match (neuron_reads, arbor_reads) {
        (true, true) => "both",
        (true, false) => "neuron",
        (false, true) => "arbor",
        (false, false) => "none",
    };
    let mut dialect_evidence = Vec::new();
    for (parsed, refused_by) in [(&neuron, "neuron"), (&arbor, "arbor")] {
        for diagnostic in parsed
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .take(EVIDENCE_PER_DIALECT)
        {
            let at = position(diagnostic.primary.span);
            dialect_evidence.push(Evidence {
                refused_by,
                line: at.line,
                column: at.column,
                message: diagnostic.message.clone(),
            });
        }
    }

    // The facts come from the tree of a dialect that reads the file, NEURON's when both or neither do.
    let facts: MechanismFacts = if !neuron_reads && arbor_reads {
        mechanism_facts(&arbor.file)
    } else {
        mechanism_facts(&neuron.file)
    };
    let mechanism = facts.declaration.map(|declaration| {
        let at = position(declaration.name.span);
        MechanismReport {
            kind: mechanism_kind_name(declaration.kind),
            name: text(declaration.name.span),
            line: at.line,
            column: at.column,
        }
    });
    let lowerings = lowerings_for(Dialect::Arbor, &arbor.file)
        .into_iter()
        .map(|lowering| {
            let at = position(lowering.span);
            LoweringReport {
                dialect: "arbor",
                line: at.line,
                column: at.column,
                description: lowering.description,
            }
        })
        .collect();

    Inspection {
        mechanism,
        dialect,
        dialect_evidence,
        ions: facts
            .ions
            .iter()
            .map(|ion| IonReport {
                name: text(ion.ion.span),
                read: names(&ion.read),
                write: names(&ion.write),
                valence: ion.valence.map(text),
            })
            .collect(),
        nonspecific_currents: names(&facts.nonspecific_currents),
        electrode_currents: names(&facts.electrode_currents),
        range: names(&facts.ranges),
        global: names(&facts.globals),
        pointer: names(&facts.pointers),
        bbcore_pointer: names(&facts.bbcore_pointers),
        parameters: facts
            .parameters
            .iter()
            .map(|parameter| ParameterReport {
                name: text(parameter.name.span),
                default: parameter.default.map(text),
                unit: parameter.unit.map(|unit| {
                    let unit = text(unit);
                    unit.trim_start_matches('(')
                        .trim_end_matches(')')
                        .trim()
                        .to_string()
                }),
                limits: parameter.limits.map(|(low, high)| (text(low), text(high))),
            })
            .collect(),
        states: names(&facts.states),
        net_receive_arguments: facts.net_receive_arguments.as_ref().map(|arguments| {
            arguments
                .iter()
                .map(|argument| text(argument.name.span))
                .collect()
        }),
        thread_safe: facts.thread_safe,
        includes: facts
            .includes
            .iter()
            .map(|path| text(*path).trim_matches('"').to_string())
            .collect(),
        lowerings,
    }
}

fn has_errors(parse: &Parse) -> bool {
    parse
        .diagnostics
        .iter()
        .any(|diagnostic| diagnostic.is_error())
}

/// The name of a mechanism kind in reports.
pub fn mechanism_kind_name(kind: MechanismKind) -> &'static str {
    match kind {
        MechanismKind::Suffix => "density",
        MechanismKind::PointProcess => "point_process",
        MechanismKind::ArtificialCell => "artificial_cell",
        MechanismKind::VoltageProcess => "voltage_process",
        MechanismKind::JunctionProcess => "junction_process",
    }
}
