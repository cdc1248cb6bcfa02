//! N119: a UNITS definition of a unit NEURON's units database already defines.

use super::nrnunits_names::NRNUNITS_NAMES;
use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::ItemKind;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N119",
    name: "unit-redefined",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds `(u) = (…)` in a UNITS block where `u` is a unit NEURON's units database (`nrnunits.lib`) defines by name:
`ms`, `sec`, `mho`, `degC`, `V` … (505 names). Units made of a prefix and a unit, like `mV`, `mA` or `um`, are
not names of the database and may be defined.

## Why it matters
nocmodl refuses the file: \"Units redefinition\" (after \"Redefinition of units (ms) to: 0.001 sec is ignored\"),
even when the new definition means the same. modcc accepts it.

## Example
```
UNITS {
    (ms) = (milliseconds)
}
```

## Fix
Remove the line: nocmodl already knows the unit.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for item in &context.parse.file.items {
        let ItemKind::Units { definitions } = &item.kind else {
            continue;
        };
        for definition in definitions {
            let text = context.text(definition.left);
            let Some(unit) = text
                .trim()
                .strip_prefix('(')
                .and_then(|rest| rest.strip_suffix(')'))
                .map(str::trim)
            else {
                continue;
            };
            if NRNUNITS_NAMES.binary_search(&unit).is_ok() {
                findings.push(
                    rule.finding(
                        format!("`{unit}` is a unit of NEURON's units database: nocmodl refuses to define it again"),
                        definition.left,
                        "a redefinition for nocmodl".to_string(),
                    )
                    .with_help("remove this line: nocmodl already knows the unit"),
                );
            }
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::finds;
    use crate::syntax::Dialect;

    fn refused(definition: &str) -> bool {
        let source = format!("NEURON {{ SUFFIX u }}\nUNITS {{\n    {definition}\n}}\n");
        finds("N119", &source, Dialect::Neuron)
    }

    #[test]
    fn names_of_the_database_cannot_be_defined_again() {
        // As nocmodl 9.0.2 treated each.
        assert!(refused("(ms) = (millisec)"));
        assert!(refused("(mho) = (/ohm)"));
        assert!(refused("(degC) = (degC)"));
        assert!(!refused("(mV) = (millivolt)"));
        assert!(!refused("(um) = (micron)"));
        assert!(!refused("(S) = (siemens)"));
    }

    #[test]
    fn the_table_is_sorted_for_binary_search() {
        assert!(super::NRNUNITS_NAMES
            .windows(2)
            .all(|pair| pair[0] < pair[1]));
    }
}
