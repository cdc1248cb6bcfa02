//! The build layer: turning mod files into libraries the simulators load.
//!
//! - [`makefile`]: reads the variables of NEURON's installed `nrnmech_makefile` (pure);
//! - [`tool_messages`]: nocmodl's and the C++ compiler's messages, parsed and placed on the `.mod` source (pure).

pub mod makefile;
pub mod tool_messages;
