//! Defects of shape the walk repairs, each with a warning: path keys without their leading
//! `/`, HTTP methods not written in lower case, and Swagger 2's `required: true` on a
//! property schema. Left alone, the typed parse would drop the first two silently
//! (`openapiv3` ignores keys it does not know) and reject the whole spec for the third.

use std::collections::HashSet;

use super::bundle::{Bundler, WalkPosition};
use super::error::LoadError;
use super::kinds::{child_kind, method_named, Obj, PATH_ITEM_FIELDS};
use super::node::{Map, Node};
use crate::pointer;

impl Bundler {
    /// The Paths object. A key that is neither a path nor an extension gets its missing
    /// `/`; if that path exists too, which one is meant is unclear: an error.
    pub(crate) fn walk_paths(
        &mut self,
        position: &mut WalkPosition,
        map: &Map,
    ) -> Result<Node, LoadError> {
        let mut out = Map::with_capacity(map.len());
        for (key, value) in map.iter() {
            let path = match fixed_path(key) {
                None => key.clone(),
                Some(fixed) => {
                    let at = self.location(position.file, &pointer::join(&position.ptr, key));
                    if map.contains_key(&fixed) {
                        return Err(LoadError::Invalid {
                            at,
                            reason: format!(
                                "path `{key}` does not start with `/`, and `{fixed}` is defined too"
                            ),
                        });
                    }
                    self.warn(
                        at,
                        format!("path `{key}` does not start with `/`; read as `{fixed}`"),
                    );
                    fixed
                }
            };
            let mark = position.enter(key);
            let walked = self.walk(position, value, child_kind(Obj::Paths, key));
            position.leave(mark);
            out.push(path, walked?);
        }
        Ok(Node::Map(out))
    }

    /// A Path Item. A method in another case (`GET`) is read as the lower-case one, unless
    /// that one is there too; a key that is no Path Item field is reported (the typed parse
    /// ignores it).
    pub(crate) fn walk_path_item(
        &mut self,
        position: &mut WalkPosition,
        map: &Map,
    ) -> Result<Node, LoadError> {
        let mut out = Map::with_capacity(map.len());
        for (key, value) in map.iter() {
            let Some(name) = self.path_item_key(position, map, &out, key) else {
                continue;
            };
            let mark = position.enter(key);
            let walked = self.walk(position, value, child_kind(Obj::PathItem, &name));
            position.leave(mark);
            out.push(name, walked?);
        }
        Ok(Node::Map(out))
    }

    /// The name member `key` of a Path Item is bundled under (`None`: left out).
    fn path_item_key(
        &mut self,
        position: &WalkPosition,
        map: &Map,
        out: &Map,
        key: &str,
    ) -> Option<String> {
        let at = || self.location(position.file, &pointer::join(&position.ptr, key));
        match method_named(key) {
            Some(method) if method == key => Some(key.to_owned()),
            Some(method) if map.contains_key(method) || out.contains_key(method) => {
                let msg = format!("operation `{key}` ignored: this Path Item has `{method}` too");
                self.warn(at(), msg);
                None
            }
            Some(method) => {
                let msg = format!("HTTP method `{key}` must be lower-case; read as `{method}`");
                self.warn(at(), msg);
                Some(method.to_owned())
            }
            None if PATH_ITEM_FIELDS.contains(&key) || key.starts_with("x-") => {
                Some(key.to_owned())
            }
            None => {
                let msg = format!("`{key}` is no Path Item field nor HTTP method; ignored");
                self.warn(at(), msg);
                Some(key.to_owned())
            }
        }
    }

    /// A Schema without a `$ref`. A boolean `required` (Swagger 2) is removed; the
    /// properties it marks required are listed in this schema's `required`.
    pub(crate) fn walk_schema(
        &mut self,
        position: &mut WalkPosition,
        map: &Map,
    ) -> Result<Node, LoadError> {
        let mut out = Map::with_capacity(map.len());
        for (key, value) in map.iter() {
            if let ("required", Node::Bool(required)) = (key.as_str(), value) {
                self.warn_boolean_required(position, *required);
                continue;
            }
            let mark = position.enter(key);
            let walked = self.walk(position, value, child_kind(Obj::Schema, key));
            position.leave(mark);
            out.push(key.clone(), walked?);
        }
        let required = self.required_properties(position, map);
        add_required(&mut out, required);
        Ok(Node::Map(out))
    }

    /// Reports a boolean `required` member of the schema at `position` (it is dropped).
    pub(crate) fn warn_boolean_required(&mut self, position: &WalkPosition, required: bool) {
        let at = self.location(position.file, &pointer::join(&position.ptr, "required"));
        let fix = if required {
            "removed, and the property is listed in its object's `required`"
        } else {
            "removed (a property is optional unless listed)"
        };
        self.warn(
            at,
            format!("`required: {required}` on a schema is Swagger 2 style (OpenAPI 3.0 lists required properties in the object's `required`): {fix}"),
        );
    }

    /// Names of the properties of the schema `map` (at `position`) marked `required: true`
    /// Swagger-2 style: on the property, next to its `$ref`, or in the schema it refers to.
    pub(crate) fn required_properties(
        &mut self,
        position: &WalkPosition,
        map: &Map,
    ) -> Vec<String> {
        let Some(Node::Map(properties)) = map.get("properties") else {
            return Vec::new();
        };
        let base = pointer::join(&position.ptr, "properties");
        properties
            .iter()
            .filter(|(name, property)| {
                let at = pointer::join(&base, name);
                self.boolean_required(position.file, &at, property) == Some(true)
            })
            .map(|(name, _)| name.clone())
            .collect()
    }

    /// The boolean `required` of a property schema (at `ptr` in `file`), looking through
    /// its `$ref`. A `$ref` that does not resolve counts as none: the walk reports it.
    fn boolean_required(&mut self, file: usize, ptr: &str, property: &Node) -> Option<bool> {
        let map = property.as_map()?;
        match map.get("required") {
            Some(Node::Bool(required)) => return Some(*required),
            Some(_) => return None,
            None => {}
        }
        let reference = map.get("$ref")?.as_str()?;
        let ref_ptr = pointer::join(ptr, "$ref");
        let target = self.resolve(file, ptr, &ref_ptr, reference).ok()?;
        let target = self.follow_aliases(target).ok()?;
        let source = self.files.get(target.file);
        match source
            .root
            .at_pointer(&target.ptr)?
            .as_map()?
            .get("required")?
        {
            Node::Bool(required) => Some(*required),
            _ => None,
        }
    }
}

/// `/`-less path keys get their `/`; paths and extensions need nothing.
pub(crate) fn fixed_path(key: &str) -> Option<String> {
    (!key.starts_with('/') && !key.starts_with("x-")).then(|| format!("/{key}"))
}

/// Adds `names` to the `required` list of a bundled schema (creating it if needed).
pub(crate) fn add_required(schema: &mut Map, names: Vec<String>) {
    if names.is_empty() {
        return;
    }
    match schema.get_mut("required") {
        Some(Node::Seq(listed)) => {
            let known: HashSet<String> = listed
                .iter()
                .filter_map(Node::as_str)
                .map(str::to_owned)
                .collect();
            let new = names.into_iter().filter(|name| !known.contains(name));
            listed.extend(new.map(Node::Str));
        }
        // Not a list: the typed parse reports it.
        Some(_) => {}
        None => schema.push(
            "required".to_owned(),
            Node::Seq(names.into_iter().map(Node::Str).collect()),
        ),
    }
}
