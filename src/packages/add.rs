//! `glia pkg add FILE.mod`: a mod file copied into a package project, renamed to the package's glia name (the
//! identity layer's splice: every other byte kept), and declared in the package's `Package(...)` by one insertion
//! into the source of its module (every other byte of that file kept too). The mod file is written first and
//! removed again if the module cannot be written, both atomically.

use std::path::{Path, PathBuf};

use super::declaration::{DeclarationPlace, DeclaredDialect};
use super::discovery::read_module_file;
use super::project::Project;
use crate::atomic_write::replace_file;
use crate::diagnostics::Diagnostic;
use crate::identity::name::ModName;
use crate::identity::rename::{rename, RenameError};
use crate::semantics::mechanism::mechanism_facts;
use crate::span::{apply_edits, Span, TextEdit};
use crate::syntax::ast::MechanismKind;
use crate::syntax::{parse, Dialect};

/// What to add.
#[derive(Clone, Debug, Default)]
pub struct AddRequest {
    pub source_file: PathBuf,
    /// The asset name (default: from the file name, `Kv1__fast.mod` or `Kv1.mod`).
    pub asset: Option<String>,
    /// The variant (default: from the file name, else `0`).
    pub variant: Option<String>,
    /// Restrict the mod to one dialect (it then goes into `<mod folder>/<dialect>/`).
    pub dialect: Option<DeclaredDialect>,
    /// The folder, relative to the package folder, to put it in (default: the mod folder).
    pub target: Option<PathBuf>,
    pub overwrite: bool,
}

/// What was added.
#[derive(Clone, Debug)]
pub struct Added {
    pub mod_file: PathBuf,
    /// The `Mod(...)` call inserted.
    pub declaration: String,
    pub module_file: PathBuf,
}

/// Why nothing was added.
#[derive(Debug, thiserror::Error)]
pub enum AddError {
    #[error("cannot read {}: {message}", .path.display())]
    Unreadable { path: PathBuf, message: String },
    #[error("{0}")]
    Name(String),
    #[error("{} has syntax errors; fix them first", .path.display())]
    Syntax {
        path: PathBuf,
        text: Vec<u8>,
        diagnostics: Vec<Diagnostic>,
    },
    #[error("{} already exists (use --overwrite to replace it)", .0.display())]
    Exists(PathBuf),
    #[error("the package already declares asset `{asset}` variant `{variant}`{}", .dialect.map_or(String::new(), |dialect| format!(" for {}", dialect.name())))]
    AlreadyDeclared {
        asset: String,
        variant: String,
        dialect: Option<DeclaredDialect>,
    },
    #[error("cannot edit the package declaration in {}: {reason}", .path.display())]
    NotEditable { path: PathBuf, reason: String },
    #[error("cannot write {}: {message}", .path.display())]
    Unwritable { path: PathBuf, message: String },
}

/// The asset and variant a file name gives: `asset__variant.mod`, `glia__pkg__asset__variant.mod`, else the stem
/// and `0`.
pub fn names_from_file_name(path: &Path) -> (String, String) {
    let stem = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parts: Vec<&str> = stem.split("__").collect();
    match parts.as_slice() {
        [asset, variant] => (asset.to_string(), variant.to_string()),
        ["glia", _, asset, variant] => (asset.to_string(), variant.to_string()),
        _ => (stem, "0".to_string()),
    }
}

