//! The examples conformance test of the client crate (`tests/conformance.rs`): every JSON
//! example of a request or success body in the specs is decoded into the generated type of
//! its operation, encoded again, and compared with the original. Anything the types lose
//! (a property they don't declare, a value of the wrong type) shows up as a difference.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{ident, TypeCtx};
use super::version::model_cfg;
use crate::model::{Api, TypeDef, TypeKind, TypeRef, UnionVariant};

/// `tests/conformance.rs`: the test target, kept tiny so rustfmt leaves it as it is.
pub fn conformance_root() -> TokenStream {
    quote! {
        //! Examples conformance: every JSON example of the specs decodes into its generated
        //! type and encodes back to the same JSON. Run with `--nocapture` to see the report.

        #[rustfmt::skip]
        #[path = "conformance/examples.rs"]
        mod examples;
    }
}

/// `tests/conformance/examples.rs` of a version crate: its test plus the comparison harness.
pub fn conformance_test(api: &Api, crate_ident: &str) -> TokenStream {
    let operations = has_operation_examples(api).then(|| {
        let test = version_test(api, crate_ident);
        let harness = round_trip_harness();
        quote! { #test #harness }
    });
    let members = has_member_examples(api).then(|| {
        let test = union_members_test(api, crate_ident);
        let harness = member_harness();
        quote! { #test #harness }
    });
    let report = report_harness();
    quote! {
        //! The examples of every operation, checked by round trip; and the examples of every
        //! union member's schema, which must decode as that member.

        #operations
        #members
        #report
    }
}

/// What every check reports into: counts, failures, and the verdict.
fn report_harness() -> TokenStream {
    quote! {
        /// Decoded/total counts and what went wrong, for one version.
        struct Report {
            version: &'static str,
            total: usize,
            passed: usize,
            failures: Vec<String>,
        }

        impl Report {
            fn new(version: &'static str) -> Self {
                Report { version, total: 0, passed: 0, failures: Vec::new() }
            }

            fn record(&mut self, label: &str, outcome: Result<(), String>) {
                self.total += 1;
                match outcome {
                    Ok(()) => self.passed += 1,
                    Err(reason) => self.failures.push(format!("{label}: {reason}")),
                }
            }

            /// Prints the summary and every failure; fails unless every example conforms.
            /// With `CONFORMANCE_REPORT_ONLY` set it only reports: SailPoint's upstream specs
            /// have examples that contradict their own schemas, which a separate step
            /// (`cargo xtask check-generated --report-only`) tells apart from failures of ours.
            fn finish(self) {
                println!("{}: decoded {}/{} examples", self.version, self.passed, self.total);
                for failure in &self.failures {
                    println!("  {failure}");
                }
                if std::env::var_os("CONFORMANCE_REPORT_ONLY").is_none() {
                    assert!(
                        self.failures.is_empty(),
                        "{}: {} of {} examples do not conform",
                        self.version,
                        self.failures.len(),
                        self.total
                    );
                }
            }
        }
    }
}

/// The first phase's check: decode, encode again, compare with the example.
fn round_trip_harness() -> TokenStream {
    quote! {
        impl Report {
            fn check<T: serde::de::DeserializeOwned + serde::Serialize>(&mut self, label: &str, json: &str) {
                self.record(label, round_trip::<T>(json));
            }
        }

        fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: &str) -> Result<(), String> {
            let original: serde_json::Value = serde_json::from_str(json).map_err(|e| format!("example is not JSON: {e}"))?;
            let decoded: T = serde_path_to_error::deserialize(&original)
                .map_err(|e| format!("does not decode at `{}`: {}", e.path(), e.inner()))?;
            let encoded = serde_json::to_value(&decoded).map_err(|e| format!("does not encode: {e}"))?;
            compare(&original, &encoded, "$")
        }

        /// The first difference between the example and its round trip. A `null` and an
        /// absent property count as the same.
        fn compare(original: &serde_json::Value, encoded: &serde_json::Value, path: &str) -> Result<(), String> {
            use serde_json::Value;
            match (original, encoded) {
                (Value::Object(a), Value::Object(b)) => {
                    for (key, value) in a {
                        let child = format!("{path}.{key}");
                        match b.get(key) {
                            Some(other) => compare(value, other, &child)?,
                            None if value.is_null() => {}
                            None => return Err(format!("`{child}` is lost (not in the schema, or of another type)")),
                        }
                    }
                    for (key, value) in b {
                        if !a.contains_key(key) && !value.is_null() {
                            return Err(format!("`{path}.{key}` appears after the round trip"));
                        }
                    }
                    Ok(())
                }
                (Value::Array(a), Value::Array(b)) if a.len() == b.len() => a
                    .iter()
                    .zip(b)
                    .enumerate()
                    .try_for_each(|(i, (x, y))| compare(x, y, &format!("{path}[{i}]"))),
                (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => Ok(()),
                (a, b) if a == b => Ok(()),
                (a, b) => Err(format!("`{path}` is {a} in the example but {b} after the round trip")),
            }
        }
    }
}

/// The second phase's check: the union decodes the member's example as that member.
fn member_harness() -> TokenStream {
    quote! {
        impl Report {
            fn member<U: serde::de::DeserializeOwned + std::fmt::Debug>(&mut self, label: &str, json: &str, is_member: fn(&U) -> bool) {
                let decoded = serde_json::from_str::<U>(json).map_err(|e| format!("does not decode: {e}"));
                let outcome = decoded.and_then(|union| {
                    if is_member(&union) {
                        Ok(())
                    } else {
                        Err(format!("decodes as another variant: {union:?}"))
                    }
                });
                self.record(label, outcome);
            }
        }
    }
}

fn has_operation_examples(api: &Api) -> bool {
    api.tags
        .iter()
        .flat_map(|t| &t.operations)
        .any(|op| !op.examples.is_empty())
}

fn has_member_examples(api: &Api) -> bool {
    api.types
        .values()
        .any(|def| !member_examples(api, def).is_empty())
}

/// Whether the version has anything to check: an operation's example, or the example of
/// a union member's schema.
pub fn has_checks(api: &Api) -> bool {
    let operation_examples = api
        .tags
        .iter()
        .flat_map(|t| &t.operations)
        .any(|op| !op.examples.is_empty());
    operation_examples
        || api
            .types
            .values()
            .any(|def| !member_examples(api, def).is_empty())
}

/// (variant, member type) of a union's variants whose member schema has an example.
fn member_examples<'a>(api: &'a Api, def: &'a TypeDef) -> Vec<(&'a UnionVariant, &'a TypeDef)> {
    let TypeKind::Union(u) = &def.kind else {
        return Vec::new();
    };
    if def.shared_as.is_some() {
        // Checked once, in the shared crate.
        return Vec::new();
    }
    u.variants
        .iter()
        .filter_map(|variant| {
            let member = api.types.get(variant.ty.named()?)?;
            member.example.as_ref().map(|_| (variant, member))
        })
        .collect()
}

/// The second phase: every example of a union member's own schema (its `example`)
/// decodes into the union as that member, when the union's features are on.
fn union_members_test(api: &Api, crate_ident: &str) -> TokenStream {
    let ctx = TypeCtx::external(crate_ident);
    let checks = api.types.values().filter_map(|def| {
        let union = ctx.ty(&TypeRef::Named(def.name.clone()));
        let members: Vec<TokenStream> = member_examples(api, def)
            .into_iter()
            .filter_map(|(variant, member)| {
                let example = member.example.as_ref()?;
                let variant_ident = ident(&variant.rust_name);
                let label = format!("{} as {}::{}", member.name, def.name, variant.rust_name);
                let json = example.to_string();
                Some(quote! {
                    report.member::<#union>(#label, #json, |u| matches!(u, #union::#variant_ident(_)));
                })
            })
            .collect();
        if members.is_empty() {
            return None;
        }
        let cfg = model_cfg(def);
        Some(quote! {
            #cfg
            let report = {
                let mut report = report;
                #(#members)*
                report
            };
        })
    });
    let test_name = ident(&format!("{}_union_members", api.module));
    let label = format!("{} union members", api.version);
    quote! {
        #[test]
        fn #test_name() {
            let report = Report::new(#label);
            #(#checks)*
            report.finish();
        }
    }
}

/// One test for the version; each tag's examples are checked when its feature is on.
fn version_test(api: &Api, crate_ident: &str) -> TokenStream {
    let ctx = TypeCtx::external(crate_ident);
    let test_name = ident(&format!("{}_examples", api.module));
    let version = &api.version;
    let tags = api
        .tags
        .iter()
        .filter(|tag| tag.operations.iter().any(|op| !op.examples.is_empty()))
        .map(|tag| {
            let feature = &tag.module;
            let checks = tag.operations.iter().flat_map(|op| {
                op.examples.iter().map(|example| {
                    let ty = ctx.ty(&example.ty);
                    let label = format!("{} {}", op.id, example.label);
                    let json = example.value.to_string();
                    quote! { report.check::<#ty>(#label, #json); }
                })
            });
            // A shadowing `let` per tag: without any tag feature the report is never mutated.
            quote! {
                #[cfg(feature = #feature)]
                let report = {
                    let mut report = report;
                    #(#checks)*
                    report
                };
            }
        });
    quote! {
        #[test]
        fn #test_name() {
            let report = Report::new(#version);
            #(#tags)*
            report.finish();
        }
    }
}
