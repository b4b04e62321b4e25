//! Types that only changed their name: a type gone from the old version and a type new in
//! the new one with the same shape (compared structurally: members, their Rust names and
//! types, requiredness; not the type's own name, docs or where it is written).
//!
//! Renames chain (a renamed struct whose field is a renamed enum), so matching repeats
//! until nothing new matches, each round comparing old shapes with the renames found so
//! far applied. When several new types have the shape of one old type, the one whose name
//! shares the longest prefix and suffix with the old name wins; a tie is no rename (the
//! diff reports a removal and additions rather than guess).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::{Api, TypeDef, TypeRef};

/// Old name -> new name.
pub(super) fn detect(old: &Api, new: &Api) -> BTreeMap<String, String> {
    let removed: Vec<&TypeDef> = old
        .types
        .values()
        .filter(|t| !new.types.contains_key(&t.name))
        .collect();
    let mut by_shape: HashMap<String, Vec<&TypeDef>> = HashMap::new();
    for added in new
        .types
        .values()
        .filter(|t| !old.types.contains_key(&t.name))
    {
        let key = shape(added, &|name| name.to_owned());
        by_shape.entry(key).or_default().push(added);
    }
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    let mut taken: BTreeSet<&str> = BTreeSet::new();
    loop {
        let mut progress = false;
        for def in &removed {
            if renames.contains_key(&def.name) {
                continue;
            }
            let key = shape(def, &|name| {
                renames
                    .get(name)
                    .cloned()
                    .unwrap_or_else(|| name.to_owned())
            });
            let candidates: Vec<&TypeDef> = by_shape
                .get(&key)
                .into_iter()
                .flatten()
                .copied()
                .filter(|t| !taken.contains(t.name.as_str()))
                .collect();
            if let Some(best) = closest(&def.name, &candidates) {
                taken.insert(&best.name);
                renames.insert(def.name.clone(), best.name.clone());
                progress = true;
            }
        }
        if !progress {
            return renames;
        }
    }
}

/// The candidate whose name is most like `name`, if one is strictly closest.
fn closest<'t>(name: &str, candidates: &[&'t TypeDef]) -> Option<&'t TypeDef> {
    let score = |other: &str| {
        let prefix = name
            .chars()
            .zip(other.chars())
            .take_while(|(a, b)| a == b)
            .count();
        let suffix = name
            .chars()
            .rev()
            .zip(other.chars().rev())
            .take_while(|(a, b)| a == b)
            .count();
        prefix + suffix
    };
    let mut scored: Vec<(usize, &TypeDef)> =
        candidates.iter().map(|t| (score(&t.name), *t)).collect();
    scored.sort_by_key(|(score, _)| std::cmp::Reverse(*score));
    match scored.as_slice() {
        [(_, only)] => Some(only),
        [(first, best), (second, _), ..] if first > second => Some(best),
        _ => None,
    }
}

/// A canonical text of the type's shape: its own name is `Self`, other names go through
/// `name` (which applies the renames found so far on the old side).
fn shape(def: &TypeDef, name: &dyn Fn(&str) -> String) -> String {
    crate::model::dedup::shape(def, &|t: &TypeRef| type_text(t, &def.name, name))
}

fn type_text(ty: &TypeRef, own: &str, name: &dyn Fn(&str) -> String) -> String {
    match ty {
        TypeRef::Vec(inner) => format!("Vec<{}>", type_text(inner, own, name)),
        TypeRef::Map(inner) => format!("Map<{}>", type_text(inner, own, name)),
        TypeRef::Nullable(inner) => format!("Option<{}>", type_text(inner, own, name)),
        TypeRef::Named(n) if n == own => "Self".to_owned(),
        TypeRef::Named(n) => format!("#{}", name(n)),
        other => format!("{other:?}"),
    }
}
