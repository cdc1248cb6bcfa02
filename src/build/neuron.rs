//! The NEURON build (`glia nrnivmodl`): mod files to `<output>/<arch>/libnrnmech.so`, one mechanism at a time,
//! in parallel, cached.
//!
//! Per mechanism: its key (the toolchain's fingerprint, the file's stem, the semantic hash of the file and its
//! INCLUDEs, and the headers its VERBATIM code includes from its folder) names an object in the [`Store`]. A
//! mechanism whose object is stored is reused; the others are translated by nocmodl (in the mod file's folder, as
//! nrnivmodl does) and compiled with NEURON's flags through the [compile queue](super::compile_queue). Then
//! `mod_func.cpp` (registration) and the link, into a temporary name renamed over the library.
//!
//! Up to date means: the library exists and the manifest beside it (`.glia-nrnivmodl.json`) records the same link
//! key — computed without starting any process. The output folder is locked for the whole build.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use super::compile_queue::{compile_all, compile_text, CompileSettings, Translated};
use super::exec::{Executor, ToolCommand, ToolKind};
use super::generated::{is_valid_registration_stem, registration_source, Registration};
use super::install::{install_linked, temporary_beside};
use super::outcome::{BuildError, BuildReport, MechanismOutcome, ModInput};
use super::pipeline::{
    compile_jobs_for, finish_report, folder_of, is_up_to_date, link_and_record, lock_output_folder,
    record_compile_results, reject_duplicate_stems, reuse_stored_objects, Finished, LinkStep,
    Mechanism,
};
use super::progress::Progress;
use super::sources::read_include;
use super::store::{KeyBuilder, Store, StoreKey};
use super::tool_diagnostics::{diagnostics_from_compiler, diagnostics_from_nocmodl};
use super::tool_messages::GeneratedLineMap;
use super::toolchain::NeuronToolchain;
use crate::diagnostics::{Code, Diagnostic};
use crate::identity::hash::semantic_hash;
use crate::span::Span;
use crate::syntax::token::TokenKind;
use crate::syntax::{parse, Dialect};

/// The name of the manifest written beside the library.
pub const MANIFEST_NAME: &str = ".glia-nrnivmodl.json";
const LOCK_NAME: &str = ".glia-nrnivmodl.lock";
const LIBRARY_NAME: &str = "libnrnmech.so";
const OBJECT_KIND: &str = "neuron-objects";

/// What to build and how.
#[derive(Clone, Debug)]
pub struct NeuronBuildRequest {
    pub inputs: Vec<ModInput>,
    /// The library goes to `<output_folder>/<arch>/libnrnmech.so`.
    pub output_folder: PathBuf,
    pub link_special: bool,
    /// Link the mechanisms that built even when others failed.
    pub keep_going: bool,
    /// Inputs the caller could not hand over (a package that cannot be read, a mod that cannot be renamed): the
    /// library is then not changed, unless `keep_going`.
    pub other_failures: bool,
    pub use_precompiled_header: bool,
}

