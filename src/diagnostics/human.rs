//! Renders diagnostics for people, with ariadne (byte-indexed spans, colour only when asked for).
//!
//! Most findings have one label on one line of plain ASCII text; those are written here directly, byte for byte
//! as ariadne writes them ([`render_plain`]), since ariadne costs about 40,000 instructions a report and a file can
//! have a million findings. Everything else (colour, secondary labels, labels across lines, tabs, non-ASCII text)
//! goes through ariadne. A test renders both ways and compares.

use std::borrow::Cow;
use std::io::Write;

use ariadne::{Config, IndexType, Label as AriadneLabel, Report, ReportKind, Source};

use super::line_index::display_text;
use super::{Diagnostic, FileReport, Severity};

/// Writes every diagnostic of `report` to `writer`.
pub fn render(
    report: &FileReport<'_>,
    colour: bool,
    writer: &mut dyn Write,
) -> std::io::Result<()> {
    if report.diagnostics.is_empty() {
        return Ok(());
    }
    // ariadne's view of the file, built only when a diagnostic needs it: the file itself when it is UTF-8 (as
    // almost every mod file is), not a copy.
    let mut ariadne_source: Option<Source<Cow<'_, str>>> = None;
    let plain_lines = (!colour).then(|| PlainLines::new(report.source)).flatten();
    let mut buffer: Vec<u8> = Vec::with_capacity(1 << 16);
    for diagnostic in report.diagnostics {
        let written_plainly = plain_lines.as_ref().is_some_and(|lines| {
            render_plain(report.path, report.source, lines, diagnostic, &mut buffer)
        });
        if !written_plainly {
            let source = ariadne_source.get_or_insert_with(|| {
                Source::from(match std::str::from_utf8(report.source) {
                    Ok(text) => Cow::Borrowed(text),
                    Err(_) => Cow::Owned(display_text(report.source)),
                })
            });
            render_with_ariadne(report.path, source, diagnostic, colour, &mut buffer)?;
        }
        if buffer.len() >= 1 << 16 {
            writer.write_all(&buffer)?;
            buffer.clear();
        }
    }
    writer.write_all(&buffer)
}

/// One diagnostic through ariadne.
fn render_with_ariadne(
    path: &str,
    source: &Source<Cow<'_, str>>,
    diagnostic: &Diagnostic,
    colour: bool,
    writer: &mut Vec<u8>,
) -> std::io::Result<()> {
    let text = source.text();
    let kind = match diagnostic.severity {
        Severity::Error => ReportKind::Error,
        Severity::Warning => ReportKind::Warning,
    };
    let path = path.to_string();
    let mut builder = Report::build(
        kind,
        (
            path.clone(),
            snap_to_characters(text, diagnostic.primary.span),
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
            snap_to_characters(text, diagnostic.primary.span),
        ))
        .with_message(&diagnostic.primary.message)
        .with_order(0),
    );
    for (order, label) in diagnostic.secondary.iter().enumerate() {
        builder = builder.with_label(
            AriadneLabel::new((path.clone(), snap_to_characters(text, label.span)))
                .with_message(&label.message)
                .with_order(order as i32 + 1),
        );
    }
    for note in &diagnostic.notes {
        builder = builder.with_note(note);
    }
    for help in helps(diagnostic) {
        builder = builder.with_help(help);
    }
    builder.finish().write((path, source), writer)
}

/// The help lines of a diagnostic, in order: its help, then its fix's.
fn helps(diagnostic: &Diagnostic) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    let help = diagnostic.help.as_deref().map(std::borrow::Cow::Borrowed);
    let fix = diagnostic.fix.as_ref().map(|fix| {
        std::borrow::Cow::Owned(format!("{} (`glia lint --fix` does this)", fix.description))
    });
    help.into_iter().chain(fix)
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

/// The line starts of a file that is plain ASCII, as ariadne splits lines: after `\n`, `\r\n`, a lone `\r`, and the
/// vertical tab and form feed. `None` for a file with a byte above 127 (ariadne also splits at three non-ASCII
/// characters, and counts columns in characters).
struct PlainLines {
    starts: Vec<u32>,
}

impl PlainLines {
    fn new(source: &[u8]) -> Option<PlainLines> {
        if !source.is_ascii() {
            return None;
        }
        let mut starts = vec![0u32];
        if memchr::memchr3(b'\r', b'\x0B', b'\x0C', source).is_none() {
            starts.extend(memchr::memchr_iter(b'\n', source).map(|end| end as u32 + 1));
            return Some(PlainLines { starts });
        }
        let mut index = 0;
        while index < source.len() {
            match source[index] {
                b'\n' | b'\x0B' | b'\x0C' => starts.push(index as u32 + 1),
                b'\r' if source.get(index + 1) != Some(&b'\n') => starts.push(index as u32 + 1),
                _ => {}
            }
            index += 1;
        }
        Some(PlainLines { starts })
    }

    /// The 0-based line holding byte `offset`, and the byte where that line starts.
    fn line_of(&self, offset: usize) -> (usize, usize) {
        let line = self
            .starts
            .partition_point(|&start| start as usize <= offset)
            - 1;
        (line, self.starts[line] as usize)
    }
}

