//! The intermediate API model: plain data describing one API version after every spec quirk
//! has been resolved, so the renderers never look at OpenAPI again.
//!
//! [`build`] turns a [`LoadedSpec`](crate::load::LoadedSpec) into an [`Api`]. Types are
//! keyed by their Rust name in a `BTreeMap`, so iteration (and therefore output) is sorted
//! and deterministic.

mod cycles;
pub(crate) mod dedup;
mod names;
mod operations;
mod read_only;
mod schema;
pub mod shared;
mod unions;
mod usage;

use std::collections::{BTreeMap, BTreeSet};

pub use names::{field_ident_name, is_raw_keyword, ADDITIONAL_FIELD};
pub use usage::{operation_refs, type_refs};

use crate::load::{Layout, LoadedSpec};
use crate::location::{Diagnostic, Location};

/// One API version, ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// Version name as discovered from `sailpoint-api.<name>.yaml`, e.g. `v2024`.
    pub version: String,
    /// Rust module and cargo feature name for this version.
    pub module: String,
    /// The version's root file, relative to the specs folder.
    pub root_file: String,
    pub title: String,
    pub description: Option<String>,
    /// Path prefix every operation of this version lives under, e.g. `/v2024`.
    pub base_path: String,
    pub tags: Vec<Tag>,
    /// Every named type, keyed (and so ordered) by Rust name.
    pub types: BTreeMap<String, TypeDef>,
    /// Spec defects handled by the generator, reported to the user.
    pub warnings: Vec<Diagnostic>,
    /// SHA-256 (hex) of the spec files this version was read from.
    pub source_digest: String,
    /// A version of the versions layout, or a resource of the resources layout.
    pub layout: Layout,
    /// The API's own version (`info.version`), e.g. `v1` for a resource.
    pub api_version: String,
    /// The components every resource shares (resources layout): no operations, and every
    /// type compiles, whatever features are on.
    pub common: bool,
}

impl Api {
    pub fn operation_count(&self) -> usize {
        self.tags.iter().map(|t| t.operations.len()).sum()
    }
}

