//! Bundling: turns the multi-file spec into one tree in which every reference is gone
//! except schema references, which point at `#/components/schemas/<Name>`.
//!
//! The walk knows what kind of object it is in (see [`super::kinds`]): a `$ref` where a
//! Schema is expected is *hoisted* (the target schema is registered once, bundled later
//! from a work queue, and the ref becomes a placeholder that is named at the end); any
//! other `$ref` is *inlined* (deep copy of the bundled target, memoized, cycles refused).

use std::collections::{HashMap, HashSet, VecDeque};

use super::error::LoadError;
use super::files::{FileId, Files};
use super::kinds::{child_kind, Kind, Obj};
use super::naming::{derived_name, top_folder, SchemaEntry, SchemaId, Schemas, Target};
use super::node::{Map, Node};
use crate::location::{Diagnostic, Location};
use crate::pointer::{self, parse_ref, RefProblem};

/// Where the walk is: a file and an escaped pointer into it.
pub(crate) struct WalkPosition {
    pub(crate) file: FileId,
    pub(crate) ptr: String,
}

impl WalkPosition {
    pub(crate) fn new(file: FileId, ptr: &str) -> Self {
        WalkPosition {
            file,
            ptr: ptr.to_owned(),
        }
    }

    /// Enters member `seg`; returns the mark to [`WalkPosition::leave`] with.
    pub(crate) fn enter(&mut self, seg: &str) -> usize {
        let mark = self.ptr.len();
        pointer::push(&mut self.ptr, seg);
        mark
    }

    pub(crate) fn leave(&mut self, mark: usize) {
        self.ptr.truncate(mark);
    }
}

pub(crate) struct Bundler {
    pub(crate) files: Files,
    pub(crate) warnings: Vec<Diagnostic>,
    pub(crate) schemas: Schemas,
    version: String,
    /// Names the root file's `components.schemas` gives to (alias-resolved) targets.
    preferred: HashMap<Target, String>,
    /// Schema targets that are only a `$ref` -> the schema they stand for.
    aliases: HashMap<Target, Target>,
    /// Bundled non-schema targets, per kind they were inlined as.
    memo: HashMap<(Target, Obj), Node>,
    /// Targets being inlined right now (for cycle detection), outermost first.
    inlining: Vec<Target>,
    /// Hoisted schemas whose bodies still have to be bundled.
    queue: VecDeque<SchemaId>,
    /// Discriminator mapping values that are plain schema names, with where they are;
    /// checked against the final names.
    pub(crate) bare_mappings: Vec<(String, FileId, String)>,
}

impl Bundler {
    pub(crate) fn new(files: Files, version: &str, warnings: Vec<Diagnostic>) -> Self {
        Bundler {
            files,
            warnings,
            schemas: Schemas::default(),
            version: version.to_owned(),
            preferred: HashMap::new(),
            aliases: HashMap::new(),
            memo: HashMap::new(),
            inlining: Vec::new(),
            queue: VecDeque::new(),
            bare_mappings: Vec::new(),
        }
    }

    pub(crate) fn warn(&mut self, at: Location, message: String) {
        self.warnings.push(Diagnostic::new(at, message));
    }

    pub(crate) fn location(&self, file: FileId, ptr: &str) -> Location {
        self.files.location(file, ptr)
    }

    /// Location of the object at `ptr` that holds a `$ref`, with the line of the `$ref`.
    fn ref_location(&self, file: FileId, ptr: &str) -> Location {
        Location {
            pointer: ptr.to_owned(),
            ..self.location(file, &pointer::join(ptr, "$ref"))
        }
    }

