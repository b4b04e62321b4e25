//! The resources layout's crates (generated from `generator/tests/fixtures/resources`):
//! a type written under `shared/` is one Rust type, whichever resource module names it,
//! and resource operations call their own versioned paths (`/accounts/v1`) on the tenant.

#[path = "../../sailpoint-isc-runtime/tests/common/mod.rs"]
mod common;

use fixture_resources::shared::models::{Reference, ReferenceType};
use fixture_resources::{accounts, identities, Client};
use serde_json::json;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn a_shared_type_is_the_same_rust_type_in_every_resource() {
    let owner = Reference {
        r#type: ReferenceType::Identity,
        id: "id-1".into(),
        name: None,
    };
    // Each resource re-exports the shared type under its own name (`identities` has a
    // `Reference` of its own); the assignments compile only if all are one type.
    let through_accounts: accounts::models::Reference = owner.clone();
    let through_identities: identities::models::ReferenceShared = through_accounts;
    let account = accounts::models::Account {
        id: "a-1".into(),
        owner: Some(through_identities),
        ..Default::default()
    };
    // A value read through one resource goes straight into another's request type.
    let identity = identities::models::Identity {
        manager: account.owner.clone(),
        ..Default::default()
    };
    assert_eq!(identity.manager, Some(owner));
}

#[tokio::test]
async fn a_resource_operation_calls_its_versioned_path_and_decodes_shared_types() {
    let server = MockServer::start().await;
    common::mount_token_endpoint(&server, 749, 1).await;
    Mock::given(method("GET"))
        .and(path("/accounts/v1"))
        .and(query_param("limit", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {
                "id": "a-1",
                "created": "2026-01-02T03:04:05Z",
                "origin": {"system": "hr", "actor": {"type": "SOURCE", "id": "s-1"}},
                "owner": {"type": "IDENTITY", "id": "i-1", "name": "Ada"}
            }
        ])))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::from(common::builder(&server).build().unwrap());
    let accounts = client
        .accounts()
        .accounts()
        .list_accounts_v1()
        .limit(2)
        .send()
        .await
        .unwrap();
    assert_eq!(accounts.len(), 1);
    let account = &accounts[0];
    let owner: &Reference = account.owner.as_ref().unwrap();
    assert_eq!(owner.r#type, ReferenceType::Identity);
    let actor = account.origin.as_ref().and_then(|o| o.actor.as_ref());
    assert_eq!(actor.map(|a| a.id.as_str()), Some("s-1"));
}
