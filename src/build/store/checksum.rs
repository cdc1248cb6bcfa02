//! The checksum written beside every store entry, and the verification of an entry against it.
//!
//! An entry `<key>.<extension>` has a sidecar `<key>.<extension>.sum` holding one line,
//! `glia-store-entry 1 <length in bytes> <sha256 in hex>`, written (by rename) before the entry itself is renamed
//! into place. An entry is used only when its sidecar exists, parses, and both its length and its hash match: a
//! truncated object, a flipped byte, a file replaced by something else, or an entry from an older glia without a
//! sidecar is refused, so it is rebuilt rather than linked.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

const FORMAT_TAG: &str = "glia-store-entry 1";

/// What an entry must be: its length and its sha256.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EntryChecksum {
    pub length: u64,
    pub sha256: [u8; 32],
}

impl EntryChecksum {
    pub fn of(bytes: &[u8]) -> EntryChecksum {
        EntryChecksum {
            length: bytes.len() as u64,
            sha256: Sha256::digest(bytes).into(),
        }
    }

    /// The sidecar's text.
    pub fn to_text(self) -> String {
        format!("{FORMAT_TAG} {} {}\n", self.length, hex(&self.sha256))
    }

    /// Reads a sidecar's text; `None` if it is not one.
    pub fn parse(text: &str) -> Option<EntryChecksum> {
        let rest = text.strip_suffix('\n')?.strip_prefix(FORMAT_TAG)?;
        let mut words = rest.strip_prefix(' ')?.split(' ');
        let length = words.next()?.parse().ok()?;
        let digest = words.next()?;
        if words.next().is_some() || digest.len() != 64 {
            return None;
        }
        let mut sha256 = [0u8; 32];
        for (index, byte) in sha256.iter_mut().enumerate() {
            *byte = u8::from_str_radix(digest.get(index * 2..index * 2 + 2)?, 16).ok()?;
        }
        Some(EntryChecksum { length, sha256 })
    }
}

/// Where the sidecar of `entry` is.
pub fn checksum_path(entry: &Path) -> PathBuf {
    let mut name = entry.file_name().unwrap_or_default().to_os_string();
    name.push(".sum");
    entry.with_file_name(name)
}

/// Why an entry was not used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EntryProblem {
    /// No sidecar beside it (an older glia, or the sidecar was removed).
    MissingChecksum,
    /// The sidecar is not one glia wrote.
    UnreadableChecksum,
    /// Shorter or longer than recorded (e.g. truncated).
    WrongLength { expected: u64, found: u64 },
    /// The right length, other bytes.
    WrongHash,
    /// Not a regular file, or it cannot be read.
    Unreadable(String),
}

impl std::fmt::Display for EntryProblem {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EntryProblem::MissingChecksum => {
                formatter.write_str("it has no checksum file beside it")
            }
            EntryProblem::UnreadableChecksum => {
                formatter.write_str("its checksum file is not one glia wrote")
            }
            EntryProblem::WrongLength { expected, found } => write!(
                formatter,
                "it is {found} bytes long where {expected} were stored (truncated or overwritten)"
            ),
            EntryProblem::WrongHash => {
                formatter.write_str("its sha256 differs from the one stored with it (corrupted)")
            }
            EntryProblem::Unreadable(reason) => write!(formatter, "it cannot be read: {reason}"),
        }
    }
}

/// What looking at an entry found.
#[derive(Debug)]
pub enum Verified {
    /// No entry (nothing was ever stored under this key).
    Absent,
    /// The entry is whole; its bytes when they were asked for.
    Whole(Option<Vec<u8>>),
    /// There is an entry, but it must not be used.
    Refused(EntryProblem),
}

/// Checks `entry` against its sidecar by reading it through; with `keep_bytes`, returns what it read (so the bytes
/// used are the bytes checked).
pub fn verify_entry(entry: &Path, keep_bytes: bool) -> Verified {
    let mut file = match File::open(entry) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Verified::Absent,
        Err(error) => return Verified::Refused(EntryProblem::Unreadable(error.to_string())),
    };
    match file.metadata() {
        Ok(metadata) if metadata.is_file() => {}
        Ok(_) => {
            return Verified::Refused(EntryProblem::Unreadable("not a regular file".to_string()))
        }
        Err(error) => return Verified::Refused(EntryProblem::Unreadable(error.to_string())),
    }
    let expected = match std::fs::read_to_string(checksum_path(entry)) {
        Ok(text) => match EntryChecksum::parse(&text) {
            Some(checksum) => checksum,
            None => return Verified::Refused(EntryProblem::UnreadableChecksum),
        },
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Verified::Refused(EntryProblem::MissingChecksum)
        }
        Err(_) => return Verified::Refused(EntryProblem::UnreadableChecksum),
    };
    let mut hasher = Sha256::new();
    let mut kept = Vec::new();
    let mut length = 0u64;
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        match file.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => {
                hasher.update(&buffer[..read]);
                if keep_bytes {
                    kept.extend_from_slice(&buffer[..read]);
                }
                length += read as u64;
            }
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Verified::Refused(EntryProblem::Unreadable(error.to_string())),
        }
    }
    if length != expected.length {
        return Verified::Refused(EntryProblem::WrongLength {
            expected: expected.length,
            found: length,
        });
    }
    if <[u8; 32]>::from(hasher.finalize()) != expected.sha256 {
        return Verified::Refused(EntryProblem::WrongHash);
    }
    Verified::Whole(keep_bytes.then_some(kept))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_round_trip_and_odd_texts_are_refused() {
        let checksum = EntryChecksum::of(b"object bytes");
        let text = checksum.to_text();
        assert!(text.starts_with("glia-store-entry 1 12 "), "{text}");
        assert_eq!(EntryChecksum::parse(&text), Some(checksum));
        for odd in [
            "",
            "glia-store-entry 1 12\n",
            &text.replace("entry 1", "entry 2"),
            &text[..text.len() - 1],
            &text.replace(" 12 ", " twelve "),
            &format!("{} extra\n", text.trim_end()),
            &text.replacen('a', "g", 1),
        ] {
            assert_eq!(EntryChecksum::parse(odd), None, "{odd:?}");
        }
    }

    #[test]
    fn entries_are_verified_against_their_sidecar() {
        let folder = tempfile::tempdir().unwrap();
        let entry = folder.path().join("key.o");
        assert!(matches!(verify_entry(&entry, false), Verified::Absent));
        std::fs::write(&entry, b"object bytes").unwrap();
        assert!(matches!(
            verify_entry(&entry, false),
            Verified::Refused(EntryProblem::MissingChecksum)
        ));
        std::fs::write(
            checksum_path(&entry),
            EntryChecksum::of(b"object bytes").to_text(),
        )
        .unwrap();
        match verify_entry(&entry, true) {
            Verified::Whole(Some(bytes)) => assert_eq!(bytes, b"object bytes"),
            other => panic!("{other:?}"),
        }
        std::fs::write(&entry, b"object").unwrap();
        assert!(matches!(
            verify_entry(&entry, false),
            Verified::Refused(EntryProblem::WrongLength {
                expected: 12,
                found: 6
            })
        ));
        std::fs::write(&entry, b"object bytez").unwrap();
        assert!(matches!(
            verify_entry(&entry, false),
            Verified::Refused(EntryProblem::WrongHash)
        ));
        std::fs::remove_file(&entry).unwrap();
        std::fs::create_dir(&entry).unwrap();
        assert!(matches!(
            verify_entry(&entry, false),
            Verified::Refused(EntryProblem::Unreadable(_))
        ));
    }
}
