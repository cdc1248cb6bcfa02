//! The NEURON build: mod files to `<output>/<arch>/libnrnmech.so`, one mechanism at a time, in parallel, cached.
//!
//! Per mechanism: its key (the toolchain's fingerprint, the file's stem, the semantic hash of the file and its
//! INCLUDEs, and the headers its VERBATIM code includes from its folder) names an object in the [`Store`]. A
//! mechanism whose object is stored is reused; the others are translated by nocmodl (in the mod file's folder, as
//! nrnivmodl does) and compiled with NEURON's flags. Where nocmodl's outputs start with the same block of
//! `#include`s, that block is compiled once as a GCC precompiled header and each file that starts with exactly that
//! block includes it instead (a `#line` marker keeps every line number). Then `mod_func.cpp` (registration) and the
//! link, into a temporary name renamed over the library.
//!
//! Up to date means: the library exists and the manifest beside it (`.glia-nrnivmodl.json`) records the same link
//! key — computed without starting any process. The output folder is locked for the whole build.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::exec::{Executor, ProcessCounts, ToolCommand, ToolKind, ToolRun};
use super::generated::{
    is_valid_registration_stem, leading_include_block, registration_source, with_prefix_header,
    Registration,
};
use super::lock::lock_folder;
use super::progress::Progress;
use super::sources::read_include;
use super::store::{KeyBuilder, Store, StoreKey};
use super::tool_messages::{
    parse_compiler_output, parse_nocmodl_output, GeneratedLineMap, ToolMessage, ToolSeverity,
};
use super::toolchain::NeuronToolchain;
use crate::diagnostics::{Code, Diagnostic, Severity};
use crate::identity::hash::semantic_hash;
use crate::span::Span;
use crate::syntax::token::TokenKind;
use crate::syntax::{parse, Dialect};

/// The name of the manifest written beside the library.
pub const MANIFEST_NAME: &str = ".glia-nrnivmodl.json";
const LOCK_NAME: &str = ".glia-nrnivmodl.lock";
const LIBRARY_NAME: &str = "libnrnmech.so";
/// Translated files needing a compile before a new precompiled header pays for itself.
const PRECOMPILED_HEADER_MINIMUM_USERS: usize = 3;

/// A mod file to build.
#[derive(Clone, Debug)]
pub struct ModInput {
    pub path: PathBuf,
    /// The path as the user gave it (messages, the registration banner).
    pub display: String,
}

/// What to build and how.
#[derive(Clone, Debug)]
pub struct NeuronBuildRequest {
    pub inputs: Vec<ModInput>,
    /// The library goes to `<output_folder>/<arch>/libnrnmech.so`.
    pub output_folder: PathBuf,
    pub link_special: bool,
    /// Link the mechanisms that built even when others failed.
    pub keep_going: bool,
    pub use_precompiled_header: bool,
}

/// What happened to one mechanism.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MechanismOutcome {
    /// Its object was in the store.
    Reused,
    /// Translated and compiled in this build.
    Built,
    /// It could not be built; the diagnostics say why.
    Failed,
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
pub struct NeuronBuildReport {
    pub library: PathBuf,
    pub special: Option<PathBuf>,
    pub mechanisms: Vec<MechanismReport>,
    /// The library was already up to date: nothing was run.
    pub up_to_date: bool,
    /// A new library was linked and put in place.
    pub linked: bool,
    /// The precompiled header's users in this build (0 when none was used).
    pub precompiled_header_users: usize,
    pub counts: ProcessCounts,
    /// Compile time summed over threads (see [`Executor::compile_time`]).
    pub compile_time: Duration,
    pub duration: Duration,
}

impl NeuronBuildReport {
    pub fn failed_count(&self) -> usize {
        self.count(MechanismOutcome::Failed)
    }

    pub fn count(&self, outcome: MechanismOutcome) -> usize {
        self.mechanisms
            .iter()
            .filter(|mechanism| mechanism.outcome == outcome)
            .count()
    }
}

/// Problems that stop the whole build (as opposed to one mechanism's).
#[derive(Debug, thiserror::Error)]
pub enum NeuronBuildError {
    #[error("cannot use the output folder {}: {message}", .folder.display())]
    OutputFolder { folder: PathBuf, message: String },
    #[error("cannot use the build store: {0}")]
    Store(std::io::Error),
    #[error("linking {} failed:\n{output}", .library.display())]
    Link { library: PathBuf, output: String },
    #[error("compiling the registration source mod_func.cpp failed:\n{output}")]
    Registration { output: String },
}

/// What the manifest records of the library it sits beside.
#[derive(Serialize, Deserialize, Debug, PartialEq, Eq)]
struct Manifest {
    format: u32,
    link_key: String,
    neuron_version: String,
    special: bool,
    mechanisms: Vec<ManifestMechanism>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq, Eq)]
