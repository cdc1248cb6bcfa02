//! The content-addressed store: build products (objects, precompiled headers, facts about compilers) filed under
//! a key that is the sha256 of everything that determines them.
//!
//! Layout: `<root>/<kind>/<first two hex digits>/<key>.<extension>`, each entry with a checksum sidecar
//! `<key>.<extension>.sum` ([`checksum`]), and `<root>/tmp/` holding one locked session folder per running process
//! ([`session`]) for work folders and files on their way in (same file system, so they move into place by a
//! rename). An entry appears whole or not at all, and is used only when it matches its checksum, so several
//! builds — several shells, several MPI ranks, several machines on a shared `GLIA_CACHE_DIR` — can fill one store
//! at once without locks: two builds of one key write the same bytes, and the later rename wins harmlessly.
//!
//! A second, read-only store (`GLIA_SHARED_STORE`: a team's or a CI job's) is consulted after the user's own: an
//! entry found there is checked against its checksum while it is copied into the user's store, and used from there.
//! Entries that fail the check, in either store, are refused, noted ([`Store::rejected_entries`]) and rebuilt.
//!
//! Every write goes through a [`StoreWrites`] seam, so tests can make any write fail as a full or read-only disk
//! would. The root is `$GLIA_CACHE_DIR`, else `$XDG_CACHE_HOME/glia`, else `~/.cache/glia`.

pub mod checksum;
pub mod session;
pub mod writes;

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use sha2::{Digest, Sha256};

use checksum::{checksum_path, verify_entry, EntryChecksum, EntryProblem, Verified};
use session::{remove_abandoned_sessions, Session};
pub use writes::{FailingWrites, FileSystemWrites, StoreWrites};

/// The bytes a space probe writes: a translator that meets a full disk may still exit 0 with a cut file, so after
/// each translation the work folder must still take this much.
const ROOM_PROBE_BYTES: usize = 1 << 20;

/// `EXDEV`: a rename across file systems.
const CROSS_DEVICE_ERROR: i32 = 18;

/// A store key: 64 hex digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct StoreKey(String);

impl StoreKey {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Builds a key from named fields. Each field is framed by its name and length, so no two different field lists
/// give the same bytes to hash.
pub struct KeyBuilder {
    hasher: Sha256,
}

impl KeyBuilder {
    /// A key for products of `purpose` (e.g. `"neuron-object"`), in format version `version`.
    pub fn new(purpose: &str, version: u32) -> KeyBuilder {
        let mut builder = KeyBuilder {
            hasher: Sha256::new(),
        };
        builder = builder.field("purpose", purpose.as_bytes());
        builder.field("version", &version.to_le_bytes())
    }

    pub fn field(mut self, name: &str, value: &[u8]) -> KeyBuilder {
        self.hasher.update((name.len() as u64).to_le_bytes());
        self.hasher.update(name.as_bytes());
        self.hasher.update((value.len() as u64).to_le_bytes());
        self.hasher.update(value);
        self
    }

    pub fn text_field(self, name: &str, value: &str) -> KeyBuilder {
        self.field(name, value.as_bytes())
    }

