//! Token kinds: every byte of a mod file belongs to exactly one token, significant or trivia.

use crate::span::Span;

macro_rules! token_kinds {
    (
        other { $($other:ident => $other_text:literal,)* }
        keywords { $($keyword:ident => $keyword_text:literal,)* }
    ) => {
        /// The kind of a token. Keywords are listed in [`KEYWORDS`]; trivia kinds answer `is_trivia`.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        #[repr(u8)]
        pub enum TokenKind {
            $($other,)*
            $($keyword,)*
        }

        /// Every reserved word of NMODL (both dialects), exactly as written in source.
        /// `grammar/nmodl.ebnf` lists the same words; a test keeps the two in agreement.
        pub const KEYWORDS: &[(&str, TokenKind)] = &[$(($keyword_text, TokenKind::$keyword),)*];

        const ALL_TOKEN_KINDS: &[TokenKind] = &[$(TokenKind::$other,)* $(TokenKind::$keyword,)*];

        /// Every token kind, in declaration order.
        pub fn all_token_kinds() -> impl Iterator<Item = TokenKind> {
            ALL_TOKEN_KINDS.iter().copied()
        }

        impl TokenKind {
            /// How the token kind is named in messages ("expected `}`", "found a name").
            pub fn description(self) -> &'static str {
                match self {
                    $(TokenKind::$other => $other_text,)*
                    $(TokenKind::$keyword => concat!("`", $keyword_text, "`"),)*
                }
            }

            /// The keyword spelled exactly `word`, if any (including the other spellings in [`KEYWORD_ALIASES`]).
            pub fn keyword(word: &[u8]) -> Option<TokenKind> {
                // Keywords are uppercase words of 2 to 22 letters, or `if`, `else`, `while`: most names in real
                // files are lowercase, and this test spares them the table.
                if word.len() < 2
                    || word.len() > 22
                    || !(word[0].is_ascii_uppercase() || matches!(word[0], b'i' | b'e' | b'w'))
                {
                    return None;
                }
                let entry = KEYWORD_SLOTS[keyword_slot(word)];
                if entry == 0 {
                    return None;
                }
                let (text, kind) = ALL_KEYWORDS[usize::from(entry) - 1];
                (text.as_bytes() == word).then_some(kind)
            }

            pub fn is_keyword(self) -> bool {
                matches!(self, $(TokenKind::$keyword)|*)
            }
        }
    };
}

