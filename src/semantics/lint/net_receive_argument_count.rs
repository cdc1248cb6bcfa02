//! N114: a NET_RECEIVE block without arguments, or a FOR_NETCONS with another number of arguments than its
//! NET_RECEIVE.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{CallableKind, ItemKind, StatementKind};
use crate::syntax::visit::for_each_statement;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N114",
    name: "net-receive-argument-count",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds a NET_RECEIVE block with no argument, and a FOR_NETCONS loop whose argument count differs from that of the
NET_RECEIVE block.

## Why it matters
nocmodl refuses the file: \"NET_RECEIVE block must have at least one argument\" (the first is the NetCon's
weight), and \"FOR_NETCONS and NET_RECEIVE do not have same number of arguments\" (FOR_NETCONS walks the same
weight vectors).

## Example
```
NET_RECEIVE(weight, tlast) {
    FOR_NETCONS(w) { }
}
```

## Fix
Give NET_RECEIVE the weight argument; give FOR_NETCONS as many arguments as NET_RECEIVE has.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    let Some(net_receive) = context
        .parse
        .file
        .items
        .iter()
        .find_map(|item| match &item.kind {
            ItemKind::Callable(callable) if callable.kind == CallableKind::NetReceive => {
                Some((item.span, callable))
            }
            _ => None,
        })
    else {
        return findings;
    };
    let (block_span, callable) = net_receive;
    let expected = callable.arguments.len();
    if expected == 0 {
        findings.push(
            rule.finding(
                "NET_RECEIVE has no argument; it needs at least the weight".to_string(),
                crate::span::Span::new(
                    block_span.start as usize,
                    block_span.start as usize + "NET_RECEIVE".len(),
                ),
                "nocmodl refuses a NET_RECEIVE without arguments".to_string(),
            )
            .with_help("write `NET_RECEIVE(weight) { … }`"),
        );
    }
    for_each_statement(&context.parse.file, &mut |statement, _depth| {
        if let StatementKind::ForNetcons { arguments, .. } = &statement.kind {
            if arguments.len() != expected {
                findings.push(
                    rule.finding(
                        format!(
                            "FOR_NETCONS has {} arguments and NET_RECEIVE {expected}",
                            arguments.len()
                        ),
                        statement.span,
                        "nocmodl wants the same number".to_string(),
                    )
                    .with_help(format!("give FOR_NETCONS {expected} arguments")),
                );
            }
        }
    });
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn n114(net_receive: &str) -> Vec<String> {
        let source = format!("NEURON {{ POINT_PROCESS e }}\nBREAKPOINT {{ }}\n{net_receive}\n");
        lint(source.as_bytes(), Dialect::Neuron)
            .into_iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "N114")
            .map(|diagnostic| diagnostic.message)
            .collect()
    }

    /// As nocmodl 9.0.2 was seen to treat each case.
    #[test]
    fn net_receive_needs_arguments_and_for_netcons_the_same_number() {
        assert_eq!(
            n114("NET_RECEIVE() { }"),
            ["NET_RECEIVE has no argument; it needs at least the weight"]
        );
        assert_eq!(
            n114("NET_RECEIVE(w, x) { FOR_NETCONS(a) { } }"),
            ["FOR_NETCONS has 1 arguments and NET_RECEIVE 2"]
        );
        assert!(n114("NET_RECEIVE(w, x) { FOR_NETCONS(a, b) { } }").is_empty());
    }
}
