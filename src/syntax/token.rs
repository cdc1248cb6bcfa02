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
                keywords_of_length(word.len())
                    .iter()
                    .find(|(keyword, _)| *keyword == word)
                    .map(|&(_, kind)| kind)
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

/// A keyword's bytes and kind.
type KeywordEntry = (&'static [u8], TokenKind);

/// The keywords (and their other spellings) of `length` bytes: the lexer looks a word up among a handful.
fn keywords_of_length(length: usize) -> &'static [KeywordEntry] {
    static BY_LENGTH: std::sync::OnceLock<Vec<Vec<KeywordEntry>>> = std::sync::OnceLock::new();
    let by_length = BY_LENGTH.get_or_init(|| {
        let mut by_length = vec![Vec::new(); 32];
        for &(keyword, kind) in KEYWORDS.iter().chain(KEYWORD_ALIASES) {
            by_length[keyword.len()].push((keyword.as_bytes(), kind));
        }
        by_length
    });
    by_length.get(length).map_or(&[], Vec::as_slice)
}

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
