//! When a failed attempt is tried again, and after how long.
//!
//! Cloud functions are not idempotent, so by default only answers that say the function did not
//! run are retried: `FUNCTION_EXCEED_RESOURCE_LIMIT`, 429 and 503. Network errors and timeouts may
//! have reached the function; they are retried only when the caller opts in.

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
            Outcome::Answer { status, code } => {
                status == 429 || status == 503 || code == Some("FUNCTION_EXCEED_RESOURCE_LIMIT")
            }
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

/// `Retry-After` as delay-seconds (the form gateways send); an HTTP date or garbage is ignored.
pub fn parse_retry_after(value: &str) -> Option<u32> {
    let v = value.trim_ascii();
    if v.is_empty() || v.len() > 9 || !v.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    super::decimal::parse_decimal(v).map(|s| s.saturating_mul(1000))
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
        assert!(p.is_retryable(Outcome::Answer { status: 429, code: None }));
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
        assert_eq!(parse_retry_after("2"), Some(2_000));
        assert_eq!(parse_retry_after(" 0 "), Some(0));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT"), None);
        assert_eq!(parse_retry_after("-1"), None);
        assert_eq!(parse_retry_after("99999999999"), None);
    }
}
