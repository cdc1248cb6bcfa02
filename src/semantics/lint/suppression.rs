//! Inline suppression: a comment `: glia: ignore[A101]` (or `? glia: ignore[A101, N102]`) silences those codes on
//! its own line. Only rule findings can be silenced: a syntax error cannot, since the compiler would stop there.

use crate::diagnostics::line_index::LineIndex;
use crate::diagnostics::{Code, Diagnostic};
use crate::syntax::token::{TokenKind, Tokens};

/// The codes silenced on each line (0-based line numbers), read from the `:`/`?` comments of a file.
pub struct Suppressions {
    by_line: Vec<(usize, Vec<String>)>,
}

const MARKER: &str = "glia: ignore[";

impl Suppressions {
    /// Reads the suppression comments among `tokens`; `index` is built (once) only when there is one.
    pub fn read(
        source: &[u8],
        tokens: &Tokens,
        index: &std::cell::OnceCell<LineIndex>,
    ) -> Suppressions {
        let mut by_line = Vec::new();
        for token in tokens
            .iter()
            .filter(|token| token.kind == TokenKind::LineComment)
        {
            let text = token.span.text(source);
            let Some(start) = text.find(MARKER) else {
                continue;
            };
            let rest = &text[start + MARKER.len()..];
            let Some(end) = rest.find(']') else {
                continue;
            };
            let codes = rest[..end]
                .split(',')
                .map(|code| code.trim().to_ascii_uppercase())
                .filter(|code| !code.is_empty())
                .collect();
            let line = index
                .get_or_init(|| LineIndex::new(source))
                .position(source, token.span.start as usize)
                .line
                - 1;
            by_line.push((line, codes));
        }
        Suppressions { by_line }
    }

    pub fn is_empty(&self) -> bool {
        self.by_line.is_empty()
    }

    /// Whether `diagnostic` is a rule finding silenced on the line where it starts.
    pub fn silences(&self, diagnostic: &Diagnostic, source: &[u8], index: &LineIndex) -> bool {
        let Code::Rule(code) = diagnostic.code else {
            return false;
        };
        let line = index
            .position(source, diagnostic.primary.span.start as usize)
            .line
            - 1;
        self.by_line.iter().any(|(suppressed_line, codes)| {
            *suppressed_line == line && codes.iter().any(|suppressed| suppressed == code)
        })
    }

    /// Every code named in a suppression comment, with its line (1-based), to check that each exists.
    pub fn codes(&self) -> impl Iterator<Item = (usize, &str)> {
        self.by_line
            .iter()
            .flat_map(|(line, codes)| codes.iter().map(move |code| (line + 1, code.as_str())))
    }
}
