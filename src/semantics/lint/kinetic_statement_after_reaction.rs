//! A112: an ordinary statement after a reaction in a KINETIC block, which modcc refuses.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{CallableKind, StatementKind};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "A112",
    name: "kinetic-statement-after-reaction",
    severity: Severity::Error,
    dialects: &[Dialect::Arbor],
    documentation: "## What it does
Finds a KINETIC block where an ordinary statement (an assignment, a call, an `if` …) follows a reaction
`~ A <-> B (…)`. LOCAL and CONSERVE statements do not count; statements before the first reaction are fine.

## Why it matters
modcc refuses the file: \"Found alternating reaction (A <-> B ...) and normal statements. This is allowed by NMODL,
but likely not what you want\". It gathers the reactions into one system, so a statement between or after them
would not run where it is written. nocmodl accepts the block.

## Example
```
KINETIC scheme {
    ~ A <-> B (kf, kb)
    kf = rate(v)
    ~ B <-> C (kf, kb)
}
```

## Fix
Compute every rate before the first reaction (or in a PROCEDURE called there).
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for (item, callable) in context.callables_of(CallableKind::Kinetic) {
        let Some(first_reaction) = callable
            .body
            .statements
            .iter()
            .position(|statement| matches!(statement.kind, StatementKind::Reaction { .. }))
        else {
            continue;
        };
        let ordinary = callable.body.statements[first_reaction + 1..]
            .iter()
            .find(|statement| {
                !matches!(
                    statement.kind,
                    StatementKind::Reaction { .. }
                        | StatementKind::Local { .. }
                        | StatementKind::Conserve { .. }
                        | StatementKind::Verbatim
                )
            });
        if let Some(ordinary) = ordinary {
            // modcc names the block; the statement is what to move.
            let block_name = callable.name.map_or(item.span, |name| name.span);
            findings.push(
                rule.finding(
                    "modcc refuses an ordinary statement after a reaction in a KINETIC block"
                        .to_string(),
                    block_name,
                    "in this KINETIC block".to_string(),
                )
                .with_secondary(ordinary.span, "this statement follows a reaction")
                .with_secondary(
                    callable.body.statements[first_reaction].span,
                    "the first reaction",
                )
                .with_help("compute every rate before the first reaction"),
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
        let source = format!(
            "NEURON {{ SUFFIX k }}\nSTATE {{ A B C D }}\nBREAKPOINT {{\n    SOLVE s METHOD sparse\n}}\nKINETIC s {{\n    LOCAL x\n{body}\n}}\n"
        );
        finds("A112", &source, Dialect::Arbor)
    }

    #[test]
    fn statements_after_the_first_reaction_are_refused() {
        // As modcc 0.12.2 treated each.
        assert!(refused("~ A <-> B (1, 2)\nx = 3"));
        assert!(refused("~ A <-> B (1, 2)\nx = 3\n~ C <-> D (x, 2)"));
        assert!(refused("~ A <-> B (1, 2)\nif (x > 1) { x = 2 }"));
        assert!(!refused("x = 3\n~ A <-> B (x, 2)\n~ C <-> D (x, 2)"));
        assert!(!refused(
            "~ A <-> B (1, 2)\nCONSERVE A + B = 1\n~ C <-> D (1, 2)"
        ));
    }
}
