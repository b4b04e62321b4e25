//! `oneOf` / `anyOf` unions and how their variants are told apart.
//!
//! In order of preference: the `discriminator` (with or without `mapping`); a property
//! every member declares as a string enum, either with disjoint values per member or, as
//! the search documents' shared `_type` enum, with exactly one value naming each member;
//! and as the last resort no tag at all (variants are tried in spec order).

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema, SchemaKind};

use super::names::{self, NameSet};
use super::schema::{shape, Shape, TypeBuilder};
use super::{JsonKind, TypeRef, Union, UnionVariant};
use crate::location::Location;

struct Member {
    reference: Option<String>,
    ty: TypeRef,
    accepts: Option<JsonKind>,
    rust_name: String,
}

pub fn build(
    builder: &mut TypeBuilder<'_>,
    name: &str,
    schema: &Schema,
    members: &[ReferenceOr<Schema>],
    location: &Location,
) -> Union {
    let mut variant_names = NameSet::new();
    let listed_at = location.child(keyword(schema, members));
    let list: Vec<Member> = members
        .iter()
        .enumerate()
        .map(|(index, member)| {
            let member_location = listed_at.child(&index.to_string());
            let hint = inline_hint(name, member, index);
            let ty = builder.convert(member, &hint, &member_location).ty;
            let wanted = variant_name(&ty);
            let accepts = if ty == TypeRef::Json {
                json_kind(builder, member)
            } else {
                None
            };
            Member {
                accepts,
                reference: match member {
                    ReferenceOr::Reference { reference } => Some(reference.clone()),
                    ReferenceOr::Item(_) => None,
                },
                rust_name: variant_names.claim(&wanted),
                ty,
            }
        })
        .collect();
    let tagging = discriminator_tags(builder, schema, &list, location, &listed_at)
        .or_else(|| inferred_tags(builder, members, &list));
    let (tag, values) = match tagging {
        Some((tag, values)) => (Some(tag), values),
        None => (None, vec![Vec::new(); list.len()]),
    };
    let mut variants: Vec<UnionVariant> = list
        .into_iter()
        .zip(values)
        .map(|(member, tag_values)| UnionVariant {
            rust_name: member.rust_name,
            ty: member.ty,
            accepts: member.accepts,
            boxed: false,
            tag_values,
        })
        .collect();
    // Free-form JSON accepts anything: it goes last so a typed variant wins a tie.
    variants.sort_by_key(|v| v.ty == TypeRef::Json);
    Union {
        tag,
        variants,
        fallback: names::fallback_variant(&mut variant_names),
    }
}

/// The keyword of `schema` that lists `members` (`anyOf` or `oneOf`), for their locations.
fn keyword(schema: &Schema, members: &[ReferenceOr<Schema>]) -> &'static str {
    let any_of = match &schema.schema_kind {
        SchemaKind::AnyOf { any_of } => Some(any_of),
        SchemaKind::Any(any) => Some(&any.any_of),
        _ => None,
    };
    if any_of.is_some_and(|listed| std::ptr::eq(listed.as_slice(), members)) {
        "anyOf"
    } else {
        "oneOf"
    }
}

/// The kind of JSON a member's schema names by its `type`, if any.
fn json_kind(builder: &TypeBuilder<'_>, member: &ReferenceOr<Schema>) -> Option<JsonKind> {
    match shape(builder.schema_of(member)?, &mut |_| {}) {
        Shape::Object { .. } => Some(JsonKind::Object),
        Shape::Array { .. } => Some(JsonKind::Array),
        Shape::String { .. } => Some(JsonKind::String),
        Shape::Number { .. } => Some(JsonKind::Number),
        Shape::Integer { .. } => Some(JsonKind::Integer),
        Shape::Boolean => Some(JsonKind::Boolean),
        Shape::OneOf(_) | Shape::AnyOf(_) | Shape::AllOf(..) | Shape::Any => None,
    }
}

fn inline_hint(union: &str, member: &ReferenceOr<Schema>, index: usize) -> String {
    let title = match member {
        ReferenceOr::Item(schema) => schema.schema_data.title.clone(),
        ReferenceOr::Reference { .. } => None,
    };
    match title {
        Some(title) => format!("{union}{}", names::type_name(&title)),
        None => format!("{union}Variant{}", index + 1),
    }
}

fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String | TypeRef::DateTime | TypeRef::File => "String".to_owned(),
        TypeRef::Bool => "Boolean".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "Integer".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "Number".to_owned(),
        TypeRef::Json => "Json".to_owned(),
        TypeRef::Bytes => "Bytes".to_owned(),
        TypeRef::Vec(_) => "Array".to_owned(),
        TypeRef::Map(_) => "Map".to_owned(),
        TypeRef::Nullable(inner) => variant_name(inner),
    }
}

