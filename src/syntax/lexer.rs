//! The lexer: turns the bytes of a mod file into tokens and trivia that together cover every byte.
//!
//! Regular tokens come from a `logos` automaton. The parts of NMODL that are not regular are handled around it:
//! `COMMENT`/`VERBATIM` blocks and `TITLE` text are raw up to their terminator, `REPRESENTS` takes an ontology id
//! whose `:` is not a comment, and whether `(` opens a unit like `(mV)` depends on where it stands (see
//! [`UnitContext`]). The lexer never fails: bytes it cannot place become [`TokenKind::Unknown`] tokens.

use logos::Logos;

use crate::span::Span;
use crate::syntax::token::{Token, TokenKind, Tokens};
use crate::syntax::Dialect;

/// The regular part of the token language. Input is bytes, since real files contain Latin-1.
#[derive(Logos, Clone, Copy, PartialEq, Eq, Debug)]
#[logos(utf8 = false)]
enum RawToken {
    #[regex(r"[ \t\x0B\x0C]+")]
    Whitespace,
    #[regex(r"\r\n|\n|\r")]
    Newline,
    #[regex(r"(?-u)[:?][^\r\n]*", allow_greedy = true)]
    LineComment,
    #[token(b"\xEF\xBB\xBF")]
    ByteOrderMark,
    #[regex(r#"(?-u)"[^"\r\n]*""#)]
    String,
    #[regex(r"[a-zA-Z_][a-zA-Z0-9_]*")]
    Name,
    #[regex(r"[a-zA-Z_][a-zA-Z0-9_]*'+")]
    PrimedName,
    #[regex(r"[0-9]+(\.[0-9]*)?([eE][+-]?[0-9]+)?")]
    #[regex(r"\.[0-9]+([eE][+-]?[0-9]+)?")]
    Number,
    #[token("{")]
    LeftBrace,
    #[token("}")]
    RightBrace,
    #[token("(")]
    LeftParen,
    #[token(")")]
    RightParen,
    #[token("[")]
    LeftBracket,
    #[token("]")]
    RightBracket,
    #[token(",")]
    Comma,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("*")]
    Star,
    #[token("/")]
    Slash,
    #[token("^")]
    Caret,
    #[token("%")]
    Percent,
    #[token("=")]
    Assign,
    #[token("==")]
    EqualEqual,
    #[token("!=")]
    NotEqual,
    #[token("<")]
    Less,
    #[token("<=")]
    LessEqual,
    #[token(">")]
    Greater,
    #[token(">=")]
    GreaterEqual,
    #[token("&&")]
    AndAnd,
    #[token("||")]
    OrOr,
    #[token("!")]
    Bang,
    #[token("~")]
    Tilde,
    #[token("<->")]
    ReactionArrow,
    #[token("@")]
    At,
    #[token("'")]
    Apostrophe,
    #[token(";")]
    Semicolon,
}

impl RawToken {
    fn kind(self) -> TokenKind {
        match self {
            RawToken::Whitespace => TokenKind::Whitespace,
            RawToken::Newline => TokenKind::Newline,
            RawToken::LineComment => TokenKind::LineComment,
            RawToken::ByteOrderMark => TokenKind::ByteOrderMark,
            RawToken::String => TokenKind::String,
            RawToken::Name => TokenKind::Name,
            RawToken::PrimedName => TokenKind::PrimedName,
            RawToken::Number => TokenKind::Number,
            RawToken::LeftBrace => TokenKind::LeftBrace,
            RawToken::RightBrace => TokenKind::RightBrace,
            RawToken::LeftParen => TokenKind::LeftParen,
            RawToken::RightParen => TokenKind::RightParen,
            RawToken::LeftBracket => TokenKind::LeftBracket,
            RawToken::RightBracket => TokenKind::RightBracket,
            RawToken::Comma => TokenKind::Comma,
            RawToken::Plus => TokenKind::Plus,
            RawToken::Minus => TokenKind::Minus,
            RawToken::Star => TokenKind::Star,
            RawToken::Slash => TokenKind::Slash,
            RawToken::Caret => TokenKind::Caret,
            RawToken::Percent => TokenKind::Percent,
            RawToken::Assign => TokenKind::Assign,
            RawToken::EqualEqual => TokenKind::EqualEqual,
            RawToken::NotEqual => TokenKind::NotEqual,
            RawToken::Less => TokenKind::Less,
            RawToken::LessEqual => TokenKind::LessEqual,
            RawToken::Greater => TokenKind::Greater,
            RawToken::GreaterEqual => TokenKind::GreaterEqual,
            RawToken::AndAnd => TokenKind::AndAnd,
            RawToken::OrOr => TokenKind::OrOr,
            RawToken::Bang => TokenKind::Bang,
            RawToken::Tilde => TokenKind::Tilde,
            RawToken::ReactionArrow => TokenKind::ReactionArrow,
            RawToken::At => TokenKind::At,
            RawToken::Apostrophe => TokenKind::Apostrophe,
            RawToken::Semicolon => TokenKind::Semicolon,
        }
    }
}

