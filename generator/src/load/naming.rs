//! The registry of hoisted schemas and how they get their `components.schemas` names.
//!
//! Every schema reached by a `$ref` is one *target* (file + pointer). Its candidate name
//! is the name the root file gives it in `components.schemas`, else one derived from the
//! file name (and fragment). Targets that share a candidate name share the final name
//! when their bundled content is identical (compared with references treated as equal
//! when they point at schemas that are themselves identical, so recursive schemas
//! compare correctly); otherwise the best-ranked keeps the name and the others get a
//! suffix. All of it is in registration order, so the result is deterministic.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path};

use heck::ToUpperCamelCase;

use super::files::FileId;
use super::node::Node;
use super::words::Vocabulary;
use crate::pointer;

/// A schema location: file and escaped JSON pointer.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Target {
    pub(crate) file: FileId,
    pub(crate) ptr: String,
}

pub(crate) type SchemaId = usize;

pub(crate) struct SchemaEntry {
    pub(crate) target: Target,
    pub(crate) candidate: String,
    /// Named by the root file's `components.schemas`.
    pub(crate) preferred: bool,
    /// Lives in the loaded version's own folder (or the root file).
    pub(crate) home: bool,
    /// Top-level folder of the file, e.g. `v3`, for suffixes.
    pub(crate) folder: Option<String>,
    pub(crate) body: Option<Node>,
}

#[derive(Default)]
pub(crate) struct Schemas {
    entries: Vec<SchemaEntry>,
    by_target: HashMap<Target, SchemaId>,
}

impl Schemas {
    pub(crate) fn id_of(&self, target: &Target) -> Option<SchemaId> {
        self.by_target.get(target).copied()
    }

    pub(crate) fn add(&mut self, entry: SchemaEntry) -> SchemaId {
        let id = self.entries.len();
        self.by_target.insert(entry.target.clone(), id);
        self.entries.push(entry);
        id
    }

    pub(crate) fn get(&self, id: SchemaId) -> &SchemaEntry {
        &self.entries[id]
    }

    pub(crate) fn set_body(&mut self, id: SchemaId, body: Node) {
        if let Some(entry) = self.entries.get_mut(id) {
            entry.body = Some(body);
        }
    }

    pub(crate) fn take_body(&mut self, id: SchemaId) -> Node {
        self.entries
            .get_mut(id)
            .and_then(|e| e.body.take())
            .unwrap_or(Node::Null)
    }
}

/// The outcome of naming.
pub(crate) struct Naming {
    /// Final name of every schema id.
    pub(crate) name_of: Vec<String>,
    /// One id per emitted schema (the representative of its class), in emission order.
    pub(crate) emitted: Vec<SchemaId>,
    /// Same candidate name, different content: (kept id, renamed id).
    pub(crate) conflicts: Vec<(SchemaId, SchemaId)>,
}

pub(crate) fn finalize(schemas: &Schemas) -> Naming {
    let class_of = refine_classes(schemas);
    let classes = class_members(&class_of);
    let mut name_of = vec![String::new(); schemas.entries.len()];
    let mut emitted = Vec::new();
    let mut conflicts = Vec::new();
    // Every candidate is reserved up front so that suffixed names never steal one.
    let mut taken: HashSet<String> = schemas
        .entries
        .iter()
        .map(|e| e.candidate.clone())
        .collect();
    for group in candidate_groups(schemas, &classes) {
        let mut ranked: Vec<(Vec<SchemaId>, SchemaId)> = group
            .into_iter()
            .map(|members| {
                let rep = best_ranked(schemas, &members);
                (members, rep)
            })
            .collect();
        ranked.sort_by_key(|(_, rep)| rank(schemas, *rep));
        let kept = ranked.first().map(|(_, rep)| *rep);
        for (i, (members, rep)) in ranked.into_iter().enumerate() {
            let entry = schemas.get(rep);
            let name = if i == 0 {
                entry.candidate.clone()
            } else {
                let name = suffixed(entry, &mut taken);
                if let Some(kept) = kept {
                    conflicts.push((kept, rep));
                }
                name
            };
            for m in members {
                name_of[m] = name.clone();
            }
            emitted.push(rep);
        }
    }
    emitted.sort_unstable();
    Naming {
        name_of,
        emitted,
        conflicts,
    }
}

