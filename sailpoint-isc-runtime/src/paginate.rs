//! Streams over paged list operations: offset/limit ([`paginate`]), the search API's
//! offset paging with its 10,000-result window ([`paginate_search`]), and `searchAfter`
//! paging ([`search_after`], resumable through [`SearchAfter::cursor`]).
//!
//! All of them only call the caller's `fetch` closure (the generated code sends the
//! actual request), so they are transport-agnostic and fetch lazily: the next page is
//! requested only when the consumer has used up the current one.
//!
//! The guarantee: a stream delivers every item exactly once, or yields an `Err`. Pages
//! are decoded item by item, so a bad item is one `Err` (naming the operation, the page
//! offset and the JSON path) and the stream goes on; a failed page ends the stream with
//! its error. Nothing ends a stream silently while the server says more items remain.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use futures::Stream;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::error::{excerpt, DecodeError, Error};
use crate::lenient::Tally;
use crate::request::Operation;
use crate::response::Response;

/// ISC's search answers HTTP 400 when `offset + limit` exceeds this: offset paging of
/// search cannot see past the first 10,000 results.
pub const SEARCH_WINDOW: i64 = 10_000;

/// One fetched page: its items, still raw (they are decoded one by one), and what the
/// response said around them.
struct Page {
    operation: &'static str,
    items: Vec<Value>,
    total: Option<u64>,
    strict: bool,
}

impl Page {
    fn from_response(response: Response) -> Result<Page, Error> {
        let operation = response.operation();
        let total = response.total_count();
        let strict = response.strict;
        Ok(Page {
            operation,
            items: response.json::<Vec<Value>>()?,
            total,
            strict,
        })
    }
}

/// Decodes a page's items one by one, each failure its own `Err`.
fn decode_page<T: DeserializeOwned>(
    page: Page,
    page_offset: u64,
    tally: &mut Tally,
) -> VecDeque<Result<T, Error>> {
    tally.set_operation(page.operation);
    tally.set_strict(page.strict);
    let operation = page.operation;
    tally.run(|| {
        page.items
            .into_iter()
            .enumerate()
            .map(|(index, item)| decode_item(operation, page_offset, index, item))
            .collect()
    })
}

fn decode_item<T: DeserializeOwned>(
    operation: &'static str,
    page_offset: u64,
    index: usize,
    item: Value,
) -> Result<T, Error> {
    serde_path_to_error::deserialize(&item).map_err(|e| {
        let inner = e.path().to_string();
        let path = if inner == "." {
            format!("[{index}]")
        } else {
            format!("[{index}].{inner}")
        };
        Error::Decode(Box::new(DecodeError {
            operation,
            status: None,
            path,
            page_offset: Some(page_offset),
            message: e.into_inner().to_string(),
            excerpt: excerpt(&item.to_string(), 200),
        }))
    })
}

fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn to_i64(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Whether an error on the page at `offset` may be ISC's answer to `offset == total`:
/// HTTP 400 right after a full page (the caller only asks again after a full page) while
/// the total is unknown. Anything else is a real failure.
fn may_be_end_of_list(error: &Error, offset: i64, total: Option<u64>) -> bool {
    offset > 0 && error.status() == Some(400) && error.api().is_some() && total.is_none()
}

/// Offset pagination. `fetch(offset, limit)` sends one page's request; its [`Response`]'s
/// items are decoded one by one, and `X-Total-Count` gives the total.
///
/// Ends after a short page, an empty page, or once `offset >= total`. ISC answers
/// HTTP 400 when asked for `offset == total` (the item count is a multiple of the page
/// size and no total was requested): a 400 after a full page with no total is checked
/// by asking for the last item and the next (`fetch(offset - 1, 2)`); one item back
/// confirms the end, anything else yields the 400. Every other error is yielded once and
/// ends the stream. A `page_size` below 1 yields one [`Error::Pagination`].
pub fn paginate<T, F, Fut>(page_size: i64, fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    T: DeserializeOwned,
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<Response, Error>>,
{
    let state = OffsetState {
        fetch,
        offset: 0,
        total: None,
        items: VecDeque::new(),
        done: false,
        tally: Tally::new("paginate"),
    };
    futures::stream::unfold(state, move |mut st| async move {
        loop {
            if let Some(item) = st.items.pop_front() {
                return Some((item, st));
            }
            if st.done {
                return None;
            }
            st.done = true;
            if page_size < 1 {
                let error = Error::Pagination {
                    operation: "paginate",
                    message: format!("page size must be at least 1, got {page_size}"),
                };
                return Some((Err(error), st));
            }
            let page = match (st.fetch)(st.offset, page_size)
                .await
                .and_then(Page::from_response)
            {
                Ok(page) => page,
                Err(e) if may_be_end_of_list(&e, st.offset, st.total) => {
                    if is_confirmed_end(&mut st.fetch, st.offset).await {
                        tracing::debug!(offset = st.offset, "HTTP 400 at the end of the list");
                        return None;
                    }
                    return Some((Err(e), st));
                }
                Err(e) => return Some((Err(e), st)),
            };
            let count = to_i64(page.items.len());
            st.total = page.total;
            st.items = decode_page(page, to_u64(st.offset), &mut st.tally);
            st.offset = st.offset.saturating_add(count);
            let reached_total = st.total.is_some_and(|t| to_u64(st.offset) >= t);
            st.done = count < page_size || reached_total;
        }
    })
}

struct OffsetState<T, F> {
    fetch: F,
    offset: i64,
    total: Option<u64>,
    items: VecDeque<Result<T, Error>>,
    done: bool,
    tally: Tally,
}

/// Asks for the item before `offset` and the one at it: exactly one back means the list
/// really ends at `offset`.
async fn is_confirmed_end<F, Fut>(fetch: &mut F, offset: i64) -> bool
where
    F: FnMut(i64, i64) -> Fut,
    Fut: Future<Output = Result<Response, Error>>,
{
    let probe = fetch(offset - 1, 2).await.and_then(Page::from_response);
    matches!(probe, Ok(page) if page.items.len() == 1)
}

/// What the next page of [`paginate_search`] asks for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SearchPage {
    /// Query `offset` and `limit`; no `searchAfter` in the body.
    Offset {
        /// The `offset` query parameter.
        offset: i64,
        /// The `limit` query parameter.
        limit: i64,
    },
    /// No `offset`; `limit`, and the body's `searchAfter` set to these values.
    After {
        /// The body's `searchAfter`.
        search_after: Vec<String>,
        /// The `limit` query parameter.
        limit: i64,
    },
}

/// Offset paging of a search operation from `start`, which goes on past ISC's
/// 10,000-result window ([`SEARCH_WINDOW`]) when it can.
///
/// `fetch(sort, page)` sends one page: `sort` is the body's sort to send (the caller's
/// `sort` with `id` appended as a tie-breaker, or empty to leave the body's sort unset)
/// and `page` says which page ([`SearchPage`]). Pages are offset pages until the window;
/// past it, with a non-empty `sort`, paging switches to `searchAfter` from the last hit
/// of the last offset page (the `id` tie-breaker makes the order total, so nothing is
/// repeated or skipped). Without a sort the stream ends there with an
/// [`Error::Pagination`] saying to use `search_after()` with a sort.
pub fn paginate_search<T, F, Fut>(
    op: &'static Operation,
    page_size: i64,
    start: i64,
    sort: Vec<String>,
    fetch: F,
) -> impl Stream<Item = Result<T, Error>>
where
    T: DeserializeOwned,
    F: FnMut(Vec<String>, SearchPage) -> Fut,
    Fut: Future<Output = Result<Response, Error>>,
{
    let sort = if sort.is_empty() {
        sort
    } else {
        with_id_tiebreaker(sort)
    };
    let fields = sort_fields(&sort);
    let state = SearchState {
        fetch,
        sort,
        fields,
        offset: start.max(0),
        after: None,
        last_hit: None,
        total: None,
        delivered: to_u64(start.max(0)),
        items: VecDeque::new(),
        done: false,
        tally: Tally::new(op.id),
    };
    futures::stream::unfold(state, move |mut st| async move {
        loop {
            if let Some(item) = st.items.pop_front() {
                return Some((item, st));
            }
            if st.done {
                return None;
            }
            st.done = true;
            if page_size < 1 {
                return Some((Err(page_size_error(op, page_size)), st));
            }
            let page = match st.next_page(op, page_size) {
                Ok(page) => page,
                Err(e) => return Some((Err(e), st)),
            };
            let response = match (st.fetch)(st.sort.clone(), page.clone()).await {
                Ok(response) => response,
                Err(e)
                    if matches!(page, SearchPage::Offset { .. })
                        && may_be_end_of_list(&e, st.offset, st.total) =>
                {
                    let probe = SearchPage::Offset {
                        offset: st.offset - 1,
                        limit: 2,
                    };
                    let probe = (st.fetch)(st.sort.clone(), probe)
                        .await
                        .and_then(Page::from_response)
                        .map(|page| page.items);
                    if probe.is_ok_and(|hits| hits.len() == 1) {
                        return None;
                    }
                    return Some((Err(e), st));
                }
                Err(e) => return Some((Err(e), st)),
            };
            if let Err(e) = st.take_page(op, &page, response) {
                return Some((Err(e), st));
            }
        }
    })
}

struct SearchState<T, F> {
    fetch: F,
    sort: Vec<String>,
    fields: Vec<String>,
    offset: i64,
    /// Set once paging has switched to `searchAfter`.
    after: Option<Vec<String>>,
    last_hit: Option<Value>,
    total: Option<u64>,
    /// Stream position of the next hit (for errors' page offsets).
    delivered: u64,
    items: VecDeque<Result<T, Error>>,
    done: bool,
    tally: Tally,
}

impl<T: DeserializeOwned, F> SearchState<T, F> {
    /// The next page to ask for: an offset page inside the window, else a `searchAfter`
    /// page continuing from the last hit.
    fn next_page(&mut self, op: &'static Operation, page_size: i64) -> Result<SearchPage, Error> {
        if let Some(after) = &self.after {
            return Ok(SearchPage::After {
                search_after: after.clone(),
                limit: page_size,
            });
        }
        let room = SEARCH_WINDOW - self.offset;
        if room > 0 {
            return Ok(SearchPage::Offset {
                offset: self.offset,
                limit: page_size.min(room),
            });
        }
        let last_hit = self.last_hit.as_ref().filter(|_| !self.sort.is_empty());
        let Some(last_hit) = last_hit else {
            return Err(Error::Pagination {
                operation: op.id,
                message: format!(
                    "offset paging of search stops at ISC's {SEARCH_WINDOW}-result window and more \
                     results remain; call search_after() (with a sort) to page past it"
                ),
            });
        };
        let after =
            next_search_after(&self.fields, last_hit).map_err(|message| Error::Pagination {
                operation: op.id,
                message: format!(
                    "cannot switch to searchAfter at the {SEARCH_WINDOW}-result window: {message}"
                ),
            })?;
        tracing::debug!(
            operation = op.id,
            "switching to searchAfter paging at the result window"
        );
        self.after = Some(after.clone());
        Ok(SearchPage::After {
            search_after: after,
            limit: page_size,
        })
    }

    /// Buffers a fetched page's hits and decides whether another page follows.
    fn take_page(
        &mut self,
        op: &'static Operation,
        page: &SearchPage,
        response: Response,
    ) -> Result<(), Error> {
        let page_in = Page::from_response(response)?;
        let total = page_in.total;
        let hits = &page_in.items;
        let count = to_i64(hits.len());
        let limit = match page {
            SearchPage::Offset { limit, .. } | SearchPage::After { limit, .. } => *limit,
        };
        let full = count >= limit && count > 0;
        if let SearchPage::Offset { .. } = page {
            self.offset = self.offset.saturating_add(count);
            self.total = total;
        }
        let reached_total = self.after.is_none() && total.is_some_and(|t| to_u64(self.offset) >= t);
        self.done = !full || reached_total;
        let mut pending = None;
        if let (false, Some(previous), Some(last)) = (self.done, &self.after, hits.last()) {
            match next_search_after(&self.fields, last) {
                Ok(next) if &next == previous => {
                    pending = Some(format!(
                        "the server returned the same last sort values {next:?} twice"
                    ));
                }
                Ok(next) => self.after = Some(next),
                Err(message) => pending = Some(message),
            }
        }
        self.last_hit = hits.last().cloned();
        let page_offset = self.delivered;
        self.delivered += to_u64(count);
        self.items = decode_page(page_in, page_offset, &mut self.tally);
        if let Some(message) = pending {
            // Yielded after the page's hits; ends the stream.
            self.done = true;
            self.items.push_back(Err(Error::Pagination {
                operation: op.id,
                message,
            }));
        }
        Ok(())
    }
}

fn page_size_error(op: &'static Operation, page_size: i64) -> Error {
    Error::Pagination {
        operation: op.id,
        message: format!("page size must be at least 1, got {page_size}"),
    }
}

/// `searchAfter` paging for the search operation.
///
/// `sort` is the caller's sort (may be empty); `id` is appended unless a field (ignoring
/// a leading `+`/`-`) already is `id`, so the order is total and no document is repeated
/// or skipped across pages. `fetch(sort, search_after)` returns one page of raw hits.
/// For the next page the last hit's values of the sort fields are read (dotted paths
/// like `manager.name` allowed) and stringified (strings as-is, numbers and booleans via
/// `to_string`). Every hit is decoded into `T`; a hit that fails yields an
/// [`Error::Decode`] naming `op`, the page offset and the path, and the stream goes on.
/// Stops on an empty page or a page shorter than `limit`. A last hit without a scalar
/// value for a sort field, or a page that would repeat the previous `searchAfter`, ends
/// the stream with an [`Error::Pagination`] (after that page's hits).
///
/// [`SearchAfter::cursor`] gives the sort values of the last hit yielded; after an error,
/// [`search_after_from`] with that cursor resumes with the next hit.
pub fn search_after<T, F, Fut>(
    op: &'static Operation,
    sort: Vec<String>,
    limit: Option<i64>,
    fetch: F,
) -> SearchAfter<impl Stream<Item = Result<T, Error>>>
where
    T: DeserializeOwned,
    F: FnMut(Vec<String>, Option<Vec<String>>) -> Fut,
    Fut: Future<Output = Result<Response, Error>>,
{
    search_after_from(op, sort, limit, None, fetch)
}

/// [`search_after`] starting after `cursor`: the `searchAfter` values of the last hit
/// already seen, as [`SearchAfter::cursor`] returned them (for the same sort).
pub fn search_after_from<T, F, Fut>(
    op: &'static Operation,
    sort: Vec<String>,
    limit: Option<i64>,
    cursor: Option<Vec<String>>,
    fetch: F,
) -> SearchAfter<impl Stream<Item = Result<T, Error>>>
where
    T: DeserializeOwned,
    F: FnMut(Vec<String>, Option<Vec<String>>) -> Fut,
    Fut: Future<Output = Result<Response, Error>>,
{
    let sort = with_id_tiebreaker(sort);
    let fields = sort_fields(&sort);
    let shared = Arc::new(Mutex::new(cursor.clone()));
    let state = AfterState {
        fetch,
        sort,
        fields,
        search_after: cursor,
        hits: VecDeque::new(),
        delivered: 0,
        cursor: shared.clone(),
        done: false,
        tally: Tally::new(op.id),
    };
    let stream = futures::stream::unfold(state, move |mut st| async move {
        loop {
            if let Some((item, cursor)) = st.hits.pop_front() {
                if let Some(cursor) = cursor {
                    *st.cursor.lock().unwrap_or_else(PoisonError::into_inner) = Some(cursor);
                }
                return Some((item, st));
            }
            if st.done {
                return None;
            }
            st.done = true;
            let page = match (st.fetch)(st.sort.clone(), st.search_after.clone())
                .await
                .and_then(Page::from_response)
            {
                Ok(page) => page,
                Err(e) => return Some((Err(e), st)),
            };
            st.take_page(op, limit, page);
        }
    });
    SearchAfter {
        stream: Box::pin(stream),
        cursor: shared,
    }
}

/// An item to yield and the cursor after it (`None` for a pending error, or a hit
/// without sort values, which leaves the cursor where it was).
type CursorItem<T> = (Result<T, Error>, Option<Vec<String>>);

struct AfterState<T, F> {
    fetch: F,
    sort: Vec<String>,
    fields: Vec<String>,
    search_after: Option<Vec<String>>,
    hits: VecDeque<CursorItem<T>>,
    delivered: u64,
    cursor: Arc<Mutex<Option<Vec<String>>>>,
    done: bool,
    tally: Tally,
}

impl<T: DeserializeOwned, F> AfterState<T, F> {
    /// Buffers a page's hits (each with its cursor) and decides whether another follows.
    fn take_page(&mut self, op: &'static Operation, limit: Option<i64>, page: Page) {
        self.tally.set_strict(page.strict);
        let hits = page.items;
        let Some(last) = hits.last() else {
            return; // An empty page ends the stream.
        };
        let short = limit.is_some_and(|l| to_i64(hits.len()) < l);
        let mut pending = None;
        if !short {
            match next_search_after(&self.fields, last) {
                Ok(next) if self.search_after.as_ref() == Some(&next) => {
                    pending = Some(Error::Pagination {
                        operation: op.id,
                        message: format!(
                            "the server returned the same last sort values {next:?} twice"
                        ),
                    });
                }
                Ok(next) => {
                    self.search_after = Some(next);
                    self.done = false;
                }
                Err(message) => {
                    pending = Some(Error::Pagination {
                        operation: op.id,
                        message,
                    })
                }
            }
        }
        let page_offset = self.delivered;
        self.delivered += to_u64(to_i64(hits.len()));
        let fields = &self.fields;
        self.hits = self.tally.run(|| {
            hits.into_iter()
                .enumerate()
                .map(|(index, hit)| {
                    let cursor = next_search_after(fields, &hit).ok();
                    (decode_item(op.id, page_offset, index, hit), cursor)
                })
                .collect()
        });
        if let Some(error) = pending {
            self.hits.push_back((Err(error), None));
        }
    }
}

/// The stream returned by [`search_after`]: a `Stream` of hits that also tells where it
/// is, so a caller can resume after an error.
pub struct SearchAfter<S> {
    stream: Pin<Box<S>>,
    cursor: Arc<Mutex<Option<Vec<String>>>>,
}

impl<S> SearchAfter<S> {
    /// The `searchAfter` values of the last hit yielded (for the sort with the `id`
    /// tie-breaker): pass it to [`search_after_from`] to continue after that hit. `None`
    /// before the first hit of a stream started without a cursor.
    pub fn cursor(&self) -> Option<Vec<String>> {
        self.cursor
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

impl<S: Stream> Stream for SearchAfter<S> {
    type Item = S::Item;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        self.stream.as_mut().poll_next(cx)
    }
}

fn strip_direction(field: &str) -> &str {
    field.strip_prefix(['+', '-']).unwrap_or(field).trim()
}

fn sort_fields(sort: &[String]) -> Vec<String> {
    sort.iter().map(|f| strip_direction(f).to_owned()).collect()
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
