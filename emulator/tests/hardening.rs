//! Defects found by an audit, over real HTTP: a function's own fd 1, the concurrency slot of a
//! client that left, headers in unusual spellings and a runtime that cannot start.
mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use cloudbase_fn::contract::tc3;
use common::*;

#[test]
fn a_function_writing_to_fd_1_does_not_break_the_runtime_replies() {
    let emu = Emu::start(test_functions(), &[]);
    // The partial line used to glue onto the next reply, which was lost (15 s backstop, then 400).
    let r = emu.post("/v1/functions/fd1", "{}");
    assert_eq!((r.status, r.text()), (200, r#"{"ok":1}"#.to_string()));
    assert_eq!(emu.post("/v1/functions/echo", r#"{"after":1}"#).json(), json!({"after": 1}));
    assert_eq!(emu.post("/v1/functions/fd1", "{}").status, 200);
}

#[test]
fn a_client_that_leaves_keeps_its_concurrency_slot_until_the_function_ends() {
    let emu = Emu::examples(&["--faults"]); // limited: concurrency 1
    let mut c = emu.conn();
    c.write_request("POST", "/v1/functions/limited", &[], br#"{"ms":1500}"#).unwrap();
    emu.wait_stats("the call running", |s| s["running"] == 1);
    drop(c); // a client giving up on its own timeout
    emu.wait_stats("the client's leaving seen", |s| s["left"] == 1);
    for _ in 0..3 {
        emu.post_json("limited", json!({"ms": 1})).assert_error(429, "FUNCTION_EXCEED_RESOURCE_LIMIT");
    }
    // Free again once the function has ended.
    emu.wait_stats("the function ended", |s| s["running"] == 0);
    assert_eq!(emu.post_json("limited", json!({"ms": 1})).status, 200);
}

#[test]
fn a_qualifier_that_is_not_ascii_is_an_unknown_qualifier() {
    let emu = Emu::examples(&[]);
    let q = |name: &str, q: &str| emu.req("POST", &format!("/v1/functions/{name}"), &[("X-Qualifier", q)], b"{}");
    q("hello", "v\u{e9}").assert_error(404, "FUNCTION_QUALIFIER_NOT_FOUND");
    q("hello", "2\u{e9}").assert_error(404, "FUNCTION_QUALIFIER_NOT_FOUND");
    q("nope", "v\u{e9}").assert_error(404, "FUNCTION_NOT_FOUND");
    assert_eq!(q("hello", "2").text(), "Hello fn v2");
}

const ID: &str = "AKIDemulatorTEST";
const KEY: &str = "emulator/secret+key=";

#[test]
fn authorization_schemes_are_case_insensitive() {
    let emu = Emu::examples(&["--token", "alpha", "--secret-id", ID, "--secret-key", KEY]);
    let call = |auth: &str, body: &[u8]| {
        let h = [("Authorization", auth), ("Content-Type", "application/json")];
        emu.req("POST", "/v1/functions/echo", &h, body)
    };
    for auth in ["Bearer alpha", "bearer alpha", "BEARER alpha", "bEaReR   alpha"] {
        assert_eq!(call(auth, b"{}").status, 200, "{auth}");
    }
    call("bearer gamma", b"{}").assert_error(401, "INVALID_ACCESS_TOKEN");
    call("bearer", b"{}").assert_error(401, "MISSING_CREDENTIALS");
    call("Bearerx alpha", b"{}").assert_error(401, "MISSING_CREDENTIALS");

    let body = br#"{"tc3":1}"#;
    let timestamp = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let auth = tc3_post("/v1/functions/echo", body, ID, KEY, timestamp);
    assert_eq!(call(&auth, body).status, 200);
    let rest = auth.strip_prefix(tc3::ALGORITHM).unwrap();
    for scheme in ["tc3-hmac-sha256", "Tc3-Hmac-Sha256"] {
        let r = call(&format!("{scheme}{rest}"), body);
        assert_eq!((r.status, r.json()), (200, json!({"tc3": 1})), "{scheme}");
    }
}

#[test]
fn a_runtime_that_exits_before_it_is_ready_is_function_status_abnormal() {
    let dir = std::env::temp_dir().join(format!("cbfn-emu-fakenode-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let node = dir.join("node");
    std::fs::write(&node, "#!/bin/sh\nexit 1\n").unwrap();
    std::fs::set_permissions(&node, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let emu = Emu::start_env(examples(), &[], &[("CLOUDBASE_FN_EMULATOR_NODE", node.to_str().unwrap())]);
    for _ in 0..3 {
        let v = emu.post("/v1/functions/echo", "{}").assert_error(500, "FUNCTION_STATUS_ABNORMAL");
        assert!(v["message"].as_str().unwrap().contains("runtime"), "{v}");
    }
    // A missing binary says the same.
    let missing = Emu::start_env(examples(), &[], &[("CLOUDBASE_FN_EMULATOR_NODE", "/nonexistent/node")]);
    missing.post("/v1/functions/echo", "{}").assert_error(500, "FUNCTION_STATUS_ABNORMAL");
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}
