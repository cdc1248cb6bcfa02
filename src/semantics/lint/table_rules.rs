//! N107: a TABLE statement where nocmodl cannot build the table.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::syntax::ast::{CallableKind, ItemKind, StatementKind};
use crate::syntax::visit::for_each_statement_in_block;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N107",
    name: "table-rules",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Checks TABLE statements against nocmodl's rules: a TABLE belongs in a FUNCTION or PROCEDURE; that FUNCTION or
PROCEDURE takes exactly one argument (the table's variable); and a TABLE in a PROCEDURE names the variables it
tabulates.

## Why it matters
nocmodl refuses the file (\"TABLE valid only for FUNCTION or PROCEDURE\", \"FUNCTION or PROCEDURE containing a TABLE
stmt must have exactly one argument\", \"TABLE stmt in PROCEDURE must have a table name list\"), reporting the end of
the block rather than the TABLE.

## Example
```
FUNCTION rate(v (mV), k) {
    TABLE FROM -100 TO 100 WITH 200
    rate = exp(v/k)
}
```

## Fix
Make the table's variable the only argument (other inputs become PARAMETERs listed in DEPEND), move the TABLE into
a FUNCTION or PROCEDURE, and list the variables a PROCEDURE's TABLE fills.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for item in &context.parse.file.items {
        let ItemKind::Callable(callable) = &item.kind else {
            continue;
        };
        for_each_statement_in_block(&callable.body, 1, &mut |statement, _depth| {
            let StatementKind::Table { names, .. } = &statement.kind else {
                return;
            };
            let (message, label) = match callable.kind {
                CallableKind::Function | CallableKind::Procedure if callable.arguments.len() != 1 => (
                    format!(
                        "a FUNCTION or PROCEDURE with a TABLE must take exactly one argument, not {}",
                        callable.arguments.len()
                    ),
                    "nocmodl tabulates over the single argument",
                ),
                CallableKind::Procedure if names.is_empty() => (
                    "a TABLE in a PROCEDURE must name the variables it tabulates".to_string(),
                    "e.g. `TABLE minf, mtau FROM -100 TO 100 WITH 200`",
                ),
                CallableKind::Function | CallableKind::Procedure => return,
                _ => (
                    "TABLE is only valid in a FUNCTION or PROCEDURE".to_string(),
                    "nocmodl refuses a TABLE here",
                ),
            };
            findings.push(rule.finding(message, statement.span, label.to_string()));
        });
    }
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::lint;
    use crate::syntax::Dialect;

    fn n107(source: &str) -> Vec<String> {
        lint(source.as_bytes(), Dialect::Neuron)
            .into_iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "N107")
            .map(|diagnostic| diagnostic.message)
            .collect()
    }

    /// The refused cases were refused by nocmodl 9.0.2 with the messages the rule documents; the last one passes.
    #[test]
    fn tables_follow_nocmodl_rules() {
        assert_eq!(
            n107("NEURON { SUFFIX t1 }\nFUNCTION f(x, y) {\n TABLE FROM 0 TO 1 WITH 10\n f = x + y }\n"),
            ["a FUNCTION or PROCEDURE with a TABLE must take exactly one argument, not 2"]
        );
        assert_eq!(
            n107("NEURON { SUFFIX t4 }\nASSIGNED { a }\nBREAKPOINT {\n TABLE a FROM 0 TO 1 WITH 10\n a = 1 }\n"),
            ["TABLE is only valid in a FUNCTION or PROCEDURE"]
        );
        assert_eq!(
            n107("NEURON { SUFFIX t5 }\nPROCEDURE p(x) {\n TABLE FROM 0 TO 1 WITH 10\n }\n"),
            ["a TABLE in a PROCEDURE must name the variables it tabulates"]
        );
        assert!(n107("NEURON { SUFFIX t2 }\nASSIGNED { a }\nPROCEDURE p(x) {\n TABLE a FROM 0 TO 1 WITH 10\n a = x }\n").is_empty());
    }
}
