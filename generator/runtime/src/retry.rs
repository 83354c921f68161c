//! When and how long to wait before trying a request again.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// Retries with exponential backoff and jitter, honouring `Retry-After`.
///
/// By default a request is retried, up to 3 attempts in all and within 60 s, only where a retry
/// cannot do the work twice:
/// - connection failures (the request never left) for any method;
/// - 429 and 503 for any method (the server refused before acting);
/// - 502 and 504, timeouts and other transport failures for idempotent methods only (GET, HEAD,
///   PUT, DELETE, OPTIONS, TRACE).
///
/// A `POST` that failed with 500 is never retried unless configured.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    idempotent_statuses: Vec<u16>,
    any_method_statuses: Vec<u16>,
    jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_elapsed: Duration::from_secs(60),
            idempotent_statuses: vec![429, 502, 503, 504],
            any_method_statuses: vec![429, 503],
            jitter: true,
        }
    }
}

/// Why an attempt may be retried.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Failure {
    /// The connection could not be made: nothing was sent.
    Connect,
    /// Sent, but no complete answer (timeout, reset).
    Transport,
    /// An answer with this status.
    Status(StatusCode),
}

impl RetryPolicy {
    /// No retries: one attempt.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// At most this many attempts in all (1 means no retry).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first wait; each further wait doubles, up to [`max_backoff`](Self::max_backoff).
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between two attempts computed by backoff.
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// No retry starts later than this after the first attempt (a `Retry-After` that reaches past
    /// it ends the retries).
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// Statuses retried for idempotent methods (default 429, 502, 503, 504).
    pub fn idempotent_statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        self.idempotent_statuses = statuses.into_iter().collect();
        self
    }

    /// Statuses retried for every method, `POST` and `PATCH` included (default 429, 503). Add 500
    /// here only for an API whose writes are idempotent.
    pub fn any_method_statuses(mut self, statuses: impl IntoIterator<Item = u16>) -> Self {
        self.any_method_statuses = statuses.into_iter().collect();
        self
    }

    /// Whether waits are randomized (default on: between half and all of the computed wait).
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// The number of attempts at most.
    pub fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Whether `failure` of attempt number `attempt` (from 1), `elapsed` after the first one
    /// started, is retried, and after how long.
    #[allow(dead_code)]
    pub(crate) fn retry_after(
        &self,
        method: &Method,
        failure: Failure,
        headers: Option<&HeaderMap>,
        attempt: u32,
        elapsed: Duration,
    ) -> Option<Duration> {
        if attempt >= self.max_attempts {
            return None;
        }
        let idempotent = matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE);
        let retryable = match failure {
            Failure::Connect => true,
            Failure::Transport => idempotent,
            Failure::Status(status) => {
                let code = status.as_u16();
                self.any_method_statuses.contains(&code) || (idempotent && self.idempotent_statuses.contains(&code))
            }
        };
        if !retryable {
            return None;
        }
        let exponent = attempt.saturating_sub(1).min(16);
        let mut wait = self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
        if self.jitter {
            wait = wait.mul_f64(0.5 + fastrand::f64() * 0.5);
        }
        if let Some(server_wait) = headers.and_then(retry_after_header) {
            wait = wait.max(server_wait);
        }
        if elapsed.saturating_add(wait) > self.max_elapsed {
            return None;
        }
        Some(wait)
    }
}

/// `Retry-After` as seconds or as an HTTP date.
pub(crate) fn retry_after_header(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(SystemTime::now()).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, retry_after.parse().unwrap());
        headers
    }

    #[test]
    fn post_500_is_not_retried_but_429_is() {
        let policy = RetryPolicy::default().jitter(false);
        let status = |code| Failure::Status(StatusCode::from_u16(code).unwrap());
        assert_eq!(policy.retry_after(&Method::POST, status(500), None, 1, Duration::ZERO), None);
        assert_eq!(policy.retry_after(&Method::POST, status(502), None, 1, Duration::ZERO), None);
        assert_eq!(policy.retry_after(&Method::POST, status(429), None, 1, Duration::ZERO), Some(Duration::from_millis(500)));
        assert_eq!(policy.retry_after(&Method::GET, status(502), None, 2, Duration::ZERO), Some(Duration::from_secs(1)));
        assert_eq!(policy.retry_after(&Method::GET, status(502), None, 3, Duration::ZERO), None);
        assert_eq!(policy.retry_after(&Method::POST, Failure::Transport, None, 1, Duration::ZERO), None);
        assert!(policy.retry_after(&Method::POST, Failure::Connect, None, 1, Duration::ZERO).is_some());
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        assert_eq!(retry_after_header(&headers("7")), Some(Duration::from_secs(7)));
        let in_a_minute = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(60));
        let wait = retry_after_header(&headers(&in_a_minute)).unwrap();
        assert!(wait > Duration::from_secs(55) && wait <= Duration::from_secs(60), "{wait:?}");
        assert_eq!(retry_after_header(&headers("Wed, 21 Oct 2015 07:28:00 GMT")), Some(Duration::ZERO));
        assert_eq!(retry_after_header(&headers("soon")), None);
    }

    #[test]
    fn retry_after_past_the_budget_ends_retries() {
        let policy = RetryPolicy::default().max_elapsed(Duration::from_secs(5));
        let status = Failure::Status(StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(policy.retry_after(&Method::GET, status, Some(&headers("2")), 1, Duration::ZERO), Some(Duration::from_secs(2)));
        assert_eq!(policy.retry_after(&Method::GET, status, Some(&headers("10")), 1, Duration::ZERO), None);
    }
}
