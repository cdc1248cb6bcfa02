//! A small, exact reader of the Python that Glia package modules are written in: the [`lexer`] makes Python's
//! tokens, the [`parser`] reads top-level statements as far as they are simple. Nothing here runs Python or reads
//! files; [`super::declaration`] evaluates what it reads.

pub mod lexer;
pub mod parser;
