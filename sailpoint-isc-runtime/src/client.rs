//! [`Client`], [`ClientBuilder`] and the single transport path, [`Client::send`].
//!
//! `send` is deliberately non-generic: every generated operation funnels through it, so
//! URL building, authentication, experimental gating, retries and error mapping are
//! compiled once. Each attempt rebuilds the HTTP request from the plain-data
//! [`Request`], which is what makes retries of multipart uploads possible.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, USER_AGENT,
};

use crate::auth::{Auth, Token};
use crate::config::Config;
use crate::error::{error_chain, excerpt, ApiError, DecodeError, Error};
use crate::request::{Body, Operation, Request};
use crate::response::Response;
use crate::retry::{decide, random_unit, Decision, Failure, RetryPolicy};
use crate::secret::{redact, Secret};
use crate::transport::{classify, execute, Answer, Transport};

/// Default per-request timeout (covers connecting, sending and reading the whole body).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

const EXPERIMENTAL_HEADER: &str = "x-sailpoint-experimental";
const TRACKING_HEADER: &str = "slpt-request-id";

/// Handle to the ISC API. Cheap to clone (an `Arc` inside); clones share the HTTP
/// connection pool and the token cache.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    transport: Transport,
    base_url: String,
    auth: Auth,
    experimental: bool,
    strict_decoding: bool,
}

impl Client {
    /// Starts configuring a client.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A client configured from `SAIL_BASE_URL` / `SAIL_CLIENT_ID` / `SAIL_CLIENT_SECRET`,
    /// falling back to `./config.json` and `~/.sailpoint/config.yaml` (see [`Config`]).
    pub fn from_env() -> Result<Client, Error> {
        ClientBuilder::new().config(Config::from_env()?).build()
    }

    /// The tenant base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Whether experimental operations may be sent.
    pub fn experimental_enabled(&self) -> bool {
        self.inner.experimental
    }

