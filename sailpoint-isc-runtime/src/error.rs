//! The crate's single error type, [`Error`], and the typed ISC error bodies.
//!
//! ISC answers errors in three shapes: the `ErrorResponseDto` (`detailCode`,
//! `trackingId`, `messages`, `causes`) for most statuses, `{"error": ".."}` for 401 and
//! `{"message": ".."}` for 429. [`ErrorBody::parse`] recognises them by their fields (so a
//! gateway that answers in an unexpected shape still decodes into something useful) and
//! falls back to [`ErrorBody::None`]; the raw text is always kept in [`ApiError::raw_body`].
//!
//! Every `Display` message is a single line and never contains a token or secret: the
//! runtime never puts them into an error in the first place, and bodies it keeps (API
//! error bodies, excerpts) are redacted, because servers echo headers and forms.

use std::fmt;
use std::time::Duration;

use serde_json::{Map, Value};

use reqwest::Method;

use crate::secret::redact;

/// `Result` with the runtime's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Everything that can go wrong when calling the ISC API.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The API answered with a non-2xx status (after retries, if any applied).
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A 2xx response, or one item of a page, did not decode into the expected type.
    #[error("{0}")]
    Decode(Box<DecodeError>),
    /// The request did not complete within the per-request timeout.
    #[error("{operation} ({method} {url}) timed out after {} ms", .timeout.as_millis())]
    Timeout {
        /// operationId of the operation that timed out.
        operation: &'static str,
        /// HTTP method.
        method: Method,
        /// Full request URL.
        url: String,
        /// The timeout that elapsed.
        timeout: Duration,
    },
    /// The server could not be reached or the connection failed mid-request.
    #[error("{operation} ({method} {url}) failed: {}", error_chain(.source))]
    Transport {
        /// operationId of the failed operation.
        operation: &'static str,
        /// HTTP method.
        method: Method,
        /// Full request URL.
        url: String,
        /// The underlying HTTP client error.
        #[source]
        source: reqwest::Error,
    },
    /// Fetching an OAuth access token failed, or the API rejected the credentials.
    #[error("authentication failed: {message}")]
    Auth {
        /// What went wrong (never contains the secret or a token).
        message: String,
        /// HTTP status of the token endpoint, when it answered.
        status: Option<u16>,
    },
    /// Missing or invalid configuration (base URL, credentials, config files).
    #[error("configuration error: {0}")]
    Config(String),
    /// An experimental operation was called on a client built without `experimental(true)`.
    /// Nothing was sent.
    #[error(
        "operation `{operation}` ({method} {path}) is experimental and experimental operations are \
         disabled: build the client with `ClientBuilder::experimental(true)` to send it \
         (with the header `X-SailPoint-Experimental: true`)"
    )]
    ExperimentalDisabled {
        /// operationId of the rejected operation.
        operation: &'static str,
        /// HTTP method.
        method: Method,
        /// Path template including the version base path, e.g. `/beta/workflows/{id}`.
        path: String,
    },
    /// The request could not be built (body serialization, path parameters, headers).
    #[error("{operation}: could not build the request: {message}")]
    Encode {
        /// operationId of the operation.
        operation: &'static str,
        /// What could not be encoded.
        message: String,
    },
    /// A paging helper could not continue (bad page size, a hit without its sort values, no progress).
    #[error("{operation}: paging stopped: {message}")]
    Pagination {
        /// operationId, or `"paginate"` when the helper does not know it.
        operation: &'static str,
        /// Why paging stopped.
        message: String,
    },
}

impl Error {
    /// The API error details, for [`Error::Api`].
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            _ => None,
        }
    }

    /// HTTP status of an API error (or of the token endpoint for [`Error::Auth`]).
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::Decode(e) => e.status,
            Error::Auth { status, .. } => *status,
            _ => None,
        }
    }

    /// ISC tracking id of an API error, to quote in a support case.
    pub fn tracking_id(&self) -> Option<&str> {
        self.api().and_then(|e| e.tracking_id.as_deref())
    }

    /// The operationId this error belongs to, when known.
    pub fn operation(&self) -> Option<&'static str> {
        match self {
            Error::Api(e) => Some(e.operation),
            Error::Decode(e) => Some(e.operation),
            Error::Timeout { operation, .. }
            | Error::Transport { operation, .. }
            | Error::ExperimentalDisabled { operation, .. }
            | Error::Encode { operation, .. }
            | Error::Pagination { operation, .. } => Some(operation),
            Error::Auth { .. } | Error::Config(_) => None,
        }
    }

    /// Whether this is a per-request timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout { .. })
    }
}

