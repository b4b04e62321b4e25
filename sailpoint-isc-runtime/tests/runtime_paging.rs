//! Loopback-HTTP tests of the paging helpers: offset pagination (`paginate`) against a
//! fake list endpoint with ISC's quirks, and `searchAfter` paging (`search_after`)
//! against a fake search endpoint that really sorts and filters by `searchAfter`.

mod common;

use std::cmp::Ordering;
use std::collections::HashSet;

use common::*;
use futures::StreamExt;
use sailpoint_isc_runtime::{
    paginate, paginate_search, search_after, search_after_from, Request, Response, SearchPage,
};
use sailpoint_isc_runtime::{Client, Error};
use serde::Deserialize;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Respond, ResponseTemplate};

#[derive(Debug, Deserialize, PartialEq, Clone)]
struct Account {
    id: String,
    name: String,
}

/// `GET /v3/accounts?offset=&limit=` over a fixed list, behaving like ISC.
struct ListEndpoint {
    items: Vec<Value>,
    /// Send `X-Total-Count`.
    total_header: bool,
    /// Requests with this bearer token at `offset >= .1` get a 401 (token expired).
    expired_token: Option<(&'static str, usize)>,
    /// Answer 500 at this offset.
    fail_at: Option<usize>,
    /// Answer 400 at this offset.
    bad_request_at: Option<usize>,
}

impl ListEndpoint {
    fn new(count: usize) -> Self {
        ListEndpoint {
            items: (0..count)
                .map(|i| json!({"id": format!("acc-{i}"), "name": format!("Account {i}")}))
                .collect(),
            total_header: false,
            expired_token: None,
            fail_at: None,
            bad_request_at: None,
        }
    }
}

impl Respond for ListEndpoint {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let param = |name: &str| {
            request
                .url
                .query_pairs()
                .find(|(k, _)| k == name)
                .and_then(|(_, v)| v.parse::<usize>().ok())
        };
        let offset = param("offset").unwrap_or(0);
        let limit = param("limit").unwrap_or(250);
        let auth = request
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if let Some((token, from)) = self.expired_token {
            if auth == format!("Bearer {token}") && offset >= from {
                return ResponseTemplate::new(401)
                    .set_body_json(json!({"error": "JWT validation failed: JWT is expired"}));
            }
        }
        if self.fail_at == Some(offset) {
            return ResponseTemplate::new(500).set_body_json(isc_error_body(
                "500.0 Internal Fault",
                "t-500",
                "boom",
            ));
        }
        if offset > 0 && (offset >= self.items.len() || self.bad_request_at == Some(offset)) {
            // ISC: "offset must be less than total"
            return ResponseTemplate::new(400).set_body_json(isc_error_body(
                "400.1 Bad Request Content",
                "t-400",
                "The request was syntactically correct but its content is semantically invalid.",
            ));
        }
        let page: Vec<Value> = self
            .items
            .iter()
            .skip(offset)
            .take(limit)
            .cloned()
            .collect();
        let mut response = ResponseTemplate::new(200).set_body_json(page);
        if self.total_header {
            response =
                response.insert_header("X-Total-Count", self.items.len().to_string().as_str());
        }
        response
    }
}

fn list_all(
    client: &Client,
    page_size: i64,
) -> impl futures::Stream<Item = Result<Account, Error>> {
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

/// The current generated form: the closure returns the response, decoded item by item.
fn list_raw(
    client: &Client,
    page_size: i64,
) -> impl futures::Stream<Item = Result<Account, Error>> {
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

async fn requested_offsets(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/v3/accounts")
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == "offset")
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test]
async fn paginate_walks_several_pages_until_a_short_page() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(ListEndpoint::new(7))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();

    let accounts: Vec<Account> = list_all(&client, 3).map(Result::unwrap).collect().await;
    let ids: Vec<String> = accounts.iter().map(|a| a.id.clone()).collect();
    assert_eq!(ids, (0..7).map(|i| format!("acc-{i}")).collect::<Vec<_>>());
    assert_eq!(requested_offsets(&server).await, ["0", "3", "6"]);
}

