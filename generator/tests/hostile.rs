//! Hostile and unusual inputs to the load stage: special files, pointer syntax, schema
//! references to non-schemas, JSON-syntax specs. Each load runs under a deadline, so a
//! hang fails the test instead of stalling the suite.

use std::fs;
use std::path::Path;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use generator::load::{load_version, LoadError, LoadedSpec};

const HEADER: &str = "openapi: 3.0.1\ninfo:\n  title: Hostile\n  version: x\n";

/// Writes `files` into a fresh specs folder.
fn specs(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, text) in files {
        let target = dir.path().join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(target, text).expect("write");
    }
    dir
}

/// Loads version `x` of `dir` on another thread; a load that takes more than 30 s fails
/// the test (the thread is left behind).
fn load(dir: &Path) -> Result<LoadedSpec, LoadError> {
    let (send, receive) = mpsc::channel();
    let dir = dir.to_path_buf();
    thread::spawn(move || {
        let _ = send.send(load_version(&dir, "x"));
    });
    match receive.recv_timeout(Duration::from_secs(30)) {
        Ok(result) => result,
        Err(e) => panic!("load did not finish: {e}"),
    }
}

fn load_error(dir: &Path) -> LoadError {
    match load(dir) {
        Ok(spec) => panic!("should not load; warnings: {:#?}", spec.warnings),
        Err(e) => e,
    }
}

/// The message starts with `file:line: #pointer` and contains every part.
fn assert_error(e: &LoadError, at: &str, parts: &[&str]) {
    let msg = e.to_string();
    assert!(msg.starts_with(at), "{msg:?} should start with {at:?}");
    for part in parts {
        assert!(msg.contains(part), "{msg:?} should contain {part:?}");
    }
}

fn mkfifo(path: &Path) -> bool {
    let made = std::process::Command::new("mkfifo").arg(path).status();
    if !matches!(made, Ok(status) if status.success()) {
        eprintln!("skipped: mkfifo is not available");
        return false;
    }
    true
}

const PATH_REF: &str = "paths:\n  /a:\n    $ref: ./x/a.yaml\n";

#[test]
fn a_named_pipe_is_refused_where_it_is_referenced() {
    let dir = specs(&[("sailpoint-api.x.yaml", &format!("{HEADER}{PATH_REF}"))]);
    fs::create_dir(dir.path().join("x")).expect("mkdir");
    if !mkfifo(&dir.path().join("x/a.yaml")) {
        return;
    }
    let e = load_error(dir.path());
    assert!(matches!(e, LoadError::NotAFile { .. }), "{e:?}");
    assert_error(
        &e,
        "sailpoint-api.x.yaml:7: #/paths/~1a: ",
        &["`x/a.yaml` is a named pipe (FIFO)"],
    );
}

#[test]
fn a_named_pipe_in_an_unused_extension_does_not_block() {
    let root = format!("{HEADER}x-unused:\n  $ref: ./pipe.yaml\npaths: {{}}\n");
    let dir = specs(&[("sailpoint-api.x.yaml", &root)]);
    if !mkfifo(&dir.path().join("pipe.yaml")) {
        return;
    }
    let spec = load(dir.path()).expect("the pipe is never needed");
    assert!(spec.warnings.is_empty(), "{:#?}", spec.warnings);
}

#[test]
fn a_directory_is_refused_where_it_is_referenced() {
    let dir = specs(&[("sailpoint-api.x.yaml", &format!("{HEADER}{PATH_REF}"))]);
    fs::create_dir_all(dir.path().join("x/a.yaml")).expect("mkdir");
    let e = load_error(dir.path());
    assert!(matches!(e, LoadError::NotAFile { .. }), "{e:?}");
    assert_error(
        &e,
        "sailpoint-api.x.yaml:7: #/paths/~1a: ",
        &["`x/a.yaml` is a directory"],
    );
}

#[test]
fn a_file_over_the_size_limit_is_refused() {
    let dir = specs(&[("sailpoint-api.x.yaml", &format!("{HEADER}{PATH_REF}"))]);
    fs::create_dir(dir.path().join("x")).expect("mkdir");
    // Sparse: no disk space is used.
    let big = fs::File::create(dir.path().join("x/a.yaml")).expect("create");
    big.set_len(65 * 1024 * 1024).expect("set_len");
    let e = load_error(dir.path());
    assert!(matches!(e, LoadError::TooLarge { .. }), "{e:?}");
    assert_error(
        &e,
        "sailpoint-api.x.yaml:7: #/paths/~1a: ",
        &["`x/a.yaml` is 68157440 bytes", "67108864"],
    );
}

