//! HTTP handling: routing, auth, body validation and function resolution
//! (request ids and CORS: respond.rs; bodies: body.rs; built-in fault functions: faults.rs).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use hyper::body::Incoming;
use hyper::header::{self, HeaderMap, HeaderValue};
use hyper::{Method, Request, Response, StatusCode};
use serde_json::{json, Value};
use tokio::sync::Semaphore;

use crate::body::{Body, DropConnection};
use crate::request::{read_body, refuse, validate_event, MAX_BODY};
use crate::respond::{new_request_id, Req, JSON, TEXT};
use crate::runtime::{Invocation, Outcome, Reply, Runtime};

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
    /// `--read-timeout`: the longest wait for the next bytes of a request body.
    pub read_timeout: Duration,
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
    pub(crate) drips: Arc<AtomicU64>,
    /// Streaming invocations whose function is still running (src/sse.rs `Live`).
    streams: Arc<AtomicU64>,
    pub(crate) flaky: Mutex<HashMap<String, u64>>,
    fns: Mutex<HashMap<PathBuf, Arc<FnEntry>>>,
}

impl State {
    pub fn new(cfg: Config, runtime: Runtime) -> State {
        State {
            cfg,
            runtime,
            requests: AtomicU64::new(0),
            drips: Arc::new(AtomicU64::new(0)),
            streams: Arc::new(AtomicU64::new(0)),
            flaky: Mutex::new(HashMap::new()),
            fns: Mutex::new(HashMap::new()),
        }
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

// ---------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------

pub async fn handle(state: Arc<State>, req: Request<Incoming>) -> Result<Response<Body>, DropConnection> {
    let r = Req { id: new_request_id(), origin: req.headers().get(header::ORIGIN).cloned() };

    if req.method() == Method::OPTIONS {
        return Ok(preflight(&r, req.headers()));
    }

    let (parts, mut incoming) = req.into_parts();
    let path = parts.uri.path();
    let Some(name) = path.strip_prefix("/v1/functions/") else {
        if state.cfg.auth.serves(path) {
            let body = read_body(&mut incoming, state.cfg.read_timeout).await?.unwrap_or_default();
            let (status, v) = state.cfg.auth.route(&parts.method, path, &parts.headers, &body);
            let mut resp = r.json(&v);
            *resp.status_mut() = status;
            return Ok(resp);
        }
        if state.cfg.faults {
            if path == "/__emulator/stats" && parts.method == Method::GET {
                let pid = state.runtime.host_pid();
                return refuse(&mut incoming, r.json(&json!({
                    "requests": state.requests.load(Ordering::Relaxed),
                    "hostPid": pid,
                    "drips": state.drips.load(Ordering::Relaxed),
                    "streams": state.streams.load(Ordering::Relaxed),
                    "running": state.runtime.running(),
                    "left": state.runtime.left(),
                })))
                .await;
            }
            if path == "/__emulator/reset" && parts.method == Method::POST {
                state.requests.store(0, Ordering::Relaxed);
                state.flaky.lock().unwrap().clear();
                return refuse(&mut incoming, r.json(&json!({ "ok": true }))).await;
            }
        }
        let resp = r.error("NOT_FOUND", format!("no route for {} {}", parts.method, path));
        return refuse(&mut incoming, resp).await;
    };
    if parts.method != Method::POST {
        let resp = r.error("METHOD_NOT_ALLOWED", format!("method {} is not allowed, use POST", parts.method));
        return refuse(&mut incoming, resp).await;
    }
    state.requests.fetch_add(1, Ordering::Relaxed);

    // Auth (src/auth.rs); a TC3 signature is finished once the body is in.
    let signature = match state.cfg.auth.check(&state.cfg.tokens, &parts.headers) {
        Ok(s) => s,
        Err((code, message)) => return refuse(&mut incoming, r.error(code, message)).await,
    };

    if !is_valid_name(name) {
        let resp = r.error("INVALID_PARAM", "function name must match ^[a-zA-Z][a-zA-Z0-9_-]{0,58}[a-zA-Z0-9]$");
        return refuse(&mut incoming, resp).await;
    }
    let name = name.to_string();
    let query = parts.uri.query().map(str::to_string);
    let webfn = parts.headers.get("x-tcb-webfn").and_then(|v| v.to_str().ok()).map(str::trim) == Some("true")
        || query_flag(query.as_deref(), "webfn").as_deref() == Some("true");
    // Not visible ASCII: kept (lossily) so that it is refused as an unknown qualifier below,
    // rather than ignored in favour of the default version.
    let qualifier = parts
        .headers
        .get("x-qualifier")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).trim().to_string())
        .filter(|q| !q.is_empty());

    // Body.
    let too_large = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > MAX_BODY as u64);
    let raw = if too_large { Err(()) } else { read_body(&mut incoming, state.cfg.read_timeout).await? };
    let Ok(raw) = raw else {
        // Let the client finish sending before answering (see `refuse`).
        let resp = r.error("EXCEED_MAX_PAYLOAD_SIZE", format!("request body exceeds the limit of {MAX_BODY} bytes"));
        return refuse(&mut incoming, resp).await;
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
        if let Some(resp) = crate::faults::builtin(&state, &r, &name, &parts, query.as_deref(), &event).await? {
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
    let Ok(permit) = entry.sem.clone().try_acquire_owned() else {
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
    let call = state.runtime.call(Invocation {
        dir: &dir,
        timeout_ms: entry.timeout_ms,
        memory_mb: entry.memory_mb,
        context,
        event: &event,
    });
    let mut call = match call {
        Ok(call) => call,
        Err(outcome) => return Ok(respond(&r, outcome)),
    };
    // The slot is taken until the function stops, even after its client has gone (this future is
    // then dropped, but the function runs on).
    call.hold_until_end(Box::new(permit));
    loop {
        match call.next().await {
            Reply::Stream => call.hold_until_end(Box::new(crate::sse::Live::new(&state.streams))),
            Reply::Chunk(first) => return Ok(crate::sse::response(&r, Some(first), Some(call))),
            Reply::Done(outcome) => return Ok(respond(&r, outcome)),
        }
    }
}

fn respond(r: &Req, outcome: Outcome) -> Response<Body> {
    match outcome {
        Outcome::Ok { text: true, body } => r.ok(&TEXT, body),
        Outcome::Ok { text: false, body } => r.ok(&JSON, body),
        // A stream that ended without any event.
        Outcome::End => crate::sse::response(r, None, None),
        Outcome::Err { code, message } => r.error(&code, message),
    }
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
