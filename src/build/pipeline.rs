//! The steps every mechanism build shares, whatever the simulator: the output folder made and locked, mechanisms
//! tracked through the build, stored objects reused, compile results recorded, the up-to-date check against the
//! manifest, and the final report.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::compile_queue::{CompileFailure, CompileJob, CompileResult, Translated};
use super::exec::{Executor, ToolRun};
use super::install::{
    read_manifest, remove_leftover_temporary_files, write_manifest, Manifest, ManifestMechanism,
};
use super::lock::{lock_folder, FolderLock, LockMode};
use super::outcome::{BuildError, BuildReport, MechanismOutcome, MechanismReport, ModInput};
use super::progress::Progress;
use super::store::{Store, StoreKey};
use crate::diagnostics::{Code, Diagnostic};
use crate::span::{Span, TextEdit};

/// A mechanism while a build runs.
pub struct Mechanism {
    pub input: ModInput,
    /// The name its translated files are called by (the file stem for NEURON, the mechanism name for Arbor).
    pub stem: String,
    pub source: Vec<u8>,
    /// VERBATIM blocks: (1-based line where the content starts, content). NEURON only.
    pub verbatim_blocks: Vec<(u32, String)>,
    /// The text the translator reads when it is not the source (Arbor's lowering), with the edits that made it.
    pub lowered: Option<(String, Vec<TextEdit>)>,
    /// The object's key; `None` when the mechanism failed before it could have one.
    pub key: Option<StoreKey>,
    pub object: Option<PathBuf>,
    pub outcome: Option<MechanismOutcome>,
    pub diagnostics: Vec<Diagnostic>,
    pub tool_output: String,
}

impl Mechanism {
    pub fn new(input: ModInput, stem: String) -> Mechanism {
        Mechanism {
            input,
            stem,
            source: Vec::new(),
            verbatim_blocks: Vec::new(),
            lowered: None,
            key: None,
            object: None,
            outcome: None,
            diagnostics: Vec::new(),
            tool_output: String::new(),
        }
    }

    /// Marks the mechanism failed with `diagnostic`.
    pub fn fail(mut self, diagnostic: Diagnostic) -> Mechanism {
        self.diagnostics.push(diagnostic);
        self.outcome = Some(MechanismOutcome::Failed);
        self.key = None;
        self
    }

    /// Reads the mod file (or takes its replacement); a failed mechanism if it cannot be read.
    pub fn read(mut self) -> Mechanism {
        if let Some(replacement) = &self.input.replacement {
            self.source = replacement.contents.clone();
            return self;
        }
        match std::fs::read(&self.input.path) {
            Ok(source) => {
                self.source = source;
                self
            }
            Err(error) => self.fail(Diagnostic::error(
                Code::Io,
                format!("cannot read the file: {error}"),
                Span::empty_at(0),
                "",
            )),
        }
    }

    pub fn has_failed(&self) -> bool {
        self.outcome == Some(MechanismOutcome::Failed)
    }
}

/// Fails every mechanism whose stem an earlier one already has, with the diagnostic `duplicate` makes from the
/// stem and the earlier file.
pub fn reject_duplicate_stems(
    mechanisms: &mut [Mechanism],
    duplicate: impl Fn(&str, &str) -> Diagnostic,
) {
    let mut first_by_stem: std::collections::HashMap<String, String> =
        std::collections::HashMap::new();
    for mechanism in mechanisms.iter_mut() {
        if mechanism.has_failed() {
            continue;
        }
        match first_by_stem.get(&mechanism.stem) {
            Some(first) => {
                mechanism
                    .diagnostics
                    .push(duplicate(&mechanism.stem, first));
                mechanism.outcome = Some(MechanismOutcome::Failed);
                mechanism.key = None;
            }
            None => {
                first_by_stem.insert(mechanism.stem.clone(), mechanism.input.display.clone());
            }
        }
    }
}

