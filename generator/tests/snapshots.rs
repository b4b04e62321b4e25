//! Snapshot tests: the API surface of every embedded version and of each focused fixture.

mod common;

use common::{embedded_specs, fixtures};

/// The API surface of every embedded version. The generated code itself is checked in
/// (`generated-client/`) and guarded by the staleness test, so it has no snapshot.
#[test]
fn embedded_versions() {
    let apis = generator::build_models(&embedded_specs(), &[]).expect("embedded specs model");
    assert!(!apis.is_empty(), "no versions found in specs/");
    for api in &apis {
        let surface = generator::render::surface(api).expect("surface renders");
        insta::assert_snapshot!(format!("surface_{}", api.version), surface);
    }
}

/// The API surface of each focused fixture (one schema construct per fixture). Their
/// generated crates are checked in under `tests/output/`, compiled and tested as members of
/// the workspace, and guarded by the staleness test.
#[test]
fn fixture_constructs() {
    let apis = generator::build_models(&fixtures("constructs"), &[]).expect("fixtures model");
    let names: Vec<&str> = apis.iter().map(|a| a.version.as_str()).collect();
    assert_eq!(
        names,
        [
            "a-b",
            "a_b",
            "allof",
            "builder",
            "cycles",
            "default",
            "enums",
            "inline",
            "lib",
            "names",
            "operations",
            "recursive",
            "runtime",
            "send",
            "structs",
            "unions",
            "é",
            "😀"
        ]
    );
    for api in &apis {
        let surface = generator::render::surface(api).expect("surface renders");
        insta::assert_snapshot!(format!("fixture_{}", api.version), surface);
    }
}
