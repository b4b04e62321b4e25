//! The facade crate's `src/lib.rs`: the version (or resource) crates re-exported as modules
//! behind features of the same name, the shared crate of a resources set as `shared`, and a
//! `Client` that wraps the runtime's with one accessor per version (`client.v2024()`). The
//! runtime's client cannot get those methods itself: it lives in another crate.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::ident;
use crate::model::Api;
use crate::release::Release;

pub fn lib_rs(apis: &[Api], release: &Release) -> TokenStream {
    let (common, apis): (Vec<&Api>, Vec<&Api>) = apis.iter().partition(|api| api.common);
    // The shared crate is a dependency of every resource: no feature, no accessor.
    let shared = common.iter().map(|api| {
        let module = ident(&api.module);
        let krate = ident(&release.version_crate(&api.module).replace('-', "_"));
        quote! {
            pub use #krate as #module;
        }
    });
    let reexports = apis.iter().map(|api| {
        let feature = &api.module;
        let module = ident(&api.module);
        let krate = ident(&release.version_crate(&api.module).replace('-', "_"));
        quote! {
            #[cfg(feature = #feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
            pub use #krate as #module;
        }
    });
    let accessors = apis.iter().map(|api| {
        let feature = &api.module;
        let module = ident(&api.module);
        let accessor_doc = format!(" {}.", super::version::summary(api));
        quote! {
            #[doc = #accessor_doc]
            #[cfg(feature = #feature)]
            #[cfg_attr(docsrs, doc(cfg(feature = #feature)))]
            pub fn #module(&self) -> #module::Api {
                #module::Api::new(self.0.clone())
            }
        }
    });
    // rustfmt would reformat the prettyplease output and make `--check` report it stale.
    quote! {
        #![doc = include_str!("../README.md")]
        #![cfg_attr(docsrs, feature(doc_cfg))]
        #![cfg_attr(rustfmt, rustfmt::skip)]

        pub use sailpoint_isc_runtime as runtime;

        pub use runtime::{Error, Result};

        #(#shared)*
        #(#reexports)*

        /// Handle to the ISC API with one accessor per API version. It wraps
        /// [`runtime::Client`] and dereferences to it (for `send` and the settings); clones
        /// share the connection pool and the token cache.
        #[derive(Debug, Clone)]
        pub struct Client(runtime::Client);

        /// Configures a [`Client`]; see [`runtime::ClientBuilder`] for the settings.
        pub type ClientBuilder = runtime::ClientBuilder<Client>;

        impl Client {
            /// Starts configuring a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }

            /// A client configured from the environment: `SAIL_BASE_URL`,
            /// `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET`, or the files
            /// [`runtime::Config::from_env`] reads.
            pub fn from_env() -> Result<Client> {
                Self::builder().from_env()?.build()
            }

            #(#accessors)*
        }

        impl std::ops::Deref for Client {
            type Target = runtime::Client;

            fn deref(&self) -> &runtime::Client {
                &self.0
            }
        }

        impl From<runtime::Client> for Client {
            fn from(client: runtime::Client) -> Self {
                Client(client)
            }
        }

        impl From<Client> for runtime::Client {
            fn from(client: Client) -> Self {
                client.0
            }
        }
    }
}
