//! The seam every write of the store goes through: creating folders, writing new files and renaming. The store
//! uses [`FileSystemWrites`]; tests put in [`FailingWrites`] to act out a full disk (`ENOSPC`) or a read-only one
//! (`EROFS`) at any chosen write, where a real small or read-only mount is not available.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The write operations of the store. Reads do not go through here.
pub trait StoreWrites: Send + Sync + std::fmt::Debug {
    /// Creates `folder` and any missing parents.
    fn create_folders(&self, folder: &Path) -> std::io::Result<()>;
    /// Creates the file `path` (which must not exist) holding `contents`.
    fn write_new_file(&self, path: &Path, contents: &[u8]) -> std::io::Result<()>;
    /// Renames `from` to `to`, replacing `to`.
    fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()>;
}

/// The real file system.
#[derive(Debug, Default)]
pub struct FileSystemWrites;

impl StoreWrites for FileSystemWrites {
    fn create_folders(&self, folder: &Path) -> std::io::Result<()> {
        fs::create_dir_all(folder)
    }

    fn write_new_file(&self, path: &Path, contents: &[u8]) -> std::io::Result<()> {
        let mut file = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)?;
        let written = file.write_all(contents).and_then(|()| file.flush());
        if written.is_err() {
            drop(file);
            let _ = fs::remove_file(path);
        }
        written
    }

    fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()> {
        fs::rename(from, to)
    }
}

/// The real file system, except that from the `failing_from`-th write on (counting from 1, every operation of
/// [`StoreWrites`] counts) each write fails with the operating-system error `error` (e.g. `28`, ENOSPC, or `30`,
/// EROFS) without touching the disk — as a disk that has just filled up, or a mount that turned read-only.
#[derive(Debug)]
pub struct FailingWrites {
    pub failing_from: usize,
    pub error: i32,
    writes: AtomicUsize,
}

impl FailingWrites {
    pub fn new(failing_from: usize, error: i32) -> FailingWrites {
        FailingWrites {
            failing_from,
            error,
            writes: AtomicUsize::new(0),
        }
    }

    /// How many writes were asked for so far (failed ones included).
    pub fn writes(&self) -> usize {
        self.writes.load(Ordering::SeqCst)
    }

    fn next(&self) -> std::io::Result<()> {
        let number = self.writes.fetch_add(1, Ordering::SeqCst) + 1;
        if number >= self.failing_from {
            Err(std::io::Error::from_raw_os_error(self.error))
        } else {
            Ok(())
        }
    }
}

impl StoreWrites for FailingWrites {
    fn create_folders(&self, folder: &Path) -> std::io::Result<()> {
        if folder.is_dir() {
            return Ok(());
        }
        self.next()?;
        FileSystemWrites.create_folders(folder)
    }

    fn write_new_file(&self, path: &Path, contents: &[u8]) -> std::io::Result<()> {
        self.next()?;
        FileSystemWrites.write_new_file(path, contents)
    }

    fn rename(&self, from: &Path, to: &Path) -> std::io::Result<()> {
        self.next()?;
        FileSystemWrites.rename(from, to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failing_writes_fail_from_the_chosen_write_on_and_leave_nothing() {
        let folder = tempfile::tempdir().unwrap();
        let writes = FailingWrites::new(2, 28);
        writes
            .write_new_file(&folder.path().join("first"), b"1")
            .unwrap();
        let error = writes
            .write_new_file(&folder.path().join("second"), b"2")
            .unwrap_err();
        assert_eq!(error.raw_os_error(), Some(28));
        assert!(
            error.to_string().contains("No space left on device"),
            "{error}"
        );
        assert!(writes
            .rename(&folder.path().join("first"), &folder.path().join("third"))
            .is_err());
        assert!(!folder.path().join("second").exists());
        assert!(!folder.path().join("third").exists());
        assert_eq!(writes.writes(), 3);
    }

    #[test]
    fn the_real_writes_refuse_to_overwrite() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("file");
        FileSystemWrites.write_new_file(&path, b"one").unwrap();
        assert!(FileSystemWrites.write_new_file(&path, b"two").is_err());
        assert_eq!(fs::read(&path).unwrap(), b"one");
    }
}
