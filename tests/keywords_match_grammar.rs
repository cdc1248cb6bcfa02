//! The reference grammar (`grammar/nmodl.ebnf`) and the lexer must agree on the reserved words.

use std::collections::BTreeSet;

use glia::syntax::token::{KEYWORDS, KEYWORD_ALIASES};

#[test]
fn grammar_keyword_list_equals_lexer_keywords() {
    let grammar =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/grammar/nmodl.ebnf"))
            .unwrap();
    let begin = grammar
        .find("(* BEGIN KEYWORDS *)")
        .expect("grammar has a BEGIN KEYWORDS marker");
    let end = grammar
        .find("(* END KEYWORDS *)")
        .expect("grammar has an END KEYWORDS marker");
    let in_grammar: BTreeSet<String> = grammar[begin..end]
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|line| line.starts_with('"'))
        .map(|line| line.trim_matches('"').to_string())
        .collect();
    let in_lexer: BTreeSet<String> = KEYWORDS
        .iter()
        .chain(KEYWORD_ALIASES)
        .map(|(word, _)| word.to_string())
        .collect();
    let only_grammar: Vec<_> = in_grammar.difference(&in_lexer).collect();
    let only_lexer: Vec<_> = in_lexer.difference(&in_grammar).collect();
    assert!(
        only_grammar.is_empty() && only_lexer.is_empty(),
        "keywords only in the grammar: {only_grammar:?}; only in the lexer: {only_lexer:?}"
    );
}
