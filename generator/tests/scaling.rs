//! Load time grows linearly with the input: many operations, a huge mapping, a long
//! `$ref` alias chain.
//!
//! The guards below run in every `cargo test` with bounds far above the expected time (a
//! debug build on a busy 2-core machine), so only a return of quadratic (or worse) cost
//! trips them. The figures themselves come from the ignored benchmark:
//!
//! ```text
//! cargo test --release -p generator --test scaling -- --ignored --nocapture
//! ```
//!
//! `SCALING_CASES` picks cases, e.g. `ops:500,ops:1000,keys:200000,chain:5000`, and
//! `SCALING_RUNS` how many times each is timed (the best is kept; default 3).

#[path = "common/synthetic.rs"]
mod synthetic;

use std::path::Path;
use std::time::{Duration, Instant};

use generator::load::load_version;

fn specs_with(version: &str, text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    synthetic::write_root(dir.path(), version, text).expect("write spec");
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

fn time_build(dir: &Path, version: &str) -> Duration {
    let start = Instant::now();
    if let Err(e) = generator::build_models(dir, &[version.to_owned()]) {
        panic!("synthetic spec should model: {e}");
    }
    start.elapsed()
}

#[test]
fn a_200000_key_mapping_loads_in_linear_time() {
    let dir = specs_with("big", &synthetic::big_mapping_spec(200_000));
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
fn thousands_of_operations_load_in_linear_time() {
    let dir = specs_with("ops", &synthetic::synthetic_spec(4_000));
    let (took, warnings) = time_load(dir.path(), "ops");
    assert_eq!(warnings, 0);
    assert!(took < Duration::from_secs(90), "took {took:?}");
}

/// One benchmark case: what it is, and how to time it.
fn run_case(case: &str) -> Option<String> {
    let (kind, size) = case.split_once(':')?;
    let size: usize = size.parse().ok()?;
    let text = match kind {
        "ops" => synthetic::synthetic_spec(size),
        "keys" => synthetic::big_mapping_spec(size),
        "chain" => synthetic::alias_chain_spec(size),
        _ => return None,
    };
    let dir = specs_with("bench", &text);
    let runs: usize = std::env::var("SCALING_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    let best = |f: &dyn Fn() -> Duration| (0..runs).map(|_| f()).min().unwrap_or_default();
    let load = best(&|| time_load(dir.path(), "bench").0);
    let warnings = time_load(dir.path(), "bench").1;
    let build = match kind {
        "ops" => format!(
            "{:>10.3}",
            best(&|| time_build(dir.path(), "bench")).as_secs_f64()
        ),
        _ => format!("{:>10}", "-"),
    };
    Some(format!(
        "{case:<14} {:>8.1} KB {:>10.3} {build} {warnings:>9}",
        text.len() as f64 / 1024.0,
        load.as_secs_f64()
    ))
}

#[test]
#[ignore = "benchmark: run with --release --ignored --nocapture"]
fn scaling_figures() {
    let cases = std::env::var("SCALING_CASES").unwrap_or_else(|_| {
        "ops:500,ops:1000,ops:2000,ops:4000,keys:50000,keys:200000,chain:1000,chain:5000".to_owned()
    });
    println!(
        "{:<14} {:>11} {:>10} {:>10} {:>9}",
        "case", "size", "load s", "load+model s", "warnings"
    );
    for case in cases.split(',') {
        match run_case(case) {
            Some(line) => println!("{line}"),
            None => println!("{case}: unknown case"),
        }
    }
}
