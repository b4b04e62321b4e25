//! Snapshot tests: the rendered output and API surface of every embedded version, and the
//! generated code of each focused fixture (one schema construct per fixture).

mod common;

use common::{concat, embedded_specs, fixtures, generate, version_dir};

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

#[test]
fn fixture_constructs() {
    let dir = fixtures("constructs");
    let generated = generate(&dir, &[]).expect("fixtures generate");
    let names: Vec<&str> = generated.apis.iter().map(|a| a.version.as_str()).collect();
    assert_eq!(
        names,
        [
            "allof",
            "enums",
            "inline",
            "operations",
            "recursive",
            "structs",
            "unions"
        ]
    );
    for api in &generated.apis {
        let mut text = generator::render::surface(api).expect("surface renders");
        text.push_str(&concat(&generated.files, &version_dir(&api.module)));
        insta::assert_snapshot!(format!("fixture_{}", api.version), text);
    }
}
