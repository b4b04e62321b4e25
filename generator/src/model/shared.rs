//! The resources layout's shared components. Every resource refers to schemas written
//! under `shared/`; each such schema (and each type hoisted from inside one) becomes one
//! type of the shared crate, and every resource crate re-exports it under the name the
//! resource's own model gave it, instead of generating a copy. A name used twice in the
//! shared crate is told apart there; resources keep theirs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path};

use super::names::{self, NameSet};
use super::usage::{rename_ref, type_refs_mut};
use super::{Api, TypeDef, TypeRef};
use crate::load::{Layout, SHARED_DIR};
use crate::location::Location;

/// The shared crate's module and version name.
pub const SHARED: &str = "shared";

/// Whether `location` is in the specs folder's `shared/` folder.
pub fn is_shared_location(location: &Location) -> bool {
    first_component(&location.file) == Some(SHARED_DIR)
}

fn first_component(path: &Path) -> Option<&str> {
    match path.components().next()? {
        Component::Normal(name) => name.to_str(),
        _ => None,
    }
}

/// Moves the shared types of the resources in `apis` into one shared `Api` (returned,
/// `None` when no resource has any) and marks each resource's copies `shared_as`.
pub fn extract(apis: &mut [Api]) -> Option<Api> {
    let mut canonical: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut type_names = NameSet::new();
    let mut module_names = names::model_modules();
    let mut shared: BTreeMap<String, TypeDef> = BTreeMap::new();
    for api in apis
        .iter_mut()
        .filter(|api| api.layout == Layout::Resources)
    {
        let local = shareable(api);
        let mut to_canonical: BTreeMap<String, String> = BTreeMap::new();
        let mut first_seen: Vec<String> = Vec::new();
        for name in &local {
            let def = &api.types[name];
            let key = (
                def.location.file.to_string_lossy().into_owned(),
                def.location.pointer.clone(),
            );
            let shared_name = canonical.entry(key).or_insert_with(|| {
                first_seen.push(name.clone());
                type_names.claim(name)
            });
            to_canonical.insert(name.clone(), shared_name.clone());
        }
        for name in first_seen {
            let mut def = api.types[&name].clone();
            def.name = to_canonical[&name].clone();
            def.module = module_names.claim(&names::module_name(&def.name));
            for ty in type_refs_mut(&mut def) {
                rename_ref(ty, &to_canonical);
            }
            def.used_by = BTreeSet::new();
            def.reached_from_unused = false;
            shared.insert(def.name.clone(), def);
        }
        for (name, shared_name) in to_canonical {
            if let Some(def) = api.types.get_mut(&name) {
                def.shared_as = Some(shared_name);
            }
        }
    }
    if shared.is_empty() {
        return None;
    }
    Some(Api {
        version: SHARED.to_owned(),
        module: SHARED.to_owned(),
        root_file: SHARED_DIR.to_owned(),
        title: "Components every resource shares".to_owned(),
        description: None,
        base_path: String::new(),
        tags: Vec::new(),
        types: shared,
        warnings: Vec::new(),
        source_digest: String::new(),
        layout: Layout::Resources,
        api_version: String::new(),
        common: true,
    })
}

/// The types of `api` written under `shared/` whose members are all shareable too (a
/// shared schema that reached a resource's own would need that resource): a fixpoint.
fn shareable(api: &Api) -> BTreeSet<String> {
    let mut set: BTreeSet<String> = api
        .types
        .values()
        .filter(|def| is_shared_location(&def.location))
        .map(|def| def.name.clone())
        .collect();
    loop {
        let before = set.len();
        let keep: BTreeSet<String> = set
            .iter()
            .filter(|name| {
                api.types.get(*name).is_some_and(|def| {
                    super::type_refs(def)
                        .into_iter()
                        .filter_map(TypeRef::innermost_named)
                        .all(|target| set.contains(target))
                })
            })
            .cloned()
            .collect();
        set = keep;
        if set.len() == before {
            return set;
        }
    }
}
