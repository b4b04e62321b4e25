//! Model types: added, removed and renamed types, and for each type on both sides its kind,
//! `Default`, cargo features, docs, and members (struct fields, enum values, union
//! variants, alias targets).

use std::collections::BTreeSet;

use super::{date_time_note, deprecation, text_change, type_item, Ctx, Group, Rule, Side};
use crate::location::Location;
use crate::model::{
    Field, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Union, UnionVariant, ADDITIONAL_FIELD,
};
use crate::render::OTHER_MODELS_FEATURE;

pub(super) fn compare(ctx: &mut Ctx<'_>) {
    let (old, new) = (ctx.old, ctx.new);
    let renamed_to: BTreeSet<String> = ctx.renames.values().cloned().collect();
    for (name, o) in &old.types {
        let renamed = ctx.renames.get(name).and_then(|to| new.types.get(to));
        match (new.types.get(name), renamed) {
            // One shared type re-exported on both sides: its changes are the shared
            // crate's, reported there once.
            (Some(n), _) if o.shared_as.is_some() && o.shared_as == n.shared_as => {}
            (Some(n), _) => compare_type(ctx, o, n),
            (None, Some(n)) => {
                type_renamed(ctx, o, n);
                compare_type(ctx, o, n);
            }
            (None, None) => type_one_side(ctx, Rule::TypeRemoved, Side::Old, o),
        }
    }
    for (name, n) in &new.types {
        if !old.types.contains_key(name) && !renamed_to.contains(name) {
            type_one_side(ctx, Rule::TypeAdded, Side::New, n);
        }
    }
}

fn type_renamed(ctx: &mut Ctx<'_>, o: &TypeDef, n: &TypeDef) {
    let group = ctx.type_group(Side::New, &n.name);
    let items = (
        type_item(ctx.old, &o.name, None),
        type_item(ctx.new, &n.name, None),
    );
    let message = format!("type `{}` is now `{}` (same shape)", o.name, n.name);
    let at = (Side::New, &n.location);
    ctx.record_move(Rule::TypeRenamed, &group, items, at, message);
}

/// A type on one side only: added (new side) or removed (old side).
fn type_one_side(ctx: &mut Ctx<'_>, rule: Rule, side: Side, def: &TypeDef) {
    let group = ctx.type_group(side, &def.name);
    let verb = if side == Side::New {
        "added"
    } else {
        "removed"
    };
    let message = format!("type `{}` ({}) {verb}", def.name, kind_name(&def.kind));
    let item = type_item(ctx.api(side), &def.name, None);
    ctx.record(rule, &group, item, (side, &def.location), message);
}

/// The kind with its article: `a struct`, `an enum`.
fn a_kind(kind: &TypeKind) -> String {
    let name = kind_name(kind);
    let article = if name.starts_with(['a', 'e']) {
        "an"
    } else {
        "a"
    };
    format!("{article} {name}")
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Union(_) => "union",
        TypeKind::Alias(_) => "alias",
        TypeKind::Newtype(_) => "newtype struct",
    }
}

/// A type on both sides (under the same name, or renamed).
struct TypePair<'a> {
    old: &'a TypeDef,
    new: &'a TypeDef,
    group: Group,
}

impl TypePair<'_> {
    fn item(&self, ctx: &Ctx<'_>, side: Side, member: Option<&str>) -> String {
        match side {
            Side::Old => type_item(ctx.old, &self.old.name, member),
            Side::New => type_item(ctx.new, &self.new.name, member),
        }
    }

    /// Users build values of the type to send them (in the old version: what existing code
    /// does decides whether it breaks).
    fn built_by_users(&self, ctx: &Ctx<'_>) -> bool {
        ctx.old_roles.is_request(&self.old.name)
    }

    /// The service sends values of the type.
    fn sent_by_service(&self, ctx: &Ctx<'_>) -> bool {
        ctx.new_roles.is_response(&self.new.name)
    }

    fn record(
        &self,
        ctx: &mut Ctx<'_>,
        rule: Rule,
        side: Side,
        member: Option<&str>,
        at: &Location,
        message: String,
    ) {
        let item = self.item(ctx, side, member);
        ctx.record(rule, &self.group, item, (side, at), message);
    }
}

