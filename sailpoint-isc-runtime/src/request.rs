//! Plain-data description of one API call: [`Operation`] (static metadata emitted by
//! the generator), [`Request`] (parameters and body) and [`Multipart`] / [`FilePart`].
//!
//! A `Request` is pure data and non-generic: bodies are serialized eagerly and multipart
//! parts are kept as bytes, so the transport can rebuild the HTTP request for every retry
//! attempt (a `reqwest::multipart::Form` can only be sent once).

use std::fmt;
use std::time::Duration;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::error::Error;
use crate::retry::{RetryPolicy, RetrySafety};

/// HTTP method of an operation: the `http` crate's, as reqwest uses it.
pub use reqwest::Method;

/// Static metadata of one operation; the generator emits one `const` per operation.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Operation {
    /// operationId as in the spec, e.g. `listIdentities`.
    pub id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Spec path template, e.g. `/identities/{id}`.
    pub path: &'static str,
    /// Version base path from the spec's servers, e.g. `/v2024`, `/beta`, `/v3`.
    pub base_path: &'static str,
    /// The operation declares the `X-SailPoint-Experimental` header.
    pub experimental: bool,
    /// Whether a call may be sent again when an attempt's outcome is unknown (502/503/504,
    /// a dropped connection). [`RetrySafety::ByMethod`] for most operations;
    /// [`RetrySafety::Safe`] for read-only POSTs (search, search count, search aggregate).
    pub retry: RetrySafety,
}

impl Operation {
    /// Whether a call of this operation may be repeated after an unknown outcome.
    pub fn repeat_safe(&self) -> bool {
        self.retry.allows(&self.method)
    }
}

/// The body of a request, kept as data so it can be re-sent on retry.
#[derive(Clone, Default, PartialEq)]
pub(crate) enum Body {
    #[default]
    None,
    Bytes {
        content_type: String,
        bytes: Vec<u8>,
    },
    Form(Vec<(String, String)>),
    Multipart(Multipart),
}

/// One call of an operation: path and query parameters, headers and body.
#[derive(Clone)]
pub struct Request {
    pub(crate) op: &'static Operation,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Body,
    /// Per-call overrides of the client's timeout and policy and the operation's safety.
    pub(crate) options: CallOptions,
    /// First problem found while filling the request; reported by `Client::send`
    /// because the contract's setters do not return a `Result`.
    pub(crate) invalid: Option<String>,
}

impl Request {
    /// Starts a request for `op` with no parameters and no body.
    pub fn new(op: &'static Operation) -> Self {
        Request {
            op,
            path: op.path.to_owned(),
            query: Vec::new(),
            headers: Vec::new(),
            body: Body::None,
            options: CallOptions::default(),
            invalid: None,
        }
    }

    /// The operation this request calls.
    pub fn operation(&self) -> &'static Operation {
        self.op
    }

    /// Replaces `{name}` in the path template with `value`, percent-encoded as one path
    /// segment (so `/` or `?` in an id cannot change the URL's structure).
    ///
    /// Empty, `.` and `..` values are rejected when the request is sent, because URL
    /// normalization would silently drop or climb such a segment.
    pub fn path_param(&mut self, name: &str, value: &str) {
        let placeholder = format!("{{{name}}}");
        if !self.path.contains(&placeholder) {
            self.set_invalid(format!(
                "path parameter `{name}` does not occur in the path template `{}`",
                self.op.path
            ));
            return;
        }
        if value.is_empty() || value == "." || value == ".." {
            self.set_invalid(format!(
                "path parameter `{name}` must not be empty, `.` or `..` (got {value:?})"
            ));
            return;
        }
        self.path = self.path.replace(&placeholder, &encode_path_segment(value));
    }

    /// Appends a query parameter (arrays: one call per item, in order).
    pub fn query(&mut self, name: &str, value: String) {
        self.query.push((name.to_owned(), value));
    }

    /// Adds a request header. The runtime's own `Authorization` overrides one set here;
    /// an `Accept` set here replaces the default `application/json`.
    pub fn header(&mut self, name: &str, value: String) {
        self.headers.push((name.to_owned(), value));
    }

    /// Overrides the client's per-request timeout for this request only.
    pub fn timeout(&mut self, timeout: Duration) {
        self.options.timeout = Some(timeout);
    }

    /// Overrides the operation's [`RetrySafety`] for this call only (e.g. `Safe` for a
    /// POST the caller knows to be idempotent, `Unsafe` to never repeat a GET).
    pub fn retry_safety(&mut self, safety: RetrySafety) {
        self.options.retry_safety = Some(safety);
    }

    /// Overrides the client's [`RetryPolicy`] for this call only (e.g.
    /// [`RetryPolicy::none`] to fail fast).
    pub fn retry_policy(&mut self, policy: RetryPolicy) {
        self.options.retry_policy = Some(policy);
    }

    /// Applies every override `options` sets (the ones it leaves unset stay as they are).
    pub fn options(&mut self, options: &CallOptions) {
        let CallOptions {
            timeout,
            retry_policy,
            retry_safety,
        } = options.clone();
        self.options.timeout = timeout.or(self.options.timeout);
        self.options.retry_policy = retry_policy.or(self.options.retry_policy.take());
        self.options.retry_safety = retry_safety.or(self.options.retry_safety);
    }

    /// Whether this call may be repeated after an unknown outcome: the per-call override,
    /// else the operation's safety.
    pub fn repeat_safe(&self) -> bool {
        self.options
            .retry_safety
            .unwrap_or(self.op.retry)
            .allows(&self.op.method)
    }

    /// A value as JSON text, for a parameter or form field that is not a plain string
    /// (an object, a list of objects); fails, naming the operation, if it cannot be encoded.
    pub fn json_text<T: serde::Serialize + ?Sized>(&self, value: &T) -> Result<String, Error> {
        serde_json::to_string(value).map_err(|e| Error::Encode {
            operation: self.op.id,
            message: format!("encoding a parameter as JSON text failed: {e}"),
        })
    }

    /// Sets an `application/json` body.
    pub fn json<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        self.json_as("application/json", body)
    }

    /// Sets a JSON body sent as another JSON media type (`application/scim+json`,
    /// `application/merge-patch+json`, ...).
    pub fn json_as<T: serde::Serialize + ?Sized>(
        &mut self,
        content_type: &str,
        body: &T,
    ) -> Result<(), Error> {
        let bytes = serde_json::to_vec(body).map_err(|e| self.encode_error(&e))?;
        self.bytes(content_type, bytes);
        Ok(())
    }

    /// Sets an `application/json-patch+json` body (a JSON Patch document).
    pub fn json_patch<T: serde::Serialize + ?Sized>(&mut self, body: &T) -> Result<(), Error> {
        self.json_as("application/json-patch+json", body)
    }

    /// Sets an `application/x-www-form-urlencoded` body.
    pub fn form(&mut self, fields: Vec<(String, String)>) {
        self.body = Body::Form(fields);
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(&mut self, form: Multipart) {
        self.body = Body::Multipart(form);
    }

    /// Sets a raw body with the given media type.
    pub fn bytes(&mut self, content_type: &str, body: Vec<u8>) {
        self.body = Body::Bytes {
            content_type: content_type.to_owned(),
            bytes: body,
        };
    }

    fn encode_error(&self, e: &serde_json::Error) -> Error {
        Error::Encode {
            operation: self.op.id,
            message: format!("serializing the JSON body failed: {e}"),
        }
    }

    fn set_invalid(&mut self, message: String) {
        if self.invalid.is_none() {
            self.invalid = Some(message);
        }
    }
}

