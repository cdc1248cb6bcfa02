//! N102: a name used both as a variable and as a FUNCTION or PROCEDURE.

use foldhash::{HashMap, HashMapExt};

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{CallableKind, DeclarationBlock, ItemKind};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N102",
    name: "variable-and-function",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds a FUNCTION or PROCEDURE whose name is also a variable: declared in PARAMETER, ASSIGNED, STATE or CONSTANT, or
listed in RANGE or GLOBAL.

## Why it matters
nocmodl refuses the file: \"r used as both variable and function\". One name cannot mean both in the generated C.

## Example
```
NEURON { SUFFIX hcn RANGE r }
FUNCTION r(v (mV)) { r = 0.5 }
```

## Fix
Rename the function (e.g. `r_of`) or the variable.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    // The first place each variable name is declared or listed.
    let mut variables: HashMap<&[u8], crate::span::Span> = HashMap::new();
    for name in context.facts.ranges.iter().chain(&context.facts.globals) {
        variables
            .entry(name.span.slice(context.source))
            .or_insert(name.span);
    }
    for item in &context.parse.file.items {
        if let ItemKind::Declarations {
            block,
            declarations,
        } = &item.kind
        {
            if matches!(
                block,
                DeclarationBlock::Parameter
                    | DeclarationBlock::Assigned
                    | DeclarationBlock::State
                    | DeclarationBlock::Constant
            ) {
                for declaration in declarations {
                    variables
                        .entry(declaration.name.span.slice(context.source))
                        .or_insert(declaration.name.span);
                }
            }
        }
    }
    let mut findings = Vec::new();
    for item in &context.parse.file.items {
        let ItemKind::Callable(callable) = &item.kind else {
            continue;
        };
        if !matches!(
            callable.kind,
            CallableKind::Function | CallableKind::Procedure
        ) {
            continue;
        }
        let Some(name) = callable.name else {
            continue;
        };
        let bytes = name.span.slice(context.source);
        if let Some(variable) = variables.get(bytes) {
            let text = context.text(name.span);
            findings.push(
                rule.finding(
                    format!("`{text}` is used both as a variable and as a function"),
                    name.span,
                    "nocmodl refuses a function with a variable's name".to_string(),
                )
                .with_secondary(*variable, "the variable")
                .with_help(format!("rename the function, e.g. `{text}_of`")),
            );
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn range_variable_named_like_a_function_is_a_neuron_error() {
        let findings = lint(
            b"NEURON { SUFFIX t RANGE r }\nFUNCTION r(x) { r = x }\n",
            Dialect::Neuron,
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code.as_str(), "N102");
        assert_eq!(findings[0].secondary.len(), 1);
        assert!(lint(
            b"NEURON { SUFFIX t RANGE q }\nFUNCTION r(x) { r = x }\n",
            Dialect::Neuron
        )
        .is_empty());
    }
}