#[tokio::test]
async fn paginate_treats_400_at_offset_equal_total_as_the_end() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    // 6 items, pages of 3, no X-Total-Count: the third request (offset 6) gets ISC's 400.
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(ListEndpoint::new(6))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();

    let results: Vec<Result<Account, Error>> = list_all(&client, 3).collect().await;
    assert_eq!(results.len(), 6);
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(
        requested_offsets(&server).await,
        ["0", "3", "6", "5"],
        "the 400 at offset 6 is confirmed by asking for items 5 and 6"
    );
}

#[tokio::test]
async fn paginate_never_ends_silently_on_a_400_while_the_total_says_more_remain() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    // 9 items, the total sent, and a (transient) 400 at offset 3.
    let endpoint = ListEndpoint {
        total_header: true,
        bad_request_at: Some(3),
        ..ListEndpoint::new(9)
    };
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(endpoint)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let results: Vec<Result<Account, Error>> = list_all(&client, 3).collect().await;
    assert_eq!(results.len(), 4, "3 items, then the error");
    assert_eq!(results[3].as_ref().unwrap_err().status(), Some(400));
}

#[tokio::test]
async fn paginate_yields_a_400_without_total_when_more_items_exist() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    // No total: the 400 at offset 3 could be the end of the list, but items 2 and 3 exist.
    let endpoint = ListEndpoint {
        bad_request_at: Some(3),
        ..ListEndpoint::new(9)
    };
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(endpoint)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let results: Vec<Result<Account, Error>> = list_all(&client, 3).collect().await;
    assert_eq!(results.len(), 4, "3 items, then the error");
    assert_eq!(results[3].as_ref().unwrap_err().status(), Some(400));
    assert_eq!(requested_offsets(&server).await, ["0", "3", "2"]);
}

#[tokio::test]
async fn paginate_decodes_items_one_by_one_and_goes_on_after_a_bad_item() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    let mut endpoint = ListEndpoint {
        total_header: true,
        ..ListEndpoint::new(7)
    };
    endpoint.items[4] = json!({"id": "acc-4", "name": 4});
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(endpoint)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let results: Vec<Result<Account, Error>> = list_raw(&client, 3).collect().await;
    assert_eq!(results.len(), 7, "every item, the bad one as an error");
    let ids: Vec<String> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().map(|a| a.id.clone()))
        .collect();
    assert_eq!(ids, ["acc-0", "acc-1", "acc-2", "acc-3", "acc-5", "acc-6"]);
    let error = results[4].as_ref().unwrap_err();
    let Error::Decode(decode) = error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.operation, "listAccounts");
    assert_eq!(decode.page_offset, Some(3));
    assert_eq!(decode.path, "[1].name");
    let text = error.to_string();
    assert!(
        text.contains("listAccounts") && text.contains("offset 3") && text.contains("[1].name"),
        "{text}"
    );
}

#[tokio::test]
async fn paginate_stops_at_x_total_count() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    let endpoint = ListEndpoint {
        total_header: true,
        ..ListEndpoint::new(6)
    };
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(endpoint)
        .expect(2)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();

    let accounts: Vec<Account> = list_all(&client, 3).map(Result::unwrap).collect().await;
    assert_eq!(accounts.len(), 6);
    assert_eq!(requested_offsets(&server).await, ["0", "3"]);
}

#[tokio::test]
async fn paginate_yields_a_400_on_the_first_page() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(ResponseTemplate::new(400).set_body_json(isc_error_body(
            "400.1 Bad Request Content",
            "t",
            "bad filter",
        )))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let results: Vec<Result<Account, Error>> = list_all(&client, 3).collect().await;
    assert_eq!(results.len(), 1);
    assert_eq!(results[0].as_ref().unwrap_err().status(), Some(400));
}

#[tokio::test]
async fn paginate_yields_a_mid_stream_error_once_and_stops() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    let endpoint = ListEndpoint {
        fail_at: Some(3),
        ..ListEndpoint::new(9)
    };
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(endpoint)
        .mount(&server)
        .await;
    let client = builder(&server)
        .retry_policy(sailpoint_isc_runtime::RetryPolicy::none())
        .build()
        .unwrap();
    let results: Vec<Result<Account, Error>> = list_all(&client, 3).collect().await;
    assert_eq!(results.len(), 4);
    assert!(results[..3].iter().all(Result::is_ok));
    assert_eq!(results[3].as_ref().unwrap_err().status(), Some(500));
}

