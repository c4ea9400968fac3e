//! Request ids and the headers every response carries (request id, CORS).

use std::cell::Cell;
use std::time::SystemTime;

use hyper::body::Bytes;
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::{Response, StatusCode};
use serde_json::{json, Value};

use crate::body::Body;
use crate::gateway::status_of;

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

pub static EXPOSE: HeaderValue = HeaderValue::from_static("X-Request-Id, Retry-After, Content-Type");
pub static JSON: HeaderValue = HeaderValue::from_static("application/json");
pub static TEXT: HeaderValue = HeaderValue::from_static("text/plain; charset=utf-8");
static X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

pub struct Req {
    pub id: String,
    pub origin: Option<HeaderValue>,
}

impl Req {
    /// Adds the request id and the CORS headers every response carries.
    pub fn finish(&self, mut resp: Response<Body>, with_id: bool) -> Response<Body> {
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

    pub fn error(&self, code: &str, message: impl Into<String>) -> Response<Body> {
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

    pub fn ok(&self, content_type: &HeaderValue, body: impl Into<Bytes>) -> Response<Body> {
        let mut resp = Response::new(Body::full(body));
        resp.headers_mut().insert(header::CONTENT_TYPE, content_type.clone());
        self.finish(resp, true)
    }

    pub fn json(&self, v: &Value) -> Response<Body> {
        self.ok(&JSON, v.to_string())
    }
}
