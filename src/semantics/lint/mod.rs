//! Lint: rules that predict what nocmodl and modcc reject beyond syntax, each in its own file with a stable code,
//! registered in [`RULES`]. `lint` runs the front end's checks (syntax and dialect) and then every rule that
//! applies to the dialect.
//!
//! Codes: `N1xx` are errors nocmodl (NEURON) gives, `A1xx` errors modcc (Arbor) gives, `B1xx` errors both give,
//! `Wxxx` warnings neither compiler gives.

mod builtin_declared_in_assigned;
mod celcius_declared;
mod cnexp_undifferentiable;
mod conductance_rules;
mod derivative_operator_crash;
mod derivative_without_equation;
mod duplicate_declaration;
mod external_in_function;
mod function_result_never_assigned;
mod function_result_not_set;
mod global_undeclared;
mod global_written_without_threadsafe;
mod include_missing;
mod ion_variable_declared_constant;
mod ion_variable_declared_in_assigned;
mod ion_variable_invalid;
mod ion_variable_undeclared;
mod kinetic_statement_after_reaction;
mod missing_breakpoint;
mod misspelt_celsius;
mod net_receive_argument_count;
mod net_receive_arguments;
mod net_receive_constructs_misplaced;
mod net_receive_duplicated;
mod net_receive_outside_point_process;
mod nonspecific_current_declared_in_assigned;
mod nrnunits_names;
mod parameter_without_unit;
mod pointer_undeclared;
mod range_undeclared;
mod reaction_outside_kinetic;
mod read_ion_variable_written;
mod recursive_function;
mod shadowed_name;
mod simulator_variable_assigned;
mod solve_after_derivative_block;
mod solve_method_mismatch;
mod solve_target_missing;
mod solve_without_method;
mod state_declared_global;
pub mod suppression;
mod table_rules;
mod undeclared_name;
mod undefined_name;
mod unit_redefined;
mod unused_variable;
mod variable_and_function;
mod verbatim_in_threadsafe;

use foldhash::HashSet;

use crate::diagnostics::line_index::LineIndex;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::semantics::mechanism::{mechanism_facts, MechanismFacts};
use crate::semantics::symbols::{NameUse, Scope, SymbolTable};
use crate::span::{Span, TextEdit};
use crate::syntax::ast::{
    Callable, CallableKind, Declaration, DeclarationBlock, Expression, ExpressionKind, Item,
    ItemKind, Name,
};
use crate::syntax::token::{TokenKind, Tokens};
use crate::syntax::visit::{
    for_each_expression_of, for_each_statement_in_block, for_each_subexpression,
};
use crate::syntax::{parse, Dialect, Parse};
use suppression::Suppressions;

/// Finds an INCLUDEd file by the name written in the mod file and returns its bytes, or says where it was looked
/// for. The caller does the IO (see `build::sources`); lint itself stays a pure function of its input.
pub type IncludeLookup<'a> = &'a dyn Fn(&str) -> Result<Vec<u8>, String>;

/// One top-level `INCLUDE "…"` and what looking it up gave.
pub struct IncludedFile {
    /// The quoted name in the mod file, quotes included.
    pub quoted: Span,
    pub contents: Result<Vec<u8>, String>,
}

/// What a rule sees.
pub struct LintContext<'a> {
    pub source: &'a [u8],
    pub parse: &'a Parse,
    pub facts: &'a MechanismFacts,
    pub dialect: Dialect,
    /// Every declaration, and every name used in code resolved to one.
    pub symbols: &'a SymbolTable,
    /// The file's INCLUDEs as looked up; `None` when the caller cannot look files up (e.g. a source given from
    /// memory), so they are neither checked nor followed.
    pub included: Option<&'a [IncludedFile]>,
    /// Every identifier-like word written in the file's VERBATIM blocks (C code there may declare or use it), found
    /// once so that each question about a name costs one lookup.
    pub verbatim_words: HashSet<&'a [u8]>,
}

