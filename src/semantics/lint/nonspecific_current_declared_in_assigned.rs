//! A103: a NONSPECIFIC_CURRENT also declared in ASSIGNED or STATE.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{Declaration, DeclarationBlock};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "A103",
    name: "nonspecific-current-declared-in-assigned",
    severity: Severity::Error,
    dialects: &[Dialect::Arbor],
    documentation: "## What it does
Finds a NONSPECIFIC_CURRENT (`i`, `il` …) that is also declared in an ASSIGNED or STATE block.

## Why it matters
modcc 0.12 stops with an internal compiler error: \"the symbol i already exists\". NEURON mod files usually declare
their currents in ASSIGNED, so a file that works for NEURON fails for Arbor.

## Example
```
NEURON { SUFFIX leak NONSPECIFIC_CURRENT il }
ASSIGNED { il (mA/cm2) }
```

## Fix
Delete the ASSIGNED declaration: NONSPECIFIC_CURRENT declares the current for Arbor. A current that is a
STATE needs a state of another name, assigned to the current in BREAKPOINT.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let currents: Vec<&[u8]> = context
        .facts
        .nonspecific_currents
        .iter()
        .map(|name| name.span.slice(context.source))
        .collect();
    let is_current = |declaration: &&Declaration| {
        currents.contains(&declaration.name.span.slice(context.source))
    };
    let finding = |declaration: &Declaration| {
        let name = context.text(declaration.name.span);
        rule.finding(
            format!("`{name}` is a NONSPECIFIC_CURRENT and cannot also be declared in ASSIGNED or STATE"),
            declaration.name.span,
            "modcc fails on this declaration (\"symbol already exists\")".to_string(),
        )
    };
    let assigned = context
        .declarations_in(DeclarationBlock::Assigned)
        .filter(is_current)
        .map(|declaration| {
            finding(declaration).with_fix(
                format!("delete `{}` from ASSIGNED", context.text(declaration.span)),
                vec![super::deletion_of(context.source, declaration)],
            )
        });
    // A current that is a STATE needs rewriting by hand: no fix.
    let states = context
        .declarations_in(DeclarationBlock::State)
        .filter(is_current)
        .map(|declaration| {
            finding(declaration).with_help(
                "give the state another name and assign the current from it in BREAKPOINT",
            )
        });
    assigned.chain(states).collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn nonspecific_current_in_assigned_is_an_arbor_error_only() {
        let source = b"NEURON { SUFFIX t NONSPECIFIC_CURRENT il }\nASSIGNED { il (mA/cm2) }\nBREAKPOINT { }\n";
        let arbor = lint(source, Dialect::Arbor);
        assert_eq!(arbor.len(), 1, "{arbor:?}");
        assert_eq!(arbor[0].code.as_str(), "A103");
        assert!(lint(source, Dialect::Neuron).is_empty());
    }
}
