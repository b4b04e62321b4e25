//! Random multi-file specs for property tests (proptest strategies).
//!
//! Independent of the generator's internals: a [`RandomSpec`] is just files (path, text)
//! to write into a specs folder, so the load, model and render tests can all use it
//! (`#[path = "common/random_spec.rs"] mod random_spec;`).
//!
//! What it covers: names that are Rust keywords, unicode, case and separator variants
//! that collide once turned into Rust names; schemas nested at random; `$ref` graphs with
//! cycles through every edge kind (plain `$ref`, `allOf`, `oneOf`, properties, `items`,
//! `additionalProperties`); schemas in the root file or in their own files, written in
//! block YAML or in JSON syntax; and, in [`hostile_spec`], defects: refs to the document,
//! to non-schemas, to missing files or pointers, bad pointer escapes, upper-case methods,
//! paths without `/`, Swagger-2 `required: true`.
#![allow(dead_code)] // each test crate uses a different subset

use std::fs;
use std::io;
use std::path::Path;

use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// The version every random spec is written as.
pub const VERSION: &str = "x";

/// A spec as files to write.
#[derive(Debug, Clone)]
pub struct RandomSpec {
    /// (path relative to the specs folder, text).
    pub files: Vec<(String, String)>,
}

impl RandomSpec {
    /// Writes the files into `dir` (a specs folder).
    pub fn write_to(&self, dir: &Path) -> io::Result<()> {
        for (path, text) in &self.files {
            let target = dir.join(path);
            if let Some(parent) = target.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::write(target, text)?;
        }
        Ok(())
    }
}

/// Names chosen to collide and to trouble name mangling.
const NAMES: &[&str] = &[
    "type",
    "self",
    "Self",
    "match",
    "fn",
    "async",
    "dyn",
    "crate",
    "super",
    "r#type",
    "Box",
    "Option",
    "Result",
    "String",
    "Vec",
    "Default",
    "é",
    "naïve",
    "日本",
    "Ünïcode",
    "a-b",
    "a_b",
    "a.b",
    "a b",
    "A-B",
    "1st",
    "_",
    "__",
    "foo",
    "Foo",
    "FOO",
    "foo_bar",
    "fooBar",
    "FooBar",
    "foo-bar",
    "x~y",
    "a/b",
    "%20",
    "$ref",
    "null",
    "true",
    "200",
    "",
];

fn name() -> impl Strategy<Value = String> {
    prop::sample::select(NAMES).prop_map(str::to_owned)
}

/// A schema's shape; `Ref(i)` is a reference to the `i`-th named schema (modulo their
/// count), made relative to wherever it is written.
#[derive(Debug, Clone)]
pub enum Shape {
    Scalar(&'static str),
    Enum(Vec<String>),
    Ref(usize),
    /// A `$ref` with siblings (wrapped into `allOf` by the loader).
    RefWithSiblings(usize),
    Object(Vec<(String, Shape, bool)>),
    Array(Box<Shape>),
    Dictionary(Box<Shape>),
    AllOf(Vec<Shape>),
    OneOf(Vec<Shape>),
}

fn shape() -> impl Strategy<Value = Shape> {
    let leaf = prop_oneof![
        prop::sample::select(&["string", "integer", "number", "boolean", "object"][..])
            .prop_map(Shape::Scalar),
        prop::collection::vec(name(), 0..4).prop_map(Shape::Enum),
        (0..16usize).prop_map(Shape::Ref),
        (0..16usize).prop_map(Shape::RefWithSiblings),
    ];
    leaf.prop_recursive(4, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec((name(), inner.clone(), any::<bool>()), 0..4)
                .prop_map(Shape::Object),
            inner.clone().prop_map(|s| Shape::Array(Box::new(s))),
            inner.clone().prop_map(|s| Shape::Dictionary(Box::new(s))),
            prop::collection::vec(inner.clone(), 1..3).prop_map(Shape::AllOf),
            prop::collection::vec(inner, 1..3).prop_map(Shape::OneOf),
        ]
    })
}

/// Where a named schema is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Home {
    /// Under the root file's `components.schemas`.
    Root,
    /// In `x/schemas/S<i>.yaml`, listed in the root's `components.schemas` by `$ref`.
    Listed,
    /// In `x/schemas/S<i>.yaml`, reached only by `$ref`s.
    Unlisted,
}

