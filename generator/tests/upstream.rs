//! SailPoint's full upstream specs: every operation and every component schema of every
//! version (and of every resource of the per-resource layout) makes it into the model,
//! shared components are generated once, and generation is deterministic. Needs
//! `../shared/api-specs` and `../shared/api-specs-resources` (absent: skipped with a note;
//! under CI=true: a failure).

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use generator::load::Layout;

#[test]
fn every_operation_and_schema_is_generated() {
    let Some(dir) = common::upstream_specs() else {
        return;
    };
    let found = generator::load::discover(&dir).expect("versions");
    assert_eq!(found.layout, Layout::Versions);
    assert_eq!(found.names, ["beta", "v2024", "v3"]);
    for version in &found.names {
        check_coverage(&dir, version);
    }
}

#[test]
fn every_resource_operation_and_schema_is_generated_and_shared_types_once() {
    let Some(dir) = common::upstream_resources() else {
        return;
    };
    let found = generator::load::discover(&dir).expect("resources");
    assert_eq!(found.layout, Layout::Resources);
    assert!(found.names.len() >= 100, "{} resources", found.names.len());
    for resource in ["accounts", "identities", "search"] {
        assert!(found.names.iter().any(|n| n == resource), "{resource}");
    }
    for resource in &found.names {
        check_coverage(&dir, resource);
    }
    let apis = generator::build_models(&dir, &[]).expect("resources model");
    let (shared, resources): (Vec<_>, Vec<_>) = apis.iter().partition(|api| api.common);
    let [shared] = shared.as_slice() else {
        panic!("one shared crate, got {}", shared.len());
    };
    assert_eq!(resources.len(), found.names.len());
    // A type written under shared/ is the shared crate's, in every resource.
    let mut shared_sites = BTreeSet::new();
    for def in shared.types.values() {
        assert!(
            shared_sites.insert((&def.location.file, &def.location.pointer)),
            "{} is in the shared crate twice",
            def.location
        );
    }
    let mut local_copies = Vec::new();
    for api in &resources {
        for def in api.types.values() {
            let site = (&def.location.file, &def.location.pointer);
            match &def.shared_as {
                Some(name) => assert!(shared.types.contains_key(name), "{}: {name}", api.version),
                None if shared_sites.contains(&site) || def.location.file.starts_with("shared") => {
                    local_copies.push(format!("{}: {} ({})", api.version, def.name, def.location));
                }
                None => {}
            }
        }
    }
    assert!(
        local_copies.is_empty(),
        "shared types generated locally: {local_copies:#?}"
    );
    eprintln!(
        "{} resources, {} operations, {} shared types",
        resources.len(),
        resources.iter().map(|a| a.operation_count()).sum::<usize>(),
        shared.types.len()
    );
}

/// Every operation of one version (or resource) is modeled, with a unique id, and every
/// component schema has a type.
fn check_coverage(dir: &Path, version: &str) {
    let spec = generator::load::load_version(dir, version).expect("upstream loads");
    let api = generator::model::build(&spec).expect("upstream models");

    let in_spec: usize = spec
        .openapi
        .paths
        .iter()
        .filter_map(|(_, item)| item.as_item())
        .map(|item| item.iter().count())
        .sum();
    assert_eq!(api.operation_count(), in_spec, "{version}: operations");

    let components: BTreeSet<&str> = spec
        .openapi
        .components
        .as_ref()
        .map(|c| c.schemas.keys().map(String::as_str).collect())
        .unwrap_or_default();
    let root_text = std::fs::read_to_string(dir.join(&spec.root_file)).expect("root file");
    let root: serde_yaml::Value = serde_yaml::from_str(&root_text).expect("root parses");
    let declared: Vec<&str> = root["components"]["schemas"]
        .as_mapping()
        .map(|m| m.keys().filter_map(serde_yaml::Value::as_str).collect())
        .unwrap_or_default();
    let undeclared: Vec<&&str> = declared
        .iter()
        .filter(|d| !components.contains(**d))
        .collect();
    assert!(
        undeclared.is_empty(),
        "{version}: root schemas lost in bundling: {undeclared:?}"
    );

    let modeled: BTreeSet<&str> = api.types.values().map(|t| t.origin.as_str()).collect();
    let missing: Vec<&&str> = components.difference(&modeled).collect();
    assert!(
        missing.is_empty(),
        "{version}: schemas without a type: {missing:?}"
    );

    let ids: BTreeSet<&str> = api
        .tags
        .iter()
        .flat_map(|t| t.operations.iter().map(|o| o.id.as_str()))
        .collect();
    assert_eq!(ids.len(), in_spec, "{version}: operationIds are unique");
    eprintln!(
        "{version}: {in_spec} operations, {} component schemas, {} types, {} warnings",
        components.len(),
        api.types.len(),
        api.warnings.len()
    );
}

#[test]
fn upstream_generation_is_deterministic() {
    let Some(dir) = common::upstream_specs() else {
        return;
    };
    let first = common::generate(&dir, &[]).expect("first run");
    let second = common::generate(&dir, &[]).expect("second run");
    assert_eq!(first.files.len(), second.files.len());
    for (a, b) in first.files.iter().zip(&second.files) {
        assert_eq!(a, b, "{} differs between runs", a.path);
    }
}
