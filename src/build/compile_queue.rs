//! The compile queue shared by the NEURON and Arbor builds: translated C++ files compiled to objects in the store,
//! longest first, on the executor's threads, with a GCC precompiled header for the block of `#include`s the files
//! share.
//!
//! Longest first (by the size of the translated file) keeps a long compile from starting last and leaving the other
//! cores idle. With a precompiled header the queue is: the longest compile (without the header: it would gain the
//! least, and it starts at once), the header (built, or taken from the store), then the others, which wait for
//! the header only if they get a thread before it is ready. A file uses the header only when it starts with exactly
//! the header's text; it then includes the header instead, followed by a `#line` marker, so every line keeps its
//! number in compiler messages.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::exec::{Executor, ToolCommand, ToolKind, ToolRun};
use super::generated::{leading_include_block, with_prefix_header};
use super::outcome::{unwritable_cause, BuildError};
use super::progress::Progress;
use super::store::{KeyBuilder, Store, StoreError, StoreKey};
use super::toolchain::Compiler;

/// Files needing a compile before a new precompiled header pays for itself.
const PRECOMPILED_HEADER_MINIMUM_USERS: usize = 3;

/// How a build compiles: the compiler, its arguments (flags, defines, include paths; after the program), and
/// where in the store objects and headers go.
pub struct CompileSettings<'a> {
    pub compiler: &'a Compiler,
    pub arguments: &'a [String],
    /// The toolchain's fingerprint: part of every key made here.
    pub fingerprint: &'a StoreKey,
    /// The store kinds of objects and of precompiled headers (e.g. `neuron-objects`).
    pub object_kind: &'static str,
    pub header_kind: &'static str,
    /// The name the header gets in the work folder.
    pub header_name: &'static str,
    pub use_header: bool,
}

/// A translated file waiting for its compile.
#[derive(Clone, Debug)]
pub struct Translated {
    /// The mechanism's index in the build's list.
    pub index: usize,
    pub cpp_path: PathBuf,
    pub generated: String,
}

/// One compile, with everything its worker needs.
pub struct CompileJob {
    pub file: Translated,
    /// Arguments before the settings' (e.g. `-I<mod folder>`).
    pub leading_arguments: Vec<OsString>,
    /// The object's key in the store.
    pub key: StoreKey,
    /// The mod file, as progress names it.
    pub display: String,
}

/// A finished compile: the object in the store, or why not.
pub struct CompileResult {
    pub file: Translated,
    pub run: ToolRun,
    pub stored: Result<PathBuf, CompileFailure>,
}

