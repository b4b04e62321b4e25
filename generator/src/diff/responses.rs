//! What a call returns: the type `send()` decodes, the paging helpers, and the responses
//! by status and media type (error statuses only reach users as the runtime's `Error`).

use std::collections::BTreeMap;

use super::operations::OpPair;
use super::{text_change, Ctx, Rule, Side};
use crate::location::Location;
use crate::model::{Operation, Response, ResponseBody, Success};

pub(super) fn compare(ctx: &mut Ctx<'_>, pair: &OpPair<'_>) {
    success(ctx, pair);
    helpers(ctx, pair);
    statuses(ctx, pair);
    examples(ctx, pair);
}

fn is_success(status: &str) -> bool {
    status.starts_with('2')
}

fn body_str(body: &ResponseBody) -> String {
    match body {
        ResponseBody::Json(ty) => ty.rust(),
        ResponseBody::Bytes => "Vec<u8>".into(),
        ResponseBody::Text => "String".into(),
    }
}

/// `send()`'s return type, old type names followed to their new names when `ctx` is given.
/// A by-status enum is named after the builder, so with `by_name` false only its variants
/// count (a renamed operation renames it, which the rename already reports).
fn success_str(ctx: Option<&Ctx<'_>>, success: &Success, by_name: bool) -> String {
    let body = |body: &ResponseBody| match (ctx, body) {
        (Some(ctx), ResponseBody::Json(ty)) => ctx.renamed(ty).rust(),
        _ => body_str(body),
    };
    match success {
        Success::Empty => "()".into(),
        Success::Count => "u64".into(),
        Success::Single(b) => body(b),
        Success::ByStatus { name, variants } => {
            let variants: Vec<String> = variants
                .iter()
                .map(|v| {
                    let held = v
                        .body
                        .as_ref()
                        .map(|b| format!("({})", body(b)))
                        .unwrap_or_default();
                    format!("{} = {}{held}", v.variant, v.status)
                })
                .collect();
            let name = if by_name { name.as_str() } else { "enum" };
            format!("{name} {{ {} }}", variants.join(", "))
        }
    }
}

fn success(ctx: &mut Ctx<'_>, pair: &OpPair<'_>) {
    let (o, n) = (pair.old.op, pair.new.op);
    let by_name = o.builder_name == n.builder_name;
    if success_str(Some(ctx), &o.success, by_name) != success_str(None, &n.success, by_name) {
        let message = format!(
            "`send()` returned `{}`, now `{}`",
            success_str(None, &o.success, true),
            success_str(None, &n.success, true)
        );
        let item = pair.builder_item(ctx, Side::New, "send");
        let at = n.location.child("responses");
        ctx.record(
            Rule::ResponseTypeChanged,
            &pair.group,
            item,
            (Side::New, &at),
            message,
        );
    }
}

/// `paginate()` and `search_after()`.
fn helpers(ctx: &mut Ctx<'_>, pair: &OpPair<'_>) {
    let (o, n) = (pair.old.op, pair.new.op);
    let cases = [
        (
            "paginate",
            o.pagination.is_some(),
            n.pagination.is_some(),
            Rule::PaginateAdded,
            Rule::PaginateRemoved,
        ),
        (
            "search_after",
            o.search_after.is_some(),
            n.search_after.is_some(),
            Rule::SearchAfterAdded,
            Rule::SearchAfterRemoved,
        ),
    ];
    for (method, before, after, added, removed) in cases {
        let (rule, side, verb) = match (before, after) {
            (false, true) => (added, Side::New, "added"),
            (true, false) => (removed, Side::Old, "removed"),
            _ => continue,
        };
        let item = pair.builder_item(ctx, side, method);
        let message = format!("`{method}()` {verb}");
        let at = pair.side(side).op.location.clone();
        ctx.record(rule, &pair.group, item, (side, &at), message);
    }
}

fn by_status(op: &Operation) -> BTreeMap<&str, &Response> {
    op.responses
        .iter()
        .map(|r| (r.status.as_str(), r))
        .collect()
}

fn statuses(ctx: &mut Ctx<'_>, pair: &OpPair<'_>) {
    let (o, n) = (pair.old.op, pair.new.op);
    let (old, new) = (by_status(o), by_status(n));
    let send_item = |ctx: &Ctx<'_>, side: Side| pair.builder_item(ctx, side, "send");
    for (status, response) in &old {
        let Some(after) = new.get(status) else {
            let rule = if is_success(status) {
                Rule::SuccessStatusRemoved
            } else {
                Rule::ErrorStatusRemoved
            };
            let at = o.location.child("responses").child(status);
            let message = format!("status {status} removed{}", content_note(response));
            let item = send_item(ctx, Side::Old);
            ctx.record(rule, &pair.group, item, (Side::Old, &at), message);
            continue;
        };
        media_types(ctx, pair, response, after);
    }
    for (status, response) in &new {
        if !old.contains_key(status) {
            let rule = if is_success(status) {
                Rule::SuccessStatusAdded
            } else {
                Rule::ErrorStatusAdded
            };
            let at = n.location.child("responses").child(status);
            let message = format!("status {status} added{}", content_note(response));
            let item = send_item(ctx, Side::New);
            ctx.record(rule, &pair.group, item, (Side::New, &at), message);
        }
    }
}