fn compare_type(ctx: &mut Ctx<'_>, o: &TypeDef, n: &TypeDef) {
    let pair = TypePair {
        old: o,
        new: n,
        group: ctx.type_group(Side::New, &n.name),
    };
    let name = &n.name;
    let change = match (&o.kind, &n.kind) {
        (TypeKind::Struct(a), TypeKind::Struct(b)) => {
            structs(ctx, &pair, a, b);
            None
        }
        (TypeKind::Enum(a), TypeKind::Enum(b)) => {
            enums(ctx, &pair, a, b);
            None
        }
        (TypeKind::Union(a), TypeKind::Union(b)) => {
            unions(ctx, &pair, a, b);
            None
        }
        (TypeKind::Alias(a), TypeKind::Alias(b)) => (!ctx.same_type(a, b)).then(|| {
            let message = format!("`type {name} = {}` is now `= {}`", a.rust(), b.rust());
            (Rule::AliasRetyped, message)
        }),
        (TypeKind::Newtype(a), TypeKind::Newtype(b)) => {
            (!ctx.same_type(&a.value, &b.value)).then(|| {
                let (a, b) = (a.value.rust(), b.value.rust());
                let message = format!("`struct {name}({a})` is now `({b})`");
                (Rule::AliasRetyped, message)
            })
        }
        (a, b) => {
            let message = format!("`{name}` was {}, is now {}", a_kind(a), a_kind(b));
            Some((Rule::TypeKindChanged, message))
        }
    };
    if let Some((rule, message)) = change {
        pair.record(ctx, rule, Side::New, None, &n.location, message);
    }
    // Another kind of item has other traits anyway: the kind change says it all.
    if std::mem::discriminant(&o.kind) == std::mem::discriminant(&n.kind) {
        default_trait(ctx, &pair);
    }
    features_changed(ctx, &pair);
    type_docs(ctx, &pair);
}

fn features(def: &TypeDef) -> BTreeSet<&str> {
    def.used_by
        .iter()
        .map(String::as_str)
        .chain(def.reached_from_unused.then_some(OTHER_MODELS_FEATURE))
        .collect()
}

fn default_trait(ctx: &mut Ctx<'_>, pair: &TypePair<'_>) {
    let (o, n) = (pair.old, pair.new);
    if o.default != n.default {
        let (rule, what) = if n.default {
            (Rule::TypeDefaultAdded, "now implements")
        } else {
            (Rule::TypeDefaultRemoved, "no longer implements")
        };
        let message = format!("`{}` {what} `Default`", n.name);
        pair.record(ctx, rule, Side::New, None, &n.location, message);
    }
}

