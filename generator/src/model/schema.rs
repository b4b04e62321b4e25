//! Schema conversion: OpenAPI schemas become [`TypeRef`]s and named [`TypeDef`]s.
//!
//! Component schemas keep their (Rust-cased) names; inline objects, enums and unions are
//! hoisted under names derived from where they appear (`Parent` + `Property`), so a name
//! only changes when the schema's own position changes. Shapes `openapiv3` cannot type
//! (`type: date-time`, mixed enums, `nullable` without `type`) arrive as `AnySchema` and
//! are read here explicitly, with a warning, never dropped.

use std::collections::BTreeMap;

use openapiv3::{
    AdditionalProperties, AnySchema, ReferenceOr, Schema, SchemaData, SchemaKind, StringFormat,
    Type, VariantOrUnknownOrEmpty,
};

use super::names::{self, NameSet};
use super::{unions, EnumVariant, Field, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Union};
use crate::load::LoadedSpec;
use crate::location::{Diagnostic, Location};

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// A normalized view of one schema, whether `openapiv3` typed it or left it as `AnySchema`.
pub enum Shape<'s> {
    String {
        format: Option<String>,
        /// Enum values; `None` stands for a `null` member.
        values: Vec<Option<String>>,
    },
    Integer {
        format: Option<String>,
    },
    Number {
        format: Option<String>,
    },
    Boolean,
    Array {
        items: Option<&'s ReferenceOr<Box<Schema>>>,
    },
    Object {
        properties: Vec<(&'s str, &'s ReferenceOr<Box<Schema>>)>,
        required: &'s [String],
        additional: Option<&'s AdditionalProperties>,
    },
    OneOf(&'s [ReferenceOr<Schema>]),
    AnyOf(&'s [ReferenceOr<Schema>]),
    /// Members, plus the schema's own properties when it also declares some.
    AllOf(&'s [ReferenceOr<Schema>], Option<&'s AnySchema>),
    /// Free-form JSON.
    Any,
}

fn format_of<T: std::fmt::Debug>(format: &VariantOrUnknownOrEmpty<T>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(item) => Some(format!("{item:?}").to_lowercase()),
        VariantOrUnknownOrEmpty::Unknown(other) => Some(other.to_lowercase()),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn string_format(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<String> {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("date-time".to_owned()),
        other => format_of(other),
    }
}

/// Enum members as strings: booleans and numbers inside string enums are spelled out.
fn json_enum_values(values: &[serde_json::Value]) -> Vec<Option<String>> {
    values
        .iter()
        .map(|v| match v {
            serde_json::Value::Null => None,
            serde_json::Value::String(s) => Some(s.clone()),
            other => Some(other.to_string()),
        })
        .collect()
}

/// What an `allOf` that stands for one of its members reduces to.
struct OneMember<'m> {
    /// `None` when every member only annotates: free-form JSON.
    member: Option<&'m ReferenceOr<Schema>>,
    /// A member that only annotates says `nullable: true`.
    nullable: bool,
}

/// An inline schema that describes no value, only annotates one (`description`,
/// `nullable`, `example`, ...).
fn annotation_only(member: &ReferenceOr<Schema>) -> bool {
    match member {
        ReferenceOr::Item(schema) => matches!(shape(schema, &mut |_| {}), Shape::Any),
        ReferenceOr::Reference { .. } => false,
    }
}

/// Reads a schema into a [`Shape`], reporting the `AnySchema` quirks it had to interpret.
pub fn shape<'s>(schema: &'s Schema, warn: &mut dyn FnMut(String)) -> Shape<'s> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => Shape::String {
            format: string_format(&s.format),
            values: s.enumeration.clone(),
        },
        SchemaKind::Type(Type::Integer(i)) => Shape::Integer {
            format: format_of(&i.format),
        },
        SchemaKind::Type(Type::Number(n)) => Shape::Number {
            format: format_of(&n.format),
        },
        SchemaKind::Type(Type::Boolean(_)) => Shape::Boolean,
        SchemaKind::Type(Type::Array(a)) => Shape::Array {
            items: a.items.as_ref(),
        },
        SchemaKind::Type(Type::Object(o)) => Shape::Object {
            properties: o.properties.iter().map(|(k, v)| (k.as_str(), v)).collect(),
            required: &o.required,
            additional: o.additional_properties.as_ref(),
        },
        SchemaKind::OneOf { one_of } if one_of.is_empty() => no_members("oneOf", warn),
        SchemaKind::AnyOf { any_of } if any_of.is_empty() => no_members("anyOf", warn),
        SchemaKind::OneOf { one_of } => Shape::OneOf(one_of),
        SchemaKind::AnyOf { any_of } => Shape::AnyOf(any_of),
        SchemaKind::AllOf { all_of } => Shape::AllOf(all_of, None),
        SchemaKind::Not { .. } => {
            warn("`not` cannot be expressed as a Rust type; accepted as free-form JSON".into());
            Shape::Any
        }
        SchemaKind::Any(any) => any_shape(any, warn),
    }
}

