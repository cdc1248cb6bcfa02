//! N108: a CONDUCTANCE statement outside BREAKPOINT, or naming an ion the NEURON block does not use.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{CallableKind, ItemKind, StatementKind};
use crate::syntax::visit::for_each_statement_in_block;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N108",
    name: "conductance-rules",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Checks CONDUCTANCE statements against nocmodl's rules: they appear only in the BREAKPOINT block, and the ion after
USEION is one the NEURON block declares with USEION.

## Why it matters
nocmodl refuses the file (\"CONDUCTANCE can only appear in BREAKPOINT block\", \"k not declared as USEION in NEURON
block\").

## Example
```
NEURON { SUFFIX nat USEION na READ ena WRITE ina RANGE g }
BREAKPOINT {
    CONDUCTANCE g USEION k
    ina = g*(v - ena)
}
```

## Fix
Move CONDUCTANCE into BREAKPOINT, and name the ion the mechanism's USEION names.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let ions: Vec<String> = context
        .facts
        .ions
        .iter()
        .map(|ion| context.text(ion.ion.span).into_owned())
        .collect();
    let mut findings = Vec::new();
    for item in &context.parse.file.items {
        let ItemKind::Callable(callable) = &item.kind else {
            continue;
        };
        for_each_statement_in_block(&callable.body, 1, &mut |statement, _depth| {
            let StatementKind::Conductance { ion, .. } = &statement.kind else {
                return;
            };
            if callable.kind != CallableKind::Breakpoint {
                findings.push(rule.finding(
                    "CONDUCTANCE can only appear in the BREAKPOINT block".to_string(),
                    statement.span,
                    "nocmodl refuses CONDUCTANCE here".to_string(),
                ));
            }
            if let Some(ion) = ion {
                let name = context.text(ion.span);
                if !ions.iter().any(|declared| *declared == name) {
                    findings.push(
                        rule.finding(
                            format!("`{name}` is not declared with USEION in the NEURON block"),
                            ion.span,
                            "nocmodl refuses a CONDUCTANCE for an ion the mechanism does not use"
                                .to_string(),
                        )
                        .with_help(format!(
                            "add `USEION {name} …` to the NEURON block, or name an ion it uses"
                        )),
                    );
                }
            }
        });
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn n108(source: &str) -> Vec<String> {
        lint(source.as_bytes(), Dialect::Neuron)
            .into_iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "N108")
            .map(|diagnostic| diagnostic.message)
            .collect()
    }

    /// As nocmodl 9.0.2 refused or accepted each case.
    #[test]
    fn conductance_follows_nocmodl_rules() {
        let header =
            "NEURON { SUFFIX c USEION na READ ena WRITE ina RANGE g }\nPARAMETER { g = 1 }\n";
        assert!(n108(&format!(
            "{header}BREAKPOINT {{ CONDUCTANCE g USEION na\n ina = g*(v-ena) }}\n"
        ))
        .is_empty());
        assert_eq!(
            n108(&format!(
                "{header}BREAKPOINT {{ CONDUCTANCE g USEION k\n ina = g*(v-ena) }}\n"
            )),
            ["`k` is not declared with USEION in the NEURON block"]
        );
        assert_eq!(
            n108(&format!(
                "{header}INITIAL {{ CONDUCTANCE g USEION na }}\nBREAKPOINT {{ ina = g*(v-ena) }}\n"
            )),
            ["CONDUCTANCE can only appear in the BREAKPOINT block"]
        );
    }
}
