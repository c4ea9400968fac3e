//! The host's reply channel: a pipe of its own, fd 3 in the host (runtime/host.js writes its
//! replies there). Replies used to share the host's stdout with the functions, so a function's
//! `fs.writeSync(1, "partial")` glued onto the next reply, which was lost. The host's fd 1 now
//! goes where function logs go, the emulator's stderr. Also: the host script's file.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::PathBuf;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::net::unix::pipe;
use tokio::process::{Child, Command};

/// The host and, after it, the worker side it starts as its threads (one file: `new Worker(__filename)`).
const HOST_JS: &str = concat!(include_str!("../runtime/host.js"), include_str!("../runtime/worker.js"));

/// The host's end of the channel (host.js `REPLY_FD`).
const REPLY_FD: i32 = 3;

/// After the host has exited, how long replies it wrote just before may still be read.
const AFTER_EXIT: Duration = Duration::from_millis(200);

/// Gives `cmd` the write end of a new pipe as fd 3; returns the read end. The caller must drop
/// `cmd` (or spawn it) so that only the child holds the write end.
pub fn attach(cmd: &mut Command) -> std::io::Result<(pipe::Receiver, OwnedFd)> {
    let mut fds = [0; 2];
    // SAFETY: pipe2 fills `fds` with two new descriptors, owned from here on.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: both descriptors were just created and are not owned elsewhere.
    let (read, write) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let w = write.as_raw_fd();
    // SAFETY: only async-signal-safe calls (dup2, fcntl) between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            // dup2 leaves the copy without O_CLOEXEC, so it survives exec; if the pipe already
            // is fd 3, clear the flag instead.
            let ok = if w == REPLY_FD {
                libc::fcntl(w, libc::F_SETFD, 0) == 0
            } else {
                libc::dup2(w, REPLY_FD) == REPLY_FD
            };
            if ok { Ok(()) } else { Err(std::io::Error::last_os_error()) }
        });
    }
    Ok((pipe::Receiver::from_owned_fd(read)?, write))
}

/// Calls `on_line` with each line the host writes, until the channel closes or the host has
/// exited (a process the host started could keep the pipe open after it).
pub async fn read(replies: pipe::Receiver, child: &mut Child, mut on_line: impl FnMut(&str)) {
    let mut lines = BufReader::with_capacity(64 * 1024, replies).lines();
    let mut exited = false;
    let mut deadline = tokio::time::Instant::now();
    loop {
        tokio::select! {
            line = lines.next_line() => match line {
                Ok(Some(line)) => on_line(&line),
                _ => return,
            },
            _ = child.wait(), if !exited => {
                exited = true;
                deadline = tokio::time::Instant::now() + AFTER_EXIT;
            }
            _ = tokio::time::sleep_until(deadline), if exited => return,
        }
    }
}

/// Writes the embedded host script to a content-addressed temp file (atomic
/// rename, so concurrent emulators never see a half-written script).
pub fn write_host_script() -> std::io::Result<PathBuf> {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in HOST_JS.bytes() {
        hash ^= b as u64;
        hash = hash.wrapping_mul(0x100_0000_01b3);
    }
    let dir = std::env::temp_dir();
    let path = dir.join(format!("cloudbase-fn-emulator-host-{hash:016x}.js"));
    if std::fs::read_to_string(&path).map(|s| s == HOST_JS).unwrap_or(false) {
        return Ok(path);
    }
    let tmp = dir.join(format!("cloudbase-fn-emulator-host-{hash:016x}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, HOST_JS)?;
    std::fs::rename(&tmp, &path)?;
    Ok(path)
}
