//! N110: a READ or WRITE name that is not one of its ion's variables.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N110",
    name: "ion-variable-invalid",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds names in a USEION statement's READ or WRITE lists that are not one of the four variables of that ion: for
`USEION na`, the reversal potential `ena`, the current `ina`, and the concentrations `nai` and `nao`.

## Why it matters
nocmodl refuses the file: \"ik is not a valid ionic variable for na\". modcc accepts the name and does nothing
useful with it, so the mistake (usually a copy from another channel) only shows with NEURON.

## Example
```
NEURON { SUFFIX kdr USEION na READ ek WRITE ik }
```

## Fix
Name the right ion (`USEION k READ ek WRITE ik`), or the right variable.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for ion_use in &context.facts.ions {
        let ion = context.text(ion_use.ion.span);
        let valid = [
            format!("e{ion}"),
            format!("i{ion}"),
            format!("{ion}i"),
            format!("{ion}o"),
        ];
        for name in ion_use.read.iter().chain(&ion_use.write) {
            let text = context.text(name.span);
            if !valid.iter().any(|candidate| *candidate == text) {
                findings.push(
                    rule.finding(
                        format!("`{text}` is not a variable of the ion `{ion}`"),
                        name.span,
                        "nocmodl refuses this ion variable".to_string(),
                    )
                    .with_secondary(ion_use.ion.span, "the ion")
                    .with_help(format!("the variables of `{ion}` are {}", valid.join(", "))),
                );
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn n110(source: &str) -> Vec<String> {
        lint(source.as_bytes(), Dialect::Neuron)
            .into_iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "N110")
            .map(|diagnostic| diagnostic.message)
            .collect()
    }

    /// nocmodl 9.0.2 refused `ik`, `dina`, `inai` and `cai` for `na`, and accepted the other four.
    #[test]
    fn only_the_four_variables_of_the_ion_are_valid() {
        assert!(n110("NEURON { SUFFIX n USEION na READ ena, nai, nao WRITE ina }\n").is_empty());
        assert_eq!(
            n110("NEURON { SUFFIX n USEION na READ ik, dina WRITE inai, cai }\n"),
            [
                "`ik` is not a variable of the ion `na`",
                "`dina` is not a variable of the ion `na`",
                "`inai` is not a variable of the ion `na`",
                "`cai` is not a variable of the ion `na`",
            ]
        );
        assert!(lint(
            b"NEURON { SUFFIX n USEION na READ ik NONSPECIFIC_CURRENT i }\nBREAKPOINT { i = 0 }\n",
            Dialect::Arbor
        )
        .iter()
        .all(|diagnostic| diagnostic.code.as_str() != "N110"));
    }
}
