//! The JavaScript runtime: one long-lived Node process (`runtime/host.js`)
//! spoken to with newline-delimited JSON: requests on its stdin, replies on a
//! pipe of their own (src/replies.rs). Many invocations are in flight at once,
//! matched by id. If the host dies, every in-flight invocation fails with
//! FUNCTION_INVOCATION_FAILED (FUNCTION_STATUS_ABNORMAL if it never got ready)
//! and the next call starts a fresh host. A function that returns an async
//! iterable streams: the host sends its events one by one (`Reply::Chunk`)
//! until the end.

use std::collections::HashMap;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::process::Command;
use tokio::sync::mpsc;
use tokio::time::{Instant, Sleep};

/// What an invocation produced.
#[derive(Debug)]
pub enum Outcome {
    /// `text == true`: the function returned a string (text/plain).
    Ok { text: bool, body: String },
    /// A stream ended normally.
    End,
    Err { code: String, message: String },
}

impl Outcome {
    fn err(code: &str, message: impl Into<String>) -> Self {
        Outcome::Err { code: code.to_string(), message: message.into() }
    }
}

/// What the host says about an invocation, in order.
#[derive(Debug)]
pub enum Reply {
    /// `main` returned an async iterable: events follow.
    Stream,
    /// One server-sent event, formatted by the host (it ends with a blank line).
    Chunk(String),
    /// The invocation is over; nothing follows.
    Done(Outcome),
}

struct Slot {
    tx: mpsc::UnboundedSender<Reply>,
    /// Dropped when the host reports the end, not when the caller goes away: what a running
    /// stream holds (its concurrency permit, its place in the live count).
    hold: Option<Box<dyn Send>>,
}

type Pending = HashMap<u64, Slot>;

struct Host {
    pid: u32,
    tx: mpsc::UnboundedSender<Vec<u8>>,
    /// `None` once the host is gone: no new invocation may be registered.
    pending: Mutex<Option<Pending>>,
    alive: AtomicBool,
    /// Whether the host sent its ready line: a host that exits before is a runtime that cannot
    /// start (a bad `CLOUDBASE_FN_EMULATOR_NODE`), not a failed invocation.
    ready: AtomicBool,
}

impl Host {
    /// The answer to invocations the host will never run, because it has exited.
    fn gone(&self, node: &Path) -> Outcome {
        if self.ready.load(Ordering::Acquire) {
            Outcome::err("FUNCTION_INVOCATION_FAILED", "the function runtime exited during the invocation")
        } else {
            Outcome::err(
                "FUNCTION_STATUS_ABNORMAL",
                format!("the function runtime ({}) exited before it was ready", node.display()),
            )
        }
    }
}

pub struct Runtime {
    node: PathBuf,
    script: PathBuf,
    host: Mutex<Option<Arc<Host>>>,
    next_id: AtomicU64,
    /// Invocations whose client went away before the end (the stats' `left`).
    left: Arc<AtomicU64>,
}

pub struct Invocation<'a> {
    pub dir: &'a Path,
    pub timeout_ms: u64,
    pub memory_mb: u64,
    /// Serialized JSON object.
    pub context: String,
    /// A validated JSON object (UTF-8), possibly spanning lines.
    pub event: &'a [u8],
}

