//! HTTP handling: routing, auth, CORS, request ids, body validation, function
//! resolution and the built-in fault functions.

use std::cell::Cell;
use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, SystemTime};

use hyper::body::{Body as HttpBody, Bytes, Frame, Incoming, SizeHint};
use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{json, Value};
use tokio::sync::Semaphore;

use crate::runtime::{Invocation, Outcome, Runtime};

/// Largest accepted request body (the real gateway limits it too).
pub const MAX_BODY: usize = 6 * 1024 * 1024;

/// Default per-function settings (overridden by `config.json`).
const DEFAULT_TIMEOUT_MS: u64 = 3000;
const DEFAULT_MEMORY_MB: u64 = 128;
const DEFAULT_CONCURRENCY: usize = 64;

/// The one table mapping error codes to HTTP statuses.
pub fn status_of(code: &str) -> u16 {
    match code {
        "FUNCTION_NOT_FOUND" | "FUNCTION_QUALIFIER_NOT_FOUND" | "NOT_FOUND" => 404,
        "FUNCTION_PARAM_INVALID"
        | "FUNCTION_INVOCATION_FAILED"
        | "FUNCTION_TIME_LIMIT_EXCEEDED"
        | "FUNCTION_MEMORY_LIMIT_EXCEEDED"
        | "INVALID_PARAM" => 400,
        "MISSING_CREDENTIALS" | "INVALID_ACCESS_TOKEN" | "ACCESS_TOKEN_EXPIRED" | "SIGN_PARAM_INVALID" => 401,
        // Documented under 403 (docs.cloudbase.net/error-code/semantic-http-status); the
        // emulator sends it for anonymous and publishable-key tokens with --deny-anonymous.
        "ACTION_FORBIDDEN" => 403,
        // The status is not established (the docs give only the code); 413 is HTTP's own.
        "EXCEED_MAX_PAYLOAD_SIZE" => 413,
        "METHOD_NOT_ALLOWED" => 405,
        "FUNCTION_EXCEED_RESOURCE_LIMIT" => 429,
        "FUNCTION_STATUS_ABNORMAL" => 500,
        _ => 500,
    }
}

pub struct Config {
    pub functions: PathBuf,
    pub tokens: Vec<String>,
    pub faults: bool,
    /// `--auth`, `--token-ttl`, `--secret-id`/`--secret-key` (src/auth.rs).
    pub auth: crate::auth::Auth,
}

struct FnEntry {
    config_mtime: Option<SystemTime>,
    timeout_ms: u64,
    memory_mb: u64,
    concurrency: usize,
    sem: Arc<Semaphore>,
}

pub struct State {
    pub cfg: Config,
    pub runtime: Runtime,
    requests: AtomicU64,
    /// `fault-drip` bodies still being sent (a body is dropped when its client goes away).
    drips: Arc<AtomicU64>,
    flaky: Mutex<HashMap<String, u64>>,
    fns: Mutex<HashMap<PathBuf, Arc<FnEntry>>>,
}

impl State {
    pub fn new(cfg: Config, runtime: Runtime) -> State {
        State {
            cfg,
            runtime,
            requests: AtomicU64::new(0),
            drips: Arc::new(AtomicU64::new(0)),
            flaky: Mutex::new(HashMap::new()),
            fns: Mutex::new(HashMap::new()),
        }
    }
}

/// Returned by the service to make hyper drop the connection without answering.
#[derive(Debug)]
pub struct DropConnection;
impl fmt::Display for DropConnection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("connection dropped on purpose")
    }
}
impl std::error::Error for DropConnection {}

// ---------------------------------------------------------------------------
// Response body
// ---------------------------------------------------------------------------

pub enum Body {
    Full(Option<Bytes>),
    /// Sends a few bytes, stalls briefly (so they are flushed), then fails,
    /// which makes hyper abort the connection mid-body.
    Truncated { first: Option<Bytes>, sleep: Pin<Box<tokio::time::Sleep>> },
    /// Sends a valid JSON body one byte at a time (`fault-drip`).
    Drip(Drip),
}

