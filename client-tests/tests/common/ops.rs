//! Helpers for the per-operation tests (`operations_v3.rs`, `operations_beta.rs`,
//! `operations_v2024.rs`): examples read from the embedded specs, a client against a
//! wiremock server, assertions on the exact request the server received, a multipart
//! parser, the seed pages' error bodies and the per-status error matrix, and a search
//! endpoint that honours `sort` / `searchAfter` like Elasticsearch.
//!
//! Included by each of those test files with `#[path = "common/ops.rs"] mod ops;` next to
//! `mod common;`, so the runtime tests do not compile it.
#![allow(dead_code)] // each test binary uses a different subset

use std::cmp::Ordering;
use std::fmt::Debug;
use std::future::Future;
use std::path::{Path, PathBuf};

use sailpoint_isc::runtime::{ErrorBody, RetryPolicy};
use sailpoint_isc::{Client, Error};
use serde_json::Value;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request as Received, Respond, ResponseTemplate};

use crate::common::{builder, mount_token_endpoint};

// ---------------------------------------------------------------------------------------
// Spec examples
// ---------------------------------------------------------------------------------------

/// The repository's `specs/` folder.
pub fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn load_yaml(file: &Path) -> Value {
    let text = std::fs::read_to_string(file)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text)
        .unwrap_or_else(|e| panic!("{} is not valid YAML: {e}", file.display()));
    serde_json::to_value(yaml)
        .unwrap_or_else(|e| panic!("{} does not convert to JSON: {e}", file.display()))
}

/// Follows `{"$ref": "other.yaml"}` nodes (file refs relative to the current file).
fn resolve(mut file: PathBuf, mut node: Value) -> (PathBuf, Value) {
    while let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        assert!(
            !reference.contains('#'),
            "only whole-file $refs are supported here, got {reference}"
        );
        let next = file.parent().unwrap().join(reference);
        node = load_yaml(&next);
        file = next;
    }
    (file, node)
}

/// The value at JSON `pointer` in `file` (relative to `specs/`), following `$ref`s to
/// other files on the way and at the end. Keys with `/` are written `~1`, as in any JSON
/// pointer: `/post/responses/202/content/application~1json/example`.
pub fn spec(file: &str, pointer: &str) -> Value {
    let mut file = specs_dir().join(file);
    let mut node = load_yaml(&file);
    for segment in pointer.split('/').skip(1) {
        let key = segment.replace("~1", "/").replace("~0", "~");
        (file, node) = resolve(file, node);
        node = match node {
            Value::Object(mut map) => map
                .remove(&key)
                .unwrap_or_else(|| panic!("no `{key}` at {pointer} in {}", file.display())),
            Value::Array(mut items) => {
                let index: usize = key.parse().expect("array index");
                items.swap_remove(index)
            }
            other => panic!("cannot step into {other} with `{key}` ({pointer})"),
        };
    }
    resolve(file, node).1
}

/// The JSON media-type object's `example` of a response: `spec(file, "/{verb}/responses/{status}/content/application~1json/example")`.
pub fn response_example(file: &str, verb: &str, status: u16) -> Value {
    spec(
        file,
        &format!("/{verb}/responses/{status}/content/application~1json/example"),
    )
}

/// A named example (`examples/<name>/value`) of a JSON response.
pub fn response_examples(file: &str, verb: &str, status: u16, name: &str) -> Value {
    spec(
        file,
        &format!("/{verb}/responses/{status}/content/application~1json/examples/{name}/value"),
    )
}

/// A named example (`examples/<name>/value`) of a JSON request body.
pub fn request_example(file: &str, verb: &str, name: &str) -> Value {
    spec(
        file,
        &format!("/{verb}/requestBody/content/application~1json/examples/{name}/value"),
    )
}

/// The names of a JSON request body's `examples`.
pub fn request_example_names(file: &str, verb: &str) -> Vec<String> {
    match spec(
        file,
        &format!("/{verb}/requestBody/content/application~1json/examples"),
    ) {
        Value::Object(map) => map.keys().cloned().collect(),
        other => panic!("examples is not a map: {other}"),
    }
}

