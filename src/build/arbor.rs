//! The Arbor build (`glia build-catalogue`): Arbor-dialect mod files to `<output>/<NAME>-catalogue.so`, one
//! mechanism at a time, in parallel, cached — the same steps as the NEURON build, through the same
//! [pipeline](super::pipeline), [compile queue](super::compile_queue) and [store](super::store).
//!
//! Per mechanism: the source is lowered for Arbor ([`crate::identity::lower`]: `<<` fluxes as reactions,
//! INDEPENDENT removed), written as `<mechanism name>.mod` (Arbor needs the file stem to equal the name), and
//! translated by modcc with `-c NAME` (the catalogue name is part of the generated code) and Arbor's
//! `ARB_MODCC_FLAGS`; its `<name>_cpu.cpp` is compiled, and its `<name>.hpp` is kept in the store beside the
//! object, for the catalogue source. The catalogue source is generated here, byte for byte what modcc writes
//! ([`super::arbor_glue`]), compiled with the headers, and linked with the objects against Arbor's libraries.
//!
//! modcc's messages become diagnostics on the original `.mod` source (positions in the lowered text are mapped
//! back through the lowering's edits); when modcc refuses a file, `glia lint`'s Arbor errors for it are added,
//! with the fixes `glia lint --fix` would apply.

use std::path::{Path, PathBuf};
use std::time::Instant;

use super::arbor_glue::catalogue_source;
use super::arbor_toolchain::ArborToolchain;
use super::compile_queue::{compile_all, compile_text, CompileSettings, Translated};
use super::exec::{Executor, ToolCommand, ToolKind};
use super::install::{install_linked, temporary_beside};
use super::outcome::{BuildError, BuildReport, ModInput};
use super::pipeline::{
    compile_jobs_for, finish_report, is_up_to_date, link_and_record, lock_output_folder,
    record_compile_results, reject_duplicate_stems, reuse_stored_objects, Finished, LinkStep,
    Mechanism,
};
use super::progress::Progress;
use super::store::{KeyBuilder, Store, StoreKey};
use super::tool_diagnostics::{diagnostic_at, diagnostics_from_compiler};
use super::tool_messages::{parse_modcc_output, GeneratedLineMap, ToolMessage, ToolSeverity};
use crate::diagnostics::{Code, Diagnostic};
use crate::identity::hash::semantic_hash;
use crate::identity::lower::{apply, lowerings_for};
use crate::semantics::lint::lint;
use crate::semantics::mechanism::mechanism_facts;
use crate::span::{Span, TextEdit};
use crate::syntax::{parse, Dialect};

const OBJECT_KIND: &str = "arbor-objects";
const HEADER_KIND: &str = "arbor-headers";

/// What to build and how.
#[derive(Clone, Debug)]
pub struct ArborBuildRequest {
    /// The catalogue's name (letters, digits, `_`).
    pub catalogue: String,
    pub inputs: Vec<ModInput>,
    /// The catalogue goes to `<output_folder>/<catalogue>-catalogue.so`.
    pub output_folder: PathBuf,
    /// Link the mechanisms that built even when others failed.
    pub keep_going: bool,
    /// Inputs the caller could not hand over (a package that cannot be read, a mod that cannot be renamed): the
    /// library is then not changed, unless `keep_going`.
    pub other_failures: bool,
    pub use_precompiled_header: bool,
}

/// The catalogue file a request makes.
pub fn catalogue_path(request: &ArborBuildRequest) -> PathBuf {
    request
        .output_folder
        .join(format!("{}-catalogue.so", request.catalogue))
}

