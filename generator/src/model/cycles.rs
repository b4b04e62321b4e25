//! Recursive types and `Default`.
//!
//! A field or variant whose type leads back to its own type without passing through a
//! `Vec` or map would make an infinitely sized Rust type, so it is boxed. Types derive
//! `Default` only when every required member has a default and no recursion is involved
//! (a least fixpoint, so `Default::default()` never recurses forever).

use std::collections::{BTreeMap, BTreeSet};

use super::{TypeDef, TypeKind, TypeRef};

pub fn resolve(types: &mut BTreeMap<String, TypeDef>) {
    box_recursive(types);
    box_union_objects(types);
    mark_defaults(types);
}

/// Union variants holding a struct or another union are boxed: variant sizes differ by
/// hundreds of bytes otherwise, and every value of the union would pay for the largest.
fn box_union_objects(types: &mut BTreeMap<String, TypeDef>) {
    let is_object = |ty: &TypeRef, types: &BTreeMap<String, TypeDef>| {
        direct_target(ty, types)
            .and_then(|name| types.get(name))
            .is_some_and(|def| matches!(def.kind, TypeKind::Struct(_) | TypeKind::Union(_)))
    };
    let mut to_box = Vec::new();
    for (name, def) in types.iter() {
        if let TypeKind::Union(u) = &def.kind {
            for (index, variant) in u.variants.iter().enumerate() {
                if is_object(&variant.ty, types) {
                    to_box.push((name.clone(), index));
                }
            }
        }
    }
    for (name, index) in to_box {
        if let Some(TypeKind::Union(u)) = types.get_mut(&name).map(|d| &mut d.kind) {
            u.variants[index].boxed = true;
        }
    }
}

/// Named types reached directly (not through a `Vec` or map) from a type reference,
/// following aliases.
fn direct_target<'t>(ty: &'t TypeRef, types: &'t BTreeMap<String, TypeDef>) -> Option<&'t str> {
    let mut name = ty.named()?;
    for _ in 0..32 {
        match types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Alias(TypeRef::Named(next))) => name = next,
            Some(TypeKind::Alias(_)) => return None,
            _ => return Some(name),
        }
    }
    Some(name)
}

fn direct_edges(def: &TypeDef) -> Vec<&TypeRef> {
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Alias(_) | TypeKind::Enum(_) => Vec::new(),
    }
}

/// Can `from` reach `to` through direct edges?
fn reaches(from: &str, to: &str, types: &BTreeMap<String, TypeDef>) -> bool {
    let mut stack = vec![from];
    let mut seen = BTreeSet::new();
    while let Some(current) = stack.pop() {
        if current == to {
            return true;
        }
        if !seen.insert(current) {
            continue;
        }
        if let Some(def) = types.get(current) {
            stack.extend(
                direct_edges(def)
                    .into_iter()
                    .filter_map(|t| direct_target(t, types)),
            );
        }
    }
    false
}

fn box_recursive(types: &mut BTreeMap<String, TypeDef>) {
    let mut to_box: Vec<(String, usize)> = Vec::new();
    for (name, def) in types.iter() {
        for (index, ty) in direct_edges(def).into_iter().enumerate() {
            if let Some(target) = direct_target(ty, types) {
                if reaches(target, name, types) {
                    to_box.push((name.clone(), index));
                }
            }
        }
    }
    for (name, index) in to_box {
        match types.get_mut(&name).map(|d| &mut d.kind) {
            Some(TypeKind::Struct(s)) => s.fields[index].boxed = true,
            Some(TypeKind::Union(u)) => u.variants[index].boxed = true,
            _ => {}
        }
    }
}

fn ref_default(ty: &TypeRef, defaults: &BTreeSet<String>) -> bool {
    match ty {
        TypeRef::Named(name) => defaults.contains(name),
        TypeRef::File | TypeRef::Bytes => false,
        _ => true,
    }
}

fn mark_defaults(types: &mut BTreeMap<String, TypeDef>) {
    let mut defaults: BTreeSet<String> = BTreeSet::new();
    loop {
        let before = defaults.len();
        for (name, def) in types.iter() {
            let is_default = match &def.kind {
                TypeKind::Struct(s) => s
                    .fields
                    .iter()
                    .all(|f| f.optional() || (!f.boxed && ref_default(&f.ty, &defaults))),
                TypeKind::Alias(ty) => ref_default(ty, &defaults),
                TypeKind::Enum(_) | TypeKind::Union(_) => false,
            };
            if is_default {
                defaults.insert(name.clone());
            }
        }
        if defaults.len() == before {
            break;
        }
    }
    for def in types.values_mut() {
        def.default = defaults.contains(&def.name);
        if let TypeKind::Struct(s) = &mut def.kind {
            for field in &mut s.fields {
                field.ty_default = ref_default(&field.ty, &defaults);
            }
        }
    }
}
