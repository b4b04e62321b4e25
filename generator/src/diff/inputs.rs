//! What a call takes: parameters and the fields of form and multipart bodies (required
//! ones are arguments of the operation's method, the others builder setters, so both
//! follow the `parameter-*` rules), and the JSON or raw request body.

use std::collections::BTreeMap;

use super::operations::OpPair;
use super::{date_time_note, deprecation, text_change, Ctx, Rule, Side};
use crate::location::Location;
use crate::model::{BodyKind, Operation, ParamLocation, RequestBody, TypeRef};

/// One builder input of an operation, parameter or form field.
struct Input<'a> {
    /// How the spec names it: `query parameter `limit``, `form field `file``.
    label: String,
    rust_name: &'a str,
    ty: &'a TypeRef,
    required: bool,
    deprecated: bool,
    default: Option<&'a serde_json::Value>,
    /// Arrays in a query: `name=a&name=b` (`true`) or `name=a,b`.
    explode: Option<bool>,
    description: Option<&'a str>,
    location: Location,
}

/// Inputs keyed by where they go on the wire and their wire name, in argument order.
fn inputs(op: &Operation) -> Vec<((String, String), Input<'_>)> {
    let parameters = op.params.iter().map(|p| {
        let place = p.location.as_str();
        let array_query = p.location == ParamLocation::Query && matches!(p.ty, TypeRef::Vec(_));
        let input = Input {
            label: format!("{place} parameter `{}`", p.name),
            rust_name: &p.rust_name,
            ty: &p.ty,
            required: p.required,
            deprecated: p.deprecated,
            default: p.default.as_ref(),
            explode: array_query.then_some(p.explode),
            description: p.description.as_deref(),
            location: op.location.child("parameters").child(&p.name),
        };
        ((place.to_owned(), p.name.clone()), input)
    });
    let form = op.body.iter().flat_map(|body| form_inputs(op, body));
    parameters.chain(form).collect()
}

fn form_inputs<'a>(
    op: &'a Operation,
    body: &'a RequestBody,
) -> impl Iterator<Item = ((String, String), Input<'a>)> {
    let parts = match &body.kind {
        BodyKind::Multipart(parts) | BodyKind::Form(parts) => parts.as_slice(),
        BodyKind::Json(_) | BodyKind::Bytes => &[],
    };
    let schema = op
        .location
        .child("requestBody")
        .child("content")
        .child(&body.content_type)
        .child("schema")
        .child("properties");
    parts.iter().map(move |part| {
        let input = Input {
            label: format!("form field `{}`", part.name),
            rust_name: &part.rust_name,
            ty: &part.ty,
            required: part.required && body.required,
            deprecated: false,
            default: None,
            explode: None,
            description: part.description.as_deref(),
            location: schema.child(&part.name),
        };
        (("form".to_owned(), part.name.clone()), input)
    })
}

pub(super) fn compare(ctx: &mut Ctx<'_>, pair: &OpPair<'_>) {
    let old: Vec<_> = inputs(pair.old.op);
    let new: Vec<_> = inputs(pair.new.op);
    let old_by_key: BTreeMap<&(String, String), &Input<'_>> =
        old.iter().map(|(k, i)| (k, i)).collect();
    let new_by_key: BTreeMap<&(String, String), &Input<'_>> =
        new.iter().map(|(k, i)| (k, i)).collect();
    for (key, o) in &old_by_key {
        match new_by_key.get(key) {
            Some(n) => changed(ctx, pair, o, n),
            None => removed(ctx, pair, o),
        }
    }
    for (key, n) in &new_by_key {
        if !old_by_key.contains_key(key) {
            added(ctx, pair, n);
        }
    }
    reordered(ctx, pair, &old, &new);
    body(ctx, pair);
}

/// The setter of an optional input, or the operation's method for a required one.
fn input_item(ctx: &Ctx<'_>, pair: &OpPair<'_>, side: Side, input: &Input<'_>) -> String {
    if input.required {
        pair.side_method_item(ctx, side)
    } else {
        pair.builder_item(ctx, side, input.rust_name)
    }
}

fn shape(input: &Input<'_>) -> String {
    let ty = input.ty.rust();
    if input.required {
        format!("argument `{}: {ty}`", input.rust_name)
    } else {
        format!("builder method `{}({ty})`", input.rust_name)
    }
}

fn added(ctx: &mut Ctx<'_>, pair: &OpPair<'_>, n: &Input<'_>) {
    let rule = if n.required {
        Rule::ParameterAddedRequired
    } else {
        Rule::ParameterAddedOptional
    };
    let item = input_item(ctx, pair, Side::New, n);
    let message = format!("{} added: {}", n.label, shape(n));
    ctx.record(rule, &pair.group, item, (Side::New, &n.location), message);
}