/// A spec example decoded into a generated model type.
pub fn decode<T: serde::de::DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone())
        .unwrap_or_else(|e| panic!("{} does not decode: {e}", std::any::type_name::<T>()))
}

/// `value` without object members whose value is `null` (at any depth).
pub fn strip_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), strip_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(strip_nulls).collect()),
        other => other.clone(),
    }
}

/// Asserts that `decoded` serializes back to `received` (ignoring `null` members, which
/// the models skip): no field of the response was dropped, renamed or altered on the way.
pub fn assert_lossless<T: serde::Serialize>(decoded: &T, received: &Value) {
    let again = serde_json::to_value(decoded).unwrap();
    assert_eq!(
        strip_nulls(&again),
        strip_nulls(received),
        "{} does not serialize back to the response",
        std::any::type_name::<T>()
    );
}

// ---------------------------------------------------------------------------------------
// Client and received requests
// ---------------------------------------------------------------------------------------

/// A wiremock server with the token endpoint (expecting one token fetch) and a client
/// against it; `experimental` is passed to `ClientBuilder::experimental`.
pub async fn start(experimental: bool) -> (MockServer, Client) {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    let client = builder(&server).experimental(experimental).build().unwrap();
    (server, Client::from(client))
}

/// Mounts `verb path` answering `response`, expected exactly once.
pub async fn mount(server: &MockServer, verb: &str, api_path: &str, response: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(api_path))
        .respond_with(response)
        .expect(1)
        .named(format!("{verb} {api_path}"))
        .mount(server)
        .await;
}

/// A JSON response with `status` and `body`.
pub fn json_response(status: u16, body: &Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.to_string(), "application/json")
}

/// Every request the server received except the token requests, in order.
pub async fn api_requests(server: &MockServer) -> Vec<Received> {
    server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() != "/oauth/token")
        .collect()
}

/// The one API request the server received.
pub async fn only_api_request(server: &MockServer) -> Received {
    let mut requests = api_requests(server).await;
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one API request, got {:?}",
        requests
            .iter()
            .map(|r| format!("{} {}", r.method, r.url))
            .collect::<Vec<_>>()
    );
    requests.remove(0)
}

