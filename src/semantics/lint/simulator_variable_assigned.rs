//! B103: an assignment to a variable the simulator owns (`dt`; for NEURON also `t`, `celsius`, `diam`, `area`).

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::Dialect;

/// What nocmodl 9.0.2 refuses to see assigned ("dt is a special NEURON variable that should not be assigned a value
/// in a model description file"), checked one by one; `v` may be assigned.
const NOCMODL_READ_ONLY: &[&str] = &["t", "dt", "celsius", "diam", "area"];

/// What modcc 0.12.2 refuses to see assigned ("the left hand side of an assignment must be an lvalue"); it lets
/// `celsius`, `diam`, `area` and `v` be assigned, and has no `t` (A107).
const MODCC_READ_ONLY: &[&str] = &["dt"];

pub static RULE: Rule = Rule {
    code: "B103",
    name: "simulator-variable-assigned",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron, Dialect::Arbor],
    documentation: "## What it does
Finds assignments to variables the simulator sets: `t`, `dt`, `celsius`, `diam` and `area` for NEURON, `dt` for
Arbor. A LOCAL or an argument of the same name is an ordinary variable and is not reported.

## Why it matters
nocmodl refuses the file (\"dt is a special NEURON variable that should not be assigned a value in a model
description file\"), and modcc refuses an assignment to `dt` (\"the left hand side of an assignment must be an
lvalue\"). Even where a compiler allows it (modcc lets `celsius` be assigned), the value belongs to the whole
simulation, not to one mechanism.

## Example
```
INITIAL { celsius = 34 }
```

## Fix
Set the value from the simulation script (`h.celsius = 34`), or use a variable of your own.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let read_only = match context.dialect {
        Dialect::Neuron => NOCMODL_READ_ONLY,
        Dialect::Arbor => MODCC_READ_ONLY,
    };
    context
        .assignments_to_file_variables()
        .into_iter()
        .filter(|(_, assigned)| read_only.contains(assigned))
        .map(|(name, assigned)| {
            rule.finding(
                format!("`{assigned}` is set by the simulator and cannot be assigned here"),
                name.span,
                "the compiler refuses this assignment".to_string(),
            )
            .with_help(format!(
                "set `{assigned}` from the simulation script, or assign a variable of your own"
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn b103(source: &str, dialect: Dialect) -> Vec<String> {
        lint(source.as_bytes(), dialect)
            .into_iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "B103")
            .map(|diagnostic| diagnostic.message)
            .collect()
    }

    /// As nocmodl 9.0.2 and modcc 0.12.2 were seen to treat each name.
    #[test]
    fn simulator_variables_are_read_only() {
        let source = |name: &str| {
            format!("NEURON {{ SUFFIX s NONSPECIFIC_CURRENT i }}\nPARAMETER {{ celsius = 6.3 (degC) }}\nINITIAL {{\n {name} = 2\n}}\nBREAKPOINT {{ i = 0 }}\n")
        };
        for name in ["t", "dt", "celsius", "diam", "area"] {
            assert_eq!(b103(&source(name), Dialect::Neuron).len(), 1, "{name}");
        }
        assert!(b103(&source("v"), Dialect::Neuron).is_empty());
        assert_eq!(
            b103(&source("dt"), Dialect::Arbor),
            ["`dt` is set by the simulator and cannot be assigned here"]
        );
        for name in ["celsius", "diam", "area", "v"] {
            assert!(b103(&source(name), Dialect::Arbor).is_empty(), "{name}");
        }
        // A LOCAL of the same name is the block's own variable.
        assert!(b103(
            "NEURON { SUFFIX l }\nBREAKPOINT { LOCAL dt\n dt = 1 }\n",
            Dialect::Neuron
        )
        .is_empty());
    }
}