/// `{"d":"xx…x"}` of `total` bytes, the first byte at once and then one every `every`. Counted in
/// `State::drips` while alive; hyper drops it (ending the count) when the connection closes.
pub struct Drip {
    sent: u64,
    total: u64,
    every: Duration,
    sleep: Pin<Box<tokio::time::Sleep>>,
    live: Arc<AtomicU64>,
}

impl Drip {
    /// Smallest body: `{"d":""}`.
    const MIN: u64 = 8;
    const MAX: u64 = 16 * 1024 * 1024;

    fn new(total: u64, every: Duration, live: Arc<AtomicU64>) -> Drip {
        live.fetch_add(1, Ordering::Relaxed);
        Drip {
            sent: 0,
            total: total.clamp(Drip::MIN, Drip::MAX),
            every,
            sleep: Box::pin(tokio::time::sleep(Duration::ZERO)),
            live,
        }
    }

    fn byte_at(&self, i: u64) -> u8 {
        const HEAD: &[u8] = b"{\"d\":\"";
        match i {
            _ if i < HEAD.len() as u64 => HEAD[i as usize],
            _ if i == self.total - 2 => b'"',
            _ if i == self.total - 1 => b'}',
            _ => b'x',
        }
    }

    fn poll_byte(&mut self, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        if self.sent == self.total {
            return Poll::Ready(None);
        }
        if self.sleep.as_mut().poll(cx).is_pending() {
            return Poll::Pending;
        }
        let byte = self.byte_at(self.sent);
        self.sent += 1;
        let next = tokio::time::Instant::now() + self.every;
        self.sleep.as_mut().reset(next);
        Poll::Ready(Some(Bytes::copy_from_slice(&[byte])))
    }
}

impl Drop for Drip {
    fn drop(&mut self) {
        self.live.fetch_sub(1, Ordering::Relaxed);
    }
}

impl Body {
    fn full(b: impl Into<Bytes>) -> Body {
        Body::Full(Some(b.into()))
    }
    fn empty() -> Body {
        Body::Full(None)
    }
}

impl HttpBody for Body {
    type Data = Bytes;
    type Error = DropConnection;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, DropConnection>>> {
        match self.get_mut() {
            Body::Full(b) => Poll::Ready(b.take().filter(|b| !b.is_empty()).map(|b| Ok(Frame::data(b)))),
            Body::Truncated { first, sleep } => {
                if let Some(b) = first.take() {
                    return Poll::Ready(Some(Ok(Frame::data(b))));
                }
                match sleep.as_mut().poll(cx) {
                    Poll::Ready(()) => Poll::Ready(Some(Err(DropConnection))),
                    Poll::Pending => Poll::Pending,
                }
            }
            Body::Drip(drip) => drip.poll_byte(cx).map(|b| b.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Body::Full(b) => b.as_ref().is_none_or(|b| b.is_empty()),
            Body::Truncated { .. } => false,
            Body::Drip(drip) => drip.sent == drip.total,
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Truncated { .. } => SizeHint::default(),
            Body::Drip(drip) => SizeHint::with_exact(drip.total - drip.sent),
        }
    }
}

// ---------------------------------------------------------------------------
// Request ids
// ---------------------------------------------------------------------------

thread_local! {
    static RNG: Cell<u64> = Cell::new({
        let t = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).unwrap_or_default();
        let local = 0u8;
        (t.as_nanos() as u64) ^ ((&local as *const u8 as u64).rotate_left(32)) ^ (std::process::id() as u64) << 48
    });
}

fn rand64() -> u64 {
    // wyrand
    RNG.with(|s| {
        let x = s.get().wrapping_add(0xa076_1d64_78bd_642f);
        s.set(x);
        let t = (x as u128).wrapping_mul((x ^ 0xe703_7ed1_a0b4_28db) as u128);
        ((t >> 64) as u64) ^ (t as u64)
    })
}

/// A random UUID v4-style id (8-4-4-4-12 lowercase hex).
pub fn new_request_id() -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let a = rand64();
    let b = rand64();
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_le_bytes());
    bytes[8..].copy_from_slice(&b.to_le_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut out = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(HEX[(byte >> 4) as usize] as char);
        out.push(HEX[(byte & 0xf) as usize] as char);
    }
    out
}

