//! Tests of the load stage: a multi-file fixture spec that uses every reference pattern
//! we support, one fixture per refused input, and (when present) the real upstream specs.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

mod common;

use generator::load::{discover, discover_versions, load_version, Layout, LoadError, LoadedSpec};
use openapiv3::{ReferenceOr, Schema, SchemaKind, StatusCode, Type};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/load")
        .join(name)
}

fn load_good() -> LoadedSpec {
    match load_version(&fixture("good"), "alpha") {
        Ok(spec) => spec,
        Err(e) => panic!("fixture should load: {e}"),
    }
}

/// Every `$ref` string in the document, via its JSON form.
fn all_refs(spec: &LoadedSpec) -> Vec<String> {
    fn walk(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        ("$ref", Value::String(s)) => out.push(s.clone()),
                        _ => walk(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let json = serde_json::to_value(&spec.openapi).expect("OpenAPI serializes");
    let mut out = Vec::new();
    walk(&json, &mut out);
    out
}

fn schema_names(spec: &LoadedSpec) -> Vec<String> {
    spec.openapi
        .components
        .as_ref()
        .map(|c| c.schemas.keys().cloned().collect())
        .unwrap_or_default()
}

/// Asserts the only refs left are schema refs with a components entry.
fn assert_only_resolvable_schema_refs(spec: &LoadedSpec) {
    let names: BTreeSet<String> = schema_names(spec).into_iter().collect();
    for r in all_refs(spec) {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{}: non-schema ref left: {r}", spec.version));
        assert!(
            names.contains(name),
            "{}: dangling schema ref {r}",
            spec.version
        );
    }
}

fn schema<'a>(spec: &'a LoadedSpec, name: &str) -> &'a Schema {
    let components = spec.openapi.components.as_ref().expect("components");
    match components.schemas.get(name) {
        Some(ReferenceOr::Item(s)) => s,
        other => panic!("schema {name}: {other:?}"),
    }
}

fn property<'a>(s: &'a Schema, prop: &str) -> &'a ReferenceOr<Box<Schema>> {
    match &s.schema_kind {
        SchemaKind::Type(Type::Object(o)) => o.properties.get(prop).expect("property"),
        other => panic!("not an object: {other:?}"),
    }
}

fn ref_of<T>(r: &ReferenceOr<T>) -> &str {
    match r {
        ReferenceOr::Reference { reference } => reference,
        ReferenceOr::Item(_) => panic!("expected a reference"),
    }
}

fn item<T>(r: &ReferenceOr<T>) -> &T {
    match r {
        ReferenceOr::Item(t) => t,
        ReferenceOr::Reference { reference } => panic!("expected an item, got $ref {reference}"),
    }
}

fn operation<'a>(spec: &'a LoadedSpec, path: &str, method: &str) -> &'a openapiv3::Operation {
    let item = item(spec.openapi.paths.paths.get(path).expect("path"));
    item.iter()
        .find(|(m, _)| *m == method)
        .map(|(_, op)| op)
        .expect("operation")
}

#[test]
fn discovers_versions_sorted() {
    let versions = discover_versions(&fixture("good")).expect("readable");
    assert_eq!(versions, ["alpha", "omega"]);
}

#[test]
fn bundles_paths_in_document_order_and_inlines_non_schema_refs() {
    let spec = load_good();
    assert_eq!(spec.root_file, Path::new("sailpoint-api.alpha.yaml"));
    let paths: Vec<&str> = spec
        .openapi
        .paths
        .paths
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(paths, ["/widgets", "/widgets/{id}", "/gadgets", "/pets"]);
    assert_only_resolvable_schema_refs(&spec);

    let list = operation(&spec, "/widgets", "get");
    let limit = item(&list.parameters[0]).parameter_data_ref();
    assert_eq!(limit.name, "limit");

    let ok = item(&list.responses.responses[&StatusCode::Code(200)]);
    assert_eq!(
        item(&ok.headers["X-Remaining"]).description.as_deref(),
        Some("Requests left in the current window.")
    );
    let example = item(&ok.content["application/json"].examples["two"]);
    assert_eq!(example.summary.as_deref(), Some("Two widgets"));
    assert_eq!(
        example.value.as_ref().and_then(|v| v[1]["id"].as_str()),
        Some("w2")
    );

    // A sibling `description` overrides the referenced response's.
    let not_found = item(&list.responses.responses[&StatusCode::Code(404)]);
    assert_eq!(not_found.description, "No widget matched.");
    let schema = not_found.content["application/json"]
        .schema
        .as_ref()
        .expect("schema");
    assert_eq!(ref_of(schema), "#/components/schemas/Error");

    // Root-internal parameter ref.
    let gadgets = operation(&spec, "/gadgets", "get");
    assert_eq!(
        item(&gadgets.parameters[0]).parameter_data_ref().name,
        "limit"
    );
}

