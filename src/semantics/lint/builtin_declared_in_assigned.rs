//! A101: an Arbor builtin (`v`, `celsius`, `diam`, `area`, `v_peer`) declared in ASSIGNED.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::DeclarationBlock;
use crate::syntax::Dialect;

/// Names modcc defines itself; declaring one in ASSIGNED is refused (checked on modcc 0.12.2).
const ARBOR_BUILTINS: &[&str] = &["v", "celsius", "diam", "area", "v_peer"];

pub static RULE: Rule = Rule {
    code: "A101",
    name: "builtin-declared-in-assigned",
    severity: Severity::Error,
    dialects: &[Dialect::Arbor],
    documentation: "## What it does
Finds `v`, `celsius`, `diam`, `area` or `v_peer` declared in an ASSIGNED block.

## Why it matters
modcc provides these itself and refuses the file: \"the symbol 'v' is defined as a builtin and cannot be used as an
ASSIGNED here\". NEURON mod files commonly declare `v (mV)` in ASSIGNED, so the same file works for NEURON and fails
for Arbor.

## Example
```
ASSIGNED {
    v (mV)
    ina (mA/cm2)
}
```

## Fix
Delete the declaration (`v (mV)`): Arbor knows the membrane voltage as `v` without it.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    context
        .declarations_in(DeclarationBlock::Assigned)
        .filter(|declaration| {
            ARBOR_BUILTINS.contains(&context.text(declaration.name.span).as_ref())
        })
        .map(|declaration| {
            let name = context.text(declaration.name.span);
            rule.finding(
                format!("`{name}` is an Arbor builtin and cannot be declared in ASSIGNED"),
                declaration.name.span,
                "modcc refuses this declaration".to_string(),
            )
            .with_fix(
                format!("delete `{}` from ASSIGNED", context.text(declaration.span)),
                vec![super::deletion_of(context.source, declaration)],
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn voltage_in_assigned_is_an_arbor_error_only() {
        let source =
            b"NEURON { SUFFIX x NONSPECIFIC_CURRENT i }\nASSIGNED {\n    v (mV)\n    g\n}\nBREAKPOINT { }\n";
        // Leaving aside W005 (the example's `g` is unused).
        let without_unused = |dialect| {
            lint(source, dialect)
                .into_iter()
                .filter(|finding| finding.code.as_str() != "W005")
                .collect::<Vec<_>>()
        };
        let arbor = without_unused(Dialect::Arbor);
        assert_eq!(arbor.len(), 1, "{arbor:?}");
        assert_eq!(arbor[0].code.as_str(), "A101");
        assert!(without_unused(Dialect::Neuron).is_empty());
    }
}