/// Splits `source` into tokens. Concatenating the bytes of the returned spans, in order, gives `source` back.
///
/// The loop around logos is written for the common case: layout and line comments (half the tokens) are pushed
/// as they come without touching [`UnitContext`], a name is looked up in the keyword table once, and everything
/// rarer (the keywords that take raw text after them, unknown bytes) is handled out of the loop.
pub fn lex(source: &[u8], dialect: Dialect) -> Tokens {
    // Real mod files average one token (trivia included) per 2.5 bytes; over-reserving is cheaper than growing.
    let mut tokens = Tokens::with_capacity(source.len() / 2 + 16);
    let mut raw = RawToken::lexer(source);
    let mut context = UnitContext::default();
    while let Some(result) = raw.next() {
        let std::ops::Range { start, end } = raw.span();
        let kind = match result {
            // Trivia: nothing to look up, nothing for the unit context.
            Ok(
                token @ (RawToken::Whitespace
                | RawToken::Newline
                | RawToken::LineComment
                | RawToken::ByteOrderMark),
            ) => {
                tokens.push(Token {
                    kind: token.kind(),
                    span: Span::new(start, end),
                });
                continue;
            }
            Ok(RawToken::Name) => match TokenKind::keyword(&source[start..end]) {
                None => TokenKind::Name,
                Some(keyword) => {
                    match lex_raw_text_after(source, dialect, keyword, start..end, &mut tokens) {
                        Some((resume, last_kind)) => {
                            raw.bump(resume - end);
                            if let Some(last_kind) = last_kind {
                                context.significant(last_kind);
                            }
                            continue;
                        }
                        None => keyword,
                    }
                }
            },
            Ok(RawToken::LeftParen) if context.unit_may_follow() => {
                match find_unit_end(source, end) {
                    Some(unit_end) => {
                        tokens.push(Token {
                            kind: TokenKind::Unit,
                            span: Span::new(start, unit_end),
                        });
                        raw.bump(unit_end - end);
                        context.significant(TokenKind::Unit);
                        continue;
                    }
                    None => TokenKind::LeftParen,
                }
            }
            Ok(token) => token.kind(),
            Err(()) => {
                if lex_unknown(source, dialect, start..end, &mut tokens) {
                    break;
                }
                context.significant(TokenKind::Unknown);
                continue;
            }
        };
        context.significant(kind);
        tokens.push(Token {
            kind,
            span: Span::new(start, end),
        });
    }
    tokens
}

