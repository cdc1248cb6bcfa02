//! Reading what a mod file pulls in: INCLUDEd files, found as nocmodl finds them — in the folder of the including
//! file, then the current folder, then `../`, then each folder of `MODL_INCLUDE` (separated by `:`).

use std::path::{Path, PathBuf};

/// The folders searched for an INCLUDEd file, in nocmodl's order.
pub fn include_search_folders(file_folder: &Path) -> Vec<PathBuf> {
    let mut folders = vec![
        file_folder.to_path_buf(),
        PathBuf::from("."),
        PathBuf::from(".."),
    ];
    if let Some(extra) = std::env::var_os("MODL_INCLUDE") {
        folders
            .extend(std::env::split_paths(&extra).filter(|folder| !folder.as_os_str().is_empty()));
    }
    folders
}

pub fn read_include(file_folder: &Path, name: &str) -> Result<Vec<u8>, String> {
    let name_path = Path::new(name);
    if name_path.is_absolute() {
        return std::fs::read(name_path).map_err(|error| format!("{name}: {error}"));
    }
    let folders = include_search_folders(file_folder);
    for folder in &folders {
        let candidate = folder.join(name_path);
        if candidate.is_file() {
            return std::fs::read(&candidate)
                .map_err(|error| format!("{}: {error}", candidate.display()));
        }
    }
    let searched: Vec<String> = folders
        .iter()
        .map(|folder| {
            if folder.as_os_str().is_empty() {
                ".".to_string()
            } else {
                folder.display().to_string()
            }
        })
        .collect();
    Err(format!("not found in {}", searched.join(", ")))
}
