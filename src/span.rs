//! Byte spans into a source file, the only kind of position the core layers know about.

use serde::Serialize;

/// A half-open byte range `start..end` into one source file.
///
/// Offsets are `u32` to keep tokens small; files are limited to 4 GiB, far beyond any mod file.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        debug_assert!(start <= end);
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub fn empty_at(offset: usize) -> Span {
        Span::new(offset, offset)
    }

    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both `self` and `other`.
    pub fn cover(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The bytes of `source` this span covers.
    pub fn slice(self, source: &[u8]) -> &[u8] {
        &source[self.range()]
    }

    /// The covered text, with invalid UTF-8 replaced (for messages and snapshots only).
    pub fn text(self, source: &[u8]) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(self.slice(source))
    }
}

impl std::fmt::Debug for Span {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}..{}", self.start, self.end)
    }
}

/// Replace the bytes of `span` by `replacement`; an empty span inserts. Renaming, lowering and lint fixes are all
/// made of these, so that every byte they do not touch stays as it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TextEdit {
    pub span: Span,
    pub replacement: String,
}

/// Applies `edits` to `source` in order of position. An edit that overlaps one already applied is skipped (two
/// fixes for the same bytes cannot both hold); the count of applied edits is returned with the new bytes.
pub fn apply_edits(source: &[u8], edits: &[TextEdit]) -> (Vec<u8>, usize) {
    let mut ordered: Vec<&TextEdit> = edits.iter().collect();
    ordered.sort_by_key(|edit| (edit.span.start, edit.span.end));
    let mut output = Vec::with_capacity(source.len() + 16 * ordered.len());
    let mut copied_up_to = 0usize;
    let mut applied = 0;
    for edit in ordered {
        let start = edit.span.start as usize;
        if start < copied_up_to || edit.span.end as usize > source.len() {
            continue;
        }
        output.extend_from_slice(&source[copied_up_to..start]);
        output.extend_from_slice(edit.replacement.as_bytes());
        copied_up_to = edit.span.end as usize;
        applied += 1;
    }
    output.extend_from_slice(&source[copied_up_to..]);
    (output, applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_and_overlaps_are_skipped() {
        let edit = |start, end, text: &str| TextEdit {
            span: Span::new(start, end),
            replacement: text.to_string(),
        };
        let (text, applied) = apply_edits(
            b"a << b",
            &[edit(2, 4, "<->"), edit(5, 5, "0, "), edit(3, 5, "x")],
        );
        assert_eq!(String::from_utf8(text).unwrap(), "a <-> 0, b");
        assert_eq!(applied, 2);
    }
}