    pub fn finish(self) -> StoreKey {
        let digest = self.hasher.finalize();
        let mut hex = String::with_capacity(64);
        for byte in digest {
            hex.push_str(&format!("{byte:02x}"));
        }
        StoreKey(hex)
    }
}

/// A store operation that failed: what was being done, to which path, and the operating system's reason.
#[derive(Debug, thiserror::Error)]
#[error("cannot {action} {}: {source}", .path.display())]
pub struct StoreError {
    pub action: &'static str,
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

impl StoreError {
    fn new(action: &'static str, path: &Path, source: std::io::Error) -> StoreError {
        StoreError {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// Whether the store could not be written because its file system is read-only or not writable for the user.
    pub fn is_read_only(&self) -> bool {
        self.source.raw_os_error() == Some(30)
            || self.source.kind() == std::io::ErrorKind::PermissionDenied
    }
}

/// An entry refused because it did not match its checksum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RejectedEntry {
    pub entry: PathBuf,
    /// In the shared store (`GLIA_SHARED_STORE`) rather than the user's own.
    pub shared: bool,
    pub problem: EntryProblem,
}

impl std::fmt::Display for RejectedEntry {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            formatter,
            "ignored the {} store entry {}: {}; it is rebuilt",
            if self.shared { "shared" } else { "cached" },
            self.entry.display(),
            self.problem
        )
    }
}

/// An open store (cheap to clone: clones share the session folder and the list of refused entries).
#[derive(Clone, Debug)]
pub struct Store {
    inner: Arc<StoreInner>,
}

#[derive(Debug)]
struct StoreInner {
    root: PathBuf,
    shared_root: Option<PathBuf>,
    writes: Box<dyn StoreWrites>,
    session: Mutex<Option<Arc<Session>>>,
    rejected: Mutex<Vec<RejectedEntry>>,
}

/// A build's work folder inside the store's session folder, removed (with what is in it) when dropped.
#[derive(Debug)]
pub struct WorkFolder {
    path: PathBuf,
    _session: Arc<Session>,
}

impl WorkFolder {
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for WorkFolder {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.path);
    }
}

impl Store {
    /// The store's folder by the environment: `GLIA_CACHE_DIR`, `XDG_CACHE_HOME/glia`, `HOME/.cache/glia`.
    pub fn default_root() -> Option<PathBuf> {
        if let Some(folder) = std::env::var_os("GLIA_CACHE_DIR").filter(|value| !value.is_empty()) {
            return Some(PathBuf::from(folder));
        }
        if let Some(folder) = std::env::var_os("XDG_CACHE_HOME").filter(|value| !value.is_empty()) {
            return Some(PathBuf::from(folder).join("glia"));
        }
        std::env::var_os("HOME")
            .filter(|value| !value.is_empty())
            .map(|home| PathBuf::from(home).join(".cache").join("glia"))
    }

    /// The read-only shared store named by `GLIA_SHARED_STORE`, if any.
    pub fn default_shared_root() -> Option<PathBuf> {
        std::env::var_os("GLIA_SHARED_STORE")
            .filter(|value| !value.is_empty())
            .map(PathBuf::from)
    }

    /// Opens (creating if needed) the store at `root` on the real file system, without a shared store.
    pub fn open(root: &Path) -> Result<Store, StoreError> {
        Store::open_with(root, None, Box::new(FileSystemWrites))
    }

    /// Opens the store at `root`, with `shared_root` as a read-only second store and every write through `writes`;
    /// removes the session folders that ended processes left behind.
    pub fn open_with(
        root: &Path,
        shared_root: Option<&Path>,
        writes: Box<dyn StoreWrites>,
    ) -> Result<Store, StoreError> {
        // Absolute, because tools run in work folders with other working directories.
        let root = &std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
        let temporary_root = root.join("tmp");
        if !temporary_root.is_dir() {
            writes
                .create_folders(&temporary_root)
                .map_err(|error| StoreError::new("create the build store", root, error))?;
        }
        if let Some(shared) = shared_root {
            if !shared.is_dir() {
                return Err(StoreError::new(
                    "use the shared store (GLIA_SHARED_STORE)",
                    shared,
                    std::io::Error::new(std::io::ErrorKind::NotFound, "it is not a folder"),
                ));
            }
        }
        remove_abandoned_sessions(&temporary_root);
        Ok(Store {
            inner: Arc::new(StoreInner {
                root: root.to_path_buf(),
                shared_root: shared_root.map(|shared| {
                    std::path::absolute(shared).unwrap_or_else(|_| shared.to_path_buf())
                }),
                writes,
                session: Mutex::new(None),
                rejected: Mutex::new(Vec::new()),
            }),
        })
    }

    pub fn root(&self) -> &Path {
        &self.inner.root
    }

    pub fn shared_root(&self) -> Option<&Path> {
        self.inner.shared_root.as_deref()
    }

