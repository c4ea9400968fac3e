//! How an answer is read: the content type picks the body's form, and a non-2xx answer becomes a
//! typed failure.

use super::decimal::push_decimal;
use super::errors::{ErrorClass, Failure};
use alloc::string::{String, ToString};

/// How many UTF-16 units (JS string length) of a non-contract error body an `HttpError` keeps as
/// `body`, cut at a character boundary.
pub const BODY_EXCERPT_CHARS: usize = 1024;

/// The form a 2xx body is given to the caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/json` (or `+json`): the parsed value.
    Json,
    /// `text/plain`: a string.
    Text,
    /// Anything else, or no content type: a `Uint8Array`.
    Bytes,
}

/// The media type of a `Content-Type` header decides the form (parameters such as charset aside).
/// A header sent twice reaches fetch as `a, b`: the first media type counts.
pub fn body_kind(content_type: Option<&str>) -> BodyKind {
    let Some(value) = content_type else {
        return BodyKind::Bytes;
    };
    // Bytes, not a char-set pattern: the generic pattern machinery costs the wasm a lot.
    let end = value.bytes().position(|b| b == b';' || b == b',').unwrap_or(value.len());
    let media = value.get(..end).unwrap_or("").trim_ascii();
    if media.eq_ignore_ascii_case("application/json")
        // Bytes, not `str` slicing: a non-ASCII character before the suffix must not split (and panic).
        || (media.len() > 5 && media.as_bytes()[media.len() - 5..].eq_ignore_ascii_case(b"+json") && media.bytes().any(|b| b == b'/'))
    {
        BodyKind::Json
    } else if media.eq_ignore_ascii_case("text/plain") {
        BodyKind::Text
    } else {
        BodyKind::Bytes
    }
}

/// The fields of an error body that parsed as a JSON object; `None` fields were absent or not strings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ErrorBody<'a> {
    pub code: Option<&'a str>,
    pub message: Option<&'a str>,
    pub request_id: Option<&'a str>,
}

fn status_text(status: u16) -> String {
    let mut s = String::from("HTTP ");
    push_decimal(&mut s, status.into());
    s
}

/// The byte index where the excerpt of `raw` ends: at most [`BODY_EXCERPT_CHARS`] UTF-16 units (what
/// JS counts as length), cut between characters so no surrogate pair is split. Counting by hand
/// keeps the standard library's char machinery out of the wasm.
fn excerpt_end(raw: &str) -> usize {
    let mut units = 0;
    for (i, b) in raw.bytes().enumerate() {
        if b & 0xC0 != 0x80 {
            // A 4-byte sequence (lead byte 0xF0 and up) is a surrogate pair in UTF-16.
            units += if b >= 0xF0 { 2 } else { 1 };
            if units > BODY_EXCERPT_CHARS {
                return i;
            }
        }
    }
    raw.len()
}