token_kinds! {
    other {
        Whitespace => "whitespace",
        Newline => "a line break",
        LineComment => "a comment",
        CommentBlock => "a COMMENT block",
        UnterminatedCommentBlock => "a COMMENT block without ENDCOMMENT",
        IgnoredTail => "text after a Ctrl-Z",
        ByteOrderMark => "a byte order mark",
        Verbatim => "a VERBATIM block",
        UnterminatedVerbatim => "a VERBATIM block without ENDVERBATIM",
        TitleText => "title text",
        Unit => "a unit",
        OntologyId => "an ontology identifier",
        String => "a string",
        Name => "a name",
        PrimedName => "a derivative name like `m'`",
        Number => "a number",
        LeftBrace => "`{`",
        RightBrace => "`}`",
        LeftParen => "`(`",
        RightParen => "`)`",
        LeftBracket => "`[`",
        RightBracket => "`]`",
        Comma => "`,`",
        Plus => "`+`",
        Minus => "`-`",
        Star => "`*`",
        Slash => "`/`",
        Caret => "`^`",
        Percent => "`%`",
        Assign => "`=`",
        EqualEqual => "`==`",
        NotEqual => "`!=`",
        Less => "`<`",
        LessEqual => "`<=`",
        Greater => "`>`",
        GreaterEqual => "`>=`",
        AndAnd => "`&&`",
        OrOr => "`||`",
        Bang => "`!`",
        Tilde => "`~`",
        ReactionArrow => "`<->`",
        At => "`@`",
        Apostrophe => "`'`",
        Semicolon => "`;`",
        Unknown => "an unexpected character",
        EndOfFile => "the end of the file",
    }
    keywords {
        KwAfter => "AFTER",
        KwArtificialCell => "ARTIFICIAL_CELL",
        KwAssigned => "ASSIGNED",
        KwBbcorePointer => "BBCOREPOINTER",
        KwBefore => "BEFORE",
        KwBreakpoint => "BREAKPOINT",
        KwBy => "BY",
        KwCharge => "CHARGE",
        KwComment => "COMMENT",
        KwCompartment => "COMPARTMENT",
        KwConductance => "CONDUCTANCE",
        KwConserve => "CONSERVE",
        KwConstant => "CONSTANT",
        KwConstructor => "CONSTRUCTOR",
        KwDefine => "DEFINE",
        KwDel => "DEL",
        KwDel2 => "DEL2",
        KwDepend => "DEPEND",
        KwDerivative => "DERIVATIVE",
        KwDestructor => "DESTRUCTOR",
        KwDiscrete => "DISCRETE",
        KwElectrodeCurrent => "ELECTRODE_CURRENT",
        KwElse => "else",
        KwEquation => "EQUATION",
        KwExternal => "EXTERNAL",
        KwForNetcons => "FOR_NETCONS",
        KwFrom => "FROM",
        KwFunction => "FUNCTION",
        KwFunctionTable => "FUNCTION_TABLE",
        KwGlobal => "GLOBAL",
        KwIf => "if",
        KwInclude => "INCLUDE",
        KwIndependent => "INDEPENDENT",
        KwInitial => "INITIAL",
        KwInt => "INT",
        KwJunctionProcess => "JUNCTION_PROCESS",
        KwKinetic => "KINETIC",
        KwLag => "LAG",
        KwLinear => "LINEAR",
        KwLocal => "LOCAL",
        KwLongitudinalDiffusion => "LONGITUDINAL_DIFFUSION",
        KwMethod => "METHOD",
        KwMutexLock => "MUTEXLOCK",
        KwMutexUnlock => "MUTEXUNLOCK",
        KwNetReceive => "NET_RECEIVE",
        KwNeuron => "NEURON",
        KwNonlinear => "NONLINEAR",
        KwNonspecificCurrent => "NONSPECIFIC_CURRENT",
        KwParameter => "PARAMETER",
        KwPointProcess => "POINT_PROCESS",
        KwPointer => "POINTER",
        KwPostEvent => "POST_EVENT",
        KwProcedure => "PROCEDURE",
        KwProtect => "PROTECT",
        KwRandom => "RANDOM",
        KwRange => "RANGE",
        KwRead => "READ",
        KwRepresents => "REPRESENTS",
        KwSolve => "SOLVE",
        KwSolveFor => "SOLVEFOR",
        KwStart => "START",
        KwState => "STATE",
        KwStep => "STEP",
        KwSteadyState => "STEADYSTATE",
        KwSuffix => "SUFFIX",
        KwSweep => "SWEEP",
        KwTable => "TABLE",
        KwThreadSafe => "THREADSAFE",
        KwTitle => "TITLE",
        KwTo => "TO",
        KwUnits => "UNITS",
        KwUnitsOff => "UNITSOFF",
        KwUnitsOn => "UNITSON",
        KwUseIon => "USEION",
        KwValence => "VALENCE",
        KwVerbatim => "VERBATIM",
        KwVoltageProcess => "VOLTAGE_PROCESS",
        KwVs => "VS",
        KwWatch => "WATCH",
        KwWhile => "while",
        KwWhiteNoise => "WHITE_NOISE",
        KwWith => "WITH",
        KwWrite => "WRITE",
    }
}

/// Keywords are looked up in a perfect hash table: a word's first two bytes, last two bytes and length, multiplied
/// by this odd number, give (in the top bits of the product) a slot of [`KEYWORD_SLOTS`] that no other keyword
/// shares. The table is built at compile time, and the build fails if two keywords ever land in one slot; then pick
/// another odd multiplier (a few thousand random ones must be tried, on average, to find one that separates them).
const KEYWORD_HASH_MULTIPLIER: u64 = 0x6352_8f0a_c621_fbb9;
const KEYWORD_SLOT_BITS: u32 = 9;
const KEYWORD_SLOT_COUNT: usize = 1 << KEYWORD_SLOT_BITS;

/// The slot of [`KEYWORD_SLOTS`] where `word` (at least 2 bytes) would be.
const fn keyword_slot(word: &[u8]) -> usize {
    let length = word.len();
    let key = word[0] as u64
        | (word[1] as u64) << 8
        | (word[length - 2] as u64) << 16
        | (word[length - 1] as u64) << 24
        | (length as u64) << 32;
    (key.wrapping_mul(KEYWORD_HASH_MULTIPLIER) >> (64 - KEYWORD_SLOT_BITS)) as usize
}

/// [`KEYWORDS`] and then [`KEYWORD_ALIASES`].
const ALL_KEYWORDS: [(&str, TokenKind); KEYWORDS.len() + KEYWORD_ALIASES.len()] = {
    let mut all = [("", TokenKind::Name); KEYWORDS.len() + KEYWORD_ALIASES.len()];
    let mut index = 0;
    while index < KEYWORDS.len() {
        all[index] = KEYWORDS[index];
        index += 1;
    }
    while index < all.len() {
        all[index] = KEYWORD_ALIASES[index - KEYWORDS.len()];
        index += 1;
    }
    all
};