struct ManifestMechanism {
    file: String,
    object_key: String,
}

/// A mechanism while the build runs.
struct Mechanism {
    input: ModInput,
    stem: String,
    source: Vec<u8>,
    /// VERBATIM blocks: (1-based line where the content starts, content).
    verbatim_blocks: Vec<(u32, String)>,
    key: Option<StoreKey>,
    object: Option<PathBuf>,
    outcome: Option<MechanismOutcome>,
    diagnostics: Vec<Diagnostic>,
    tool_output: String,
}

/// Builds (or finds up to date) the library for `request`.
pub fn build_neuron_library(
    request: &NeuronBuildRequest,
    toolchain: &NeuronToolchain,
    store: &Store,
    executor: &Executor,
    progress: &Progress,
) -> Result<NeuronBuildReport, NeuronBuildError> {
    let start = Instant::now();
    let product_folder = request.output_folder.join(&toolchain.architecture);
    std::fs::create_dir_all(&product_folder).map_err(|error| NeuronBuildError::OutputFolder {
        folder: product_folder.clone(),
        message: error.to_string(),
    })?;
    let _lock = lock_folder(&product_folder, LOCK_NAME, |holder| {
        progress.note(&format!(
            "waiting for {holder}, which is building {}",
            product_folder.display()
        ))
    })
    .map_err(|error| NeuronBuildError::OutputFolder {
        folder: product_folder.clone(),
        message: format!("cannot lock it: {error}"),
    })?;
    remove_leftover_temporary_files(&product_folder);
    let library = product_folder.join(LIBRARY_NAME);
    let special = request.link_special.then(|| product_folder.join("special"));

    let mut mechanisms = executor.parallel_map(request.inputs.clone(), |input| {
        prepare_mechanism(input, toolchain)
    });
    reject_duplicate_stems(&mut mechanisms);

    let link_key = library_key(toolchain, &mechanisms, request.link_special);
    let manifest_path = product_folder.join(MANIFEST_NAME);
    let all_prepared = mechanisms.iter().all(|mechanism| mechanism.key.is_some());
    if all_prepared
        && library.is_file()
        && special.as_ref().is_none_or(|path| path.is_file())
        && read_manifest(&manifest_path)
            .is_some_and(|manifest| manifest.link_key == link_key.as_str())
    {
        return Ok(finish_report(
            library,
            special,
            mechanisms,
            true,
            false,
            0,
            executor,
            start,
            MechanismOutcome::Reused,
        ));
    }

    for mechanism in &mut mechanisms {
        if let Some(key) = &mechanism.key {
            if let Some(object) = store.lookup("neuron-objects", key, "o") {
                mechanism.object = Some(object);
                mechanism.outcome = Some(MechanismOutcome::Reused);
            }
        }
    }
    let to_build: Vec<usize> = (0..mechanisms.len())
        .filter(|&index| mechanisms[index].key.is_some() && mechanisms[index].outcome.is_none())
        .collect();
    progress.add_steps(to_build.len() * 2 + 1);

    let work = store.work_folder().map_err(NeuronBuildError::Store)?;
    let translated = translate_all(
        &mut mechanisms,
        &to_build,
        toolchain,
        executor,
        work.path(),
        progress,
    );
    let jobs = compile_jobs(&mechanisms, translated);
    let use_header =
        request.use_precompiled_header && toolchain.compiler.supports_gcc_precompiled_headers();
    let precompiled_header_users = compile_all(
        &mut mechanisms,
        jobs,
        use_header,
        toolchain,
        store,
        executor,
        work.path(),
        progress,
    );

    let any_failed = mechanisms
        .iter()
        .any(|mechanism| mechanism.outcome == Some(MechanismOutcome::Failed));
    let linkable: Vec<&Mechanism> = mechanisms
        .iter()
        .filter(|mechanism| mechanism.object.is_some())
        .collect();
    let mut linked = false;
    if (!any_failed || request.keep_going) && !linkable.is_empty() {
        link_library(&linkable, toolchain, store, executor, work.path(), &library)?;
        if let Some(special) = &special {
            link_special(toolchain, executor, &product_folder, special)?;
        }
        linked = true;
        progress.step_finished(&format!("linked {}", library.display()));
        // Only a complete library is recorded as up to date; a partial one is relinked once the rest builds.
        if !any_failed {
            write_manifest(
                &manifest_path,
                &link_key,
                toolchain,
                &mechanisms,
                request.link_special,
            );
        } else {
            let _ = std::fs::remove_file(&manifest_path);
        }
    }
    Ok(finish_report(
        library,
        special,
        mechanisms,
        false,
        linked,
        precompiled_header_users,
        executor,
        start,
        MechanismOutcome::Built,
    ))
}