#[tokio::test]
async fn paginate_rejects_a_non_positive_page_size() {
    let results: Vec<Result<u32, Error>> = paginate(0, |_, _| async {
        Ok(Response::from_body("listAccounts", 200, "[1]"))
    })
    .collect()
    .await;
    assert_eq!(results.len(), 1);
    assert!(matches!(results[0], Err(Error::Pagination { .. })));
}

#[tokio::test]
async fn token_expiring_mid_pagination_is_refreshed_and_the_stream_completes() {
    let server = MockServer::start().await;
    let issued = mount_token_endpoint(&server, 749, 2).await;
    let endpoint = ListEndpoint {
        expired_token: Some(("tok-1", 3)),
        ..ListEndpoint::new(8)
    };
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(endpoint)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();

    let accounts: Vec<Account> = list_all(&client, 3).map(Result::unwrap).collect().await;
    assert_eq!(accounts.len(), 8);
    assert_eq!(issued.load(std::sync::atomic::Ordering::SeqCst), 2);
    let auths: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/v3/accounts")
        .map(|r| {
            r.headers
                .get("authorization")
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        auths,
        [
            "Bearer tok-1",
            "Bearer tok-1",
            "Bearer tok-2",
            "Bearer tok-2"
        ]
    );
}

/// `POST /v3/search?limit=` over fixed documents: sorts by the body's `sort` (with
/// `+`/`-`, dotted paths, numbers compared as numbers) and returns the documents after
/// `searchAfter`, like Elasticsearch.
struct SearchEndpoint {
    docs: Vec<Value>,
}

fn field_value<'a>(doc: &'a Value, field: &str) -> &'a Value {
    field
        .split('.')
        .fold(doc, |v, segment| v.get(segment).unwrap_or(&Value::Null))
}

fn compare_to_text(value: &Value, text: &str) -> Ordering {
    match value {
        Value::Number(n) => n
            .as_f64()
            .unwrap()
            .partial_cmp(&text.parse::<f64>().unwrap())
            .unwrap(),
        Value::String(s) => s.as_str().cmp(text),
        other => panic!("unsortable {other}"),
    }
}

impl Respond for SearchEndpoint {
    fn respond(&self, request: &wiremock::Request) -> ResponseTemplate {
        let body: Value = request.body_json().unwrap();
        let limit: usize = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "limit")
            .map(|(_, v)| v.parse().unwrap())
            .unwrap_or(10_000);
        let sort: Vec<(bool, String)> = body
            .get("sort")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
            .iter()
            .map(|s| {
                let s = s.as_str().unwrap();
                match s.strip_prefix('-') {
                    Some(f) => (true, f.to_owned()),
                    None => (false, s.trim_start_matches('+').to_owned()),
                }
            })
            .collect();
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let cmp_docs = |a: &Value, b: &Value| {
            sort.iter()
                .map(|(desc, f)| {
                    let o = compare_to_text(field_value(a, f), &text(field_value(b, f)));
                    if *desc {
                        o.reverse()
                    } else {
                        o
                    }
                })
                .find(|o| o.is_ne())
                .unwrap_or(Ordering::Equal)
        };
        let mut docs = self.docs.clone();
        docs.sort_by(cmp_docs);
        if let Some(after) = body.get("searchAfter").and_then(Value::as_array) {
            let after: Vec<&str> = after
                .iter()
                .map(|v| v.as_str().expect("searchAfter values are strings"))
                .collect();
            docs.retain(|d| {
                sort.iter()
                    .zip(&after)
                    .map(|((desc, f), a)| {
                        let o = compare_to_text(field_value(d, f), a);
                        if *desc {
                            o.reverse()
                        } else {
                            o
                        }
                    })
                    .find(|o| o.is_ne())
                    == Some(Ordering::Greater)
            });
        }
        let offset: usize = request
            .url
            .query_pairs()
            .find(|(k, _)| k == "offset")
            .map(|(_, v)| v.parse().unwrap())
            .unwrap_or(0);
        if offset + limit > 10_000 {
            // ISC's result window for offset paging.
            return ResponseTemplate::new(400).set_body_json(isc_error_body(
                "400.1 Bad Request Content",
                "t-window",
                "offset + limit must not exceed 10000",
            ));
        }
        let docs: Vec<Value> = docs.into_iter().skip(offset).take(limit).collect();
        ResponseTemplate::new(200).set_body_json(docs)
    }
}

