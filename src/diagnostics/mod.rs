//! The one diagnostic model of the project, and its renderers: [`human`] (ariadne), [`json`], and [`ci`]
//! (GitHub workflow commands, concise lines).
//!
//! Everything the tool reports — syntax errors, dialect problems, later lint findings and compiler errors — is a
//! [`Diagnostic`] with byte spans; line and column numbers are computed only when rendering ([`line_index`]).

pub mod ci;
pub mod human;
pub mod json;
pub mod line_index;

use serde::Serialize;
use std::borrow::Cow;

use crate::span::{Span, TextEdit};

/// How bad a finding is.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Stable codes of the diagnostics the front end gives. Codes never change meaning once released.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Code {
    /// The parser found a token it cannot use here.
    SyntaxError,
    /// A `COMMENT` block without `ENDCOMMENT`.
    UnterminatedComment,
    /// A `VERBATIM` block without `ENDVERBATIM`.
    UnterminatedVerbatim,
    /// A byte that starts no NMODL token.
    UnexpectedCharacter,
    /// Parentheses, brackets or braces nested deeper than the parser follows.
    NestingTooDeep,
    /// A construct the selected dialect does not have.
    NotInDialect,
    /// A suppression comment names a code that is not a rule.
    UnknownRule,
    /// A mod file that cannot be built as given (its name, a duplicate, a missing INCLUDE).
    BuildInput,
    /// The translator (nocmodl, modcc) refused a mod file.
    TranslationFailed,
    /// The C++ compiler refused the translated file.
    CompilationFailed,
    /// A built mechanism that NEURON could not load or insert (`glia compile`'s load test).
    LoadTestFailed,
    /// A Glia package's declaration: an unreadable module, an invalid name, a missing file, a collision.
    Package,
    /// A file that could not be read.
    Io,
    /// A lint rule's finding; the code is the rule's (see `glia rule --all`).
    Rule(&'static str),
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::SyntaxError => "E001",
            Code::UnterminatedComment => "E002",
            Code::UnterminatedVerbatim => "E003",
            Code::UnexpectedCharacter => "E004",
            Code::NestingTooDeep => "E005",
            Code::NotInDialect => "E006",
            Code::UnknownRule => "E007",
            Code::BuildInput => "E101",
            Code::TranslationFailed => "E102",
            Code::CompilationFailed => "E103",
            Code::LoadTestFailed => "E104",
            Code::Package => "E201",
            Code::Io => "E900",
            Code::Rule(code) => code,
        }
    }
}

/// A message attached to a span.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Label {
    pub span: Span,
    /// Most labels are fixed text: those cost no allocation (a file can have a million findings).
    pub message: Cow<'static, str>,
}

/// One finding about one file.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub message: String,
    pub primary: Label,
    pub secondary: Vec<Label>,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// Edits that resolve the finding without changing what the file means (`glia lint --fix` applies them).
    /// Boxed: few findings have one, and a file can have a million findings.
    pub fix: Option<Box<Fix>>,
}

/// A safe, mechanical resolution of a finding.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Fix {
    pub description: String,
    pub edits: Vec<TextEdit>,
}

impl Diagnostic {
    pub fn error(
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<Cow<'static, str>>,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            primary: Label {
                span,
                message: label.into(),
            },
            secondary: Vec::new(),
            notes: Vec::new(),
            help: None,
            fix: None,
        }
    }

    /// [`Diagnostic::error`] with warning severity.
    pub fn warning(
        code: Code,
        message: impl Into<String>,
        span: Span,
        label: impl Into<Cow<'static, str>>,
    ) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message, span, label)
        }
    }

    pub fn with_fix(mut self, description: impl Into<String>, edits: Vec<TextEdit>) -> Diagnostic {
        self.fix = Some(Box::new(Fix {
            description: description.into(),
            edits,
        }));
        self
    }

    pub fn with_secondary(
        mut self,
        span: Span,
        message: impl Into<Cow<'static, str>>,
    ) -> Diagnostic {
        self.secondary.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Orders `diagnostics` by where they start, keeping the order of those that start at the same byte (a stable
/// sort). Passes usually produce them in order already: then nothing is moved. Otherwise the order is found on
/// 8-byte keys and the diagnostics are moved into it in place, so a million findings need no second copy of
/// themselves (a stable sort of the diagnostics would allocate half of them again).
pub fn sort_by_position(diagnostics: &mut [Diagnostic]) {
    if diagnostics.is_sorted_by_key(|diagnostic| diagnostic.primary.span.start) {
        return;
    }
    // The position that ends up at each place; the index breaks ties, which makes the unstable sort stable.
    let mut order: Vec<(u32, u32)> = diagnostics
        .iter()
        .enumerate()
        .map(|(index, diagnostic)| (diagnostic.primary.span.start, index as u32))
        .collect();
    order.sort_unstable();
    let mut source_of: Vec<u32> = order.into_iter().map(|(_, index)| index).collect();
    // Follow each cycle of the permutation, carrying its first element along: every place then gets its
    // diagnostic with one swap, and is marked done by pointing at itself.
    for start in 0..source_of.len() {
        let mut current = start;
        loop {
            let next = source_of[current] as usize;
            source_of[current] = current as u32;
            if next == start || next == current {
                break;
            }
            diagnostics.swap(current, next);
            current = next;
        }
    }
}

/// Appends `more` to `diagnostics` without copying the longer of the two (a file with a million findings then
/// never has them copied).
pub fn append(diagnostics: &mut Vec<Diagnostic>, mut more: Vec<Diagnostic>) {
    if diagnostics.len() >= more.len() {
        diagnostics.append(&mut more);
    } else {
        // The longer vector stays where it is; the shorter one is moved in front of it.
        more.splice(0..0, std::mem::take(diagnostics));
        *diagnostics = more;
    }
}

/// A file's diagnostics together with what is needed to render them.
pub struct FileReport<'a> {
    pub path: &'a str,
    pub source: &'a [u8],
    pub diagnostics: &'a [Diagnostic],
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(start: usize, tag: usize) -> Diagnostic {
        Diagnostic::error(
            Code::SyntaxError,
            tag.to_string(),
            Span::new(start, start + 1),
            "",
        )
    }

    proptest::proptest! {
        #[test]
        fn sorting_in_place_is_a_stable_sort(starts in proptest::collection::vec(0usize..20, 0..200)) {
            let mut diagnostics: Vec<Diagnostic> =
                starts.iter().enumerate().map(|(tag, &start)| at(start, tag)).collect();
            let mut expected = diagnostics.clone();
            expected.sort_by_key(|diagnostic| diagnostic.primary.span.start);
            sort_by_position(&mut diagnostics);
            proptest::prop_assert_eq!(diagnostics, expected);
        }

        #[test]
        fn appending_keeps_the_order(
            first in proptest::collection::vec(0usize..20, 0..50),
            second in proptest::collection::vec(0usize..20, 0..50),
        ) {
            let first: Vec<Diagnostic> = first.iter().enumerate().map(|(tag, &start)| at(start, tag)).collect();
            let second: Vec<Diagnostic> =
                second.iter().enumerate().map(|(tag, &start)| at(start, 100 + tag)).collect();
            let expected: Vec<Diagnostic> = first.iter().chain(&second).cloned().collect();
            let mut appended = first;
            append(&mut appended, second);
            proptest::prop_assert_eq!(appended, expected);
        }
    }
}
