//! Operations: parameters, request bodies, responses and the paging helpers they qualify
//! for, grouped by their first tag.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    MediaType, Parameter, ParameterSchemaOrContent, PathItem, ReferenceOr, Schema, StatusCode,
};

use super::names::{self, NameSet};
use super::schema::{doc_of, shape, Shape, TypeBuilder};
use super::{
    Alternative, BodyExample, BodyKind, FormPart, Method, ModelError, Operation, Pagination, Param,
    ParamLocation, RequestBody, Response, ResponseBody, ResponseHeader, SearchAfter, StatusVariant,
    Success, Tag, TypeKind, TypeRef,
};
use crate::load::LoadedSpec;
use crate::location::Location;

/// The header that marks an operation experimental; the runtime sends it, not the caller.
const EXPERIMENTAL_HEADER: &str = "x-sailpoint-experimental";

/// Page size for offset pagination when the spec gives no default for `limit`.
const DEFAULT_PAGE_SIZE: i64 = 250;

/// Fields and methods every request builder has: parameters and form fields (each a field
/// and a setter of the builder) get other names.
const BUILDER_MEMBERS: &[&str] = &[
    "client",
    "options",
    "body",
    "request",
    "send",
    "paginate",
    "search_after",
    "search_after_from",
    "timeout",
    "retry_policy",
    "retry_safety",
];

/// The tag of operations that have none.
const UNTAGGED: &str = "Other";

/// Names a tag module cannot have: it is also a cargo feature (not `default`) and a
/// method of the version's `Api` (not `new` or `client`).
const TAKEN_TAG_MODULES: &[&str] = &["default", "new", "client"];

pub fn build_tags(spec: &LoadedSpec, types: &mut TypeBuilder<'_>) -> Result<Vec<Tag>, ModelError> {
    let mut tags: BTreeMap<String, Tag> = BTreeMap::new();
    let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
    // `/a/{x}` and `/a/{y}` are one URL template: a server cannot tell them apart.
    let mut seen_templates: BTreeMap<(String, Method), String> = BTreeMap::new();
    // `apis::apis` would be clippy's `module_inception`.
    let mut tag_modules = NameSet::reserving(TAKEN_TAG_MODULES, "the version crate's `Api`")
        .and_reserving(&["apis"], "the `apis` module that holds the tag modules")
        .and_reserving(names::TRAIT_METHODS, "a trait method of `Api`");
    let mut tag_structs = NameSet::new();
    for (path, item) in spec.openapi.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            return Err(ModelError::Invalid {
                at: Location::new(spec.root_file.clone(), "")
                    .child("paths")
                    .child(path),
                message: "path item reference was not resolved by the loader".into(),
            });
        };
        for (method_name, op) in item.iter() {
            let Some(method) = Method::parse(method_name) else {
                continue;
            };
            let location = operation_location(spec, method, path);
            let id = match &op.operation_id {
                Some(id) => id.clone(),
                None => {
                    let id = names::snake_name(&format!("{method_name} {path}"));
                    types.warn(
                        &location,
                        format!("operation has no operationId; named `{id}`"),
                    );
                    id
                }
            };
            let template = (path_shape(path), method);
            if let Some(first) = seen_templates.get(&template) {
                types.warn(
                    &location,
                    format!(
                        "`{} {path}` matches the same URLs as `{} {first}`; both are generated, and the server decides which one answers",
                        method.as_str(),
                        method.as_str()
                    ),
                );
            } else {
                seen_templates.insert(template, path.clone());
            }
            let here = format!("{} {path}", method.as_str());
            if let Some(first) = seen_ids.insert(id.clone(), here.clone()) {
                return Err(ModelError::DuplicateOperationId {
                    at: location.clone(),
                    id,
                    first,
                });
            }
            let tag_name = op
                .tags
                .first()
                .cloned()
                .unwrap_or_else(|| UNTAGGED.to_owned());
            let operation = build_operation(types, item, op, id, method, path, &location)?;
            let tag = tags.entry(tag_name.clone()).or_insert_with(|| Tag {
                module: String::new(),
                struct_name: String::new(),
                description: spec
                    .openapi
                    .tags
                    .iter()
                    .find(|t| t.name == tag_name)
                    .and_then(|t| t.description.clone()),
                name: tag_name.clone(),
                operations: Vec::new(),
            });
            tag.operations.push(operation);
        }
    }
    // Tag modules are named in sorted tag order so adding a tag never renames another.
    let mut out: Vec<Tag> = tags.into_values().collect();
    for tag in &mut out {
        let holder = format!("tag `{}`", tag.name);
        let module = tag_modules.claim_for(&names::module_name(&tag.name), &holder);
        if let (Some(message), Some(first)) =
            (module.clash_message("tag module"), tag.operations.first())
        {
            types.warn(&first.location, message);
        }
        tag.module = module.name;
        tag.struct_name = tag_structs.claim(&format!("{}Api", names::type_name(&tag.name)));
        name_tag_items(tag, types);
    }
    Ok(out)
}