fn content_note(response: &Response) -> String {
    if response.content.is_empty() {
        return " (no body)".to_owned();
    }
    let content: Vec<String> = response
        .content
        .iter()
        .map(|(mt, body)| format!("`{mt}` {}", body_str(body)))
        .collect();
    format!(" ({})", content.join(", "))
}

/// One status on both sides: media types added or removed, error bodies retyped (success
/// bodies only matter through `send()`, compared above), descriptions.
fn media_types(ctx: &mut Ctx<'_>, pair: &OpPair<'_>, o: &Response, n: &Response) {
    let status = n.status.as_str();
    let success = is_success(status);
    let at_status = |op: &Operation| op.location.child("responses").child(status);
    let content_at = |op: &Operation, mt: &str| at_status(op).child("content").child(mt);
    let item = pair.builder_item(ctx, Side::New, "send");
    let old_media: BTreeMap<&str, &ResponseBody> =
        o.content.iter().map(|(m, b)| (m.as_str(), b)).collect();
    let new_media: BTreeMap<&str, &ResponseBody> =
        n.content.iter().map(|(m, b)| (m.as_str(), b)).collect();
    let record = |ctx: &mut Ctx<'_>, rule: Rule, at: (Side, &Location), message: String| {
        ctx.record(rule, &pair.group, item.clone(), at, message);
    };
    for (mt, body) in &old_media {
        match new_media.get(mt) {
            None => {
                let rule = if success {
                    Rule::ResponseMediaTypeRemoved
                } else {
                    Rule::ErrorBodyChanged
                };
                let at = content_at(pair.old.op, mt);
                let message = format!(
                    "status {status}: media type `{mt}` ({}) removed",
                    body_str(body)
                );
                record(ctx, rule, (Side::Old, &at), message);
            }
            Some(after) if !success && !same_body(ctx, body, after) => {
                let at = content_at(pair.new.op, mt);
                let message = format!(
                    "status {status} `{mt}`: body `{}` is now `{}`",
                    body_str(body),
                    body_str(after)
                );
                record(ctx, Rule::ErrorBodyChanged, (Side::New, &at), message);
            }
            Some(_) => {}
        }
    }
    for (mt, body) in &new_media {
        if !old_media.contains_key(mt) {
            let rule = if success {
                Rule::ResponseMediaTypeAdded
            } else {
                Rule::ErrorBodyChanged
            };
            let at = content_at(pair.new.op, mt);
            let message = format!(
                "status {status}: media type `{mt}` ({}) added",
                body_str(body)
            );
            record(ctx, rule, (Side::New, &at), message);
        }
    }
    if text_change(Some(&o.description), Some(&n.description)).is_some() {
        let at = at_status(pair.new.op);
        record(
            ctx,
            Rule::ResponseDocsChanged,
            (Side::New, &at),
            format!("status {status}: description changed"),
        );
    }
}

fn same_body(ctx: &Ctx<'_>, old: &ResponseBody, new: &ResponseBody) -> bool {
    match (old, new) {
        (ResponseBody::Json(a), ResponseBody::Json(b)) => ctx.same_type(a, b),
        _ => old == new,
    }
}

/// The spec's request and response examples, by label and value.
fn examples(ctx: &mut Ctx<'_>, pair: &OpPair<'_>) {
    let list = |op: &Operation| -> BTreeMap<String, String> {
        op.examples
            .iter()
            .map(|e| (e.label.clone(), e.value.to_string()))
            .collect()
    };
    let (old, new) = (list(pair.old.op), list(pair.new.op));
    let labels = |pick: &dyn Fn(&String, &String) -> bool, from: &BTreeMap<String, String>| {
        from.iter()
            .filter(|(label, value)| pick(label, value))
            .map(|(label, _)| format!("`{label}`"))
            .collect::<Vec<_>>()
    };
    let groups = [
        ("added", labels(&|label, _| !old.contains_key(label), &new)),
        (
            "removed",
            labels(&|label, _| !new.contains_key(label), &old),
        ),
        (
            "changed",
            labels(
                &|label, value| old.get(label).is_some_and(|v| v != value),
                &new,
            ),
        ),
    ];
    let parts: Vec<String> = groups
        .iter()
        .filter(|(_, labels)| !labels.is_empty())
        .map(|(what, labels)| format!("{what} {}", labels.join(", ")))
        .collect();
    if parts.is_empty() {
        return;
    }
    let message = format!("`{}` examples: {}", pair.new.op.id, parts.join("; "));
    let item = pair.method_item(ctx);
    ctx.record(Rule::ExamplesChanged, &pair.group, item, pair.at(), message);
}
