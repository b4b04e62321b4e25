//! The operations fixture's generated crate on a loopback server: operations whose shape
//! the embedded specs do not have.

#[path = "../../sailpoint-isc-runtime/tests/common/mod.rs"]
mod common;

use fixture_client_operations::models::Thing;
use fixture_client_operations::Api;
use wiremock::matchers::{body_string, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// More required inputs than clippy's argument threshold: each argument reaches its
/// place in the request, in the order the spec declares them.
#[tokio::test]
async fn every_required_argument_reaches_its_place() {
    let server = MockServer::start().await;
    common::mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/ops/regions/eu/zones/z1/racks/r7/hosts/h9"))
        .and(query_param("slot", "3"))
        .and(query_param("shelf", "2"))
        .and(header("X-Tenant", "acme"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let api = Api::new(common::builder(&server).build().unwrap());
    api.things()
        .get_slot("eu", "z1", "r7", "h9", 3, 2, "acme")
        .send()
        .await
        .unwrap();
}

/// A URL-encoded form sends each field by its wire name; an object field goes as its
/// JSON text (the generator warns about that spelling).
#[tokio::test]
async fn a_form_body_encodes_each_field() {
    let server = MockServer::start().await;
    common::mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("POST"))
        .and(path("/ops/things/t-1/labels"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string(
            "label=urgent+now&meta=%7B%22id%22%3A%22t-2%22%7D",
        ))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let api = Api::new(common::builder(&server).build().unwrap());
    let meta = Thing {
        id: "t-2".into(),
        name: None,
    };
    api.things()
        .label_thing("t-1", "urgent now")
        .meta(meta)
        .send()
        .await
        .unwrap();
}

/// An operation whose only response is `default` returns that response's body.
#[tokio::test]
async fn a_lone_default_response_is_the_success_body() {
    let server = MockServer::start().await;
    common::mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/ops/things/t-1/status"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"id": "t-1", "name": "x"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let api = Api::new(common::builder(&server).build().unwrap());
    let thing: Thing = api.things().get_thing_status("t-1").send().await.unwrap();
    assert_eq!(thing.id, "t-1");
    assert_eq!(thing.name.as_deref(), Some("x"));
}