    /// Registers the root file's `components.schemas` first, so those schemas keep their
    /// declared names and come first in the output.
    pub(crate) fn register_root_schemas(&mut self, root: FileId) -> Result<(), LoadError> {
        let file = self.files.get(root);
        let Some(entries) = file
            .root
            .at_pointer("/components/schemas")
            .and_then(Node::as_map)
        else {
            return Ok(());
        };
        let mut resolved = Vec::with_capacity(entries.len());
        for (name, _) in entries.iter() {
            let own = Target {
                file: root,
                ptr: pointer::join("/components/schemas", name),
            };
            let target = self.follow_aliases(own.clone())?;
            let is_alias = target != own;
            resolved.push((name.clone(), own, target, is_alias));
        }
        // Entries written out claim their name before aliases pointing at them.
        // Entries that are the same schema as an earlier one, grouped by that one's name.
        let mut synonyms: Vec<(String, Vec<(String, String)>)> = Vec::new();
        let mut group_of: HashMap<String, usize> = HashMap::new();
        for aliases in [false, true] {
            for (name, own, target, _) in resolved.iter().filter(|r| r.3 == aliases) {
                match self.preferred.get(target) {
                    Some(first) => {
                        let group = *group_of.entry(first.clone()).or_insert_with(|| {
                            synonyms.push((first.clone(), Vec::new()));
                            synonyms.len() - 1
                        });
                        if let Some((_, names)) = synonyms.get_mut(group) {
                            names.push((name.clone(), own.ptr.clone()));
                        }
                    }
                    None => {
                        self.preferred.insert(target.clone(), name.clone());
                    }
                }
            }
        }
        for (first, names) in synonyms {
            self.report_synonyms(root, &first, &names);
        }
        for (_, own, target, is_alias) in resolved {
            if is_alias {
                self.check_schema_target(&target, &|| self.ref_location(root, &own.ptr))?;
            }
            self.hoist(target)?;
        }
        Ok(())
    }

    /// Root `components.schemas` entries that are the same schema as `first` (aliases of
    /// it, or of what it aliases): one warning for all of them, at the first.
    fn report_synonyms(&mut self, root: FileId, first: &str, names: &[(String, String)]) {
        let Some((name, ptr)) = names.first() else {
            return;
        };
        let msg = match names.len() {
            1 => format!(
                "components.schemas `{name}` is the same schema as `{first}`; references to it use `{first}`"
            ),
            n => {
                let shown: Vec<String> = names
                    .iter()
                    .skip(1)
                    .take(3)
                    .map(|(name, _)| format!("`{name}`"))
                    .collect();
                let more = if n > 4 { ", ..." } else { "" };
                format!(
                    "components.schemas `{name}` and {} more ({}{more}) are the same schema as `{first}`; references to them use `{first}`",
                    n - 1,
                    shown.join(", ")
                )
            }
        };
        let at = self.location(root, ptr);
        self.warn(at, msg);
    }

    /// Bundles hoisted schemas until none is left (bodies may hoist more).
    pub(crate) fn drain_schemas(&mut self) -> Result<(), LoadError> {
        while let Some(id) = self.queue.pop_front() {
            let target = self.schemas.get(id).target.clone();
            let file = self.files.get(target.file);
            let body = match file.root.at_pointer(&target.ptr) {
                Some(node) => self.walk_object(
                    &mut WalkPosition::new(target.file, &target.ptr),
                    node,
                    Obj::Schema,
                )?,
                None => Node::Null,
            };
            self.schemas.set_body(id, body);
        }
        Ok(())
    }

    /// Bundles `src` (found at `position`) as a value of kind `kind`.
    pub(crate) fn walk(
        &mut self,
        position: &mut WalkPosition,
        src: &Node,
        kind: Kind,
    ) -> Result<Node, LoadError> {
        match kind {
            Kind::Literal => Ok(src.clone()),
            Kind::RootSchemas => Ok(Node::Null),
            Kind::ExampleValue => self.example_value(position, src),
            Kind::Obj(obj) => self.walk_object(position, src, obj),
            Kind::MapOf(obj) => match src {
                Node::Map(map) => {
                    let mut out = Map::with_capacity(map.len());
                    for (k, v) in map.iter() {
                        let mark = position.enter(k);
                        let value = self.walk_object(position, v, obj);
                        position.leave(mark);
                        out.push(k.clone(), value?);
                    }
                    Ok(Node::Map(out))
                }
                other => Ok(other.clone()),
            },
            Kind::ListOf(obj) => match src {
                Node::Seq(items) => {
                    let mut out = Vec::with_capacity(items.len());
                    for (i, v) in items.iter().enumerate() {
                        let mark = position.enter(&i.to_string());
                        let value = self.walk_object(position, v, obj);
                        position.leave(mark);
                        out.push(value?);
                    }
                    Ok(Node::Seq(out))
                }
                other => Ok(other.clone()),
            },
        }
    }

