//! Streaming functions: when `main` returns an async iterable, the answer is a
//! `text/event-stream` whose events are written as the function yields them
//! (the host formats each item, see `sseEvent` in runtime/worker.js).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper::body::Bytes;
use hyper::header::{self, HeaderValue};
use hyper::Response;
use serde_json::json;

use crate::body::Body;
use crate::respond::Req;
use crate::runtime::{Call, Outcome, Reply};

static EVENT_STREAM: HeaderValue = HeaderValue::from_static("text/event-stream; charset=utf-8");

/// The 200 head, sent with the first event (so a failure before any event is an ordinary JSON
/// error). `call` is `None` when the stream has already ended.
pub fn response(r: &Req, first: Option<String>, call: Option<Call>) -> Response<Body> {
    let body = SseBody { first: first.map(Bytes::from), call, request_id: r.id.clone() };
    let mut resp = Response::new(Body::Sse(body));
    resp.headers_mut().insert(header::CONTENT_TYPE, EVENT_STREAM.clone());
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r.finish(resp, true)
}

/// The events of one streaming invocation. Dropped by hyper when the client goes away, which
/// drops the `Call` and so tells the host to stop the function.
pub struct SseBody {
    first: Option<Bytes>,
    call: Option<Call>,
    request_id: String,
}

impl SseBody {
    /// Each event is its own frame, handed over as soon as it arrives (hyper flushes whenever
    /// the body is pending).
    pub fn poll_chunk(&mut self, cx: &mut Context<'_>) -> Poll<Option<Bytes>> {
        let Some(call) = self.call.as_mut() else { return Poll::Ready(self.first.take()) };
        if let Some(first) = self.first.take() {
            call.ack();
            return Poll::Ready(Some(first));
        }
        loop {
            let reply = match call.poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(reply) => reply,
            };
            match reply {
                Reply::Stream => continue,
                Reply::Chunk(chunk) => {
                    call.ack();
                    return Poll::Ready(Some(Bytes::from(chunk)));
                }
                Reply::Done(outcome) => {
                    self.call = None;
                    return Poll::Ready(match outcome {
                        // The head is out: an error can only be told in the stream itself.
                        Outcome::Err { code, message } => {
                            Some(Bytes::from(error_event(&code, &message, &self.request_id)))
                        }
                        Outcome::End | Outcome::Ok { .. } => None,
                    });
                }
            }
        }
    }

    pub fn is_end(&self) -> bool {
        self.call.is_none() && self.first.is_none()
    }
}

/// `event: error` with the contract's error body as data (one line: JSON escapes line breaks).
pub fn error_event(code: &str, message: &str, request_id: &str) -> String {
    let data = json!({ "code": code, "message": message, "requestId": request_id });
    format!("event: error\ndata: {data}\n\n")
}

/// Counts itself in `State::streams` while alive. A stream's one is held by the runtime until the
/// host reports that the function stopped, not merely until the client went away.
pub struct Live(Arc<AtomicU64>);

impl Live {
    pub fn new(count: &Arc<AtomicU64>) -> Live {
        count.fetch_add(1, Ordering::Relaxed);
        Live(count.clone())
    }
}

impl Drop for Live {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}
