//! The wire between the JS driver and the core: the driver writes an operation's arguments as
//! typed records into one input buffer, makes one call, and reads the answer the core left in
//! memory. One crossing per operation, no allocation call from JS, and no glue per function:
//! wasm-bindgen passing each string argument would cost a `malloc` crossing and a shim apiece.
//!
//! A record is a tag byte, then: nothing (absent, `false`, `true`), a little-endian f64 (number),
//! or a little-endian u32 byte length and that many UTF-8 bytes (text).

use super::*;

const ABSENT: u8 = 0;
const TEXT: u8 = 1;
const NUMBER: u8 = 2;
const TRUE: u8 = 3;

/// The operations, in the order of their numbers; tools/codegen writes them into the driver's
/// `ops.js`, so both sides use the same numbers.
pub const OPS: &[&str] = &[
    "configureClient",
    "configureCall",
    "prepare",
    "readFor",
    "answerFailed",
    "transportFailed",
    "acceptToken",
    "authFailed",
    "checkCredentials",
    "deviceId",
    "sessionRequest",
    "sessionAccept",
    "sign",
];

/// Reads the driver's records in order; a missing or mistyped record reads as absent.
pub struct Args<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Args<'a> {
    pub fn new(bytes: &'a [u8]) -> Args<'a> {
        Args { bytes, at: 0 }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let slice = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(slice)
    }

    fn record(&mut self) -> (u8, &'a [u8]) {
        let tag = self.take(1).map_or(ABSENT, |t| t[0]);
        let payload = match tag {
            NUMBER => self.take(8),
            TEXT => self
                .take(4)
                .and_then(|n| n.try_into().ok())
                .and_then(|n| self.take(u32::from_le_bytes(n) as usize)),
            _ => Some(&[][..]),
        };
        payload.map_or((ABSENT, &[][..]), |p| (tag, p))
    }

    pub fn text(&mut self) -> Option<&'a str> {
        match self.record() {
            (TEXT, bytes) => core::str::from_utf8(bytes).ok(),
            _ => None,
        }
    }

    pub fn text_or_empty(&mut self) -> &'a str {
        self.text().unwrap_or("")
    }

    pub fn number(&mut self) -> Option<f64> {
        match self.record() {
            (NUMBER, b) => b.try_into().ok().map(f64::from_le_bytes),
            _ => None,
        }
    }

    /// A whole number that fits a u32 (retry counts, statuses, kinds); anything else is 0.
    pub fn count(&mut self) -> u32 {
        self.number().filter(|n| *n >= 0.0 && *n <= u32::MAX as f64).map_or(0, |n| n as u32)
    }

    pub fn flag(&mut self) -> bool {
        self.record().0 == TRUE
    }
}

/// What an operation answers: a number (`readFor`) or a text left in memory for the driver.
pub enum Answer {
    Number(u32),
    Text(String),
}

/// Runs operation `op` (an index into [`OPS`]) over its arguments.
pub fn run(op: u32, a: &mut Args<'_>) -> Answer {
    let text = match op {
        0 => apart(|| {
            configure_client(
                a.text(), a.text(), a.flag(), a.number(), a.number(), a.flag(), a.flag(), a.number(), a.number(), a.number(), Some(a.flag()),
                a.text_or_empty(), a.count(), a.text(),
            )
        }),
        1 => apart(|| {
            configure_call(a.text(), a.flag(), a.number(), a.flag(), a.flag(), a.flag(), a.number(), a.number(), a.number(), Some(a.flag()), a.text_or_empty(), a.count())
        }),
        2 => apart(|| prepare(a.text_or_empty(), a.text_or_empty(), a.count(), a.number().unwrap_or(0.0), a.count(), a.number())),
        3 => return Answer::Number(read_for(a.number().unwrap_or(f64::NAN), a.text())),
        4 => apart(|| {
            answer_failed(
                a.count(), a.flag(), a.text(), a.text(), a.text(), a.text_or_empty(), a.text(), a.text(), a.number().unwrap_or(0.0), a.text_or_empty(),
                a.count(), a.count(), a.count(), a.count(), a.count(), a.number().unwrap_or(0.0), a.flag(),
            )
        }),
        5 => apart(|| {
            let (kind, url, timeout_ms) = (a.count(), a.text_or_empty(), a.count());
            let status = a.number().map(|s| s as u32);
            transport_failed(kind, url, timeout_ms, status, a.text(), a.flag(), a.count(), a.count(), a.count(), a.count(), a.count(), a.number().unwrap_or(0.0))
        }),
        6 => apart(|| accept_token(a.text())),
        7 => auth_failed(a.count()),
        8 => apart(|| check_credentials(a.text(), a.text(), a.text(), a.flag(), a.flag())),
        9 => apart(|| device_id(a.text(), a.number().unwrap_or(0.0), a.number().unwrap_or(0.0))),
        10 => apart(|| session_request(a.text_or_empty(), a.text_or_empty(), a.text(), a.text())),
        11 => apart(|| session_accept(a.text(), a.number(), a.number().unwrap_or(0.0))),
        #[cfg(feature = "tc3")]
        12 => apart(|| sign(a.text_or_empty(), a.text_or_empty(), a.text_or_empty(), a.text_or_empty(), a.text(), a.number().unwrap_or(0.0))),
        _ => local_error(ErrorClass::InvalidArgument, String::from("this build of the core has no such operation")),
    };
    Answer::Text(text)
}

/// One operation's code, as its own function with `split-ops`: V8 compiles a wasm function on its
/// first call, so the first `configureClient` then compiles that operation alone instead of every
/// operation inlined into `run` (measured: about 1 ms less for the first `createClient` in Node).
/// Without the feature it is inlined, which gives the smaller module the web build wants.
#[cfg_attr(feature = "split-ops", inline(never))]
#[cfg_attr(not(feature = "split-ops"), inline(always))]
fn apart(operation: impl FnOnce() -> String) -> String {
    operation()
}