/// Names the items of one tag's module: the tag's methods (one per operation) and the
/// types beside its struct (a request builder per operation, a response enum where
/// statuses differ). Two operations whose ids case to one name, or an operation named
/// like the tag's struct, get distinct names with a warning.
fn name_tag_items(tag: &mut Tag, types: &mut TypeBuilder<'_>) {
    let mut methods = NameSet::reserving(names::TRAIT_METHODS, "a trait method").and_reserving(
        names::LINTED_OPERATION_METHODS,
        "a name clippy reads as a constructor or a std trait's method",
    );
    let mut items = NameSet::new();
    items.reserve(&tag.struct_name, "the tag's API struct");
    for op in &mut tag.operations {
        let holder = format!("operation `{}`", op.id);
        let method = methods.claim_for(&op.fn_name, &holder);
        let builder = items.claim_for(&op.builder_name, &holder);
        for message in [
            method.clash_message("method"),
            builder.clash_message("request builder"),
        ]
        .into_iter()
        .flatten()
        {
            types.warn(&op.location, message);
        }
        op.fn_name = method.name;
        op.builder_name = builder.name;
        if let Success::ByStatus { name, .. } = &mut op.success {
            let claimed = items.claim_for(&format!("{}Response", op.builder_name), &holder);
            if let Some(message) = claimed.clash_message("response enum") {
                types.warn(&op.location, message);
            }
            *name = claimed.name;
        }
    }
}

/// A path template with its variables' names left out: `/a/{x}` and `/a/{y}` are `/a/{}`.
fn path_shape(path: &str) -> String {
    let mut shape = String::with_capacity(path.len());
    let mut in_variable = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_variable = true;
                shape.push_str("{}");
            }
            '}' => in_variable = false,
            _ if in_variable => {}
            _ => shape.push(c),
        }
    }
    shape
}

/// Whether a default value can be a value of the parameter's type (an `int32` default of
/// 3,000,000,000 cannot). Types the model does not check here are taken as they are.
fn default_fits(ty: &TypeRef, value: &serde_json::Value) -> bool {
    match ty {
        TypeRef::I32 => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        TypeRef::I64 => value.is_i64(),
        TypeRef::F32 | TypeRef::F64 => value.is_number(),
        TypeRef::Bool => value.is_boolean(),
        TypeRef::String | TypeRef::DateTime => value.is_string(),
        _ => true,
    }
}

fn operation_location(spec: &LoadedSpec, method: Method, path: &str) -> Location {
    match spec
        .operation_origins
        .get(&format!("{} {path}", method.as_str()))
    {
        Some(origin) => origin.clone(),
        None => Location::new(spec.root_file.clone(), "")
            .child("paths")
            .child(path)
            .child(&method.as_str().to_lowercase()),
    }
}

