//! Hand-written runtime shared by every generated operation.
//!
//! The generated modules (`v3`, `beta`, `v2024`) only build [`Request`]s and decode
//! [`Response`]s; everything that touches the network lives here, behind one
//! non-generic transport path ([`Client::send`]) so that the large generated crate
//! does not monomorphize HTTP code per operation.
//!
//! Modules, each depending only on the ones listed after it (no cycles):
//!
//! * [`client`]: [`Client`], [`ClientBuilder`], the send loop, experimental gating.
//! * [`paginate`](mod@paginate): offset pagination ([`paginate()`], [`paginate_search()`])
//!   and `searchAfter` paging ([`search_after()`]).
//! * [`config`]: where credentials come from (`SAIL_*` env vars, `./config.json`,
//!   `~/.sailpoint/config.yaml` with the `yaml-config` feature).
//! * `auth`: the OAuth2 client-credentials token cache (internal).
//! * [`response`] / [`request`]: a read 2xx response and the plain-data request.
//! * `transport`: one HTTP attempt and its classification for retries (internal).
//! * [`retry`]: [`RetryPolicy`], [`RetrySafety`] and the pure retry decision [`retry::decide`].
//! * [`secret`]: the [`Secret`] newtype and redaction of secrets in kept text.
//! * [`error`]: the single [`Error`] type with typed ISC error bodies.
//! * [`lenient`]: tolerant serde helpers used by generated models, plus [`tag_value`] / [`from_value`].
//! * [`datetime`]: [`DateTime`], a raw-string date-time with a tolerant parser.

mod auth;
pub mod client;
pub mod config;
pub mod datetime;
pub mod error;
pub mod lenient;
pub mod paginate;
pub mod request;
pub mod response;
pub mod retry;
pub mod secret;
mod transport;

pub use client::{Client, ClientBuilder, DEFAULT_TIMEOUT};
pub use config::Config;
pub use datetime::{DateTime, DateTimeError, ParsedDateTime};
pub use error::{ApiError, DecodeError, Error, ErrorBody, ErrorMessage, ErrorResponseDto, Result};
pub use lenient::{from_value, note_fallback, tag_value, BestFit, Fields};
pub use paginate::{
    paginate, paginate_search, search_after, search_after_from, SearchAfter, SearchPage,
    SEARCH_WINDOW,
};
pub use request::{CallOptions, FilePart, Method, Multipart, Operation, Request};
pub use response::Response;
pub use retry::{RetryPolicy, RetrySafety};
pub use secret::Secret;
