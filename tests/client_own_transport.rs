//! The Rust client with only the `client` feature and a transport of the user's own, as
//! docs/rust-client.md offers ("pass your own"): here a plain HTTP/1.0 exchange over
//! `std::net::TcpStream`, against the real emulator. It checks that `client` builds without a
//! transport feature, that the builder refuses to build without a transport, and that the core's
//! decisions (URL, headers, typed answers and errors, retries) reach and come back through a
//! transport it does not know. Test doubles of a few lines check what only a transport sees: the
//! request's `Debug`, and what a long-lived abort signal keeps.

use std::future::Future;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::pin::pin;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use cloudbase_fn::client::{AbortController, BoxError, BoxFuture, ErrorKind, HttpRequest, HttpResponse, Transport};
use cloudbase_fn::{Client, InvokeOptions};
use serde_json::{json, Value};

mod common;
use common::url;

/// One request per connection, HTTP/1.0 (so the answer is never chunked: its body runs to the
/// end of the connection). Counts the requests it sends.
struct StdNetTransport {
    sent: Arc<AtomicU32>,
}

impl Transport for StdNetTransport {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, BoxError>> {
        self.sent.fetch_add(1, Ordering::SeqCst);
        Box::pin(async move {
            let rest = request.url.strip_prefix("http://").ok_or("this transport speaks plain http only")?;
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let mut stream = TcpStream::connect(host)?;
            let mut head = format!("POST {path} HTTP/1.0\r\nhost: {host}\r\ncontent-length: {}\r\n", request.body.len());
            for (name, value) in &request.headers {
                head.push_str(&format!("{name}: {value}\r\n"));
            }
            head.push_str("\r\n");
            stream.write_all(head.as_bytes())?;
            stream.write_all(request.body.as_bytes())?;
            let mut answer = Vec::new();
            stream.read_to_end(&mut answer)?;
            let end = answer.windows(4).position(|w| w == b"\r\n\r\n").ok_or("no complete head")?;
            let head = String::from_utf8(answer[..end].to_vec())?;
            let mut lines = head.split("\r\n");
            let status: u16 = lines.next().and_then(|l| l.split(' ').nth(1)).ok_or("no status line")?.parse()?;
            let headers = lines
                .filter_map(|l| l.split_once(':'))
                .map(|(k, v)| (k.to_string(), v.trim().to_string()))
                .collect();
            let body = answer[end + 4..].to_vec();
            Ok(HttpResponse::new(status, headers, Box::pin(async move { Ok(body) })))
        })
    }
}

fn client(sent: &Arc<AtomicU32>) -> Client {
    Client::builder().base_url(url()).transport(StdNetTransport { sent: sent.clone() }).build().unwrap()
}

#[test]
fn without_a_transport_feature_the_builder_asks_for_one() {
    let e = Client::builder().base_url(url()).build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert!(e.to_string().contains("no transport"), "{e}");
}

#[tokio::test]
async fn answers_and_errors_come_back_typed_through_the_users_transport() {
    let sent = Arc::new(AtomicU32::new(0));
    let c = client(&sent);
    let echoed: Value = c.invoke("echo", &json!({"a": 1, "text": "héllo ✓"})).await.unwrap();
    assert_eq!(echoed, json!({"a": 1, "text": "héllo ✓"}));
    // The core's headers went out through it: the gateway picks the version, the function sees
    // the web-function flag.
    let text: String = c.invoke_with("hello", &json!({}), InvokeOptions::new().qualifier("2")).await.unwrap();
    assert_eq!(text, "Hello fn v2");
    let context: Value = c.invoke_with("whoami", &json!({}), InvokeOptions::new().webfn(true)).await.unwrap();
    assert_eq!(context["webfn"], true);
    let e = c.invoke::<Value, _>("no-such-function", &json!({})).await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.status()), (ErrorKind::FunctionNotFound, "FUNCTION_NOT_FOUND", Some(404)));
    assert!(e.request_id().is_some());
    assert_eq!(sent.load(Ordering::SeqCst), 4);
    // A busy function is retried by the core's policy: the transport sends twice.
    let key = format!("own-transport-{}", std::process::id());
    let raw = c.invoke_raw("fault-flaky", &json!({"key": key, "failures": 1}), InvokeOptions::new()).await.unwrap();
    assert_eq!(raw.attempts, 2);
    assert_eq!(sent.load(Ordering::SeqCst), 6);
}

#[tokio::test]
async fn bad_input_is_refused_before_the_transport_is_used() {
    let sent = Arc::new(AtomicU32::new(0));
    let c = client(&sent);
    let e = c.invoke::<Value, _>("bad name!", &json!({})).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = c.invoke::<Value, _>("echo", &json!([1, 2])).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    assert_eq!(sent.load(Ordering::SeqCst), 0);
}

/// Records `{:?}` of each request, then fails (no answer).
struct Logging(Arc<Mutex<Vec<String>>>);