fn removed(ctx: &mut Ctx<'_>, pair: &OpPair<'_>, o: &Input<'_>) {
    let item = input_item(ctx, pair, Side::Old, o);
    let message = format!("{} removed: {} is gone", o.label, shape(o));
    ctx.record(
        Rule::ParameterRemoved,
        &pair.group,
        item,
        (Side::Old, &o.location),
        message,
    );
}

fn changed(ctx: &mut Ctx<'_>, pair: &OpPair<'_>, o: &Input<'_>, n: &Input<'_>) {
    let item = input_item(ctx, pair, Side::New, n);
    let at = (Side::New, &n.location);
    let record = |ctx: &mut Ctx<'_>, rule: Rule, message: String| {
        ctx.record(rule, &pair.group, item.clone(), at, message);
    };
    if o.required != n.required {
        let rule = if n.required {
            Rule::ParameterMadeRequired
        } else {
            Rule::ParameterMadeOptional
        };
        let how = if n.required { "required" } else { "optional" };
        record(
            ctx,
            rule,
            format!("{} is now {how}: {} is now {}", n.label, shape(o), shape(n)),
        );
    } else if o.rust_name != n.rust_name {
        let message = format!(
            "{}: Rust name `{}` is now `{}`",
            n.label, o.rust_name, n.rust_name
        );
        record(ctx, Rule::ParameterRenamed, message);
    }
    if !ctx.same_type(o.ty, n.ty) {
        let message = format!(
            "{}: type `{}` is now `{}`{}",
            n.label,
            o.ty.rust(),
            n.ty.rust(),
            date_time_note(o.ty, n.ty)
        );
        record(ctx, Rule::ParameterRetyped, message);
    }
    if o.default != n.default {
        let show =
            |v: Option<&serde_json::Value>| v.map_or("none".to_owned(), |v| format!("`{v}`"));
        let message = format!(
            "{}: default {} is now {}",
            n.label,
            show(o.default),
            show(n.default)
        );
        record(ctx, Rule::ParameterDefaultChanged, message);
    }
    if let (Some(before), Some(after)) = (o.explode, n.explode) {
        if before != after {
            let style = |explode: bool| {
                if explode {
                    "`name=a&name=b`"
                } else {
                    "`name=a,b`"
                }
            };
            let message = format!(
                "{}: arrays are now sent as {} instead of {}",
                n.label,
                style(after),
                style(before)
            );
            record(ctx, Rule::ParameterStyleChanged, message);
        }
    }
    let deprecation = deprecation(
        o.deprecated,
        n.deprecated,
        (Rule::ParameterDeprecated, Rule::ParameterUndeprecated),
    );
    if let Some((rule, what)) = deprecation {
        record(ctx, rule, format!("{} {what}", n.label));
    }
    if let Some(how) = text_change(o.description, n.description) {
        record(
            ctx,
            Rule::ParameterDocsChanged,
            format!("{}: description {how}", n.label),
        );
    }
}

