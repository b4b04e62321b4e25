//! Authentication: the [`Secret`] newtype and the OAuth2 client-credentials token cache.
//!
//! Tokens come from `POST {token_url}` with the form `grant_type=client_credentials`,
//! `client_id`, `client_secret`, and are cached until shortly before `expires_in` runs
//! out (60 s, or 10 % of the lifetime for short-lived tokens). The cache sits behind a
//! tokio `Mutex` that is held across the fetch, so concurrent requests that find the
//! token stale wait for ONE refresh instead of each fetching their own. A 401 from the
//! API invalidates the token it was sent with (by generation, so a 401 that raced with
//! a refresh does not throw away the fresh token).
//!
//! Secrets and tokens are only ever exposed to build the token form and the
//! `Authorization` header (marked sensitive); `Debug` shows `<redacted>` and no error or
//! log message contains them.

use std::fmt;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::sync::Mutex;

use crate::client::Transport;
use crate::error::{error_chain, excerpt, Error};
use crate::retry::parse_retry_after;

/// A client secret or access token. `Debug` prints `<redacted>`; there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value; use it only where it must be sent.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

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
}

#[derive(Default)]
struct TokenCache {
    current: Option<CachedToken>,
    /// Bumped on every fetch; identifies which token a request was sent with.
    generation: u64,
}

struct CachedToken {
    token: Secret,
    /// `None`: the server sent no `expires_in`; the token is used until a 401.
    refresh_at: Option<Instant>,
    generation: u64,
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
        }))
    }

    /// Whether a 401 can be answered by fetching a new token.
    pub(crate) fn can_refresh(&self) -> bool {
        matches!(self, Auth::ClientCredentials(_))
    }

    /// A valid token, fetching one if none is cached or the cached one is about to expire.
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
        // Held across the fetch on purpose: waiters then find the fresh token.
        let mut cache = cc.cache.lock().await;
        if let Some(cached) = &cache.current {
            if cached.refresh_at.is_none_or(|at| Instant::now() < at) {
                return Ok(Token {
                    value: cached.token.clone(),
                    generation: cached.generation,
                });
            }
            tracing::debug!("cached access token is about to expire; refreshing");
        }
        let (token, refresh_at) = cc.fetch(transport).await?;
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

impl ClientCredentials {
    /// One token request, retried on connection errors, 429 and 502/503/504 (fetching a
    /// token is safe to repeat).
    async fn fetch(&self, transport: &Transport) -> Result<(Secret, Option<Instant>), Error> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose()),
        ];
        let policy = &transport.retry;
        let mut retries = 0;
        loop {
            let started = Instant::now();
            tracing::debug!(token_url = %self.token_url, "fetching an OAuth access token");
            let sent = transport
                .http
                .post(&self.token_url)
                .header(reqwest::header::USER_AGENT, transport.user_agent.clone())
                .header(reqwest::header::ACCEPT, "application/json")
                .form(&form)
                .timeout(transport.timeout)
                .send()
                .await;
            let outcome = match sent {
                Ok(response) => {
                    let status = response.status().as_u16();
                    let retry_after = response
                        .headers()
                        .get(reqwest::header::RETRY_AFTER)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| parse_retry_after(v, std::time::SystemTime::now()));
                    response
                        .bytes()
                        .await
                        .map(|body| (status, retry_after, body))
                }
                Err(e) => Err(e),
            };
            let (status, retry_after, body) = match outcome {
                Ok(parts) => parts,
                Err(e) => {
                    let transient = !e.is_timeout() && !e.is_builder();
                    if transient && retries < policy.max_retries {
                        let delay = policy.backoff(retries);
                        tracing::warn!(error = %error_chain(&e), ?delay, "token request failed; retrying");
                        tokio::time::sleep(delay).await;
                        retries += 1;
                        continue;
                    }
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
                            error_chain(&e)
                        )
                    };
                    return Err(Error::Auth {
                        message,
                        status: None,
                    });
                }
            };
            if (200..300).contains(&status) {
                let (token, lifetime) = self.parse_token_response(status, &body)?;
                let refresh_at = lifetime.map(|lifetime| {
                    let margin = MAX_REFRESH_MARGIN.min(lifetime / 10);
                    started + lifetime.saturating_sub(margin)
                });
                tracing::debug!(expires_in = ?lifetime, "fetched an OAuth access token");
                return Ok((token, refresh_at));
            }
            if matches!(status, 429 | 502 | 503 | 504) && retries < policy.max_retries {
                if let Some(delay) = policy.delay(retries, retry_after) {
                    tracing::warn!(
                        status,
                        ?delay,
                        "token endpoint answered a transient error; retrying"
                    );
                    tokio::time::sleep(delay).await;
                    retries += 1;
                    continue;
                }
            }
            return Err(self.error_response(status, &body));
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
        // Defensive: never echo the secret, even if a server put it in its answer.
        let secret = self.client_secret.expose();
        let detail = if secret.is_empty() {
            detail
        } else {
            detail.replace(secret, "<redacted>")
        };
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
