//! Streaming functions: `main` returns an async iterable and the answer is server-sent events,
//! each written as soon as the function yields it.
mod common;

use common::*;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const EVENT_STREAM: Option<&str> = Some("text/event-stream; charset=utf-8");

fn tick(i: u32) -> String {
    format!("event: tick\nid: {i}\ndata: {{\"i\":{i}}}\n\n")
}

fn ticks(n: u32) -> String {
    (0..n).map(tick).collect()
}

fn error_event(code: &str, message: &str, request_id: &str) -> String {
    let data = json!({ "code": code, "message": message, "requestId": request_id });
    format!("event: error\ndata: {data}\n\n")
}

/// Sends a call on a connection of its own and reads the head of the answer.
fn open(emu: &Emu, name: &str, body: Value) -> (Conn, Vec<(String, String)>) {
    let mut c = emu.conn();
    c.write_request("POST", &format!("/v1/functions/{name}"), &[], body.to_string().as_bytes()).unwrap();
    let (status, headers) = c.read_head().unwrap();
    assert_eq!(status, 200);
    let ct = headers.iter().find(|(k, _)| k == "content-type").map(|(_, v)| v.as_str());
    assert_eq!(ct, EVENT_STREAM);
    (c, headers)
}

fn next_event(c: &mut Conn) -> String {
    String::from_utf8(c.read_chunk().unwrap().expect("an event, not the end")).unwrap()
}

