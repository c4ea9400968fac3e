//! The loop the core dictates, performed: the Rust twin of `js/client.js` (`invoke`) and
//! `js/attempt.js` (`attempt`). Every decision is a call into `crate::contract::call` (or the
//! `crate::boundary` functions the JS driver uses); this file sends, reads, waits and races.

use std::prelude::rust_2021::*;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::task::Poll;

use core::future::Future;
use core::pin::{pin, Pin};

use super::{rt, AbortSignal, Auth, BoxError, Data, Error, HttpRequest, Inner};
use crate::contract::call::{self, Attempt, Decision, Next, Read, TransportFailure};
use crate::contract::retry::RetryPolicy;
use crate::contract::{BodyKind, ErrorBody};

/// How many UTF-16 units of an error body the core is given (it keeps 1024 characters).
const ERROR_TEXT_UNITS: usize = 2048;

/// A call the core has checked: where it goes, what it carries, and its settings.
pub(crate) struct Call {
    pub(crate) url: String,
    pub(crate) body: String,
    pub(crate) timeout_ms: u32,
    pub(crate) policy: RetryPolicy,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) signal: Option<AbortSignal>,
}

/// What a successful call answers besides its body.
pub(crate) struct Meta {
    pub(crate) status: u16,
    pub(crate) request_id: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) attempts: u32,
}

/// Why a body does not give the caller's type.
pub(crate) enum Undecodable {
    /// Not JSON at all, though the answer said so (the core's `BadJson`).
    BadJson(serde_json::Error),
    /// Well-formed, but not the requested type: the core's `BadJson` class, with this message.
    WrongType(String),
}

/// The caller's value from a 2xx body, in the form the core chose.
pub(crate) trait Decode: Sized {
    fn decode(kind: Option<BodyKind>, bytes: Vec<u8>) -> Result<Self, Undecodable>;
}

impl Decode for Data {
    fn decode(kind: Option<BodyKind>, bytes: Vec<u8>) -> Result<Data, Undecodable> {
        Ok(match kind {
            Some(BodyKind::Json) => Data::Json(serde_json::from_slice(&bytes).map_err(Undecodable::BadJson)?),
            Some(BodyKind::Text) => Data::Text(String::from_utf8_lossy(&bytes).into_owned()),
            Some(BodyKind::Bytes) => Data::Bytes(bytes),
            None => Data::Empty,
        })
    }
}

/// A serde type decoded from the body.
pub(crate) struct Typed<T>(pub(crate) T);

impl<T: serde::de::DeserializeOwned> Decode for Typed<T> {
    fn decode(kind: Option<BodyKind>, bytes: Vec<u8>) -> Result<Typed<T>, Undecodable> {
        use serde::de::value::{BytesDeserializer, Error as ValueError, StringDeserializer, UnitDeserializer};
        let wrong = |what: &str, e: &dyn core::fmt::Display| {
            Undecodable::WrongType(std::format!("the answer's {what} does not decode as the requested type: {e}"))
        };
        match kind {
            Some(BodyKind::Json) => serde_json::from_slice(&bytes).map(Typed).map_err(|e| {
                if e.is_data() {
                    wrong("JSON", &e)
                } else {
                    Undecodable::BadJson(e)
                }
            }),
            Some(BodyKind::Text) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                T::deserialize(StringDeserializer::<ValueError>::new(text)).map(Typed).map_err(|e| wrong("text/plain body", &e))
            }
            Some(BodyKind::Bytes) => {
                T::deserialize(BytesDeserializer::<ValueError>::new(&bytes)).map(Typed).map_err(|e| wrong("byte body", &e))
            }
            None => T::deserialize(UnitDeserializer::<ValueError>::new()).map(Typed).map_err(|e| wrong("empty 204/205 answer", &e)),
        }
    }
}

/// How an attempt ended.
enum End<R> {
    Value(R, Meta),
    Failed(Decision, Option<BoxError>),
}

