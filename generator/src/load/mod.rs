//! Load stage: reads a version's multi-file YAML spec and bundles it into one
//! `openapiv3::OpenAPI` document.
//!
//! Guarantees the model stage relies on:
//! - the only `$ref`s left are `#/components/schemas/<Name>`, and each has its entry;
//!   everything else that was referenced (path items, parameters, responses, examples...)
//!   is inlined;
//! - a schema `$ref` with sibling members becomes `{allOf: [{$ref}], <siblings>}` (a
//!   `type` sibling is dropped, and a `required` one when the target already has it);
//! - mapping order is the document order and the result is byte-for-byte deterministic;
//! - nothing outside the specs folder is read and nothing is fetched.
//!
//! Naming of hoisted schemas: the name the root file's `components.schemas` gives the
//! file, else the file stem (plus the fragment in UpperCamelCase for `File.yaml#/a/b`);
//! identical schemas share a name, different ones with the same name get a suffix (the
//! other version's folder, `NameV3`, or a number, `Name2`) and a warning.
//!
//! Files: `files` reads (regular files only), caches and confines file access,
//! `prefetch` parses ahead on all cores, `node` is the tolerant YAML tree, `pointer`
//! handles JSON pointers and `$ref` strings, `kinds` says what object is where, `bundle`
//! walks and resolves, `shapes` repairs misshapen path keys, method keys and Swagger-2
//! `required`, `naming` names hoisted schemas, `de` feeds the tree to `openapiv3`,
//! `diagnose` finds where that failed, `origins` maps results back to source, `locate`
//! finds lines (block and flow syntax), `error` holds errors and warnings.

mod bundle;
mod de;
mod diagnose;
mod error;
mod files;
mod kinds;
mod locate;
mod naming;
mod node;
mod origins;
mod prefetch;
mod shapes;
mod words;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use serde::de::Error as _;
use serde::Deserialize;

pub use error::LoadError;

use crate::location::{Diagnostic, Location};
use crate::pointer;
pub use locate::locate_line;

use bundle::{Bundler, WalkPosition};
use de::{DeError, NodeDe};
use files::{FileId, Files};
use kinds::{Kind, Obj};
use naming::Naming;
use node::{Map, Node};

/// A version's spec, bundled into one document.
#[derive(Debug)]
pub struct LoadedSpec {
    pub version: String,
    /// Relative to the specs folder.
    pub root_file: PathBuf,
    pub openapi: openapiv3::OpenAPI,
    /// Component schema name -> where the schema is written.
    pub schema_origins: BTreeMap<String, Location>,
    /// `"METHOD /path"` (upper-case method) -> where the operation is written.
    pub operation_origins: BTreeMap<String, Location>,
    /// Tolerated spec defects, in the order they were met.
    pub warnings: Vec<Diagnostic>,
    /// SHA-256 (hex) of every file the version is read from.
    pub source_digest: String,
    /// Whether this is a version of the versions layout or a resource.
    pub layout: Layout,
}

const ROOT_PREFIX: &str = "sailpoint-api.";
const ROOT_SUFFIX: &str = ".yaml";

/// Fills in the line of diagnostics raised after loading (by the model stage, which sees
/// only the bundled document): see [`locate_all`].
pub fn locate_lines(specs_dir: &Path, diagnostics: &mut [Diagnostic]) {
    locate_all(specs_dir, diagnostics.iter_mut().map(|d| &mut d.at));
}

/// Fills in the line of every location that has none: each file is read once (and indexed
/// once), and a pointer that names a place the YAML does not literally have (a parameter
/// by name) gets the line of its deepest ancestor. A file that cannot be read leaves its
/// lines unknown.
pub fn locate_all<'l>(specs_dir: &Path, locations: impl IntoIterator<Item = &'l mut Location>) {
    let mut texts: BTreeMap<PathBuf, Option<(String, locate::LineIndex)>> = BTreeMap::new();
    for at in locations.into_iter().filter(|at| at.line.is_none()) {
        let text = texts.entry(at.file.clone()).or_insert_with(|| {
            let text = files::read_spec_file(&specs_dir.join(&at.file)).ok()?;
            let lines = locate::LineIndex::new(&text);
            Some((text, lines))
        });
        if let Some((text, lines)) = text {
            let pointer = at.pointer.trim_start_matches('#');
            at.line = Some(lines.nearest(text, pointer).0);
        }
    }
}

