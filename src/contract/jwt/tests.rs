//! Tests of `contract::jwt`: JWT expiry, token freshness and the auth request bodies.

use super::*;
use alloc::string::ToString;

use super::base64url_encode as b64url;

fn jwt(payload: &str) -> String {
    let mut t = b64url(br#"{"alg":"RS256","typ":"JWT"}"#);
    t.push_str(".");
    t.push_str(&b64url(payload.as_bytes()));
    t.push_str(".c2lnbmF0dXJl");
    t
}

#[test]
fn reads_exp_of_cloudbase_documented_token() {
    // The example access token of docs.cloudbase.net/http-api/auth/auth-grant-token.
    let t = "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2FwaS5leGFtcGxlLmNvbSIsInN1YiI6Ijk4NzY1NDMyMTAxMjM0NTY3ODkiLCJhdWQiOiJkZW1vLWFwcC0yZjhhOWMzZTFiNGQiLCJleHAiOjE3MzQ2NzU4ODksImlhdCI6MTczNDY2ODY4OSwic2NvcGUiOiJ1c2VyIn0.dGhpc19pc19hX2Zha2Vfc2lnbmF0dXJlX2Zvcl9leGFtcGxlX3B1cnBvc2VzX29ubHlfZG9fbm90X3VzZV9pbl9wcm9kdWN0aW9uX2Vudmlyb25tZW50X3RoaXNfaXNfbm90X3JlYWxfdG9rZW5fZGF0YQ";
    assert_eq!(jwt_expiry(t), Some(1_734_675_889));
}

#[test]
fn reads_exp_in_various_layouts() {
    assert_eq!(
        jwt_expiry(&jwt(r#"{"exp":1700000000}"#)),
        Some(1_700_000_000)
    );
    assert_eq!(
        jwt_expiry(&jwt(r#" { "sub" : "a" , "exp" : 42 } "#)),
        Some(42)
    );
    assert_eq!(
        jwt_expiry(&jwt(r#"{"exp":1700000000.75}"#)),
        Some(1_700_000_000)
    );
    assert_eq!(jwt_expiry(&jwt(r#"{"exp":0}"#)), Some(0));
    // Nested objects/arrays and strings containing "exp" are skipped.
    let p = r#"{"meta":{"exp":1},"list":[{"exp":2},"\"exp\":3"],"s":"}{][","exp":77}"#;
    assert_eq!(jwt_expiry(&jwt(p)), Some(77));
    // The last duplicate wins, like JSON.parse.
    assert_eq!(jwt_expiry(&jwt(r#"{"exp":1,"exp":2}"#)), Some(2));
    // Padding and surrounding whitespace are tolerated.
    let mut padded = jwt(r#"{"exp":5}"#);
    padded.insert_str(0, "  ");
    assert_eq!(jwt_expiry(&padded), Some(5));
}

#[test]
fn no_exp_for_non_jwts_and_garbage() {
    for t in [
        "",
        ".",
        "..",
        "opaque-api-key",
        "a.b",
        "a.b.c.d.e",
        "eyJhbGciOiJIUzI1NiJ9..sig",
        "x.!!!!.y",
        "x.A.y",      // length % 4 == 1
        "x.e30.y",    // {}
        "x.bnVsbA.y", // null
        "x.WzFd.y",   // [1]
    ] {
        assert_eq!(jwt_expiry(t), None, "{t:?}");
    }
    for payload in [
        r#"{"exp":"1700000000"}"#,
        r#"{"exp":-5}"#,
        r#"{"exp":1e9}"#,
        r#"{"exp":01}"#,
        r#"{"exp":1.}"#,
        r#"{"exp":null}"#,
        r#"{"exp":true}"#,
        r#"{"exp":99999999999999999999999}"#,
        r#"{"exp":18446744073709552}"#,
        r#"{"exp":1"#,
        r#"{"exp":1}}"#,
        r#"{"exp":1} x"#,
        r#"{"exp" 1}"#,
        r#"{"exp":}"#,
        r#"{"a":"unterminated}"#,
        r#"{"a":{"b":[1,2}"#,
        r#"{exp:1}"#,
        r#"{"nested":{"exp":1}}"#,
        "{\"exp\":1,}",
    ] {
        assert_eq!(jwt_expiry(&jwt(payload)), None, "{payload}");
    }
}

#[test]
fn hostile_inputs_do_not_panic() {
    let deep = "[".repeat(10_000);
    let inputs: Vec<String> = vec![
        jwt(&deep),
        jwt(&["{\"a\":", &deep].concat()),
        jwt("{\"a\":\"\\"),
        jwt("{\"\\"),
        jwt("{\""),
        jwt("{"),
        jwt("\u{0}\u{ff}"),
        "é.é.é".to_string(),
        "a.".repeat(5000),
        ["x.", &"A".repeat(20_000), ".y"].concat(),
    ];
    for t in &inputs {
        let _ = jwt_expiry(t);
    }
    for len in 0..64 {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 37 % 256) as u8).collect();
        let t = ["x.", &b64url(&bytes), ".y"].concat();
        let _ = jwt_expiry(&t);
    }
}

#[test]
fn freshness_policy() {
    let exp = Some(1_000u64);
    assert!(token_is_fresh(exp, 900_000, 30_000));
    assert!(!token_is_fresh(exp, 970_000, 30_000)); // exactly at the margin
    assert!(!token_is_fresh(exp, 999_000, 30_000));
    assert!(!token_is_fresh(exp, 2_000_000, 0));
    assert!(token_is_fresh(exp, 999_999, 0));
    // Opaque tokens are never cached.
    assert!(!token_is_fresh(None, 0, 0));
    // No overflow at the extremes.
    assert!(token_is_fresh(Some(u64::MAX), u64::MAX - 1, 0));
    assert!(!token_is_fresh(Some(0), u64::MAX, u64::MAX));
    assert_eq!(
        expiry_from_expires_in(1_700_000_000_999, 7200),
        1_700_007_200
    );
    assert_eq!(expiry_from_expires_in(u64::MAX, u64::MAX), u64::MAX);
}

#[test]
fn auth_rejections() {
    assert!(is_auth_rejection(401, None));
    assert!(is_auth_rejection(401, Some("ACTION_FORBIDDEN")));
    assert!(is_auth_rejection(401, Some("SIGN_PARAM_INVALID")));
    assert!(is_auth_rejection(400, Some("ACCESS_TOKEN_EXPIRED")));
    for code in AUTH_REJECTION_CODES {
        assert!(is_auth_rejection(400, Some(code)), "{code}");
    }
    // Codes the semantic-status page does not list under 401 refresh only under a 401.
    assert!(!is_auth_rejection(403, Some("INVALID_ACCESS_TOKEN")));
    assert!(!is_auth_rejection(200, Some("CHECK_LOGIN_FAILED")));
    assert!(is_auth_rejection(401, Some("INVALID_ACCESS_TOKEN")));
    assert!(!is_auth_rejection(403, Some("EXCEED_AUTHORITY")));
    assert!(!is_auth_rejection(403, None));
    assert!(!is_auth_rejection(400, Some("FUNCTION_PARAM_INVALID")));
    assert!(!is_auth_rejection(500, Some("access_token_expired")));
    assert!(!is_auth_rejection(0, Some("")));
}

#[test]
fn refresh_body_is_escaped_json() {
    assert_eq!(
        refresh_request_body("m.abc", None),
        r#"{"grant_type":"refresh_token","refresh_token":"m.abc"}"#
    );
    assert_eq!(
        refresh_request_body("a\"b\\c\n\u{1}é", Some("env-1")),
        "{\"grant_type\":\"refresh_token\",\"refresh_token\":\"a\\\"b\\\\c\\n\\u0001é\",\"client_id\":\"env-1\"}"
    );
    assert_eq!(
        refresh_request_body("t", Some("")),
        r#"{"grant_type":"refresh_token","refresh_token":"t"}"#
    );
}
