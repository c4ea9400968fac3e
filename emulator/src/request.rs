//! Request bodies: reading one (size limit, a time limit per wait), discarding a refused one, and
//! the JSON-object check.

use std::pin::Pin;
use std::time::Duration;

use hyper::body::{Body as HttpBody, Bytes, Incoming};
use hyper::Response;

use crate::body::{Body, DropConnection};

/// Largest accepted request body (the real gateway limits it too).
pub const MAX_BODY: usize = 6 * 1024 * 1024;

/// Discards the rest of a refused body: up to 64 MiB, and never waits more than 500 ms for a frame
/// (a client that declared more than it sends must not hold the answer back).
pub async fn drain(body: &mut Incoming) {
    let mut seen = 0usize;
    while seen < 64 * 1024 * 1024 {
        let next = std::future::poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx));
        match tokio::time::timeout(Duration::from_millis(500), next).await {
            Ok(Some(Ok(frame))) => seen += frame.data_ref().map_or(0, |d| d.len()),
            _ => return,
        }
    }
}

/// An answer given before the body was read: drained first, as for a 413, since a client still
/// uploading when the connection closes sees a reset (or a failed write), not the answer.
pub async fn refuse(body: &mut Incoming, resp: Response<Body>) -> Result<Response<Body>, DropConnection> {
    drain(body).await;
    Ok(resp)
}

/// Reads the whole request body, up to `MAX_BODY` bytes (`Ok(Err(()))`: larger). A client that
/// sends nothing for `wait` loses its connection, as hyper does for a stalled head.
pub async fn read_body(body: &mut Incoming, wait: Duration) -> Result<Result<Bytes, ()>, DropConnection> {
    let mut first: Option<Bytes> = None;
    let mut rest: Vec<u8> = Vec::new();
    loop {
        let next = std::future::poll_fn(|cx| Pin::new(&mut *body).poll_frame(cx));
        let frame = tokio::time::timeout(wait, next).await.map_err(|_| DropConnection)?;
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
pub fn validate_event(body: Bytes) -> Result<Bytes, &'static str> {
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