/// A non-2xx answer. `parsed` is the body's fields when it was a JSON object, `raw` the body text;
/// `header_request_id` the `X-Request-Id` header. A body with a non-empty string `code` is the
/// contract's error; anything else (an HTML 502 page, an empty 500) is an `HttpError`.
pub fn classify_error(
    status: u16,
    parsed: Option<ErrorBody<'_>>,
    raw: &str,
    header_request_id: Option<&str>,
) -> Failure {
    let body_request_id = parsed.as_ref().and_then(|b| b.request_id).filter(|id| !id.is_empty());
    let request_id = body_request_id.or(header_request_id).map(str::to_string);
    match parsed.as_ref().and_then(|b| b.code.filter(|c| !c.is_empty()).map(|c| (c, b.message))) {
        Some((code, message)) => Failure {
            class: ErrorClass::for_answer(code, status),
            code: code.to_string(),
            message: message.filter(|m| !m.is_empty()).map_or_else(
                || super::text::cat(&[code, " (", &status_text(status), ")"]),
                str::to_string,
            ),
            status: Some(status),
            request_id,
            body: None,
        },
        None => {
            let excerpt = raw.get(..excerpt_end(raw)).unwrap_or(raw).to_string();
            let mut message = status_text(status);
            message.push_str(if raw.is_empty() {
                " with an empty body"
            } else {
                " with a body that is not a CloudBase error"
            });
            Failure {
                class: ErrorClass::Http,
                code: ErrorClass::Http.code().to_string(),
                message,
                status: Some(status),
                request_id,
                body: Some(excerpt),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types() {
        assert_eq!(body_kind(Some("application/json")), BodyKind::Json);
        assert_eq!(body_kind(Some("Application/JSON; charset=utf-8")), BodyKind::Json);
        assert_eq!(body_kind(Some("application/problem+json")), BodyKind::Json);
        assert_eq!(body_kind(Some("text/plain; charset=utf-8")), BodyKind::Text);
        assert_eq!(body_kind(Some("text/html")), BodyKind::Bytes);
        assert_eq!(body_kind(Some("application/pdf")), BodyKind::Bytes);
        assert_eq!(body_kind(Some("+json")), BodyKind::Bytes);
        assert_eq!(body_kind(Some("")), BodyKind::Bytes);
        assert_eq!(body_kind(None), BodyKind::Bytes);
        // Regression: a multi-byte character just before the last five bytes used to panic
        // (`Headers.get` exposes obs-text bytes as Latin-1 characters).
        assert_eq!(body_kind(Some("text/aé1234")), BodyKind::Bytes);
        assert_eq!(body_kind(Some("application/é+json")), BodyKind::Json);
    }

    #[test]
    fn a_duplicated_content_type_reads_as_its_first_media_type() {
        assert_eq!(body_kind(Some("application/json, application/json")), BodyKind::Json);
        assert_eq!(body_kind(Some("text/plain; charset=utf-8, text/html")), BodyKind::Text);
        assert_eq!(body_kind(Some("text/html, application/json")), BodyKind::Bytes);
        assert_eq!(body_kind(Some(", application/json")), BodyKind::Bytes);
    }

    #[test]
    fn gateway_codes_get_their_category_by_status() {
        let body = |code| Some(ErrorBody { code: Some(code), message: Some("m"), request_id: None });
        let f = classify_error(401, body("INVALID_ACCESS_TOKEN"), "", None);
        assert_eq!((f.class, f.code.as_str(), f.status), (ErrorClass::Authentication, "INVALID_ACCESS_TOKEN", Some(401)));
        assert_eq!(classify_error(403, body("NOT_LISTED"), "", None).class, ErrorClass::PermissionDenied);
        assert_eq!(classify_error(429, body("NOT_LISTED"), "", None).class, ErrorClass::RateLimit);
        assert_eq!(classify_error(403, body("EXCEED_AUTHORITY"), "", None).class, ErrorClass::ExceedAuthority);
        assert_eq!(classify_error(400, body("FUNCTION_EXECUTE_FAIL"), "", None).class, ErrorClass::FunctionInvocationFailed);
        assert_eq!(classify_error(413, body("EXCEED_MAX_PAYLOAD_SIZE"), "", None).class, ErrorClass::PayloadTooLarge);
        // Not CloudBase's error JSON: an HttpError whatever the status, 999 included.
        let f = classify_error(999, None, "<h1>?</h1>", None);
        assert_eq!((f.class, f.status), (ErrorClass::Http, Some(999)));
        assert_eq!(classify_error(401, None, "", None).class, ErrorClass::Http);
    }

    #[test]
    fn contract_error_bodies() {
        let body = ErrorBody { code: Some("FUNCTION_NOT_FOUND"), message: Some("no such"), request_id: Some("r1") };
        let f = classify_error(404, Some(body), "", Some("h1"));
        assert_eq!(f.class, ErrorClass::FunctionNotFound);
        assert_eq!(f.code, "FUNCTION_NOT_FOUND");
        assert_eq!(f.message, "no such");
        assert_eq!(f.status, Some(404));
        assert_eq!(f.request_id.as_deref(), Some("r1"));
        assert_eq!(f.body, None);
    }

    #[test]
    fn request_id_falls_back_to_the_header_and_message_to_the_code() {
        let body = ErrorBody { code: Some("SOMETHING_NEW"), message: None, request_id: None };
        let f = classify_error(500, Some(body), "", Some("h1"));
        assert_eq!(f.class, ErrorClass::CloudBase);
        assert_eq!(f.code, "SOMETHING_NEW");
        assert_eq!(f.message, "SOMETHING_NEW (HTTP 500)");
        assert_eq!(f.request_id.as_deref(), Some("h1"));
    }

    #[test]
    fn non_contract_bodies_are_http_errors_with_an_excerpt() {
        let html = "<html>".repeat(400);
        let f = classify_error(502, None, &html, None);
        assert_eq!(f.class, ErrorClass::Http);
        assert_eq!(f.code, "HTTP_ERROR");
        assert_eq!(f.status, Some(502));
        assert_eq!(f.body.as_ref().map(|b| b.chars().count()), Some(1024));
        let emoji = ["x".repeat(1023).as_str(), "\u{1F600}tail"].concat();
        assert_eq!(classify_error(500, None, &emoji, None).body, Some("x".repeat(1023)), "a surrogate pair is never split");
        assert_eq!(f.request_id, None);

        let f = classify_error(500, None, "", Some("h2"));
        assert_eq!(f.message, "HTTP 500 with an empty body");
        assert_eq!(f.request_id.as_deref(), Some("h2"));

        // JSON, but without a usable code.
        let f = classify_error(400, Some(ErrorBody { code: Some(""), ..Default::default() }), "{}", None);
        assert_eq!(f.class, ErrorClass::Http);
    }
}
