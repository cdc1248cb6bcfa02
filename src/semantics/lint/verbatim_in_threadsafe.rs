//! W003: a VERBATIM block in a THREADSAFE mechanism.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "W003",
    name: "verbatim-in-threadsafe",
    severity: Severity::Warning,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds VERBATIM blocks in a mechanism declared THREADSAFE.

## Why it matters
THREADSAFE promises NEURON that the mechanism may run on several threads at once. nocmodl cannot see into VERBATIM
C code: static variables or calls that are not thread safe there break that promise silently.

## Example
```
NEURON { SUFFIX r THREADSAFE }
PROCEDURE seed() {
VERBATIM
    static int calls = 0; calls++;
ENDVERBATIM
}
```

## Fix
Check the C code for shared state, or drop THREADSAFE.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    if !context.facts.thread_safe {
        return Vec::new();
    }
    context
        .facts
        .verbatim_blocks
        .iter()
        .map(|block| {
            rule.finding(
                "VERBATIM code in a THREADSAFE mechanism".to_string(),
                Span::new(block.start as usize, block.start as usize + 8),
                "nocmodl cannot check this C code for thread safety".to_string(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn verbatim_in_a_threadsafe_mechanism_is_a_warning() {
        let source = b"NEURON { SUFFIX t THREADSAFE }\nPROCEDURE p() {\nVERBATIM\n  int x;\nENDVERBATIM\n}\n";
        let findings = lint(source, Dialect::Neuron);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code.as_str(), "W003");
    }
}