impl LintContext<'_> {
    pub fn text(&self, span: Span) -> std::borrow::Cow<'_, str> {
        span.text(self.source)
    }

    /// Every declaration in the file's `block` blocks, in source order.
    pub fn declarations_in(&self, block: DeclarationBlock) -> impl Iterator<Item = &Declaration> {
        self.parse
            .file
            .items
            .iter()
            .flat_map(move |item| match &item.kind {
                ItemKind::Declarations {
                    block: item_block,
                    declarations,
                } if *item_block == block => declarations.as_slice(),
                _ => &[],
            })
    }

    /// Every block of statements of the kind `kind` (DERIVATIVE, KINETIC …), with its item.
    pub fn callables_of(&self, kind: CallableKind) -> impl Iterator<Item = (&Item, &Callable)> {
        self.callables()
            .filter(move |(_, callable)| callable.kind == kind)
    }

    /// Every block of statements of the file, with its item.
    pub fn callables(&self) -> impl Iterator<Item = (&Item, &Callable)> {
        self.parse
            .file
            .items
            .iter()
            .filter_map(|item| match &item.kind {
                ItemKind::Callable(callable) => Some((item, &**callable)),
                _ => None,
            })
    }

    /// The block named `name` (the bytes of a name in the source), if the file defines one.
    pub fn callable_named(&self, name: &[u8]) -> Option<&Callable> {
        self.callables()
            .map(|(_, callable)| callable)
            .find(|callable| {
                callable
                    .name
                    .is_some_and(|block| block.span.slice(self.source) == name)
            })
    }

    /// Whether `target` is a derivative `x'`, the left side of a derivative equation.
    pub fn is_derivative(&self, target: &Expression) -> bool {
        matches!(&target.kind, ExpressionKind::Variable { name, .. }
            if name.span.slice(self.source).ends_with(b"'"))
    }

    /// The bytes of every name declared in the file's `blocks` blocks.
    pub fn names_declared_in(&self, blocks: &[DeclarationBlock]) -> HashSet<&[u8]> {
        blocks
            .iter()
            .flat_map(|&block| self.declarations_in(block))
            .map(|declaration| declaration.name.span.slice(self.source))
            .collect()
    }

    /// Every assignment `x = …` in the file's blocks to a plain variable `x` that no LOCAL or argument of the block
    /// hides, as the target's name and its text.
    pub fn assignments_to_file_variables(&self) -> Vec<(Name, &str)> {
        self.symbols
            .uses
            .iter()
            .filter(|name_use| name_use.is_assignment && !self.is_block_local(name_use))
            .map(|name_use| (name_use.name, name_use.text(self.source)))
            .collect()
    }

    /// Whether `name_use` refers to an argument, LOCAL, loop variable or result of its own block.
    pub fn is_block_local(&self, name_use: &NameUse) -> bool {
        self.symbols
            .symbol_of(name_use)
            .is_some_and(|symbol| matches!(symbol.scope, Scope::Block(_)))
    }

    /// The names declared LOCAL anywhere in `block` (scopes within the block are not told apart).
    pub fn local_names_in(&self, block: &crate::syntax::ast::Block) -> Vec<String> {
        let mut names = Vec::new();
        crate::syntax::visit::for_each_statement_in_block(block, 1, &mut |statement, _depth| {
            if let crate::syntax::ast::StatementKind::Local {
                names: declarations,
            } = &statement.kind
            {
                names.extend(
                    declarations
                        .iter()
                        .map(|declaration| self.text(declaration.name.span).into_owned()),
                );
            }
        });
        names
    }

    /// The text of `name` without a trailing prime: `m'` and `m '` name `m`.
    pub fn name_text(&self, name: &Name) -> String {
        self.text(name.span)
            .trim_end_matches(|character: char| character == '\'' || character.is_whitespace())
            .to_string()
    }

    /// The names of the functions and procedures called in `block`, in source order.
    pub fn calls_in(&self, block: &crate::syntax::ast::Block) -> Vec<Name> {
        let mut calls = Vec::new();
        for_each_statement_in_block(block, 1, &mut |statement, _depth| {
            for_each_expression_of(statement, &mut |expression| {
                for_each_subexpression(expression, &mut |inner| {
                    if let ExpressionKind::Call { name, .. } = &inner.kind {
                        calls.push(*name);
                    }
                })
            });
        });
        calls
    }

    /// The names called in every block of the file, in source order.
    pub fn calls(&self) -> Vec<Name> {
        self.parse
            .file
            .items
            .iter()
            .flat_map(|item| match &item.kind {
                ItemKind::Callable(callable) => self.calls_in(&callable.body),
                _ => Vec::new(),
            })
            .collect()
    }

    /// Whether `word` is written in any VERBATIM block of the file (C code there may declare or use it).
    pub fn mentioned_in_verbatim(&self, word: &[u8]) -> bool {
        self.verbatim_words.contains(word)
    }

    /// The bytes of every variable named in a USEION statement's READ or WRITE list.
    pub fn ion_variables(&self) -> Vec<&[u8]> {
        self.facts
            .ions
            .iter()
            .flat_map(|ion| ion.read.iter().chain(&ion.write))
            .map(|name| name.span.slice(self.source))
            .collect()
    }
}

