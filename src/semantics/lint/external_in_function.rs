//! A110: the membrane's quantities (`v`, `celsius`, `diam`, `area`, ion variables) used in a FUNCTION or PROCEDURE.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::semantics::symbols::SymbolKind;
#[cfg(doc)]
use crate::semantics::symbols::MODCC_VARIABLES;
use crate::syntax::ast::{CallableKind, ItemKind};
use crate::syntax::Dialect;

/// The one builtin variable of modcc that a FUNCTION or PROCEDURE may read: the others ([`MODCC_VARIABLES`]) are
/// what modcc 0.12.2 calls "an external quantity" (checked one by one).
const MODCC_VARIABLE_ALLOWED_IN_FUNCTIONS: &str = "dt";

pub static RULE: Rule = Rule {
    code: "A110",
    name: "external-in-function",
    severity: Severity::Error,
    dialects: &[Dialect::Arbor],
    documentation: "## What it does
Finds `v`, `celsius`, `diam`, `area`, `v_peer` and the variables of USEION statements used inside a FUNCTION or
PROCEDURE, unless the function has an argument or LOCAL of that name.

## Why it matters
modcc refuses the file: \"the symbol 'v' refers to an external quantity and is unavailable in a function or
procedure\". nocmodl allows it, so NEURON mod files often read `v` or `celsius` in a rate function.

## Example
```
FUNCTION q10() { q10 = 3^((celsius - 23)/10) }
```

## Fix
Pass the value as an argument (`FUNCTION q10(temperature) { … }`, called as `q10(celsius)`).
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let items = &context.parse.file.items;
    context
        .symbols
        .uses
        .iter()
        .filter(|name_use| {
            matches!(&items[name_use.item as usize].kind, ItemKind::Callable(callable)
                if matches!(callable.kind, CallableKind::Function | CallableKind::Procedure))
        })
        .filter(|name_use| {
            context.symbols.symbol_of(name_use).is_some_and(|symbol| {
                symbol.kind == SymbolKind::IonVariable
                    || (symbol.kind == SymbolKind::BuiltinVariable
                        && symbol.name != MODCC_VARIABLE_ALLOWED_IN_FUNCTIONS)
            })
        })
        .map(|name_use| {
            let used = name_use.text(context.source);
            rule.finding(
                format!("`{used}` belongs to the membrane and is unavailable in a FUNCTION or PROCEDURE for modcc"),
                name_use.name.span,
                "modcc: an external quantity".to_string(),
            )
            .with_help(format!("pass `{used}` as an argument from the block that calls this one"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn a110(function: &str) -> usize {
        let source = format!("NEURON {{ SUFFIX e NONSPECIFIC_CURRENT i USEION na READ ena }}\nBREAKPOINT {{ i = f(1) }}\n{function}\n");
        lint(source.as_bytes(), Dialect::Arbor)
            .iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "A110")
            .count()
    }

    /// Each name as modcc 0.12.2 was seen to treat it.
    #[test]
    fn membrane_quantities_are_unavailable_in_functions() {
        for name in ["v", "celsius", "diam", "area", "ena"] {
            assert_eq!(
                a110(&format!("FUNCTION f(a) {{ f = a*{name} }}")),
                1,
                "{name}"
            );
        }
        assert_eq!(a110("FUNCTION f(a) { f = a*dt }"), 0);
        assert_eq!(a110("FUNCTION f(v) { f = v }"), 0);
        assert_eq!(
            a110("FUNCTION f(a) { f = a }\nPROCEDURE p() { LOCAL x\n x = v }"),
            1
        );
    }
}
