//! The Rust client (`client` + `client-native`) against the real emulator: typed results, typed
//! errors, timeouts, retries, token providers with a forced refresh, cancellation.
//!
//! `scripts/test.d/25-rust-client.sh` runs it with `EMULATOR_URL` (the shared emulator, started
//! with `--faults`); tests that need their own flags (`--token`) start the emulator binary
//! (`CLOUDBASE_FN_EMULATOR_BIN`, else `target/debug/cloudbase-fn-emulator`).

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use cloudbase_fn::client::{AbortController, Data, ErrorKind, Retry, TokenRequest};
use cloudbase_fn::{Client, Error, InvokeOptions};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[path = "../common/mod.rs"]
mod common;
mod offline;
use common::{url, Emu};

fn client() -> Client {
    Client::builder().base_url(url()).build().unwrap()
}

fn unique(prefix: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!("{prefix}-{}-{}", std::process::id(), N.fetch_add(1, Ordering::SeqCst))
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36 && s.bytes().filter(|&b| b == b'-').count() == 4
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Echo {
    a: u32,
    text: String,
    list: Vec<bool>,
}

#[tokio::test]
async fn typed_data_in_and_out() {
    let c = client();
    let sent = Echo { a: 1, text: "héllo ✓".into(), list: vec![true, false] };
    let got: Echo = c.invoke("echo", &sent).await.unwrap();
    assert_eq!(got, sent);
    let text: String = c.invoke("hello", &json!({})).await.unwrap();
    assert_eq!(text, "Hello fn");
    let v2: String = c.invoke_with("hello", &json!({}), InvokeOptions::new().qualifier("2")).await.unwrap();
    assert_eq!(v2, "Hello fn v2");
    let value: Value = c.invoke("echo", &json!({"nested": {"x": [1, 2]}})).await.unwrap();
    assert_eq!(value, json!({"nested": {"x": [1, 2]}}));
}

#[tokio::test]
async fn raw_replies_carry_status_request_id_headers_and_attempts() {
    let raw = client().invoke_raw("fault-bytes", &json!({}), InvokeOptions::new()).await.unwrap();
    assert_eq!(raw.status, 200);
    assert_eq!(raw.attempts, 1);
    assert!(is_uuid(raw.request_id.as_deref().unwrap()));
    assert!(raw.headers.iter().any(|(k, v)| k == "content-type" && v == "application/octet-stream"));
    assert_eq!(raw.data, Data::Bytes((0..=255).collect()));
    let text = client().invoke_raw("hello", &json!({}), InvokeOptions::new()).await.unwrap();
    assert_eq!(text.data, Data::Text("Hello fn".into()));
}

#[track_caller]
fn assert_error(e: &Error, kind: ErrorKind, code: &str, status: Option<u16>) {
    assert_eq!(e.kind(), kind, "{e}");
    assert_eq!(e.code(), code, "{e}");
    assert_eq!(e.status(), status, "{e}");
    assert_eq!(e.name(), kind.name());
    assert!(e.is(ErrorKind::CloudBase));
}

#[tokio::test]
async fn a_missing_function_is_a_typed_404() {
    let e = client().invoke::<Value, _>("missing-fn", &json!({})).await.unwrap_err();
    assert_error(&e, ErrorKind::FunctionNotFound, "FUNCTION_NOT_FOUND", Some(404));
    assert!(is_uuid(e.request_id().unwrap()), "{:?}", e.request_id());
    assert_eq!((e.retryable(), e.attempts()), (false, 1));
    assert!(e.to_string().starts_with("FunctionNotFoundError (FUNCTION_NOT_FOUND, HTTP 404): "), "{e}");
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(e);
    assert!(boxed.to_string().contains("FUNCTION_NOT_FOUND"));
}

#[tokio::test]
async fn a_hanging_function_times_out() {
    let start = Instant::now();
    let opts = InvokeOptions::new().timeout(Duration::from_millis(300));
    let e = client().invoke_with::<Value, _>("fault-hang", &json!({}), opts).await.unwrap_err();
    assert_error(&e, ErrorKind::Timeout, "TIMEOUT", None);
    assert!(e.message().contains("within 300 ms"), "{e}");
    assert_eq!((e.retryable(), e.attempts()), (false, 1));
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(290) && took < Duration::from_secs(3), "{took:?}");
}

