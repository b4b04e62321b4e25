//! Fault injection: a loopback HTTP/1.1 server (raw tokio, because wiremock cannot reset
//! or cut connections) answers ~20 % of requests with a fault, from a fixed seed:
//! 429 with `Retry-After` in seconds and as an HTTP date, 502/503/504 whose bodies echo
//! the `Authorization` header, connection resets, connections closed mid-body, slow
//! replies, revoked tokens (401), and JSON bodies cut short. Items carry wrong-typed
//! fields: optional ones (decoded leniently) and required ones (one `Err` item each).
//!
//! Asserted for offset paging, search paging across ISC's 10,000-result window, and 50
//! concurrent callers: every item exactly once or an error; token requests within what
//! revocations and token-endpoint faults explain; no secret in logs or errors; lenient
//! warnings aggregated. Run with `--nocapture` to see the figures.

mod common;

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use common::{LogBuffer, CLIENT_ID, CLIENT_SECRET, LIST_ACCOUNTS, SEARCH_POST};
use futures::StreamExt;
use sailpoint_isc_runtime::{
    paginate, paginate_search, search_after_from, Client, Error, Fields, Request, RetryPolicy,
    SearchPage,
};
use serde::{Deserialize, Deserializer};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const ACCOUNTS: usize = 5_000;
const DOCS: usize = 12_000;
const FAULT_RATE: f64 = 0.2;
const SEED: u64 = 0x5A11_9017;

/// The fault classes, drawn uniformly when a request gets a fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Fault {
    RateLimitSeconds,
    RateLimitDate,
    BadGateway,
    Unavailable,
    GatewayTimeout,
    Reset,
    CloseMidBody,
    Slow,
    RevokeToken,
    TruncatedJson,
}

const FAULTS: [Fault; 10] = [
    Fault::RateLimitSeconds,
    Fault::RateLimitDate,
    Fault::BadGateway,
    Fault::Unavailable,
    Fault::GatewayTimeout,
    Fault::Reset,
    Fault::CloseMidBody,
    Fault::Slow,
    Fault::RevokeToken,
    Fault::TruncatedJson,
];

/// Item `i` has a wrong-typed optional field (`created` as text) ...
fn has_bad_optional(i: usize) -> bool {
    i % 50 == 7
}

/// ... or a wrong-typed required field (`name` as a number): one `Err` item.
fn has_bad_required(i: usize) -> bool {
    i % 500 == 13
}

fn account(i: usize) -> Value {
    let mut item =
        json!({"id": format!("acc-{i:05}"), "name": format!("Account {i}"), "created": i});
    if has_bad_optional(i) {
        item["created"] = json!("yesterday");
    }
    if has_bad_required(i) {
        item["name"] = json!(12_345);
    }
    item
}

/// Search documents, sorted as ISC would for `sort: ["name", "id"]`.
fn documents() -> Vec<Value> {
    let mut docs: Vec<Value> = (0..DOCS)
        .map(|i| json!({"id": format!("doc-{i:05}"), "name": format!("name-{:04}", i % 1009), "created": i}))
        .collect();
    docs.sort_by_key(|d| {
        (
            d["name"].as_str().map(str::to_owned),
            d["id"].as_str().map(str::to_owned),
        )
    });
    docs
}

struct Server {
    rng: Mutex<fastrand::Rng>,
    accounts: Vec<Value>,
    docs: Vec<Value>,
    issued: AtomicUsize,
    token_requests: AtomicUsize,
    requests: AtomicUsize,
    revoked: Mutex<HashSet<String>>,
    faults: Mutex<BTreeMap<(Fault, &'static str), usize>>,
}

/// What the server sends back.
enum Reply {
    Full {
        status: u16,
        headers: Vec<(&'static str, String)>,
        body: Vec<u8>,
        delay: Duration,
    },
    /// Declares the full length, sends half the body, closes.
    CutBody { body: Vec<u8> },
    /// Closes with a TCP reset, no answer.
    Reset,
}

impl Reply {
    fn json(status: u16, body: &Value) -> Self {
        Reply::Full {
            status,
            headers: vec![("content-type", "application/json".to_owned())],
            body: body.to_string().into_bytes(),
            delay: Duration::ZERO,
        }
    }
}

struct Incoming {
    path: String,
    query: BTreeMap<String, String>,
    authorization: String,
    body: Vec<u8>,
}

impl Server {
    fn new() -> Self {
        Server {
            rng: Mutex::new(fastrand::Rng::with_seed(SEED)),
            accounts: (0..ACCOUNTS).map(account).collect(),
            docs: documents(),
            issued: AtomicUsize::new(0),
            token_requests: AtomicUsize::new(0),
            requests: AtomicUsize::new(0),
            revoked: Mutex::new(HashSet::new()),
            faults: Mutex::new(BTreeMap::new()),
        }
    }