/// All values of header `name` (case-insensitive).
pub fn header_values(request: &Received, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// The query pairs as received, percent-decoded, stably sorted by name (so the order of
/// repeated names, i.e. arrays, is kept).
pub fn query_pairs(request: &Received) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

/// Asserts method, path (as sent, percent-encoded), the complete set of query
/// parameters, and the headers every operation sends: bearer token, `Accept`, the
/// default `User-Agent`, and `X-SailPoint-Experimental: true` exactly when
/// `experimental`.
pub fn assert_request(
    request: &Received,
    verb: &str,
    api_path: &str,
    query: &[(&str, &str)],
    experimental: bool,
) {
    assert_eq!(request.method.as_str(), verb, "method of {}", request.url);
    assert_eq!(request.url.path(), api_path, "path of {}", request.url);
    let mut expected: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    expected.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(query_pairs(request), expected, "query of {}", request.url);
    assert_eq!(header_values(request, "authorization"), ["Bearer tok-1"]);
    assert_eq!(header_values(request, "accept"), ["application/json"]);
    let agent = header_values(request, "user-agent");
    assert!(
        agent.len() == 1 && agent[0].starts_with("sailpoint-isc-rust/"),
        "{agent:?}"
    );
    let flag = header_values(request, "x-sailpoint-experimental");
    if experimental {
        assert_eq!(flag, ["true"], "experimental header of {}", request.url);
    } else {
        assert!(flag.is_empty(), "unexpected experimental header: {flag:?}");
    }
}

/// Asserts that the request has no body and no `Content-Type`.
pub fn assert_no_body(request: &Received) {
    assert!(
        request.body.is_empty(),
        "unexpected body: {}",
        String::from_utf8_lossy(&request.body)
    );
    assert!(header_values(request, "content-type").is_empty());
}

/// Asserts an `application/json` body equal to `expected` (compared as JSON values).
pub fn assert_json_body(request: &Received, expected: &Value) {
    assert_eq!(header_values(request, "content-type"), ["application/json"]);
    let body: Value = serde_json::from_slice(&request.body).unwrap_or_else(|e| {
        panic!(
            "body is not JSON ({e}): {}",
            String::from_utf8_lossy(&request.body)
        )
    });
    assert_eq!(&body, expected);
}

// ---------------------------------------------------------------------------------------
// Multipart
// ---------------------------------------------------------------------------------------

/// One part of a `multipart/form-data` body.
#[derive(Debug, Clone, PartialEq)]
pub struct FormPart {
    pub name: String,
    pub filename: Option<String>,
    pub content_type: Option<String>,
    pub data: Vec<u8>,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn split<'a>(mut data: &'a [u8], separator: &[u8]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    while let Some(at) = find(data, separator) {
        pieces.push(&data[..at]);
        data = &data[at + separator.len()..];
    }
    pieces.push(data);
    pieces
}

fn disposition_param(disposition: &str, name: &str) -> Option<String> {
    disposition.split(';').map(str::trim).find_map(|p| {
        p.strip_prefix(&format!("{name}=\""))
            .and_then(|v| v.strip_suffix('"'))
            .map(str::to_owned)
    })
}

/// Parses the request's `multipart/form-data` body (RFC 7578) into its parts, checking
/// the framing: a `Content-Type` with a boundary, a first delimiter, a closing
/// delimiter, and a `Content-Disposition: form-data` header on every part.
pub fn multipart_parts(request: &Received) -> Vec<FormPart> {
    let content_type = header_values(request, "content-type");
    assert_eq!(content_type.len(), 1, "{content_type:?}");
    let boundary = content_type[0]
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart/form-data: {}", content_type[0]))
        .to_owned();
    let mut body = b"\r\n".to_vec();
    body.extend_from_slice(&request.body);
    let delimiter = format!("\r\n--{boundary}");
    let chunks = split(&body, delimiter.as_bytes());
    assert!(chunks.len() >= 2, "no multipart delimiter in the body");
    assert!(chunks[0].is_empty(), "preamble before the first delimiter");
    let last = chunks[chunks.len() - 1];
    assert!(
        last.starts_with(b"--"),
        "the body does not end with the closing delimiter"
    );
    chunks[1..chunks.len() - 1]
        .iter()
        .map(|chunk| {
            let chunk = chunk
                .strip_prefix(b"\r\n")
                .expect("CRLF after the delimiter");
            let end = find(chunk, b"\r\n\r\n").expect("end of the part headers");
            let headers = std::str::from_utf8(&chunk[..end]).unwrap();
            let mut disposition = None;
            let mut part_type = None;
            for line in headers.split("\r\n") {
                let (name, value) = line.split_once(':').expect("header line");
                match name.trim().to_ascii_lowercase().as_str() {
                    "content-disposition" => disposition = Some(value.trim().to_owned()),
                    "content-type" => part_type = Some(value.trim().to_owned()),
                    other => panic!("unexpected part header {other}"),
                }
            }
            let disposition = disposition.expect("Content-Disposition");
            assert!(disposition.starts_with("form-data;"), "{disposition}");
            FormPart {
                name: disposition_param(&disposition, "name").expect("part name"),
                filename: disposition_param(&disposition, "filename"),
                content_type: part_type,
                data: chunk[end + 4..].to_vec(),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Error bodies exactly as the seed pages show them
// ---------------------------------------------------------------------------------------

/// 400 body of seed 000 (`POST /identities/process`), also on seeds 002 and 003.
pub const SEED_400: &str = r#"{
"detailCode": "400.1 Bad Request Content",
"trackingId": "e7eab60924f64aa284175b9fa3309599",
"messages": [
{
"locale": "en-US",
"localeOrigin": "DEFAULT",
"text": "The request was syntactically correct but its content is semantically invalid."
}
],
"causes": [
{
"locale": "en-US",
"localeOrigin": "DEFAULT",
"text": "The request was syntactically correct but its content is semantically invalid."
}
]
}"#;

/// 401 body of seeds 000, 002 and 003.
pub const SEED_401: &str = r#"{
"error": "JWT validation failed: JWT is expired"
}"#;

/// "An example of a 403 response object" (seeds 000 and 003).
pub const SEED_403: &str = r#"{
"detailCode": "403 Forbidden",
"trackingId": "b21b1f7ce4da4d639f2c62a57171b427",
"messages": [
{
"locale": "en-US",
"localeOrigin": "DEFAULT",
"text": "The server understood the request but refuses to authorize it."
}
]
}"#;

/// "An example of a 404 response object" (seed 000).
pub const SEED_404: &str = r#"{
"detailCode": "404 Not found",
"trackingId": "b21b1f7ce4da4d639f2c62a57171b427",
"messages": [
{
"locale": "en-US",
"localeOrigin": "DEFAULT",
"text": "The server did not find a current representation for the target resource."
}
]
}"#;

/// 429 body of seeds 000, 002 and 003 (with ISC's padding spaces).
pub const SEED_429: &str = r#"{
"message": " Rate Limit Exceeded "
}"#;

