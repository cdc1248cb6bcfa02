//! `glia pkg check`: what to verify before publishing a package, as diagnostics on the package's module file and on
//! its mod files.
//!
//! - the entry point's module imports and binds a `glia.Package` (asked of the interpreter, with the project first
//!   on `sys.path` and a stand-in `glia`), and the static reader reads the same declaration (else `glia pkg add`
//!   cannot edit it: a warning);
//! - every name can make a glia name; no asset and variant is declared twice for one dialect; no two assets share
//!   an Arbor catalogue name;
//! - every declared mod file exists;
//! - each file is lint clean in each dialect it is declared for (both when it has none), so both compilers accept
//!   it; its mechanism kind is the declared one (`is_point_process`, `is_artificial_cell`); and it is named as
//!   glia names it (a warning: the build renames it anyway).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::assets_build::kind_mismatch;
use super::declaration::{DeclaredDialect, ModDeclaration, PackageDeclaration};
use super::discovery::{import_declaration, read_module_file};
use super::environment::PythonEnvironment;
use super::index::DeclaredKind;
use super::project::Project;
use crate::build::exec::Executor;
use crate::build::sources::read_include;
use crate::build::store::Store;
use crate::diagnostics::{Code, Diagnostic};
use crate::identity::name::{find_name_collisions, ModName, Simulator};
use crate::semantics::lint::{in_dialects, lint_with_includes};
use crate::semantics::mechanism::mechanism_facts;
use crate::span::Span;
use crate::syntax::{parse, Dialect};

/// A file with what the check found in it.
#[derive(Clone, Debug)]
pub struct CheckedFile {
    pub path: PathBuf,
    pub source: Vec<u8>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The interpreter to import the module with.
pub struct Importer<'a> {
    pub environment: &'a PythonEnvironment,
    pub store: &'a Store,
    pub executor: &'a Executor,
}

