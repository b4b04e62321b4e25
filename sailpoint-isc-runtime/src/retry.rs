//! Retry rules as data and one pure function: [`RetryPolicy`] (how many, how long),
//! [`RetrySafety`] (may this call run twice), [`Failure`] (what went wrong) and
//! [`decide`], which turns them into a [`Decision`] without touching the network, the
//! clock or a random source, so every rule has a plain unit test.
//!
//! The rules:
//! * 429 and a connection that could not be opened: retried for every request (the
//!   server did not process it);
//! * 502/503/504, a connection dropped mid-request, and a 2xx JSON body cut short:
//!   retried only when the request is safe to repeat (see [`RetrySafety`]);
//! * a `Retry-After` longer than [`RetryPolicy::max_retry_after`] gives up at once
//!   (waiting less would only earn another 429);
//! * timeouts are not retried: the timeout is the caller's budget for the call;
//! * 401 is not decided here: the client refreshes the token once, outside the budget.

use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, SystemTime};

use reqwest::Method;

/// How failed requests are retried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retries, except the 401 token refresh).
    pub max_retries: u32,
    /// Backoff before the first retry; doubles per retry.
    pub base_delay: Duration,
    /// Upper bound of one backoff delay.
    pub max_delay: Duration,
    /// Treat every request as safe to repeat, whatever its [`RetrySafety`] (POST/PATCH
    /// may then run twice).
    pub retry_non_idempotent: bool,
    /// The longest `Retry-After` the client waits; when the server asks for longer the
    /// error is returned at once.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries, 500 ms base delay, 10 s max delay, safe requests only, 60 s max `Retry-After`.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(10),
            retry_non_idempotent: false,
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all (the one 401 token refresh still happens).
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// Backoff before retry number `retry` (0-based) with a random jitter; see
    /// [`backoff_with`](Self::backoff_with).
    pub fn backoff(&self, retry: u32) -> Duration {
        self.backoff_with(retry, random_unit())
    }

    /// Backoff before retry number `retry` (0-based): `base * 2^retry` capped at
    /// `max_delay`, with "equal jitter": half fixed, plus `jitter` (0.0..=1.0) times the
    /// other half, so that many clients failing together do not retry in lockstep.
    pub fn backoff_with(&self, retry: u32, jitter: f64) -> Duration {
        let factor = 1u32.checked_shl(retry.min(20)).unwrap_or(u32::MAX);
        let full = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let half = full / 2;
        half + half.mul_f64(jitter.clamp(0.0, 1.0))
    }
}

/// Whether an operation may be sent twice when an attempt's outcome is unknown (a 502,
/// a dropped connection). The generator decides it per operation.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum RetrySafety {
    /// By HTTP semantics (RFC 9110 §9.2.2): every method but POST and PATCH is safe.
    #[default]
    ByMethod,
    /// Safe whatever the method: read-only POSTs such as search, search count and
    /// search aggregate.
    Safe,
    /// Never repeated after an unknown outcome, whatever the method.
    Unsafe,
}

impl RetrySafety {
    /// Whether a request with this safety and `method` may be repeated.
    pub fn allows(self, method: &Method) -> bool {
        match self {
            RetrySafety::ByMethod => is_idempotent(method),
            RetrySafety::Safe => true,
            RetrySafety::Unsafe => false,
        }
    }
}

/// What went wrong with one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The server answered with a non-2xx status (and maybe a `Retry-After`).
    Status {
        /// HTTP status.
        status: u16,
        /// The parsed `Retry-After` header.
        retry_after: Option<Duration>,
    },
    /// No connection could be opened: the request never reached the server.
    Connect,
    /// The connection failed after the request was (maybe) sent: reset, closed, or the
    /// body ended early.
    Dropped,
    /// A 2xx answer whose JSON body ends early (the server cut it short).
    Truncated,
    /// The per-request timeout elapsed.
    Timeout,
}

/// What to do after a failed attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Send the request again after this delay.
    Retry(Duration),
    /// Return the error.
    GiveUp(GiveUp),
}

/// Why a failure is returned rather than retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GiveUp {
    /// The failure is not transient (e.g. 400, 404, 500).
    NotTransient,
    /// The outcome is unknown and the request is not safe to repeat.
    NotSafeToRepeat,
    /// `max_retries` retries were made already.
    Exhausted,
    /// The server asked to wait longer than `max_retry_after`.
    RetryAfterTooLong(Duration),
    /// The per-request timeout elapsed; it is the caller's budget.
    Timeout,
}

/// The retry decision after `retries` retries (0 after the first attempt) failed with
/// `failure`. `repeat_safe` says whether the request may run twice (see
/// [`RetrySafety::allows`]; `retry_non_idempotent` in the policy forces it); `jitter`
/// (0.0..=1.0) picks the backoff within its range.
pub fn decide(
    policy: &RetryPolicy,
    repeat_safe: bool,
    failure: Failure,
    retries: u32,
    jitter: f64,
) -> Decision {
    let (transient, needs_safety, retry_after) = match failure {
        Failure::Status {
            status,
            retry_after,
        } => (
            status == 429 || matches!(status, 502..=504),
            status != 429,
            retry_after,
        ),
        Failure::Connect => (true, false, None),
        Failure::Dropped | Failure::Truncated => (true, true, None),
        Failure::Timeout => return Decision::GiveUp(GiveUp::Timeout),
    };
    if !transient {
        return Decision::GiveUp(GiveUp::NotTransient);
    }
    if needs_safety && !(repeat_safe || policy.retry_non_idempotent) {
        return Decision::GiveUp(GiveUp::NotSafeToRepeat);
    }
    if retries >= policy.max_retries {
        return Decision::GiveUp(GiveUp::Exhausted);
    }
    match retry_after {
        Some(wait) if wait > policy.max_retry_after => {
            Decision::GiveUp(GiveUp::RetryAfterTooLong(wait))
        }
        Some(wait) => Decision::Retry(wait),
        None => Decision::Retry(policy.backoff_with(retries, jitter)),
    }
}

