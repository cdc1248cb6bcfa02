//! Whatever the bytes, the front end returns: no panic, no hang, no stack overflow, every span inside the input,
//! and the tokens reproduce the input exactly.

use glia::syntax::{parse, Dialect};
use proptest::prelude::*;

fn assert_sound(source: &[u8]) {
    for dialect in [Dialect::Neuron, Dialect::Arbor] {
        let parse = parse(source, dialect);
        let mut position = 0usize;
        for token in &parse.tokens {
            assert_eq!(
                token.span.start as usize, position,
                "tokens must be contiguous"
            );
            assert!(token.span.end >= token.span.start);
            position = token.span.end as usize;
        }
        assert_eq!(position, source.len(), "tokens must cover the input");
        for diagnostic in &parse.diagnostics {
            let span = diagnostic.primary.span;
            assert!(span.start <= span.end && span.end as usize <= source.len());
        }
    }
}

/// Fragments of real NMODL, so that random inputs reach deep into the grammar.
const FRAGMENTS: &[&str] = &[
    "NEURON",
    "{",
    "}",
    "(",
    ")",
    "[",
    "]",
    "SUFFIX",
    "hh",
    "USEION",
    "na",
    "READ",
    "WRITE",
    "ena",
    ",",
    "RANGE",
    "PARAMETER",
    "ASSIGNED",
    "STATE",
    "BREAKPOINT",
    "SOLVE",
    "states",
    "METHOD",
    "cnexp",
    "DERIVATIVE",
    "m'",
    "=",
    "+",
    "-",
    "*",
    "/",
    "^",
    "(mV)",
    "22",
    "1e-3",
    ".5",
    "1.",
    "if",
    "else",
    "while",
    "FROM",
    "TO",
    "BY",
    "~",
    "<->",
    "<<",
    "->",
    "<",
    ">",
    "KINETIC",
    "COMMENT",
    "ENDCOMMENT",
    "VERBATIM",
    "ENDVERBATIM",
    "TITLE",
    ": c",
    "? c",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "LOCAL",
    "x",
    "FUNCTION",
    "PROCEDURE",
    "NET_RECEIVE",
    "INITIAL",
    "UNITS",
    "TABLE",
    "DEPEND",
    "WITH",
    "REPRESENTS",
    "NCIT:C17008",
    "\"s\"",
    "@",
    "'",
    "\u{feff}",
    "é",
    "\u{0}",
    "\u{ff}",
];

fn nmodl_soup() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..200)
        .prop_map(|parts| parts.join(" ").into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_break_the_front_end(source in prop::collection::vec(any::<u8>(), 0..2000)) {
        assert_sound(&source);
    }

    #[test]
    fn nmodl_like_soup_never_breaks_the_front_end(source in nmodl_soup()) {
        assert_sound(&source);
    }
}

#[test]
fn hundred_thousand_nested_parentheses_give_a_diagnostic() {
    let mut source = b"NEURON { SUFFIX deep }\nASSIGNED { x }\nINITIAL { x = ".to_vec();
    source.extend(std::iter::repeat_n(b'(', 100_000));
    source.push(b'1');
    source.extend(std::iter::repeat_n(b')', 100_000));
    source.extend_from_slice(b"\n}\n");
    let parse = parse(&source, Dialect::Neuron);
    assert!(
        parse.diagnostics.iter().any(|d| d.code.as_str() == "E005"),
        "{:?}",
        parse.diagnostics
    );
    assert_sound(&source);
}

#[test]
fn hundred_thousand_unclosed_braces_and_deep_powers_give_results() {
    let mut source = b"INITIAL ".to_vec();
    source.extend(std::iter::repeat_n(b'{', 100_000));
    assert_sound(&source);
    let mut powers = b"INITIAL { x = a".to_vec();
    for _ in 0..100_000 {
        powers.extend_from_slice(b"^-a");
    }
    powers.extend_from_slice(b" }\n");
    assert_sound(&powers);
}

#[test]
fn a_fifty_megabyte_file_is_read() {
    let unit = b"NEURON { SUFFIX big RANGE g }\nPARAMETER { g = 0.001 (S/cm2) : a comment\n}\n\
BREAKPOINT { g = g * 2 + exp(-g / 3) }\n";
    let mut source = Vec::with_capacity(50 * 1024 * 1024 + unit.len());
    while source.len() < 50 * 1024 * 1024 {
        source.extend_from_slice(unit);
    }
    let parse = parse(&source, Dialect::Neuron);
    assert!(parse.file.items.len() > 100_000);
    assert_eq!(parse.tokens.last().unwrap().span.end as usize, source.len());
}

#[test]
fn a_hundred_thousand_else_ifs_give_a_diagnostic() {
    let mut source = b"INITIAL { if (x) { }".to_vec();
    for _ in 0..100_000 {
        source.extend_from_slice(b" else if (x) { }");
    }
    source.extend_from_slice(b" }\n");
    let parse = parse(&source, Dialect::Neuron);
    assert!(parse.diagnostics.iter().any(|d| d.code.as_str() == "E005"));
    assert_sound(&source);
}