#[derive(Debug, Clone)]
pub struct NamedSchema {
    pub name: String,
    pub home: Home,
    pub shape: Shape,
    /// Written in JSON syntax (flow) rather than block YAML.
    pub json: bool,
}

#[derive(Debug, Clone)]
pub struct RandomOperation {
    pub path: String,
    pub method: String,
    pub schema: usize,
}

/// The parts of a random spec, before it is written out.
#[derive(Debug, Clone)]
pub struct SpecParts {
    pub schemas: Vec<NamedSchema>,
    pub operations: Vec<RandomOperation>,
    pub root_json: bool,
}

fn named_schema() -> impl Strategy<Value = NamedSchema> {
    (
        name(),
        prop::sample::select(&[Home::Root, Home::Listed, Home::Unlisted][..]),
        shape(),
        any::<bool>(),
    )
        .prop_map(|(name, home, shape, json)| NamedSchema {
            name,
            home,
            shape,
            json,
        })
}

fn operation(methods: &'static [&'static str]) -> impl Strategy<Value = RandomOperation> {
    (name(), prop::sample::select(methods), 0..16usize).prop_map(|(segment, method, schema)| {
        RandomOperation {
            path: format!("/{}", segment.replace(['/', '{', '}'], "_")),
            method: method.to_owned(),
            schema,
        }
    })
}

fn parts(methods: &'static [&'static str]) -> impl Strategy<Value = SpecParts> {
    (
        prop::collection::vec(named_schema(), 1..8),
        prop::collection::vec(operation(methods), 0..5),
        any::<bool>(),
    )
        .prop_map(|(schemas, operations, root_json)| SpecParts {
            schemas,
            operations,
            root_json,
        })
}

/// Valid-looking random specs: every `$ref` resolves (cycles included).
pub fn random_spec() -> impl Strategy<Value = RandomSpec> {
    parts(&["get", "put", "post", "delete", "patch"]).prop_map(|p| render(&p, &[]))
}

/// A defect [`hostile_spec`] adds.
#[derive(Debug, Clone)]
pub enum Defect {
    /// An operation's schema `$ref` replaced by this string.
    SchemaRef(&'static str),
    /// A path key written without its `/`.
    PathWithoutSlash,
    /// A schema with `required: true`.
    BooleanRequired,
}

const HOSTILE_REFS: &[&str] = &[
    "#",
    "",
    "#/info",
    "#/paths",
    "#/components/schemas",
    "#/components/schemas/a~2b",
    "#/components/schemas/nope",
    "./x/schemas/missing.yaml",
    "./x/schemas/S0.yaml#/nope",
    "../outside.yaml",
    "https://example.com/a.yaml",
    "#anchor",
    "./x",
    "./x/schemas/S0.yaml#/properties",
];

fn defect() -> impl Strategy<Value = Defect> {
    prop_oneof![
        prop::sample::select(HOSTILE_REFS).prop_map(Defect::SchemaRef),
        Just(Defect::PathWithoutSlash),
        Just(Defect::BooleanRequired),
    ]
}

/// Random specs with defects: methods in any case, and some of [`Defect`].
pub fn hostile_spec() -> impl Strategy<Value = RandomSpec> {
    (
        parts(&["get", "GET", "Post", "put", "delete", "fetch"]),
        prop::collection::vec(defect(), 0..3),
    )
        .prop_map(|(p, defects)| render(&p, &defects))
}

/// Writes the parts out as files.
pub fn render(parts: &SpecParts, defects: &[Defect]) -> RandomSpec {
    let count = parts.schemas.len();
    let mut files = Vec::new();
    let mut root_schemas = Map::new();
    for (i, schema) in parts.schemas.iter().enumerate() {
        let file = format!("x/schemas/S{i}.yaml");
        match schema.home {
            Home::Root => {
                let value = schema_value(&schema.shape, parts, Place::Root, count);
                root_schemas.insert(schema.name.clone(), value);
            }
            Home::Listed | Home::Unlisted => {
                let mut value = schema_value(&schema.shape, parts, Place::SchemaFile, count);
                if defects.iter().any(|d| matches!(d, Defect::BooleanRequired)) {
                    if let Value::Object(map) = &mut value {
                        map.insert("required".to_owned(), Value::Bool(true));
                    }
                }
                files.push((file.clone(), text(&value, schema.json)));
                if schema.home == Home::Listed {
                    root_schemas
                        .insert(schema.name.clone(), json!({ "$ref": format!("./{file}") }));
                }
            }
        }
    }
    let mut paths = Map::new();
    for (n, op) in parts.operations.iter().enumerate() {
        let schema = schema_ref(op.schema, parts, Place::Root, count);
        let schema = match defects.get(n % defects.len().max(1)) {
            Some(Defect::SchemaRef(reference)) => json!({ "$ref": reference }),
            _ => schema,
        };
        let path = match defects
            .iter()
            .any(|d| matches!(d, Defect::PathWithoutSlash))
        {
            true => op.path.trim_start_matches('/').to_owned(),
            false => op.path.clone(),
        };
        let item = paths
            .entry(path)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(op.method.clone(), operation_value(n, &schema));
        }
    }
    let mut root = json!({
        "openapi": "3.0.1",
        "info": { "title": "Random", "version": VERSION },
        "paths": paths,
    });
    if !root_schemas.is_empty() {
        root["components"] = json!({ "schemas": root_schemas });
    }
    files.push((
        format!("sailpoint-api.{VERSION}.yaml"),
        text(&root, parts.root_json),
    ));
    RandomSpec { files }
}

