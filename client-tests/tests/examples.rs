//! Runs the logic of each example in `examples/` against wiremock: argument parsing, the
//! client built from (fake) environment variables against the token endpoint, the
//! request(s) the example sends and the lines it prints.

#[path = "../../sailpoint-isc-runtime/tests/common/mod.rs"]
mod common;
#[path = "common/ops.rs"]
mod ops;

#[allow(dead_code)]
#[path = "../examples/list_identities.rs"]
mod list_identities;
#[allow(dead_code)]
#[path = "../examples/load_accounts.rs"]
mod load_accounts;
#[allow(dead_code)]
#[path = "../examples/process_identities.rs"]
mod process_identities;
#[allow(dead_code)]
#[path = "../examples/search.rs"]
mod search_example;

use common::{mount_token_endpoint, CLIENT_ID, CLIENT_SECRET};
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer};

fn args(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The environment the examples read, with client credentials only.
fn credentials_env(name: &str) -> Option<String> {
    match name {
        "SAIL_CLIENT_ID" => Some(CLIENT_ID.to_owned()),
        "SAIL_CLIENT_SECRET" => Some(CLIENT_SECRET.to_owned()),
        _ => None,
    }
}

fn lines(out: Vec<u8>) -> Vec<String> {
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn examples_reject_bad_arguments_and_missing_credentials() {
    assert!(process_identities::parse_args(&args(&["https://acme.example"])).is_err());
    assert!(process_identities::parse_args(&args(&["https://acme.example", " "])).is_err());
    let too_many: Vec<String> = std::iter::once("https://acme.example".to_owned())
        .chain((0..251).map(|i| format!("id-{i}")))
        .collect();
    assert!(process_identities::parse_args(&too_many)
        .err()
        .unwrap()
        .contains("at most 250"));
    assert!(list_identities::parse_args(&[]).is_err());
    assert!(list_identities::parse_args(&args(&["u", "f", "extra"])).is_err());
    assert!(load_accounts::parse_args(&args(&["u", "s"])).is_err());
    assert!(load_accounts::parse_args(&args(&["u", "s", "f.csv", "--fast"])).is_err());
    assert!(search_example::parse_args(&args(&["u"])).is_err());
    assert!(search_example::parse_args(&args(&["u", "q", "people"]))
        .err()
        .unwrap()
        .contains("unknown index"));

    let no_env = |_: &str| None;
    let error = process_identities::client_from_env("https://acme.example", no_env)
        .err()
        .unwrap();
    assert!(error.contains("SAIL_CLIENT_ID"), "{error}");
    let error = search_example::client_from_env("https://acme.example/v3", credentials_env)
        .err()
        .unwrap();
    assert!(error.contains("/v3"), "{error}");
    let token_only = |name: &str| (name == "SAIL_ACCESS_TOKEN").then(|| "tok".to_owned());
    assert!(list_identities::client_from_env("https://acme.example", token_only).is_ok());
}

#[tokio::test]
async fn process_identities_example_starts_processing() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    let example = ops::response_example("v2024/paths/identities-process.yaml", "post", 202);
    ops::mount(
        &server,
        "POST",
        "/v2024/identities/process",
        ops::json_response(202, &example),
    )
    .await;
    let parsed = process_identities::parse_args(&args(&[&server.uri(), "id-1", "id-2"])).unwrap();
    let client = process_identities::client_from_env(&parsed.base_url, credentials_env).unwrap();
    let mut out = Vec::new();
    process_identities::run(&client, &parsed, &mut out)
        .await
        .unwrap();

    assert_eq!(
        lines(out),
        ["processing 2 identities: task 9c1e4231-bc3f-46c1-a9b7-4022fe19f1be (TASK_RESULT)"]
    );
    let request = ops::only_api_request(&server).await;
    ops::assert_request(&request, "POST", "/v2024/identities/process", &[], true);
    ops::assert_json_body(&request, &json!({"identityIds": ["id-1", "id-2"]}));
}

#[tokio::test]
async fn process_identities_example_reports_an_api_error() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    ops::mount(
        &server,
        "POST",
        "/v2024/identities/process",
        wiremock::ResponseTemplate::new(403).set_body_raw(ops::SEED_403, "application/json"),
    )
    .await;
    let parsed = process_identities::parse_args(&args(&[&server.uri(), "id-1"])).unwrap();
    let client = process_identities::client_from_env(&parsed.base_url, credentials_env).unwrap();
    let mut out = Vec::new();
    let error = process_identities::run(&client, &parsed, &mut out)
        .await
        .unwrap_err()
        .to_string();
    assert!(out.is_empty());
    for part in [
        "startIdentityProcessing",
        "HTTP 403",
        "b21b1f7ce4da4d639f2c62a57171b427",
        "403 Forbidden: The server understood the request but refuses to authorize it.",
    ] {
        assert!(error.contains(part), "{part:?} missing in {error}");
    }
}

