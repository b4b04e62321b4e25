//! Authentication: the OAuth2 client-credentials token cache.
//!
//! Tokens come from `POST {token_url}` with the form `grant_type=client_credentials`,
//! `client_id`, `client_secret`, and are cached until shortly before `expires_in` runs
//! out (60 s, or 10 % of the lifetime for short-lived tokens). The cache sits behind a
//! tokio `Mutex` that is held across the fetch, so concurrent requests that find the
//! token stale wait for ONE fetch and share its result, success or failure: a failed
//! fetch is remembered, the callers that queued behind it get its error, and the next
//! fetch waits for a backoff that grows with consecutive failures. Without that, N
//! callers would each repeat the whole failing fetch (with its retries) in turn.
//!
//! A 401 from the API invalidates the token it was sent with (by generation, so a 401
//! that raced with a refresh does not throw away the fresh token).
//!
//! Secrets and tokens are only ever exposed to build the token form and the
//! `Authorization` header (marked sensitive); no error or log message contains them.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::{ACCEPT, USER_AGENT};
use serde_json::Value;
use tokio::sync::Mutex;

use crate::error::{error_chain, excerpt, Error};
use crate::retry::{decide, random_unit, Decision};
use crate::secret::{redact, Secret};
use crate::transport::{classify, execute, Answer, Transport};

/// Longest lead before expiry at which a cached token is refreshed.
const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(60);

/// How requests are authenticated.
pub(crate) enum Auth {
    /// A token supplied by the caller; cannot be refreshed.
    Static(Secret),
    /// OAuth2 client credentials with a cached, refreshed token.
    ClientCredentials(Box<ClientCredentials>),
}

pub(crate) struct ClientCredentials {
    client_id: String,
    client_secret: Secret,
    token_url: String,
    cache: Mutex<TokenCache>,
    /// Finished fetches, success or failure; written under the `cache` lock, read
    /// without it: a caller that sees it change while queued for the lock takes that
    /// fetch's result instead of fetching again.
    fetches: AtomicU64,
    /// The newest token generation the API answered with something other than 401.
    accepted: AtomicU64,
}

#[derive(Default)]
struct TokenCache {
    current: Option<CachedToken>,
    /// Bumped on every successful fetch; identifies which token a request was sent with.
    generation: u64,
    /// The last fetch failed (cleared by a success).
    failure: Option<FetchFailure>,
}

struct CachedToken {
    token: Secret,
    /// `None`: the server sent no `expires_in`; the token is used until a 401.
    refresh_at: Option<Instant>,
    generation: u64,
}

/// A failed fetch, kept so queued callers share it and the next fetch backs off.
struct FetchFailure {
    message: String,
    status: Option<u16>,
    /// Consecutive failed fetches.
    count: u32,
    /// No new fetch before this instant.
    retry_at: Instant,
}

impl FetchFailure {
    fn error(&self) -> Error {
        Error::Auth {
            message: self.message.clone(),
            status: self.status,
        }
    }
}

/// A token handed to one request attempt.
pub(crate) struct Token {
    pub(crate) value: Secret,
    pub(crate) generation: u64,
}

impl Auth {
    pub(crate) fn client_credentials(
        client_id: String,
        client_secret: Secret,
        token_url: String,
    ) -> Self {
        Auth::ClientCredentials(Box::new(ClientCredentials {
            client_id,
            client_secret,
            token_url,
            cache: Mutex::new(TokenCache::default()),
            fetches: AtomicU64::new(0),
            accepted: AtomicU64::new(0),
        }))
    }

