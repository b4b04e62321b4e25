//! The spec diff (`cargo xtask diff`): what a spec change means for users of the generated
//! client, item by item.
//!
//! It compares two API models built by the generator's own load and model stages, never
//! the YAML, so every change it finds is a change of a Rust item, and it classifies each
//! one with a rule of [`rules`] (breaking, non-breaking, absorbed, docs only). Plain data
//! in (a model per side and version), plain data out (a [`Diff`]); [`report`] renders it
//! as Markdown, JSON or GitHub workflow annotations, [`semver`] turns it into a version bump.
//!
//! Per version: `renames` finds types that only changed their name, `roles` which types
//! users build (request types) and which they read (response types), `operations`,
//! `inputs` and `responses` compare the operations, `types` the models.
//!
//! Rust items are written as their path in the facade crate without the leading
//! `sailpoint_isc::`: `v2024::models::Identity::name` is
//! `sailpoint_isc::v2024::models::Identity::name`, and
//! `sailpoint_isc_v2024::models::Identity::name` in the version crate. An operation is its
//! method on the tag's API struct (`v2024::apis::identities::IdentitiesApi::get_identity`),
//! an optional input its request builder's setter (`...::ListIdentities::filters`).

mod inputs;
mod operations;
mod renames;
pub mod report;
mod responses;
mod roles;
pub mod rules;
pub mod semver;
mod types;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

pub use rules::{Level, Rule, Section};

use crate::load::Layout;
use crate::location::Location;
use crate::model::{is_raw_keyword, Api, Operation, Tag, TypeRef};
use roles::Roles;

/// Which of the two compared specs a location is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Old,
    New,
}

/// Where a change is listed in reports: version-wide changes first, then one group per
/// tag, then the models several tags share, then the models no operation uses; in the
/// resources layout the shared crate's models have a group of their own.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    Version,
    Tag(String),
    SharedModels,
    UnusedModels,
    CommonModels,
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Group::Version => f.write_str("Version"),
            Group::Tag(name) => f.write_str(name),
            Group::SharedModels => f.write_str("Models shared by several tags"),
            Group::UnusedModels => f.write_str("Models no operation uses"),
            Group::CommonModels => f.write_str("Models of `shared/`, which resources re-export"),
        }
    }
}

/// One change of one Rust item.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub rule: Rule,
    pub group: Group,
    /// The Rust item the change touches (see the module docs for the path form); for a
    /// removal, the item that is gone.
    pub item: String,
    /// The item's previous path, when the change moved or renamed it.
    pub old_item: Option<String>,
    /// What changed, with the names and types involved.
    pub message: String,
    /// The spec the location is in: the old one for removals, the new one otherwise.
    pub side: Side,
    /// Relative to that side's specs folder.
    pub location: Location,
}

impl Change {
    pub fn level(&self) -> Level {
        self.rule.level()
    }
}

/// How many changes there are of each level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub breaking: usize,
    pub non_breaking: usize,
    pub absorbed: usize,
    pub docs: usize,
}

impl Counts {
    pub fn of<'c>(changes: impl IntoIterator<Item = &'c Change>) -> Counts {
        let mut counts = Counts::default();
        for change in changes {
            *counts.slot(change.level()) += 1;
        }
        counts
    }

    fn slot(&mut self, level: Level) -> &mut usize {
        match level {
            Level::Breaking => &mut self.breaking,
            Level::NonBreaking => &mut self.non_breaking,
            Level::Absorbed => &mut self.absorbed,
            Level::Docs => &mut self.docs,
        }
    }

    pub fn get(&self, level: Level) -> usize {
        match level {
            Level::Breaking => self.breaking,
            Level::NonBreaking => self.non_breaking,
            Level::Absorbed => self.absorbed,
            Level::Docs => self.docs,
        }
    }

    pub fn total(&self) -> usize {
        self.breaking + self.non_breaking + self.absorbed + self.docs
    }

    /// The most serious level present.
    pub fn highest(&self) -> Option<Level> {
        Level::ALL.into_iter().find(|&level| self.get(level) > 0)
    }

    fn merge(self, other: Counts) -> Counts {
        Counts {
            breaking: self.breaking + other.breaking,
            non_breaking: self.non_breaking + other.non_breaking,
            absorbed: self.absorbed + other.absorbed,
            docs: self.docs + other.docs,
        }
    }
}