/// Required inputs present and required on both sides must keep their relative order:
/// they are positional arguments.
fn reordered(
    ctx: &mut Ctx<'_>,
    pair: &OpPair<'_>,
    old: &[((String, String), Input<'_>)],
    new: &[((String, String), Input<'_>)],
) {
    let required = |inputs: &[((String, String), Input<'_>)]| -> Vec<(String, String)> {
        inputs
            .iter()
            .filter(|(_, i)| i.required)
            .map(|(k, _)| k.clone())
            .collect()
    };
    let (old_required, new_required) = (required(old), required(new));
    let before: Vec<&(String, String)> = old_required
        .iter()
        .filter(|k| new_required.contains(k))
        .collect();
    let after: Vec<&(String, String)> = new_required
        .iter()
        .filter(|k| old_required.contains(k))
        .collect();
    if before != after {
        let names = |keys: &[&(String, String)], inputs: &[((String, String), Input<'_>)]| {
            keys.iter()
                .filter_map(|k| inputs.iter().find(|(key, _)| key == *k))
                .map(|(_, i)| i.rust_name)
                .collect::<Vec<_>>()
                .join(", ")
        };
        let message = format!(
            "required arguments reordered: ({}) is now ({})",
            names(&before, old),
            names(&after, new)
        );
        let item = pair.method_item(ctx);
        ctx.record(
            Rule::ParametersReordered,
            &pair.group,
            item,
            pair.at(),
            message,
        );
    }
}

/// A JSON or raw body is one input named `body`; a form body is its fields (above).
fn value_type(body: &RequestBody) -> Option<&TypeRef> {
    match &body.kind {
        BodyKind::Json(ty) => Some(ty),
        BodyKind::Bytes => Some(&TypeRef::Bytes),
        BodyKind::Multipart(_) | BodyKind::Form(_) => None,
    }
}

fn body_shape(body: &RequestBody) -> String {
    match value_type(body) {
        Some(ty) if body.required => format!("argument `body: {}`", ty.rust()),
        Some(ty) => format!("builder method `body({})`", ty.rust()),
        None => format!("form fields ({})", body.content_type),
    }
}

fn body_item(ctx: &Ctx<'_>, pair: &OpPair<'_>, side: Side, body: &RequestBody) -> String {
    if body.required {
        pair.side_method_item(ctx, side)
    } else {
        pair.builder_item(ctx, side, "body")
    }
}

fn body(ctx: &mut Ctx<'_>, pair: &OpPair<'_>) {
    let body_location = |op: &Operation| op.location.child("requestBody");
    match (&pair.old.op.body, &pair.new.op.body) {
        (None, Some(n)) if value_type(n).is_some() => {
            let rule = if n.required {
                Rule::RequestBodyAddedRequired
            } else {
                Rule::RequestBodyAddedOptional
            };
            let item = body_item(ctx, pair, Side::New, n);
            let message = format!("request body added: {}", body_shape(n));
            let at = body_location(pair.new.op);
            ctx.record(rule, &pair.group, item, (Side::New, &at), message);
        }
        (Some(o), None) if value_type(o).is_some() => {
            let item = body_item(ctx, pair, Side::Old, o);
            let message = format!("request body removed: {} is gone", body_shape(o));
            let at = body_location(pair.old.op);
            ctx.record(
                Rule::RequestBodyRemoved,
                &pair.group,
                item,
                (Side::Old, &at),
                message,
            );
        }
        (Some(o), Some(n)) => {
            let at = body_location(pair.new.op);
            body_changed(ctx, pair, o, n, &at);
        }
        _ => {}
    }
}

fn body_changed(
    ctx: &mut Ctx<'_>,
    pair: &OpPair<'_>,
    o: &RequestBody,
    n: &RequestBody,
    at: &Location,
) {
    let item = body_item(ctx, pair, Side::New, n);
    let record = |ctx: &mut Ctx<'_>, rule: Rule, message: String| {
        ctx.record(rule, &pair.group, item.clone(), (Side::New, at), message);
    };
    match (value_type(o), value_type(n)) {
        (Some(ot), Some(nt)) => {
            if o.required != n.required {
                let rule = if n.required {
                    Rule::RequestBodyMadeRequired
                } else {
                    Rule::RequestBodyMadeOptional
                };
                record(
                    ctx,
                    rule,
                    format!("request body: {} is now {}", body_shape(o), body_shape(n)),
                );
            }
            if !ctx.same_type(ot, nt) {
                let message = format!("request body type `{}` is now `{}`", ot.rust(), nt.rust());
                record(ctx, Rule::RequestBodyRetyped, message);
            }
        }
        (None, None) => {}
        _ => {
            let message = format!("request body: {} is now {}", body_shape(o), body_shape(n));
            record(ctx, Rule::RequestBodyRetyped, message);
        }
    }
    if o.content_type != n.content_type {
        let message = format!(
            "the body is now sent as `{}` instead of `{}`",
            n.content_type, o.content_type
        );
        record(ctx, Rule::RequestMediaTypeChanged, message);
    }
    let alternatives = |body: &RequestBody, other: &RequestBody| -> Vec<String> {
        body.all_content_types
            .iter()
            .filter(|t| {
                **t != o.content_type
                    && **t != n.content_type
                    && !other.all_content_types.contains(t)
            })
            .map(|t| format!("`{t}`"))
            .collect()
    };
    let (gone, new_types) = (alternatives(o, n), alternatives(n, o));
    if !gone.is_empty() || !new_types.is_empty() {
        let mut parts = Vec::new();
        if !new_types.is_empty() {
            parts.push(format!("now also accepts {}", new_types.join(", ")));
        }
        if !gone.is_empty() {
            parts.push(format!("no longer accepts {}", gone.join(", ")));
        }
        let message = format!(
            "request body {} (the client sends `{}`)",
            parts.join(" and "),
            n.content_type
        );
        record(ctx, Rule::RequestMediaTypeAlternativeChanged, message);
    }
    if let Some(how) = text_change(o.description.as_deref(), n.description.as_deref()) {
        record(
            ctx,
            Rule::RequestBodyDocsChanged,
            format!("request body description {how}"),
        );
    }
}