    fn fault(&self, endpoint: &'static str, allowed: &[Fault]) -> Option<Fault> {
        let mut rng = self.rng.lock().unwrap();
        if rng.f64() >= FAULT_RATE {
            return None;
        }
        let fault = allowed[rng.usize(..allowed.len())];
        *self
            .faults
            .lock()
            .unwrap()
            .entry((fault, endpoint))
            .or_insert(0) += 1;
        Some(fault)
    }

    fn count(&self, fault: Fault) -> usize {
        let faults = self.faults.lock().unwrap();
        faults
            .iter()
            .filter(|((f, _), _)| *f == fault)
            .map(|(_, n)| n)
            .sum()
    }

    fn handle(&self, request: &Incoming) -> Reply {
        self.requests.fetch_add(1, Ordering::SeqCst);
        if request.path == "/oauth/token" {
            return self.token(request);
        }
        let token = request.authorization.strip_prefix("Bearer ").unwrap_or("");
        let known = token
            .strip_prefix("tok-")
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| n >= 1 && n <= self.issued.load(Ordering::SeqCst));
        if !known || self.revoked.lock().unwrap().contains(token) {
            return Reply::json(
                401,
                &json!({"error": "JWT validation failed: JWT is revoked"}),
            );
        }
        let endpoint = if request.path == "/v3/search" {
            "search"
        } else {
            "accounts"
        };
        let fault = self.fault(endpoint, &FAULTS);
        let echo = format!(
            "upstream failed for request with Authorization: {}",
            request.authorization
        );
        let answer = match fault {
            Some(Fault::RateLimitSeconds) => return rate_limited("0".to_owned()),
            Some(Fault::RateLimitDate) => {
                return rate_limited(httpdate::fmt_http_date(
                    SystemTime::now() - Duration::from_secs(5),
                ))
            }
            Some(Fault::BadGateway) => return Reply::json(502, &json!({"message": echo})),
            Some(Fault::Unavailable) => return Reply::json(503, &json!({"message": echo})),
            Some(Fault::GatewayTimeout) => return Reply::json(504, &json!({"message": echo})),
            Some(Fault::Reset) => return Reply::Reset,
            Some(Fault::RevokeToken) => {
                self.revoked.lock().unwrap().insert(token.to_owned());
                return Reply::json(
                    401,
                    &json!({"error": "JWT validation failed: JWT is revoked"}),
                );
            }
            _ if endpoint == "search" => self.search(request),
            _ => self.list_accounts(request),
        };
        let Reply::Full {
            status,
            headers,
            body,
            ..
        } = answer
        else {
            return answer;
        };
        match fault {
            Some(Fault::CloseMidBody) => Reply::CutBody { body },
            Some(Fault::TruncatedJson) => {
                let half = body.len() / 2;
                Reply::Full {
                    status,
                    headers,
                    body: body[..half].to_vec(),
                    delay: Duration::ZERO,
                }
            }
            Some(Fault::Slow) => Reply::Full {
                status,
                headers,
                body,
                delay: Duration::from_millis(60),
            },
            _ => Reply::Full {
                status,
                headers,
                body,
                delay: Duration::ZERO,
            },
        }
    }