    /// Whether a 401 can be answered by fetching a new token.
    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self, Auth::ClientCredentials(_))
    }

    /// The client secret, for redaction (`None` with a static token).
    pub(crate) fn client_secret(&self) -> Option<&Secret> {
        match self {
            Auth::Static(_) => None,
            Auth::ClientCredentials(cc) => Some(&cc.client_secret),
        }
    }

    /// A valid token: the cached one, the result of a fetch that finished while this
    /// caller waited, or a new fetch (after the backoff of a previous failure).
    pub(crate) async fn token(&self, transport: &Transport) -> Result<Token, Error> {
        let cc = match self {
            Auth::Static(token) => {
                return Ok(Token {
                    value: token.clone(),
                    generation: 0,
                })
            }
            Auth::ClientCredentials(cc) => cc,
        };
        let seen = cc.fetches.load(Ordering::Acquire);
        // Held across the fetch on purpose: waiters then find its result.
        let mut cache = cc.cache.lock().await;
        let fetched_meanwhile = cc.fetches.load(Ordering::Acquire) != seen;
        if let Some(failure) = cache.failure.as_ref().filter(|_| fetched_meanwhile) {
            return Err(failure.error());
        }
        if let Some(token) = cache.valid_token() {
            return Ok(token);
        }
        if let Some(retry_at) = cache.failure.as_ref().map(|f| f.retry_at) {
            tracing::debug!("the last token fetch failed; waiting for its backoff");
            tokio::time::sleep_until(retry_at.into()).await;
        }
        let started = Instant::now();
        let result = cc.fetch(transport).await;
        cc.fetches.fetch_add(1, Ordering::Release);
        match result {
            Ok((token, lifetime)) => {
                let refresh_at = lifetime.map(|lifetime| {
                    let margin = MAX_REFRESH_MARGIN.min(lifetime / 10);
                    started + lifetime.saturating_sub(margin)
                });
                cache.failure = None;
                cache.generation += 1;
                let generation = cache.generation;
                cache.current = Some(CachedToken {
                    token: token.clone(),
                    refresh_at,
                    generation,
                });
                Ok(Token {
                    value: token,
                    generation,
                })
            }
            Err(error) => {
                let (message, status) = match &error {
                    Error::Auth { message, status } => (message.clone(), *status),
                    other => (other.to_string(), None),
                };
                let count = cache
                    .failure
                    .as_ref()
                    .map_or(1, |f| f.count.saturating_add(1));
                let backoff = transport
                    .retry
                    .backoff_with(count.saturating_sub(1), random_unit());
                cache.failure = Some(FetchFailure {
                    message,
                    status,
                    count,
                    retry_at: Instant::now() + backoff,
                });
                Err(error)
            }
        }
    }

    /// Notes that the API accepted the token of `generation` (answered other than 401).
    pub(crate) fn mark_accepted(&self, generation: u64) {
        if let Auth::ClientCredentials(cc) = self {
            cc.accepted.fetch_max(generation, Ordering::Relaxed);
        }
    }

    /// Whether the API accepted the token of `generation`, or a newer one: a 401 for it
    /// then means it was revoked or expired, not that the credentials are rejected.
    pub(crate) fn was_accepted(&self, generation: u64) -> bool {
        match self {
            Auth::Static(_) => false,
            Auth::ClientCredentials(cc) => {
                generation > 0 && cc.accepted.load(Ordering::Relaxed) >= generation
            }
        }
    }

    /// Drops the cached token if it is still the one of `generation` (the API rejected it).
    pub(crate) async fn invalidate(&self, generation: u64) {
        if let Auth::ClientCredentials(cc) = self {
            let mut cache = cc.cache.lock().await;
            if cache
                .current
                .as_ref()
                .is_some_and(|t| t.generation == generation)
            {
                cache.current = None;
            }
        }
    }
}

impl TokenCache {
    fn valid_token(&self) -> Option<Token> {
        let cached = self.current.as_ref()?;
        if cached.refresh_at.is_some_and(|at| Instant::now() >= at) {
            tracing::debug!("cached access token is about to expire; refreshing");
            return None;
        }
        Some(Token {
            value: cached.token.clone(),
            generation: cached.generation,
        })
    }
}

