//! The built-in functions enabled by `--faults` (README: "Built-in functions").

use std::time::Duration;

use hyper::body::Bytes;
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::{Response, StatusCode};
use serde_json::{json, Value};

use crate::body::{Body, DropConnection, Drip};
use crate::gateway::State;
use crate::respond::{Req, JSON, TEXT};

pub async fn builtin(
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