/// How a specs folder is organised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `sailpoint-api.<version>.yaml` roots with split files beside them (SailPoint's
    /// `idn/` folder): each root is an API version.
    Versions,
    /// `<resource>/openapi.yaml` roots sharing components in `shared/` (SailPoint's
    /// `idn/apis/` folder): each root is one resource's API.
    Resources,
}

impl Layout {
    /// The layout's name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Versions => "versions",
            Layout::Resources => "resources",
        }
    }

    /// What one root of this layout is called, for messages.
    pub fn unit(self) -> &'static str {
        match self {
            Layout::Versions => "version",
            Layout::Resources => "resource",
        }
    }
}

/// The folder of components every resource shares, in the resources layout.
pub const SHARED_DIR: &str = "shared";
/// The root file of each resource, in the resources layout.
const RESOURCE_ROOT: &str = "openapi.yaml";

/// What a specs folder holds: its layout, its roots' names, and the folders that look
/// like roots of the other kind but are not (reported, not fatal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Discovery {
    pub layout: Layout,
    /// Version or resource names, sorted.
    pub names: Vec<String>,
    /// Entries that were not taken, and why.
    pub skipped: Vec<(PathBuf, &'static str)>,
}

/// Finds the roots of `specs_dir`: `sailpoint-api.<version>.yaml` files, or else
/// `<resource>/openapi.yaml` folders beside a `shared/` one.
pub fn discover(specs_dir: &Path) -> Result<Discovery, LoadError> {
    let io_error = |source| LoadError::Io {
        at: Location::new(specs_dir.to_path_buf(), ""),
        source,
    };
    let mut versions = Vec::new();
    let mut resources = Vec::new();
    let mut skipped = Vec::new();
    for entry in std::fs::read_dir(specs_dir).map_err(io_error)? {
        let entry = entry.map_err(io_error)?;
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            skipped.push((entry.path(), "its name is not UTF-8"));
            continue;
        };
        let path = entry.path();
        if let Some(version) = name
            .strip_prefix(ROOT_PREFIX)
            .and_then(|n| n.strip_suffix(ROOT_SUFFIX))
        {
            if valid_version_name(version) && path.is_file() {
                versions.push(version.to_owned());
            }
        } else if path.is_dir() && name == SHARED_DIR {
            if path.join(RESOURCE_ROOT).is_file() {
                skipped.push((
                    PathBuf::from(name).join(RESOURCE_ROOT),
                    "`shared/` holds the common components, not a resource",
                ));
            }
        } else if path.is_dir() && !name.starts_with('.') {
            if path.join(RESOURCE_ROOT).is_file() {
                resources.push(name.to_owned());
            } else {
                skipped.push((PathBuf::from(name), "a folder without openapi.yaml"));
            }
        } else if name == RESOURCE_ROOT {
            skipped.push((
                PathBuf::from(name),
                "an openapi.yaml outside any resource folder",
            ));
        }
    }
    let (layout, mut names) = if versions.is_empty() && !resources.is_empty() {
        (Layout::Resources, resources)
    } else {
        // In the versions layout, folders are split files, not resources.
        skipped.retain(|(_, why)| *why != "a folder without openapi.yaml");
        (Layout::Versions, versions)
    };
    names.sort();
    names.dedup();
    skipped.sort();
    Ok(Discovery {
        layout,
        names,
        skipped,
    })
}

/// The versions (or resources) present in `specs_dir`, sorted: see [`discover`].
pub fn discover_versions(specs_dir: &Path) -> Result<Vec<String>, LoadError> {
    discover(specs_dir).map(|found| found.names)
}

/// The root file of version or resource `name`, relative to `specs_dir`.
fn root_name(specs_dir: &Path, name: &str) -> String {
    let resource_root = format!("{name}/{RESOURCE_ROOT}");
    if specs_dir.join(&resource_root).is_file()
        && !specs_dir
            .join(format!("{ROOT_PREFIX}{name}{ROOT_SUFFIX}"))
            .exists()
    {
        resource_root
    } else {
        format!("{ROOT_PREFIX}{name}{ROOT_SUFFIX}")
    }
}

