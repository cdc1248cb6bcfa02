//! N104: a STATE listed in GLOBAL.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::DeclarationBlock;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N104",
    name: "state-declared-global",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds a STATE variable listed in the NEURON block's GLOBAL statement.

## Why it matters
nocmodl refuses the file: \"m is a STATE variable and hence cannot be declared as GLOBAL\". A state has a value per
segment; a GLOBAL has one value for all.

## Example
```
NEURON { SUFFIX hh GLOBAL m }
STATE { m }
```

## Fix
List the state in RANGE instead (or nowhere: states are range variables already).
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    if context.facts.globals.is_empty() {
        return Vec::new();
    }
    let states: foldhash::HashSet<&[u8]> = context
        .declarations_in(DeclarationBlock::State)
        .map(|declaration| declaration.name.span.slice(context.source))
        .collect();
    context
        .facts
        .globals
        .iter()
        .filter(|global| states.contains(&global.span.slice(context.source)))
        .map(|global| {
            rule.finding(
                format!(
                    "`{}` is a STATE and cannot be GLOBAL",
                    context.text(global.span)
                ),
                global.span,
                "nocmodl refuses this GLOBAL".to_string(),
            )
            .with_help("list it in RANGE, or drop it from GLOBAL")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn a_global_state_is_a_neuron_error() {
        let findings = lint(
            b"NEURON { SUFFIX t GLOBAL m }\nSTATE { m }\n",
            Dialect::Neuron,
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code.as_str(), "N104");
    }
}