    fn walk_object(
        &mut self,
        position: &mut WalkPosition,
        src: &Node,
        obj: Obj,
    ) -> Result<Node, LoadError> {
        let Node::Map(map) = src else {
            // Wrong shape; the typed parse will say so with a location.
            return Ok(src.clone());
        };
        match (self.ref_string(position, map)?, obj) {
            (Some(reference), Obj::Schema) => self.schema_ref(position, map, reference),
            (Some(reference), _) => self.inline_ref(position, map, reference, obj),
            (None, Obj::Discriminator) => self.walk_discriminator(position, map),
            (None, Obj::Responses) => self.walk_responses(position, map),
            (None, Obj::Paths) => self.walk_paths(position, map),
            (None, Obj::PathItem) => self.walk_path_item(position, map),
            (None, Obj::Schema) => self.walk_schema(position, map),
            (None, _) => self.walk_members(position, map, obj),
        }
    }

    fn walk_members(
        &mut self,
        position: &mut WalkPosition,
        map: &Map,
        obj: Obj,
    ) -> Result<Node, LoadError> {
        let mut out = Map::with_capacity(map.len());
        for (k, v) in map.iter() {
            let mark = position.enter(k);
            let value = self.walk(position, v, child_kind(obj, k));
            position.leave(mark);
            out.push(k.clone(), value?);
        }
        Ok(Node::Map(out))
    }

    /// A Responses object. Upstream webhooks write a response body without a status code
    /// (`responses: {required: true, content: ...}`): such Response fields are moved into a
    /// `default` response (the status is unknown). Any other key that is no status code
    /// (including `required`, which responses do not have) is dropped, as OpenAPI parsers
    /// would ignore it anyway. Both with a warning.
    fn walk_responses(
        &mut self,
        position: &mut WalkPosition,
        map: &Map,
    ) -> Result<Node, LoadError> {
        let is_stray = |k: &str| !is_status_key(k) && !k.starts_with("x-");
        let stray: Vec<&str> = map
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| is_stray(k))
            .collect();
        if stray.is_empty() {
            return self.walk_members(position, map, Obj::Responses);
        }
        let rewrite =
            stray.iter().any(|k| RESPONSE_FIELDS.contains(k)) && !map.contains_key("default");
        let mut out = Map::with_capacity(map.len());
        let mut response = Map::with_capacity(stray.len() + 1);
        for (k, v) in map.iter() {
            let mark = position.enter(k);
            let value = if !is_stray(k) {
                let value = self.walk(position, v, child_kind(Obj::Responses, k));
                value.map(|v| out.push(k.clone(), v))
            } else if rewrite && RESPONSE_FIELDS.contains(&k.as_str()) {
                let value = self.walk(position, v, child_kind(Obj::Response, k));
                value.map(|v| response.push(k.clone(), v))
            } else {
                Ok(())
            };
            position.leave(mark);
            value?;
        }
        let at = self.location(position.file, &position.ptr);
        let listed = |keys: Vec<&&str>| {
            keys.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (moved, dropped): (Vec<&&str>, Vec<&&str>) = stray
            .iter()
            .partition(|k| rewrite && RESPONSE_FIELDS.contains(k));
        let mut msg = String::from("Responses object has keys that are no HTTP status codes: ");
        if !moved.is_empty() {
            msg.push_str(&format!(
                "{} moved into a `default` response",
                listed(moved)
            ));
            if !response.contains_key("description") {
                response.push("description".to_owned(), Node::Str(String::new()));
            }
            out.push("default".to_owned(), Node::Map(response));
        }
        if !dropped.is_empty() {
            if !msg.ends_with(": ") {
                msg.push_str("; ");
            }
            msg.push_str(&format!("{} dropped", listed(dropped)));
        }
        self.warn(at, msg);
        Ok(Node::Map(out))
    }

