//! A111: `SOLVE x` without METHOD, where `x` holds derivative equations or reactions modcc then cannot integrate.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::ast::{CallableKind, StatementKind};
use crate::syntax::visit::{for_each_statement, for_each_statement_in_block};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "A111",
    name: "solve-without-method",
    severity: Severity::Error,
    dialects: &[Dialect::Arbor],
    documentation: "## What it does
Finds `SOLVE x` without `METHOD` (or `STEADYSTATE`) where `x` is a DERIVATIVE block with a derivative equation
`m' = …`, or a KINETIC block with a reaction, anywhere in the block (inside `if` too).

## Why it matters
modcc refuses the file: \"The DERIVATIVE block has a derivative expression but no METHOD was specified in the
SOLVE statement\" (a KINETIC block is rewritten into one first). Its parser takes `SOLVE x` alone on a line, and
a block of plain assignments solved that way is accepted; nocmodl picks a default method either way.

## Example
```
BREAKPOINT {
    SOLVE states
}
DERIVATIVE states { m' = (minf - m)/mtau }
```

## Fix
Name the method: `SOLVE states METHOD cnexp` for a DERIVATIVE block, `METHOD sparse` for a KINETIC one.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for_each_statement(&context.parse.file, &mut |statement, _depth| {
        let StatementKind::Solve {
            name,
            method: None,
            steady_state: None,
            ..
        } = &statement.kind
        else {
            return;
        };
        if let Some(callable) = context.callable_named(name.span.slice(context.source)) {
            let Some(first) = first_integrated_statement(context, callable.kind, &callable.body)
            else {
                return;
            };
            let what = if callable.kind == CallableKind::Kinetic {
                "a reaction"
            } else {
                "a derivative equation"
            };
            findings.push(
                rule.finding(
                    format!(
                        "`SOLVE {}` has no METHOD, and its block has {what}",
                        context.text(name.span)
                    ),
                    first,
                    format!("modcc cannot integrate {what} without a method"),
                )
                .with_secondary(statement.span, "no METHOD here")
                .with_help(if callable.kind == CallableKind::Kinetic {
                    "add `METHOD sparse` to the SOLVE statement"
                } else {
                    "add `METHOD cnexp` to the SOLVE statement"
                }),
            );
        }
    });
    findings
}

/// Where the first derivative equation of a DERIVATIVE block, or the first reaction of a KINETIC block, starts.
fn first_integrated_statement(
    context: &LintContext<'_>,
    kind: CallableKind,
    body: &crate::syntax::ast::Block,
) -> Option<Span> {
    let mut first = None;
    for_each_statement_in_block(body, 1, &mut |statement, _depth| {
        if first.is_some() {
            return;
        }
        first = match (&statement.kind, kind) {
            (StatementKind::Assignment { target, .. }, CallableKind::Derivative) => {
                context.is_derivative(target).then_some(target.span)
            }
            (StatementKind::Reaction { .. }, CallableKind::Kinetic) => Some(statement.span),
            _ => None,
        };
    });
    first
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn codes(source: &str) -> Vec<String> {
        lint(source.as_bytes(), Dialect::Arbor)
            .iter()
            .map(|diagnostic| diagnostic.code.as_str().to_string())
            .collect()
    }

    #[test]
    fn only_a_block_with_something_to_integrate_needs_a_method() {
        // As modcc 0.12.2 treated each: refused, refused, accepted.
        let head = "NEURON { SUFFIX s }\nSTATE { a b }\nBREAKPOINT {\n    SOLVE x\n}\n";
        assert_eq!(
            codes(&format!(
                "{head}DERIVATIVE x {{ if (a > 1) {{ a' = 1 }} }}\n"
            )),
            ["A111"]
        );
        assert_eq!(
            codes(&format!("{head}KINETIC x {{ ~ a <-> b (1, 2) }}\n")),
            ["A111"]
        );
        assert!(codes(&format!("{head}DERIVATIVE x {{ a = 1 }}\n")).is_empty());
    }
}