#[allow(clippy::too_many_arguments)]
fn finish_report(
    library: PathBuf,
    special: Option<PathBuf>,
    mechanisms: Vec<Mechanism>,
    up_to_date: bool,
    linked: bool,
    precompiled_header_users: usize,
    executor: &Executor,
    start: Instant,
    default_outcome: MechanismOutcome,
) -> NeuronBuildReport {
    NeuronBuildReport {
        library,
        special,
        mechanisms: mechanisms
            .into_iter()
            .map(|mechanism| MechanismReport {
                display: mechanism.input.display,
                source: mechanism.source,
                outcome: mechanism.outcome.unwrap_or(default_outcome.clone()),
                diagnostics: mechanism.diagnostics,
                tool_output: mechanism.tool_output,
            })
            .collect(),
        up_to_date,
        linked,
        precompiled_header_users,
        counts: executor.counts(),
        compile_time: executor.compile_time(),
        duration: start.elapsed(),
    }
}

/// Reads, parses and keys one mod file. Problems that make a build pointless (unreadable, bad name, missing
/// INCLUDE) mark it failed with a diagnostic.
fn prepare_mechanism(input: ModInput, toolchain: &NeuronToolchain) -> Mechanism {
    let stem = input
        .path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut mechanism = Mechanism {
        input,
        stem,
        source: Vec::new(),
        verbatim_blocks: Vec::new(),
        key: None,
        object: None,
        outcome: None,
        diagnostics: Vec::new(),
        tool_output: String::new(),
    };
    match std::fs::read(&mechanism.input.path) {
        Ok(source) => mechanism.source = source,
        Err(error) => {
            return fail(
                mechanism,
                Diagnostic::error(
                    Code::Io,
                    format!("cannot read the file: {error}"),
                    Span::empty_at(0),
                    "",
                ),
            )
        }
    }
    if !is_valid_registration_stem(&mechanism.stem) {
        let message = format!(
            "the file name `{}` cannot name a NEURON mechanism library entry: nocmodl names its registration function `_<file stem>_reg`, so the stem must be a C identifier (letters, digits, `_`, not starting with a digit)",
            mechanism.stem
        );
        return fail(
            mechanism,
            Diagnostic::error(Code::BuildInput, message, Span::empty_at(0), "")
                .with_help("rename the file, e.g. `Kv1-1.mod` to `Kv1_1.mod`"),
        );
    }
    let parsed = parse(&mechanism.source, Dialect::Neuron);
    mechanism.verbatim_blocks = verbatim_blocks(&mechanism.source, &parsed.tokens);
    let folder = folder_of(&mechanism.input.path);
    let mut resolve = |name: &str| read_include(&folder, name);
    let hash = match semantic_hash(&mechanism.source, &parsed, Dialect::Neuron, &mut resolve) {
        Ok(hash) => hash,
        Err(error) => {
            let span = error.span();
            let message = error.to_string();
            return fail(
                mechanism,
                Diagnostic::error(Code::BuildInput, message, span, "this INCLUDE"),
            );
        }
    };
    let mut key = KeyBuilder::new("neuron-object", 1)
        .text_field("toolchain", toolchain.fingerprint.as_str())
        .text_field("stem", &mechanism.stem)
        .text_field("semantic hash", &hash.to_hex());
    for (header, contents) in verbatim_local_headers(&mechanism.verbatim_blocks, &folder) {
        key = key
            .text_field("header", &header)
            .field("header contents", &contents);
    }
    mechanism.key = Some(key.finish());
    mechanism
}

fn fail(mut mechanism: Mechanism, diagnostic: Diagnostic) -> Mechanism {
    mechanism.diagnostics.push(diagnostic);
    mechanism.outcome = Some(MechanismOutcome::Failed);
    mechanism
}

/// Two files with one stem would overwrite each other's translation and register twice.
fn reject_duplicate_stems(mechanisms: &mut [Mechanism]) {
    let mut first_by_stem: HashMap<String, String> = HashMap::new();
    for mechanism in mechanisms.iter_mut() {
        if mechanism.outcome == Some(MechanismOutcome::Failed) {
            continue;
        }
        match first_by_stem.get(&mechanism.stem) {
            Some(first) => {
                let message = format!(
                    "`{}.mod` is also the name of {first}: NEURON registers mechanisms by file name, so one build cannot hold both",
                    mechanism.stem
                );
                mechanism.diagnostics.push(
                    Diagnostic::error(Code::BuildInput, message, Span::empty_at(0), "")
                        .with_help("build them into different libraries, or rename one"),
                );
                mechanism.outcome = Some(MechanismOutcome::Failed);
                mechanism.key = None;
            }
            None => {
                first_by_stem.insert(mechanism.stem.clone(), mechanism.input.display.clone());
            }
        }
    }
}

