//! The user's global selections (`glia select Kv1 --pkg dbbs`): a small versioned JSON file in the user's
//! configuration folder (`GLIA_CONFIG_DIR`, else `XDG_CONFIG_HOME/glia`, else `~/.config/glia`), shared by every
//! environment and never touched by `glia cache --clear`.
//!
//! Writers take an exclusive lock beside the file, read it, change it, and rename a complete new version over it,
//! so concurrent `glia select` runs each keep the others' selections and readers (which take no lock) see a whole
//! file. A file that cannot be read as a selections file is an error naming it; it is never replaced silently.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::resolver::Preference;
use crate::atomic_write::replace_file;
use crate::build::lock::{lock_folder, LockMode};

/// The format this version of glia writes and reads.
pub const SELECTIONS_FORMAT: u32 = 1;
const FILE_NAME: &str = "selections.json";
const LOCK_NAME: &str = ".selections.lock";

/// Why the selections could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SelectionsError {
    #[error("no folder for the selections file: set GLIA_CONFIG_DIR, XDG_CONFIG_HOME or HOME")]
    NoFolder,
    #[error("cannot read the selections file {}: {message}", .path.display())]
    Unreadable { path: PathBuf, message: String },
    #[error("the selections file {} is not valid ({message}); glia will not overwrite it: fix it or remove it (`glia select --clear` cannot)", .path.display())]
    Corrupt { path: PathBuf, message: String },
    #[error("the selections file {} has format {found}, newer than this glia reads ({SELECTIONS_FORMAT}); upgrade glia", .path.display())]
    Newer { path: PathBuf, found: u32 },
    #[error("cannot write the selections file {}: {message}", .path.display())]
    Unwritable { path: PathBuf, message: String },
}

#[derive(Serialize, Deserialize)]
struct SelectionsDocument {
    format: u32,
    selections: BTreeMap<String, SelectionEntry>,
}

#[derive(Serialize, Deserialize)]
struct SelectionEntry {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    package: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    variant: Option<String>,
}

/// The selections file of this user.
pub fn default_selections_path() -> Result<PathBuf, SelectionsError> {
    let non_empty = |name: &str| std::env::var_os(name).filter(|value| !value.is_empty());
    if let Some(folder) = non_empty("GLIA_CONFIG_DIR") {
        return Ok(PathBuf::from(folder).join(FILE_NAME));
    }
    if let Some(folder) = non_empty("XDG_CONFIG_HOME") {
        return Ok(PathBuf::from(folder).join("glia").join(FILE_NAME));
    }
    non_empty("HOME")
        .map(|home| {
            PathBuf::from(home)
                .join(".config")
                .join("glia")
                .join(FILE_NAME)
        })
        .ok_or(SelectionsError::NoFolder)
}

/// The selections in `path` (none when the file does not exist).
pub fn read_selections(path: &Path) -> Result<BTreeMap<String, Preference>, SelectionsError> {
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(BTreeMap::new()),
        Err(error) => {
            return Err(SelectionsError::Unreadable {
                path: path.to_path_buf(),
                message: error.to_string(),
            })
        }
    };
    #[derive(Deserialize)]
    struct Format {
        format: u32,
    }
    let corrupt = |message: String| SelectionsError::Corrupt {
        path: path.to_path_buf(),
        message,
    };
    let format: Format =
        serde_json::from_slice(&bytes).map_err(|error| corrupt(error.to_string()))?;
    if format.format > SELECTIONS_FORMAT {
        return Err(SelectionsError::Newer {
            path: path.to_path_buf(),
            found: format.format,
        });
    }
    let document: SelectionsDocument =
        serde_json::from_slice(&bytes).map_err(|error| corrupt(error.to_string()))?;
    Ok(document
        .selections
        .into_iter()
        .map(|(asset, entry)| {
            (
                asset,
                Preference {
                    package: entry.package,
                    variant: entry.variant,
                },
            )
        })
        .collect())
}

/// Changes the selections in `path` under the writers' lock; `change` sees the current selections. Returns the new
/// ones.
pub fn update_selections(
    path: &Path,
    change: impl FnOnce(&mut BTreeMap<String, Preference>),
) -> Result<BTreeMap<String, Preference>, SelectionsError> {
    let unwritable = |message: String| SelectionsError::Unwritable {
        path: path.to_path_buf(),
        message,
    };
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|error| unwritable(error.to_string()))?;
    let _lock = lock_folder(folder, LOCK_NAME, LockMode::Exclusive, |_| {})
        .map_err(|error| unwritable(error.to_string()))?;
    let mut selections = read_selections(path)?;
    change(&mut selections);
    let document = SelectionsDocument {
        format: SELECTIONS_FORMAT,
        selections: selections
            .iter()
            .map(|(asset, preference)| {
                (
                    asset.clone(),
                    SelectionEntry {
                        package: preference.package.clone(),
                        variant: preference.variant.clone(),
                    },
                )
            })
            .collect(),
    };
    let mut text =
        serde_json::to_vec_pretty(&document).map_err(|error| unwritable(error.to_string()))?;
    text.push(b'\n');
    replace_file(path, &text).map_err(|error| unwritable(error.to_string()))?;
    Ok(selections)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concurrent_writers_keep_each_others_selections() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("config").join(FILE_NAME);
        std::thread::scope(|scope| {
            for writer in 0..16 {
                let path = &path;
                scope.spawn(move || {
                    update_selections(path, |selections| {
                        selections.insert(
                            format!("asset{writer}"),
                            Preference {
                                package: Some(format!("package{writer}")),
                                variant: None,
                            },
                        );
                    })
                    .unwrap();
                });
            }
        });
        let selections = read_selections(&path).unwrap();
        assert_eq!(selections.len(), 16);
        assert_eq!(selections["asset7"].package.as_deref(), Some("package7"));
    }

    #[test]
    fn a_corrupt_file_is_an_error_and_is_left_alone() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join(FILE_NAME);
        std::fs::write(&path, "{\"format\": 1, \"selections\": [").unwrap();
        let error = update_selections(&path, |_| {}).unwrap_err();
        assert!(matches!(error, SelectionsError::Corrupt { .. }), "{error}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "{\"format\": 1, \"selections\": ["
        );
        std::fs::write(&path, "{\"format\": 7, \"anything\": true}").unwrap();
        assert!(matches!(
            read_selections(&path),
            Err(SelectionsError::Newer { found: 7, .. })
        ));
        assert!(read_selections(&folder.path().join("absent.json"))
            .unwrap()
            .is_empty());
    }
}
