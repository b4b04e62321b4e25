//! Snapshot tests: the rendered output and API surface of every embedded version, and the
//! generated code of each focused fixture (one schema construct per fixture).

mod common;

use common::{concat, embedded_specs, fixtures};

#[test]
fn embedded_versions() {
    let generated = generator::generate(&embedded_specs(), &[]).expect("embedded specs generate");
    assert!(!generated.apis.is_empty(), "no versions found in specs/");
    for api in &generated.apis {
        let surface = generator::render::surface(api).expect("surface renders");
        insta::assert_snapshot!(format!("surface_{}", api.version), surface);
        let code = concat(&generated.files, &format!("src/{}/", api.module));
        insta::assert_snapshot!(format!("code_{}", api.version), code);
    }
}

#[test]
fn fixture_constructs() {
    let dir = fixtures("constructs");
    let generated = generator::generate(&dir, &[]).expect("fixtures generate");
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
        text.push_str(&concat(&generated.files, &format!("src/{}/", api.module)));
        insta::assert_snapshot!(format!("fixture_{}", api.version), text);
    }
}
