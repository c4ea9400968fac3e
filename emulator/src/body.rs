//! Response bodies: a whole buffer, a function's event stream, and the slow or broken ones the
//! fault functions send.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body as HttpBody, Bytes, Frame, SizeHint};

use crate::sse::SseBody;

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
    /// Server-sent events from a streaming function (src/sse.rs).
    Sse(SseBody),
}

/// `{"d":"xx…x"}` of `total` bytes, the first byte at once and then one every `every`. Counted in
/// `State::drips` while alive; hyper drops it (ending the count) when the connection closes.
pub struct Drip {
    sent: u64,
    pub total: u64,
    every: Duration,
    sleep: Pin<Box<tokio::time::Sleep>>,
    live: Arc<AtomicU64>,
}

impl Drip {
    /// Smallest body: `{"d":""}`.
    const MIN: u64 = 8;
    const MAX: u64 = 16 * 1024 * 1024;

    pub fn new(total: u64, every: Duration, live: Arc<AtomicU64>) -> Drip {
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
    pub fn full(b: impl Into<Bytes>) -> Body {
        Body::Full(Some(b.into()))
    }
    pub fn empty() -> Body {
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
            Body::Sse(sse) => sse.poll_chunk(cx).map(|b| b.map(|b| Ok(Frame::data(b)))),
        }
    }

    fn is_end_stream(&self) -> bool {
        match self {
            Body::Full(b) => b.as_ref().is_none_or(|b| b.is_empty()),
            Body::Truncated { .. } => false,
            Body::Drip(drip) => drip.sent == drip.total,
            Body::Sse(sse) => sse.is_end(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Body::Full(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            Body::Truncated { .. } | Body::Sse(_) => SizeHint::default(),
            Body::Drip(drip) => SizeHint::with_exact(drip.total - drip.sent),
        }
    }
}