fn operation_value(n: usize, schema: &Value) -> Value {
    json!({
        "operationId": format!("operation{n}"),
        "parameters": [{ "name": "q", "in": "query", "schema": schema }],
        "requestBody": { "content": { "application/json": { "schema": schema } } },
        "responses": {
            "200": {
                "description": "ok",
                "content": { "application/json": { "schema": schema } }
            }
        }
    })
}

/// Where a schema is written, for relative references.
#[derive(Clone, Copy)]
enum Place {
    Root,
    SchemaFile,
}

fn schema_ref(target: usize, parts: &SpecParts, place: Place, count: usize) -> Value {
    let index = target % count;
    let schema = &parts.schemas[index];
    let reference = match (schema.home, place) {
        (Home::Root, Place::Root) => {
            format!("#/components/schemas/{}", escape(&schema.name))
        }
        (Home::Root, Place::SchemaFile) => format!(
            "../../sailpoint-api.{VERSION}.yaml#/components/schemas/{}",
            escape(&schema.name)
        ),
        (_, Place::Root) => format!("./x/schemas/S{index}.yaml"),
        (_, Place::SchemaFile) => format!("./S{index}.yaml"),
    };
    json!({ "$ref": reference })
}

/// A name as a JSON-pointer segment in a URI fragment.
fn escape(name: &str) -> String {
    name.replace('~', "~0")
        .replace('/', "~1")
        .replace('%', "%25")
        .replace(' ', "%20")
}

fn schema_value(shape: &Shape, parts: &SpecParts, place: Place, count: usize) -> Value {
    let nested = |s: &Shape| schema_value(s, parts, place, count);
    match shape {
        Shape::Scalar(kind) => json!({ "type": kind }),
        Shape::Enum(values) => json!({ "type": "string", "enum": values }),
        Shape::Ref(target) => schema_ref(*target, parts, place, count),
        Shape::RefWithSiblings(target) => {
            let mut value = schema_ref(*target, parts, place, count);
            value["description"] = json!("A reference with siblings.");
            value["nullable"] = json!(true);
            value
        }
        Shape::Object(properties) => {
            let mut props = Map::new();
            let mut required = Vec::new();
            for (name, shape, is_required) in properties {
                props.insert(name.clone(), nested(shape));
                if *is_required {
                    required.push(json!(name));
                }
            }
            let mut value = json!({ "type": "object", "properties": props });
            if !required.is_empty() {
                value["required"] = Value::Array(required);
            }
            value
        }
        Shape::Array(items) => json!({ "type": "array", "items": nested(items) }),
        Shape::Dictionary(values) => {
            json!({ "type": "object", "additionalProperties": nested(values) })
        }
        Shape::AllOf(members) => {
            json!({ "allOf": members.iter().map(nested).collect::<Vec<_>>() })
        }
        Shape::OneOf(members) => {
            json!({ "oneOf": members.iter().map(nested).collect::<Vec<_>>() })
        }
    }
}

/// Block YAML, or JSON (pretty-printed: flow syntax over many lines).
fn text(value: &Value, json: bool) -> String {
    let written = match json {
        true => serde_json::to_string_pretty(value).ok(),
        false => serde_yaml::to_string(value).ok(),
    };
    written.unwrap_or_default()
}
