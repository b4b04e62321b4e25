//! `cargo xtask ci`: every check of the project, the README's test command. The checks
//! that need SailPoint's upstream specs are `cargo xtask upstream`; `.ci/run` runs both.

use std::ffi::OsStr;

use cargo_metadata::{MetadataCommand, Package};
use generator::release::WORKSPACE_OUTPUT;

use crate::{package, python, run, validate, workspace_root, Failure};

/// Runs every check: formatting, clippy, the tests (staleness included), each version and
/// tag building alone, docs, packaging, and the Python checks.
#[derive(clap::Args)]
pub struct Args {}

pub fn run(_: &Args) -> Result<(), Failure> {
    run::step("cargo fmt --check");
    run::cargo(["fmt", "--all", "--", "--check"], &[])?;

    run::step("cargo clippy (all targets, all features, warnings denied)");
    run::cargo(
        [
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
        &[],
    )?;

    run::step("cargo test --workspace (generated output up to date, fixtures' crates included)");
    run::cargo(["test", "--workspace"], &[])?;

    run::step("a sample of the property tests' random specs compiles, warnings denied");
    random_samples()?;

    run::step("the Python checks' own tests");
    python::unit_tests()?;

    let published = published_crates()?;
    run::step("each API version builds alone, and each tag of each version crate");
    for package in &published {
        for feature in package.features.keys().filter(|f| *f != "default") {
            println!("-- {}, feature {feature}", package.name);
            run::cargo(
                [
                    "check",
                    "--quiet",
                    "--package",
                    &package.name,
                    "--no-default-features",
                    "--features",
                    feature,
                ],
                &[],
            )?;
        }
    }

    run::step("the published crates document cleanly (broken intra-doc links fail)");
    let mut doc = vec![
        "doc",
        "--quiet",
        "--no-deps",
        "--package",
        "sailpoint-isc-runtime",
    ];
    for package in &published {
        doc.extend(["--package", &package.name]);
    }
    run::cargo(doc, &[("RUSTDOCFLAGS", OsStr::new("-D warnings"))])?;

    run::step(
        "the embedded crate set packages for crates.io (limits checked, every crate verified)",
    );
    package::run(&package::Args::default())?;

    run::step("OpenAPI validator on the embedded specs");
    validate::run(&validate::Args::default())
}

/// Checks the crate sets the pipeline property test kept (`generator/tests/
/// generate_properties.rs` writes them during `cargo test`).
fn random_samples() -> Result<(), Failure> {
    let root = workspace_root();
    let samples = root.join("target/tmp/random-spec-samples");
    let mut manifests: Vec<_> = std::fs::read_dir(&samples)
        .map_err(|e| {
            Failure::new(format!(
                "{}: {e} (cargo test writes the samples)",
                samples.display()
            ))
        })?
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("Cargo.toml"))
        .filter(|manifest| manifest.is_file())
        .collect();
    manifests.sort();
    if manifests.is_empty() {
        return Err(Failure::new(format!("no sample in {}", samples.display())));
    }
    let target = root.join("target/generated-target");
    for manifest in manifests {
        println!("-- {}", manifest.display());
        run::cargo(
            [
                OsStr::new("clippy"),
                OsStr::new("--quiet"),
                OsStr::new("--workspace"),
                OsStr::new("--all-targets"),
                OsStr::new("--manifest-path"),
                manifest.as_os_str(),
                OsStr::new("--"),
                OsStr::new("-D"),
                OsStr::new("warnings"),
            ],
            &run::scratch_env(&target),
        )?;
    }
    Ok(())
}

/// The generated crates of `generated-client/`, by name.
fn published_crates() -> Result<Vec<Package>, Failure> {
    let root = workspace_root();
    let metadata = MetadataCommand::new()
        .manifest_path(root.join("Cargo.toml"))
        .no_deps()
        .exec()?;
    let folder = root.join(WORKSPACE_OUTPUT);
    let mut packages: Vec<Package> = metadata
        .workspace_packages()
        .into_iter()
        .filter(|p| p.manifest_path.as_std_path().starts_with(&folder))
        .cloned()
        .collect();
    packages.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(packages)
}
