//! The rule list: every kind of change the diff reports, with its level and the reason,
//! in one table. The comparison code only picks a rule; what the rule means for users of
//! the client is decided here and nowhere else.
//!
//! The levels, for users of this Rust client:
//! - **breaking**: after upgrading, code that compiled no longer does, or a call that
//!   worked now fails (with the new crate, or with the deployed one against the changed
//!   service);
//! - **non-breaking**: additions and changes that existing code compiles and runs against;
//! - **absorbed**: a wire-level change that clients of other generators may trip on, but
//!   that this client tolerates by design; the reason names the mechanism;
//! - **docs only**: descriptions, summaries and examples: only doc comments change.
//!
//! The judgement calls, explained once:
//! - **Struct literals.** Generated structs are not `#[non_exhaustive]`, so a struct literal
//!   must name every field and a new field breaks it (cargo-semver-checks'
//!   `constructible_struct_adds_field`). Users build the types that requests take (request
//!   bodies, parameters, and the types those reach), so a new field there is breaking even
//!   when it is optional. Types only responses reach are read, not built: a new field there
//!   is non-breaking. Code that builds response types with literals (test fixtures) is
//!   outside this promise; `..Default::default()` keeps literals compiling where the type
//!   derives `Default`.
//! - **Enum and union variants.** Every enum keeps unknown values in its `Unknown(String)`
//!   fallback and every union keeps unmatched JSON in its fallback variant, so a value or
//!   member the deployed client does not know still decodes. Generated enums and unions are
//!   `#[non_exhaustive]`, so every `match` on them outside the crate has a wildcard arm and
//!   a new variant never breaks compiling code.
//! - **`Option`.** A required property is `T`, an optional or nullable one `Option<T>`.
//!   Moving between the two changes the Rust type, which breaks code both ways, even where
//!   the wire change is harmless (an optional response property made required).
//! - **Error responses.** Operations have no per-status error types: every non-2xx response
//!   becomes a runtime `Error` with the status, the ISC error body and the raw body.
//! - **Date-times.** A string gaining or losing `format: date-time` changes the Rust type
//!   (`String` and `runtime::DateTime`), so it is a retype, although the JSON is the same
//!   string and the deployed client keeps date-times as raw text either way; the change
//!   says so. A date-time whose text format widens (other offsets, precision) is absorbed
//!   by that raw text and has nothing to report.
//! - **Not in the model, not reported.** Patterns, lengths, numeric bounds, string formats
//!   other than `date-time`, `additionalProperties: true/false` and `readOnly` on optional
//!   properties leave the generated code unchanged: the client validates none of them, so
//!   they are absorbed by construction and the diff, which compares models, does not see
//!   them.

use std::fmt;

use serde::Serialize;

/// How a change affects users of the client, from least to most serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Docs,
    Absorbed,
    NonBreaking,
    Breaking,
}

impl Level {
    /// Most serious first, the order reports list them in.
    pub const ALL: [Level; 4] = [
        Level::Breaking,
        Level::NonBreaking,
        Level::Absorbed,
        Level::Docs,
    ];

    /// The identifier used in JSON, annotations and `--fail-on`.
    pub fn id(self) -> &'static str {
        match self {
            Level::Breaking => "breaking",
            Level::NonBreaking => "non-breaking",
            Level::Absorbed => "absorbed",
            Level::Docs => "docs",
        }
    }

    /// How people read it.
    pub fn label(self) -> &'static str {
        match self {
            Level::Breaking => "breaking",
            Level::NonBreaking => "non-breaking",
            Level::Absorbed => "absorbed",
            Level::Docs => "docs only",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The Keep a Changelog section a change is listed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Section {
    Added,
    Changed,
    Deprecated,
    Removed,
}

impl Section {
    pub const ALL: [Section; 4] = [
        Section::Added,
        Section::Changed,
        Section::Deprecated,
        Section::Removed,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Section::Added => "Added",
            Section::Changed => "Changed",
            Section::Deprecated => "Deprecated",
            Section::Removed => "Removed",
        }
    }
}

