//! W007 (warning): a FUNCTION that never assigns its result, so NEURON's version of it always returns 0.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{CallableKind, ExpressionKind, ItemKind, StatementKind};
use crate::syntax::visit::for_each_statement_in_block;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "W007",
    name: "function-result-never-assigned",
    severity: Severity::Warning,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds a FUNCTION whose body assigns nothing to the function's name, and has no VERBATIM block (C code may
`return` a value itself).

## Why it matters
nocmodl accepts such a function, and it returns 0 whatever its arguments: usually the result was assigned to a
misspelt name, or the function should have been a PROCEDURE. modcc refuses it as soon as it is called (A108).

## Example
```
FUNCTION alpha(v) {
    alfa = 0.1*exp(-v/18)
}
```

## Fix
Assign the result to the function's name (`alpha = …`), or make it a PROCEDURE.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for item in &context.parse.file.items {
        let ItemKind::Callable(callable) = &item.kind else {
            continue;
        };
        let (CallableKind::Function, Some(name)) = (callable.kind, &callable.name) else {
            continue;
        };
        let function = context.name_text(name);
        let mut assigned_or_verbatim = false;
        for_each_statement_in_block(&callable.body, 1, &mut |statement, _depth| {
            assigned_or_verbatim |= match &statement.kind {
                StatementKind::Assignment { target, .. } => matches!(
                    &target.kind,
                    ExpressionKind::Variable { name, .. } if context.name_text(name) == function
                ),
                StatementKind::Verbatim => true,
                _ => false,
            };
        });
        if !assigned_or_verbatim {
            findings.push(
                rule.finding(
                    format!("the FUNCTION `{function}` never assigns its result, so it returns 0"),
                    name.span,
                    "no assignment to this name in the body".to_string(),
                )
                .with_help(format!(
                    "assign the result with `{function} = …`, or make it a PROCEDURE"
                )),
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn w007(source: &str) -> usize {
        lint(source.as_bytes(), Dialect::Neuron)
            .iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "W007")
            .count()
    }

    #[test]
    fn a_function_must_assign_its_result_somewhere() {
        assert_eq!(w007("NEURON { SUFFIX w RANGE alfa }\nASSIGNED { alfa }\nFUNCTION alpha(v) { alfa = 0.1*exp(-v/18) }\n"), 1);
        assert_eq!(
            w007("NEURON { SUFFIX w }\nFUNCTION alpha(v) { if (v > 0) { alpha = 1 } }\n"),
            0
        );
        assert_eq!(w007("NEURON { SUFFIX w }\nFUNCTION alpha(v) {\nVERBATIM\n return 1.0;\nENDVERBATIM\n}\n"), 0);
    }
}