#[test]
fn resolves_internal_refs_relative_to_the_referring_file() {
    let spec = load_good();
    let get = operation(&spec, "/widgets/{id}", "get");
    let put = operation(&spec, "/widgets/{id}", "put");
    let get_ok = item(&get.responses.responses[&StatusCode::Code(200)]);
    let put_ok = item(&put.responses.responses[&StatusCode::Code(200)]);
    assert_eq!(put_ok, get_ok);
    assert_eq!(put_ok.description, "One widget.");
    // Path-level parameters survive.
    let path_item = item(&spec.openapi.paths.paths["/widgets/{id}"]);
    assert_eq!(
        item(&path_item.parameters[0]).parameter_data_ref().name,
        "id"
    );
}

#[test]
fn hoists_schemas_with_stable_names() {
    let spec = load_good();
    let names = schema_names(&spec);
    // Root-declared first, in root order; then in order of discovery.
    assert_eq!(&names[..2], ["Gadget", "Note"]);
    let expected: BTreeSet<&str> = [
        "Gadget",
        "Note",
        "Widget",
        "Color",
        "ColorCommon",
        "Part",
        "Owner",
        "DimensionsWidth",
        "Audit",
        "Error",
        "Pet",
        "Cat",
        "Dog",
        "Tree",
    ]
    .into_iter()
    .collect();
    assert_eq!(
        names.iter().map(String::as_str).collect::<BTreeSet<_>>(),
        expected
    );

    // The root names the file's schema; a ref into the root from a split file gets it too.
    let gadget = schema(&spec, "Gadget");
    assert_eq!(
        ref_of(property(gadget, "note")),
        "#/components/schemas/Note"
    );

    // Fragment ref.
    let widget = schema(&spec, "Widget");
    assert_eq!(
        ref_of(property(widget, "width")),
        "#/components/schemas/DimensionsWidth"
    );
    assert!(matches!(
        schema(&spec, "DimensionsWidth").schema_kind,
        SchemaKind::Type(Type::Number(_))
    ));
}

#[test]
fn keeps_recursive_schemas_as_refs() {
    let spec = load_good();
    let widget = schema(&spec, "Widget");
    assert_eq!(
        ref_of(property(widget, "parent")),
        "#/components/schemas/Widget"
    );
    let parts = item(property(widget, "parts"));
    let SchemaKind::Type(Type::Array(array)) = &parts.schema_kind else {
        panic!("parts is an array");
    };
    assert_eq!(
        ref_of(array.items.as_ref().expect("items")),
        "#/components/schemas/Part"
    );
    let part = schema(&spec, "Part");
    assert_eq!(
        ref_of(property(part, "usedBy")),
        "#/components/schemas/Widget"
    );
    // Pet -> Dog -> Pet through `items`.
    let dog = schema(&spec, "Dog");
    let friends = item(property(dog, "friends"));
    let SchemaKind::Type(Type::Array(array)) = &friends.schema_kind else {
        panic!("friends is an array");
    };
    assert_eq!(
        ref_of(array.items.as_ref().expect("items")),
        "#/components/schemas/Pet"
    );
}

#[test]
fn wraps_schema_refs_with_siblings_in_all_of() {
    let spec = load_good();
    let color = item(property(schema(&spec, "Widget"), "color"));
    assert_eq!(
        color.schema_data.description.as_deref(),
        Some("The widget's paint.")
    );
    assert!(color.schema_data.nullable);
    let SchemaKind::AllOf { all_of } = &color.schema_kind else {
        panic!("expected allOf, got {:?}", color.schema_kind);
    };
    assert_eq!(all_of.len(), 1);
    assert_eq!(ref_of(&all_of[0]), "#/components/schemas/Color");

    let create = operation(&spec, "/widgets", "post");
    let body = item(create.request_body.as_ref().expect("body"));
    let schema = item(
        body.content["application/json"]
            .schema
            .as_ref()
            .expect("schema"),
    );
    assert_eq!(
        schema.schema_data.description.as_deref(),
        Some("The widget to create.")
    );
}

#[test]
fn rewrites_discriminator_mappings() {
    let spec = load_good();
    let pet = schema(&spec, "Pet");
    let mapping = &pet
        .schema_data
        .discriminator
        .as_ref()
        .expect("discriminator")
        .mapping;
    assert_eq!(mapping["cat"], "#/components/schemas/Cat");
    assert_eq!(mapping["dog"], "#/components/schemas/Dog");
}

