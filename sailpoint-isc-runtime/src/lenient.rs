//! Tolerant serde helpers referenced from generated `#[serde(...)]` attributes, and the
//! two helpers generated union (`oneOf`/`anyOf`) `Deserialize` impls call.
//!
//! ISC's specs and its answers disagree now and then (a documented object arrives as a
//! string, a required list arrives as `null`). These helpers keep one odd field from
//! failing a whole response: optional fields of the wrong type become `None` with a
//! `tracing::warn!`, and `null` in a required defaultable field becomes its default.
//!
//! The warnings are aggregated: while a tally runs a decode (one response, or all
//! the pages of a stream), only the first ignored value per type and field is logged,
//! and the tally logs how many there were in all when it is dropped. One wrong field in
//! every item of a 5,000-item listing is then two lines, not 5,000.
//!
//! A decode runs in one of three modes (a thread-local, set around the decode):
//! - lenient, the default, as above;
//! - strict (`ClientBuilder::strict_decoding`): whatever lenient decoding would drop or
//!   ignore is an error, so a maintainer finds where server and spec disagree;
//! - trial, while [`BestFit`] tries a union variant: strict, except that a value which
//!   lands in a fallback (an unknown enum value, a union's catch-all) is counted, not
//!   failed, so a variant that needs no fallback wins over one that does.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use serde::de::{DeserializeOwned, Deserializer};
use serde::Deserialize;
use serde_json::Value;

/// For every `Option<T>` field, with `#[serde(default, deserialize_with = "crate::lenient::option")]`:
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
    if is_repeat("?", expected) {
        return;
    }
    tracing::warn!(
        expected,
        found,
        error = %error,
        "ignoring an optional field whose value does not match the API spec"
    );
}

/// How the decode running on this thread treats values that do not match the spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Mode {
    Lenient,
    Strict,
    Trial,
}

thread_local! {
    static MODE: Cell<Mode> = const { Cell::new(Mode::Lenient) };
    /// Fallbacks taken since the innermost trial began.
    static FALLBACKS: Cell<u32> = const { Cell::new(0) };
}

fn mode() -> Mode {
    MODE.with(Cell::get)
}

/// Runs `decode` in `mode`, restoring the mode before (even if `decode` panics).
pub(crate) fn in_mode<R>(mode: Mode, decode: impl FnOnce() -> R) -> R {
    struct Restore(Mode);
    impl Drop for Restore {
        fn drop(&mut self) {
            MODE.with(|m| m.set(self.0));
        }
    }
    let _restore = Restore(MODE.with(|m| m.replace(mode)));
    decode()
}

/// Runs `decode` as a union-variant trial; returns its result and the fallbacks it took.
fn trial<R>(decode: impl FnOnce() -> R) -> (R, u32) {
    let outer = FALLBACKS.with(|f| f.replace(0));
    let result = in_mode(Mode::Trial, decode);
    let taken = FALLBACKS.with(|f| f.replace(outer));
    (result, taken)
}

/// Generated code calls this when a value decodes into a fallback: an enum's `Unknown`
/// variant, or a union's catch-all. During a union-variant trial it counts against the
/// variant; otherwise it does nothing (keeping unknown values is the point of them).
pub fn note_fallback() {
    note_fallbacks(1);
}

fn note_fallbacks(count: u32) {
    if mode() == Mode::Trial {
        FALLBACKS.with(|f| f.set(f.get().saturating_add(count)));
    }
}

/// Ignored values per (type, field) while a [`Tally`] runs on this thread.
type Counts = BTreeMap<(String, String), u64>;

thread_local! {
    static COUNTS: RefCell<Option<Counts>> = const { RefCell::new(None) };
}

/// Counts an ignored value; true when one of the same type and field was already
/// counted by the running tally (so the caller logs nothing). Without a tally every
/// value is logged.
fn is_repeat(type_name: &str, field: &str) -> bool {
    COUNTS.with(|counts| match counts.borrow_mut().as_mut() {
        Some(counts) => {
            let seen = counts
                .entry((type_name.to_owned(), field.to_owned()))
                .or_insert(0);
            *seen += 1;
            *seen > 1
        }
        None => false,
    })
}

