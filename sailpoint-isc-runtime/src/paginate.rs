//! Streams over paged list operations: offset/limit ([`paginate`]) and the search
//! API's `searchAfter` ([`search_after`]).
//!
//! Both only call the caller's `fetch` closure (the generated code sends the actual
//! request), so they are transport-agnostic and fetch lazily: the next page is requested
//! only when the consumer has used up the current one.

use std::future::Future;

use futures::Stream;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{excerpt, DecodeError, Error};
use crate::request::Operation;

/// Offset pagination. `fetch(offset, limit)` returns one page and the total if the
/// server sent `X-Total-Count`.
///
/// Stops after a short page, an empty page, or once `offset >= total`. ISC answers
/// HTTP 400 when asked for `offset == total` (it happens when the item count is a
/// multiple of the page size and no total was requested), so a 400 for a page at
/// `offset > 0` — which is always right after a full page — also ends the stream
/// instead of failing it. Any other error is yielded once and ends the stream.
/// A `page_size` below 1 yields one [`Error::Pagination`].
pub fn paginate<T, F, Fut>(page_size: i64, fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, Option<u64>), Error>>,
{
    let state = OffsetState {
        fetch,
        offset: 0,
        items: Vec::new().into_iter(),
        done: false,
    };
    futures::stream::unfold(state, move |mut st| async move {
        loop {
            if let Some(item) = st.items.next() {
                return Some((Ok(item), st));
            }
            if st.done {
                return None;
            }
            if page_size < 1 {
                st.done = true;
                let error = Error::Pagination {
                    operation: "paginate",
                    message: format!("page size must be at least 1, got {page_size}"),
                };
                return Some((Err(error), st));
            }
            match (st.fetch)(st.offset, page_size).await {
                Ok((items, total)) => {
                    let count = i64::try_from(items.len()).unwrap_or(i64::MAX);
                    st.offset = st.offset.saturating_add(count);
                    let reached_total =
                        total.is_some_and(|t| u64::try_from(st.offset).is_ok_and(|o| o >= t));
                    if count < page_size || reached_total {
                        st.done = true;
                    }
                    st.items = items.into_iter();
                }
                Err(e) if st.offset > 0 && e.status() == Some(400) && e.api().is_some() => {
                    tracing::debug!(
                        offset = st.offset,
                        "HTTP 400 right after a full page: treating it as the end of the list"
                    );
                    return None;
                }
                Err(e) => {
                    st.done = true;
                    return Some((Err(e), st));
                }
            }
        }
    })
}

struct OffsetState<T, F> {
    fetch: F,
    offset: i64,
    items: std::vec::IntoIter<T>,
    done: bool,
}