#[test]
fn shares_identical_schemas_and_renames_different_ones() {
    let spec = load_good();
    // alpha/schemas/Error.yaml and common/schemas/Error.yaml are identical: one `Error`.
    let put = operation(&spec, "/widgets/{id}", "put");
    let bad = item(&put.responses.responses[&StatusCode::Code(400)]);
    let error = bad.content["application/json"]
        .schema
        .as_ref()
        .expect("schema");
    assert_eq!(ref_of(error), "#/components/schemas/Error");

    // Two identical self-recursive copies are one schema too.
    let tree = "#/components/schemas/Tree";
    assert_eq!(ref_of(property(schema(&spec, "Widget"), "tree")), tree);
    assert_eq!(ref_of(property(schema(&spec, "Owner"), "tree")), tree);

    // The two Color.yaml differ: the one outside the version's folder is renamed.
    let owner = schema(&spec, "Owner");
    assert_eq!(
        ref_of(property(owner, "favoriteColor")),
        "#/components/schemas/ColorCommon"
    );
    let warning = spec
        .warnings
        .iter()
        .find(|w| w.message.contains("`Color`"))
        .expect("a name-conflict warning");
    assert_eq!(warning.at.file, Path::new("common/schemas/Color.yaml"));
    assert!(
        warning.message.contains("alpha/schemas/Color.yaml"),
        "{warning}"
    );
    assert!(warning.message.contains("ColorCommon"), "{warning}");
}

#[test]
fn tolerates_duplicate_keys_with_a_warning() {
    let spec = load_good();
    let dup = spec
        .warnings
        .iter()
        .find(|w| w.message.contains("duplicated mapping key"))
        .expect("a duplicate-key warning");
    assert_eq!(dup.at.file, Path::new("alpha/schemas/Audit.yaml"));
    assert_eq!(dup.at.pointer, "/properties/created");
    assert_eq!(dup.at.line, Some(7));
    assert_eq!(
        dup.to_string(),
        "alpha/schemas/Audit.yaml:7: #/properties/created: duplicated mapping key `created` (first at line 4); the last value is used"
    );
    // The last value wins.
    let created = item(property(schema(&spec, "Audit"), "created"));
    let SchemaKind::Type(Type::String(s)) = &created.schema_kind else {
        panic!("created is a string");
    };
    assert_eq!(
        s.format,
        openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Date)
    );
}

#[test]
fn records_origins() {
    let spec = load_good();
    let list = &spec.operation_origins["GET /widgets"];
    assert_eq!(list.file, Path::new("alpha/paths/widgets.yaml"));
    assert_eq!(list.pointer, "/get");
    assert_eq!(list.line, Some(1));
    let put = &spec.operation_origins["PUT /widgets/{id}"];
    assert_eq!((put.pointer.as_str(), put.line), ("/put", Some(18)));
    let gadgets = &spec.operation_origins["GET /gadgets"];
    assert_eq!(gadgets.file, Path::new("sailpoint-api.alpha.yaml"));
    assert_eq!(gadgets.pointer, "/paths/~1gadgets/get");
    assert_eq!(gadgets.line, Some(13));
    assert_eq!(spec.operation_origins.len(), 6);

    let widget = &spec.schema_origins["Widget"];
    assert_eq!(widget.file, Path::new("alpha/schemas/Widget.yaml"));
    assert_eq!((widget.pointer.as_str(), widget.line), ("", Some(1)));
    let note = &spec.schema_origins["Note"];
    assert_eq!(note.file, Path::new("sailpoint-api.alpha.yaml"));
    assert_eq!(
        (note.pointer.as_str(), note.line),
        ("/components/schemas/Note", Some(35))
    );
    let width = &spec.schema_origins["DimensionsWidth"];
    assert_eq!(
        (width.pointer.as_str(), width.line),
        ("/properties/width", Some(3))
    );
}

#[test]
fn is_deterministic() {
    let a = load_good();
    let b = load_good();
    assert_eq!(format!("{:?}", a.openapi), format!("{:?}", b.openapi));
    assert_eq!(a.warnings, b.warnings);
    assert_eq!(a.schema_origins, b.schema_origins);
}

#[test]
fn loads_a_version_without_paths() {
    let spec = load_version(&fixture("good"), "omega").expect("loads");
    assert!(spec.openapi.paths.paths.is_empty());
    assert!(spec.warnings.is_empty());
}

