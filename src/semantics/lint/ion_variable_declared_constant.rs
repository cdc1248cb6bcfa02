//! N101: a variable of a USEION statement declared again in a CONSTANT block.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::DeclarationBlock;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N101",
    name: "ion-variable-declared-constant",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds a variable that a USEION statement reads or writes (`cao`, `ica` …) declared in a CONSTANT block.

## Why it matters
nocmodl refuses the file: \"cao used in USEION statement can not be re-declared in a CONSTANT block\". The ion's
value comes from NEURON; a constant would silently replace it.

## Example
```
NEURON { SUFFIX cdp USEION ca READ cao }
CONSTANT { cao = 2 (mM) }
```

## Fix
Remove the CONSTANT declaration and let the ion provide the value, or use another name for the constant.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let ion_variables = context.ion_variables();
    context
        .declarations_in(DeclarationBlock::Constant)
        .filter(|declaration| ion_variables.contains(&declaration.name.span.slice(context.source)))
        .map(|declaration| {
            let name = context.text(declaration.name.span);
            rule.finding(
                format!("`{name}` is used in a USEION statement and cannot be declared CONSTANT"),
                declaration.name.span,
                "nocmodl refuses this declaration".to_string(),
            )
            .with_help("remove the constant: the ion provides the value".to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn ion_variable_as_constant_is_a_neuron_error() {
        let source = b"NEURON { SUFFIX t USEION ca READ cao }\nCONSTANT { cao = 2 }\n";
        let findings = lint(source, Dialect::Neuron);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code.as_str(), "N101");
        assert!(lint(
            b"NEURON { SUFFIX t USEION ca READ cai }\nCONSTANT { cao = 2 }\n",
            Dialect::Neuron
        )
        .is_empty());
    }
}