/// A union without members (JSON Schema requires at least one): nothing to choose from.
fn no_members<'s>(keyword: &str, warn: &mut dyn FnMut(String)) -> Shape<'s> {
    warn(format!(
        "`{keyword}` lists no members; accepted as free-form JSON"
    ));
    Shape::Any
}

fn any_shape<'s>(any: &'s AnySchema, warn: &mut dyn FnMut(String)) -> Shape<'s> {
    if !any.all_of.is_empty() {
        let own = (!any.properties.is_empty()).then_some(any);
        return Shape::AllOf(&any.all_of, own);
    }
    if !any.one_of.is_empty() {
        return Shape::OneOf(&any.one_of);
    }
    if !any.any_of.is_empty() {
        return Shape::AnyOf(&any.any_of);
    }
    let typ = any.typ.as_deref();
    match typ {
        Some("date-time") | Some("date") => {
            warn(format!(
                "`type: {}` is not an OpenAPI type; read as `type: string, format: {0}`",
                typ.unwrap_or_default()
            ));
            return Shape::String {
                format: typ.map(str::to_owned),
                values: Vec::new(),
            };
        }
        Some("string") | None if !any.enumeration.is_empty() => {
            if any
                .enumeration
                .iter()
                .any(|v| !(v.is_string() || v.is_null()))
            {
                warn("enum mixes value types; every value is read as a string".into());
            }
            return Shape::String {
                format: any.format.clone(),
                values: json_enum_values(&any.enumeration),
            };
        }
        Some("integer") => {
            return Shape::Integer {
                format: any.format.clone(),
            }
        }
        Some("number") => {
            return Shape::Number {
                format: any.format.clone(),
            }
        }
        Some("boolean") => return Shape::Boolean,
        Some("string") => {
            return Shape::String {
                format: any.format.clone(),
                values: Vec::new(),
            }
        }
        _ => {}
    }
    if typ == Some("object") && any.items.is_some() {
        warn("`items` next to `type: object` is ignored: the value is an object".into());
    }
    if typ == Some("array") || (typ.is_none() && any.items.is_some()) {
        return Shape::Array {
            items: any.items.as_ref(),
        };
    }
    if typ == Some("object") || !any.properties.is_empty() || any.additional_properties.is_some() {
        return Shape::Object {
            properties: any
                .properties
                .iter()
                .map(|(k, v)| (k.as_str(), v))
                .collect(),
            required: &any.required,
            additional: any.additional_properties.as_ref(),
        };
    }
    if let Some(other) = typ {
        warn(format!(
            "unknown `type: {other}`; accepted as free-form JSON"
        ));
    }
    Shape::Any
}

/// The result of converting a schema used in some position.
#[derive(Debug, Clone, PartialEq)]
pub struct Converted {
    pub ty: TypeRef,
    pub nullable: bool,
}

impl Converted {
    /// The type of an array item or map value: `Option<T>` when the schema allows `null`,
    /// so one `null` element does not lose the whole list.
    pub fn or_null(self) -> TypeRef {
        if self.nullable && self.ty != TypeRef::Json {
            TypeRef::Nullable(Box::new(self.ty))
        } else {
            self.ty
        }
    }
}

