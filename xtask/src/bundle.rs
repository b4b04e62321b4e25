//! `cargo xtask bundle`: the specs as the generator's loader sees them, one JSON document
//! per version, for the checks written in Python (they never resolve `$ref`s themselves).
//!
//! The file is one JSON object keyed by version name; each value is that version's bundled
//! OpenAPI document: every `$ref` inlined but those to `#/components/schemas/<Name>`.

use std::path::{Path, PathBuf};

use crate::{workspace_root, Failure};

/// Writes the bundled specs as one JSON file.
#[derive(clap::Args)]
pub struct Args {
    /// Specs folder [default: specs/]
    #[arg(long, value_name = "DIR")]
    specs: Option<PathBuf>,
    /// Only this version (repeatable) [default: every root file found]
    #[arg(long = "version", value_name = "NAME")]
    versions: Vec<String>,
    /// The JSON file to write
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let specs = args
        .specs
        .clone()
        .unwrap_or_else(|| workspace_root().join("specs"));
    write_bundle(&specs, &args.versions, &args.out)
}

/// Bundles the chosen versions of `specs` into the JSON file `out`.
pub fn write_bundle(specs: &Path, versions: &[String], out: &Path) -> Result<(), Failure> {
    let documents = generator::load::bundle_versions(specs, versions)?;
    let text = serde_json::to_string(&documents)?;
    generator::write::write_file(out, &text)?;
    println!(
        "bundled {} version{} of {} into {} ({} bytes)",
        documents.len(),
        if documents.len() == 1 { "" } else { "s" },
        specs.display(),
        out.display(),
        text.len()
    );
    Ok(())
}
