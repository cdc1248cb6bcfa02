//! The build layer: turning mod files into libraries the simulators load. The only layer that starts processes
//! (all through [`exec`]) or writes build products.
//!
//! - [`toolchain`]: finding NEURON and the C++ compiler, and what nrnivmodl would run with them;
//! - [`makefile`]: reads the variables of NEURON's installed `nrnmech_makefile` (pure);
//! - [`neuron`]: the NEURON build (`glia nrnivmodl`): plan, translate, compile, link, install;
//! - [`arbor`], [`arbor_toolchain`], [`arbor_glue`]: the Arbor build (`glia build-catalogue`), finding Arbor and
//!   reading its CMake configuration, and the catalogue source modcc would write;
//! - [`generated`]: `mod_func.cpp` and the precompiled-header rewrite (pure);
//! - [`tool_messages`]: nocmodl's and the C++ compiler's messages, parsed and placed on the `.mod` source (pure);
//! - [`pipeline`], [`compile_queue`], [`install`], [`outcome`]: what the NEURON and Arbor builds share — mechanisms
//!   through a build, the compile queue with its precompiled header, products put in place, reports;
//! - [`tool_diagnostics`]: tool messages as diagnostics on the `.mod` source (pure);
//! - [`exec`]: the executor, the one place that runs processes and owns the thread pool;
//! - [`store`]: the content-addressed store of build products;
//! - [`lock`]: the output folder's lock; [`progress`]: progress on standard error;
//! - [`sources`]: reading INCLUDEd files as nocmodl finds them.

pub mod arbor;
pub mod arbor_glue;
pub mod arbor_toolchain;
pub mod compile_queue;
pub mod exec;
pub mod generated;
pub mod install;
pub mod lock;
pub mod makefile;
pub mod neuron;
pub mod outcome;
pub mod pipeline;
pub mod progress;
pub mod sources;
pub mod store;
pub mod tool_diagnostics;
pub mod tool_messages;
pub mod toolchain;
