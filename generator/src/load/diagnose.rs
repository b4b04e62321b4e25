//! Finding where in the bundled document the typed parse failed.
//!
//! Almost every `openapiv3` struct flattens its extensions, which makes serde buffer the
//! input, so a failed `OpenAPI` parse carries no useful path. When it fails we drill
//! down instead: parse the children of the failing node one by one as their own
//! `openapiv3` types and descend into the first one that fails, until no child fails.

use std::panic::{catch_unwind, AssertUnwindSafe};

use serde::de::DeserializeOwned;

use super::de::NodeDe;
use super::kinds::{child_kind, Kind, Obj};
use super::node::Node;
use openapiv3::ReferenceOr;

/// The deepest failing path (unescaped segments) and its error message, if the document
/// does not parse.
pub(crate) fn failing_path(doc: &Node) -> Option<(Vec<String>, String)> {
    let mut path = Vec::new();
    let mut node = doc;
    let mut kind = Kind::Obj(Obj::Document);
    let mut message = check(kind, node).err()?;
    'descend: loop {
        for (seg, child, child_kind) in typed_children(node, kind) {
            if let Err(e) = check(child_kind, child) {
                path.push(seg);
                node = child;
                kind = child_kind;
                message = e;
                continue 'descend;
            }
        }
        return Some((path, message));
    }
}

/// Children of `node` that have an `openapiv3` type of their own.
fn typed_children(node: &Node, kind: Kind) -> Vec<(String, &Node, Kind)> {
    let kind_of = |key: &str| match kind {
        Kind::Obj(obj) => match child_kind(obj, key) {
            Kind::RootSchemas => Kind::MapOf(Obj::Schema),
            other => other,
        },
        Kind::MapOf(obj) | Kind::ListOf(obj) => Kind::Obj(obj),
        _ => Kind::Literal,
    };
    let typed = |k: &Kind| matches!(k, Kind::Obj(_) | Kind::MapOf(_) | Kind::ListOf(_));
    match node {
        Node::Map(map) => map
            .iter()
            .map(|(k, v)| (k.clone(), v, kind_of(k)))
            .filter(|(_, _, k)| typed(k))
            .collect(),
        Node::Seq(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v, kind_of("")))
            .filter(|(_, _, k)| typed(k))
            .collect(),
        _ => Vec::new(),
    }
}

/// Parses `node` as the `openapiv3` type of `kind`.
fn check(kind: Kind, node: &Node) -> Result<(), String> {
    match kind {
        Kind::Obj(obj) => check_obj(obj, node),
        Kind::MapOf(obj) => match node {
            Node::Map(map) => map.iter().try_for_each(|(_, v)| check_obj(obj, v)),
            _ => Ok(()),
        },
        Kind::ListOf(obj) => match node {
            Node::Seq(items) => items.iter().try_for_each(|v| check_obj(obj, v)),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

fn check_obj(obj: Obj, node: &Node) -> Result<(), String> {
    use openapiv3 as o;
    match obj {
        Obj::Document => parse::<o::OpenAPI>(node),
        Obj::Paths => parse::<o::Paths>(node),
        Obj::PathItem => parse::<ReferenceOr<o::PathItem>>(node),
        Obj::Operation => parse::<o::Operation>(node),
        Obj::Parameter => parse::<ReferenceOr<o::Parameter>>(node),
        Obj::RequestBody => parse::<ReferenceOr<o::RequestBody>>(node),
        Obj::Responses => parse::<o::Responses>(node),
        Obj::Response => parse::<ReferenceOr<o::Response>>(node),
        Obj::Header => parse::<ReferenceOr<o::Header>>(node),
        Obj::MediaType => parse::<o::MediaType>(node),
        Obj::Encoding => parse::<o::Encoding>(node),
        Obj::Example => parse::<ReferenceOr<o::Example>>(node),
        Obj::Link => parse::<ReferenceOr<o::Link>>(node),
        Obj::Callback => parse::<ReferenceOr<o::Callback>>(node),
        Obj::SecurityScheme => parse::<ReferenceOr<o::SecurityScheme>>(node),
        Obj::Components => parse::<o::Components>(node),
        Obj::Schema => parse::<ReferenceOr<o::Schema>>(node),
        Obj::Discriminator => parse::<o::Discriminator>(node),
    }
}

/// One typed parse; a panic inside the parser counts as a failure.
fn parse<T: DeserializeOwned>(node: &Node) -> Result<(), String> {
    match catch_unwind(AssertUnwindSafe(|| T::deserialize(NodeDe(node)))) {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("the OpenAPI parser panicked here".to_owned()),
    }
}
