//! The operations fixture's generated crate on a loopback server: operations whose shape
//! the embedded specs do not have.

#[path = "../../sailpoint-isc-runtime/tests/common/mod.rs"]
mod common;

use fixture_client_operations::Api;
use wiremock::matchers::{header, method, path, query_param};
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