/// A uniform value in 0.0..=1.0 for jitter. std's `RandomState` is randomly keyed per
/// instance, which is plenty for jitter and saves a `rand` dependency.
pub(crate) fn random_unit() -> f64 {
    let bits = RandomState::new().hash_one(SystemTime::now()) >> 11;
    // 53 random bits over 2^53: exactly representable.
    bits as f64 / (1u64 << 53) as f64
}

/// Parses a `Retry-After` value: delta seconds (`"120"`) or an HTTP date (IMF-fixdate,
/// or the obsolete RFC 850 and asctime forms), relative to `now`. A date in the past
/// means "retry now" (zero). `None` when the value is neither.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Absurdly long digit strings saturate instead of failing.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Whether repeating a request is safe by HTTP semantics (RFC 9110 §9.2.2): every method
/// but POST and PATCH.
pub fn is_idempotent(method: &Method) -> bool {
    !matches!(*method, Method::POST | Method::PATCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 2,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
            retry_non_idempotent: false,
            max_retry_after: Duration::from_secs(5),
        }
    }

    fn status(status: u16) -> Failure {
        Failure::Status {
            status,
            retry_after: None,
        }
    }

    #[test]
    fn rate_limits_are_retried_for_every_request() {
        let p = policy();
        assert_eq!(
            decide(&p, false, status(429), 0, 0.0),
            Decision::Retry(Duration::from_millis(50))
        );
        let after = Failure::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(2)),
        };
        assert_eq!(
            decide(&p, false, after, 1, 0.0),
            Decision::Retry(Duration::from_secs(2))
        );
    }

    #[test]
    fn gateway_errors_and_dropped_connections_need_a_safe_request() {
        let p = policy();
        for failure in [
            status(502),
            status(503),
            status(504),
            Failure::Dropped,
            Failure::Truncated,
        ] {
            assert_eq!(
                decide(&p, false, failure, 0, 1.0),
                Decision::GiveUp(GiveUp::NotSafeToRepeat),
                "{failure:?}"
            );
            assert_eq!(
                decide(&p, true, failure, 0, 1.0),
                Decision::Retry(Duration::from_millis(100)),
                "{failure:?}"
            );
        }
        let forced = RetryPolicy {
            retry_non_idempotent: true,
            ..policy()
        };
        assert!(matches!(
            decide(&forced, false, Failure::Dropped, 0, 0.5),
            Decision::Retry(_)
        ));
    }

    #[test]
    fn unopened_connections_are_retried_for_every_request() {
        assert!(matches!(
            decide(&policy(), false, Failure::Connect, 0, 0.5),
            Decision::Retry(_)
        ));
    }

    #[test]
    fn other_statuses_and_timeouts_give_up() {
        let p = policy();
        for s in [400, 401, 403, 404, 409, 500, 501] {
            assert_eq!(
                decide(&p, true, status(s), 0, 0.0),
                Decision::GiveUp(GiveUp::NotTransient),
                "{s}"
            );
        }
        assert_eq!(
            decide(&p, true, Failure::Timeout, 0, 0.0),
            Decision::GiveUp(GiveUp::Timeout)
        );
    }

    #[test]
    fn the_budget_and_the_retry_after_cap_are_enforced() {
        let p = policy();
        assert_eq!(
            decide(&p, true, status(503), 2, 0.0),
            Decision::GiveUp(GiveUp::Exhausted)
        );
        let long = Failure::Status {
            status: 429,
            retry_after: Some(Duration::from_secs(6)),
        };
        assert_eq!(
            decide(&p, true, long, 0, 0.0),
            Decision::GiveUp(GiveUp::RetryAfterTooLong(Duration::from_secs(6)))
        );
    }

    #[test]
    fn backoff_doubles_is_capped_and_jitters_within_the_upper_half() {
        let p = policy();
        assert_eq!(p.backoff_with(0, 0.0), Duration::from_millis(50));
        assert_eq!(p.backoff_with(0, 1.0), Duration::from_millis(100));
        assert_eq!(p.backoff_with(1, 0.0), Duration::from_millis(100));
        assert_eq!(p.backoff_with(5, 1.0), Duration::from_millis(300));
        assert_eq!(p.backoff_with(u32::MAX, 2.0), Duration::from_millis(300));
        let random = p.backoff(1);
        assert!(random >= Duration::from_millis(100) && random <= Duration::from_millis(200));
    }

    #[test]
    fn safety_by_method_and_by_operation() {
        assert!(RetrySafety::ByMethod.allows(&Method::GET));
        assert!(RetrySafety::ByMethod.allows(&Method::PUT));
        assert!(!RetrySafety::ByMethod.allows(&Method::POST));
        assert!(!RetrySafety::ByMethod.allows(&Method::PATCH));
        assert!(RetrySafety::Safe.allows(&Method::POST));
        assert!(!RetrySafety::Unsafe.allows(&Method::GET));
    }
}
