//! `cargo xtask check-generated`: a specs folder generates a standalone crate set that is
//! proven, not just written: clippy with warnings denied on every crate (tests included),
//! rustdoc without a warning, each version (or a sample of resources) building alone
//! through the facade, and each crate's examples conformance test. With `--report-only` the conformance failures are reported, then
//! classified by the Python check (examples that contradict their own schema, which
//! SailPoint's upstream has many of, against failures of ours).

use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_metadata::MetadataCommand;
use generator::release::CheckedIn;
use generator::Release;

use crate::{bundle, python, regenerate, run, workspace_root, Failure};

/// Generates a standalone crate set from a specs folder and proves it compiles, lints
/// and documents clean and decodes the specs' examples.
#[derive(clap::Args)]
pub struct Args {
    /// Specs folder
    #[arg(long, value_name = "DIR")]
    pub specs: PathBuf,
    /// Name of the output folder under target/generated/ [default: the specs folder's name]
    #[arg(long)]
    pub name: Option<String>,
    /// Report conformance failures and classify them instead of failing on them
    #[arg(long)]
    pub report_only: bool,
    /// Check only these versions (or resources) alone through the facade, by feature
    /// name (repeatable) [default: every one]
    #[arg(long = "alone", value_name = "FEATURE")]
    pub alone: Vec<String>,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let root = workspace_root();
    let name = args.name.clone().unwrap_or_else(|| {
        args.specs
            .file_name()
            .map_or_else(|| "specs".to_owned(), |n| n.to_string_lossy().into_owned())
    });
    let out = root.join("target/generated").join(&name);
    let release = Release::standalone(&root)?;
    let target = CheckedIn {
        specs: args.specs.clone(),
        out: out.clone(),
        release: release.clone(),
    };
    regenerate::regenerate(&target, &[], false, true)?;

    let target_dir = root.join("target/generated-target");
    let env = run::scratch_env(&target_dir);
    let manifest = out.join("Cargo.toml");
    run::step(&format!("{name}: clippy, every crate, warnings denied"));
    run::cargo(
        cargo_args(
            &[
                "clippy",
                "--quiet",
                "--workspace",
                "--all-features",
                "--all-targets",
            ],
            &manifest,
        )
        .chain(["--", "-D", "warnings"].map(Into::into)),
        &env,
    )?;
    run::step(&format!(
        "{name}: every crate documents without a rustdoc warning (as docs.rs shows it)"
    ));
    let mut doc_env = env.to_vec();
    doc_env.push(("RUSTDOCFLAGS", OsStr::new("-D warnings")));
    run::cargo(
        cargo_args(
            &[
                "doc",
                "--quiet",
                "--no-deps",
                "--workspace",
                "--all-features",
            ],
            &manifest,
        ),
        &doc_env,
    )?;
    let facade = out.join(&release.facade_crate).join("Cargo.toml");
    let features = version_features(&facade)?;
    let missing: Vec<&String> = args
        .alone
        .iter()
        .filter(|f| !features.contains(f))
        .collect();
    if !missing.is_empty() {
        return Err(Failure::new(format!(
            "no feature {missing:?} in {} (found: {})",
            facade.display(),
            features.join(", ")
        )));
    }
    let alone = if args.alone.is_empty() {
        features
    } else {
        args.alone.clone()
    };
    for version in alone {
        run::step(&format!("{name}: {version} alone through the facade"));
        run::cargo(
            cargo_args(
                &[
                    "check",
                    "--quiet",
                    "--no-default-features",
                    "--features",
                    &version,
                ],
                &facade,
            ),
            &env,
        )?;
    }
    let report = root.join(format!("target/generated/{name}-conformance.txt"));
    let mut text = String::new();
    for krate in conformance_crates(&out)? {
        run::step(&format!("{name}: examples conformance of {krate}"));
        text.push_str(&conformance(
            &manifest,
            &krate,
            &target_dir,
            args.report_only,
        )?);
    }
    if args.report_only {
        generator::write::write_file(&report, &text)?;
        run::step(&format!(
            "{name}: conformance failures explained by examples that violate their own schema"
        ));
        let bundled = root.join(format!("target/bundle/{name}.json"));
        bundle::write_bundle(&args.specs, &[], &bundled)?;
        python::module(
            "isc_checks.conformance",
            [
                OsStr::new("--bundle"),
                bundled.as_os_str(),
                report.as_os_str(),
            ],
        )?;
    }
    Ok(())
}

/// `cargo <words> --manifest-path <manifest>` as arguments.
fn cargo_args<'a>(
    words: &'a [&'a str],
    manifest: &'a Path,
) -> impl Iterator<Item = std::ffi::OsString> + 'a {
    words.iter().map(Into::into).chain([
        OsStr::new("--manifest-path").into(),
        manifest.as_os_str().into(),
    ])
}

/// The facade's version features (every feature but `default`).
fn version_features(facade: &Path) -> Result<Vec<String>, Failure> {
    let metadata = MetadataCommand::new()
        .manifest_path(facade)
        .no_deps()
        .exec()?;
    // Without dependencies there is no resolve, so no root package: find it by manifest.
    let facade =
        fs::canonicalize(facade).map_err(|e| Failure::new(format!("{}: {e}", facade.display())))?;
    let package = metadata
        .packages
        .iter()
        .find(|p| fs::canonicalize(&p.manifest_path).is_ok_and(|m| m == facade))
        .ok_or_else(|| Failure::new(format!("{} is not in its workspace", facade.display())))?;
    let mut features: Vec<String> = package
        .features
        .keys()
        .filter(|f| *f != "default")
        .cloned()
        .collect();
    features.sort();
    if features.is_empty() {
        return Err(Failure::new(format!(
            "{} has no version features",
            facade.display()
        )));
    }
    Ok(features)
}

/// The crates of the set that have a conformance test, by folder name.
fn conformance_crates(out: &Path) -> Result<Vec<String>, Failure> {
    let mut crates = Vec::new();
    for entry in fs::read_dir(out).map_err(|e| Failure::new(format!("{}: {e}", out.display())))? {
        let entry = entry?;
        if entry.path().join("tests/conformance.rs").is_file() {
            crates.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    crates.sort();
    Ok(crates)
}

/// Runs one crate's conformance test and returns what it printed. Report-only: the
/// failures are printed, not fatal.
fn conformance(
    manifest: &Path,
    krate: &str,
    target_dir: &Path,
    report_only: bool,
) -> Result<String, Failure> {
    let mut command = Command::new(env!("CARGO"));
    command
        .args([
            "test",
            "--quiet",
            "--all-features",
            "--test",
            "conformance",
            "--package",
            krate,
        ])
        .arg("--manifest-path")
        .arg(manifest)
        .args(["--", "--nocapture", "--test-threads", "1"])
        .envs(run::scratch_env(target_dir));
    if report_only {
        command.env("CONFORMANCE_REPORT_ONLY", "1");
    }
    let shown = run::show(&command);
    let output = command
        .output()
        .map_err(|e| Failure::new(format!("could not run `{shown}`: {e}")))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    print!("{text}");
    eprint!("{}", String::from_utf8_lossy(&output.stderr));
    if output.status.success() {
        Ok(text)
    } else {
        Err(Failure::new(format!(
            "`{shown}` failed ({})",
            output.status
        )))
    }
}
