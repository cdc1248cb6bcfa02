//! A lock on an output folder, so that concurrent builds into one folder (several shells, several MPI ranks
//! starting at once) do the work once: the first builds, the others wait, then find the result up to date.
//!
//! The lock is an advisory `flock` on a file in the folder, held by the open file: the operating system releases
//! it when the process ends in any way, including being killed, so there is never a stale lock to clean up.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// A held lock; released when dropped.
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
    pub path: PathBuf,
}

/// Takes the lock file `name` in `folder`, waiting for another holder if there is one (`on_wait` is called once
/// with what the holder wrote about itself before waiting starts).
pub fn lock_folder(
    folder: &Path,
    name: &str,
    on_wait: impl FnOnce(&str),
) -> std::io::Result<FolderLock> {
    let path = folder.join(name);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            on_wait(holder.trim());
            file.lock()?;
        }
        Err(std::fs::TryLockError::Error(error)) => return Err(error),
    }
    // Who holds it, for the messages of those who wait.
    file.set_len(0)?;
    file.seek(SeekFrom::Start(0))?;
    write!(file, "glia (process {})", std::process::id())?;
    file.flush()?;
    Ok(FolderLock { _file: file, path })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_second_taker_waits_until_the_first_lets_go() {
        let folder = tempfile::tempdir().unwrap();
        let first = lock_folder(folder.path(), ".lock", |_| panic!("nobody holds it yet")).unwrap();
        let (sender, receiver) = mpsc::channel();
        let folder_path = folder.path().to_path_buf();
        let waiter = std::thread::spawn(move || {
            let mut waited_for = String::new();
            let lock = lock_folder(&folder_path, ".lock", |holder| {
                waited_for = holder.to_string()
            })
            .unwrap();
            sender.send(waited_for).unwrap();
            drop(lock);
        });
        // The waiter cannot get the lock while the first holds it.
        assert!(receiver.recv_timeout(Duration::from_millis(300)).is_err());
        drop(first);
        let waited_for = receiver.recv_timeout(Duration::from_secs(10)).unwrap();
        assert!(waited_for.starts_with("glia (process "), "{waited_for}");
        waiter.join().unwrap();
    }
}