/// The content of each VERBATIM block with the line it starts on.
fn verbatim_blocks(source: &[u8], tokens: &[crate::syntax::token::Token]) -> Vec<(u32, String)> {
    const OPENING: usize = "VERBATIM".len();
    const CLOSING: usize = "ENDVERBATIM".len();
    tokens
        .iter()
        .filter(|token| token.kind == TokenKind::Verbatim)
        .filter_map(|token| {
            let start = token.span.start as usize + OPENING;
            let end = (token.span.end as usize).checked_sub(CLOSING)?;
            let content = source.get(start..end)?;
            let line = source[..start]
                .iter()
                .filter(|&&byte| byte == b'\n')
                .count() as u32
                + 1;
            Some((line, String::from_utf8_lossy(content).into_owned()))
        })
        .collect()
}

/// The `#include "x"` files of VERBATIM code that exist in the mod file's folder, with their contents: they are
/// part of what the compiler sees (nrnivmodl passes `-I<mod folder>`).
fn verbatim_local_headers(blocks: &[(u32, String)], folder: &Path) -> Vec<(String, Vec<u8>)> {
    let mut headers = Vec::new();
    let mut seen = HashSet::new();
    for (_, content) in blocks {
        for line in content.lines() {
            let Some(rest) = line.trim_start().strip_prefix('#') else {
                continue;
            };
            let Some(rest) = rest.trim_start().strip_prefix("include") else {
                continue;
            };
            let Some(name) = rest
                .trim()
                .strip_prefix('"')
                .and_then(|rest| rest.split('"').next())
            else {
                continue;
            };
            if seen.insert(name.to_string()) {
                if let Ok(contents) = std::fs::read(folder.join(name)) {
                    headers.push((name.to_string(), contents));
                }
            }
        }
    }
    headers
}

/// The key of the library: every linked mechanism's object key and banner path, in order, and the link flags.
fn library_key(toolchain: &NeuronToolchain, mechanisms: &[Mechanism], special: bool) -> StoreKey {
    let mut key = KeyBuilder::new("neuron-library", 1)
        .text_field("toolchain", toolchain.fingerprint.as_str())
        .text_field("special", if special { "yes" } else { "no" });
    for argument in &toolchain.library_arguments {
        key = key.text_field("library argument", argument);
    }
    for mechanism in mechanisms {
        key = key.text_field("file", &mechanism.input.display).text_field(
            "object",
            mechanism.key.as_ref().map_or("", StoreKey::as_str),
        );
    }
    key.finish()
}

/// A translated mechanism waiting for its compile.
struct Translated {
    index: usize,
    cpp_path: PathBuf,
    generated: String,
}

fn translate_all(
    mechanisms: &mut [Mechanism],
    to_build: &[usize],
    toolchain: &NeuronToolchain,
    executor: &Executor,
    work: &Path,
    progress: &Progress,
) -> Vec<Translated> {
    let jobs: Vec<(usize, PathBuf, String, String)> = to_build
        .iter()
        .map(|&index| {
            let mechanism = &mechanisms[index];
            (
                index,
                mechanism.input.path.clone(),
                mechanism.stem.clone(),
                mechanism.input.display.clone(),
            )
        })
        .collect();
    let results = executor.parallel_map(jobs, |(index, path, stem, display)| {
        let folder = folder_of(&path);
        let file_name = path
            .file_name()
            .map(|name| name.to_os_string())
            .unwrap_or_default();
        let run = executor.run(
            &ToolCommand::new(ToolKind::Translate, &toolchain.nocmodl)
                .argument(file_name)
                .argument("-o")
                .argument(work.as_os_str())
                .current_directory(folder)
                .environment_variable("MODLUNIT", toolchain.units_library.as_os_str()),
        );
        let cpp_path = work.join(format!("{stem}.cpp"));
        let generated = if run.success {
            std::fs::read(&cpp_path)
                .ok()
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        } else {
            None
        };
        progress.step_finished(&format!(
            "{} {}",
            if generated.is_some() {
                "translated"
            } else {
                "translation failed:"
            },
            display
        ));
        (index, run, cpp_path, generated)
    });
    let mut translated = Vec::new();
    for (index, run, cpp_path, generated) in results {
        let mechanism = &mut mechanisms[index];
        mechanism
            .tool_output
            .push_str(&format!("$ {}\n{}", run.command_line, run.output));
        match generated {
            Some(generated) => translated.push(Translated {
                index,
                cpp_path,
                generated,
            }),
            None => {
                let diagnostics =
                    diagnostics_from_nocmodl(&mechanism.source, &run.output, run.success);
                mechanism.diagnostics.extend(diagnostics);
                mechanism.outcome = Some(MechanismOutcome::Failed);
            }
        }
    }
    translated
}

