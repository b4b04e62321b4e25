//! What kind of OpenAPI object sits where, so the bundler knows which `$ref`s are schema
//! references (hoisted and kept) and which are anything else (inlined), and which values
//! are plain data (copied verbatim, never searched for references).

/// An OpenAPI 3.0 object type that may contain references.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Obj {
    Document,
    Paths,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Responses,
    Response,
    Header,
    MediaType,
    Encoding,
    Example,
    Link,
    Callback,
    SecurityScheme,
    Components,
    Schema,
    Discriminator,
}

impl Obj {
    /// Objects OpenAPI 3.0 allows to be replaced by a Reference Object. Refs elsewhere
    /// (e.g. a whole Operation) are still inlined, with a warning.
    pub(crate) fn referenceable(self) -> bool {
        matches!(
            self,
            Obj::PathItem
                | Obj::Parameter
                | Obj::RequestBody
                | Obj::Response
                | Obj::Header
                | Obj::Example
                | Obj::Link
                | Obj::Callback
                | Obj::SecurityScheme
                | Obj::Schema
        )
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Obj::Document => "OpenAPI document",
            Obj::Paths => "Paths object",
            Obj::PathItem => "Path Item",
            Obj::Operation => "Operation",
            Obj::Parameter => "Parameter",
            Obj::RequestBody => "Request Body",
            Obj::Responses => "Responses object",
            Obj::Response => "Response",
            Obj::Header => "Header",
            Obj::MediaType => "Media Type",
            Obj::Encoding => "Encoding",
            Obj::Example => "Example",
            Obj::Link => "Link",
            Obj::Callback => "Callback",
            Obj::SecurityScheme => "Security Scheme",
            Obj::Components => "Components object",
            Obj::Schema => "Schema",
            Obj::Discriminator => "Discriminator",
        }
    }
}

/// What a value is expected to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Obj(Obj),
    /// A mapping of names to objects (`content`, `properties`, `components.responses`).
    MapOf(Obj),
    /// A sequence of objects (`parameters`, `allOf`).
    ListOf(Obj),
    /// An `example` value: data, except that a lone `{$ref: file}` is resolved.
    ExampleValue,
    /// The root file's `components.schemas`, rebuilt from the hoisted schemas at the end.
    RootSchemas,
    /// Plain data: copied as-is.
    Literal,
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub(crate) fn is_method(key: &str) -> bool {
    METHODS.contains(&key)
}

pub(crate) fn methods() -> &'static [&'static str] {
    &METHODS
}

/// The method `key` names in any case (`GET` -> `get`).
pub(crate) fn method_named(key: &str) -> Option<&'static str> {
    METHODS
        .iter()
        .copied()
        .find(|m| m.eq_ignore_ascii_case(key))
}

/// The fixed fields of a Path Item that are not methods.
pub(crate) const PATH_ITEM_FIELDS: [&str; 5] =
    ["$ref", "summary", "description", "servers", "parameters"];

/// The kind of member `key` of an object of type `obj`.
pub(crate) fn child_kind(obj: Obj, key: &str) -> Kind {
    use Kind::{ListOf, Literal, MapOf};
    match (obj, key) {
        (Obj::Document, "paths") => Kind::Obj(Obj::Paths),
        (Obj::Document, "components") => Kind::Obj(Obj::Components),
        // OpenAPI 3.1 `webhooks` and the `x-webhooks` extension hold Path Items.
        (Obj::Document, "webhooks" | "x-webhooks") => MapOf(Obj::PathItem),
        (_, k) if k.starts_with("x-") && obj != Obj::Schema => Literal,
        (Obj::Paths, _) => Kind::Obj(Obj::PathItem),
        (Obj::Callback, _) => Kind::Obj(Obj::PathItem),
        (Obj::PathItem, k) if is_method(k) => Kind::Obj(Obj::Operation),
        (Obj::PathItem | Obj::Operation, "parameters") => ListOf(Obj::Parameter),
        (Obj::Operation, "requestBody") => Kind::Obj(Obj::RequestBody),
        (Obj::Operation, "responses") => Kind::Obj(Obj::Responses),
        (Obj::Operation, "callbacks") => MapOf(Obj::Callback),
        (Obj::Responses, _) => Kind::Obj(Obj::Response),
        (Obj::Response, "headers") | (Obj::Encoding, "headers") => MapOf(Obj::Header),
        (Obj::Response, "links") => MapOf(Obj::Link),
        (Obj::Response | Obj::RequestBody | Obj::Parameter | Obj::Header, "content") => {
            MapOf(Obj::MediaType)
        }
        (Obj::Parameter | Obj::Header | Obj::MediaType, "schema") => Kind::Obj(Obj::Schema),
        (Obj::Parameter | Obj::Header | Obj::MediaType, "examples") => MapOf(Obj::Example),
        (Obj::Parameter | Obj::Header | Obj::MediaType | Obj::Schema, "example") => {
            Kind::ExampleValue
        }
        (Obj::MediaType, "encoding") => MapOf(Obj::Encoding),
        (Obj::Components, "schemas") => Kind::RootSchemas,
        (Obj::Components, "responses") => MapOf(Obj::Response),
        (Obj::Components, "parameters") => MapOf(Obj::Parameter),
        (Obj::Components, "examples") => MapOf(Obj::Example),
        (Obj::Components, "requestBodies") => MapOf(Obj::RequestBody),
        (Obj::Components, "headers") => MapOf(Obj::Header),
        (Obj::Components, "securitySchemes") => MapOf(Obj::SecurityScheme),
        (Obj::Components, "links") => MapOf(Obj::Link),
        (Obj::Components, "callbacks") => MapOf(Obj::Callback),
        (Obj::Schema, "properties") => MapOf(Obj::Schema),
        (Obj::Schema, "items" | "not" | "additionalProperties") => Kind::Obj(Obj::Schema),
        (Obj::Schema, "allOf" | "oneOf" | "anyOf") => ListOf(Obj::Schema),
        (Obj::Schema, "discriminator") => Kind::Obj(Obj::Discriminator),
        _ => Literal,
    }
}