/// Runs a call: attempts, and between them what the core decided (retry after a delay, refresh
/// the token once, or give up).
pub(crate) async fn run<R: Decode>(inner: &Inner, call: Call) -> Result<(R, Meta), Error> {
    rt::check_runtime()?;
    let aborted = |retries: u32| {
        let at = Attempt { retries_done: retries, policy: call.policy, random: 0.0, can_refresh: false };
        Error::from_decision(call::transport_failed(TransportFailure::Aborted, &call.url, call.timeout_ms, None, None, false, &at), None)
    };
    if call.signal.as_ref().is_some_and(AbortSignal::is_aborted) {
        return Err(aborted(0));
    }
    let mut state = State { force: false, refreshed: false, generation: 0, attempted: 0 };
    let mut retries = 0;
    loop {
        match attempt::<R>(inner, &call, retries, &mut state).await? {
            End::Value(value, mut meta) => {
                meta.attempts = retries.saturating_add(1);
                return Ok((value, meta));
            }
            End::Failed(decision, cause) => match decision.next {
                Next::Refresh => {
                    state.force = true;
                    state.refreshed = true;
                }
                Next::GiveUp => return Err(Error::from_decision(decision, cause)),
                Next::Retry(ms) => {
                    if let Raced::Aborted = race(rt::sleep(ms), 0, call.signal.as_ref()).await {
                        return Err(aborted(retries));
                    }
                    retries += 1;
                }
            },
        }
    }
}

/// What one call carries from attempt to attempt.
struct State {
    /// Ask the provider with `force_refresh` for the next attempt.
    force: bool,
    /// The one forced refresh of this call has been used.
    refreshed: bool,
    /// The generation of the token last sent.
    generation: u64,
    /// Attempts of the retry budget that reached the transport (a refreshed token's resend is
    /// the same attempt): what an error counts, as the core does.
    attempted: u32,
}

enum Raced<T> {
    Done(T),
    Timeout,
    Aborted,
}

/// `work`, unless the timer (`timeout_ms` > 0) or the signal ends first; then `work` is dropped,
/// which aborts its request.
async fn race<F: Future>(work: F, timeout_ms: u32, signal: Option<&AbortSignal>) -> Raced<F::Output> {
    let mut work = pin!(work);
    let mut timer = (timeout_ms > 0).then(|| rt::sleep(timeout_ms));
    let mut abort = signal.map(AbortSignal::aborted); // dropped with the race: the signal forgets it
    core::future::poll_fn(|cx| {
        if let Poll::Ready(v) = work.as_mut().poll(cx) {
            return Poll::Ready(Raced::Done(v));
        }
        if timer.as_mut().is_some_and(|t| t.as_mut().poll(cx).is_ready()) {
            return Poll::Ready(Raced::Timeout);
        }
        if abort.as_mut().is_some_and(|a| Pin::new(a).poll(cx).is_ready()) {
            return Poll::Ready(Raced::Aborted);
        }
        Poll::Pending
    })
    .await
}

/// What an attempt had seen when its timer fired: whether the token was there, and the head.
#[derive(Default)]
struct Progress {
    sent: AtomicBool,
    head: Mutex<(Option<u16>, Option<String>)>,
}

/// How the work of an attempt ended (before the race's verdict).
enum Step<R> {
    Value(R, Meta),
    Answer(Decision),
    Transport(TransportFailure, Option<BoxError>, Option<String>),
}

/// The first `units` UTF-16 units of `text`, cut between characters (what the JS driver's
/// `text.slice(0, 2048)` passes, without splitting a surrogate pair).
fn first_units(text: &str, units: usize) -> &str {
    let mut n = 0;
    for (i, c) in text.char_indices() {
        n += c.len_utf16();
        if n > units {
            return &text[..i];
        }
    }
    text
}

