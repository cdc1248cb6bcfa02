//! N105: a NET_RECEIVE block in a density mechanism.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{CallableKind, ItemKind, MechanismKind};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N105",
    name: "net-receive-outside-point-process",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds a NET_RECEIVE block in a mechanism that is not a POINT_PROCESS or ARTIFICIAL_CELL (a density mechanism, or
a file with no mechanism statement, which NEURON treats as one).

## Why it matters
nocmodl refuses the file: \"NET_RECEIVE can only exist in a POINT_PROCESS\". Events arrive at a point on a cell
through a NetCon, which needs a point process.

## Example
```
NEURON { SUFFIX syn }
NET_RECEIVE(w) { g = g + w }
```

## Fix
Declare the mechanism with POINT_PROCESS instead of SUFFIX.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let takes_events = context.facts.declaration.is_some_and(|declaration| {
        matches!(
            declaration.kind,
            MechanismKind::PointProcess | MechanismKind::ArtificialCell
        )
    });
    if takes_events {
        return Vec::new();
    }
    context
        .parse
        .file
        .items
        .iter()
        .filter(|item| matches!(&item.kind, ItemKind::Callable(callable) if callable.kind == CallableKind::NetReceive))
        .map(|item| {
            let mut finding = rule.finding(
                "NET_RECEIVE belongs to a POINT_PROCESS or ARTIFICIAL_CELL".to_string(),
                crate::span::Span::new(item.span.start as usize, item.span.start as usize + 11),
                "nocmodl refuses this block here".to_string(),
            );
            if let Some(declaration) = context.facts.declaration {
                finding = finding
                    .with_secondary(declaration.statement, "declared as a density mechanism here")
                    .with_help("declare the mechanism with POINT_PROCESS");
            }
            finding
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn net_receive_in_a_density_mechanism_is_a_neuron_error() {
        let findings = lint(
            b"NEURON { SUFFIX t }\nNET_RECEIVE(w) { }\n",
            Dialect::Neuron,
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code.as_str(), "N105");
        assert!(lint(
            b"NEURON { ARTIFICIAL_CELL t }\nNET_RECEIVE(w) { }\n",
            Dialect::Neuron
        )
        .is_empty());
    }
}
