//! N118: a DERIVATIVE block without a derivative equation `x' = …`, which nocmodl refuses.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::ast::{CallableKind, StatementKind};
use crate::syntax::visit::for_each_statement_in_block;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N118",
    name: "derivative-without-equation",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds a DERIVATIVE block with no derivative equation `x' = …` anywhere in it (inside `if` counts), whether or not
a SOLVE names it.

## Why it matters
nocmodl refuses the file: \"No derivative equations in DERIVATIVE block\", reported at the block's closing brace.
modcc accepts such a block when no METHOD solves it (its assignments then run as a procedure).

## Example
```
DERIVATIVE states {
    c = celsius
}
```

## Fix
Write the state's equation `c' = …`, or make the block a PROCEDURE and call it.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for (_, callable) in context.callables_of(CallableKind::Derivative) {
        let mut has_equation = false;
        for_each_statement_in_block(&callable.body, 1, &mut |statement, _depth| {
            if let StatementKind::Assignment { target, .. } = &statement.kind {
                has_equation |= context.is_derivative(target);
            }
        });
        if !has_equation {
            // nocmodl notices at the closing brace, where the block ends.
            let end = callable.body.span.end as usize;
            let closing_brace = Span::new(end.saturating_sub(1), end);
            let mut finding = rule.finding(
                "this DERIVATIVE block has no derivative equation".to_string(),
                closing_brace,
                "the block ends without an equation `x' = …`".to_string(),
            );
            if let Some(name) = callable.name {
                finding = finding.with_secondary(name.span, "the DERIVATIVE block");
            }
            findings.push(
                finding.with_help(
                    "write the state's equation `x' = …`, or make the block a PROCEDURE",
                ),
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::finds;
    use crate::syntax::Dialect;

    fn refused(body: &str) -> bool {
        let source = format!("NEURON {{ SUFFIX d }}\nSTATE {{ c }}\nDERIVATIVE s {{ {body} }}\n");
        finds("N118", &source, Dialect::Neuron)
    }

    #[test]
    fn a_derivative_block_needs_an_equation() {
        // As nocmodl 9.0.2 treated each.
        assert!(refused("c = 1"));
        assert!(!refused("if (c > 0) { c' = 1 }"));
        assert!(!refused("c' = -c"));
    }
}
