//! The crate set a run produces: crate names, the release version, the repository, and how
//! the generated crates reach the hand-written runtime crate.
//!
//! Two kinds of output:
//! - **members of this workspace** (`generated-client/`, and the fixtures' output under
//!   `generator/tests/output/`): the crates depend on `sailpoint-isc-runtime/` by a relative
//!   path and are built, tested and linted with the workspace;
//! - **standalone** (any other `--out`): the set gets a workspace manifest of its own and a
//!   copy of the runtime crate beside the generated ones, so it builds, packages and moves
//!   as one folder with nothing else needed.
//!
//! The release version and repository come from the hand-written `generated-client/release.toml`;
//! the runtime's version from its own manifest.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::render::GeneratedFile;

/// Name of the published facade crate; version crates are `<facade>-<version>`.
pub const FACADE_CRATE: &str = "sailpoint-isc";
/// Name (and folder) of the hand-written runtime crate.
pub const RUNTIME_CRATE: &str = "sailpoint-isc-runtime";
/// The workspace's own output folder, relative to the workspace root.
pub const WORKSPACE_OUTPUT: &str = "generated-client";
/// The hand-written release settings inside [`WORKSPACE_OUTPUT`].
pub const RELEASE_FILE: &str = "release.toml";

/// Everything about the crate set that does not come from the specs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Release {
    /// The facade crate's name, which prefixes the version crates' names.
    pub facade_crate: String,
    /// Version of every generated crate (semver of the Rust API).
    pub version: String,
    /// Source repository URL, for the manifests and READMEs.
    pub repository: String,
    /// Whether the crates may be published (`publish = false` otherwise).
    pub publish: bool,
    /// The runtime crate's version (generated crates require it).
    pub runtime_version: String,
    /// Path from a generated crate's folder to the runtime crate's folder.
    pub runtime_path: String,
    /// The set is its own workspace (a generated root `Cargo.toml` lists its crates).
    pub standalone: bool,
    /// A standalone set's copy of the runtime crate (empty in the workspace).
    #[serde(skip)]
    pub runtime_copy: Vec<GeneratedFile>,
}

#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReleaseFile {
    version: String,
    repository: String,
}

#[derive(Deserialize)]
struct RuntimeManifest {
    package: RuntimePackage,
}

#[derive(Deserialize)]
struct RuntimePackage {
    version: String,
}