impl Runtime {
    pub fn new() -> std::io::Result<Runtime> {
        let node = std::env::var_os("CLOUDBASE_FN_EMULATOR_NODE")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("node"));
        let script = crate::replies::write_host_script()?;
        Ok(Runtime { node, script, host: Mutex::new(None), next_id: AtomicU64::new(1), left: Arc::default() })
    }

    /// Process id of the current host, if one is running.
    pub fn host_pid(&self) -> Option<u32> {
        let g = self.host.lock().unwrap();
        g.as_ref().filter(|h| h.alive.load(Ordering::Acquire)).map(|h| h.pid)
    }

    /// Invocations the host is running: sent to it and not yet reported ended (the stats' `running`,
    /// which tests wait on instead of sleeping).
    pub fn running(&self) -> usize {
        let g = self.host.lock().unwrap();
        g.as_ref().and_then(|h| h.pending.lock().unwrap().as_ref().map(HashMap::len)).unwrap_or(0)
    }

    /// How many invocations' clients went away before the end.
    pub fn left(&self) -> u64 {
        self.left.load(Ordering::Relaxed)
    }

    /// Kills the host (used on shutdown).
    pub fn kill(&self) {
        if let Some(h) = self.host.lock().unwrap().take() {
            // SAFETY: plain kill(2) on the pid of our own child.
            unsafe {
                libc::kill(h.pid as libc::pid_t, libc::SIGKILL);
            }
        }
    }

    /// Starts the host now (it is also started lazily by `invoke`).
    pub fn start(&self) -> Result<(), String> {
        self.ensure_host().map(|_| ())
    }

    /// Returns a live host, starting one when there is none.
    fn ensure_host(&self) -> Result<Arc<Host>, String> {
        let mut g = self.host.lock().unwrap();
        if let Some(h) = g.as_ref() {
            if h.alive.load(Ordering::Acquire) {
                return Ok(h.clone());
            }
        }
        let h = self.spawn_host()?;
        *g = Some(h.clone());
        Ok(h)
    }

    fn spawn_host(&self) -> Result<Arc<Host>, String> {
        let cannot = |e: std::io::Error| format!("cannot start the Node runtime ({}): {e}", self.node.display());
        let mut cmd = Command::new(&self.node);
        cmd.arg(&self.script)
            .stdin(Stdio::piped())
            // What functions write to fd 1 goes where their console output goes.
            .stdout(std::io::stderr())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            // Own process group: a Ctrl-C in the terminal reaches only the
            // emulator, which then kills the host itself.
            .process_group(0);
        let (replies, write_end) = crate::replies::attach(&mut cmd).map_err(cannot)?;
        let mut child = cmd.spawn().map_err(cannot)?;
        drop(write_end); // the host holds it now: its exit closes the channel
        let pid = child.id().unwrap_or(0);
        let mut stdin = child.stdin.take().expect("piped stdin");
        let (tx, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
        let host = Arc::new(Host {
            pid,
            tx,
            pending: Mutex::new(Some(HashMap::new())),
            alive: AtomicBool::new(true),
            ready: AtomicBool::new(false),
        });

        // Writer: batches queued messages into as few writes as possible.
        tokio::spawn(async move {
            let mut buf = Vec::with_capacity(64 * 1024);
            while let Some(msg) = rx.recv().await {
                buf.clear();
                buf.extend_from_slice(&msg);
                while let Ok(more) = rx.try_recv() {
                    buf.extend_from_slice(&more);
                }
                if stdin.write_all(&buf).await.is_err() || stdin.flush().await.is_err() {
                    break;
                }
            }
        });

        // Reader: routes replies; once the host is gone, fails everything still in flight.
        let h = host.clone();
        let node = self.node.clone();
        tokio::spawn(async move {
            crate::replies::read(replies, &mut child, |line| {
                let Some((id, reply)) = parse_reply(line) else { return };
                if id == 0 {
                    h.ready.store(true, Ordering::Release);
                    return;
                }
                let mut g = h.pending.lock().unwrap();
                let Some(p) = g.as_mut() else { return };
                if matches!(reply, Reply::Done(_)) {
                    let slot = p.remove(&id);
                    drop(g); // the slot's hold is released outside the lock
                    if let Some(slot) = slot {
                        let _ = slot.tx.send(reply);
                    }
                } else if let Some(slot) = p.get(&id) {
                    let _ = slot.tx.send(reply);
                }
            })
            .await;
            let drained = {
                let mut p = h.pending.lock().unwrap();
                h.alive.store(false, Ordering::Release);
                p.take()
            };
            for (_, slot) in drained.into_iter().flatten() {
                let _ = slot.tx.send(Reply::Done(h.gone(&node)));
            }
            if !h.ready.load(Ordering::Acquire) {
                eprintln!("warning: the Node runtime ({}) exited before it was ready", node.display());
            }
            let _ = child.kill().await;
        });
        Ok(host)
    }

    /// Starts an invocation; its replies are read from the returned `Call`.
    pub fn call(&self, inv: Invocation<'_>) -> Result<Call, Outcome> {
        let host = self.ensure_host().map_err(|e| Outcome::err("FUNCTION_STATUS_ABNORMAL", e))?;
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (tx, rx) = mpsc::unbounded_channel();
        match host.pending.lock().unwrap().as_mut() {
            Some(p) => p.insert(id, Slot { tx, hold: None }),
            None => return Err(host.gone(&self.node)),
        };
        // The host enforces the time limit itself (terminating the worker);
        // this is a backstop in case the host stops answering.
        // (cold start allowance in host.js + margin)
        let guard = Duration::from_millis(inv.timeout_ms + 12_000);
        let call = Call {
            host: host.clone(),
            left: self.left.clone(),
            id,
            rx,
            done: false,
            timeout_ms: inv.timeout_ms,
            guard,
            waiting: false,
            deadline: Box::pin(tokio::time::sleep(guard)),
        };

        // Build the message by hand: the event is already validated JSON. Raw
        // CR/LF bytes can only be whitespace in valid JSON, so blank them to
        // keep the message on one line.
        let dir = serde_json::to_string(&inv.dir.to_string_lossy()).unwrap_or_default();
        let mut msg = Vec::with_capacity(inv.event.len() + inv.context.len() + dir.len() + 96);
        msg.extend_from_slice(
            format!(
                "{{\"id\":{id},\"dir\":{dir},\"timeoutMs\":{},\"memoryMb\":{},\"context\":{},\"event\":",
                inv.timeout_ms, inv.memory_mb, inv.context
            )
            .as_bytes(),
        );
        msg.extend(inv.event.iter().map(|&b| if b == b'\n' || b == b'\r' { b' ' } else { b }));
        msg.extend_from_slice(b"}\n");
        if host.tx.send(msg).is_err() {
            return Err(Outcome::err("FUNCTION_INVOCATION_FAILED", "the function runtime is not running"));
        }
        Ok(call)
    }
}