/// A non-2xx answer from the API.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct ApiError {
    /// operationId, e.g. `listIdentities`.
    pub operation: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Full request URL (no credentials: those travel in headers).
    pub url: String,
    /// HTTP status code.
    pub status: u16,
    /// `trackingId` from the body, else the `SLPT-Request-ID` response header.
    pub tracking_id: Option<String>,
    /// The body decoded into the shape ISC uses for this status.
    pub body: ErrorBody,
    /// The body as received (lossy UTF-8).
    pub raw_body: String,
    /// The parsed `Retry-After` header, if the server sent one.
    pub retry_after: Option<Duration>,
}

impl ApiError {
    /// Builds the error from a response; picks the tracking id from the body, then the header.
    pub(crate) fn new(
        operation: &'static str,
        method: Method,
        url: String,
        status: u16,
        header_tracking_id: Option<String>,
        raw_body: String,
        retry_after: Option<Duration>,
    ) -> Self {
        let body = ErrorBody::parse(status, &raw_body);
        let tracking_id = match &body {
            ErrorBody::Standard(dto) => dto.tracking_id.clone(),
            _ => None,
        }
        .or(header_tracking_id);
        ApiError {
            operation,
            method,
            url,
            status,
            tracking_id,
            body,
            raw_body,
            retry_after,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({} {}) failed with HTTP {}",
            self.operation, self.method, self.url, self.status
        )?;
        if let Some(reason) = reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
        {
            write!(f, " {reason}")?;
        }
        if let Some(id) = &self.tracking_id {
            write!(f, " (tracking id {})", one_line(id))?;
        }
        match self.body.summary() {
            Some(summary) => write!(f, ": {}", excerpt(&summary, 300)),
            None if self.raw_body.trim().is_empty() => f.write_str(": empty body"),
            None => write!(f, ": {}", excerpt(&self.raw_body, 200)),
        }
    }
}

impl std::error::Error for ApiError {}

/// The typed body of an API error.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum ErrorBody {
    /// ISC's `ErrorResponseDto` (400, 403, 404, 500 and most others).
    Standard(ErrorResponseDto),
    /// The 401 shape `{"error": "JWT validation failed: JWT is expired"}`.
    Unauthorized {
        /// The `error` text.
        error: String,
    },
    /// The 429 shape `{"message": " Rate Limit Exceeded "}`.
    RateLimited {
        /// The `message` text, as sent (ISC pads it with spaces).
        message: String,
    },
    /// Empty, not JSON, or none of the known shapes.
    None,
}

impl ErrorBody {
    /// Decodes `raw` into the shape ISC uses for `status`, trying the other shapes next.
    ///
    /// A shape only matches when its identifying field is present, so an unrelated JSON
    /// object becomes [`ErrorBody::None`] rather than an empty `ErrorResponseDto`.
    pub fn parse(status: u16, raw: &str) -> ErrorBody {
        let Ok(Value::Object(map)) = serde_json::from_str::<Value>(raw) else {
            return ErrorBody::None;
        };
        let standard = || ErrorResponseDto::from_map(&map).map(ErrorBody::Standard);
        let unauthorized =
            || string_field(&map, "error").map(|error| ErrorBody::Unauthorized { error });
        let rate_limited =
            || string_field(&map, "message").map(|message| ErrorBody::RateLimited { message });
        // The `{error}` and `{message}` shapes belong to 401 and 429 only: elsewhere a
        // body with such a field is some other documented body, kept raw.
        let found = match status {
            401 => unauthorized().or_else(standard),
            429 => rate_limited().or_else(standard),
            _ => standard(),
        };
        found.unwrap_or(ErrorBody::None)
    }

