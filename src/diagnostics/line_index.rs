//! Byte offsets to 1-based line and column numbers (columns in characters), for renderers only.

/// Line starts of one source, for turning byte offsets into positions. Lines end at `\n`, `\r\n` or a lone `\r`.
pub struct LineIndex {
    line_starts: Vec<usize>,
}

/// A 1-based position.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl LineIndex {
    pub fn new(source: &[u8]) -> LineIndex {
        let mut line_starts = vec![0];
        let mut index = 0;
        while index < source.len() {
            match source[index] {
                b'\n' => line_starts.push(index + 1),
                b'\r' if source.get(index + 1) != Some(&b'\n') => line_starts.push(index + 1),
                _ => {}
            }
            index += 1;
        }
        LineIndex { line_starts }
    }

    /// The position of byte `offset`; the column counts characters, an invalid UTF-8 byte counting as one.
    pub fn position(&self, source: &[u8], offset: usize) -> Position {
        let offset = offset.min(source.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let line_text = &source[self.line_starts[line]..offset];
        Position {
            line: line + 1,
            column: count_characters(line_text) + 1,
        }
    }
}

fn count_characters(bytes: &[u8]) -> usize {
    // Count every byte that does not continue a UTF-8 sequence; a stray continuation byte counts as one.
    let mut count = 0;
    let mut chunks = bytes.utf8_chunks();
    for chunk in &mut chunks {
        count += chunk.valid().chars().count() + chunk.invalid().len();
    }
    count
}

/// The source as text with the same byte offsets: each byte of an invalid UTF-8 sequence becomes `?`.
pub fn display_text(source: &[u8]) -> String {
    let mut text = String::with_capacity(source.len());
    for chunk in source.utf8_chunks() {
        text.push_str(chunk.valid());
        for _ in chunk.invalid() {
            text.push('?');
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_characters_and_all_line_endings() {
        let source = "a\r\nbé\rc\n\u{0}x".as_bytes();
        let index = LineIndex::new(source);
        assert_eq!(index.position(source, 0), Position { line: 1, column: 1 });
        assert_eq!(index.position(source, 3), Position { line: 2, column: 1 });
        assert_eq!(index.position(source, 6), Position { line: 2, column: 3 });
        assert_eq!(index.position(source, 7), Position { line: 3, column: 1 });
        assert_eq!(index.position(source, 10), Position { line: 4, column: 2 });
    }

    #[test]
    fn display_text_keeps_offsets() {
        let source = b"x\xe9y";
        assert_eq!(display_text(source), "x?y");
        let index = LineIndex::new(source);
        assert_eq!(index.position(source, 2).column, 3);
    }
}
