//! One Rust file per named type: structs, string enums with an `Unknown` fallback, unions
//! with a tag-driven `Deserialize`, and aliases.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{doc, ident, inline, TypeCtx};
use crate::model::{
    Field, JsonKind, Newtype, StringEnum, Struct, TypeDef, TypeKind, Union, UnionVariant,
    ADDITIONAL_FIELD,
};

/// The items of one model file.
pub fn model(def: &TypeDef) -> TokenStream {
    let ctx = TypeCtx::in_models();
    let docs = type_doc(def);
    match &def.kind {
        TypeKind::Struct(s) => structure(def, s, &ctx, docs),
        TypeKind::Enum(e) => string_enum(def, e, docs),
        TypeKind::Union(u) => union(def, u, &ctx, docs),
        TypeKind::Alias(target) => {
            let name = ident(&def.name);
            let target = ctx.ty(target);
            quote! {
                #docs
                pub type #name = #target;
            }
        }
        TypeKind::Newtype(n) => newtype(def, n, &ctx, docs),
    }
}

/// A newtype struct: the JSON is the value itself.
fn newtype(def: &TypeDef, n: &Newtype, ctx: &TypeCtx, docs: TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let mut value = ctx.ty(&n.value);
    if n.boxed {
        value = quote! { Box<#value> };
    }
    let default = def.default.then(|| quote! { Default, });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct #name(pub #value);
    }
}

fn type_doc(def: &TypeDef) -> TokenStream {
    let mut text = def
        .doc
        .clone()
        .unwrap_or_else(|| format!("`{}`", def.origin));
    if def.deprecated {
        text.push_str("\n\nDeprecated in the API.");
    }
    doc(Some(&text))
}

fn field_type(field: &Field, ctx: &TypeCtx) -> TokenStream {
    let mut ty = ctx.ty(&field.ty);
    if field.boxed {
        ty = quote! { Box<#ty> };
    }
    if field.optional() {
        ty = quote! { Option<#ty> };
    }
    ty
}

/// serde attributes for serializing: the JSON name, and absent `None`s. (Decoding is the
/// generated `Deserialize` impl, see [`deserialize_struct`].)
fn field_serde(field: &Field) -> TokenStream {
    let mut parts = Vec::new();
    if field.rust_name != field.name {
        let name = &field.name;
        parts.push(quote! { rename = #name });
    }
    if field.optional() && !field.required {
        parts.push(quote! { skip_serializing_if = "Option::is_none" });
    }
    if parts.is_empty() {
        TokenStream::new()
    } else {
        quote! { #[serde(#(#parts),*)] }
    }
}

fn structure(def: &TypeDef, s: &Struct, ctx: &TypeCtx, docs: TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let fields = s.fields.iter().map(|field| {
        let mut text = field.doc.clone().unwrap_or_default();
        if field.deprecated {
            text.push_str(if text.is_empty() {
                "Deprecated in the API."
            } else {
                "\n\nDeprecated in the API."
            });
        }
        let field_doc = doc(Some(&text));
        let serde = field_serde(field);
        let field_name = ident(&field.rust_name);
        let ty = field_type(field, ctx);
        quote! {
            #field_doc
            #serde
            pub #field_name: #ty,
        }
    });
    let additional = s.additional.as_ref().map(|value| {
        let value = ctx.ty(value);
        let field = ident(ADDITIONAL_FIELD);
        quote! {
            /// Properties beyond the declared ones.
            #[serde(flatten)]
            pub #field: std::collections::BTreeMap<String, #value>,
        }
    });
    let default = def.default.then(|| quote! { Default, });
    let deserialize = deserialize_struct(def, s);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize)]
        pub struct #name {
            #(#fields)*
            #additional
        }

        #deserialize
    }
}

/// `Deserialize` through `runtime::Fields`: one call per field with the lenient rules
/// (optional fields never fail, `null` in a required defaultable field is its default;
/// strict decoding and union trials are stricter, see the runtime's `lenient` module).
/// It compiles several times faster than serde's derive with per-field wrappers.
fn deserialize_struct(def: &TypeDef, s: &Struct) -> TokenStream {
    let name = ident(&def.name);
    let type_name = &def.name;
    let inits = s.fields.iter().map(|field| {
        let rust = ident(&field.rust_name);
        let json = &field.name;
        let call = if !field.optional() {
            if field.ty_default && !field.boxed {
                quote! { fields.required_or_default(#json)? }
            } else {
                quote! { fields.required(#json)? }
            }
        } else if field.schema_required {
            quote! { fields.expected(#json)? }
        } else {
            quote! { fields.optional(#json)? }
        };
        quote! { #rust: #call, }
    });
    let rest = s.additional.as_ref().map(|_| {
        let field = ident(ADDITIONAL_FIELD);
        quote! { #field: fields.rest()?, }
    });
    let binding = if s.fields.is_empty() && s.additional.is_none() {
        quote! { fields }
    } else {
        quote! { mut fields }
    };
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let #binding = crate::runtime::Fields::new(deserializer, #type_name)?;
                let value = Self {
                    #(#inits)*
                    #rest
                };
                fields.finish()?;
                Ok(value)
            }
        }
    }
}

fn string_enum(def: &TypeDef, e: &StringEnum, docs: TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let fallback = ident(&e.fallback);
    let variants = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value_doc = format!(" `{}`", inline(&v.value));
        quote! { #[doc = #value_doc] #variant, }
    });
    let to_str = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = &v.value;
        quote! { Self::#variant => #value, }
    });
    let from_str = e.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let value = &v.value;
        quote! { #value => Self::#variant, }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this client does not know; kept as received.
            #fallback(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::#fallback(value) => value,
                }
            }
        }

        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::#fallback(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                let decoded = Self::from(value.as_ref());
                if let Self::#fallback(_) = decoded {
                    crate::runtime::note_fallback();
                }
                Ok(decoded)
            }
        }
    }
}

