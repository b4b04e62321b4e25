//! Synthetic specs of a chosen size, for scaling tests and benchmarks.
//!
//! Shared by the test crates that need them (`#[path = "common/synthetic.rs"] mod
//! synthetic;`); they depend on nothing but `std`, so a benchmark can include the file the
//! same way. Every spec is a valid OpenAPI 3.0 document that loads without warnings, so
//! a test can assert on timing alone.
#![allow(dead_code)] // each test crate uses a different subset

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::Path;

const METHODS: [&str; 4] = ["get", "post", "put", "delete"];

/// A single-file spec with `operations` operations (four per path: get, post, put,
/// delete), each with a path and a query parameter, a request body (post and put) and a
/// response schema, plus one component schema per operation, a shared parameter and a
/// shared response.
pub fn synthetic_spec(operations: usize) -> String {
    let mut out = String::with_capacity(operations * 1_200 + 1_000);
    out.push_str(
        "openapi: 3.0.1\ninfo:\n  title: Synthetic\n  version: synthetic\n\
         servers:\n  - url: https://example.test/synthetic\npaths:\n",
    );
    if operations == 0 {
        out.push_str("  {}\n");
    }
    for i in 0..operations {
        let (path, method) = (i / METHODS.len(), METHODS[i % METHODS.len()]);
        if i % METHODS.len() == 0 {
            let _ = writeln!(out, "  /resources{path}/{{id}}:");
        }
        push_operation(&mut out, i, method);
    }
    out.push_str("components:\n  parameters:\n");
    out.push_str(
        "    Limit:\n      name: limit\n      in: query\n      schema:\n        type: integer\n        format: int32\n        maximum: 250\n",
    );
    out.push_str(
        "  responses:\n    NotFound:\n      description: Not found.\n      content:\n        application/json:\n          schema:\n            $ref: '#/components/schemas/Error'\n",
    );
    out.push_str("  schemas:\n");
    out.push_str(
        "    Error:\n      type: object\n      required: [message]\n      properties:\n        message:\n          type: string\n        code:\n          type: integer\n",
    );
    for i in 0..operations {
        push_schema(&mut out, i);
    }
    out
}

fn push_operation(out: &mut String, i: usize, method: &str) {
    let _ = write!(
        out,
        "    {method}:\n      operationId: operation{i}\n      tags: [Tag{tag}]\n      summary: Operation number {i}.\n\
         \x20     parameters:\n        - name: id\n          in: path\n          required: true\n          schema:\n            type: string\n\
         \x20       - $ref: '#/components/parameters/Limit'\n        - name: filter{i}\n          in: query\n          schema:\n            type: string\n",
        tag = i % 25,
    );
    if method == "post" || method == "put" {
        let _ = write!(
            out,
            "      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              $ref: '#/components/schemas/Item{i}'\n",
        );
    }
    let _ = write!(
        out,
        "      responses:\n        '200':\n          description: OK.\n          content:\n            application/json:\n              schema:\n                type: array\n                items:\n                  $ref: '#/components/schemas/Item{i}'\n\
         \x20       '404':\n          $ref: '#/components/responses/NotFound'\n",
    );
}

fn push_schema(out: &mut String, i: usize) {
    let _ = write!(
        out,
        "    Item{i}:\n      type: object\n      description: Item number {i}.\n      required: [id]\n      properties:\n\
         \x20       id:\n          type: string\n        count:\n          type: integer\n          format: int64\n\
         \x20       state:\n          type: string\n          enum: [ON, OFF]\n        tags:\n          type: array\n          items:\n            type: string\n",
    );
    if i > 0 {
        let _ = writeln!(
            out,
            "        previous:\n          $ref: '#/components/schemas/Item{}'",
            i - 1
        );
    }
}

/// A minimal spec whose `info` carries an extension mapping of `keys` members, one a line
/// (`k0: 0`...): a big mapping the model ignores.
pub fn big_mapping_spec(keys: usize) -> String {
    let mut out = String::with_capacity(keys * 16 + 200);
    out.push_str("openapi: 3.0.1\ninfo:\n  title: Big mapping\n  version: big\n  x-keys:\n");
    for k in 0..keys {
        let _ = writeln!(out, "    k{k}: {k}");
    }
    out.push_str("paths: {}\n");
    out
}

/// A spec whose component schemas form an alias chain `S0 -> S1 -> ... -> S{links}`: each
/// but the last is nothing but a `$ref` to the next, and an operation uses `S0`.
pub fn alias_chain_spec(links: usize) -> String {
    let mut out = String::with_capacity(links * 60 + 600);
    out.push_str(
        "openapi: 3.0.1\ninfo:\n  title: Alias chain\n  version: chain\npaths:\n  /things:\n    get:\n\
         \x20     operationId: getThing\n      responses:\n        '200':\n          description: OK.\n\
         \x20         content:\n            application/json:\n              schema:\n\
         \x20               $ref: '#/components/schemas/S0'\ncomponents:\n  schemas:\n",
    );
    for i in 0..links {
        let _ = writeln!(
            out,
            "    S{i}:\n      $ref: '#/components/schemas/S{}'",
            i + 1
        );
    }
    let _ = writeln!(
        out,
        "    S{links}:\n      type: object\n      properties:\n        name:\n          type: string"
    );
    out
}

/// Writes `text` as the root file of version `version` in `dir`.
pub fn write_root(dir: &Path, version: &str, text: &str) -> io::Result<()> {
    fs::write(dir.join(format!("sailpoint-api.{version}.yaml")), text)
}