#[tokio::test]
async fn a_sub_millisecond_timeout_is_one_millisecond_not_none() {
    // Rounded up, not down to 0 ("no timeout"): per call and client-wide, the hanging call ends.
    let wide = Client::builder().base_url(url()).timeout(Duration::from_micros(500)).build().unwrap();
    for (c, opts) in [(client(), InvokeOptions::new().timeout(Duration::from_micros(900))), (wide, InvokeOptions::new())] {
        let call = c.invoke_with::<Value, _>("fault-hang", &json!({}), opts);
        let e = tokio::time::timeout(Duration::from_secs(5), call).await.expect("the timeout fired").unwrap_err();
        assert_error(&e, ErrorKind::Timeout, "TIMEOUT", None);
        assert!(e.message().contains("within 1 ms"), "{e}");
    }
    // Rounding up keeps the bound honest: 2^31-1 ms and a nanosecond is over it.
    let max = Duration::from_millis(i32::MAX as u64);
    assert!(Client::builder().env_id("ok-env").timeout(max).build().is_ok());
    let e = Client::builder().env_id("ok-env").timeout(max + Duration::from_nanos(1)).build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    // Delays bound a wait from above: rounded down.
    assert_eq!(Retry::new().max_delay(Duration::from_micros(1999)), Retry::new().max_delay(Duration::from_millis(1)));
    assert_eq!(Retry::new().base_delay(Duration::from_micros(999)), Retry::new().base_delay(Duration::ZERO));
}

#[tokio::test]
async fn an_html_502_is_an_http_error_with_the_body() {
    let e = client().invoke::<Value, _>("fault-html502", &json!({})).await.unwrap_err();
    assert_error(&e, ErrorKind::Http, "HTTP_ERROR", Some(502));
    assert!(e.body().unwrap().contains("502 Bad Gateway"), "{:?}", e.body());
    assert!(e.request_id().is_some());
}

#[tokio::test]
async fn hostile_answers_are_typed() {
    let c = client();
    let e = c.invoke::<Value, _>("fault-bad-json", &json!({})).await.unwrap_err();
    assert_error(&e, ErrorKind::InvalidResponse, "INVALID_RESPONSE", Some(200));
    let e = c.invoke::<Value, _>("fault-drop", &json!({})).await.unwrap_err();
    assert_error(&e, ErrorKind::Network, "NETWORK_ERROR", None);
    let e = c.invoke::<Value, _>("fault-empty500", &json!({})).await.unwrap_err();
    assert_error(&e, ErrorKind::Http, "HTTP_ERROR", Some(500));
    let e = c.invoke::<Value, _>("boom", &json!({})).await.unwrap_err();
    assert_error(&e, ErrorKind::FunctionInvocationFailed, "FUNCTION_INVOCATION_FAILED", Some(400));
    // Well-formed JSON that is not the requested type: the function ran, the answer is unusable.
    let e = c.invoke::<Echo, _>("echo", &json!({"a": "not a number"})).await.unwrap_err();
    assert_error(&e, ErrorKind::InvalidResponse, "INVALID_RESPONSE", Some(200));
    assert!(e.message().contains("requested type"), "{e}");
    // After all of that, the same client still works.
    let ok: Value = c.invoke("echo", &json!({"ok": true})).await.unwrap();
    assert_eq!(ok, json!({"ok": true}));
}

#[tokio::test]
async fn a_busy_function_is_retried_by_default() {
    let key = unique("busy");
    let raw = client()
        .invoke_raw("fault-flaky", &json!({"key": key, "failures": 1}), InvokeOptions::new())
        .await
        .unwrap();
    assert_eq!(raw.data, Data::Json(json!({"attempts": 2})));
    assert_eq!(raw.attempts, 2);

    // With retries off, the same answer is the typed error, marked retryable.
    let key = unique("busy");
    let opts = InvokeOptions::new().retry(Retry::off());
    let e = client().invoke_with::<Value, _>("fault-flaky", &json!({"key": key, "failures": 1}), opts).await.unwrap_err();
    assert_error(&e, ErrorKind::FunctionExceedResourceLimit, "FUNCTION_EXCEED_RESOURCE_LIMIT", Some(429));
    assert_eq!((e.retryable(), e.attempts()), (true, 1));
    assert!(e.is(ErrorKind::RateLimit), "FunctionExceedResourceLimitError extends RateLimitError");

    // The budget is spent after max_attempts.
    let key = unique("busy");
    let opts = InvokeOptions::new().retry(Retry::new().max_attempts(2).base_delay(Duration::from_millis(10)));
    let e = client().invoke_with::<Value, _>("fault-flaky", &json!({"key": key, "failures": 5}), opts).await.unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::FunctionExceedResourceLimit, 2));
}

