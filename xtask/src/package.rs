//! `cargo xtask package`: proves the crate set can be published. It regenerates a
//! standalone set into a staging folder, checks crates.io's limits (300 features and 10 MiB
//! compressed per crate), then runs `cargo package` on every crate, each verified by
//! building its packaged tarball (the runtime first; cargo orders them by dependency).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use cargo_metadata::MetadataCommand;
use generator::Release;

use crate::{workspace_root, Failure};

/// crates.io refuses a crate with more features than this.
const MAX_FEATURES: usize = 300;
/// crates.io refuses a `.crate` file larger than this (compressed).
const MAX_CRATE_BYTES: u64 = 10 * 1024 * 1024;

/// Packages (and verifies) every crate of the set generated from the specs.
#[derive(clap::Args, Default)]
pub struct Args {
    /// Specs folder [default: specs/]
    #[arg(long, value_name = "DIR")]
    pub specs: Option<PathBuf>,
    /// Staging folder for the generated set [default: target/package-set/]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Only this version (repeatable) [default: every root file found]
    #[arg(long = "version", value_name = "NAME")]
    pub versions: Vec<String>,
}

/// One packaged crate, as the report prints it.
struct Packaged {
    name: String,
    version: String,
    files: usize,
    bytes: u64,
    features: usize,
}

