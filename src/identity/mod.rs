//! Mechanism identity: the glia naming scheme, renaming by span splicing, semantic hashes and dialect lowering.
//! Pure: these functions take bytes and parse results and return new bytes, names or hashes; no IO.

pub mod hash;
pub mod inspection;
pub mod lower;
pub mod name;
pub mod rename;
