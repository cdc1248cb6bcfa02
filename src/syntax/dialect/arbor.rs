//! What modcc (Arbor 0.12) refuses that the shared grammar reads: NEURON-only constructs, and modcc's own rules
//! about lines (lists, units and reactions end on their line; calls and SOLVE end their line).

use super::Findings;
use crate::span::Span;
use crate::syntax::ast::{
    DeclarationBlock, ExpressionKind, File, ItemKind, MechanismKind, NameListKind,
    NeuronStatementKind, ReactionArrow, StatementKind, UnaryOperator,
};
use crate::syntax::token::{TokenKind, Tokens};
use crate::syntax::visit::{for_each_expression_of, for_each_statement, for_each_subexpression};

/// The integration methods modcc 0.12 knows.
const ARBOR_METHODS: &[&str] = &["cnexp", "sparse", "stochastic"];

/// Words modcc reserves (its builtin functions and solver names): they cannot name a variable.
const RESERVED_WORDS: &[&str] = &[
    "cnexp",
    "cos",
    "exp",
    "exprelr",
    "fabs",
    "log",
    "max",
    "min",
    "safeinv",
    "signum",
    "sin",
    "sparse",
    "sqrt",
    "step",
    "step_left",
    "step_right",
    "stochastic",
    "tanh",
];

pub(super) fn check(tokens: &Tokens, file: &File, findings: &mut Findings<'_>) {
    check_tokens(tokens, findings);
    check_items(file, findings);
    check_statements(tokens, file, findings);
}

fn check_tokens(tokens: &Tokens, findings: &mut Findings<'_>) {
    for token in tokens {
        let text = token.span.slice(findings.source);
        match token.kind {
            TokenKind::At
            | TokenKind::LeftBracket
            | TokenKind::RightBracket
            | TokenKind::Semicolon => {
                let shown = findings.text(token.span).into_owned();
                let help = if token.kind == TokenKind::LeftBracket {
                    Some("Arbor has no arrays")
                } else {
                    None
                };
                findings.refused(
                    token.span,
                    format!("modcc knows no character `{shown}`"),
                    help,
                );
            }
            TokenKind::String => findings.not_in_dialect(token.span, "a string", None),
            TokenKind::ByteOrderMark => findings.refused(
                token.span,
                "modcc refuses the byte order mark at the start of the file".to_string(),
                Some("save the file without a byte order mark"),
            ),
            TokenKind::Newline if text == b"\r" => findings.refused(
                token.span,
                "modcc refuses a carriage return not followed by a line feed".to_string(),
                Some("use LF or CRLF line endings"),
            ),
            TokenKind::PrimedName if text.ends_with(b"''") => findings.refused(
                token.span,
                "modcc takes first derivatives only (one prime)".to_string(),
                Some("write the second-order equation as two first-order ones"),
            ),
            TokenKind::Unit => check_unit_text(token.span, findings),
            TokenKind::TitleText => check_title_text(token.span, findings),
            _ => {}
        }
    }
}

/// modcc reads a unit as names, numbers (`1e-3` included) and `/` only.
fn check_unit_text(span: Span, findings: &mut Findings<'_>) {
    let text = span.slice(findings.source);
    let inner = &text[1..text.len().saturating_sub(1)];
    if let Some(offset) = first_byte_outside_unit_words(inner) {
        let at = span.start as usize + 1 + offset;
        findings.refused(
            Span::new(at, at + 1),
            format!(
                "modcc reads units made of names, numbers and `/` only, not `{}`",
                inner[offset] as char
            ),
            Some("drop the unit or simplify it, e.g. `(/mM-ms)` to `(/mM/ms)`"),
        );
    }
}

fn first_byte_outside_unit_words(inner: &[u8]) -> Option<usize> {
    let mut index = 0;
    while index < inner.len() {
        let byte = inner[index];
        if byte.is_ascii_digit() || byte == b'.' {
            // A number, with an optional exponent whose sign is part of it.
            while index < inner.len() && (inner[index].is_ascii_digit() || inner[index] == b'.') {
                index += 1;
            }
            if index + 1 < inner.len() && matches!(inner[index], b'e' | b'E') {
                let sign = usize::from(matches!(inner[index + 1], b'+' | b'-'));
                if inner.get(index + 1 + sign).is_some_and(u8::is_ascii_digit) {
                    index += 1 + sign;
                    while index < inner.len() && inner[index].is_ascii_digit() {
                        index += 1;
                    }
                }
            }
        } else if byte.is_ascii_alphabetic() || byte == b'_' {
            while index < inner.len()
                && (inner[index].is_ascii_alphanumeric() || inner[index] == b'_')
            {
                index += 1;
            }
        } else if matches!(byte, b'/' | b' ' | b'\t') {
            index += 1;
        } else {
            return Some(index);
        }
    }
    None
}

