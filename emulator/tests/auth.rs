//! Credentials over real HTTP: the CloudBase auth v2 endpoints (`--auth`, `--token-ttl`),
//! issued and expired access tokens on the functions route, and TC3-HMAC-SHA256 signed calls
//! (`--secret-id`/`--secret-key`) checked with the SDK's own signer.
mod common;

use std::time::{SystemTime, UNIX_EPOCH};

use cloudbase_fn::contract::jwt::{is_auth_rejection, jwt_expiry, refresh_request_body};
use cloudbase_fn::contract::tc3::{self, Payload, SignInput};
use common::*;

const SIGNIN: &str = "/auth/v1/signin/anonymously";
const TOKEN: &str = "/auth/v1/token";

fn now_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

fn signin(emu: &Emu, device: &str) -> Value {
    let r = emu.req(
        "POST",
        SIGNIN,
        &[
            ("x-device-id", device),
            ("Content-Type", "application/json"),
        ],
        b"{}",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert!(is_uuid_v4(r.request_id()));
    r.json()
}

fn call(emu: &Emu, token: &str) -> Resp {
    let auth = format!("Bearer {token}");
    emu.req(
        "POST",
        "/v1/functions/echo",
        &[("Authorization", &auth)],
        br#"{"x":1}"#,
    )
}

fn refresh(emu: &Emu, refresh_token: &str) -> Resp {
    let body = refresh_request_body(refresh_token, Some("env-id"));
    emu.req(
        "POST",
        TOKEN,
        &[("Content-Type", "application/json")],
        body.as_bytes(),
    )
}

#[track_caller]
fn assert_oauth_error(r: &Resp, status: u16, error: &str) {
    assert_eq!(r.status, status, "{}", r.text());
    let v = r.json();
    assert_eq!(v["error"], error, "{v}");
    assert!(
        v["error_description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "{v}"
    );
}

#[test]
fn anonymous_signin_issues_jwt_tokens_accepted_by_functions() {
    let emu = Emu::examples(&["--auth"]);
    let before = now_s();
    let s = signin(&emu, "device-0123456789abcdef");
    assert_eq!(s["token_type"], "Bearer");
    assert_eq!(s["expires_in"], 7200);
    assert_eq!(s["scope"], "anonymous");
    let access = s["access_token"].as_str().unwrap();
    let exp = jwt_expiry(access).expect("JWT-shaped access token with exp");
    assert!((before + 7200..=now_s() + 7200).contains(&exp), "exp {exp}");
    assert!(s["refresh_token"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(s["sub"].as_str().is_some_and(|t| !t.is_empty()));

    let r = call(&emu, access);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({"x":1}));

    // One anonymous user per device.
    assert_eq!(signin(&emu, "device-0123456789abcdef")["sub"], s["sub"]);
    assert_ne!(signin(&emu, "another-device-0000000")["sub"], s["sub"]);
    // Without --auth the endpoints do not exist and the functions need no token.
    let plain = Emu::examples(&[]);
    plain
        .req("POST", SIGNIN, &[("x-device-id", "d")], b"{}")
        .assert_error(404, "NOT_FOUND");
}

#[test]
fn refresh_rotates_tokens() {
    let emu = Emu::examples(&["--auth"]);
    let s = signin(&emu, "device-refresh-000000");
    let old_refresh = s["refresh_token"].as_str().unwrap();
    let r = refresh(&emu, old_refresh);
    assert_eq!(r.status, 200, "{}", r.text());
    let n = r.json();
    assert_eq!(n["token_type"], "Bearer");
    assert_eq!(n["sub"], s["sub"]);
    assert_ne!(n["access_token"], s["access_token"]);
    assert_ne!(n["refresh_token"], s["refresh_token"]);
    assert_eq!(call(&emu, n["access_token"].as_str().unwrap()).status, 200);
    // The old refresh token is spent; the new one works once.
    assert_oauth_error(&refresh(&emu, old_refresh), 400, "invalid_grant");
    assert_eq!(
        refresh(&emu, n["refresh_token"].as_str().unwrap()).status,
        200
    );
    assert_oauth_error(&refresh(&emu, "m.unknown"), 400, "invalid_grant");
}

#[test]
fn auth_endpoint_errors() {
    let emu = Emu::examples(&["--auth"]);
    assert_oauth_error(
        &emu.req("POST", SIGNIN, &[], b"{}"),
        400,
        "invalid_argument",
    );
    assert_oauth_error(
        &emu.req("POST", SIGNIN, &[("x-device-id", "d")], b"[1]"),
        400,
        "invalid_argument",
    );
    assert_oauth_error(
        &emu.req("POST", TOKEN, &[], br#"{"grant_type":"password"}"#),
        400,
        "unsupported_grant_type",
    );
    assert_oauth_error(
        &emu.req("POST", TOKEN, &[], br#"{"grant_type":"refresh_token"}"#),
        400,
        "invalid_argument",
    );
    assert_oauth_error(&emu.req("POST", TOKEN, &[], b"{}"), 400, "invalid_argument");
    assert_oauth_error(
        &emu.req("POST", TOKEN, &[], b"not json"),
        400,
        "invalid_argument",
    );
    assert_oauth_error(&emu.req("GET", SIGNIN, &[], b""), 405, "unimplemented");
    assert_oauth_error(
        &emu.req("POST", "/auth/v1/elsewhere", &[], b"{}"),
        404,
        "not_found",
    );
}

#[test]
fn expired_unknown_and_missing_tokens_are_refused() {
    let emu = Emu::examples(&["--auth", "--token-ttl", "0", "--token", "static-key"]);
    let s = signin(&emu, "device-expired-0000000");
    let access = s["access_token"].as_str().unwrap();
    let v = call(&emu, access).assert_error(401, "ACCESS_TOKEN_EXPIRED");
    assert!(is_auth_rejection(401, v["code"].as_str()));
    // Refreshing gives another (here: equally short-lived) token.
    let n = refresh(&emu, s["refresh_token"].as_str().unwrap()).json();
    assert_eq!(n["expires_in"], 0);
    call(&emu, n["access_token"].as_str().unwrap()).assert_error(401, "ACCESS_TOKEN_EXPIRED");
    // A JWT the emulator did not issue, even with a future exp, is invalid.
    let forged = [
        access.split('.').next().unwrap(),
        "eyJleHAiOjQxMDI0NDQ4MDB9", // {"exp":4102444800}
        "c2ln",
    ]
    .join(".");
    call(&emu, &forged).assert_error(401, "INVALID_ACCESS_TOKEN");
    call(&emu, "nope").assert_error(401, "INVALID_ACCESS_TOKEN");
    emu.post("/v1/functions/echo", "{}")
        .assert_error(401, "MISSING_CREDENTIALS");
    // --token values keep working next to --auth.
    assert_eq!(call(&emu, "static-key").status, 200);

    // A short lifetime: valid now, expired a little later.
    let emu = Emu::examples(&["--auth", "--token-ttl=1"]);
    let access = signin(&emu, "device-ttl-1-00000000")["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let first = call(&emu, &access);
    if first.status == 200 {
        std::thread::sleep(std::time::Duration::from_millis(2100));
    }
    call(&emu, &access).assert_error(401, "ACCESS_TOKEN_EXPIRED");
}

// ---------------------------------------------------------------------------
// TC3-HMAC-SHA256
// ---------------------------------------------------------------------------

const ID: &str = "AKIDemulatorTEST";
const KEY: &str = "emulator/secret+key=";

struct Signed<'a> {
    path_and_query: &'a str,
    body: &'a [u8],
    timestamp: u64,
    key: &'a str,
    token: Option<&'a str>,
}

impl Signed<'_> {
    fn authorization(&self) -> String {
        let (path, query) = self
            .path_and_query
            .split_once('?')
            .unwrap_or((self.path_and_query, ""));
        tc3::sign(&SignInput {
            method: "POST",
            host: "127.0.0.1", // what tests/common sends as Host
            path,
            query,
            content_type: "application/json",
            extra_headers: &[("X-Request-Id", "req-1")],
            payload: Payload::Bytes(self.body),
            timestamp: self.timestamp,
            service: tc3::SERVICE,
            secret_id: ID,
            secret_key: self.key,
            session_token: self.token,
        })
    }
}

fn signed<'a>(path_and_query: &'a str, body: &'a [u8]) -> Signed<'a> {
    Signed {
        path_and_query,
        body,
        timestamp: now_s(),
        key: KEY,
        token: None,
    }
}

fn send(emu: &Emu, path_and_query: &str, auth: &str, body: &[u8]) -> Resp {
    emu.req(
        "POST",
        path_and_query,
        &[
            ("Authorization", auth),
            ("Content-Type", "application/json"),
            ("X-Request-Id", "req-1"),
        ],
        body,
    )
}

#[test]
fn tc3_signed_calls_are_verified() {
    let emu = Emu::examples(&["--secret-id", ID, "--secret-key", KEY]);
    let body = br#"{"hello":"tc3"}"#;

    let ok = signed("/v1/functions/echo", body);
    let r = send(&emu, "/v1/functions/echo", &ok.authorization(), body);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json(), json!({"hello":"tc3"}));
    // With a query string, and with a session token appended.
    let q = Signed {
        token: Some("session-token-xyz"),
        ..signed("/v1/functions/echo?webfn=true", body)
    };
    let auth = q.authorization();
    assert!(auth.ends_with(", Token=session-token-xyz"), "{auth}");
    assert_eq!(
        send(&emu, "/v1/functions/echo?webfn=true", &auth, body).status,
        200
    );
    // Empty body.
    let empty = signed("/v1/functions/echo", b"");
    assert_eq!(
        send(&emu, "/v1/functions/echo", &empty.authorization(), b"").status,
        200
    );

    // Wrong key, other body, other path or query, stale or future timestamp: refused.
    let refused = [
        send(
            &emu,
            "/v1/functions/echo",
            &Signed {
                key: "wrong",
                ..signed("/v1/functions/echo", body)
            }
            .authorization(),
            body,
        ),
        send(
            &emu,
            "/v1/functions/echo",
            &ok.authorization(),
            br#"{"hello":"tampered"}"#,
        ),
        send(&emu, "/v1/functions/hello", &ok.authorization(), body),
        send(&emu, "/v1/functions/echo?webfn=false", &auth, body),
        send(
            &emu,
            "/v1/functions/echo",
            &Signed {
                timestamp: now_s() - 301,
                ..signed("/v1/functions/echo", body)
            }
            .authorization(),
            body,
        ),
        send(
            &emu,
            "/v1/functions/echo",
            &Signed {
                timestamp: now_s() + 400,
                ..signed("/v1/functions/echo", body)
            }
            .authorization(),
            body,
        ),
        send(
            &emu,
            "/v1/functions/echo",
            "TC3-HMAC-SHA256 Credential=x",
            body,
        ),
        send(
            &emu,
            "/v1/functions/echo",
            &ok.authorization().replace(ID, "AKIDother"),
            body,
        ),
        // A signed header missing from the request.
        emu.req(
            "POST",
            "/v1/functions/echo",
            &[
                ("Authorization", &ok.authorization()),
                ("Content-Type", "application/json"),
            ],
            body,
        ),
    ];
    for (i, r) in refused.iter().enumerate() {
        let v = r.assert_error(401, "SIGN_PARAM_INVALID");
        assert!(is_auth_rejection(r.status, v["code"].as_str()), "case {i}");
    }
    // Bearer tokens mean nothing to a secret-only emulator; no credentials at all is forbidden.
    call(&emu, "some-token").assert_error(401, "INVALID_ACCESS_TOKEN");
    emu.post("/v1/functions/echo", "{}")
        .assert_error(401, "MISSING_CREDENTIALS");

    // Without --secret-id/--secret-key a signature is not accepted where credentials are needed.
    let tokens_only = Emu::examples(&["--token", "t"]);
    send(
        &tokens_only,
        "/v1/functions/echo",
        &ok.authorization(),
        body,
    )
    .assert_error(401, "SIGN_PARAM_INVALID");
}

#[test]
fn secret_flags_go_together() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cloudbase-fn-emulator"))
        .args(["--port", "0", "--secret-id", ID])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--secret-key"));
}

/// `--deny-anonymous`: the functions HTTP API's default policy (administrators only): anonymous
/// users' tokens and publishable keys get 403 `ACTION_FORBIDDEN`; a server key still passes.
#[test]
fn the_default_policy_refuses_anonymous_users_and_publishable_keys() {
    let args = ["--auth", "--token", "server-key", "--publishable-key", "pub-key"];
    let open = Emu::examples(&args);
    let access = signin(&open, "device-policy-000000")["access_token"].as_str().unwrap().to_string();
    assert_eq!(call(&open, &access).status, 200, "without the option anonymous users may call");
    assert_eq!(call(&open, "pub-key").status, 200);

    let strict = Emu::examples(&[&args[..], &["--deny-anonymous"]].concat());
    let access = signin(&strict, "device-policy-000001")["access_token"].as_str().unwrap().to_string();
    let v = call(&strict, &access).assert_error(403, "ACTION_FORBIDDEN");
    assert!(v["message"].as_str().unwrap().contains("FunctionsHttpApiAllow"));
    assert!(!is_auth_rejection(403, v["code"].as_str()), "refreshing the token cannot help");
    call(&strict, "pub-key").assert_error(403, "ACTION_FORBIDDEN");
    assert_eq!(call(&strict, "server-key").status, 200);
    call(&strict, "unknown").assert_error(401, "INVALID_ACCESS_TOKEN");
}
