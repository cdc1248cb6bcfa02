//! Renders diagnostics as JSON objects for machines: file, code, severity, message, 1-based line and column
//! (columns in characters) of the primary span's start and end, plus labels, notes and help.

use serde::Serialize;

use super::line_index::LineIndex;
use super::FileReport;

/// One diagnostic as it appears in JSON output.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct JsonDiagnostic {
    pub file: String,
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub label: String,
    pub notes: Vec<String>,
    pub help: Option<String>,
    /// The lint rule's code, when a rule made the finding.
    pub rule: Option<&'static str>,
    /// The safe fix, when there is one.
    pub fix: Option<JsonFix>,
}

/// A fix as edits with 1-based positions.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct JsonFix {
    pub description: String,
    pub edits: Vec<JsonEdit>,
}

#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct JsonEdit {
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub replacement: String,
}

/// Converts every diagnostic of `report`.
pub fn to_json(report: &FileReport<'_>) -> Vec<JsonDiagnostic> {
    if report.diagnostics.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(report.source);
    report
        .diagnostics
        .iter()
        .map(|diagnostic| {
            let start = index.position(report.source, diagnostic.primary.span.start as usize);
            let end = index.position(report.source, diagnostic.primary.span.end as usize);
            JsonDiagnostic {
                file: report.path.to_string(),
                code: diagnostic.code.as_str(),
                severity: diagnostic.severity.as_str(),
                message: diagnostic.message.clone(),
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                label: diagnostic.primary.message.to_string(),
                notes: diagnostic.notes.clone(),
                help: diagnostic.help.clone(),
                rule: match diagnostic.code {
                    super::Code::Rule(code) => Some(code),
                    _ => None,
                },
                fix: diagnostic.fix.as_ref().map(|fix| JsonFix {
                    description: fix.description.clone(),
                    edits: fix
                        .edits
                        .iter()
                        .map(|edit| {
                            let start = index.position(report.source, edit.span.start as usize);
                            let end = index.position(report.source, edit.span.end as usize);
                            JsonEdit {
                                line: start.line,
                                column: start.column,
                                end_line: end.line,
                                end_column: end.column,
                                replacement: edit.replacement.clone(),
                            }
                        })
                        .collect(),
                }),
            }
        })
        .collect()
}