/// Ranking for who keeps a contested name: root-declared first, then schemas of the
/// loaded version's own folder, then registration order.
fn rank(schemas: &Schemas, id: SchemaId) -> (bool, bool, SchemaId) {
    let e = schemas.get(id);
    (!e.preferred, !e.home, id)
}

fn best_ranked(schemas: &Schemas, members: &[SchemaId]) -> SchemaId {
    members
        .iter()
        .copied()
        .min_by_key(|&id| rank(schemas, id))
        .unwrap_or_default()
}

/// `NameV3` when the schema comes from another version's folder, else `Name2`, `Name3`...
fn suffixed(entry: &SchemaEntry, taken: &mut HashSet<String>) -> String {
    if let Some(folder) = entry.folder.as_deref().filter(|_| !entry.home) {
        let name = format!("{}{}", entry.candidate, folder.to_upper_camel_case());
        if taken.insert(name.clone()) {
            return name;
        }
    }
    (2..)
        .map(|n| format!("{}{n}", entry.candidate))
        .find(|name| taken.insert(name.clone()))
        .unwrap_or_default()
}

/// Partition refinement: start with one class per candidate name, split classes whose
/// members differ (references compared by class), until nothing changes.
fn refine_classes(schemas: &Schemas) -> Vec<usize> {
    let mut by_name: HashMap<&str, usize> = HashMap::new();
    let mut class_of: Vec<usize> = schemas
        .entries
        .iter()
        .map(|e| {
            let next = by_name.len();
            *by_name.entry(e.candidate.as_str()).or_insert(next)
        })
        .collect();
    loop {
        let mut next_class = class_of.iter().copied().max().map_or(0, |m| m + 1);
        let mut new_class_of = class_of.clone();
        let mut split = false;
        for members in class_members(&class_of).into_iter().filter(|m| m.len() > 1) {
            // Representatives of the sub-classes found so far, with their class.
            let mut reps: Vec<(SchemaId, usize)> = Vec::new();
            for id in members {
                let same = reps
                    .iter()
                    .find(|(rep, _)| same_body(schemas, *rep, id, &class_of))
                    .map(|&(_, class)| class);
                match same {
                    Some(class) => new_class_of[id] = class,
                    None if reps.is_empty() => reps.push((id, class_of[id])),
                    None => {
                        new_class_of[id] = next_class;
                        reps.push((id, next_class));
                        next_class += 1;
                        split = true;
                    }
                }
            }
        }
        class_of = new_class_of;
        if !split {
            return class_of;
        }
    }
}

/// Members of each class, ids ascending, classes in order of their first member.
fn class_members(class_of: &[usize]) -> Vec<Vec<SchemaId>> {
    let mut index: HashMap<usize, usize> = HashMap::new();
    let mut out: Vec<Vec<SchemaId>> = Vec::new();
    for (id, &class) in class_of.iter().enumerate() {
        let slot = *index.entry(class).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        out[slot].push(id);
    }
    out
}

/// Classes grouped by candidate name, groups in order of their first member.
fn candidate_groups(schemas: &Schemas, classes: &[Vec<SchemaId>]) -> Vec<Vec<Vec<SchemaId>>> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<Vec<Vec<SchemaId>>> = Vec::new();
    for members in classes {
        let Some(&first) = members.first() else {
            continue;
        };
        let candidate = schemas.get(first).candidate.as_str();
        let slot = *index.entry(candidate).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        out[slot].push(members.clone());
    }
    out
}

fn same_body(schemas: &Schemas, a: SchemaId, b: SchemaId, class_of: &[usize]) -> bool {
    match (&schemas.get(a).body, &schemas.get(b).body) {
        (Some(x), Some(y)) => equal_under(x, y, class_of),
        (None, None) => true,
        _ => false,
    }
}