/// Aggregates the lenient-decoding warnings of the decodes it [`run`](Self::run)s; logs
/// one summary line per type and field that had more than one ignored value when dropped
/// (at the end of a response's decode or of a paging stream).
pub(crate) struct Tally {
    operation: &'static str,
    counts: Counts,
    strict: bool,
}

impl Tally {
    pub(crate) fn new(operation: &'static str) -> Self {
        Tally {
            operation,
            counts: Counts::new(),
            strict: false,
        }
    }

    /// Decodes run by this tally fail where lenient decoding would drop a value.
    pub(crate) fn set_strict(&mut self, strict: bool) {
        self.strict = strict;
    }

    /// Names the operation in the summary (a paging stream learns it from its first page).
    pub(crate) fn set_operation(&mut self, operation: &'static str) {
        self.operation = operation;
    }

    /// Runs a (synchronous) decode with this tally collecting its warnings.
    pub(crate) fn run<R>(&mut self, decode: impl FnOnce() -> R) -> R {
        /// Puts the outer tally's counts back even if `decode` panics.
        struct Restore<'a> {
            tally: &'a mut Tally,
            outer: Option<Counts>,
        }
        impl Drop for Restore<'_> {
            fn drop(&mut self) {
                let outer = self.outer.take();
                let ours = COUNTS.with(|c| c.replace(outer));
                self.tally.counts = ours.unwrap_or_default();
            }
        }
        let mode = if self.strict {
            Mode::Strict
        } else {
            Mode::Lenient
        };
        let ours = std::mem::take(&mut self.counts);
        let outer = COUNTS.with(|c| c.replace(Some(ours)));
        let _restore = Restore { tally: self, outer };
        in_mode(mode, decode)
    }
}

impl Drop for Tally {
    fn drop(&mut self) {
        for ((type_name, field), count) in &self.counts {
            if *count > 1 {
                tracing::warn!(
                    operation = self.operation,
                    type_name = type_name.as_str(),
                    field = field.as_str(),
                    ignored = count,
                    "ignored {count} values of this optional field that did not match the API spec \
                     (the first one was logged)"
                );
            }
        }
    }
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
/// `#[serde(deserialize_with = "crate::lenient::null_as_default")]`:
/// `null` gives `T::default()`, anything else decodes as `T` (a missing key still fails,
/// because the attribute comes without `default`).
pub fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(d).map(Option::unwrap_or_default)
}

/// The properties of one JSON object being decoded into a generated struct.
///
/// Generated structs decode through this instead of `#[derive(Deserialize)]`: one line per
/// field, with the lenient rules built in, compiles several times faster than serde's
/// derive with a `deserialize_with` wrapper per field, which matters for a crate with
/// thousands of types. Errors name the JSON path of the failing field (`owner.name`).
pub struct Fields<E> {
    type_name: &'static str,
    map: serde_json::Map<String, Value>,
    error: std::marker::PhantomData<E>,
}

