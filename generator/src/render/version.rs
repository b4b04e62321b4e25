//! The glue files of a version (or resource) crate: `src/lib.rs` (the `Api` entry point
//! with one accessor per tag) and the `apis/` and `models/` module lists, every item behind
//! the cargo features of the tags that use it; and the root of the shared crate.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{doc, ident, inline};
use super::templates::OTHER_MODELS_FEATURE;
use crate::load::Layout;
use crate::model::shared::SHARED;
use crate::model::{Api, Tag, TypeDef};
use crate::release::Release;

/// `#[cfg(feature = "...")]` plus the docs.rs badge, for an item of one tag.
fn tag_cfg(tag: &Tag) -> TokenStream {
    let feature = &tag.module;
    quote! {
        #[cfg(feature = #feature)]
        #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
    }
}

/// `#[cfg(any(feature = "a", feature = "b"))]` for a model used by tags `a` and `b`, plus
/// the `other-models` feature when a schema no operation uses reaches it.
pub(super) fn model_cfg(def: &TypeDef) -> TokenStream {
    let features: Vec<&str> = def
        .used_by
        .iter()
        .map(String::as_str)
        .chain(def.reached_from_unused.then_some(OTHER_MODELS_FEATURE))
        .collect();
    match features.as_slice() {
        // The shared crate's types: compiled whatever features are on.
        [] => TokenStream::new(),
        [one] => quote! { #[cfg(feature = #one)] },
        many => quote! { #[cfg(any(#(feature = #many),*))] },
    }
}

/// `The `v2024` API, under `/v2024`` or, for a resource, `The `accounts` resource (API
/// version `v1`)`: one line for the docs of `Api` and of the facade's accessor.
pub(super) fn summary(api: &Api) -> String {
    match api.layout {
        Layout::Versions => format!(
            "The `{}` API ({}), under `{}`",
            inline(&api.version),
            inline(&api.title),
            inline(&api.base_path)
        ),
        Layout::Resources => format!(
            "The `{}` resource ({}, API version `{}`)",
            inline(&api.version),
            inline(&api.title),
            inline(&api.api_version)
        ),
    }
}

/// The crate root: docs from the README, the runtime re-export and `Api`.
pub fn lib_rs(api: &Api) -> TokenStream {
    let api_doc = format!(" {}: one accessor per tag.", summary(api));
    let tags = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let struct_name = ident(&tag.struct_name);
        let cfg = tag_cfg(tag);
        let first_line = tag
            .description
            .as_deref()
            .and_then(|d| d.lines().map(str::trim).find(|l| !l.is_empty()))
            .map(str::to_owned);
        let tag_doc =
            doc(Some(&first_line.unwrap_or_else(|| {
                format!("Operations tagged `{}`.", tag.name)
            })));
        quote! {
            #tag_doc
            #cfg
            pub fn #module(&self) -> apis::#module::#struct_name {
                apis::#module::#struct_name {
                    client: self.client.clone(),
                }
            }
        }
    });
    // Generated code is formatted by prettyplease; rustfmt (`cargo fmt --all`) would
    // reformat it and make `cargo xtask regenerate --check` report it stale.
    quote! {
        #![doc = include_str!("../README.md")]
        #![cfg_attr(docsrs, feature(doc_cfg))]
        #![cfg_attr(rustfmt, rustfmt::skip)]

        pub use sailpoint_isc_runtime as runtime;

        pub use runtime::{Client, Error, Result};

        #[rustfmt::skip]
        pub mod apis;
        #[rustfmt::skip]
        pub mod models;

        #[doc = #api_doc]
        #[derive(Debug, Clone)]
        pub struct Api {
            client: Client,
        }

        impl Api {
            /// The API, calling through `client`.
            pub fn new(client: Client) -> Self {
                Api { client }
            }

            /// The client this API calls through.
            pub fn client(&self) -> &Client {
                &self.client
            }

            #(#tags)*
        }

        impl From<Client> for Api {
            fn from(client: Client) -> Self {
                Api::new(client)
            }
        }
    }
}

/// The shared crate's root (resources layout): the types every resource re-exports, and
/// no operations.
pub fn shared_lib_rs() -> TokenStream {
    quote! {
        #![doc = include_str!("../README.md")]
        #![cfg_attr(rustfmt, rustfmt::skip)]

        pub use sailpoint_isc_runtime as runtime;

        #[rustfmt::skip]
        pub mod models;
    }
}

pub fn apis_mod(api: &Api) -> TokenStream {
    let modules = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let cfg = tag_cfg(tag);
        let tag_doc = format!(" `{}` operations.", inline(&tag.name));
        quote! {
            #[doc = #tag_doc]
            #cfg
            pub mod #module;
        }
    });
    quote! {
        //! Operations, one module per tag, each behind the cargo feature of the same name.
        #(#modules)*
    }
}

pub fn models_mod(api: &Api, release: &Release) -> TokenStream {
    let shared_crate = ident(&release.version_crate(SHARED).replace('-', "_"));
    let modules = api.types.values().map(|def| {
        let module = ident(&def.module);
        let name = ident(&def.name);
        let cfg = model_cfg(def);
        match &def.shared_as {
            Some(shared) if shared == &def.name => quote! {
                #cfg
                pub use #shared_crate::models::#name;
            },
            Some(shared) => {
                let shared = ident(shared);
                quote! {
                    #cfg
                    pub use #shared_crate::models::#shared as #name;
                }
            }
            None => quote! {
                #cfg
                mod #module;
                #cfg
                pub use #module::#name;
            },
        }
    });
    let module_doc = if api.common {
        [
            " The types the resources share, one file per type; every resource crate",
            " re-exports the ones it uses.",
        ]
    } else {
        [
            " Request and response types, one file per type. A type compiles when the feature",
            " of a tag that uses it is on.",
        ]
    };
    quote! {
        #(#![doc = #module_doc])*
        #(#modules)*
    }
}