/// Checks `project`; the module file comes first, then each declared mod file in order.
pub fn check_project(project: &Project, importer: Option<&Importer<'_>>) -> Vec<CheckedFile> {
    let module_source = std::fs::read(&project.module_file).unwrap_or_default();
    let mut module = CheckedFile {
        path: project.module_file.clone(),
        source: module_source,
        diagnostics: Vec::new(),
    };
    let attribute = project
        .entry_point
        .attribute
        .as_deref()
        .unwrap_or("package");
    let entry_point = format!(
        "{} = {}",
        project.entry_point.name,
        project.entry_point.value()
    );
    if project.entry_point.attribute.is_none() {
        module.diagnostics.push(Diagnostic::error(
            Code::Package,
            format!("the entry point `{entry_point}` names a module; it must name the `Package` object (`module:package`)"),
            Span::empty_at(0),
            "",
        ));
        return vec![module];
    }
    let statically = read_module_file(
        &project.module_file,
        attribute,
        importer.map(|importer| importer.environment),
    );
    let imported = importer.map(|importer| {
        import_declaration(
            importer.environment,
            importer.store,
            importer.executor,
            &project.entry_point.module,
            attribute,
            std::slice::from_ref(&project.root),
        )
    });
    let package_span = statically
        .as_ref()
        .ok()
        .and_then(|declaration| declaration.place.as_ref())
        .map_or(Span::empty_at(0), |place| place.package_call);
    let declaration: PackageDeclaration = match (&statically, &imported) {
        (Ok(declaration), Some(Err(error))) => {
            module.diagnostics.push(Diagnostic::error(
                Code::Package,
                format!("the entry point `{entry_point}` does not import: {error}"),
                package_span,
                "declared here",
            ));
            declaration.clone()
        }
        (Ok(declaration), Some(Ok(imported))) => {
            if !same_declaration(declaration, imported) {
                module.diagnostics.push(Diagnostic::warning(
                    Code::Package,
                    "Python and glia's static reader read different declarations; please report this to glia",
                    package_span,
                    "",
                ));
            }
            imported.clone()
        }
        (Ok(declaration), None) => declaration.clone(),
        (Err(not_static), Some(Ok(imported))) => {
            module.diagnostics.push(
                Diagnostic::warning(
                    Code::Package,
                    format!("the declaration is not read without running Python: {}", not_static.reason),
                    not_static.span.unwrap_or(Span::empty_at(0)),
                    "",
                )
                .with_help("glia then asks Python when it finds the package, and `glia pkg add` cannot edit it; a plain `package = Package(...)` with a list of `Mod(...)` avoids both"),
            );
            imported.clone()
        }
        (Err(not_static), imported) => {
            let import_error = match imported {
                Some(Err(error)) => format!("; importing it fails: {error}"),
                _ => String::new(),
            };
            module.diagnostics.push(Diagnostic::error(
                Code::Package,
                format!(
                    "cannot read the package declaration of `{entry_point}`: {}{import_error}",
                    not_static.reason
                ),
                not_static.span.unwrap_or(Span::empty_at(0)),
                "",
            ));
            return vec![module];
        }
    };
    // Spans come from the static reading (the interpreter's declaration has none), matched by position.
    let spans: Vec<Option<Span>> = match &statically {
        Ok(read) if read.mods.len() == declaration.mods.len() => {
            read.mods.iter().map(|mod_| mod_.span).collect()
        }
        _ => vec![None; declaration.mods.len()],
    };
    // First the declarations themselves, then the files of those that are valid.
    let mut valid: Vec<(usize, ModName, Option<DeclaredDialect>, Span)> = Vec::new();
    let mut seen = HashSet::new();
    for (index, (declared, span)) in declaration.mods.iter().zip(spans).enumerate() {
        let span = span.unwrap_or(package_span);
        let mut error = |message: String| {
            module.diagnostics.push(Diagnostic::error(
                Code::Package,
                message,
                span,
                "declared here",
            ));
        };
        let label = format!("asset `{}` variant `{}`", declared.asset, declared.variant);
        let dialect = match declared.dialect() {
            Ok(dialect) => dialect,
            Err(text) => {
                error(format!(
                    "{label} has dialect {text:?}: only \"neuron\", \"arbor\" or None"
                ));
                continue;
            }
        };
        let name = match ModName::new(&declaration.name, &declared.asset, &declared.variant) {
            Ok(name) => name,
            Err(problem) => {
                error(format!("{label} cannot be named: {problem}"));
                continue;
            }
        };
        if !seen.insert((declared.asset.clone(), declared.variant.clone(), dialect)) {
            error(format!(
                "{label} is declared twice{}",
                dialect.map_or(String::new(), |dialect| format!(" for {}", dialect.name()))
            ));
            continue;
        }
        valid.push((index, name, dialect, span));
    }
    // A mod without a dialect serves each simulator that has no mod of its own with the same name.
    let specific = |name: &ModName, dialect: DeclaredDialect| {
        valid
            .iter()
            .any(|(_, other, other_dialect, _)| other == name && *other_dialect == Some(dialect))
    };
    let used_by = |name: &ModName, dialect: Option<DeclaredDialect>| -> Vec<DeclaredDialect> {
        match dialect {
            Some(dialect) => vec![dialect],
            None => [DeclaredDialect::Neuron, DeclaredDialect::Arbor]
                .into_iter()
                .filter(|&simulator| !specific(name, simulator))
                .collect(),
        }
    };
    let arbor_names: Vec<(ModName, Span)> = valid
        .iter()
        .filter(|(index, name, dialect, _)| {
            !declaration.mods[*index].builtin
                && used_by(name, *dialect).contains(&DeclaredDialect::Arbor)
        })
        .map(|(_, name, _, span)| (name.clone(), *span))
        .collect();
    let mut mod_files = Vec::new();
    for (index, name, dialect, span) in &valid {
        let declared = &declaration.mods[*index];
        let label = format!("asset `{}` variant `{}`", declared.asset, declared.variant);
        let mut error = |message: String| {
            module.diagnostics.push(Diagnostic::error(
                Code::Package,
                message,
                *span,
                "declared here",
            ));
        };
        if declared.builtin {
            continue;
        }
        let Some(relative) = &declared.relative_path else {
            error(format!(
                "{label} has no mod file (relpath is None) and is not builtin"
            ));
            continue;
        };
        let file = declaration.root.join(relative);
        let Ok(source) = std::fs::read(&file) else {
            error(format!(
                "the mod file of {label} does not exist: {}",
                file.display()
            ));
            continue;
        };
        if let Some(message) = declared_kind_mismatch(declared, &source) {
            error(format!("{label}: {message}"));
        }
        let dialects = used_by(name, *dialect);
        if dialects.is_empty() {
            module.diagnostics.push(Diagnostic::warning(
                Code::Package,
                format!("{label} is never used: NEURON and Arbor each have a mod of their own with its name"),
                *span,
                "",
            ));
            continue;
        }
        let checked = check_mod_file(&file, source, &dialects, name, *dialect);
        for refusing in dialects_with_errors(&checked, &dialects) {
            let (simulator, compiler, other) = match refusing {
                DeclaredDialect::Neuron => ("NEURON", "nocmodl", "arbor"),
                DeclaredDialect::Arbor => ("Arbor", "modcc", "neuron"),
            };
            let file = relative.as_str();
            error(match dialect {
                None => format!(
                    "{label} has no dialect, so it is built for {simulator} too, but {compiler} would refuse {file}: declare it `dialect=\"{other}\"`, or give {simulator} a mod of its own"
                ),
                Some(_) => format!("{label} is declared for {simulator}, but {compiler} would refuse {file}"),
            });
        }
        mod_files.push(checked);
    }
    for collision in find_name_collisions(
        &arbor_names
            .iter()
            .map(|(name, _)| name.clone())
            .collect::<Vec<_>>(),
    ) {
        if collision.simulator == Simulator::Arbor {
            let span = arbor_names
                .iter()
                .rfind(|(name, _)| *name == collision.second)
                .map_or(package_span, |(_, span)| *span);
            module.diagnostics.push(Diagnostic::error(
                Code::Package,
                format!("{collision}: they cannot share the package's Arbor catalogue"),
                span,
                "",
            ));
        }
    }
    let mut files = vec![module];
    files.extend(mod_files);
    files
}