impl<E: serde::de::Error> Fields<E> {
    /// Reads the object; anything but a JSON object is an error naming the type.
    pub fn new<'de, D>(deserializer: D, type_name: &'static str) -> Result<Self, E>
    where
        D: Deserializer<'de, Error = E>,
    {
        match Value::deserialize(deserializer)? {
            Value::Object(map) => Ok(Fields {
                type_name,
                map,
                error: std::marker::PhantomData,
            }),
            other => Err(E::custom(format!(
                "expected a JSON object for {type_name}, found {}",
                kind_of(&other)
            ))),
        }
    }

    /// A required field: missing or undecodable is an error.
    pub fn required<T: DeserializeOwned>(&mut self, name: &str) -> Result<T, E> {
        match self.map.remove(name) {
            Some(value) => decode_field(name, value),
            None => Err(E::custom(format!(
                "missing field `{name}` of {}",
                self.type_name
            ))),
        }
    }

    /// A required field whose type has a default: `null` gives the default (servers send
    /// `null` for empty required lists), missing is still an error.
    pub fn required_or_default<T: DeserializeOwned + Default>(
        &mut self,
        name: &str,
    ) -> Result<T, E> {
        match self.map.get(name) {
            Some(Value::Null) => {
                self.map.remove(name);
                Ok(T::default())
            }
            _ => self.required(name),
        }
    }

    /// An optional (or nullable) field: `null` or missing gives `None`. A value that does
    /// not decode gives `None` and a warning, so one odd field never fails a response;
    /// in strict decoding (and union trials) it is an error.
    pub fn optional<T: DeserializeOwned>(&mut self, name: &str) -> Result<Option<T>, E> {
        let Some(value) = self.map.remove(name) else {
            return Ok(None);
        };
        if value.is_null() {
            return Ok(None);
        }
        let kind = kind_of(&value);
        match serde_json::from_value(value) {
            Ok(decoded) => Ok(Some(decoded)),
            Err(error) if mode() != Mode::Lenient => {
                Err(E::custom(prefix_path(name, &error.to_string())))
            }
            Err(error) => {
                warn_field(
                    self.type_name,
                    name,
                    std::any::type_name::<T>(),
                    kind,
                    &error,
                );
                Ok(None)
            }
        }
    }

    /// A field the schema requires but the Rust type keeps optional (it is `readOnly` or
    /// `writeOnly`, so absent one way, or `nullable`): [`optional`](Self::optional), except
    /// that in strict decoding (and union trials) it must be present.
    pub fn expected<T: DeserializeOwned>(&mut self, name: &str) -> Result<Option<T>, E> {
        if mode() != Mode::Lenient && !self.map.contains_key(name) {
            return Err(E::custom(format!(
                "missing field `{name}` of {}",
                self.type_name
            )));
        }
        self.optional(name)
    }

    /// The properties not claimed by a declared field (`additionalProperties`). Values
    /// that do not decode are skipped with a warning; in strict decoding they are errors.
    pub fn rest<T: DeserializeOwned>(
        &mut self,
    ) -> Result<std::collections::BTreeMap<String, T>, E> {
        let type_name = self.type_name;
        let mut out = std::collections::BTreeMap::new();
        for (key, value) in std::mem::take(&mut self.map) {
            let kind = kind_of(&value);
            match serde_json::from_value(value) {
                Ok(decoded) => {
                    out.insert(key, decoded);
                }
                Err(error) if mode() != Mode::Lenient => {
                    return Err(E::custom(prefix_path(&key, &error.to_string())));
                }
                Err(error) => warn_field(type_name, &key, std::any::type_name::<T>(), kind, &error),
            }
        }
        Ok(out)
    }

    /// Ends the decode: in strict decoding a property the type does not declare is an
    /// error (the spec no longer describes what the server sends); otherwise it is
    /// ignored.
    pub fn finish(self) -> Result<(), E> {
        match self.map.keys().next() {
            Some(key) if mode() == Mode::Strict => Err(E::custom(format!(
                "`{key}` is not a property of {} in the API spec",
                self.type_name
            ))),
            _ => Ok(()),
        }
    }
}

/// Decodes one field, prefixing the error with the field's place in the JSON path.
fn decode_field<T: DeserializeOwned, E: serde::de::Error>(
    name: &str,
    value: Value,
) -> Result<T, E> {
    serde_json::from_value(value).map_err(|error| E::custom(prefix_path(name, &error.to_string())))
}

/// `at `a.b`: message` from a field name and an inner message that may carry a path.
fn prefix_path(name: &str, inner: &str) -> String {
    match inner.strip_prefix("at `") {
        Some(rest) if rest.starts_with('[') => format!("at `{name}{rest}"),
        Some(rest) => format!("at `{name}.{rest}"),
        None => format!("at `{name}`: {inner}"),
    }
}

