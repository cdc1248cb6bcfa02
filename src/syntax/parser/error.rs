//! The parser's error type: what was expected (as a set, merged across alternatives) and what was found.
//!
//! It allocates nothing, so failed alternatives cost little; it becomes a [`Diagnostic`] only at the end.

use chumsky::error::{Error, LabelError};
use chumsky::util::MaybeRef;
use chumsky::DefaultExpected;

use super::{ParserInput, ParserSpan, SyntaxToken};
use crate::syntax::token::TokenKind;

/// Something the parser wanted to see, in NMODL terms.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Expected {
    Token(TokenKind),
    Expression,
    Statement,
    Unit,
    Number,
    TopLevelBlock,
    NeuronStatement,
    Declaration,
    UnitDefinition,
    ReactionArrow,
    Argument,
    EndOfBlock,
}

const LABEL_COUNT: u32 = 12;

impl Expected {
    fn label_bit(self) -> Option<u32> {
        let bit = match self {
            Expected::Token(_) => return None,
            Expected::Expression => 0,
            Expected::Statement => 1,
            Expected::Unit => 2,
            Expected::Number => 3,
            Expected::TopLevelBlock => 4,
            Expected::NeuronStatement => 5,
            Expected::Declaration => 6,
            Expected::UnitDefinition => 7,
            Expected::ReactionArrow => 8,
            Expected::Argument => 9,
            Expected::EndOfBlock => 10,
        };
        Some(bit)
    }

    fn from_label_bit(bit: u32) -> Expected {
        match bit {
            0 => Expected::Expression,
            1 => Expected::Statement,
            2 => Expected::Unit,
            3 => Expected::Number,
            4 => Expected::TopLevelBlock,
            5 => Expected::NeuronStatement,
            6 => Expected::Declaration,
            7 => Expected::UnitDefinition,
            8 => Expected::ReactionArrow,
            9 => Expected::Argument,
            _ => Expected::EndOfBlock,
        }
    }

    /// How this is named in a message.
    pub(crate) fn description(self) -> &'static str {
        match self {
            Expected::Token(kind) => kind.description(),
            Expected::Expression => "an expression",
            Expected::Statement => "a statement",
            Expected::Unit => "a unit like `(mV)`",
            Expected::Number => "a number",
            Expected::TopLevelBlock => "a block such as `NEURON`, `PARAMETER` or `PROCEDURE`",
            Expected::NeuronStatement => {
                "a NEURON block statement such as `SUFFIX`, `USEION` or `RANGE`"
            }
            Expected::Declaration => "a declaration like `name = 1 (mV)`",
            Expected::UnitDefinition => "a unit definition like `(mV) = (millivolt)`",
            Expected::ReactionArrow => "a reaction arrow `<->`, `<<` or `->`",
            Expected::Argument => "an argument name",
            Expected::EndOfBlock => "`}`",
        }
    }
}

/// A syntax error at `span`: expected one of a set of things, found `found` (`None`: the end of the file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub span: ParserSpan,
    pub found: Option<TokenKind>,
    expected_tokens: [u64; 4],
    expected_labels: u32,
    /// Set when an expression nests deeper than the parser follows.
    pub too_deep: bool,
}

const _: () = assert!(
    (TokenKind::KwWrite as u32) < 256,
    "token kinds must fit the expected-token bit set"
);

impl SyntaxError {
    #[inline]
    fn new(span: ParserSpan, found: Option<TokenKind>) -> SyntaxError {
        SyntaxError {
            span,
            found,
            expected_tokens: [0; 4],
            expected_labels: 0,
            too_deep: false,
        }
    }

    /// An error where `found` was seen and nothing is expected yet: [`SyntaxError::add`] adds to it.
    pub(crate) fn expecting_none(found: Option<TokenKind>, span: ParserSpan) -> SyntaxError {
        SyntaxError::new(span, found)
    }

    /// An expression nested deeper than [`crate::syntax::MAXIMUM_NESTING`] operators.
    pub(crate) fn nesting_too_deep(span: ParserSpan) -> SyntaxError {
        let mut error = SyntaxError::new(span, None);
        error.too_deep = true;
        error
    }

    /// An error expecting exactly `expected` where `found` was seen.
    #[inline]
    pub(crate) fn expecting(
        expected: Expected,
        found: Option<TokenKind>,
        span: ParserSpan,
    ) -> SyntaxError {
        let mut error = SyntaxError::new(span, found);
        error.add(expected);
        error
    }

    /// An error expecting any of `expected` where `found` was seen.
    pub(crate) fn expecting_any(
        expected: &[Expected],
        found: Option<TokenKind>,
        span: ParserSpan,
    ) -> SyntaxError {
        let mut error = SyntaxError::new(span, found);
        for &item in expected {
            error.add(item);
        }
        error
    }

    #[inline]
    pub(crate) fn add(&mut self, expected: Expected) {
        match expected {
            Expected::Token(kind) => {
                self.expected_tokens[kind as usize / 64] |= 1u64 << (kind as usize % 64)
            }
            other => {
                if let Some(bit) = other.label_bit() {
                    self.expected_labels |= 1 << bit;
                }
            }
        }
    }

    /// Everything expected here, labels first, in a stable order.
    pub(crate) fn expected(&self) -> Vec<Expected> {
        let mut expected: Vec<Expected> = (0..LABEL_COUNT)
            .filter(|bit| self.expected_labels & (1 << bit) != 0)
            .map(Expected::from_label_bit)
            .collect();
        expected.extend(
            crate::syntax::token::all_token_kinds()
                .filter(|&kind| {
                    self.expected_tokens[kind as usize / 64] & (1u64 << (kind as usize % 64)) != 0
                })
                .map(Expected::Token),
        );
        expected
    }
}

impl<'t> Error<'t, ParserInput<'t>> for SyntaxError {
    fn merge(mut self, other: SyntaxError) -> SyntaxError {
        for (mine, theirs) in self.expected_tokens.iter_mut().zip(other.expected_tokens) {
            *mine |= theirs;
        }
        self.expected_labels |= other.expected_labels;
        self.too_deep |= other.too_deep;
        self
    }
}

impl<'t> LabelError<'t, ParserInput<'t>, DefaultExpected<'t, SyntaxToken>> for SyntaxError {
    fn expected_found<E: IntoIterator<Item = DefaultExpected<'t, SyntaxToken>>>(
        expected: E,
        found: Option<MaybeRef<'t, SyntaxToken>>,
        span: ParserSpan,
    ) -> SyntaxError {
        let mut error = SyntaxError::new(span, found.map(|token| token.kind));
        for item in expected {
            if let DefaultExpected::Token(token) = item {
                error.add(Expected::Token(token.kind));
            }
        }
        error
    }
}

impl<'t> LabelError<'t, ParserInput<'t>, Expected> for SyntaxError {
    fn expected_found<E: IntoIterator<Item = Expected>>(
        expected: E,
        found: Option<MaybeRef<'t, SyntaxToken>>,
        span: ParserSpan,
    ) -> SyntaxError {
        let mut error = SyntaxError::new(span, found.map(|token| token.kind));
        for item in expected {
            error.add(item);
        }
        error
    }

    fn label_with(&mut self, label: Expected) {
        self.expected_tokens = [0; 4];
        self.expected_labels = 0;
        self.add(label);
    }
}