#[tokio::test]
async fn invalid_input_is_refused_before_sending() {
    let c = client();
    let e = c.invoke::<Value, _>("bad/name", &json!({})).await.unwrap_err();
    assert_error(&e, ErrorKind::InvalidArgument, "INVALID_ARGUMENT", None);
    assert_eq!(e.attempts(), 0);
    let e = c.invoke::<Value, _>("echo", &json!([1, 2])).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = c.invoke_with::<Value, _>("echo", &json!({}), InvokeOptions::new().header("X-Bad", "a\r\nInjected: 1")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = c.invoke_with::<Value, _>("echo", &json!({}), InvokeOptions::new().header("Authorization", "x")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = Client::builder().env_id("evil.com/").build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let e = Client::builder().base_url("http://example.com").build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "plain http only for loopback");
    let e = Client::builder().env_id("ok-env").retry(Retry::new().max_attempts(0)).build().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument);
    let small = Client::builder().base_url(url()).max_payload_bytes(10).build().unwrap();
    let e = small.invoke::<Value, _>("echo", &json!({"long": "0123456789"})).await.unwrap_err();
    assert_eq!((e.kind(), e.status(), e.attempts()), (ErrorKind::PayloadTooLarge, None, 0));
    let built = Client::builder().env_id("my-env-1a2b3c").build().unwrap();
    assert!(format!("{built:?}").contains("https://my-env-1a2b3c."), "{built:?}");
}

#[tokio::test]
async fn headers_reach_the_gateway() {
    let c = Client::builder().base_url(url()).header("X-Trace", "client").access_token("tok-abc").build().unwrap();
    let seen: Value = c
        .invoke_with("fault-headers", &json!({}), InvokeOptions::new().header("x-trace", "call").qualifier("2").webfn(true))
        .await
        .unwrap();
    assert_eq!(seen["x-trace"], "call", "a call header replaces the client's: {seen}");
    assert_eq!(seen["x-qualifier"], "2");
    assert_eq!(seen["x-tcb-webfn"], "true");
    assert_eq!(seen["authorization"], "Bearer tok-abc");
    assert_eq!(seen["content-type"], "application/json");
    assert_eq!(seen["_method"], "POST");
}

#[tokio::test]
async fn client_headers_differing_in_case_are_one_header_the_last() {
    let c = Client::builder().base_url(url()).header("X-Trace", "1").header("x-trace", "2").build().unwrap();
    let seen: Value = c.invoke("fault-headers", &json!({})).await.unwrap();
    assert_eq!(seen["x-trace"], "2", "the last one wins, as per call: {seen}");
    let seen: Value = c.invoke_with("fault-headers", &json!({}), InvokeOptions::new().header("X-TRACE", "3")).await.unwrap();
    assert_eq!(seen["x-trace"], "3", "{seen}");
}

#[tokio::test]
async fn an_abort_signal_ends_the_call() {
    let controller = AbortController::new();
    let signal = controller.signal();
    let c = client();
    let call = c.invoke_with::<Value, _>("fault-hang", &json!({}), InvokeOptions::new().signal(signal.clone()));
    let abort = async {
        tokio::time::sleep(Duration::from_millis(100)).await;
        controller.abort();
    };
    let (result, ()) = tokio::join!(call, abort);
    let e = result.unwrap_err();
    assert_error(&e, ErrorKind::Abort, "ABORTED", None);
    // An already-aborted signal sends nothing.
    let e = c.invoke_with::<Value, _>("echo", &json!({}), InvokeOptions::new().signal(signal)).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Abort);
}

#[tokio::test]
async fn a_refused_token_is_refreshed_once_and_never_shown() {
    let emu = Emu::start(&["--token", "good-token-1"]);
    let asked: Arc<Mutex<Vec<bool>>> = Arc::default();
    let log = asked.clone();
    let c = Client::builder()
        .base_url(&emu.url)
        .token_provider(move |req: TokenRequest| {
            log.lock().unwrap().push(req.force_refresh);
            let token = if req.force_refresh { "good-token-1" } else { "stale-token-0" };
            async move { Ok::<_, std::convert::Infallible>(token.to_string()) }
        })
        .build()
        .unwrap();
    let out: Value = c.invoke("echo", &json!({"x": 1})).await.unwrap();
    assert_eq!(out, json!({"x": 1}));
    assert_eq!(*asked.lock().unwrap(), [false, true], "asked, refused, asked again with force_refresh");

    // A provider that never has a good token: one refresh, then the typed error, token redacted.
    let c = Client::builder()
        .base_url(&emu.url)
        .token_provider(|_req: TokenRequest| async { Ok::<_, std::convert::Infallible>(String::from("wrong-secret-token")) })
        .build()
        .unwrap();
    let e = c.invoke::<Value, _>("echo", &json!({})).await.unwrap_err();
    assert_eq!(e.status(), Some(401), "{e}");
    for shown in [e.to_string(), format!("{e:?}")] {
        assert!(!shown.contains("wrong-secret-token"), "{shown}");
    }

    // A provider that fails: AuthError with the cause, nothing sent.
    let c = Client::builder()
        .base_url(&emu.url)
        .token_provider(|_req: TokenRequest| async { Err::<String, _>("vault unreachable") })
        .build()
        .unwrap();
    let e = c.invoke::<Value, _>("echo", &json!({})).await.unwrap_err();
    assert_error(&e, ErrorKind::Auth, "AUTH_ERROR", None);
    assert_eq!(std::error::Error::source(&e).unwrap().to_string(), "vault unreachable");

    // A static wrong token never appears either.
    let c = Client::builder().base_url(&emu.url).access_token("static-secret-xyz").build().unwrap();
    let e = c.invoke::<Value, _>("echo", &json!({})).await.unwrap_err();
    assert_eq!(e.status(), Some(401));
    assert!(!format!("{e} {e:?}").contains("static-secret-xyz"));
}

