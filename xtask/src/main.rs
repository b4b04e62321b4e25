//! Project automation, run as `cargo xtask <command>`.
//!
//! `cargo xtask regenerate [--specs DIR] [--version NAME]... [--out DIR] [--check]`
//! turns the specs into the client crate. Defaults: `specs/` into `generated-client/`, all
//! versions. With `--check` nothing is written: stale, extra and missing files are listed
//! and the exit status is 1 when there are any.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use generator::write::Change;

const USAGE: &str = "usage: cargo xtask regenerate [--specs DIR] [--version NAME]... [--out DIR] [--check] [--quiet]";

struct Args {
    specs: PathBuf,
    out: PathBuf,
    versions: Vec<String>,
    check: bool,
    quiet: bool,
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    match args.next().as_deref() {
        Some("regenerate") => {}
        Some(other) => return Err(format!("unknown command `{other}`\n{USAGE}")),
        None => return Err(USAGE.to_owned()),
    }
    let root = workspace_root();
    let mut parsed = Args {
        specs: root.join("specs"),
        out: root.join("generated-client"),
        versions: Vec::new(),
        check: false,
        quiet: false,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--specs" => parsed.specs = PathBuf::from(value("--specs")?),
            "--out" => parsed.out = PathBuf::from(value("--out")?),
            "--version" => parsed.versions.push(value("--version")?),
            "--check" => parsed.check = true,
            "--quiet" => parsed.quiet = true,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(parsed)
}

fn run(args: &Args) -> Result<bool, generator::Error> {
    let started = Instant::now();
    let (apis, roots) = generator::build_models(&args.specs, &args.versions)?;
    let modeled = started.elapsed();
    let files = generator::render::render(&apis, &roots)?;
    let rendered = started.elapsed();
    let generated = generator::Generated { apis, files };
    for api in &generated.apis {
        println!(
            "{}: {} operations, {} types, {} warnings",
            api.version,
            api.operation_count(),
            api.types.len(),
            api.warnings.len()
        );
        if !args.quiet {
            for warning in &api.warnings {
                println!("  warning: {warning}");
            }
        }
    }
    let changes = if args.check {
        generator::write::diff(&args.out, &generated.files)?
    } else {
        generator::write::write(&args.out, &generated.files)?
    };
    for change in &changes {
        if args.check {
            println!("{change}");
        } else {
            println!("{}", written(change));
        }
    }
    let verb = if args.check { "checked" } else { "wrote" };
    println!(
        "{verb} {} files into {} ({} changed) in {:.2?} (load + model {:.2?}, render {:.2?}, {verb} {:.2?})",
        generated.files.len(),
        args.out.display(),
        changes.len(),
        started.elapsed(),
        modeled,
        rendered - modeled,
        started.elapsed() - rendered,
    );
    Ok(!args.check || changes.is_empty())
}

/// How a change reads once it is done (the `Display` of [`Change`] reads as a check).
fn written(change: &Change) -> String {
    match change {
        Change::Added(path) => format!("added:   {path}"),
        Change::Modified(path) => format!("updated: {path}"),
        Change::Removed(path) => format!("removed: {path}"),
    }
}

fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    match run(&args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => {
            eprintln!("generated files are out of date: run `cargo xtask regenerate`");
            ExitCode::FAILURE
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