/// Sends the call once: token, fetch, head, body, all under the attempt's timer and the signal.
async fn attempt<R: Decode>(inner: &Inner, call: &Call, retries_done: u32, state: &mut State) -> Result<End<R>, Error> {
    let progress = Progress::default();
    let can_refresh = matches!(inner.auth, Auth::Provider(_)) && !state.refreshed;
    let at = |random: f64| Attempt { retries_done, policy: call.policy, random, can_refresh };
    let force = core::mem::take(&mut state.force);
    let refused = state.generation;
    let work = async {
        let mut headers = call.headers.clone();
        let mut secret = match &inner.auth {
            Auth::Static(t) => t.clone(),
            _ => String::new(),
        };
        let mut generation = None;
        if let Auth::Provider(cache) = &inner.auth {
            let (t, g) = cache.get(force, refused).await?;
            headers.insert(1, (String::from("authorization"), crate::contract::text::cat(&["Bearer ", &t])));
            secret = t;
            generation = Some(g);
        }
        progress.sent.store(true, Ordering::SeqCst);
        let request = HttpRequest { url: call.url.clone(), headers, body: call.body.clone() };
        let response = match inner.transport.send(request).await {
            Ok(r) => r,
            Err(e) => return Ok((Step::Transport(TransportFailure::Network, Some(e), None), generation)),
        };
        let read = call::read_for(response.status.into(), response.header("content-type"));
        if read == Read::NotAResponse {
            return Ok((Step::Transport(TransportFailure::NotAResponse, None, None), generation));
        }
        let status = response.status;
        let request_id = response.header("x-request-id").map(String::from);
        let retry_after = response.header("retry-after").map(String::from);
        *progress.head.lock().unwrap_or_else(|e| e.into_inner()) = (Some(status), request_id.clone());
        let headers = response.headers;
        let bytes = match response.body.await {
            Ok(b) => b,
            Err(e) => return Ok((Step::Transport(TransportFailure::Network, Some(e), None), generation)),
        };
        let step = match read {
            Read::ErrorText | Read::NotAResponse => {
                let text = String::from_utf8_lossy(&bytes);
                let parsed = serde_json::from_str::<serde_json::Value>(&text).ok().filter(|v| v.is_object());
                let field = |key: &str| parsed.as_ref().and_then(|v| v.get(key)).and_then(|v| v.as_str());
                let body = parsed.as_ref().map(|_| ErrorBody { code: field("code"), message: field("message"), request_id: field("requestId") });
                Step::Answer(call::answer_failed(
                    status,
                    body,
                    first_units(&text, ERROR_TEXT_UNITS),
                    request_id.as_deref(),
                    retry_after.as_deref(),
                    rt::now_ms() as f64,
                    &secret,
                    &at(rt::random()),
                ))
            }
            Read::Body(_) | Read::Nothing => {
                let kind = if let Read::Body(k) = read { Some(k) } else { None };
                match R::decode(kind, bytes) {
                    Ok(value) => Step::Value(value, Meta { status, request_id, headers, attempts: 0 }),
                    Err(Undecodable::BadJson(e)) => Step::Transport(TransportFailure::BadJson, Some(Box::new(e)), None),
                    Err(Undecodable::WrongType(message)) => Step::Transport(TransportFailure::BadJson, None, Some(message)),
                }
            }
        };
        Ok::<_, Error>((step, generation))
    };
    let raced = race(work, call.timeout_ms, call.signal.as_ref()).await;
    let attempted_before = state.attempted;
    if progress.sent.load(Ordering::SeqCst) {
        state.attempted = retries_done.saturating_add(1);
    }
    let transport_failed = |kind: TransportFailure| {
        let (status, request_id) = progress.head.lock().unwrap_or_else(|e| e.into_inner()).clone();
        call::transport_failed(kind, &call.url, call.timeout_ms, status, request_id.as_deref(), inner.transport.in_browser(), &at(rt::random()))
    };
    Ok(match raced {
        Raced::Done(done) => {
            // Only the token provider fails `work` (before this attempt sent anything): its error
            // counts the attempts the call had already sent, as the npm package does.
            let (step, generation) = done.map_err(|e| e.with_attempts(attempted_before))?;
            if let Some(g) = generation {
                state.generation = g;
            }
            match step {
                Step::Value(value, meta) => End::Value(value, meta),
                Step::Answer(decision) => End::Failed(decision, None),
                Step::Transport(kind, cause, message) => {
                    let mut decision = transport_failed(kind);
                    if let Some(message) = message {
                        decision.failure.message = message;
                    }
                    End::Failed(decision, cause)
                }
            }
        }
        Raced::Timeout => {
            let kind = if progress.sent.load(Ordering::SeqCst) { TransportFailure::Timeout } else { TransportFailure::TokenTimeout };
            End::Failed(transport_failed(kind), None)
        }
        Raced::Aborted => End::Failed(transport_failed(TransportFailure::Aborted), None),
    })
}
