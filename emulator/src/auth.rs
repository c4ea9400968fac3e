//! Credentials: static `--token`s, the CloudBase auth v2 endpoints (`--auth`: anonymous sign-in
//! and refresh, issuing JWT-shaped access tokens that expire after `--token-ttl` seconds) and
//! TC3-HMAC-SHA256 signatures (`--secret-id`/`--secret-key`), verified with the SDK's own
//! signer (`cloudbase_fn::contract::tc3`). Shapes: `docs/auth-research.md`.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

use cloudbase_fn::contract::jwt::base64url_encode as b64url;
use cloudbase_fn::contract::tc3::{self, Payload, SignInput};
use hyper::header::{self, HeaderMap};
use hyper::{Method, StatusCode};
use serde_json::{json, Value};

use crate::respond::new_request_id;

pub const SIGNIN_ANONYMOUSLY: &str = "/auth/v1/signin/anonymously";
pub const TOKEN: &str = "/auth/v1/token";
pub const DEFAULT_TTL_S: u64 = 7200;

/// A refused call: an error code of the gateway's status table and a message.
pub type Refusal = (&'static str, String);

pub struct Auth {
    /// `--auth`: serve `/auth/v1/*` and accept the access tokens issued there.
    pub enabled: bool,
    /// `--token-ttl`: lifetime of issued access tokens, in seconds.
    pub ttl_s: u64,
    /// `--secret-id`, `--secret-key`: accept TC3 signatures made with this key pair.
    pub secret: Option<(String, String)>,
    /// `--publishable-key`: bearer keys with an anonymous user's rights.
    pub publishable: Vec<String>,
    /// `--deny-anonymous`: the functions HTTP API's default policy, administrators only: anonymous
    /// users' access tokens and publishable keys get 403 `ACTION_FORBIDDEN` until an environment
    /// grants `FunctionsHttpApiAllow` (docs.cloudbase.net/authentication-v2/auth/auth-gateway).
    pub deny_anonymous: bool,
    sessions: Mutex<Sessions>,
}

#[derive(Default)]
struct Sessions {
    /// Issued access token -> expiry (seconds since the epoch). Every issued token is an
    /// anonymous user's (the only sign-in served).
    access: HashMap<String, u64>,
    /// Live refresh token -> user id.
    refresh: HashMap<String, String>,
    /// Device id -> anonymous user id (one anonymous user per device, as CloudBase documents).
    devices: HashMap<String, String>,
}

/// A TC3 signature whose header part checked out; the signature itself needs the body.
pub struct PendingSignature {
    signed_headers: Vec<String>,
    signature: String,
    timestamp: u64,
}

fn now_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

fn random_hex() -> String {
    new_request_id().replace('-', "")
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> (StatusCode, Value) {
    (
        status,
        json!({ "error": error, "error_description": description }),
    )
}

impl Auth {
    pub fn new(enabled: bool, ttl_s: u64, secret: Option<(String, String)>) -> Auth {
        Auth {
            enabled,
            ttl_s,
            secret,
            publishable: Vec::new(),
            deny_anonymous: false,
            sessions: Mutex::new(Sessions::default()),
        }
    }

    /// Whether `path` is one of the auth endpoints this emulator serves (with `--auth`).
    pub fn serves(&self, path: &str) -> bool {
        self.enabled && path.starts_with("/auth/")
    }

    /// Answers `/auth/v1/*`: status and JSON body.
    pub fn route(
        &self,
        method: &Method,
        path: &str,
        headers: &HeaderMap,
        body: &[u8],
    ) -> (StatusCode, Value) {
        if path != SIGNIN_ANONYMOUSLY && path != TOKEN {
            return oauth_error(
                StatusCode::NOT_FOUND,
                "not_found",
                "no such auth endpoint in the emulator",
            );
        }
        if method != Method::POST {
            return oauth_error(StatusCode::METHOD_NOT_ALLOWED, "unimplemented", "use POST");
        }
        let args: Value = if body.iter().all(u8::is_ascii_whitespace) {
            json!({})
        } else {
            match serde_json::from_slice(body) {
                Ok(v @ Value::Object(_)) => v,
                _ => {
                    return oauth_error(
                        StatusCode::BAD_REQUEST,
                        "invalid_argument",
                        "request body must be a JSON object",
                    )
                }
            }
        };
        if path == SIGNIN_ANONYMOUSLY {
            let device = headers
                .get("x-device-id")
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .unwrap_or("");
            if device.is_empty() {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_argument",
                    "please add device ID in the request header: x-device-id is not passed",
                );
            }
            let sub = {
                let mut s = self.sessions.lock().unwrap();
                s.devices
                    .entry(device.to_string())
                    .or_insert_with(|| b64url(&random_hex().as_bytes()[..16]))
                    .clone()
            };
            return (StatusCode::OK, self.issue(&sub));
        }
        match args.get("grant_type").and_then(Value::as_str) {
            Some("refresh_token") => {}
            Some(_) => {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "unsupported_grant_type",
                    "only grant_type refresh_token is emulated",
                )
            }
            None => {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_argument",
                    "grant_type is required",
                )
            }
        }
        let Some(refresh) = args
            .get("refresh_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
        else {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_argument",
                "refresh_token is required",
            );
        };
        // A refresh token works once: the answer carries its replacement.
        let sub = self.sessions.lock().unwrap().refresh.remove(refresh);
        match sub {
            Some(sub) => (StatusCode::OK, self.issue(&sub)),
            None => oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_grant",
                "refresh token is invalid or has expired",
            ),
        }
    }

    /// A new access token (JWT-shaped, `exp` = now + ttl) and refresh token for `sub`.
    fn issue(&self, sub: &str) -> Value {
        let now = now_s();
        let exp = now.saturating_add(self.ttl_s);
        let header = b64url(br#"{"alg":"HS256","typ":"JWT"}"#);
        let payload = json!({
            "iss": "cloudbase-fn-emulator",
            "sub": sub,
            "aud": "emulator",
            "exp": exp,
            "iat": now,
            "scope": "anonymous",
            "jti": random_hex(),
        });
        let access = [
            header,
            b64url(payload.to_string().as_bytes()),
            b64url(random_hex().as_bytes()),
        ]
        .join(".");
        let refresh = ["m.", &random_hex(), &random_hex()].concat();
        {
            let mut s = self.sessions.lock().unwrap();
            if s.access.len() > 100_000 {
                s.access.retain(|_, e| *e > now);
            }
            s.access.insert(access.clone(), exp);
            s.refresh.insert(refresh.clone(), sub.to_string());
        }
        json!({
            "token_type": "Bearer",
            "access_token": access,
            "refresh_token": refresh,
            "expires_in": self.ttl_s,
            "scope": "anonymous",
            "sub": sub,
        })
    }

    /// Checks the credentials of a function call, before its body is read. `Ok(None)`: accepted
    /// (or no credentials required); `Ok(Some(_))`: a TC3 signature to finish with
    /// [`Auth::verify_signature`] once the body is in.
    pub fn check(
        &self,
        tokens: &[String],
        headers: &HeaderMap,
    ) -> Result<Option<PendingSignature>, Refusal> {
        if tokens.is_empty() && !self.enabled && self.secret.is_none() && self.publishable.is_empty() {
            return Ok(None);
        }
        let missing = || {
            (
                "MISSING_CREDENTIALS",
                "missing credentials: send Authorization: Bearer <token>".to_string(),
            )
        };
        let anonymous = || {
            if self.deny_anonymous {
                Err((
                    "ACTION_FORBIDDEN",
                    "anonymous users and publishable keys may not call functions until the environment grants them FunctionsHttpApiAllow".to_string(),
                ))
            } else {
                Ok(None)
            }
        };
        let value = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        // Auth schemes are case-insensitive (RFC 9110 §11.1); the value is visible ASCII here.
        let value = value.trim_start();
        let scheme_is = |s: &str| value.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s));
        if scheme_is(tc3::ALGORITHM) {
            // The SDK's parser expects the canonical spelling.
            let canonical = [tc3::ALGORITHM, &value[tc3::ALGORITHM.len()..]].concat();
            return self.check_signature_header(&canonical).map(Some);
        }
        let token = match scheme_is("Bearer ").then(|| value["Bearer ".len()..].trim()) {
            None | Some("") => return Err(missing()),
            Some(t) => t,
        };
        if tokens.iter().any(|k| k == token) {
            return Ok(None);
        }
        if self.publishable.iter().any(|k| k == token) {
            return anonymous();
        }
        if self.enabled {
            let exp = self.sessions.lock().unwrap().access.get(token).copied();
            if let Some(exp) = exp {
                return if now_s() >= exp {
                    Err((
                        "ACCESS_TOKEN_EXPIRED",
                        "the access token has expired".to_string(),
                    ))
                } else {
                    anonymous()
                };
            }
        }
        Err((
            "INVALID_ACCESS_TOKEN",
            "the access token is invalid".to_string(),
        ))
    }

    fn check_signature_header(&self, value: &str) -> Result<PendingSignature, Refusal> {
        let bad = |m: &str| ("SIGN_PARAM_INVALID", m.to_string());
        let Some((secret_id, _)) = &self.secret else {
            return Err(bad("TC3 signatures are not accepted (start the emulator with --secret-id and --secret-key)"));
        };
        let a = tc3::parse_authorization(value).ok_or_else(|| {
            bad("malformed TC3-HMAC-SHA256 Authorization: expected Credential, SignedHeaders, Signature and Timestamp")
        })?;
        if a.secret_id != secret_id {
            return Err(bad("unknown SecretId"));
        }
        if now_s().abs_diff(a.timestamp) > tc3::MAX_CLOCK_SKEW_S {
            return Err(bad(
                "signature expired: its Timestamp is more than 5 minutes away from the server time",
            ));
        }
        if a.service != tc3::SERVICE || a.date != tc3::utc_date(a.timestamp) {
            return Err(bad(
                "credential scope must be <UTC date of Timestamp>/tcb/tc3_request",
            ));
        }
        let signed_headers: Vec<String> = a
            .signed_headers
            .split(';')
            .map(str::to_ascii_lowercase)
            .collect();
        if !signed_headers.iter().any(|h| h == "host")
            || !signed_headers.iter().any(|h| h == "content-type")
        {
            return Err(bad("SignedHeaders must include content-type and host"));
        }
        Ok(PendingSignature {
            signed_headers,
            signature: a.signature.to_string(),
            timestamp: a.timestamp,
        })
    }

    /// Recomputes the signature over the request as received and compares.
    pub fn verify_signature(
        &self,
        pending: &PendingSignature,
        parts: &hyper::http::request::Parts,
        body: &[u8],
    ) -> Result<(), Refusal> {
        let bad = |m: String| ("SIGN_PARAM_INVALID", m);
        let Some((secret_id, secret_key)) = &self.secret else {
            return Err(bad("TC3 signatures are not accepted".into()));
        };
        let header = |name: &str| -> Result<&str, Refusal> {
            match parts.headers.get(name).map(|v| v.to_str()) {
                Some(Ok(v)) => Ok(v),
                Some(Err(_)) => Err(bad(format!("signed header {name} is not visible ASCII"))),
                None => Err(bad(format!(
                    "signed header {name} is missing from the request"
                ))),
            }
        };
        let host = match parts.uri.authority() {
            Some(a) if parts.headers.get(header::HOST).is_none() => a.as_str(),
            _ => header("host")?,
        };
        let content_type = header("content-type")?;
        let mut extra: Vec<(&str, &str)> = Vec::new();
        for name in &pending.signed_headers {
            if name != "host" && name != "content-type" {
                extra.push((name.as_str(), header(name)?));
            }
        }
        let expected = tc3::signature(&SignInput {
            method: parts.method.as_str(),
            host,
            path: parts.uri.path(),
            query: parts.uri.query().unwrap_or(""),
            content_type,
            extra_headers: &extra,
            payload: Payload::Bytes(body),
            timestamp: pending.timestamp,
            service: tc3::SERVICE,
            secret_id,
            secret_key,
            session_token: None,
        });
        if tc3::constant_time_eq(&expected, &pending.signature) {
            Ok(())
        } else {
            Err(bad("signature mismatch: check the SecretKey and that method, path, query, signed headers and body are signed as sent".into()))
        }
    }
}
