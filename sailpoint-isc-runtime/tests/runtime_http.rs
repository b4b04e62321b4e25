//! Loopback-HTTP tests of the runtime's transport: OAuth token handling, request
//! building (headers, bodies, parameters), experimental gating, typed errors, retries,
//! timeouts, decode errors and log hygiene. Every test talks to a real wiremock server.

mod common;

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant, SystemTime};

use common::*;
use sailpoint_isc_runtime::{Client, Error};
use sailpoint_isc_runtime::{ErrorBody, FilePart, Multipart, Request, RetryPolicy, RetrySafety};
use serde::Deserialize;
use serde_json::json;
use wiremock::matchers::{any, body_json, body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Deserialize, PartialEq)]
struct Account {
    id: String,
    name: String,
}

fn get_identity(id: &str) -> Request {
    let mut request = Request::new(&GET_IDENTITY);
    request.path_param("id", id);
    request
}

#[tokio::test]
async fn token_is_fetched_and_sent_as_bearer_with_default_headers() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .and(header("authorization", "Bearer tok-1"))
        .and(header("accept", "application/json"))
        .and(header("user-agent", "my-app/1.0"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([{"id": "a1", "name": "Alice"}])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).user_agent("my-app/1.0").build().unwrap();

    let response = client.send(Request::new(&LIST_ACCOUNTS)).await.unwrap();
    assert_eq!(response.status(), 200);
    let accounts: Vec<Account> = response.json().unwrap();
    assert_eq!(
        accounts,
        vec![Account {
            id: "a1".into(),
            name: "Alice".into()
        }]
    );
}

#[tokio::test]
async fn token_is_cached_across_requests() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(4)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    for _ in 0..3 {
        client.send(Request::new(&LIST_ACCOUNTS)).await.unwrap();
    }
    // A clone shares the cache.
    let clone = client.clone();
    drop(client);
    clone.send(Request::new(&LIST_ACCOUNTS)).await.unwrap();
}

#[tokio::test]
async fn token_is_refreshed_shortly_before_it_expires() {
    let server = MockServer::start().await;
    // 1 s lifetime: the refresh margin is 10 % (0.1 s), so after 0.95 s it is stale.
    let issued = mount_token_endpoint(&server, 1, 2).await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    client.send(Request::new(&LIST_ACCOUNTS)).await.unwrap();
    client.send(Request::new(&LIST_ACCOUNTS)).await.unwrap(); // still fresh: cached
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(950)).await; // not yet expired, but inside the margin
    client.send(Request::new(&LIST_ACCOUNTS)).await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_requests_share_one_token_fetch() {
    let server = MockServer::start().await;
    // A slow token endpoint makes every request find the cache empty.
    mount_token_endpoint_with_delay(&server, 749, 1, Duration::from_millis(200)).await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(50)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.send(Request::new(&LIST_ACCOUNTS)).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_failed_token_fetch_is_shared_by_the_callers_queued_behind_it() {
    let server = MockServer::start().await;
    // The token endpoint is down; a slow answer makes all callers queue behind the fetch.
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(503).set_delay(Duration::from_millis(50)))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let started = Instant::now();
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { client.send(Request::new(&LIST_ACCOUNTS)).await })
        })
        .collect();
    for task in tasks {
        let error = task.await.unwrap().unwrap_err();
        assert!(
            matches!(
                error,
                Error::Auth {
                    status: Some(503),
                    ..
                }
            ),
            "{error:?}"
        );
    }
    let elapsed = started.elapsed();
    let token_requests = |requests: Vec<wiremock::Request>| {
        requests
            .iter()
            .filter(|r| r.url.path() == "/oauth/token")
            .count()
    };
    let first = token_requests(server.received_requests().await.unwrap());
    // One fetch: the first attempt and fast_retries()'s 3 retries.
    assert_eq!(first, 4, "token requests");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");

    // The next caller waits for the backoff, then fetches anew.
    let error = client.send(Request::new(&LIST_ACCOUNTS)).await.unwrap_err();
    assert!(matches!(error, Error::Auth { .. }), "{error:?}");
    assert_eq!(token_requests(server.received_requests().await.unwrap()), 8);
}

