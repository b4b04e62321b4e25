//! Behaviour of the model on the focused fixtures: how unions are tagged, what is boxed,
//! how names are chosen, which defects become warnings.

mod common;

use generator::model::{Api, ParamLocation, ResponseBody, Success, TypeKind, TypeRef};

fn fixture(version: &str) -> Api {
    let mut apis = generator::build_models(&common::fixtures("constructs"), &[version.to_owned()])
        .expect("fixture builds");
    apis.remove(0)
}

fn union_tags(api: &Api, name: &str) -> (Option<String>, Vec<(String, Vec<String>)>) {
    match &api.types[name].kind {
        TypeKind::Union(u) => (
            u.tag.clone(),
            u.variants
                .iter()
                .map(|v| (v.rust_name.clone(), v.tag_values.clone()))
                .collect(),
        ),
        other => panic!("{name} is not a union: {other:?}"),
    }
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn unions_pick_the_best_tag() {
    let api = fixture("unions");
    let (tag, variants) = union_tags(&api, "Pet");
    assert_eq!(tag.as_deref(), Some("petType"));
    assert_eq!(
        variants,
        [
            ("Cat".into(), strings(&["cat", "kitten"])),
            ("Dog".into(), strings(&["dog"]))
        ]
    );

    let (tag, variants) = union_tags(&api, "PetByName");
    assert_eq!(tag.as_deref(), Some("petType"));
    assert_eq!(
        variants,
        [
            ("Cat".into(), strings(&["Cat"])),
            ("Dog".into(), strings(&["Dog"]))
        ]
    );

    let (tag, variants) = union_tags(&api, "Shape");
    assert_eq!(tag.as_deref(), Some("shape"));
    assert_eq!(variants[1], ("Square".into(), strings(&["square", "box"])));

    let (tag, variants) = union_tags(&api, "AnyDocument");
    assert_eq!(tag.as_deref(), Some("_type"));
    assert_eq!(
        variants,
        [
            ("AlphaDocument".into(), strings(&["alpha"])),
            ("BetaDocument".into(), strings(&["beta"]))
        ]
    );

    let (tag, variants) = union_tags(&api, "Scalar");
    assert_eq!(tag, None);
    let names: Vec<&str> = variants.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["String", "Integer", "Array", "ScalarKeyValue"]);

    // A discriminator with no value for an inline member gives way to the members' own
    // `kind` enums, with a warning at the member; a union of nothing is free-form JSON.
    let (tag, variants) = union_tags(&api, "Vehicle");
    assert_eq!(tag.as_deref(), Some("kind"));
    assert_eq!(variants[0].1, strings(&["car"]));
    assert_eq!(variants[1].1, strings(&["bike"]));
    assert!(api.warnings.iter().any(|w| {
        w.at.pointer == "/components/schemas/Vehicle/oneOf/0"
            && w.message.contains("told apart by their content")
    }));
    assert!(matches!(
        &api.types["Nothing"].kind,
        TypeKind::Alias(TypeRef::Json)
    ));
    // `allOf: [$ref Vehicle, {...}]` is `Vehicle`: no second union of its members.
    assert_eq!(
        api.types["GarageRide"].kind,
        TypeKind::Alias(TypeRef::Named("Vehicle".into()))
    );
    let unions = api
        .types
        .values()
        .filter(|t| matches!(t.kind, TypeKind::Union(_)))
        .count();
    assert_eq!(unions, 11, "one union per oneOf: {:?}", api.types.keys());
    assert!(api.warnings.iter().any(|w| {
        w.at.pointer == "/components/schemas/Nothing" && w.message.contains("no members")
    }));
}

#[test]
fn recursion_is_boxed_only_where_needed() {
    let api = fixture("recursive");
    let TypeKind::Struct(tree) = &api.types["TreeNode"].kind else {
        panic!("TreeNode")
    };
    let boxed: Vec<(&str, bool)> = tree
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.boxed))
        .collect();
    assert_eq!(
        boxed,
        [("name", false), ("parent", true), ("children", false)]
    );
    let TypeKind::Struct(ping) = &api.types["Ping"].kind else {
        panic!("Ping")
    };
    assert!(ping.fields[0].boxed, "Ping.pong leads back to Ping");
    assert!(
        !api.types["Ping"].default,
        "a required recursive field cannot default"
    );
    let TypeKind::Union(expr) = &api.types["Expression"].kind else {
        panic!("Expression")
    };
    assert!(expr.variants.iter().any(|v| v.boxed));
}

