//! A104: no BREAKPOINT block.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::ast::{CallableKind, ItemKind};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "A104",
    name: "missing-breakpoint",
    severity: Severity::Error,
    dialects: &[Dialect::Arbor],
    documentation: "## What it does
Finds a mechanism without a BREAKPOINT block.

## Why it matters
modcc refuses the file: \"a BREAKPOINT block is required\". NEURON accepts mechanisms that only react to events or
only compute in INITIAL; Arbor calls every mechanism's BREAKPOINT.

## Example
```
NEURON { POINT_PROCESS counter }
NET_RECEIVE(w) { n = n + 1 }
```

## Fix
Add an empty block: `BREAKPOINT { }`.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let has_breakpoint = context.parse.file.items.iter().any(|item| {
        matches!(&item.kind, ItemKind::Callable(callable) if callable.kind == CallableKind::Breakpoint)
    });
    if has_breakpoint {
        return Vec::new();
    }
    let span = context
        .facts
        .declaration
        .map_or(Span::empty_at(0), |declaration| declaration.statement);
    let end = context.source.len();
    let newline = if context.source.ends_with(b"\n") || context.source.is_empty() {
        ""
    } else {
        "\n"
    };
    vec![rule
        .finding(
            "Arbor needs a BREAKPOINT block".to_string(),
            span,
            "this mechanism has none".to_string(),
        )
        .with_fix(
            "add an empty BREAKPOINT block at the end",
            vec![crate::span::TextEdit {
                span: Span::empty_at(end),
                replacement: format!("{newline}BREAKPOINT {{ }}\n"),
            }],
        )]
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn a_mechanism_without_breakpoint_is_an_arbor_error() {
        let findings = lint(
            b"NEURON { POINT_PROCESS t }\nNET_RECEIVE(w) {\n}\n",
            Dialect::Arbor,
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code.as_str(), "A104");
        assert!(findings[0].fix.is_some());
        assert!(lint(
            b"NEURON { POINT_PROCESS t }\nNET_RECEIVE(w) {\n}\n",
            Dialect::Neuron
        )
        .is_empty());
    }
}
