//! What both API calls and token requests need to talk HTTP: the shared [`Transport`]
//! settings, one attempt ([`execute`]) read to the end, and the classification of an
//! attempt's outcome into a retry [`Failure`].
//!
//! It sits below `auth` and `client`, which both use it, so neither depends on the other
//! for sending.

use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue, CONTENT_TYPE, RETRY_AFTER};

use crate::retry::{parse_retry_after, Failure, RetryPolicy};

/// HTTP client, `User-Agent`, default timeout and retry policy of one `Client`.
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
}

/// A response read to its end.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Answer {
    /// The `Retry-After` header as a duration from now.
    pub(crate) fn retry_after(&self) -> Option<Duration> {
        self.headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()))
    }

    /// The retry classification of a non-2xx answer, or of a 2xx one whose JSON body was
    /// cut short; `None` for a usable 2xx answer.
    pub(crate) fn failure(&self) -> Option<Failure> {
        if !(200..300).contains(&self.status) {
            return Some(Failure::Status {
                status: self.status,
                retry_after: self.retry_after(),
            });
        }
        self.is_truncated_json().then_some(Failure::Truncated)
    }

    /// A JSON body that ends before its value does. Checked here, before decoding, so a
    /// truncated answer is retried like a dropped connection (for safe requests) instead
    /// of surfacing as a decode error. Skipping the body into `IgnoredAny` allocates
    /// nothing and costs a fraction of the real decode.
    fn is_truncated_json(&self) -> bool {
        let is_json = self
            .headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| {
                let ct = ct.to_ascii_lowercase();
                ct.starts_with("application/json") || ct.contains("+json")
            });
        if !is_json || self.body.iter().all(u8::is_ascii_whitespace) {
            return false;
        }
        serde_json::from_slice::<serde::de::IgnoredAny>(&self.body).is_err_and(|e| e.is_eof())
    }
}

/// Sends one attempt and reads the whole body (so the timeout and retries cover it too).
pub(crate) async fn execute(
    http: &reqwest::Client,
    request: reqwest::Request,
) -> Result<Answer, reqwest::Error> {
    let mut response = http.execute(request).await?;
    let status = response.status().as_u16();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await?;
    Ok(Answer {
        status,
        headers,
        body: Vec::from(body),
    })
}

/// The retry classification of an HTTP client error.
pub(crate) fn classify(error: &reqwest::Error) -> Failure {
    if error.is_timeout() {
        Failure::Timeout
    } else if error.is_connect() {
        Failure::Connect
    } else {
        Failure::Dropped
    }
}