fn build_operation(
    types: &mut TypeBuilder<'_>,
    item: &PathItem,
    op: &openapiv3::Operation,
    id: String,
    method: Method,
    path: &str,
    location: &Location,
) -> Result<Operation, ModelError> {
    let builder_name = names::type_name(&id);
    let mut field_names = NameSet::reserving(BUILDER_MEMBERS, "a request builder method")
        .and_reserving(
            names::LINTED_SETTERS,
            "a std operator's method, which clippy flags on a setter",
        );
    let mut experimental = false;
    let mut params = Vec::new();
    let mut declared = BTreeSet::new();
    for parameter in merged_parameters(item, op) {
        let ReferenceOr::Item(parameter) = parameter else {
            return Err(ModelError::Invalid {
                at: location.clone(),
                message: "parameter reference was not resolved by the loader".into(),
            });
        };
        let data = parameter.parameter_data_ref();
        let param_location = match parameter {
            Parameter::Query { .. } => ParamLocation::Query,
            Parameter::Header { .. } => ParamLocation::Header,
            Parameter::Path { .. } => ParamLocation::Path,
            Parameter::Cookie { .. } => ParamLocation::Cookie,
        };
        if param_location == ParamLocation::Header
            && data.name.eq_ignore_ascii_case(EXPERIMENTAL_HEADER)
        {
            experimental = true;
            continue;
        }
        let param_loc = location.child("parameters").child(&data.name);
        // A parameter is identified by its name and location (header names ignore case);
        // a second declaration would only be a second setter for one wire name.
        let wire_key = match param_location {
            ParamLocation::Header => data.name.to_ascii_lowercase(),
            _ => data.name.clone(),
        };
        if !declared.insert((param_location.as_str(), wire_key)) {
            types.warn(
                &param_loc,
                format!(
                    "{} parameter `{}` is declared twice; the first declaration is used",
                    param_location.as_str(),
                    data.name
                ),
            );
            continue;
        }
        let hint = format!("{builder_name}{}", names::type_name(&data.name));
        let (ty, default) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let default = types
                    .schema_of(schema)
                    .and_then(|s| s.schema_data.default.clone());
                (types.convert(schema, &hint, &param_loc).ty, default)
            }
            ParameterSchemaOrContent::Content(_) => {
                types.warn(
                    &param_loc,
                    "parameter with `content` is sent as its JSON text",
                );
                (TypeRef::Json, None)
            }
        };
        let default = default.filter(|value| {
            let fits = default_fits(&ty, value);
            if !fits {
                types.warn(
                    &param_loc.child("schema").child("default"),
                    format!("default {value} does not fit the parameter's type; ignored"),
                );
            }
            fits
        });
        params.push(Param {
            rust_name: claim_setter(
                &mut field_names,
                types,
                &format!("{} parameter `{}`", param_location.as_str(), data.name),
                &data.name,
                &param_loc,
            ),
            name: data.name.clone(),
            location: param_location,
            required: data.required || param_location == ParamLocation::Path,
            deprecated: data.deprecated.unwrap_or(false),
            ty,
            default,
            description: data.description.clone(),
            explode: data.explode.unwrap_or(true),
        });
    }
    match_path_template(types, path, &mut params, &mut field_names, location);
    let body = match &op.request_body {
        Some(ReferenceOr::Item(body)) => {
            request_body(types, body, &builder_name, &mut field_names, location)
        }
        Some(ReferenceOr::Reference { reference }) => {
            return Err(ModelError::Invalid {
                at: location.child("requestBody"),
                message: format!(
                    "request body reference `{reference}` was not resolved by the loader"
                ),
            })
        }
        None => None,
    };
    let responses = responses(types, op, &builder_name, location);
    let examples = examples(op, body.as_ref(), &responses);
    let success = success(&responses, &builder_name);
    let (accept, alternatives) = media_types(&responses, &mut field_names);
    let pagination = pagination(&params, &success);
    let search_after = search_after(&params, body.as_ref(), &success);
    Ok(Operation {
        location: location.clone(),
        read_only: method == Method::Post && super::read_only::is_read_only_post(&id),
        fn_name: names::snake_name(&id),
        builder_name,
        id,
        method,
        path: path.to_owned(),
        summary: op.summary.clone(),
        description: op.description.clone(),
        deprecated: op.deprecated,
        experimental,
        params,
        body,
        responses,
        success,
        pagination,
        search_after,
        examples,
        accept,
        alternatives,
    })
}

