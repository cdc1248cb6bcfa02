//! N109: an ion variable used in NEURON code without a declaration, so nocmodl's C++ does not compile.

use foldhash::{HashSet, HashSetExt};

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::DeclarationBlock;
use crate::syntax::token::TokenKind;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N109",
    name: "ion-variable-undeclared",
    severity: Severity::Warning,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds ion variables of a USEION statement (`ena`, `ina`, `cai` …) that the code uses but no PARAMETER, ASSIGNED
or STATE block declares.

## Why it matters
nocmodl translates the file with only a warning (\"ena undefined. (declared within VERBATIM?)\"), but the C++ it
writes uses the variable without declaring it, so the C++ compile fails (\"‘ena’ was not declared in this scope\")
and nrnivmodl stops. It is a warning here because nocmodl itself accepts the file; `glia nrnivmodl` shows the
compile error. Arbor is the other way round: modcc refuses ion variables in ASSIGNED (A102), so a file for both
simulators needs the declaration for NEURON and `glia lint --fix` for Arbor.

## Example
```
NEURON { SUFFIX na USEION na READ ena WRITE ina }
BREAKPOINT { ina = 0.1*(v - ena) }
```

## Fix
Declare the variables in ASSIGNED: `ena (mV)` and `ina (mA/cm2)`.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    if context.facts.ions.is_empty() {
        return Vec::new();
    }
    let declared: HashSet<&[u8]> = [
        DeclarationBlock::Parameter,
        DeclarationBlock::Assigned,
        DeclarationBlock::State,
        // nocmodl refuses an ion variable in CONSTANT (N101); not reported twice.
        DeclarationBlock::Constant,
    ]
    .iter()
    .flat_map(|&block| context.declarations_in(block))
    .map(|declaration| declaration.name.span.slice(context.source))
    .collect();
    // Names written outside the NEURON block (the code and declarations).
    let neuron_block = context.facts.neuron_block_body;
    let used: HashSet<&[u8]> = context
        .parse
        .tokens
        .iter()
        .filter(|token| token.kind == TokenKind::Name)
        .filter(|token| {
            neuron_block
                .is_none_or(|body| token.span.start < body.start || token.span.start >= body.end)
        })
        .map(|token| token.span.slice(context.source))
        .collect();
    let mut reported = HashSet::new();
    context
        .facts
        .ions
        .iter()
        .flat_map(|ion| ion.read.iter().chain(&ion.write))
        .filter(|name| {
            let text = name.span.slice(context.source);
            used.contains(text) && !declared.contains(text) && reported.insert(text)
        })
        .map(|name| {
            let text = context.text(name.span);
            rule.finding(
                format!("the ion variable `{text}` is used but not declared: nocmodl's C++ will not compile"),
                name.span,
                "declare it in ASSIGNED".to_string(),
            )
            .with_help(format!("add `{text}` with its unit to the ASSIGNED block"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn n109(source: &str) -> Vec<String> {
        lint(source.as_bytes(), Dialect::Neuron)
            .into_iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "N109")
            .map(|diagnostic| diagnostic.message)
            .collect()
    }

    /// The undeclared case is this project's example as it was: nocmodl 9.0.2 translated it, g++ 12 refused the C++.
    #[test]
    fn used_ion_variables_need_a_declaration() {
        assert_eq!(
            n109("NEURON { SUFFIX na USEION na READ ena WRITE ina }\nBREAKPOINT { ina = 0.1*(v - ena) }\n"),
            [
                "the ion variable `ena` is used but not declared: nocmodl's C++ will not compile",
                "the ion variable `ina` is used but not declared: nocmodl's C++ will not compile"
            ]
        );
        assert!(n109("NEURON { SUFFIX na USEION na READ ena WRITE ina }\nASSIGNED { v ena ina }\nBREAKPOINT { ina = 0.1*(v - ena) }\n").is_empty());
        // Listed but never used in code: nocmodl's C++ compiles.
        assert!(n109("NEURON { SUFFIX na USEION na READ ena }\nBREAKPOINT { }\n").is_empty());
    }
}