// ---------------------------------------------------------------------------
// Response helpers
// ---------------------------------------------------------------------------

static EXPOSE: HeaderValue = HeaderValue::from_static("X-Request-Id, Retry-After, Content-Type");
static JSON: HeaderValue = HeaderValue::from_static("application/json");
static TEXT: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");
static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

struct Req {
    id: String,
    origin: Option<HeaderValue>,
}

impl Req {
    /// Adds the request id and the CORS headers every response carries.
    fn finish(&self, mut resp: Response<Body>, with_id: bool) -> Response<Body> {
        let h = resp.headers_mut();
        if with_id {
            if let Ok(v) = HeaderValue::from_str(&self.id) {
                h.insert(X_REQUEST_ID.clone(), v);
            }
        }
        match &self.origin {
            Some(o) => {
                h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o.clone());
                h.append(header::VARY, HeaderValue::from_static("Origin"));
            }
            None => {
                h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
            }
        }
        h.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, EXPOSE.clone());
        resp
    }

    fn error(&self, code: &str, message: impl Into<String>) -> Response<Body> {
        let body = json!({ "code": code, "message": message.into(), "requestId": self.id });
        let mut resp = Response::new(Body::full(body.to_string()));
        *resp.status_mut() = StatusCode::from_u16(status_of(code)).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        resp.headers_mut().insert(header::CONTENT_TYPE, JSON.clone());
        if code == "FUNCTION_EXCEED_RESOURCE_LIMIT" {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if code == "METHOD_NOT_ALLOWED" {
            resp.headers_mut().insert(header::ALLOW, HeaderValue::from_static("POST, OPTIONS"));
        }
        self.finish(resp, true)
    }

    fn ok(&self, content_type: &HeaderValue, body: impl Into<Bytes>) -> Response<Body> {
        let mut resp = Response::new(Body::full(body));
        resp.headers_mut().insert(header::CONTENT_TYPE, content_type.clone());
        self.finish(resp, true)
    }

    fn json(&self, v: &Value) -> Response<Body> {
        self.ok(&JSON, v.to_string())
    }
}

fn is_valid_name(name: &str) -> bool {
    let b = name.as_bytes();
    if b.len() < 2 || b.len() > 60 {
        return false;
    }
    b[0].is_ascii_alphabetic()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b[1..b.len() - 1].iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
}

fn query_flag(query: Option<&str>, key: &str) -> Option<String> {
    query?.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == key).then(|| v.to_string())
    })
}

/// Discards the rest of a refused body: up to 64 MiB, and never waits more than 500 ms for a frame
/// (a client that declared more than it sends must not hold the answer back).
async fn drain(body: &mut Incoming) {
    let mut seen = 0usize;
    while seen < 64 * 1024 * 1024 {
        let next = std::future::poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx));
        match tokio::time::timeout(Duration::from_millis(500), next).await {
            Ok(Some(Ok(frame))) => seen += frame.data_ref().map_or(0, |d| d.len()),
            _ => return,
        }
    }
}

/// Reads the whole request body, up to `MAX_BODY` bytes.
async fn read_body(body: &mut Incoming) -> Result<Result<Bytes, ()>, DropConnection> {
    let mut first: Option<Bytes> = None;
    let mut rest: Vec<u8> = Vec::new();
    loop {
        let frame = std::future::poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx)).await;
        let Some(frame) = frame else { break };
        let frame = frame.map_err(|_| DropConnection)?;
        let Ok(data) = frame.into_data() else { continue };
        let total = first.as_ref().map_or(0, |f| f.len()) + rest.len() + data.len();
        if total > MAX_BODY {
            return Ok(Err(()));
        }
        match &first {
            None if rest.is_empty() => first = Some(data),
            _ => {
                if let Some(f) = first.take() {
                    rest.extend_from_slice(&f);
                }
                rest.extend_from_slice(&data);
            }
        }
    }
    Ok(Ok(match first {
        Some(f) => f,
        None => Bytes::from(rest),
    }))
}