/// The bundled document of one version: everything referenced is inlined except component
/// schemas, and the result is deterministic.
struct Bundled {
    bundler: Bundler,
    root: FileId,
    root_name: String,
    doc: Node,
    naming: Naming,
}

fn bundle_files(specs_dir: &Path, version: &str) -> Result<Bundled, LoadError> {
    let root_name = root_name(specs_dir, version);
    let mut warnings = Vec::new();
    let (files, root, openapi_fix) = open_root(specs_dir, version, &root_name, &mut warnings)?;
    let mut bundler = Bundler::new(files, version, warnings);
    let (doc, naming) = bundle(&mut bundler, root, openapi_fix)?;
    Ok(Bundled {
        bundler,
        root,
        root_name,
        doc,
        naming,
    })
}

/// Version `version` of the specs in `specs_dir` as one JSON document, exactly as the
/// loader bundles it (`cargo xtask bundle`: the Python checks read this, so every tool
/// sees the specs through this one loader).
pub fn bundle_version(specs_dir: &Path, version: &str) -> Result<serde_json::Value, LoadError> {
    let Bundled {
        mut bundler,
        root,
        doc,
        naming,
        ..
    } = bundle_files(specs_dir, version)?;
    serde_json::Value::deserialize(NodeDe(&doc)).map_err(|e| {
        let error = DeError::custom(e.to_string());
        typed_error(&mut bundler, root, &naming, &doc, &error)
    })
}

/// [`bundle_version`] of the chosen versions (all when `versions` is empty), keyed by
/// version name.
pub fn bundle_versions(
    specs_dir: &Path,
    versions: &[String],
) -> Result<BTreeMap<String, serde_json::Value>, crate::Error> {
    crate::choose_versions(specs_dir, versions)?
        .into_iter()
        .map(|version| {
            let document = bundle_version(specs_dir, &version)?;
            Ok((version, document))
        })
        .collect()
}

/// Loads and bundles version `version` of the specs in `specs_dir`.
pub fn load_version(specs_dir: &Path, version: &str) -> Result<LoadedSpec, LoadError> {
    let Bundled {
        mut bundler,
        root,
        root_name,
        doc,
        naming,
    } = bundle_files(specs_dir, version)?;
    let openapi =
        typed_parse(&doc).map_err(|e| typed_error(&mut bundler, root, &naming, &doc, &e))?;
    let schema_origins = naming
        .emitted
        .iter()
        .map(|&id| {
            let name = naming.name_of.get(id).cloned().unwrap_or_default();
            (
                name,
                origins::origin_of(&bundler, &bundler.schemas.get(id).target),
            )
        })
        .collect();
    let operation_origins = origins::operation_origins(&mut bundler, root);
    let source_digest = bundler.files.digest();
    let layout = if root_name.ends_with(RESOURCE_ROOT) {
        Layout::Resources
    } else {
        Layout::Versions
    };
    Ok(LoadedSpec {
        version: version.to_owned(),
        root_file: PathBuf::from(&root_name),
        openapi,
        schema_origins,
        operation_origins,
        warnings: bundler.warnings,
        source_digest,
        layout,
    })
}

/// Checks the version name, reads the root file and its OpenAPI version, and parses the
/// files it reaches ahead of the walk. Returns the `openapi` field rewrite, if needed.
fn open_root(
    specs_dir: &Path,
    version: &str,
    root_name: &str,
    warnings: &mut Vec<Diagnostic>,
) -> Result<(Files, FileId, Option<String>), LoadError> {
    let root_location = || Location {
        file: PathBuf::from(root_name),
        line: None,
        pointer: String::new(),
    };
    if !valid_version_name(version) {
        return Err(LoadError::BadVersionName {
            at: root_location(),
            version: version.to_owned(),
        });
    }
    let mut files = Files::new(specs_dir)?;
    // Anything at that name is read (and refused there if it is no regular file).
    if std::fs::symlink_metadata(specs_dir.join(root_name)).is_err() {
        return Err(LoadError::MissingRoot {
            at: root_location(),
            version: version.to_owned(),
        });
    }
    let root = files.load_root(root_name, warnings)?;
    let openapi_fix = check_openapi_version(&files, root, warnings)?;
    files.prefetch(root);
    Ok((files, root, openapi_fix))
}

