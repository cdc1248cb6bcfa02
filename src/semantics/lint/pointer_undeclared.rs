//! N115: a POINTER or BBCOREPOINTER name that no PARAMETER or ASSIGNED block declares.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::DeclarationBlock;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N115",
    name: "pointer-undeclared",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds a name listed in POINTER or BBCOREPOINTER that is not also declared in ASSIGNED (or PARAMETER).

## Why it matters
nocmodl refuses the file: \"p does not have a proper declaration\". The NEURON block only says how the variable is
reached; its declaration (with its unit) belongs in ASSIGNED.

## Example
```
NEURON { POINT_PROCESS syn POINTER vpre }
```

## Fix
Add the name to ASSIGNED: `vpre (mV)`.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    if context.facts.pointers.is_empty() && context.facts.bbcore_pointers.is_empty() {
        return Vec::new();
    }
    let declared = context.names_declared_in(&[
        DeclarationBlock::Parameter,
        DeclarationBlock::Assigned,
        DeclarationBlock::State,
    ]);
    let facts = context.facts;
    facts
        .pointers
        .iter()
        .map(|name| (name, "POINTER"))
        .chain(
            facts
                .bbcore_pointers
                .iter()
                .map(|name| (name, "BBCOREPOINTER")),
        )
        .filter(|(name, _)| !declared.contains(&name.span.slice(context.source)))
        .map(|(name, statement)| {
            rule.finding(
                format!(
                    "`{}` is a {statement} but not declared in ASSIGNED",
                    context.text(name.span)
                ),
                name.span,
                "nocmodl: no proper declaration".to_string(),
            )
            .with_help(format!(
                "add `{}` to the ASSIGNED block",
                context.text(name.span)
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn n115(source: &str) -> usize {
        lint(source.as_bytes(), Dialect::Neuron)
            .iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "N115")
            .count()
    }

    /// As nocmodl 9.0.2 was seen to treat each case.
    #[test]
    fn pointers_need_a_declaration() {
        assert_eq!(
            n115("NEURON { SUFFIX e POINTER p RANGE x }\nASSIGNED { x }\nBREAKPOINT { x = 1 }\n"),
            1
        );
        assert_eq!(n115("NEURON { SUFFIX e BBCOREPOINTER p RANGE x }\nASSIGNED { x }\nBREAKPOINT { x = 1 }\n"), 1);
        assert_eq!(
            n115("NEURON { SUFFIX e POINTER p RANGE x }\nASSIGNED { x p }\nBREAKPOINT { x = p }\n"),
            0
        );
        assert_eq!(n115("NEURON { SUFFIX e POINTER p RANGE x }\nPARAMETER { p }\nASSIGNED { x }\nBREAKPOINT { x = 1 }\n"), 0);
    }
}
