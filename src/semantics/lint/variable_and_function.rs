//! N102: a name used both as a variable and as a FUNCTION or PROCEDURE.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::semantics::symbols::{Scope, SymbolKind};
use crate::span::Span;
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
    let symbols = context.symbols;
    // The first place each variable name is listed or declared, by the name's id, in one pass: a RANGE before a
    // GLOBAL before a PARAMETER, ASSIGNED, STATE or CONSTANT declaration (the rank), the earliest of each.
    let mut variables: Vec<Option<(u8, Span)>> = vec![None; symbols.symbols.len()];
    for (id, symbol) in symbols.symbols.iter().enumerate() {
        let rank = match symbol.kind {
            SymbolKind::Range => 0,
            SymbolKind::Global => 1,
            SymbolKind::Declared(
                DeclarationBlock::Parameter
                | DeclarationBlock::Assigned
                | DeclarationBlock::State
                | DeclarationBlock::Constant,
            ) => 2,
            _ => continue,
        };
        let (Some(span), Scope::File) = (symbol.span, symbol.scope) else {
            continue;
        };
        let slot = &mut variables[symbols.name_of(id)];
        if slot.is_none_or(|(earlier_rank, _)| rank < earlier_rank) {
            *slot = Some((rank, span));
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
        let variable = symbols
            .name_id(name.span.slice(context.source))
            .and_then(|name| variables[name]);
        if let Some((_, variable)) = variable {
            let text = context.text(name.span);
            findings.push(
                rule.finding(
                    format!("`{text}` is used both as a variable and as a function"),
                    name.span,
                    "nocmodl refuses a function with a variable's name".to_string(),
                )
                .with_secondary(variable, "the variable")
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