    /// Removes every entry of the store and the other folders glia keeps beside them (`environments`, the Python
    /// stand-in, …), leaving anything else in the root alone (in case it is not a folder of glia's own), and `tmp`,
    /// whose session folders belong to running processes (ended ones are removed when a store opens). The shared
    /// store is never touched. Returns the bytes freed.
    pub fn clear(&self) -> std::io::Result<u64> {
        let mut freed = 0;
        for entry in fs::read_dir(self.root())?.flatten() {
            let path = entry.path();
            if !path.is_dir() || entry.file_name() == "tmp" || !is_glia_folder(&path) {
                continue;
            }
            freed += folder_size(&path);
            fs::remove_dir_all(&path)?;
        }
        Ok(freed)
    }

    /// Where the entry of `kind` and `key` lives in the user's store (whether or not it exists).
    pub fn entry_path(&self, kind: &str, key: &StoreKey, extension: &str) -> PathBuf {
        self.inner
            .root
            .join(entry_relative_path(kind, key, extension))
    }

    /// The entry's path if it is in the user's store and matches its checksum, or if it is in the shared store,
    /// matches its checksum there and could be copied into the user's store. Entries that fail the check are
    /// noted and treated as absent.
    pub fn lookup(&self, kind: &str, key: &StoreKey, extension: &str) -> Option<PathBuf> {
        let relative = entry_relative_path(kind, key, extension);
        let target = self.inner.root.join(&relative);
        match verify_entry(&target, false) {
            Verified::Whole(_) => return Some(target),
            Verified::Absent => {}
            Verified::Refused(problem) => self.reject(&target, false, problem),
        }
        let shared = self.inner.shared_root.as_ref()?.join(&relative);
        match verify_entry(&shared, true) {
            Verified::Whole(Some(bytes)) => self.place_entry(&target, &bytes).ok().map(|()| target),
            Verified::Whole(None) | Verified::Absent => None,
            Verified::Refused(problem) => {
                self.reject(&shared, true, problem);
                None
            }
        }
    }

    /// Moves a finished product (a file in one of this store's work folders) into the store, checksum first.
    pub fn insert_file(
        &self,
        kind: &str,
        key: &StoreKey,
        extension: &str,
        product: &Path,
    ) -> Result<PathBuf, StoreError> {
        let bytes = fs::read(product)
            .map_err(|error| StoreError::new("read the product", product, error))?;
        let target = self.entry_path(kind, key, extension);
        self.create_entry_folder(&target)?;
        self.place(
            &checksum_path(&target),
            EntryChecksum::of(&bytes).to_text().as_bytes(),
        )?;
        match self.inner.writes.rename(product, &target) {
            Ok(()) => Ok(target),
            Err(error) if error.raw_os_error() == Some(CROSS_DEVICE_ERROR) => {
                self.place(&target, &bytes).map(|()| target)
            }
            Err(error) => Err(StoreError::new("move a product into", &target, error)),
        }
    }

    /// Writes a small entry (e.g. facts about a compiler) with its checksum.
    pub fn insert_bytes(
        &self,
        kind: &str,
        key: &StoreKey,
        extension: &str,
        contents: &[u8],
    ) -> Result<PathBuf, StoreError> {
        let target = self.entry_path(kind, key, extension);
        self.place_entry(&target, contents)?;
        Ok(target)
    }

    /// A fresh work folder for one build, removed when dropped.
    pub fn work_folder(&self) -> Result<WorkFolder, StoreError> {
        let session = self.session()?;
        let path = session.fresh_path("build");
        self.inner
            .writes
            .create_folders(&path)
            .map_err(|error| StoreError::new("create a work folder in", &path, error))?;
        Ok(WorkFolder {
            path,
            _session: session,
        })
    }

    /// Writes a file in a work folder (a generated source, a rewritten translation) whole or not at all: a file cut
    /// by a full disk must never reach a compiler.
    pub fn write_work_file(&self, target: &Path, contents: &[u8]) -> Result<(), StoreError> {
        self.place(target, contents)
    }