/// The body must be a JSON object (empty counts as `{}`).
fn validate_event(body: Bytes) -> Result<Bytes, &'static str> {
    let Some(start) = body.iter().position(|c| !c.is_ascii_whitespace()) else {
        return Ok(Bytes::from_static(b"{}"));
    };
    if std::str::from_utf8(&body).is_err() {
        return Err("request body is not valid UTF-8 JSON");
    }
    if body[start] != b'{' {
        return Err("request body must be a JSON object");
    }
    if serde_json::from_slice::<serde::de::IgnoredAny>(&body).is_err() {
        return Err("request body is not valid JSON");
    }
    Ok(body)
}

// ---------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------

pub async fn handle(state: Arc<State>, req: Request<Incoming>) -> Result<Response<Body>, DropConnection> {
    let r = Req { id: new_request_id(), origin: req.headers().get(header::ORIGIN).cloned() };

    if req.method() == Method::OPTIONS {
        return Ok(preflight(&r, req.headers()));
    }

    let path = req.uri().path();
    let Some(name) = path.strip_prefix("/v1/functions/") else {
        if state.cfg.auth.serves(path) {
            let path = path.to_string();
            let (parts, mut incoming) = req.into_parts();
            let body = read_body(&mut incoming).await?.unwrap_or_default();
            let (status, v) = state.cfg.auth.route(&parts.method, &path, &parts.headers, &body);
            let mut resp = r.json(&v);
            *resp.status_mut() = status;
            return Ok(resp);
        }
        if state.cfg.faults {
            if path == "/__emulator/stats" && req.method() == Method::GET {
                let pid = state.runtime.host_pid();
                return Ok(r.json(&json!({
                    "requests": state.requests.load(Ordering::Relaxed),
                    "hostPid": pid,
                    "drips": state.drips.load(Ordering::Relaxed),
                })));
            }
            if path == "/__emulator/reset" && req.method() == Method::POST {
                state.requests.store(0, Ordering::Relaxed);
                state.flaky.lock().unwrap().clear();
                return Ok(r.json(&json!({ "ok": true })));
            }
        }
        return Ok(r.error("NOT_FOUND", format!("no route for {} {}", req.method(), path)));
    };
    if req.method() != Method::POST {
        return Ok(r.error("METHOD_NOT_ALLOWED", format!("method {} is not allowed, use POST", req.method())));
    }
    state.requests.fetch_add(1, Ordering::Relaxed);

    // Auth (src/auth.rs); a TC3 signature is finished once the body is in.
    let signature = match state.cfg.auth.check(&state.cfg.tokens, req.headers()) {
        Ok(s) => s,
        Err((code, message)) => return Ok(r.error(code, message)),
    };

    if !is_valid_name(name) {
        return Ok(r.error(
            "INVALID_PARAM",
            "function name must match ^[a-zA-Z][a-zA-Z0-9_-]{0,58}[a-zA-Z0-9]$",
        ));
    }
    let name = name.to_string();
    let query = req.uri().query().map(str::to_string);
    let webfn = req.headers().get("x-tcb-webfn").and_then(|v| v.to_str().ok()).map(str::trim) == Some("true")
        || query_flag(query.as_deref(), "webfn").as_deref() == Some("true");
    let qualifier = req
        .headers()
        .get("x-qualifier")
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|q| !q.is_empty())
        .map(str::to_string);
    let (parts, mut incoming) = req.into_parts();

    // Body.
    let too_large = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > MAX_BODY as u64);
    let raw = if too_large { Err(()) } else { read_body(&mut incoming).await? };
    let Ok(raw) = raw else {
        // Let the client finish sending before answering: a client still writing when the
        // connection closes sees a reset, not the answer.
        drain(&mut incoming).await;
        return Ok(r.error("EXCEED_MAX_PAYLOAD_SIZE", format!("request body exceeds the limit of {MAX_BODY} bytes")));
    };
    if let Some(pending) = &signature {
        if let Err((code, message)) = state.cfg.auth.verify_signature(pending, &parts, &raw) {
            return Ok(r.error(code, message));
        }
    }
    let event = match validate_event(raw) {
        Ok(e) => e,
        Err(m) => return Ok(r.error("FUNCTION_PARAM_INVALID", m)),
    };

    if state.cfg.faults && (name.starts_with("native-") || name.starts_with("fault-")) {
        if let Some(resp) = builtin(&state, &r, &name, &parts, query.as_deref(), &event).await? {
            return Ok(resp);
        }
    }

    // JavaScript function from the functions folder.
    let base = state.cfg.functions.join(&name);
    let dir = match &qualifier {
        None => base,
        Some(q) => {
            let valid = q.bytes().all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b'$'))
                && q != "."
                && q != "..";
            let versioned = state.cfg.functions.join(format!("{name}@{q}"));
            if valid && versioned.join("index.js").is_file() {
                versioned
            } else if q == "$LATEST" {
                base
            } else if base.join("index.js").is_file() {
                return Ok(r.error(
                    "FUNCTION_QUALIFIER_NOT_FOUND",
                    format!("function {name} has no version {q}"),
                ));
            } else {
                return Ok(r.error("FUNCTION_NOT_FOUND", format!("function {name} not found")));
            }
        }
    };
    if !dir.join("index.js").is_file() {
        return Ok(r.error("FUNCTION_NOT_FOUND", format!("function {name} not found")));
    }
    let entry = match function_entry(&state, &dir) {
        Ok(e) => e,
        Err(m) => return Ok(r.error("FUNCTION_STATUS_ABNORMAL", m)),
    };
    let Ok(_permit) = entry.sem.clone().try_acquire_owned() else {
        return Ok(r.error(
            "FUNCTION_EXCEED_RESOURCE_LIMIT",
            format!("function {name} is already running its maximum of {} concurrent invocations", entry.concurrency),
        ));
    };
    let context = json!({
        "requestId": r.id,
        "functionName": name,
        "qualifier": qualifier,
        "webfn": webfn,
        "timeoutMs": entry.timeout_ms,
        "memoryMb": entry.memory_mb,
    })
    .to_string();
    let outcome = state
        .runtime
        .invoke(Invocation {
            dir: &dir,
            timeout_ms: entry.timeout_ms,
            memory_mb: entry.memory_mb,
            context,
            event: &event,
        })
        .await;
    Ok(match outcome {
        Outcome::Ok { text: true, body } => r.ok(&TEXT, body),
        Outcome::Ok { text: false, body } => r.ok(&JSON, body),
        Outcome::Err { code, message } => r.error(&code, message),
    })
}