/// For each slot, 1 + the index in [`ALL_KEYWORDS`] of the keyword in that slot, or 0 for an empty slot.
static KEYWORD_SLOTS: [u8; KEYWORD_SLOT_COUNT] = {
    assert!(
        ALL_KEYWORDS.len() < u8::MAX as usize,
        "keyword indices must fit a byte"
    );
    let mut slots = [0u8; KEYWORD_SLOT_COUNT];
    let mut index = 0;
    while index < ALL_KEYWORDS.len() {
        let slot = keyword_slot(ALL_KEYWORDS[index].0.as_bytes());
        assert!(
            slots[slot] == 0,
            "two keywords share a slot of the keyword table: choose another KEYWORD_HASH_MULTIPLIER"
        );
        slots[slot] = index as u8 + 1;
        index += 1;
    }
    slots
};

/// Uppercase spellings of the control-flow keywords: nocmodl takes all three, modcc `IF` and `ELSE` (it has no
/// loops). Mixed case (`If`) is an ordinary name in both.
pub const KEYWORD_ALIASES: &[(&str, TokenKind)] = &[
    ("IF", TokenKind::KwIf),
    ("ELSE", TokenKind::KwElse),
    ("WHILE", TokenKind::KwWhile),
];

impl TokenKind {
    /// Trivia carries no meaning for the parser: layout and comments.
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            TokenKind::Whitespace
                | TokenKind::Newline
                | TokenKind::LineComment
                | TokenKind::CommentBlock
                | TokenKind::UnterminatedCommentBlock
                | TokenKind::IgnoredTail
                | TokenKind::ByteOrderMark
        )
    }

    /// Tokens that join two operands in an expression.
    pub fn is_binary_operator(self) -> bool {
        use TokenKind::*;
        matches!(
            self,
            Plus | Minus
                | Star
                | Slash
                | Caret
                | EqualEqual
                | NotEqual
                | Less
                | LessEqual
                | Greater
                | GreaterEqual
                | AndAnd
                | OrOr
        )
    }

    /// Tokens that start a top-level block or statement; used to resynchronise after an error.
    pub fn starts_top_level_item(self) -> bool {
        use TokenKind::*;
        matches!(
            self,
            KwTitle
                | KwInclude
                | KwDefine
                | KwNeuron
                | KwUnits
                | KwParameter
                | KwAssigned
                | KwState
                | KwConstant
                | KwIndependent
                | KwInitial
                | KwBreakpoint
                | KwDerivative
                | KwKinetic
                | KwLinear
                | KwNonlinear
                | KwDiscrete
                | KwProcedure
                | KwFunction
                | KwFunctionTable
                | KwNetReceive
                | KwBefore
                | KwAfter
                | KwConstructor
                | KwDestructor
                | KwWhiteNoise
                | KwPostEvent
        )
    }
}

/// One token: its kind and the bytes it covers.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

/// The tokens of one input, in order, covering it exactly: a kind and a start per token (5 bytes, where a [`Token`]
/// is 12), since every byte belongs to exactly one token and a token ends where the next one starts. A file of
/// 30 MB has about 10 million tokens, trivia included.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Tokens {
    kinds: Vec<TokenKind>,
    starts: Vec<u32>,
    /// Where the last token ends.
    end: u32,
}

impl Tokens {
    pub fn with_capacity(capacity: usize) -> Tokens {
        Tokens {
            kinds: Vec::with_capacity(capacity),
            starts: Vec::with_capacity(capacity),
            end: 0,
        }
    }

    /// Appends `token`, which starts where the last one ends (or at 0).
    pub fn push(&mut self, token: Token) {
        debug_assert_eq!(token.span.start, self.end, "tokens must be contiguous");
        self.kinds.push(token.kind);
        self.starts.push(token.span.start);
        self.end = token.span.end;
    }

    /// Makes the last token end at `end` (the lexer merges a run of unknown bytes into one token).
    pub fn extend_last_to(&mut self, end: u32) {
        debug_assert!(!self.kinds.is_empty() && end >= self.end);
        self.end = end;
    }

    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    pub fn get(&self, index: usize) -> Option<Token> {
        let kind = *self.kinds.get(index)?;
        let end = self.starts.get(index + 1).copied().unwrap_or(self.end);
        Some(Token {
            kind,
            span: Span {
                start: self.starts[index],
                end,
            },
        })
    }

    pub fn last(&self) -> Option<Token> {
        self.get(self.len().checked_sub(1)?)
    }

    /// Every token, in order.
    pub fn iter(&self) -> TokenIterator<'_> {
        self.iter_from(0)
    }

    /// The tokens from the one at `index` on.
    pub fn iter_from(&self, index: usize) -> TokenIterator<'_> {
        TokenIterator {
            tokens: self,
            next: index.min(self.len()),
            end: self.len(),
        }
    }

    /// The index of the first token for which `before` is false, the tokens being those for which it is true
    /// followed by the others (a binary search, as [`slice::partition_point`]).
    pub fn partition_point(&self, mut before: impl FnMut(Token) -> bool) -> usize {
        let (mut low, mut high) = (0, self.len());
        while low < high {
            let middle = low + (high - low) / 2;
            if before(self.get(middle).expect("in range")) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        low
    }
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.debug_list().entries(self.iter()).finish()
    }
}

