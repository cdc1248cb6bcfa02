//! Python tokens, as far as reading a package module needs them: names, numbers, strings (every prefix and quote
//! form, escapes decoded), operators, and the end of each logical line. Comments, blank lines and the line breaks
//! inside brackets or after a `\` are skipped, as Python's tokenizer does. Indentation is kept as the column of a
//! logical line's first token, which is all the reader needs to tell a top-level statement from a nested one.
//!
//! Never fails: text the lexer does not understand (an unterminated string, a stray byte) becomes an
//! [`TokenKind::Unknown`] token, and the statement holding it is then not read statically.

use crate::span::Span;

#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    Name,
    /// An integer literal without sign (decimal, hex, octal, binary; `_` separators allowed).
    Integer(Option<i64>),
    /// Any other number (floats, imaginary numbers).
    OtherNumber,
    /// A string literal (adjacent literals are separate tokens). `None` when its value is not a plain `str`
    /// known without running code: f-strings, bytes, or an escape the lexer does not decode.
    String(Option<String>),
    /// An operator or delimiter, e.g. `(`, `**`, `->`, `:=`.
    Operator(&'static str),
    /// The end of a logical line.
    Newline,
    Unknown,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
    /// The column (in bytes) of the first token of the logical line this token belongs to.
    pub line_indentation: u32,
}

impl Token {
    pub fn is_operator(&self, operator: &str) -> bool {
        matches!(self.kind, TokenKind::Operator(text) if text == operator)
    }
}

/// Operators, longest first so that the first match is the longest.
const OPERATORS: &[&str] = &[
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=",
    "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", "(", ")", "[", "]", "{", "}", ",", ":",
    ".", ";", "@", "=", "+", "-", "*", "/", "%", "&", "|", "^", "~", "<", ">", "!",
];

/// The tokens of `source`; every logical line ends with a [`TokenKind::Newline`], the last one included.
pub fn tokenize(source: &str) -> Vec<Token> {
    Lexer {
        source,
        bytes: source.as_bytes(),
        position: 0,
        bracket_depth: 0,
        line_start: true,
        line_indentation: 0,
        tokens: Vec::new(),
    }
    .run()
}

struct Lexer<'a> {
    source: &'a str,
    bytes: &'a [u8],
    position: usize,
    bracket_depth: u32,
    /// No token yet on the current logical line.
    line_start: bool,
    line_indentation: u32,
    tokens: Vec<Token>,
}

