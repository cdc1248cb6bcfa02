//! W006: a LOCAL or an argument with the name of a mechanism variable, which it hides.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::semantics::symbols::SymbolKind;
use crate::span::Span;
use crate::syntax::ast::{DeclarationBlock, ItemKind, StatementKind};
use crate::syntax::visit::for_each_statement_in_block;
use crate::syntax::Dialect;

/// Names a mechanism declares to reach the simulator's values; an argument of that name is the usual idiom.
const SIMULATOR_VARIABLES: &[&str] = &["v", "celsius", "diam", "area", "dt", "t"];

/// The blocks whose variables a LOCAL or an argument can hide, in the order a name's declaration is chosen.
const VARIABLE_BLOCKS: [(DeclarationBlock, &str); 4] = [
    (DeclarationBlock::Parameter, "PARAMETER"),
    (DeclarationBlock::Assigned, "ASSIGNED"),
    (DeclarationBlock::State, "STATE"),
    (DeclarationBlock::Constant, "CONSTANT"),
];

pub static RULE: Rule = Rule {
    code: "W006",
    name: "shadowed-name",
    severity: Severity::Warning,
    dialects: &[Dialect::Neuron, Dialect::Arbor],
    documentation: "## What it does
Finds a LOCAL variable, or an argument of a FUNCTION, PROCEDURE or NET_RECEIVE, named like a PARAMETER,
ASSIGNED, STATE or CONSTANT variable of the mechanism. The simulator's variables (`v`, `celsius`, …) are left out:
`FUNCTION rates(v (mV))` is the usual way to tabulate over the potential.

## Why it matters
Inside the block the name means the LOCAL or the argument: an assignment there never reaches the mechanism's
variable, and a read sees the local value. Both compilers accept this silently; it is rarely what was meant.

## Example
```
PARAMETER { gbar = 0.1 (S/cm2) }
BREAKPOINT {
    LOCAL gbar
    gbar = 0.2
    ina = gbar*(v - ena)
}
```

## Fix
Rename the LOCAL or the argument.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let symbols = context.symbols;
    // The variable each name would hide, by the name's id, in one pass: its first PARAMETER declaration, else its
    // first ASSIGNED, STATE or CONSTANT one (the rank is the block's place in that order).
    let mut hidden: Vec<Option<(usize, Span)>> = vec![None; symbols.symbols.len()];
    for (id, symbol) in symbols.symbols.iter().enumerate() {
        let SymbolKind::Declared(block) = symbol.kind else {
            continue;
        };
        let (Some(rank), Some(span)) = (
            VARIABLE_BLOCKS.iter().position(|(kind, _)| *kind == block),
            symbol.span,
        ) else {
            continue;
        };
        let slot = &mut hidden[symbols.name_of(id)];
        if slot.is_none_or(|(earlier_rank, _)| rank < earlier_rank) {
            *slot = Some((rank, span));
        }
    }
    let hidden_variable = |bytes: &[u8]| -> Option<(&'static str, Span)> {
        // `FUNCTION rates(v (mV))` passing the membrane potential (needed for TABLE) is the common idiom.
        if SIMULATOR_VARIABLES
            .iter()
            .any(|variable| variable.as_bytes() == bytes)
        {
            return None;
        }
        let (rank, span) = hidden[symbols.name_id(bytes)?]?;
        Some((VARIABLE_BLOCKS[rank].1, span))
    };
    let mut findings = Vec::new();
    let mut report = |span: Span, what: &str| {
        if let Some((kind, declared)) = hidden_variable(span.slice(context.source)) {
            let name = context.text(span);
            findings.push(
                rule.finding(
                    format!("the {what} `{name}` hides the {kind} variable of the same name"),
                    span,
                    format!("inside this block `{name}` is the {what}"),
                )
                .with_secondary(declared, format!("the {kind} variable")),
            );
        }
    };
    for item in &context.parse.file.items {
        let ItemKind::Callable(callable) = &item.kind else {
            continue;
        };
        for argument in &callable.arguments {
            report(argument.name.span, "argument");
        }
        for_each_statement_in_block(&callable.body, 1, &mut |statement, _depth| {
            if let StatementKind::Local { names } = &statement.kind {
                for declaration in names {
                    report(declaration.name.span, "LOCAL");
                }
            }
        });
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn w006(source: &str) -> Vec<String> {
        lint(source.as_bytes(), Dialect::Neuron)
            .into_iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "W006")
            .map(|diagnostic| diagnostic.message)
            .collect()
    }

    #[test]
    fn locals_and_arguments_hiding_variables_are_warnings() {
        let source = "NEURON { SUFFIX s RANGE x, y }\nPARAMETER { x = 1 (1) }\nSTATE { y }\nBREAKPOINT { LOCAL x, z\n x = 2\n z = 1 }\nFUNCTION f(y) { f = y }\n";
        assert_eq!(
            w006(source),
            [
                "the LOCAL `x` hides the PARAMETER variable of the same name",
                "the argument `y` hides the STATE variable of the same name"
            ]
        );
        assert!(
            w006("NEURON { SUFFIX s }\nPARAMETER { g = 1 (1) }\nFUNCTION f(x) { f = x*g }\n")
                .is_empty()
        );
    }
}