/// The `Accept` media type of `send()` (when its body is not JSON) and a method for every
/// other media type a success body comes in, named after it (`text/csv` -> `send_csv`).
fn media_types(responses: &[Response], names: &mut NameSet) -> (Option<String>, Vec<Alternative>) {
    let mut accept = None;
    let mut others: Vec<(String, ResponseBody)> = Vec::new();
    for (_, response) in success_responses(responses) {
        let chosen = success_media_type(response);
        if accept.is_none() && chosen.is_some_and(|mt| !is_json(mt)) {
            accept = chosen.map(str::to_owned);
        }
        for (media_type, body) in &response.content {
            let taken = Some(media_type.as_str()) == chosen || is_json(media_type);
            if !taken && !others.iter().any(|(mt, _)| mt == media_type) {
                others.push((media_type.clone(), body.clone()));
            }
        }
    }
    let alternatives = others
        .into_iter()
        .map(|(media_type, body)| {
            let subtype = media_type.rsplit('/').next().unwrap_or(&media_type);
            Alternative {
                method: names.claim(&names::snake_name(&format!("send {subtype}"))),
                media_type,
                body,
            }
        })
        .collect();
    (accept, alternatives)
}

/// The status a response answers with on success: its own for a 2xx (`2XX` as 200), and
/// for `default` when the operation lists no success status (it then describes them all).
fn success_code(status: &str, lists_success: bool) -> Option<u16> {
    match status {
        "2XX" => Some(200),
        "default" if !lists_success => Some(200),
        s => s.parse::<u16>().ok().filter(|c| (200..300).contains(c)),
    }
}

/// `true` when one of `statuses` is a success status of its own (2xx or `2XX`).
fn lists_success<'s>(statuses: impl IntoIterator<Item = &'s str>) -> bool {
    statuses
        .into_iter()
        .any(|status| status != "default" && success_code(status, true).is_some())
}

/// The responses that describe a success, with the status each answers with.
fn success_responses(responses: &[Response]) -> impl Iterator<Item = (u16, &Response)> {
    let lists = lists_success(responses.iter().map(|r| r.status.as_str()));
    responses
        .iter()
        .filter_map(move |r| success_code(&r.status, lists).map(|code| (code, r)))
}

/// Named examples of one media type: `example`, then each of `examples` in spec order.
fn media_examples(media: &MediaType) -> Vec<(String, serde_json::Value)> {
    let single = media
        .example
        .iter()
        .map(|v| ("example".to_owned(), v.clone()));
    let named = media
        .examples
        .iter()
        .filter_map(|(name, example)| match example {
            ReferenceOr::Item(example) => example.value.clone().map(|v| (name.clone(), v)),
            ReferenceOr::Reference { .. } => None,
        });
    single.chain(named).collect()
}

fn json_media(content: &openapiv3::Content) -> Option<&MediaType> {
    content.iter().find(|(mt, _)| is_json(mt)).map(|(_, m)| m)
}

fn examples(
    op: &openapiv3::Operation,
    body: Option<&RequestBody>,
    responses: &[Response],
) -> Vec<BodyExample> {
    let mut out = Vec::new();
    if let (
        Some(ReferenceOr::Item(request)),
        Some(RequestBody {
            kind: BodyKind::Json(ty),
            ..
        }),
    ) = (&op.request_body, body)
    {
        if let Some(media) = json_media(&request.content) {
            for (name, value) in media_examples(media) {
                out.push(BodyExample {
                    label: format!("request {name}"),
                    ty: ty.clone(),
                    value,
                });
            }
        }
    }
    for (status, response) in &op.responses.responses {
        let status = status_text(status);
        let ReferenceOr::Item(response) = response else {
            continue;
        };
        let Some(ty) = responses
            .iter()
            .find(|r| r.status == status && status.starts_with('2'))
            .and_then(|r| r.content.iter().find(|(mt, _)| is_json(mt)))
            .and_then(|(_, body)| match body {
                ResponseBody::Json(ty) => Some(ty.clone()),
                _ => None,
            })
        else {
            continue;
        };
        if let Some(media) = json_media(&response.content) {
            for (name, value) in media_examples(media) {
                out.push(BodyExample {
                    label: format!("{status} {name}"),
                    ty: ty.clone(),
                    value,
                });
            }
        }
    }
    out
}