/// Why a compile gave no stored object.
#[derive(Debug)]
pub enum CompileFailure {
    /// The compiler refused the file: its messages are in the run's output.
    Refused,
    /// The compiler could not write its object (a full or read-only disk): the operating system's words.
    Unwritable(&'static str),
    /// The object could not be put in the store.
    Store(StoreError),
}

/// A task of the queue.
enum CompileTask {
    Header,
    Compile { job: CompileJob, needs_header: bool },
}

/// Compiles every job; the results (in no particular order) and how many files used the precompiled header.
pub fn compile_all(
    mut jobs: Vec<CompileJob>,
    settings: &CompileSettings<'_>,
    store: &Store,
    executor: &Executor,
    work: &Path,
    progress: &Progress,
) -> (Vec<CompileResult>, usize) {
    jobs.sort_by_key(|job| std::cmp::Reverse(job.file.generated.len()));
    let use_header = settings.use_header && settings.compiler.supports_gcc_precompiled_headers();
    let header_users: OnceLock<usize> = OnceLock::new();
    // Which compiles use the header: all but the longest, or a lone compile (a header in the store may serve it).
    let single = jobs.len() == 1;
    let mut tasks = Vec::with_capacity(jobs.len() + 1);
    let mut header_candidates: Vec<Translated> = Vec::new();
    for (position, job) in jobs.into_iter().enumerate() {
        let needs_header = use_header && (position > 0 || single);
        if needs_header {
            if header_candidates.is_empty() {
                tasks.push(CompileTask::Header);
            }
            header_candidates.push(job.file.clone());
        }
        tasks.push(CompileTask::Compile { job, needs_header });
    }
    let candidates: Vec<&Translated> = header_candidates.iter().collect();
    let results = executor.parallel_map(tasks, |task| match task {
        CompileTask::Header => {
            let users =
                use_precompiled_header(&candidates, settings, store, executor, work, progress);
            let _ = header_users.set(users);
            None
        }
        CompileTask::Compile { job, needs_header } => {
            if needs_header {
                header_users.wait();
            }
            Some(compile_one(job, settings, store, executor, work, progress))
        }
    });
    (
        results.into_iter().flatten().collect(),
        header_users.get().copied().unwrap_or(0),
    )
}

/// Compiles one translated file and moves the object into the store.
fn compile_one(
    job: CompileJob,
    settings: &CompileSettings<'_>,
    store: &Store,
    executor: &Executor,
    work: &Path,
    progress: &Progress,
) -> CompileResult {
    let object = job.file.cpp_path.with_extension("o");
    let run = executor.run(
        &in_the_source_folder(
            ToolCommand::new(ToolKind::Compile, &settings.compiler.program)
                .arguments(job.leading_arguments.iter().cloned())
                .arguments(settings.arguments),
            &job.file.cpp_path,
            work,
        )
        .with_launcher(),
    );
    let stored = if run.success {
        store
            .insert_file(settings.object_kind, &job.key, "o", &object)
            .map_err(CompileFailure::Store)
    } else {
        Err(unwritable_cause(&run.output)
            .map_or(CompileFailure::Refused, CompileFailure::Unwritable))
    };
    progress.step_finished(&format!(
        "{} {} ({:.1} s)",
        if stored.is_ok() {
            "compiled"
        } else {
            "compile failed:"
        },
        job.display,
        run.duration.as_secs_f64()
    ));
    CompileResult {
        file: job.file,
        run,
        stored,
    }
}

/// `-c <file> -o <object>` by their names, run in the source's folder: objects (and the keys of compiler launchers
/// such as ccache and sccache, which hash the preprocessed text and its line markers) then do not depend on where
/// the work folder is, so two builds of one source give the same bytes.
fn in_the_source_folder(command: ToolCommand, source: &Path, work: &Path) -> ToolCommand {
    let folder = source.parent().unwrap_or(work).to_path_buf();
    let name = source.file_name().unwrap_or_default().to_os_string();
    let object = Path::new(&name).with_extension("o").into_os_string();
    command
        .argument("-c")
        .argument(name)
        .argument("-o")
        .argument(object)
        .current_directory(folder)
}

/// Compiles a generated source (a registration or catalogue file) to an object, or takes it from the store when a
/// build compiled the same text with the same toolchain before. `inputs` are the keys of anything else the
/// compile reads (the headers a catalogue source includes).
#[allow(clippy::too_many_arguments)]
pub fn compile_text(
    text: &str,
    file_name: &str,
    inputs: &[&str],
    settings: &CompileSettings<'_>,
    store: &Store,
    executor: &Executor,
    work: &Path,
) -> Result<PathBuf, BuildError> {
    let mut key = KeyBuilder::new("generated-source-object", 1)
        .text_field("toolchain", settings.fingerprint.as_str())
        .text_field("kind", settings.object_kind)
        .text_field("file", file_name)
        .text_field("source", text);
    for input in inputs {
        key = key.text_field("input", input);
    }
    let key = key.finish();
    if let Some(object) = store.lookup(settings.object_kind, &key, "o") {
        return Ok(object);
    }
    let source = work.join(file_name);
    let object = source.with_extension("o");
    store
        .write_work_file(&source, text.as_bytes())
        .map_err(|error| BuildError::store(store, error))?;
    let run = executor.run(
        &in_the_source_folder(
            ToolCommand::new(ToolKind::Compile, &settings.compiler.program)
                .arguments(settings.arguments),
            &source,
            work,
        )
        .with_launcher(),
    );
    if !run.success {
        if let Some(cause) = unwritable_cause(&run.output) {
            return Err(BuildError::no_room(
                work,
                "the C++ compiler",
                cause,
                &run.output,
            ));
        }
        return Err(BuildError::Generated {
            file: file_name.to_string(),
            output: format!("{}\n{}", run.command_line, run.output),
        });
    }
    store
        .insert_file(settings.object_kind, &key, "o", &object)
        .map_err(|error| BuildError::store(store, error))
}

/// Builds (or takes from the store) a precompiled header for the most common leading include block, and rewrites
/// the translated files that start with exactly that block to include it. Returns how many files use it.
fn use_precompiled_header(
    translated: &[&Translated],
    settings: &CompileSettings<'_>,
    store: &Store,
    executor: &Executor,
    work: &Path,
    progress: &Progress,
) -> usize {
    let mut users_by_block: BTreeMap<&str, Vec<&Translated>> = BTreeMap::new();
    for &file in translated {
        if let Some(block) = leading_include_block(&file.generated) {
            users_by_block.entry(block).or_default().push(file);
        }
    }
    let Some((block, users)) = users_by_block
        .into_iter()
        .max_by_key(|(block, users)| (users.len(), std::cmp::Reverse(*block)))
    else {
        return 0;
    };
    let key = KeyBuilder::new("precompiled-header", 1)
        .text_field("toolchain", settings.fingerprint.as_str())
        .text_field("kind", settings.header_kind)
        .text_field("block", block)
        .finish();
    let header_path = work.join(settings.header_name);
    let stored = match store.lookup(settings.header_kind, &key, "gch") {
        Some(stored) => stored,
        None if users.len() >= PRECOMPILED_HEADER_MINIMUM_USERS => {
            match build_precompiled_header(
                block,
                &header_path,
                settings,
                store,
                executor,
                work,
                progress,
            ) {
                Some(output) => match store.insert_file(settings.header_kind, &key, "gch", &output)
                {
                    Ok(stored) => stored,
                    Err(_) => return 0,
                },
                None => return 0,
            }
        }
        None => return 0,
    };
    let gch_path = work.join(format!("{}.gch", settings.header_name));
    if store
        .write_work_file(&header_path, block.as_bytes())
        .is_err()
        || std::os::unix::fs::symlink(&stored, &gch_path).is_err()
    {
        return 0;
    }
    let mut count = 0;
    for file in users {
        let file_name = file
            .cpp_path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        // By absolute path: translated files may sit in folders of their own.
        let header = header_path.to_string_lossy();
        if let Some(rewritten) = with_prefix_header(&file.generated, block, &header, &file_name) {
            // Replaced whole or not at all: a file cut by a full disk must never reach the compiler.
            if store
                .write_work_file(&file.cpp_path, rewritten.as_bytes())
                .is_ok()
            {
                count += 1;
            }
        }
    }
    count
}

/// Compiles `block` as a header with the build's own flags; the `.gch` file, or `None` (compiling without it).
fn build_precompiled_header(
    block: &str,
    header_path: &Path,
    settings: &CompileSettings<'_>,
    store: &Store,
    executor: &Executor,
    work: &Path,
    progress: &Progress,
) -> Option<PathBuf> {
    store.write_work_file(header_path, block.as_bytes()).ok()?;
    let output = header_path.with_extension("build.gch");
    let run = executor.run(
        &ToolCommand::new(ToolKind::Precompile, &settings.compiler.program)
            .arguments(settings.arguments)
            .arguments(["-x", "c++-header"])
            .argument(header_path.as_os_str())
            .argument("-o")
            .argument(output.as_os_str())
            .current_directory(work),
    );
    if !run.success {
        progress.note(&format!(
            "the precompiled header did not build; compiling without it:\n{}",
            run.output
        ));
        return None;
    }
    progress.note(&format!(
        "built a precompiled header ({:.1} s)",
        run.duration.as_secs_f64()
    ));
    Some(output)
}
