//! When a failed attempt is tried again, and after how long.
//!
//! Cloud functions are not idempotent, so by default only answers that say the function did not
//! run and that a later attempt may pass are retried: the burst and concurrency codes
//! ([`BURST_CODES`], whatever the status) and 503. A 429 with any other code (a quota used up,
//! `EXCEED_REQUEST_LIMIT`) or none is not: waiting seconds does not refill a quota
//! (docs.cloudbase.net/error-code/semantic-http-status). Network errors and timeouts may have
//! reached the function; they are retried only when the caller opts in.

/// Codes that say a burst or concurrency limit was hit: the function did not run, and a later
/// attempt may pass (`EXCEED_CONCURRENT_REQUEST_LIMIT`: "retry after a delay", semantic-http-status;
/// `FUNCTION_EXCEED_RESOURCE_LIMIT`: over the function's provisioned concurrency, the OpenAPI).
pub const BURST_CODES: [&str; 2] = ["EXCEED_CONCURRENT_REQUEST_LIMIT", "FUNCTION_EXCEED_RESOURCE_LIMIT"];

/// What an attempt ended with, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome<'a> {
    /// An answer came: its status and, when it was the contract's error JSON, its code.
    Answer { status: u16, code: Option<&'a str> },
    /// No answer: the connection failed or was dropped.
    Network,
    /// No answer within the attempt's timeout.
    Timeout,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 = never retry).
    pub retries: u32,
    pub base_delay_ms: u32,
    pub max_delay_ms: u32,
    /// Also retry network errors and timeouts (the function may then run twice).
    pub on_network_error: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy { retries: 2, base_delay_ms: 200, max_delay_ms: 5_000, on_network_error: false }
    }
}

impl RetryPolicy {
    pub const OFF: RetryPolicy = RetryPolicy { retries: 0, base_delay_ms: 0, max_delay_ms: 0, on_network_error: false };

    /// Whether this outcome may be tried again at all under this policy.
    pub fn is_retryable(&self, outcome: Outcome<'_>) -> bool {
        match outcome {
            Outcome::Answer { status, code } => status == 503 || code.is_some_and(|c| BURST_CODES.contains(&c)),
            Outcome::Network | Outcome::Timeout => self.on_network_error,
        }
    }

    /// The wait before retry number `retries_done + 1`, or `None` to give up. Exponential backoff
    /// with full jitter (`random` in [0, 1)): a uniform wait up to `min(max, base * 2^n)`. A
    /// `Retry-After` is honoured as the least wait; one longer than `max_delay_ms` ends the retries,
    /// since the caller asked not to wait that long.
    pub fn delay_ms(
        &self,
        retries_done: u32,
        outcome: Outcome<'_>,
        retry_after_ms: Option<u32>,
        random: f64,
    ) -> Option<u32> {
        if retries_done >= self.retries || !self.is_retryable(outcome) {
            return None;
        }
        let ceiling = (self.base_delay_ms as u64)
            .saturating_mul(1u64 << retries_done.min(30))
            .min(self.max_delay_ms as u64);
        let jitter = (ceiling as f64 * random.clamp(0.0, 1.0)) as u32;
        match retry_after_ms {
            Some(after) if after > self.max_delay_ms => None,
            Some(after) => Some(after.max(jitter)),
            None => Some(jitter),
        }
    }
}

/// `Retry-After` (RFC 9110 §10.2.3) as a wait in milliseconds from `now_ms` (ms since the epoch,
/// from the driver's clock): delay-seconds of any length, or an HTTP-date in any of its three
/// forms. Clamped to `0..=u32::MAX` ms (a date in the past is 0; an absurd value stays absurd,
/// so the policy gives up rather than retrying at once). Garbage is `None`.
pub fn retry_after_ms(value: &str, now_ms: f64) -> Option<u32> {
    let v = value.trim_ascii();
    if v.is_empty() {
        return None;
    }
    let ms = if v.bytes().all(|b| b.is_ascii_digit()) {
        let seconds = v.bytes().fold(0u64, |n, b| n.saturating_mul(10).saturating_add((b - b'0') as u64));
        seconds.saturating_mul(1000)
    } else {
        let now = if now_ms.is_finite() && now_ms > 0.0 { now_ms as u64 } else { 0 };
        http_date_seconds(v)?.saturating_mul(1000).saturating_sub(now)
    };
    Some(ms.min(u32::MAX as u64) as u32)
}

/// [`retry_after_ms`] at the epoch (kept for the fuzz target).
pub fn parse_retry_after(value: &str) -> Option<u32> {
    retry_after_ms(value, 0.0)
}