#[tokio::test]
async fn unauthorized_triggers_one_refresh_and_one_retry() {
    let server = MockServer::start().await;
    let issued = mount_token_endpoint(&server, 749, 2).await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": "JWT validation failed: JWT is expired"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!([{"id": "a1", "name": "Alice"}])),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let accounts: Vec<Account> = client
        .send(Request::new(&LIST_ACCOUNTS))
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(accounts.len(), 1);
    assert_eq!(issued.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_second_unauthorized_is_returned_without_looping() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 2).await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": "JWT validation failed: JWT is expired"}))
                .insert_header("SLPT-Request-ID", "req-401"),
        )
        .expect(2)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let error = client.send(Request::new(&LIST_ACCOUNTS)).await.unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.status, 401);
    assert_eq!(
        api.body,
        ErrorBody::Unauthorized {
            error: "JWT validation failed: JWT is expired".into()
        }
    );
    assert_eq!(
        error.tracking_id(),
        Some("req-401"),
        "tracking id from the SLPT-Request-ID header"
    );
}

#[tokio::test]
async fn static_access_token_is_sent_and_never_refreshed() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(500))
        .expect(0)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .and(header("authorization", "Bearer static-tok"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "JWT is expired"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .access_token("static-tok")
        .build()
        .unwrap();
    let error = client.send(Request::new(&LIST_ACCOUNTS)).await.unwrap_err();
    assert_eq!(error.status(), Some(401));
}

#[tokio::test]
async fn token_url_override_is_used() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/custom/token"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"access_token": "custom-tok", "expires_in": 600})),
        )
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .and(header("authorization", "Bearer custom-tok"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server)
        .token_url(format!("{}/custom/token", server.uri()))
        .build()
        .unwrap();
    client.send(Request::new(&LIST_ACCOUNTS)).await.unwrap();
}

#[tokio::test]
async fn token_endpoint_rejection_is_an_auth_error_without_the_secret() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(
            json!({"error": "invalid_client", "error_description": format!("Bad credentials for {CLIENT_SECRET}")}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let error = client.send(Request::new(&LIST_ACCOUNTS)).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Auth {
                status: Some(401),
                ..
            }
        ),
        "{error:?}"
    );
    let text = format!("{error} {error:?}");
    assert!(text.contains("invalid_client"), "{text}");
    assert!(!text.contains(CLIENT_SECRET), "{text}");
}

#[tokio::test]
async fn experimental_operation_sends_the_header_when_enabled() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/v2024/workflows"))
        .and(header("x-sailpoint-experimental", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).experimental(true).build().unwrap();
    client.send(Request::new(&LIST_WORKFLOWS)).await.unwrap();
}

#[tokio::test]
async fn experimental_operation_fails_before_sending_when_disabled() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let error = client
        .send(Request::new(&LIST_WORKFLOWS))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::ExperimentalDisabled {
                operation: "listWorkflows",
                ..
            }
        ),
        "{error:?}"
    );
    let message = error.to_string();
    assert!(
        message.contains("listWorkflows") && message.contains("experimental(true)"),
        "{message}"
    );
    assert!(message.contains("/v2024/workflows"), "{message}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn non_experimental_operation_does_not_send_the_header() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).experimental(true).build().unwrap();
    client
        .send(Request::new(&LIST_ACCOUNTS))
        .await
        .unwrap()
        .empty()
        .unwrap();
    let requests = server.received_requests().await.unwrap();
    let api_request = requests
        .iter()
        .find(|r| r.url.path() == "/v3/accounts")
        .unwrap();
    assert!(api_request
        .headers
        .get("x-sailpoint-experimental")
        .is_none());
}