#[tokio::test]
async fn list_identities_example_prints_every_page() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    let example = ops::response_example("v2024/paths/identities.yaml", "get", 200);
    let identities: Vec<Value> = (0..list_identities::PAGE_SIZE as usize + 3)
        .map(|i| {
            let mut identity = example[i % 2].clone();
            identity["id"] = json!(format!("id-{i:03}"));
            identity
        })
        .collect();
    Mock::given(method("GET"))
        .and(path("/v2024/identities"))
        .respond_with(ops::OffsetList { items: identities })
        .expect(2)
        .mount(&server)
        .await;
    let parsed = list_identities::parse_args(&args(&[&server.uri(), "email sw \"jo\""])).unwrap();
    let client = list_identities::client_from_env(&parsed.base_url, credentials_env).unwrap();
    let mut out = Vec::new();
    list_identities::run(&client, &parsed, &mut out)
        .await
        .unwrap();

    let printed = lines(out);
    assert_eq!(printed.len(), 254);
    assert_eq!(printed[0], "id-000\tJonas Berg\tACTIVE\tactive");
    assert_eq!(printed[252], "id-252\tJonas Berg\tACTIVE\tactive");
    assert_eq!(printed[1], "id-001\tPriya Natarajan\tUNREGISTERED\tprehire");
    assert_eq!(printed[253], "253 identities");
    let requests = ops::api_requests(&server).await;
    let offsets: Vec<String> = requests
        .iter()
        .map(|r| {
            let query = ops::query_pairs(r);
            assert!(query.contains(&("filters".into(), "email sw \"jo\"".into())));
            assert!(query.contains(&("defaultFilter".into(), "NONE".into())));
            assert!(query.contains(&("limit".into(), "250".into())));
            query.iter().find(|(k, _)| k == "offset").unwrap().1.clone()
        })
        .collect();
    assert_eq!(offsets, ["0", "250"]);
}

#[tokio::test]
async fn load_accounts_example_uploads_the_file() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    let example = ops::response_example("v2024/paths/load-accounts.yaml", "post", 202);
    ops::mount(
        &server,
        "POST",
        "/v2024/sources/src-1/load-accounts",
        ops::json_response(202, &example),
    )
    .await;
    let csv = b"id,name\njberg,Jonas Berg\n";
    let file = std::env::temp_dir().join(format!(
        "sailpoint-isc-example-{}-{:?}.csv",
        std::process::id(),
        std::thread::current().id()
    ));
    std::fs::write(&file, csv).unwrap();
    let parsed = load_accounts::parse_args(&args(&[
        &server.uri(),
        "--disable-optimization",
        "src-1",
        file.to_str().unwrap(),
    ]))
    .unwrap();
    let client = load_accounts::client_from_env(&parsed.base_url, credentials_env).unwrap();
    let mut out = Vec::new();
    let result = load_accounts::run(&client, &parsed, &mut out).await;
    std::fs::remove_file(&file).unwrap();
    result.unwrap();

    let printed = lines(out);
    assert_eq!(
        printed[1],
        "task db9ab6543b2e10510be81096745358ea (Cloud Account Aggregation): Initializing..."
    );
    assert_eq!(printed[2], "created 2024-03-06T11:02:17.2Z");
    assert_eq!(
        printed[3],
        "returns total (TASK_OUT_ACCOUNT_AGGREGATION_TOTAL)"
    );
    assert_eq!(printed.len(), 8);
    let parts = ops::multipart_parts(&ops::only_api_request(&server).await);
    let file_name = file.file_name().unwrap().to_str().unwrap();
    assert_eq!(
        parts,
        [
            ops::FormPart {
                name: "file".into(),
                filename: Some(file_name.into()),
                content_type: Some("text/csv".into()),
                data: csv.to_vec(),
            },
            ops::FormPart {
                name: "disableOptimization".into(),
                filename: None,
                content_type: None,
                data: b"true".to_vec(),
            },
        ]
    );

    // A missing file is reported with its path, before anything is sent.
    let missing =
        load_accounts::parse_args(&args(&[&server.uri(), "src-1", "/nonexistent/a.csv"])).unwrap();
    let error = load_accounts::run(&client, &missing, &mut Vec::new())
        .await
        .unwrap_err()
        .to_string();
    assert!(error.contains("cannot read /nonexistent/a.csv"), "{error}");
    assert_eq!(ops::api_requests(&server).await.len(), 1);
}