/// `searchAfter` paging for the search operation.
///
/// `sort` is the caller's sort (may be empty); `id` is appended unless a field (ignoring
/// a leading `+`/`-`) already is `id`, so the order is total and no document is repeated
/// or skipped across pages. `fetch(sort, search_after)` returns one page of raw hits.
/// For the next page the last hit's values of the sort fields are read (dotted paths
/// like `manager.name` allowed) and stringified (strings as-is, numbers and booleans via
/// `to_string`). Every hit is decoded into `T`; a hit that fails yields an
/// [`Error::Decode`] naming `op` and the stream goes on. Stops on an empty page or a page
/// shorter than `limit`. A last hit without a scalar value for a sort field, or a page
/// that would repeat the previous `searchAfter`, ends the stream with an
/// [`Error::Pagination`] (after that page's hits).
pub fn search_after<T, F, Fut>(
    op: &'static Operation,
    sort: Vec<String>,
    limit: Option<i64>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>>
where
    T: DeserializeOwned,
    F: FnMut(Vec<String>, Option<Vec<String>>) -> Fut,
    Fut: Future<Output = Result<Vec<Value>, Error>>,
{
    let sort = with_id_tiebreaker(sort);
    let fields = sort.iter().map(|f| strip_direction(f).to_owned()).collect();
    let state = SearchState {
        fetch,
        sort,
        fields,
        search_after: None,
        hits: Vec::new().into_iter().enumerate(),
        pending: None,
        done: false,
    };
    futures::stream::unfold(state, move |mut st| async move {
        loop {
            if let Some((index, hit)) = st.hits.next() {
                return Some((decode_hit(op, index, hit), st));
            }
            if let Some(error) = st.pending.take() {
                st.done = true;
                return Some((Err(error), st));
            }
            if st.done {
                return None;
            }
            let hits = match (st.fetch)(st.sort.clone(), st.search_after.clone()).await {
                Ok(hits) => hits,
                Err(e) => {
                    st.done = true;
                    return Some((Err(e), st));
                }
            };
            // An empty page ends the stream.
            let last = hits.last()?;
            let short = limit.is_some_and(|l| i64::try_from(hits.len()).is_ok_and(|n| n < l));
            if short {
                st.done = true;
            } else {
                match next_search_after(&st.fields, last) {
                    Ok(next) if st.search_after.as_ref() == Some(&next) => {
                        st.pending = Some(Error::Pagination {
                            operation: op.id,
                            message: format!(
                                "the server returned the same last sort values {next:?} twice"
                            ),
                        });
                    }
                    Ok(next) => st.search_after = Some(next),
                    Err(message) => {
                        st.pending = Some(Error::Pagination {
                            operation: op.id,
                            message,
                        })
                    }
                }
            }
            st.hits = hits.into_iter().enumerate();
        }
    })
}

struct SearchState<F> {
    fetch: F,
    sort: Vec<String>,
    fields: Vec<String>,
    search_after: Option<Vec<String>>,
    hits: std::iter::Enumerate<std::vec::IntoIter<Value>>,
    pending: Option<Error>,
    done: bool,
}

fn strip_direction(field: &str) -> &str {
    field.strip_prefix(['+', '-']).unwrap_or(field).trim()
}

fn with_id_tiebreaker(mut sort: Vec<String>) -> Vec<String> {
    if !sort.iter().any(|f| strip_direction(f) == "id") {
        sort.push("id".to_owned());
    }
    sort
}

/// The last hit's sort values, stringified.
fn next_search_after(fields: &[String], last: &Value) -> Result<Vec<String>, String> {
    fields
        .iter()
        .map(|field| {
            sort_value(last, field).ok_or_else(|| {
                format!(
                    "the last hit has no string, number or boolean value for sort field `{field}`, \
                     so the next page cannot be requested"
                )
            })
        })
        .collect()
}

/// `hit[field]`, else the dotted path. Reaching a scalar before the path ends counts as
/// found: `name.exact`-style sub-fields of a search index sort by the field's own value.
fn sort_value(hit: &Value, field: &str) -> Option<String> {
    let value = match hit.get(field) {
        Some(v) => v,
        None => {
            let mut current = hit;
            for segment in field.split('.') {
                match current {
                    Value::Object(map) => current = map.get(segment)?,
                    _ => break,
                }
            }
            current
        }
    };
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null | Value::Array(_) | Value::Object(_) => None,
    }
}

fn decode_hit<T: DeserializeOwned>(
    op: &'static Operation,
    index: usize,
    hit: Value,
) -> Result<T, Error> {
    serde_path_to_error::deserialize(&hit).map_err(|e| hit_error(op, index, &hit, e))
}

fn hit_error(
    op: &'static Operation,
    index: usize,
    hit: &Value,
    e: serde_path_to_error::Error<serde_json::Error>,
) -> Error {
    let inner = e.path().to_string();
    let path = if inner == "." {
        format!("[{index}]")
    } else {
        format!("[{index}].{inner}")
    };
    Error::Decode(Box::new(DecodeError {
        operation: op.id,
        status: None,
        path,
        message: e.into_inner().to_string(),
        excerpt: excerpt(&hit.to_string(), 200),
    }))
}
