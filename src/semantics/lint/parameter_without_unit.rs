//! W002: a PARAMETER without a unit.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::DeclarationBlock;
use crate::syntax::Dialect;

/// Names whose unit the simulator defines; declaring them without one is usual.
const SIMULATOR_VARIABLES: &[&str] = &["v", "celsius", "diam", "area", "dt", "t"];

pub static RULE: Rule = Rule {
    code: "W002",
    name: "parameter-without-unit",
    severity: Severity::Warning,
    dialects: &[Dialect::Neuron, Dialect::Arbor],
    documentation: "## What it does
Finds a PARAMETER declared without a unit.

## Why it matters
A parameter is what users set. Without a unit they must guess whether `tau = 5` means milliseconds or seconds, and
NEURON's unit checking (`modlunit`) cannot help. Dimensionless parameters are written `(1)`.

## Example
```
PARAMETER { tau = 5 }
```

## Fix
Add the unit: `tau = 5 (ms)`, or `(1)` for a pure number.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    context
        .declarations_in(DeclarationBlock::Parameter)
        .filter(|declaration| declaration.unit.is_none())
        .filter(|declaration| {
            !SIMULATOR_VARIABLES.contains(&context.text(declaration.name.span).as_ref())
        })
        .map(|declaration| {
            rule.finding(
                format!(
                    "PARAMETER `{}` has no unit",
                    context.text(declaration.name.span)
                ),
                declaration.name.span,
                "add a unit like `(ms)`, or `(1)` for a pure number".to_string(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn a_parameter_without_unit_is_a_warning() {
        let source =
            b"NEURON { SUFFIX t RANGE tau, g }\nPARAMETER {\n    tau = 5\n    g = 1 (S/cm2)\n    celsius\n}\n";
        let findings = lint(source, Dialect::Neuron);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code.as_str(), "W002");
    }
}