/// The changes of one version (or, comparing two versions, of one pair).
#[derive(Debug, Clone, PartialEq)]
pub struct VersionDiff {
    /// The version's name in the old spec (`None`: the version is new).
    pub old: Option<String>,
    /// The version's name in the new spec (`None`: the version was removed).
    pub new: Option<String>,
    /// Sorted by group, item and rule.
    pub changes: Vec<Change>,
}

impl VersionDiff {
    /// `v2024`, or `v2024 → v2025` when two versions are compared.
    pub fn name(&self) -> String {
        match (&self.old, &self.new) {
            (Some(old), Some(new)) if old != new => format!("{old} → {new}"),
            (Some(name), _) | (None, Some(name)) => name.clone(),
            (None, None) => String::new(),
        }
    }

    pub fn counts(&self) -> Counts {
        Counts::of(&self.changes)
    }
}

/// One side of the comparison, as reports name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecsSide {
    /// How the side is described, e.g. `specs at main (1a2b3c4d5e6f)` or a folder.
    pub label: String,
    /// Shown before the spec-relative file of a location (`specs`, or the folder given).
    pub root: PathBuf,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Diff {
    pub old: SpecsSide,
    pub new: SpecsSide,
    /// The layout of the specs compared (of the new side when they differ).
    pub layout: Layout,
    pub versions: Vec<VersionDiff>,
}

impl Diff {
    /// Compares version pairs (see [`pair_by_version`]); locations have the lines the model
    /// found, see [`Diff::locate`] for the rest.
    pub fn new(old: SpecsSide, new: SpecsSide, pairs: &[(Option<&Api>, Option<&Api>)]) -> Diff {
        let versions = pairs
            .iter()
            .map(|&(old, new)| compare_version(old, new))
            .collect();
        let layout = pairs
            .iter()
            .find_map(|&(old, new)| new.or(old))
            .map_or(Layout::Versions, |api| api.layout);
        Diff {
            old,
            new,
            layout,
            versions,
        }
    }

    pub fn counts(&self) -> Counts {
        self.versions
            .iter()
            .map(VersionDiff::counts)
            .fold(Counts::default(), Counts::merge)
    }

    pub fn is_empty(&self) -> bool {
        self.versions.iter().all(|v| v.changes.is_empty())
    }

    /// Fills in the line of every location that has none, reading the spec files of each
    /// side once.
    pub fn locate(&mut self, old_dir: &Path, new_dir: &Path) {
        for (side, dir) in [(Side::Old, old_dir), (Side::New, new_dir)] {
            let locations = self
                .versions
                .iter_mut()
                .flat_map(|v| v.changes.iter_mut())
                .filter(|c| c.side == side)
                .map(|c| &mut c.location);
            crate::load::locate_all(dir, locations);
        }
    }