/// One row of the rule table.
pub struct RuleInfo {
    pub id: &'static str,
    pub level: Level,
    pub section: Section,
    pub reason: &'static str,
}

/// Declares [`Rule`] and its table from one list, so a rule cannot exist without a level,
/// a changelog section and a reason.
macro_rules! rules {
    ($( $(#[$doc:meta])* $variant:ident = $id:literal, $level:ident, $section:ident, $reason:literal; )*) => {
        /// A kind of change. See [`Rule::info`] for its level and reason.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Rule {
            $( $(#[$doc])* $variant, )*
        }

        impl Rule {
            /// Every rule, in table order.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The rule's row of the table.
            pub fn info(self) -> RuleInfo {
                match self {
                    $(Rule::$variant => RuleInfo {
                        id: $id,
                        level: Level::$level,
                        section: Section::$section,
                        reason: $reason,
                    },)*
                }
            }
        }
    };
}

rules! {
    // Versions, tags and the API as a whole.
    VersionAdded = "version-added", NonBreaking, Added,
        "a new version crate and a new feature of the facade; nothing existing changes";
    VersionRemoved = "version-removed", Breaking, Removed,
        "the version's crate and the facade feature are gone: code and `Cargo.toml` naming them break";
    BasePathChanged = "base-path-changed", Breaking, Changed,
        "every operation of the version is sent under another path prefix: deployed clients call the old one";
    TagAdded = "tag-added", NonBreaking, Added,
        "a new `apis::<tag>` module, `Api` accessor and cargo feature";
    TagRemoved = "tag-removed", Breaking, Removed,
        "the tag's module, its `Api` accessor and its cargo feature are gone: code and `Cargo.toml` naming them break";
    ApiDocsChanged = "api-docs-changed", Docs, Changed,
        "the title, description or a tag's description: only doc comments change";

    // Operations.
    OperationAdded = "operation-added", NonBreaking, Added,
        "a new method on the tag's API struct and a new request builder";
    OperationRemoved = "operation-removed", Breaking, Removed,
        "the method and its request builder are gone: calls to them no longer compile";
    OperationRenamed = "operation-renamed", Breaking, Changed,
        "the method and its builder are named after the operationId: calls by the old name no longer compile";
    OperationIdChanged = "operation-id-changed", NonBreaking, Changed,
        "the operationId changed but the Rust method and builder names did not; only docs and error messages show the id";
    OperationPathChanged = "operation-path-changed", Breaking, Changed,
        "the same method now sends another HTTP method or path: deployed clients call a route the API no longer lists";
    OperationMoved = "operation-moved", Breaking, Changed,
        "an operation lives in the module of its first tag: it moved to another `apis::<tag>` struct, so calls through the old one no longer compile";
    OperationExperimentalAdded = "operation-experimental-added", Breaking, Changed,
        "an experimental operation fails unless the client is built with `experimental(true)`: calls that worked now return an error";
    OperationExperimentalRemoved = "operation-experimental-removed", NonBreaking, Changed,
        "the call no longer needs `experimental(true)`";
    OperationDeprecated = "operation-deprecated", NonBreaking, Deprecated,
        "the method gets `#[deprecated]`: calls still compile, with a warning";
    OperationUndeprecated = "operation-undeprecated", NonBreaking, Changed,
        "the method loses `#[deprecated]`";
    OperationDocsChanged = "operation-docs-changed", Docs, Changed,
        "summary or description: only the method's doc comment changes";

    // Parameters, and the fields of form and multipart bodies (builder inputs like them).
    ParameterAddedRequired = "parameter-added-required", Breaking, Changed,
        "required inputs are arguments of the operation's method: every call must pass one more";
    ParameterAddedOptional = "parameter-added-optional", NonBreaking, Added,
        "optional inputs are builder methods: a new one leaves existing calls as they are";
    ParameterRemoved = "parameter-removed", Breaking, Removed,
        "its argument or builder method is gone: calls passing it no longer compile";
    ParameterMadeRequired = "parameter-made-required", Breaking, Changed,
        "the builder method became an argument of the operation's method: every call must pass it";
    ParameterMadeOptional = "parameter-made-optional", Breaking, Changed,
        "the argument became a builder method: calls passing it as an argument no longer compile";
    ParameterRetyped = "parameter-retyped", Breaking, Changed,
        "the argument or builder method takes another Rust type";
    ParameterRenamed = "parameter-renamed", Breaking, Changed,
        "the same wire parameter has another Rust name (names are made unique in order): its builder method or argument is renamed";
    ParametersReordered = "parameters-reordered", Breaking, Changed,
        "required inputs are positional arguments: a new order breaks calls, or silently swaps values of the same type";
    ParameterDefaultChanged = "parameter-default-changed", NonBreaking, Changed,
        "the Rust signature is unchanged; calls that leave the parameter unset get the service's new default";
    ParameterStyleChanged = "parameter-style-changed", NonBreaking, Changed,
        "the client sends the array in the new style (`explode`); the Rust signature is unchanged";
    ParameterDeprecated = "parameter-deprecated", Docs, Deprecated,
        "builder inputs carry no `#[deprecated]`: the generated code does not change";
    ParameterUndeprecated = "parameter-undeprecated", Docs, Changed,
        "builder inputs carry no `#[deprecated]`: the generated code does not change";
    ParameterDocsChanged = "parameter-docs-changed", Docs, Changed,
        "only the builder method's doc comment changes";

    // Request bodies.
    RequestBodyAddedRequired = "request-body-added-required", Breaking, Changed,
        "a required body is an argument of the operation's method: every call must pass it";
    RequestBodyAddedOptional = "request-body-added-optional", NonBreaking, Added,
        "an optional body is set with the builder's `body` method";
    RequestBodyRemoved = "request-body-removed", Breaking, Removed,
        "the `body` argument or builder method is gone";
    RequestBodyMadeRequired = "request-body-made-required", Breaking, Changed,
        "the builder's `body` method became an argument of the operation's method";
    RequestBodyMadeOptional = "request-body-made-optional", Breaking, Changed,
        "the `body` argument became a builder method";
    RequestBodyRetyped = "request-body-retyped", Breaking, Changed,
        "the body argument or builder method takes another Rust type (or the body became form fields, or the reverse)";
    RequestMediaTypeChanged = "request-media-type-changed", NonBreaking, Changed,
        "the client sends the body as the new media type; the Rust signature is unchanged";
    RequestMediaTypeAlternativeChanged = "request-media-type-alternative-changed", Absorbed, Changed,
        "the client sends one media type per operation; other types the operation accepts are not used";
    RequestBodyDocsChanged = "request-body-docs-changed", Docs, Changed,
        "only the body's doc comment changes";

    // Responses.
    ResponseTypeChanged = "response-type-changed", Breaking, Changed,
        "`send()` returns another Rust type";
    SuccessStatusAdded = "success-status-added", NonBreaking, Changed,
        "`send()` accepts every 2xx status; its return type is reported separately when it changes";
    SuccessStatusRemoved = "success-status-removed", NonBreaking, Changed,
        "`send()` accepts every 2xx status; its return type is reported separately when it changes";
    ErrorStatusAdded = "error-status-added", Absorbed, Changed,
        "every non-2xx response becomes a runtime `Error` with its status, the ISC error body and the raw body, listed in the spec or not";
    ErrorStatusRemoved = "error-status-removed", Absorbed, Changed,
        "every non-2xx response becomes a runtime `Error` with its status, the ISC error body and the raw body, listed in the spec or not";
    ErrorBodyChanged = "error-body-changed", Absorbed, Changed,
        "error bodies are not typed per operation: the runtime `Error` keeps the ISC error body and the raw body";
    ResponseMediaTypeAdded = "response-media-type-added", NonBreaking, Added,
        "`send()` decodes the media type it was generated for; others are reachable through `request()` and `Client::send`";
    ResponseMediaTypeRemoved = "response-media-type-removed", NonBreaking, Removed,
        "`send()` decodes the media type it was generated for; its return type is reported separately when it changes";
    PaginateAdded = "paginate-added", NonBreaking, Added,
        "a new `paginate()` method streams the results page by page";
    PaginateRemoved = "paginate-removed", Breaking, Removed,
        "`paginate()` is gone: the operation no longer has `limit` and `offset` with an array result";
    SearchAfterAdded = "search-after-added", NonBreaking, Added,
        "a new `search_after()` method streams results past the 10,000-result window";
    SearchAfterRemoved = "search-after-removed", Breaking, Removed,
        "`search_after()` is gone";
    ResponseDocsChanged = "response-docs-changed", Docs, Changed,
        "response descriptions only show in docs";
    ExamplesChanged = "examples-changed", Docs, Changed,
        "examples only feed docs and the examples conformance test";

    // Types.
    TypeAdded = "type-added", NonBreaking, Added,
        "a new model type";
    TypeRemoved = "type-removed", Breaking, Removed,
        "code naming the type no longer compiles";
    TypeRenamed = "type-renamed", Breaking, Changed,
        "the same shape under a new name: code naming the old one no longer compiles";
    TypeKindChanged = "type-kind-changed", Breaking, Changed,
        "the type became another kind of item (struct, enum, union, alias)";
    TypeDefaultRemoved = "type-default-removed", Breaking, Changed,
        "the type no longer implements `Default`: `Type::default()` and `..Default::default()` no longer compile";
    TypeDefaultAdded = "type-default-added", NonBreaking, Added,
        "the type now implements `Default`";
    TypeFeaturesNarrowed = "type-features-narrowed", Breaking, Changed,
        "a model compiles only with the feature of a tag that uses it: builds that enable only the dropped feature lose the type";
    TypeFeaturesWidened = "type-features-widened", NonBreaking, Changed,
        "the model now also compiles with more features";
    TypeDeprecated = "type-deprecated", Docs, Deprecated,
        "types carry no `#[deprecated]`: only the doc comment says so";
    TypeUndeprecated = "type-undeprecated", Docs, Changed,
        "types carry no `#[deprecated]`: only the doc comment changes";
    TypeDocsChanged = "type-docs-changed", Docs, Changed,
        "only the type's doc comment changes";

    // Struct fields (`additional_properties` included).
    RequestFieldAddedRequired = "request-field-added-required", Breaking, Changed,
        "users build request types with struct literals, which must name every field, and the service now requires the property";
    RequestFieldAddedOptional = "request-field-added-optional", Breaking, Changed,
        "users build request types with struct literals, and the struct is not `#[non_exhaustive]`: literals without `..Default::default()` no longer compile";
    ResponseFieldAdded = "response-field-added", NonBreaking, Added,
        "users read response types rather than build them: reading code is unaffected, and deployed clients skip the undeclared property";
    FieldRemoved = "field-removed", Breaking, Removed,
        "code reading or setting the field no longer compiles";
    FieldRenamed = "field-renamed", Breaking, Changed,
        "the same JSON property has another Rust field name (names are made unique in order)";
    FieldRetyped = "field-retyped", Breaking, Changed,
        "the field has another Rust type";
    FieldMadeRequired = "field-made-required", Breaking, Changed,
        "`Option<T>` became `T`: code matching `Some` or assigning an `Option` no longer compiles (deployed clients are fine: the value is always there)";
    FieldMadeOptional = "field-made-optional", Breaking, Changed,
        "`T` became `Option<T>`: code using it as `T` no longer compiles, and the property may now be absent";
    FieldMadeNullable = "field-made-nullable", Breaking, Changed,
        "`T` became `Option<T>` because the property may be `null`: code using it as `T` no longer compiles";
    FieldPresenceChanged = "field-presence-changed", Absorbed, Changed,
        "the field stays `Option<T>`, which takes an absent property and `null` alike; `None` is sent as `null` where the property is required";
    FieldDeprecated = "field-deprecated", Docs, Deprecated,
        "fields carry no `#[deprecated]`: only the doc comment says so";
    FieldUndeprecated = "field-undeprecated", Docs, Changed,
        "fields carry no `#[deprecated]`: only the doc comment changes";
    FieldDocsChanged = "field-docs-changed", Docs, Changed,
        "only the field's doc comment changes";

    // String enums.
    ResponseEnumValueAdded = "response-enum-value-added", Absorbed, Added,
        "enums keep unknown values in their `Unknown(String)` fallback, so deployed clients decode the new value; upgraded ones get a variant";
    RequestEnumValueAdded = "request-enum-value-added", NonBreaking, Added,
        "a new variant to send; the enum is `#[non_exhaustive]`, so matches already have a wildcard arm";
    EnumValueRemoved = "enum-value-removed", Breaking, Removed,
        "the variant is gone: code naming it no longer compiles (deployed clients decode the value into the fallback)";
    EnumVariantRenamed = "enum-variant-renamed", Breaking, Changed,
        "the same value has another Rust variant name";
    EnumFallbackRenamed = "enum-fallback-renamed", Breaking, Changed,
        "the catch-all variant is renamed (a value named `unknown` appeared): code naming it no longer compiles";

    // Unions (`oneOf` / `anyOf`).
    ResponseUnionVariantAdded = "response-union-variant-added", Absorbed, Added,
        "unions keep JSON that matches no variant in their fallback variant, so deployed clients decode the new member; upgraded ones get a variant";
    RequestUnionVariantAdded = "request-union-variant-added", NonBreaking, Added,
        "a new variant to send; the union is `#[non_exhaustive]`, so matches already have a wildcard arm";
    UnionVariantRemoved = "union-variant-removed", Breaking, Removed,
        "the variant is gone: code naming it no longer compiles";
    UnionVariantRenamed = "union-variant-renamed", Breaking, Changed,
        "the same member type is held by a variant with another name";
    UnionVariantRetyped = "union-variant-retyped", Breaking, Changed,
        "the variant holds another Rust type";
    UnionDiscriminatorChanged = "union-discriminator-changed", Absorbed, Changed,
        "unions pick their variant by discriminator, by a telling property or by best fit, and keep what matches none in the fallback; the Rust type is unchanged";
    UnionFallbackRenamed = "union-fallback-renamed", Breaking, Changed,
        "the catch-all variant is renamed: code naming it no longer compiles";

    // Aliases.
    AliasRetyped = "alias-retyped", Breaking, Changed,
        "`type Name = T` now names another type";
}

impl Rule {
    pub fn id(self) -> &'static str {
        self.info().id
    }

    pub fn level(self) -> Level {
        self.info().level
    }

    pub fn reason(self) -> &'static str {
        self.info().reason
    }

    pub fn section(self) -> Section {
        self.info().section
    }
}

impl Serialize for Rule {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.id())
    }
}

/// The rule list as a Markdown table (`cargo xtask diff --rules`).
pub fn table() -> String {
    let mut out = String::from("| Rule | Level | Reason |\n|---|---|---|\n");
    for rule in Rule::ALL {
        let info = rule.info();
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            info.id,
            info.level.label(),
            info.reason.replace('|', "\\|")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    #[test]
    fn rule_ids_are_unique_kebab_case() {
        let mut seen = BTreeSet::new();
        for rule in Rule::ALL {
            let id = rule.id();
            assert!(seen.insert(id), "rule id `{id}` is used twice");
            assert!(
                id.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "rule id `{id}` is not kebab-case"
            );
        }
    }

    #[test]
    fn every_level_has_rules() {
        for level in Level::ALL {
            assert!(
                Rule::ALL.iter().any(|r| r.level() == level),
                "no rule has level {level}"
            );
        }
    }
}