/// Path-item parameters, overridden by operation parameters of the same name and location.
fn merged_parameters<'s>(
    item: &'s PathItem,
    op: &'s openapiv3::Operation,
) -> Vec<&'s ReferenceOr<Parameter>> {
    let key = |p: &ReferenceOr<Parameter>| match p {
        ReferenceOr::Item(p) => Some((
            p.parameter_data_ref().name.clone(),
            std::mem::discriminant(p),
        )),
        ReferenceOr::Reference { .. } => None,
    };
    let mut out: Vec<&ReferenceOr<Parameter>> = item
        .parameters
        .iter()
        .filter(|shared| {
            let k = key(shared);
            k.is_none() || !op.parameters.iter().any(|own| key(own) == k)
        })
        .collect();
    out.extend(op.parameters.iter());
    out
}

/// Template variables (`{id}`) in the path.
fn template_variables(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// Pairs path template variables with declared path parameters. Upstream has templates
/// whose variable matches no parameter (`{sourceId}` declared as `id`): an unmatched
/// variable takes the next unmatched declared path parameter, else a required `String`
/// parameter is added. Both cases are reported.
fn match_path_template(
    types: &mut TypeBuilder<'_>,
    path: &str,
    params: &mut Vec<Param>,
    field_names: &mut NameSet,
    location: &Location,
) {
    let variables = template_variables(path);
    let mut unmatched: Vec<usize> = params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.location == ParamLocation::Path && !variables.contains(&p.name.as_str()))
        .map(|(i, _)| i)
        .collect();
    unmatched.reverse();
    for variable in variables {
        let declared = params
            .iter()
            .any(|p| p.location == ParamLocation::Path && p.name == variable);
        if declared {
            continue;
        }
        match unmatched.pop() {
            Some(index) => {
                let param = &mut params[index];
                types.warn(
                    location,
                    format!(
                        "path template variable `{{{variable}}}` has no parameter; filled from the declared path parameter `{}`",
                        param.name
                    ),
                );
                param.name = variable.to_owned();
            }
            None => {
                types.warn(
                    location,
                    format!("path template variable `{{{variable}}}` has no parameter; added as a required string parameter"),
                );
                params.push(Param {
                    name: variable.to_owned(),
                    rust_name: claim_setter(
                        field_names,
                        types,
                        &format!("path parameter `{variable}`"),
                        variable,
                        location,
                    ),
                    location: ParamLocation::Path,
                    required: true,
                    deprecated: false,
                    ty: TypeRef::String,
                    default: None,
                    description: None,
                    explode: false,
                });
            }
        }
    }
    for index in unmatched {
        let name = params[index].name.clone();
        types.warn(
            location,
            format!("path parameter `{name}` does not appear in the path template; it is accepted and ignored"),
        );
    }
}

/// Content types in the order the client prefers to send them.
fn body_rank(content_type: &str) -> u8 {
    let ct = content_type.to_ascii_lowercase();
    if ct == "application/json" {
        0
    } else if ct.ends_with("+json") || ct.ends_with("/json") {
        1
    } else if ct == "multipart/form-data" {
        2
    } else if ct == "application/x-www-form-urlencoded" {
        3
    } else {
        4
    }
}