    /// The retry policy in use.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.transport.retry
    }

    /// The default per-request timeout.
    pub fn timeout(&self) -> Duration {
        self.inner.transport.timeout
    }

    /// Sends one operation call: URL = base URL + `op.base_path` + path + query,
    /// `Authorization: Bearer`, `User-Agent`, `Accept: application/json`, experimental
    /// gating, retries (see [`crate::retry::decide`]), one token refresh on 401, and the
    /// per-request timeout. 2xx gives a [`Response`]; anything else an [`Error`].
    pub async fn send(&self, request: Request) -> Result<Response, Error> {
        let inner = &*self.inner;
        let op = request.op;
        inner.check_sendable(&request)?;
        let encode_error = |message: String| Error::Encode {
            operation: op.id,
            message,
        };
        let url = self.url_for(&request).map_err(encode_error)?;
        let headers = inner.base_headers(&request).map_err(encode_error)?;
        let timeout = request.options.timeout.unwrap_or(inner.transport.timeout);
        let policy = request
            .options
            .retry_policy
            .as_ref()
            .unwrap_or(&inner.transport.retry);
        let repeat_safe = request.repeat_safe();
        let mut retries = 0u32;
        let mut refreshed = false;
        loop {
            let token = inner.auth.token(&inner.transport).await?;
            let http_request =
                inner.build_attempt(&request, &url, &headers, &token.value, timeout)?;
            tracing::debug!(operation = op.id, method = %op.method, url = %url, retries, "sending request");
            let started = Instant::now();
            let (failure, error) = match execute(&inner.transport.http, http_request).await {
                Ok(answer) => {
                    tracing::debug!(
                        operation = op.id,
                        status = answer.status,
                        elapsed_ms = started.elapsed().as_millis() as u64,
                        "received response"
                    );
                    if answer.status != 401 {
                        inner.auth.mark_accepted(token.generation);
                    }
                    match answer.failure() {
                        None => {
                            let strict = inner.strict_decoding;
                            return Ok(Response::new(op, url.to_string(), answer, strict));
                        }
                        Some(Failure::Status { status: 401, .. }) if !refreshed => {
                            if inner.auth.can_refresh() {
                                tracing::debug!(
                                    operation = op.id,
                                    "API answered 401; refreshing the token once"
                                );
                                refreshed = true;
                                inner.auth.invalidate(token.generation).await;
                                continue;
                            }
                            (
                                Failure::Status {
                                    status: 401,
                                    retry_after: None,
                                },
                                inner.answer_error(op, &url, answer, &token),
                            )
                        }
                        // A 401 after our refresh, for a token the API had accepted: it was
                        // revoked or expired since (another caller may have fetched it), so
                        // refreshing again is worth a retry. A 401 for a token the API never
                        // accepted means the credentials are rejected: returned.
                        Some(Failure::Status { status: 401, .. })
                            if inner.auth.was_accepted(token.generation)
                                && retries < policy.max_retries =>
                        {
                            tracing::debug!(
                                operation = op.id,
                                "API answered 401 for a token it had accepted; refreshing again"
                            );
                            retries += 1;
                            inner.auth.invalidate(token.generation).await;
                            continue;
                        }
                        Some(failure) => (failure, inner.answer_error(op, &url, answer, &token)),
                    }
                }
                Err(e) if e.is_builder() => return Err(transport_error(op, &url, e)),
                Err(e) => {
                    let failure = classify(&e);
                    let error = match failure {
                        Failure::Timeout => Error::Timeout {
                            operation: op.id,
                            method: op.method.clone(),
                            url: url.to_string(),
                            timeout,
                        },
                        _ => transport_error(op, &url, e),
                    };
                    (failure, error)
                }
            };
            match decide(policy, repeat_safe, failure, retries, random_unit()) {
                Decision::Retry(delay) => {
                    tracing::warn!(
                        operation = op.id,
                        ?failure,
                        delay_ms = delay.as_millis() as u64,
                        retry = retries + 1,
                        "transient failure; retrying"
                    );
                    tokio::time::sleep(delay).await;
                    retries += 1;
                }
                Decision::GiveUp(reason) => {
                    tracing::debug!(operation = op.id, ?failure, ?reason, "not retrying");
                    return Err(error);
                }
            }
        }
    }

    /// base URL + version base path + substituted path, then the query in call order.
    fn url_for(&self, request: &Request) -> Result<reqwest::Url, String> {
        if let Some(start) = request.path.find('{') {
            let rest = &request.path[start..];
            let name = rest
                .split('}')
                .next()
                .unwrap_or(rest)
                .trim_start_matches('{');
            return Err(format!("path parameter `{name}` was not set"));
        }
        let text = format!(
            "{}{}{}",
            self.inner.base_url, request.op.base_path, request.path
        );
        let mut url =
            reqwest::Url::parse(&text).map_err(|e| format!("invalid URL {text:?}: {e}"))?;
        if !request.query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in &request.query {
                pairs.append_pair(name, value);
            }
        }
        Ok(url)
    }
}

impl Inner {
    /// Fails before anything is sent: experimental operations on a client without
    /// `experimental(true)`, and requests whose setters found a problem.
    fn check_sendable(&self, request: &Request) -> Result<(), Error> {
        let op = request.op;
        if op.experimental && !self.experimental {
            return Err(Error::ExperimentalDisabled {
                operation: op.id,
                method: op.method.clone(),
                path: format!("{}{}", op.base_path, op.path),
            });
        }
        match &request.invalid {
            Some(message) => Err(Error::Encode {
                operation: op.id,
                message: message.clone(),
            }),
            None => Ok(()),
        }
    }