/// Whether two readings of one declaration agree (spans aside).
fn same_declaration(left: &PackageDeclaration, right: &PackageDeclaration) -> bool {
    let strip = |mods: &[ModDeclaration]| -> Vec<ModDeclaration> {
        mods.iter()
            .map(|mod_| ModDeclaration {
                span: None,
                ..mod_.clone()
            })
            .collect()
    };
    left.name == right.name
        && left.builtin == right.builtin
        && same_path(&left.root, &right.root)
        && strip(&left.mods) == strip(&right.mods)
}

fn same_path(left: &Path, right: &Path) -> bool {
    let canonical =
        |path: &Path| std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    canonical(left) == canonical(right)
}

fn declared_kind_mismatch(declared: &ModDeclaration, source: &[u8]) -> Option<String> {
    let kind = if declared.is_artificial_cell {
        DeclaredKind::ArtificialCell
    } else if declared.is_point_process {
        DeclaredKind::PointProcess
    } else {
        DeclaredKind::Density
    };
    let parsed = parse(source, Dialect::Neuron);
    let file_kind = mechanism_facts(&parsed.file)
        .declaration
        .map(|declaration| declaration.kind);
    kind_mismatch(kind, file_kind)
}

/// The dialects in which lint found an error in `file` (checked in `dialects`).
fn dialects_with_errors(file: &CheckedFile, dialects: &[DeclaredDialect]) -> Vec<DeclaredDialect> {
    let errors = |dialect: DeclaredDialect| {
        file.diagnostics.iter().any(|diagnostic| {
            diagnostic.is_error()
                && diagnostic.code != Code::Package
                && (dialects.len() == 1
                    || diagnostic
                        .message
                        .starts_with(&format!("[{}]", to_dialect(dialect).name())))
        })
    };
    dialects
        .iter()
        .copied()
        .filter(|&dialect| errors(dialect))
        .collect()
}

fn to_dialect(dialect: DeclaredDialect) -> Dialect {
    match dialect {
        DeclaredDialect::Neuron => Dialect::Neuron,
        DeclaredDialect::Arbor => Dialect::Arbor,
    }
}

/// Lint in each dialect the mod serves, and the mechanism's name.
fn check_mod_file(
    file: &Path,
    source: Vec<u8>,
    served: &[DeclaredDialect],
    name: &ModName,
    dialect: Option<DeclaredDialect>,
) -> CheckedFile {
    let dialects: Vec<Dialect> = served.iter().map(|&dialect| to_dialect(dialect)).collect();
    let folder = file.parent().unwrap_or(Path::new("."));
    let include_lookup = |included: &str| read_include(folder, included);
    let mut diagnostics = in_dialects(&source, &dialects, |source, dialect| {
        lint_with_includes(source, dialect, Some(&include_lookup))
    });
    let parsed = parse(&source, dialects[0]);
    if let Some(declaration) = mechanism_facts(&parsed.file).declaration {
        let written = declaration.name.span.text(&source).into_owned();
        let expected = match dialect {
            Some(DeclaredDialect::Arbor) => vec![name.neuron_name(), name.arbor_name()],
            _ => vec![name.neuron_name()],
        };
        if !expected.contains(&written) {
            diagnostics.push(
                Diagnostic::warning(
                    Code::Package,
                    format!("the mechanism is named `{written}`, not `{}`", expected[0]),
                    declaration.name.span,
                    "",
                )
                .with_help("glia renames it when it builds, so this is harmless; `glia pkg add` writes files renamed"),
            );
        }
    }
    diagnostics.sort_by_key(|diagnostic| diagnostic.primary.span.start);
    CheckedFile {
        path: file.to_path_buf(),
        source,
        diagnostics,
    }
}
