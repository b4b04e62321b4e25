//! Synthetic specs of any size, for the scaling benchmark and tests.
//!
//! Each builder returns the text of one single-file OpenAPI 3.0 document, to be written as
//! a `sailpoint-api.<version>.yaml` root. The text depends on the arguments only: the same
//! size gives the same bytes on every run and machine.

use std::fmt::Write as _;

/// Operations per resource: list, create, get, run (see [`operations_spec`]).
const PER_RESOURCE: usize = 4;
/// Resources per tag: each tag holds this many resources' operations.
const RESOURCES_PER_TAG: usize = 5;

/// A spec with `operations` operations, in resources of four:
///
/// - `GET /items{r}` (two query parameters) lists `Item{r}`;
/// - `POST /items{r}` (two query parameters, a JSON `Item{r}Input` body) creates one;
/// - `GET /items{r}/{id}` (a path parameter) reads one, or the shared `Error`;
/// - `POST /items{r}/{id}/run` (a path parameter, the shared `RunRequest` body) starts the
///   shared `Task`.
///
/// Five resources share a tag (`Group {n}`). The component schemas are shared ones
/// (`Reference`, `Error`, `RunRequest`, `Task`) and two per resource, so the model grows
/// with `operations`. The last resource has fewer operations when `operations` is not a
/// multiple of four.
pub fn operations_spec(operations: usize) -> String {
    let mut out = String::with_capacity(operations * 1_000 + 2_000);
    out.push_str(HEADER);
    out.push_str("paths:");
    if operations == 0 {
        out.push_str(" {}");
    }
    out.push('\n');
    for index in 0..operations {
        push_operation(&mut out, index / PER_RESOURCE, index % PER_RESOURCE);
    }
    out.push_str(SHARED_SCHEMAS);
    for resource in 0..operations.div_ceil(PER_RESOURCE) {
        push_item_schema(&mut out, resource);
        if resource * PER_RESOURCE + 1 < operations {
            push_input_schema(&mut out, resource);
        }
    }
    out
}

/// A small spec (one operation) whose `info` carries an `x-synthetic-keys` extension
/// mapping of `keys` members, one a line (`key0: 0`, `key1: 1`...): a big YAML mapping
/// that the model ignores, so loading it is what a run measures.
pub fn wide_mapping_spec(keys: usize) -> String {
    let mut out = String::with_capacity(keys * 20 + 1_000);
    out.push_str(
        "openapi: 3.0.1\ninfo:\n  title: Synthetic wide mapping\n  version: synthetic\n  x-synthetic-keys:",
    );
    if keys == 0 {
        out.push_str(" {}");
    }
    out.push('\n');
    for key in 0..keys {
        let _ = writeln!(out, "    key{key}: {key}");
    }
    out.push_str(
        "servers:\n  - url: https://example.test/synthetic\npaths:\n  /ping:\n    get:\n      \
         operationId: ping\n      tags: [Ping]\n      responses:\n        '204':\n          \
         description: Alive.\n",
    );
    out
}

const HEADER: &str = "openapi: 3.0.1\ninfo:\n  title: Synthetic operations\n  \
    version: synthetic\nservers:\n  - url: https://example.test/synthetic\n";

/// The schemas every size has, opening `components.schemas`.
const SHARED_SCHEMAS: &str = "components:
  schemas:
    Reference:
      type: object
      required: [type, id]
      properties:
        type:
          type: string
          enum: [IDENTITY, SOURCE]
        id:
          type: string
        name:
          type: string
    Error:
      type: object
      properties:
        detailCode:
          type: string
        messages:
          type: array
          items:
            type: string
    RunRequest:
      type: object
      properties:
        dryRun:
          type: boolean
        reason:
          type: string
    Task:
      type: object
      required: [id]
      properties:
        id:
          type: string
        status:
          type: string
          enum: [QUEUED, RUNNING, DONE]
        started:
          type: string
          format: date-time
";