#[tokio::test]
async fn a_provider_failing_after_a_request_was_sent_counts_that_request() {
    // Refused (401), then the forced refresh fails: one request was sent.
    let emu = Emu::start(&["--token", "good-token-1"]);
    let c = Client::builder()
        .base_url(&emu.url)
        .token_provider(|req: TokenRequest| async move {
            if req.force_refresh { Err::<String, _>("refresh endpoint down") } else { Ok(String::from("stale-token-0")) }
        })
        .build()
        .unwrap();
    let e = c.invoke::<Value, _>("echo", &json!({})).await.unwrap_err();
    assert_error(&e, ErrorKind::Auth, "AUTH_ERROR", None);
    assert_eq!((e.attempts(), e.request_id()), (1, None), "the provider's failure, after one request");
    assert_eq!(std::error::Error::source(&e).unwrap().to_string(), "refresh endpoint down");

    // A busy answer (429), then the provider fails before the retry: one request was sent.
    let asked = Arc::new(AtomicU32::new(0));
    let counted = asked.clone();
    let c = Client::builder()
        .base_url(url())
        .token_provider(move |_req: TokenRequest| {
            let first = counted.fetch_add(1, Ordering::SeqCst) == 0;
            async move { if first { Ok(String::from("any-token")) } else { Err::<String, _>("vault down") } }
        })
        .retry(Retry::new().base_delay(Duration::from_millis(1)))
        .build()
        .unwrap();
    let e = c.invoke::<Value, _>("fault-flaky", &json!({"key": unique("auth"), "failures": 1})).await.unwrap_err();
    assert_error(&e, ErrorKind::Auth, "AUTH_ERROR", None);
    assert_eq!((e.attempts(), e.request_id(), asked.load(Ordering::SeqCst)), (1, None, 2));

    // Failing for the first attempt: nothing was sent.
    let c = Client::builder().base_url(url()).token_provider(|_req: TokenRequest| async { Err::<String, _>("vault down") }).build().unwrap();
    let e = c.invoke::<Value, _>("echo", &json!({})).await.unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::Auth, 0));
}

#[tokio::test]
async fn jwt_tokens_are_cached_until_their_expiry() {
    let emu = Emu::start(&["--auth"]);
    // An access token the emulator issues (a JWT with `exp`).
    let token = issue_token(&emu.url).await;
    let calls = Arc::new(AtomicU32::new(0));
    let counted = calls.clone();
    let c = Client::builder()
        .base_url(&emu.url)
        .token_provider(move |_req: TokenRequest| {
            counted.fetch_add(1, Ordering::SeqCst);
            let token = token.clone();
            async move { Ok::<_, std::convert::Infallible>(token) }
        })
        .build()
        .unwrap();
    let (a, b, d) = tokio::join!(
        c.invoke::<Value, _>("echo", &json!({"n": 1})),
        c.invoke::<Value, _>("echo", &json!({"n": 2})),
        c.invoke::<Value, _>("echo", &json!({"n": 3})),
    );
    assert_eq!((a.unwrap(), b.unwrap(), d.unwrap()), (json!({"n": 1}), json!({"n": 2}), json!({"n": 3})));
    let _: Value = c.invoke("echo", &json!({})).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1, "one provider call for concurrent and later calls");
}

/// An access token from the emulator's anonymous sign-in, through the client's own transport.
async fn issue_token(url: &str) -> String {
    use cloudbase_fn::client::{native::NativeTransport, HttpRequest, Transport};
    let t = NativeTransport::new();
    let mut req = HttpRequest::new(format!("{url}/auth/v1/signin/anonymously"), "{}".into());
    req.headers.push(("x-device-id".into(), "rust-client-test".into()));
    req.headers.push(("content-type".into(), "application/json".into()));
    let res = t.send(req).await.unwrap();
    let body: Value = serde_json::from_slice(&res.body.await.unwrap()).unwrap();
    body["access_token"].as_str().unwrap().to_string()
}
