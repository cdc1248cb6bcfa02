//! A105: a RANGE name that is declared nowhere.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::DeclarationBlock;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "A105",
    name: "range-undeclared",
    severity: Severity::Error,
    dialects: &[Dialect::Arbor],
    documentation: "## What it does
Finds a name listed in RANGE that is not declared in PARAMETER, ASSIGNED or STATE and is not an ion variable or a
NONSPECIFIC_CURRENT.

## Why it matters
modcc refuses the file: \"q is declared as RANGE, but has not been declared in the ASSIGNED or PARAMETER block\".
nocmodl declares such a name silently, so the mistake (often a typo) goes unnoticed with NEURON.

## Example
```
NEURON { SUFFIX kdr RANGE gbar, gkbar }
PARAMETER { gbar = 0.1 (S/cm2) }
```

## Fix
Declare the variable in ASSIGNED or PARAMETER, or remove it from RANGE.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let mut declared = context.names_declared_in(&[
        DeclarationBlock::Parameter,
        DeclarationBlock::Assigned,
        DeclarationBlock::State,
    ]);
    declared.extend(context.ion_variables());
    declared.extend(
        context
            .facts
            .nonspecific_currents
            .iter()
            .map(|name| name.span.slice(context.source)),
    );
    context
        .facts
        .ranges
        .iter()
        .filter(|range| !declared.contains(&range.span.slice(context.source)))
        .map(|range| {
            rule.finding(
                format!(
                    "`{}` is in RANGE but declared nowhere",
                    context.text(range.span)
                ),
                range.span,
                "modcc refuses an undeclared RANGE variable".to_string(),
            )
            .with_help("declare it in ASSIGNED or PARAMETER, or remove it from RANGE")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn an_undeclared_range_variable_is_an_arbor_error_only() {
        let source = b"NEURON {\n SUFFIX t\n RANGE q, g, ik, i\n USEION k WRITE ik\n NONSPECIFIC_CURRENT i\n}\nPARAMETER {\n g = 1 (1)\n}\nBREAKPOINT {\n}\n";
        let findings = lint(source, Dialect::Arbor);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code.as_str(), "A105");
        assert!(lint(source, Dialect::Neuron).is_empty());
    }
}
