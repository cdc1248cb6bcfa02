//! Renders diagnostics for people, with ariadne (byte-indexed spans, colour only when asked for).

use std::io::Write;

use ariadne::{Config, IndexType, Label as AriadneLabel, Report, ReportKind, Source};

use super::line_index::display_text;
use super::{FileReport, Severity};

/// Writes every diagnostic of `report` to `writer`.
pub fn render(
    report: &FileReport<'_>,
    colour: bool,
    writer: &mut dyn Write,
) -> std::io::Result<()> {
    if report.diagnostics.is_empty() {
        return Ok(());
    }
    let text = display_text(report.source);
    let source = Source::from(text.as_str());
    let path = report.path.to_string();
    for diagnostic in report.diagnostics {
        let kind = match diagnostic.severity {
            Severity::Error => ReportKind::Error,
            Severity::Warning => ReportKind::Warning,
        };
        let mut builder = Report::build(
            kind,
            (
                path.clone(),
                snap_to_characters(&text, diagnostic.primary.span),
            ),
        )
        .with_config(
            Config::new()
                .with_index_type(IndexType::Byte)
                .with_color(colour),
        )
        .with_code(diagnostic.code.as_str())
        .with_message(&diagnostic.message)
        .with_label(
            AriadneLabel::new((
                path.clone(),
                snap_to_characters(&text, diagnostic.primary.span),
            ))
            .with_message(&diagnostic.primary.message)
            .with_order(0),
        );
        for (order, label) in diagnostic.secondary.iter().enumerate() {
            builder = builder.with_label(
                AriadneLabel::new((path.clone(), snap_to_characters(&text, label.span)))
                    .with_message(&label.message)
                    .with_order(order as i32 + 1),
            );
        }
        for note in &diagnostic.notes {
            builder = builder.with_note(note);
        }
        if let Some(help) = &diagnostic.help {
            builder = builder.with_help(help);
        }
        if let Some(fix) = &diagnostic.fix {
            builder =
                builder.with_help(format!("{} (`glia lint --fix` does this)", fix.description));
        }
        builder
            .finish()
            .write((path.clone(), &source), &mut *writer)?;
    }
    Ok(())
}

/// Widens a byte span to whole characters of `text` (a span may start inside a multi-byte character, e.g. when it
/// points at one byte above 127), and keeps it inside the text.
fn snap_to_characters(text: &str, span: crate::span::Span) -> std::ops::Range<usize> {
    let mut start = (span.start as usize).min(text.len());
    let mut end = (span.end as usize).clamp(start, text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}