#[tokio::test]
async fn multipart_body_carries_the_file_part() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("POST"))
        .and(path("/beta/sources/src%201/load-accounts"))
        .respond_with(ResponseTemplate::new(202).set_body_json(json!({"id": "task-1"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let mut form = Multipart::new();
    form.file(
        "file",
        FilePart::new("accounts.csv", b"id,name\n1,alice\n".to_vec()).content_type("text/csv"),
    );
    form.text("disableOptimization", "true".to_owned());
    let mut request = Request::new(&IMPORT_ACCOUNTS);
    request.path_param("id", "src 1");
    request.multipart(form);
    let response = client.send(request).await.unwrap();
    assert_eq!(response.status(), 202);

    let requests = server.received_requests().await.unwrap();
    let upload = requests
        .iter()
        .find(|r| r.url.path().starts_with("/beta/"))
        .unwrap();
    let content_type = upload
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(
        content_type.starts_with("multipart/form-data; boundary="),
        "{content_type}"
    );
    let body = String::from_utf8_lossy(&upload.body);
    assert!(
        body.contains(r#"name="file"; filename="accounts.csv""#),
        "{body}"
    );
    assert!(body.contains("Content-Type: text/csv"), "{body}");
    assert!(body.contains("id,name\n1,alice\n"), "{body}");
    assert!(
        body.contains(r#"name="disableOptimization""#) && body.contains("\r\n\r\ntrue\r\n"),
        "{body}"
    );
}

#[tokio::test]
async fn multipart_body_is_rebuilt_for_a_retry() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("PUT"))
        .and(path("/beta/sources/s1/schema-file"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/beta/sources/s1/schema-file"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let mut form = Multipart::new();
    form.file("file", FilePart::new("schema.xml", b"<schema/>".to_vec()));
    let mut request = Request::new(&PUT_SOURCE_SCHEMA_FILE);
    request.path_param("id", "s1");
    request.multipart(form);
    client.send(request).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let uploads: Vec<_> = requests
        .iter()
        .filter(|r| r.method.as_str() == "PUT")
        .collect();
    assert_eq!(uploads.len(), 2);
    for upload in uploads {
        let body = String::from_utf8_lossy(&upload.body);
        assert!(
            body.contains(r#"filename="schema.xml""#) && body.contains("<schema/>"),
            "{body}"
        );
    }
}

#[tokio::test]
async fn json_patch_body_has_its_content_type() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    let patch = json!([{"op": "replace", "path": "/description", "value": "new"}]);
    Mock::given(method("PATCH"))
        .and(path("/v3/roles/r1"))
        .and(header("content-type", "application/json-patch+json"))
        .and(body_json(&patch))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "r1", "name": "Role"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let mut request = Request::new(&PATCH_ROLE);
    request.path_param("id", "r1");
    request.json_patch(&patch).unwrap();
    let role: Account = client.send(request).await.unwrap().json().unwrap();
    assert_eq!(role.id, "r1");
}

#[tokio::test]
async fn json_form_and_raw_bodies_are_sent_with_their_media_types() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("POST"))
        .and(path("/v3/transforms"))
        .and(header("content-type", "application/json"))
        .and(body_json(json!({"name": "t", "type": "lower"})))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/transforms"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string("a=1&b=x+y"))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/transforms"))
        .and(header("content-type", "text/csv"))
        .and(body_string("id\n1\n"))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();

    let mut request = Request::new(&CREATE_TRANSFORM);
    request
        .json(&json!({"name": "t", "type": "lower"}))
        .unwrap();
    assert_eq!(client.send(request).await.unwrap().status(), 201);

    let mut request = Request::new(&CREATE_TRANSFORM);
    request.form(vec![("a".into(), "1".into()), ("b".into(), "x y".into())]);
    assert_eq!(client.send(request).await.unwrap().status(), 201);

    let mut request = Request::new(&CREATE_TRANSFORM);
    request.bytes("text/csv", b"id\n1\n".to_vec());
    assert_eq!(client.send(request).await.unwrap().status(), 201);
}

#[tokio::test]
async fn path_and_query_parameters_are_encoded() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/v2024/identities/a%2Fb%3Fc%20d"))
        .and(query_param("filters", r#"name eq "Bob & Co""#))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "x", "name": "Bob"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let mut request = get_identity("a/b?c d");
    request.query("filters", r#"name eq "Bob & Co""#.to_owned());
    request.query("sorters", "name".to_owned());
    request.query("sorters", "-created".to_owned());
    client.send(request).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let sent = requests
        .iter()
        .find(|r| r.url.path().starts_with("/v2024"))
        .unwrap();
    let pairs: Vec<(String, String)> = sent
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    assert_eq!(
        pairs,
        vec![
            ("filters".to_owned(), r#"name eq "Bob & Co""#.to_owned()),
            ("sorters".to_owned(), "name".to_owned()),
            ("sorters".to_owned(), "-created".to_owned()),
        ]
    );
}

#[tokio::test]
async fn bad_path_parameters_fail_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();

    let error = client.send(Request::new(&GET_IDENTITY)).await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Encode {
                operation: "getIdentity",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("`id` was not set"), "{error}");

    let error = client.send(get_identity("..")).await.unwrap_err();
    assert!(
        error.to_string().contains("must not be empty, `.` or `..`"),
        "{error}"
    );
}

#[tokio::test]
async fn error_bodies_decode_into_the_typed_error() {
    let server = MockServer::start().await;
    // The 401 case refreshes the token once before giving up.
    mount_token_endpoint(&server, 749, 2).await;
    let cases: Vec<(u16, serde_json::Value)> = vec![
        (
            400,
            isc_error_body(
                "400.1 Bad Request Content",
                "trk-400",
                "The request was syntactically correct but its content is semantically invalid.",
            ),
        ),
        (
            403,
            isc_error_body(
                "403 Forbidden",
                "trk-403",
                "The server understood the request but refuses to authorize it.",
            ),
        ),
        (
            404,
            isc_error_body(
                "404 Not found",
                "trk-404",
                "The server did not find a current representation for the target resource.",
            ),
        ),
        (
            500,
            isc_error_body(
                "500.0 Internal Fault",
                "trk-500",
                "An internal fault occurred.",
            ),
        ),
        (
            401,
            json!({"error": "JWT validation failed: JWT is expired"}),
        ),
        (429, json!({"message": " Rate Limit Exceeded "})),
    ];
    for (status, body) in &cases {
        Mock::given(method("GET"))
            .and(path(format!("/v2024/identities/id-{status}")))
            .respond_with(ResponseTemplate::new(*status).set_body_json(body))
            .mount(&server)
            .await;
    }
    let client = builder(&server)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    for (status, body) in &cases {
        let error = client
            .send(get_identity(&format!("id-{status}")))
            .await
            .unwrap_err();
        let api = error.api().unwrap_or_else(|| panic!("{status}: {error:?}"));
        assert_eq!(api.operation, "getIdentity");
        assert_eq!(api.method.as_str(), "GET");
        assert_eq!(
            api.url,
            format!("{}/v2024/identities/id-{status}", server.uri())
        );
        assert_eq!(api.status, *status);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&api.raw_body).unwrap(),
            *body
        );
        let display = error.to_string();
        assert!(!display.contains('\n'), "one line: {display}");
        assert!(
            display.contains("getIdentity") && display.contains(&format!("HTTP {status}")),
            "{display}"
        );
        match (status, &api.body) {
            (401, ErrorBody::Unauthorized { error }) => {
                assert_eq!(error, "JWT validation failed: JWT is expired");
                assert_eq!(api.tracking_id, None);
            }
            (429, ErrorBody::RateLimited { message }) => {
                assert_eq!(message, " Rate Limit Exceeded ");
                assert!(display.contains("Rate Limit Exceeded"), "{display}");
            }
            (_, ErrorBody::Standard(dto)) => {
                assert_eq!(
                    dto.tracking_id.as_deref(),
                    Some(format!("trk-{status}").as_str())
                );
                assert_eq!(
                    api.tracking_id.as_deref(),
                    Some(format!("trk-{status}").as_str())
                );
                assert_eq!(dto.detail_code.as_deref(), body["detailCode"].as_str());
                assert_eq!(dto.messages.len(), 1);
                assert_eq!(dto.messages[0].locale.as_deref(), Some("en-US"));
                assert_eq!(dto.messages[0].locale_origin.as_deref(), Some("DEFAULT"));
                assert_eq!(
                    dto.messages[0].text.as_deref(),
                    body["messages"][0]["text"].as_str()
                );
                assert!(dto.causes.is_empty());
                assert!(display.contains(&format!("trk-{status}")), "{display}");
            }
            (status, other) => panic!("{status}: unexpected body {other:?}"),
        }
    }
}

#[tokio::test]
async fn unparseable_error_body_is_kept_raw() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("POST"))
        .and(path("/v3/transforms"))
        .respond_with(
            ResponseTemplate::new(502).set_body_string("<html>\n<body>Bad Gateway</body>\n</html>"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let error = client
        .send(Request::new(&CREATE_TRANSFORM))
        .await
        .unwrap_err();
    let api = error.api().unwrap();
    assert_eq!(api.body, ErrorBody::None);
    assert!(api.raw_body.contains("Bad Gateway"));
    let display = error.to_string();
    assert!(
        !display.contains('\n') && display.contains("Bad Gateway"),
        "{display}"
    );
}

#[tokio::test]
async fn rate_limit_is_retried_after_retry_after_seconds() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "1")
                .set_body_json(json!({"message": " Rate Limit Exceeded "})),
        )
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let started = Instant::now();
    client.send(Request::new(&LIST_ACCOUNTS)).await.unwrap();
    let elapsed = started.elapsed();
    assert!(
        elapsed >= Duration::from_millis(990),
        "waited only {elapsed:?}"
    );
    assert!(elapsed < Duration::from_secs(4), "waited {elapsed:?}");
}

