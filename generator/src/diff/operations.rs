//! Operations: the version's own facts (base path, docs), its tags, and its operations,
//! matched across the two sides by operationId, then by method and path (which makes a new
//! operationId a rename), then compared: identity, flags and docs here, inputs in
//! `inputs.rs`, responses in `responses.rs`.

use std::collections::BTreeMap;

use super::{
    builder_item, deprecation, inputs, operation_item, responses, tag_item, text_change, Ctx,
    Group, Rule, Side,
};
use crate::location::Location;
use crate::model::{Api, Method, Operation, Tag};

/// An operation with the tag it is generated under.
#[derive(Clone, Copy)]
pub(super) struct Op<'a> {
    pub tag: &'a Tag,
    pub op: &'a Operation,
}

/// A matched operation: the same Rust method before and after, or its renamed successor.
pub(super) struct OpPair<'a> {
    pub old: Op<'a>,
    pub new: Op<'a>,
    pub group: Group,
}

impl OpPair<'_> {
    /// The operation's method on its tag's API struct, in the new version.
    pub fn method_item(&self, ctx: &Ctx<'_>) -> String {
        operation_item(ctx.new, self.new.tag, self.new.op)
    }

    /// A member of the request builder, in the old or new version.
    pub fn builder_item(&self, ctx: &Ctx<'_>, side: Side, member: &str) -> String {
        let op = self.side(side);
        builder_item(ctx.api(side), op.tag, op.op, member)
    }

    /// The operation's method, in the old or new version.
    pub fn side_method_item(&self, ctx: &Ctx<'_>, side: Side) -> String {
        let op = self.side(side);
        operation_item(ctx.api(side), op.tag, op.op)
    }

    pub fn side(&self, side: Side) -> Op<'_> {
        match side {
            Side::Old => self.old,
            Side::New => self.new,
        }
    }

    /// Where the operation is written in the new spec.
    pub fn at(&self) -> (Side, &Location) {
        (Side::New, &self.new.op.location)
    }
}

pub(super) fn compare(ctx: &mut Ctx<'_>) {
    version_facts(ctx);
    tags(ctx);
    let old = operations(ctx.old);
    let new = operations(ctx.new);
    let matched = match_operations(&old, &new);
    for pair in &matched.pairs {
        identity(ctx, pair);
        flags(ctx, pair);
        docs(ctx, pair);
        inputs::compare(ctx, pair);
        responses::compare(ctx, pair);
    }
    for op in matched.removed {
        let item = operation_item(ctx.old, op.tag, op.op);
        let message = format!("operation `{}` ({}) removed", op.op.id, route(op.op));
        let group = Group::Tag(op.tag.name.clone());
        ctx.record(
            Rule::OperationRemoved,
            &group,
            item,
            (Side::Old, &op.op.location),
            message,
        );
    }
    for op in matched.added {
        let item = operation_item(ctx.new, op.tag, op.op);
        let message = format!("operation `{}` ({}) added", op.op.id, route(op.op));
        let group = Group::Tag(op.tag.name.clone());
        ctx.record(
            Rule::OperationAdded,
            &group,
            item,
            (Side::New, &op.op.location),
            message,
        );
    }
}

/// `GET /identities/{id}`.
pub(super) fn route(op: &Operation) -> String {
    format!("{} {}", op.method.as_str(), op.path)
}

fn version_facts(ctx: &mut Ctx<'_>) {
    let (old, new) = (ctx.old, ctx.new);
    let root = Location::new(new.root_file.clone(), "");
    if old.base_path != new.base_path {
        let message = format!(
            "operations moved from under `{}` to under `{}`",
            old.base_path, new.base_path
        );
        let at = root.child("servers");
        let item = new.module.clone();
        ctx.record(
            Rule::BasePathChanged,
            &Group::Version,
            item,
            (Side::New, &at),
            message,
        );
    }
    let texts = [
        ("title", Some(old.title.as_str()), Some(new.title.as_str())),
        (
            "description",
            old.description.as_deref(),
            new.description.as_deref(),
        ),
    ];
    for (what, before, after) in texts {
        if let Some(how) = text_change(before, after) {
            let at = root.child("info").child(what);
            let item = format!("{}::Api", new.module);
            let message = format!("API {what} {how}");
            ctx.record(
                Rule::ApiDocsChanged,
                &Group::Version,
                item,
                (Side::New, &at),
                message,
            );
        }
    }
}

/// Tags are matched by name; a tag's location is its first operation's.
fn tags(ctx: &mut Ctx<'_>) {
    let old: BTreeMap<&str, &Tag> = ctx.old.tags.iter().map(|t| (t.name.as_str(), t)).collect();
    let new: BTreeMap<&str, &Tag> = ctx.new.tags.iter().map(|t| (t.name.as_str(), t)).collect();
    for (name, tag) in &old {
        let group = Group::Tag((*name).to_owned());
        let Some(new_tag) = new.get(name) else {
            let item = tag_item(ctx.old, tag);
            let message = format!(
                "tag `{name}` removed: module `{}` and cargo feature `{}` are gone",
                tag.module, tag.module
            );
            let at = tag_location(ctx.old, tag);
            ctx.record(Rule::TagRemoved, &group, item, (Side::Old, &at), message);
            continue;
        };
        if let Some(how) = text_change(tag.description.as_deref(), new_tag.description.as_deref()) {
            let item = format!("{}::{}", tag_item(ctx.new, new_tag), new_tag.struct_name);
            let message = format!("tag `{name}` description {how}");
            let at = tag_location(ctx.new, new_tag);
            ctx.record(
                Rule::ApiDocsChanged,
                &group,
                item,
                (Side::New, &at),
                message,
            );
        }
    }
    for (name, tag) in &new {
        if !old.contains_key(name) {
            let item = tag_item(ctx.new, tag);
            let message = format!(
                "tag `{name}` added: module `{}`, cargo feature `{}`",
                tag.module, tag.module
            );
            let at = tag_location(ctx.new, tag);
            let group = Group::Tag((*name).to_owned());
            ctx.record(Rule::TagAdded, &group, item, (Side::New, &at), message);
        }
    }
}

