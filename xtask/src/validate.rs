//! `cargo xtask validate`: the specs checked by the Python OpenAPI tooling, through the
//! generator's own bundle: openapi-spec-validator on each version, and every example
//! against its schema (strict about undeclared properties).

use std::path::PathBuf;

use crate::{bundle, python, workspace_root, Failure};

/// Validates the specs and their examples with the Python OpenAPI tooling.
#[derive(clap::Args, Default)]
pub struct Args {
    /// Specs folder [default: specs/]
    #[arg(long, value_name = "DIR")]
    specs: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let root = workspace_root();
    let specs = args.specs.clone().unwrap_or_else(|| root.join("specs"));
    let bundled = root.join("target/bundle/validate.json");
    bundle::write_bundle(&specs, &[], &bundled)?;
    python::module("isc_checks.validate", [&bundled])
}
