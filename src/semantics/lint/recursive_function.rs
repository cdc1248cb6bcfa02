//! A109: a FUNCTION that calls itself, directly or through other functions (modcc inlines every call).

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{CallableKind, ItemKind, Name};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "A109",
    name: "recursive-function",
    severity: Severity::Error,
    dialects: &[Dialect::Arbor],
    documentation: "## What it does
Finds calls by which a FUNCTION calls itself, directly (`f` calls `f`) or through other FUNCTIONs (`f` calls `g`,
which calls `f`).

## Why it matters
modcc inlines every function call, which cannot end for a recursive function: it refuses the file (\"recursive
functions not allowed\"). nocmodl compiles recursion as C does.

## Example
```
FUNCTION factorial(n) {
    if (n <= 1) { factorial = 1 } else { factorial = n*factorial(n - 1) }
}
```

## Fix
Write the function as a loop, or with a closed formula.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    // Each FUNCTION's calls, in order.
    let mut calls: HashMap<String, Vec<Name>> = HashMap::new();
    for item in &context.parse.file.items {
        if let ItemKind::Callable(callable) = &item.kind {
            if let (CallableKind::Function, Some(name)) = (callable.kind, &callable.name) {
                calls.insert(context.name_text(name), context.calls_in(&callable.body));
            }
        }
    }
    let mut findings = Vec::new();
    let mut names: Vec<&String> = calls.keys().collect();
    names.sort();
    for function in names {
        for call in &calls[function] {
            let called = context.name_text(call);
            if reaches(&calls, &called, function, context) {
                findings.push(
                    rule.finding(
                        format!("`{function}` calls itself through `{called}`, and modcc cannot inline a recursion"),
                        call.span,
                        "modcc: recursive functions not allowed".to_string(),
                    )
                    .with_help("write the function as a loop or a closed formula"),
                );
            }
        }
    }
    findings.sort_by_key(|finding| finding.primary.span.start);
    findings
}

/// Whether calling `from` can lead to a call of `target` (or is one).
fn reaches(
    calls: &HashMap<String, Vec<Name>>,
    from: &str,
    target: &str,
    context: &LintContext<'_>,
) -> bool {
    let mut seen = HashSet::new();
    let mut pending = vec![from.to_string()];
    while let Some(function) = pending.pop() {
        if function == target {
            return true;
        }
        if !seen.insert(function.clone()) {
            continue;
        }
        if let Some(callees) = calls.get(&function) {
            pending.extend(callees.iter().map(|callee| context.name_text(callee)));
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn a109(functions: &str) -> usize {
        let source = format!(
            "NEURON {{ SUFFIX r NONSPECIFIC_CURRENT i }}\n{functions}\nBREAKPOINT {{ i = f(1) }}\n"
        );
        lint(source.as_bytes(), Dialect::Arbor)
            .iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "A109")
            .count()
    }

    #[test]
    fn recursion_is_an_arbor_error() {
        // modcc 0.12.2 refused this one.
        assert_eq!(
            a109("FUNCTION f(a) { if (a > 0) { f = f(a - 1) } else { f = 1 } }"),
            1
        );
        assert_eq!(
            a109("FUNCTION f(a) { f = g(a) }\nFUNCTION g(a) { g = f(a) }"),
            2
        );
        assert_eq!(
            a109("FUNCTION f(a) { f = g(a) + g(a) }\nFUNCTION g(a) { g = exp(a) }"),
            0
        );
    }
}
