//! N103: a name declared twice in PARAMETER, ASSIGNED, STATE or CONSTANT.

use std::collections::hash_map::Entry;

use foldhash::{HashMap, HashMapExt};

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{Declaration, DeclarationBlock};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N103",
    name: "duplicate-declaration",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds a name declared a second time in a PARAMETER, ASSIGNED, STATE or CONSTANT block (the same block or another).

## Why it matters
nocmodl refuses the file: \"Multiple declaration of a\". Which declaration was meant (its unit, its default) is
ambiguous.

## Example
```
PARAMETER { gbar = 0.1 (S/cm2) }
ASSIGNED { gbar (S/cm2) }
```

## Fix
Keep one declaration: a PARAMETER when users set it, an ASSIGNED when the mechanism computes it.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let blocks = [
        DeclarationBlock::Parameter,
        DeclarationBlock::Assigned,
        DeclarationBlock::State,
        DeclarationBlock::Constant,
    ];
    let mut declarations: Vec<_> = blocks
        .iter()
        .flat_map(|&block| context.declarations_in(block))
        .collect();
    declarations.sort_by_key(|declaration| declaration.span.start);
    // The first declaration of each name, found in one pass (a scan of the earlier ones per declaration is
    // quadratic in the size of the file).
    let mut first_of: HashMap<&[u8], &Declaration> = HashMap::with_capacity(declarations.len());
    let mut findings = Vec::new();
    for declaration in declarations {
        let name = declaration.name.span.slice(context.source);
        match first_of.entry(name) {
            Entry::Vacant(vacant) => {
                vacant.insert(declaration);
            }
            Entry::Occupied(first) => findings.push(
                rule.finding(
                    format!(
                        "`{}` is declared twice",
                        context.text(declaration.name.span)
                    ),
                    declaration.name.span,
                    "the second declaration".to_string(),
                )
                .with_secondary(first.get().name.span, "the first declaration"),
            ),
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn a_second_declaration_is_a_neuron_error() {
        let findings = lint(
            b"NEURON { SUFFIX t }\nPARAMETER { a = 1 (1) }\nASSIGNED { a }\n",
            Dialect::Neuron,
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code.as_str(), "N103");
        assert!(lint(
            b"NEURON { SUFFIX t }\nPARAMETER { a = 1 (1) }\nLOCAL a\n",
            Dialect::Neuron
        )
        .is_empty());
    }
}