/// Creates the folder the products go to and finds out, under its lock, whether they are up to date: `None` if
/// they are (checked under a shared lock, so many processes can check at once, then released); otherwise the
/// exclusive lock, held until dropped, with what killed builds left in the folder removed. A process that finds
/// another building waits for it, then checks again, so concurrent builds of the same inputs do the work once.
pub fn lock_output_folder(
    folder: &Path,
    lock_name: &str,
    progress: &Progress,
    is_up_to_date: impl Fn() -> bool,
) -> Result<Option<FolderLock>, BuildError> {
    let folder_error = |message: String| BuildError::OutputFolder {
        folder: folder.to_path_buf(),
        message,
    };
    if !folder.is_dir() {
        std::fs::create_dir_all(folder).map_err(|error| folder_error(error.to_string()))?;
    }
    let waiting = |holder: &str| {
        progress.note(&format!(
            "waiting for {holder}, which is building in {}",
            folder.display()
        ))
    };
    let shared = lock_folder(folder, lock_name, LockMode::Shared, waiting)
        .map_err(|error| folder_error(format!("cannot lock it: {error}")))?;
    if is_up_to_date() {
        return Ok(None);
    }
    drop(shared);
    let exclusive = lock_folder(folder, lock_name, LockMode::Exclusive, waiting)
        .map_err(|error| folder_error(format!("cannot lock it: {error}")))?
        .ok_or_else(|| folder_error("cannot lock it".to_string()))?;
    if is_up_to_date() {
        return Ok(None);
    }
    remove_leftover_temporary_files(folder);
    Ok(Some(exclusive))
}

/// Whether every product exists and the manifest records `link_key` (and every mechanism could be keyed).
pub fn is_up_to_date(
    manifest_path: &Path,
    link_key: &StoreKey,
    products: &[&Path],
    mechanisms: &[Mechanism],
) -> bool {
    mechanisms.iter().all(|mechanism| mechanism.key.is_some())
        && products.iter().all(|product| product.is_file())
        && read_manifest(manifest_path)
            .is_some_and(|manifest| manifest.link_key == link_key.as_str())
}

/// Marks the mechanisms whose object is in the store (and whatever else `also_stored` requires of their key) as
/// reused; returns the indices of those still to build.
pub fn reuse_stored_objects(
    mechanisms: &mut [Mechanism],
    store: &Store,
    kind: &str,
    also_stored: impl Fn(&StoreKey) -> bool,
) -> Vec<usize> {
    for mechanism in mechanisms.iter_mut() {
        if let Some(key) = &mechanism.key {
            if let Some(object) = store.lookup(kind, key, "o").filter(|_| also_stored(key)) {
                mechanism.object = Some(object);
                mechanism.outcome = Some(MechanismOutcome::Reused);
            }
        }
    }
    (0..mechanisms.len())
        .filter(|&index| mechanisms[index].key.is_some() && mechanisms[index].outcome.is_none())
        .collect()
}

/// Records compile results on their mechanisms; `diagnose` turns a refused compile into diagnostics on the source.
/// A compile that failed on its surroundings (a full or read-only disk, a store that cannot be written) is not the
/// mechanism's fault: the first such failure is returned, to stop the build.
pub fn record_compile_results(
    mechanisms: &mut [Mechanism],
    results: Vec<CompileResult>,
    store: &Store,
    diagnose: impl Fn(&Mechanism, &Translated, &ToolRun) -> Vec<Diagnostic>,
) -> Result<(), BuildError> {
    let mut environment_error = None;
    for result in results {
        let mechanism = &mut mechanisms[result.file.index];
        mechanism.tool_output.push_str(&format!(
            "$ {}\n{}",
            result.run.command_line, result.run.output
        ));
        let failure = match result.stored {
            Ok(object) => {
                mechanism.object = Some(object);
                mechanism.outcome = Some(MechanismOutcome::Built);
                continue;
            }
            Err(failure) => failure,
        };
        mechanism.outcome = Some(MechanismOutcome::Failed);
        match failure {
            CompileFailure::Refused => {
                let diagnostics = diagnose(mechanism, &result.file, &result.run);
                mechanism.diagnostics.extend(diagnostics);
            }
            CompileFailure::Unwritable(cause) => {
                environment_error.get_or_insert(BuildError::no_room(
                    &folder_of(&result.file.cpp_path),
                    "the C++ compiler",
                    cause,
                    &result.run.output,
                ));
            }
            CompileFailure::Store(error) => {
                environment_error.get_or_insert(BuildError::store(store, error));
            }
        }
    }
    environment_error.map_or(Ok(()), Err)
}