fn request_body(
    types: &mut TypeBuilder<'_>,
    body: &openapiv3::RequestBody,
    builder_name: &str,
    field_names: &mut NameSet,
    location: &Location,
) -> Option<RequestBody> {
    let (content_type, media) = body.content.iter().min_by_key(|(ct, _)| body_rank(ct))?;
    let body_location = location
        .child("requestBody")
        .child("content")
        .child(content_type);
    let all: Vec<String> = body.content.keys().cloned().collect();
    if all.len() > 1 {
        types.warn(
            &body_location,
            format!(
                "request body accepts {}; the client sends `{content_type}`",
                all.join(", ")
            ),
        );
    }
    let kind = match body_rank(content_type) {
        0 | 1 => {
            let hint = format!("{builder_name}Request");
            let ty = match &media.schema {
                Some(schema) => {
                    types
                        .convert(schema, &hint, &body_location.child("schema"))
                        .ty
                }
                None => TypeRef::Json,
            };
            BodyKind::Json(ty)
        }
        2 => BodyKind::Multipart(form_parts(
            types,
            builder_name,
            media,
            field_names,
            &body_location,
            false,
        )),
        3 => BodyKind::Form(form_parts(
            types,
            builder_name,
            media,
            field_names,
            &body_location,
            true,
        )),
        _ => BodyKind::Bytes,
    };
    Some(RequestBody {
        required: body.required,
        description: body.description.clone(),
        content_type: content_type.clone(),
        kind,
        all_content_types: all,
    })
}

/// Multipart and form fields: one per property of the body's object schema. An object
/// field is sent as JSON text: OpenAPI's default for a multipart part, but not what a
/// URL-encoded form (`urlencoded`) would spell, which is warned about.
fn form_parts(
    types: &mut TypeBuilder<'_>,
    builder_name: &str,
    media: &MediaType,
    field_names: &mut NameSet,
    location: &Location,
    urlencoded: bool,
) -> Vec<FormPart> {
    let Some(schema) = media.schema.as_ref().and_then(|s| types.schema_of(s)) else {
        return Vec::new();
    };
    let Shape::Object {
        properties,
        required,
        ..
    } = shape(schema, &mut |_| {})
    else {
        types.warn(
            location,
            "form body schema is not an object; sent without fields",
        );
        return Vec::new();
    };
    properties
        .into_iter()
        .map(|(name, property)| {
            let property_schema: Option<&Schema> = match property {
                ReferenceOr::Item(s) => Some(s),
                ReferenceOr::Reference { reference } => types.resolve(&ReferenceOr::Reference {
                    reference: reference.clone(),
                }),
            };
            let field_location = location.child("schema").child("properties").child(name);
            let field_shape = property_schema.map(|s| shape(s, &mut |_| {}));
            let ty = match field_shape {
                Some(Shape::String {
                    format: Some(f), ..
                }) if f == "binary" => TypeRef::File,
                Some(Shape::Array {
                    items: Some(ReferenceOr::Item(item)),
                }) if is_binary(item) => TypeRef::Vec(Box::new(TypeRef::File)),
                _ => {
                    let hint = format!("{builder_name}{}", names::type_name(name));
                    let ty = types.convert(property, &hint, &field_location).ty;
                    let structured = urlencoded
                        && matches!(
                            field_shape,
                            Some(
                                Shape::Object { .. }
                                    | Shape::OneOf(_)
                                    | Shape::AnyOf(_)
                                    | Shape::AllOf(..)
                            )
                        );
                    if structured || matches!(ty, TypeRef::Json | TypeRef::Vec(_) | TypeRef::Map(_))
                    {
                        types.warn(
                            &field_location,
                            "form field is not a scalar; sent as its JSON text",
                        );
                    }
                    ty
                }
            };
            FormPart {
                name: name.to_owned(),
                rust_name: claim_setter(
                    field_names,
                    types,
                    &format!("form field `{name}`"),
                    name,
                    &field_location,
                ),
                required: required.iter().any(|r| r == name),
                description: property_schema.and_then(|s| doc_of(&s.schema_data)),
                ty,
            }
        })
        .collect()
}

/// The builder setter (and field) of `holder`, a parameter or form field named
/// `wire_name`; a name already taken (by a builder method, or another parameter that
/// cases alike) is suffixed, with a warning at `at`.
fn claim_setter(
    field_names: &mut NameSet,
    types: &mut TypeBuilder<'_>,
    holder: &str,
    wire_name: &str,
    at: &Location,
) -> String {
    let claimed = field_names.claim_for(&names::snake_name(wire_name), holder);
    if let Some(message) = claimed.clash_message("setter") {
        types.warn(at, message);
    }
    claimed.name
}

