//! Connections over raw sockets: stalled or idle clients (`--read-timeout`), answers sent before a
//! body is read, and the order of the request checks.
mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use cloudbase_fn::contract::tc3;
use common::*;

/// Sends `data`, then waits for the server to close the connection; how long that took.
fn closed_after(port: u16, data: &[u8]) -> Duration {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(6))).unwrap();
    let t = Instant::now();
    s.write_all(data).unwrap();
    let mut sink = Vec::new();
    match s.read_to_end(&mut sink) {
        Ok(_) => t.elapsed(),
        Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => t.elapsed(),
        Err(e) => panic!("still open after {:?} ({e}), sent {:?}", t.elapsed(), String::from_utf8_lossy(data)),
    }
}

#[test]
fn stalled_and_idle_connections_are_closed_after_the_read_timeout() {
    let emu = Emu::examples(&["--read-timeout", "1"]);
    let cases: [&[u8]; 3] = [
        b"",
        b"POST /v1/functions/echo HTTP/1.1\r\nHost: x\r\n",
        b"POST /v1/functions/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{\"a\"",
    ];
    for data in cases {
        let took = closed_after(emu.port, data);
        assert!(took >= Duration::from_millis(900) && took < Duration::from_secs(4), "{took:?}");
    }
    // An idle keep-alive connection after a request too.
    let mut c = emu.conn();
    assert_eq!(c.send("POST", "/v1/functions/echo", &[], b"{}").unwrap().status, 200);
    let t = Instant::now();
    let mut sink = Vec::new();
    c.r.read_to_end(&mut sink).unwrap();
    assert!(t.elapsed() < Duration::from_secs(4), "{:?}", t.elapsed());
    // The limit is per wait, not per request: a slow but steady body gets through.
    let body = br#"{"slow":"but steady"}"#;
    let mut s = TcpStream::connect(("127.0.0.1", emu.port)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let head = format!("POST /v1/functions/echo HTTP/1.1\r\nHost: x\r\nContent-Length: {}\r\n\r\n", body.len());
    s.write_all(head.as_bytes()).unwrap();
    for piece in body.chunks(6) {
        std::thread::sleep(Duration::from_millis(400));
        s.write_all(piece).unwrap();
    }
    let mut c = Conn { r: std::io::BufReader::new(s) };
    let r = c.read_response("POST").unwrap();
    assert_eq!(r.json(), json!({"slow": "but steady"}));
}

/// Writes the whole request (a 5 MiB body) before reading, as many clients do; an upload cut short
/// is an error, as it is for them.
fn send_all_then_read(port: u16, method: &str, path: &str, auth: Option<&str>) -> std::io::Result<Resp> {
    let s = TcpStream::connect(("127.0.0.1", port))?;
    s.set_read_timeout(Some(Duration::from_secs(20)))?;
    let mut body = vec![b'a'; 5 * 1024 * 1024];
    body[0] = b'{';
    let auth = auth.map(|a| format!("Authorization: {a}\r\n")).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{auth}Connection: close\r\n\r\n",
        body.len()
    );
    let mut w = s.try_clone()?;
    // Clients such as Node's give up on a request whose upload fails (EPIPE, reset), answer or not.
    w.write_all(head.as_bytes()).and_then(|_| w.write_all(&body))?;
    Conn { r: std::io::BufReader::new(s) }.read_response(method)
}

#[test]
fn early_answers_reach_clients_that_send_the_whole_body_first() {
    let emu = Emu::examples(&["--token", "alpha"]);
    let cases = [
        ("POST", "/v1/functions/echo", None, 401, "MISSING_CREDENTIALS"),
        ("POST", "/v1/functions/echo", Some("Bearer wrong"), 401, "INVALID_ACCESS_TOKEN"),
        ("PUT", "/v1/functions/echo", Some("Bearer alpha"), 405, "METHOD_NOT_ALLOWED"),
        ("POST", "/v1/functions/1bad", Some("Bearer alpha"), 400, "INVALID_PARAM"),
        ("POST", "/elsewhere", Some("Bearer alpha"), 404, "NOT_FOUND"),
    ];
    for (method, path, auth, status, code) in cases {
        for _ in 0..3 {
            let r = send_all_then_read(emu.port, method, path, auth)
                .unwrap_or_else(|e| panic!("{method} {path}: upload or answer lost ({e})"));
            r.assert_error(status, code);
        }
    }
}

#[test]
fn the_signature_is_checked_after_the_body_size_and_before_the_body_json() {
    let emu = Emu::examples(&["--secret-id", "AKIDorder", "--secret-key", "order-key"]);
    let h = |auth: &'static str| [("Authorization", auth), ("Content-Type", "application/json")];
    let bad = "TC3-HMAC-SHA256 Credential=AKIDorder/DATE/tcb/tc3_request, SignedHeaders=content-type;host, Signature=00, Timestamp=TS";
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let bad: &'static str = Box::leak(bad.replace("DATE", &tc3::utc_date(now)).replace("TS", &now.to_string()).into_boxed_str());
    // A bad signature over a body that is not an object: the signature is what is refused.
    emu.req("POST", "/v1/functions/echo", &h(bad), b"[1]").assert_error(401, "SIGN_PARAM_INVALID");
    // A good signature over it: then the body.
    let good = tc3_post("/v1/functions/echo", b"[1]", "AKIDorder", "order-key", now);
    let good: &'static str = Box::leak(good.into_boxed_str());
    emu.req("POST", "/v1/functions/echo", &h(good), b"[1]").assert_error(400, "FUNCTION_PARAM_INVALID");
    // Too large is decided before the signature.
    let mut c = emu.conn();
    c.write_request("POST", "/v1/functions/echo", &[("Authorization", bad), ("Content-Length", "7000000")], b"{")
        .unwrap();
    c.read_response("POST").unwrap().assert_error(413, "EXCEED_MAX_PAYLOAD_SIZE");
    // The README says so.
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let order = "Checks run in this order: method, credentials (a TC3 signature's header), name, body size, \
                 TC3 signature, body JSON, function lookup, qualifier, concurrency.";
    assert!(readme.split_whitespace().collect::<Vec<_>>().join(" ").contains(order), "README must say: {order}");
    assert!(!readme.contains("checked after\n  the name and body checks"), "README still says the signature comes after the body checks");
}