fn variant_type(variant: &UnionVariant, ctx: &TypeCtx) -> TokenStream {
    let ty = ctx.ty(&variant.ty);
    if variant.boxed {
        quote! { Box<#ty> }
    } else {
        ty
    }
}

/// `Self::Variant` constructor applied to a decoded value (boxing when needed).
fn wrap(variant: &UnionVariant) -> TokenStream {
    let name = ident(&variant.rust_name);
    if variant.boxed {
        quote! { |value| Self::#name(Box::new(value)) }
    } else {
        quote! { Self::#name }
    }
}

fn union(def: &TypeDef, u: &Union, ctx: &TypeCtx, docs: TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let fallback = ident(&u.fallback);
    let variants = u.variants.iter().map(|v| {
        let variant = ident(&v.rust_name);
        let ty = variant_type(v, ctx);
        let tags: Vec<String> = v
            .tag_values
            .iter()
            .map(|t| format!("`{}`", inline(t)))
            .collect();
        let variant_doc = (!tags.is_empty()).then(|| {
            let text = format!(" Selected by {}.", tags.join(", "));
            quote! { #[doc = #text] }
        });
        quote! { #variant_doc #variant(#ty), }
    });
    let (body, how) = match &u.tag {
        Some(tag) => (
            tagged_body(u, tag, &fallback),
            format!(" Decoding picks the variant from the `{tag}` property; anything else is kept as JSON."),
        ),
        None => (
            best_fit_body(u, ctx, &fallback),
            " Decoding keeps the variant the JSON satisfies, preferring one that needs no fallback for unknown values and then the one that keeps the most of it (the first on a tie); anything else is kept as JSON.".to_owned(),
        ),
    };
    quote! {
        #docs
        #[doc = ""]
        #[doc = #how]
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// JSON that matched no variant; kept as received.
            #fallback(serde_json::Value),
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = serde_json::Value::deserialize(deserializer)?;
                #body
            }
        }
    }
}

/// The tag property's value selects the variant.
fn tagged_body(u: &Union, tag: &str, fallback: &proc_macro2::Ident) -> TokenStream {
    let arms = u
        .variants
        .iter()
        .filter(|v| !v.tag_values.is_empty())
        .map(|v| {
            let values = &v.tag_values;
            let wrap = wrap(v);
            quote! { #(Some(#values))|* => crate::runtime::from_value(value).map(#wrap), }
        });
    quote! {
        match crate::runtime::tag_value(&value, #tag) {
            #(#arms)*
            _ => {
                crate::runtime::note_fallback();
                Ok(Self::#fallback(value))
            }
        }
    }
}

/// Without a tag, every variant is offered and the best fit kept (see the runtime's
/// `BestFit`); a free-form variant only for JSON of its schema's kind.
fn best_fit_body(u: &Union, ctx: &TypeCtx, fallback: &proc_macro2::Ident) -> TokenStream {
    let offers = u.variants.iter().map(|v| {
        let ty = ctx.ty(&v.ty);
        let wrap = wrap(v);
        let offer = quote! {
            fit.offer(|| <#ty as serde::Deserialize>::deserialize(&value), #wrap);
        };
        match v.accepts {
            Some(kind) => {
                let test = json_kind_test(kind);
                quote! { if #test { #offer } }
            }
            None => offer,
        }
    });
    quote! {
        let mut fit = crate::runtime::BestFit::new(&value);
        #(#offers)*
        match fit.finish() {
            Some(variant) => Ok(variant),
            None => {
                crate::runtime::note_fallback();
                Ok(Self::#fallback(value))
            }
        }
    }
}

/// `value.is_object()` and the like.
fn json_kind_test(kind: JsonKind) -> TokenStream {
    match kind {
        JsonKind::Object => quote! { value.is_object() },
        JsonKind::Array => quote! { value.is_array() },
        JsonKind::String => quote! { value.is_string() },
        JsonKind::Number => quote! { value.is_number() },
        JsonKind::Integer => quote! { (value.is_i64() || value.is_u64()) },
        JsonKind::Boolean => quote! { value.is_boolean() },
    }
}
