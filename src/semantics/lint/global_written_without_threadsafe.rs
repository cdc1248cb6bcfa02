//! W004: a GLOBAL variable assigned in a mechanism that is not THREADSAFE.

use foldhash::HashSet;

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{ExpressionKind, ItemKind, StatementKind};
use crate::syntax::visit::for_each_statement_in_block;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "W004",
    name: "global-written-without-threadsafe",
    severity: Severity::Warning,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds assignments to a GLOBAL variable in a mechanism whose NEURON block does not say THREADSAFE. A LOCAL or an
argument of the same name is not the GLOBAL and does not count.

## Why it matters
A GLOBAL is one value shared by every instance and every thread. nocmodl marks a mechanism that writes one as not
thread safe (\"Notice: Assignment to the GLOBAL variable, \\\"x\\\", is not thread safe\"), and NEURON then refuses to
simulate with more than one thread. The notice scrolls past in nrnivmodl's output; the refusal comes at run time.

## Example
```
NEURON { SUFFIX k GLOBAL minf }
ASSIGNED { minf }
BREAKPOINT { minf = 1/(1 + exp(-v)) }
```

## Fix
Add THREADSAFE to the NEURON block (nocmodl then gives each thread its own copy of the written GLOBALs), or make
the variable RANGE if each instance needs its own value.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    if context.facts.thread_safe || context.facts.globals.is_empty() {
        return Vec::new();
    }
    let globals: HashSet<String> = context
        .facts
        .globals
        .iter()
        .map(|name| context.text(name.span).into_owned())
        .collect();
    let mut findings = Vec::new();
    for item in &context.parse.file.items {
        let ItemKind::Callable(callable) = &item.kind else {
            continue;
        };
        let mut shadowing: HashSet<String> = callable
            .arguments
            .iter()
            .map(|argument| context.text(argument.name.span).into_owned())
            .collect();
        shadowing.extend(context.local_names_in(&callable.body));
        for_each_statement_in_block(&callable.body, 1, &mut |statement, _depth| {
            let StatementKind::Assignment { target, .. } = &statement.kind else {
                return;
            };
            let ExpressionKind::Variable { name, .. } = &target.kind else {
                return;
            };
            let written = context.text(name.span);
            if globals.contains(written.as_ref()) && !shadowing.contains(written.as_ref()) {
                findings.push(rule.finding(
                    format!(
                        "the GLOBAL `{written}` is written, and the mechanism is not THREADSAFE: NEURON will not run it on more than one thread"
                    ),
                    name.span,
                    "one value shared by every instance and thread".to_string(),
                ).with_help("add THREADSAFE to the NEURON block, or make the variable RANGE"));
            }
        });
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn codes(source: &str) -> Vec<&'static str> {
        lint(source.as_bytes(), Dialect::Neuron)
            .iter()
            .map(|diagnostic| diagnostic.code.as_str())
            .filter(|code| *code == "W004")
            .collect()
    }

    /// The same five cases were checked with nocmodl 9.0.2: it prints "Assignment to the GLOBAL variable … is not
    /// thread safe" for the first two only.
    #[test]
    fn writes_to_globals_are_found_as_nocmodl_finds_them() {
        let written = "NEURON { SUFFIX g1 GLOBAL x }\nASSIGNED { x }\nBREAKPOINT { x = 1 }\n";
        assert_eq!(codes(written), ["W004"]);
        let in_initial =
            "NEURON { SUFFIX g2 GLOBAL x }\nASSIGNED { x }\nINITIAL { x = 1 }\nBREAKPOINT { }\n";
        assert_eq!(codes(in_initial), ["W004"]);
        let threadsafe =
            "NEURON { SUFFIX g3 GLOBAL x THREADSAFE }\nASSIGNED { x }\nBREAKPOINT { x = 1 }\n";
        assert!(codes(threadsafe).is_empty());
        let shadowed =
            "NEURON { SUFFIX g4 GLOBAL x }\nASSIGNED { x }\nBREAKPOINT { LOCAL x\n x = 1 }\n";
        assert!(codes(shadowed).is_empty());
        let only_read = "NEURON { SUFFIX g5 GLOBAL x }\nPARAMETER { x = 2 }\nBREAKPOINT { }\n";
        assert!(codes(only_read).is_empty());
        let argument = "NEURON { SUFFIX g6 GLOBAL x }\nASSIGNED { x }\nPROCEDURE p(x) { x = 1 }\n";
        assert!(codes(argument).is_empty());
    }
}
