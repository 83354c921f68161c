//! When and how long to wait before trying a request again.

use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use tracing::Instrument as _;

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
pub enum Failure {
    /// The connection could not be made: nothing was sent.
    Connect,
    /// Sent, but no complete answer (timeout, reset).
    Transport,
    /// An answer with this status.
    Status(StatusCode),
}

/// What one attempt came to, for [`RetryPolicy::run`].
#[derive(Debug)]
pub enum Attempt<T, E> {
    /// Done: a success, or a failure that no retry can mend.
    Done(Result<T, E>),
    /// A failure the policy may retry: its kind, and the answer's headers (`Retry-After`).
    Failed {
        /// What went wrong.
        failure: Failure,
        /// The answer's headers, when there was an answer.
        headers: Option<HeaderMap>,
        /// The error returned when this attempt is the last.
        error: E,
    },
}

/// How the retry loop ended without a success: the last attempt's error, after how many
/// attempts and how long.
#[derive(Debug)]
pub struct Exhausted<E> {
    /// The last attempt's error.
    pub error: E,
    /// The attempts made.
    pub attempts: u32,
    /// From the first attempt's start to the end of the last.
    pub elapsed: Duration,
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

    /// The retry loop, for every request the crate sends (the generated operations' and
    /// hand-written modules' such as an upload helper's): runs `attempt` (called with the attempt's
    /// number, from 1; it returns the attempt's span and its work, run in that span) until it
    /// succeeds, fails in a way that is not retried, or the policy allows no further attempt,
    /// waiting in between as `retry_after` says. Each retry is logged in the
    /// span of the attempt that failed.
    pub async fn run<T, E, F, Fut>(&self, method: &Method, mut attempt: F) -> Result<T, Exhausted<E>>
    where
        F: FnMut(u32) -> (tracing::Span, Fut),
        Fut: Future<Output = Attempt<T, E>>,
    {
        let started = Instant::now();
        let mut number: u32 = 1;
        loop {
            let (span, work) = attempt(number);
            let (failure, headers, error) = match work.instrument(span.clone()).await {
                Attempt::Done(Ok(value)) => return Ok(value),
                Attempt::Done(Err(error)) => return Err(Exhausted { error, attempts: number, elapsed: started.elapsed() }),
                Attempt::Failed { failure, headers, error } => (failure, headers, error),
            };
            let Some(wait) = self.retry_after(method, failure, headers.as_ref(), number, started.elapsed()) else {
                return Err(Exhausted { error, attempts: number, elapsed: started.elapsed() });
            };
            // What the failed attempt holds (a response, a part's bytes) goes before the wait.
            drop((headers, error));
            span.in_scope(|| tracing::info!(wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX), ?failure, "retrying"));
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            number += 1;
        }
    }

    /// Whether `failure` of attempt number `attempt` (from 1), `elapsed` after the first one
    /// started, is retried, and after how long.
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

    /// Runs a future that never waits (the policies below wait zero), without a runtime.
    fn now<T>(future: impl Future<Output = T>) -> T {
        let mut future = std::pin::pin!(future);
        match future.as_mut().poll(&mut std::task::Context::from_waker(std::task::Waker::noop())) {
            std::task::Poll::Ready(value) => value,
            std::task::Poll::Pending => panic!("the retry loop waited"),
        }
    }

    fn unavailable(attempt: u32) -> Attempt<&'static str, String> {
        Attempt::Failed { failure: Failure::Status(StatusCode::SERVICE_UNAVAILABLE), headers: None, error: format!("503 on attempt {attempt}") }
    }

    #[test]
    fn the_loop_retries_until_success_or_the_last_attempt() {
        let policy = RetryPolicy::default().initial_backoff(Duration::ZERO).jitter(false);
        let mut seen = Vec::new();
        let ok = now(policy.run(&Method::GET, |attempt| {
            seen.push(attempt);
            (tracing::Span::none(), async move { if attempt < 3 { unavailable(attempt) } else { Attempt::Done(Ok("stored")) } })
        }));
        assert_eq!(ok.unwrap(), "stored");
        assert_eq!(seen, [1, 2, 3]);

        let failed = now(policy.run(&Method::GET, |attempt| (tracing::Span::none(), async move { unavailable(attempt) })));
        let failed = failed.unwrap_err();
        assert_eq!((failed.error.as_str(), failed.attempts), ("503 on attempt 3", 3));

        // A failure no retry mends ends the loop at once; so does one the method forbids.
        let done = now(policy.run(&Method::GET, |_| (tracing::Span::none(), async { Attempt::<(), _>::Done(Err("refused")) })));
        assert_eq!(done.unwrap_err().attempts, 1);
        let post = now(policy.run(&Method::POST, |_| {
            (tracing::Span::none(), async { Attempt::<(), _>::Failed { failure: Failure::Transport, headers: None, error: "reset" } })
        }));
        assert_eq!(post.unwrap_err().attempts, 1);
    }

    #[test]
    fn retry_after_past_the_budget_ends_retries() {
        let policy = RetryPolicy::default().max_elapsed(Duration::from_secs(5));
        let status = Failure::Status(StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(policy.retry_after(&Method::GET, status, Some(&headers("2")), 1, Duration::ZERO), Some(Duration::from_secs(2)));
        assert_eq!(policy.retry_after(&Method::GET, status, Some(&headers("10")), 1, Duration::ZERO), None);
    }
}
