//! Recursive types and `Default`, found once for every kind of edge.
//!
//! - A cycle of aliases (`A = Vec<B>`, `B = Map<A>`) is not a Rust type at all: aliases
//!   expand eagerly. One alias of each such cycle becomes a newtype struct.
//! - A field, variant or newtype whose type leads back to its own type without passing
//!   through a `Vec` or map would make an infinitely sized Rust type, so it is boxed.
//! - Types derive `Default` only when every required member has a default and no recursion
//!   is involved (a least fixpoint, so `Default::default()` never recurses forever).
//!
//! Cycles are strongly connected components (Tarjan, through `petgraph`), so the cost is
//! linear in the number of types and edges.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;

use super::{Newtype, TypeDef, TypeKind, TypeRef};
use crate::location::Diagnostic;

/// Resolves recursion in `types`; returns a warning for each alias turned into a newtype.
pub fn resolve(types: &mut BTreeMap<String, TypeDef>) -> Vec<Diagnostic> {
    let newtypes = break_alias_cycles(types);
    box_recursive(types);
    box_union_objects(types);
    mark_defaults(types);
    newtypes
        .into_iter()
        .filter_map(|name| {
            let def = types.get(&name)?;
            Some(Diagnostic::new(
                def.location.clone(),
                format!(
                    "`{name}` is a list or map that contains itself; generated as a newtype struct"
                ),
            ))
        })
        .collect()
}

/// The strongly connected components of the graph `edges` draws over `types` that hold a
/// cycle (more than one type, or one with an edge to itself), as sets of names.
fn cyclic_components<'t>(
    types: &'t BTreeMap<String, TypeDef>,
    edges: impl Fn(&'t TypeDef) -> Vec<&'t str>,
) -> Vec<BTreeSet<&'t str>> {
    let mut graph = DiGraph::<&str, ()>::with_capacity(types.len(), types.len());
    let index: BTreeMap<&str, _> = types
        .keys()
        .map(|name| (name.as_str(), graph.add_node(name.as_str())))
        .collect();
    let mut self_loops = BTreeSet::new();
    for (name, def) in types {
        for target in edges(def) {
            if let (Some(&from), Some(&to)) = (index.get(name.as_str()), index.get(target)) {
                graph.add_edge(from, to, ());
                if from == to {
                    self_loops.insert(name.as_str());
                }
            }
        }
    }
    tarjan_scc(&graph)
        .into_iter()
        .filter(|component| {
            component.len() > 1 || component.iter().any(|n| self_loops.contains(graph[*n]))
        })
        .map(|component| component.into_iter().map(|n| graph[n]).collect())
        .collect()
}

/// The types an alias names anywhere in its target.
fn alias_edges(def: &TypeDef) -> Vec<&str> {
    match &def.kind {
        TypeKind::Alias(target) => target.innermost_named().into_iter().collect(),
        _ => Vec::new(),
    }
}

/// In each cycle of aliases, the alias first by name becomes a newtype struct.
fn break_alias_cycles(types: &mut BTreeMap<String, TypeDef>) -> Vec<String> {
    let chosen: Vec<String> = cyclic_components(types, alias_edges)
        .into_iter()
        .filter_map(|component| component.first().map(|name| (*name).to_owned()))
        .collect();
    for name in &chosen {
        if let Some(def) = types.get_mut(name) {
            if let TypeKind::Alias(target) = &def.kind {
                def.kind = TypeKind::Newtype(Newtype {
                    value: target.clone(),
                    boxed: false,
                });
            }
        }
    }
    chosen
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

/// The named type a reference holds directly (not through a `Vec` or map), following
/// aliases. Alias cycles are broken before this is used, so the walk ends; the bound
/// only guards against a model that breaks that promise.
fn direct_target<'t>(ty: &'t TypeRef, types: &'t BTreeMap<String, TypeDef>) -> Option<&'t str> {
    let mut name = ty.named()?;
    for _ in 0..=types.len() {
        match types.get(name).map(|t| &t.kind) {
            Some(TypeKind::Alias(TypeRef::Named(next))) => name = next,
            Some(TypeKind::Alias(_)) => return None,
            _ => return Some(name),
        }
    }
    Some(name)
}

/// The members whose type is held inline: struct fields, union variants, a newtype's value.
fn direct_edges(def: &TypeDef) -> Vec<&TypeRef> {
    match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.ty).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.ty).collect(),
        TypeKind::Newtype(n) => vec![&n.value],
        TypeKind::Alias(_) | TypeKind::Enum(_) => Vec::new(),
    }
}

/// Boxes every member whose type is in its own type's cycle of inline holding.
fn box_recursive(types: &mut BTreeMap<String, TypeDef>) {
    let components = cyclic_components(types, |def| {
        direct_edges(def)
            .into_iter()
            .filter_map(|ty| direct_target(ty, types))
            .collect()
    });
    let mut to_box: Vec<(String, usize)> = Vec::new();
    for component in &components {
        for name in component {
            let Some(def) = types.get(*name) else {
                continue;
            };
            for (index, ty) in direct_edges(def).into_iter().enumerate() {
                if direct_target(ty, types).is_some_and(|target| component.contains(target)) {
                    to_box.push(((*name).to_owned(), index));
                }
            }
        }
    }
    for (name, index) in to_box {
        match types.get_mut(&name).map(|d| &mut d.kind) {
            Some(TypeKind::Struct(s)) => s.fields[index].boxed = true,
            Some(TypeKind::Union(u)) => u.variants[index].boxed = true,
            Some(TypeKind::Newtype(n)) => n.boxed = true,
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
                TypeKind::Newtype(n) => !n.boxed && ref_default(&n.value, &defaults),
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
