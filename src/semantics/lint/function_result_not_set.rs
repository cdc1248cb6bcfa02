//! A108: a called FUNCTION that does not set its result on every path (modcc inlines it and gives up).

use foldhash::{HashMap, HashMapExt};

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{
    Block, CallableKind, ExpressionKind, ItemKind, Name, Statement, StatementKind,
};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "A108",
    name: "function-result-not-set",
    severity: Severity::Error,
    dialects: &[Dialect::Arbor],
    documentation: "## What it does
Finds a FUNCTION that is called somewhere in the file but does not assign its result on every path through its
body: an assignment to the function's name must come in the body itself, or in both branches of an `if`/`else`.

## Why it matters
modcc inlines every function call and refuses the file when the inlined body leaves the result unset (\"return
variable of function not set\"), even on a path that never runs. nocmodl accepts it and the function returns 0 on
that path.

## Example
```
FUNCTION rate(v) {
    if (v > -30) { rate = 1 }
}
```

## Fix
Assign the result before the `if` (a default), or add an `else` branch that assigns it.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let mut functions: HashMap<String, (Name, &Block)> = HashMap::new();
    for item in &context.parse.file.items {
        if let ItemKind::Callable(callable) = &item.kind {
            if let (CallableKind::Function, Some(name)) = (callable.kind, &callable.name) {
                functions.insert(context.name_text(name), (*name, &callable.body));
            }
        }
    }
    let mut findings = Vec::new();
    let mut reported = std::collections::HashSet::new();
    for call in context.calls() {
        let called = context.name_text(&call);
        let Some((function_name, body)) = functions.get(&called) else {
            continue;
        };
        if !sets_result(body, &called, context) && reported.insert(called.clone()) {
            findings.push(
                rule.finding(
                    format!("`{called}` does not set its result on every path, and modcc inlines it here"),
                    call.span,
                    "modcc: return variable of function not set".to_string(),
                )
                .with_secondary(function_name.span, "this FUNCTION")
                .with_help(format!(
                    "assign `{called}` at the start of the function, or in every branch of its `if`s"
                )),
            );
        }
    }
    findings
}

/// Whether running `block` certainly assigns `function`: an assignment to it among the block's statements, or an
/// `if` whose branches (all of them, with an `else`) each do. This is what modcc's inliner checks.
fn sets_result(block: &Block, function: &str, context: &LintContext<'_>) -> bool {
    block
        .statements
        .iter()
        .any(|statement| statement_sets_result(statement, function, context))
}

fn statement_sets_result(statement: &Statement, function: &str, context: &LintContext<'_>) -> bool {
    match &statement.kind {
        StatementKind::Assignment { target, .. } => matches!(
            &target.kind,
            ExpressionKind::Variable { name, index: None, .. } if context.name_text(name) == function
        ),
        StatementKind::If {
            then_block,
            else_branch: Some(else_branch),
            ..
        } => {
            sets_result(then_block, function, context)
                && statement_sets_result(else_branch, function, context)
        }
        StatementKind::Block(block) => sets_result(block, function, context),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn a108(functions: &str, call: &str) -> usize {
        let source = format!(
            "NEURON {{ SUFFIX f NONSPECIFIC_CURRENT i }}\n{functions}\nBREAKPOINT {{ i = {call} }}\n"
        );
        lint(source.as_bytes(), Dialect::Arbor)
            .iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "A108")
            .count()
    }

    /// Each case as modcc 0.12.2 was seen to treat it.
    #[test]
    fn a_called_function_must_set_its_result_on_every_path() {
        assert_eq!(a108("FUNCTION f(a) { LOCAL b\n b = a }", "f(1)"), 1);
        assert_eq!(a108("FUNCTION f(a) { if (a > 0) { f = 1 } }", "f(1)"), 1);
        assert_eq!(a108("FUNCTION f(a) { if (a > 0) { f = 1 } else { if (a < -1) { f = 2 } else { f = 3 } } }", "f(1)"), 0);
        assert_eq!(
            a108("FUNCTION f(a) { f = 0\n if (a > 0) { f = 1 } }", "f(1)"),
            0
        );
        // Not called: modcc never inlines it.
        assert_eq!(a108("FUNCTION f(a) { LOCAL b\n b = a }", "1"), 0);
        // Called from a function that is itself never called: modcc still refuses it.
        assert_eq!(
            a108(
                "FUNCTION f(a) { LOCAL b\n b = a }\nFUNCTION g(a) { g = f(a) }",
                "1"
            ),
            1
        );
    }
}