/// Waits (up to `secs`) until `done` holds.
fn eventually(secs: u64, mut done: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + Duration::from_secs(secs);
    while !done() {
        if Instant::now() > end {
            return false;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    true
}

/// Waits until no streaming function is running any more (`streams` in the stats).
fn streams_end(emu: &Emu) -> bool {
    eventually(5, || emu.stats()["streams"] == 0)
}

/// A functions folder holding copies of the example ticker (with `config.json`s) and an echo.
fn ticker_copies(tag: &str, configs: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cbfn-emu-sse-{tag}-{}", std::process::id()));
    let ticker = std::fs::read_to_string(examples().join("ticker/index.js")).unwrap();
    for (name, config) in configs {
        std::fs::create_dir_all(dir.join(name)).unwrap();
        std::fs::write(dir.join(name).join("index.js"), &ticker).unwrap();
        std::fs::write(dir.join(name).join("config.json"), config).unwrap();
    }
    std::fs::create_dir_all(dir.join("echo")).unwrap();
    std::fs::write(dir.join("echo/index.js"), "exports.main = (event) => event").unwrap();
    dir
}

fn marker(tag: &str) -> PathBuf {
    let m = std::env::temp_dir().join(format!("cbfn-emu-sse-{tag}-{}.marker", std::process::id()));
    let _ = std::fs::remove_file(&m);
    m
}

fn read_marker(m: &Path) -> Option<u64> {
    std::fs::read_to_string(m).ok()?.parse().ok()
}

#[test]
fn ticker_streams_server_sent_events() {
    let emu = Emu::examples(&[]);
    let r = emu.req("POST", "/v1/functions/ticker", &[("Origin", "http://app.example")], b"{}");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), EVENT_STREAM);
    assert_eq!(r.header("cache-control"), Some("no-cache"));
    assert_eq!(r.header("transfer-encoding"), Some("chunked"));
    assert_eq!(r.header("content-length"), None);
    assert!(is_uuid_v4(r.request_id()));
    assert_eq!(r.header("access-control-allow-origin"), Some("http://app.example"));
    assert_eq!(r.text(), ticks(3));
    assert_eq!(
        r.text(),
        "event: tick\nid: 0\ndata: {\"i\":0}\n\nevent: tick\nid: 1\ndata: {\"i\":1}\n\nevent: tick\nid: 2\ndata: {\"i\":2}\n\n"
    );
    // The same as a web function.
    let r = emu.req("POST", "/v1/functions/ticker", &[("X-Tcb-Webfn", "true")], br#"{"count":2,"everyMs":1}"#);
    assert_eq!((r.status, r.header("content-type")), (200, EVENT_STREAM));
    assert_eq!(r.text(), ticks(2));
    let r = emu.post("/v1/functions/ticker?webfn=true", r#"{"count":1}"#);
    assert_eq!(r.text(), ticks(1));
    // A stream then an ordinary call on one kept-alive connection; the latter is unchanged.
    let mut c = emu.conn();
    assert_eq!(c.send("POST", "/v1/functions/ticker", &[], br#"{"count":5,"everyMs":0}"#).unwrap().text(), ticks(5));
    let r = c.send("POST", "/v1/functions/echo", &[], br#"{"a":1}"#).unwrap();
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("content-length"), Some("7"));
    assert_eq!(r.json(), json!({"a": 1}));
    assert_eq!(c.send("POST", "/v1/functions/hello", &[], b"").unwrap().text(), "Hello fn");
}

#[test]
fn events_reach_the_client_while_the_function_is_still_running() {
    let emu = Emu::examples(&["--faults"]);
    // The ticker waits forever after its second event, so reading both proves they were sent
    // before the function finished.
    let (mut c, headers) = open(&emu, "ticker", json!({"stallAfter": 2, "everyMs": 1}));
    assert!(headers.iter().any(|(k, v)| k == "x-request-id" && is_uuid_v4(v)));
    assert_eq!(next_event(&mut c), tick(0));
    assert_eq!(next_event(&mut c), tick(1));
    assert_eq!(emu.stats()["streams"], 1);
    // Going away stops the function (here by terminating its worker: it never reaches a yield).
    drop(c);
    assert!(streams_end(&emu), "the function kept running after its client left");
    assert_eq!(emu.post_json("ticker", json!({"count": 1})).text(), tick(0));
}

#[test]
fn a_disconnect_closes_the_iterator_so_the_function_finally_blocks_run() {
    let emu = Emu::start(test_functions(), &["--faults"]);
    let m = marker("finally");
    let (mut c, _) = open(&emu, "sse-finally", json!({"marker": m}));
    assert_eq!(next_event(&mut c), "data: x\n\n");
    assert_eq!(next_event(&mut c), "data: x\n\n");
    drop(c);
    // Only return() runs the finally block (a terminated worker would not).
    assert!(eventually(5, || read_marker(&m).is_some()), "return() was not called");
    assert!(read_marker(&m).unwrap() >= 2);
    assert!(streams_end(&emu));
    let _ = std::fs::remove_file(&m);

    // Gone before the first event: the function is stopped too.
    let emu = Emu::examples(&["--faults"]);
    let mut c = emu.conn();
    c.write_request("POST", "/v1/functions/ticker", &[], br#"{"stallAfter":0}"#).unwrap();
    assert!(eventually(5, || emu.stats()["streams"] == 1));
    drop(c);
    assert!(streams_end(&emu));
}

#[test]
fn a_throw_ends_the_stream_with_an_error_event() {
    let emu = Emu::examples(&[]);
    let r = emu.post_json("ticker", json!({"failAt": 2}));
    assert_eq!((r.status, r.header("content-type")), (200, EVENT_STREAM));
    let id = r.request_id();
    let error = error_event("FUNCTION_INVOCATION_FAILED", "ticker failed at 2", id);
    assert_eq!(r.text(), ticks(2) + &error);
    assert!(r.text().ends_with(&format!(
        "event: error\ndata: {{\"code\":\"FUNCTION_INVOCATION_FAILED\",\"message\":\"ticker failed at 2\",\"requestId\":\"{id}\"}}\n\n"
    )));
    // Before the first event nothing is sent yet: an ordinary error answer.
    let v = emu.post_json("ticker", json!({"failAt": 0})).assert_error(400, "FUNCTION_INVOCATION_FAILED");
    assert_eq!(v["message"], "ticker failed at 0");
    assert_eq!(emu.post_json("ticker", json!({"count": 1})).text(), tick(0));
}

#[test]
fn the_time_limit_applies_to_each_wait_for_an_event_not_to_the_whole_stream() {
    let dir = ticker_copies("limit", &[("short", r#"{"timeoutMs": 600}"#)]);
    let emu = Emu::start(dir.clone(), &[]);
    // 800 ms in all, at most 200 ms between events.
    let r = emu.post_json("short", json!({"count": 5, "everyMs": 200}));
    assert_eq!(r.text(), ticks(5));
    // Silent for longer than the limit after an event: the stream ends with the error.
    let t = Instant::now();
    let r = emu.post_json("short", json!({"stallAfter": 1}));
    assert!(t.elapsed() >= Duration::from_millis(600), "{:?}", t.elapsed());
    let message = "function exceeded its time limit of 600 ms waiting for its next event";
    assert_eq!(r.text(), tick(0) + &error_event("FUNCTION_TIME_LIMIT_EXCEEDED", message, r.request_id()));
    // Silent before the first event: an ordinary error answer.
    emu.post_json("short", json!({"stallAfter": 0})).assert_error(400, "FUNCTION_TIME_LIMIT_EXCEEDED");
    assert_eq!(emu.post_json("short", json!({"count": 1})).text(), tick(0));
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_stream_keeps_its_concurrency_slot_until_it_stops_and_blocks_no_other_call() {
    let dir = ticker_copies("slot", &[("single", r#"{"concurrency": 1}"#), ("other", "{}")]);
    let emu = Emu::start(dir.clone(), &["--faults"]);
    let (mut c, _) = open(&emu, "single", json!({"stallAfter": 1}));
    assert_eq!(next_event(&mut c), tick(0));
    let r = emu.post_json("single", json!({}));
    r.assert_error(429, "FUNCTION_EXCEED_RESOURCE_LIMIT");
    // Other functions, and other streams, run meanwhile in workers of their own.
    assert_eq!(emu.post_json("echo", json!({"x": 1})).json(), json!({"x": 1}));
    let (mut o, _) = open(&emu, "other", json!({"stallAfter": 1}));
    assert_eq!(next_event(&mut o), tick(0));
    assert_eq!(emu.post_json("other", json!({})).text(), ticks(3));
    assert_eq!(emu.stats()["streams"], 2);
    drop((c, o));
    assert!(streams_end(&emu));
    assert_eq!(emu.post_json("single", json!({"count": 1})).text(), tick(0));
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_runtime_crash_ends_the_stream_with_an_error_event() {
    let emu = Emu::start(test_functions(), &["--faults"]);
    let m = marker("crash");
    // The next event would come 2 s after the first one.
    let (mut c, _) = open(&emu, "sse-finally", json!({"marker": m, "everyMs": 2000}));
    assert_eq!(next_event(&mut c), "data: x\n\n");
    emu.post("/v1/functions/crash", "{}").assert_error(400, "FUNCTION_INVOCATION_FAILED");
    let rest = next_event(&mut c);
    assert!(rest.starts_with("event: error\ndata: {\"code\":\"FUNCTION_INVOCATION_FAILED\""), "{rest:?}");
    assert!(rest.contains("the function runtime exited during the invocation"), "{rest:?}");
    assert_eq!(c.read_chunk().unwrap(), None, "the stream ends there");
    assert_eq!(emu.stats()["streams"], 0);
}

#[test]
fn items_become_events() {
    let emu = Emu::start(test_functions(), &[]);
    let r = emu.post_json("sse-shapes", json!({"mode": "shapes"}));
    assert_eq!((r.status, r.header("content-type")), (200, EVENT_STREAM));
    let expected = [
        "data: plain\n\n",
        "data: two\ndata: lines\ndata: and\ndata: three\n\n",
        "data: \n\n",
        "data: just data\n\n",
        "event: named\nid: 7\nretry: 1500\ndata: {\"nested\":[1,\"a\\nb\"]}\n\n",
        "event: \nid: \ndata:  leading space\n\n",
        "data: null\n\n",
        "data: {\"i\":1}\n\n",
        "data: [1,2]\n\n",
        "data: 42\n\n",
        "data: null\n\n",
        "data: \u{fffd}\n\n",
    ];
    assert_eq!(r.text(), expected.concat());
    // Any async iterable streams, also one returned by an async main.
    assert_eq!(emu.post_json("sse-shapes", json!({"mode": "custom"})).text(), "data: c0\n\ndata: c1\n\n");
    // No item: the head and an empty body.
    let r = emu.post_json("sse-shapes", json!({"mode": "empty"}));
    assert_eq!((r.status, r.header("content-type"), r.text().as_str()), (200, EVENT_STREAM, ""));
    // A field that would break the framing ends the stream with an error.
    for (field, message) in [
        ("event", r#"the event of a server-sent event must not contain line breaks: "a\nb""#),
        ("id", r#"the id of a server-sent event must not contain line breaks or NUL: "a\nb""#),
        ("retry", "the retry of a server-sent event must be a whole number of milliseconds, got 1.5"),
    ] {
        let r = emu.post_json("sse-shapes", json!({"mode": "bad", "field": field}));
        let error = error_event("FUNCTION_INVOCATION_FAILED", message, r.request_id());
        assert_eq!(r.text(), format!("data: ok\n\n{error}"));
    }
    // Plain results, sync iterables included, are answered as before.
    let r = emu.post_json("sse-shapes", json!({"mode": "array"}));
    assert_eq!((r.header("content-type"), r.text().as_str()), (Some("application/json"), "[1,2]"));
    let r = emu.post_json("sse-shapes", json!({"mode": "sync-generator"}));
    assert_eq!((r.header("content-type"), r.text().as_str()), (Some("application/json"), "{}"));
}

#[test]
fn a_client_that_does_not_read_pauses_the_function() {
    let emu = Emu::start(test_functions(), &["--faults"]);
    let m = marker("paced");
    // 16 KiB events as fast as the function can make them.
    let (mut c, _) = open(&emu, "sse-finally", json!({"marker": m, "everyMs": 0, "bytes": 16384}));
    assert_eq!(next_event(&mut c).len(), 16384 + 8);
    std::thread::sleep(Duration::from_millis(1000));
    drop(c);
    assert!(eventually(5, || read_marker(&m).is_some()), "return() was not called");
    // The socket buffers hold a few MB (a few hundred events); the rest waited for the client.
    let produced = read_marker(&m).unwrap();
    eprintln!("{produced} events produced for a client that read one");
    assert!(produced < 2000, "{produced} events produced for a client that read one");
    assert!(streams_end(&emu));
    let _ = std::fs::remove_file(&m);
}