/// Builds (or takes from the store) a precompiled header for the most common leading include block, and rewrites
/// the translated files that start with exactly that block to include it. Returns how many files use it.
fn use_precompiled_header(
    translated: &[&Translated],
    toolchain: &NeuronToolchain,
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
    let key = KeyBuilder::new("neuron-precompiled-header", 1)
        .text_field("toolchain", toolchain.fingerprint.as_str())
        .text_field("block", block)
        .finish();
    let header_name = "glia_nocmodl_prefix.hpp";
    let header_path = work.join(header_name);
    let stored = match store.lookup("neuron-precompiled-headers", &key, "gch") {
        Some(stored) => stored,
        None if users.len() >= PRECOMPILED_HEADER_MINIMUM_USERS => {
            if std::fs::write(&header_path, block).is_err() {
                return 0;
            }
            let output = work.join("glia_nocmodl_prefix.build.gch");
            let run = executor.run(
                &ToolCommand::new(ToolKind::Precompile, &toolchain.compiler.program)
                    .arguments(&toolchain.compile_arguments)
                    .arguments(["-x", "c++-header"])
                    .argument(header_path.as_os_str())
                    .argument("-o")
                    .argument(output.as_os_str())
                    .current_directory(work),
            );
            progress.note(&format!(
                "built a precompiled header for {} files ({:.1} s)",
                users.len(),
                run.duration.as_secs_f64()
            ));
            if !run.success {
                progress.note(&format!(
                    "the precompiled header did not build; compiling without it:\n{}",
                    run.output
                ));
                return 0;
            }
            match store.insert_file("neuron-precompiled-headers", &key, "gch", &output) {
                Ok(stored) => stored,
                Err(_) => return 0,
            }
        }
        None => return 0,
    };
    let gch_path = work.join(format!("{header_name}.gch"));
    if std::fs::write(&header_path, block).is_err()
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
        if let Some(rewritten) = with_prefix_header(&file.generated, block, header_name, &file_name)
        {
            if std::fs::write(&file.cpp_path, rewritten).is_ok() {
                count += 1;
            }
        }
    }
    count
}

/// One compile, with everything its worker needs (nothing borrowed from the mechanisms).
struct CompileJob {
    file: Translated,
    mod_folder: PathBuf,
    key: StoreKey,
    display: String,
}

/// A finished compile: the object in the store, or why not.
struct CompileResult {
    file: Translated,
    run: ToolRun,
    stored: Result<PathBuf, String>,
}

/// The compiles to run, longest first (by the size of the translated file), so that no long compile starts last
/// and leaves the other cores idle at the end.
fn compile_jobs(mechanisms: &[Mechanism], translated: Vec<Translated>) -> Vec<CompileJob> {
    let mut jobs: Vec<CompileJob> = translated
        .into_iter()
        .filter_map(|file| {
            let mechanism = &mechanisms[file.index];
            Some(CompileJob {
                mod_folder: folder_of(&mechanism.input.path),
                key: mechanism.key.clone()?,
                display: mechanism.input.display.clone(),
                file,
            })
        })
        .collect();
    jobs.sort_by_key(|job| std::cmp::Reverse(job.file.generated.len()));
    jobs
}

/// The folder a mod file is in (`.` for a bare file name).
fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf()
}