/// Builds all named types of one version; operations call [`TypeBuilder::convert`] for
/// their parameters and bodies.
pub struct TypeBuilder<'a> {
    spec: &'a LoadedSpec,
    component_names: BTreeMap<String, String>,
    type_names: NameSet,
    module_names: NameSet,
    types: BTreeMap<String, TypeDef>,
    /// Inline schemas already made types, by their place in the bundled document: one
    /// inline schema is one type, however many times it is reached (an `allOf` member's
    /// properties are reached again through every type that merges it).
    hoisted: std::collections::HashMap<*const Schema, String>,
    warnings: Vec<Diagnostic>,
}

impl<'a> TypeBuilder<'a> {
    pub fn new(spec: &'a LoadedSpec) -> Self {
        Self {
            spec,
            component_names: BTreeMap::new(),
            type_names: NameSet::new(),
            module_names: names::model_modules(),
            types: BTreeMap::new(),
            hoisted: std::collections::HashMap::new(),
            warnings: Vec::new(),
        }
    }

    fn components(&self) -> Option<&'a openapiv3::Components> {
        self.spec.openapi.components.as_ref()
    }

    /// Names and converts every component schema. Names are claimed in sorted order so a
    /// new schema never renames an existing one.
    pub fn add_components(&mut self) {
        let Some(components) = self.components() else {
            return;
        };
        let schemas = &components.schemas;
        let mut sorted: Vec<&String> = schemas.keys().collect();
        sorted.sort();
        for component in sorted {
            let rust = self.type_names.claim(&names::type_name(component));
            self.component_names.insert(component.clone(), rust);
        }
        for (component, schema) in schemas {
            let name = self.component_names[component].clone();
            let location = self.component_location(component);
            match schema {
                ReferenceOr::Reference { reference } => {
                    let target = self.reference(reference, &location);
                    let kind = TypeKind::Alias(target.ty);
                    let source = Source::component(component, &location, None);
                    self.insert(&name, source, None, false, kind);
                }
                ReferenceOr::Item(schema) => {
                    let source = Source::component(component, &location, Some(schema));
                    self.define(&name, source, schema);
                }
            }
        }
    }

    fn component_location(&self, component: &str) -> Location {
        match self.spec.schema_origins.get(component) {
            Some(origin) => origin.clone(),
            None => Location::new(self.spec.root_file.clone(), "")
                .child("components")
                .child("schemas")
                .child(component),
        }
    }

    pub fn warn(&mut self, location: &Location, message: impl Into<String>) {
        self.warnings
            .push(Diagnostic::new(location.clone(), message));
    }

    /// Resolves a component reference to its schema (following alias chains).
    pub fn resolve<'s>(&self, reference: &'s ReferenceOr<Schema>) -> Option<&'a Schema>
    where
        'a: 's,
    {
        let mut current = reference;
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(_) => return None,
                ReferenceOr::Reference { reference } => {
                    let name = reference.strip_prefix(COMPONENT_PREFIX)?;
                    match self.components()?.schemas.get(name)? {
                        ReferenceOr::Item(schema) => return Some(schema),
                        next @ ReferenceOr::Reference { .. } => current = next,
                    }
                }
            }
        }
        None
    }

    /// Resolves either form to a schema: inline items as they are, references followed.
    pub fn schema_of<'s>(&self, reference: &'s ReferenceOr<Schema>) -> Option<&'s Schema>
    where
        'a: 's,
    {
        match reference {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { .. } => self.resolve(reference),
        }
    }

    pub fn component_rust_name(&self, reference: &str) -> Option<&str> {
        let name = reference.strip_prefix(COMPONENT_PREFIX)?;
        self.component_names.get(name).map(String::as_str)
    }

    fn reference(&mut self, reference: &str, location: &Location) -> Converted {
        match self.component_rust_name(reference) {
            Some(name) => {
                let nullable = self
                    .resolve(&ReferenceOr::Reference {
                        reference: reference.to_owned(),
                    })
                    .is_some_and(|s| s.schema_data.nullable);
                Converted {
                    ty: TypeRef::Named(name.to_owned()),
                    nullable,
                }
            }
            None => {
                self.warn(
                    location,
                    format!("reference `{reference}` does not name a component schema; accepted as free-form JSON"),
                );
                Converted {
                    ty: TypeRef::Json,
                    nullable: false,
                }
            }
        }
    }

    /// Converts a schema in some position (boxed or not, as `openapiv3` stores it); inline
    /// named shapes are hoisted as `hint`.
    pub fn convert<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        location: &Location,
    ) -> Converted {
        match schema {
            ReferenceOr::Reference { reference } => self.reference(reference, location),
            ReferenceOr::Item(schema) => self.convert_inline(schema.borrow(), hint, location),
        }
    }

    fn shape_at<'s>(&mut self, schema: &'s Schema, location: &Location) -> Shape<'s> {
        let mut notes = Vec::new();
        let shape = shape(schema, &mut |m| notes.push(m));
        for note in notes {
            self.warn(location, note);
        }
        shape
    }

    fn convert_inline(&mut self, schema: &Schema, hint: &str, location: &Location) -> Converted {
        let data = &schema.schema_data;
        let shape = self.shape_at(schema, location);
        let mut nullable = data.nullable;
        let ty = match shape {
            Shape::String { format, values } => {
                if values.iter().any(Option::is_none) {
                    nullable = true;
                }
                if values.iter().any(Option::is_some) {
                    self.hoist(hint, schema, location)
                } else {
                    string_type(format.as_deref())
                }
            }
            Shape::Integer { format } => match format.as_deref() {
                Some("int32") => TypeRef::I32,
                None | Some("int64") => TypeRef::I64,
                Some(other) => {
                    self.warn(
                        location,
                        format!("integer format `{other}` is not one of OpenAPI's (int32, int64); read as a 64-bit integer"),
                    );
                    TypeRef::I64
                }
            },
            Shape::Number { format } => match format.as_deref() {
                Some("float") => TypeRef::F32,
                _ => TypeRef::F64,
            },
            Shape::Boolean => TypeRef::Bool,
            Shape::Array { items } => {
                let item = match items {
                    Some(items) => {
                        let item_hint = format!("{hint}Item");
                        self.convert(items, &item_hint, &location.child("items"))
                            .or_null()
                    }
                    None => TypeRef::Json,
                };
                TypeRef::Vec(Box::new(item))
            }
            Shape::Object {
                properties,
                additional,
                ..
            } if properties.is_empty() => self.map_type(additional, hint, location),
            Shape::Object { .. } => self.hoist(hint, schema, location),
            Shape::OneOf(members) | Shape::AnyOf(members) if members.len() == 1 => {
                let inner = self.convert(&members[0], hint, location);
                nullable |= inner.nullable;
                inner.ty
            }
            Shape::AllOf(members, None) => match self.stands_for_one(members) {
                Some(one) => {
                    nullable |= one.nullable;
                    match one.member {
                        Some(member) => {
                            let inner = self.convert(member, hint, location);
                            nullable |= inner.nullable;
                            inner.ty
                        }
                        None => TypeRef::Json,
                    }
                }
                None => self.hoist(hint, schema, location),
            },
            Shape::OneOf(_) | Shape::AnyOf(_) | Shape::AllOf(..) => {
                self.hoist(hint, schema, location)
            }
            Shape::Any => TypeRef::Json,
        };
        Converted { ty, nullable }
    }

    fn map_type(
        &mut self,
        additional: Option<&AdditionalProperties>,
        hint: &str,
        location: &Location,
    ) -> TypeRef {
        match additional {
            Some(AdditionalProperties::Schema(value)) => {
                let value_hint = format!("{hint}Value");
                let value =
                    self.convert(value, &value_hint, &location.child("additionalProperties"));
                TypeRef::Map(Box::new(value.or_null()))
            }
            _ => TypeRef::Json,
        }
    }

    /// Defines an inline schema as a new named type and returns a reference to it.
    /// Every schema converted lives in the spec the builder borrows, so its address names
    /// one place of the bundled document for as long as the builder lives. The name is
    /// recorded before the definition: a schema that reaches itself gets a reference to
    /// its own type.
    fn hoist(&mut self, hint: &str, schema: &Schema, location: &Location) -> TypeRef {
        let key = std::ptr::from_ref(schema);
        if let Some(name) = self.hoisted.get(&key) {
            return TypeRef::Named(name.clone());
        }
        let name = self.type_names.claim(&names::type_name(hint));
        self.hoisted.insert(key, name.clone());
        let source = Source {
            origin: hint.to_owned(),
            location: location.clone(),
            inline: true,
            title: schema.schema_data.title.clone(),
            example: schema.schema_data.example.clone(),
        };
        self.define(&name, source, schema);
        TypeRef::Named(name)
    }

    fn insert(
        &mut self,
        name: &str,
        source: Source,
        doc: Option<String>,
        deprecated: bool,
        kind: TypeKind,
    ) {
        let module = self.module_names.claim(&names::module_name(name));
        self.types.insert(
            name.to_owned(),
            TypeDef {
                name: name.to_owned(),
                module,
                origin: source.origin,
                location: source.location,
                inline: source.inline,
                title: source.title,
                example: source.example,
                shared_as: None,
                doc,
                deprecated,
                kind,
                default: false,
                used_by: std::collections::BTreeSet::new(),
                reached_from_unused: false,
            },
        );
    }

    /// Defines the named type `name` from `schema`.
    fn define(&mut self, name: &str, source: Source, schema: &Schema) {
        let location = &source.location.clone();
        let doc = doc_of(&schema.schema_data);
        let deprecated = schema.schema_data.deprecated;
        let kind = match self.shape_at(schema, location) {
            Shape::Object {
                properties,
                required,
                additional,
            } if !properties.is_empty() => {
                let mut own = MergedObject::default();
                own.add(properties.into_iter(), required, name, location);
                TypeKind::Struct(self.structure(
                    name,
                    &own.properties,
                    required,
                    additional,
                    location,
                ))
            }
            Shape::AllOf(members, own) => {
                let one = own
                    .is_none()
                    .then(|| self.stands_for_one(members))
                    .flatten()
                    .and_then(|one| one.member)
                    // An inline object stays this type, not an alias of a hoisted one.
                    .filter(|m| {
                        matches!(m, ReferenceOr::Reference { .. }) || self.all_scalar(&[m])
                    });
                match one {
                    Some(member) => {
                        TypeKind::Alias(self.convert(member, &format!("{name}Inner"), location).ty)
                    }
                    None => self.merged(name, schema, members, own, location),
                }
            }
            Shape::OneOf(members) | Shape::AnyOf(members) => {
                TypeKind::Union(self.union(name, schema, members, location))
            }
            Shape::String { values, .. } if values.iter().any(Option::is_some) => {
                TypeKind::Enum(self.string_enum(&values, location))
            }
            _ => TypeKind::Alias(
                self.convert_inline(schema, &format!("{name}Inner"), location)
                    .ty,
            ),
        };
        self.insert(name, source, doc, deprecated, kind);
    }

    fn structure(
        &mut self,
        parent: &str,
        properties: &[Property<'_>],
        required: &[String],
        additional: Option<&AdditionalProperties>,
        location: &Location,
    ) -> Struct {
        let keys: Vec<&str> = properties.iter().map(|p| p.key.as_str()).collect();
        let open = matches!(
            additional,
            Some(AdditionalProperties::Schema(_) | AdditionalProperties::Any(true))
        );
        let generated: &[&str] = if open {
            &[names::ADDITIONAL_FIELD]
        } else {
            &[]
        };
        let rust_names = names::field_names(&keys, generated);
        let mut fields = Vec::with_capacity(properties.len());
        for (property, rust_name) in properties.iter().zip(rust_names) {
            let (name, schema) = (&property.key, property.schema);
            let hint = format!("{}{}", property.owner, names::type_name(name));
            let converted = self.convert(schema, &hint, &property.location);
            let data = match schema {
                ReferenceOr::Item(s) => Some(&s.schema_data),
                ReferenceOr::Reference { .. } => None,
            };
            let schema_required = required.iter().any(|r| r == name);
            fields.push(Field {
                name: name.clone(),
                rust_name,
                ty: converted.ty,
                // A required readOnly (writeOnly) property is required in responses
                // (requests) only; one type serves both, so it must be optional.
                required: schema_required && !data.is_some_and(|d| d.read_only || d.write_only),
                schema_required,
                nullable: converted.nullable,
                boxed: false,
                deprecated: data.is_some_and(|d| d.deprecated),
                doc: property_doc(schema),
                ty_default: false,
            });
        }
        for missing in required.iter().filter(|r| !keys.contains(&r.as_str())) {
            self.warn(
                location,
                format!("`required` names `{missing}`, which is not a property; ignored"),
            );
        }
        let additional = match additional {
            Some(AdditionalProperties::Schema(value)) => {
                let hint = format!("{parent}Value");
                Some(
                    self.convert(value, &hint, &location.child("additionalProperties"))
                        .ty,
                )
            }
            // Said explicitly, `true` declares the object open: its other keys are kept,
            // not dropped, so a round trip loses nothing.
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            _ => None,
        };
        Struct { fields, additional }
    }

    /// `allOf`: every member's properties merged in order, `required` lists united. A
    /// member that is itself a union makes the whole type that union (the other members
    /// only add shared fields, which each variant already carries in these specs).
    fn merged(
        &mut self,
        name: &str,
        this: &Schema,
        members: &[ReferenceOr<Schema>],
        own: Option<&AnySchema>,
        location: &Location,
    ) -> TypeKind {
        let mut collected = MergedObject::default();
        let mut expanding = vec![std::ptr::from_ref(this)];
        for (index, member) in members.iter().enumerate() {
            let member_location = location.child("allOf").child(&index.to_string());
            let context = Member {
                union_name: name,
                owner: name,
                location: &member_location,
            };
            if let Some(kind) =
                self.collect_member(member, &context, &mut collected, &mut expanding)
            {
                return kind;
            }
        }
        if let Some(own) = own {
            collected.add(
                own.properties.iter().map(|(k, v)| (k.as_str(), v)),
                &own.required,
                name,
                location,
            );
        }
        TypeKind::Struct(self.structure(
            name,
            &collected.properties,
            &collected.required,
            None,
            location,
        ))
    }

    /// The one member an `allOf` (without properties of its own) stands for.
    /// `allOf: [$ref, {description: ..}]` is how specs attach docs or `nullable` to a
    /// reference: members that only annotate shape nothing. What is left must be one
    /// member, or scalar members that agree on one type (`$ref` to a string plus
    /// `type: string`); `None`: the members must be merged.
    fn stands_for_one<'m>(&self, members: &'m [ReferenceOr<Schema>]) -> Option<OneMember<'m>> {
        let (notes, shaping): (Vec<&ReferenceOr<Schema>>, Vec<&ReferenceOr<Schema>>) =
            members.iter().partition(|m| annotation_only(m));
        let nullable = notes.iter().any(|m| match m {
            ReferenceOr::Item(schema) => schema.schema_data.nullable,
            ReferenceOr::Reference { .. } => false,
        });
        (shaping.len() <= 1 || self.all_scalar(&shaping)).then(|| OneMember {
            member: shaping.first().copied(),
            nullable,
        })
    }

    /// Every `allOf` member is a scalar (string, number, integer, boolean).
    fn all_scalar(&self, members: &[&ReferenceOr<Schema>]) -> bool {
        !members.is_empty()
            && members.iter().all(|m| {
                self.schema_of(m).is_some_and(|s| {
                    matches!(
                        shape(s, &mut |_| {}),
                        Shape::String { .. }
                            | Shape::Integer { .. }
                            | Shape::Number { .. }
                            | Shape::Boolean
                    )
                })
            })
    }

    /// Gathers one `allOf` member's properties into `into`. `expanding` holds the schemas
    /// whose members are being gathered, outermost first: a member that is one of them
    /// (`A: {allOf: [$ref A]}`, or `A` and `B` through each other) adds nothing new and is
    /// skipped, where following it would never end.
    fn collect_member<'s>(
        &mut self,
        member: &'s ReferenceOr<Schema>,
        context: &Member<'_>,
        into: &mut MergedObject<'s>,
        expanding: &mut Vec<*const Schema>,
    ) -> Option<TypeKind>
    where
        'a: 's,
    {
        let (name, location) = (context.union_name, context.location);
        // A referenced member's properties belong to it: their inline shapes are named
        // after it and located where it is written (in another file, perhaps).
        let referenced = match member {
            ReferenceOr::Reference { reference } => reference
                .strip_prefix(COMPONENT_PREFIX)
                .map(|component| (self.component_location(component), reference.as_str())),
            ReferenceOr::Item(_) => None,
        };
        let owner = referenced
            .as_ref()
            .and_then(|(_, reference)| self.component_rust_name(reference))
            .unwrap_or(context.owner)
            .to_owned();
        let base = referenced.map_or_else(|| location.clone(), |(at, _)| at);
        let Some(schema) = self.schema_of(member) else {
            self.warn(location, "allOf member could not be resolved; skipped");
            return None;
        };
        if expanding.contains(&std::ptr::from_ref(schema)) {
            self.warn(
                location,
                "allOf member leads back to the schema it is part of; skipped",
            );
            return None;
        }
        let mut notes = Vec::new();
        let shape = shape(schema, &mut |m| notes.push(m));
        // A referenced member's quirks are reported where it is defined; an inline one
        // has no other place.
        if matches!(member, ReferenceOr::Item(_)) {
            for note in notes {
                self.warn(location, note);
            }
        }
        match shape {
            Shape::Object {
                properties,
                required,
                ..
            } => {
                into.add(properties.into_iter(), required, &owner, &base);
                None
            }
            Shape::AllOf(inner, own) => {
                expanding.push(std::ptr::from_ref(schema));
                for (i, m) in inner.iter().enumerate() {
                    let child = base.child("allOf").child(&i.to_string());
                    let inner_context = Member {
                        union_name: name,
                        owner: &owner,
                        location: &child,
                    };
                    if let Some(kind) = self.collect_member(m, &inner_context, into, expanding) {
                        expanding.pop();
                        return Some(kind);
                    }
                }
                expanding.pop();
                if let Some(own) = own {
                    into.add(
                        own.properties.iter().map(|(k, v)| (k.as_str(), v)),
                        &own.required,
                        &owner,
                        &base,
                    );
                }
                None
            }
            Shape::OneOf(variants) | Shape::AnyOf(variants) => {
                self.warn(
                    location,
                    "allOf combines a union with other members; generated as the union",
                );
                // A referenced union is that component's type, not a copy of it.
                Some(match member {
                    ReferenceOr::Reference { reference } => {
                        TypeKind::Alias(self.reference(reference, location).ty)
                    }
                    ReferenceOr::Item(_) => {
                        TypeKind::Union(self.union(name, schema, variants, location))
                    }
                })
            }
            Shape::Any => None,
            _ => {
                self.warn(location, "allOf member is not an object; skipped");
                None
            }
        }
    }

    fn union(
        &mut self,
        name: &str,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        location: &Location,
    ) -> Union {
        unions::build(self, name, schema, members, location)
    }

    fn string_enum(&mut self, values: &[Option<String>], location: &Location) -> StringEnum {
        let mut seen = std::collections::BTreeSet::new();
        let mut taken = NameSet::new();
        let mut variants = Vec::new();
        for value in values.iter().flatten() {
            if !seen.insert(value.clone()) {
                self.warn(
                    location,
                    format!("enum value `{value}` is listed twice; kept once"),
                );
                continue;
            }
            let wanted = if value.is_empty() {
                "Empty".to_owned()
            } else {
                names::variant_name(value)
            };
            variants.push(EnumVariant {
                value: value.clone(),
                rust_name: taken.claim(&wanted),
            });
        }
        let fallback = names::fallback_variant(&mut taken);
        StringEnum { variants, fallback }
    }

    /// Hands the finished types to the model after boxing recursive fields and working out
    /// which types can derive `Default`.
    pub fn finish(self) -> (BTreeMap<String, TypeDef>, Vec<Diagnostic>) {
        (self.types, self.warnings)
    }
}

