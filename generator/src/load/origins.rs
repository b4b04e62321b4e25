//! Where things in the bundled document came from: operations, hoisted schemas, and the
//! source of a typed-parse error (found by walking the source files along the bundled
//! path, following the references the bundler inlined).

use std::collections::BTreeMap;

use super::bundle::Bundler;
use super::files::FileId;
use super::kinds::{method_named, methods};
use super::naming::{Naming, Target};
use super::node::{Map, Node};
use super::shapes::fixed_path;
use crate::location::Location;
use crate::pointer;

/// Upper bound on `$ref` hops while tracing; real chains are 1-2 long, and the bundler has
/// already refused cycles, but tracing must terminate whatever the input.
const MAX_HOPS: usize = 64;

pub(crate) fn origin_of(bundler: &Bundler, target: &Target) -> Location {
    let file = bundler.files.get(target.file);
    Location {
        file: file.rel.clone(),
        pointer: target.ptr.clone(),
        line: file.line_of(&target.ptr),
    }
}

/// `"GET /path"` -> where that operation is written.
pub(crate) fn operation_origins(bundler: &mut Bundler, root: FileId) -> BTreeMap<String, Location> {
    let mut out = BTreeMap::new();
    let root_file = bundler.files.get(root);
    let Some(paths) = root_file.root.at_pointer("/paths").and_then(Node::as_map) else {
        return out;
    };
    for (path, _) in paths.iter() {
        let item = Target {
            file: root,
            ptr: pointer::join("/paths", path),
        };
        // The bundler gives `/`-less paths their `/`.
        let bundled_path = fixed_path(path).unwrap_or_else(|| path.clone());
        for method in methods() {
            if let Some(op) = find_member(bundler, item.clone(), method) {
                let key = format!("{} {bundled_path}", method.to_ascii_uppercase());
                out.insert(key, origin_of(bundler, &op));
            }
        }
    }
    out
}

/// Member `key` of the object at `target`, looking through `$ref`s (siblings first, as
/// the bundler merges them), and through a `$ref` on the member itself.
fn find_member(bundler: &mut Bundler, mut target: Target, key: &str) -> Option<Target> {
    for _ in 0..MAX_HOPS {
        let file = bundler.files.get(target.file);
        let map = file.root.at_pointer(&target.ptr)?.as_map()?;
        if let Some(found) = source_key(map, key) {
            return Some(follow_refs(
                bundler,
                Target {
                    file: target.file,
                    ptr: pointer::join(&target.ptr, &found),
                },
            ));
        }
        let reference = map.get("$ref")?.as_str()?;
        target = resolve_quietly(bundler, &target, reference)?;
    }
    None
}

/// Follows `$ref` members until a non-reference is reached.
fn follow_refs(bundler: &mut Bundler, mut target: Target) -> Target {
    for _ in 0..MAX_HOPS {
        let file = bundler.files.get(target.file);
        let next = file
            .root
            .at_pointer(&target.ptr)
            .and_then(Node::as_map)
            .and_then(|map| map.get("$ref"))
            .and_then(Node::as_str)
            .and_then(|reference| resolve_quietly(bundler, &target, reference));
        match next {
            Some(next) => target = next,
            None => break,
        }
    }
    target
}

/// The source key of bundled member `key`: itself, or the key the bundler renamed to it
/// (an upper-case method, a path without its `/`).
fn source_key(map: &Map, key: &str) -> Option<String> {
    if map.contains_key(key) {
        return Some(key.to_owned());
    }
    map.iter()
        .map(|(k, _)| k)
        .find(|k| method_named(k) == Some(key) || fixed_path(k).as_deref() == Some(key))
        .cloned()
}

fn resolve_quietly(bundler: &mut Bundler, at: &Target, reference: &str) -> Option<Target> {
    let ref_ptr = pointer::join(&at.ptr, "$ref");
    bundler.resolve(at.file, &at.ptr, &ref_ptr, reference).ok()
}

/// Maps a path in the bundled document back to the deepest source location it can be
/// followed to.
pub(crate) fn trace(
    bundler: &mut Bundler,
    root: FileId,
    naming: &Naming,
    path: &[String],
) -> Location {
    let mut here = Target {
        file: root,
        ptr: String::new(),
    };
    let mut rest = path;
    if let [components, schemas, name, tail @ ..] = path {
        if components == "components" && schemas == "schemas" {
            let hoisted = naming
                .emitted
                .iter()
                .find(|&&id| naming.name_of.get(id) == Some(name));
            if let Some(&id) = hoisted {
                here = bundler.schemas.get(id).target.clone();
                rest = tail;
            }
        }
    }
    for seg in rest {
        match step(bundler, &here, seg) {
            Some(next) => here = next,
            None => break,
        }
    }
    bundler.location(here.file, &here.ptr)
}

/// One step of [`trace`]: member `seg` of `here`, following inlined `$ref`s.
fn step(bundler: &mut Bundler, here: &Target, seg: &str) -> Option<Target> {
    let mut cur = here.clone();
    for _ in 0..MAX_HOPS {
        let file = bundler.files.get(cur.file);
        let node = file.root.at_pointer(&cur.ptr)?;
        let found = match node {
            Node::Map(map) => source_key(map, seg),
            _ => node.child(seg).map(|_| seg.to_owned()),
        };
        if let Some(found) = found {
            return Some(Target {
                file: cur.file,
                ptr: pointer::join(&cur.ptr, &found),
            });
        }
        let reference = node.as_map()?.get("$ref")?.as_str()?;
        cur = resolve_quietly(bundler, &cur, reference)?;
    }
    None
}