/// Structural equality where schema placeholders are equal when their classes are.
fn equal_under(a: &Node, b: &Node, class_of: &[usize]) -> bool {
    match (a, b) {
        (Node::SchemaRef(x), Node::SchemaRef(y)) | (Node::MappingRef(x), Node::MappingRef(y)) => {
            class_of.get(*x) == class_of.get(*y)
        }
        (Node::Seq(xs), Node::Seq(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| equal_under(x, y, class_of))
        }
        (Node::Map(xs), Node::Map(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .zip(ys.iter())
                    .all(|((kx, x), (ky, y))| kx == ky && equal_under(x, y, class_of))
        }
        _ => a == b,
    }
}

/// The name a schema gets unless the root file names it: the file stem, plus the
/// fragment's segments in UpperCamelCase (`File.yaml#/properties/foo` -> `FileFoo`);
/// a fragment into a `schemas`/`definitions` section uses the entry's own name.
///
/// A stem written in one lower-case run (`basereferencedto.yaml`, as SailPoint's
/// per-resource specs name their files) has lost its word boundaries: the schema's
/// `title` gives them back when it spells the same letters (`Base Reference Dto`), else
/// the words the specs spell elsewhere do (see [`Vocabulary`]).
pub(crate) fn derived_name(
    file: &Path,
    ptr: &str,
    title: Option<&str>,
    words: &Vocabulary,
) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = if squashed(&stem) == stem {
        match title {
            Some(title) if ptr.is_empty() && squashed(title) == stem => title.to_upper_camel_case(),
            _ => words.split(&stem).unwrap_or(stem),
        }
    } else {
        stem
    };
    let segs: Vec<String> = pointer::segments(ptr).map(|s| s.into_owned()).collect();
    let name = match segs.as_slice() {
        [] => stem,
        [.., section, entry] if ["schemas", "definitions", "$defs"].contains(&section.as_str()) => {
            entry.clone()
        }
        _ => {
            let mut name = stem;
            for seg in segs.iter().filter(|s| s.as_str() != "properties") {
                name.push_str(&seg.to_upper_camel_case());
            }
            name
        }
    };
    sanitize(&name)
}

/// Lower-case letters and digits only: `Base Reference-DTO` -> `basereferencedto`.
fn squashed(text: &str) -> String {
    text.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Component names must match `^[a-zA-Z0-9._-]+$`; anything else becomes `_`.
pub(crate) fn sanitize(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if cleaned.is_empty() {
        "Schema".to_owned()
    } else {
        cleaned
    }
}

/// First folder of a path relative to the specs folder (`v3/schemas/X.yaml` -> `v3`).
pub(crate) fn top_folder(rel: &Path) -> Option<String> {
    let mut comps = rel.components();
    let first = comps.next()?;
    comps.next()?;
    match first {
        Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_names() {
        let none = Vocabulary::default();
        let f = Path::new("v3/schemas/Task Result.yaml");
        assert_eq!(derived_name(f, "", None, &none), "Task_Result");
        let f = Path::new("v3/schemas/Account.yaml");
        assert_eq!(
            derived_name(f, "/properties/owner_ref/items", None, &none),
            "AccountOwnerRefItems"
        );
        assert_eq!(
            derived_name(f, "/components/schemas/Inner", None, &none),
            "Inner"
        );
    }

    #[test]
    fn a_title_restores_the_words_of_a_one_word_stem() {
        let none = Vocabulary::default();
        let f = Path::new("shared/schemas/basereferencedto.yaml");
        assert_eq!(
            derived_name(f, "", Some("Base Reference DTO"), &none),
            "BaseReferenceDto"
        );
        // A title of other letters, or a stem that has its words, is not used.
        assert_eq!(
            derived_name(f, "", Some("Reference"), &none),
            "basereferencedto"
        );
        let f = Path::new("shared/schemas/Owner_Ref.yaml");
        assert_eq!(derived_name(f, "", Some("Owner Ref"), &none), "Owner_Ref");
        // Only the whole file's schema: a fragment keeps the stem.
        let f = Path::new("shared/schemas/ownerref.yaml");
        assert_eq!(
            derived_name(f, "/properties/kind", Some("Owner Ref"), &none),
            "ownerrefKind"
        );
    }

    #[test]
    fn top_folders() {
        assert_eq!(
            top_folder(Path::new("v3/schemas/A.yaml")).as_deref(),
            Some("v3")
        );
        assert_eq!(top_folder(Path::new("root.yaml")), None);
    }
}
