//! The semantic layer: facts about a mechanism computed once from its syntax tree and reused by every later
//! stage (inspect, rename, build). Pure: no IO.

pub mod lint;
pub mod mechanism;
