//! What nocmodl (NEURON 9) refuses that the shared grammar reads.

use super::Findings;
use crate::span::Span;
use crate::syntax::ast::{
    CallableKind, DeclarationBlock, ExpressionKind, File, ItemKind, MechanismKind,
    NeuronStatementKind, StatementKind, UnaryOperator, UseIon,
};
use crate::syntax::token::{TokenKind, Tokens};
use crate::syntax::visit::{for_each_expression_of, for_each_statement, for_each_subexpression};

/// nocmodl's line buffer holds 512 bytes with the line break: longer lines are refused.
const LONGEST_LINE: usize = 511;

/// Integration method names, reserved words in nocmodl.
const METHOD_NAMES: &[&str] = &[
    "after_cvode",
    "cnexp",
    "cvode_t",
    "cvode_t_v",
    "derivimplicit",
    "euler",
    "newton",
    "runge",
    "simeq",
    "sparse",
];

pub(super) fn check(tokens: &Tokens, file: &File, findings: &mut Findings<'_>) {
    check_tokens(tokens, file, findings);
    check_items(file, findings);
    check_statements(file, findings);
}

fn check_tokens(tokens: &Tokens, file: &File, findings: &mut Findings<'_>) {
    let declaration_blocks: Vec<Span> = file
        .items
        .iter()
        .filter(|item| {
            matches!(
                item.kind,
                ItemKind::Neuron { .. } | ItemKind::Units { .. } | ItemKind::Declarations { .. }
            )
        })
        .map(|item| item.span)
        .collect();
    let inside_item = |span: Span| {
        file.items
            .iter()
            .any(|item| item.span.start < span.start && span.end <= item.span.end)
    };
    // Most files are pure ASCII: one vectorised pass spares the per-token test.
    let all_ascii = findings.source.is_ascii();
    for token in tokens {
        match token.kind {
            TokenKind::Name | TokenKind::PrimedName
                if findings.source[token.span.start as usize] == b'_' =>
            {
                findings.not_in_dialect(
                    token.span,
                    "a name starting with `_`",
                    Some("NEURON names start with a letter"),
                )
            }
            TokenKind::Apostrophe => findings.refused(
                token.span,
                "a prime must follow its name directly in NEURON (`m'`, not `m '`)".to_string(),
                None,
            ),
            TokenKind::ByteOrderMark => findings.refused(
                token.span,
                "nocmodl refuses the byte order mark at the start of the file (non-ASCII bytes)"
                    .to_string(),
                Some("save the file without a byte order mark"),
            ),
            TokenKind::KwUnitsOn | TokenKind::KwUnitsOff
                if declaration_blocks
                    .iter()
                    .any(|block| block.start < token.span.start && token.span.end <= block.end) =>
            {
                findings.refused(
                    token.span,
                    "nocmodl takes UNITSON/UNITSOFF only at the top level and among statements"
                        .to_string(),
                    Some("move it before or after the block"),
                );
            }
            TokenKind::CommentBlock
                if declaration_blocks
                    .iter()
                    .any(|block| block.start < token.span.start && token.span.end <= block.end) =>
            {
                findings.refused(
                    Span::new(token.span.start as usize, token.span.start as usize + 7),
                    "nocmodl takes COMMENT blocks only at the top level and among statements, not in declaration blocks"
                        .to_string(),
                    Some("move the COMMENT block out of the block, or use `:` comments"),
                );
            }
            _ => {}
        }
        // Bytes above 127 are refused everywhere but in top-level COMMENT blocks (unknown tokens are reported
        // by the lexer already).
        if all_ascii {
            continue;
        }
        let may_hold_non_ascii = token.kind == TokenKind::Unknown
            || (token.kind == TokenKind::CommentBlock && !inside_item(token.span))
            || token.kind == TokenKind::ByteOrderMark
            || token.kind == TokenKind::IgnoredTail;
        let text = token.span.slice(findings.source);
        if !may_hold_non_ascii && !text.is_ascii() {
            if let Some(offset) = text.iter().position(|byte| !byte.is_ascii()) {
                let at = token.span.start as usize + offset;
                findings.refused(
                    Span::new(at, at + 1),
                    "nocmodl refuses bytes above 127 outside top-level COMMENT blocks".to_string(),
                    Some(
                        "write the text in ASCII, or move it into a COMMENT block at the top level",
                    ),
                );
            }
        }
    }
    check_line_lengths(tokens, &inside_item, findings);
}