/// After a keyword whose following text is not made of regular tokens (`COMMENT`, `VERBATIM`, `TITLE`,
/// `REPRESENTS`), pushes the keyword's tokens and that text's, and returns where logos resumes with the kind the
/// unit context must see (`None`: none). Returns `None`, pushing nothing, for every other keyword.
fn lex_raw_text_after(
    source: &[u8],
    dialect: Dialect,
    keyword: TokenKind,
    keyword_span: std::ops::Range<usize>,
    tokens: &mut Tokens,
) -> Option<(usize, Option<TokenKind>)> {
    let std::ops::Range { start, end } = keyword_span;
    match keyword {
        TokenKind::KwComment => {
            let (block_end, terminated) = find_block_end(source, end, b"ENDCOMMENT", dialect);
            tokens.push(Token {
                kind: if terminated {
                    TokenKind::CommentBlock
                } else {
                    TokenKind::UnterminatedCommentBlock
                },
                span: Span::new(start, block_end),
            });
            Some((block_end, None))
        }
        TokenKind::KwVerbatim => {
            let (block_end, terminated) = find_block_end(source, end, b"ENDVERBATIM", dialect);
            tokens.push(Token {
                kind: if terminated {
                    TokenKind::Verbatim
                } else {
                    TokenKind::UnterminatedVerbatim
                },
                span: Span::new(start, block_end),
            });
            Some((block_end, Some(TokenKind::Verbatim)))
        }
        TokenKind::KwTitle => {
            tokens.push(Token {
                kind: keyword,
                span: Span::new(start, end),
            });
            let after_space = skip_horizontal_space(source, end);
            if after_space > end {
                tokens.push(Token {
                    kind: TokenKind::Whitespace,
                    span: Span::new(end, after_space),
                });
            }
            let line_end = find_line_end(source, after_space);
            if line_end > after_space {
                tokens.push(Token {
                    kind: TokenKind::TitleText,
                    span: Span::new(after_space, line_end),
                });
            }
            Some((line_end, Some(TokenKind::TitleText)))
        }
        TokenKind::KwRepresents => {
            tokens.push(Token {
                kind: keyword,
                span: Span::new(start, end),
            });
            let after_space = skip_horizontal_space(source, end);
            let word_end = find_word_end(source, after_space);
            let mut resume = end;
            if word_end > after_space {
                if after_space > end {
                    tokens.push(Token {
                        kind: TokenKind::Whitespace,
                        span: Span::new(end, after_space),
                    });
                }
                tokens.push(Token {
                    kind: TokenKind::OntologyId,
                    span: Span::new(after_space, word_end),
                });
                resume = word_end;
            }
            Some((resume, Some(TokenKind::OntologyId)))
        }
        _ => None,
    }
}

/// Bytes logos cannot place: an `Unknown` token, glued to the one before if that is unknown too (so a Latin-1 word
/// gives one diagnostic). A Ctrl-Z in the NEURON dialect ends the file instead: returns true.
#[cold]
fn lex_unknown(
    source: &[u8],
    dialect: Dialect,
    span: std::ops::Range<usize>,
    tokens: &mut Tokens,
) -> bool {
    let std::ops::Range { start, end } = span;
    if dialect == Dialect::Neuron && source[start] == 0x1A {
        // nocmodl stops reading at a Ctrl-Z (an old DOS end-of-file mark): the rest is not part of the file.
        tokens.push(Token {
            kind: TokenKind::IgnoredTail,
            span: Span::new(start, source.len()),
        });
        return true;
    }
    match tokens.last() {
        Some(last) if last.kind == TokenKind::Unknown && last.span.end as usize == start => {
            tokens.extend_last_to(end as u32);
        }
        _ => tokens.push(Token {
            kind: TokenKind::Unknown,
            span: Span::new(start, end),
        }),
    }
    false
}

/// Where a `COMMENT` or `VERBATIM` block whose keyword ends at `from` ends, and whether its terminator was found
/// (an unterminated block runs to the end of the input).
///
/// nocmodl ends the block at the first line whose first word *starts with* the terminator (`ENDCOMMENT_old`
/// counts, `ENDCOMMENTS` does not) and discards the rest of that line; modcc (Arbor) ends it at the terminator as a whole word anywhere.
fn find_block_end(
    source: &[u8],
    from: usize,
    terminator: &[u8],
    dialect: Dialect,
) -> (usize, bool) {
    let mut search_from = from;
    while let Some(found) = find_subslice(&source[search_from..], terminator) {
        let at = search_from + found;
        let after = at + terminator.len();
        let is_word_byte = |byte: u8| byte.is_ascii_alphanumeric() || byte == b'_';
        let accepted = match dialect {
            // The first word of the line, read as letters only: `ENDCOMMENT_old` ends, `ENDCOMMENTS` does not.
            Dialect::Neuron => {
                source[..at]
                    .iter()
                    .rev()
                    .take_while(|&&byte| byte != b'\n' && byte != b'\r')
                    .all(|&byte| byte == b' ' || byte == b'\t')
                    && source
                        .get(after)
                        .is_none_or(|byte| !byte.is_ascii_alphabetic())
            }
            // modcc reads the comment as words: an identifier starts with a letter and runs on through letters,
            // digits and `_`, so `xENDCOMMENT` and `a_ENDCOMMENT` are other words, while after `_`, `1` or `:` the
            // word ENDCOMMENT begins (checked on modcc 0.12.2); `ENDCOMMENTS` is a longer word.
            Dialect::Arbor => {
                !source[..at]
                    .iter()
                    .rev()
                    .take_while(|&&byte| is_word_byte(byte))
                    .any(|byte| byte.is_ascii_alphabetic())
                    && source.get(after).is_none_or(|&byte| !is_word_byte(byte))
            }
        };
        if accepted {
            let end = match dialect {
                Dialect::Neuron => find_line_end(source, after),
                Dialect::Arbor => after,
            };
            return (end, true);
        }
        search_from = after;
    }
    (source.len(), false)
}

