//! A lock on an output folder, so that concurrent builds into one folder (several shells, several MPI ranks
//! starting at once) do the work once: the first builds, the others wait, then find the result up to date.
//!
//! The up-to-date check takes the lock shared, so any number of processes can find the products up to date at
//! once; building takes it exclusive. The lock is an advisory `flock` on a file in the folder, held by the open
//! file: the operating system releases it when the process ends in any way, including being killed, so there is
//! never a stale lock to clean up.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// A held lock; released when dropped.
#[derive(Debug)]
pub struct FolderLock {
    _file: File,
    pub path: PathBuf,
}

/// How a lock is held.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockMode {
    /// Many holders at once, none while an exclusive holder builds: for checking that the products are up to date.
    Shared,
    /// One holder: for building.
    Exclusive,
}

/// Takes the lock file `name` in `folder` in `mode`, waiting for other holders if needed (`on_wait` is called once
/// with what the exclusive holder wrote about itself before waiting starts). A shared lock on a folder that cannot
/// be written (a read-only library folder) is taken on the existing lock file opened for reading; `Ok(None)` when
/// there is no lock file and none can be made there (nobody can be building in it either).
pub fn lock_folder(
    folder: &Path,
    name: &str,
    mode: LockMode,
    on_wait: impl FnOnce(&str),
) -> std::io::Result<Option<FolderLock>> {
    let path = folder.join(name);
    let opened = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path);
    let mut file = match (opened, mode) {
        (Ok(file), _) => file,
        (Err(error), LockMode::Shared) => match File::open(&path) {
            Ok(file) => file,
            Err(_) if is_unwritable(&error) => return Ok(None),
            Err(_) => return Err(error),
        },
        (Err(error), LockMode::Exclusive) => return Err(error),
    };
    let tried = match mode {
        LockMode::Shared => file.try_lock_shared(),
        LockMode::Exclusive => file.try_lock(),
    };
    match tried {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            on_wait(holder.trim());
            match mode {
                LockMode::Shared => file.lock_shared()?,
                LockMode::Exclusive => file.lock()?,
            }
        }
        Err(std::fs::TryLockError::Error(error)) => return Err(error),
    }
    if mode == LockMode::Exclusive {
        // Who holds it, for the messages of those who wait.
        file.set_len(0)?;
        file.seek(SeekFrom::Start(0))?;
        write!(file, "glia (process {})", std::process::id())?;
        file.flush()?;
    }
    Ok(Some(FolderLock { _file: file, path }))
}

fn is_unwritable(error: &std::io::Error) -> bool {
    error.raw_os_error() == Some(30) || error.kind() == std::io::ErrorKind::PermissionDenied
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;
    use std::time::Duration;

    #[test]
    fn a_second_taker_waits_until_the_first_lets_go() {
        let folder = tempfile::tempdir().unwrap();
        let first = lock_folder(folder.path(), ".lock", LockMode::Exclusive, |_| {
            panic!("nobody holds it yet")
        })
        .unwrap();
        let (sender, receiver) = mpsc::channel();
        let folder_path = folder.path().to_path_buf();
        let waiter = std::thread::spawn(move || {
            let mut waited_for = String::new();
            let lock = lock_folder(&folder_path, ".lock", LockMode::Shared, |holder| {
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

    #[test]
    fn shared_holders_do_not_wait_for_each_other() {
        let folder = tempfile::tempdir().unwrap();
        let first = lock_folder(folder.path(), ".lock", LockMode::Shared, |_| {
            panic!("a shared lock does not wait for a shared one")
        })
        .unwrap();
        let second = lock_folder(folder.path(), ".lock", LockMode::Shared, |_| {
            panic!("a shared lock does not wait for a shared one")
        })
        .unwrap();
        assert!(first.is_some() && second.is_some());
    }
}
