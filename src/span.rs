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