/// Where a type comes from.
struct Source {
    /// The component name, or the hint an inline schema was named from.
    origin: String,
    location: Location,
    /// Hoisted from an inline schema (not a component).
    inline: bool,
    title: Option<String>,
    example: Option<serde_json::Value>,
}

impl Source {
    /// A component's source; `schema` is `None` for a component that is only a `$ref`.
    fn component(name: &str, location: &Location, schema: Option<&Schema>) -> Self {
        Source {
            origin: name.to_owned(),
            location: location.clone(),
            inline: false,
            title: schema.and_then(|s| s.schema_data.title.clone()),
            example: schema.and_then(|s| s.schema_data.example.clone()),
        }
    }
}

/// Where an `allOf` member sits: the type being built (which becomes the union if the
/// member is one), the type its inline properties are named after, and its location.
struct Member<'m> {
    union_name: &'m str,
    owner: &'m str,
    location: &'m Location,
}

/// One property of an object being built.
struct Property<'s> {
    key: String,
    schema: &'s ReferenceOr<Box<Schema>>,
    /// The type an inline shape in it is hoisted under (`{owner}{Key}`): the schema that
    /// declares the property, which for an inherited one is the `allOf` member.
    owner: String,
    /// Where the property's schema is written.
    location: Location,
}

/// Properties gathered from `allOf` members (or one object's own); later members
/// override earlier ones.
#[derive(Default)]
struct MergedObject<'s> {
    properties: Vec<Property<'s>>,
    required: Vec<String>,
}