    /// The file of a change's location as reports show it: below its side's root, with `/`.
    pub fn shown_file(&self, change: &Change) -> String {
        let root = match change.side {
            Side::Old => &self.old.root,
            Side::New => &self.new.root,
        };
        let joined = root.join(&change.location.file);
        joined
            .components()
            .map(|c| match c {
                // An absolute root: joining with `/` writes its separator.
                Component::RootDir => "".into(),
                other => other.as_os_str().to_string_lossy(),
            })
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// Pairs the versions of two specs folders by name, in name order; a version on one side
/// only is paired with nothing (reported as added or removed).
pub fn pair_by_version<'a>(
    old: &'a [Api],
    new: &'a [Api],
) -> Vec<(Option<&'a Api>, Option<&'a Api>)> {
    let mut names: Vec<&str> = old
        .iter()
        .chain(new)
        .map(|api| api.version.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    let find = |apis: &'a [Api], name: &str| apis.iter().find(|api| api.version == name);
    names
        .into_iter()
        .map(|name| (find(old, name), find(new, name)))
        .collect()
}

/// Compares one version (or two versions of one folder).
pub fn compare_version(old: Option<&Api>, new: Option<&Api>) -> VersionDiff {
    let mut changes = match (old, new) {
        (Some(old), Some(new)) => {
            let mut ctx = Ctx::new(old, new);
            operations::compare(&mut ctx);
            types::compare(&mut ctx);
            ctx.changes
        }
        (None, Some(new)) => vec![version_change(Rule::VersionAdded, new, Side::New)],
        (Some(old), None) => vec![version_change(Rule::VersionRemoved, old, Side::Old)],
        (None, None) => Vec::new(),
    };
    changes.sort_by(|a, b| {
        (&a.group, &a.item, a.rule, &a.message).cmp(&(&b.group, &b.item, b.rule, &b.message))
    });
    changes.dedup();
    VersionDiff {
        old: old.map(|api| api.version.clone()),
        new: new.map(|api| api.version.clone()),
        changes,
    }
}

fn version_change(rule: Rule, api: &Api, side: Side) -> Change {
    let verb = if side == Side::New {
        "added"
    } else {
        "removed"
    };
    Change {
        rule,
        group: Group::Version,
        item: api.module.clone(),
        old_item: None,
        message: format!(
            "{} `{}` {verb} (crate `{}`, facade feature `{}`)",
            api.layout.unit(),
            api.version,
            crate::release::version_crate_name(crate::release::FACADE_CRATE, &api.module),
            api.module
        ),
        side,
        location: Location::new(api.root_file.clone(), ""),
    }
}

/// What the comparison of one version pair works with.
struct Ctx<'a> {
    old: &'a Api,
    new: &'a Api,
    /// Old type name -> new type name, for types whose name alone changed.
    renames: BTreeMap<String, String>,
    old_roles: Roles,
    new_roles: Roles,
    changes: Vec<Change>,
}

impl<'a> Ctx<'a> {
    fn new(old: &'a Api, new: &'a Api) -> Ctx<'a> {
        Ctx {
            old,
            new,
            renames: renames::detect(old, new),
            old_roles: Roles::of(old),
            new_roles: Roles::of(new),
            changes: Vec::new(),
        }
    }

    fn api(&self, side: Side) -> &'a Api {
        match side {
            Side::Old => self.old,
            Side::New => self.new,
        }
    }

    /// An old type reference in new names (renamed types followed).
    fn renamed(&self, ty: &TypeRef) -> TypeRef {
        match ty {
            TypeRef::Vec(inner) => TypeRef::Vec(Box::new(self.renamed(inner))),
            TypeRef::Map(inner) => TypeRef::Map(Box::new(self.renamed(inner))),
            TypeRef::Nullable(inner) => TypeRef::Nullable(Box::new(self.renamed(inner))),
            TypeRef::Named(name) => TypeRef::Named(self.renames.get(name).unwrap_or(name).clone()),
            other => other.clone(),
        }
    }

    /// Whether an old and a new type reference are the same Rust type, renames aside.
    fn same_type(&self, old: &TypeRef, new: &TypeRef) -> bool {
        self.renamed(old) == *new
    }

    /// Records a change whose location is `location` in the `side` spec.
    fn record(
        &mut self,
        rule: Rule,
        group: &Group,
        item: String,
        at: (Side, &Location),
        message: String,
    ) {
        self.changes.push(Change {
            rule,
            group: group.clone(),
            item,
            old_item: None,
            message,
            side: at.0,
            location: at.1.clone(),
        });
    }

    /// Like [`Ctx::record`], for a change that moved or renamed the item.
    fn record_move(
        &mut self,
        rule: Rule,
        group: &Group,
        items: (String, String),
        at: (Side, &Location),
        message: String,
    ) {
        let (old_item, item) = items;
        self.changes.push(Change {
            rule,
            group: group.clone(),
            item,
            old_item: Some(old_item),
            message,
            side: at.0,
            location: at.1.clone(),
        });
    }

    /// The report group of a type: the tag that uses it, if only one does.
    fn type_group(&self, side: Side, name: &str) -> Group {
        let api = self.api(side);
        if api.common {
            return Group::CommonModels;
        }
        let Some(def) = api.types.get(name) else {
            return Group::UnusedModels;
        };
        let mut users = def.used_by.iter();
        match (users.next(), users.next()) {
            (None, _) => Group::UnusedModels,
            (Some(module), None) => api
                .tags
                .iter()
                .find(|t| &t.module == module)
                .map_or(Group::SharedModels, |t| Group::Tag(t.name.clone())),
            (Some(_), Some(_)) => Group::SharedModels,
        }
    }
}

