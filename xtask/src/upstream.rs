//! `cargo xtask upstream`: the checks that need SailPoint's upstream specs in `../shared`
//! (CI has them; a user's machine usually does not: then they are skipped with a note,
//! except under `CI=true`, where their absence is an error).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{check_generated, package, run, workspace_root, Failure};

/// The resources checked alone (each through the facade with only its feature): the
/// ones most clients call, and the biggest.
const RESOURCE_SAMPLE: &[&str] = &[
    "accounts",
    "identities",
    "search",
    "sources",
    "roles",
    "access_profiles",
    "entitlements",
    "certifications",
    "workflows",
    "triggers",
];

/// An upstream folder is absent: a note, or under `CI=true` an error.
fn missing(dir: &Path) -> Result<(), Failure> {
    if std::env::var("CI").as_deref() == Ok("true") {
        return Err(Failure::new(format!(
            "{} is missing; CI needs it for the upstream checks",
            dir.display()
        )));
    }
    println!(
        "skipped: {} not found (the upstream checks need it)",
        dir.display()
    );
    Ok(())
}

/// Runs the checks against SailPoint's full upstream specs.
#[derive(clap::Args)]
pub struct Args {
    /// The folder holding api-specs/, api-specs-resources/, api-specs-previous/ and tools/
    /// [default: ../shared]
    #[arg(long, value_name = "DIR")]
    shared: Option<PathBuf>,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let root = workspace_root();
    let shared = args
        .shared
        .clone()
        .unwrap_or_else(|| root.join("../shared"));
    let specs = shared.join("api-specs/idn");
    if !specs.is_dir() {
        return missing(&specs);
    }

    run::step("no prose copied from the upstream specs");
    let mut text_check = Command::new("python3");
    text_check
        .arg(shared.join("tools/upstream-text-check.py"))
        .arg(&root);
    run::status(text_check)?;

    run::step(
        "the full upstream specs: generate, clippy, each version alone, examples conformance",
    );
    check_generated::run(&check_generated::Args {
        specs: specs.clone(),
        name: Some("upstream".to_owned()),
        report_only: true,
        alone: Vec::new(),
    })?;

    let resources = shared.join("api-specs-resources/idn/apis");
    if resources.is_dir() {
        run::step(
            "the per-resource specs: generate, clippy, a sample of resources alone, examples conformance",
        );
        check_generated::run(&check_generated::Args {
            specs: resources,
            name: Some("resources".to_owned()),
            report_only: true,
            alone: RESOURCE_SAMPLE.iter().map(|&r| r.to_owned()).collect(),
        })?;
    } else {
        missing(&resources)?;
    }

    run::step(
        "the full upstream crate set packages for crates.io (limits checked, every crate verified)",
    );
    package::run(&package::Args {
        specs: Some(specs),
        out: Some(root.join("target/package-upstream")),
        versions: Vec::new(),
    })
}
