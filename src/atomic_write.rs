//! Writing a file so that a reader sees either the old contents or the new, never a part: a temporary file in the
//! same folder, flushed to disk, then renamed over the target (keeping the target's permissions).

use std::fs::{self, File, OpenOptions, Permissions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `contents` to `target` through a temporary file in the same folder, renamed over `target` once complete.
/// The new file gets `target`'s permissions, or else `input`'s (the file it was made from).
pub fn write_atomically(target: &Path, contents: &[u8], input: &Path) -> std::io::Result<()> {
    let folder = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = target.file_name().ok_or_else(|| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "the output path names no file",
        )
    })?;
    let permissions = fs::metadata(target)
        .or_else(|_| fs::metadata(input))
        .map(|metadata| metadata.permissions())
        .ok();
    let (temporary_path, file) = create_temporary_file(&folder, &file_name.to_string_lossy())?;
    let result = fill_and_move(file, &temporary_path, target, contents, permissions);
    if result.is_err() {
        // Best effort: the temporary file may already be gone.
        let _ = fs::remove_file(&temporary_path);
    }
    result
}

fn create_temporary_file(folder: &Path, file_name: &str) -> std::io::Result<(PathBuf, File)> {
    let process = std::process::id();
    let mut attempt = 0u32;
    loop {
        let candidate = folder.join(format!(".{file_name}.glia-{process}-{attempt}.tmp"));
        match OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => return Ok((candidate, file)),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && attempt < 100 => {
                attempt += 1
            }
            Err(error) => return Err(error),
        }
    }
}

fn fill_and_move(
    mut file: File,
    temporary_path: &Path,
    target: &Path,
    contents: &[u8],
    permissions: Option<Permissions>,
) -> std::io::Result<()> {
    file.write_all(contents)?;
    if let Some(permissions) = permissions {
        file.set_permissions(permissions)?;
    }
    file.sync_all()?;
    drop(file);
    fs::rename(temporary_path, target)
}

/// Writes a new version of `target` (or a new file) atomically, keeping `target`'s permissions if it exists.
pub fn replace_file(target: &Path, contents: &[u8]) -> std::io::Result<()> {
    write_atomically(target, contents, target)
}