fn is_binary(schema: &Schema) -> bool {
    matches!(shape(schema, &mut |_| {}), Shape::String { format: Some(f), .. } if f == "binary")
}

fn is_json(media_type: &str) -> bool {
    let mt = media_type.to_ascii_lowercase();
    mt == "application/json" || mt.ends_with("+json") || mt == "*/*"
}

fn status_text(status: &StatusCode) -> String {
    match status {
        StatusCode::Code(code) => code.to_string(),
        StatusCode::Range(range) => format!("{range}XX"),
    }
}

fn responses(
    types: &mut TypeBuilder<'_>,
    op: &openapiv3::Operation,
    builder_name: &str,
    location: &Location,
) -> Vec<Response> {
    let mut out = Vec::new();
    let all: Vec<_> = op
        .responses
        .responses
        .iter()
        .map(|(status, response)| (status_text(status), response))
        .chain(
            op.responses
                .default
                .iter()
                .map(|r| ("default".to_owned(), r)),
        )
        .collect();
    let lists = lists_success(all.iter().map(|(status, _)| status.as_str()));
    for (status, response) in all {
        let ReferenceOr::Item(response) = response else {
            continue;
        };
        let response_location = location.child("responses").child(&status);
        let is_success = success_code(&status, lists).is_some();
        let content = response
            .content
            .iter()
            .map(|(media_type, media)| {
                let body = if is_json(media_type) {
                    // Error bodies are decoded by the runtime's own error types; only
                    // success bodies need generated models (inline error schemas stay JSON).
                    match (&media.schema, is_success) {
                        // A referenced error schema is named without generating anything.
                        (Some(schema @ ReferenceOr::Reference { .. }), false) => {
                            ResponseBody::Json(types.convert(schema, "", &response_location).ty)
                        }
                        (Some(schema), true) => {
                            let suffix = if matches!(status.as_str(), "200" | "default") {
                                String::new()
                            } else {
                                status.clone()
                            };
                            let hint = format!("{builder_name}Response{suffix}");
                            let location = response_location
                                .child("content")
                                .child(media_type)
                                .child("schema");
                            ResponseBody::Json(types.convert(schema, &hint, &location).ty)
                        }
                        _ => ResponseBody::Json(TypeRef::Json),
                    }
                } else if media_type.starts_with("text/") {
                    ResponseBody::Text
                } else {
                    ResponseBody::Bytes
                };
                (media_type.clone(), body)
            })
            .collect();
        let headers = response
            .headers
            .iter()
            .map(|(name, header)| {
                let (description, ty) = match header {
                    ReferenceOr::Item(header) => (
                        header.description.clone(),
                        match &header.format {
                            ParameterSchemaOrContent::Schema(schema) => {
                                types
                                    .convert(
                                        schema,
                                        &format!("{builder_name}{}Header", names::type_name(name)),
                                        &response_location,
                                    )
                                    .ty
                            }
                            ParameterSchemaOrContent::Content(_) => TypeRef::String,
                        },
                    ),
                    ReferenceOr::Reference { .. } => (None, TypeRef::String),
                };
                ResponseHeader {
                    name: name.clone(),
                    description,
                    ty,
                }
            })
            .collect();
        out.push(Response {
            status,
            description: response.description.clone(),
            content,
            headers,
        });
    }
    out
}

/// The media type of the body `send()` returns for a success status: JSON preferred over
/// other media types.
fn success_media_type(response: &Response) -> Option<&str> {
    response
        .content
        .iter()
        .find(|(mt, _)| is_json(mt))
        .or_else(|| response.content.first())
        .map(|(mt, _)| mt.as_str())
}

