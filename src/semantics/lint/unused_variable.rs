//! W005: a PARAMETER or ASSIGNED variable that nothing uses.

use super::{LintContext, Rule};
use crate::diagnostics::{Diagnostic, Severity};
use crate::span::Span;
use crate::syntax::ast::DeclarationBlock;
use crate::syntax::token::TokenKind;
use crate::syntax::Dialect;

/// Variables the simulator itself sets or reads: declaring them is how a mechanism gets at them.
const SIMULATOR_VARIABLES: &[&str] = &["v", "celsius", "diam", "area", "dt", "t", "v_peer"];

pub static RULE: Rule = Rule {
    code: "W005",
    name: "unused-variable",
    severity: Severity::Warning,
    dialects: &[Dialect::Neuron, Dialect::Arbor],
    documentation: "## What it does
Finds PARAMETER and ASSIGNED variables whose name appears nowhere else in the file: not in a statement, not in the
NEURON block (RANGE, GLOBAL, USEION, …), not in VERBATIM code. Variables the simulator provides (`v`, `celsius`,
`diam`, `area`, `t`, `dt`) are not reported.

## Why it matters
An unused parameter is usually a leftover or a typo: the value a user sets from Python or hoc changes nothing, or
the code uses a differently spelt name that the compiler takes as another variable. Neither compiler says so.

## Example
```
NEURON { SUFFIX leak NONSPECIFIC_CURRENT i }
PARAMETER { g = 0.001 (S/cm2) e = -70 (mV) gbar = 1 (S/cm2) }
ASSIGNED { v (mV) i (mA/cm2) }
BREAKPOINT { i = g*(v - e) }
```
`gbar` is declared and never used.

## Fix
Remove the declaration, or use the variable where it was meant (and export it with RANGE or GLOBAL if users set it).
",
    check,
};

fn check(context: &LintContext<'_>, rule: &Rule) -> Vec<Diagnostic> {
    let symbols = context.symbols;
    // How often each declared name occurs as a name token, by the name's id (VERBATIM code, where C can use any
    // variable, is in the context's word set). Names no symbol has are not counted.
    let mut occurrences: Vec<u32> = vec![0; symbols.symbols.len()];
    // Most name tokens are declarations and uses, whose names the table knows: only the others are looked up.
    let known = symbols.spans_of_names(context.source);
    let mut known = known.iter().peekable();
    for token in &context.parse.tokens {
        if !matches!(token.kind, TokenKind::Name | TokenKind::PrimedName) {
            continue;
        }
        while known
            .next_if(|(span, _)| span.start < token.span.start)
            .is_some()
        {}
        let name = match known.next_if(|(span, _)| *span == token.span) {
            Some(&(_, name)) => Some(name as usize),
            None => {
                let text = token.span.slice(context.source);
                symbols.name_id(text.strip_suffix(b"'").unwrap_or(text))
            }
        };
        if let Some(name) = name {
            occurrences[name] = occurrences[name].saturating_add(1);
        }
    }
    // The unused declarations first, then their findings in a vector of the right size (a million findings
    // would otherwise be copied as the vector grows), with room for the other rules' findings, which are put in
    // front of these (see `diagnostics::append`) without moving them.
    let mut unused: Vec<(&str, Span)> = Vec::new();
    for (block, kind) in [
        (DeclarationBlock::Parameter, "PARAMETER"),
        (DeclarationBlock::Assigned, "ASSIGNED"),
    ] {
        for (id, symbol) in symbols.declarations_in(block) {
            let name = symbol.name.as_bytes();
            let used = occurrences[symbols.name_of(id)] > 1
                || SIMULATOR_VARIABLES
                    .iter()
                    .any(|variable| variable.as_bytes() == name)
                || context.mentioned_in_verbatim(name);
            if !used {
                unused.push((kind, symbol.span.unwrap_or_default()));
            }
        }
    }
    let mut findings = Vec::with_capacity(unused.len() + unused.len() / 64 + 16);
    findings.extend(unused.into_iter().map(|(kind, span)| {
        rule.finding(
            [
                kind,
                " `",
                &context.text(span),
                "` is declared but never used",
            ]
            .concat(),
            span,
            "not in any statement, the NEURON block or VERBATIM code",
        )
    }));
    findings
}

#[cfg(test)]
mod tests {
    use crate::semantics::lint::{lint, verbatim_words};
    use crate::syntax::lexer::lex;
    use crate::syntax::Dialect;

    fn unused(source: &str) -> Vec<String> {
        lint(source.as_bytes(), Dialect::Neuron)
            .into_iter()
            .filter(|diagnostic| diagnostic.code.as_str() == "W005")
            .map(|diagnostic| diagnostic.message)
            .collect()
    }

    #[test]
    fn declared_names_nothing_mentions_are_reported() {
        let source = "NEURON { SUFFIX leak NONSPECIFIC_CURRENT i RANGE exported }\nPARAMETER {\n    g = 0.001 (S/cm2)\n    e = -70 (mV)\n    gbar = 1 (S/cm2)\n    exported = 2 (1)\n    celsius (degC)\n}\nASSIGNED { v (mV) i (mA/cm2) spare (1) in_c (1) }\nBREAKPOINT { i = g*(v - e) }\nPROCEDURE p() {\nVERBATIM\n  in_c = 1;\nENDVERBATIM\n}\n";
        assert_eq!(
            unused(source),
            [
                "PARAMETER `gbar` is declared but never used",
                "ASSIGNED `spare` is declared but never used"
            ]
        );
    }

    #[test]
    fn words_are_matched_whole() {
        let source = b"PROCEDURE p() {\nVERBATIM\n x = in_cx + pin_c*in_c;\nENDVERBATIM\n}\n";
        let words = verbatim_words(source, &lex(source, Dialect::Neuron));
        assert!(words.contains(&b"in_c"[..]));
        assert!(words.contains(&b"pin_c"[..]));
        assert!(!words.contains(&b"in"[..]));
        assert!(!words.contains(&b"c"[..]));
    }
}