#[derive(Debug, Deserialize, PartialEq)]
struct Doc {
    id: String,
    name: String,
}

fn search_stream(
    client: &Client,
    sort: Vec<String>,
    limit: i64,
) -> impl futures::Stream<Item = Result<Doc, Error>> {
    let client = client.clone();
    search_after(&SEARCH_POST, sort, Some(limit), move |sort, after| {
        let client = client.clone();
        async move {
            let mut request = Request::new(&SEARCH_POST);
            request.query("limit", limit.to_string());
            let mut body =
                json!({"indices": ["identities"], "query": {"query": "*"}, "sort": sort});
            if let Some(after) = after {
                body["searchAfter"] = json!(after);
            }
            request.json(&body)?;
            client.send(request).await
        }
    })
}

async fn sent_search_bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .filter(|r| r.url.path() == "/v3/search")
        .map(|r| r.body_json().unwrap())
        .collect()
}

#[tokio::test]
async fn search_after_crosses_page_boundaries_without_duplicates_or_gaps() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    // Ties on `name` straddle the page boundaries (pages of 3): only the `id`
    // tie-breaker keeps the order total.
    let names = ["amy", "bob", "bob", "bob", "cat", "cat", "dan", "eve"];
    let docs: Vec<Value> = names
        .iter()
        .enumerate()
        .map(|(i, n)| json!({"id": format!("2c9{i:02}"), "name": n, "manager": {"name": "m"}}))
        .collect();
    Mock::given(method("POST"))
        .and(path("/v3/search"))
        .respond_with(SearchEndpoint { docs })
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();

    let found: Vec<Doc> = search_stream(&client, vec!["name".into()], 3)
        .map(Result::unwrap)
        .collect()
        .await;
    let ids: Vec<&str> = found.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(
        ids,
        ["2c900", "2c901", "2c902", "2c903", "2c904", "2c905", "2c906", "2c907"]
    );
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        ids.len(),
        "no duplicates"
    );

    let bodies = sent_search_bodies(&server).await;
    let sorts: Vec<&Value> = bodies.iter().map(|b| &b["sort"]).collect();
    assert!(
        sorts.iter().all(|s| **s == json!(["name", "id"])),
        "{sorts:?}"
    );
    let afters: Vec<&Value> = bodies.iter().map(|b| &b["searchAfter"]).collect();
    assert_eq!(
        afters,
        [
            &Value::Null,
            &json!(["bob", "2c902"]),
            &json!(["cat", "2c905"])
        ],
        "the third page is short (2 hits), so no fourth request"
    );
}

#[tokio::test]
async fn search_after_handles_directions_dotted_paths_and_numbers() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    let docs: Vec<Value> = (0..6)
        .map(|i| {
            json!({
                "id": format!("id-{i}"),
                "name": format!("n{i}"),
                "manager": {"name": if i % 2 == 0 { "zed" } else { "ann" }},
                "accessCount": 10 - i / 2,
            })
        })
        .collect();
    Mock::given(method("POST"))
        .and(path("/v3/search"))
        .respond_with(SearchEndpoint { docs })
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();

    let sort = vec![
        "-manager.name".to_owned(),
        "+accessCount".to_owned(),
        "-id".to_owned(),
    ];
    let found: Vec<Doc> = search_stream(&client, sort, 2)
        .map(Result::unwrap)
        .collect()
        .await;
    let ids: Vec<&str> = found.iter().map(|d| d.id.as_str()).collect();
    // manager zed (ids 0,2,4) before ann (1,3,5); within: accessCount ascending (4:8, 2:9, 0:10).
    assert_eq!(ids, ["id-4", "id-2", "id-0", "id-5", "id-3", "id-1"]);

    let bodies = sent_search_bodies(&server).await;
    assert_eq!(
        bodies[0]["sort"],
        json!(["-manager.name", "+accessCount", "-id"]),
        "id already present: not appended"
    );
    let afters: Vec<&Value> = bodies.iter().map(|b| &b["searchAfter"]).collect();
    assert_eq!(
        afters,
        [
            &Value::Null,
            &json!(["zed", "9", "id-2"]),
            &json!(["ann", "8", "id-5"]),
            &json!(["ann", "10", "id-1"]),
        ]
    );
}