/// Builds (or finds up to date) the catalogue for `request`.
pub fn build_arbor_catalogue(
    request: &ArborBuildRequest,
    toolchain: &ArborToolchain,
    store: &Store,
    executor: &Executor,
    progress: &Progress,
) -> Result<BuildReport, BuildError> {
    let start = Instant::now();
    let catalogue = &request.catalogue;
    let library = catalogue_path(request);
    let mut mechanisms = executor.parallel_map(request.inputs.clone(), |input| {
        prepare_mechanism(input, catalogue, toolchain)
    });
    reject_duplicate_names(&mut mechanisms);
    let link_key = catalogue_key(toolchain, catalogue, &mechanisms);
    let manifest_path = request
        .output_folder
        .join(format!(".{catalogue}-catalogue.glia.json"));
    let lock = lock_output_folder(
        &request.output_folder,
        &format!(".glia-{catalogue}-catalogue.lock"),
        progress,
        || is_up_to_date(&manifest_path, &link_key, &[library.as_path()], &mechanisms),
    )?;
    let Some(_lock) = lock else {
        let finished = Finished::up_to_date(library, Vec::new());
        return Ok(finish_report(finished, mechanisms, executor, start));
    };

    // An object is reusable only with its header, which the catalogue source includes.
    let to_build = reuse_stored_objects(&mut mechanisms, store, OBJECT_KIND, |key| {
        store.lookup(HEADER_KIND, key, "hpp").is_some()
    });
    progress.add_steps(to_build.len() * 2 + 1);
    let work = store
        .work_folder()
        .map_err(|error| BuildError::store(store, error))?;
    let translated = translate_all(
        &mut mechanisms,
        &to_build,
        catalogue,
        toolchain,
        store,
        executor,
        work.path(),
        progress,
    )?;
    let compile_arguments = toolchain.compile_arguments_for(catalogue);
    let settings = CompileSettings {
        compiler: &toolchain.compiler,
        arguments: &compile_arguments,
        fingerprint: &toolchain.fingerprint,
        object_kind: OBJECT_KIND,
        header_kind: "arbor-precompiled-headers",
        header_name: "glia_modcc_prefix.hpp",
        use_header: request.use_precompiled_header,
    };
    let jobs = compile_jobs_for(&mechanisms, translated, |_| Vec::new());
    let (results, precompiled_header_users) =
        compile_all(jobs, &settings, store, executor, work.path(), progress);
    record_compile_results(&mut mechanisms, results, store, |mechanism, file, run| {
        diagnostics_from_compiler(
            "modcc",
            &mechanism.source,
            &run.output,
            &GeneratedLineMap::new(&[], &file.generated),
            &file.cpp_path,
            &[],
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
        link_catalogue(
            linkable,
            catalogue,
            toolchain,
            &settings,
            store,
            executor,
            work.path(),
            &library,
        )
    })?;
    let finished = Finished {
        library,
        other_products: Vec::new(),
        up_to_date: false,
        linked,
        precompiled_header_users,
    };
    Ok(finish_report(finished, mechanisms, executor, start))
}

/// Reads, parses, names, lowers and keys one mod file. Its `stem` is the mechanism's name.
fn prepare_mechanism(input: ModInput, catalogue: &str, toolchain: &ArborToolchain) -> Mechanism {
    let mechanism = Mechanism::new(input, String::new()).read();
    if mechanism.has_failed() {
        return mechanism;
    }
    let mut mechanism = mechanism;
    let parsed = parse(&mechanism.source, Dialect::Arbor);
    let facts = mechanism_facts(&parsed.file);
    let Some(declaration) = facts.declaration else {
        return mechanism.fail(Diagnostic::error(
            Code::BuildInput,
            "the file declares no mechanism: a NEURON block with SUFFIX or POINT_PROCESS names it in the catalogue",
            Span::empty_at(0),
            "",
        ));
    };
    let span = declaration.name.span;
    mechanism.stem =
        String::from_utf8_lossy(&mechanism.source[span.start as usize..span.end as usize])
            .into_owned();
    let lowerings = lowerings_for(Dialect::Arbor, &parsed.file);
    let lowered = apply(&mechanism.source, &lowerings);
    let mut no_includes = |name: &str| -> Result<Vec<u8>, String> {
        Err(format!("modcc has no INCLUDE (\"{name}\")"))
    };
    let hash = match semantic_hash(&mechanism.source, &parsed, Dialect::Arbor, &mut no_includes) {
        Ok(hash) => hash,
        Err(error) => {
            let span = error.span();
            let message = error.to_string();
            return mechanism.fail(Diagnostic::error(Code::BuildInput, message, span, "here"));
        }
    };
    mechanism.key = Some(
        KeyBuilder::new("arbor-object", 1)
            .text_field("toolchain", toolchain.fingerprint.as_str())
            .text_field("catalogue", catalogue)
            .text_field("mechanism", &mechanism.stem)
            .text_field("semantic hash", &hash.to_hex())
            .text_field("lowering", "1")
            .finish(),
    );
    // The lowered text and the edits that made it travel with the mechanism, for modcc and for mapping its
    // positions back.
    let edits: Vec<TextEdit> = lowerings
        .into_iter()
        .flat_map(|lowering| lowering.edits)
        .collect();
    mechanism.lowered = Some((String::from_utf8_lossy(&lowered).into_owned(), edits));
    mechanism
}

/// Two files declaring one mechanism name cannot both be in a catalogue.
fn reject_duplicate_names(mechanisms: &mut [Mechanism]) {
    reject_duplicate_stems(mechanisms, |name, first| {
        Diagnostic::error(
            Code::BuildInput,
            format!("the mechanism `{name}` is also declared by {first}: a catalogue holds each name once"),
            Span::empty_at(0),
            "",
        )
        .with_help("build them into different catalogues, or rename one")
    });
}

/// The catalogue's key: its name, every mechanism's object key in order, and the toolchain.
fn catalogue_key(
    toolchain: &ArborToolchain,
    catalogue: &str,
    mechanisms: &[Mechanism],
) -> StoreKey {
    let mut key = KeyBuilder::new("arbor-catalogue", 1)
        .text_field("toolchain", toolchain.fingerprint.as_str())
        .text_field("catalogue", catalogue);
    for mechanism in mechanisms {
        key = key.text_field("file", &mechanism.input.display).text_field(
            "object",
            mechanism.key.as_ref().map_or("", StoreKey::as_str),
        );
    }
    key.finish()
}

/// Runs modcc on each mechanism's lowered text in its own folder; stores its header; returns the C++ to compile.
/// After each translation the work folder must still have room: modcc exits 0 with cut files when the disk is
/// full.
#[allow(clippy::too_many_arguments)]
fn translate_all(
    mechanisms: &mut [Mechanism],
    to_build: &[usize],
    catalogue: &str,
    toolchain: &ArborToolchain,
    store: &Store,
    executor: &Executor,
    work: &Path,
    progress: &Progress,
) -> Result<Vec<Translated>, BuildError> {
    let jobs: Vec<(usize, String, String, String, StoreKey)> = to_build
        .iter()
        .filter_map(|&index| {
            let mechanism = &mechanisms[index];
            Some((
                index,
                mechanism.stem.clone(),
                mechanism.lowered.as_ref()?.0.clone(),
                mechanism.input.display.clone(),
                mechanism.key.clone()?,
            ))
        })
        .collect();
    let results = executor.parallel_map(jobs, |(index, name, lowered, display, key)| {
        let folder = work.join(format!("mechanism-{index}"));
        let output = folder.join("generated");
        let mod_path = folder.join(format!("{name}.mod"));
        let prepared = store
            .create_work_subfolder(&output)
            .and_then(|()| store.write_work_file(&mod_path, lowered.as_bytes()));
        let translated = prepared.and_then(|()| {
            let run = executor.run(
                &ToolCommand::new(ToolKind::Translate, &toolchain.modcc)
                    .arguments(["-t", "cpu"])
                    .arguments(&toolchain.modcc_flags)
                    .arguments(["-N", "arb", "-c", catalogue, "-o"])
                    .argument(output.as_os_str())
                    .argument(format!("{name}.mod"))
                    .current_directory(&folder),
            );
            store.ensure_room(work)?;
            let cpp_path = output.join(format!("{name}_cpu.cpp"));
            let generated = match run.success {
                true => std::fs::read_to_string(&cpp_path).ok(),
                false => None,
            };
            let generated = match generated {
                Some(generated) => {
                    let header = output.join(format!("{name}.hpp"));
                    store.insert_file(HEADER_KIND, &key, "hpp", &header)?;
                    Some(generated)
                }
                None => None,
            };
            Ok((run, cpp_path, generated))
        });
        progress.step_finished(&format!(
            "{} {display}",
            if matches!(translated, Ok((_, _, Some(_)))) {
                "translated"
            } else {
                "translation failed:"
            }
        ));
        (index, translated)
    });
    let mut translated_files = Vec::new();
    for (index, translated) in results {
        let (run, cpp_path, generated) =
            translated.map_err(|error| BuildError::store(store, error))?;
        let mechanism = &mut mechanisms[index];
        let edits = mechanism
            .lowered
            .as_ref()
            .map(|(_, edits)| edits.clone())
            .unwrap_or_default();
        mechanism.tool_output = format!("$ {}\n{}", run.command_line, run.output);
        match generated {
            Some(generated) => translated_files.push(Translated {
                index,
                cpp_path,
                generated,
            }),
            None => {
                let diagnostics =
                    diagnostics_from_modcc(&mechanism.source, &edits, &run.output, run.success);
                mechanism.diagnostics.extend(diagnostics);
                mechanism.outcome = Some(super::outcome::MechanismOutcome::Failed);
            }
        }
    }
    Ok(translated_files)
}

/// modcc's errors on the original source, then `glia lint`'s Arbor errors (which carry the safe fixes).
fn diagnostics_from_modcc(
    source: &[u8],
    edits: &[TextEdit],
    output: &str,
    ran: bool,
) -> Vec<Diagnostic> {
    let lowered_text = crate::span::apply_edits(source, edits).0;
    let mut diagnostics: Vec<Diagnostic> = parse_modcc_output(output)
        .iter()
        .filter(|message| message.severity == ToolSeverity::Error)
        .map(|message| {
            let mut located =
                diagnostic_at(&lowered_text, message, Code::TranslationFailed, "modcc");
            let start = original_offset(located.primary.span.start as usize, edits);
            let end = original_offset(located.primary.span.end as usize, edits).max(start);
            located.primary.span = Span::new(start, end);
            located
        })
        .collect();
    if diagnostics.is_empty() {
        let message = ToolMessage {
            severity: ToolSeverity::Error,
            file: None,
            line: None,
            column: None,
            message: if ran {
                "modcc refused the file".to_string()
            } else {
                "modcc could not be run".to_string()
            },
            details: vec![output.trim().to_string()],
        };
        diagnostics.push(diagnostic_at(
            source,
            &message,
            Code::TranslationFailed,
            "modcc",
        ));
    }
    diagnostics.extend(
        lint(source, Dialect::Arbor)
            .into_iter()
            .filter(Diagnostic::is_error)
            .map(|diagnostic| diagnostic.with_note("found by glia lint --dialect arbor")),
    );
    diagnostics
}

/// The offset in the original source of `offset` in the text the edits made (an offset inside a replacement maps
/// to the start of what it replaced).
fn original_offset(offset: usize, edits: &[TextEdit]) -> usize {
    let mut shift: isize = 0;
    let mut sorted: Vec<&TextEdit> = edits.iter().collect();
    sorted.sort_by_key(|edit| edit.span.start);
    for edit in sorted {
        let start_after = (edit.span.start as isize + shift) as usize;
        let replaced = edit.span.len() as isize;
        let inserted = edit.replacement.len() as isize;
        if offset < start_after {
            break;
        }
        if offset < start_after + inserted as usize {
            return edit.span.start as usize;
        }
        shift += inserted - replaced;
    }
    (offset as isize - shift).max(0) as usize
}

/// Compiles (or reuses) the catalogue source with every mechanism's header, and links the catalogue to a temporary
/// name renamed over the old one.
#[allow(clippy::too_many_arguments)]
fn link_catalogue(
    mechanisms: &[&Mechanism],
    catalogue: &str,
    toolchain: &ArborToolchain,
    settings: &CompileSettings<'_>,
    store: &Store,
    executor: &Executor,
    work: &Path,
    library: &Path,
) -> Result<(), BuildError> {
    let names: Vec<&str> = mechanisms
        .iter()
        .map(|mechanism| mechanism.stem.as_str())
        .collect();
    let glue = catalogue_source(catalogue, &names, "arb");
    let glue_folder = work.join("catalogue");
    let store_error = |error| BuildError::store(store, error);
    store
        .create_work_subfolder(&glue_folder)
        .map_err(store_error)?;
    let mut keys = Vec::new();
    for mechanism in mechanisms {
        let key = mechanism
            .key
            .as_ref()
            .expect("a linked mechanism has a key");
        let header =
            store
                .lookup(HEADER_KIND, key, "hpp")
                .ok_or_else(|| BuildError::Generated {
                    file: format!("{}.hpp", mechanism.stem),
                    output: "the header is missing from the store".to_string(),
                })?;
        let bytes = std::fs::read(&header).map_err(|error| BuildError::Generated {
            file: format!("{}.hpp", mechanism.stem),
            output: format!("cannot read {}: {error}", header.display()),
        })?;
        store
            .write_work_file(&glue_folder.join(format!("{}.hpp", mechanism.stem)), &bytes)
            .map_err(store_error)?;
        keys.push(key.as_str().to_string());
    }
    let glue_file = format!("{catalogue}_catalogue.cpp");
    let inputs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let glue_object = compile_text(
        &glue,
        &glue_file,
        &inputs,
        settings,
        store,
        executor,
        &glue_folder,
    )?;
    let temporary = temporary_beside(library);
    let file_name = library
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    let run = executor.run(
        &ToolCommand::new(ToolKind::Link, &toolchain.compiler.program)
            .arguments(&toolchain.link_arguments)
            .argument(format!("-Wl,-soname,{file_name}"))
            .argument("-o")
            .argument(temporary.as_os_str())
            .argument(glue_object.as_os_str())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_back_through_edits() {
        // "a << b" -> "a <-> (0, b" style: replace bytes 2..4 ("<<") by "<->" (one byte longer).
        let edits = vec![TextEdit {
            span: Span::new(2, 4),
            replacement: "<->".to_string(),
        }];
        assert_eq!(original_offset(0, &edits), 0);
        assert_eq!(original_offset(3, &edits), 2, "inside the replacement");
        assert_eq!(
            original_offset(6, &edits),
            5,
            "after it, shifted back by one"
        );
        let removal = vec![TextEdit {
            span: Span::new(0, 10),
            replacement: String::new(),
        }];
        assert_eq!(original_offset(0, &removal), 10);
        assert_eq!(original_offset(5, &removal), 15);
    }
}