#[test]
fn handles_upstream_defects_with_warnings() {
    let spec = load_good();
    let warned = |file: &str, pointer: &str, text: &str| {
        spec.warnings
            .iter()
            .find(|w| {
                w.at.file == Path::new(file) && w.at.pointer == pointer && w.message.contains(text)
            })
            .unwrap_or_else(|| {
                panic!(
                    "no warning {file} {pointer} {text:?} in {:#?}",
                    spec.warnings
                )
            })
            .clone()
    };

    // `example: {$ref: file}` is resolved and inlined.
    let w = warned(
        "alpha/paths/pets.yaml",
        "/get/responses/200/content/application~1json/example",
        "`example` is a literal value",
    );
    assert_eq!(w.at.line, Some(14));
    let pets = operation(&spec, "/pets", "get");
    let ok = item(&pets.responses.responses[&StatusCode::Code(200)]);
    let example = ok.content["application/json"]
        .example
        .as_ref()
        .expect("example");
    assert_eq!(example[0]["kind"], "cat");

    // `type` contradicting the referenced schema is dropped: a plain ref remains.
    warned(
        "alpha/schemas/Widget.yaml",
        "/properties/audit/type",
        "`type: string` next to `$ref` ignored",
    );
    let widget = schema(&spec, "Widget");
    assert_eq!(
        ref_of(property(widget, "audit")),
        "#/components/schemas/Audit"
    );

    // A webhook's Responses object without status codes: fields moved into `default`.
    warned(
        "alpha/webhooks/widget-painted.yaml",
        "/post/responses",
        "`content` moved into a `default` response; `required` dropped",
    );
    let hooks = &spec.openapi.extensions["x-webhooks"];
    let post = &hooks["WidgetPainted"]["post"];
    assert_eq!(
        post["responses"]["default"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Color"
    );
    assert_eq!(
        post["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/Widget"
    );
}

// ---- refused input -------------------------------------------------------------------

fn load_error(dir: &str) -> LoadError {
    match load_version(&fixture(dir), "v1") {
        Ok(_) => panic!("{dir} should not load"),
        Err(e) => e,
    }
}

/// The message names file, line and pointer, in that order.
fn assert_names(e: &LoadError, prefix: &str, rest: &str) {
    let msg = e.to_string();
    assert!(
        msg.starts_with(prefix),
        "{msg:?} should start with {prefix:?}"
    );
    assert!(msg.contains(rest), "{msg:?} should contain {rest:?}");
}

#[test]
fn refuses_missing_root_file() {
    let e = match load_version(&fixture("good"), "nope") {
        Ok(_) => panic!("no such version"),
        Err(e) => e,
    };
    assert!(matches!(e, LoadError::MissingRoot { .. }), "{e:?}");
    assert_names(
        &e,
        "sailpoint-api.nope.yaml: #: ",
        "root file for version `nope` not found",
    );
}

#[test]
fn refuses_invalid_yaml() {
    let e = load_error("bad/invalid_yaml");
    assert!(matches!(e, LoadError::Yaml { .. }), "{e:?}");
    assert_eq!(e.location().line, Some(6));
    assert_names(&e, "v1/paths/things.yaml:6: #: ", "invalid YAML");
}

#[test]
fn refuses_dangling_file_ref() {
    let e = load_error("bad/dangling_file");
    assert!(matches!(e, LoadError::MissingFile { .. }), "{e:?}");
    assert_names(
        &e,
        "sailpoint-api.v1.yaml:7: #/paths/~1things: ",
        "file `v1/paths/not-there.yaml` not found",
    );
}

#[test]
fn refuses_dangling_pointer() {
    let e = load_error("bad/dangling_pointer");
    assert!(matches!(e, LoadError::MissingPointer { .. }), "{e:?}");
    assert_names(
        &e,
        "sailpoint-api.v1.yaml:14: #/paths/~1things/get/responses/200/content/application~1json/schema: ",
        "`v1/schemas/Thing.yaml` has nothing at #/properties/missing",
    );
}

#[test]
fn refuses_refs_outside_the_specs_folder() {
    let e = load_error("bad/outside_root/specs");
    assert!(matches!(e, LoadError::OutsideRoot { .. }), "{e:?}");
    assert_names(
        &e,
        "sailpoint-api.v1.yaml:14: #/paths/~1things/get/responses/200/content/application~1json/schema: ",
        "reference `../outside.yaml` leaves the specs folder",
    );
}

#[test]
fn refuses_remote_refs() {
    let e = load_error("bad/remote");
    assert!(matches!(e, LoadError::RemoteRef { .. }), "{e:?}");
    assert_names(
        &e,
        "sailpoint-api.v1.yaml:10: #/paths/~1things/get/responses/200: ",
        "remote reference `https://example.com/responses/ok.yaml` refused",
    );
}

#[test]
fn refuses_swagger_2() {
    let e = load_error("bad/swagger");
    assert!(matches!(e, LoadError::UnsupportedVersion { .. }), "{e:?}");
    assert_names(
        &e,
        "sailpoint-api.v1.yaml:1: #/swagger: ",
        "Swagger 2.0 found",
    );
}

#[test]
fn refuses_openapi_3_1() {
    let e = load_error("bad/openapi31");
    assert!(matches!(e, LoadError::UnsupportedVersion { .. }), "{e:?}");
    assert_names(
        &e,
        "sailpoint-api.v1.yaml:1: #/openapi: ",
        "OpenAPI 3.1.0 found",
    );
}

#[test]
fn refuses_non_schema_reference_cycles() {
    let e = load_error("bad/cycle");
    assert!(matches!(e, LoadError::RefCycle { .. }), "{e:?}");
    assert_names(
        &e,
        "v1/responses/B.yaml:1: #: ",
        "v1/responses/A.yaml# -> v1/responses/B.yaml# -> v1/responses/A.yaml#",
    );
}

#[test]
fn reports_typed_parse_errors_at_their_source() {
    let e = load_error("bad/typed");
    assert!(matches!(e, LoadError::Typed { .. }), "{e:?}");
    // A response without `description`: found in the path file the bundler inlined.
    assert_names(
        &e,
        "v1/paths/things.yaml:4: #/get/responses/200: ",
        "at #/paths/~1things/get/responses/200 of the bundled spec: missing field `description`",
    );
}

// ---- the real upstream specs ---------------------------------------------------------

#[test]
fn loads_all_upstream_versions() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/api-specs/idn");
    if !dir.is_dir() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "upstream specs not found at {} (required when CI=true)",
            dir.display()
        );
        println!("skipped: ../shared/api-specs not found");
        return;
    }
    let versions = discover_versions(&dir).expect("readable");
    assert_eq!(versions.len(), 3, "{versions:?}");
    let mut total_paths = 0;
    for version in &versions {
        let spec = match load_version(&dir, version) {
            Ok(spec) => spec,
            Err(e) => panic!("{version}: {e}"),
        };
        let paths = spec.openapi.paths.paths.len();
        assert!(paths > 100, "{version}: only {paths} paths");
        total_paths += paths;
        for (path, method, op) in spec.openapi.operations() {
            assert!(
                op.operation_id.is_some(),
                "{version}: {method} {path} has no operationId"
            );
            let key = format!("{} {path}", method.to_ascii_uppercase());
            assert!(
                spec.operation_origins.contains_key(&key),
                "{version}: no origin for {key}"
            );
        }
        assert_only_resolvable_schema_refs(&spec);
        for name in schema_names(&spec) {
            assert!(
                spec.schema_origins.contains_key(&name),
                "{version}: no origin for {name}"
            );
        }
        // The files with duplicated keys upstream (`*/schemas/AccessItemDiffSummary.yaml`)
        // are referenced by no root file, so they are never read and cannot warn. The
        // duplicate-key handling itself is covered by the fixture.
        for w in &spec.warnings {
            println!("{version}: {w}");
        }
    }
    assert!(total_paths > 300, "only {total_paths} paths");
}