/// modcc tokenizes the TITLE line, so every character must be one it knows; `:` starts a comment.
fn check_title_text(span: Span, findings: &mut Findings<'_>) {
    let text = span.slice(findings.source);
    let mut index = 0;
    while index < text.len() {
        let byte = text[index];
        match byte {
            b':' | b'?' => return,
            b'&' | b'|' if text.get(index + 1) == Some(&byte) => index += 1,
            byte if byte.is_ascii_alphanumeric()
                || matches!(
                    byte,
                    b'_' | b'.'
                        | b'('
                        | b')'
                        | b'{'
                        | b'}'
                        | b','
                        | b'\''
                        | b'='
                        | b'+'
                        | b'-'
                        | b'*'
                        | b'/'
                        | b'^'
                        | b'<'
                        | b'>'
                        | b'!'
                        | b'~'
                        | b' '
                        | b'\t'
                ) => {}
            _ => {
                let at = span.start as usize + index;
                findings.refused(
                    Span::new(at, at + 1),
                    "modcc reads the TITLE line as code, and knows no such character".to_string(),
                    Some("remove the character from the title, or put the title in a `:` comment"),
                );
                return;
            }
        }
        index += 1;
    }
}

fn check_reserved(span: Span, findings: &mut Findings<'_>) {
    let bytes = span.slice(findings.source);
    if RESERVED_WORDS.iter().any(|word| word.as_bytes() == bytes) {
        let text = findings.text(span).into_owned();
        findings.refused(
            span,
            format!("`{text}` is a builtin of modcc and cannot be used as a name"),
            Some("choose another name"),
        );
    }
}

fn check_items(file: &File, findings: &mut Findings<'_>) {
    for item in &file.items {
        match &item.kind {
            ItemKind::Verbatim => findings.not_in_dialect(item.span, "a `VERBATIM` block", None),
            ItemKind::Include { .. } => findings.not_in_dialect(item.span, "`INCLUDE`", None),
            ItemKind::Define { .. } => findings.not_in_dialect(item.span, "`DEFINE`", None),
            ItemKind::Local { .. } => findings.not_in_dialect(
                item.span,
                "a top-level `LOCAL`",
                Some("declare the variable in ASSIGNED, or LOCAL inside the block that uses it"),
            ),
            ItemKind::FunctionTable { .. } => {
                findings.not_in_dialect(item.span, "`FUNCTION_TABLE`", None)
            }
            ItemKind::Declarations {
                block: DeclarationBlock::Independent,
                ..
            } => findings.not_in_dialect(
                item.span,
                "an `INDEPENDENT` block",
                Some("remove it: Arbor's time is `t`"),
            ),
            ItemKind::Declarations { declarations, .. } => {
                for declaration in declarations {
                    check_reserved(declaration.name.span, findings);
                    if let Some(unit) = declaration.unit {
                        if findings.line_break_between(declaration.name.span.start, unit.start) {
                            findings.refused(
                                unit,
                                "modcc takes a declaration's unit only on the declaration's line"
                                    .to_string(),
                                Some("move the unit up to the line of the name"),
                            );
                        }
                    }
                }
            }
            ItemKind::Units { definitions } => {
                for definition in definitions {
                    let left_is_unit =
                        findings.source.get(definition.left.start as usize) == Some(&b'(');
                    if !left_is_unit || definition.right.len() != 1 {
                        findings.refused(
                            definition.span,
                            "modcc's UNITS block takes only `(name) = (definition)` pairs".to_string(),
                            Some("replace a named constant like `FARADAY = (faraday) (coulomb)` by its value"),
                        );
                    }
                }
            }
            ItemKind::Neuron { statements, .. } => {
                for statement in statements {
                    check_neuron_statement(statement, findings);
                }
            }
            ItemKind::Callable(callable) => {
                if let Some(name) = callable.name {
                    check_reserved(name.span, findings);
                }
                for argument in &callable.arguments {
                    check_reserved(argument.name.span, findings);
                }
            }
            _ => {}
        }
    }
}