#[tokio::test]
async fn rate_limit_is_retried_after_retry_after_http_date() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    // Two seconds ahead, truncated to whole seconds by the format: a wait in (1 s, 2 s].
    let date = http_date(SystemTime::now() + Duration::from_secs(2));
    Mock::given(method("POST"))
        .and(path("/v3/transforms"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", date.as_str()))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/transforms"))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    // 429 is retried even for POST: the server did not process the request.
    let client = builder(&server).build().unwrap();
    let started = Instant::now();
    assert_eq!(
        client
            .send(Request::new(&CREATE_TRANSFORM))
            .await
            .unwrap()
            .status(),
        201
    );
    let elapsed = started.elapsed();
    // With a 5 ms base backoff, an unparsed date would have retried almost at once.
    assert!(
        elapsed >= Duration::from_millis(900),
        "waited only {elapsed:?} for {date}"
    );
}

#[tokio::test]
async fn retry_after_longer_than_the_cap_returns_the_error_at_once() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("Retry-After", "120")
                .set_body_json(json!({"message": " Rate Limit Exceeded "})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let started = Instant::now();
    let error = client.send(Request::new(&LIST_ACCOUNTS)).await.unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    let api = error.api().unwrap();
    assert_eq!(api.status, 429);
    assert_eq!(api.retry_after, Some(Duration::from_secs(120)));
}

