//! Property tests of the load stage on random multi-file specs (see
//! `common/random_spec.rs`): loading returns `Ok`, or an error that says where; it never
//! panics and never hangs. Fixed seed and a bounded number of cases, so runs are
//! reproducible and take a few seconds.

#[path = "common/random_spec.rs"]
mod random_spec;

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};

use generator::load::{load_version, LoadError, LoadedSpec};
use random_spec::{hostile_spec, random_spec, RandomSpec, VERSION};

fn config(cases: u32) -> Config {
    Config {
        cases,
        rng_seed: RngSeed::Fixed(0x5A11_0AD5),
        failure_persistence: None,
        max_shrink_iters: 256,
        ..Config::default()
    }
}

/// Loads `spec` from a temporary folder on another thread, within 20 seconds.
fn load(spec: &RandomSpec) -> Result<Result<LoadedSpec, LoadError>, TestCaseError> {
    let dir = tempfile::tempdir().map_err(|e| TestCaseError::fail(e.to_string()))?;
    spec.write_to(dir.path())
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let (send, receive) = mpsc::channel();
    let path = dir.path().to_path_buf();
    thread::spawn(move || {
        let _ = send.send(load_version(&path, VERSION));
    });
    match receive.recv_timeout(Duration::from_secs(20)) {
        Ok(result) => Ok(result),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(TestCaseError::fail("load hangs")),
        // The sender was dropped without sending: the load panicked.
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(TestCaseError::fail("load panicked")),
    }
}

/// An error must name a file, and a line or a pointer.
fn check_error(e: &LoadError) -> Result<(), TestCaseError> {
    let at = e.location();
    prop_assert!(!at.file.as_os_str().is_empty(), "no file: {e}");
    prop_assert!(
        at.line.is_some() || !at.pointer.is_empty() || matches!(e, LoadError::Yaml { .. }),
        "no line nor pointer: {e}"
    );
    Ok(())
}

proptest! {
    #![proptest_config(config(96))]

    #[test]
    fn random_specs_load_or_fail_with_a_location(spec in random_spec()) {
        match load(&spec)? {
            Ok(loaded) => {
                for w in &loaded.warnings {
                    prop_assert!(!w.at.file.as_os_str().is_empty(), "warning without file: {w}");
                }
            }
            Err(e) => check_error(&e)?,
        }
    }

    #[test]
    fn hostile_specs_load_or_fail_with_a_location(spec in hostile_spec()) {
        match load(&spec)? {
            Ok(_) => {}
            Err(e) => check_error(&e)?,
        }
    }
}