/// "An example of a 500 response object" (seed 000).
pub const SEED_500: &str = r#"{
"detailCode": "500.0 Internal Fault",
"trackingId": "b21b1f7ce4da4d639f2c62a57171b427",
"messages": [
{
"locale": "en-US",
"localeOrigin": "DEFAULT",
"text": "An internal fault occurred."
}
]
}"#;

/// The seed body for `status`.
pub fn seed_error(status: u16) -> &'static str {
    match status {
        400 => SEED_400,
        401 => SEED_401,
        403 => SEED_403,
        404 => SEED_404,
        429 => SEED_429,
        500 => SEED_500,
        other => panic!("no seed body for {other}"),
    }
}

/// Every error status the Identities operations declare.
pub const ALL_ERRORS: &[u16] = &[400, 401, 403, 404, 429, 500];
/// The error statuses of operations without a 404 (list, search, load-accounts).
pub const ERRORS_WITHOUT_404: &[u16] = &[400, 401, 403, 429, 500];

/// For operations that send no body and get none back: answers `status` with an empty body,
/// runs `call` on a fresh client, and checks the one API request it made (method, path, no
/// query, the experimental header exactly when expected, no body).
pub async fn assert_bodyless_call<T, F, Fut>(
    verb: &str,
    api_path: &str,
    status: u16,
    experimental: bool,
    call: F,
) where
    T: Debug,
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let (server, client) = start(experimental).await;
    mount(&server, verb, api_path, ResponseTemplate::new(status)).await;
    call(client).await.expect("the call succeeds");
    let request = only_api_request(&server).await;
    assert_request(&request, verb, api_path, &[], experimental);
    assert_no_body(&request);
}

/// For each status, against its own server: the operation answered with the seed body
/// (plus an `SLPT-Request-ID` header and, for 429, `Retry-After: 7`) must fail with an
/// [`Error::Api`] that names `operation`, the method, the URL path and the status, picks
/// the tracking id from the body (else the header), and decodes the body into the
/// expected [`ErrorBody`] variant. 401 is answered twice (the client refreshes its token
/// once and retries); no other status is retried (retries are off for 429).
pub async fn assert_seed_errors<T, F, Fut>(
    verb: &str,
    api_path: &str,
    operation: &str,
    statuses: &[u16],
    experimental: bool,
    call: F,
) where
    T: Debug,
    F: Fn(Client) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let checks = statuses
        .iter()
        .map(|&status| one_seed_error(verb, api_path, operation, status, experimental, &call));
    futures::future::join_all(checks).await;
}