impl<'s> MergedObject<'s> {
    /// Adds the `properties` of the object at `at`, declared by `owner`; a later
    /// property replaces an earlier one of the same key.
    fn add<'k>(
        &mut self,
        properties: impl Iterator<Item = (&'k str, &'s ReferenceOr<Box<Schema>>)>,
        required: &[String],
        owner: &str,
        at: &Location,
    ) {
        let properties_at = at.child("properties");
        for (key, schema) in properties {
            let property = Property {
                key: key.to_owned(),
                schema,
                owner: owner.to_owned(),
                location: properties_at.child(key),
            };
            match self.properties.iter_mut().find(|p| p.key == key) {
                Some(slot) => *slot = property,
                None => self.properties.push(property),
            }
        }
        for r in required {
            if !self.required.contains(r) {
                self.required.push(r.clone());
            }
        }
    }
}

fn string_type(format: Option<&str>) -> TypeRef {
    match format {
        Some("date-time") => TypeRef::DateTime,
        _ => TypeRef::String,
    }
}

/// A property's docs: its own, else those of an `allOf` member that only annotates (the
/// way specs attach a description to a reference).
fn property_doc(schema: &ReferenceOr<Box<Schema>>) -> Option<String> {
    let ReferenceOr::Item(schema) = schema else {
        return None;
    };
    doc_of(&schema.schema_data).or_else(|| {
        let members: &[ReferenceOr<Schema>] = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => all_of,
            SchemaKind::Any(any) => &any.all_of,
            _ => &[],
        };
        members
            .iter()
            .filter(|m| annotation_only(m))
            .find_map(|m| match m {
                ReferenceOr::Item(member) => doc_of(&member.schema_data),
                ReferenceOr::Reference { .. } => None,
            })
    })
}

/// Doc text for a schema: its description, else its title.
pub fn doc_of(data: &SchemaData) -> Option<String> {
    data.description
        .as_deref()
        .or(data.title.as_deref())
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map(str::to_owned)
}
