//! N117: a SOLVE whose METHOD cannot integrate the kind of block it names (nocmodl's table of methods).

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{CallableKind, StatementKind};
use crate::syntax::visit::for_each_statement;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N117",
    name: "solve-method-mismatch",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds `SOLVE x METHOD m` where the method `m` cannot integrate the kind of block `x` is, by nocmodl's table of
methods: `cnexp` and `derivimplicit` take a DERIVATIVE block, `sparse` a KINETIC one, `euler` and `runge` either,
`simeq` a LINEAR block and `newton` a NONLINEAR one (`after_cvode`, `cvode_t` and `cvode_t_v` take any).

## Why it matters
nocmodl refuses the file: \"Method sparse can't be used with Block states\" (modcc has its own, narrower, list).

## Example
```
BREAKPOINT { SOLVE states METHOD sparse }
DERIVATIVE states { m' = (minf - m)/mtau }
```

## Fix
Use `cnexp` or `derivimplicit` for a DERIVATIVE block and `sparse` for a KINETIC one.
",
    check,
};

/// nocmodl's methods and the blocks each integrates (its `methods[]` table, `init.cpp`).
const METHODS: &[(&str, &[CallableKind])] = &[
    ("runge", &[CallableKind::Derivative, CallableKind::Kinetic]),
    ("euler", &[CallableKind::Derivative, CallableKind::Kinetic]),
    ("newton", &[CallableKind::Nonlinear]),
    ("simeq", &[CallableKind::Linear]),
    ("_advance", &[CallableKind::Kinetic]),
    ("sparse", &[CallableKind::Kinetic]),
    ("derivimplicit", &[CallableKind::Derivative]),
    ("cnexp", &[CallableKind::Derivative]),
];

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for_each_statement(&context.parse.file, &mut |statement, _depth| {
        let StatementKind::Solve {
            name,
            method: Some(method),
            ..
        } = &statement.kind
        else {
            return;
        };
        let method_text = context.text(method.span);
        let Some((_, kinds)) = METHODS
            .iter()
            .find(|(known, _)| *known == method_text.as_ref())
        else {
            return;
        };
        let solved = context.callable_named(name.span.slice(context.source));
        if let Some(callable) = solved.filter(|callable| !kinds.contains(&callable.kind)) {
            findings.push(
                rule.finding(
                    format!(
                        "METHOD {method_text} cannot solve the {} block `{}`",
                        callable.kind.keyword(),
                        context.text(name.span)
                    ),
                    method.span,
                    "nocmodl refuses this method for this block".to_string(),
                )
                .with_help(
                    "use `cnexp` or `derivimplicit` for a DERIVATIVE block, `sparse` for a KINETIC one",
                ),
            );
        }
    });
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::finds;
    use crate::syntax::Dialect;

    fn refused(method: &str, block: &str) -> bool {
        let source = format!(
            "NEURON {{ SUFFIX m }}\nSTATE {{ c d }}\nBREAKPOINT {{ SOLVE s METHOD {method} }}\n{block}\n"
        );
        finds("N117", &source, Dialect::Neuron)
    }

    #[test]
    fn methods_take_the_blocks_of_nocmodls_table() {
        // As nocmodl 9.0.2 treated each.
        assert!(refused("sparse", "DERIVATIVE s { c' = -c }"));
        assert!(refused("cnexp", "PROCEDURE s() { c = 1 }"));
        assert!(!refused("runge", "KINETIC s { ~ c <-> d (1, 2) }"));
        assert!(!refused("derivimplicit", "DERIVATIVE s { c' = -c }"));
    }
}
