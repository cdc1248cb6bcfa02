//! Tool messages (parsed by [`super::tool_messages`]) turned into the project's diagnostics on the `.mod` source:
//! nocmodl's line and caret column; a C++ compiler's error, on the mod line when the generated line came from a
//! VERBATIM block, else on the file with the generated position in a note. Pure.

use std::path::Path;

use super::tool_messages::{
    parse_compiler_output, parse_nocmodl_output, GeneratedLineMap, ToolMessage, ToolSeverity,
};
use crate::diagnostics::{Code, Diagnostic, Label, Severity};
use crate::span::Span;

/// nocmodl's messages as diagnostics on the mod file.
pub fn diagnostics_from_nocmodl(source: &[u8], output: &str, ran: bool) -> Vec<Diagnostic> {
    let messages = parse_nocmodl_output(output);
    let mut diagnostics: Vec<Diagnostic> = messages
        .iter()
        .filter(|message| message.severity == ToolSeverity::Error)
        .map(|message| diagnostic_at(source, message, Code::TranslationFailed, "nocmodl"))
        .collect();
    if diagnostics.is_empty() {
        let summary = if ran {
            "nocmodl refused the file".to_string()
        } else {
            "nocmodl could not be run".to_string()
        };
        diagnostics.push(
            Diagnostic::error(Code::TranslationFailed, summary, Span::empty_at(0), "")
                .with_note(output.trim().to_string()),
        );
    }
    diagnostics
}

/// The C++ compiler's errors, on the mod file where the line came from VERBATIM code. An undeclared name in
/// generated code goes where `predicted` (lint's findings for the file, e.g. N111 "`x` is used but not declared")
/// names it; anything else goes on the file as a whole, with the generated file's position in a note.
pub fn diagnostics_from_compiler(
    translator: &str,
    source: &[u8],
    output: &str,
    map: &GeneratedLineMap,
    cpp_path: &Path,
    predicted: &[Diagnostic],
) -> Vec<Diagnostic> {
    let cpp_name = cpp_path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut diagnostics = Vec::new();
    for message in parse_compiler_output(output) {
        if message.severity != ToolSeverity::Error {
            continue;
        }
        let in_translation = message.file.as_deref().is_some_and(|file| {
            Path::new(file)
                .file_name()
                .is_some_and(|name| name.to_string_lossy() == cpp_name)
        });
        let mod_line = if in_translation {
            message.line.and_then(|line| map.mod_line(line))
        } else {
            None
        };
        let located = ToolMessage {
            line: mod_line,
            column: if mod_line.is_some() {
                message.column
            } else {
                None
            },
            ..message.clone()
        };
        let mut diagnostic =
            diagnostic_at(source, &located, Code::CompilationFailed, "C++ compiler");
        let prediction = if mod_line.is_none() {
            undeclared_name_in(&message.message).and_then(|name| {
                let quoted = format!("`{name}`");
                predicted
                    .iter()
                    .find(|finding| finding.message.contains(&quoted))
            })
        } else {
            None
        };
        if let Some(finding) = prediction {
            diagnostic.primary.span = finding.primary.span;
            diagnostic.primary.message =
                format!("lint {}: {}", finding.code.as_str(), finding.message).into();
            diagnostic.help = finding.help.clone();
        }
        if mod_line.is_none() {
            let position = match (&message.file, message.line) {
                (Some(file), Some(line)) => format!("{file}:{line}"),
                (Some(file), None) => file.clone(),
                _ => "the generated C++".to_string(),
            };
            diagnostic = diagnostic.with_note(format!(
                "at {position}, in C++ that {translator} generated (not from a VERBATIM block)"
            ));
        }
        diagnostics.push(diagnostic);
    }
    if diagnostics.is_empty() {
        diagnostics.push(
            Diagnostic::error(
                Code::CompilationFailed,
                "the C++ compiler failed on the translated file",
                Span::empty_at(0),
                "",
            )
            .with_note(output.trim().to_string()),
        );
    }
    diagnostics
}

/// The name in g++'s "‘x’ was not declared in this scope" (with typographic or plain quotes).
fn undeclared_name_in(message: &str) -> Option<&str> {
    let before = message.find(" was not declared in this scope")?;
    let quoted = &message[..before];
    let name = quoted
        .trim_end_matches(['\u{2019}', '\''])
        .rsplit(['\u{2018}', '\''])
        .next()?;
    (!name.is_empty()).then_some(name)
}

/// A diagnostic at a tool's line and column (1-based; the column in characters), or at the file's start.
pub fn diagnostic_at(source: &[u8], message: &ToolMessage, code: Code, tool: &str) -> Diagnostic {
    let span = message
        .line
        .map(|line| span_at(source, line, message.column))
        .unwrap_or_else(|| Span::empty_at(0));
    let mut diagnostic = Diagnostic {
        severity: Severity::Error,
        code,
        message: format!("{tool}: {}", message.message),
        primary: Label {
            span,
            message: std::borrow::Cow::Borrowed(""),
        },
        secondary: Vec::new(),
        notes: Vec::new(),
        help: None,
        fix: None,
    };
    if message.line.is_none() && !message.details.is_empty() {
        diagnostic = diagnostic.with_note(message.details.join("\n"));
    }
    diagnostic
}

/// The span of the character at `line`:`column`, or of the line's text without its indentation.
pub fn span_at(source: &[u8], line: u32, column: Option<u32>) -> Span {
    let mut line_start = 0usize;
    for _ in 1..line.max(1) {
        match memchr::memchr(b'\n', &source[line_start..]) {
            Some(offset) => line_start += offset + 1,
            None => return Span::empty_at(source.len()),
        }
    }
    let line_end = memchr::memchr(b'\n', &source[line_start..])
        .map_or(source.len(), |offset| line_start + offset);
    let line_text = &source[line_start..line_end];
    match column {
        Some(column) => {
            let mut offset = line_start;
            let text = String::from_utf8_lossy(line_text);
            for (characters, character) in text.chars().enumerate() {
                if characters + 1 >= column as usize {
                    break;
                }
                offset += character.len_utf8().min(line_end - offset);
            }
            let offset = offset.min(line_end);
            let end = (offset + 1).min(line_end).max(offset);
            Span::new(offset, end)
        }
        None => {
            let indentation = line_text
                .iter()
                .take_while(|byte| byte.is_ascii_whitespace())
                .count();
            let trailing = line_text
                .iter()
                .rev()
                .take_while(|byte| byte.is_ascii_whitespace())
                .count();
            let start = line_start + indentation;
            Span::new(start, (line_end - trailing).max(start))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_undeclared_name_is_placed_where_lint_found_it() {
        assert_eq!(
            super::undeclared_name_in("\u{2018}erev\u{2019} was not declared in this scope"),
            Some("erev")
        );
        assert_eq!(
            super::undeclared_name_in("'ena' was not declared in this scope; did you mean 'ina'?"),
            Some("ena")
        );
        assert_eq!(
            super::undeclared_name_in("expected ';' before '}' token"),
            None
        );
    }

    #[test]
    fn spans_land_on_the_named_line_and_column() {
        let source = b"NEURON {\n  x = = 3\n}\n";
        let span = span_at(source, 2, Some(7));
        assert_eq!(&source[span.start as usize..span.end as usize], b"=");
        assert_eq!(span.start, 15);
        let whole_line = span_at(source, 2, None);
        assert_eq!(
            &source[whole_line.start as usize..whole_line.end as usize],
            b"x = = 3"
        );
        let past_the_end = span_at(source, 99, Some(3));
        assert_eq!(past_the_end.start as usize, source.len());
    }
}