#[tokio::test]
async fn search_example_pages_with_search_after_and_prints_kind_and_name() {
    let server = MockServer::start().await;
    mount_token_endpoint(&server, 749, 1).await;
    let kinds = [
        "accessProfiles",
        "accountActivities",
        "entitlements",
        "events",
        "identities",
        "roles",
    ];
    let mut docs: Vec<Value> = Vec::new();
    for name in kinds {
        let Value::Array(items) = ops::spec(
            &format!("v3/schemas/search/documents/examples/{name}.yaml"),
            "/value",
        ) else {
            panic!()
        };
        docs.extend(items);
    }
    // Enough documents for two pages of 250, sorted by id.
    let identity = docs[4].clone();
    for i in 0..300 {
        let mut twin = identity.clone();
        twin["id"] = json!(format!("ffff{i:04}"));
        twin["name"] = json!(format!("user.{i:04}"));
        docs.push(twin);
    }
    Mock::given(method("POST"))
        .and(path("/v3/search"))
        .respond_with(ops::SearchAfterEndpoint { docs })
        .expect(2)
        .mount(&server)
        .await;
    let parsed = search_example::parse_args(&args(&[&server.uri(), "*"])).unwrap();
    let client = search_example::client_from_env(&parsed.base_url, credentials_env).unwrap();
    let mut out = Vec::new();
    search_example::run(&client, &parsed, &mut out)
        .await
        .unwrap();

    let printed = lines(out);
    assert_eq!(printed.len(), 308);
    assert_eq!(printed[307], "307 documents");
    let mut expected_first = vec![
        "accessprofile\t46fb3e8531179fb8b491e6a1ba286bd0\tFinance Reporting",
        "accountactivity\taf0f9b26534f03535afa83de92248eab\tAccess Request",
        "entitlement\tf6f479a00bc10af97cc8fc335fdedc0b\tFIN_LEDGER_READ",
        "event\t92f9f927-5b61-445c-a93f-841066a3b272\tProcess Access Request Passed",
        "identity\t411e2e72c2a0affa45467a1810dd3427\tjonas.berg",
        "identity\tc8591a732ce79adefb0956aff507bf00\tpriya.natarajan",
        "role\tf48ceeab4e1aaafb2f67646754cf2f3c\tFinance Analyst",
    ];
    expected_first.sort_by_key(|line| line.split('\t').nth(1).unwrap().to_owned());
    assert_eq!(&printed[..7], expected_first.as_slice());
    assert_eq!(printed[7], "identity\tffff0000\tuser.0000");
    assert_eq!(printed[306], "identity\tffff0299\tuser.0299");
    let bodies: Vec<Value> = ops::api_requests(&server)
        .await
        .iter()
        .map(|r| r.body_json().unwrap())
        .collect();
    assert_eq!(bodies[0]["sort"], json!(["id"]));
    assert_eq!(bodies[0]["indices"], json!(["*"]));
    assert_eq!(bodies[0].get("searchAfter"), None);
    assert_eq!(bodies[1]["searchAfter"], json!(["ffff0242"]));
}