    /// The error for an answer that is not usable: an [`ApiError`] for a non-2xx status,
    /// a [`DecodeError`] for a 2xx whose JSON body ends early. Bodies are kept with the
    /// token and the client secret redacted: servers echo headers and forms.
    fn answer_error(
        &self,
        op: &Operation,
        url: &reqwest::Url,
        answer: Answer,
        token: &Token,
    ) -> Error {
        let mut secrets = vec![&token.value];
        secrets.extend(self.auth.client_secret());
        let raw = redact(&String::from_utf8_lossy(&answer.body), &secrets);
        if (200..300).contains(&answer.status) {
            return Error::Decode(Box::new(DecodeError {
                operation: op.id,
                status: Some(answer.status),
                path: ".".to_owned(),
                page_offset: None,
                message: "the JSON body ends before its value does (truncated)".to_owned(),
                excerpt: excerpt(&raw, 200),
            }));
        }
        let tracking = answer
            .headers
            .get(TRACKING_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Error::Api(Box::new(ApiError::new(
            op.id,
            op.method.clone(),
            url.to_string(),
            answer.status,
            tracking,
            raw,
            answer.retry_after(),
        )))
    }

    /// Headers that are the same for every attempt: the request's own, then the defaults.
    fn base_headers(&self, request: &Request) -> Result<HeaderMap, String> {
        let mut headers = HeaderMap::new();
        for (name, value) in &request.headers {
            let header_name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("invalid header name {name:?}"))?;
            let header_value = HeaderValue::from_str(value)
                .map_err(|_| format!("the value of header `{name}` is not a valid header value"))?;
            headers.append(header_name, header_value);
        }
        if !headers.contains_key(ACCEPT) {
            headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        }
        if !headers.contains_key(USER_AGENT) {
            headers.insert(USER_AGENT, self.transport.user_agent.clone());
        }
        if request.op.experimental {
            headers.insert(EXPERIMENTAL_HEADER, HeaderValue::from_static("true"));
        }
        if let Body::Bytes { content_type, .. } = &request.body {
            let value = HeaderValue::from_str(content_type)
                .map_err(|_| format!("invalid content type {content_type:?}"))?;
            headers.insert(CONTENT_TYPE, value);
        }
        Ok(headers)
    }

    /// One attempt's HTTP request, built fresh from the plain-data request.
    fn build_attempt(
        &self,
        request: &Request,
        url: &reqwest::Url,
        headers: &HeaderMap,
        token: &Secret,
        timeout: Duration,
    ) -> Result<reqwest::Request, Error> {
        let mut headers = headers.clone();
        let mut bearer =
            HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
                Error::Auth {
                message:
                    "the access token contains characters that are not allowed in an HTTP header"
                        .to_owned(),
                status: None,
            }
            })?;
        bearer.set_sensitive(true);
        headers.insert(AUTHORIZATION, bearer);
        let mut builder = self
            .transport
            .http
            .request(request.op.method.clone(), url.clone())
            .headers(headers)
            .timeout(timeout);
        builder = match &request.body {
            Body::None => builder,
            Body::Bytes { bytes, .. } => builder.body(bytes.clone()),
            Body::Form(fields) => builder.form(fields),
            Body::Multipart(multipart) => {
                builder.multipart(multipart.to_form().map_err(|message| Error::Encode {
                    operation: request.op.id,
                    message,
                })?)
            }
        };
        builder.build().map_err(|e| Error::Encode {
            operation: request.op.id,
            message: error_chain(&e),
        })
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("auth", &self.inner.auth)
            .field("experimental", &self.inner.experimental)
            .field("strict_decoding", &self.inner.strict_decoding)
            .field("timeout", &self.inner.transport.timeout)
            .field("retry", &self.inner.transport.retry)
            .field("user_agent", &self.inner.transport.user_agent)
            .finish()
    }
}

/// Configures a [`Client`]. Required: a base URL and either client credentials or an
/// access token (a token wins when both are set).
///
/// `C` is the type [`build`](ClientBuilder::build) returns: the runtime's [`Client`], or a
/// generated crate's own client type that wraps it (so `Client::builder()` of that crate
/// gives its client with its version accessors).
pub struct ClientBuilder<C = Client> {
    base_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<Secret>,
    access_token: Option<Secret>,
    token_url: Option<String>,
    timeout: Duration,
    connect_timeout: Option<Duration>,
    retry: RetryPolicy,
    user_agent: Option<String>,
    experimental: bool,
    strict_decoding: bool,
    http_client: Option<reqwest::Client>,
    client: PhantomData<fn() -> C>,
}