fn preflight(r: &Req, headers: &HeaderMap) -> Response<Body> {
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::NO_CONTENT;
    let h = resp.headers_mut();
    h.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("POST, OPTIONS"));
    if let Some(v) = headers.get(header::ACCESS_CONTROL_REQUEST_HEADERS) {
        h.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, v.clone());
    }
    h.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("600"));
    let mut resp = r.finish(resp, true);
    // Preflights always vary by origin.
    if r.origin.is_none() {
        resp.headers_mut().insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    resp
}

/// Reads (and caches, by config.json mtime) a function's settings.
fn function_entry(state: &State, dir: &Path) -> Result<Arc<FnEntry>, String> {
    let cfg_path = dir.join("config.json");
    let mtime = std::fs::metadata(&cfg_path).and_then(|m| m.modified()).ok();
    if let Some(e) = state.fns.lock().unwrap().get(dir) {
        if e.config_mtime == mtime {
            return Ok(e.clone());
        }
    }
    let (mut timeout_ms, mut memory_mb, mut concurrency) = (DEFAULT_TIMEOUT_MS, DEFAULT_MEMORY_MB, DEFAULT_CONCURRENCY);
    if mtime.is_some() {
        let text = std::fs::read_to_string(&cfg_path).map_err(|e| format!("cannot read config.json: {e}"))?;
        let v: Value = serde_json::from_str(&text).map_err(|e| format!("invalid config.json: {e}"))?;
        let num = |k: &str| v.get(k).and_then(Value::as_u64).filter(|n| *n > 0);
        timeout_ms = num("timeoutMs").unwrap_or(timeout_ms);
        memory_mb = num("memoryMb").unwrap_or(memory_mb);
        concurrency = num("concurrency").map(|n| n as usize).unwrap_or(concurrency);
    }
    let e = Arc::new(FnEntry {
        config_mtime: mtime,
        timeout_ms,
        memory_mb,
        concurrency,
        sem: Arc::new(Semaphore::new(concurrency)),
    });
    state.fns.lock().unwrap().insert(dir.to_path_buf(), e.clone());
    Ok(e)
}

