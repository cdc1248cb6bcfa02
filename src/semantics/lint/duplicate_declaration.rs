//! N103: a name declared twice in PARAMETER, ASSIGNED, STATE or CONSTANT.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::semantics::symbols::SymbolKind;
use crate::span::Span;
use crate::syntax::ast::DeclarationBlock;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N103",
    name: "duplicate-declaration",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds a name declared a second time in a PARAMETER, ASSIGNED, STATE or CONSTANT block (the same block or another).

## Why it matters
nocmodl refuses the file: \"Multiple declaration of a\". Which declaration was meant (its unit, its default) is
ambiguous.

## Example
```
PARAMETER { gbar = 0.1 (S/cm2) }
ASSIGNED { gbar (S/cm2) }
```

## Fix
Keep one declaration: a PARAMETER when users set it, an ASSIGNED when the mechanism computes it.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let symbols = context.symbols;
    // The first declaration of each name, by the name's id: one pass, no hashing.
    let mut first_of_name: Vec<Option<Span>> = vec![None; symbols.symbols.len()];
    let mut findings = Vec::new();
    for (id, symbol) in symbols.symbols.iter().enumerate() {
        let (
            SymbolKind::Declared(
                DeclarationBlock::Parameter
                | DeclarationBlock::Assigned
                | DeclarationBlock::State
                | DeclarationBlock::Constant,
            ),
            Some(span),
        ) = (symbol.kind, symbol.span)
        else {
            continue;
        };
        match &mut first_of_name[symbols.name_of(id)] {
            slot @ None => *slot = Some(span),
            Some(first) => findings.push(
                rule.finding(
                    format!("`{}` is declared twice", context.text(span)),
                    span,
                    "the second declaration".to_string(),
                )
                .with_secondary(*first, "the first declaration"),
            ),
        }
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn a_second_declaration_is_a_neuron_error() {
        let findings = lint(
            b"NEURON { SUFFIX t }\nPARAMETER { a = 1 (1) }\nASSIGNED { a }\n",
            Dialect::Neuron,
        );
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code.as_str(), "N103");
        assert!(lint(
            b"NEURON { SUFFIX t }\nPARAMETER { a = 1 (1) }\nLOCAL a\n",
            Dialect::Neuron
        )
        .is_empty());
    }
}
