//! The Rust client with only the `client` feature and a transport of the user's own, as
//! docs/rust-client.md offers ("pass your own"): here a plain HTTP/1.0 exchange over
//! `std::net::TcpStream`, against the real emulator. It checks that `client` builds without a
//! transport feature, that the builder refuses to build without a transport, and that the core's
//! decisions (URL, headers, typed answers and errors, retries) reach and come back through a
//! transport it does not know.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use cloudbase_fn::client::{BoxError, BoxFuture, ErrorKind, HttpRequest, HttpResponse, Transport};
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