// ---------------------------------------------------------------------------
// Built-in functions (--faults)
// ---------------------------------------------------------------------------

async fn builtin(
    state: &State,
    r: &Req,
    name: &str,
    parts: &hyper::http::request::Parts,
    query: Option<&str>,
    event: &Bytes,
) -> Result<Option<Response<Body>>, DropConnection> {
    let args = || serde_json::from_slice::<Value>(event).unwrap_or(Value::Null);
    let resp = match name {
        "native-echo" => r.ok(&JSON, event.clone()),
        "fault-delay" => {
            let ms = args().get("ms").and_then(Value::as_u64).unwrap_or(0);
            tokio::time::sleep(Duration::from_millis(ms)).await;
            r.ok(&JSON, event.clone())
        }
        "fault-hang" => {
            // Never answers; hyper drops this future when the client goes away.
            std::future::pending::<Response<Body>>().await
        }
        "fault-drop" => return Err(DropConnection),
        "fault-drop-mid-body" => {
            let body = Body::Truncated {
                first: Some(Bytes::from_static(b"{\"data\":\"x")),
                sleep: Box::pin(tokio::time::sleep(Duration::from_millis(50))),
            };
            let mut resp = Response::new(body);
            resp.headers_mut().insert(header::CONTENT_TYPE, JSON.clone());
            resp.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from_static("100000"));
            r.finish(resp, true)
        }
        "fault-drip" => {
            let a = args();
            let ms = a.get("ms").and_then(Value::as_u64).unwrap_or(100).min(3_600_000);
            let every = Duration::from_millis(ms);
            let drip = Drip::new(a.get("bytes").and_then(Value::as_u64).unwrap_or(1000), every, state.drips.clone());
            let length = HeaderValue::from(drip.total);
            let mut resp = Response::new(Body::Drip(drip));
            resp.headers_mut().insert(header::CONTENT_TYPE, JSON.clone());
            resp.headers_mut().insert(header::CONTENT_LENGTH, length);
            r.finish(resp, true)
        }
        "fault-html502" => {
            let mut resp = r.ok(
                &HeaderValue::from_static("text/html"),
                "<html><body><h1>502 Bad Gateway</h1></body></html>",
            );
            *resp.status_mut() = StatusCode::BAD_GATEWAY;
            resp
        }
        "fault-empty500" => {
            let mut resp = Response::new(Body::empty());
            *resp.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            r.finish(resp, true)
        }
        "fault-bad-json" => r.ok(&JSON, "{\"a\": 1,"),
        "fault-large" => {
            let a = args();
            let bytes = a.get("bytes").and_then(Value::as_u64).unwrap_or(1024).min(256 * 1024 * 1024) as usize;
            match a.get("type").and_then(Value::as_str).unwrap_or("json") {
                "text" => r.ok(&TEXT, "x".repeat(bytes)),
                "bytes" => r.ok(
                    &HeaderValue::from_static("application/octet-stream"),
                    (0..bytes).map(|i| (i % 256) as u8).collect::<Vec<u8>>(),
                ),
                _ => {
                    let mut s = String::with_capacity(bytes + 16);
                    s.push_str("{\"data\":\"");
                    s.extend(std::iter::repeat_n('x', bytes.saturating_sub(11)));
                    s.push_str("\"}");
                    r.ok(&JSON, s)
                }
            }
        }
        "fault-bytes" => r.ok(
            &HeaderValue::from_static("application/octet-stream"),
            (0..=255u8).collect::<Vec<u8>>(),
        ),
        "fault-respond" => fault_respond(r, &args()),
        "fault-flaky" => {
            let a = args();
            let key = a.get("key").and_then(Value::as_str).unwrap_or("").to_string();
            let failures = a.get("failures").and_then(Value::as_u64).unwrap_or(1);
            let n = {
                let mut m = state.flaky.lock().unwrap();
                let n = m.entry(key).or_insert(0);
                *n += 1;
                *n
            };
            if n <= failures {
                let code = a.get("code").and_then(Value::as_str).unwrap_or("FUNCTION_EXCEED_RESOURCE_LIMIT");
                let mut resp = r.error(code, format!("flaky failure {n} of {failures}"));
                if let Some(s) = a.get("status").and_then(Value::as_u64) {
                    if let Ok(s) = StatusCode::from_u16(s as u16) {
                        *resp.status_mut() = s;
                    }
                }
                // Retry-After only when asked for (keeps SDK retry tests fast).
                resp.headers_mut().remove(header::RETRY_AFTER);
                match a.get("retryAfter") {
                    Some(Value::Null) | None => {}
                    Some(v) => {
                        let v = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
                        if let Ok(v) = HeaderValue::from_str(&v) {
                            resp.headers_mut().insert(header::RETRY_AFTER, v);
                        }
                    }
                }
                resp
            } else {
                r.json(&json!({ "attempts": n }))
            }
        }
        "fault-redirect" => {
            let loc = args().get("location").and_then(Value::as_str).unwrap_or("/").to_string();
            let Ok(loc) = HeaderValue::from_str(&loc) else {
                return Ok(Some(r.error("INVALID_PARAM", "location is not a valid header value")));
            };
            let mut resp = Response::new(Body::empty());
            *resp.status_mut() = StatusCode::FOUND;
            resp.headers_mut().insert(header::LOCATION, loc);
            r.finish(resp, true)
        }
        "fault-headers" => {
            let mut m = serde_json::Map::new();
            for k in parts.headers.keys() {
                let vals: Vec<String> = parts
                    .headers
                    .get_all(k)
                    .iter()
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                    .collect();
                m.insert(k.as_str().to_string(), Value::String(vals.join(", ")));
            }
            m.insert("_method".into(), Value::String(parts.method.to_string()));
            m.insert("_path".into(), Value::String(parts.uri.path().to_string()));
            m.insert("_query".into(), query.map_or(Value::Null, |q| Value::String(q.to_string())));
            r.json(&Value::Object(m))
        }
        _ => return Ok(None),
    };
    Ok(Some(resp))
}

