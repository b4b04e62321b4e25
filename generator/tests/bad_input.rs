//! Broken specs give clear errors naming the file, the line and the JSON pointer; nothing
//! panics, and nothing is fetched over the network.

mod common;

use std::fs;
use std::path::Path;

const HEADER: &str = "openapi: 3.0.1\ninfo:\n  title: Broken\n  version: x\n";

/// Writes `files` into a fresh specs folder and returns the error of generating it.
fn error_for(files: &[(&str, &str)]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let target = dir.path().join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(target, text).expect("write");
    }
    match common::generate(dir.path(), &[]) {
        Ok(_) => panic!("generation of a broken spec succeeded"),
        Err(error) => error.to_string(),
    }
}

fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(
            message.contains(part),
            "error `{message}` does not mention `{part}`"
        );
    }
}

#[test]
fn missing_referenced_file() {
    let message = error_for(&[(
        "sailpoint-api.x.yaml",
        &format!("{HEADER}paths:\n  /a:\n    $ref: ./x/paths/missing.yaml\n"),
    )]);
    assert_mentions(
        &message,
        &["sailpoint-api.x.yaml", ":7", "/paths/~1a", "missing.yaml"],
    );
}

#[test]
fn invalid_yaml() {
    let message = error_for(&[(
        "sailpoint-api.x.yaml",
        &format!("{HEADER}paths:\n  /a:\n    get: [unclosed\n  bad: : :\n"),
    )]);
    assert_mentions(&message, &["sailpoint-api.x.yaml", "line"]);
}

#[test]
fn dangling_pointer() {
    let message = error_for(&[
        ("sailpoint-api.x.yaml", &format!("{HEADER}paths:\n  /a:\n    $ref: ./x/paths/a.yaml\n")),
        (
            "x/paths/a.yaml",
            "get:\n  operationId: getA\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema:\n            $ref: '#/components/schemas/Nope'\n",
        ),
    ]);
    assert_mentions(
        &message,
        &[
            "a.yaml",
            ":9",
            "/get/responses/200/content/application~1json/schema",
            "Nope",
        ],
    );
}

#[test]
fn ref_outside_the_specs_root() {
    let message = error_for(&[(
        "sailpoint-api.x.yaml",
        &format!("{HEADER}paths:\n  /a:\n    $ref: ../outside.yaml\n"),
    )]);
    assert_mentions(
        &message,
        &["sailpoint-api.x.yaml", ":7", "/paths/~1a", "outside"],
    );
}

#[test]
fn remote_ref_is_refused() {
    let message = error_for(&[(
        "sailpoint-api.x.yaml",
        &format!("{HEADER}paths:\n  /a:\n    $ref: https://example.com/a.yaml\n"),
    )]);
    assert_mentions(
        &message,
        &[
            "sailpoint-api.x.yaml",
            ":7",
            "/paths/~1a",
            "https://example.com/a.yaml",
        ],
    );
}

#[test]
fn swagger_2_is_refused() {
    let message = error_for(&[(
        "sailpoint-api.x.yaml",
        "swagger: '2.0'\ninfo:\n  title: Old\n  version: x\npaths: {}\n",
    )]);
    assert_mentions(&message, &["sailpoint-api.x.yaml", "2.0"]);
}

#[test]
fn openapi_3_1_is_refused() {
    let message = error_for(&[(
        "sailpoint-api.x.yaml",
        "openapi: 3.1.0\ninfo:\n  title: New\n  version: x\npaths: {}\n",
    )]);
    assert_mentions(&message, &["sailpoint-api.x.yaml", "3.1.0"]);
}

#[test]
fn duplicate_operation_id() {
    let op = "operationId: same\n      responses:\n        '204':\n          description: ok\n";
    let message = error_for(&[(
        "sailpoint-api.x.yaml",
        &format!("{HEADER}paths:\n  /a:\n    get:\n      {op}  /b:\n    get:\n      {op}"),
    )]);
    assert_mentions(
        &message,
        &["sailpoint-api.x.yaml", "/paths/~1b/get", "same", "GET /a"],
    );
}

#[test]
fn unknown_version_names_what_exists() {
    let (dir, version) = (
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/constructs"),
        "nope",
    );
    let error = common::generate(&dir, &[version.to_owned()]).expect_err("unknown version");
    assert_mentions(&error.to_string(), &["nope", "structs"]);
}

/// A folder without any spec (most likely a wrong path) is an error, not an empty crate set.
#[test]
fn a_folder_without_specs_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("notes.yaml"), "not: a spec\n").expect("write");
    let error = common::generate(dir.path(), &[]).expect_err("no spec");
    assert!(matches!(error, generator::Error::NoRoots { .. }), "{error}");
    assert_mentions(
        &error.to_string(),
        &[
            &dir.path().display().to_string(),
            "sailpoint-api.<version>.yaml",
            "<resource>/openapi.yaml",
        ],
    );
}
