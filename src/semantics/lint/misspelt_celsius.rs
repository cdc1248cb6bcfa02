//! W001: `celcius`, a misspelt `celsius`.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::token::TokenKind;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "W001",
    name: "misspelt-celsius",
    severity: Severity::Warning,
    dialects: &[Dialect::Neuron, Dialect::Arbor],
    documentation: "## What it does
Finds the name `celcius`.

## Why it matters
The simulator's temperature is `celsius`. A declared `celcius` is an ordinary variable that keeps its default
whatever the temperature of the simulation, and neither compiler says so.

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
    fn celcius_is_a_warning() {
        let findings = lint(
            b"NEURON { SUFFIX t }\nPARAMETER { celcius = 37 (degC) }\n",
            Dialect::Neuron,
        );
        // The declared `celcius` is also unused (W005); this rule's finding comes first.
        assert_eq!(findings.len(), 2, "{findings:?}");
        assert_eq!(findings[0].code.as_str(), "W001");
        assert_eq!(findings[1].code.as_str(), "W005");
        assert!(!findings[0].is_error());
    }
}
