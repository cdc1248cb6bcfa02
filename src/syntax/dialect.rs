//! Constructs that exist in one dialect only. NEURON's nocmodl and Arbor's modcc both reject, as syntax errors,
//! what their grammar lacks; this pass reports them on the parsed tree for the dialect being checked.

use crate::diagnostics::{Code, Diagnostic};
use crate::span::Span;
use crate::syntax::ast::{
    Block, DeclarationBlock, Expression, ExpressionKind, File, ItemKind, MechanismKind, NameListKind,
    NeuronStatementKind, ReactionArrow, Statement, StatementKind,
};
use crate::syntax::token::{Token, TokenKind};
use crate::syntax::Dialect;

/// Reports every construct of `file` that `dialect` does not have.
pub fn check(source: &[u8], tokens: &[Token], file: &File, dialect: Dialect) -> Vec<Diagnostic> {
    let mut findings = Findings {
        dialect,
        diagnostics: Vec::new(),
    };
    match dialect {
        Dialect::Neuron => check_neuron(source, tokens, file, &mut findings),
        Dialect::Arbor => check_arbor(file, &mut findings),
    }
    findings.diagnostics
}

struct Findings {
    dialect: Dialect,
    diagnostics: Vec<Diagnostic>,
}

impl Findings {
    fn report(&mut self, span: Span, what: &str, help: Option<&str>) {
        let mut diagnostic = Diagnostic::error(
            Code::NotInDialect,
            format!("{what} is not part of the {} dialect", self.dialect.name()),
            span,
            format!("{} does not accept this", self.compiler()),
        );
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
}

fn check_neuron(source: &[u8], tokens: &[Token], file: &File, findings: &mut Findings) {
    for item in &file.items {
        match &item.kind {
            ItemKind::Neuron { statements } => {
                for statement in statements {
                    if let NeuronStatementKind::Mechanism {
                        kind: kind @ (MechanismKind::VoltageProcess | MechanismKind::JunctionProcess),
                        ..
                    } = statement.kind
                    {
                        let what = if kind == MechanismKind::VoltageProcess {
                            "`VOLTAGE_PROCESS`"
                        } else {
                            "`JUNCTION_PROCESS`"
                        };
                        findings.report(statement.span, what, Some("use `SUFFIX` for NEURON"));
                    }
                }
            }
            ItemKind::Declarations {
                block: DeclarationBlock::WhiteNoise,
                ..
            } => findings.report(item.span, "a `WHITE_NOISE` block", None),
            ItemKind::Callable(callable) if callable.kind == crate::syntax::ast::CallableKind::PostEvent => {
                findings.report(item.span, "a `POST_EVENT` block", None)
            }
            _ => {}
        }
    }
    for token in tokens {
        if matches!(token.kind, TokenKind::Name | TokenKind::PrimedName) && token.span.slice(source).starts_with(b"_")
        {
            findings.report(token.span, "a name starting with `_`", Some("NEURON names start with a letter"));
        }
    }
}

fn check_arbor(file: &File, findings: &mut Findings) {
    for item in &file.items {
        match &item.kind {
            ItemKind::Verbatim => findings.report(item.span, "a `VERBATIM` block", None),
            ItemKind::Include { .. } => findings.report(item.span, "`INCLUDE`", None),
            ItemKind::FunctionTable { .. } => findings.report(item.span, "`FUNCTION_TABLE`", None),
            ItemKind::Declarations {
                block: DeclarationBlock::Independent,
                ..
            } => findings.report(item.span, "an `INDEPENDENT` block", Some("remove it: Arbor's time is `t`")),
            ItemKind::Declarations { declarations, .. } => {
                for declaration in declarations {
                    if let Some(size) = declaration.size {
                        findings.report(size, "an array", None);
                    }
                }
            }
            ItemKind::Neuron { statements } => {
                for statement in statements {
                    match &statement.kind {
                        NeuronStatementKind::Mechanism {
                            kind: MechanismKind::ArtificialCell,
                            ..
                        } => findings.report(statement.span, "`ARTIFICIAL_CELL`", None),
                        NeuronStatementKind::NameList {
                            list: NameListKind::Pointer,
                            ..
                        } => findings.report(statement.span, "`POINTER`", None),
                        NeuronStatementKind::NameList {
                            list: NameListKind::BbcorePointer,
                            ..
                        } => findings.report(statement.span, "`BBCOREPOINTER`", None),
                        NeuronStatementKind::Verbatim => findings.report(statement.span, "a `VERBATIM` block", None),
                        _ => {}
                    }
                }
            }
            ItemKind::Callable(callable) => check_arbor_block(&callable.body, findings),
            _ => {}
        }
    }
}

fn check_arbor_block(block: &Block, findings: &mut Findings) {
    for statement in &block.statements {
        check_arbor_statement(statement, findings);
    }
}

fn check_arbor_statement(statement: &Statement, findings: &mut Findings) {
    match &statement.kind {
        StatementKind::Verbatim => findings.report(statement.span, "a `VERBATIM` block", None),
        StatementKind::While { body, .. } => {
            findings.report(statement.span, "a `while` loop", None);
            check_arbor_block(body, findings);
        }
        StatementKind::From { body, .. } => {
            findings.report(statement.span, "a `FROM` loop", None);
            check_arbor_block(body, findings);
        }
        StatementKind::Table { .. } => findings.report(
            statement.span,
            "a `TABLE` statement",
            Some("remove it: modcc computes rates directly"),
        ),
        StatementKind::Watch { .. } => findings.report(statement.span, "a `WATCH` statement", None),
        StatementKind::Reaction { arrow, left, rates, .. } => {
            match arrow {
                ReactionArrow::Flux => findings.report(
                    statement.span,
                    "a `<<` reaction",
                    Some("write `~ x <-> (0, flux)` instead"),
                ),
                ReactionArrow::Forward => findings.report(statement.span, "a `->` reaction", None),
                ReactionArrow::Reversible => {}
            }
            for term in left {
                check_arbor_expression(&term.state, findings);
            }
            for rate in rates {
                check_arbor_expression(rate, findings);
            }
        }
        StatementKind::If {
            condition,
            then_block,
            else_branch,
        } => {
            check_arbor_expression(condition, findings);
            check_arbor_block(then_block, findings);
            if let Some(else_branch) = else_branch {
                check_arbor_statement(else_branch, findings);
            }
        }
        StatementKind::Assignment { target, value } => {
            check_arbor_expression(target, findings);
            check_arbor_expression(value, findings);
        }
        StatementKind::Expression(expression) => check_arbor_expression(expression, findings),
        StatementKind::Block(block) | StatementKind::Initial(block) => check_arbor_block(block, findings),
        StatementKind::Protect(_) => findings.report(statement.span, "`PROTECT`", None),
        StatementKind::MutexLock | StatementKind::MutexUnlock => {
            findings.report(statement.span, "`MUTEXLOCK`/`MUTEXUNLOCK`", None)
        }
        StatementKind::Lag { .. } => findings.report(statement.span, "`LAG`", None),
        StatementKind::ForNetcons { .. } => findings.report(statement.span, "`FOR_NETCONS`", None),
        _ => {}
    }
}

fn check_arbor_expression(expression: &Expression, findings: &mut Findings) {
    match &expression.kind {
        ExpressionKind::String => findings.report(expression.span, "a string", None),
        ExpressionKind::Variable { index, .. } => {
            if index.is_some() {
                findings.report(expression.span, "an array element", None);
            }
        }
        ExpressionKind::Call { arguments, .. } => {
            for argument in arguments {
                check_arbor_expression(argument, findings);
            }
        }
        ExpressionKind::Unary { operand, .. } => check_arbor_expression(operand, findings),
        ExpressionKind::Binary { left, right, .. } => {
            check_arbor_expression(left, findings);
            check_arbor_expression(right, findings);
        }
        ExpressionKind::Parenthesized(inner) => check_arbor_expression(inner, findings),
        _ => {}
    }
}