/// nocmodl reads lines into a 512-byte buffer; only top-level COMMENT blocks are read another way.
fn check_line_lengths(
    tokens: &Tokens,
    inside_item: &dyn Fn(Span) -> bool,
    findings: &mut Findings<'_>,
) {
    let source = findings.source;
    let end_of_text = tokens
        .iter()
        .find(|token| token.kind == TokenKind::IgnoredTail)
        .map_or(source.len(), |token| token.span.start as usize);
    let mut line_start = 0;
    while line_start < end_of_text {
        let line_end = line_start
            + memchr::memchr2(b'\n', b'\r', &source[line_start..end_of_text])
                .unwrap_or(end_of_text - line_start);
        if line_end - line_start > LONGEST_LINE {
            let index = tokens.partition_point(|token| token.span.end as usize <= line_start);
            let in_top_level_comment = tokens.get(index).is_some_and(|token| {
                token.kind == TokenKind::CommentBlock
                    && line_end <= token.span.end as usize
                    && !inside_item(token.span)
            });
            if !in_top_level_comment {
                findings.refused(
                    Span::new(line_start, line_end),
                    format!(
                        "this line has {} characters; nocmodl refuses lines longer than {LONGEST_LINE}",
                        line_end - line_start
                    ),
                    Some("break the line"),
                );
            }
        }
        line_start = line_end + 1;
        if source.get(line_end) == Some(&b'\r') && source.get(line_end + 1) == Some(&b'\n') {
            line_start += 1;
        }
    }
}

fn check_items(file: &File, findings: &mut Findings<'_>) {
    for item in &file.items {
        match &item.kind {
            ItemKind::Neuron { statements, .. } => {
                for statement in statements {
                    if let NeuronStatementKind::UseIon(use_ion) = &statement.kind {
                        check_use_ion(use_ion, findings);
                    }
                    if let NeuronStatementKind::Mechanism {
                        kind:
                            kind @ (MechanismKind::VoltageProcess | MechanismKind::JunctionProcess),
                        ..
                    } = statement.kind
                    {
                        let what = if kind == MechanismKind::VoltageProcess {
                            "`VOLTAGE_PROCESS`"
                        } else {
                            "`JUNCTION_PROCESS`"
                        };
                        findings.not_in_dialect(
                            statement.span,
                            what,
                            Some("use `SUFFIX` for NEURON"),
                        );
                    }
                }
            }
            ItemKind::Declarations {
                block: DeclarationBlock::WhiteNoise,
                ..
            } => findings.not_in_dialect(item.span, "a `WHITE_NOISE` block", None),
            ItemKind::Declarations { declarations, .. } => {
                for declaration in declarations {
                    check_not_method_name(declaration.name.span, findings);
                }
            }
            ItemKind::Local { names } => {
                for declaration in names {
                    check_not_method_name(declaration.name.span, findings);
                }
            }
            ItemKind::Callable(callable) => {
                if callable.kind == CallableKind::PostEvent {
                    findings.not_in_dialect(item.span, "a `POST_EVENT` block", None);
                }
                for argument in &callable.arguments {
                    check_not_method_name(argument.name.span, findings);
                }
                check_local_first(&callable.body.statements, findings);
            }
            _ => {}
        }
    }
}