/// Shows parameter names and body sizes, not header values or body bytes (they may be
/// large or sensitive).
impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        let body = match &self.body {
            Body::None => "none".to_owned(),
            Body::Bytes {
                content_type,
                bytes,
            } => format!("{content_type}, {} bytes", bytes.len()),
            Body::Form(fields) => format!("form, {} fields", fields.len()),
            Body::Multipart(m) => format!("multipart, {} parts", m.parts.len()),
        };
        f.debug_struct("Request")
            .field("operation", &self.op.id)
            .field("method", &self.op.method)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("headers", &header_names)
            .field("body", &body)
            .finish()
    }
}

/// Per-call settings: each one set overrides, for one call, the client's timeout or
/// retry policy or the operation's retry safety. Generated request builders carry one
/// (`.timeout(..)`, `.retry_policy(..)`, `.retry_safety(..)`) into their [`Request`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallOptions {
    /// Timeout of each attempt (default: the client's).
    pub timeout: Option<Duration>,
    /// Retry policy (default: the client's).
    pub retry_policy: Option<RetryPolicy>,
    /// Whether the call may be repeated after an unknown outcome (default: the operation's).
    pub retry_safety: Option<RetrySafety>,
}

/// A `multipart/form-data` body, kept as plain data so it can be rebuilt per attempt.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Multipart {
    pub(crate) parts: Vec<(String, Part)>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Part {
    Text(String),
    File(FilePart),
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a text field.
    pub fn text(&mut self, name: &str, value: String) {
        self.parts.push((name.to_owned(), Part::Text(value)));
    }

    /// Adds a file field.
    pub fn file(&mut self, name: &str, file: FilePart) {
        self.parts.push((name.to_owned(), Part::File(file)));
    }

    /// Builds a fresh reqwest form (one per attempt).
    pub(crate) fn to_form(&self) -> Result<reqwest::multipart::Form, String> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            form = match part {
                Part::Text(value) => form.text(name.clone(), value.clone()),
                Part::File(file) => {
                    let p = reqwest::multipart::Part::bytes(file.bytes.clone())
                        .file_name(file.file_name.clone());
                    let ct = file
                        .content_type
                        .as_deref()
                        .unwrap_or("application/octet-stream");
                    let p = p.mime_str(ct).map_err(|_| {
                        format!("invalid content type {ct:?} for multipart part `{name}`")
                    })?;
                    form.part(name.clone(), p)
                }
            };
        }
        Ok(form)
    }
}

/// A file uploaded in a multipart body.
#[derive(Clone, Debug, PartialEq)]
pub struct FilePart {
    /// File name sent in the part's `Content-Disposition`.
    pub file_name: String,
    /// Media type of the part; `application/octet-stream` when `None`.
    pub content_type: Option<String>,
    /// File content.
    pub bytes: Vec<u8>,
}

impl FilePart {
    /// A file part without an explicit content type.
    pub fn new(file_name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        FilePart {
            file_name: file_name.into(),
            content_type: None,
            bytes: bytes.into(),
        }
    }

    /// Sets the part's media type.
    pub fn content_type(mut self, ct: impl Into<String>) -> Self {
        self.content_type = Some(ct.into());
        self
    }
}

/// Everything but RFC 3986 unreserved characters is encoded, so the value stays one
/// path segment whatever it contains.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub(crate) fn encode_path_segment(value: &str) -> String {
    utf8_percent_encode(value, PATH_SEGMENT).to_string()
}