fn read_toml<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, ReleaseError> {
    let text = fs::read_to_string(path).map_err(|source| ReleaseError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    toml::from_str(&text).map_err(|e| ReleaseError::Invalid {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

impl Release {
    /// The published crates, in the workspace's `generated-client/`.
    pub fn workspace_crates(workspace: &Path) -> Result<Release, ReleaseError> {
        Self::members(workspace, Path::new(WORKSPACE_OUTPUT), FACADE_CRATE, true)
    }

    /// Crates that are members of the workspace at `out` (relative to its root), named
    /// `facade_crate` and `facade_crate-<version>`.
    pub fn members(
        workspace: &Path,
        out: &Path,
        facade_crate: &str,
        publish: bool,
    ) -> Result<Release, ReleaseError> {
        let (version, repository, runtime_version) = read_settings(workspace)?;
        // One `..` per folder of `out`, and one for the crate's own folder.
        let depth = out.components().count() + 1;
        Ok(Release {
            facade_crate: facade_crate.to_owned(),
            version,
            repository,
            publish,
            runtime_version,
            runtime_path: format!("{}{RUNTIME_CRATE}", "../".repeat(depth)),
            standalone: false,
            runtime_copy: Vec::new(),
        })
    }

    /// A standalone set (its own workspace, with a copy of the runtime), for any folder.
    pub fn standalone(workspace: &Path) -> Result<Release, ReleaseError> {
        let (version, repository, runtime_version) = read_settings(workspace)?;
        Ok(Release {
            facade_crate: FACADE_CRATE.to_owned(),
            version,
            repository,
            publish: true,
            runtime_version,
            runtime_path: format!("../{RUNTIME_CRATE}"),
            standalone: true,
            runtime_copy: runtime_files(&workspace.join(RUNTIME_CRATE))?,
        })
    }

    /// The settings for writing into `out`: the workspace's own crates when `out` is its
    /// `generated-client/`, else a standalone set.
    pub fn for_output(workspace: &Path, out: &Path) -> Result<Release, ReleaseError> {
        if is_workspace_output(workspace, out) {
            Self::workspace_crates(workspace)
        } else {
            Self::standalone(workspace)
        }
    }

    /// The crate name of a version's crate.
    pub fn version_crate(&self, module: &str) -> String {
        version_crate_name(&self.facade_crate, module)
    }
}

/// The crate name of version `module` beside the facade crate `facade`.
pub fn version_crate_name(facade: &str, module: &str) -> String {
    format!("{facade}-{}", module.replace('_', "-"))
}

/// One checked-in output of this workspace: the specs it is generated from, the folder it
/// is written to, and its crate settings.
#[derive(Debug, Clone)]
pub struct CheckedIn {
    pub specs: PathBuf,
    pub out: PathBuf,
    pub release: Release,
}

/// The fixture specs' output: crates of the workspace, so `cargo test` compiles and tests
/// every construct the renderer emits; never published.
pub const FIXTURES_OUTPUT: &str = "generator/tests/output";
/// The fixture specs (one version per construct).
pub const FIXTURE_SPECS: &str = "generator/tests/fixtures/constructs";
/// The fixture crates' facade name (and version crate prefix).
pub const FIXTURE_CRATE: &str = "fixture-client";
/// The resources-layout fixture (`<resource>/openapi.yaml` + `shared/`), and its crates.
pub const RESOURCE_FIXTURE_SPECS: &str = "generator/tests/fixtures/resources";
pub const RESOURCE_FIXTURE_OUTPUT: &str = "generator/tests/output-resources";
pub const RESOURCE_FIXTURE_CRATE: &str = "fixture-resources";

/// What `cargo xtask regenerate` writes and the staleness test checks: the client from
/// `specs/`, the fixtures' crates and the resources-layout fixture's crates.
pub fn checked_in(workspace: &Path) -> Result<Vec<CheckedIn>, ReleaseError> {
    Ok(vec![
        CheckedIn {
            specs: workspace.join("specs"),
            out: workspace.join(WORKSPACE_OUTPUT),
            release: Release::workspace_crates(workspace)?,
        },
        CheckedIn {
            specs: workspace.join(FIXTURE_SPECS),
            out: workspace.join(FIXTURES_OUTPUT),
            release: Release::members(workspace, Path::new(FIXTURES_OUTPUT), FIXTURE_CRATE, false)?,
        },
        CheckedIn {
            specs: workspace.join(RESOURCE_FIXTURE_SPECS),
            out: workspace.join(RESOURCE_FIXTURE_OUTPUT),
            release: Release::members(
                workspace,
                Path::new(RESOURCE_FIXTURE_OUTPUT),
                RESOURCE_FIXTURE_CRATE,
                false,
            )?,
        },
    ])
}

/// (release version, repository, runtime version) from the hand-written files.
fn read_settings(workspace: &Path) -> Result<(String, String, String), ReleaseError> {
    let settings: ReleaseFile = read_toml(&workspace.join(WORKSPACE_OUTPUT).join(RELEASE_FILE))?;
    let runtime: RuntimeManifest = read_toml(&workspace.join(RUNTIME_CRATE).join("Cargo.toml"))?;
    Ok((
        settings.version,
        settings.repository,
        runtime.package.version,
    ))
}

/// The runtime crate's files for a standalone set: its manifest, README and sources,
/// each marked as generated so a later run may replace or remove them.
fn runtime_files(dir: &Path) -> Result<Vec<GeneratedFile>, ReleaseError> {
    let mut files = Vec::new();
    for name in ["Cargo.toml", "README.md"] {
        files.push(copied_file(dir, Path::new(name))?);
    }
    let mut pending = vec![PathBuf::from("src")];
    while let Some(rel) = pending.pop() {
        let abs = dir.join(&rel);
        let entries = fs::read_dir(&abs).map_err(|source| ReleaseError::Io {
            path: abs.clone(),
            source,
        })?;
        for entry in entries {
            let entry = entry.map_err(|source| ReleaseError::Io {
                path: abs.clone(),
                source,
            })?;
            let child = rel.join(entry.file_name());
            if entry.path().is_dir() {
                pending.push(child);
            } else {
                files.push(copied_file(dir, &child)?);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Whether `out` is the workspace's own output folder (compared as canonical paths when
/// both exist, so `./generated-client` and an absolute path agree).
fn is_workspace_output(workspace: &Path, out: &Path) -> bool {
    let own = workspace.join(WORKSPACE_OUTPUT);
    match (own.canonicalize(), out.canonicalize()) {
        (Ok(own), Ok(out)) => own == out,
        _ => own == out,
    }
}

/// One runtime file with the generated-file preamble in its own comment syntax.
fn copied_file(dir: &Path, rel: &Path) -> Result<GeneratedFile, ReleaseError> {
    let path = dir.join(rel);
    let text = fs::read_to_string(&path).map_err(|source| ReleaseError::Io {
        path: path.clone(),
        source,
    })?;
    let rel_text = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let note = format!(
        "{} Copied from {RUNTIME_CRATE}/{rel_text}.",
        crate::render::PREAMBLE
    );
    let marked = match rel.extension().and_then(|e| e.to_str()) {
        Some("md") => format!("<!-- {note} -->\n{text}"),
        Some("toml") => format!("# {note}\n{text}"),
        _ => format!("// {note}\n{text}"),
    };
    Ok(GeneratedFile {
        path: format!("{RUNTIME_CRATE}/{rel_text}"),
        contents: marked,
    })
}