/// The words of the file's VERBATIM blocks: the runs of identifier bytes (letters, digits, `_`), so a name is in
/// the set exactly when it occurs between non-identifier bytes.
pub fn verbatim_words<'a>(source: &'a [u8], tokens: &Tokens) -> HashSet<&'a [u8]> {
    let is_identifier = |byte: &u8| byte.is_ascii_alphanumeric() || *byte == b'_';
    tokens
        .iter()
        .filter(|token| {
            matches!(
                token.kind,
                TokenKind::Verbatim | TokenKind::UnterminatedVerbatim
            )
        })
        .flat_map(|token| token.span.slice(source).split(|byte| !is_identifier(byte)))
        .filter(|word| !word.is_empty())
        .collect()
}

/// The edit that deletes `declaration`: its whole line when nothing else is on it, otherwise the declaration and
/// the spaces after it.
pub fn deletion_of(source: &[u8], declaration: &Declaration) -> TextEdit {
    let (start, end) = (
        declaration.span.start as usize,
        declaration.span.end as usize,
    );
    let line_start = source[..start]
        .iter()
        .rposition(|&byte| byte == b'\n' || byte == b'\r')
        .map_or(0, |position| position + 1);
    let line_end = source[end..]
        .iter()
        .position(|&byte| byte == b'\n' || byte == b'\r')
        .map_or(source.len(), |position| end + position);
    let blank = |bytes: &[u8]| bytes.iter().all(|&byte| byte == b' ' || byte == b'\t');
    let span = if blank(&source[line_start..start]) && blank(&source[end..line_end]) {
        let mut through = line_end;
        if source.get(through) == Some(&b'\r') {
            through += 1;
        }
        if source.get(through) == Some(&b'\n') {
            through += 1;
        }
        Span::new(line_start, through)
    } else {
        let spaces = source[end..line_end]
            .iter()
            .take_while(|&&byte| byte == b' ' || byte == b'\t')
            .count();
        Span::new(start, end + spaces)
    };
    TextEdit {
        span,
        replacement: String::new(),
    }
}