    fn token(&self, request: &Incoming) -> Reply {
        self.token_requests.fetch_add(1, Ordering::SeqCst);
        let form = String::from_utf8_lossy(&request.body);
        if !form.contains(&format!("client_secret={CLIENT_SECRET}")) {
            return Reply::json(401, &json!({"error": "invalid_client"}));
        }
        let allowed = [Fault::Unavailable, Fault::Reset, Fault::RateLimitSeconds];
        match self.fault("token", &allowed) {
            Some(Fault::Reset) => Reply::Reset,
            Some(Fault::RateLimitSeconds) => rate_limited("0".to_owned()),
            Some(_) => Reply::json(503, &json!({"error": "temporarily_unavailable"})),
            None => {
                let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
                Reply::json(
                    200,
                    &json!({"access_token": format!("tok-{n}"), "expires_in": 749}),
                )
            }
        }
    }

    fn list_accounts(&self, request: &Incoming) -> Reply {
        let offset = query_number(request, "offset").unwrap_or(0);
        let limit = query_number(request, "limit").unwrap_or(250);
        let page: Vec<&Value> = self.accounts.iter().skip(offset).take(limit).collect();
        let mut reply = Reply::json(200, &json!(page));
        if let Reply::Full { headers, .. } = &mut reply {
            headers.push(("x-total-count", ACCOUNTS.to_string()));
        }
        reply
    }

    fn search(&self, request: &Incoming) -> Reply {
        let Ok(body) = serde_json::from_slice::<Value>(&request.body) else {
            return Reply::json(400, &json!({"detailCode": "400.0 bad body"}));
        };
        assert_eq!(
            body["sort"],
            json!(["name", "id"]),
            "the server sorts by name, id only"
        );
        let limit = query_number(request, "limit").unwrap_or(10_000);
        let offset = query_number(request, "offset").unwrap_or(0);
        if offset + limit > 10_000 {
            return Reply::json(
                400,
                &json!({"detailCode": "400.1 Bad Request Content", "messages": [{"text": "offset + limit exceeds 10000"}]}),
            );
        }
        let start = match body.get("searchAfter").and_then(Value::as_array) {
            Some(after) => {
                let key = (
                    after[0].as_str().unwrap_or(""),
                    after[1].as_str().unwrap_or(""),
                );
                self.docs.partition_point(|d| {
                    (
                        d["name"].as_str().unwrap_or(""),
                        d["id"].as_str().unwrap_or(""),
                    ) <= key
                })
            }
            None => offset,
        };
        let page: Vec<&Value> = self.docs.iter().skip(start).take(limit).collect();
        Reply::json(200, &json!(page))
    }
}

fn rate_limited(retry_after: String) -> Reply {
    Reply::Full {
        status: 429,
        headers: vec![
            ("content-type", "application/json".to_owned()),
            ("retry-after", retry_after),
        ],
        body: br#"{"message": " Rate Limit Exceeded "}"#.to_vec(),
        delay: Duration::ZERO,
    }
}

fn query_number(request: &Incoming, name: &str) -> Option<usize> {
    request.query.get(name).and_then(|v| v.parse().ok())
}

/// Serves HTTP/1.1 with keep-alive on a loopback port until the test ends.
async fn start(server: Arc<Server>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            tokio::spawn(serve(socket, server.clone()));
        }
    });
    url
}

async fn serve(mut socket: TcpStream, server: Arc<Server>) {
    let mut buffer = Vec::new();
    while let Some(request) = read_request(&mut socket, &mut buffer).await {
        let reply = server.handle(&request);
        if !write_reply(&mut socket, reply).await {
            return;
        }
    }
}

async fn read_request(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<Incoming> {
    let head_end = loop {
        if let Some(pos) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break pos + 4;
        }
        read_more(socket, buffer).await?;
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let header = |name: &str| {
        head.lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(k, _)| k.eq_ignore_ascii_case(name))
            })
            .map(|(_, v)| v.trim().to_owned())
    };
    let length: usize = header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buffer.len() < head_end + length {
        read_more(socket, buffer).await?;
    }
    let body = buffer[head_end..head_end + length].to_vec();
    buffer.drain(..head_end + length);
    let mut words = head.split_whitespace();
    let _method = words.next()?;
    let url = reqwest::Url::parse(&format!("http://x{}", words.next()?)).ok()?;
    Some(Incoming {
        path: url.path().to_owned(),
        query: url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
        authorization: header("authorization").unwrap_or_default(),
        body,
    })
}