fn tag_location(api: &Api, tag: &Tag) -> Location {
    tag.operations
        .first()
        .map(|op| op.location.clone())
        .unwrap_or_else(|| Location::new(api.root_file.clone(), "/tags"))
}

fn operations(api: &Api) -> Vec<Op<'_>> {
    api.tags
        .iter()
        .flat_map(|tag| tag.operations.iter().map(move |op| Op { tag, op }))
        .collect()
}

struct Matched<'a> {
    pairs: Vec<OpPair<'a>>,
    removed: Vec<Op<'a>>,
    added: Vec<Op<'a>>,
}

/// Same operationId first; then, among what is left, same method and path.
fn match_operations<'a>(old: &[Op<'a>], new: &[Op<'a>]) -> Matched<'a> {
    let mut unmatched: BTreeMap<&str, Op<'a>> =
        new.iter().map(|o| (o.op.id.as_str(), *o)).collect();
    let mut pairs = Vec::new();
    let mut left = Vec::new();
    for &o in old {
        match unmatched.remove(o.op.id.as_str()) {
            Some(n) => pairs.push(pair(o, n)),
            None => left.push(o),
        }
    }
    let mut by_route: BTreeMap<(Method, &str), Op<'a>> = unmatched
        .values()
        .map(|n| ((n.op.method, n.op.path.as_str()), *n))
        .collect();
    let mut removed = Vec::new();
    for o in left {
        match by_route.remove(&(o.op.method, o.op.path.as_str())) {
            Some(n) => {
                unmatched.remove(n.op.id.as_str());
                pairs.push(pair(o, n));
            }
            None => removed.push(o),
        }
    }
    Matched {
        pairs,
        removed,
        added: unmatched.into_values().collect(),
    }
}

fn pair<'a>(old: Op<'a>, new: Op<'a>) -> OpPair<'a> {
    OpPair {
        old,
        new,
        group: Group::Tag(new.tag.name.clone()),
    }
}

/// operationId, method and path, and the module the operation lives in.
fn identity(ctx: &mut Ctx<'_>, pair: &OpPair<'_>) {
    let (o, n) = (pair.old.op, pair.new.op);
    let items = (pair.side_method_item(ctx, Side::Old), pair.method_item(ctx));
    if o.id != n.id {
        let message = format!("operationId `{}` is now `{}` ({})", o.id, n.id, route(n));
        if o.fn_name != n.fn_name || o.builder_name != n.builder_name {
            let message = format!(
                "{message}: method `{}` is now `{}`, builder `{}` is now `{}`",
                o.fn_name, n.fn_name, o.builder_name, n.builder_name
            );
            ctx.record_move(
                Rule::OperationRenamed,
                &pair.group,
                items.clone(),
                pair.at(),
                message,
            );
        } else {
            ctx.record(
                Rule::OperationIdChanged,
                &pair.group,
                items.1.clone(),
                pair.at(),
                message,
            );
        }
    }
    if o.method != n.method || o.path != n.path {
        let message = format!("`{}` now sends {} instead of {}", n.id, route(n), route(o));
        ctx.record(
            Rule::OperationPathChanged,
            &pair.group,
            items.1.clone(),
            pair.at(),
            message,
        );
    }
    let (ot, nt) = (pair.old.tag, pair.new.tag);
    if ot.module != nt.module || ot.struct_name != nt.struct_name {
        let message = format!(
            "`{}` moved from tag `{}` ({}) to tag `{}` ({})",
            n.id, ot.name, ot.struct_name, nt.name, nt.struct_name
        );
        ctx.record_move(Rule::OperationMoved, &pair.group, items, pair.at(), message);
    }
}

fn flags(ctx: &mut Ctx<'_>, pair: &OpPair<'_>) {
    let (o, n) = (pair.old.op, pair.new.op);
    let item = pair.method_item(ctx);
    let rule = match (o.experimental, n.experimental) {
        (false, true) => Some((Rule::OperationExperimentalAdded, "is now experimental")),
        (true, false) => Some((
            Rule::OperationExperimentalRemoved,
            "is no longer experimental",
        )),
        _ => None,
    };
    if let Some((rule, what)) = rule {
        let message = format!("`{}` {what}", n.id);
        ctx.record(rule, &pair.group, item.clone(), pair.at(), message);
    }
    let rule = deprecation(
        o.deprecated,
        n.deprecated,
        (Rule::OperationDeprecated, Rule::OperationUndeprecated),
    );
    if let Some((rule, what)) = rule {
        let message = format!("`{}` {what}", n.id);
        ctx.record(rule, &pair.group, item, pair.at(), message);
    }
}

fn docs(ctx: &mut Ctx<'_>, pair: &OpPair<'_>) {
    let (o, n) = (pair.old.op, pair.new.op);
    let changed: Vec<String> = [
        ("summary", o.summary.as_deref(), n.summary.as_deref()),
        (
            "description",
            o.description.as_deref(),
            n.description.as_deref(),
        ),
    ]
    .into_iter()
    .filter_map(|(what, before, after)| {
        text_change(before, after).map(|how| format!("{what} {how}"))
    })
    .collect();
    if !changed.is_empty() {
        let message = format!("`{}`: {}", n.id, changed.join(", "));
        let item = pair.method_item(ctx);
        ctx.record(
            Rule::OperationDocsChanged,
            &pair.group,
            item,
            pair.at(),
            message,
        );
    }
}