impl Transport for Logging {
    fn send(&self, request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, BoxError>> {
        self.0.lock().unwrap().push(format!("{request:?}"));
        Box::pin(async { Err::<HttpResponse, BoxError>("offline".into()) })
    }
}

#[tokio::test]
async fn a_requests_debug_shows_the_authorization_scheme_only() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let c = Client::builder().env_id("my-env").access_token("sk-live-SECRET").transport(Logging(log.clone())).build().unwrap();
    let e = c.invoke_with::<Value, _>("echo", &json!({"a": 1}), InvokeOptions::new().header("x-trace", "t1")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Network);
    let shown = log.lock().unwrap().pop().unwrap();
    assert!(!shown.contains("SECRET"), "{shown}");
    let parts = [r#"("authorization", "Bearer [redacted]")"#, r#"("x-trace", "t1")"#, r#"("content-type", "application/json")"#];
    for part in parts.into_iter().chain([r#"body: "{\"a\":1}""#]) {
        assert!(shown.contains(part), "{part} in {shown}");
    }
    // Built by hand: any case of the name, a TC3 signature, a value without a scheme, a URL's userinfo.
    let mut request = HttpRequest::new("http://user:pw@127.0.0.1:9/v1/functions/echo".into(), "{}".into());
    let tc3 = "TC3-HMAC-SHA256 Credential=AKIDsecret/2024-01-01/tcb/tc3_request, SignedHeaders=content-type;host, Signature=abcdef";
    request.headers.push(("Authorization".into(), tc3.into()));
    request.headers.push(("AUTHORIZATION".into(), "raw-secret-token".into()));
    let shown = format!("{request:?}");
    assert!(shown.contains(r#"("Authorization", "TC3-HMAC-SHA256 [redacted]")"#), "{shown}");
    assert!(shown.contains(r#"("AUTHORIZATION", "[redacted]")"#), "{shown}");
    assert!(shown.contains("[redacted]@127.0.0.1:9") && !shown.contains("secret") && !shown.contains("pw"), "{shown}");
}

/// Answers `{}` after one pending poll (so a call's race polls its signal), or never (`hang`).
struct Yielding {
    hang: bool,
}

impl Transport for Yielding {
    fn send(&self, _request: HttpRequest) -> BoxFuture<'_, Result<HttpResponse, BoxError>> {
        let (hang, mut yielded) = (self.hang, false);
        Box::pin(async move {
            std::future::poll_fn(|cx| {
                if hang {
                    return Poll::Pending;
                }
                if std::mem::replace(&mut yielded, true) {
                    return Poll::Ready(());
                }
                cx.waker().wake_by_ref();
                Poll::Pending
            })
            .await;
            let body: BoxFuture<'static, Result<Vec<u8>, BoxError>> = Box::pin(async { Ok(b"{}".to_vec()) });
            Ok(HttpResponse::new(200, vec![("content-type".into(), "application/json".into())], body))
        })
    }
}

/// A task's waker whose `Arc` counts who holds it; counts its wakes.
#[derive(Default)]
struct Task(AtomicU32);

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn a_long_lived_signal_keeps_no_waker_of_a_call_that_ended() {
    let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
    let _in_runtime = rt.enter(); // the calls are polled by hand, inside the runtime's context
    let shutdown = AbortController::new();
    // No timer (timeout zero): the signal is then the only one but the caller to hold a waker.
    let options = || InvokeOptions::new().timeout(Duration::ZERO).signal(shutdown.signal());
    let c = Client::builder().base_url("http://127.0.0.1:9").transport(Yielding { hang: false }).build().unwrap();
    let mut tasks = Vec::new();
    for i in 0..1000 {
        let task = Arc::new(Task::default());
        let waker = Waker::from(task.clone());
        let mut call = pin!(c.invoke_with::<Value, _>("echo", &json!({"i": i}), options()));
        let mut cx = Context::from_waker(&waker);
        assert!(call.as_mut().poll(&mut cx).is_pending());
        assert_eq!(Arc::strong_count(&task), 3, "here, in `waker`, and in the signal while the call waits");
        while call.as_mut().poll(&mut cx).is_pending() {}
        tasks.push(task);
    }
    assert_eq!(tasks.iter().filter(|t| Arc::strong_count(t) > 1).count(), 0, "no finished call's waker is kept");

    // A call that waits: a new waker replaces the old one; dropping the call forgets it.
    let c = Client::builder().base_url("http://127.0.0.1:9").transport(Yielding { hang: true }).build().unwrap();
    let (first, second) = (Arc::new(Task::default()), Arc::new(Task::default()));
    let mut call = Box::pin(c.invoke_with::<Value, _>("echo", &json!({}), options()));
    assert!(call.as_mut().poll(&mut Context::from_waker(&Waker::from(first.clone()))).is_pending());
    assert!(call.as_mut().poll(&mut Context::from_waker(&Waker::from(second.clone()))).is_pending());
    assert_eq!((Arc::strong_count(&first), Arc::strong_count(&second)), (1, 2));
    drop(call);
    assert_eq!(Arc::strong_count(&second), 1);

    // The signal still aborts a waiting call: its waker is woken, the call ends with ABORTED.
    let task = Arc::new(Task::default());
    let waker = Waker::from(task.clone());
    let mut call = pin!(c.invoke_with::<Value, _>("echo", &json!({}), options()));
    assert!(call.as_mut().poll(&mut Context::from_waker(&waker)).is_pending());
    shutdown.abort();
    assert_eq!(task.0.load(Ordering::SeqCst), 1);
    match call.as_mut().poll(&mut Context::from_waker(&waker)) {
        Poll::Ready(Err(e)) => assert_eq!(e.kind(), ErrorKind::Abort),
        other => panic!("{other:?}"),
    }
}