async fn read_more(socket: &mut TcpStream, buffer: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 16 * 1024];
    match socket.read(&mut chunk).await {
        Ok(0) | Err(_) => None,
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            Some(())
        }
    }
}

/// Writes the reply; false when the connection is to be closed.
async fn write_reply(socket: &mut TcpStream, reply: Reply) -> bool {
    let (status, headers, body, declared, delay) = match reply {
        Reply::Reset => {
            let _ = socket.set_zero_linger();
            return false;
        }
        Reply::CutBody { body } => {
            let half = body[..body.len() / 2].to_vec();
            (
                200,
                vec![("content-type", "application/json".to_owned())],
                half,
                body.len(),
                Duration::ZERO,
            )
        }
        Reply::Full {
            status,
            headers,
            body,
            delay,
        } => {
            let len = body.len();
            (status, headers, body, len, delay)
        }
    };
    tokio::time::sleep(delay).await;
    let mut head = format!("HTTP/1.1 {status} X\r\ncontent-length: {declared}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&body);
    socket.write_all(&bytes).await.is_ok() && declared == body.len()
}

/// A generated-style model decoded through `Fields` (lenient optional fields).
#[derive(Debug)]
struct Item {
    id: String,
    #[allow(dead_code)] // decoded to exercise the required-field rule
    name: String,
    created: Option<u64>,
}

impl<'de> Deserialize<'de> for Item {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut fields = Fields::new(deserializer, "Item")?;
        Ok(Item {
            id: fields.required("id")?,
            name: fields.required("name")?,
            created: fields.optional("created")?,
        })
    }
}

fn client(url: &str) -> Client {
    Client::builder()
        .base_url(url)
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .timeout(Duration::from_secs(2))
        .retry_policy(RetryPolicy {
            max_retries: 6,
            base_delay: Duration::from_millis(2),
            max_delay: Duration::from_millis(20),
            retry_non_idempotent: false,
            max_retry_after: Duration::from_secs(2),
        })
        .build()
        .unwrap()
}

fn list_accounts(
    client: &Client,
    page_size: i64,
) -> impl futures::Stream<Item = Result<Item, Error>> {
    let client = client.clone();
    paginate(page_size, move |offset, limit| {
        let client = client.clone();
        async move {
            let mut request = Request::new(&LIST_ACCOUNTS);
            request.query("offset", offset.to_string());
            request.query("limit", limit.to_string());
            request.query("count", "true".to_owned());
            client.send(request).await
        }
    })
}

fn search_body(sort: &[String], after: Option<Vec<String>>) -> Value {
    let mut body = json!({"indices": ["identities"], "query": {"query": "*"}, "sort": sort});
    if let Some(after) = after {
        body["searchAfter"] = json!(after);
    }
    body
}

fn search_paged(
    client: &Client,
    page_size: i64,
) -> impl futures::Stream<Item = Result<Item, Error>> {
    let client = client.clone();
    paginate_search(
        &SEARCH_POST,
        page_size,
        0,
        vec!["name".into()],
        move |sort, page| {
            let client = client.clone();
            async move {
                let mut request = Request::new(&SEARCH_POST);
                let after = match page {
                    SearchPage::Offset { offset, limit } => {
                        request.query("offset", offset.to_string());
                        request.query("limit", limit.to_string());
                        None
                    }
                    SearchPage::After {
                        search_after,
                        limit,
                    } => {
                        request.query("limit", limit.to_string());
                        Some(search_after)
                    }
                };
                request.json(&search_body(&sort, after))?;
                client.send(request).await
            }
        },
    )
}

/// What one stream delivered, by position.
#[derive(Default)]
struct Tally {
    ids: Vec<String>,
    /// Positions of items that came as decode errors.
    bad_items: Vec<u64>,
    /// The error that ended the stream early, if any.
    terminal: Option<Error>,
    other_errors: Vec<String>,
}