/// The manifest of a complete product linked from `mechanisms`.
pub fn manifest_for(
    link_key: &StoreKey,
    toolchain_version: &str,
    mechanisms: &[Mechanism],
) -> Manifest {
    Manifest {
        format: 1,
        link_key: link_key.as_str().to_string(),
        toolchain_version: toolchain_version.to_string(),
        mechanisms: mechanisms
            .iter()
            .map(|mechanism| ManifestMechanism {
                file: mechanism.input.display.clone(),
                object_key: mechanism
                    .key
                    .as_ref()
                    .map_or(String::new(), |key| key.as_str().to_string()),
            })
            .collect(),
    }
}

/// The compile jobs for translated files; `leading_arguments` gives each its arguments before the shared ones.
pub fn compile_jobs_for(
    mechanisms: &[Mechanism],
    translated: Vec<Translated>,
    leading_arguments: impl Fn(&Mechanism) -> Vec<OsString>,
) -> Vec<CompileJob> {
    translated
        .into_iter()
        .filter_map(|file| {
            let mechanism = &mechanisms[file.index];
            Some(CompileJob {
                leading_arguments: leading_arguments(mechanism),
                key: mechanism.key.clone()?,
                display: mechanism.input.display.clone(),
                file,
            })
        })
        .collect()
}

/// What the link step records.
pub struct LinkStep<'a> {
    /// Link the mechanisms that built even when others failed.
    pub keep_going: bool,
    /// Inputs that failed before the build (the caller's): the product is as partial as with a failed mechanism.
    pub other_failures: bool,
    pub library: &'a Path,
    pub manifest_path: &'a Path,
    pub link_key: &'a StoreKey,
    pub toolchain_version: &'a str,
}

/// Links the mechanisms that have objects when none failed (or with `keep_going`), through `link`; records a
/// complete product in the manifest (a partial one is relinked once the rest builds). Whether it linked.
pub fn link_and_record(
    mechanisms: &[Mechanism],
    step: &LinkStep<'_>,
    progress: &Progress,
    link: impl FnOnce(&[&Mechanism]) -> Result<(), BuildError>,
) -> Result<bool, BuildError> {
    let any_failed = step.other_failures || mechanisms.iter().any(Mechanism::has_failed);
    let linkable: Vec<&Mechanism> = mechanisms
        .iter()
        .filter(|mechanism| mechanism.object.is_some())
        .collect();
    if (any_failed && !step.keep_going) || linkable.is_empty() {
        return Ok(false);
    }
    link(&linkable)?;
    progress.step_finished(&format!("linked {}", step.library.display()));
    if any_failed {
        let _ = std::fs::remove_file(step.manifest_path);
    } else {
        write_manifest(
            step.manifest_path,
            &manifest_for(step.link_key, step.toolchain_version, mechanisms),
        );
    }
    Ok(true)
}

/// What a build tells its caller.
pub struct Finished {
    pub library: PathBuf,
    pub other_products: Vec<PathBuf>,
    pub up_to_date: bool,
    pub linked: bool,
    pub precompiled_header_users: usize,
}

impl Finished {
    /// A build that found its products up to date.
    pub fn up_to_date(library: PathBuf, other_products: Vec<PathBuf>) -> Finished {
        Finished {
            library,
            other_products,
            up_to_date: true,
            linked: false,
            precompiled_header_users: 0,
        }
    }
}

/// The report of a build; mechanisms without an outcome get `Reused` when the build was up to date.
pub fn finish_report(
    finished: Finished,
    mechanisms: Vec<Mechanism>,
    executor: &Executor,
    start: Instant,
) -> BuildReport {
    BuildReport {
        mechanisms: mechanisms
            .into_iter()
            .map(|mechanism| MechanismReport {
                display: mechanism.input.display,
                source: mechanism.source,
                outcome: mechanism.outcome.unwrap_or(if finished.up_to_date {
                    MechanismOutcome::Reused
                } else {
                    MechanismOutcome::Failed
                }),
                diagnostics: mechanism.diagnostics,
                tool_output: mechanism.tool_output,
            })
            .collect(),
        library: finished.library,
        other_products: finished.other_products,
        up_to_date: finished.up_to_date,
        linked: finished.linked,
        precompiled_header_users: finished.precompiled_header_users,
        counts: executor.counts(),
        compile_time: executor.compile_time(),
        duration: start.elapsed(),
    }
}

/// The folder a mod file is in (`.` for a bare file name).
pub fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}