fn find_subslice(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

fn skip_horizontal_space(source: &[u8], from: usize) -> usize {
    from + source[from..]
        .iter()
        .take_while(|&&byte| byte == b' ' || byte == b'\t')
        .count()
}

fn find_line_end(source: &[u8], from: usize) -> usize {
    memchr::memchr2(b'\n', b'\r', &source[from..]).map_or(source.len(), |length| from + length)
}

fn find_word_end(source: &[u8], from: usize) -> usize {
    from + source[from..]
        .iter()
        .take_while(|&&byte| !byte.is_ascii_whitespace() && byte != b'}' && byte != b'{')
        .count()
}

/// Given the offset just after a `(`, the offset just after the `)` that closes a unit on the same line.
/// A unit holds no `(`, so `f(v(mV))` is not read as the unit `(v(mV)`.
fn find_unit_end(source: &[u8], after_open: usize) -> Option<usize> {
    for (index, &byte) in source[after_open..].iter().enumerate() {
        match byte {
            b')' => return Some(after_open + index + 1),
            b'(' | b'\n' | b'\r' | b'{' | b'}' => return None,
            _ => {}
        }
    }
    None
}

/// Tracks just enough of the surrounding structure to know whether a `(` opens a unit.
///
/// A unit follows a number anywhere (`22 (degC)`); a declared name in PARAMETER, ASSIGNED, STATE, CONSTANT and
/// INDEPENDENT (`v (mV)`, `g[2] (S/cm2)`); anything in UNITS (`FARADAY = (faraday) (coulomb)`); an argument name
/// inside a FUNCTION/PROCEDURE/NET_RECEIVE header (`rates(v (mV))`); and a header's closing `)` (a function's unit).
/// Everywhere else `(` is a parenthesis or a call.
#[derive(Default)]
struct UnitContext {
    brace_depth: u32,
    paren_depth_in_header: u32,
    block: Option<TokenKind>,
    previous: Option<TokenKind>,
    /// Parenthesis depth inside `FOR_NETCONS(…)`, whose arguments take units like a header's.
    for_netcons_depth: u32,
}

impl UnitContext {
    fn significant(&mut self, kind: TokenKind) {
        if self.for_netcons_depth > 0 {
            match kind {
                TokenKind::LeftParen => self.for_netcons_depth += 1,
                TokenKind::RightParen => self.for_netcons_depth -= 1,
                _ => {}
            }
        } else if kind == TokenKind::LeftParen && self.previous == Some(TokenKind::KwForNetcons) {
            self.for_netcons_depth = 1;
        }
        match kind {
            TokenKind::LeftBrace => self.brace_depth += 1,
            TokenKind::RightBrace => {
                self.brace_depth = self.brace_depth.saturating_sub(1);
                if self.brace_depth == 0 {
                    self.block = None;
                }
            }
            TokenKind::LeftParen if self.brace_depth == 0 => self.paren_depth_in_header += 1,
            TokenKind::RightParen if self.brace_depth == 0 => {
                self.paren_depth_in_header = self.paren_depth_in_header.saturating_sub(1)
            }
            _ if self.brace_depth == 0 && kind.starts_top_level_item() => {
                self.block = Some(kind);
                self.paren_depth_in_header = 0;
            }
            _ => {}
        }
        self.previous = Some(kind);
    }

    fn unit_may_follow(&self) -> bool {
        use TokenKind::*;
        let previous = self.previous;
        if previous == Some(Number) || (self.for_netcons_depth == 1 && previous == Some(Name)) {
            return true;
        }
        if self.brace_depth == 0 {
            return match previous {
                Some(RightParen) => self.paren_depth_in_header == 0 && self.block.is_some(),
                Some(Name) => self.paren_depth_in_header == 1,
                _ => false,
            };
        }
        match self.block {
            Some(KwUnits) => true,
            Some(KwParameter | KwAssigned | KwState | KwConstant | KwIndependent) => {
                self.brace_depth == 1 && matches!(previous, Some(Name | RightBracket))
            }
            _ => false,
        }
    }
}
