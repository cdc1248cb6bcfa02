//! N120: a SOLVE of a DERIVATIVE block written after the block, which nocmodl refuses.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{CallableKind, ItemKind, StatementKind};
use crate::syntax::visit::for_each_statement;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N120",
    name: "solve-after-derivative-block",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds a `SOLVE x` (in BREAKPOINT, INITIAL …) that comes after the DERIVATIVE block `x` in the file.

## Why it matters
nocmodl refuses the file: \"The SOLVE statement must be before the DERIVATIVE block for states\". It rewrites
the block's equations as it reads them, for the method the SOLVE asked, so it must have read the SOLVE first.
modcc accepts blocks in any order.

## Example
```
DERIVATIVE states { m' = (minf - m)/mtau }
BREAKPOINT { SOLVE states METHOD cnexp }
```

## Fix
Move the DERIVATIVE block after the block that solves it (after BREAKPOINT, as usual).
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let derivative_blocks: Vec<(&[u8], crate::span::Span)> = context
        .parse
        .file
        .items
        .iter()
        .filter_map(|item| match &item.kind {
            ItemKind::Callable(callable) if callable.kind == CallableKind::Derivative => callable
                .name
                .map(|name| (name.span.slice(context.source), name.span)),
            _ => None,
        })
        .collect();
    let mut findings = Vec::new();
    if derivative_blocks.is_empty() {
        return findings;
    }
    for_each_statement(&context.parse.file, &mut |statement, _depth| {
        let StatementKind::Solve { name, .. } = &statement.kind else {
            return;
        };
        let wanted = name.span.slice(context.source);
        if let Some(&(_, block)) = derivative_blocks
            .iter()
            .find(|&&(block, span)| block == wanted && span.start < statement.span.start)
        {
            findings.push(
                rule.finding(
                    format!(
                        "nocmodl needs this SOLVE before the DERIVATIVE block `{}`",
                        context.text(name.span)
                    ),
                    statement.span,
                    "the block it solves is defined above".to_string(),
                )
                .with_secondary(block, "the DERIVATIVE block")
                .with_help("move the DERIVATIVE block after the block that solves it"),
            );
        }
    });
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn a_derivative_block_must_follow_its_solve() {
        // As nocmodl 9.0.2 treated both orders (cnexp, derivimplicit, euler and no METHOD alike).
        let block = "DERIVATIVE states { c' = -c }\n";
        let solve = "BREAKPOINT { SOLVE states METHOD cnexp }\n";
        let codes = |body: String| -> Vec<String> {
            lint(
                format!("NEURON {{ SUFFIX s }}\nSTATE {{ c }}\n{body}").as_bytes(),
                Dialect::Neuron,
            )
            .iter()
            .map(|diagnostic| diagnostic.code.as_str().to_string())
            .collect()
        };
        assert_eq!(codes(format!("{block}{solve}")), ["N120"]);
        assert!(codes(format!("{solve}{block}")).is_empty());
    }
}