/// Adds `request.source_file` to `project`.
pub fn add_mod(project: &Project, request: &AddRequest) -> Result<Added, AddError> {
    let module_file = &project.module_file;
    let attribute = project
        .entry_point
        .attribute
        .as_deref()
        .unwrap_or("package");
    let declaration = read_module_file(module_file, attribute, None).map_err(|not_static| {
        AddError::NotEditable {
            path: module_file.clone(),
            reason: not_static.reason,
        }
    })?;
    let place = declaration
        .place
        .clone()
        .ok_or_else(|| AddError::NotEditable {
            path: module_file.clone(),
            reason: "the declaration was not read from the source".to_string(),
        })?;
    let (guessed_asset, guessed_variant) = names_from_file_name(&request.source_file);
    let asset = request.asset.clone().unwrap_or(guessed_asset);
    let variant = request.variant.clone().unwrap_or(guessed_variant);
    let name = ModName::new(&declaration.name, &asset, &variant).map_err(|error| {
        AddError::Name(format!(
            "{error} (give --name and --variant to choose other names)"
        ))
    })?;
    if declaration.mods.iter().any(|existing| {
        existing.asset == asset
            && existing.variant == variant
            && existing.dialect().ok().flatten() == request.dialect
    }) {
        return Err(AddError::AlreadyDeclared {
            asset,
            variant,
            dialect: request.dialect,
        });
    }

    let source = std::fs::read(&request.source_file).map_err(|error| AddError::Unreadable {
        path: request.source_file.clone(),
        message: error.to_string(),
    })?;
    let dialect = match request.dialect {
        Some(DeclaredDialect::Arbor) => Dialect::Arbor,
        _ => Dialect::Neuron,
    };
    let parsed = parse(&source, dialect);
    let kind = mechanism_facts(&parsed.file)
        .declaration
        .map(|declaration| declaration.kind);
    let renamed =
        rename(&source, &parsed, dialect, &name.neuron_name()).map_err(|error| match error {
            RenameError::SyntaxErrors { diagnostics } => AddError::Syntax {
                path: request.source_file.clone(),
                text: source.clone(),
                diagnostics,
            },
            other => AddError::Name(other.to_string()),
        })?;

    let mut folder = project.package_folder.join(
        request
            .target
            .clone()
            .unwrap_or_else(|| project.mod_folder.clone()),
    );
    if let (Some(dialect), None) = (request.dialect, &request.target) {
        folder = folder.join(dialect.name());
    }
    let mod_file = folder.join(format!("{asset}__{variant}.mod"));
    if mod_file.exists() && !request.overwrite {
        return Err(AddError::Exists(mod_file));
    }
    let relative =
        relative_path(&mod_file, &declaration.root).ok_or_else(|| AddError::NotEditable {
            path: module_file.clone(),
            reason: format!(
                "the package root {} does not contain {}",
                declaration.root.display(),
                mod_file.display()
            ),
        })?;
    let callee = place
        .mod_callee
        .clone()
        .unwrap_or_else(|| "Mod".to_string());
    let call = mod_call_text(&callee, &relative, &asset, &variant, kind, request.dialect);
    let module_source =
        std::fs::read_to_string(module_file).map_err(|error| AddError::Unreadable {
            path: module_file.clone(),
            message: error.to_string(),
        })?;
    let edits = declaration_edits(&module_source, &place, &call).map_err(|reason| {
        AddError::NotEditable {
            path: module_file.clone(),
            reason,
        }
    })?;
    let (new_module, _) = apply_edits(module_source.as_bytes(), &edits);

    let unwritable = |path: &Path, error: std::io::Error| AddError::Unwritable {
        path: path.to_path_buf(),
        message: error.to_string(),
    };
    std::fs::create_dir_all(&folder).map_err(|error| unwritable(&folder, error))?;
    let previous_mod = std::fs::read(&mod_file).ok();
    replace_file(&mod_file, &renamed.text).map_err(|error| unwritable(&mod_file, error))?;
    if let Err(error) = replace_file(module_file, &new_module) {
        // Put the mod folder back as it was.
        let _ = match previous_mod {
            Some(previous) => replace_file(&mod_file, &previous),
            None => std::fs::remove_file(&mod_file),
        };
        return Err(unwritable(module_file, error));
    }
    Ok(Added {
        mod_file,
        declaration: call,
        module_file: module_file.clone(),
    })
}