/// One lint rule.
pub struct Rule {
    /// Stable code, e.g. `A101`.
    pub code: &'static str,
    /// Short kebab-case name.
    pub name: &'static str,
    pub severity: Severity,
    /// The dialects whose compiler the rule speaks for.
    pub dialects: &'static [Dialect],
    /// Markdown with the sections What it does / Why it matters / Example / Fix.
    pub documentation: &'static str,
    pub check: fn(&LintContext<'_>, &Rule) -> Vec<Diagnostic>,
}

impl Rule {
    /// A finding of this rule at `span`.
    pub fn finding(
        &self,
        message: String,
        span: Span,
        label: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Diagnostic {
        let mut diagnostic = Diagnostic::error(Code::Rule(self.code), message, span, label);
        diagnostic.severity = self.severity;
        diagnostic
    }
}

/// Every rule, in the order of their codes: Arbor, both, NEURON, warnings.
pub static RULES: &[&Rule] = &[
    &builtin_declared_in_assigned::RULE,
    &ion_variable_declared_in_assigned::RULE,
    &nonspecific_current_declared_in_assigned::RULE,
    &missing_breakpoint::RULE,
    &range_undeclared::RULE,
    &net_receive_arguments::RULE,
    &undefined_name::RULE,
    &function_result_not_set::RULE,
    &recursive_function::RULE,
    &external_in_function::RULE,
    &solve_without_method::RULE,
    &kinetic_statement_after_reaction::RULE,
    &cnexp_undifferentiable::RULE,
    &solve_target_missing::RULE,
    &global_undeclared::RULE,
    &simulator_variable_assigned::RULE,
    &net_receive_duplicated::RULE,
    &reaction_outside_kinetic::RULE,
    &ion_variable_declared_constant::RULE,
    &variable_and_function::RULE,
    &duplicate_declaration::RULE,
    &state_declared_global::RULE,
    &net_receive_outside_point_process::RULE,
    &net_receive_constructs_misplaced::RULE,
    &table_rules::RULE,
    &conductance_rules::RULE,
    &ion_variable_undeclared::RULE,
    &ion_variable_invalid::RULE,
    &undeclared_name::RULE,
    &celcius_declared::RULE,
    &include_missing::RULE,
    &net_receive_argument_count::RULE,
    &pointer_undeclared::RULE,
    &derivative_operator_crash::RULE,
    &solve_method_mismatch::RULE,
    &derivative_without_equation::RULE,
    &unit_redefined::RULE,
    &solve_after_derivative_block::RULE,
    &misspelt_celsius::RULE,
    &parameter_without_unit::RULE,
    &verbatim_in_threadsafe::RULE,
    &global_written_without_threadsafe::RULE,
    &unused_variable::RULE,
    &shadowed_name::RULE,
    &function_result_never_assigned::RULE,
    &read_ion_variable_written::RULE,
];

/// The rule with `code`, if any.
pub fn rule_by_code(code: &str) -> Option<&'static Rule> {
    RULES
        .iter()
        .copied()
        .find(|rule| rule.code.eq_ignore_ascii_case(code))
}

/// Runs `pass` on `source` for each of `dialects`; with several, each message names its dialect. Sorted by position.
pub fn in_dialects(
    source: &[u8],
    dialects: &[Dialect],
    pass: impl Fn(&[u8], Dialect) -> Vec<Diagnostic>,
) -> Vec<Diagnostic> {
    let mut diagnostics = Vec::new();
    for &dialect in dialects {
        let mut found = pass(source, dialect);
        if dialects.len() > 1 {
            for diagnostic in &mut found {
                diagnostic.message = format!("[{}] {}", dialect.name(), diagnostic.message);
            }
        }
        crate::diagnostics::append(&mut diagnostics, found);
    }
    crate::diagnostics::sort_by_position(&mut diagnostics);
    diagnostics
}

/// Every finding for `source` in `dialect`: syntax and dialect diagnostics, then the rules' findings, in source
/// order. The rules run only on files that parse without errors (their facts would be guesses otherwise).
pub fn lint(source: &[u8], dialect: Dialect) -> Vec<Diagnostic> {
    lint_with_includes(source, dialect, None)
}

/// [`lint`], with INCLUDEd files looked up by `include_lookup` (a missing one is N113).
pub fn lint_with_includes(
    source: &[u8],
    dialect: Dialect,
    include_lookup: Option<IncludeLookup<'_>>,
) -> Vec<Diagnostic> {
    let mut parse = parse(source, dialect);
    // No rule reads the parse's diagnostics.
    let mut diagnostics = std::mem::take(&mut parse.diagnostics);
    let first_error = diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.is_error())
        .map(|diagnostic| diagnostic.primary.span.start)
        .min();
    match first_error {
        None => crate::diagnostics::append(
            &mut diagnostics,
            run_rules(source, &parse, dialect, include_lookup, &|_| true),
        ),
        // nocmodl makes some checks while it parses, so it reports them before a syntax error further down: those
        // rules run on the part of the file before the first error.
        Some(first_error) => diagnostics.extend(
            run_rules(source, &parse, dialect, include_lookup, &|rule| {
                RULES_BEFORE_SYNTAX_ERRORS.contains(&rule.code)
            })
            .into_iter()
            .filter(|finding| finding.primary.span.end <= first_error),
        ),
    }
    // Line numbers are only needed for suppression comments, which most files do not have.
    let line_index = std::cell::OnceCell::new();
    let suppressions = Suppressions::read(source, &parse.tokens, &line_index);
    if !suppressions.is_empty() {
        let index = line_index.get_or_init(|| LineIndex::new(source));
        diagnostics.retain(|diagnostic| !suppressions.silences(diagnostic, source, index));
        for (line, code) in suppressions.codes() {
            if rule_by_code(code).is_none() {
                let comment = parse
                    .tokens
                    .iter()
                    .find(|token| {
                        token.kind == TokenKind::LineComment
                            && index.position(source, token.span.start as usize).line == line
                    })
                    .map_or(Span::empty_at(0), |token| token.span);
                diagnostics.push(
                    Diagnostic::error(
                        Code::UnknownRule,
                        format!("`{code}` is not a rule code, so nothing is ignored"),
                        comment,
                        "in this suppression comment",
                    )
                    .with_help("`glia rule --all` lists the codes"),
                );
            }
        }
    }
    crate::diagnostics::sort_by_position(&mut diagnostics);
    diagnostics
}

