//! N116: an operator in a DERIVATIVE equation that makes nocmodl abort (its differentiator knows only `+ - * /`).

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::ast::{CallableKind, StatementKind};
use crate::syntax::token::TokenKind;
use crate::syntax::visit::for_each_statement_in_block;
use crate::syntax::Dialect;

pub static RULE: Rule = Rule {
    code: "N116",
    name: "derivative-operator-crash",
    severity: Severity::Error,
    dialects: &[Dialect::Neuron],
    documentation: "## What it does
Finds `^`, a comparison (`<`, `>`, `==` …), `&&`, `||` or `!` on the right-hand side of a derivative equation
`x' = …` in a DERIVATIVE block, outside the argument list of a function call.

## Why it matters
nocmodl aborts on the file (`diffeq.ypp: difeq_yyerror: Assertion '0' failed`, a SIGABRT with no line number),
whatever the SOLVE method, even when nothing solves the block. For CVODE it differentiates each equation with a
small grammar of its own that knows only `+`, `-`, `*`, `/`, parentheses and calls; any other operator is a syntax
error there, and that grammar's error handler is an assertion. Inside a call's argument list the tokens are only
copied, so `exp(-(v > 0))` aborts but `step(v > 0)` does not.

## Example
```
DERIVATIVE state {
    rho' = (c - theta) > 0
}
```

## Fix
Move the expression into a FUNCTION (`rho' = above(c - theta)`), or compute it into a LOCAL before the equation;
write `x^2` as `x*x` or `pow(x, 2)`.
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let mut findings = Vec::new();
    for (_, callable) in context.callables_of(CallableKind::Derivative) {
        for_each_statement_in_block(&callable.body, 1, &mut |statement, _depth| {
            let StatementKind::Assignment { target, value } = &statement.kind else {
                return;
            };
            if context.is_derivative(target) {
                if let Some(operator) = operator_outside_call_arguments(context, value.span) {
                    findings.push(
                        rule.finding(
                            format!(
                                "nocmodl aborts on `{}` in a derivative equation",
                                context.text(operator)
                            ),
                            operator,
                            "its differentiator knows only `+ - * /`, parentheses and calls".to_string(),
                        )
                        .with_help(
                            "compute the value in a FUNCTION or a LOCAL before the equation (`x^2`: `x*x`)",
                        ),
                    );
                }
            }
        });
    }
    findings
}

/// The first operator in `span` that nocmodl's differentiator cannot read: one outside every call's argument list
/// (where tokens are copied as they are), or inside parentheses that group rather than call.
fn operator_outside_call_arguments(context: &LintContext<'_>, span: Span) -> Option<Span> {
    let tokens = &context.parse.tokens;
    let first = tokens.partition_point(|token| token.span.start < span.start);
    // One entry per open parenthesis: whether it opens a call's argument list.
    let mut open_parentheses: Vec<bool> = Vec::new();
    let mut previous = None;
    for token in tokens
        .iter_from(first)
        .take_while(|token| token.span.end <= span.end)
        .filter(|token| !token.kind.is_trivia())
    {
        match token.kind {
            TokenKind::LeftParen => open_parentheses.push(previous == Some(TokenKind::Name)),
            TokenKind::RightParen => {
                open_parentheses.pop();
            }
            TokenKind::Caret
            | TokenKind::Less
            | TokenKind::LessEqual
            | TokenKind::Greater
            | TokenKind::GreaterEqual
            | TokenKind::EqualEqual
            | TokenKind::NotEqual
            | TokenKind::AndAnd
            | TokenKind::OrOr
            | TokenKind::Bang
                if open_parentheses.last() != Some(&true) =>
            {
                return Some(token.span);
            }
            _ => {}
        }
        previous = Some(token.kind);
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::finds;
    use crate::syntax::Dialect;

    fn crashes(equation: &str) -> bool {
        let source = format!(
            "NEURON {{ SUFFIX d }}\nSTATE {{ c }}\nBREAKPOINT {{ SOLVE s METHOD cnexp }}\nDERIVATIVE s {{\n    c' = {equation}\n}}\n"
        );
        finds("N116", &source, Dialect::Neuron)
    }

    #[test]
    fn operators_outside_call_arguments_abort_nocmodl() {
        // Each case as nocmodl 9.0.2 treated it (SIGABRT or accepted).
        assert!(crashes("(c > 0)"));
        assert!(crashes("c^2"));
        assert!(crashes("c*(c > 0)"));
        assert!(crashes("!c"));
        assert!(crashes("exp((c > 0))"));
        assert!(!crashes("exp(c > 0)"));
        assert!(!crashes("-c/2 + exp(-c)*(1 - c)"));
    }
}