/// Non-generic so each `optional::<T>` instantiation stays small.
fn warn_field(
    type_name: &str,
    field: &str,
    expected: &str,
    found: &str,
    error: &serde_json::Error,
) {
    if is_repeat(type_name, field) {
        return;
    }
    tracing::warn!(
        type_name,
        field,
        expected,
        found,
        error = %error,
        "ignoring an optional field whose value does not match the API spec"
    );
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

/// Chooses the variant of an untagged union (no discriminator, no telling property).
///
/// A variant is a candidate when the JSON satisfies it: each variant is decoded as a
/// trial, where what lenient decoding would drop is an error (a wrong-typed field, a
/// missing required one), at every depth. Candidates rank by the fallbacks they needed
/// (an unknown enum value, a nested union's catch-all: fewer is better), then by how much
/// of the JSON survives encoding the decoded value again, deeply (more is better), then by
/// spec order. When no variant is a candidate and the decode is lenient, the variant that
/// keeps the most of the JSON under lenient decoding is taken, as before.
pub struct BestFit<'a, U> {
    value: &'a Value,
    /// The best candidate so far: (fallbacks, fit, variant).
    best: Option<(u32, usize, U)>,
    /// The best lenient decode, for when no variant is a candidate.
    lenient: Option<(usize, U)>,
}

impl<'a, U> BestFit<'a, U> {
    pub fn new(value: &'a Value) -> Self {
        BestFit {
            value,
            best: None,
            lenient: None,
        }
    }

    /// Offers one variant: `decode` decodes the JSON as the variant's type, `wrap` makes
    /// the union of it. An earlier variant wins a tie (spec order).
    pub fn offer<T: serde::Serialize>(
        &mut self,
        decode: impl Fn() -> Result<T, serde_json::Error>,
        wrap: impl FnOnce(T) -> U,
    ) {
        let outer = mode();
        let (result, fallbacks) = trial(&decode);
        match result {
            Ok(decoded) => {
                let fit = self.fit_of(&decoded);
                let better = self
                    .best
                    .as_ref()
                    .is_none_or(|(best_fallbacks, best_fit, _)| {
                        (fallbacks, std::cmp::Reverse(fit))
                            < (*best_fallbacks, std::cmp::Reverse(*best_fit))
                    });
                if better {
                    self.best = Some((fallbacks, fit, wrap(decoded)));
                }
            }
            Err(_) if outer == Mode::Lenient && self.best.is_none() => {
                if let Ok(decoded) = decode() {
                    let fit = self.fit_of(&decoded);
                    if self.lenient.as_ref().is_none_or(|(best, _)| fit > *best) {
                        self.lenient = Some((fit, wrap(decoded)));
                    }
                }
            }
            Err(_) => {}
        }
    }

    fn fit_of<T: serde::Serialize>(&self, decoded: &T) -> usize {
        serde_json::to_value(decoded).map_or(0, |encoded| fit(self.value, &encoded))
    }

    /// The chosen variant, or `None` when no variant fits (the union's catch-all then).
    /// The fallbacks the chosen variant needed count toward an enclosing trial.
    pub fn finish(self) -> Option<U> {
        match self.best {
            Some((fallbacks, _, variant)) => {
                note_fallbacks(fallbacks);
                Some(variant)
            }
            None => self.lenient.map(|(_, variant)| variant),
        }
    }
}