impl Lexer<'_> {
    fn run(mut self) -> Vec<Token> {
        let mut column = 0u32;
        while self.position < self.bytes.len() {
            let byte = self.bytes[self.position];
            match byte {
                b'\n' | b'\r' => {
                    self.position += 1;
                    if byte == b'\r' && self.bytes.get(self.position) == Some(&b'\n') {
                        self.position += 1;
                    }
                    column = 0;
                    self.end_physical_line();
                }
                b' ' | b'\t' | b'\x0c' => {
                    self.position += 1;
                    column += if byte == b'\t' { 8 - column % 8 } else { 1 };
                }
                b'#' => {
                    while self.position < self.bytes.len()
                        && !matches!(self.bytes[self.position], b'\n' | b'\r')
                    {
                        self.position += 1;
                    }
                }
                b'\\' if matches!(self.bytes.get(self.position + 1), Some(b'\n' | b'\r')) => {
                    // An explicit line join: the logical line goes on.
                    self.position += 1;
                    if self.bytes[self.position] == b'\r'
                        && self.bytes.get(self.position + 1) == Some(&b'\n')
                    {
                        self.position += 1;
                    }
                    self.position += 1;
                }
                _ => {
                    if self.line_start {
                        self.line_indentation = column;
                        self.line_start = false;
                    }
                    let start = self.position;
                    let kind = self.token_at(start);
                    let end = self.position.max(start + 1);
                    self.position = end;
                    column += (end - start) as u32;
                    self.push(kind, start, end);
                }
            }
        }
        if !self.line_start {
            let end = self.bytes.len();
            self.push(TokenKind::Newline, end, end);
        }
        self.tokens
    }

    fn end_physical_line(&mut self) {
        if self.bracket_depth == 0 && !self.line_start {
            let at = self.position;
            self.push(TokenKind::Newline, at, at);
            self.line_start = true;
        }
    }

    fn push(&mut self, kind: TokenKind, start: usize, end: usize) {
        if let TokenKind::Operator(operator) = kind {
            match operator {
                "(" | "[" | "{" => self.bracket_depth += 1,
                ")" | "]" | "}" => self.bracket_depth = self.bracket_depth.saturating_sub(1),
                _ => {}
            }
        }
        if kind == TokenKind::Newline {
            self.bracket_depth = 0;
        }
        self.tokens.push(Token {
            kind,
            span: Span::new(start, end),
            line_indentation: self.line_indentation,
        });
    }

    /// Reads the token starting at `start`, leaving `self.position` after it.
    fn token_at(&mut self, start: usize) -> TokenKind {
        let rest = &self.source[start..];
        if let Some(prefix_length) = string_prefix_length(rest) {
            return self.string(start, prefix_length);
        }
        let first = rest.chars().next().unwrap_or('\0');
        if first == '_' || first.is_alphabetic() {
            let length = rest
                .char_indices()
                .find(|&(_, character)| !(character == '_' || character.is_alphanumeric()))
                .map_or(rest.len(), |(index, _)| index);
            self.position = start + length;
            return TokenKind::Name;
        }
        if first.is_ascii_digit()
            || (first == '.' && rest.as_bytes().get(1).is_some_and(u8::is_ascii_digit))
        {
            return self.number(start);
        }
        for operator in OPERATORS {
            if rest.starts_with(operator) {
                self.position = start + operator.len();
                return TokenKind::Operator(operator);
            }
        }
        self.position = start + first.len_utf8().max(1);
        TokenKind::Unknown
    }

    fn number(&mut self, start: usize) -> TokenKind {
        let bytes = self.bytes;
        let mut end = start;
        let radix = match (bytes.get(start), bytes.get(start + 1)) {
            (Some(b'0'), Some(b'x' | b'X')) => 16,
            (Some(b'0'), Some(b'o' | b'O')) => 8,
            (Some(b'0'), Some(b'b' | b'B')) => 2,
            _ => 10,
        };
        if radix != 10 {
            end += 2;
            while end < bytes.len() && (bytes[end].is_ascii_alphanumeric() || bytes[end] == b'_') {
                end += 1;
            }
            self.position = end;
            let digits: String = self.source[start + 2..end].replace('_', "");
            return TokenKind::Integer(i64::from_str_radix(&digits, radix).ok());
        }
        let mut is_integer = true;
        while end < bytes.len() {
            let byte = bytes[end];
            if byte.is_ascii_digit() || byte == b'_' {
                end += 1;
            } else if byte == b'.' {
                is_integer = false;
                end += 1;
            } else if matches!(byte, b'e' | b'E') {
                is_integer = false;
                end += 1;
                if matches!(bytes.get(end), Some(b'+' | b'-')) {
                    end += 1;
                }
            } else if matches!(byte, b'j' | b'J') {
                is_integer = false;
                end += 1;
                break;
            } else {
                break;
            }
        }
        self.position = end;
        if is_integer {
            TokenKind::Integer(self.source[start..end].replace('_', "").parse().ok())
        } else {
            TokenKind::OtherNumber
        }
    }

    fn string(&mut self, start: usize, prefix_length: usize) -> TokenKind {
        let prefix = self.source[start..start + prefix_length].to_ascii_lowercase();
        let raw = prefix.contains('r');
        let plain_text = !prefix.contains('f') && !prefix.contains('b');
        let quote_start = start + prefix_length;
        let quote = self.bytes[quote_start];
        let triple = self.bytes.get(quote_start + 1) == Some(&quote)
            && self.bytes.get(quote_start + 2) == Some(&quote);
        let content_start = quote_start + if triple { 3 } else { 1 };
        let mut index = content_start;
        loop {
            let Some(&byte) = self.bytes.get(index) else {
                // Unterminated: the rest of the file.
                self.position = self.bytes.len();
                return TokenKind::Unknown;
            };
            if byte == b'\\' {
                index += 2;
                continue;
            }
            if !triple && matches!(byte, b'\n' | b'\r') {
                self.position = index;
                return TokenKind::Unknown;
            }
            if byte == quote {
                if !triple {
                    break;
                }
                if self.bytes.get(index + 1) == Some(&quote)
                    && self.bytes.get(index + 2) == Some(&quote)
                {
                    break;
                }
            }
            index += 1;
        }
        let content = &self.source[content_start..index];
        self.position = index + if triple { 3 } else { 1 };
        if !plain_text {
            return TokenKind::String(None);
        }
        TokenKind::String(if raw {
            Some(content.to_string())
        } else {
            decode_escapes(content)
        })
    }
}