    /// The `$ref` of a mapping, if it has one; a non-string `$ref` is an error.
    fn ref_string<'m>(
        &self,
        position: &WalkPosition,
        map: &'m Map,
    ) -> Result<Option<&'m str>, LoadError> {
        match map.get("$ref") {
            None => Ok(None),
            Some(Node::Str(s)) => Ok(Some(s)),
            Some(other) => Err(LoadError::BadRef {
                at: self.ref_location(position.file, &position.ptr),
                reason: format!("`$ref` must be a string, found a {}", other.type_name()),
            }),
        }
    }

    /// Resolves reference `r` written in `file` (member pointer `at_ptr`, used for the
    /// error line) to an existing target.
    pub(crate) fn resolve(
        &mut self,
        file: FileId,
        obj_ptr: &str,
        at_ptr: &str,
        reference: &str,
    ) -> Result<Target, LoadError> {
        let src = self.files.get(file);
        let at = || Location {
            file: src.rel.clone(),
            line: Some(src.locate(at_ptr).0),
            pointer: obj_ptr.to_owned(),
        };
        let parts = parse_ref(reference).map_err(|problem| match problem {
            RefProblem::Remote => LoadError::RemoteRef {
                at: at(),
                reference: reference.to_owned(),
            },
            RefProblem::BadFragment => LoadError::BadRef {
                at: at(),
                reason: format!("`{reference}`: the fragment must be a JSON pointer (`#/...`)"),
            },
            RefProblem::BadEscape => LoadError::BadRef {
                at: at(),
                reason: format!(
                    "`{reference}`: `~` in a JSON pointer must be followed by `0` or `1` (RFC 6901)"
                ),
            },
        })?;
        let target_file =
            self.files
                .resolve(file, &parts.file, reference, at, &mut self.warnings)?;
        // Normalize the pointer's escaping so equal targets compare equal.
        let mut ptr = String::new();
        for seg in pointer::segments(&parts.pointer) {
            pointer::push(&mut ptr, &seg);
        }
        let target = self.files.get(target_file);
        if target.root.at_pointer(&ptr).is_none() {
            return Err(LoadError::MissingPointer {
                at: at(),
                target_file: target.rel.clone(),
                target_pointer: ptr,
            });
        }
        Ok(Target {
            file: target_file,
            ptr,
        })
    }

    /// Inlines a non-schema reference, merging sibling members onto the target.
    fn inline_ref(
        &mut self,
        position: &mut WalkPosition,
        map: &Map,
        reference: &str,
        obj: Obj,
    ) -> Result<Node, LoadError> {
        let ref_ptr = pointer::join(&position.ptr, "$ref");
        if !obj.referenceable() {
            let at = self.ref_location(position.file, &position.ptr);
            self.warn(
                at,
                format!(
                    "OpenAPI 3.0 does not allow a `$ref` for an {}; it was inlined",
                    obj.name()
                ),
            );
        }
        let target = self.resolve(position.file, &position.ptr, &ref_ptr, reference)?;
        let body = self.inline_target(position, target, obj)?;
        if map.len() == 1 {
            return Ok(body);
        }
        let Node::Map(mut out) = body else {
            let at = self.location(position.file, &position.ptr);
            self.warn(
                at,
                format!("members next to `$ref` ignored: `{reference}` is not a mapping"),
            );
            return Ok(body);
        };
        // Siblings override the target's members (OpenAPI 3.1 semantics; 3.0 tools
        // mostly do the same for `description`/`summary`).
        for (k, v) in map.iter().filter(|(k, _)| k.as_str() != "$ref") {
            let mark = position.enter(k);
            let value = self.walk(position, v, child_kind(obj, k));
            position.leave(mark);
            out.insert(k.clone(), value?);
        }
        Ok(Node::Map(out))
    }

    fn inline_target(
        &mut self,
        position: &WalkPosition,
        target: Target,
        obj: Obj,
    ) -> Result<Node, LoadError> {
        let key = (target, obj);
        if let Some(done) = self.memo.get(&key) {
            return Ok(done.clone());
        }
        let (target, _) = key;
        if let Some(pos) = self.inlining.iter().position(|t| *t == target) {
            return Err(self.cycle_error(position, pos, &target));
        }
        // Each nested inline recurses; refuse absurd depths rather than overflow the stack.
        if self.inlining.len() >= MAX_INLINE_DEPTH {
            return Err(LoadError::BadRef {
                at: self.ref_location(position.file, &position.ptr),
                reason: format!("references nested more than {MAX_INLINE_DEPTH} deep"),
            });
        }
        let file = self.files.get(target.file);
        let node = file.root.at_pointer(&target.ptr).unwrap_or(&Node::Null);
        self.inlining.push(target.clone());
        let body = self.walk_object(&mut WalkPosition::new(target.file, &target.ptr), node, obj);
        self.inlining.pop();
        let body = body?;
        self.memo.insert((target, obj), body.clone());
        Ok(body)
    }

    fn cycle_error(&self, position: &WalkPosition, from: usize, target: &Target) -> LoadError {
        let chain: Vec<String> = self.inlining[from..]
            .iter()
            .chain(std::iter::once(target))
            .map(|t| self.describe(t))
            .collect();
        LoadError::RefCycle {
            at: self.ref_location(position.file, &position.ptr),
            chain: chain.join(" -> "),
        }
    }

    fn describe(&self, t: &Target) -> String {
        format!(
            "{}{}",
            self.files.get(t.file).rel.display(),
            pointer::display(&t.ptr)
        )
    }

    /// A schema `$ref`: hoist the target and leave a placeholder. Members next to the
    /// `$ref` are kept by wrapping: `{allOf: [<ref>], <members>}` (except redundant
    /// `type`/`required`, see [`Bundler::wrap_siblings`]).
    fn schema_ref(
        &mut self,
        position: &mut WalkPosition,
        map: &Map,
        reference: &str,
    ) -> Result<Node, LoadError> {
        let ref_ptr = pointer::join(&position.ptr, "$ref");
        let target = self.resolve(position.file, &position.ptr, &ref_ptr, reference)?;
        let target = self.follow_aliases(target)?;
        self.check_schema_target(&target, &|| self.ref_location(position.file, &position.ptr))?;
        let id = self.hoist(target)?;
        if map.len() == 1 {
            return Ok(Node::SchemaRef(id));
        }
        self.wrap_siblings(position, map, id)
    }

    fn wrap_siblings(
        &mut self,
        position: &mut WalkPosition,
        map: &Map,
        id: SchemaId,
    ) -> Result<Node, LoadError> {
        let target = self.schemas.get(id).target.clone();
        let file = self.files.get(target.file);
        let target_node = file.root.at_pointer(&target.ptr).and_then(Node::as_map);
        let mut all_of = vec![Node::SchemaRef(id)];
        let mut rest = Map::with_capacity(map.len());
        for (k, v) in map.iter().filter(|(k, _)| k.as_str() != "$ref") {
            if self.redundant_sibling(position, k, v, target_node, &target) {
                continue;
            }
            let mark = position.enter(k);
            let value = self.walk(position, v, child_kind(Obj::Schema, k));
            position.leave(mark);
            match (k.as_str(), value?) {
                // A sibling `allOf` joins the wrapper's.
                ("allOf", Node::Seq(items)) => all_of.extend(items),
                (_, value) => rest.push(k.clone(), value),
            }
        }
        let required = self.required_properties(position, map);
        super::shapes::add_required(&mut rest, required);
        if rest.is_empty() && all_of.len() == 1 {
            return Ok(Node::SchemaRef(id));
        }
        let mut out = Map::with_capacity(rest.len() + 1);
        out.push("allOf".to_owned(), Node::Seq(all_of));
        for (k, v) in rest {
            out.push(k, v);
        }
        Ok(Node::Map(out))
    }

    /// `type` next to a schema `$ref` adds nothing when the target has the same type, and
    /// is contradictory otherwise (upstream has `type: string` next to refs to objects):
    /// both are dropped, the latter with a warning. `required` is dropped when the target
    /// already requires all of those properties.
    fn redundant_sibling(
        &mut self,
        position: &WalkPosition,
        key: &str,
        value: &Node,
        target_node: Option<&Map>,
        target: &Target,
    ) -> bool {
        match key {
            "type" => {
                let target_type = target_node.and_then(|t| t.get("type"));
                if target_type != Some(value) {
                    let at = self.location(position.file, &pointer::join(&position.ptr, "type"));
                    let found = target_type
                        .and_then(Node::as_str)
                        .map_or_else(|| "no `type`".to_owned(), |t| format!("`type: {t}`"));
                    let msg = format!(
                        "`type: {}` next to `$ref` ignored: the referenced schema {} has {found}",
                        value.as_str().unwrap_or("?"),
                        self.describe(target)
                    );
                    self.warn(at, msg);
                }
                true
            }
            "required" => {
                if let Node::Bool(required) = value {
                    self.warn_boolean_required(position, *required);
                    return true;
                }
                let have: Vec<&Node> = match target_node.and_then(|t| t.get("required")) {
                    Some(Node::Seq(items)) => items.iter().collect(),
                    _ => Vec::new(),
                };
                matches!(value, Node::Seq(want) if want.iter().all(|w| have.contains(&w)))
            }
            _ => false,
        }
    }

    /// A schema `$ref` must lead to a schema: a mapping and, in a file that is an OpenAPI
    /// document, a place where the document holds a schema (not the document itself, nor
    /// `#/info`). Other files hold whatever refers to them. `at` is where the `$ref` is.
    fn check_schema_target(
        &self,
        target: &Target,
        at: &dyn Fn() -> Location,
    ) -> Result<(), LoadError> {
        let file = self.files.get(target.file);
        let what = match file.root.at_pointer(&target.ptr) {
            Some(Node::Map(_)) => document_kind(&file.root, &target.ptr).and_then(not_a_schema),
            Some(other) => Some(format!("a {}", other.type_name())),
            None => None,
        };
        match what {
            None => Ok(()),
            Some(what) => Err(LoadError::BadRef {
                at: at(),
                reason: format!(
                    "a schema `$ref` must lead to a schema, but `{}` is {what}",
                    self.describe(target)
                ),
            }),
        }
    }

    /// Registers a schema target (once) and returns its id.
    fn hoist(&mut self, target: Target) -> Result<SchemaId, LoadError> {
        let target = self.follow_aliases(target)?;
        if let Some(id) = self.schemas.id_of(&target) {
            return Ok(id);
        }
        let rel = self.files.get(target.file).rel.clone();
        let folder = top_folder(&rel);
        // Files directly in the specs folder (the root) count as home.
        let home = match folder.as_deref() {
            Some(f) => f == self.version,
            None => true,
        };
        let (candidate, preferred) = match self.preferred.get(&target) {
            Some(name) => (super::naming::sanitize(name), true),
            None => {
                let file = self.files.get(target.file);
                let title = file
                    .root
                    .at_pointer(&target.ptr)
                    .and_then(|schema| schema.child("title"))
                    .and_then(Node::as_str);
                (
                    derived_name(&rel, &target.ptr, title, self.files.vocabulary()),
                    false,
                )
            }
        };
        let id = self.schemas.add(SchemaEntry {
            target,
            candidate,
            preferred,
            home,
            folder,
            body: None,
        });
        self.queue.push_back(id);
        Ok(id)
    }

    /// Follows targets that are nothing but `{$ref: ...}` to the schema they stand for,
    /// so an alias and its target get one name. Every alias met is remembered with its
    /// end, so a chain is walked once however many of its links are asked for.
    pub(crate) fn follow_aliases(&mut self, start: Target) -> Result<Target, LoadError> {
        let mut chain: Vec<Target> = Vec::new();
        let mut on_chain: HashSet<Target> = HashSet::new();
        let mut target = start;
        let end = loop {
            if let Some(known) = self.aliases.get(&target) {
                break known.clone();
            }
            let file = self.files.get(target.file);
            let next = match file.root.at_pointer(&target.ptr) {
                Some(Node::Map(map)) if map.len() == 1 => map.get("$ref").and_then(Node::as_str),
                _ => None,
            };
            let Some(reference) = next else {
                break target;
            };
            if !on_chain.insert(target.clone()) {
                let described: Vec<String> = chain.iter().map(|t| self.describe(t)).collect();
                return Err(LoadError::RefCycle {
                    at: self.ref_location(target.file, &target.ptr),
                    chain: format!("{} -> {}", described.join(" -> "), self.describe(&target)),
                });
            }
            let ref_ptr = pointer::join(&target.ptr, "$ref");
            let next = self.resolve(target.file, &target.ptr, &ref_ptr, reference)?;
            chain.push(std::mem::replace(&mut target, next));
        };
        for alias in chain {
            self.aliases.insert(alias, end.clone());
        }
        Ok(end)
    }

    /// Discriminator `mapping` values that are references get hoisted like `$ref`s; plain
    /// schema names are kept.
    fn walk_discriminator(
        &mut self,
        position: &mut WalkPosition,
        map: &Map,
    ) -> Result<Node, LoadError> {
        let mut out = map.clone();
        let Some(Node::Map(mapping)) = map.get("mapping") else {
            return Ok(Node::Map(out));
        };
        let mut new_mapping = Map::with_capacity(mapping.len());
        for (k, v) in mapping.iter() {
            let value = match v.as_str() {
                Some(reference) if looks_like_ref(reference) => {
                    let at_ptr = pointer::join(&pointer::join(&position.ptr, "mapping"), k);
                    let target = self.resolve(position.file, &at_ptr, &at_ptr, reference)?;
                    let target = self.follow_aliases(target)?;
                    self.check_schema_target(&target, &|| self.location(position.file, &at_ptr))?;
                    Node::MappingRef(self.hoist(target)?)
                }
                Some(name) => {
                    let at_ptr = pointer::join(&pointer::join(&position.ptr, "mapping"), k);
                    self.bare_mappings
                        .push((name.to_owned(), position.file, at_ptr));
                    v.clone()
                }
                None => v.clone(),
            };
            new_mapping.push(k.clone(), value);
        }
        out.insert("mapping".to_owned(), Node::Map(new_mapping));
        Ok(Node::Map(out))
    }

    /// `example` is data in OpenAPI 3.0, but upstream writes `example: {$ref: file}`
    /// meaning "the value in that file": we resolve and inline it, with a warning. If it
    /// does not resolve it stays data.
    fn example_value(
        &mut self,
        position: &mut WalkPosition,
        src: &Node,
    ) -> Result<Node, LoadError> {
        let reference = match src {
            Node::Map(map) if map.len() == 1 => map.get("$ref").and_then(Node::as_str),
            _ => None,
        };
        let Some(reference) = reference else {
            return Ok(src.clone());
        };
        let ref_ptr = pointer::join(&position.ptr, "$ref");
        let at = self.ref_location(position.file, &position.ptr);
        match self.resolve(position.file, &position.ptr, &ref_ptr, reference) {
            Ok(target) => {
                let file = self.files.get(target.file);
                let value = file
                    .root
                    .at_pointer(&target.ptr)
                    .cloned()
                    .unwrap_or(Node::Null);
                self.warn(
                    at,
                    format!("`example` is a literal value in OpenAPI 3.0; `$ref: {reference}` was resolved and its content inlined"),
                );
                Ok(value)
            }
            Err(e) => {
                self.warn(
                    at,
                    format!("`example` holds a `$ref` that does not resolve ({e}); kept as literal data"),
                );
                Ok(src.clone())
            }
        }
    }
}