/// Builds (or finds up to date) the library for `request`.
pub fn build_neuron_library(
    request: &NeuronBuildRequest,
    toolchain: &NeuronToolchain,
    store: &Store,
    executor: &Executor,
    progress: &Progress,
) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let product_folder = request.output_folder.join(&toolchain.architecture);
    let library = product_folder.join(LIBRARY_NAME);
    let special = request.link_special.then(|| product_folder.join("special"));
    let products: Vec<&Path> = std::iter::once(library.as_path())
        .chain(special.as_deref())
        .collect();

    let mut mechanisms = executor.parallel_map(request.inputs.clone(), |input| {
        prepare_mechanism(input, toolchain)
    });
    reject_same_stems(&mut mechanisms);
    let link_key = library_key(toolchain, &mechanisms, request.link_special);
    let manifest_path = product_folder.join(MANIFEST_NAME);
    let lock = lock_output_folder(&product_folder, LOCK_NAME, progress, || {
        is_up_to_date(&manifest_path, &link_key, &products, &mechanisms)
    })?;
    let Some(_lock) = lock else {
        let finished = Finished::up_to_date(library, special.into_iter().collect());
        return Ok(finish_report(finished, mechanisms, executor, start));
    };

    let to_build = reuse_stored_objects(&mut mechanisms, store, OBJECT_KIND, |_| true);
    progress.add_steps(to_build.len() * 2 + 1);
    let work = store
        .work_folder()
        .map_err(|error| BuildError::store(store, error))?;
    let translated = translate_all(
        &mut mechanisms,
        &to_build,
        toolchain,
        store,
        executor,
        work.path(),
        progress,
    )?;
    let settings = CompileSettings {
        compiler: &toolchain.compiler,
        arguments: &toolchain.compile_arguments,
        fingerprint: &toolchain.fingerprint,
        object_kind: OBJECT_KIND,
        header_kind: "neuron-precompiled-headers",
        header_name: "glia_nocmodl_prefix.hpp",
        use_header: request.use_precompiled_header,
    };
    // nrnivmodl compiles with `-I<mod folder>` first, for headers VERBATIM code includes.
    let jobs = compile_jobs_for(&mechanisms, translated, |mechanism| {
        vec![format!(
            "-I{}",
            absolute(&folder_of(&mechanism.input.path)).display()
        )
        .into()]
    });
    let (results, precompiled_header_users) =
        compile_all(jobs, &settings, store, executor, work.path(), progress);
    record_compile_results(&mut mechanisms, results, store, |mechanism, file, run| {
        let blocks: Vec<(u32, &str)> = mechanism
            .verbatim_blocks
            .iter()
            .map(|(line, content)| (*line, content.as_str()))
            .collect();
        let map = GeneratedLineMap::new(&blocks, &file.generated);
        // Lint's N109/N111 say where an undeclared name is, which g++ can only show in the generated C++.
        let predicted: Vec<Diagnostic> =
            crate::semantics::lint::lint(&mechanism.source, Dialect::Neuron)
                .into_iter()
                .filter(|finding| matches!(finding.code.as_str(), "N109" | "N111"))
                .collect();
        diagnostics_from_compiler(
            "nocmodl",
            &mechanism.source,
            &run.output,
            &map,
            &file.cpp_path,
            &predicted,
        )
    })?;

    let step = LinkStep {
        keep_going: request.keep_going,
        other_failures: request.other_failures,
        library: &library,
        manifest_path: &manifest_path,
        link_key: &link_key,
        toolchain_version: &toolchain.version,
    };
    let linked = link_and_record(&mechanisms, &step, progress, |linkable| {
        link_library(
            linkable,
            toolchain,
            &settings,
            store,
            executor,
            work.path(),
            &library,
        )?;
        match &special {
            Some(special) => link_special(toolchain, executor, &product_folder, special),
            None => Ok(()),
        }
    })?;
    let finished = Finished {
        library,
        other_products: special.into_iter().collect(),
        up_to_date: false,
        linked,
        precompiled_header_users,
    };
    Ok(finish_report(finished, mechanisms, executor, start))
}

