//! Load time grows linearly with the input: many operations, a huge mapping, a long
//! `$ref` alias chain.
//!
//! The guards below run in every `cargo test` with bounds far above the expected time (a
//! debug build on a busy 2-core machine), so only a return of quadratic (or worse) cost
//! trips them. The figures themselves come from `cargo xtask bench scaling`.

use generator::synthetic;

use std::path::Path;
use std::time::{Duration, Instant};

use generator::load::load_version;

fn specs_with(version: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join(format!("sailpoint-api.{version}.yaml")),
        text,
    )
    .expect("write spec");
    dir
}

/// How long loading took, and how many warnings it gave.
fn time_load(dir: &Path, version: &str) -> (Duration, usize) {
    let start = Instant::now();
    match load_version(dir, version) {
        Ok(spec) => (start.elapsed(), spec.warnings.len()),
        Err(e) => panic!("synthetic spec should load: {e}"),
    }
}

#[test]
fn a_200000_key_mapping_loads_in_linear_time() {
    let dir = specs_with("big", &synthetic::wide_mapping_spec(200_000));
    let (took, warnings) = time_load(dir.path(), "big");
    assert_eq!(warnings, 0);
    // Release: ~0.2 s. Linear lookups took hours.
    assert!(took < Duration::from_secs(60), "took {took:?}");
}

#[test]
fn a_long_alias_chain_loads_in_linear_time_with_one_name() {
    let links = 5_000;
    let dir = specs_with("chain", &synthetic::alias_chain_spec(links));
    let start = Instant::now();
    let spec = match load_version(dir.path(), "chain") {
        Ok(spec) => spec,
        Err(e) => panic!("alias chain should load: {e}"),
    };
    let took = start.elapsed();
    assert!(took < Duration::from_secs(60), "took {took:?}");
    // Every alias is the same schema: one warning for the whole chain, not one per link.
    assert!(spec.warnings.len() <= 1, "{:#?}", spec.warnings);
    let schemas = &spec
        .openapi
        .components
        .as_ref()
        .expect("components")
        .schemas;
    assert_eq!(schemas.len(), 1, "{:?}", schemas.keys().collect::<Vec<_>>());
}

#[test]
fn thousands_of_operations_load_and_model_in_linear_time() {
    let dir = specs_with("ops", &synthetic::operations_spec(4_000));
    let (took, warnings) = time_load(dir.path(), "ops");
    assert_eq!(warnings, 0);
    assert!(took < Duration::from_secs(90), "load took {took:?}");
    let start = Instant::now();
    let apis = generator::build_models(dir.path(), &["ops".to_owned()]).expect("models");
    assert_eq!(apis[0].operation_count(), 4_000);
    // Release: well under a second. A quadratic model step took minutes in debug.
    let took = start.elapsed();
    assert!(
        took < Duration::from_secs(120),
        "load + model took {took:?}"
    );
}