/// A root file with one operation returning `schema`, and `components` appended.
fn with_schema_use(schema_ref: &str, components: &str) -> String {
    format!(
        "{HEADER}paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '{schema_ref}'\n{components}"
    )
}

#[test]
fn aliases_of_one_schema_are_reported_once() {
    let components = "components:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/C'\n    C:\n      $ref: '#/components/schemas/D'\n    D:\n      type: string\n";
    let root = with_schema_use("#/components/schemas/A", components);
    let dir = specs(&[("sailpoint-api.x.yaml", &root)]);
    let spec = load(dir.path()).expect("loads");
    assert_eq!(spec.warnings.len(), 1, "{:#?}", spec.warnings);
    let w = &spec.warnings[0];
    assert_eq!(w.at.pointer, "/components/schemas/A");
    assert!(
        w.message
            .contains("`A` and 2 more (`B`, `C`) are the same schema as `D`"),
        "{}",
        w.message
    );
    let schemas = &spec
        .openapi
        .components
        .as_ref()
        .expect("components")
        .schemas;
    assert_eq!(schemas.keys().collect::<Vec<_>>(), ["D"]);
}

#[test]
fn an_alias_cycle_is_an_error() {
    let components = "components:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n    B:\n      $ref: '#/components/schemas/A'\n";
    let root = with_schema_use("#/components/schemas/A", components);
    let dir = specs(&[("sailpoint-api.x.yaml", &root)]);
    let e = load_error(dir.path());
    assert!(matches!(e, LoadError::RefCycle { .. }), "{e:?}");
    assert_error(
        &e,
        "sailpoint-api.x.yaml:",
        &["#/components/schemas/A -> ", "#/components/schemas/B -> "],
    );
}

#[test]
fn a_schema_ref_to_the_document_or_a_non_schema_is_an_error() {
    for (reference, what) in [
        ("#", "is the whole OpenAPI document"),
        ("", "is the whole OpenAPI document"),
        ("#/info", "is not a Schema object"),
        ("#/info/title", "is a string"),
        ("#/paths/~1a", "is a Path Item"),
        ("#/components/schemas", "is a map of Schema objects"),
    ] {
        let components = "components:\n  schemas:\n    Thing:\n      type: string\n";
        let root = with_schema_use(reference, components);
        let dir = specs(&[("sailpoint-api.x.yaml", &root)]);
        let e = load_error(dir.path());
        assert!(matches!(e, LoadError::BadRef { .. }), "{reference}: {e:?}");
        assert_error(
            &e,
            "sailpoint-api.x.yaml:15: #/paths/~1a/get/responses/200/content/application~1json/schema: ",
            &["a schema `$ref` must lead to a schema", what],
        );
    }
}

#[test]
fn a_split_file_may_refer_to_itself_as_a_schema() {
    let root = with_schema_use("./x/Tree.yaml", "");
    let tree =
        "type: object\nproperties:\n  children:\n    type: array\n    items:\n      $ref: '#'\n";
    let dir = specs(&[("sailpoint-api.x.yaml", &root), ("x/Tree.yaml", tree)]);
    let spec = load(dir.path()).expect("a recursive schema file loads");
    let schemas = &spec
        .openapi
        .components
        .as_ref()
        .expect("components")
        .schemas;
    assert_eq!(schemas.keys().collect::<Vec<_>>(), ["Tree"]);
}

#[test]
fn an_invalid_pointer_escape_is_an_error() {
    let components = "components:\n  schemas:\n    a~b:\n      type: string\n";
    let root = with_schema_use("#/components/schemas/a~2b", components);
    let dir = specs(&[("sailpoint-api.x.yaml", &root)]);
    let e = load_error(dir.path());
    assert!(matches!(e, LoadError::BadRef { .. }), "{e:?}");
    assert_error(
        &e,
        "sailpoint-api.x.yaml:15: #/paths/~1a/get/responses/200/content/application~1json/schema: ",
        &["`#/components/schemas/a~2b`", "followed by `0` or `1`"],
    );
}