/// Compiles one translated file (with `-I<mod folder>` first, as nrnivmodl does) and stores the object.
fn compile_one(
    job: CompileJob,
    toolchain: &NeuronToolchain,
    store: &Store,
    executor: &Executor,
    work: &Path,
    progress: &Progress,
) -> CompileResult {
    let object = job.file.cpp_path.with_extension("o");
    let run = executor.run(
        &ToolCommand::new(ToolKind::Compile, &toolchain.compiler.program)
            .argument(format!("-I{}", absolute(&job.mod_folder).display()))
            .arguments(&toolchain.compile_arguments)
            .argument("-c")
            .argument(job.file.cpp_path.as_os_str())
            .argument("-o")
            .argument(object.as_os_str())
            .current_directory(work)
            .with_launcher(),
    );
    let stored = if run.success {
        store
            .insert_file("neuron-objects", &job.key, "o", &object)
            .map_err(|error| error.to_string())
    } else {
        Err(String::new())
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

/// A task of the compile queue.
enum CompileTask {
    /// Build (or take from the store) the precompiled header and rewrite its users to include it.
    Header,
    /// Compile one file; `needs_header` compiles wait until the header task has finished.
    Compile { job: CompileJob, needs_header: bool },
}

/// Compiles every job. With a precompiled header, the queue is: the longest compile (without the header: it would
/// gain the least, and it starts at once), the header, then the others, which wait for the header if they get a
/// thread before it is ready. Returns how many files used the header.
#[allow(clippy::too_many_arguments)]
fn compile_all(
    mechanisms: &mut [Mechanism],
    jobs: Vec<CompileJob>,
    use_header: bool,
    toolchain: &NeuronToolchain,
    store: &Store,
    executor: &Executor,
    work: &Path,
    progress: &Progress,
) -> usize {
    let header_users: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
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
            header_candidates.push(Translated {
                index: job.file.index,
                cpp_path: job.file.cpp_path.clone(),
                generated: job.file.generated.clone(),
            });
        }
        tasks.push(CompileTask::Compile { job, needs_header });
    }
    let candidates: Vec<&Translated> = header_candidates.iter().collect();
    let results = executor.parallel_map(tasks, |task| match task {
        CompileTask::Header => {
            let users =
                use_precompiled_header(&candidates, toolchain, store, executor, work, progress);
            let _ = header_users.set(users);
            None
        }
        CompileTask::Compile { job, needs_header } => {
            if needs_header {
                header_users.wait();
            }
            Some(compile_one(job, toolchain, store, executor, work, progress))
        }
    });
    record_compile_results(mechanisms, results.into_iter().flatten().collect());
    header_users.get().copied().unwrap_or(0)
}