/// Operation `kind` (0 to 3, see [`operations_spec`]) of resource `resource`, with its
/// path line when it starts a path.
fn push_operation(out: &mut String, resource: usize, kind: usize) {
    let tag = resource / RESOURCES_PER_TAG;
    let r = resource;
    let _ = match kind {
        0 => write!(
            out,
            "  /items{r}:\n    get:\n      operationId: listItems{r}\n      tags: [Group {tag}]\n\
             \x20     summary: Lists the items of kind {r}.\n      parameters:\n{}\
             \x20     responses:\n        '200':\n          description: The items.\n\
             \x20         content:\n            application/json:\n              schema:\n\
             \x20               type: array\n                items:\n\
             \x20                 $ref: '#/components/schemas/Item{r}'\n",
            query_parameters("limit", "integer", "filters", "string"),
        ),
        1 => write!(
            out,
            "    post:\n      operationId: createItem{r}\n      tags: [Group {tag}]\n\
             \x20     summary: Creates an item of kind {r}.\n      parameters:\n{}\
             \x20     requestBody:\n        required: true\n        content:\n\
             \x20         application/json:\n            schema:\n\
             \x20             $ref: '#/components/schemas/Item{r}Input'\n\
             \x20     responses:\n        '201':\n          description: The new item.\n\
             \x20         content:\n            application/json:\n              schema:\n\
             \x20               $ref: '#/components/schemas/Item{r}'\n",
            query_parameters("dryRun", "boolean", "source", "string"),
        ),
        2 => write!(
            out,
            "  /items{r}/{{id}}:\n    get:\n      operationId: getItem{r}\n      tags: [Group {tag}]\n\
             \x20     summary: Reads an item of kind {r}.\n      parameters:\n{ID}\
             \x20     responses:\n        '200':\n          description: The item.\n\
             \x20         content:\n            application/json:\n              schema:\n\
             \x20               $ref: '#/components/schemas/Item{r}'\n\
             \x20       '404':\n          description: No such item.\n\
             \x20         content:\n            application/json:\n              schema:\n\
             \x20               $ref: '#/components/schemas/Error'\n",
        ),
        _ => write!(
            out,
            "  /items{r}/{{id}}/run:\n    post:\n      operationId: runItem{r}\n      tags: [Group {tag}]\n\
             \x20     summary: Starts a task on an item of kind {r}.\n      parameters:\n{ID}\
             \x20     requestBody:\n        content:\n          application/json:\n\
             \x20           schema:\n              $ref: '#/components/schemas/RunRequest'\n\
             \x20     responses:\n        '202':\n          description: The task.\n\
             \x20         content:\n            application/json:\n              schema:\n\
             \x20               $ref: '#/components/schemas/Task'\n",
        ),
    };
}

/// The `id` path parameter, as list items under `parameters:`.
const ID: &str = "        - name: id\n          in: path\n          required: true\n          \
    schema:\n            type: string\n";

/// Two optional query parameters, as list items under `parameters:`.
fn query_parameters(first: &str, first_type: &str, second: &str, second_type: &str) -> String {
    format!(
        "        - name: {first}\n          in: query\n          schema:\n            type: {first_type}\n\
         \x20       - name: {second}\n          in: query\n          schema:\n            type: {second_type}\n"
    )
}

/// `Item{r}`: what resource `r`'s operations return.
fn push_item_schema(out: &mut String, r: usize) {
    let _ = write!(
        out,
        "    Item{r}:\n      type: object\n      description: An item of kind {r}.\n\
         \x20     required: [id, name]\n      properties:\n        id:\n          type: string\n\
         \x20       name:\n          type: string\n        created:\n          type: string\n\
         \x20         format: date-time\n        status:\n          type: string\n\
         \x20         enum: [ACTIVE, INACTIVE]\n        owner:\n\
         \x20         $ref: '#/components/schemas/Reference'\n        labels:\n\
         \x20         type: array\n          items:\n            type: string\n\
         \x20       attributes:\n          type: object\n          additionalProperties:\n\
         \x20           type: string\n",
    );
}

/// `Item{r}Input`: the body that creates one of resource `r`'s items.
fn push_input_schema(out: &mut String, r: usize) {
    let _ = write!(
        out,
        "    Item{r}Input:\n      type: object\n      required: [name]\n      properties:\n\
         \x20       name:\n          type: string\n        description:\n          type: string\n\
         \x20       owner:\n          $ref: '#/components/schemas/Reference'\n",
    );
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `text` as version `synthetic` and builds its model.
    fn model(text: &str) -> crate::model::Api {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("sailpoint-api.synthetic.yaml"), text).expect("write");
        let mut apis = crate::build_models(dir.path(), &[]).expect("synthetic spec models");
        apis.pop().expect("one version")
    }

    #[test]
    fn operations_spec_has_the_operations_asked_for_and_no_warnings() {
        for operations in [0, 1, 2, 3, 4, 7, 41] {
            let api = model(&operations_spec(operations));
            assert_eq!(api.operation_count(), operations);
            assert!(api.warnings.is_empty(), "{operations}: {:#?}", api.warnings);
        }
    }

    #[test]
    fn the_model_grows_with_the_operations() {
        let small = model(&operations_spec(40));
        let large = model(&operations_spec(80));
        assert!(large.types.len() > small.types.len());
    }

    #[test]
    fn wide_mapping_spec_loads_without_warnings() {
        let api = model(&wide_mapping_spec(1_000));
        assert_eq!(api.operation_count(), 1);
        assert!(api.warnings.is_empty(), "{:#?}", api.warnings);
    }

    #[test]
    fn output_is_deterministic() {
        assert_eq!(operations_spec(123), operations_spec(123));
        assert_eq!(wide_mapping_spec(123), wide_mapping_spec(123));
        assert!(wide_mapping_spec(3).contains("    key2: 2\n"));
    }
}
