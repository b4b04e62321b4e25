//! Retry policy, exponential backoff with jitter, and `Retry-After` parsing.
//!
//! What is retried (decided in `client.rs`):
//! * 429: always (the server did not process the request), after `Retry-After` when sent;
//! * 502/503/504 and connection failures: only for methods that are safe to repeat
//!   (all but POST/PATCH) unless [`RetryPolicy::retry_non_idempotent`] is set;
//! * 401: once, after refreshing the OAuth token (not counted against `max_retries`).
//!
//! Timeouts are not retried: the timeout is the caller's budget for the request.

use std::hash::{BuildHasher, RandomState};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::datetime::days_from_civil;

/// How failed requests are retried.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0 disables retries, except the 401 token refresh).
    pub max_retries: u32,
    /// Backoff before the first retry; doubles per retry.
    pub base_delay: Duration,
    /// Upper bound of one backoff delay.
    pub max_delay: Duration,
    /// Also retry POST/PATCH on 502/503/504 and connection errors (they may then run twice).
    pub retry_non_idempotent: bool,
    /// The longest `Retry-After` the client waits; when the server asks for longer the
    /// error is returned at once (waiting less would only earn another 429).
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries, 500 ms base delay, 10 s max delay, idempotent methods only, 60 s max `Retry-After`.
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

    /// Backoff before retry number `retry` (0-based): `base * 2^retry` capped at
    /// `max_delay`, with "equal jitter" (half fixed, half random) so that many clients
    /// failing together do not retry in lockstep.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(20)).unwrap_or(u32::MAX);
        let full = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let half = full / 2;
        let half_nanos = u64::try_from(half.as_nanos()).unwrap_or(u64::MAX);
        let jitter = if half_nanos == 0 {
            0
        } else {
            random_u64() % (half_nanos + 1)
        };
        half + Duration::from_nanos(jitter)
    }

    /// The wait before a retry that the server asked for with `Retry-After`, falling back
    /// to [`backoff`](Self::backoff). `None` when the server asked for more than
    /// `max_retry_after`.
    pub(crate) fn delay(&self, retry: u32, retry_after: Option<Duration>) -> Option<Duration> {
        match retry_after {
            Some(wait) if wait > self.max_retry_after => None,
            Some(wait) => Some(wait),
            None => Some(self.backoff(retry)),
        }
    }
}

/// Randomness without a `rand` dependency: std's `RandomState` is randomly keyed per
/// instance, which is plenty for jitter.
fn random_u64() -> u64 {
    RandomState::new().hash_one(SystemTime::now())
}

/// Parses a `Retry-After` value: delta seconds (`"120"`) or an IMF-fixdate
/// (`"Sun, 06 Nov 1994 08:49:37 GMT"`), relative to `now`. A date in the past means
/// "retry now" (zero). `None` when the value is neither.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Absurdly long digit strings saturate instead of failing.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let at = parse_http_date(value)?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// Parses an RFC 7231 IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
///
/// The day name is checked for shape only (servers get it wrong more often than the date).
pub fn parse_http_date(value: &str) -> Option<SystemTime> {
    let (day_name, rest) = value.trim().split_once(", ")?;
    if day_name.len() != 3 || !day_name.bytes().all(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    let mut fields = rest.split(' ');
    let day: u32 = two_digits(fields.next()?)?;
    let month = match fields.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year_text = fields.next()?;
    if year_text.len() != 4 || !year_text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = year_text.parse().ok()?;
    let mut hms = fields.next()?.split(':');
    let hour = two_digits(hms.next()?)?;
    let minute = two_digits(hms.next()?)?;
    let second = two_digits(hms.next()?)?;
    if hms.next().is_some() || fields.next()? != "GMT" || fields.next().is_some() {
        return None;
    }
    if day == 0
        || day > crate::datetime::days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    let secs = u64::try_from(secs).ok()?;
    UNIX_EPOCH.checked_add(Duration::from_secs(secs))
}

fn two_digits(text: &str) -> Option<u32> {
    if text.len() == 2 && text.bytes().all(|b| b.is_ascii_digit()) {
        text.parse().ok()
    } else {
        None
    }
}

/// Whether repeating a request is safe by HTTP semantics (RFC 9110 §9.2.2): every method
/// but POST and PATCH.
pub fn is_idempotent(method: &reqwest::Method) -> bool {
    !matches!(*method, reqwest::Method::POST | reqwest::Method::PATCH)
}