#[tokio::test]
async fn search_after_reports_a_bad_hit_with_the_operation_and_goes_on() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    let docs = vec![
        json!({"id": "a", "name": "one"}),
        json!({"id": "b", "name": 2}),
        json!({"id": "c", "name": "three"}),
    ];
    Mock::given(method("POST"))
        .and(path("/v3/search"))
        .respond_with(SearchEndpoint { docs })
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();

    let results: Vec<Result<Doc, Error>> = search_stream(&client, vec![], 10).collect().await;
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[2].is_ok());
    let error = results[1].as_ref().unwrap_err();
    let Error::Decode(decode) = error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.operation, "searchPost");
    assert_eq!(decode.path, "[1].name");
    assert!(error.to_string().contains("searchPost"), "{error}");
}

#[tokio::test]
async fn search_after_stops_with_an_error_when_the_last_hit_lacks_a_sort_value() {
    let pages = [
        vec![json!({"id": "a", "name": "x"}), json!({"id": "b"})],
        vec![json!({"id": "c", "name": "y"})],
    ];
    let mut calls = 0;
    let results: Vec<Result<Value, Error>> =
        search_after(&SEARCH_POST, vec!["name".into()], Some(2), move |_, _| {
            let page: Vec<Value> = pages.get(calls).cloned().unwrap_or_default();
            calls += 1;
            async move {
                Ok(Response::from_body(
                    "searchPost",
                    200,
                    Value::from(page).to_string(),
                ))
            }
        })
        .collect()
        .await;
    assert_eq!(
        results.len(),
        3,
        "both hits of the first page, then the error"
    );
    let error = results[2].as_ref().unwrap_err();
    assert!(
        matches!(
            error,
            Error::Pagination {
                operation: "searchPost",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("`name`"), "{error}");
}

fn search_body(sort: &[String], after: Option<Vec<String>>) -> Value {
    let mut body = json!({"indices": ["identities"], "query": {"query": "*"}});
    if !sort.is_empty() {
        body["sort"] = json!(sort);
    }
    if let Some(after) = after {
        body["searchAfter"] = json!(after);
    }
    body
}

#[tokio::test]
async fn search_after_exposes_a_cursor_to_resume_after_an_error() {
    let docs: Vec<Value> = (0..10)
        .map(|i| json!({"id": format!("d{i:02}"), "name": format!("n{i}")}))
        .collect();
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("POST"))
        .and(path("/v3/search"))
        .respond_with(SearchEndpoint { docs })
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    // The third page fails once (a caller-side failure, e.g. a network outage).
    let stream = |cursor: Option<Vec<String>>, fail_call: Option<usize>| {
        let client = client.clone();
        let mut calls = 0;
        search_after_from(
            &SEARCH_POST,
            vec!["name".into()],
            Some(3),
            cursor,
            move |sort, after| {
                calls += 1;
                let fail = fail_call == Some(calls);
                let client = client.clone();
                async move {
                    if fail {
                        return Err(Error::Pagination {
                            operation: "test",
                            message: "outage".into(),
                        });
                    }
                    let mut request = Request::new(&SEARCH_POST);
                    request.query("limit", "3".to_owned());
                    request.json(&search_body(&sort, after))?;
                    client.send(request).await
                }
            },
        )
    };
    let mut first = stream(None, Some(3));
    let mut seen = Vec::new();
    while let Some(item) = first.next().await {
        match item {
            Ok(doc) => seen.push(Doc::clone_id(&doc)),
            Err(e) => {
                assert!(e.to_string().contains("outage"), "{e}");
                break;
            }
        }
    }
    assert_eq!(seen.len(), 6);
    let cursor = first.cursor();
    assert_eq!(cursor, Some(vec!["n5".to_owned(), "d05".to_owned()]));
    let rest: Vec<Doc> = stream(cursor, None).map(Result::unwrap).collect().await;
    seen.extend(rest.iter().map(Doc::clone_id));
    let expected: Vec<String> = (0..10).map(|i| format!("d{i:02}")).collect();
    assert_eq!(seen, expected, "every hit exactly once across the resume");
}

impl Doc {
    fn clone_id(&self) -> String {
        self.id.clone()
    }
}

fn search_paged(
    client: &Client,
    sort: Vec<String>,
    page_size: i64,
) -> impl futures::Stream<Item = Result<Doc, Error>> {
    let client = client.clone();
    paginate_search(&SEARCH_POST, page_size, 0, sort, move |sort, page| {
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
    })
}

fn many_docs(count: usize) -> Vec<Value> {
    (0..count)
        .map(|i| json!({"id": format!("id-{i:05}"), "name": format!("name-{:03}", i % 997)}))
        .collect()
}

#[tokio::test]
async fn paginate_search_switches_to_search_after_at_the_10000_window() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("POST"))
        .and(path("/v3/search"))
        .respond_with(SearchEndpoint {
            docs: many_docs(10_600),
        })
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let found: Vec<Doc> = search_paged(&client, vec!["name".into()], 1500)
        .map(Result::unwrap)
        .collect()
        .await;
    let ids: HashSet<&str> = found.iter().map(|d| d.id.as_str()).collect();
    assert_eq!(found.len(), 10_600);
    assert_eq!(ids.len(), 10_600, "no duplicates");
    let bodies = sent_search_bodies(&server).await;
    assert!(bodies.iter().all(|b| b["sort"] == json!(["name", "id"])));
    let switched = bodies
        .iter()
        .filter(|b| b.get("searchAfter").is_some())
        .count();
    assert_eq!(
        switched, 1,
        "6 full offset pages + a 1,000 page to the window, then one searchAfter page"
    );
}