impl Tally {
    fn record(&mut self, item: Result<Item, Error>) {
        match item {
            Ok(item) => {
                if let Some(created) = item.created {
                    assert!(item.id.ends_with(&format!("{created:05}")), "{item:?}");
                }
                self.ids.push(item.id);
            }
            Err(Error::Decode(e)) if e.page_offset.is_some() => {
                let index: u64 = e.path[1..e.path.find(']').unwrap()].parse().unwrap();
                self.bad_items.push(e.page_offset.unwrap() + index);
                self.other_errors.push(format!("{e}\n{e:?}"));
            }
            Err(e) => {
                self.other_errors.push(format!("{e}\n{e:?}"));
                self.terminal = Some(e);
            }
        }
    }

    fn duplicates(&self) -> usize {
        self.ids.len() - self.ids.iter().collect::<HashSet<_>>().len()
    }
}

#[derive(Default, Debug)]
struct Figures {
    streams: usize,
    expected: usize,
    delivered: usize,
    bad_items: usize,
    duplicates: usize,
    lost: usize,
    ended_with_error: usize,
}

impl Figures {
    /// Checks one stream over `expected` (item positions 0..n, ids from `id_of`).
    fn check(&mut self, tally: &Tally, expected: &[String], bad: &[u64]) {
        self.streams += 1;
        self.expected += expected.len();
        self.delivered += tally.ids.len();
        self.bad_items += tally.bad_items.len();
        self.duplicates += tally.duplicates();
        let got: HashSet<&String> = tally.ids.iter().collect();
        let lost = expected
            .iter()
            .enumerate()
            .filter(|(i, id)| !got.contains(id) && !tally.bad_items.contains(&(*i as u64)))
            .count();
        self.lost += lost;
        self.ended_with_error += usize::from(tally.terminal.is_some());
        assert_eq!(tally.duplicates(), 0, "duplicates");
        assert!(
            lost == 0 || tally.terminal.is_some(),
            "{lost} items lost without an error"
        );
        if tally.terminal.is_none() {
            assert_eq!(
                tally.bad_items, bad,
                "bad items at the positions that have them"
            );
        }
    }
}

