//! The Rust client compiled to wasm32 with `client-web` (gloo-net fetch, web-sys
//! AbortController, gloo-timers), run by wasm-bindgen-test in Node and, with the `browser-tests`
//! feature, in headless Chromium (cross-origin to the emulator: CORS). The emulator's URL is
//! read at compile time from `EMULATOR_URL` (scripts/test.d/25-rust-client.sh sets it).
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use cloudbase_fn::client::{AbortController, Data, ErrorKind, Retry, TokenRequest};
use cloudbase_fn::{Client, InvokeOptions};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use wasm_bindgen_test::wasm_bindgen_test;

#[cfg(feature = "browser-tests")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const URL: &str = match option_env!("EMULATOR_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:1",
};

fn client() -> Client {
    Client::builder().base_url(URL).build().unwrap()
}

fn unique(prefix: &str) -> String {
    format!("{prefix}-{}", (js_sys::Math::random() * 1e12) as u64)
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
struct Echo {
    a: u32,
    text: String,
}

#[wasm_bindgen_test]
async fn typed_data_in_and_out() {
    let c = client();
    let sent = Echo { a: 7, text: "héllo ✓".into() };
    let got: Echo = c.invoke("echo", &sent).await.unwrap();
    assert_eq!(got, sent);
    let text: String = c.invoke_with("hello", &json!({}), InvokeOptions::new().qualifier("2")).await.unwrap();
    assert_eq!(text, "Hello fn v2");
    let raw = c.invoke_raw("fault-bytes", &json!({}), InvokeOptions::new()).await.unwrap();
    assert_eq!((raw.status, raw.attempts), (200, 1));
    assert_eq!(raw.data, Data::Bytes((0..=255).collect()));
    assert_eq!(raw.request_id.as_deref().map(str::len), Some(36), "X-Request-Id is exposed by CORS");
}

#[wasm_bindgen_test]
async fn typed_errors() {
    let c = client();
    let e = c.invoke::<Value, _>("missing-fn", &json!({})).await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.status()), (ErrorKind::FunctionNotFound, "FUNCTION_NOT_FOUND", Some(404)));
    assert_eq!(e.request_id().map(str::len), Some(36));
    let e = c.invoke::<Value, _>("fault-html502", &json!({})).await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::Http, Some(502)));
    assert!(e.body().unwrap().contains("502 Bad Gateway"));
    let e = c.invoke::<Value, _>("fault-bad-json", &json!({})).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidResponse);
    let e = c.invoke::<Value, _>("bad/name", &json!({})).await.unwrap_err();
    assert_eq!((e.kind(), e.attempts()), (ErrorKind::InvalidArgument, 0));
}

#[wasm_bindgen_test]
async fn timeouts_abort_the_fetch() {
    let start = js_sys::Date::now();
    let opts = InvokeOptions::new().timeout(Duration::from_millis(300));
    let e = client().invoke_with::<Value, _>("fault-hang", &json!({}), opts).await.unwrap_err();
    assert_eq!((e.kind(), e.code(), e.status()), (ErrorKind::Timeout, "TIMEOUT", None));
    let took = js_sys::Date::now() - start;
    assert!((290.0..3000.0).contains(&took), "{took}");
}

#[wasm_bindgen_test]
async fn an_abort_signal_ends_the_call() {
    let controller = AbortController::new();
    let c = client();
    let call = c.invoke_with::<Value, _>("fault-hang", &json!({}), InvokeOptions::new().signal(controller.signal()));
    let abort = async {
        gloo_timers::future::TimeoutFuture::new(100).await;
        controller.abort();
    };
    let (result, ()) = futures_util::future::join(call, abort).await;
    assert_eq!(result.unwrap_err().kind(), ErrorKind::Abort);
}

#[wasm_bindgen_test]
async fn a_busy_function_is_retried() {
    let raw = client()
        .invoke_raw("fault-flaky", &json!({"key": unique("wasm-busy"), "failures": 1}), InvokeOptions::new())
        .await
        .unwrap();
    assert_eq!((raw.data, raw.attempts), (Data::Json(json!({"attempts": 2})), 2));
    let opts = InvokeOptions::new().retry(Retry::off());
    let e = client()
        .invoke_with::<Value, _>("fault-flaky", &json!({"key": unique("wasm-busy"), "failures": 1}), opts)
        .await
        .unwrap_err();
    assert_eq!((e.kind(), e.retryable(), e.attempts()), (ErrorKind::FunctionExceedResourceLimit, true, 1));
}

#[wasm_bindgen_test]
async fn a_token_provider_supplies_the_bearer() {
    let c = Client::builder()
        .base_url(URL)
        .token_provider(|req: TokenRequest| async move {
            assert!(!req.force_refresh);
            Ok::<_, std::convert::Infallible>(String::from("wasm-token"))
        })
        .build()
        .unwrap();
    let seen: Value = c.invoke("fault-headers", &json!({})).await.unwrap();
    assert_eq!(seen["authorization"], "Bearer wasm-token");
}