/// nocmodl reads `USEION ion [READ list] [WRITE list] [VALENCE number]`: the clauses in that order, once each,
/// and a number for the valence (modcc also takes them in any order, and a name for the valence).
fn check_use_ion(use_ion: &UseIon, findings: &mut Findings<'_>) {
    if let Some(keyword) = use_ion.misordered {
        findings.refused(
            keyword,
            "nocmodl takes one READ list, then one WRITE list".to_string(),
            Some("merge the lists: `USEION ion READ a, b WRITE c`"),
        );
    }
    if let Some(valence) = use_ion.valence {
        if findings
            .text(valence)
            .starts_with(|character: char| character.is_ascii_alphabetic())
        {
            findings.refused(
                valence,
                "nocmodl takes only a number as the valence".to_string(),
                Some("write the ion's charge, e.g. `VALENCE 2`"),
            );
        }
    }
}

/// nocmodl takes one LOCAL statement per block, as its first statement.
fn check_local_first(statements: &[crate::syntax::ast::Statement], findings: &mut Findings<'_>) {
    for (index, statement) in statements.iter().enumerate() {
        if index > 0 && matches!(statement.kind, StatementKind::Local { .. }) {
            findings.refused(
                statement.span,
                "nocmodl takes `LOCAL` only as the first statement of a block".to_string(),
                Some("move the names into the block's first LOCAL statement"),
            );
        }
    }
}

fn check_not_method_name(span: Span, findings: &mut Findings<'_>) {
    let bytes = span.slice(findings.source);
    if METHOD_NAMES.iter().any(|method| method.as_bytes() == bytes) {
        let text = findings.text(span).into_owned();
        findings.refused(
            span,
            format!("`{text}` is an integration method, a reserved word in nocmodl"),
            Some("choose another name"),
        );
    }
}

fn check_statements(file: &File, findings: &mut Findings<'_>) {
    let mut nested_blocks = Vec::new();
    for_each_statement(file, &mut |statement, _depth| {
        match &statement.kind {
            StatementKind::Solve {
                method: Some(method),
                ..
            } => {
                let text = findings.text(method.span).into_owned();
                if !METHOD_NAMES.contains(&text.as_str()) {
                    findings.refused(
                        method.span,
                        format!("nocmodl has no integration method `{text}`"),
                        Some("use `cnexp`, `derivimplicit`, `euler`, `runge` or `sparse`"),
                    );
                }
            }
            StatementKind::Local { names } => {
                for declaration in names {
                    check_not_method_name(declaration.name.span, findings);
                }
            }
            StatementKind::From { by: Some(by), .. }
                if matches!(by.kind, ExpressionKind::Unary { .. }) =>
            {
                findings.refused(
                    by.span,
                    "nocmodl takes no sign before the step of a FROM loop".to_string(),
                    Some("count upwards, or compute the index from a rising counter"),
                );
            }
            _ => {}
        }
        match &statement.kind {
            StatementKind::If {
                then_block,
                else_branch,
                ..
            } => {
                nested_blocks.push(then_block.statements.as_slice());
                if let Some(else_branch) = else_branch {
                    if let StatementKind::Block(block) = &else_branch.kind {
                        nested_blocks.push(block.statements.as_slice());
                    }
                }
            }
            StatementKind::While { body, .. }
            | StatementKind::From { body, .. }
            | StatementKind::ForNetcons { body, .. }
            | StatementKind::Initial(body)
            | StatementKind::Block(body) => nested_blocks.push(body.statements.as_slice()),
            _ => {}
        }
        for_each_expression_of(statement, &mut |expression| {
            for_each_subexpression(expression, &mut |expression| match &expression.kind {
                ExpressionKind::Unary {
                    operator: UnaryOperator::Plus,
                    ..
                } => findings.refused(
                    Span::new(
                        expression.span.start as usize,
                        expression.span.start as usize + 1,
                    ),
                    "nocmodl has no unary `+`".to_string(),
                    Some("remove the `+`"),
                ),
                ExpressionKind::Variable { name, .. } => check_not_method_name(name.span, findings),
                _ => {}
            });
        });
    });
    for statements in nested_blocks {
        check_local_first(statements, findings);
    }
}
