//! The packages layer: Glia packages (Python distributions that declare NMODL assets), finding the installed ones,
//! the asset index, preferences and their resolution, and the package commands' work (`glia compile`,
//! `glia build`, `glia pkg`).
//!
//! - [`assets_build`]: assets renamed for a simulator's build, the environment's product folder, the load test;
//! - [`compile`]: the environment's NEURON library (with the load test) and its packages' Arbor catalogues;
//! - [`session`]: an environment opened: store, product folder, checked packages;
//! - [`project`], [`template`], [`add`], [`check`]: a package's source project, `glia pkg new`'s files,
//!   `glia pkg add`'s edits, `glia pkg check`'s findings;
//! - [`python`]: a small, exact reader of the Python subset package modules are written in (pure);
//! - [`declaration`]: the `Package(...)` declaration read from a module's source (pure);
//! - [`environment`]: the Python environment (interpreter, `sys.prefix`, `sys.path`, remembered in the store);
//! - [`distributions`]: installed distributions' `glia.package` entry points and module files;
//! - [`discovery`]: the installed packages' declarations, read statically or, failing that, by the interpreter;
//! - [`index`]: the checked assets of the environment and which mods each simulator gets;
//! - [`resolver`]: an asset request and the preferences in force to one mechanism (pure);
//! - [`selections`]: the user's global selections, a versioned file written under a lock;

pub mod add;
pub mod assets_build;
pub mod check;
pub mod compile;
pub mod declaration;
pub mod discovery;
pub mod distributions;
pub mod environment;
pub mod index;
pub mod project;
pub mod python;
pub mod resolver;
pub mod selections;
pub mod session;
pub mod template;