/// One invocation in flight. Dropping it before the end (the client went away) tells the host,
/// which stops a streaming function.
pub struct Call {
    host: Arc<Host>,
    left: Arc<AtomicU64>,
    id: u64,
    rx: mpsc::UnboundedReceiver<Reply>,
    done: bool,
    timeout_ms: u64,
    guard: Duration,
    /// Whether the last poll found nothing: `deadline` then counts from that poll, so time spent
    /// while nobody asks (a client slow to read) never counts.
    waiting: bool,
    deadline: Pin<Box<Sleep>>,
}

impl Call {
    pub async fn next(&mut self) -> Reply {
        std::future::poll_fn(|cx| self.poll_next(cx)).await
    }

    /// The next reply; `Done` is the last one.
    pub fn poll_next(&mut self, cx: &mut Context<'_>) -> Poll<Reply> {
        if self.done {
            return Poll::Ready(Reply::Done(Outcome::End));
        }
        let reply = match self.rx.poll_recv(cx) {
            Poll::Ready(Some(reply)) => reply,
            Poll::Ready(None) => Reply::Done(Outcome::err(
                "FUNCTION_INVOCATION_FAILED",
                "the function runtime exited during the invocation",
            )),
            Poll::Pending => {
                if !self.waiting {
                    self.waiting = true;
                    let at = Instant::now() + self.guard;
                    self.deadline.as_mut().reset(at);
                }
                if self.deadline.as_mut().poll(cx).is_pending() {
                    return Poll::Pending;
                }
                // The host stopped answering for this invocation: whatever it holds (its
                // concurrency slot) must not stay taken for ever.
                let slot = self.host.pending.lock().unwrap().as_mut().and_then(|p| p.remove(&self.id));
                drop(slot);
                Reply::Done(Outcome::err(
                    "FUNCTION_TIME_LIMIT_EXCEEDED",
                    format!("function exceeded its time limit of {} ms", self.timeout_ms),
                ))
            }
        };
        self.waiting = false;
        self.done = matches!(reply, Reply::Done(_));
        Poll::Ready(reply)
    }

    /// Keeps `hold` (besides anything held already) until the host reports the end of the
    /// invocation, or dies; dropped at once if that has happened.
    pub fn hold_until_end(&self, hold: Box<dyn Send>) {
        let mut g = self.host.pending.lock().unwrap();
        if let Some(slot) = g.as_mut().and_then(|p| p.get_mut(&self.id)) {
            slot.hold = Some(match slot.hold.take() {
                Some(held) => Box::new((held, hold)),
                None => hold,
            });
        }
    }

    /// Tells the host that one streamed event reached the client's socket (flow control).
    pub fn ack(&self) {
        let _ = self.host.tx.send(format!("{{\"id\":{},\"ack\":1}}\n", self.id).into_bytes());
    }
}

impl Drop for Call {
    fn drop(&mut self) {
        if !self.done {
            let _ = self.host.tx.send(format!("{{\"id\":{},\"cancel\":true}}\n", self.id).into_bytes());
            self.left.fetch_add(1, Ordering::Relaxed);
        }
        let mut g = self.host.pending.lock().unwrap();
        if let Some(p) = g.as_mut() {
            // An invocation holding something (its concurrency slot) stays registered until the
            // host reports that it stopped.
            if p.get(&self.id).is_some_and(|slot| slot.hold.is_none()) {
                p.remove(&self.id);
            }
        }
    }
}

fn parse_reply(line: &str) -> Option<(u64, Reply)> {
    let v: serde_json::Value = serde_json::from_str(line).ok()?;
    let id = v.get("id")?.as_u64()?;
    if id == 0 {
        return Some((0, Reply::Done(Outcome::End))); // the host's "ready" line
    }
    if let Some(chunk) = v.get("chunk").and_then(|x| x.as_str()) {
        return Some((id, Reply::Chunk(chunk.to_string())));
    }
    if v.get("stream").and_then(|x| x.as_bool()) == Some(true) {
        return Some((id, Reply::Stream));
    }
    let s = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or_default().to_string();
    let outcome = if v.get("ok").and_then(|x| x.as_bool()) == Some(true) {
        match v.get("type").and_then(|x| x.as_str()) {
            Some("end") => Outcome::End,
            t => Outcome::Ok { text: t == Some("text"), body: s("body") },
        }
    } else {
        let code = s("code");
        Outcome::Err {
            code: if code.is_empty() { "FUNCTION_INVOCATION_FAILED".into() } else { code },
            message: s("message"),
        }
    };
    Some((id, Reply::Done(outcome)))
}