/// The length of a string prefix (`r`, `b`, `f`, `u` and their pairs) followed by a quote at the start of `text`,
/// or `None` when `text` does not start a string.
fn string_prefix_length(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut length = 0;
    while length < 2
        && bytes
            .get(length)
            .is_some_and(|byte| b"rRbBfFuU".contains(byte))
    {
        length += 1;
    }
    for candidate in (0..=length).rev() {
        if matches!(bytes.get(candidate), Some(b'"' | b'\'')) {
            let prefix = text[..candidate].to_ascii_lowercase();
            let valid = matches!(
                prefix.as_str(),
                "" | "r" | "u" | "b" | "f" | "br" | "rb" | "fr" | "rf"
            );
            return valid.then_some(candidate);
        }
    }
    None
}

/// The value of a non-raw string literal's content, or `None` for an escape this reader does not decode
/// (`\N{…}`), which makes the value unknown rather than wrong.
fn decode_escapes(content: &str) -> Option<String> {
    if !content.contains('\\') {
        return Some(content.to_string());
    }
    let mut value = String::with_capacity(content.len());
    let mut characters = content.chars().peekable();
    while let Some(character) = characters.next() {
        if character != '\\' {
            value.push(character);
            continue;
        }
        let Some(escaped) = characters.next() else {
            value.push('\\');
            break;
        };
        match escaped {
            '\n' => {}
            '\r' => {
                if characters.peek() == Some(&'\n') {
                    characters.next();
                }
            }
            '\\' => value.push('\\'),
            '\'' => value.push('\''),
            '"' => value.push('"'),
            'a' => value.push('\x07'),
            'b' => value.push('\x08'),
            'f' => value.push('\x0c'),
            'n' => value.push('\n'),
            'r' => value.push('\r'),
            't' => value.push('\t'),
            'v' => value.push('\x0b'),
            '0'..='7' => {
                let mut code = escaped.to_digit(8)?;
                for _ in 0..2 {
                    match characters.peek().and_then(|next| next.to_digit(8)) {
                        Some(digit) => {
                            code = code * 8 + digit;
                            characters.next();
                        }
                        None => break,
                    }
                }
                value.push(char::from_u32(code)?);
            }
            'x' | 'u' | 'U' => {
                let digits = match escaped {
                    'x' => 2,
                    'u' => 4,
                    _ => 8,
                };
                let mut code = 0u32;
                for _ in 0..digits {
                    code = code * 16 + characters.next()?.to_digit(16)?;
                }
                value.push(char::from_u32(code)?);
            }
            'N' => return None,
            other => {
                // Python keeps unknown escapes as they are.
                value.push('\\');
                value.push(other);
            }
        }
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<TokenKind> {
        tokenize(source)
            .into_iter()
            .map(|token| token.kind)
            .collect()
    }

    #[test]
    fn strings_of_every_form_are_decoded() {
        assert_eq!(
            kinds(r#"a = 'x\ty' "z" r'\n' """t"q""" b'b' f'{x}' '\x41\u00e9\101'"#),
            vec![
                TokenKind::Name,
                TokenKind::Operator("="),
                TokenKind::String(Some("x\ty".into())),
                TokenKind::String(Some("z".into())),
                TokenKind::String(Some("\\n".into())),
                TokenKind::String(Some("t\"q".into())),
                TokenKind::String(None),
                TokenKind::String(None),
                TokenKind::String(Some("AéA".into())),
                TokenKind::Newline,
            ]
        );
    }

    #[test]
    fn brackets_and_backslashes_join_lines_and_comments_vanish() {
        let tokens = tokenize("x = [1,  # one\n  2]\ny = 1 + \\\n  2\n\n   # only a comment\nz\n");
        let newlines = tokens
            .iter()
            .filter(|token| token.kind == TokenKind::Newline)
            .count();
        assert_eq!(newlines, 3);
        assert!(tokens.iter().all(|token| token.line_indentation == 0));
    }

    #[test]
    fn indentation_is_the_column_of_the_first_token() {
        let tokens = tokenize("def f():\n    return 1\nx = 2");
        let returned = tokens.iter().find(|token| token.span.start == 13).unwrap();
        assert_eq!(returned.line_indentation, 4);
        assert_eq!(tokens.last().unwrap().line_indentation, 0);
        assert_eq!(tokens.last().unwrap().kind, TokenKind::Newline);
    }

    #[test]
    fn numbers_and_unterminated_strings() {
        assert_eq!(
            kinds("0x1F 1_000 1.5 1e3 'open"),
            vec![
                TokenKind::Integer(Some(31)),
                TokenKind::Integer(Some(1000)),
                TokenKind::OtherNumber,
                TokenKind::OtherNumber,
                TokenKind::Unknown,
                TokenKind::Newline,
            ]
        );
    }
}