/// Tag values from an explicit `discriminator` (`listed_at`: where the members are
/// listed).
fn discriminator_tags(
    builder: &mut TypeBuilder<'_>,
    schema: &Schema,
    members: &[Member],
    location: &Location,
    listed_at: &Location,
) -> Option<(String, Vec<Vec<String>>)> {
    let discriminator = schema.schema_data.discriminator.as_ref()?;
    let mut values = vec![Vec::new(); members.len()];
    for (value, target) in &discriminator.mapping {
        match members.iter().position(|m| m.reference.as_deref() == Some(target.as_str())) {
            Some(index) => values[index].push(value.clone()),
            None => builder.warn(
                location,
                format!("discriminator value `{value}` maps to `{target}`, which is not a member; values outside the members decode as the fallback variant"),
            ),
        }
    }
    // Members without a mapping entry are selected by their component name (OpenAPI rule).
    for (member, member_values) in members.iter().zip(values.iter_mut()) {
        if member_values.is_empty() {
            if let Some(component) = member
                .reference
                .as_deref()
                .and_then(|r| r.rsplit('/').next())
            {
                member_values.push(component.to_owned());
            }
        }
    }
    // An inline member without a mapping entry has no value that selects it: dispatching
    // on the tag would send all of its payloads to the fallback.
    if let Some(index) = values.iter().position(Vec::is_empty) {
        builder.warn(
            &listed_at.child(&index.to_string()),
            format!(
                "discriminator `{}` has no value for this inline member (no mapping entry, no component name); the members are told apart by their content",
                discriminator.property_name
            ),
        );
        return None;
    }
    Some((discriminator.property_name.clone(), values))
}

/// Looks for a property that tells the members apart without a `discriminator`.
fn inferred_tags(
    builder: &TypeBuilder<'_>,
    members: &[ReferenceOr<Schema>],
    list: &[Member],
) -> Option<(String, Vec<Vec<String>>)> {
    let enums: Vec<Vec<(String, Vec<String>)>> = members
        .iter()
        .map(|m| enum_properties(builder, m))
        .collect::<Option<_>>()?;
    let first = enums.first()?;
    for (property, _) in first {
        let per_member: Option<Vec<&Vec<String>>> = enums
            .iter()
            .map(|props| props.iter().find(|(p, _)| p == property).map(|(_, v)| v))
            .collect();
        let Some(per_member) = per_member else {
            continue;
        };
        if let Some(values) = disjoint(&per_member) {
            return Some((property.clone(), values));
        }
        if let Some(values) = named_after_members(&per_member, list) {
            return Some((property.clone(), values));
        }
    }
    None
}

/// Each member allows its own values only.
fn disjoint(per_member: &[&Vec<String>]) -> Option<Vec<Vec<String>>> {
    let mut seen = BTreeSet::new();
    for values in per_member {
        for value in values.iter() {
            if !seen.insert(value) {
                return None;
            }
        }
    }
    Some(per_member.iter().map(|v| (*v).clone()).collect())
}

/// Every member shares one enum whose values each name exactly one member
/// (`accessprofile` -> `AccessProfileDocuments`); the longest matching value wins.
fn named_after_members(per_member: &[&Vec<String>], list: &[Member]) -> Option<Vec<Vec<String>>> {
    let mut chosen = BTreeSet::new();
    let mut out = Vec::with_capacity(list.len());
    for (values, member) in per_member.iter().zip(list) {
        let member_key = squash(member.ty.named()?);
        let best = values
            .iter()
            .filter(|v| !squash(v).is_empty() && member_key.contains(&squash(v)))
            .max_by_key(|v| squash(v).len())?;
        if !chosen.insert(best.clone()) {
            return None;
        }
        out.push(vec![best.clone()]);
    }
    Some(out)
}

fn squash(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The string-enum properties of an object member (through `allOf`), in declaration order.
fn enum_properties(
    builder: &TypeBuilder<'_>,
    member: &ReferenceOr<Schema>,
) -> Option<Vec<(String, Vec<String>)>> {
    let schema = builder.schema_of(member)?;
    let mut out = Vec::new();
    collect_enum_properties(builder, schema, &mut out, 0);
    Some(out)
}

fn collect_enum_properties(
    builder: &TypeBuilder<'_>,
    schema: &Schema,
    out: &mut Vec<(String, Vec<String>)>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    match shape(schema, &mut |_| {}) {
        Shape::Object { properties, .. } => {
            for (name, property) in properties {
                let values = property_enum(builder, property);
                if let Some(values) = values {
                    out.retain(|(p, _)| p != name);
                    out.push((name.to_owned(), values));
                }
            }
        }
        Shape::AllOf(members, own) => {
            for member in members {
                if let Some(inner) = builder.schema_of(member) {
                    collect_enum_properties(builder, inner, out, depth + 1);
                }
            }
            if let Some(own) = own {
                for (name, property) in &own.properties {
                    if let Some(values) = property_enum(builder, property) {
                        out.retain(|(p, _)| p != name);
                        out.push((name.clone(), values));
                    }
                }
            }
        }
        _ => {}
    }
}

fn property_enum(
    builder: &TypeBuilder<'_>,
    property: &ReferenceOr<Box<Schema>>,
) -> Option<Vec<String>> {
    let schema: &Schema = match property {
        ReferenceOr::Item(schema) => schema,
        ReferenceOr::Reference { reference } => builder.resolve(&ReferenceOr::Reference {
            reference: reference.clone(),
        })?,
    };
    match shape(schema, &mut |_| {}) {
        Shape::String { values, .. } if !values.is_empty() => {
            Some(values.into_iter().flatten().collect())
        }
        _ => None,
    }
}