fn features_changed(ctx: &mut Ctx<'_>, pair: &TypePair<'_>) {
    let (o, n) = (pair.old, pair.new);
    let name = &n.name;
    let (before, after) = (features(o), features(n));
    let list = |set: Vec<&&str>| {
        set.iter()
            .map(|f| format!("`{f}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let dropped: Vec<&&str> = before.difference(&after).collect();
    if !dropped.is_empty() {
        let message = format!(
            "`{name}` no longer compiles with feature {} alone",
            list(dropped)
        );
        pair.record(
            ctx,
            Rule::TypeFeaturesNarrowed,
            Side::New,
            None,
            &n.location,
            message,
        );
    }
    let gained: Vec<&&str> = after.difference(&before).collect();
    if !gained.is_empty() {
        let message = format!("`{name}` now also compiles with feature {}", list(gained));
        pair.record(
            ctx,
            Rule::TypeFeaturesWidened,
            Side::New,
            None,
            &n.location,
            message,
        );
    }
}

fn type_docs(ctx: &mut Ctx<'_>, pair: &TypePair<'_>) {
    let (o, n) = (pair.old, pair.new);
    let marks = Marks {
        deprecated: (o.deprecated, n.deprecated),
        doc: (o.doc.as_deref(), n.doc.as_deref()),
        rules: [
            Rule::TypeDeprecated,
            Rule::TypeUndeprecated,
            Rule::TypeDocsChanged,
        ],
    };
    marks.record(ctx, pair, None, &n.location, &format!("`{}`", n.name));
}

/// The `deprecated` flag and the description of a type or field, on both sides.
struct Marks<'d> {
    deprecated: (bool, bool),
    doc: (Option<&'d str>, Option<&'d str>),
    /// Deprecated, no longer deprecated, description changed.
    rules: [Rule; 3],
}

impl Marks<'_> {
    /// Records what changed of both; `what` names the item in messages.
    fn record(
        &self,
        ctx: &mut Ctx<'_>,
        pair: &TypePair<'_>,
        member: Option<&str>,
        at: &Location,
        what: &str,
    ) {
        let [deprecated, undeprecated, docs] = self.rules;
        let (old, new) = self.deprecated;
        if let Some((rule, how)) = deprecation(old, new, (deprecated, undeprecated)) {
            pair.record(ctx, rule, Side::New, member, at, format!("{what} {how}"));
        }
        if let Some(how) = text_change(self.doc.0, self.doc.1) {
            let message = format!("{what}: description {how}");
            pair.record(ctx, docs, Side::New, member, at, message);
        }
    }
}

fn field_location(def: &TypeDef, json_name: &str) -> Location {
    def.location.child("properties").child(json_name)
}

/// The field's Rust type as declared.
fn field_type(ty: &TypeRef, field: &Field) -> String {
    let mut text = ty.rust();
    if field.boxed {
        text = format!("Box<{text}>");
    }
    if field.optional() {
        text = format!("Option<{text}>");
    }
    text
}

fn structs(ctx: &mut Ctx<'_>, pair: &TypePair<'_>, a: &Struct, b: &Struct) {
    for of in &a.fields {
        match b.fields.iter().find(|f| f.name == of.name) {
            Some(nf) => field_changed(ctx, pair, of, nf),
            None => {
                let at = field_location(pair.old, &of.name);
                let message = format!(
                    "field `{}: {}` removed",
                    of.rust_name,
                    field_type(&of.ty, of)
                );
                pair.record(
                    ctx,
                    Rule::FieldRemoved,
                    Side::Old,
                    Some(&of.rust_name),
                    &at,
                    message,
                );
            }
        }
    }
    for nf in b
        .fields
        .iter()
        .filter(|nf| !a.fields.iter().any(|of| of.name == nf.name))
    {
        let at = field_location(pair.new, &nf.name);
        let decl = format!("`{}: {}`", nf.rust_name, field_type(&nf.ty, nf));
        field_added(ctx, pair, &nf.rust_name, Some(nf.required), &decl, &at);
    }
    additional(ctx, pair, a.additional.as_ref(), b.additional.as_ref());
}

/// A new field: breaking where users build the type (struct literals), not where they only
/// read it. `required` is the property's (none for `additional_properties`).
fn field_added(
    ctx: &mut Ctx<'_>,
    pair: &TypePair<'_>,
    rust_name: &str,
    required: Option<bool>,
    decl: &str,
    at: &Location,
) {
    let request = pair.built_by_users(ctx);
    let rule = match (request, required) {
        (true, Some(true)) => Rule::RequestFieldAddedRequired,
        (true, _) => Rule::RequestFieldAddedOptional,
        (false, _) => Rule::ResponseFieldAdded,
    };
    let role = if request {
        "a request type"
    } else {
        "a response type"
    };
    let note = match required {
        Some(true) => format!("required, in {role}"),
        Some(false) => format!("optional, in {role}"),
        None => format!("in {role}"),
    };
    let message = format!("field {decl} added ({note})");
    pair.record(ctx, rule, Side::New, Some(rust_name), at, message);
}

fn field_changed(ctx: &mut Ctx<'_>, pair: &TypePair<'_>, of: &Field, nf: &Field) {
    let at = field_location(pair.new, &nf.name);
    let member = Some(nf.rust_name.as_str());
    let after = field_type(&nf.ty, nf);
    let shown = |ty: &str| format!("`{}: {ty}`", nf.rust_name);
    let retyped = !ctx.same_type(&of.ty, &nf.ty) || of.boxed != nf.boxed;
    let presence = if retyped {
        Some(Rule::FieldRetyped)
    } else if of.optional() && !nf.optional() {
        Some(Rule::FieldMadeRequired)
    } else if !of.optional() && nf.optional() && nf.nullable && !of.nullable {
        Some(Rule::FieldMadeNullable)
    } else if !of.optional() && nf.optional() {
        Some(Rule::FieldMadeOptional)
    } else if (of.required, of.nullable) != (nf.required, nf.nullable) {
        Some(Rule::FieldPresenceChanged)
    } else {
        None
    };
    if let Some(rule) = presence {
        let message = if rule == Rule::FieldPresenceChanged {
            format!(
                "field `{}` is now {} and {} on the wire; it stays `{after}`",
                nf.rust_name,
                if nf.required { "required" } else { "optional" },
                if nf.nullable {
                    "nullable"
                } else {
                    "not nullable"
                },
            )
        } else {
            format!(
                "field {} is now {}{}",
                shown(&field_type(&of.ty, of)),
                shown(&after),
                date_time_note(&of.ty, &nf.ty)
            )
        };
        pair.record(ctx, rule, Side::New, member, &at, message);
    }
    if of.rust_name != nf.rust_name {
        let message = format!(
            "property `{}`: field `{}` is now `{}`",
            nf.name, of.rust_name, nf.rust_name
        );
        pair.record(ctx, Rule::FieldRenamed, Side::New, member, &at, message);
    }
    let marks = Marks {
        deprecated: (of.deprecated, nf.deprecated),
        doc: (of.doc.as_deref(), nf.doc.as_deref()),
        rules: [
            Rule::FieldDeprecated,
            Rule::FieldUndeprecated,
            Rule::FieldDocsChanged,
        ],
    };
    marks.record(ctx, pair, member, &at, &format!("field `{}`", nf.rust_name));
}

/// `additionalProperties` with a schema is a field `additional_properties: BTreeMap<..>`.
fn additional(ctx: &mut Ctx<'_>, pair: &TypePair<'_>, a: Option<&TypeRef>, b: Option<&TypeRef>) {
    let map = |ty: &TypeRef| format!("`{ADDITIONAL_FIELD}: BTreeMap<String, {}>`", ty.rust());
    let member = Some(ADDITIONAL_FIELD);
    match (a, b) {
        (None, Some(nt)) => {
            let at = pair.new.location.child("additionalProperties");
            field_added(ctx, pair, ADDITIONAL_FIELD, None, &map(nt), &at);
        }
        (Some(ot), None) => {
            let at = pair.old.location.child("additionalProperties");
            pair.record(
                ctx,
                Rule::FieldRemoved,
                Side::Old,
                member,
                &at,
                format!("field {} removed", map(ot)),
            );
        }
        (Some(ot), Some(nt)) if !ctx.same_type(ot, nt) => {
            let at = pair.new.location.child("additionalProperties");
            let message = format!("field {} is now {}", map(ot), map(nt));
            pair.record(ctx, Rule::FieldRetyped, Side::New, member, &at, message);
        }
        _ => {}
    }
}

fn enums(ctx: &mut Ctx<'_>, pair: &TypePair<'_>, a: &StringEnum, b: &StringEnum) {
    let at = &pair.new.location;
    for ov in &a.variants {
        match b.variants.iter().find(|v| v.value == ov.value) {
            None => {
                let message = format!("value `{}` (variant `{}`) removed", ov.value, ov.rust_name);
                pair.record(
                    ctx,
                    Rule::EnumValueRemoved,
                    Side::Old,
                    Some(&ov.rust_name),
                    &pair.old.location,
                    message,
                );
            }
            Some(nv) if nv.rust_name != ov.rust_name => {
                let message = format!(
                    "value `{}`: variant `{}` is now `{}`",
                    nv.value, ov.rust_name, nv.rust_name
                );
                pair.record(
                    ctx,
                    Rule::EnumVariantRenamed,
                    Side::New,
                    Some(&nv.rust_name),
                    at,
                    message,
                );
            }
            Some(_) => {}
        }
    }
    let rule = if pair.sent_by_service(ctx) {
        Rule::ResponseEnumValueAdded
    } else {
        Rule::RequestEnumValueAdded
    };
    for nv in b
        .variants
        .iter()
        .filter(|nv| !a.variants.iter().any(|ov| ov.value == nv.value))
    {
        let message = format!("value `{}` added (variant `{}`)", nv.value, nv.rust_name);
        pair.record(ctx, rule, Side::New, Some(&nv.rust_name), at, message);
    }
    if a.fallback != b.fallback {
        let message = format!(
            "fallback variant `{}(String)` is now `{}(String)`",
            a.fallback, b.fallback
        );
        pair.record(
            ctx,
            Rule::EnumFallbackRenamed,
            Side::New,
            Some(&b.fallback),
            at,
            message,
        );
    }
}

fn unions(ctx: &mut Ctx<'_>, pair: &TypePair<'_>, a: &Union, b: &Union) {
    let at = &pair.new.location;
    let held = |v: &UnionVariant| {
        let ty = v.ty.rust();
        if v.boxed {
            format!("Box<{ty}>")
        } else {
            ty
        }
    };
    let mut matched: BTreeSet<&str> = BTreeSet::new();
    for ov in &a.variants {
        // By variant name first, then by the type held (a variant named after a type that
        // was renamed).
        let by_name = b.variants.iter().find(|v| v.rust_name == ov.rust_name);
        let by_type = || {
            b.variants.iter().find(|v| {
                ctx.same_type(&ov.ty, &v.ty)
                    && !a.variants.iter().any(|o| o.rust_name == v.rust_name)
            })
        };
        let Some(nv) = by_name.or_else(by_type) else {
            let message = format!("variant `{}({})` removed", ov.rust_name, held(ov));
            pair.record(
                ctx,
                Rule::UnionVariantRemoved,
                Side::Old,
                Some(&ov.rust_name),
                &pair.old.location,
                message,
            );
            continue;
        };
        matched.insert(&nv.rust_name);
        let member = Some(nv.rust_name.as_str());
        if nv.rust_name != ov.rust_name {
            let message = format!(
                "variant `{}({})` is now `{}({})`",
                ov.rust_name,
                held(ov),
                nv.rust_name,
                held(nv)
            );
            pair.record(
                ctx,
                Rule::UnionVariantRenamed,
                Side::New,
                member,
                at,
                message,
            );
        } else if !ctx.same_type(&ov.ty, &nv.ty) || ov.boxed != nv.boxed {
            let message = format!(
                "variant `{}` held `{}`, now `{}`",
                nv.rust_name,
                held(ov),
                held(nv)
            );
            pair.record(
                ctx,
                Rule::UnionVariantRetyped,
                Side::New,
                member,
                at,
                message,
            );
        }
        if ov.tag_values != nv.tag_values {
            let message = format!(
                "variant `{}` is chosen by discriminator values [{}], was [{}]",
                nv.rust_name,
                nv.tag_values.join(", "),
                ov.tag_values.join(", ")
            );
            pair.record(
                ctx,
                Rule::UnionDiscriminatorChanged,
                Side::New,
                member,
                at,
                message,
            );
        }
    }
    let rule = if pair.sent_by_service(ctx) {
        Rule::ResponseUnionVariantAdded
    } else {
        Rule::RequestUnionVariantAdded
    };
    for nv in b
        .variants
        .iter()
        .filter(|v| !matched.contains(v.rust_name.as_str()))
    {
        let message = format!("variant `{}({})` added", nv.rust_name, held(nv));
        pair.record(ctx, rule, Side::New, Some(&nv.rust_name), at, message);
    }
    if a.tag != b.tag {
        let show = |t: &Option<String>| t.as_ref().map_or("none".to_owned(), |t| format!("`{t}`"));
        let message = format!(
            "discriminator property {} is now {}",
            show(&a.tag),
            show(&b.tag)
        );
        pair.record(
            ctx,
            Rule::UnionDiscriminatorChanged,
            Side::New,
            None,
            at,
            message,
        );
    }
    if a.fallback != b.fallback {
        let message = format!("fallback variant `{}` is now `{}`", a.fallback, b.fallback);
        pair.record(
            ctx,
            Rule::UnionFallbackRenamed,
            Side::New,
            Some(&b.fallback),
            at,
            message,
        );
    }
}