#[tokio::test]
async fn rate_limit_gives_up_after_max_retries() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .expect(3)
        .mount(&server)
        .await;
    let policy = RetryPolicy {
        max_retries: 2,
        ..fast_retries()
    };
    let client = builder(&server).retry_policy(policy).build().unwrap();
    let error = client.send(Request::new(&LIST_ACCOUNTS)).await.unwrap_err();
    assert_eq!(error.status(), Some(429));
}

#[tokio::test]
async fn service_unavailable_is_retried_for_get() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": "a", "name": "A"}])))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let accounts: Vec<Account> = client
        .send(Request::new(&LIST_ACCOUNTS))
        .await
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(accounts.len(), 1);
}

#[tokio::test]
async fn service_unavailable_is_not_retried_for_post() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("POST"))
        .and(path("/v3/transforms"))
        .respond_with(ResponseTemplate::new(503))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let error = client
        .send(Request::new(&CREATE_TRANSFORM))
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert_eq!(error.operation(), Some("createTransform"));
}

#[tokio::test]
async fn post_is_retried_when_the_policy_allows_it() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("POST"))
        .and(path("/v3/transforms"))
        .respond_with(ResponseTemplate::new(504))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/transforms"))
        .respond_with(ResponseTemplate::new(201))
        .expect(1)
        .mount(&server)
        .await;
    let policy = RetryPolicy {
        retry_non_idempotent: true,
        ..fast_retries()
    };
    let client = builder(&server).retry_policy(policy).build().unwrap();
    assert_eq!(
        client
            .send(Request::new(&CREATE_TRANSFORM))
            .await
            .unwrap()
            .status(),
        201
    );
}

#[tokio::test]
async fn refused_connections_are_retried_for_every_method() {
    // A port nobody listens on: every connection is refused, so nothing reached a server
    // and even a POST may be sent again.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let logs = LogBuffer::default();
    let _guard = logs.install();
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .access_token("static-tok")
        .retry_policy(RetryPolicy {
            max_retries: 2,
            ..fast_retries()
        })
        .build()
        .unwrap();

    for (op, retried) in [(&LIST_ACCOUNTS, 2), (&CREATE_TRANSFORM, 4)] {
        let error = client.send(Request::new(op)).await.unwrap_err();
        assert!(
            matches!(error, Error::Transport { operation, .. } if operation == op.id),
            "{error:?}"
        );
        assert!(!error.to_string().contains('\n'));
        assert_eq!(
            logs.contents()
                .matches("transient failure; retrying")
                .count(),
            retried,
            "{}",
            logs.contents()
        );
    }
}

