//! A successful (2xx) response, fully read into memory, with decoding helpers.
//!
//! [`Response::json`] decodes through `serde_path_to_error` so a failure names the
//! operation, the status, the JSON path of the failing value and a body excerpt; the
//! generic part is a one-liner and the error construction is non-generic.

use std::fmt;

use reqwest::header::HeaderMap;

use reqwest::Method;

use crate::error::{excerpt, DecodeError, Error};
use crate::lenient::Tally;
use crate::request::Operation;
use crate::transport::Answer;

/// A 2xx response. Non-2xx answers become [`Error::Api`] in [`crate::Client::send`].
pub struct Response {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    pub(crate) url: String,
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    /// Decode strictly: see `ClientBuilder::strict_decoding`.
    pub(crate) strict: bool,
}

impl Response {
    pub(crate) fn new(op: &'static Operation, url: String, answer: Answer, strict: bool) -> Self {
        Response {
            operation: op.id,
            method: op.method.clone(),
            url,
            status: answer.status,
            headers: answer.headers,
            body: answer.body,
            strict,
        }
    }

    /// A response made by hand rather than received, for tests of code that handles
    /// responses (a paging closure, say): no headers, lenient decoding.
    pub fn from_body(operation: &'static str, status: u16, body: impl Into<Vec<u8>>) -> Self {
        Response {
            operation,
            method: Method::GET,
            url: String::new(),
            status,
            headers: HeaderMap::new(),
            body: body.into(),
            strict: false,
        }
    }

    /// HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// A response header as text (`None` when absent or not visible ASCII).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `X-Total-Count` header, sent by list operations called with `count=true`.
    pub fn total_count(&self) -> Option<u64> {
        self.header("X-Total-Count")
            .and_then(|v| v.trim().parse().ok())
    }

    /// The operationId this response answers.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The request URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Decodes the JSON body into `T`. Lenient-decoding warnings are aggregated per type
    /// and field (see [`crate::lenient`]); with strict decoding a value lenient decoding
    /// would drop is an error.
    pub fn json<T: serde::de::DeserializeOwned>(self) -> Result<T, Error> {
        let mut tally = Tally::new(self.operation);
        tally.set_strict(self.strict);
        tally.run(|| {
            let mut de = serde_json::Deserializer::from_slice(&self.body);
            let value = serde_path_to_error::deserialize(&mut de)
                .map_err(|e| self.decode_error(e.path().to_string(), e.into_inner()))?;
            // Trailing garbage after the value is an error too (`serde_json::from_slice` semantics).
            de.end().map_err(|e| self.decode_error(".".to_owned(), e))?;
            Ok(value)
        })
    }

    /// Discards the body.
    pub fn empty(self) -> Result<(), Error> {
        Ok(())
    }

    /// The count a count operation answers with, in `X-Total-Count` (its body is empty).
    pub fn count(self) -> Result<u64, Error> {
        match self.total_count() {
            Some(count) => Ok(count),
            None => Err(Error::Decode(Box::new(DecodeError {
                operation: self.operation,
                status: Some(self.status),
                path: "X-Total-Count".to_owned(),
                page_offset: None,
                message: match self.header("X-Total-Count") {
                    Some(text) => format!("the X-Total-Count header {text:?} is not a count"),
                    None => "the response has no X-Total-Count header".to_owned(),
                },
                excerpt: String::new(),
            }))),
        }
    }

    /// The raw body.
    pub fn bytes(self) -> Result<Vec<u8>, Error> {
        Ok(self.body)
    }

    /// The body as UTF-8 text.
    pub fn text(self) -> Result<String, Error> {
        match String::from_utf8(self.body) {
            Ok(text) => Ok(text),
            Err(e) => Err(Error::Decode(Box::new(DecodeError {
                operation: self.operation,
                status: Some(self.status),
                path: ".".to_owned(),
                page_offset: None,
                message: format!("the body is not valid UTF-8: {}", e.utf8_error()),
                excerpt: excerpt(&String::from_utf8_lossy(e.as_bytes()), 200),
            }))),
        }
    }

    fn decode_error(&self, path: String, e: serde_json::Error) -> Error {
        let body = String::from_utf8_lossy(&self.body);
        Error::Decode(Box::new(DecodeError {
            operation: self.operation,
            status: Some(self.status),
            path,
            page_offset: None,
            message: e.to_string(),
            excerpt: if body.trim().is_empty() {
                "(empty body)".to_owned()
            } else {
                excerpt(&body, 200)
            },
        }))
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("url", &self.url)
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish()
    }
}
