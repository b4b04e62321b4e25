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

fn operations(spec: &LoadedSpec) -> Vec<String> {
    spec.openapi
        .operations()
        .map(|(path, method, _)| format!("{method} {path}"))
        .collect()
}

fn warned<'s>(spec: &'s LoadedSpec, pointer: &str, text: &str) -> &'s generator::Diagnostic {
    spec.warnings
        .iter()
        .find(|w| w.at.pointer == pointer && w.message.contains(text))
        .unwrap_or_else(|| {
            panic!(
                "no warning at {pointer} with {text:?}: {:#?}",
                spec.warnings
            )
        })
}

const OP: &str = "      responses:\n        '204':\n          description: ok\n";

#[test]
fn upper_case_methods_are_read_as_lower_case() {
    let root = format!(
        "{HEADER}paths:\n  /a:\n    GET:\n      operationId: getA\n{OP}    Post:\n      operationId: postA\n{OP}    get:\n      operationId: getAgain\n{OP}    fetch:\n      operationId: fetchA\n{OP}"
    );
    let dir = specs(&[("sailpoint-api.x.yaml", &root)]);
    let spec = load(dir.path()).expect("loads");
    assert_eq!(operations(&spec), ["get /a", "post /a"]);
    let get = spec.openapi.paths.paths["/a"]
        .as_item()
        .and_then(|i| i.get.as_ref());
    assert_eq!(
        get.and_then(|op| op.operation_id.as_deref()),
        Some("getAgain")
    );
    let w = warned(
        &spec,
        "/paths/~1a/Post",
        "HTTP method `Post` must be lower-case",
    );
    assert_eq!(w.at.line, Some(12));
    warned(
        &spec,
        "/paths/~1a/GET",
        "operation `GET` ignored: this Path Item has `get` too",
    );
    warned(
        &spec,
        "/paths/~1a/fetch",
        "`fetch` is no Path Item field nor HTTP method",
    );
    assert_eq!(
        spec.operation_origins["POST /a"].pointer, "/paths/~1a/Post",
        "{:?}",
        spec.operation_origins
    );
}

#[test]
fn paths_without_a_slash_get_one() {
    let root = format!(
        "{HEADER}paths:\n  users/{{id}}:\n    get:\n      operationId: getUser\n{OP}  x-note: 1\n"
    );
    let dir = specs(&[("sailpoint-api.x.yaml", &root)]);
    let spec = load(dir.path()).expect("loads");
    assert_eq!(operations(&spec), ["get /users/{id}"]);
    let w = warned(&spec, "/paths/users~1{id}", "read as `/users/{id}`");
    assert_eq!(w.at.line, Some(6));
    let origin = &spec.operation_origins["GET /users/{id}"];
    assert_eq!(
        (origin.pointer.as_str(), origin.line),
        ("/paths/users~1{id}/get", Some(7))
    );
}

#[test]
fn a_path_without_a_slash_next_to_the_same_path_is_an_error() {
    let root = format!(
        "{HEADER}paths:\n  /a:\n    get:\n      operationId: getA\n{OP}  a:\n    post:\n      operationId: postA\n{OP}"
    );
    let dir = specs(&[("sailpoint-api.x.yaml", &root)]);
    let e = load_error(dir.path());
    assert!(matches!(e, LoadError::Invalid { .. }), "{e:?}");
    assert_error(
        &e,
        "sailpoint-api.x.yaml:12: #/paths/a: ",
        &["`/a` is defined too"],
    );
}

/// The `required` list of component schema `name`.
fn required_of(spec: &LoadedSpec, name: &str) -> Vec<String> {
    let json = serde_json::to_value(&spec.openapi).expect("serializes");
    let required = &json["components"]["schemas"][name]["required"];
    serde_json::from_value(required.clone()).unwrap_or_default()
}

#[test]
fn swagger_2_required_true_marks_the_property_required() {
    let root = with_schema_use("./x/Thing.yaml", "");
    let thing = "type: object\nrequired: [id]\nproperties:\n  id:\n    type: string\n  name:\n    type: string\n    required: true\n  note:\n    type: string\n    required: false\n  owner:\n    $ref: ./Owner.yaml\n  size:\n    $ref: ./Size.yaml\n    required: true\n";
    let owner = "type: object\nrequired: true\nproperties:\n  id:\n    type: string\n";
    let size = "type: integer\n";
    let dir = specs(&[
        ("sailpoint-api.x.yaml", &root),
        ("x/Thing.yaml", thing),
        ("x/Owner.yaml", owner),
        ("x/Size.yaml", size),
    ]);
    let spec = load(dir.path()).expect("a Swagger-2 `required` is tolerated");
    assert_eq!(required_of(&spec, "Thing"), ["id", "name", "owner", "size"]);
    assert!(required_of(&spec, "Owner").is_empty());
    let w = warned(
        &spec,
        "/properties/name/required",
        "`required: true` on a schema is Swagger 2 style",
    );
    assert_eq!(
        (w.at.file.to_str(), w.at.line),
        (Some("x/Thing.yaml"), Some(8))
    );
    warned(&spec, "/properties/note/required", "`required: false`");
    warned(&spec, "/required", "`required: true`");
    warned(&spec, "/properties/size/required", "`required: true`");
    assert_eq!(spec.warnings.len(), 4, "{:#?}", spec.warnings);
}

#[test]
fn swagger_2_required_true_in_a_single_file() {
    let components = "components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        name:\n          type: string\n          required: true\n";
    let root = with_schema_use("#/components/schemas/Thing", components);
    let dir = specs(&[("sailpoint-api.x.yaml", &root)]);
    let spec = load(dir.path()).expect("a Swagger-2 `required` is tolerated");
    assert_eq!(required_of(&spec, "Thing"), ["name"]);
    assert_eq!(spec.warnings.len(), 1, "{:#?}", spec.warnings);
}

#[test]
fn locations_in_json_syntax_specs_have_their_lines() {
    let root = r#"{
  "openapi": "3.0.1",
  "info": {"title": "JSON", "version": "x"},
  "paths": {
    "/a": {"$ref": "./x/a.json"},
    "/b": {
      "$ref": "./x/missing.json"
    }
  }
}
"#;
    let path = r#"{"get": {"operationId": "getA", "responses": {"204": {"description": "ok"}}}}"#;
    let dir = specs(&[("sailpoint-api.x.yaml", root), ("x/a.json", path)]);
    let e = load_error(dir.path());
    assert!(matches!(e, LoadError::MissingFile { .. }), "{e:?}");
    assert_error(
        &e,
        "sailpoint-api.x.yaml:7: #/paths/~1b: ",
        &["x/missing.json"],
    );
}

#[test]
fn warnings_in_json_syntax_specs_have_their_lines() {
    let root = r#"{
  "openapi": "3.0.1",
  "info": {"title": "JSON", "version": "x"},
  "paths": {
    "/a": {"$ref": "./x/a.json"}
  }
}
"#;
    let path = "{\n  \"GET\": {\n    \"operationId\": \"getA\",\n    \"responses\": {\"204\": {\"description\": \"ok\"}}\n  }\n}\n";
    let dir = specs(&[("sailpoint-api.x.yaml", root), ("x/a.json", path)]);
    let spec = load(dir.path()).expect("loads");
    let w = warned(&spec, "/GET", "must be lower-case");
    assert_eq!(w.at.line, Some(2));
    let origin = &spec.operation_origins["GET /a"];
    assert_eq!(
        (origin.file.to_str(), origin.line),
        (Some("x/a.json"), Some(2))
    );
}
