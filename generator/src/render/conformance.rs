//! The examples conformance test of the client crate (`tests/conformance.rs`): every JSON
//! example of a request or success body in the specs is decoded into the generated type of
//! its operation, encoded again, and compared with the original. Anything the types lose
//! (a property they don't declare, a value of the wrong type) shows up as a difference.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::{ident, TypeCtx};
use crate::model::Api;

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
    let test = version_test(api, crate_ident);
    quote! {
        //! The examples of every operation, checked by round trip.

        #test

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

            fn check<T: serde::de::DeserializeOwned + serde::Serialize>(&mut self, label: &str, json: &str) {
                self.total += 1;
                match round_trip::<T>(json) {
                    Ok(()) => self.passed += 1,
                    Err(reason) => self.failures.push(format!("{label}: {reason}")),
                }
            }

            /// Prints the summary and every failure; fails unless every example conforms.
            /// With `CONFORMANCE_REPORT_ONLY` set it only reports: SailPoint's upstream specs
            /// have examples that contradict their own schemas, which a separate step
            /// (`scripts/conformance-report.py`) tells apart from failures of ours.
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
