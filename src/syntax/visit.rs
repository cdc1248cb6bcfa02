//! Walking the syntax tree: every statement (with how deeply it is nested) and every expression.

use crate::syntax::ast::{
    Block, Expression, ExpressionKind, File, ItemKind, Statement, StatementKind,
};

/// Calls `visit` on every statement of every block of `file`, in source order, with its nesting depth (1 for the
/// statements of a top-level block, 2 inside an `if` branch, and so on).
pub fn for_each_statement<'a>(file: &'a File, visit: &mut dyn FnMut(&'a Statement, usize)) {
    for item in &file.items {
        if let ItemKind::Callable(callable) = &item.kind {
            for_each_statement_in_block(&callable.body, 1, visit);
        }
    }
}

/// Calls `visit` on every statement of `block` and of the blocks inside it.
pub fn for_each_statement_in_block<'a>(
    block: &'a Block,
    depth: usize,
    visit: &mut dyn FnMut(&'a Statement, usize),
) {
    for statement in &block.statements {
        visit_statement(statement, depth, visit);
    }
}

fn visit_statement<'a>(
    statement: &'a Statement,
    depth: usize,
    visit: &mut dyn FnMut(&'a Statement, usize),
) {
    visit(statement, depth);
    match &statement.kind {
        StatementKind::If {
            then_block,
            else_branch,
            ..
        } => {
            for_each_statement_in_block(then_block, depth + 1, visit);
            if let Some(else_branch) = else_branch {
                match &else_branch.kind {
                    // `else if` continues the same chain: same depth as the `if`.
                    StatementKind::If { .. } => visit_statement(else_branch, depth, visit),
                    StatementKind::Block(block) => {
                        for_each_statement_in_block(block, depth + 1, visit)
                    }
                    _ => visit_statement(else_branch, depth + 1, visit),
                }
            }
        }
        StatementKind::While { body, .. }
        | StatementKind::From { body, .. }
        | StatementKind::ForNetcons { body, .. }
        | StatementKind::Initial(body)
        | StatementKind::Block(body) => for_each_statement_in_block(body, depth + 1, visit),
        StatementKind::Solve {
            if_error: Some(block),
            ..
        } => for_each_statement_in_block(block, depth + 1, visit),
        StatementKind::Protect(inner) => visit_statement(inner, depth, visit),
        _ => {}
    }
}

/// The expressions written directly in `statement` (not in nested blocks).
pub fn expressions_of(statement: &Statement) -> Vec<&Expression> {
    match &statement.kind {
        StatementKind::Assignment { target, value } => vec![target, value],
        StatementKind::Expression(expression) => vec![expression],
        StatementKind::Reaction {
            left, right, rates, ..
        } => left
            .iter()
            .chain(right)
            .map(|term| &term.state)
            .chain(rates)
            .collect(),
        StatementKind::Equation { left, right } => vec![left, right],
        StatementKind::Conserve { left, right } => {
            left.iter().map(|term| &term.state).chain([right]).collect()
        }
        StatementKind::Compartment { arguments, .. }
        | StatementKind::LongitudinalDiffusion { arguments, .. } => arguments.iter().collect(),
        StatementKind::If { condition, .. } | StatementKind::While { condition, .. } => {
            vec![condition]
        }
        StatementKind::From { from, to, by, .. } => [Some(from), Some(to), by.as_ref()]
            .into_iter()
            .flatten()
            .collect(),
        StatementKind::Table { from, to, with, .. } => vec![from, to, with],
        StatementKind::Watch { watches } => watches.iter().flat_map(|(a, b)| [a, b]).collect(),
        _ => Vec::new(),
    }
}

/// Calls `visit` on `expression` and every expression inside it. Iterative, so any depth is safe.
pub fn for_each_subexpression<'a>(
    expression: &'a Expression,
    visit: &mut dyn FnMut(&'a Expression),
) {
    let mut pending = vec![expression];
    while let Some(expression) = pending.pop() {
        visit(expression);
        match &expression.kind {
            ExpressionKind::Variable {
                index: Some(index), ..
            } => pending.push(index),
            ExpressionKind::Call { arguments, .. } => pending.extend(arguments.iter().rev()),
            ExpressionKind::Unary { operand, .. } => pending.push(operand),
            ExpressionKind::Binary { left, right, .. } => {
                pending.push(right);
                pending.push(left);
            }
            ExpressionKind::Parenthesized(inner) => pending.push(inner),
            _ => {}
        }
    }
}