fn fault_respond(r: &Req, a: &Value) -> Response<Body> {
    let status = a.get("status").and_then(Value::as_u64).unwrap_or(200);
    let Some(status) = u16::try_from(status).ok().and_then(|s| StatusCode::from_u16(s).ok()) else {
        return r.error("INVALID_PARAM", "status must be an HTTP status code");
    };
    let body = match a.get("body") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    let mut resp = Response::new(Body::full(body));
    *resp.status_mut() = status;
    if let Some(ct) = a.get("contentType").and_then(Value::as_str) {
        match HeaderValue::from_str(ct) {
            Ok(v) => {
                resp.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            Err(_) => return r.error("INVALID_PARAM", "contentType is not a valid header value"),
        }
    }
    if let Some(Value::Object(hs)) = a.get("headers") {
        for (k, v) in hs {
            let v = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
            match (HeaderName::from_bytes(k.as_bytes()), HeaderValue::from_str(&v)) {
                (Ok(k), Ok(v)) => {
                    resp.headers_mut().insert(k, v);
                }
                _ => return r.error("INVALID_PARAM", format!("invalid header {k}")),
            }
        }
    }
    let with_id = a.get("noRequestId").and_then(Value::as_bool) != Some(true);
    r.finish(resp, with_id)
}

#[cfg(test)]
mod tests {
    use cloudbase_fn::contract::errors::{StatusSource, DEFAULT_GATEWAY_STATUS, GATEWAY_STATUS};

    /// The SDK's table of statuses (src/contract/errors.rs, used by its test double) cites this
    /// emulator for some rows: they must say what `status_of` does.
    #[test]
    fn status_of_agrees_with_the_rows_of_the_sdk_table_that_cite_it() {
        for (code, status, source) in GATEWAY_STATUS {
            if *source == StatusSource::Emulator {
                assert_eq!(super::status_of(code), *status, "{code}");
            }
        }
        assert_eq!(super::status_of("SOMETHING_NEW"), DEFAULT_GATEWAY_STATUS);
    }
}
