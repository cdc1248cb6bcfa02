//! B105: a reaction `~ A <-> B (…)` outside a KINETIC block, which both compilers refuse.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{CallableKind, StatementKind};
use crate::syntax::visit::for_each_statement_in_block;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "B105",
    name: "reaction-outside-kinetic",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron, Dialect::Arbor],
    documentation: "## What it does
Finds a reaction `~ A <-> B (kf, kb)` (or `<<`, `->`) in any block but KINETIC: a PROCEDURE, INITIAL, BREAKPOINT,
DERIVATIVE …

## Why it matters
Both compilers refuse the file: nocmodl with \"equations can't occur in this type of block\" (and in a DERIVATIVE,
LINEAR or NONLINEAR block already as a syntax error), modcc with \"reaction statement not allowed\". Only a KINETIC
block turns reactions into equations.

## Example
```
PROCEDURE scheme() {
    ~ A <-> B (kf, kb)
}
```

## Fix
Move the reactions into a KINETIC block and solve it with `METHOD sparse`.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for (_, callable) in context.callables() {
        if callable.kind == CallableKind::Kinetic {
            continue;
        }
        for_each_statement_in_block(&callable.body, 1, &mut |statement, _depth| {
            if matches!(statement.kind, StatementKind::Reaction { .. }) {
                findings.push(
                    rule.finding(
                        format!(
                            "a reaction in a {} block: only a KINETIC block takes reactions",
                            callable.kind.keyword()
                        ),
                        statement.span,
                        "nocmodl and modcc refuse a reaction here".to_string(),
                    )
                    .with_help(
                        "move the reactions into a KINETIC block solved with `METHOD sparse`",
                    ),
                );
            }
        });
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn reactions_belong_in_kinetic_blocks() {
        // As nocmodl 9.0.2 and modcc 0.12.2 treated each.
        let source = |block: &str| {
            format!("NEURON {{ SUFFIX r }}\nSTATE {{ A B }}\nBREAKPOINT {{ }}\n{block} {{\n    ~ A <-> B (1, 2)\n}}\n")
        };
        for dialect in [Dialect::Neuron, Dialect::Arbor] {
            let codes = |block: &str| -> Vec<String> {
                lint(source(block).as_bytes(), dialect)
                    .iter()
                    .filter(|diagnostic| diagnostic.is_error())
                    .map(|diagnostic| diagnostic.code.as_str().to_string())
                    .collect()
            };
            assert_eq!(codes("PROCEDURE p()"), ["B105"]);
            assert!(codes("KINETIC k").is_empty());
        }
    }
}