/// Writes `diagnostic` as ariadne would (no colour, unicode drawing) when it has one label, on one line, over
/// printable ASCII text (no tab); returns false, having written nothing, otherwise.
fn render_plain(
    path: &str,
    source: &[u8],
    lines: &PlainLines,
    diagnostic: &Diagnostic,
    out: &mut Vec<u8>,
) -> bool {
    let span = diagnostic.primary.span;
    let (start, end) = (span.start as usize, span.end as usize);
    if !diagnostic.secondary.is_empty() || start >= end || end > source.len() {
        return false;
    }
    let (line, line_start) = lines.line_of(start);
    let line_end = lines
        .starts
        .get(line + 1)
        .map_or(source.len(), |&next| next as usize);
    let shown = source[line_start..line_end].trim_ascii_end();
    let shown_end = line_start + shown.len();
    if end > shown_end || !shown.iter().all(|&byte| (b' '..=b'~').contains(&byte)) {
        return false;
    }
    let line_number = line + 1;
    let width = decimal_digits(line_number);
    let (column_start, column_end) = (start - line_start, end - line_start);
    // ariadne attaches a label's arrow in the middle of its span.
    let attach = (column_start + column_end) / 2;
    let arrow_length = column_end + 2;

    out.push(b'[');
    out.extend_from_slice(diagnostic.code.as_str().as_bytes());
    out.extend_from_slice(match diagnostic.severity {
        Severity::Error => b"] Error: ".as_slice(),
        Severity::Warning => b"] Warning: ".as_slice(),
    });
    out.extend_from_slice(diagnostic.message.as_bytes());
    out.push(b'\n');
    // `   ╭─[ path:line:column ]`
    push_spaces(out, width + 2);
    out.extend_from_slice("╭─[ ".as_bytes());
    out.extend_from_slice(path.as_bytes());
    out.push(b':');
    push_decimal(out, line_number);
    out.push(b':');
    push_decimal(out, column_start + 1);
    out.extend_from_slice(b" ]\n");
    push_spaces(out, width + 2);
    out.extend_from_slice("│\n".as_bytes());
    // ` 3 │ source line`
    out.push(b' ');
    push_decimal(out, line_number);
    out.extend_from_slice(" │ ".as_bytes());
    out.extend_from_slice(shown);
    out.push(b'\n');
    // The underline, with `┬` where the arrow leaves it.
    push_empty_margin(out, width);
    push_spaces(out, column_start);
    push_lines(out, attach - column_start);
    out.extend_from_slice("┬".as_bytes());
    push_lines(out, column_end - attach - 1);
    out.extend_from_slice(b"  \n");
    // The arrow to the label's message.
    push_empty_margin(out, width);
    push_spaces(out, attach);
    out.extend_from_slice("╰".as_bytes());
    push_lines(out, arrow_length - attach - 1);
    out.push(b' ');
    out.extend_from_slice(diagnostic.primary.message.as_bytes());
    out.push(b'\n');
    if diagnostic.help.is_some() || diagnostic.fix.is_some() {
        let helps: Vec<_> = helps(diagnostic).collect();
        push_footnotes(out, width, "Help", &helps);
    }
    push_footnotes(out, width, "Note", &diagnostic.notes);
    // `───╯`
    push_lines(out, width + 2);
    out.extend_from_slice("╯\n".as_bytes());
    true
}

/// ariadne's helps or notes: each after an empty margin line, `Help: …` (numbered when there are several), and
/// further lines of the text indented under the first.
fn push_footnotes(out: &mut Vec<u8>, width: usize, title: &str, texts: &[impl AsRef<str>]) {
    for (index, text) in texts.iter().enumerate() {
        push_empty_margin(out, width);
        out.push(b'\n');
        let prefix = if texts.len() > 1 {
            format!("{title} {}", index + 1)
        } else {
            title.to_string()
        };
        let mut text_lines = text.as_ref().lines();
        if let Some(first) = text_lines.next() {
            push_empty_margin(out, width);
            out.extend_from_slice(prefix.as_bytes());
            out.extend_from_slice(b": ");
            out.extend_from_slice(first.as_bytes());
            out.push(b'\n');
        }
        for line in text_lines {
            push_empty_margin(out, width);
            push_spaces(out, prefix.len() + 2);
            out.extend_from_slice(line.as_bytes());
            out.push(b'\n');
        }
    }
}

/// The margin of a line without a line number: `   │ `.
fn push_empty_margin(out: &mut Vec<u8>, width: usize) {
    push_spaces(out, width + 2);
    out.extend_from_slice("│ ".as_bytes());
}

fn push_spaces(out: &mut Vec<u8>, count: usize) {
    out.resize(out.len() + count, b' ');
}

/// `count` horizontal lines `─`.
fn push_lines(out: &mut Vec<u8>, count: usize) {
    const LINE: &[u8] = "─".as_bytes();
    const LINES: &str = "────────────────────────────────────────────────────────────────";
    let mut left = count;
    while left > 0 {
        let now = left.min(LINES.len() / LINE.len());
        out.extend_from_slice(&LINES.as_bytes()[..now * LINE.len()]);
        left -= now;
    }
}

