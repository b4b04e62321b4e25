//! Which tags use which types. A version crate compiles a model only when a cargo feature
//! of a tag that reaches it is on, so a user of two tags does not compile every model.
//!
//! A tag reaches a type when one of its operations names it (a parameter, a request or
//! response body of any status, a response header, a paging item, an example) or names a
//! type that reaches it (fields, map values, union variants, alias targets).

use std::collections::{BTreeMap, BTreeSet};

use super::{BodyKind, Operation, ResponseBody, Success, Tag, TypeDef, TypeKind, TypeRef};

/// Fills every type's `used_by` with the modules of the tags that reach it, and marks the
/// types reached from a type no tag reaches (`reached_from_unused`): those compile with the
/// schemas no operation uses, so their fields' types must compile then too.
pub fn mark_users(tags: &[Tag], types: &mut BTreeMap<String, TypeDef>) {
    let mut users: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for tag in tags {
        let roots = tag
            .operations
            .iter()
            .flat_map(operation_refs)
            .filter_map(TypeRef::innermost_named);
        for name in closure(roots, types) {
            users
                .entry(name.to_owned())
                .or_default()
                .insert(tag.module.clone());
        }
    }
    let unused = types
        .keys()
        .map(String::as_str)
        .filter(|name| !users.contains_key(*name));
    let from_unused: BTreeSet<String> = closure(unused, types)
        .into_iter()
        .map(str::to_owned)
        .collect();
    for (name, def) in types.iter_mut() {
        def.used_by = users.remove(name).unwrap_or_default();
        def.reached_from_unused = from_unused.contains(name);
    }
}

/// The names of `roots` and every type they reach.
fn closure<'t>(
    roots: impl Iterator<Item = &'t str>,
    types: &'t BTreeMap<String, TypeDef>,
) -> BTreeSet<&'t str> {
    let mut reached = BTreeSet::new();
    let mut pending: Vec<&str> = roots.collect();
    while let Some(name) = pending.pop() {
        if !reached.insert(name) {
            continue;
        }
        if let Some(def) = types.get(name) {
            pending.extend(
                type_refs(def)
                    .into_iter()
                    .filter_map(TypeRef::innermost_named),
            );
        }
    }
    reached
}

/// Every type reference an operation's generated code or docs mention.
pub fn operation_refs(op: &Operation) -> Vec<&TypeRef> {
    let mut refs: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
    if let Some(body) = &op.body {
        match &body.kind {
            BodyKind::Json(ty) => refs.push(ty),
            BodyKind::Multipart(parts) | BodyKind::Form(parts) => {
                refs.extend(parts.iter().map(|p| &p.ty));
            }
            BodyKind::Bytes => {}
        }
    }
    for response in &op.responses {
        refs.extend(response.content.iter().filter_map(|(_, body)| match body {
            ResponseBody::Json(ty) => Some(ty),
            ResponseBody::Bytes | ResponseBody::Text => None,
        }));
        refs.extend(response.headers.iter().map(|h| &h.ty));
    }
    match &op.success {
        Success::Single(ResponseBody::Json(ty)) => refs.push(ty),
        Success::ByStatus { variants, .. } => {
            refs.extend(variants.iter().filter_map(|v| match &v.body {
                Some(ResponseBody::Json(ty)) => Some(ty),
                _ => None,
            }));
        }
        Success::Empty | Success::Count | Success::Single(_) => {}
    }
    if let Some(pagination) = &op.pagination {
        refs.push(&pagination.item);
    }
    if let Some(search) = &op.search_after {
        refs.push(&search.item);
    }
    refs.extend(op.examples.iter().map(|e| &e.ty));
    refs
}

/// Every type reference a type's definition holds.
pub fn type_refs(def: &TypeDef) -> Vec<&TypeRef> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .map(|f| &f.ty)
            .chain(s.additional.as_ref())
            .collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(target) => vec![target],
        TypeKind::Newtype(n) => vec![&n.value],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Points a reference (through `Vec`s, maps and options) at the new name of a renamed
/// type.
pub fn rename_ref(ty: &mut TypeRef, renames: &BTreeMap<String, String>) {
    match ty {
        TypeRef::Named(name) => {
            if let Some(renamed) = renames.get(name) {
                *name = renamed.clone();
            }
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => {
            rename_ref(inner, renames)
        }
        _ => {}
    }
}

/// [`operation_refs`], to change them (renaming merged types).
pub fn operation_refs_mut(op: &mut Operation) -> Vec<&mut TypeRef> {
    let mut refs: Vec<&mut TypeRef> = op.params.iter_mut().map(|p| &mut p.ty).collect();
    if let Some(body) = &mut op.body {
        match &mut body.kind {
            BodyKind::Json(ty) => refs.push(ty),
            BodyKind::Multipart(parts) | BodyKind::Form(parts) => {
                refs.extend(parts.iter_mut().map(|p| &mut p.ty));
            }
            BodyKind::Bytes => {}
        }
    }
    for response in &mut op.responses {
        refs.extend(
            response
                .content
                .iter_mut()
                .filter_map(|(_, body)| json_ref_mut(body)),
        );
        refs.extend(response.headers.iter_mut().map(|h| &mut h.ty));
    }
    match &mut op.success {
        Success::Single(body) => refs.extend(json_ref_mut(body)),
        Success::ByStatus { variants, .. } => {
            refs.extend(
                variants
                    .iter_mut()
                    .filter_map(|v| v.body.as_mut().and_then(json_ref_mut)),
            );
        }
        Success::Empty | Success::Count => {}
    }
    if let Some(pagination) = &mut op.pagination {
        refs.push(&mut pagination.item);
    }
    if let Some(search) = &mut op.search_after {
        refs.push(&mut search.item);
    }
    refs.extend(op.examples.iter_mut().map(|e| &mut e.ty));
    refs
}

fn json_ref_mut(body: &mut ResponseBody) -> Option<&mut TypeRef> {
    match body {
        ResponseBody::Json(ty) => Some(ty),
        ResponseBody::Bytes | ResponseBody::Text => None,
    }
}

/// [`type_refs`], to change them (renaming merged types).
pub fn type_refs_mut(def: &mut TypeDef) -> Vec<&mut TypeRef> {
    match &mut def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter_mut()
            .map(|f| &mut f.ty)
            .chain(s.additional.as_mut())
            .collect(),
        TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.ty).collect(),
        TypeKind::Alias(target) => vec![target],
        TypeKind::Newtype(n) => vec![&mut n.value],
        TypeKind::Enum(_) => Vec::new(),
    }
}
