//! One type per shape: structurally identical types are merged into one.
//!
//! Specs repeat small inline schemas (an owner reference and its `type` enum under every
//! document kind): each became a type of its own, named after where it sits. Types that
//! describe the same JSON the same way (kind, members, member types, required-ness; not
//! docs) are merged into one, repeatedly, since merging members can make their parents
//! identical too. Only types hoisted from inline schemas merge: a component schema is a
//! type the spec names on purpose, and one that happens to have the same shape as an
//! unrelated inline schema (an `{id, name}` reference) must not lend it its name. A group
//! is named, in order of preference, by the `title` its schemas share, by the CamelCase
//! words all their names end with (`RoleDocumentOwner`, `EntitlementDocumentOwner` ->
//! `DocumentOwner`; a lone generic word such as `Item` or `Type` does not count), or by
//! the shortest of their names; a name another type holds is never taken. Every choice
//! depends on names and shapes only, so output is deterministic.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;

use super::usage::{operation_refs_mut, rename_ref, type_refs_mut};
use super::{names, Tag, TypeDef, TypeKind, TypeRef};

/// Merges identical types in `types` and points every reference (from types and from the
/// operations of `tags`) at the type kept. Returns how many types were merged away.
pub fn merge_identical(types: &mut BTreeMap<String, TypeDef>, tags: &mut [Tag]) -> usize {
    let mut merged = 0;
    loop {
        let renames = identical_groups(types)
            .into_iter()
            .flat_map(|group| keep_one(group, types))
            .collect::<BTreeMap<String, String>>();
        if renames.is_empty() {
            return merged;
        }
        merged += apply(&renames, types, tags);
    }
}

/// Groups of two or more inline types with one shape, by shape.
fn identical_groups(types: &BTreeMap<String, TypeDef>) -> Vec<Vec<String>> {
    let mut by_shape: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (name, def) in types.iter().filter(|(_, def)| def.inline) {
        by_shape
            .entry(format!("{}|{}", is_shared(def), shape_key(def)))
            .or_default()
            .push(name.clone());
    }
    by_shape
        .into_values()
        .filter(|group| group.len() > 1)
        .collect()
}