impl ClientBuilder {
    /// A builder with the defaults: 60 s timeout, [`RetryPolicy::default`], experimental off.
    pub fn new() -> Self {
        Self::default()
    }
}

impl<C> Default for ClientBuilder<C> {
    fn default() -> Self {
        ClientBuilder {
            base_url: None,
            client_id: None,
            client_secret: None,
            access_token: None,
            token_url: None,
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: None,
            retry: RetryPolicy::default(),
            user_agent: None,
            experimental: false,
            strict_decoding: false,
            http_client: None,
            client: PhantomData,
        }
    }
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("access_token", &self.access_token)
            .field("token_url", &self.token_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("retry", &self.retry)
            .field("user_agent", &self.user_agent)
            .field("experimental", &self.experimental)
            .field("strict_decoding", &self.strict_decoding)
            .field("http_client", &self.http_client)
            .finish()
    }
}

impl<C: From<Client>> ClientBuilder<C> {
    /// Takes base URL, client id/secret and token URL from a loaded [`Config`].
    pub fn config(mut self, config: Config) -> Self {
        self.base_url = Some(config.base_url);
        self.client_id = Some(config.client_id);
        self.client_secret = Some(config.client_secret);
        if config.token_url.is_some() {
            self.token_url = config.token_url;
        }
        self
    }

    /// Loads [`Config::from_env`] into the builder (keeps the other settings).
    pub fn from_env(self) -> Result<Self, Error> {
        Ok(self.config(Config::from_env()?))
    }

