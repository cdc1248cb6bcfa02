//! The parser gives back what it allocates: a long-lived process (the planned Python module) parses without growing.
//! Alone in its own test binary, so no other test's allocations move the measurement.

use glia::syntax::{parse, Dialect};

/// Resident memory of this process, in bytes (Linux).
fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

#[test]
fn parsing_does_not_leak() {
    // A reference cycle in the parser once leaked ~3 KB per parse: 20,000 parses would grow by ~60 MB.
    let source = b"NEURON { SUFFIX leak }\nINITIAL { if (x) { x = 1 } }\n";
    for _ in 0..1_000 {
        std::hint::black_box(parse(source, Dialect::Neuron));
    }
    let before = resident_bytes();
    for _ in 0..20_000 {
        std::hint::black_box(parse(source, Dialect::Neuron));
    }
    let grown = resident_bytes().saturating_sub(before);
    assert!(
        grown < 16 * 1024 * 1024,
        "resident memory grew by {grown} bytes over 20,000 parses"
    );
}
