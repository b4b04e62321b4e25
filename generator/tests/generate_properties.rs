//! Property tests of the whole pipeline on random multi-file specs (see
//! `common/random_spec.rs`): generating returns `Ok`, or an error that says where; it never
//! panics and never hangs; and every crate set it makes is well-formed: each Rust file
//! parses, no scope holds one name twice, each manifest is valid TOML.
//!
//! The first few sets that generate are also written under the test target's scratch
//! folder (`random-spec-samples/`), where `cargo xtask ci` compiles them.

#[path = "common/random_spec.rs"]
mod random_spec;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use generator::{Generated, GeneratedFile};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use random_spec::{random_spec, RandomSpec};

/// How many generated sets are kept for `cargo xtask ci` to compile.
const SAMPLES: usize = 3;

fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x6E4E_0A7E),
        failure_persistence: None,
        max_shrink_iters: 128,
        ..Config::default()
    }
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Generates `spec` from a temporary folder on another thread, within 30 seconds.
fn generate(spec: &RandomSpec) -> Result<Result<Generated, generator::Error>, TestCaseError> {
    let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
    spec.write_to(dir.path())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let release = generator::Release::standalone(&workspace())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let (send, receive) = mpsc::channel();
    let path = dir.path().to_path_buf();
    thread::spawn(move || {
        let _ = send.send(generator::generate(&path, &[], &release));
    });
    match receive.recv_timeout(Duration::from_secs(30)) {
        Ok(result) => Ok(result),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(TestCaseError::fail("generate hangs")),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(TestCaseError::fail("generate panicked")),
    }
}

/// Names declared twice in one scope of one file: items of the type and value
/// namespaces, methods of one `impl`, fields of one struct, variants of one enum.
fn duplicates(file: &syn::File) -> Vec<String> {
    let mut found = Vec::new();
    let mut types = BTreeSet::new();
    let mut values = BTreeSet::new();
    let mut note = |set: &mut BTreeSet<String>, scope: &str, name: String| {
        if !set.insert(name.clone()) {
            found.push(format!("{scope}: `{name}`"));
        }
    };
    for item in &file.items {
        match item {
            syn::Item::Struct(s) => {
                note(&mut types, "type namespace", s.ident.to_string());
                let mut fields = BTreeSet::new();
                for field in s.fields.iter().filter_map(|f| f.ident.as_ref()) {
                    note(
                        &mut fields,
                        &format!("fields of {}", s.ident),
                        field.to_string(),
                    );
                }
            }
            syn::Item::Enum(e) => {
                note(&mut types, "type namespace", e.ident.to_string());
                let mut variants = BTreeSet::new();
                for variant in &e.variants {
                    note(
                        &mut variants,
                        &format!("variants of {}", e.ident),
                        variant.ident.to_string(),
                    );
                }
            }
            syn::Item::Type(t) => note(&mut types, "type namespace", t.ident.to_string()),
            syn::Item::Mod(m) => note(&mut types, "type namespace", m.ident.to_string()),
            syn::Item::Fn(f) => note(&mut values, "value namespace", f.sig.ident.to_string()),
            syn::Item::Static(s) => note(&mut values, "value namespace", s.ident.to_string()),
            syn::Item::Const(c) => note(&mut values, "value namespace", c.ident.to_string()),
            syn::Item::Impl(block) if block.trait_.is_none() => {
                let mut methods = BTreeSet::new();
                for item in &block.items {
                    if let syn::ImplItem::Fn(f) = item {
                        note(&mut methods, "methods of an impl", f.sig.ident.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// Checks one generated file: Rust parses with no duplicate names; TOML parses.
fn check_file(file: &GeneratedFile) -> Result<(), TestCaseError> {
    if file.path.ends_with(".rs") {
        let parsed = syn::parse_file(&file.contents)
            .map_err(|e| TestCaseError::fail(format!("{}: not Rust: {e}", file.path)))?;
        let twice = duplicates(&parsed);
        prop_assert!(twice.is_empty(), "{}: declared twice: {twice:?}", file.path);
    } else if file.path.ends_with(".toml") {
        let parsed = file.contents.parse::<toml::Table>();
        prop_assert!(
            parsed.is_ok(),
            "{}: not TOML: {:?}",
            file.path,
            parsed.err()
        );
    }
    Ok(())
}

/// Keeps the first [`SAMPLES`] generated sets for `cargo xtask ci` to compile.
fn keep_sample(generated: &Generated) {
    static KEPT: AtomicUsize = AtomicUsize::new(0);
    let index = KEPT.fetch_add(1, Ordering::Relaxed);
    if index >= SAMPLES {
        return;
    }
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("random-spec-samples")
        .join(index.to_string());
    let _ = std::fs::remove_dir_all(&out);
    // A failure to keep a sample shows as a missing sample in `cargo xtask ci`.
    let _ = generator::write::write(&out, &generated.files);
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn random_specs_generate_well_formed_crates_or_fail_with_a_location(spec in random_spec()) {
        match generate(&spec)? {
            Ok(generated) => {
                // The runtime's copy is hand-written code (its cfg-alternative items would
                // look declared twice to this check).
                let runtime = format!("{}/", generator::release::RUNTIME_CRATE);
                for file in generated.files.iter().filter(|f| !f.path.starts_with(&runtime)) {
                    check_file(file)?;
                }
                keep_sample(&generated);
            }
            Err(e) => {
                let text = e.to_string();
                prop_assert!(
                    text.contains(".yaml") || text.contains(".json") || text.contains("no version"),
                    "an error without a file: {text}"
                );
            }
        }
    }
}