fn record_compile_results(mechanisms: &mut [Mechanism], results: Vec<CompileResult>) {
    for CompileResult { file, run, stored } in results {
        let mechanism = &mut mechanisms[file.index];
        mechanism
            .tool_output
            .push_str(&format!("$ {}\n{}", run.command_line, run.output));
        match stored {
            Ok(object) => {
                mechanism.object = Some(object);
                mechanism.outcome = Some(MechanismOutcome::Built);
            }
            Err(store_error) => {
                if run.success {
                    mechanism.diagnostics.push(Diagnostic::error(
                        Code::Io,
                        format!("cannot store the compiled object: {store_error}"),
                        Span::empty_at(0),
                        "",
                    ));
                } else {
                    let map = GeneratedLineMap::new(
                        &mechanism
                            .verbatim_blocks
                            .iter()
                            .map(|(line, content)| (*line, content.as_str()))
                            .collect::<Vec<_>>(),
                        &file.generated,
                    );
                    mechanism.diagnostics.extend(diagnostics_from_compiler(
                        &mechanism.source,
                        &run.output,
                        &map,
                        &file.cpp_path,
                    ));
                }
                mechanism.outcome = Some(MechanismOutcome::Failed);
            }
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Compiles (or reuses) `mod_func.cpp` and links the library to a temporary name renamed over the old one.
fn link_library(
    mechanisms: &[&Mechanism],
    toolchain: &NeuronToolchain,
    store: &Store,
    executor: &Executor,
    work: &Path,
    library: &Path,
) -> Result<(), NeuronBuildError> {
    let registrations: Vec<Registration> = mechanisms
        .iter()
        .map(|mechanism| Registration {
            stem: mechanism.stem.clone(),
            banner_path: mechanism.input.display.clone(),
        })
        .collect();
    let registration_text = registration_source(&registrations);
    let registration_key = KeyBuilder::new("neuron-registration", 1)
        .text_field("toolchain", toolchain.fingerprint.as_str())
        .text_field("source", &registration_text)
        .finish();
    let registration_object = match store.lookup("neuron-objects", &registration_key, "o") {
        Some(object) => object,
        None => {
            let source = work.join("mod_func.cpp");
            let object = work.join("mod_func.o");
            std::fs::write(&source, &registration_text).map_err(NeuronBuildError::Store)?;
            let run = executor.run(
                &ToolCommand::new(ToolKind::Compile, &toolchain.compiler.program)
                    .arguments(&toolchain.compile_arguments)
                    .argument("-c")
                    .argument(source.as_os_str())
                    .argument("-o")
                    .argument(object.as_os_str())
                    .current_directory(work)
                    .with_launcher(),
            );
            if !run.success {
                return Err(NeuronBuildError::Registration { output: run.output });
            }
            store
                .insert_file("neuron-objects", &registration_key, "o", &object)
                .map_err(NeuronBuildError::Store)?
        }
    };
    let folder = library.parent().unwrap_or(Path::new("."));
    let temporary = folder.join(format!(".{LIBRARY_NAME}.glia-{}.tmp", std::process::id()));
    let run = executor.run(
        &ToolCommand::new(ToolKind::Link, &toolchain.compiler.program)
            .arguments(&toolchain.compiler.leading_arguments)
            .arguments(&toolchain.link_shared_arguments)
            .argument("-o")
            .argument(temporary.as_os_str())
            .argument(format!("-Wl,-soname,{LIBRARY_NAME}"))
            .argument(registration_object.as_os_str())
            .arguments(
                mechanisms
                    .iter()
                    .filter_map(|mechanism| mechanism.object.as_ref())
                    .map(|object| object.as_os_str().to_owned()),
            )
            .arguments(&toolchain.library_arguments),
    );
    if !run.success {
        let _ = std::fs::remove_file(&temporary);
        return Err(NeuronBuildError::Link {
            library: library.to_path_buf(),
            output: run.output,
        });
    }
    std::fs::rename(&temporary, library).map_err(|error| {
        let _ = std::fs::remove_file(&temporary);
        NeuronBuildError::OutputFolder {
            folder: folder.to_path_buf(),
            message: format!("cannot put the new library in place: {error}"),
        }
    })
}

/// Links NEURON's `special` executable against the library, as nrnivmodl does.
fn link_special(
    toolchain: &NeuronToolchain,
    executor: &Executor,
    product_folder: &Path,
    special: &Path,
) -> Result<(), NeuronBuildError> {
    let temporary = product_folder.join(format!(".special.glia-{}.tmp", std::process::id()));
    let run = executor.run(
        &ToolCommand::new(ToolKind::Link, &toolchain.compiler.program)
            .arguments(&toolchain.compiler.leading_arguments)
            .arguments(&toolchain.link_executable_arguments)
            .argument(toolchain.main_source.as_os_str())
            .argument("-o")
            .argument(temporary.as_os_str())
            .argument(format!("-L{}", product_folder.display()))
            .argument("-lnrnmech")
            .arguments(
                toolchain
                    .special_library_arguments
                    .iter()
                    .map(|argument| argument.replace("@ORIGIN@", "$ORIGIN")),
            ),
    );
    if !run.success {
        let _ = std::fs::remove_file(&temporary);
        return Err(NeuronBuildError::Link {
            library: special.to_path_buf(),
            output: run.output,
        });
    }
    std::fs::rename(&temporary, special).map_err(|error| NeuronBuildError::OutputFolder {
        folder: product_folder.to_path_buf(),
        message: format!("cannot put special in place: {error}"),
    })
}

fn read_manifest(path: &Path) -> Option<Manifest> {
    let text = std::fs::read(path).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Best effort: without a manifest the next build relinks, which is slower but right.
fn write_manifest(
    path: &Path,
    link_key: &StoreKey,
    toolchain: &NeuronToolchain,
    mechanisms: &[Mechanism],
    special: bool,
) {
    let manifest = Manifest {
        format: 1,
        link_key: link_key.as_str().to_string(),
        neuron_version: toolchain.version.clone(),
        special,
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
    };
    if let Ok(text) = serde_json::to_vec_pretty(&manifest) {
        let folder = path.parent().unwrap_or(Path::new("."));
        if let Ok(mut temporary) = tempfile::Builder::new()
            .prefix(".glia-manifest-")
            .tempfile_in(folder)
        {
            use std::io::Write;
            if temporary.write_all(&text).is_ok() {
                let _ = temporary.persist(path);
            }
        }
    }
}

/// Temporary libraries of builds that were killed before their rename.
fn remove_leftover_temporary_files(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.')
            && (name.ends_with(".tmp") && name.contains(".glia-")
                || name.starts_with(".glia-manifest-"))
        {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// nocmodl's messages as diagnostics on the mod file.
fn diagnostics_from_nocmodl(source: &[u8], output: &str, ran: bool) -> Vec<Diagnostic> {
    let messages = parse_nocmodl_output(output);
    let mut diagnostics: Vec<Diagnostic> = messages
        .iter()
        .filter(|message| message.severity == ToolSeverity::Error)
        .map(|message| diagnostic_at(source, message, Code::TranslationFailed, "nocmodl"))
        .collect();
    if diagnostics.is_empty() {
        let summary = if ran {
            "nocmodl refused the file".to_string()
        } else {
            "nocmodl could not be run".to_string()
        };
        diagnostics.push(
            Diagnostic::error(Code::TranslationFailed, summary, Span::empty_at(0), "")
                .with_note(output.trim().to_string()),
        );
    }
    diagnostics
}

/// The C++ compiler's errors, on the mod file where the line came from VERBATIM code, else on the file as a whole
/// with the generated file's position in a note.
fn diagnostics_from_compiler(
    source: &[u8],
    output: &str,
    map: &GeneratedLineMap,
    cpp_path: &Path,
) -> Vec<Diagnostic> {
    let cpp_name = cpp_path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut diagnostics = Vec::new();
    for message in parse_compiler_output(output) {
        if message.severity != ToolSeverity::Error {
            continue;
        }
        let in_translation = message.file.as_deref().is_some_and(|file| {
            Path::new(file)
                .file_name()
                .is_some_and(|name| name.to_string_lossy() == cpp_name)
        });
        let mod_line = if in_translation {
            message.line.and_then(|line| map.mod_line(line))
        } else {
            None
        };
        let located = ToolMessage {
            line: mod_line,
            column: if mod_line.is_some() {
                message.column
            } else {
                None
            },
            ..message.clone()
        };
        let mut diagnostic =
            diagnostic_at(source, &located, Code::CompilationFailed, "C++ compiler");
        if mod_line.is_none() {
            let position = match (&message.file, message.line) {
                (Some(file), Some(line)) => format!("{file}:{line}"),
                (Some(file), None) => file.clone(),
                _ => "the generated C++".to_string(),
            };
            diagnostic = diagnostic.with_note(format!(
                "at {position}, in C++ that nocmodl generated (not from a VERBATIM block)"
            ));
        }
        diagnostics.push(diagnostic);
    }
    if diagnostics.is_empty() {
        diagnostics.push(
            Diagnostic::error(
                Code::CompilationFailed,
                "the C++ compiler failed on the translated file",
                Span::empty_at(0),
                "",
            )
            .with_note(output.trim().to_string()),
        );
    }
    diagnostics
}

/// A diagnostic at a tool's line and column (1-based; the column in characters), or at the file's start.
fn diagnostic_at(source: &[u8], message: &ToolMessage, code: Code, tool: &str) -> Diagnostic {
    let span = message
        .line
        .map(|line| span_at(source, line, message.column))
        .unwrap_or_else(|| Span::empty_at(0));
    let mut diagnostic = Diagnostic {
        severity: Severity::Error,
        code,
        message: format!("{tool}: {}", message.message),
        primary: crate::diagnostics::Label {
            span,
            message: String::new(),
        },
        secondary: Vec::new(),
        notes: Vec::new(),
        help: None,
        fix: None,
    };
    if message.line.is_none() && !message.details.is_empty() {
        diagnostic = diagnostic.with_note(message.details.join("\n"));
    }
    diagnostic
}

/// The span of the character at `line`:`column`, or of the line's text without its indentation.
fn span_at(source: &[u8], line: u32, column: Option<u32>) -> Span {
    let mut line_start = 0usize;
    for _ in 1..line.max(1) {
        match memchr::memchr(b'\n', &source[line_start..]) {
            Some(offset) => line_start += offset + 1,
            None => return Span::empty_at(source.len()),
        }
    }
    let line_end = memchr::memchr(b'\n', &source[line_start..])
        .map_or(source.len(), |offset| line_start + offset);
    let line_text = &source[line_start..line_end];
    match column {
        Some(column) => {
            let mut offset = line_start;
            let text = String::from_utf8_lossy(line_text);
            for (characters, character) in text.chars().enumerate() {
                if characters + 1 >= column as usize {
                    break;
                }
                offset += character.len_utf8().min(line_end - offset);
            }
            let offset = offset.min(line_end);
            let end = (offset + 1).min(line_end).max(offset);
            Span::new(offset, end)
        }
        None => {
            let indentation = line_text
                .iter()
                .take_while(|byte| byte.is_ascii_whitespace())
                .count();
            let trailing = line_text
                .iter()
                .rev()
                .take_while(|byte| byte.is_ascii_whitespace())
                .count();
            let start = line_start + indentation;
            Span::new(start, (line_end - trailing).max(start))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_land_on_the_named_line_and_column() {
        let source = b"NEURON {\n  x = = 3\n}\n";
        let span = span_at(source, 2, Some(7));
        assert_eq!(&source[span.start as usize..span.end as usize], b"=");
        assert_eq!(span.start, 15);
        let whole_line = span_at(source, 2, None);
        assert_eq!(
            &source[whole_line.start as usize..whole_line.end as usize],
            b"x = = 3"
        );
        let past_the_end = span_at(source, 99, Some(3));
        assert_eq!(past_the_end.start as usize, source.len());
    }

    #[test]
    fn verbatim_headers_are_found_in_the_mod_folder() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::write(folder.path().join("local.h"), "int x;").unwrap();
        let blocks = vec![(
            3,
            "\n#include \"local.h\"\n#include <math.h>\n  # include \"absent.h\"\n".to_string(),
        )];
        let headers = verbatim_local_headers(&blocks, folder.path());
        assert_eq!(headers, vec![("local.h".to_string(), b"int x;".to_vec())]);
    }
}
