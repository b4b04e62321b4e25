//! The glue files: `src/lib.rs`, each version's `mod.rs` (the `client.<version>()` entry
//! point and one accessor per tag) and the `models/` and `apis/` module lists.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{doc, ident};
use crate::model::Api;

pub fn lib_rs(apis: &[Api], crate_doc: &str) -> TokenStream {
    let versions = apis.iter().map(|api| {
        let module = ident(&api.module);
        let feature = &api.module;
        // Generated code is formatted by prettyplease; rustfmt would reformat it and make
        // `cargo xtask regenerate --check` report it stale.
        quote! {
            #[cfg(feature = #feature)]
            #[rustfmt::skip]
            pub mod #module;
        }
    });
    let docs = crate_doc
        .lines()
        .map(|l| format!(" {l}").trim_end().to_owned());
    quote! {
        #(#![doc = #docs])*

        pub use sailpoint_isc_runtime as runtime;

        pub use runtime::{Client, ClientBuilder, Error, Result};

        #(#versions)*
    }
}

pub fn version_mod(api: &Api, module_doc: &str) -> TokenStream {
    let version = ident(&api.module);
    let version_name = &api.version;
    let docs = module_doc
        .lines()
        .map(|l| format!(" {l}").trim_end().to_owned());
    let accessor_doc = format!(" The `{version_name}` API, under `{}`.", api.base_path);
    let tags = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let struct_name = ident(&tag.struct_name);
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
            pub fn #module(&self) -> apis::#module::#struct_name {
                apis::#module::#struct_name {
                    client: self.client.clone(),
                }
            }
        }
    });
    quote! {
        #(#![doc = #docs])*

        pub mod apis;
        pub mod models;

        #[doc = #accessor_doc]
        #[derive(Debug, Clone)]
        pub struct Api {
            client: crate::Client,
        }

        impl crate::Client {
            #[doc = #accessor_doc]
            pub fn #version(&self) -> Api {
                Api {
                    client: self.clone(),
                }
            }
        }

        impl Api {
            /// The client this API calls through.
            pub fn client(&self) -> &crate::Client {
                &self.client
            }

            #(#tags)*
        }
    }
}

pub fn apis_mod(api: &Api) -> TokenStream {
    let modules = api.tags.iter().map(|tag| {
        let module = ident(&tag.module);
        let tag_doc = format!(" `{}` operations.", tag.name);
        quote! {
            #[doc = #tag_doc]
            pub mod #module;
        }
    });
    quote! {
        //! Operations, one module per tag.
        #(#modules)*
    }
}

pub fn models_mod(api: &Api) -> TokenStream {
    let modules = api.types.values().map(|def| {
        let module = ident(&def.module);
        let name = ident(&def.name);
        quote! {
            mod #module;
            pub use #module::#name;
        }
    });
    quote! {
        //! Request and response types, one file per type.
        #(#modules)*
    }
}