    /// Creates a folder (and its parents) inside a work folder.
    pub fn create_work_subfolder(&self, folder: &Path) -> Result<(), StoreError> {
        self.inner
            .writes
            .create_folders(folder)
            .map_err(|error| StoreError::new("create", folder, error))
    }

    /// Whether `folder` (a work folder) still takes a megabyte: a translator that meets a full disk may exit 0 with
    /// a cut file, so a build asks this after each translation, and stops with the disk's own error.
    pub fn ensure_room(&self, folder: &Path) -> Result<(), StoreError> {
        // In the session folder, which holds every work folder (one file system).
        let probe = self.session()?.fresh_path("room-probe");
        let written = self
            .inner
            .writes
            .write_new_file(&probe, &vec![0u8; ROOM_PROBE_BYTES]);
        let _ = fs::remove_file(&probe);
        written.map_err(|error| StoreError::new("write in", folder, error))
    }

    /// The entries refused so far (for `--verbose` and the JSON report).
    pub fn rejected_entries(&self) -> Vec<RejectedEntry> {
        lock(&self.inner.rejected).clone()
    }

    fn reject(&self, entry: &Path, shared: bool, problem: EntryProblem) {
        let rejected = RejectedEntry {
            entry: entry.to_path_buf(),
            shared,
            problem,
        };
        let mut list = lock(&self.inner.rejected);
        if !list.contains(&rejected) {
            list.push(rejected);
        }
    }

    fn session(&self) -> Result<Arc<Session>, StoreError> {
        let mut session = lock(&self.inner.session);
        if let Some(session) = session.as_ref() {
            return Ok(Arc::clone(session));
        }
        let temporary_root = self.inner.root.join("tmp");
        let started = Arc::new(
            Session::start(&temporary_root, self.inner.writes.as_ref()).map_err(|error| {
                StoreError::new("create a work folder in", &temporary_root, error)
            })?,
        );
        *session = Some(Arc::clone(&started));
        Ok(started)
    }

    fn create_entry_folder(&self, target: &Path) -> Result<(), StoreError> {
        let folder = target.parent().expect("an entry path has a folder");
        if folder.is_dir() {
            return Ok(());
        }
        self.inner
            .writes
            .create_folders(folder)
            .map_err(|error| StoreError::new("create", folder, error))
    }

    /// Writes an entry and its checksum (checksum first) from bytes.
    fn place_entry(&self, target: &Path, contents: &[u8]) -> Result<(), StoreError> {
        self.create_entry_folder(target)?;
        self.place(
            &checksum_path(target),
            EntryChecksum::of(contents).to_text().as_bytes(),
        )?;
        self.place(target, contents)
    }

    /// Writes `contents` to a new file in the session folder and renames it to `target`; nothing is left behind
    /// when either step fails.
    fn place(&self, target: &Path, contents: &[u8]) -> Result<(), StoreError> {
        let session = self.session()?;
        let staged = session.fresh_path("incoming");
        let writes = &self.inner.writes;
        writes
            .write_new_file(&staged, contents)
            .map_err(|error| StoreError::new("write", &staged, error))?;
        writes.rename(&staged, target).map_err(|error| {
            let _ = fs::remove_file(&staged);
            StoreError::new("write", target, error)
        })
    }
}

/// Whether `folder`, in a store's root, is one glia made: the environments' products, the Python stand-in, or a
/// kind of entries (only two-hexadecimal-digit shard folders in it).
fn is_glia_folder(folder: &Path) -> bool {
    let name = folder
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name == "environments" || name.starts_with("python-stand-in-") {
        return true;
    }
    let Ok(entries) = fs::read_dir(folder) else {
        return false;
    };
    entries.flatten().all(|entry| {
        let shard = entry.file_name().to_string_lossy().into_owned();
        entry.path().is_dir()
            && shard.len() == 2
            && shard.chars().all(|character| character.is_ascii_hexdigit())
    })
}

