//! The content-addressed store: build products (objects, precompiled headers, facts about compilers) filed under
//! a key that is the sha256 of everything that determines them.
//!
//! Layout: `<root>/<kind>/<first two hex digits>/<key>.<extension>`, with `<root>/tmp/` holding the work folders of
//! running builds (same file system, so a finished product is moved into place by a rename). An entry appears
//! whole or not at all, so several builds — several shells, several MPI ranks, several machines on a shared
//! `GLIA_CACHE_DIR` — can fill one store at once without locks: two builds of one key write the same bytes, and the
//! later rename wins harmlessly. The root is `$GLIA_CACHE_DIR`, else `$XDG_CACHE_HOME/glia`, else
//! `~/.cache/glia`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use sha2::{Digest, Sha256};

/// How old a leftover work folder must be before a build removes it (the build that made it was killed).
const STALE_WORK_FOLDER_AGE: Duration = Duration::from_secs(24 * 60 * 60);

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

/// An open store.
#[derive(Clone, Debug)]
pub struct Store {
    root: PathBuf,
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

    /// Opens (creating if needed) the store at `root`, and removes work folders that killed builds left behind.
    pub fn open(root: &Path) -> std::io::Result<Store> {
        fs::create_dir_all(root.join("tmp")).map_err(|error| {
            std::io::Error::new(
                error.kind(),
                format!("cannot create the build store {}: {error}", root.display()),
            )
        })?;
        let store = Store {
            root: root.to_path_buf(),
        };
        store.remove_stale_work_folders();
        Ok(store)
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Where the entry of `kind` and `key` lives (whether or not it exists).
    pub fn entry_path(&self, kind: &str, key: &StoreKey, extension: &str) -> PathBuf {
        self.root
            .join(kind)
            .join(&key.as_str()[..2])
            .join(format!("{}.{extension}", key.as_str()))
    }

    /// The entry's path if it exists.
    pub fn lookup(&self, kind: &str, key: &StoreKey, extension: &str) -> Option<PathBuf> {
        let path = self.entry_path(kind, key, extension);
        path.is_file().then_some(path)
    }

    /// Moves a finished product (a file in one of this store's work folders) into the store.
    pub fn insert_file(
        &self,
        kind: &str,
        key: &StoreKey,
        extension: &str,
        product: &Path,
    ) -> std::io::Result<PathBuf> {
        let target = self.entry_path(kind, key, extension);
        let folder = target.parent().expect("an entry path has a folder");
        fs::create_dir_all(folder)?;
        if fs::rename(product, &target).is_err() {
            // Another file system (a work folder elsewhere): copy to a temporary name beside the target first.
            let temporary = tempfile::Builder::new()
                .prefix(".incoming-")
                .tempfile_in(folder)?;
            fs::copy(product, temporary.path())?;
            temporary.persist(&target).map_err(|error| error.error)?;
        }
        Ok(target)
    }

    /// Writes a small entry (e.g. facts about a compiler) atomically.
    pub fn insert_bytes(
        &self,
        kind: &str,
        key: &StoreKey,
        extension: &str,
        contents: &[u8],
    ) -> std::io::Result<PathBuf> {
        let target = self.entry_path(kind, key, extension);
        let folder = target.parent().expect("an entry path has a folder");
        fs::create_dir_all(folder)?;
        let mut temporary = tempfile::Builder::new()
            .prefix(".incoming-")
            .tempfile_in(folder)?;
        temporary.write_all(contents)?;
        temporary.as_file().sync_all()?;
        temporary.persist(&target).map_err(|error| error.error)?;
        Ok(target)
    }

    /// A fresh work folder for one build, removed when dropped.
    pub fn work_folder(&self) -> std::io::Result<tempfile::TempDir> {
        tempfile::Builder::new()
            .prefix("build-")
            .tempdir_in(self.root.join("tmp"))
    }

    /// Removes every entry of the store and the other folders glia keeps beside them (`tmp`, `environments`, …),
    /// leaving anything else in the root alone (in case it is not a folder of glia's own). Returns the bytes freed.
    pub fn clear(&self) -> std::io::Result<u64> {
        let mut freed = 0;
        for entry in fs::read_dir(&self.root)?.flatten() {
            let path = entry.path();
            if !path.is_dir() || !is_glia_folder(&path) {
                continue;
            }
            freed += folder_size(&path);
            fs::remove_dir_all(&path)?;
        }
        fs::create_dir_all(self.root.join("tmp"))?;
        Ok(freed)
    }

    fn remove_stale_work_folders(&self) {
        let Ok(entries) = fs::read_dir(self.root.join("tmp")) else {
            return;
        };
        let now = SystemTime::now();
        for entry in entries.flatten() {
            let is_stale = entry
                .metadata()
                .and_then(|metadata| metadata.modified())
                .ok()
                .and_then(|modified| now.duration_since(modified).ok())
                .is_some_and(|age| age > STALE_WORK_FOLDER_AGE);
            if is_stale {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// Whether `folder`, in a store's root, is one glia made: its work folders, the environments' products, the Python
/// stand-in, or a kind of entries (only two-hexadecimal-digit shard folders in it).
fn is_glia_folder(folder: &Path) -> bool {
    let name = folder
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    if matches!(name.as_str(), "tmp" | "environments") || name.starts_with("python-stand-in-") {
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

    #[test]
    fn products_are_moved_in_whole_and_found_again() {
        let root = tempfile::tempdir().unwrap();
        let store = Store::open(root.path()).unwrap();
        let key = KeyBuilder::new("test", 1).finish();
        assert!(store.lookup("object", &key, "o").is_none());
        let work = store.work_folder().unwrap();
        let product = work.path().join("x.o");
        fs::write(&product, b"object bytes").unwrap();
        let stored = store.insert_file("object", &key, "o", &product).unwrap();
        assert_eq!(store.lookup("object", &key, "o"), Some(stored.clone()));
        assert_eq!(fs::read(stored).unwrap(), b"object bytes");
        assert!(!product.exists());
        store.insert_bytes("facts", &key, "json", b"{}").unwrap();
        assert!(store.lookup("facts", &key, "json").is_some());
    }
}