/// The resources layout: every `<resource>/openapi.yaml` is a root; what is not one is
/// listed as skipped with the reason, never silently dropped.
#[test]
fn resources_discovery_lists_what_it_skips() {
    let temp = tempfile::tempdir().expect("temp dir");
    let dir = temp.path().join("apis");
    common::copy_tree(&common::fixtures("resources"), &dir);
    let root = std::fs::read_to_string(dir.join("notes/openapi.yaml")).expect("a root");
    std::fs::create_dir(dir.join("drafts")).expect("folder");
    std::fs::write(dir.join("openapi.yaml"), &root).expect("stray root");
    std::fs::write(dir.join("shared/openapi.yaml"), &root).expect("root in shared/");
    let found = discover(&dir).expect("discovers");
    assert_eq!(found.layout, Layout::Resources);
    assert_eq!(found.names, ["accounts", "identities", "notes"]);
    let skipped: Vec<(String, &str)> = found
        .skipped
        .iter()
        .map(|(path, why)| (path.display().to_string(), *why))
        .collect();
    assert_eq!(
        skipped,
        [
            ("drafts".to_owned(), "a folder without openapi.yaml"),
            (
                "openapi.yaml".to_owned(),
                "an openapi.yaml outside any resource folder"
            ),
            (
                "shared/openapi.yaml".to_owned(),
                "`shared/` holds the common components, not a resource"
            ),
        ]
    );
}
