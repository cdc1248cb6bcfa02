//! N112: a declared `celcius`, which nocmodl refuses as a misspelt `celsius`.

use super::misspelt_celsius::findings_at_each_celcius;
use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::semantics::symbols::SymbolKind;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N112",
    name: "celcius-declared",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds `celcius` in a file that declares it (in PARAMETER, ASSIGNED, as a LOCAL or an argument): every place the
name is written.

## Why it matters
nocmodl refuses the file: \"celcius should be spelled celsius\". (An undeclared `celcius` is only an undefined
name to nocmodl, N111; modcc accepts a declared one as an ordinary variable, W001.)

## Example
```
PARAMETER { celcius = 37 (degC) }
BREAKPOINT { q10 = 3^((celcius - 23)/10) }
```

## Fix
Write `celsius` (`glia lint --fix` does), and set the temperature from the simulation.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let declared = context.symbols.symbols.iter().any(|symbol| {
        symbol.name == "celcius" && symbol.span.is_some() && symbol.kind != SymbolKind::Range
    });
    if declared {
        findings_at_each_celcius(context, rule)
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    /// The codes of the errors and of N111, in source order.
    fn codes(source: &str) -> Vec<String> {
        lint(source.as_bytes(), Dialect::Neuron)
            .iter()
            .filter(|diagnostic| diagnostic.is_error() || diagnostic.code.as_str() == "N111")
            .map(|diagnostic| diagnostic.code.as_str().to_string())
            .collect()
    }

    /// As nocmodl 9.0.2 was seen to treat each case.
    #[test]
    fn a_declared_celcius_is_a_neuron_error() {
        assert_eq!(
            codes("NEURON { SUFFIX c NONSPECIFIC_CURRENT i }\nPARAMETER { celcius = 37 }\nASSIGNED { i }\nBREAKPOINT { i = celcius }\n"),
            ["N112", "N112"]
        );
        assert_eq!(
            codes("NEURON { SUFFIX c NONSPECIFIC_CURRENT i }\nASSIGNED { i }\nBREAKPOINT { LOCAL celcius\n celcius = 1\n i = celcius }\n"),
            ["N112", "N112", "N112"]
        );
        // Undeclared, it is an undefined name.
        assert_eq!(
            codes("NEURON { SUFFIX c NONSPECIFIC_CURRENT i }\nASSIGNED { i }\nBREAKPOINT { i = celcius }\n"),
            ["N111"]
        );
    }
}
