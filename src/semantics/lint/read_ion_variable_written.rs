//! W008 (warning): an assignment to an ion variable the mechanism only READs.

use foldhash::HashSet;

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "W008",
    name: "read-ion-variable-written",
    severity: Severity::Warning,
    dialects: &[Dialect::Neuron, Dialect::Arbor],
    documentation: "## What it does
Finds assignments to an ion variable that the USEION statement lists under READ but not under WRITE (unless a
LOCAL or an argument of that name hides it).

## Why it matters
Both compilers accept it, but the value written only changes the mechanism's own copy: the ion (the reversal
potential, the concentration) is not changed for the other mechanisms of the segment, and the next step reads the
ion's value again. Either the variable should be WRITTEN, or the assignment is a mistake.

## Example
```
NEURON { SUFFIX nax USEION na READ ena WRITE ina }
INITIAL { ena = 50 }
```

## Fix
Add the variable to WRITE if the mechanism sets it for the ion; otherwise assign a variable of its own.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let written: HashSet<String> = context
        .facts
        .ions
        .iter()
        .flat_map(|ion| &ion.write)
        .map(|name| context.name_text(name))
        .collect();
    let only_read: HashSet<String> = context
        .facts
        .ions
        .iter()
        .flat_map(|ion| &ion.read)
        .map(|name| context.name_text(name))
        .filter(|name| !written.contains(name))
        .collect();
    context
        .assignments_to_file_variables()
        .into_iter()
        .filter(|(_, assigned)| only_read.contains(*assigned))
        .map(|(name, assigned)| {
            rule.finding(
                format!("`{assigned}` is only READ from the ion, so this assignment does not reach the ion"),
                name.span,
                "written here".to_string(),
            )
            .with_help(format!("list `{assigned}` under WRITE, or assign a variable of your own"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn w008(source: &str, dialect: Dialect) -> usize {
        lint(source.as_bytes(), dialect)
            .iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "W008")
            .count()
    }

    #[test]
    fn writing_a_read_only_ion_variable_is_a_warning() {
        let read_only = "NEURON { SUFFIX e USEION na READ ena WRITE ina }\nASSIGNED { ena ina v }\nBREAKPOINT { ena = 50\n ina = 0.001*(v - ena) }\n";
        assert_eq!(w008(read_only, Dialect::Neuron), 1);
        let written = "NEURON { SUFFIX e USEION ca READ cai WRITE cai, ica }\nASSIGNED { cai ica v }\nBREAKPOINT { cai = 1\n ica = 0 }\n";
        assert_eq!(w008(written, Dialect::Neuron), 0);
    }
}
