//! What the process benchmarks share: running a child to completion and reading its wall time and peak resident set
//! size from `wait4`'s rusage.

use std::process::Command;
use std::time::{Duration, Instant};

/// One finished child process.
pub struct Measured {
    pub wall: Duration,
    pub peak_rss_bytes: u64,
    /// The exit code, or `-signal` when a signal ended it.
    pub status: i32,
}

/// Runs `command` to completion, reaping it with `wait4` to get its peak resident set size.
pub fn run_measured(command: &mut Command) -> std::io::Result<Measured> {
    let start = Instant::now();
    let child = command.spawn()?;
    let pid = child.id() as libc::pid_t;
    let mut status: libc::c_int = 0;
    // SAFETY: `rusage` is plain old data; all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    loop {
        // SAFETY: `pid` is our own unreaped child; the out-pointers are valid for the call. `Child` is never waited
        // on afterwards (dropping it does not wait), so the pid is reaped exactly once.
        let reaped = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
        if reaped == pid {
            break;
        }
        let error = std::io::Error::last_os_error();
        if error.kind() != std::io::ErrorKind::Interrupted {
            return Err(error);
        }
    }
    let wall = start.elapsed();
    drop(child);
    let status = if libc::WIFEXITED(status) {
        libc::WEXITSTATUS(status)
    } else {
        -libc::WTERMSIG(status)
    };
    Ok(Measured {
        wall,
        // Linux reports `ru_maxrss` in KiB.
        peak_rss_bytes: usage.ru_maxrss.max(0) as u64 * 1024,
        status,
    })
}
