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

/// Calls `visit` on each expression written directly in `statement` (not in nested blocks).
pub fn for_each_expression_of<'a>(statement: &'a Statement, visit: &mut dyn FnMut(&'a Expression)) {
    match &statement.kind {
        StatementKind::Assignment { target, value } => {
            visit(target);
            visit(value);
        }
        StatementKind::Expression(expression) => visit(expression),
        StatementKind::Reaction {
            left, right, rates, ..
        } => {
            left.iter().chain(right).for_each(|term| visit(&term.state));
            rates.iter().for_each(visit);
        }
        StatementKind::Equation { left, right } => {
            visit(left);
            visit(right);
        }
        StatementKind::Conserve { left, right } => {
            left.iter().for_each(|term| visit(&term.state));
            visit(right);
        }
        StatementKind::Compartment { arguments, .. }
        | StatementKind::LongitudinalDiffusion { arguments, .. } => {
            arguments.iter().for_each(visit)
        }
        StatementKind::If { condition, .. } | StatementKind::While { condition, .. } => {
            visit(condition)
        }
        StatementKind::From { from, to, by, .. } => {
            visit(from);
            visit(to);
            by.iter().for_each(|by| visit(by));
        }
        StatementKind::Table { from, to, with, .. } => {
            visit(from);
            visit(to);
            visit(with);
        }
        StatementKind::Watch { watches } => watches.iter().for_each(|(condition, flag)| {
            visit(condition);
            visit(flag);
        }),
        _ => {}
    }
}

/// Calls `visit` on `expression` and every expression inside it, outermost first. Recursive: the parser bounds
/// the depth of any expression (see [`crate::syntax::MAXIMUM_NESTING`]).
pub fn for_each_subexpression<'a>(
    expression: &'a Expression,
    visit: &mut dyn FnMut(&'a Expression),
) {
    visit(expression);
    match &expression.kind {
        ExpressionKind::Variable {
            index: Some(index), ..
        } => for_each_subexpression(index, visit),
        ExpressionKind::Call { arguments, .. } => {
            for argument in arguments {
                for_each_subexpression(argument, visit);
            }
        }
        ExpressionKind::Unary { operand, .. } => for_each_subexpression(operand, visit),
        ExpressionKind::Binary { operands, .. } => {
            for_each_subexpression(&operands[0], visit);
            for_each_subexpression(&operands[1], visit);
        }
        ExpressionKind::Parenthesized(inner) => for_each_subexpression(inner, visit),
        _ => {}
    }
}