/// A group of operations sharing their first OpenAPI tag: one Rust module.
#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// The tag as written in the spec, e.g. `Identities`.
    pub name: String,
    /// Rust module (file) name, e.g. `identities`.
    pub module: String,
    /// Rust name of the accessor struct, e.g. `IdentitiesApi`.
    pub struct_name: String,
    pub description: Option<String>,
    pub operations: Vec<Operation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Method {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl Method {
    pub fn parse(name: &str) -> Option<Method> {
        Some(match name.to_ascii_lowercase().as_str() {
            "get" => Method::Get,
            "put" => Method::Put,
            "post" => Method::Post,
            "delete" => Method::Delete,
            "options" => Method::Options,
            "head" => Method::Head,
            "patch" => Method::Patch,
            "trace" => Method::Trace,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// `operationId` exactly as in the spec.
    pub id: String,
    /// Where the operation is written in the specs.
    pub location: Location,
    /// Method name on the tag struct, e.g. `list_identities`.
    pub fn_name: String,
    /// Builder struct name, e.g. `ListIdentities`.
    pub builder_name: String,
    pub method: Method,
    /// Path template as in the spec, e.g. `/identities/{id}`.
    pub path: String,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
    /// Declares the `X-SailPoint-Experimental` header: the runtime sends it and gates the call.
    pub experimental: bool,
    /// A POST that only reads (see `read_only.rs`): safe to repeat after an unknown outcome.
    pub read_only: bool,
    pub params: Vec<Param>,
    pub body: Option<RequestBody>,
    pub responses: Vec<Response>,
    /// What `send()` returns.
    pub success: Success,
    /// Offset pagination is available (`limit` + `offset` query parameters, array result).
    pub pagination: Option<Pagination>,
    /// `searchAfter` paging is available (search request body with `sort` and `searchAfter`).
    pub search_after: Option<SearchAfter>,
    /// The spec's JSON examples of request and success bodies, with the type each decodes
    /// into (the examples conformance check uses them).
    pub examples: Vec<BodyExample>,
    /// The media type `send()` asks for in `Accept` when its body is not JSON (`text/csv`).
    pub accept: Option<String>,
    /// Other media types a success body comes in (CSV beside JSON, say), each with a
    /// builder method that asks for it and returns its bytes or text.
    pub alternatives: Vec<Alternative>,
}

/// A success media type reached through its own method, e.g. `send_csv()` for `text/csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    pub media_type: String,
    /// The builder method, e.g. `send_csv`.
    pub method: String,
    /// Bytes, or text for `text/*`.
    pub body: ResponseBody,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BodyExample {
    /// `request` or the response status, then the example's name, e.g. `200 identities`.
    pub label: String,
    pub ty: TypeRef,
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamLocation {
    pub fn as_str(self) -> &'static str {
        match self {
            ParamLocation::Path => "path",
            ParamLocation::Query => "query",
            ParamLocation::Header => "header",
            ParamLocation::Cookie => "cookie",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Name on the wire.
    pub name: String,
    /// Rust identifier (without `r#`).
    pub rust_name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub deprecated: bool,
    pub ty: TypeRef,
    /// Default from the spec, for documentation.
    pub default: Option<serde_json::Value>,
    pub description: Option<String>,
    /// Arrays: `true` sends `name=a&name=b`, `false` sends `name=a,b`.
    pub explode: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    pub required: bool,
    pub description: Option<String>,
    /// The content type the client sends.
    pub content_type: String,
    pub kind: BodyKind,
    /// Every content type the spec lists, in spec order (the surface snapshot shows them).
    pub all_content_types: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// Serialized with serde as JSON (`application/json`, `*+json`).
    Json(TypeRef),
    /// `multipart/form-data`: one builder field per part.
    Multipart(Vec<FormPart>),
    /// `application/x-www-form-urlencoded`: one builder field per field.
    Form(Vec<FormPart>),
    /// Any other media type: raw bytes.
    Bytes,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FormPart {
    pub name: String,
    pub rust_name: String,
    pub required: bool,
    pub description: Option<String>,
    /// `TypeRef::File` for binary parts.
    pub ty: TypeRef,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// `"200"`, `"4XX"` or `"default"`.
    pub status: String,
    pub description: String,
    /// (media type, body type); `None` type for media types decoded as bytes.
    pub content: Vec<(String, ResponseBody)>,
    pub headers: Vec<ResponseHeader>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ResponseBody {
    Json(TypeRef),
    Bytes,
    Text,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    pub name: String,
    pub description: Option<String>,
    pub ty: TypeRef,
}

/// What a successful call returns.
#[derive(Debug, Clone, PartialEq)]
pub enum Success {
    /// No body (e.g. 204): `()`.
    Empty,
    /// No body, and the answer is the `X-Total-Count` header (`searchCount`): a `u64`.
    Count,
    /// One body type for every 2xx status.
    Single(ResponseBody),
    /// Several 2xx statuses with different bodies: an enum named `name`, one variant per status.
    ByStatus {
        name: String,
        variants: Vec<StatusVariant>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    pub status: u16,
    pub variant: String,
    /// `None`: the status has no body.
    pub body: Option<ResponseBody>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// Rust names of the `offset` and `limit` fields on the builder.
    pub offset_field: String,
    pub limit_field: String,
    /// Rust type of those parameters.
    pub int_type: TypeRef,
    /// Rust name of the `count` field, when the operation has one (asks for `X-Total-Count`).
    pub count_field: Option<String>,
    pub item: TypeRef,
    pub default_page_size: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SearchAfter {
    /// The request body type (a struct with `sort` and `searchAfter`).
    pub body_type: String,
    pub limit_field: Option<String>,
    pub item: TypeRef,
}

/// A reference to a Rust type, as used in fields, parameters and bodies.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TypeRef {
    String,
    /// `date-time`: kept as the raw string with a typed parse (`runtime::DateTime`).
    DateTime,
    Bool,
    I32,
    I64,
    F32,
    F64,
    /// Free-form JSON (`{}`, `type: object` without properties, unknown shapes).
    Json,
    /// A binary file part in a multipart body.
    File,
    /// A raw request body of any other media type.
    Bytes,
    Vec(Box<TypeRef>),
    /// `additionalProperties` map, ordered for deterministic serialization.
    Map(Box<TypeRef>),
    /// `Option<T>`: an array item or map value whose schema is `nullable` (a field's own
    /// optionality is the field's, not its type's).
    Nullable(Box<TypeRef>),
    /// A generated model, by Rust name.
    Named(String),
}

impl TypeRef {
    /// The type as Rust code names it (`Vec<Identity>`, `BTreeMap<String, i64>`), for
    /// reports and the API surface; model paths left out.
    pub fn rust(&self) -> String {
        match self {
            TypeRef::String => "String".into(),
            TypeRef::DateTime => "DateTime".into(),
            TypeRef::Bool => "bool".into(),
            TypeRef::I32 => "i32".into(),
            TypeRef::I64 => "i64".into(),
            TypeRef::F32 => "f32".into(),
            TypeRef::F64 => "f64".into(),
            TypeRef::Json => "serde_json::Value".into(),
            TypeRef::File => "FilePart".into(),
            TypeRef::Bytes => "Vec<u8>".into(),
            TypeRef::Vec(inner) => format!("Vec<{}>", inner.rust()),
            TypeRef::Map(inner) => format!("BTreeMap<String, {}>", inner.rust()),
            TypeRef::Nullable(inner) => format!("Option<{}>", inner.rust()),
            TypeRef::Named(name) => name.clone(),
        }
    }

    pub fn named(&self) -> Option<&str> {
        match self {
            TypeRef::Named(n) => Some(n),
            _ => None,
        }
    }

    /// The type a container (`Vec`, map, `Option`) holds.
    pub fn inner(&self) -> Option<&TypeRef> {
        match self {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Nullable(inner) => Some(inner),
            _ => None,
        }
    }

    /// The named type inside any containers, if there is one.
    pub fn innermost_named(&self) -> Option<&str> {
        match self.inner() {
            Some(inner) => inner.innermost_named(),
            None => self.named(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    pub name: String,
    /// Module (file) name inside `models/`.
    pub module: String,
    /// Where the schema came from: a component name, or `Parent.property` for hoisted ones.
    pub origin: String,
    /// Where the schema is written in the specs.
    pub location: Location,
    /// Hoisted from an inline schema, not a component the spec names.
    pub inline: bool,
    /// The schema's `title`, if any.
    pub title: Option<String>,
    /// The schema's own `example`, if any.
    pub example: Option<serde_json::Value>,
    /// Generated once in the shared crate under this name (resources layout): the
    /// resource re-exports it instead of generating it.
    pub shared_as: Option<String>,
    pub doc: Option<String>,
    pub deprecated: bool,
    pub kind: TypeKind,
    /// Every field type implements `Default`, so the type derives it.
    pub default: bool,
    /// Modules of the tags whose operations reach this type (empty: no operation does).
    pub used_by: BTreeSet<String>,
    /// Reached from a type no operation reaches (or is one).
    pub reached_from_unused: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum with an `Unknown(String)` fallback.
    Enum(StringEnum),
    /// `oneOf` / `anyOf`.
    Union(Union),
    /// `pub type Name = Target;`
    Alias(TypeRef),
    /// `pub struct Name(pub Target);`: an alias that would take part in a cycle of aliases
    /// (`A = Vec<B>`, `B = Vec<A>`), which Rust cannot expand.
    Newtype(Newtype),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Newtype {
    pub value: TypeRef,
    /// Recursive through the value: stored as `Box<T>`.
    pub boxed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// `additionalProperties` with a schema alongside declared properties.
    pub additional: Option<TypeRef>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// JSON name.
    pub name: String,
    /// Rust name (without `r#`).
    pub rust_name: String,
    pub ty: TypeRef,
    /// Required in Rust (a `T`, not an `Option<T>`, unless nullable): in the schema's
    /// `required` list and neither `readOnly` nor `writeOnly`.
    pub required: bool,
    /// In the schema's `required` list, whatever the Rust type: strict decoding and union
    /// trials insist on it being present.
    pub schema_required: bool,
    pub nullable: bool,
    /// Recursive through this field: stored as `Box<T>`.
    pub boxed: bool,
    pub deprecated: bool,
    pub doc: Option<String>,
    /// Type implements `Default` (so `null` can decode as the default).
    pub ty_default: bool,
}

impl Field {
    /// The field is `Option<T>` in Rust: not required, or explicitly nullable.
    pub fn optional(&self) -> bool {
        !self.required || self.nullable
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    pub variants: Vec<EnumVariant>,
    /// Name of the catch-all variant (`Unknown`, or `UnknownValue` when a value is "unknown").
    pub fallback: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EnumVariant {
    pub value: String,
    pub rust_name: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Union {
    pub tag: Option<String>,
    pub variants: Vec<UnionVariant>,
    /// Name of the catch-all variant holding undecodable JSON.
    pub fallback: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnionVariant {
    pub rust_name: String,
    pub ty: TypeRef,
    /// For a free-form variant (`TypeRef::Json`) whose schema names a type: the only kind
    /// of JSON it takes (a catch-all `type: object` variant must not take a string).
    pub accepts: Option<JsonKind>,
    pub boxed: bool,
    /// Tag values selecting this variant (empty for untagged unions).
    pub tag_values: Vec<String>,
}

/// The kinds of JSON value a schema's `type` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum JsonKind {
    Object,
    Array,
    String,
    Number,
    Integer,
    Boolean,
}

/// Errors that stop model building (defects that can be worked around become warnings).
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{at}: operationId `{id}` is used twice (first by {first})")]
    DuplicateOperationId {
        at: Location,
        id: String,
        first: String,
    },
    #[error("{at}: {message}")]
    Invalid { at: Location, message: String },
}

/// Builds the model of one version.
pub fn build(spec: &LoadedSpec) -> Result<Api, ModelError> {
    let mut builder = schema::TypeBuilder::new(spec);
    builder.add_components();
    let mut tags = operations::build_tags(spec, &mut builder)?;
    let (mut types, mut warnings) = builder.finish();
    dedup::merge_identical(&mut types, &mut tags);
    warnings.extend(cycles::resolve(&mut types));
    for op in tags.iter_mut().flat_map(|t| t.operations.iter_mut()) {
        let confirmed = op.search_after.as_ref().is_some_and(|s| {
            types
                .get(&s.body_type)
                .is_some_and(|t| operations::has_search_after_fields(&t.kind))
        });
        if !confirmed {
            op.search_after = None;
        }
    }
    usage::mark_users(&tags, &mut types);
    let mut all_warnings = spec.warnings.clone();
    all_warnings.append(&mut warnings);
    if let Some(webhooks) = spec
        .openapi
        .extensions
        .get("x-webhooks")
        .and_then(|w| w.as_object())
    {
        // The client calls the API; webhooks are calls the API makes to you.
        all_warnings.push(Diagnostic::new(
            Location::new(spec.root_file.clone(), "/x-webhooks"),
            format!(
                "{} webhook definitions describe requests ISC sends, not operations; no client code is generated for them",
                webhooks.len()
            ),
        ));
    }
    let info = &spec.openapi.info;
    Ok(Api {
        module: names::module_name(&spec.version),
        version: spec.version.clone(),
        root_file: spec.root_file.display().to_string(),
        title: info.title.clone(),
        description: info.description.clone(),
        base_path: base_path(spec),
        tags,
        types,
        warnings: crate::location::distinct(all_warnings),
        source_digest: spec.source_digest.clone(),
        layout: spec.layout,
        api_version: info.version.clone(),
        common: false,
    })
}

/// Names in the facade crate a version module cannot take: the runtime re-export, cargo's
/// `default` feature, the methods of the facade's `Client` (its own, and the runtime
/// client's it dereferences to), and `new`, which clippy expects to return `Self`.
const FACADE_NAMES: &[&str] = &[
    "runtime",
    "new",
    shared::SHARED,
    "default",
    "builder",
    "from_env",
    "send",
    "base_url",
    "experimental_enabled",
    "retry_policy",
    "timeout",
];

/// Names the versions' modules (facade module, cargo feature, crate name) in one scope,
/// in version order: two versions whose names case alike (`a-b`, `a_b`) or a version named
/// like a facade item get distinct modules, with a warning.
pub fn name_versions(apis: &mut [Api]) {
    let mut taken = names::NameSet::reserving(FACADE_NAMES, "the facade crate").and_reserving(
        names::TRAIT_METHODS,
        "a trait method of the facade's `Client`",
    );
    for api in apis.iter_mut() {
        let unit = api.layout.unit();
        let claimed = taken.claim_for(
            &names::module_name(&api.version),
            &format!("{unit} `{}`", api.version),
        );
        if let Some(message) = claimed.clash_message(&format!("{unit} module")) {
            api.warnings.push(Diagnostic::new(
                Location::new(api.root_file.clone(), ""),
                message,
            ));
        }
        api.module = claimed.name;
    }
}

/// The path part of the first server URL (`https://{tenant}.api.identitynow.com/v2024` ->
/// `/v2024`; none for a resource, whose paths carry their version: `/accounts/v1`). A spec
/// without servers lives under `/<version>`.
fn base_path(spec: &LoadedSpec) -> String {
    match spec.openapi.servers.first() {
        Some(server) => {
            let url = server.url.as_str();
            let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
            after_scheme
                .find('/')
                .map(|i| after_scheme[i..].trim_end_matches('/').to_owned())
                .unwrap_or_default()
        }
        None => format!("/{}", spec.version),
    }
}
