//! Hand-written runtime shared by every generated operation.
//!
//! The generated modules (`v3`, `beta`, `v2024`) only build [`Request`]s and decode
//! [`Response`]s; everything that touches the network lives here, behind one
//! non-generic transport path ([`Client::send`]) so that the large generated crate
//! does not monomorphize HTTP code per operation.
//!
//! * [`config`]: where credentials come from (`SAIL_*` env vars, `./config.json`,
//!   `~/.sailpoint/config.yaml`).
//! * [`auth`]: OAuth2 client-credentials token cache and the [`Secret`] newtype.
//! * [`client`]: [`Client`], [`ClientBuilder`], retries, timeouts, experimental gating.
//! * [`request`] / [`response`]: plain-data request description and 2xx response.
//! * [`error`]: the single [`Error`] type with typed ISC error bodies.
//! * [`retry`]: [`RetryPolicy`], backoff and `Retry-After` parsing.
//! * [`paginate`](mod@paginate): offset pagination ([`paginate()`]) and `searchAfter` paging ([`search_after()`]).
//! * [`lenient`]: tolerant serde helpers used by generated models, plus [`tag_value`] / [`from_value`].
//! * [`datetime`]: [`DateTime`], a raw-string date-time with a tolerant parser.

pub mod auth;
pub mod client;
pub mod config;
pub mod datetime;
pub mod error;
pub mod lenient;
pub mod paginate;
pub mod request;
pub mod response;
pub mod retry;

pub use auth::Secret;
pub use client::{Client, ClientBuilder, DEFAULT_TIMEOUT};
pub use config::Config;
pub use datetime::{DateTime, DateTimeError, ParsedDateTime};
pub use error::{ApiError, DecodeError, Error, ErrorBody, ErrorMessage, ErrorResponseDto, Result};
pub use lenient::{from_value, tag_value, BestFit, Fields};
pub use paginate::{paginate, search_after};
pub use request::{FilePart, Method, Multipart, Operation, Request};
pub use response::Response;
pub use retry::RetryPolicy;
