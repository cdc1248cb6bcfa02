//! B104: a second NET_RECEIVE block.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{CallableKind, ItemKind};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "B104",
    name: "net-receive-duplicated",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron, Dialect::Arbor],
    documentation: "## What it does
Finds every NET_RECEIVE block after the first.

## Why it matters
A mechanism has one event handler. nocmodl refuses the file (\"Only one NET_RECEIVE block allowed\"), and so does
modcc (\"'net_receive' clashes with previously defined symbol\").

## Example
```
NET_RECEIVE(weight) { g = g + weight }
NET_RECEIVE(weight) { g = 0 }
```

## Fix
Merge the two blocks into one.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let blocks: Vec<_> = context
        .parse
        .file
        .items
        .iter()
        .filter(|item| {
            matches!(&item.kind, ItemKind::Callable(callable) if callable.kind == CallableKind::NetReceive)
        })
        .collect();
    blocks
        .iter()
        .skip(1)
        .map(|second| {
            let header = crate::span::Span::new(
                second.span.start as usize,
                second.span.start as usize + "NET_RECEIVE".len(),
            );
            rule.finding(
                "a second NET_RECEIVE block".to_string(),
                header,
                "both compilers allow one".to_string(),
            )
            .with_secondary(
                crate::span::Span::new(
                    blocks[0].span.start as usize,
                    blocks[0].span.start as usize + "NET_RECEIVE".len(),
                ),
                "the first",
            )
            .with_help("merge the two blocks into one")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    /// nocmodl 9.0.2 and modcc 0.12.2 both refused the second block.
    #[test]
    fn one_net_receive_block_only() {
        let source = b"NEURON { POINT_PROCESS e NONSPECIFIC_CURRENT i }\nBREAKPOINT { i = 0 }\nNET_RECEIVE(w) { }\nNET_RECEIVE(w) { }\n";
        for dialect in [Dialect::Neuron, Dialect::Arbor] {
            let findings: Vec<_> = lint(source, dialect)
                .into_iter()
                .filter(|diagnostic| diagnostic.code.as_str() == "B104")
                .collect();
            assert_eq!(findings.len(), 1);
            let second = String::from_utf8_lossy(source)
                .rfind("NET_RECEIVE")
                .unwrap();
            assert_eq!(findings[0].primary.span.start as usize, second);
        }
    }
}
