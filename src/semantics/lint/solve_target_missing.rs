//! B101: SOLVE names a block the file does not have.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{ItemKind, StatementKind};
use crate::syntax::visit::for_each_statement;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "B101",
    name: "solve-target-missing",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron, Dialect::Arbor],
    documentation: "## What it does
Finds a SOLVE statement that names a block (DERIVATIVE, KINETIC, LINEAR, NONLINEAR, PROCEDURE …) the file does not
define.

## Why it matters
Both compilers refuse the file, with messages that do not say the block is missing: nocmodl \"Method cnexp can't be
used with Block states\", modcc \"'states' is not a valid procedure name for computing the derivatives\".

## Example
```
BREAKPOINT { SOLVE states METHOD cnexp }
DERIVATIVE state { m' = (minf - m)/tau }
```

## Fix
Name the block as it is defined (here `state`), or define the block.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let defined: Vec<&[u8]> = context
        .parse
        .file
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            ItemKind::Callable(callable) => {
                callable.name.map(|name| name.span.slice(context.source))
            }
            _ => None,
        })
        .collect();
    let mut findings = Vec::new();
    for_each_statement(&context.parse.file, &mut |statement, _depth| {
        if let StatementKind::Solve { name, .. } = &statement.kind {
            if !defined.contains(&name.span.slice(context.source)) {
                findings.push(
                    rule.finding(
                        format!("SOLVE names `{}`, but no block has that name", context.text(name.span)),
                        name.span,
                        "no DERIVATIVE, KINETIC, LINEAR, NONLINEAR or PROCEDURE block has this name".to_string(),
                    )
                    .with_help("name the block as it is defined"),
                );
            }
        }
    });
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn solving_a_missing_block_is_an_error_for_both() {
        let source = b"NEURON {\n SUFFIX t\n}\nSTATE {\n m\n}\nBREAKPOINT {\n SOLVE s METHOD cnexp\n}\nDERIVATIVE states {\n m' = -m\n}\n";
        for dialect in [Dialect::Neuron, Dialect::Arbor] {
            let findings = lint(source, dialect);
            assert_eq!(findings.len(), 1, "{findings:?}");
            assert_eq!(findings[0].code.as_str(), "B101");
        }
    }
}