fn check_neuron_statement(
    statement: &crate::syntax::ast::NeuronStatement,
    findings: &mut Findings<'_>,
) {
    if let NeuronStatementKind::Mechanism { name, .. } = &statement.kind {
        // modcc reads a builtin's name as a keyword, also where a mechanism's name should be.
        check_reserved(name.span, findings);
    }
    match &statement.kind {
        NeuronStatementKind::Mechanism {
            kind: MechanismKind::ArtificialCell,
            ..
        } => findings.not_in_dialect(
            statement.span,
            "`ARTIFICIAL_CELL`",
            Some("use `POINT_PROCESS`"),
        ),
        NeuronStatementKind::NameList { list, .. } => {
            let unsupported = match list {
                NameListKind::Pointer => Some("`POINTER`"),
                NameListKind::BbcorePointer => Some("`BBCOREPOINTER`"),
                NameListKind::ElectrodeCurrent => Some("`ELECTRODE_CURRENT`"),
                NameListKind::External => Some("`EXTERNAL`"),
                NameListKind::Random => Some("`RANDOM`"),
                NameListKind::Section => Some("`SECTION`"),
                NameListKind::NonspecificCurrent | NameListKind::Range | NameListKind::Global => {
                    None
                }
            };
            if let Some(what) = unsupported {
                findings.not_in_dialect(statement.span, what, None);
            }
        }
        NeuronStatementKind::Verbatim => {
            findings.not_in_dialect(statement.span, "a `VERBATIM` block", None)
        }
        NeuronStatementKind::Represents { .. } => {
            findings.not_in_dialect(statement.span, "`REPRESENTS`", None)
        }
        _ => {}
    }
    // A list of names ends at the end of its line; USEION's READ and WRITE clauses may start new lines.
    let lists: Vec<(Span, &[crate::syntax::ast::Name])> = match &statement.kind {
        NeuronStatementKind::NameList { names, .. } | NeuronStatementKind::ThreadSafe { names } => {
            vec![(statement.span, names.as_slice())]
        }
        NeuronStatementKind::UseIon(use_ion) => [use_ion.read.as_slice(), use_ion.write.as_slice()]
            .into_iter()
            .filter_map(|names| names.first().map(|first| (first.span, names)))
            .collect(),
        _ => Vec::new(),
    };
    for (start, names) in lists {
        let mut previous_end = start.start;
        for name in names {
            if findings.line_break_between(previous_end, name.span.start) {
                findings.refused(
                    name.span,
                    "modcc ends a NEURON block list at the end of its line".to_string(),
                    Some("put the whole list on one line, or repeat the keyword on the next line"),
                );
                break;
            }
            previous_end = name.span.end;
        }
    }
}

