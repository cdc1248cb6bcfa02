//! Glia: an NMODL front end and build orchestrator for the NEURON and Arbor simulators.
//!
//! Layers, each depending only on those above it: [`span`] and [`diagnostics`] (the shared vocabulary),
//! [`syntax`] (lexer, parser, AST), [`semantics`] (mechanism facts), [`identity`] (names, renaming, hashes,
//! lowering) — all pure — and the front end in [`cli`], the only layer that reads files.

pub mod atomic_write;
pub mod build;
pub mod cli;
pub mod diagnostics;
pub mod identity;
pub mod packages;
pub mod semantics;
pub mod span;
pub mod syntax;
