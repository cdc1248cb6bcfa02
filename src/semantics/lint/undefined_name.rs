//! A107: a variable or function used in code but defined nowhere (Arbor).

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "A107",
    name: "undefined-name",
    severity: Severity::Error,
    dialects: &[Dialect::Arbor],
    documentation: "## What it does
Finds names used in code that nothing defines: not a PARAMETER, ASSIGNED, STATE, CONSTANT or WHITE_NOISE
variable, not an ion variable of a USEION or a NONSPECIFIC_CURRENT, not an argument or LOCAL of the block, not a
FUNCTION or PROCEDURE of the file, and not one of modcc's builtins (`v`, `dt`, `celsius`, `diam`, `area`,
`v_peer`; `exp`, `exprelr`, `log`, `cos`, `sin`, `sqrt`, `fabs`, `min`, `max`, `step`, `step_right`,
`step_left`, `signum`, `sigmoid`, `tanh`, `safeinv`).

## Why it matters
modcc refuses the file (\"the variable 'y' is undefined\", \"there is no function or procedure named 'f'\").
nocmodl only warns (\"y undefined. (declared within VERBATIM?)\") and compiles it, so a typo builds for NEURON and
fails for Arbor. Note that Arbor has no `t`.

## Example
```
NEURON { SUFFIX leak NONSPECIFIC_CURRENT i }
PARAMETER { g = 0.001 (S/cm2) }
BREAKPOINT { i = g*(v - erev) }
```

## Fix
Declare the variable (e.g. `erev` in PARAMETER), or correct the spelling.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    // An INCLUDEd file that could not be read may declare any of them.
    if !context.symbols.complete {
        return Vec::new();
    }
    context
        .symbols
        .unresolved_uses()
        .map(|undefined| {
            let used = undefined.text(context.source);
            if undefined.is_call {
                rule.finding(
                    format!("no FUNCTION or PROCEDURE is named `{used}`"),
                    undefined.name.span,
                    "modcc: there is no function or procedure of this name".to_string(),
                )
            } else {
                rule.finding(
                    format!("`{used}` is not defined"),
                    undefined.name.span,
                    "modcc: the variable is undefined".to_string(),
                )
                .with_help(if used == "t" {
                    "Arbor has no `t`: mechanisms cannot depend on the time".to_string()
                } else {
                    format!("declare `{used}` in PARAMETER or ASSIGNED, or correct the name")
                })
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn undefined(source: &str) -> Vec<String> {
        lint(source.as_bytes(), Dialect::Arbor)
            .into_iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "A107")
            .map(|diagnostic| diagnostic.message)
            .collect()
    }

    /// The first three are the cases modcc 0.12.2 was seen to refuse.
    #[test]
    fn undefined_variables_and_functions_are_errors_for_arbor() {
        assert_eq!(
            undefined("NEURON { SUFFIX u NONSPECIFIC_CURRENT i }\nBREAKPOINT { i = y + 1 }\n"),
            ["`y` is not defined"]
        );
        assert_eq!(
            undefined("NEURON { SUFFIX u2 NONSPECIFIC_CURRENT i }\nBREAKPOINT { i = foo(1) }\n"),
            ["no FUNCTION or PROCEDURE is named `foo`"]
        );
        assert_eq!(
            undefined("NEURON { SUFFIX u3 }\nBREAKPOINT { LOCAL a\n a = y }\n"),
            ["`y` is not defined"]
        );
        let defined = "NEURON { SUFFIX d USEION na READ ena WRITE ina NONSPECIFIC_CURRENT il }\nPARAMETER { g = 1 }\nSTATE { m }\nBREAKPOINT { SOLVE states METHOD cnexp\n ina = g*m*(v - ena)\n il = rate(v)*exp(celsius) }\nDERIVATIVE states { m' = (1 - m)/dt }\nFUNCTION rate(x) { LOCAL y\n y = x\n rate = y }\n";
        assert!(undefined(defined).is_empty(), "{:?}", undefined(defined));
        assert_eq!(
            undefined("NEURON { SUFFIX tt NONSPECIFIC_CURRENT i }\nBREAKPOINT { i = t }\n"),
            ["`t` is not defined"]
        );
        assert!(lint(
            b"NEURON { SUFFIX n NONSPECIFIC_CURRENT i }\nBREAKPOINT { i = y }\n",
            Dialect::Neuron
        )
        .iter()
        .all(|diagnostic| diagnostic.code.as_str() != "A107"));
    }
}
