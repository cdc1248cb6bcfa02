//! N106: WATCH or `net_event` outside NET_RECEIVE, or `net_send` in a file without NET_RECEIVE.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{CallableKind, ExpressionKind, ItemKind, StatementKind};
use crate::syntax::visit::{
    for_each_expression_of, for_each_statement_in_block, for_each_subexpression,
};
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N106",
    name: "net-receive-constructs-misplaced",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds the event constructs nocmodl allows in one place only: a WATCH statement or a `net_event(…)` call outside
the NET_RECEIVE block, and a `net_send(…)` call in a file that has no NET_RECEIVE block to receive it.

## Why it matters
nocmodl refuses the file: \"\\\"WATCH\\\" statement only allowed in NET_RECEIVE block\", \"net_eventonly allowed in
NET_RECEIVE block\", \"can't use net_send if there is no NET_RECEIVE block\" — one at a time, and the last one at
the end of the file rather than at the call.

## Example
```
NEURON { POINT_PROCESS spiker }
INITIAL { net_send(1, 1) }
```

## Fix
Move WATCH and `net_event` into NET_RECEIVE; give a file that calls `net_send` a NET_RECEIVE block.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let has_net_receive = context.parse.file.items.iter().any(|item| {
        matches!(&item.kind, ItemKind::Callable(callable) if callable.kind == CallableKind::NetReceive)
    });
    let mut findings = Vec::new();
    for item in &context.parse.file.items {
        let ItemKind::Callable(callable) = &item.kind else {
            continue;
        };
        let in_net_receive = callable.kind == CallableKind::NetReceive;
        for_each_statement_in_block(&callable.body, 1, &mut |statement, _depth| {
            if !in_net_receive && matches!(statement.kind, StatementKind::Watch { .. }) {
                findings.push(rule.finding(
                    "WATCH is only allowed in the NET_RECEIVE block".to_string(),
                    statement.span,
                    "nocmodl refuses WATCH here".to_string(),
                ));
            }
            for_each_expression_of(statement, &mut |expression| {
                for_each_subexpression(expression, &mut |inner| {
                    let ExpressionKind::Call { name, .. } = &inner.kind else {
                        return;
                    };
                    match context.text(name.span).as_ref() {
                        "net_event" if !in_net_receive => findings.push(rule.finding(
                            "`net_event` is only allowed in the NET_RECEIVE block".to_string(),
                            name.span,
                            "nocmodl refuses net_event here".to_string(),
                        )),
                        "net_send" if !has_net_receive => findings.push(
                            rule.finding(
                                "`net_send` needs a NET_RECEIVE block to receive the event"
                                    .to_string(),
                                name.span,
                                "this file has no NET_RECEIVE block".to_string(),
                            )
                            .with_help("add NET_RECEIVE(w) { … } to handle the event"),
                        ),
                        _ => {}
                    }
                })
            });
        });
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn n106(source: &str) -> Vec<String> {
        lint(source.as_bytes(), Dialect::Neuron)
            .into_iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "N106")
            .map(|diagnostic| diagnostic.message)
            .collect()
    }

    /// Each case as nocmodl 9.0.2 was seen to refuse or accept it.
    #[test]
    fn event_constructs_outside_net_receive_are_errors() {
        assert_eq!(
            n106("NEURON { POINT_PROCESS s1 }\nINITIAL { net_send(1, 1) }\n"),
            ["`net_send` needs a NET_RECEIVE block to receive the event"]
        );
        assert_eq!(
            n106(
                "NEURON { POINT_PROCESS s2 }\nBREAKPOINT { WATCH (v > 0) 1 }\nNET_RECEIVE(w) { }\n"
            ),
            ["WATCH is only allowed in the NET_RECEIVE block"]
        );
        assert_eq!(
            n106("NEURON { POINT_PROCESS s3 }\nINITIAL { net_event(t) }\nNET_RECEIVE(w) { }\n"),
            ["`net_event` is only allowed in the NET_RECEIVE block"]
        );
        assert!(n106(
            "NEURON { POINT_PROCESS s5 }\nNET_RECEIVE(w) { WATCH (v > 0) 2\n net_event(t) }\n"
        )
        .is_empty());
        assert!(n106(
            "NEURON { POINT_PROCESS s6 }\nINITIAL { net_send(1, 1) }\nNET_RECEIVE(w) { }\n"
        )
        .is_empty());
    }
}
