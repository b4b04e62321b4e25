//! `cargo xtask regenerate`: the specs become the client crate set (facade, one crate per
//! API version or resource, and for a standalone output the runtime and a workspace
//! manifest).
//!
//! Without `--specs` or `--out` it regenerates everything checked in: `specs/` into
//! `generated-client/`, and the fixture specs into `generator/tests/output/` and
//! `generator/tests/output-resources/`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use generator::release::{self, CheckedIn};
use generator::write::Change;
use generator::Release;

use crate::{workspace_root, Failure};

/// Regenerates the client crates from the specs.
#[derive(clap::Args)]
pub struct Args {
    /// Specs folder: `sailpoint-api.<version>.yaml` roots, or `<resource>/openapi.yaml`
    /// roots beside `shared/` [default: specs/, and the fixture specs]
    #[arg(long, value_name = "DIR")]
    specs: Option<PathBuf>,
    /// Output folder; any folder but generated-client/ gets a standalone crate set
    /// [default: generated-client/]
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
    /// Only this version or resource (repeatable) [default: every root found]
    #[arg(long = "version", value_name = "NAME")]
    versions: Vec<String>,
    /// Write nothing; list stale, missing and extra files and fail if there are any
    #[arg(long)]
    check: bool,
    /// Do not list the spec warnings
    #[arg(long)]
    quiet: bool,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let workspace = workspace_root();
    let targets = if args.specs.is_none() && args.out.is_none() {
        release::checked_in(&workspace)?
    } else {
        let specs = args
            .specs
            .clone()
            .unwrap_or_else(|| workspace.join("specs"));
        let out = args
            .out
            .clone()
            .unwrap_or_else(|| workspace.join(release::WORKSPACE_OUTPUT));
        let release = Release::for_output(&workspace, &out)?;
        vec![CheckedIn {
            specs,
            out,
            release,
        }]
    };
    let mut stale = 0;
    for target in &targets {
        stale += regenerate(target, &args.versions, args.check, args.quiet)?;
    }
    if args.check && stale > 0 {
        return Err(Failure {
            message: "generated files are out of date: run `cargo xtask regenerate`".to_owned(),
            status: 1,
        });
    }
    Ok(())
}

/// Generates one output (or, with `check`, compares it); returns how many files changed
/// (or would change).
pub fn regenerate(
    target: &CheckedIn,
    versions: &[String],
    check: bool,
    quiet: bool,
) -> Result<usize, Failure> {
    let CheckedIn {
        specs,
        out,
        release,
    } = target;
    let started = Instant::now();
    generator::write::check_target(out, specs)?;
    let found = generator::load::discover(specs).map_err(generator::Error::from)?;
    println!(
        "{}: {} layout, {} {}{}",
        shown(specs),
        found.layout.name(),
        found.names.len(),
        found.layout.unit(),
        if found.names.len() == 1 { "" } else { "s" }
    );
    for (path, why) in &found.skipped {
        println!("  skipped {}: {why}", path.display());
    }
    let apis = generator::build_models(specs, versions)?;
    let modeled = started.elapsed();
    let files = generator::render::render(&apis, release)?;
    let rendered = started.elapsed();
    for api in &apis {
        println!(
            "{}: {} operations, {} types, {} warnings",
            api.version,
            api.operation_count(),
            api.types.len(),
            api.warnings.len()
        );
        if !quiet {
            for warning in &api.warnings {
                println!("  warning: {warning}");
            }
        }
    }
    let changes = if check {
        generator::write::diff(out, &files)?
    } else {
        generator::write::write(out, &files)?
    };
    for change in &changes {
        if check {
            println!("{change}");
        } else {
            println!("{}", written(change));
        }
    }
    let verb = if check { "checked" } else { "wrote" };
    println!(
        "{verb} {} files ({}) into {} ({} changed) in {:.2?} (load + model {:.2?}, render {:.2?}, {verb} {:.2?})",
        files.len(),
        kind(release),
        shown(out),
        changes.len(),
        started.elapsed(),
        modeled,
        rendered - modeled,
        started.elapsed() - rendered,
    );
    Ok(changes.len())
}

fn kind(release: &Release) -> &'static str {
    if release.standalone {
        "a standalone crate set"
    } else {
        "crates of this workspace"
    }
}

/// A path as the user knows it: relative to the workspace when inside it.
fn shown(path: &Path) -> String {
    path.strip_prefix(workspace_root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// How a change reads once it is done (the `Display` of [`Change`] reads as a check).
fn written(change: &Change) -> String {
    match change {
        Change::Added(path) => format!("added:   {path}"),
        Change::Modified(path) => format!("updated: {path}"),
        Change::Removed(path) => format!("removed: {path}"),
    }
}