/// The body a success status returns (see [`success_media_type`]).
fn success_body(response: &Response) -> Option<ResponseBody> {
    let chosen = success_media_type(response)?;
    response
        .content
        .iter()
        .find(|(mt, _)| mt == chosen)
        .map(|(_, body)| body.clone())
}

/// The header a count operation answers with.
const TOTAL_COUNT: &str = "X-Total-Count";

fn status_variant_name(status: u16) -> String {
    match status {
        200 => "Ok".to_owned(),
        201 => "Created".to_owned(),
        202 => "Accepted".to_owned(),
        203 => "NonAuthoritative".to_owned(),
        204 => "NoContent".to_owned(),
        206 => "PartialContent".to_owned(),
        207 => "MultiStatus".to_owned(),
        other => format!("Status{other}"),
    }
}

fn success(responses: &[Response], builder_name: &str) -> Success {
    let successes: Vec<(u16, Option<ResponseBody>)> = success_responses(responses)
        .map(|(code, r)| (code, success_body(r)))
        .collect();
    let mut distinct: Vec<&Option<ResponseBody>> = Vec::new();
    for (_, body) in &successes {
        if !distinct.contains(&body) {
            distinct.push(body);
        }
    }
    let bodies: Vec<&ResponseBody> = distinct.iter().filter_map(|b| b.as_ref()).collect();
    let counts = success_responses(responses).any(|(_, r)| {
        r.headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case(TOTAL_COUNT))
    });
    match bodies.as_slice() {
        [] if counts => Success::Count,
        [] => Success::Empty,
        // One body type, possibly alongside body-less statuses (e.g. 200 and 204): those
        // decode as absent, so a single type still describes every success.
        [only] if distinct.len() == 1 => Success::Single((*only).clone()),
        _ => Success::ByStatus {
            name: format!("{builder_name}Response"),
            variants: successes
                .into_iter()
                .map(|(status, body)| StatusVariant {
                    status,
                    variant: status_variant_name(status),
                    body,
                })
                .collect(),
        },
    }
}

fn find_query<'p>(params: &'p [Param], name: &str) -> Option<&'p Param> {
    params
        .iter()
        .find(|p| p.location == ParamLocation::Query && p.name == name)
}

fn array_item(success: &Success) -> Option<&TypeRef> {
    match success {
        Success::Single(ResponseBody::Json(TypeRef::Vec(item))) => Some(item),
        _ => None,
    }
}

fn pagination(params: &[Param], success: &Success) -> Option<Pagination> {
    let offset = find_query(params, "offset")?;
    let limit = find_query(params, "limit")?;
    let int_type = limit.ty.clone();
    if !matches!(int_type, TypeRef::I32 | TypeRef::I64) || offset.ty != int_type {
        return None;
    }
    let item = array_item(success)?.clone();
    let count_field = find_query(params, "count")
        .filter(|p| p.ty == TypeRef::Bool)
        .map(|p| p.rust_name.clone());
    Some(Pagination {
        offset_field: offset.rust_name.clone(),
        limit_field: limit.rust_name.clone(),
        int_type,
        count_field,
        item,
        default_page_size: limit
            .default
            .as_ref()
            .and_then(serde_json::Value::as_i64)
            .unwrap_or(DEFAULT_PAGE_SIZE),
    })
}

/// A candidate only: [`has_search_after_fields`] confirms it once the body type is built.
fn search_after(
    params: &[Param],
    body: Option<&RequestBody>,
    success: &Success,
) -> Option<SearchAfter> {
    let BodyKind::Json(TypeRef::Named(body_type)) = &body?.kind else {
        return None;
    };
    let item = array_item(success)?.clone();
    Some(SearchAfter {
        body_type: body_type.clone(),
        limit_field: find_query(params, "limit").map(|p| p.rust_name.clone()),
        item,
    })
}

/// Whether a named struct has the fields searchAfter paging needs.
pub fn has_search_after_fields(kind: &TypeKind) -> bool {
    match kind {
        TypeKind::Struct(s) => {
            let has = |n: &str| s.fields.iter().any(|f| f.name == n);
            has("searchAfter") && has("sort")
        }
        _ => false,
    }
}