impl ClientCredentials {
    /// One token fetch: requests retried by [`decide`] (fetching a token is safe to
    /// repeat) until a token, a final error, or the retry budget runs out.
    async fn fetch(&self, transport: &Transport) -> Result<(Secret, Option<Duration>), Error> {
        let mut retries = 0;
        loop {
            tracing::debug!(token_url = %self.token_url, "fetching an OAuth access token");
            let (failure, error) = match self.attempt(transport).await {
                Ok(answer) => match answer.failure() {
                    None => {
                        let parsed = self.parse_token_response(answer.status, &answer.body)?;
                        tracing::debug!(expires_in = ?parsed.1, "fetched an OAuth access token");
                        return Ok(parsed);
                    }
                    Some(failure) => (failure, self.error_response(answer.status, &answer.body)),
                },
                Err(e) => (classify(&e), self.transport_error(transport, &e)),
            };
            match decide(&transport.retry, true, failure, retries, random_unit()) {
                Decision::Retry(delay) => {
                    tracing::warn!(?failure, ?delay, "token request failed; retrying");
                    tokio::time::sleep(delay).await;
                    retries += 1;
                }
                Decision::GiveUp(reason) => {
                    tracing::debug!(?reason, "giving up on the token request");
                    return Err(error);
                }
            }
        }
    }

    async fn attempt(&self, transport: &Transport) -> Result<Answer, reqwest::Error> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose()),
        ];
        let request = transport
            .http
            .post(&self.token_url)
            .header(USER_AGENT, transport.user_agent.clone())
            .header(ACCEPT, "application/json")
            .form(&form)
            .timeout(transport.timeout)
            .build()?;
        execute(&transport.http, request).await
    }

    fn transport_error(&self, transport: &Transport, e: &reqwest::Error) -> Error {
        let message = if e.is_timeout() {
            format!(
                "the token request to {} timed out after {} ms",
                self.token_url,
                transport.timeout.as_millis()
            )
        } else {
            format!(
                "the token request to {} failed: {}",
                self.token_url,
                error_chain(e)
            )
        };
        Error::Auth {
            message,
            status: None,
        }
    }

    /// Reads `access_token` and `expires_in`. Errors never quote the body: it holds the token.
    fn parse_token_response(
        &self,
        status: u16,
        body: &[u8],
    ) -> Result<(Secret, Option<Duration>), Error> {
        let value: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
        let Some(token) = value.get("access_token").and_then(Value::as_str) else {
            return Err(Error::Auth {
                message: format!(
                    "the token endpoint {} answered HTTP {status} without a string `access_token` in a JSON object",
                    self.token_url
                ),
                status: Some(status),
            });
        };
        let lifetime = match value.get("expires_in") {
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.trim().parse::<f64>().ok(),
            _ => None,
        }
        .filter(|secs| secs.is_finite() && *secs >= 0.0)
        .map(|secs| Duration::from_secs_f64(secs.min(1e9)));
        Ok((Secret::new(token), lifetime))
    }

    /// An OAuth error answer (`{"error": .., "error_description": ..}` or anything else).
    fn error_response(&self, status: u16, body: &[u8]) -> Error {
        let text = String::from_utf8_lossy(body);
        let value: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        let field = |k: &str| value.get(k).and_then(Value::as_str).map(str::to_owned);
        let detail = match (field("error"), field("error_description")) {
            (Some(e), Some(d)) => format!("{e}: {d}"),
            (Some(e), None) => e,
            (None, Some(d)) => d,
            (None, None) if text.trim().is_empty() => "empty body".to_owned(),
            (None, None) => excerpt(&text, 200),
        };
        // Defensive: never echo the secret or a token, even if a server put it in its answer.
        let detail = redact(&detail, &[&self.client_secret]);
        let hint = if status == 400 || status == 401 {
            " (check the client id and secret)"
        } else {
            ""
        };
        Error::Auth {
            message: format!(
                "the token endpoint {} answered HTTP {status}{hint}: {}",
                self.token_url,
                excerpt(&detail, 300)
            ),
            status: Some(status),
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::Static(token) => f
                .debug_struct("StaticToken")
                .field("access_token", token)
                .finish(),
            Auth::ClientCredentials(cc) => f
                .debug_struct("ClientCredentials")
                .field("client_id", &cc.client_id)
                .field("client_secret", &cc.client_secret)
                .field("token_url", &cc.token_url)
                .finish(),
        }
    }
}
