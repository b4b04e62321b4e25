//! Decoding the fixtures' generated models: shapes a faithful type must keep.

use fixture_client_structs::models::{MaybeNote, Notebook, OpenOwner};
use serde_json::json;

#[test]
fn a_null_item_or_map_value_keeps_the_rest_of_the_list() {
    let notebook: Notebook = serde_json::from_value(json!({
        "notes": [{"text": "a"}, null, {"text": "c"}],
        "tags": ["x", null],
        "byName": {"first": {"text": "a"}, "gone": null}
    }))
    .expect("decodes");
    let note = |text: &str| {
        Some(MaybeNote {
            text: Some(text.to_owned()),
        })
    };
    assert_eq!(notebook.notes, Some(vec![note("a"), None, note("c")]));
    assert_eq!(notebook.tags, Some(vec![Some("x".to_owned()), None]));
    let by_name = notebook.by_name.expect("the map is kept");
    assert_eq!(by_name["first"], note("a"));
    assert_eq!(by_name["gone"], None);
    assert_eq!(
        serde_json::to_value(&by_name).expect("encodes"),
        json!({"first": {"text": "a"}, "gone": null})
    );
}

#[test]
fn an_open_object_keeps_the_keys_it_does_not_declare() {
    let body = json!({
        "name": "ada",
        "team": {"id": 7},
        "since": "2020",
        "additional_properties": "declared"
    });
    let owner: OpenOwner = serde_json::from_value(body.clone()).expect("decodes");
    assert_eq!(owner.name.as_deref(), Some("ada"));
    // A property declared under the map's own Rust name is a field of its own.
    assert_eq!(owner.additional_properties_2.as_deref(), Some("declared"));
    assert!(!owner
        .additional_properties
        .contains_key("additional_properties"));
    assert_eq!(owner.additional_properties["team"], json!({"id": 7}));
    assert_eq!(serde_json::to_value(&owner).expect("encodes"), body);
}