#[tokio::test]
async fn faults_never_lose_items_silently() {
    let logs = LogBuffer::default();
    let _guard = logs.install();
    let started = Instant::now();
    let server = Arc::new(Server::new());
    let url = start(server.clone()).await;
    let account_ids: Vec<String> = (0..ACCOUNTS).map(|i| format!("acc-{i:05}")).collect();
    let bad_accounts: Vec<u64> = (0..ACCOUNTS)
        .filter(|i| has_bad_required(*i))
        .map(|i| i as u64)
        .collect();
    let doc_ids: Vec<String> = server
        .docs
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    let mut figures = BTreeMap::<&str, Figures>::new();
    let mut errors = Vec::new();

    // 1. Offset paging of 5,000 accounts.
    let client = client(&url);
    let mut tally = Tally::default();
    let mut stream = std::pin::pin!(list_accounts(&client, 250));
    while let Some(item) = stream.next().await {
        tally.record(item);
    }
    figures
        .entry("offset paging")
        .or_default()
        .check(&tally, &account_ids, &bad_accounts);
    errors.extend(tally.other_errors);

    // 2. Search paging across the 10,000-result window (switches to searchAfter).
    let mut tally = Tally::default();
    let mut stream = std::pin::pin!(search_paged(&client, 500));
    while let Some(item) = stream.next().await {
        tally.record(item);
    }
    figures
        .entry("search across 10,000")
        .or_default()
        .check(&tally, &doc_ids, &[]);
    errors.extend(tally.other_errors);

    // 3. searchAfter paging resumed from its cursor after each error.
    let mut tally = Tally::default();
    let mut cursor = None;
    for _attempt in 0..10 {
        let search = client.clone();
        let mut stream = search_after_from(
            &SEARCH_POST,
            vec!["name".into()],
            Some(1_000),
            cursor.clone(),
            move |sort, after| {
                let client = search.clone();
                async move {
                    let mut request = Request::new(&SEARCH_POST);
                    request.query("limit", "1000".to_owned());
                    request.json(&search_body(&sort, after))?;
                    client.send(request).await
                }
            },
        );
        tally.terminal = None;
        while let Some(item) = stream.next().await {
            tally.record(item);
        }
        cursor = stream.cursor();
        if tally.terminal.is_none() {
            break;
        }
    }
    figures
        .entry("searchAfter with resume")
        .or_default()
        .check(&tally, &doc_ids, &[]);
    errors.extend(tally.other_errors);

    // 4. 50 concurrent callers, each reading the first 1,000 accounts, sharing tokens.
    let tokens_before = server.token_requests.load(Ordering::SeqCst);
    let revoked_before = server.count(Fault::RevokeToken);
    let shared = client;
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let client = shared.clone();
            tokio::spawn(async move {
                let mut tally = Tally::default();
                let mut stream = std::pin::pin!(list_accounts(&client, 250).take(1_000));
                while let Some(item) = stream.next().await {
                    tally.record(item);
                }
                tally
            })
        })
        .collect();
    let first: Vec<String> = account_ids[..1_000].to_vec();
    let first_bad: Vec<u64> = bad_accounts
        .iter()
        .copied()
        .filter(|i| *i < 1_000)
        .collect();
    for task in tasks {
        let tally = task.await.unwrap();
        figures
            .entry("50 concurrent callers")
            .or_default()
            .check(&tally, &first, &first_bad);
        errors.extend(tally.other_errors);
    }
    let concurrent_tokens = server.token_requests.load(Ordering::SeqCst) - tokens_before;
    let concurrent_revocations = server.count(Fault::RevokeToken) - revoked_before;

    // Token requests: one per revoked token (however many callers held it) and one per
    // token-endpoint fault, plus the first.
    let token_requests = server.token_requests.load(Ordering::SeqCst);
    let token_faults: usize = server
        .faults
        .lock()
        .unwrap()
        .iter()
        .filter(|((_, e), _)| *e == "token")
        .map(|(_, n)| n)
        .sum();
    let revocations = server.count(Fault::RevokeToken);
    assert!(
        token_requests <= 1 + revocations + token_faults,
        "{token_requests} token requests"
    );
    assert!(
        concurrent_tokens <= concurrent_revocations + token_faults,
        "{concurrent_tokens} token requests for 50 callers"
    );

    // Nothing secret in logs or errors; lenient warnings aggregated per stream.
    let captured = logs.contents();
    for error in &errors {
        assert!(
            !error.contains("tok-") && !error.contains(CLIENT_SECRET),
            "{error}"
        );
    }
    assert!(
        !captured.contains("tok-") && !captured.contains(CLIENT_SECRET),
        "a secret in the logs"
    );
    let lenient_lines = captured
        .lines()
        .filter(|l| {
            l.contains("did not match the API spec") || l.contains("does not match the API spec")
        })
        .count();
    let streams: usize = figures.values().map(|f| f.streams).sum();
    assert!(
        lenient_lines <= 2 * streams,
        "{lenient_lines} lenient warnings for {streams} streams"
    );

    let faults = server.faults.lock().unwrap().clone();
    println!(
        "fault test: seed {SEED:#x}, fault rate {FAULT_RATE}, {} HTTP requests, {:?}",
        server.requests.load(Ordering::SeqCst),
        started.elapsed()
    );
    for (name, f) in &figures {
        println!(
            "  {name}: {} streams, {} items expected, {} delivered, {} bad items as errors, {} duplicates, {} lost, {} streams ended with an error",
            f.streams, f.expected, f.delivered, f.bad_items, f.duplicates, f.lost, f.ended_with_error
        );
    }
    println!("  token requests: {token_requests} in all ({revocations} revocations, {token_faults} token-endpoint faults); {concurrent_tokens} during the 50 concurrent callers");
    println!("  lenient warnings: {lenient_lines} lines for {streams} streams");
    println!("  faults injected: {faults:?}");
    assert!(started.elapsed() < Duration::from_secs(60));
}