    /// A one-line human summary of the body, if it has a recognised shape.
    pub fn summary(&self) -> Option<String> {
        match self {
            ErrorBody::Standard(dto) => {
                let text = dto
                    .messages
                    .iter()
                    .chain(&dto.causes)
                    .find_map(|m| m.text.as_deref());
                match (&dto.detail_code, text) {
                    (Some(code), Some(text)) => Some(format!("{code}: {text}")),
                    (Some(code), None) => Some(code.clone()),
                    (None, Some(text)) => Some(text.to_owned()),
                    (None, None) => None,
                }
            }
            ErrorBody::Unauthorized { error } => Some(error.trim().to_owned()),
            ErrorBody::RateLimited { message } => Some(message.trim().to_owned()),
            ErrorBody::None => None,
        }
    }
}

/// ISC's standard error body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorResponseDto {
    /// e.g. `400.1 Bad Request Content`.
    pub detail_code: Option<String>,
    /// Request tracking id.
    pub tracking_id: Option<String>,
    /// Human-readable messages, usually one per locale.
    pub messages: Vec<ErrorMessage>,
    /// Underlying causes, same shape as `messages`.
    pub causes: Vec<ErrorMessage>,
}

impl ErrorResponseDto {
    fn from_map(map: &Map<String, Value>) -> Option<Self> {
        let known = ["detailCode", "trackingId", "messages", "causes"];
        if !known.iter().any(|k| map.contains_key(*k)) {
            return None;
        }
        Some(ErrorResponseDto {
            detail_code: string_field(map, "detailCode"),
            tracking_id: string_field(map, "trackingId"),
            messages: messages_field(map, "messages"),
            causes: messages_field(map, "causes"),
        })
    }
}

/// One localized message of an [`ErrorResponseDto`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ErrorMessage {
    /// e.g. `en-US`.
    pub locale: Option<String>,
    /// `DEFAULT` or `REQUEST`.
    pub locale_origin: Option<String>,
    /// The message text.
    pub text: Option<String>,
}

fn string_field(map: &Map<String, Value>, key: &str) -> Option<String> {
    map.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Tolerant: non-object items and non-string fields are skipped rather than failing.
fn messages_field(map: &Map<String, Value>, key: &str) -> Vec<ErrorMessage> {
    let Some(Value::Array(items)) = map.get(key) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(Value::as_object)
        .map(|m| ErrorMessage {
            locale: string_field(m, "locale"),
            locale_origin: string_field(m, "localeOrigin"),
            text: string_field(m, "text"),
        })
        .collect()
}

/// A 2xx body, or one item of a page, that did not decode into the expected type.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DecodeError {
    /// operationId.
    pub operation: &'static str,
    /// HTTP status of the response, when decoding a whole response body.
    pub status: Option<u16>,
    /// JSON path of the failing value, e.g. `items[3].created` (`.` for the root); for a
    /// page item, relative to the page body (`[3].created`).
    pub path: String,
    /// For a page item: the stream position of the page's first item (the `offset` of
    /// an offset page; the number of hits before the page for `searchAfter` paging).
    pub page_offset: Option<u64>,
    /// serde's description of the failure.
    pub message: String,
    /// The first ~200 characters of the body (or item), on one line, secrets redacted.
    pub excerpt: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: could not decode the ", self.operation)?;
        match (self.page_offset, self.status) {
            (Some(offset), _) => write!(f, "item of the page at offset {offset}")?,
            (None, Some(status)) => write!(f, "HTTP {status} response")?,
            (None, None) => f.write_str("value")?,
        }
        write!(
            f,
            " at `{}`: {}; it starts with: {}",
            self.path,
            one_line(&self.message),
            self.excerpt
        )
    }
}

impl std::error::Error for DecodeError {}

/// The first `max_chars` characters of `text` on a single line (control characters
/// become spaces), with `…` when cut; bearer tokens and JWTs are redacted first, so an
/// excerpt of any body is safe to show.
pub(crate) fn excerpt(text: &str, max_chars: usize) -> String {
    let text = &redact(text, &[]);
    let mut out: String = text.chars().take(max_chars).collect();
    if text.chars().nth(max_chars).is_some() {
        out.push('…');
    }
    one_line(&out)
}

/// Replaces control characters so a message stays on one line.
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// The causes of an error joined with `: `, skipping the top level when it has causes
/// (reqwest's top-level message repeats the URL that our message already names).
pub(crate) fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = Vec::new();
    let mut current = error.source();
    while let Some(e) = current {
        parts.push(e.to_string());
        current = e.source();
    }
    if parts.is_empty() {
        parts.push(error.to_string());
    }
    one_line(&parts.join(": "))
}
