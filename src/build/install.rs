//! Putting build products in place: a product is made under a temporary name beside its target and renamed over it,
//! so readers see the old file or the new one, never a part; a manifest beside the product records the key it was
//! built from, which is how a later build knows, without running anything, that it is up to date.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::exec::ToolRun;
use super::outcome::{unwritable_cause, BuildError};

/// What a manifest records of the product it sits beside.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub format: u32,
    /// The key of everything the product was linked from.
    pub link_key: String,
    /// The simulator's version (for people reading the file).
    pub toolchain_version: String,
    pub mechanisms: Vec<ManifestMechanism>,
}

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct ManifestMechanism {
    pub file: String,
    pub object_key: String,
}

/// The manifest at `path`, if there is a readable one.
pub fn read_manifest(path: &Path) -> Option<Manifest> {
    let text = std::fs::read(path).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Writes the manifest atomically. Best effort: without a manifest the next build relinks, which is slower but
/// right.
pub fn write_manifest(path: &Path, manifest: &Manifest) {
    let Ok(text) = serde_json::to_vec_pretty(manifest) else {
        return;
    };
    let folder = path.parent().unwrap_or(Path::new("."));
    if let Ok(mut temporary) = tempfile::Builder::new()
        .prefix(".glia-manifest-")
        .tempfile_in(folder)
    {
        if temporary.write_all(&text).is_ok() {
            let _ = temporary.persist(path);
        }
    }
}

/// The temporary name a product is made under before it is renamed over `target`.
pub fn temporary_beside(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.glia-{}.tmp", std::process::id()))
}

/// Renames a finished temporary product over its target (removing the temporary file if that fails).
pub fn move_into_place(temporary: &Path, target: &Path) -> std::io::Result<()> {
    std::fs::rename(temporary, target).inspect_err(|_| {
        let _ = std::fs::remove_file(temporary);
    })
}

/// Puts a linked product in place, or reports the link's failure (removing the temporary file either way). A link
/// that failed because the folder could not be written is the folder's problem, not the build's.
pub fn install_linked(run: ToolRun, temporary: &Path, product: &Path) -> Result<(), BuildError> {
    let folder = product.parent().unwrap_or(Path::new(".")).to_path_buf();
    if !run.success {
        let _ = std::fs::remove_file(temporary);
        if let Some(cause) = unwritable_cause(&run.output) {
            return Err(BuildError::no_room(
                &folder,
                "the linker",
                cause,
                &run.output,
            ));
        }
        return Err(BuildError::Link {
            product: product.to_path_buf(),
            output: format!("{}\n{}", run.command_line, run.output),
        });
    }
    move_into_place(temporary, product).map_err(|error| BuildError::OutputFolder {
        folder,
        message: format!("cannot put {} in place: {error}", product.display()),
    })
}

/// Removes temporary products and manifests of builds that were killed before their rename (call with the output
/// folder locked).
pub fn remove_leftover_temporary_files(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_temporary_product =
            name.starts_with('.') && name.contains(".glia-") && name.ends_with(".tmp");
        if is_temporary_product || name.starts_with(".glia-manifest-") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_move_into_place_and_leftovers_go() {
        let folder = tempfile::tempdir().unwrap();
        let target = folder.path().join("libx.so");
        let temporary = temporary_beside(&target);
        assert!(temporary
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(".libx.so.glia-"));
        std::fs::write(&temporary, b"new").unwrap();
        move_into_place(&temporary, &target).unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"new");

        let leftover = folder.path().join(".libx.so.glia-1.tmp");
        std::fs::write(&leftover, b"half").unwrap();
        remove_leftover_temporary_files(folder.path());
        assert!(!leftover.exists());
        assert!(target.exists());
    }

    #[test]
    fn manifests_round_trip() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("manifest.json");
        assert_eq!(read_manifest(&path), None);
        let manifest = Manifest {
            format: 1,
            link_key: "k".into(),
            toolchain_version: "9.0.2".into(),
            mechanisms: vec![ManifestMechanism {
                file: "a.mod".into(),
                object_key: "o".into(),
            }],
        };
        write_manifest(&path, &manifest);
        assert_eq!(read_manifest(&path), Some(manifest));
    }
}
