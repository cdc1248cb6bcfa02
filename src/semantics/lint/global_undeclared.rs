//! B102: a GLOBAL name that no PARAMETER or ASSIGNED block declares.

use foldhash::HashSet;

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::semantics::symbols::SymbolKind;
use crate::syntax::ast::DeclarationBlock;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "B102",
    name: "global-undeclared",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron, Dialect::Arbor],
    documentation: "## What it does
Finds a name listed in GLOBAL that is not declared in PARAMETER or ASSIGNED (nor as a STATE, which N104 covers
for NEURON, nor as an ion variable). A CONSTANT or a RANGE name of the same spelling does not count. For NEURON,
`c0` of a STATE `c` is declared: nocmodl makes it a parameter holding the state's initial value.

## Why it matters
Both compilers refuse the file: nocmodl with \"z does not have a proper declaration\", modcc with \"z is declared
as GLOBAL, but has not been declared in the ASSIGNED block\". Unlike RANGE, which nocmodl lets declare a
variable by itself, GLOBAL needs a declaration.

## Example
```
NEURON { SUFFIX kdr GLOBAL vhalf }
CONSTANT { vhalf = -30 (mV) }
```

## Fix
Declare the variable in PARAMETER (a value users may set) or ASSIGNED, or remove it from GLOBAL.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    if context.facts.globals.is_empty() {
        return Vec::new();
    }
    let mut declared = context.names_declared_in(&[
        DeclarationBlock::Parameter,
        DeclarationBlock::Assigned,
        DeclarationBlock::State,
    ]);
    declared.extend(context.ion_variables());
    // nocmodl declares `c0` itself for each STATE `c` (the state's initial value, a parameter).
    let state_initial_values: HashSet<String> = context
        .symbols
        .symbols
        .iter()
        .filter(|symbol| symbol.kind == SymbolKind::StateInitialValue)
        .map(|symbol| symbol.name.to_string())
        .collect();
    context
        .facts
        .globals
        .iter()
        .filter(|global| !declared.contains(&global.span.slice(context.source)))
        .filter(|global| !state_initial_values.contains(context.text(global.span).as_ref()))
        .map(|global| {
            rule.finding(
                format!(
                    "`{}` is in GLOBAL but not declared in PARAMETER or ASSIGNED",
                    context.text(global.span)
                ),
                global.span,
                "nocmodl and modcc refuse an undeclared GLOBAL".to_string(),
            )
            .with_help("declare it in PARAMETER or ASSIGNED, or remove it from GLOBAL")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn b102(source: &str, dialect: Dialect) -> usize {
        lint(source.as_bytes(), dialect)
            .iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "B102")
            .count()
    }

    /// As nocmodl 9.0.2 and modcc 0.12.2 were seen to treat each case.
    #[test]
    fn a_global_needs_a_parameter_or_assigned_declaration() {
        for dialect in [Dialect::Neuron, Dialect::Arbor] {
            let undeclared =
                "NEURON { SUFFIX g NONSPECIFIC_CURRENT i GLOBAL z }\nBREAKPOINT { i = 0 }\n";
            assert_eq!(b102(undeclared, dialect), 1);
            let constant = "NEURON { SUFFIX g NONSPECIFIC_CURRENT i GLOBAL z }\nCONSTANT { z = 1 }\nBREAKPOINT { i = z }\n";
            assert_eq!(b102(constant, dialect), 1);
            let parameter = "NEURON { SUFFIX g NONSPECIFIC_CURRENT i GLOBAL z }\nPARAMETER { z = 1 }\nBREAKPOINT { i = z }\n";
            assert_eq!(b102(parameter, dialect), 0);
            let ion = "NEURON { SUFFIX g USEION na READ ena GLOBAL ena NONSPECIFIC_CURRENT i }\nBREAKPOINT { i = ena }\n";
            assert_eq!(b102(ion, dialect), 0);
        }
    }
}