#[tokio::test]
async fn paginate_search_without_a_sort_stops_at_the_window_with_an_error() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("POST"))
        .and(path("/v3/search"))
        .respond_with(SearchEndpoint {
            docs: many_docs(10_100),
        })
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let results: Vec<Result<Doc, Error>> = search_paged(&client, vec![], 2500).collect().await;
    assert_eq!(results.len(), 10_001);
    assert!(results[..10_000].iter().all(Result::is_ok));
    let error = results[10_000].as_ref().unwrap_err();
    assert!(matches!(error, Error::Pagination { .. }), "{error:?}");
    assert!(error.to_string().contains("search_after()"), "{error}");
}

/// A generated-style model: decoded through `Fields` with the lenient rules.
#[derive(Debug)]
struct LenientAccount {
    id: String,
    created: Option<i64>,
}

impl<'de> Deserialize<'de> for LenientAccount {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut fields = sailpoint_isc_runtime::Fields::new(deserializer, "LenientAccount")?;
        Ok(LenientAccount {
            id: fields.required("id")?,
            created: fields.optional("created")?,
        })
    }
}

#[tokio::test]
async fn wrong_typed_optional_fields_log_once_per_field_plus_a_count() {
    let logs = LogBuffer::default();
    let _guard = logs.install();
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    let mut endpoint = ListEndpoint {
        total_header: true,
        ..ListEndpoint::new(500)
    };
    for item in &mut endpoint.items {
        item["created"] = json!("yesterday");
    }
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(endpoint)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let client2 = client.clone();
    let accounts: Vec<LenientAccount> = paginate(100, move |offset, limit| {
        let client = client2.clone();
        async move {
            let mut request = Request::new(&LIST_ACCOUNTS);
            request.query("offset", offset.to_string());
            request.query("limit", limit.to_string());
            client.send(request).await
        }
    })
    .map(Result::unwrap)
    .collect()
    .await;
    assert_eq!(accounts.len(), 500);
    assert!(accounts
        .iter()
        .all(|a| a.created.is_none() && !a.id.is_empty()));
    // One plain (non-paged) decode of a whole list too.
    let plain: Vec<LenientAccount> = client
        .send(Request::new(&LIST_ACCOUNTS))
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(plain.len(), 250);

    let captured = logs.contents();
    let warn_lines: Vec<&str> = captured.lines().filter(|l| l.contains(" WARN ")).collect();
    assert_eq!(
        warn_lines.len(),
        4,
        "first occurrence + count, for the stream and for the plain decode:\n{}",
        warn_lines.join("\n")
    );
    assert!(warn_lines[1].contains("ignored=500"), "{}", warn_lines[1]);
    assert!(warn_lines[3].contains("ignored=250"), "{}", warn_lines[3]);
}
