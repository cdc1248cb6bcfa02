//! A106: a NET_RECEIVE block with more than one argument.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "A106",
    name: "net-receive-arguments",
    severity: Severity::Error,
    dialects: &[Dialect::Arbor],
    documentation: "## What it does
Finds a NET_RECEIVE block that takes more than one argument.

## Why it matters
modcc refuses the file: \"NET_RECEIVE takes at most one argument (Arbor limitation!)\". NEURON passes a NetCon's
whole weight vector; Arbor passes one weight.

## Example
```
NET_RECEIVE(weight, tsyn) { … }
```

## Fix
Keep the weight argument; keep other per-connection state in the mechanism (e.g. an ASSIGNED variable).
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let Some(arguments) = &context.facts.net_receive_arguments else {
        return Vec::new();
    };
    arguments
        .iter()
        .skip(1)
        .take(1)
        .map(|extra| {
            rule.finding(
                format!(
                    "NET_RECEIVE takes {} arguments; Arbor allows one",
                    arguments.len()
                ),
                extra.name.span,
                "modcc refuses a second argument".to_string(),
            )
            .with_help("keep the weight; store the rest in the mechanism")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    #[test]
    fn two_net_receive_arguments_are_an_arbor_error_only() {
        let source = b"NEURON {\n POINT_PROCESS t\n}\nBREAKPOINT {\n}\nNET_RECEIVE(w, x) {\n}\n";
        let findings = lint(source, Dialect::Arbor);
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].code.as_str(), "A106");
        assert!(lint(source, Dialect::Neuron).is_empty());
    }
}