/// Reads, parses and keys one mod file. Problems that make a build pointless (unreadable, bad name, missing
/// INCLUDE) mark it failed with a diagnostic.
fn prepare_mechanism(input: ModInput, toolchain: &NeuronToolchain) -> Mechanism {
    let stem = match &input.replacement {
        Some(replacement) => replacement.stem.clone(),
        None => input
            .path
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default(),
    };
    let mut mechanism = Mechanism::new(input, stem).read();
    if mechanism.has_failed() {
        return mechanism;
    }
    if !is_valid_registration_stem(&mechanism.stem) {
        let message = format!(
            "the file name `{}` cannot name a NEURON mechanism library entry: nocmodl names its registration function `_<file stem>_reg`, so the stem must be a C identifier (letters, digits, `_`, not starting with a digit)",
            mechanism.stem
        );
        return mechanism.fail(
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
            return mechanism.fail(Diagnostic::error(
                Code::BuildInput,
                message,
                span,
                "this INCLUDE",
            ));
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

/// Two files with one stem would overwrite each other's translation and register twice.
fn reject_same_stems(mechanisms: &mut [Mechanism]) {
    reject_duplicate_stems(mechanisms, |stem, first| {
        Diagnostic::error(
            Code::BuildInput,
            format!("`{stem}.mod` is also the name of {first}: NEURON registers mechanisms by file name, so one build cannot hold both"),
            Span::empty_at(0),
            "",
        )
        .with_help("build them into different libraries, or rename one")
    });
}

/// The content of each VERBATIM block with the line it starts on.
fn verbatim_blocks(source: &[u8], tokens: &crate::syntax::token::Tokens) -> Vec<(u32, String)> {
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

/// Translates the mechanisms to build with nocmodl, each in its mod file's folder, into `work`. After each
/// translation the work folder must still have room: nocmodl exits 0 with a cut file when the disk is full.
fn translate_all(
    mechanisms: &mut [Mechanism],
    to_build: &[usize],
    toolchain: &NeuronToolchain,
    store: &Store,
    executor: &Executor,
    work: &Path,
    progress: &Progress,
) -> Result<Vec<Translated>, BuildError> {
    let jobs: Vec<(usize, ModInput, String)> = to_build
        .iter()
        .map(|&index| {
            let mechanism = &mechanisms[index];
            (index, mechanism.input.clone(), mechanism.stem.clone())
        })
        .collect();
    let results = executor.parallel_map(jobs, |(index, input, stem)| {
        let folder = folder_of(&input.path);
        let display = input.display;
        // nocmodl reads a replacement from the work folder, run in the file's folder, where it finds INCLUDEs.
        let translated_file = match input.replacement {
            Some(replacement) => {
                let copy = work.join(format!("{stem}.mod"));
                if let Err(error) = store.write_work_file(&copy, &replacement.contents) {
                    let run = super::exec::ToolRun {
                        command_line: String::new(),
                        success: false,
                        output: format!("cannot write {}", copy.display()),
                        duration: std::time::Duration::ZERO,
                    };
                    return (
                        index,
                        run,
                        work.join(format!("{stem}.cpp")),
                        None,
                        Err(error),
                    );
                }
                absolute(&copy).into_os_string()
            }
            None => input
                .path
                .file_name()
                .map(|name| name.to_os_string())
                .unwrap_or_default(),
        };
        let run = executor.run(
            &ToolCommand::new(ToolKind::Translate, &toolchain.nocmodl)
                .argument(translated_file)
                .argument("-o")
                .argument(work.as_os_str())
                .current_directory(folder)
                .environment_variable("MODLUNIT", toolchain.units_library.as_os_str()),
        );
        let room = store.ensure_room(work);
        let cpp_path = work.join(format!("{stem}.cpp"));
        let generated = if run.success && room.is_ok() {
            std::fs::read(&cpp_path)
                .ok()
                .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
                .filter(|text| text.contains(&format!("_{stem}_reg(")))
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
        (index, run, cpp_path, generated, room)
    });
    let mut translated = Vec::new();
    for (index, run, cpp_path, generated, room) in results {
        room.map_err(|error| BuildError::store(store, error))?;
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
                let diagnostics = if run.success {
                    vec![Diagnostic::error(
                        Code::TranslationFailed,
                        format!(
                            "nocmodl exited without error, but its {} is missing or incomplete (it has no `_{}_reg` function)",
                            cpp_path.display(),
                            mechanism.stem
                        ),
                        Span::empty_at(0),
                        "",
                    )]
                } else {
                    diagnostics_from_nocmodl(&mechanism.source, &run.output, false)
                };
                mechanism.diagnostics.extend(diagnostics);
                mechanism.outcome = Some(MechanismOutcome::Failed);
            }
        }
    }
    Ok(translated)
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Compiles (or reuses) `mod_func.cpp` and links the library to a temporary name renamed over the old one.
fn link_library(
    mechanisms: &[&Mechanism],
    toolchain: &NeuronToolchain,
    settings: &CompileSettings<'_>,
    store: &Store,
    executor: &Executor,
    work: &Path,
    library: &Path,
) -> Result<(), BuildError> {
    let registrations: Vec<Registration> = mechanisms
        .iter()
        .map(|mechanism| Registration {
            stem: mechanism.stem.clone(),
            banner_path: mechanism.input.display.clone(),
        })
        .collect();
    let registration_object = compile_text(
        &registration_source(&registrations),
        "mod_func.cpp",
        &[],
        settings,
        store,
        executor,
        work,
    )?;
    let temporary = temporary_beside(library);
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
    install_linked(run, &temporary, library)
}

/// Links NEURON's `special` executable against the library, as nrnivmodl does.
fn link_special(
    toolchain: &NeuronToolchain,
    executor: &Executor,
    product_folder: &Path,
    special: &Path,
) -> Result<(), BuildError> {
    let temporary = temporary_beside(special);
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
    install_linked(run, &temporary, special)
}

#[cfg(test)]
mod tests {
    use super::*;

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
