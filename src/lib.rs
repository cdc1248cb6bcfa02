//! Glia: an NMODL front end and build orchestrator for the NEURON and Arbor simulators.
//!
//! Layers, each depending only on those above it: [`span`] and [`diagnostics`] (the shared vocabulary),
//! [`syntax`] (lexer, parser, AST; pure), and the front end in [`cli`].

pub mod cli;
pub mod diagnostics;
pub mod span;
pub mod syntax;