/// How much of `original` survived a round trip, counted deeply: one for every object and
/// array, plus what survived of each member or item, and one for every equal scalar
/// (numbers by value: `42` and `42.0` are equal).
fn fit(original: &Value, encoded: &Value) -> usize {
    match (original, encoded) {
        (Value::Object(a), Value::Object(b)) => {
            1 + a
                .iter()
                .filter_map(|(key, value)| b.get(key).map(|e| fit(value, e)))
                .sum::<usize>()
        }
        (Value::Array(a), Value::Array(b)) => {
            1 + a.iter().zip(b).map(|(x, y)| fit(x, y)).sum::<usize>()
        }
        (Value::Number(a), Value::Number(b)) => usize::from(a.as_f64() == b.as_f64()),
        (a, b) => usize::from(a == b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Person {
        name: String,
        tags: Vec<String>,
        age: Option<i64>,
        extra: std::collections::BTreeMap<String, i64>,
    }

    impl<'de> Deserialize<'de> for Person {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            let mut fields = Fields::new(deserializer, "Person")?;
            let person = Person {
                name: fields.required("name")?,
                tags: fields.required_or_default("tags")?,
                age: fields.optional("age")?,
                extra: fields.rest()?,
            };
            fields.finish()?;
            Ok(person)
        }
    }

    #[test]
    fn fields_apply_the_lenient_rules() {
        let person: Person = serde_json::from_value(serde_json::json!({
            "name": "Ada", "tags": null, "age": "old", "x": 1, "y": "no"
        }))
        .expect("decodes");
        assert_eq!(
            person,
            Person {
                name: "Ada".into(),
                tags: Vec::new(),
                age: None,
                extra: [("x".to_owned(), 1)].into_iter().collect(),
            }
        );
    }

    #[test]
    fn fields_errors_name_the_path() {
        let missing = serde_json::from_value::<Person>(serde_json::json!({"tags": []}))
            .expect_err("name is required");
        assert!(
            missing
                .to_string()
                .contains("missing field `name` of Person"),
            "{missing}"
        );
        let nested =
            serde_json::from_value::<Vec<Person>>(serde_json::json!([{"name": 5, "tags": []}]))
                .expect_err("name must be a string");
        assert!(
            nested.to_string().starts_with("at `name`: invalid type"),
            "{nested}"
        );
        assert_eq!(
            prefix_path("owner", "at `name`: bad"),
            "at `owner.name`: bad"
        );
        assert_eq!(
            prefix_path("items", "at `[2].id`: bad"),
            "at `items[2].id`: bad"
        );
        let not_object =
            serde_json::from_value::<Person>(serde_json::json!("text")).expect_err("not an object");
        assert!(not_object
            .to_string()
            .contains("expected a JSON object for Person, found string"));
    }

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct A {
        #[serde(default)]
        a: Option<i64>,
    }

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct B {
        #[serde(default)]
        b: Option<i64>,
    }

    #[test]
    fn a_tally_counts_repeats_and_restores_the_outer_tally() {
        let mut outer = Tally::new("outer");
        let mut inner = Tally::new("inner");
        outer.run(|| {
            assert!(!is_repeat("T", "f"));
            inner.run(|| {
                assert!(!is_repeat("T", "f"), "a nested tally counts on its own");
                assert!(is_repeat("T", "f"));
            });
            assert!(is_repeat("T", "f"));
            assert!(!is_repeat("T", "g"));
        });
        assert_eq!(outer.counts[&("T".to_owned(), "f".to_owned())], 2);
        assert_eq!(inner.counts[&("T".to_owned(), "f".to_owned())], 2);
        assert!(!is_repeat("T", "f"), "no tally: every value is logged");
        assert!(!is_repeat("T", "f"));
    }

    #[test]
    fn best_fit_prefers_the_variant_that_keeps_the_data() {
        let value = serde_json::json!({"b": 2});
        let mut fit = BestFit::new(&value);
        fit.offer(|| A::deserialize(&value), |a| format!("A {a:?}"));
        fit.offer(|| B::deserialize(&value), |b| format!("B {b:?}"));
        assert_eq!(fit.finish().as_deref(), Some("B B { b: Some(2) }"));
    }

    #[test]
    fn ties_go_to_the_first_variant() {
        let value = serde_json::json!({});
        let mut fit = BestFit::new(&value);
        fit.offer(|| A::deserialize(&value), |_| "A");
        fit.offer(|| B::deserialize(&value), |_| "B");
        assert_eq!(fit.finish(), Some("A"));
    }
}