#[tokio::test]
async fn dropped_connections_are_retried_only_for_requests_safe_to_repeat() {
    // The server reads each request and closes the connection without answering: the
    // request may have been processed, so only safe requests are sent again.
    let (base_url, accepted) = spawn_hang_up_server().await;
    let client = Client::builder()
        .base_url(base_url)
        .access_token("static-tok")
        .retry_policy(RetryPolicy {
            max_retries: 2,
            ..fast_retries()
        })
        .build()
        .unwrap();
    let mut per_call = Vec::new();
    let mut override_safe = Request::new(&CREATE_TRANSFORM);
    override_safe.retry_safety(RetrySafety::Safe);
    let mut override_policy = Request::new(&LIST_ACCOUNTS);
    override_policy.retry_policy(RetryPolicy::none());
    let requests = [
        Request::new(&LIST_ACCOUNTS),
        Request::new(&CREATE_TRANSFORM),
        Request::new(&SEARCH_POST),
        override_safe,
        override_policy,
    ];
    for request in requests {
        let before = accepted.load(Ordering::SeqCst);
        let error = client.send(request).await.unwrap_err();
        assert!(matches!(error, Error::Transport { .. }), "{error:?}");
        per_call.push(accepted.load(Ordering::SeqCst) - before);
    }
    assert_eq!(
        per_call,
        [3, 1, 3, 3, 1],
        "GET, POST, search (a safe POST), POST made safe per call, GET with no retries"
    );
}

/// A loopback server that reads a request head and hangs up; counts the requests.
async fn spawn_hang_up_server() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use tokio::io::AsyncReadExt;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let accepted = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            let mut buffer = [0u8; 4096];
            let _ = socket.read(&mut buffer).await;
            drop(socket);
        }
    });
    (base_url, accepted)
}

/// A server whose `GET /v3/accounts` answers after `delay_ms`, and a client whose timeout
/// is `timeout_ms`.
async fn slow_accounts(delay_ms: u64, timeout_ms: u64) -> (MockServer, Client) {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!([]))
                .set_delay(Duration::from_millis(delay_ms)),
        )
        .mount(&server)
        .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(timeout_ms))
        .build()
        .unwrap();
    (server, client)
}

#[tokio::test]
async fn timeout_yields_a_timeout_error_naming_the_operation() {
    let (_server, client) = slow_accounts(1500, 200).await;
    let started = Instant::now();
    let error = client.send(Request::new(&LIST_ACCOUNTS)).await.unwrap_err();
    assert!(
        started.elapsed() < Duration::from_millis(1000),
        "{:?}",
        started.elapsed()
    );
    assert!(error.is_timeout(), "{error:?}");
    assert!(matches!(
        error,
        Error::Timeout {
            operation: "listAccounts",
            ..
        }
    ));
    assert!(
        error.to_string().contains("listAccounts") && error.to_string().contains("200 ms"),
        "{error}"
    );
}

#[tokio::test]
async fn per_request_timeout_overrides_the_client_timeout() {
    let (_server, client) = slow_accounts(300, 100).await;
    let mut request = Request::new(&LIST_ACCOUNTS);
    request.timeout(Duration::from_secs(2));
    client.send(request).await.unwrap();
}

#[tokio::test]
async fn decode_error_names_the_operation_status_and_json_path() {
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Page {
        items: Vec<Item>,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Item {
        id: String,
        count: u32,
    }
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"items": [{"id": "1", "count": 3}, {"id": "2", "count": "many"}]}),
        ))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let error = client
        .send(Request::new(&LIST_ACCOUNTS))
        .await
        .unwrap()
        .json::<Page>()
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(decode.operation, "listAccounts");
    assert_eq!(decode.status, Some(200));
    assert_eq!(decode.path, "items[1].count");
    assert!(
        decode.excerpt.starts_with(r#"{"items":[{"#),
        "{}",
        decode.excerpt
    );
    let display = error.to_string();
    assert!(
        display.contains("listAccounts")
            && display.contains("items[1].count")
            && display.contains("HTTP 200"),
        "{display}"
    );
}

