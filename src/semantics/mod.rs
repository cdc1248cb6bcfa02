//! The semantic layer: facts about a mechanism and its symbol table, computed once from its syntax tree and reused
//! by every later stage (lint, inspect, rename, build). Pure: no IO.

pub mod lint;
pub mod mechanism;
pub mod symbols;
