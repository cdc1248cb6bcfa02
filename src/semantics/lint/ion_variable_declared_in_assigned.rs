//! A102: a variable of a USEION statement (`ik`, `ek`, `cao` …) declared in ASSIGNED.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::DeclarationBlock;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "A102",
    name: "ion-variable-declared-in-assigned",
    severity: Severity::Error,
    dialects: &[Dialect::Arbor],
    documentation: "## What it does
Finds a variable that a USEION statement reads or writes (`ik`, `ek`, `cao` …) declared in an ASSIGNED block.

## Why it matters
modcc refuses the file: \"the symbol 'ik' is defined as a ion variable and cannot be used as an ASSIGNED here\".
NEURON mod files usually declare their currents and reversal potentials in ASSIGNED, so a file that works for
NEURON fails for Arbor. (A PARAMETER of the same name is accepted.)

## Example
```
NEURON { SUFFIX kdr USEION k READ ek WRITE ik }
ASSIGNED { ik (mA/cm2) }
```

## Fix
Delete the declaration: the USEION statement already declares the variable for Arbor.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let ion_variables = context.ion_variables();
    context
        .declarations_in(DeclarationBlock::Assigned)
        .filter(|declaration| ion_variables.contains(&declaration.name.span.slice(context.source)))
        .map(|declaration| {
            let name = context.text(declaration.name.span);
            rule.finding(
                format!("`{name}` is an ion variable of a USEION statement and cannot be declared in ASSIGNED"),
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
    fn ion_current_in_assigned_is_an_arbor_error_only() {
        let source = b"NEURON { SUFFIX t USEION k READ ek WRITE ik }\nASSIGNED { ik (mA/cm2) }\nBREAKPOINT { }\n";
        let arbor = lint(source, Dialect::Arbor);
        assert_eq!(arbor.len(), 1, "{arbor:?}");
        assert_eq!(arbor[0].code.as_str(), "A102");
        assert!(lint(source, Dialect::Neuron).is_empty());
        let parameter =
            b"NEURON { SUFFIX t USEION k READ ek WRITE ik }\nPARAMETER { ek = -80 (mV) }\nBREAKPOINT { }\n";
        assert!(lint(parameter, Dialect::Arbor).is_empty());
    }
}
