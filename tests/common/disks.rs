//! Real small and read-only file systems for the fault tests: a tmpfs of a chosen size, mounted on a temporary
//! folder, that can be turned read-only. Mounting needs privileges (root, or CAP_SYS_ADMIN); [`SmallDisk::mount`]
//! says at run time whether this machine allows it, and the tests fall back to the store's write seam when not.

#![allow(dead_code)] // Each test crate uses its own part of the shared helpers.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A mounted tmpfs, unmounted when dropped.
pub struct SmallDisk {
    pub folder: PathBuf,
    _holder: tempfile::TempDir,
}

impl SmallDisk {
    /// Mounts a tmpfs of `kibibytes` on a new temporary folder; `Err` with the reason when this machine does not
    /// allow it.
    pub fn mount(kibibytes: u64) -> Result<SmallDisk, String> {
        let holder = tempfile::tempdir().map_err(|error| error.to_string())?;
        let folder = holder.path().join("disk");
        std::fs::create_dir(&folder).map_err(|error| error.to_string())?;
        let output = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={kibibytes}k,mode=0755"),
                "tmpfs",
            ])
            .arg(&folder)
            .output()
            .map_err(|error| format!("cannot run mount: {error}"))?;
        if !output.status.success() {
            return Err(format!(
                "mount -t tmpfs refused: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Ok(SmallDisk {
            folder,
            _holder: holder,
        })
    }

    /// Makes the file system read-only (or writable again).
    pub fn set_read_only(&self, read_only: bool) {
        let option = if read_only {
            "remount,ro"
        } else {
            "remount,rw"
        };
        let status = Command::new("mount")
            .args(["-o", option])
            .arg(&self.folder)
            .status()
            .expect("mount runs");
        assert!(status.success(), "mount -o {option} failed");
    }

    /// Fills the disk until fewer than `kibibytes` are free, with a file `filler` that [`SmallDisk::free`]
    /// removes.
    pub fn fill_leaving(&self, kibibytes: u64) {
        let filler = self.folder.join("filler");
        let free = free_kibibytes(&self.folder);
        let size = free.saturating_sub(kibibytes) * 1024;
        // A write that meets the end of the disk stops there, which is as full as it gets.
        let _ = std::fs::write(&filler, vec![0u8; size as usize]);
    }

    pub fn free(&self) {
        let _ = std::fs::remove_file(self.folder.join("filler"));
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.folder).status();
    }
}

/// The space free in the file system holding `folder`, from `df` (so no libc call is needed).
pub fn free_kibibytes(folder: &Path) -> u64 {
    let output = Command::new("df")
        .args(["-k", "--output=avail"])
        .arg(folder)
        .output()
        .expect("df runs");
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .nth(1)
        .and_then(|line| line.trim().parse().ok())
        .expect("df prints the free space")
}

/// Whether this process runs as root (who may write even to a folder without write permission).
pub fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).trim() == "0")
}
