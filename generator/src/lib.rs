//! Turns SailPoint ISC OpenAPI 3.0 specs into the `sailpoint-isc` Rust client crate.
//!
//! The pipeline reads top to bottom, one module per stage, talking through plain data:
//! [`load`] (multi-file YAML, `$ref`s resolved, one bundled document per version) ->
//! [`model`] (a normalized API model per version) -> [`render`] (Rust via `quote` +
//! `prettyplease`, other files via `minijinja`) -> [`write`] (atomic, stale files removed).
//! [`diff`] compares two models and says what a spec change means for the client's users.

pub mod diff;
pub mod load;
pub mod location;
pub mod model;
mod parallel;
mod pointer;
pub mod release;
pub mod render;
pub mod synthetic;
pub mod write;

use std::path::Path;

pub use location::{Diagnostic, Location};
pub use release::Release;
pub use render::GeneratedFile;

/// Anything that stops generation.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Boxed: load errors carry file, pointer and context, and errors travel far.
    #[error(transparent)]
    Load(Box<load::LoadError>),
    #[error(transparent)]
    Model(#[from] model::ModelError),
    #[error(transparent)]
    Render(#[from] render::RenderError),
    #[error(transparent)]
    Write(#[from] write::WriteError),
    #[error(transparent)]
    Release(#[from] release::ReleaseError),
    #[error("no version `{wanted}` in {dir} (found: {found})")]
    UnknownVersion {
        wanted: String,
        dir: String,
        found: String,
    },
    #[error("{dir}: no spec here: neither `sailpoint-api.<version>.yaml` root files nor `<resource>/openapi.yaml` folders")]
    NoRoots { dir: String },
}

impl From<load::LoadError> for Error {
    fn from(error: load::LoadError) -> Self {
        Error::Load(Box::new(error))
    }
}

/// The output of a run: every version's model and the rendered files.
#[derive(Debug)]
pub struct Generated {
    pub apis: Vec<model::Api>,
    pub files: Vec<GeneratedFile>,
}

/// Loads and models the chosen versions (all of them when `versions` is empty). Versions
/// are independent, so they are built in parallel, on at most one thread per core.
pub fn build_models(specs_dir: &Path, versions: &[String]) -> Result<Vec<model::Api>, Error> {
    let chosen = choose_versions(specs_dir, versions)?;
    let results = parallel::map(&chosen, |version| -> Result<model::Api, Error> {
        let spec = load::load_version(specs_dir, version)?;
        let mut api = model::build(&spec)?;
        load::locate_lines(specs_dir, &mut api.warnings);
        Ok(api)
    });
    let mut apis = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    model::name_versions(&mut apis);
    let shared = model::shared::extract(&mut apis);
    apis.extend(shared);
    Ok(apis)
}

/// The versions found in `specs_dir` that `versions` names (all of them when it is empty),
/// sorted; an unknown name is an error listing the ones found.
pub fn choose_versions(specs_dir: &Path, versions: &[String]) -> Result<Vec<String>, Error> {
    let found = load::discover_versions(specs_dir)?;
    if found.is_empty() {
        // Most likely a wrong path: an empty crate set would hide it.
        return Err(Error::NoRoots {
            dir: specs_dir.display().to_string(),
        });
    }
    if let Some(wanted) = versions.iter().find(|v| !found.contains(v)) {
        return Err(Error::UnknownVersion {
            wanted: wanted.clone(),
            dir: specs_dir.display().to_string(),
            found: found.join(", "),
        });
    }
    Ok(found
        .into_iter()
        .filter(|v| versions.is_empty() || versions.contains(v))
        .collect())
}

/// Runs load -> model -> render for the chosen versions; writes nothing.
pub fn generate(
    specs_dir: &Path,
    versions: &[String],
    release: &Release,
) -> Result<Generated, Error> {
    let apis = build_models(specs_dir, versions)?;
    let files = render::render(&apis, release)?;
    Ok(Generated { apis, files })
}