#[test]
fn names_are_idiomatic_and_unique() {
    let api = fixture("structs");
    let TypeKind::Struct(widget) = &api.types["Widget"].kind else {
        panic!("Widget")
    };
    let names: Vec<(&str, &str)> = widget
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.rust_name.as_str()))
        .collect();
    for expected in [
        ("type", "type"),
        ("_type", "type_"),
        ("self", "self_"),
        ("1stPlace", "n1st_place"),
        ("fooBar", "foo_bar"),
        ("foo_bar", "foo_bar_2"),
    ] {
        assert!(
            names.contains(&expected),
            "{expected:?} missing from {names:?}"
        );
    }
    assert!(
        api.types.contains_key("ResultModel"),
        "prelude names are suffixed"
    );
    assert!(api.types.contains_key("Move"));
    let stamp = widget
        .fields
        .iter()
        .find(|f| f.name == "stamp")
        .expect("stamp");
    assert!(!stamp.required, "a required readOnly property is optional");
    let created = widget
        .fields
        .iter()
        .find(|f| f.name == "created")
        .map(|f| &f.ty);
    assert_eq!(created, Some(&TypeRef::DateTime));
    let labels = widget
        .fields
        .iter()
        .find(|f| f.name == "labels")
        .map(|f| &f.ty);
    assert_eq!(labels, Some(&TypeRef::Map(Box::new(TypeRef::String))));
    let extra = widget
        .fields
        .iter()
        .find(|f| f.name == "extra")
        .map(|f| &f.ty);
    assert_eq!(extra, Some(&TypeRef::Json));
}

/// Names that compile but fail clippy's default lints under `-D warnings` are not
/// taken: an operation `new` or `cmp`, a setter named like an operator's method. A name
/// that clippy accepts in its place (`next` on a setter) stays, and no module is named
/// like the one holding it. Every renamed setter is reported, and a parameter declared
/// twice is one setter.
#[test]
fn names_clippy_flags_are_not_taken() {
    let api = fixture("names");
    let operations: Vec<_> = api.tags.iter().flat_map(|t| &t.operations).collect();
    let method = |id: &str| {
        operations
            .iter()
            .find(|op| op.id == id)
            .map(|op| op.fn_name.clone())
    };
    assert_eq!(method("new").as_deref(), Some("new_2"));
    assert_eq!(method("cmp").as_deref(), Some("cmp_2"));
    let things = operations
        .iter()
        .find(|op| op.id == "thingsApi")
        .expect("thingsApi");
    let setter = |name: &str| {
        things
            .params
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.rust_name.as_str())
    };
    assert_eq!(setter("add"), Some("add_2"));
    assert_eq!(setter("sub"), Some("sub_2"));
    assert_eq!(setter("next"), Some("next"));
    let traces: Vec<_> = things
        .params
        .iter()
        .filter(|p| p.name == "X-Trace")
        .collect();
    assert_eq!(
        traces.len(),
        1,
        "a header declared twice (any case) is one setter"
    );
    for renamed in [
        "`new`",
        "`cmp`",
        "setter `add` is already taken",
        "setter `sub` is already taken",
        "header parameter `x-trace` is declared twice",
    ] {
        assert!(
            api.warnings.iter().any(|w| w.message.contains(renamed)),
            "no warning names {renamed}: {:#?}",
            api.warnings
        );
    }
}

