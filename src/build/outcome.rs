//! What builds take and give, shared by the NEURON and Arbor builds: the mod files in, and per mechanism and per
//! build, what happened.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::exec::ProcessCounts;
use super::store::{Store, StoreError};
use crate::diagnostics::Diagnostic;

/// A mod file to build.
#[derive(Clone, Debug)]
pub struct ModInput {
    /// The file. Its folder is where INCLUDEs and VERBATIM code's headers are found, also for a replacement.
    pub path: PathBuf,
    /// The path as the user gave it (messages, NEURON's registration banner).
    pub display: String,
    /// Text built instead of the file's (a renamed copy made by `glia compile`), never written beside it.
    pub replacement: Option<Replacement>,
}

/// A mod file's text as the build should see it, and the file name (without `.mod`) it is translated under.
#[derive(Clone, Debug)]
pub struct Replacement {
    pub stem: String,
    pub contents: Vec<u8>,
}

impl ModInput {
    /// The file `path`, built as it is.
    pub fn file(path: PathBuf, display: String) -> ModInput {
        ModInput {
            path,
            display,
            replacement: None,
        }
    }
}

/// What happened to one mechanism.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MechanismOutcome {
    /// Its object was in the store.
    Reused,
    /// Translated and compiled in this build.
    Built,
    /// It could not be built; the diagnostics say why.
    Failed,
}

impl MechanismOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            MechanismOutcome::Reused => "reused",
            MechanismOutcome::Built => "built",
            MechanismOutcome::Failed => "failed",
        }
    }
}

/// One mechanism's result.
#[derive(Clone, Debug)]
pub struct MechanismReport {
    pub display: String,
    pub source: Vec<u8>,
    pub outcome: MechanismOutcome,
    pub diagnostics: Vec<Diagnostic>,
    /// The raw output of the tools that ran for it (for `--verbose`).
    pub tool_output: String,
}

/// A whole build's result.
#[derive(Debug)]
pub struct BuildReport {
    /// The library the build makes (`libnrnmech.so`, `NAME-catalogue.so`).
    pub library: PathBuf,
    /// Other products made with it (NEURON's `special`).
    pub other_products: Vec<PathBuf>,
    pub mechanisms: Vec<MechanismReport>,
    /// The library was already up to date: nothing was run.
    pub up_to_date: bool,
    /// A new library was linked and put in place.
    pub linked: bool,
    /// How many files used the precompiled header (0 when none was used).
    pub precompiled_header_users: usize,
    pub counts: ProcessCounts,
    /// Compile time summed over threads.
    pub compile_time: Duration,
    pub duration: Duration,
}

impl BuildReport {
    pub fn count(&self, outcome: MechanismOutcome) -> usize {
        self.mechanisms
            .iter()
            .filter(|mechanism| mechanism.outcome == outcome)
            .count()
    }
}

/// Problems that stop a whole build (as opposed to one mechanism's).
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("cannot use the output folder {}: {message}", .folder.display())]
    OutputFolder { folder: PathBuf, message: String },
    #[error("cannot use the build store {}: {error}{}", .root.display(), read_only_hint(.error))]
    Store { root: PathBuf, error: StoreError },
    /// A tool stopped because it could not write (a full disk, a read-only file system): not the input's fault.
    #[error("cannot write in {}: {tool} stopped with \"{cause}\"\n{output}", .folder.display())]
    NoRoom {
        folder: PathBuf,
        tool: String,
        cause: &'static str,
        output: String,
    },
    #[error("linking {} failed:\n{output}", .product.display())]
    Link { product: PathBuf, output: String },
    #[error("compiling the generated {file} failed:\n{output}")]
    Generated { file: String, output: String },
}

impl BuildError {
    /// Whether the build failed on its own terms (a link or compile) rather than on its surroundings.
    pub fn is_build_failure(&self) -> bool {
        matches!(self, BuildError::Link { .. } | BuildError::Generated { .. })
    }

    /// A tool (`tool`) that failed because it could not write in `folder`, with its output.
    pub fn no_room(folder: &Path, tool: &str, cause: &'static str, output: &str) -> BuildError {
        BuildError::NoRoom {
            folder: folder.to_path_buf(),
            tool: tool.to_string(),
            cause,
            output: output.trim().to_string(),
        }
    }

    /// A store failure, naming the store.
    pub fn store(store: &Store, error: StoreError) -> BuildError {
        BuildError::Store {
            root: store.root().to_path_buf(),
            error,
        }
    }
}

fn read_only_hint(error: &StoreError) -> &'static str {
    if error.is_read_only() {
        "\nhelp: to build with a store that cannot be written, name it in GLIA_SHARED_STORE (it is then only \
         read) and give a writable GLIA_CACHE_DIR or --cache-dir"
    } else {
        ""
    }
}

/// The operating system's words for "this cannot be written" (C locale), as tools print them: a tool that
/// fails with one of them failed on its surroundings, not on its input.
const UNWRITABLE_CAUSES: [&str; 3] = [
    "No space left on device",
    "Read-only file system",
    "Disk quota exceeded",
];

/// Which of [`UNWRITABLE_CAUSES`] a failed tool's output names, if any.
pub fn unwritable_cause(output: &str) -> Option<&'static str> {
    UNWRITABLE_CAUSES
        .into_iter()
        .find(|cause| output.contains(cause))
}