/// The month (1 to 12) of a three-letter English abbreviation.
fn month(token: &[u8]) -> Option<u32> {
    b"JanFebMarAprMayJunJulAugSepOctNovDec".chunks(3).position(|m| m == token).map(|i| i as u32 + 1)
}

/// Digits as a number within `max` (at most 4 digits; the caller checks lengths that matter).
fn number(token: &[u8], max: u32) -> Option<u32> {
    if token.is_empty() || token.len() > 4 {
        return None;
    }
    let mut n = 0;
    for &b in token {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + (b - b'0') as u32;
    }
    (n <= max).then_some(n)
}

/// Seconds since the epoch of an HTTP-date: IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`, the
/// obsolete RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` and asctime `Sun Nov  6 08:49:37 1994`
/// (RFC 9110 §5.6.7: recipients accept all three). The day name is not checked against the date.
/// Byte loops only: `str` splitting would pull the generic pattern machinery into the wasm.
fn http_date_seconds(v: &str) -> Option<u64> {
    // Tokens separated by spaces, commas and dashes: at most six.
    let mut t: [&[u8]; 6] = [&[]; 6];
    let (mut n, mut start) = (0, None);
    for (i, &b) in v.as_bytes().iter().chain(b" ").enumerate() {
        match (b == b' ' || b == b',' || b == b'-', start) {
            (true, Some(s)) => {
                *t.get_mut(n)? = v.as_bytes().get(s..i)?;
                n += 1;
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if !t[0].iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    // asctime: day-name month day time year; the others: day-name day month year time GMT.
    let (day, mon, year, time) = match month(t[1]) {
        Some(m) if n == 5 => (t[2], m, number(t[4], 9999)?, t[3]),
        None if n == 6 && t[5] == b"GMT" => {
            let y = number(t[3], 9999)?;
            // Two-digit years (RFC 850): 70 to 99 are 19xx, the rest 20xx.
            let y = if t[3].len() == 2 { y + if y < 70 { 2000 } else { 1900 } } else { y };
            (t[1], month(t[2])?, y, t[4])
        }
        _ => return None,
    };
    let day = number(day, 31).filter(|d| *d > 0)?;
    if year < 1970 || time.len() != 8 || time[2] != b':' || time[5] != b':' {
        return None;
    }
    let (h, m, s) = (number(&time[..2], 23)?, number(&time[3..5], 59)?, number(&time[6..], 60)?);
    // Days from the civil date (H. Hinnant's algorithm), for years from 1970.
    let (y, mp) = if mon <= 2 { (year - 1, mon + 9) } else { (year, mon - 3) };
    let doe = y % 400 * 365 + y % 400 / 4 - y % 400 / 100 + (153 * mp + 2) / 5 + day - 1;
    let days = (y / 400 * 146_097 + doe).checked_sub(719_468)?;
    Some(u64::from(days) * 86_400 + u64::from(h * 3_600 + m * 60 + s))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BUSY: Outcome<'static> = Outcome::Answer { status: 429, code: Some("FUNCTION_EXCEED_RESOURCE_LIMIT") };

    /// A seeded generator, so the jitter sequence is reproducible.
    fn lcg(seed: &mut u64) -> f64 {
        *seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (*seed >> 11) as f64 / (1u64 << 53) as f64
    }

    #[test]
    fn only_answers_that_say_the_function_did_not_run_are_retried_by_default() {
        let p = RetryPolicy::default();
        assert!(p.is_retryable(BUSY));
        assert!(p.is_retryable(Outcome::Answer { status: 400, code: Some("FUNCTION_EXCEED_RESOURCE_LIMIT") }));
        assert!(p.is_retryable(Outcome::Answer { status: 503, code: None }));
        assert!(p.is_retryable(Outcome::Answer { status: 429, code: Some("EXCEED_CONCURRENT_REQUEST_LIMIT") }));
        assert!(p.is_retryable(Outcome::Answer { status: 503, code: Some("SYS_BUSY") }));
        // A quota used up, an unknown 429 code or a 429 without one: waiting does not help.
        assert!(!p.is_retryable(Outcome::Answer { status: 429, code: Some("EXCEED_REQUEST_LIMIT") }));
        assert!(!p.is_retryable(Outcome::Answer { status: 429, code: Some("SOMETHING_NEW") }));
        assert!(!p.is_retryable(Outcome::Answer { status: 429, code: None }));
        assert!(!p.is_retryable(Outcome::Answer { status: 500, code: None }));
        assert!(!p.is_retryable(Outcome::Answer { status: 400, code: Some("FUNCTION_INVOCATION_FAILED") }));
        assert!(!p.is_retryable(Outcome::Answer { status: 502, code: None }));
        assert!(!p.is_retryable(Outcome::Network));
        assert!(!p.is_retryable(Outcome::Timeout));
        let opted_in = RetryPolicy { on_network_error: true, ..p };
        assert!(opted_in.is_retryable(Outcome::Network));
        assert!(opted_in.is_retryable(Outcome::Timeout));
    }

    #[test]
    fn backoff_is_bounded_full_jitter_and_stops_after_the_budget() {
        let p = RetryPolicy { retries: 5, base_delay_ms: 100, max_delay_ms: 1_000, on_network_error: false };
        let mut seed = 42;
        for n in 0..5 {
            let ceiling = (100u32 << n).min(1_000);
            for _ in 0..200 {
                let d = p.delay_ms(n, BUSY, None, lcg(&mut seed)).unwrap();
                assert!(d <= ceiling, "retry {n}: {d} > {ceiling}");
            }
        }
        assert_eq!(p.delay_ms(5, BUSY, None, 0.5), None);
        assert_eq!(p.delay_ms(0, BUSY, None, 0.0), Some(0));
        assert_eq!(p.delay_ms(2, BUSY, None, 0.999_999), Some(399));
        assert_eq!(RetryPolicy::OFF.delay_ms(0, BUSY, None, 0.5), None);
    }

    #[test]
    fn the_same_seed_gives_the_same_schedule() {
        let p = RetryPolicy { retries: 3, ..RetryPolicy::default() };
        let schedule = |mut seed: u64| (0..3).map(|n| p.delay_ms(n, BUSY, None, lcg(&mut seed))).collect::<Vec<_>>();
        assert_eq!(schedule(7), schedule(7));
        assert_ne!(schedule(7), schedule(8));
    }

    #[test]
    fn retry_after_is_a_floor_and_a_long_one_gives_up() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay_ms(0, BUSY, Some(1_000), 0.0), Some(1_000));
        assert_eq!(p.delay_ms(0, BUSY, Some(60_000), 0.0), None);
        assert_eq!(retry_after_ms("2", 0.0), Some(2_000));
        assert_eq!(retry_after_ms(" 0 ", 0.0), Some(0));
        assert_eq!(retry_after_ms("-1", 0.0), None);
        assert_eq!(retry_after_ms("1.5", 0.0), None);
        assert_eq!(retry_after_ms("soon", 0.0), None);
    }

    #[test]
    fn retry_after_in_seconds_is_clamped_not_overflowed() {
        // Ten digits used to be refused, so the call was retried at once.
        assert_eq!(retry_after_ms("1000000000", 0.0), Some(u32::MAX));
        assert_eq!(retry_after_ms("99999999999999999999999", 0.0), Some(u32::MAX));
        assert_eq!(retry_after_ms("4294967", 0.0), Some(4_294_967_000));
        let p = RetryPolicy::default();
        assert_eq!(p.delay_ms(0, BUSY, retry_after_ms("1000000000", 0.0), 0.0), None, "too long: not waited for");
    }

    #[test]
    fn retry_after_as_an_http_date() {
        // 1994-11-06T08:49:37Z = 784111777 s.
        let at = 784_111_777_000.0;
        for form in ["Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"] {
            assert_eq!(retry_after_ms(form, at), Some(0), "{form}");
            assert_eq!(retry_after_ms(form, at - 2_000.0), Some(2_000), "{form}");
            assert_eq!(retry_after_ms(form, at + 60_000.0), Some(0), "a date in the past: {form}");
        }
        assert_eq!(retry_after_ms("Wed, 21 Oct 2015 07:28:00 GMT", 1_445_412_478_500.0), Some(1_500));
        assert_eq!(retry_after_ms("Thu, 29 Feb 2024 00:00:00 GMT", 1_709_164_799_000.0), Some(1_000));
        assert_eq!(retry_after_ms("Sun, 06 Nov 1994 08:49:37 GMT", f64::NAN), Some(u32::MAX), "no clock: far future");
        for bad in ["Sun, 06 Nov 1994 08:49:37 PST", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nox 1994 08:49:37 GMT",
                    "Sun, 06 Nov 1994 24:00:00 GMT", "Sun, 06 Nov 1994 08:49 GMT", "06 Nov 1994 08:49:37 GMT",
                    "Sun, 06 Nov 1994 08:49:37 GMT x", "Sun Nov  6 08:49:37", "Sun, 06 Nov 1969 08:49:37 GMT"] {
            assert_eq!(retry_after_ms(bad, 0.0), None, "{bad}");
        }
        assert_eq!(parse_retry_after("3"), Some(3_000));
    }
}