#[test]
fn enums_keep_unknown_values_and_report_defects() {
    let api = fixture("enums");
    let TypeKind::Enum(odd) = &api.types["Oddities"].kind else {
        panic!("Oddities")
    };
    let names: Vec<&str> = odd.variants.iter().map(|v| v.rust_name.as_str()).collect();
    assert_eq!(
        names,
        ["Empty", "Star", "AB", "AB2", "V2fa", "Unknown", "Success"]
    );
    assert_eq!(odd.fallback, "Other", "a value took `Unknown`");
    assert!(api
        .warnings
        .iter()
        .any(|w| w.message.contains("`SUCCESS` is listed twice")));
    let TypeKind::Enum(mixed) = &api.types["MixedTypes"].kind else {
        panic!("MixedTypes")
    };
    let values: Vec<&str> = mixed.variants.iter().map(|v| v.value.as_str()).collect();
    assert_eq!(values, ["yes", "true", "false"]);
    assert!(api
        .warnings
        .iter()
        .any(|w| w.message.contains("mixes value types")));
    let inline: Vec<_> = api
        .warnings
        .iter()
        .filter(|w| w.at.pointer.ends_with("/Holder/properties/switch"))
        .collect();
    assert_eq!(
        inline.len(),
        1,
        "the inline enum's defect once: {inline:#?}"
    );
}

#[test]
fn all_of_merges_members_in_order() {
    let api = fixture("allof");
    let TypeKind::Struct(merged) = &api.types["Merged"].kind else {
        panic!("Merged")
    };
    let fields: Vec<(&str, bool)> = merged
        .fields
        .iter()
        .map(|f| (f.name.as_str(), f.required))
        .collect();
    assert_eq!(
        fields,
        [
            ("id", true),
            ("name", false),
            ("display", false),
            ("size", true)
        ]
    );
    let TypeKind::Struct(nested) = &api.types["Nested"].kind else {
        panic!("Nested")
    };
    assert_eq!(nested.fields.len(), 5);
    let TypeKind::Struct(wrapper) = &api.types["Wrapper"].kind else {
        panic!("Wrapper")
    };
    assert_eq!(wrapper.fields[0].ty, TypeRef::Named("Base".into()));
    assert!(wrapper.fields[1].nullable);
}

/// `allOf: [$ref, {description, nullable}]`: members that only annotate shape nothing, so
/// the reference's own type is used (an enum stays the enum, not an empty struct), with
/// the annotations' `nullable` and description.
#[test]
fn all_of_annotation_members_attach_to_the_reference() {
    let api = fixture("allof");
    let TypeKind::Struct(wrapper) = &api.types["Wrapper"].kind else {
        panic!("Wrapper")
    };
    let field = |name: &str| {
        wrapper
            .fields
            .iter()
            .find(|f| f.name == name)
            .unwrap_or_else(|| panic!("field {name}"))
    };
    let annotated = field("annotatedEnum");
    assert_eq!(annotated.ty, TypeRef::Named("Color".into()));
    assert_eq!(
        annotated.doc.as_deref(),
        Some("The description sits in a member of its own.")
    );
    let nullable = field("annotatedNullableRef");
    assert_eq!(nullable.ty, TypeRef::Named("Base".into()));
    assert!(nullable.nullable);
    assert_eq!(field("onlyAnnotations").ty, TypeRef::Json);
    assert_eq!(
        api.types["ColorAlias"].kind,
        TypeKind::Alias(TypeRef::Named("Color".into()))
    );
    assert_eq!(
        api.types.len(),
        7,
        "no type hoisted for an annotated reference"
    );
}

