//! W001: `celcius`, a misspelt `celsius` (Arbor; nocmodl refuses a declared one, N112).

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::token::TokenKind;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "W001",
    name: "misspelt-celsius",
    severity: Severity::Warning,
    dialects: &[Dialect::Arbor],
    documentation: "## What it does
Finds the name `celcius`.

## Why it matters
The simulator's temperature is `celsius`. For modcc a declared `celcius` is an ordinary variable that keeps its
default whatever the temperature of the simulation, and it says nothing. (nocmodl refuses a declared `celcius`,
\"celcius should be spelled celsius\": that is N112, and an undeclared one is N111.)

## Example
```
PARAMETER { celcius = 37 (degC) }
BREAKPOINT { q10 = 3^((celcius - 23)/10) }
```

## Fix
Write `celsius`.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    findings_at_each_celcius(context, rule)
}

/// A finding with its fix at each `celcius` in the file.
pub(super) fn findings_at_each_celcius(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    context
        .parse
        .tokens
        .iter()
        .filter(|token| {
            token.kind == TokenKind::Name && token.span.slice(context.source) == b"celcius"
        })
        .map(|token| {
            rule.finding(
                "`celcius` is not the simulator's temperature".to_string(),
                token.span,
                "did you mean `celsius`?".to_string(),
            )
            .with_fix(
                "write `celsius`",
                vec![crate::span::TextEdit {
                    span: token.span,
                    replacement: "celsius".to_string(),
                }],
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn celcius_is_a_warning_for_arbor() {
        let findings = lint(
            b"NEURON { SUFFIX t }\nPARAMETER { celcius = 37 (degC) }\nBREAKPOINT { }\n",
            Dialect::Arbor,
        );
        // The declared `celcius` is also unused (W005); this rule's finding comes first.
        assert_eq!(findings.len(), 2, "{findings:?}");
        assert_eq!(findings[0].code.as_str(), "W001");
        assert_eq!(findings[1].code.as_str(), "W005");
        assert!(!findings[0].is_error());
    }
}