fn check_statements(tokens: &Tokens, file: &File, findings: &mut Findings<'_>) {
    for_each_statement(file, &mut |statement, depth| {
        match &statement.kind {
            StatementKind::Verbatim => {
                findings.not_in_dialect(statement.span, "a `VERBATIM` block", None)
            }
            StatementKind::While { .. } => {
                findings.not_in_dialect(statement.span, "a `while` loop", None)
            }
            StatementKind::From { .. } => {
                findings.not_in_dialect(statement.span, "a `FROM` loop", None)
            }
            StatementKind::Table { .. } => findings.not_in_dialect(
                statement.span,
                "a `TABLE` statement",
                Some("remove it: modcc computes rates directly"),
            ),
            StatementKind::Watch { .. } => {
                findings.not_in_dialect(statement.span, "a `WATCH` statement", None)
            }
            StatementKind::Protect(_) => findings.not_in_dialect(statement.span, "`PROTECT`", None),
            StatementKind::MutexLock | StatementKind::MutexUnlock => {
                findings.not_in_dialect(statement.span, "`MUTEXLOCK`/`MUTEXUNLOCK`", None)
            }
            StatementKind::Lag { .. } => findings.not_in_dialect(statement.span, "`LAG`", None),
            StatementKind::ForNetcons { .. } => {
                findings.not_in_dialect(statement.span, "`FOR_NETCONS`", None)
            }
            StatementKind::LongitudinalDiffusion { .. } => {
                findings.not_in_dialect(statement.span, "`LONGITUDINAL_DIFFUSION`", None)
            }
            StatementKind::Reaction {
                arrow, arrow_span, ..
            } => {
                match arrow {
                    ReactionArrow::Flux => {
                        findings.not_in_dialect(*arrow_span, "a `<<` reaction", None);
                        if let Some(edits) = flux_as_reaction(statement) {
                            findings
                                .with_fix_on_last("write the flux as `~ x <-> (0, flux)`", edits);
                        }
                    }
                    ReactionArrow::Forward => {
                        findings.not_in_dialect(*arrow_span, "a `->` reaction", None)
                    }
                    ReactionArrow::Reversible => {}
                }
                if findings.line_break_between(statement.span.start, arrow_span.start) {
                    findings.refused(
                        *arrow_span,
                        "modcc reads a reaction's arrow only on the line of its `~`".to_string(),
                        Some("join the reaction into one line"),
                    );
                }
            }
            StatementKind::Local { names } => {
                if depth > 1 {
                    findings.refused(
                        statement.span,
                        "modcc takes `LOCAL` only at the top of a block, not inside `if` branches"
                            .to_string(),
                        Some("declare the variable in the enclosing block"),
                    );
                }
                for declaration in names {
                    check_reserved(declaration.name.span, findings);
                }
            }
            // Without a METHOD, modcc's parser takes `SOLVE x` alone on its line; its solver then refuses a
            // derivative equation or a reaction in the block (lint A111), a semantic error.
            StatementKind::Solve { method, .. } => {
                if let Some(method) = method {
                    let text = findings.text(method.span).into_owned();
                    if !ARBOR_METHODS.contains(&text.as_str()) {
                        findings.refused(
                            method.span,
                            format!("modcc has no integration method `{text}`"),
                            Some("use `cnexp` (DERIVATIVE), `sparse` (KINETIC) or `stochastic`"),
                        );
                    }
                }
                check_ends_line(tokens, statement.span, "a SOLVE statement", findings);
            }
            StatementKind::Expression(_) => {
                check_ends_line(tokens, statement.span, "a call", findings)
            }
            _ => {}
        }
        if let StatementKind::Assignment { target, .. } = &statement.kind {
            if let ExpressionKind::Variable { name, .. } = &target.kind {
                check_reserved(name.span, findings);
            }
        }
        let mut check_expression = |expression| {
            for_each_subexpression(expression, &mut |expression| match &expression.kind {
                ExpressionKind::Number { unit: Some(unit) } => findings.refused(
                    *unit,
                    "modcc takes no unit after a number in an expression".to_string(),
                    Some("remove the unit"),
                ),
                ExpressionKind::Unary {
                    operator: UnaryOperator::Not,
                    ..
                } => findings.refused(
                    Span::new(
                        expression.span.start as usize,
                        expression.span.start as usize + 1,
                    ),
                    "modcc has no logical not `!`".to_string(),
                    Some("invert the comparison instead"),
                ),
                ExpressionKind::Variable { name, .. }
                    if findings.text(name.span).contains('\'') =>
                {
                    findings.refused(
                        name.span,
                        "modcc takes a derivative `x'` only as the target of an assignment"
                            .to_string(),
                        None,
                    )
                }
                _ => {}
            });
        };
        match &statement.kind {
            StatementKind::Assignment { value, .. } => check_expression(value),
            _ => for_each_expression_of(statement, &mut check_expression),
        }
    });
}

/// Whether `name` names a LINEAR block, which modcc solves without a METHOD.
/// The edits that write a flux `~ x << (f)` as the reaction `~ x <-> (0, f)`, which modcc reads: a reaction from `x`
/// to nothing, forward rate 0, backward rate `f`, which adds `f` to `x'` as the flux did. `None` for anything else.
pub fn flux_as_reaction(
    statement: &crate::syntax::ast::Statement,
) -> Option<Vec<crate::span::TextEdit>> {
    match &statement.kind {
        StatementKind::Reaction {
            arrow: ReactionArrow::Flux,
            arrow_span,
            right,
            rates,
            ..
        } if right.is_empty() && rates.len() == 1 => Some(vec![
            crate::span::TextEdit {
                span: *arrow_span,
                replacement: "<->".to_string(),
            },
            crate::span::TextEdit {
                span: Span::empty_at(rates[0].span.start as usize),
                replacement: "0, ".to_string(),
            },
        ]),
        _ => None,
    }
}

/// modcc wants a line break after a call statement and after SOLVE.
fn check_ends_line(tokens: &Tokens, span: Span, what: &str, findings: &mut Findings<'_>) {
    let after = tokens.partition_point(|token| token.span.start < span.end);
    let next = tokens
        .iter_from(after)
        .find(|token| !token.kind.is_trivia() || token.kind == TokenKind::Newline);
    if let Some(next) = next {
        if next.kind != TokenKind::Newline {
            findings.refused(
                next.span,
                format!("modcc needs {what} to end its line"),
                Some("start a new line here"),
            );
        }
    }
}
