//! One-line renderers for CI logs: GitHub Actions workflow commands and a concise `file:line:col: code message`.

use super::line_index::LineIndex;
use super::{FileReport, Severity};

/// `::error file=F,line=L,col=C,endLine=…,endColumn=…,title=CODE::message` per diagnostic.
pub fn github(report: &FileReport<'_>) -> String {
    render_lines(report, |file, diagnostic, start, end| {
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        format!(
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(file),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(diagnostic.code.as_str()),
            escape_data(&diagnostic.message)
        )
    })
}

/// `file:line:column: severity[CODE] message` per diagnostic.
pub fn concise(report: &FileReport<'_>) -> String {
    render_lines(report, |file, diagnostic, start, _end| {
        format!(
            "{file}:{}:{}: {}[{}] {}",
            start.line,
            start.column,
            diagnostic.severity.as_str(),
            diagnostic.code.as_str(),
            diagnostic.message
        )
    })
}

fn render_lines(
    report: &FileReport<'_>,
    line: impl Fn(
        &str,
        &super::Diagnostic,
        super::line_index::Position,
        super::line_index::Position,
    ) -> String,
) -> String {
    if report.diagnostics.is_empty() {
        return String::new();
    }
    let index = LineIndex::new(report.source);
    let mut text = String::new();
    for diagnostic in report.diagnostics {
        let start = index.position(report.source, diagnostic.primary.span.start as usize);
        let end = index.position(report.source, diagnostic.primary.span.end as usize);
        text.push_str(&line(report.path, diagnostic, start, end));
        text.push('\n');
    }
    text
}

/// GitHub's escaping of a workflow command's message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a workflow command's property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::{Code, Diagnostic};
    use crate::span::Span;

    #[test]
    fn github_and_concise_lines() {
        let source = b"NEURON {\n  x, y\n}\n";
        let diagnostics = [Diagnostic::error(
            Code::SyntaxError,
            "expected 50%, found `,`",
            Span::new(12, 13),
            "here",
        )];
        let report = FileReport {
            path: "a,b.mod",
            source,
            diagnostics: &diagnostics,
        };
        assert_eq!(
            github(&report),
            "::error file=a%2Cb.mod,line=2,col=4,endLine=2,endColumn=5,title=E001::expected 50%25, found `,`\n"
        );
        assert_eq!(
            concise(&report),
            "a,b.mod:2:4: error[E001] expected 50%, found `,`\n"
        );
    }
}
