//! Installed Python distributions and their `glia.package` entry points, found as `importlib.metadata` finds them:
//! every `*.dist-info` (and `*.egg-info`) folder of each `sys.path` folder, in `sys.path` order, the first
//! distribution of a (normalised) name winning over later ones; and the file of a module, found as Python's path
//! finder finds it (a package's `__init__.py` before a module file, namespace portions last).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The entry point group Glia packages advertise themselves in.
pub const ENTRY_POINT_GROUP: &str = "glia.package";

/// One `name = module:attribute` line of a distribution's `glia.package` group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EntryPoint {
    /// The distribution's name as its metadata folder spells it (`dbbs_catalogue`).
    pub distribution: String,
    pub version: String,
    /// The `*.dist-info` folder.
    pub metadata_folder: PathBuf,
    /// The entry point's name (left of `=`).
    pub name: String,
    /// The module path (`patch.extensions`).
    pub module: String,
    /// The attribute path after `:` (`package`), if any.
    pub attribute: Option<String>,
}

impl EntryPoint {
    /// `module:attribute` as written.
    pub fn value(&self) -> String {
        match &self.attribute {
            Some(attribute) => format!("{}:{attribute}", self.module),
            None => self.module.clone(),
        }
    }
}

/// A distribution's name normalised as `importlib.metadata` compares them: lower case, runs of `-`, `_`, `.` as
/// one `_`.
pub fn normalized_distribution_name(name: &str) -> String {
    let mut normalized = String::with_capacity(name.len());
    for character in name.chars() {
        if matches!(character, '-' | '_' | '.') {
            if !normalized.ends_with('_') {
                normalized.push('_');
            }
        } else {
            normalized.extend(character.to_lowercase());
        }
    }
    normalized
}

/// Every `glia.package` entry point of the distributions installed on `search_path`.
pub fn glia_entry_points(search_path: &[PathBuf]) -> Vec<EntryPoint> {
    let mut seen = HashSet::new();
    let mut entry_points = Vec::new();
    for folder in search_path {
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        let mut metadata_folders: Vec<(String, PathBuf)> = entries
            .flatten()
            .filter_map(|entry| {
                let file_name = entry.file_name().to_string_lossy().into_owned();
                let stem = file_name
                    .strip_suffix(".dist-info")
                    .or_else(|| file_name.strip_suffix(".egg-info"))?;
                Some((stem.to_string(), entry.path()))
            })
            .filter(|(_, path)| path.is_dir())
            .collect();
        metadata_folders.sort();
        for (stem, metadata_folder) in metadata_folders {
            let (distribution, version) = match stem.split_once('-') {
                Some((name, version)) => (name.to_string(), version.to_string()),
                None => (stem.clone(), String::new()),
            };
            if !seen.insert(normalized_distribution_name(&distribution)) {
                continue;
            }
            let Ok(text) = std::fs::read_to_string(metadata_folder.join("entry_points.txt")) else {
                continue;
            };
            for (name, value) in entry_points_in_group(&text, ENTRY_POINT_GROUP) {
                // `module:attribute [extras]`
                let value = value.split('[').next().unwrap_or_default().trim();
                let (module, attribute) = match value.split_once(':') {
                    Some((module, attribute)) => {
                        (module.trim(), Some(attribute.trim().to_string()))
                    }
                    None => (value, None),
                };
                entry_points.push(EntryPoint {
                    distribution: distribution.clone(),
                    version: version.clone(),
                    metadata_folder: metadata_folder.clone(),
                    name,
                    module: module.to_string(),
                    attribute,
                });
            }
        }
    }
    entry_points
}

/// The `name = value` lines of `[group]` in an `entry_points.txt` (an INI file; `#` and `;` start comments).
pub fn entry_points_in_group(text: &str, group: &str) -> Vec<(String, String)> {
    let mut in_group = false;
    let mut found = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(section) = line
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
        {
            in_group = section.trim() == group;
            continue;
        }
        if in_group {
            if let Some((name, value)) = line.split_once('=') {
                found.push((name.trim().to_string(), value.trim().to_string()));
            }
        }
    }
    found
}

/// Where Python would find a module's source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModuleLocation {
    /// A `.py` file (a package's `__init__.py` or a module file).
    Source(PathBuf),
    /// Found, but not as Python source (an extension module, a namespace package).
    NotSource(String),
    /// Not on the path at all (a custom finder, such as an editable install's, may still import it).
    Missing,
}