#[tokio::test]
async fn logs_debug_output_and_errors_never_contain_secrets_or_tokens() {
    let logs = LogBuffer::default();
    let _guard = logs.install();
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 2).await;
    // First call: 401 with tok-1 -> refresh -> 503 -> retry -> 200.
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": "JWT validation failed: JWT is expired"})),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v3/accounts"))
        .and(header("authorization", "Bearer tok-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([{"id": "a", "name": 5}])))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v3/transforms"))
        .respond_with(ResponseTemplate::new(400).set_body_json(isc_error_body(
            "400.1 Bad Request Content",
            "t-1",
            "bad",
        )))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let decode_error = client
        .send(Request::new(&LIST_ACCOUNTS))
        .await
        .unwrap()
        .json::<Vec<Account>>()
        .unwrap_err();
    let api_error = client
        .send(Request::new(&CREATE_TRANSFORM))
        .await
        .unwrap_err();
    let lenient: Option<u32> = {
        #[derive(Deserialize)]
        struct Probe {
            #[serde(default, deserialize_with = "sailpoint_isc_runtime::lenient::option")]
            n: Option<u32>,
        }
        serde_json::from_value::<Probe>(json!({"n": "x"}))
            .unwrap()
            .n
    };
    assert_eq!(lenient, None);

    let captured = logs.contents();
    assert!(
        captured.contains("fetching an OAuth access token"),
        "{captured}"
    );
    assert!(captured.contains("refreshing the token once"), "{captured}");
    assert!(
        captured.contains("transient failure; retrying"),
        "{captured}"
    );
    assert!(
        captured.contains("does not match the API spec"),
        "{captured}"
    );
    let everything = format!(
        "{captured}\n{client:?}\n{decode_error}\n{decode_error:?}\n{api_error}\n{api_error:?}\n{:?}",
        builder(&server).access_token("tok-static")
    );
    for secret in [CLIENT_SECRET, "tok-1", "tok-2", "tok-static", "Bearer"] {
        assert!(
            !everything.contains(secret),
            "`{secret}` leaked into:\n{everything}"
        );
    }
    assert!(everything.contains("<redacted>"));
}

/// IMF-fixdate for a test.
fn http_date(at: SystemTime) -> String {
    httpdate::fmt_http_date(at)
}

#[tokio::test]
async fn error_bodies_that_echo_the_token_or_the_secret_are_redacted() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    let echo = format!(
        "request headers: Authorization: Bearer tok-1; form: client_secret={CLIENT_SECRET}; raw tok-1"
    );
    Mock::given(method("POST"))
        .and(path("/v3/transforms"))
        .respond_with(ResponseTemplate::new(400).set_body_json(isc_error_body(
            "400.1 Bad Request Content",
            "t-echo",
            &echo,
        )))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let error = client
        .send(Request::new(&CREATE_TRANSFORM))
        .await
        .unwrap_err();
    let api = error.api().expect("an API error");
    let everything = format!("{error}\n{error:?}\n{}\n{:?}", api.raw_body, api.body);
    for secret in ["tok-1", CLIENT_SECRET] {
        assert!(!everything.contains(secret), "`{secret}` in:\n{everything}");
    }
    assert!(everything.contains("Bearer <redacted>"), "{everything}");
    assert_eq!(error.tracking_id(), Some("t-echo"), "the body still parses");
}

/// A generated-style model: decodes through `Fields`, like every generated struct.
#[derive(Debug, PartialEq)]
struct Profile {
    id: String,
    age: Option<i64>,
}

impl<'de> Deserialize<'de> for Profile {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut fields = sailpoint_isc_runtime::Fields::new(deserializer, "Profile")?;
        let value = Profile {
            id: fields.required("id")?,
            age: fields.optional("age")?,
        };
        fields.finish()?;
        Ok(value)
    }
}

#[tokio::test]
async fn strict_decoding_fails_where_lenient_decoding_drops_a_value() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 2).await;
    for (body, problem) in [
        (json!({"id": "p1", "age": "old"}), "`age`"),
        (
            json!({"id": "p1", "nickname": "x"}),
            "`nickname` is not a property of Profile",
        ),
    ] {
        server.reset().await;
        mount_token_endpoint(&server, 749, 2).await;
        Mock::given(method("GET"))
            .and(path("/v2024/identities/p1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(body.clone()))
            .mount(&server)
            .await;
        let lenient = builder(&server).build().unwrap();
        let profile: Profile = lenient
            .send(get_identity("p1"))
            .await
            .unwrap()
            .json()
            .unwrap();
        assert_eq!(profile.id, "p1", "lenient decoding keeps going on {body}");

        let strict = builder(&server).strict_decoding(true).build().unwrap();
        let error = strict
            .send(get_identity("p1"))
            .await
            .unwrap()
            .json::<Profile>()
            .unwrap_err();
        assert!(
            error.to_string().contains(problem),
            "strict decoding of {body} names the problem: {error}"
        );
    }
}