/// Walks the root document and every hoisted schema, names the schemas, and assembles
/// the bundled tree (placeholders replaced, `components.schemas` filled in).
fn bundle(
    bundler: &mut Bundler,
    root: FileId,
    openapi_fix: Option<String>,
) -> Result<(Node, Naming), LoadError> {
    bundler.register_root_schemas(root)?;
    let root_src = bundler.files.get(root);
    let mut doc = bundler.walk(
        &mut WalkPosition::new(root, ""),
        &root_src.root,
        Kind::Obj(Obj::Document),
    )?;
    bundler.drain_schemas()?;

    let naming = naming::finalize(&bundler.schemas);
    report_conflicts(bundler, &naming);
    check_bare_mappings(bundler, &naming);
    let schemas = hoisted_schemas(bundler, &naming);
    materialize(&mut doc, &naming.name_of);
    install_schemas(&mut doc, schemas);
    if let (Some(fixed), Node::Map(map)) = (openapi_fix, &mut doc) {
        map.insert("openapi".to_owned(), Node::Str(fixed));
    }
    Ok((doc, naming))
}

/// A version name must be usable as part of a file name in the specs folder itself.
fn valid_version_name(version: &str) -> bool {
    !version.is_empty() && version != "." && version != ".." && !version.contains(['/', '\\', '\0'])
}

