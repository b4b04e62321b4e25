//! Which variant an untagged union picks, on the union fixture's generated crate: a variant
//! is a candidate only when the JSON satisfies it (types, required properties, nested
//! shapes, wrong-typed optional fields), one that needs no fallback for an unknown enum
//! value wins, and then the one that keeps the most of the JSON. Each rule with payloads
//! for each variant and near misses.

use fixture_client_unions::models::{
    CampaignEvent, CountOrLabel, DateFormat, MaybeIdentified, NamedFormat, Nothing, RuleValue,
    Scalar, Vehicle,
};
use serde_json::{json, Value};

fn decode<T: serde::de::DeserializeOwned>(value: Value) -> T {
    serde_json::from_value(value).expect("a union always decodes")
}

#[test]
fn an_open_enum_loses_to_a_variant_that_needs_no_fallback() {
    let pattern: DateFormat = decode(json!("MM/dd/yyyy"));
    assert_eq!(pattern, DateFormat::String("MM/dd/yyyy".into()));
    let named: DateFormat = decode(json!("ISO8601"));
    assert_eq!(named, DateFormat::NamedFormat(NamedFormat::Iso8601));
}

#[test]
fn a_nested_enum_value_picks_its_variant() {
    let generated: CampaignEvent = decode(json!({"campaign": {"id": "c1", "status": "STAGED"}}));
    assert!(
        matches!(generated, CampaignEvent::CampaignGenerated(_)),
        "{generated:?}"
    );
    let activated: CampaignEvent = decode(json!({"campaign": {"id": "c1", "status": "ACTIVE"}}));
    assert!(
        matches!(activated, CampaignEvent::CampaignActivated(_)),
        "{activated:?}"
    );
    // A status neither lists: both need their fallback; the first (spec order) is kept.
    let unknown: CampaignEvent = decode(json!({"campaign": {"id": "c1", "status": "PAUSED"}}));
    assert!(
        matches!(unknown, CampaignEvent::CampaignActivated(_)),
        "{unknown:?}"
    );
}

#[test]
fn numbers_stay_numbers_and_a_free_form_object_variant_takes_only_objects() {
    assert_eq!(decode::<RuleValue>(json!(42)), RuleValue::Number(42.0));
    assert_eq!(decode::<RuleValue>(json!(4.5)), RuleValue::Number(4.5));
    assert_eq!(
        decode::<RuleValue>(json!("x")),
        RuleValue::String("x".into())
    );
    assert_eq!(
        decode::<RuleValue>(json!({"a": 1})),
        RuleValue::Json(json!({"a": 1}))
    );
    // Nothing takes a boolean: it is kept in the catch-all, never in `Json`.
    assert_eq!(
        decode::<RuleValue>(json!(true)),
        RuleValue::Unknown(json!(true))
    );
}

#[test]
fn a_variant_missing_a_required_property_is_no_candidate() {
    let empty: MaybeIdentified = decode(json!({}));
    assert!(matches!(empty, MaybeIdentified::Anonymous(_)), "{empty:?}");
    let identified: MaybeIdentified = decode(json!({"id": "i1", "note": "n"}));
    assert!(
        matches!(identified, MaybeIdentified::Identified(_)),
        "{identified:?}"
    );
}

#[test]
fn a_wrong_typed_optional_field_disqualifies_a_variant() {
    let counted: CountOrLabel = decode(json!({"count": 3}));
    assert!(matches!(counted, CountOrLabel::Counted(_)), "{counted:?}");
    let labelled: CountOrLabel = decode(json!({"count": "three"}));
    assert!(
        matches!(labelled, CountOrLabel::Labelled(_)),
        "{labelled:?}"
    );
}

#[test]
fn untagged_scalars_pick_the_variant_of_their_kind() {
    assert_eq!(decode::<Scalar>(json!("s")), Scalar::String("s".into()));
    assert_eq!(decode::<Scalar>(json!(7)), Scalar::Integer(7));
    assert_eq!(
        decode::<Scalar>(json!(["a"])),
        Scalar::Array(vec!["a".into()])
    );
}

#[test]
fn when_no_variant_fits_strictly_lenient_decoding_still_finds_the_closest() {
    // `count` is neither an integer nor a string: no variant is a candidate; leniently
    // both decode (the field dropped), and the tie goes to the first.
    let odd: CountOrLabel = decode(json!({"count": [1]}));
    assert!(matches!(odd, CountOrLabel::Counted(_)), "{odd:?}");
}

/// A discriminator that has no value for inline members cannot dispatch on its property
/// (every payload would be the fallback): the members are told apart by their content.
#[test]
fn a_discriminator_without_values_for_inline_members_decodes_by_content() {
    let car: Vehicle = decode(json!({"kind": "car", "doors": 4}));
    assert!(matches!(car, Vehicle::VehicleVariant1(_)), "{car:?}");
    let bike: Vehicle = decode(json!({"kind": "bike", "gears": 21}));
    assert!(matches!(bike, Vehicle::VehicleVariant2(_)), "{bike:?}");
}

/// A union without members is free-form JSON.
#[test]
fn a_union_without_members_is_json() {
    let anything: Nothing = decode(json!({"a": [1, 2]}));
    assert_eq!(anything, json!({"a": [1, 2]}));
}