    /// Tenant API base URL, e.g. `https://acme.api.identitynow.com` (no version path).
    pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
        self.base_url = Some(base_url.into());
        self
    }

    /// OAuth2 client credentials (a personal access token's id and secret, or an API client's).
    pub fn client_credentials(
        mut self,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        self.client_id = Some(client_id.into());
        self.client_secret = Some(Secret::new(client_secret));
        self
    }

    /// A fixed access token instead of client credentials (not refreshed; a 401 is returned).
    pub fn access_token(mut self, token: impl Into<String>) -> Self {
        self.access_token = Some(Secret::new(token));
        self
    }

    /// Token endpoint; default `{base_url}/oauth/token`.
    pub fn token_url(mut self, token_url: impl Into<String>) -> Self {
        self.token_url = Some(token_url.into());
        self
    }

    /// Per-request timeout (default 60 s); [`Request::timeout`] overrides it per call.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// TCP/TLS connect timeout (default: none beyond the request timeout).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Retry policy (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// `User-Agent` header (default `sailpoint-isc-rust/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Decode strictly: a value lenient decoding would drop (an optional field of the
    /// wrong type, a property the spec does not declare, a required-by-the-spec field
    /// that is missing) makes the call fail with an error naming its JSON path, instead
    /// of a warning. For tests and CI runs that look for spec drift on purpose; off by
    /// default, as real servers need leniency.
    pub fn strict_decoding(mut self, strict: bool) -> Self {
        self.strict_decoding = strict;
        self
    }

    /// Allow experimental operations (they send `X-SailPoint-Experimental: true`).
    /// Off by default: calling one then fails before anything is sent.
    pub fn experimental(mut self, enabled: bool) -> Self {
        self.experimental = enabled;
        self
    }

    /// Use a preconfigured reqwest client (proxies, custom roots, ...). The
    /// `connect_timeout` setting is then ignored.
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http_client = Some(client);
        self
    }

    /// Validates the settings and builds the client.
    pub fn build(self) -> Result<C, Error> {
        let base_url = match self.base_url.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => normalize_base_url(url)?,
            _ => {
                return Err(Error::Config(
                    "no base URL: call ClientBuilder::base_url or set SAIL_BASE_URL \
                     (e.g. https://acme.api.identitynow.com)"
                        .to_owned(),
                ))
            }
        };
        let auth = match (self.access_token, self.client_id, self.client_secret) {
            (Some(token), _, _) => {
                if token.expose().trim().is_empty() {
                    return Err(Error::Config("the access token is empty".to_owned()));
                }
                Auth::Static(token)
            }
            (None, Some(id), Some(secret))
                if !id.trim().is_empty() && !secret.expose().is_empty() =>
            {
                let token_url = match self.token_url {
                    Some(url) => {
                        let url = url.trim().to_owned();
                        check_http_url(&url, "token URL")?;
                        url
                    }
                    None => format!("{base_url}/oauth/token"),
                };
                Auth::client_credentials(id.trim().to_owned(), secret, token_url)
            }
            (None, id, secret) => {
                let missing: Vec<&str> = [
                    id.as_deref()
                        .is_none_or(|i| i.trim().is_empty())
                        .then_some("client id"),
                    secret
                        .as_ref()
                        .is_none_or(|s| s.expose().is_empty())
                        .then_some("client secret"),
                ]
                .into_iter()
                .flatten()
                .collect();
                return Err(Error::Config(format!(
                    "no credentials: {} missing; call ClientBuilder::client_credentials or \
                     ClientBuilder::access_token, or set SAIL_CLIENT_ID and SAIL_CLIENT_SECRET",
                    missing.join(" and ")
                )));
            }
        };
        if self.timeout.is_zero() {
            return Err(Error::Config(
                "the request timeout must be greater than zero".to_owned(),
            ));
        }
        let user_agent = self
            .user_agent
            .unwrap_or_else(|| format!("sailpoint-isc-rust/{}", env!("CARGO_PKG_VERSION")));
        let user_agent = HeaderValue::from_str(&user_agent)
            .map_err(|_| Error::Config(format!("invalid User-Agent {user_agent:?}")))?;
        let http = match self.http_client {
            Some(client) => client,
            None => {
                let mut builder = reqwest::Client::builder();
                if let Some(timeout) = self.connect_timeout {
                    builder = builder.connect_timeout(timeout);
                }
                builder.build().map_err(|e| {
                    Error::Config(format!(
                        "could not create the HTTP client: {}",
                        error_chain(&e)
                    ))
                })?
            }
        };
        Ok(C::from(Client {
            inner: Arc::new(Inner {
                transport: Transport {
                    http,
                    user_agent,
                    timeout: self.timeout,
                    retry: self.retry,
                },
                base_url,
                auth,
                experimental: self.experimental,
                strict_decoding: self.strict_decoding,
            }),
        }))
    }
}

fn transport_error(op: &Operation, url: &reqwest::Url, source: reqwest::Error) -> Error {
    Error::Transport {
        operation: op.id,
        method: op.method.clone(),
        url: url.to_string(),
        source,
    }
}

/// Trims trailing slashes and rejects URLs that cannot be a tenant base URL. A trailing
/// version segment (`/v3`, `/beta`, `/v2024`) is rejected because operations add it.
fn normalize_base_url(url: &str) -> Result<String, Error> {
    let url = url.trim_end_matches('/');
    let parsed = check_http_url(url, "base URL")?;
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Config(format!(
            "the base URL {url:?} must not have a query or fragment"
        )));
    }
    let last = parsed
        .path_segments()
        .and_then(|mut s| s.next_back())
        .unwrap_or("");
    let is_version = last == "beta"
        || last
            .strip_prefix('v')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if is_version {
        return Err(Error::Config(format!(
            "the base URL {url:?} ends with the API version `/{last}`; use the tenant URL without it, \
             e.g. https://acme.api.identitynow.com"
        )));
    }
    Ok(url.to_owned())
}

fn check_http_url(url: &str, what: &str) -> Result<reqwest::Url, Error> {
    let parsed = reqwest::Url::parse(url)
        .map_err(|e| Error::Config(format!("the {what} {url:?} is not a valid URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(Error::Config(format!(
            "the {what} {url:?} must be an http(s) URL with a host"
        )));
    }
    Ok(parsed)
}