fn push_decimal(out: &mut Vec<u8>, number: usize) {
    let mut digits = [0u8; 20];
    let mut position = digits.len();
    let mut rest = number;
    loop {
        position -= 1;
        digits[position] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[position..]);
}

fn decimal_digits(mut number: usize) -> usize {
    let mut digits = 1;
    while number >= 10 {
        number /= 10;
        digits += 1;
    }
    digits
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Code;
    use crate::span::{Span, TextEdit};

    /// The diagnostic rendered through ariadne alone.
    fn through_ariadne(path: &str, source: &[u8], diagnostic: &Diagnostic) -> String {
        let ariadne_source = Source::from(Cow::Owned(display_text(source)));
        let mut out = Vec::new();
        render_with_ariadne(path, &ariadne_source, diagnostic, false, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// The diagnostic rendered by [`render_plain`], if it takes it.
    fn plainly(path: &str, source: &[u8], diagnostic: &Diagnostic) -> Option<String> {
        let lines = PlainLines::new(source)?;
        let mut out = Vec::new();
        render_plain(path, source, &lines, diagnostic, &mut out)
            .then(|| String::from_utf8(out).unwrap())
    }

    /// Every non-empty span of every line of `source`, with zero, one and two helps and notes (some of several
    /// lines), as errors and warnings.
    fn diagnostics_over(source: &[u8]) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        let mut variant = 0usize;
        for start in 0..source.len() {
            for end in start + 1..=source.len().min(start + 12) {
                variant += 1;
                let span = Span::new(start, end);
                let mut diagnostic = if variant.is_multiple_of(2) {
                    Diagnostic::warning(Code::Rule("W005"), "a `message`", span, "the label")
                } else {
                    Diagnostic::error(Code::SyntaxError, "another message", span, "")
                };
                if variant % 3 == 1 {
                    diagnostic = diagnostic.with_help("one help");
                }
                if variant % 5 == 2 {
                    diagnostic = diagnostic.with_fix(
                        "fix it\non two lines",
                        vec![TextEdit {
                            span,
                            replacement: String::new(),
                        }],
                    );
                }
                if variant % 7 == 3 {
                    diagnostic = diagnostic.with_note("a note").with_note("");
                }
                if variant % 11 == 4 {
                    diagnostic = diagnostic.with_note("first\r\nsecond\n\nfourth");
                }
                diagnostics.push(diagnostic);
            }
        }
        diagnostics
    }

    #[test]
    fn the_plain_path_writes_what_ariadne_writes() {
        let mut long = String::new();
        for index in 0..120 {
            long.push_str(&format!("  p{index} = {index}.5 (mV) \t\n"));
        }
        let sources: Vec<Vec<u8>> = vec![
            b"NEURON { SUFFIX x }\nPARAMETER {\n    p0 = 0.5 (mV)\n}\n".to_vec(),
            b"a = 1\r\nbb = 22  \r\n\r\n  ccc\rdd\r\r\nee\x0Bff\x0Cgg   ".to_vec(),
            b"x\ty = 1\n z\n".to_vec(),
            long.into_bytes(),
        ];
        let mut plain_count = 0;
        for source in &sources {
            for diagnostic in diagnostics_over(source) {
                if let Some(plain) = plainly("dir/a.mod", source, &diagnostic) {
                    plain_count += 1;
                    assert_eq!(
                        plain,
                        through_ariadne("dir/a.mod", source, &diagnostic),
                        "{diagnostic:?}"
                    );
                }
            }
        }
        // Most spans stay on one line of printable text; the others (across lines, over a tab) go to ariadne.
        assert!(plain_count > 3_000, "only {plain_count} rendered plainly");
    }

    #[test]
    fn what_the_plain_path_cannot_draw_goes_to_ariadne() {
        let source = b"x\ty = 1\n\xC3\xA9 = 2\n";
        let tab = Diagnostic::error(Code::SyntaxError, "m", Span::new(2, 3), "l");
        let across_lines = Diagnostic::error(Code::SyntaxError, "m", Span::new(4, 10), "l");
        let secondary = Diagnostic::error(Code::SyntaxError, "m", Span::new(2, 3), "l")
            .with_secondary(Span::new(0, 1), "s");
        let empty = Diagnostic::error(Code::SyntaxError, "m", Span::new(2, 2), "l");
        let ascii = b"x\ty = 1\n";
        for diagnostic in [&tab, &across_lines, &secondary, &empty] {
            assert_eq!(plainly("a.mod", ascii, diagnostic), None, "{diagnostic:?}");
        }
        assert_eq!(plainly("a.mod", source, &tab), None, "non-ASCII file");
        // Through `render`, each is written by ariadne.
        for diagnostic in [tab, across_lines, secondary, empty] {
            let mut out = Vec::new();
            let diagnostics = [diagnostic];
            let report = FileReport {
                path: "a.mod",
                source,
                diagnostics: &diagnostics,
            };
            render(&report, false, &mut out).unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                through_ariadne("a.mod", source, &diagnostics[0])
            );
        }
    }
}
