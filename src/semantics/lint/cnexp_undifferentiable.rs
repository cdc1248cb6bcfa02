//! A113: a derivative equation solved with `cnexp` that modcc's symbolic differentiator cannot read.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::ast::{
    BinaryOperator, CallableKind, Expression, ExpressionKind, StatementKind, UnaryOperator,
};
use crate::syntax::visit::{
    for_each_statement, for_each_statement_in_block, for_each_subexpression,
};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "A113",
    name: "cnexp-undifferentiable",
    severity: Severity::Error,
    dialects: &[Dialect::Arbor],
    documentation: "## What it does
Finds a derivative equation `m' = …` in a DERIVATIVE block solved with `METHOD cnexp` whose right side involves
a state the block integrates and holds, outside the arguments of a FUNCTION call, a comparison (`<`, `>`, `==` …), `&&`, `||`, `!`, or one of
modcc's builtins `min`, `max`, `fabs`, `exprelr`, `safeinv`, `tanh`, `sigmoid`.

## Why it matters
modcc refuses the file: \"symbolic differential of unrecognized binary expression\" (or \"unary\"), then \"CNExp:
Could not determine linearity\". To integrate `m' = a*m + b` exactly, `cnexp` differentiates the right side with
respect to `m`; its differentiator knows `+ - * / ^`, `exp`, `log`, `sin`, `cos`, `sqrt`, the `step` functions
and `signum`, and treats a FUNCTION call as opaque. nocmodl accepts such an equation with `cnexp` (a comparison
outside a call makes it abort instead: N116).

## Example
```
DERIVATIVE states {
    m' = (minf - m)/mtau*(v > -40)
}
```

## Fix
Compute the factor before the equation (`LOCAL open` … `open = step(v + 40)`), use `step` instead of a comparison,
or move the expression into a FUNCTION.
",
    check,
};

/// modcc's builtins its differentiator does not know (`exprelr`, `fabs` and `max` were checked on modcc 0.12.2).
const UNDIFFERENTIABLE_BUILTINS: &[&str] = &[
    "min", "max", "fabs", "exprelr", "safeinv", "tanh", "sigmoid",
];

/// modcc's builtins its differentiator knows; it descends into their arguments.
const DIFFERENTIABLE_BUILTINS: &[&str] = &[
    "exp",
    "log",
    "sin",
    "cos",
    "sqrt",
    "step",
    "step_right",
    "step_left",
    "signum",
];

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let mut solved_with_cnexp = Vec::new();
    for_each_statement(&context.parse.file, &mut |statement, _depth| {
        if let StatementKind::Solve {
            name,
            method: Some(method),
            ..
        } = &statement.kind
        {
            if method.span.slice(context.source) == b"cnexp" {
                solved_with_cnexp.push(name.span.slice(context.source));
            }
        }
    });
    let mut findings = Vec::new();
    for (_, callable) in context.callables_of(CallableKind::Derivative) {
        if !callable
            .name
            .is_some_and(|name| solved_with_cnexp.contains(&name.span.slice(context.source)))
        {
            continue;
        }
        // The states the block integrates: modcc differentiates each equation with respect to each of them.
        let mut states = Vec::new();
        for_each_statement_in_block(&callable.body, 1, &mut |statement, _depth| {
            if let StatementKind::Assignment { target, .. } = &statement.kind {
                if let ExpressionKind::Variable { name, .. } = &target.kind {
                    if context.is_derivative(target) {
                        states.push(context.name_text(name));
                    }
                }
            }
        });
        for_each_statement_in_block(&callable.body, 1, &mut |statement, _depth| {
            let StatementKind::Assignment { target, value } = &statement.kind else {
                return;
            };
            let ExpressionKind::Variable { name, .. } = &target.kind else {
                return;
            };
            if !context.is_derivative(target) || !involves(context, value, &states) {
                return;
            }
            let state = context.name_text(name);
            if let Some(unreadable) = undifferentiable_part(context, value) {
                findings.push(
                    rule.finding(
                        format!(
                            "modcc's `cnexp` cannot differentiate `{}` in the equation of `{state}`",
                            context.text(unreadable)
                        ),
                        unreadable,
                        "not something modcc's differentiator knows".to_string(),
                    )
                    .with_help("compute it before the equation, use `step` for a comparison, or call a FUNCTION"),
                );
            }
        });
    }
    findings
}

/// Whether `expression` names one of `states` anywhere (inside calls too).
fn involves(context: &LintContext<'_>, expression: &Expression, states: &[String]) -> bool {
    let mut found = false;
    for_each_subexpression(expression, &mut |inner| {
        if let ExpressionKind::Variable { name, .. } = &inner.kind {
            found |= states.contains(&context.name_text(name));
        }
    });
    found
}

/// The first part of `expression` modcc's differentiator refuses, not looking inside the arguments of FUNCTIONs.
fn undifferentiable_part(context: &LintContext<'_>, expression: &Expression) -> Option<Span> {
    match &expression.kind {
        ExpressionKind::Binary { operator, operands } => match operator {
            BinaryOperator::Add
            | BinaryOperator::Subtract
            | BinaryOperator::Multiply
            | BinaryOperator::Divide
            | BinaryOperator::Power => undifferentiable_part(context, &operands[0])
                .or_else(|| undifferentiable_part(context, &operands[1])),
            _ => Some(expression.span),
        },
        ExpressionKind::Unary {
            operator: UnaryOperator::Not,
            ..
        } => Some(expression.span),
        ExpressionKind::Unary { operand, .. } | ExpressionKind::Parenthesized(operand) => {
            undifferentiable_part(context, operand)
        }
        ExpressionKind::Call { name, arguments } => {
            let called = context.text(name.span);
            if UNDIFFERENTIABLE_BUILTINS.contains(&called.as_ref()) {
                Some(expression.span)
            } else if DIFFERENTIABLE_BUILTINS.contains(&called.as_ref()) {
                arguments
                    .iter()
                    .find_map(|argument| undifferentiable_part(context, argument))
            } else {
                None
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::finds;
    use crate::syntax::Dialect;

    fn refused(equation: &str, method: &str) -> bool {
        let source = format!(
            "NEURON {{ SUFFIX c }}\nSTATE {{ m }}\nPARAMETER {{ tau = 1 (ms) }}\nBREAKPOINT {{\n    SOLVE s METHOD {method}\n}}\nDERIVATIVE s {{\n    m' = {equation}\n}}\n"
        );
        finds("A113", &source, Dialect::Arbor)
    }

    #[test]
    fn cnexp_refuses_what_its_differentiator_cannot_read() {
        // As modcc 0.12.2 treated each.
        assert!(refused("(1 - m)/tau*(v > 0)", "cnexp"));
        assert!(refused("-m/tau + (v > 0)", "cnexp"));
        assert!(refused("exprelr(m) - m", "cnexp"));
        assert!(refused("-m/tau + fabs(v)", "cnexp"));
        assert!(refused("-m*max(v, 1)", "cnexp"));
        assert!(!refused("(v > 0)", "cnexp"));
        assert!(!refused("-m/tau + step(v)", "cnexp"));
        assert!(!refused("-m^2", "cnexp"));
        assert!(!refused("-m/tau*(v > 0)", "sparse"));
        // modcc differentiates with respect to every state of the block (arbor's test bug-1893-bad).
        let two_states = "NEURON { SUFFIX c }\nSTATE { c r }\nBREAKPOINT {\n    SOLVE s METHOD cnexp\n}\nDERIVATIVE s {\n    c' = -c\n    r' = c > 0\n}\n";
        assert!(finds("A113", two_states, Dialect::Arbor));
    }
}