fn folder_size(folder: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(folder) else {
        return 0;
    };
    entries
        .flatten()
        .map(|entry| match entry.metadata() {
            Ok(metadata) if metadata.is_dir() => folder_size(&entry.path()),
            Ok(metadata) => metadata.len(),
            Err(_) => 0,
        })
        .sum()
}

/// `<kind>/<first two hex digits>/<key>.<extension>`
fn entry_relative_path(kind: &str, key: &StoreKey, extension: &str) -> PathBuf {
    Path::new(kind)
        .join(&key.as_str()[..2])
        .join(format!("{}.{extension}", key.as_str()))
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clearing_removes_glia_folders_only() {
        let root = tempfile::tempdir().unwrap();
        let store = Store::open(root.path()).unwrap();
        let key = KeyBuilder::new("test", 1).finish();
        store.insert_bytes("facts", &key, "json", b"{}").unwrap();
        fs::create_dir_all(root.path().join("environments/venv-1/neuron")).unwrap();
        fs::create_dir_all(root.path().join("photos")).unwrap();
        fs::write(root.path().join("photos/cat.jpg"), b"cat").unwrap();
        fs::write(root.path().join("selections.json"), b"{}").unwrap();
        assert!(store.clear().unwrap() >= 2);
        assert!(store.lookup("facts", &key, "json").is_none());
        assert!(!root.path().join("environments").exists());
        assert!(root.path().join("photos/cat.jpg").exists());
        assert!(root.path().join("selections.json").exists());
        assert!(root.path().join("tmp").is_dir());
    }

    #[test]
    fn keys_depend_on_every_field_and_its_framing() {
        let key = |fields: &[(&str, &str)]| {
            fields
                .iter()
                .fold(KeyBuilder::new("test", 1), |builder, (name, value)| {
                    builder.text_field(name, value)
                })
                .finish()
        };
        let base = key(&[("a", "bc")]);
        assert_eq!(base.as_str().len(), 64);
        assert_eq!(base, key(&[("a", "bc")]));
        assert_ne!(base, key(&[("a", "b"), ("c", "")]));
        assert_ne!(base, key(&[("ab", "c")]));
        assert_ne!(
            base,
            KeyBuilder::new("test", 2).text_field("a", "bc").finish()
        );
    }

    /// Every file under `folder`, relative, sorted.
    fn files_under(folder: &Path) -> Vec<String> {
        let mut files = Vec::new();
        let mut pending = vec![folder.to_path_buf()];
        while let Some(current) = pending.pop() {
            for entry in fs::read_dir(&current).unwrap().flatten() {
                if entry.path().is_dir() {
                    pending.push(entry.path());
                } else {
                    let relative = entry.path().strip_prefix(folder).unwrap().to_path_buf();
                    files.push(relative.display().to_string());
                }
            }
        }
        files.sort();
        files
    }

    #[test]
    fn products_are_moved_in_whole_with_their_checksum_and_found_again() {
        let root = tempfile::tempdir().unwrap();
        let store = Store::open(root.path()).unwrap();
        let key = KeyBuilder::new("test", 1).finish();
        assert!(store.lookup("object", &key, "o").is_none());
        let work = store.work_folder().unwrap();
        let product = work.path().join("x.o");
        fs::write(&product, b"object bytes").unwrap();
        let stored = store.insert_file("object", &key, "o", &product).unwrap();
        assert_eq!(store.lookup("object", &key, "o"), Some(stored.clone()));
        assert_eq!(fs::read(&stored).unwrap(), b"object bytes");
        assert!(checksum_path(&stored).is_file());
        assert!(!product.exists());
        store.insert_bytes("facts", &key, "json", b"{}").unwrap();
        assert!(store.lookup("facts", &key, "json").is_some());
        assert!(store.rejected_entries().is_empty());
        drop(work);
        drop(store);
        let prefix = &key.as_str()[..2];
        assert_eq!(
            files_under(root.path()),
            [
                format!("facts/{prefix}/{}.json", key.as_str()),
                format!("facts/{prefix}/{}.json.sum", key.as_str()),
                format!("object/{prefix}/{}.o", key.as_str()),
                format!("object/{prefix}/{}.o.sum", key.as_str()),
            ],
            "nothing temporary is left once the store is closed"
        );
    }

    #[test]
    fn a_damaged_entry_is_refused_noted_and_replaced() {
        let root = tempfile::tempdir().unwrap();
        let store = Store::open(root.path()).unwrap();
        let key = KeyBuilder::new("test", 1).finish();
        let stored = store
            .insert_bytes("object", &key, "o", b"a whole object")
            .unwrap();
        fs::write(&stored, b"a whole").unwrap();
        assert_eq!(store.lookup("object", &key, "o"), None);
        let rejected = store.rejected_entries();
        assert_eq!(rejected.len(), 1);
        assert!(!rejected[0].shared);
        assert!(
            rejected[0]
                .to_string()
                .contains("7 bytes long where 14 were stored"),
            "{}",
            rejected[0]
        );
        store
            .insert_bytes("object", &key, "o", b"a whole object")
            .unwrap();
        assert_eq!(store.lookup("object", &key, "o"), Some(stored));
    }

    #[test]
    fn the_shared_store_is_read_checked_and_copied_into_the_users() {
        let shared_root = tempfile::tempdir().unwrap();
        let shared = Store::open(shared_root.path()).unwrap();
        let good = KeyBuilder::new("test", 1).finish();
        let bad = KeyBuilder::new("test", 2).finish();
        shared.insert_bytes("object", &good, "o", b"good").unwrap();
        let damaged = shared.insert_bytes("object", &bad, "o", b"good").unwrap();
        fs::write(&damaged, b"evil").unwrap();
        drop(shared);
        let before = files_under(shared_root.path());

        let user_root = tempfile::tempdir().unwrap();
        let user = Store::open_with(
            user_root.path(),
            Some(shared_root.path()),
            Box::new(FileSystemWrites),
        )
        .unwrap();
        let found = user.lookup("object", &good, "o").unwrap();
        assert!(found.starts_with(user_root.path()), "{}", found.display());
        assert_eq!(fs::read(&found).unwrap(), b"good");
        assert_eq!(user.lookup("object", &bad, "o"), None);
        let rejected = user.rejected_entries();
        assert_eq!(rejected.len(), 1);
        assert!(rejected[0].shared && rejected[0].problem == EntryProblem::WrongHash);
        assert_eq!(
            files_under(shared_root.path()),
            before,
            "the shared store is only read"
        );
    }

    #[test]
    fn a_failing_write_at_any_point_leaves_no_entry_and_no_temporary_file() {
        // The writes: the session folder, its lock file, its rename; the work folder; the room probe; the entry's
        // folder; the checksum, its rename; the product's rename.
        const WRITES: usize = 9;
        for failing_from in 1..=WRITES + 1 {
            let root = tempfile::tempdir().unwrap();
            fs::create_dir(root.path().join("tmp")).unwrap();
            let store = Store::open_with(
                root.path(),
                None,
                Box::new(FailingWrites::new(failing_from, 28)),
            )
            .unwrap();
            let key = KeyBuilder::new("test", 1).finish();
            let outcome = store.work_folder().and_then(|work| {
                let product = work.path().join("x.o");
                fs::write(&product, b"object bytes").unwrap();
                store.ensure_room(work.path())?;
                store.insert_file("object", &key, "o", &product)
            });
            if failing_from > WRITES {
                assert!(outcome.is_ok(), "{outcome:?}");
                continue;
            }
            let error = outcome.expect_err("the write fails");
            assert_eq!(error.source.raw_os_error(), Some(28), "{error}");
            assert!(
                error.to_string().contains("No space left on device"),
                "{error}"
            );
            assert_eq!(store.lookup("object", &key, "o"), None);
            drop(store);
            let left: Vec<String> = files_under(root.path())
                .into_iter()
                .filter(|file| !file.ends_with(".sum"))
                .collect();
            assert!(left.is_empty(), "write {failing_from}: {left:?}");
        }
    }
}
