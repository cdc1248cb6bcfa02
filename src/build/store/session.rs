//! The store's temporary space: each process that writes to the store gets one session folder in `<root>/tmp/`,
//! locked (`flock` on a file inside it) for as long as the process lives. Everything temporary — build work
//! folders, entries on their way into the store, space probes — is made inside it, so a killed process leaves its
//! temporary files in one place, and the next process that opens the store removes every session folder whose
//! lock it can take (the kernel released it when the owner died), however recently it was made.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::writes::StoreWrites;

const SESSION_PREFIX: &str = "session-";
/// A session folder is made under this prefix and renamed to [`SESSION_PREFIX`] once its lock is held, so a
/// cleaner never sees a session folder before it is locked.
const NEW_SESSION_PREFIX: &str = ".new-session-";
const LOCK_FILE: &str = "lock";
/// How old other leftovers in `tmp/` (a folder that never got its lock; work folders of older glia versions) must
/// be before they are removed.
const STALE_LEFTOVER_AGE: Duration = Duration::from_secs(60 * 60);

/// A locked session folder, removed with everything in it when dropped.
#[derive(Debug)]
pub struct Session {
    folder: PathBuf,
    _lock: File,
    next_name: AtomicUsize,
}

impl Session {
    /// Makes and locks a new session folder in `temporary_root` (`<store>/tmp`).
    pub fn start(temporary_root: &Path, writes: &dyn StoreWrites) -> std::io::Result<Session> {
        let unique = format!(
            "{}-{}",
            std::process::id(),
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |time| time.as_nanos())
        );
        let new_folder = temporary_root.join(format!("{NEW_SESSION_PREFIX}{unique}"));
        writes.create_folders(&new_folder)?;
        let locked = lock_new_file(&new_folder.join(LOCK_FILE), writes).and_then(|lock| {
            let folder = temporary_root.join(format!("{SESSION_PREFIX}{unique}"));
            writes.rename(&new_folder, &folder)?;
            Ok(Session {
                folder,
                _lock: lock,
                next_name: AtomicUsize::new(0),
            })
        });
        if locked.is_err() {
            let _ = fs::remove_dir_all(&new_folder);
        }
        locked
    }

    pub fn folder(&self) -> &Path {
        &self.folder
    }

    /// A name for a new temporary file or folder in the session, never given out twice.
    pub fn fresh_path(&self, what: &str) -> PathBuf {
        let number = self.next_name.fetch_add(1, Ordering::Relaxed);
        self.folder.join(format!("{what}-{number}"))
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.folder);
    }
}

fn lock_new_file(path: &Path, writes: &dyn StoreWrites) -> std::io::Result<File> {
    writes.write_new_file(path, b"")?;
    let file = open_lock_file(path)?;
    file.lock()?;
    Ok(file)
}

/// Opens a lock file for reading and writing: NFS emulates `flock` with POSIX locks, and an exclusive one needs a
/// file open for writing.
fn open_lock_file(path: &Path) -> std::io::Result<File> {
    fs::OpenOptions::new().read(true).write(true).open(path)
}

/// Removes the session folders of processes that have ended (their lock is free), and other leftovers older than
/// an hour. Best effort: what cannot be removed stays, and is never taken for a store entry.
pub fn remove_abandoned_sessions(temporary_root: &Path) {
    let Ok(entries) = fs::read_dir(temporary_root) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if name.starts_with(SESSION_PREFIX) {
            match open_lock_file(&path.join(LOCK_FILE)) {
                Ok(lock) => {
                    if lock.try_lock().is_ok() {
                        let _ = fs::remove_dir_all(&path);
                    }
                }
                // A session folder gets its name only once its lock is held, so one without a lock file was
                // emptied by hand or half removed.
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                    if is_older_than(&path, STALE_LEFTOVER_AGE) {
                        let _ = fs::remove_dir_all(&path);
                    }
                }
                // Another user's session on a shared store: theirs to clean.
                Err(_) => {}
            }
        } else if is_older_than(&path, STALE_LEFTOVER_AGE) {
            let _ = fs::remove_dir_all(&path).or_else(|_| fs::remove_file(&path));
        }
    }
}

fn is_older_than(path: &Path, age: Duration) -> bool {
    fs::symlink_metadata(path)
        .and_then(|metadata| metadata.modified())
        .ok()
        .and_then(|modified| SystemTime::now().duration_since(modified).ok())
        .is_some_and(|elapsed| elapsed > age)
}

#[cfg(test)]
mod tests {
    use super::super::writes::FileSystemWrites;
    use super::*;

    #[test]
    fn a_live_session_is_kept_and_an_ended_one_removed() {
        let root = tempfile::tempdir().unwrap();
        let live = Session::start(root.path(), &FileSystemWrites).unwrap();
        assert!(live
            .folder()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with(SESSION_PREFIX));
        // A session whose owner died: its lock file exists but nobody holds it.
        let dead = root.path().join(format!("{SESSION_PREFIX}1-2"));
        fs::create_dir(&dead).unwrap();
        fs::write(dead.join(LOCK_FILE), b"").unwrap();
        fs::write(dead.join("object-0"), b"half an object").unwrap();
        remove_abandoned_sessions(root.path());
        assert!(live.folder().is_dir(), "the live session stays");
        assert!(!dead.exists(), "the dead session goes");
        let folder = live.folder().to_path_buf();
        assert_ne!(live.fresh_path("x"), live.fresh_path("x"));
        drop(live);
        assert!(!folder.exists());
    }
}
