//! What one dialect's compiler refuses although the shared grammar reads it. nocmodl (NEURON) and modcc (Arbor)
//! both reject these as syntax errors; this pass reports them on the tokens and the tree, for the dialect checked.
//! The facts behind each check were confirmed against nocmodl 9.0.2 and modcc 0.12.2 (fixtures in
//! `corpus/fixtures/invalid/<dialect>/`).

mod arbor;

pub use arbor::flux_as_reaction;
mod neuron;

use crate::diagnostics::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{CallableKind, File, ItemKind, StatementKind};
use crate::syntax::token::Tokens;
use crate::syntax::visit::for_each_statement_in_block;
use crate::syntax::Dialect;

/// Reports every construct of `file` that `dialect`'s compiler refuses.
pub fn check(source: &[u8], tokens: &Tokens, file: &File, dialect: Dialect) -> Vec<Diagnostic> {
    let mut findings = Findings {
        source,
        dialect,
        diagnostics: Vec::new(),
    };
    match dialect {
        Dialect::Neuron => neuron::check(tokens, file, &mut findings),
        Dialect::Arbor => arbor::check(tokens, file, &mut findings),
    }
    check_reaction_placement(file, &mut findings);
    findings.diagnostics
}

/// Where the grammars refuse a reaction `~ A <-> B (…)`: nocmodl's in a DERIVATIVE, LINEAR or NONLINEAR block;
/// modcc's inside an `if` of a KINETIC block ("reaction expressions are not allowed inside a nested scope").
/// Elsewhere outside KINETIC both refuse it after parsing (lint B105).
fn check_reaction_placement(file: &File, findings: &mut Findings<'_>) {
    for item in &file.items {
        let ItemKind::Callable(callable) = &item.kind else {
            continue;
        };
        let in_kinetic = callable.kind == CallableKind::Kinetic;
        let refused_by_grammar = match findings.dialect {
            Dialect::Neuron => matches!(
                callable.kind,
                CallableKind::Derivative | CallableKind::Linear | CallableKind::Nonlinear
            ),
            Dialect::Arbor => false,
        };
        for_each_statement_in_block(&callable.body, 1, &mut |statement, depth| {
            if !matches!(statement.kind, StatementKind::Reaction { .. }) {
                return;
            }
            if refused_by_grammar {
                findings.refused(
                    statement.span,
                    format!(
                        "nocmodl's grammar has no reaction in a {} block",
                        callable.kind.keyword()
                    ),
                    Some("move the reaction into a KINETIC block solved with `METHOD sparse`"),
                );
            } else if in_kinetic && depth > 1 && findings.dialect == Dialect::Arbor {
                findings.refused(
                    statement.span,
                    "modcc takes reactions only at the top of a KINETIC block, not inside `if`"
                        .to_string(),
                    Some("give the reaction a rate that is 0 when it should not happen"),
                );
            }
        });
    }
}

/// The diagnostics found so far, and what is needed to word them.
pub(crate) struct Findings<'a> {
    pub source: &'a [u8],
    dialect: Dialect,
    diagnostics: Vec<Diagnostic>,
}

impl Findings<'_> {
    /// `what` (e.g. "a `while` loop") is not part of the dialect.
    pub fn not_in_dialect(&mut self, span: Span, what: &str, help: Option<&str>) {
        let message = format!("{what} is not part of the {} dialect", self.dialect.name());
        self.refused(span, message, help);
    }

    /// Attaches a safe fix to the finding reported last.
    pub fn with_fix_on_last(&mut self, description: &str, edits: Vec<crate::span::TextEdit>) {
        if let Some(last) = self.diagnostics.pop() {
            self.diagnostics.push(last.with_fix(description, edits));
        }
    }

    /// The compiler refuses what is at `span`, for the reason in `message`.
    pub fn refused(&mut self, span: Span, message: String, help: Option<&str>) {
        let label = format!("{} refuses this", self.compiler());
        let mut diagnostic = Diagnostic::error(Code::NotInDialect, message, span, label);
        if let Some(help) = help {
            diagnostic = diagnostic.with_help(help);
        }
        self.diagnostics.push(diagnostic);
    }

    fn compiler(&self) -> &'static str {
        match self.dialect {
            Dialect::Neuron => "nocmodl",
            Dialect::Arbor => "modcc",
        }
    }

    pub fn text(&self, span: Span) -> std::borrow::Cow<'_, str> {
        span.text(self.source)
    }

    /// Whether a line break lies between byte offsets `from` and `to`.
    pub fn line_break_between(&self, from: u32, to: u32) -> bool {
        let (from, to) = (from.min(to) as usize, from.max(to) as usize);
        self.source[from..to.min(self.source.len())]
            .iter()
            .any(|&byte| byte == b'\n' || byte == b'\r')
    }
}