/// old name -> kept name, for the types of one group of identical types. Identical
/// shapes can still be different things (an `{id, name}` source and an `{id, name}`
/// profile): only types that name the same concept merge, by their title, or else by
/// their name's last word (its last two when the last is generic: `OwnerType`).
fn keep_one(group: Vec<String>, types: &BTreeMap<String, TypeDef>) -> Vec<(String, String)> {
    let mut by_concept: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in group {
        by_concept
            .entry(concept(&name, types))
            .or_default()
            .push(name);
    }
    by_concept
        .into_values()
        .filter(|members| members.len() > 1)
        .flat_map(|members| {
            let keeper = group_name(&members, types);
            members
                .into_iter()
                .filter(|name| *name != keeper)
                .map(|name| (name, keeper.clone()))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// What a type is about: its title, or the end of its name.
fn concept(name: &str, types: &BTreeMap<String, TypeDef>) -> String {
    if let Some(title) = types.get(name).and_then(|def| def.title.as_ref()) {
        return format!("title:{title}");
    }
    let words = camel_words(name);
    let take = match words.last() {
        Some(last) if GENERIC_WORDS.contains(&last.as_str()) => 2,
        _ => 1,
    };
    words[words.len().saturating_sub(take)..].concat()
}

/// Single words too generic to name a type on their own.
const GENERIC_WORDS: &[&str] = &[
    "Body", "Data", "Dto", "Inner", "Item", "Items", "Request", "Response", "Type", "Value",
    "Values", "Variant",
];

/// The name of a group of inline types of one concept: their shared title, else their
/// shared name ending, else the shortest of their names (the first by name on a tie).
fn group_name(group: &[String], types: &BTreeMap<String, TypeDef>) -> String {
    let free = |candidate: &str| {
        !types.contains_key(candidate) || group.iter().any(|member| member == candidate)
    };
    let title = group
        .first()
        .and_then(|name| types.get(name))
        .and_then(|def| def.title.as_ref())
        .map(|title| names::type_name(title));
    [title, Some(common_ending(group))]
        .into_iter()
        .flatten()
        .find(|candidate| !candidate.is_empty() && free(candidate))
        .unwrap_or_else(|| shortest(group))
}

fn shortest(group: &[String]) -> String {
    group
        .iter()
        .min_by_key(|name| (name.len(), name.as_str()))
        .cloned()
        .unwrap_or_default()
}

/// The CamelCase words every name ends with, unless that is one generic word (`Type`
/// says too little to name a type); empty otherwise.
fn common_ending(group: &[String]) -> String {
    let words: Vec<Vec<String>> = group.iter().map(|name| camel_words(name)).collect();
    let Some(first) = words.first() else {
        return String::new();
    };
    let mut shared = 0;
    while shared < first.len()
        && words
            .iter()
            .all(|w| w.len() > shared && w[w.len() - 1 - shared] == first[first.len() - 1 - shared])
    {
        shared += 1;
    }
    let ending = &first[first.len() - shared..];
    match ending {
        [] => String::new(),
        [word] if GENERIC_WORDS.contains(&word.as_str()) => String::new(),
        _ => ending.concat().to_upper_camel_case(),
    }
}

/// `RoleDocumentOwnerType` -> `Role`, `Document`, `Owner`, `Type`.
fn camel_words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for c in name.chars() {
        match words.last_mut() {
            Some(word) if !c.is_ascii_uppercase() => word.push(c),
            _ => words.push(c.to_string()),
        }
    }
    words
}

/// Renames and removes merged types; returns how many went.
fn apply(
    renames: &BTreeMap<String, String>,
    types: &mut BTreeMap<String, TypeDef>,
    tags: &mut [Tag],
) -> usize {
    // A kept inline type named after its group: move it to its new name first.
    let mut moved = BTreeMap::new();
    for keeper in renames.values().collect::<BTreeSet<_>>() {
        if !types.contains_key(keeper) {
            let original = renames
                .iter()
                .filter(|(_, to)| *to == keeper)
                .map(|(from, _)| from)
                .next();
            if let Some(def) = original.and_then(|from| types.get(from)).cloned() {
                let mut def = def;
                def.name = keeper.clone();
                def.module = names::module_name(keeper);
                moved.insert(keeper.clone(), def);
            }
        }
    }
    let before = types.len();
    types.retain(|name, _| !renames.contains_key(name));
    types.extend(moved);
    for def in types.values_mut() {
        for ty in type_refs_mut(def) {
            rename_ref(ty, renames);
        }
    }
    for op in tags.iter_mut().flat_map(|t| t.operations.iter_mut()) {
        if let Some(search) = &mut op.search_after {
            if let Some(kept) = renames.get(&search.body_type) {
                search.body_type = kept.clone();
            }
        }
        for ty in operation_refs_mut(op) {
            rename_ref(ty, renames);
        }
    }
    before - types.len()
}

/// Written under `shared/` (resources layout): such a type is generated once for every
/// resource, so it never merges with one of a resource's own.
fn is_shared(def: &TypeDef) -> bool {
    super::shared::is_shared_location(&def.location)
}

fn shape_key(def: &TypeDef) -> String {
    shape(def, &|t: &TypeRef| format!("{t:?}"))
}

/// A canonical text of what a type describes: its kind, members, member types and flags,
/// not its name or docs. `ty` writes each type reference, so the caller decides how the
/// names of other types compare (the spec diff follows renames through it).
pub fn shape(def: &TypeDef, ty: &dyn Fn(&TypeRef) -> String) -> String {
    let kind = match &def.kind {
        TypeKind::Struct(s) => {
            let fields: Vec<String> = s
                .fields
                .iter()
                .map(|f| {
                    format!(
                        "{}|{}|{}|{}|{}|{}|{}",
                        f.name,
                        f.rust_name,
                        ty(&f.ty),
                        f.required,
                        f.schema_required,
                        f.nullable,
                        f.deprecated
                    )
                })
                .collect();
            format!(
                "struct[{}]+{}",
                fields.join(";"),
                s.additional.as_ref().map(ty).unwrap_or_default()
            )
        }
        TypeKind::Enum(e) => {
            let values: Vec<String> = e
                .variants
                .iter()
                .map(|v| format!("{}={}", v.rust_name, v.value))
                .collect();
            format!("enum[{}]{}", values.join(";"), e.fallback)
        }
        TypeKind::Union(u) => {
            let variants: Vec<String> = u
                .variants
                .iter()
                .map(|v| {
                    format!(
                        "{}({}){:?}{:?}",
                        v.rust_name,
                        ty(&v.ty),
                        v.tag_values,
                        v.accepts
                    )
                })
                .collect();
            format!("union{:?}[{}]{}", u.tag, variants.join(";"), u.fallback)
        }
        TypeKind::Alias(target) => format!("alias {}", ty(target)),
        TypeKind::Newtype(n) => format!("newtype {}", ty(&n.value)),
    };
    format!("{}{kind}", if def.deprecated { "deprecated " } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_end_alike() {
        let group = [
            "RoleDocumentOwnerType".to_owned(),
            "EntitlementDocumentOwnerType".to_owned(),
        ];
        assert_eq!(common_ending(&group), "DocumentOwnerType");
        assert_eq!(
            common_ending(&["AType".to_owned(), "BType".to_owned()]),
            "",
            "a generic word says too little"
        );
        assert_eq!(
            common_ending(&["RoleOwner".to_owned(), "AppOwner".to_owned()]),
            "Owner"
        );
        assert_eq!(camel_words("V2Item"), ["V2", "Item"]);
    }
}