/// What an OpenAPI document (a tree with an `openapi` member) holds at `ptr`; `None` for
/// other files, whose kind depends on what refers to them.
fn document_kind(root: &Node, ptr: &str) -> Option<Kind> {
    root.as_map().filter(|m| m.contains_key("openapi"))?;
    let mut kind = Kind::Obj(Obj::Document);
    for seg in pointer::segments(ptr) {
        kind = match kind {
            Kind::Obj(obj) => match child_kind(obj, &seg) {
                Kind::RootSchemas => Kind::MapOf(Obj::Schema),
                other => other,
            },
            Kind::MapOf(obj) | Kind::ListOf(obj) => Kind::Obj(obj),
            Kind::Literal | Kind::ExampleValue | Kind::RootSchemas => Kind::Literal,
        };
    }
    Some(kind)
}

/// What a place of kind `kind` is, unless it holds a schema.
fn not_a_schema(kind: Kind) -> Option<String> {
    match kind {
        Kind::Obj(Obj::Schema) => None,
        Kind::Obj(Obj::Document) => Some("the whole OpenAPI document".to_owned()),
        Kind::Obj(obj) => Some(format!("a {}", obj.name())),
        Kind::MapOf(obj) => Some(format!("a map of {} objects", obj.name())),
        Kind::ListOf(obj) => Some(format!("a list of {} objects", obj.name())),
        Kind::Literal | Kind::ExampleValue | Kind::RootSchemas => {
            Some("not a Schema object".to_owned())
        }
    }
}

/// Real specs nest a handful of non-schema references (path item -> response -> header).
const MAX_INLINE_DEPTH: usize = 100;

/// The fields of a Response object, recognized when misplaced in a Responses object.
const RESPONSE_FIELDS: [&str; 4] = ["description", "headers", "content", "links"];

/// `default`, `200`, `4XX`...
fn is_status_key(k: &str) -> bool {
    let bytes = k.as_bytes();
    k == "default"
        || (bytes.len() == 3
            && (b'1'..=b'5').contains(&bytes[0])
            && (bytes[1..].iter().all(u8::is_ascii_digit)
                || bytes[1..].eq_ignore_ascii_case(b"XX")))
}

/// Discriminator mapping values may be schema names or references.
fn looks_like_ref(v: &str) -> bool {
    v.contains(['#', '/'])
        || [".yaml", ".yml", ".json"]
            .iter()
            .any(|ext| v.ends_with(ext))
}
