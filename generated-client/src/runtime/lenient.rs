//! Tolerant serde helpers referenced from generated `#[serde(...)]` attributes, and the
//! two helpers generated union (`oneOf`/`anyOf`) `Deserialize` impls call.
//!
//! ISC's specs and its answers disagree now and then (a documented object arrives as a
//! string, a required list arrives as `null`). These helpers keep one odd field from
//! failing a whole response: optional fields of the wrong type become `None` with a
//! `tracing::warn!`, and `null` in a required defaultable field becomes its default.

use serde::de::{DeserializeOwned, Deserializer};
use serde::Deserialize;
use serde_json::Value;

/// For every `Option<T>` field, with `#[serde(default, deserialize_with = "crate::runtime::lenient::option")]`:
/// `null` or missing gives `None`; a value that does not decode as `T` gives `None` and a
/// warning naming the expected type.
///
/// The value is buffered as a `serde_json::Value` first, which is what makes the
/// fallback possible.
pub fn option<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Value::deserialize(d)?;
    if value.is_null() {
        return Ok(None);
    }
    let kind = kind_of(&value);
    match serde_json::from_value(value) {
        Ok(v) => Ok(Some(v)),
        Err(e) => {
            warn_ignored(std::any::type_name::<T>(), kind, &e);
            Ok(None)
        }
    }
}

/// Non-generic so each `option::<T>` instantiation stays small.
fn warn_ignored(expected: &str, found: &str, error: &serde_json::Error) {
    tracing::warn!(
        expected,
        found,
        error = %error,
        "ignoring an optional field whose value does not match the API spec"
    );
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// For required, non-nullable fields whose type has a `Default`, with
/// `#[serde(deserialize_with = "crate::runtime::lenient::null_as_default")]`:
/// `null` gives `T::default()`, anything else decodes as `T` (a missing key still fails,
/// because the attribute comes without `default`).
pub fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(d).map(Option::unwrap_or_default)
}

/// `value[property]` as a string: the discriminator of a tagged union.
pub fn tag_value<'a>(value: &'a Value, property: &str) -> Option<&'a str> {
    value.get(property).and_then(Value::as_str)
}

/// Decodes a buffered union variant, converting the error into the outer deserializer's
/// error type.
pub fn from_value<T: DeserializeOwned, E: serde::de::Error>(value: Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}