/// A Rust identifier as written in a path (`r#type` for a keyword).
fn ident(name: &str) -> String {
    if is_raw_keyword(name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// The tag's module, e.g. `v2024::apis::identities`.
fn tag_item(api: &Api, tag: &Tag) -> String {
    format!("{}::apis::{}", api.module, tag.module)
}

/// The operation's method on its tag's API struct.
fn operation_item(api: &Api, tag: &Tag, op: &Operation) -> String {
    format!(
        "{}::{}::{}",
        tag_item(api, tag),
        tag.struct_name,
        ident(&op.fn_name)
    )
}

/// A method of the operation's request builder (`send`, a setter).
fn builder_item(api: &Api, tag: &Tag, op: &Operation, member: &str) -> String {
    format!(
        "{}::{}::{}",
        tag_item(api, tag),
        op.builder_name,
        ident(member)
    )
}

/// A model type, or with `member` one of its fields or variants.
fn type_item(api: &Api, name: &str, member: Option<&str>) -> String {
    match member {
        Some(member) => format!("{}::models::{name}::{}", api.module, ident(member)),
        None => format!("{}::models::{name}", api.module),
    }
}

/// What to add to a retype that only moves between `String` and `DateTime` (a string
/// gaining or losing `format: date-time`): the Rust type changes, the JSON does not, and
/// the runtime keeps date-times as their raw text either way.
fn date_time_note(old: &TypeRef, new: &TypeRef) -> &'static str {
    fn only_date_time(old: &TypeRef, new: &TypeRef) -> bool {
        match (old, new) {
            (TypeRef::Vec(a), TypeRef::Vec(b))
            | (TypeRef::Map(a), TypeRef::Map(b))
            | (TypeRef::Nullable(a), TypeRef::Nullable(b)) => only_date_time(a, b),
            (TypeRef::String, TypeRef::DateTime) | (TypeRef::DateTime, TypeRef::String) => true,
            _ => false,
        }
    }
    if only_date_time(old, new) {
        " (the same JSON string on the wire: deployed clients are unaffected)"
    } else {
        ""
    }
}

/// A change of a `deprecated` flag: `rules` is the (deprecated, undeprecated) pair of the
/// item's kind; the text completes "`item` ...".
fn deprecation(old: bool, new: bool, rules: (Rule, Rule)) -> Option<(Rule, &'static str)> {
    match (old, new) {
        (false, true) => Some((rules.0, "is now deprecated")),
        (true, false) => Some((rules.1, "is no longer deprecated")),
        _ => None,
    }
}

/// Says how a piece of text changed, for docs-only changes: `added`, `removed`, `changed`.
/// Whitespace does not count: YAML reflows (a quoted string becoming a folded block,
/// trailing spaces) change no word of the docs.
fn text_change(old: Option<&str>, new: Option<&str>) -> Option<&'static str> {
    match (old, new) {
        (None, Some(_)) => Some("added"),
        (Some(_), None) => Some("removed"),
        (Some(a), Some(b)) if !a.split_whitespace().eq(b.split_whitespace()) => Some("changed"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reflowed_text_is_not_a_change() {
        assert_eq!(text_change(Some("a  b\nc "), Some("a b c")), None);
        assert_eq!(text_change(Some("a b"), Some("a c")), Some("changed"));
        assert_eq!(text_change(None, Some("a")), Some("added"));
        assert_eq!(text_change(Some("a"), None), Some("removed"));
        assert_eq!(text_change(None, None), None);
    }

    #[test]
    fn date_time_retypes_are_noted() {
        let vec = |t: TypeRef| TypeRef::Vec(Box::new(t));
        assert!(!date_time_note(&TypeRef::String, &TypeRef::DateTime).is_empty());
        assert!(!date_time_note(&vec(TypeRef::DateTime), &vec(TypeRef::String)).is_empty());
        assert!(date_time_note(&TypeRef::String, &vec(TypeRef::DateTime)).is_empty());
        assert!(date_time_note(&TypeRef::String, &TypeRef::I64).is_empty());
    }

    #[test]
    fn rust_items_write_keywords_raw() {
        assert_eq!(ident("type"), "r#type");
        assert_eq!(ident("name"), "name");
        let ty = TypeRef::Map(Box::new(TypeRef::Vec(Box::new(TypeRef::Named("X".into())))));
        assert_eq!(ty.rust(), "BTreeMap<String, Vec<X>>");
    }
}
