//! Arbitrary bytes through `glia::syntax::parse`, in both dialects. The front end promises that, whatever the input,
//! it does not panic, the tokens are contiguous and reproduce the input exactly, and every span it reports (tokens,
//! diagnostic labels) lies inside the input.

#![no_main]

use glia::syntax::{parse, Dialect};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|source: &[u8]| {
    for dialect in [Dialect::Neuron, Dialect::Arbor] {
        let parse = parse(source, dialect);

        let mut position = 0usize;
        for token in &parse.tokens {
            let (start, end) = (token.span.start as usize, token.span.end as usize);
            assert_eq!(
                start, position,
                "{dialect:?}: token {token:?} does not start where the previous one ended"
            );
            assert!(start <= end, "{dialect:?}: token {token:?} ends before it starts");
            assert!(end <= source.len(), "{dialect:?}: token {token:?} runs past the input ({} bytes)", source.len());
            position = end;
        }
        assert_eq!(position, source.len(), "{dialect:?}: the tokens stop at {position} of {} bytes", source.len());

        for diagnostic in &parse.diagnostics {
            let labels = std::iter::once(&diagnostic.primary).chain(&diagnostic.secondary);
            for label in labels {
                let span = label.span;
                assert!(
                    span.start <= span.end && span.end as usize <= source.len(),
                    "{dialect:?}: diagnostic {} has the span {span:?} outside the input ({} bytes)",
                    diagnostic.code.as_str(),
                    source.len()
                );
            }
        }
    }
});