impl<'a> IntoIterator for &'a Tokens {
    type Item = Token;
    type IntoIter = TokenIterator<'a>;

    fn into_iter(self) -> TokenIterator<'a> {
        self.iter()
    }
}

impl FromIterator<Token> for Tokens {
    fn from_iter<I: IntoIterator<Item = Token>>(tokens: I) -> Tokens {
        let mut list = Tokens::default();
        for token in tokens {
            list.push(token);
        }
        list
    }
}

/// The tokens of a [`Tokens`] list, by value.
#[derive(Clone)]
pub struct TokenIterator<'a> {
    tokens: &'a Tokens,
    next: usize,
    end: usize,
}

impl Iterator for TokenIterator<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        if self.next >= self.end {
            return None;
        }
        self.next += 1;
        self.tokens.get(self.next - 1)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.end - self.next;
        (left, Some(left))
    }

    fn nth(&mut self, count: usize) -> Option<Token> {
        self.next = self.next.saturating_add(count).min(self.end);
        self.next()
    }
}

impl DoubleEndedIterator for TokenIterator<'_> {
    fn next_back(&mut self) -> Option<Token> {
        if self.next >= self.end {
            return None;
        }
        self.end -= 1;
        self.tokens.get(self.end)
    }
}

impl ExactSizeIterator for TokenIterator<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The 5-byte list gives back exactly the tokens pushed, by index, in both directions, from any index, and
        /// by binary search; extending the last token moves only its end.
        #[test]
        fn the_token_list_gives_back_what_was_pushed(
            lengths in proptest::collection::vec((0usize..ALL_TOKEN_KINDS.len(), 0u32..5), 0..60),
            skip in 0usize..70,
            extension in 0u32..3,
        ) {
            let mut expected: Vec<Token> = Vec::new();
            let mut start = 0;
            for (kind, length) in lengths {
                expected.push(Token { kind: ALL_TOKEN_KINDS[kind], span: Span { start, end: start + length } });
                start += length;
            }
            let mut tokens: Tokens = expected.iter().copied().collect();
            proptest::prop_assert_eq!(tokens.len(), expected.len());
            proptest::prop_assert_eq!(tokens.iter().collect::<Vec<_>>(), expected.clone());
            proptest::prop_assert_eq!(tokens.iter().rev().collect::<Vec<_>>(), expected.iter().rev().copied().collect::<Vec<_>>());
            proptest::prop_assert_eq!(tokens.iter_from(skip).collect::<Vec<_>>(), expected.iter().skip(skip).copied().collect::<Vec<_>>());
            proptest::prop_assert_eq!(tokens.iter().nth(skip), expected.get(skip).copied());
            for offset in 0..=start + 1 {
                proptest::prop_assert_eq!(
                    tokens.partition_point(|token| token.span.end <= offset),
                    expected.partition_point(|token| token.span.end <= offset)
                );
            }
            if let Some(last) = expected.last_mut() {
                last.span.end += extension;
                tokens.extend_last_to(last.span.end);
            }
            proptest::prop_assert_eq!(tokens.last(), expected.last().copied());
            proptest::prop_assert_eq!(tokens.get(expected.len()), None);
        }
    }

    /// The keyword lookup the table replaces: a search through the lists.
    fn keyword_by_search(word: &[u8]) -> Option<TokenKind> {
        KEYWORDS
            .iter()
            .chain(KEYWORD_ALIASES)
            .find(|(text, _)| text.as_bytes() == word)
            .map(|&(_, kind)| kind)
    }

    #[test]
    fn the_keyword_table_agrees_with_the_lists() {
        let mut words: Vec<Vec<u8>> = Vec::new();
        for &(text, _) in KEYWORDS.iter().chain(KEYWORD_ALIASES) {
            let text = text.as_bytes();
            // The keyword, and words one letter longer, shorter or different.
            words.push(text.to_vec());
            words.push([text, b"S"].concat());
            words.push(text[..text.len() - 1].to_vec());
            let mut changed = text.to_vec();
            changed[text.len() / 2] ^= 0x20;
            words.push(changed);
        }
        for name in [
            "If",
            "Else",
            "x",
            "v",
            "gnabar",
            "TEMP",
            "FARADAY",
            "DEL3",
            "UNITSOFFS",
        ] {
            words.push(name.as_bytes().to_vec());
        }
        for word in words {
            assert_eq!(
                TokenKind::keyword(&word),
                keyword_by_search(&word),
                "{}",
                String::from_utf8_lossy(&word)
            );
        }
    }
}