/// `path` relative to `root`, with `/` separators, when it is inside it.
fn relative_path(path: &Path, root: &Path) -> Option<String> {
    let absolute = |path: &Path| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let relative = absolute(path)
        .strip_prefix(absolute(root))
        .ok()?
        .to_path_buf();
    Some(
        relative
            .components()
            .map(|component| component.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/"),
    )
}

/// A Python string literal of `text`.
fn python_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// `Mod("mods/Kv1__0.mod", "Kv1", is_point_process=True, dialect="arbor")`, with only what differs from the
/// defaults.
pub fn mod_call_text(
    callee: &str,
    relative_path: &str,
    asset: &str,
    variant: &str,
    kind: Option<MechanismKind>,
    dialect: Option<DeclaredDialect>,
) -> String {
    let mut arguments = vec![python_string(relative_path), python_string(asset)];
    if variant != "0" {
        arguments.push(format!("variant={}", python_string(variant)));
    }
    match kind {
        Some(MechanismKind::PointProcess) => arguments.push("is_point_process=True".to_string()),
        Some(MechanismKind::ArtificialCell) => {
            arguments.push("is_artificial_cell=True".to_string())
        }
        _ => {}
    }
    if let Some(dialect) = dialect {
        arguments.push(format!("dialect={}", python_string(dialect.name())));
    }
    format!("{callee}({})", arguments.join(", "))
}

/// The leading whitespace of the line holding `offset`.
fn indentation_at(source: &str, offset: usize) -> &str {
    let line_start = source[..offset].rfind('\n').map_or(0, |index| index + 1);
    let rest = &source[line_start..];
    &rest[..rest.len() - rest.trim_start_matches([' ', '\t']).len()]
}

fn line_of(source: &str, offset: usize) -> usize {
    source[..offset].matches('\n').count()
}

/// The edits that add `call` to the declaration at `place`: into its `mods` list (keeping its layout and trailing
/// comma style), or as a new `mods=[...]` argument; plus an import of `Mod` when the module binds none.
pub fn declaration_edits(
    source: &str,
    place: &DeclarationPlace,
    call: &str,
) -> Result<Vec<TextEdit>, String> {
    let mut edits = Vec::new();
    if place.mod_callee.is_none() {
        let Some(end) = place.glia_import_end else {
            return Err("the module neither imports `glia` nor `Mod` from it".to_string());
        };
        edits.push(TextEdit {
            span: Span::empty_at(end),
            replacement: "\nfrom glia import Mod".to_string(),
        });
    }
    match (place.mods_list, place.has_mods_argument) {
        (Some(list), _) => {
            let open = list.start as usize;
            let close = list.end as usize - 1;
            match place.mods_last_item {
                None => {
                    let indentation = indentation_at(source, open);
                    edits.push(TextEdit {
                        span: Span::new(open, close + 1),
                        replacement: format!("[\n{indentation}    {call},\n{indentation}]"),
                    });
                }
                Some(last) => {
                    let after_last = last.end as usize;
                    let between = &source[after_last..close];
                    let comma = between
                        .find(|character: char| !character.is_whitespace())
                        .filter(|&index| between[index..].starts_with(','))
                        .map(|index| after_last + index);
                    let one_line = line_of(source, open) == line_of(source, close);
                    let indentation = indentation_at(source, last.start as usize);
                    let (at, text) = match (comma, one_line) {
                        (Some(comma), true) => (comma + 1, format!(" {call},")),
                        (None, true) => (after_last, format!(", {call}")),
                        (Some(comma), false) => (comma + 1, format!("\n{indentation}{call},")),
                        (None, false) => (after_last, format!(",\n{indentation}{call}")),
                    };
                    edits.push(TextEdit {
                        span: Span::empty_at(at),
                        replacement: text,
                    });
                }
            }
        }
        (None, false) => {
            // `Package(name, root)` without mods: add the argument before the closing parenthesis.
            let call_text = &source[place.package_call.range()];
            let close = place.package_call.end as usize - 1;
            let inner = call_text[..call_text.len() - 1].trim_end();
            let separator = if inner.ends_with(',') { " " } else { ", " };
            let at = place.package_call.start as usize + inner.len();
            edits.push(TextEdit {
                span: Span::new(at, close),
                replacement: format!("{separator}mods=[{call}]"),
            });
        }
        (None, true) => {
            return Err("its `mods` argument is not a list literal".to_string());
        }
    }
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::packages::declaration::{read_package_declaration, ReaderContext};

    fn add(source: &str) -> String {
        let declaration = read_package_declaration(
            source,
            Path::new("/p/m/__init__.py"),
            "package",
            &ReaderContext {
                resolve: &|path: &Path| path.to_path_buf(),
                module_exists: &|_, _| true,
            },
        )
        .expect("static");
        let place = declaration.place.unwrap();
        let call = mod_call_text(
            place.mod_callee.as_deref().unwrap_or("Mod"),
            "mods/B__0.mod",
            "B",
            "0",
            Some(MechanismKind::PointProcess),
            None,
        );
        let edits = declaration_edits(source, &place, &call).unwrap();
        String::from_utf8(apply_edits(source.as_bytes(), &edits).0).unwrap()
    }

    #[test]
    fn an_empty_list_gets_the_declaration_on_its_own_line() {
        let source = "from glia import Package, Mod\n\npackage = Package(\n    \"p\",\n    \"/p/m\",\n    mods=[],\n)\n# end\n";
        assert_eq!(
            add(source),
            "from glia import Package, Mod\n\npackage = Package(\n    \"p\",\n    \"/p/m\",\n    mods=[\n        Mod(\"mods/B__0.mod\", \"B\", is_point_process=True),\n    ],\n)\n# end\n"
        );
    }

    #[test]
    fn a_list_keeps_its_layout_and_comma_style() {
        let with_comma = "from glia import Package, Mod\npackage = Package(\"p\", \"/p/m\", mods=[\n    Mod(\"a.mod\", \"A\"),  # first\n])\n";
        assert_eq!(
            add(with_comma),
            "from glia import Package, Mod\npackage = Package(\"p\", \"/p/m\", mods=[\n    Mod(\"a.mod\", \"A\"),\n    Mod(\"mods/B__0.mod\", \"B\", is_point_process=True),  # first\n])\n"
        );
        let without_comma = "import glia\npackage = glia.Package(\"p\", \"/p/m\", mods=[\n    glia.Mod(\"a.mod\", \"A\")\n])\n";
        assert_eq!(
            add(without_comma),
            "import glia\npackage = glia.Package(\"p\", \"/p/m\", mods=[\n    glia.Mod(\"a.mod\", \"A\"),\n    glia.Mod(\"mods/B__0.mod\", \"B\", is_point_process=True)\n])\n"
        );
        let one_line = "from glia import Package, Mod\npackage = Package(\"p\", \"/p/m\", mods=[Mod(\"a.mod\", \"A\")])\n";
        assert_eq!(
            add(one_line),
            "from glia import Package, Mod\npackage = Package(\"p\", \"/p/m\", mods=[Mod(\"a.mod\", \"A\"), Mod(\"mods/B__0.mod\", \"B\", is_point_process=True)])\n"
        );
    }

    #[test]
    fn a_missing_mods_argument_and_import_are_added() {
        let source = "from glia import Package\npackage = Package(\"p\", \"/p/m\")\n";
        assert_eq!(
            add(source),
            "from glia import Package\nfrom glia import Mod\npackage = Package(\"p\", \"/p/m\", mods=[Mod(\"mods/B__0.mod\", \"B\", is_point_process=True)])\n"
        );
    }

    #[test]
    fn names_come_from_the_file_name() {
        assert_eq!(
            names_from_file_name(Path::new("x/Kv1__fast.mod")),
            ("Kv1".into(), "fast".into())
        );
        assert_eq!(
            names_from_file_name(Path::new("glia__p__Na__0.mod")),
            ("Na".into(), "0".into())
        );
        assert_eq!(
            names_from_file_name(Path::new("hh.mod")),
            ("hh".into(), "0".into())
        );
    }
}