#[test]
fn operations_cover_every_shape() {
    let api = fixture("operations");
    let ops: Vec<_> = api.tags.iter().flat_map(|t| t.operations.iter()).collect();
    let find = |id: &str| {
        ops.iter()
            .find(|o| o.id == id)
            .copied()
            .unwrap_or_else(|| panic!("{id}"))
    };

    let list = find("listThings");
    let paging = list.pagination.as_ref().expect("listThings paginates");
    assert_eq!(paging.default_page_size, 250);
    assert_eq!(paging.count_field.as_deref(), Some("count"));
    let ids = list.params.iter().find(|p| p.name == "ids").expect("ids");
    assert!(!ids.explode);

    let delete = find("deleteThing");
    assert_eq!(delete.success, Success::Empty);
    let path_param = delete
        .params
        .iter()
        .find(|p| p.location == ParamLocation::Path)
        .expect("path");
    assert_eq!(
        (path_param.name.as_str(), path_param.rust_name.as_str()),
        ("thingId", "id")
    );
    assert!(api
        .warnings
        .iter()
        .any(|w| w.message.contains("`{thingId}` has no parameter")));

    let upload = find("uploadThing");
    assert!(upload.experimental);
    assert!(upload
        .params
        .iter()
        .all(|p| p.location != ParamLocation::Header));

    // An object field is JSON text: OpenAPI's default in multipart, a deviation in a
    // URL-encoded form, which is reported.
    let json_text = |field: &str| {
        api.warnings.iter().any(|w| {
            w.at.pointer.ends_with(&format!("/properties/{field}"))
                && w.message.contains("not a scalar")
        })
    };
    assert!(json_text("meta"), "{:#?}", api.warnings);
    assert!(!json_text("options"), "{:#?}", api.warnings);

    assert_eq!(
        find("getThingStatus").success,
        Success::Single(ResponseBody::Json(TypeRef::Named("Thing".into()))),
        "a lone `default` response is the success body"
    );

    assert!(matches!(
        find("patchThing").success,
        Success::ByStatus { .. }
    ));
    assert!(matches!(
        find("exportThing").success,
        Success::ByStatus { .. }
    ));
    assert!(find("findThings").search_after.is_some());
    assert!(find("listThings").search_after.is_none());
    assert_eq!(find("move").fn_name, "move");
    assert!(
        api.tags.iter().any(|t| t.name == "Other"),
        "untagged operations"
    );

    // Warnings raised by the model name the line too (through the pipeline's build_models).
    let template = api
        .warnings
        .iter()
        .find(|w| w.message.contains("`{thingId}` has no parameter"))
        .expect("template warning");
    assert_eq!(template.at.line, Some(62), "{template}"); // the `delete:` line
}

#[test]
fn one_type_per_inline_shape_and_concept() {
    let api = fixture("inline");
    let field_type = |type_name: &str, field: &str| -> String {
        let TypeKind::Struct(s) = &api.types[type_name].kind else {
            panic!("{type_name} is not a struct");
        };
        let field = s.fields.iter().find(|f| f.name == field).expect("field");
        format!("{:?}", field.ty)
    };
    // The owners of two documents are one type, named after what their names share; the
    // document merged through allOf reuses its member's types instead of copying them.
    assert_eq!(
        field_type("RoleDocument", "owner"),
        "Named(\"DocumentOwner\")"
    );
    assert_eq!(
        field_type("AppDocument", "owner"),
        "Named(\"DocumentOwner\")"
    );
    assert_eq!(
        field_type("ExtendedRoleDocument", "owner"),
        "Named(\"DocumentOwner\")"
    );
    assert_eq!(
        field_type("ExtendedRoleDocument", "source"),
        field_type("RoleDocument", "source")
    );
    // The same shape as another concept (a source, not an owner) stays a type of its own,
    // and so does the component with that shape.
    assert_ne!(
        field_type("RoleDocument", "source"),
        "Named(\"DocumentOwner\")"
    );
    assert!(api.types.contains_key("Reference"));
    assert!(
        !api.types.contains_key("RoleDocumentOwner")
            && !api.types.contains_key("ExtendedRoleDocumentOwner"),
        "merged types are gone: {:?}",
        api.types.keys().collect::<Vec<_>>()
    );
}

/// A version named `new` would be a facade method `new(&self)` that clippy expects to
/// return `Self`: its module takes another name, with a warning.
#[test]
fn a_version_named_new_gets_another_module() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("sailpoint-api.new.yaml"),
        "openapi: 3.0.1\ninfo: {title: New, version: new}\npaths: {}\n",
    )
    .expect("write");
    let apis = generator::build_models(dir.path(), &[]).expect("builds");
    assert_eq!(apis[0].module, "new_2");
    assert!(
        apis[0]
            .warnings
            .iter()
            .any(|w| w.message.contains("`new` is already taken")),
        "{:#?}",
        apis[0].warnings
    );
}