async fn one_seed_error<T, F, Fut>(
    verb: &str,
    api_path: &str,
    operation: &str,
    status: u16,
    experimental: bool,
    call: &F,
) where
    T: Debug,
    F: Fn(Client) -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let server = MockServer::start().await;
    let attempts = if status == 401 { 2 } else { 1 };
    mount_token_endpoint(&server, 749, attempts).await;
    let header_id = format!("hdr-{status}");
    let mut response = ResponseTemplate::new(status)
        .set_body_raw(seed_error(status), "application/json")
        .insert_header("SLPT-Request-ID", header_id.as_str());
    if status == 429 {
        response = response.insert_header("Retry-After", "7");
    }
    Mock::given(method(verb))
        .and(path(api_path))
        .respond_with(response)
        .expect(attempts)
        .named(format!("{status} for {operation}"))
        .mount(&server)
        .await;
    let client = builder(&server)
        .experimental(experimental)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();

    let error = match call(Client::from(client)).await {
        Ok(value) => panic!("{operation}: HTTP {status} gave Ok({value:?})"),
        Err(error) => error,
    };
    let context = format!("{operation} HTTP {status}: {error}");
    assert_eq!(error.operation(), Some(operation), "{context}");
    assert_eq!(error.status(), Some(status), "{context}");
    let api = error
        .api()
        .unwrap_or_else(|| panic!("not an API error: {context}"));
    assert_eq!(api.operation, operation);
    assert_eq!(api.method.as_str(), verb, "{context}");
    assert_eq!(
        reqwest_path(&api.url),
        api_path,
        "URL in the error: {context}"
    );
    assert_eq!(api.raw_body, seed_error(status), "{context}");
    let display = error.to_string();
    assert!(
        display.contains(operation) && display.contains(&format!("HTTP {status}")),
        "{display}"
    );
    match status {
        401 => {
            assert_eq!(
                api.body,
                ErrorBody::Unauthorized {
                    error: "JWT validation failed: JWT is expired".into()
                },
                "{context}"
            );
            assert_eq!(error.tracking_id(), Some(header_id.as_str()), "{context}");
        }
        429 => {
            assert_eq!(
                api.body,
                ErrorBody::RateLimited {
                    message: " Rate Limit Exceeded ".into()
                },
                "{context}"
            );
            assert_eq!(error.tracking_id(), Some(header_id.as_str()), "{context}");
            assert_eq!(api.retry_after, Some(std::time::Duration::from_secs(7)));
        }
        _ => {
            let ErrorBody::Standard(dto) = &api.body else {
                panic!("not a standard error body: {context}: {:?}", api.body)
            };
            let seed: Value = serde_json::from_str(seed_error(status)).unwrap();
            assert_eq!(
                dto.detail_code.as_deref(),
                seed["detailCode"].as_str(),
                "{context}"
            );
            assert_eq!(dto.tracking_id.as_deref(), seed["trackingId"].as_str());
            assert_eq!(
                error.tracking_id(),
                seed["trackingId"].as_str(),
                "{context}"
            );
            let texts = |key: &str| -> Vec<(Option<String>, Option<String>, Option<String>)> {
                seed[key]
                    .as_array()
                    .map(|items| {
                        items
                            .iter()
                            .map(|m| {
                                let s = |f: &str| m[f].as_str().map(str::to_owned);
                                (s("locale"), s("localeOrigin"), s("text"))
                            })
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let got = |messages: &[sailpoint_isc::runtime::ErrorMessage]| {
                messages
                    .iter()
                    .map(|m| (m.locale.clone(), m.locale_origin.clone(), m.text.clone()))
                    .collect::<Vec<_>>()
            };
            assert_eq!(got(&dto.messages), texts("messages"), "{context}");
            assert_eq!(got(&dto.causes), texts("causes"), "{context}");
            assert!(!dto.messages.is_empty());
        }
    }
    drop(server); // verifies the expected call counts
}

fn reqwest_path(url: &str) -> String {
    let parsed = reqwest::Url::parse(url).unwrap_or_else(|e| panic!("bad URL {url}: {e}"));
    parsed.path().to_owned()
}

// ---------------------------------------------------------------------------------------
// Offset-paged list endpoint
// ---------------------------------------------------------------------------------------

/// `GET` list endpoint over fixed items honouring `offset` / `limit` and sending
/// `X-Total-Count` when asked with `count=true`, like ISC.
pub struct OffsetList {
    pub items: Vec<Value>,
}

impl Respond for OffsetList {
    fn respond(&self, request: &Received) -> ResponseTemplate {
        let param = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let offset: usize = param("offset").map_or(0, |v| v.parse().unwrap());
        let limit: usize = param("limit").map_or(250, |v| v.parse().unwrap());
        if offset > 0 && offset >= self.items.len() {
            return ResponseTemplate::new(400).set_body_raw(SEED_400, "application/json");
        }
        let page: Vec<Value> = self
            .items
            .iter()
            .skip(offset)
            .take(limit)
            .cloned()
            .collect();
        let mut response = json_response(200, &Value::Array(page));
        if param("count").as_deref() == Some("true") {
            response =
                response.insert_header("X-Total-Count", self.items.len().to_string().as_str());
        }
        response
    }
}

// ---------------------------------------------------------------------------------------
// Search endpoint with searchAfter
// ---------------------------------------------------------------------------------------

/// `POST .../search` over fixed documents: sorts by the body's `sort` (string
/// comparison, `-` for descending) and returns the documents strictly after
/// `searchAfter`, or from `offset`, at most `limit` of them, like Elasticsearch. Like ISC,
/// it answers 400 when `offset + limit` passes the 10,000-result window and sends
/// `X-Total-Count` when asked with `count=true`.
pub struct SearchAfterEndpoint {
    pub docs: Vec<Value>,
}

/// ISC's search window: offset paging cannot reach past this many results.
const SEARCH_WINDOW: usize = 10_000;

fn sort_key(doc: &Value, field: &str) -> String {
    match field
        .split('.')
        .fold(doc, |v, s| v.get(s).unwrap_or(&Value::Null))
    {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

impl Respond for SearchAfterEndpoint {
    fn respond(&self, request: &Received) -> ResponseTemplate {
        let body: Value = request.body_json().unwrap();
        let param = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let limit: usize = param("limit").map_or(10_000, |v| v.parse().unwrap());
        let offset: usize = param("offset").map_or(0, |v| v.parse().unwrap());
        if offset + limit > SEARCH_WINDOW {
            return ResponseTemplate::new(400).set_body_raw(SEED_400, "application/json");
        }
        let sort: Vec<(bool, String)> = body["sort"]
            .as_array()
            .expect("sort")
            .iter()
            .map(|s| {
                let s = s.as_str().unwrap();
                match s.strip_prefix('-') {
                    Some(f) => (true, f.to_owned()),
                    None => (false, s.trim_start_matches('+').to_owned()),
                }
            })
            .collect();
        let compare = |keys_a: &[String], keys_b: &[String]| {
            sort.iter()
                .zip(keys_a.iter().zip(keys_b))
                .map(|((desc, _), (a, b))| if *desc { b.cmp(a) } else { a.cmp(b) })
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        };
        let keys =
            |d: &Value| -> Vec<String> { sort.iter().map(|(_, f)| sort_key(d, f)).collect() };
        let mut docs = self.docs.clone();
        docs.sort_by(|a, b| compare(&keys(a), &keys(b)));
        if let Some(after) = body.get("searchAfter").and_then(Value::as_array) {
            let after: Vec<String> = after
                .iter()
                .map(|v| {
                    v.as_str()
                        .expect("searchAfter values are strings")
                        .to_owned()
                })
                .collect();
            docs.retain(|d| compare(&keys(d), &after) == Ordering::Greater);
        }
        let total = docs.len();
        let page: Vec<Value> = docs.into_iter().skip(offset).take(limit).collect();
        let response = json_response(200, &Value::Array(page));
        if param("count").as_deref() == Some("true") {
            response.insert_header("X-Total-Count", total.to_string().as_str())
        } else {
            response
        }
    }
}