pub fn run(args: &Args) -> Result<(), Failure> {
    let workspace = workspace_root();
    let specs = args
        .specs
        .clone()
        .unwrap_or_else(|| workspace.join("specs"));
    let staging = args
        .out
        .clone()
        .unwrap_or_else(|| workspace.join("target/package-set"));
    let created = !staging.exists();
    let result = package(&workspace, &specs, &staging, &args.versions);
    if result.is_err() && created {
        // Best effort: the failure being reported matters more than a leftover folder.
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn package(
    workspace: &Path,
    specs: &Path,
    staging: &Path,
    versions: &[String],
) -> Result<(), Failure> {
    let release = Release::for_output(workspace, staging)?;
    if !release.standalone {
        return Err(Failure::new(format!(
            "{}: stage the set anywhere but the workspace's own output folder",
            staging.display()
        )));
    }
    generator::write::check_target(staging, specs)?;
    let apis = generator::build_models(specs, versions)?;
    let files = generator::render::render(&apis, &release)?;
    generator::write::write(staging, &files)?;
    println!("staged {} files in {}", files.len(), staging.display());

    let manifest = staging.join("Cargo.toml");
    let target = workspace.join("target/package-build");
    let crates = workspace_crates(&manifest)?;
    for (name, _, features) in &crates {
        if *features > MAX_FEATURES {
            return Err(Failure::new(format!(
                "{name}: {features} features, above crates.io's limit of {MAX_FEATURES}"
            )));
        }
    }
    cargo_package(&manifest, &target, false)?;
    let mut packaged = Vec::new();
    for (name, version, features) in crates {
        let bytes = crate_size(&target, &name, &version)?;
        if bytes > MAX_CRATE_BYTES {
            return Err(Failure::new(format!(
                "{name}: {} compressed, above crates.io's limit of {}",
                size(bytes),
                size(MAX_CRATE_BYTES)
            )));
        }
        let files = listed_files(&manifest, &name)?;
        packaged.push(Packaged {
            name,
            version,
            files,
            bytes,
            features,
        });
    }
    println!("verifying: cargo package builds every packaged crate");
    cargo_package(&manifest, &target, true)?;
    let width = packaged.iter().map(|p| p.name.len()).max().unwrap_or(0);
    println!(
        "\n{:<width$} {:>9} {:>7} {:>12} {:>9}",
        "crate", "version", "files", "compressed", "features"
    );
    for p in &packaged {
        println!(
            "{:<width$} {:>9} {:>7} {:>12} {:>9}",
            p.name,
            p.version,
            p.files,
            size(p.bytes),
            p.features
        );
    }
    println!(
        "\n{} crates packaged and verified; limits: {MAX_FEATURES} features, {} per crate. The .crate files are in {}",
        packaged.len(),
        size(MAX_CRATE_BYTES),
        target.join("package").display()
    );
    Ok(())
}

/// Every crate of the staged workspace: name, version and feature count, in name order.
fn workspace_crates(manifest: &Path) -> Result<Vec<(String, String, usize)>, Failure> {
    let metadata = MetadataCommand::new()
        .manifest_path(manifest)
        .no_deps()
        .exec()?;
    let mut crates: Vec<(String, String, usize)> = metadata
        .workspace_packages()
        .iter()
        .map(|p| (p.name.to_string(), p.version.to_string(), p.features.len()))
        .collect();
    crates.sort();
    Ok(crates)
}

/// `cargo package` of the whole staged workspace, verified or not.
fn cargo_package(manifest: &Path, target: &Path, verify: bool) -> Result<(), Failure> {
    let mut command = Command::new(env!("CARGO"));
    command
        .args(["package", "--workspace", "--allow-dirty", "--quiet"])
        .arg("--manifest-path")
        .arg(manifest)
        .envs(crate::run::scratch_env(target));
    if verify {
        command.env("CARGO_HOME", private_cargo_home(target)?);
    } else {
        command.arg("--no-verify");
    }
    crate::run::status(command)
}

/// A cargo home for the verification whose extracted sources are its own. Cargo
/// verifies each packaged crate against the others through a local registry, and
/// extracts them under `$CARGO_HOME/registry/src` once per name and version: a crate
/// packaged again under the same version would be checked against the stale copy
/// extracted by an earlier run. The index, the downloaded crates and the settings are
/// the user's (linked), so nothing is downloaded again.
fn private_cargo_home(target: &Path) -> Result<PathBuf, Failure> {
    let home = target.join("cargo-home");
    let user = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::home_dir().map(|h| h.join(".cargo")))
        .ok_or_else(|| Failure::new("cannot tell where the cargo home is"))?;
    let fail = |path: &Path, e: std::io::Error| Failure::new(format!("{}: {e}", path.display()));
    if home.exists() {
        fs::remove_dir_all(&home).map_err(|e| fail(&home, e))?;
    }
    fs::create_dir_all(home.join("registry")).map_err(|e| fail(&home, e))?;
    for shared in [
        "registry/index",
        "registry/cache",
        "git",
        "config.toml",
        "config",
    ] {
        let from = user.join(shared);
        if from.exists() {
            link(&from, &home.join(shared)).map_err(|e| fail(&from, e))?;
        }
    }
    Ok(home)
}

#[cfg(unix)]
fn link(from: &Path, to: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(from, to)
}

#[cfg(windows)]
fn link(from: &Path, to: &Path) -> std::io::Result<()> {
    if from.is_dir() {
        std::os::windows::fs::symlink_dir(from, to)
    } else {
        std::os::windows::fs::symlink_file(from, to)
    }
}

/// The compressed size of a crate's `.crate` file.
fn crate_size(target: &Path, name: &str, version: &str) -> Result<u64, Failure> {
    let path = target
        .join("package")
        .join(format!("{name}-{version}.crate"));
    let metadata = fs::metadata(&path)
        .map_err(|e| Failure::new(format!("{name}: {}: {e}", path.display())))?;
    Ok(metadata.len())
}

/// How many files `cargo package` puts in the crate.
fn listed_files(manifest: &Path, name: &str) -> Result<usize, Failure> {
    let output = Command::new(env!("CARGO"))
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--quiet",
            "--package",
            name,
        ])
        .arg("--manifest-path")
        .arg(manifest)
        .output()?;
    if !output.status.success() {
        return Err(Failure::new(format!(
            "{name}: cargo package --list failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    Ok(String::from_utf8_lossy(&output.stdout).lines().count())
}

/// Bytes as KiB or MiB.
fn size(bytes: u64) -> String {
    let kib = bytes as f64 / 1024.0;
    if kib < 1024.0 {
        format!("{kib:.1} KiB")
    } else {
        format!("{:.2} MiB", kib / 1024.0)
    }
}