/// Rules whose findings depend only on the text before them, as nocmodl checks them while it parses (an invalid ion
/// variable, a unit defined again, a SOLVE after its DERIVATIVE block): they also run on a file with syntax errors,
/// and their findings before the first error are kept, in the order nocmodl would report them.
const RULES_BEFORE_SYNTAX_ERRORS: &[&str] = &["N110", "N119", "N120"];

/// The findings of the rules of `dialect` that `selected` picks, on a parsed file.
fn run_rules(
    source: &[u8],
    parse: &Parse,
    dialect: Dialect,
    include_lookup: Option<IncludeLookup<'_>>,
    selected: &dyn Fn(&Rule) -> bool,
) -> Vec<Diagnostic> {
    let facts = mechanism_facts(&parse.file);
    let included: Option<Vec<IncludedFile>> = include_lookup.map(|lookup| {
        facts
            .includes
            .iter()
            .map(|&quoted| IncludedFile {
                quoted,
                contents: lookup(quoted.text(source).trim_matches('"')),
            })
            .collect()
    });
    // The declarations of the files read are the file's too (nocmodl pastes them in); one level deep.
    let included_tables: Vec<SymbolTable> = included
        .iter()
        .flatten()
        .filter_map(|file| file.contents.as_ref().ok())
        .map(|contents| {
            let included_parse = crate::syntax::parse(contents, dialect);
            let included_facts = mechanism_facts(&included_parse.file);
            SymbolTable::build(
                &included_parse.file,
                contents,
                &included_facts,
                dialect,
                &[],
            )
        })
        .collect();
    let mut symbols = SymbolTable::build(&parse.file, source, &facts, dialect, &included_tables);
    symbols.complete = included_tables.len() == facts.includes.len();
    let context = LintContext {
        source,
        parse,
        facts: &facts,
        dialect,
        symbols: &symbols,
        included: included.as_deref(),
        verbatim_words: verbatim_words(source, &parse.tokens),
    };
    let mut findings = Vec::new();
    for rule in RULES
        .iter()
        .filter(|rule| rule.dialects.contains(&dialect) && selected(rule))
    {
        crate::diagnostics::append(&mut findings, (rule.check)(&context, rule));
    }
    findings
}

/// Whether linting `source` in `dialect` gives a finding with `code` (for the rules' unit tests).
#[cfg(test)]
pub(crate) fn finds(code: &str, source: &str, dialect: Dialect) -> bool {
    lint(source.as_bytes(), dialect)
        .iter()
        .any(|diagnostic| diagnostic.code.as_str() == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suppression_comment_silences_its_codes_on_its_line_only() {
        let source = b"NEURON { SUFFIX t USEION k READ ek WRITE ik }\nASSIGNED {\n    v (mV) : glia: ignore[A101]\n    ik : glia: ignore[a102, N999]\n    celsius\n}\nBREAKPOINT { }\n";
        let codes: Vec<&str> = lint(source, Dialect::Arbor)
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(
            codes,
            vec!["E007", "A101"],
            "the celsius finding stays; N999 is unknown"
        );
    }

    #[test]
    fn codes_are_unique_and_documented() {
        let mut codes: Vec<&str> = RULES.iter().map(|rule| rule.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), RULES.len());
        for rule in RULES {
            for section in [
                "## What it does",
                "## Why it matters",
                "## Example",
                "## Fix",
            ] {
                assert!(
                    rule.documentation.contains(section),
                    "{} lacks {section}",
                    rule.code
                );
            }
        }
    }
}