/// Finds the source of `module` (`a.b.c`) on `search_path` as Python's path finder would.
pub fn find_module_source(search_path: &[PathBuf], module: &str) -> ModuleLocation {
    let parts: Vec<&str> = module.split('.').collect();
    let mut folders: Vec<PathBuf> = search_path.to_vec();
    for (index, part) in parts.iter().enumerate() {
        let last = index + 1 == parts.len();
        let mut namespace_portions = Vec::new();
        let mut found = None;
        for folder in &folders {
            let package = folder.join(part);
            if package.join("__init__.py").is_file() {
                found = Some((package.clone(), Some(package.join("__init__.py"))));
                break;
            }
            if has_compiled_module(folder, part) {
                return ModuleLocation::NotSource(format!(
                    "`{}` is a compiled module in {}",
                    parts[..=index].join("."),
                    folder.display()
                ));
            }
            let file = folder.join(format!("{part}.py"));
            if file.is_file() {
                if !last {
                    return ModuleLocation::NotSource(format!(
                        "{} is a module, not a package",
                        file.display()
                    ));
                }
                return ModuleLocation::Source(file);
            }
            if package.is_dir() {
                namespace_portions.push(package);
            }
        }
        match found {
            Some((package, init)) => {
                if last {
                    return match init {
                        Some(init) => ModuleLocation::Source(init),
                        None => ModuleLocation::NotSource("a namespace package".to_string()),
                    };
                }
                folders = vec![package];
            }
            None if !namespace_portions.is_empty() => {
                if last {
                    return ModuleLocation::NotSource(format!(
                        "`{module}` is a namespace package (no __init__.py)"
                    ));
                }
                folders = namespace_portions;
            }
            None => return ModuleLocation::Missing,
        }
    }
    ModuleLocation::Missing
}

/// Whether `folder` holds an extension module (`part.so`, `part.cpython-311-x86_64-linux-gnu.so`, `part.abi3.so`).
fn has_compiled_module(folder: &Path, part: &str) -> bool {
    if folder.join(format!("{part}.so")).is_file() {
        return true;
    }
    // The tagged names need a listing; only look when a plain source is not there (rare).
    if folder.join(format!("{part}.py")).is_file() || folder.join(part).is_dir() {
        return false;
    }
    std::fs::read_dir(folder).is_ok_and(|entries| {
        entries.flatten().any(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            name.starts_with(&format!("{part}.")) && name.ends_with(".so")
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_points_are_read_from_their_group_only() {
        let text = "[console_scripts]\nglia = glia._cli:glia\n\n[glia.package]\n# a comment\ndbbs_catalogue=dbbs_catalogue:package\nextensions = patch.extensions:package [extra]\n";
        assert_eq!(
            entry_points_in_group(text, ENTRY_POINT_GROUP),
            vec![
                (
                    "dbbs_catalogue".to_string(),
                    "dbbs_catalogue:package".to_string()
                ),
                (
                    "extensions".to_string(),
                    "patch.extensions:package [extra]".to_string()
                ),
            ]
        );
    }

    #[test]
    fn distribution_names_are_normalised() {
        assert_eq!(normalized_distribution_name("NRN-Patch"), "nrn_patch");
        assert_eq!(normalized_distribution_name("a.-_b"), "a_b");
    }

    #[test]
    fn modules_are_found_as_python_finds_them() {
        let root = tempfile::tempdir().unwrap();
        let first = root.path().join("first");
        let second = root.path().join("second");
        std::fs::create_dir_all(first.join("patch/extensions")).unwrap();
        std::fs::write(first.join("patch/__init__.py"), "").unwrap();
        std::fs::write(first.join("patch/extensions/__init__.py"), "").unwrap();
        std::fs::create_dir_all(second.join("lone")).unwrap();
        std::fs::write(second.join("lone.py"), "").unwrap();
        std::fs::write(second.join("native.cpython-311-x86_64-linux-gnu.so"), "").unwrap();
        let path = vec![first.clone(), second.clone()];
        assert_eq!(
            find_module_source(&path, "patch.extensions"),
            ModuleLocation::Source(first.join("patch/extensions/__init__.py"))
        );
        assert_eq!(
            find_module_source(&path, "lone"),
            ModuleLocation::Source(second.join("lone.py"))
        );
        assert!(matches!(
            find_module_source(&path, "native"),
            ModuleLocation::NotSource(_)
        ));
        assert_eq!(find_module_source(&path, "absent"), ModuleLocation::Missing);
    }
}