/// Only OpenAPI 3.0.x is accepted. Returns a replacement for an `openapi` field that was
/// written as a number (`openapi: 3.0`), which `openapiv3` would reject.
fn check_openapi_version(
    files: &Files,
    root: FileId,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Option<String>, LoadError> {
    let file = files.get(root);
    let unsupported = |ptr: &str, found: String| LoadError::UnsupportedVersion {
        at: files.location(root, ptr),
        found,
    };
    let Some(map) = file.root.as_map() else {
        return Err(unsupported(
            "",
            format!(
                "a YAML {} instead of an OpenAPI document",
                file.root.type_name()
            ),
        ));
    };
    if let Some(v) = map.get("swagger") {
        return Err(unsupported(
            "/swagger",
            format!("Swagger {}", scalar_text(v)),
        ));
    }
    let Some(v) = map.get("openapi") else {
        return Err(unsupported("", "no `openapi` version field".to_owned()));
    };
    let text = scalar_text(v);
    if !(text == "3.0" || text.starts_with("3.0.")) {
        return Err(unsupported("/openapi", format!("OpenAPI {text}")));
    }
    if matches!(v, Node::Str(_)) {
        return Ok(None);
    }
    warnings.push(Diagnostic::new(
        files.location(root, "/openapi"),
        format!("`openapi` must be a string; the number {text} was read as \"{text}\""),
    ));
    Ok(Some(text))
}

fn scalar_text(v: &Node) -> String {
    match v {
        Node::Str(s) => s.clone(),
        Node::Int(i) => i.to_string(),
        Node::UInt(u) => u.to_string(),
        // `3.0` parses as a float; keep its written form.
        Node::Float(f) if f.fract() == 0.0 => format!("{f:.1}"),
        Node::Float(f) => f.to_string(),
        Node::Bool(bundler) => bundler.to_string(),
        other => format!("<{}>", other.type_name()),
    }
}

/// Same name, different content: warn, naming both files.
fn report_conflicts(bundler: &mut Bundler, naming: &Naming) {
    for &(kept, renamed) in &naming.conflicts {
        let kept_target = bundler.schemas.get(kept).target.clone();
        let renamed_target = bundler.schemas.get(renamed).target.clone();
        let kept_origin = origins::origin_of(bundler, &kept_target);
        let at = bundler.location(renamed_target.file, &renamed_target.ptr);
        let name = |id: usize| naming.name_of.get(id).cloned().unwrap_or_default();
        let msg = format!(
            "schema name `{}` is used by two different schemas: `{}{}` keeps it, this one is named `{}`",
            name(kept),
            kept_origin.file.display(),
            pointer::display(&kept_origin.pointer),
            name(renamed),
        );
        bundler.warn(at, msg);
    }
}

/// A discriminator mapping value that is a plain name must name a component schema.
fn check_bare_mappings(bundler: &mut Bundler, naming: &Naming) {
    let names: std::collections::HashSet<&str> = naming
        .emitted
        .iter()
        .filter_map(|&id| naming.name_of.get(id).map(String::as_str))
        .collect();
    let missing: Vec<(String, FileId, String)> = bundler
        .bare_mappings
        .iter()
        .filter(|(name, _, _)| !names.contains(name.as_str()))
        .cloned()
        .collect();
    for (name, file, ptr) in missing {
        let at = bundler.location(file, &ptr);
        bundler.warn(
            at,
            format!(
                "discriminator mapping names schema `{name}`, which is not in components.schemas"
            ),
        );
    }
}

/// `components.schemas`, in registration order.
fn hoisted_schemas(bundler: &mut Bundler, naming: &Naming) -> Map {
    let mut out = Map::with_capacity(naming.emitted.len());
    for &id in &naming.emitted {
        let mut body = bundler.schemas.take_body(id);
        materialize(&mut body, &naming.name_of);
        out.push(naming.name_of.get(id).cloned().unwrap_or_default(), body);
    }
    out
}

/// Replaces schema placeholders by their final references.
fn materialize(node: &mut Node, names: &[String]) {
    match node {
        Node::SchemaRef(id) => {
            let mut map = Map::with_capacity(1);
            map.push("$ref".to_owned(), Node::Str(schema_ref(names, *id)));
            *node = Node::Map(map);
        }
        Node::MappingRef(id) => *node = Node::Str(schema_ref(names, *id)),
        Node::Seq(items) => items.iter_mut().for_each(|n| materialize(n, names)),
        Node::Map(map) => map.values_mut().for_each(|n| materialize(n, names)),
        _ => {}
    }
}

fn schema_ref(names: &[String], id: usize) -> String {
    let name = names.get(id).map_or("", String::as_str);
    format!("#/components/schemas/{}", pointer::escape(name))
}

/// Puts the hoisted schemas at `components.schemas` (where the root file had it, else
/// appended).
fn install_schemas(doc: &mut Node, schemas: Map) {
    let Node::Map(root) = doc else {
        return;
    };
    match root.get_mut("components") {
        Some(Node::Map(components)) => {
            if components.contains_key("schemas") || !schemas.is_empty() {
                components.insert("schemas".to_owned(), Node::Map(schemas));
            }
        }
        Some(_) => {}
        None if schemas.is_empty() => {}
        None => {
            let mut components = Map::with_capacity(1);
            components.push("schemas".to_owned(), Node::Map(schemas));
            root.push("components".to_owned(), Node::Map(components));
        }
    }
}

/// The typed parse. `openapiv3` has an `expect` in its `ReferenceOr` deserializer that we
/// believe unreachable, but input must never crash us, so a panic becomes an error.
fn typed_parse(doc: &Node) -> Result<openapiv3::OpenAPI, DeError> {
    catch_unwind(AssertUnwindSafe(|| {
        openapiv3::OpenAPI::deserialize(NodeDe(doc))
    }))
    .unwrap_or_else(|_| {
        Err(DeError::custom(
            "the OpenAPI parser panicked on this document",
        ))
    })
}

/// Where a failed typed parse went wrong: the deepest failing part of the bundled
/// document, mapped back to its source file.
fn typed_error(
    bundler: &mut Bundler,
    root: FileId,
    naming: &Naming,
    doc: &Node,
    e: &DeError,
) -> LoadError {
    let (path, message) = diagnose::failing_path(doc).unwrap_or_else(|| {
        (
            e.path().map(str::to_owned).collect(),
            e.message().to_owned(),
        )
    });
    let mut bundled_pointer = String::new();
    for seg in &path {
        pointer::push(&mut bundled_pointer, seg);
    }
    LoadError::Typed {
        at: origins::trace(bundler, root, naming, &path),
        bundled_pointer,
        message,
    }
}
