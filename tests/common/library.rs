//! What the fault tests check of products and stores: that a library is a complete ELF file (no truncation
//! anywhere: every segment and section the headers describe lies inside the file), digests, and the state of a
//! build store (which entries verify against their checksums, what temporary files are left).

#![allow(dead_code)] // Each test crate uses its own part of the shared helpers.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Checks that `bytes` are a whole 64-bit little-endian ELF file: the header, every program header's file range
/// and every section's file range (sections that occupy no file space aside) lie inside it. A file cut anywhere
/// after its header fails (the section header table comes last in what the linker writes).
pub fn check_complete_elf(bytes: &[u8]) -> Result<(), String> {
    let field = |offset: usize, size: usize| -> Result<u64, String> {
        let slice = bytes
            .get(offset..offset + size)
            .ok_or_else(|| format!("cut inside the headers ({} bytes)", bytes.len()))?;
        let mut value = 0u64;
        for (shift, byte) in slice.iter().enumerate() {
            value |= u64::from(*byte) << (8 * shift);
        }
        Ok(value)
    };
    if bytes.get(..6) != Some(b"\x7fELF\x02\x01") {
        return Err(format!(
            "not a 64-bit little-endian ELF file ({} bytes)",
            bytes.len()
        ));
    }
    let length = bytes.len() as u64;
    let inside = |start: u64, size: u64, what: &str| -> Result<(), String> {
        if start.checked_add(size).is_some_and(|end| end <= length) {
            Ok(())
        } else {
            Err(format!(
                "{what} at {start}+{size} runs past the end of the file ({length} bytes)"
            ))
        }
    };
    let (program_headers, program_header_size, program_header_count) =
        (field(0x20, 8)?, field(0x36, 2)?, field(0x38, 2)?);
    let (section_headers, section_header_size, section_header_count) =
        (field(0x28, 8)?, field(0x3A, 2)?, field(0x3C, 2)?);
    inside(
        program_headers,
        program_header_size * program_header_count,
        "the program header table",
    )?;
    inside(
        section_headers,
        section_header_size * section_header_count,
        "the section header table",
    )?;
    for index in 0..program_header_count {
        let header = (program_headers + index * program_header_size) as usize;
        inside(
            field(header + 0x08, 8)?,
            field(header + 0x20, 8)?,
            "a segment",
        )?;
    }
    const NO_FILE_SPACE: u64 = 8; // SHT_NOBITS
    for index in 0..section_header_count {
        let header = (section_headers + index * section_header_size) as usize;
        if field(header + 0x04, 4)? != NO_FILE_SPACE {
            inside(
                field(header + 0x18, 8)?,
                field(header + 0x20, 8)?,
                "a section",
            )?;
        }
    }
    Ok(())
}

/// Every file under `folder` (recursively), sorted; none when it does not exist.
pub fn files_under(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(current) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// The store entries of `kind` (e.g. `neuron-objects`) that match their checksum sidecars, and those that do not.
pub fn store_entries(store: &Path, kind: &str) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let mut whole = Vec::new();
    let mut broken = Vec::new();
    for file in files_under(&store.join(kind)) {
        if file.extension().is_some_and(|extension| extension == "sum") {
            continue;
        }
        let mut sum_name = file.file_name().unwrap().to_os_string();
        sum_name.push(".sum");
        let matches = std::fs::read_to_string(file.with_file_name(sum_name))
            .ok()
            .zip(std::fs::read(&file).ok())
            .is_some_and(|(sum, bytes)| {
                let hex: String = digest(&bytes)
                    .iter()
                    .map(|byte| format!("{byte:02x}"))
                    .collect();
                sum == format!("glia-store-entry 1 {} {hex}\n", bytes.len())
            });
        if matches {
            whole.push(file);
        } else {
            broken.push(file);
        }
    }
    (whole, broken)
}

/// Files in a store's `tmp/` (work folders and files on their way in): none once no build runs.
pub fn store_temporary_files(store: &Path) -> Vec<PathBuf> {
    let mut left = files_under(&store.join("tmp"));
    // Empty session folders count too.
    if let Ok(entries) = std::fs::read_dir(store.join("tmp")) {
        left.extend(entries.flatten().map(|entry| entry.path()));
    }
    left.sort();
    left.dedup();
    left
}

/// Files in `folder` (not recursively) that are temporary products or manifests of a build.
pub fn temporary_products(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp") || name.starts_with(".glia-manifest-"))
        .collect()
}

/// The mechanism names NEURON finds in `library` when it loads it (with `h.nrn_load_dll`, in the oracle venv's
/// Python): proof that the library is whole and usable, not only well-formed.
pub fn mechanisms_neuron_loads(library: &Path) -> Vec<String> {
    let code = "import sys\nfrom neuron import h\ndef names():\n    found = set()\n    for kind in (0, 1):\n        types = h.MechanismType(kind)\n        name = h.ref('')\n        for index in range(int(types.count())):\n            types.select(index)\n            types.selected(name)\n            found.add(name[0])\n    return found\nbefore = names()\nassert h.nrn_load_dll(sys.argv[1]) == 1, 'nrn_load_dll failed'\nprint('\\n'.join(sorted(names() - before)))\n";
    python_lines(code, library)
}

/// The mechanism names Arbor finds in the catalogue `library` (`arbor.load_catalogue`, in the oracle venv).
pub fn mechanisms_arbor_loads(library: &Path) -> Vec<String> {
    let code =
        "import sys, arbor\nprint('\\n'.join(sorted(arbor.load_catalogue(sys.argv[1]).keys())))\n";
    python_lines(code, library)
}

fn python_lines(code: &str, argument: &Path) -> Vec<String> {
    let output = std::process::Command::new(super::oracle_venv().join("bin/python"))
        .arg("-c")
        .arg(code)
        .arg(argument)
        .output()
        .expect("the oracle venv's python runs");
    assert!(
        output.status.success(),
        "loading {} failed:\n{}",
        argument.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}
