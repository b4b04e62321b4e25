//! Errors and warnings of the load stage. Every one of them says where: the file
//! (relative to the specs folder), the line when it could be found, and the JSON pointer.

use std::path::PathBuf;

use crate::location::Location;
use crate::pointer;

/// Why a spec could not be loaded.
#[derive(thiserror::Error, Debug)]
pub enum LoadError {
    #[error("{at}: cannot read: {source}")]
    Io {
        at: Location,
        #[source]
        source: std::io::Error,
    },

    #[error("{at}: cannot read `{}`: {source}", target.display())]
    Unreadable {
        at: Location,
        target: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// `at` is the `$ref` naming the file (the file itself for a root file).
    #[error("{at}: `{}` is {found}, not a spec file (only regular files are read)", target.display())]
    NotAFile {
        at: Location,
        target: PathBuf,
        found: &'static str,
    },

    #[error("{at}: `{}` is {size} bytes, more than the {limit} bytes a spec file may have", target.display())]
    TooLarge {
        at: Location,
        target: PathBuf,
        size: u64,
        limit: u64,
    },

    #[error("{at}: root file for version `{version}` not found (expected `sailpoint-api.{version}.yaml` in the specs folder)")]
    MissingRoot { at: Location, version: String },

    #[error("{at}: `{version}` is not a valid version name (it must be a plain file-name part)")]
    BadVersionName { at: Location, version: String },

    #[error("{at}: invalid YAML: {message}")]
    Yaml {
        at: Location,
        column: Option<usize>,
        message: String,
    },

    #[error("{at}: {found} found, but only OpenAPI 3.0.x is supported")]
    UnsupportedVersion { at: Location, found: String },

    #[error("{at}: remote reference `{reference}` refused: only relative file references are allowed (no network access)")]
    RemoteRef { at: Location, reference: String },

    #[error("{at}: reference `{reference}` leaves the specs folder (resolves to `{}`)", resolved.display())]
    OutsideRoot {
        at: Location,
        reference: String,
        resolved: PathBuf,
    },

    #[error("{at}: dangling reference `{reference}`: file `{}` not found", target.display())]
    MissingFile {
        at: Location,
        reference: String,
        target: PathBuf,
    },

    #[error("{at}: dangling reference: `{}` has nothing at {}", target_file.display(), pointer::display(target_pointer))]
    MissingPointer {
        at: Location,
        target_file: PathBuf,
        target_pointer: String,
    },

    #[error("{at}: invalid reference: {reason}")]
    BadRef { at: Location, reason: String },

    #[error("{at}: {reason}")]
    Invalid { at: Location, reason: String },

    #[error("{at}: reference cycle: {chain}")]
    RefCycle { at: Location, chain: String },

    #[error(
        "{at}: not a valid OpenAPI 3.0 document at {} of the bundled spec: {message}",
        pointer::display(bundled_pointer)
    )]
    Typed {
        at: Location,
        /// Where in the bundled document the typed parse failed.
        bundled_pointer: String,
        message: String,
    },
}

impl LoadError {
    /// Where the problem is.
    pub fn location(&self) -> &Location {
        match self {
            LoadError::Io { at, .. }
            | LoadError::Unreadable { at, .. }
            | LoadError::NotAFile { at, .. }
            | LoadError::TooLarge { at, .. }
            | LoadError::MissingRoot { at, .. }
            | LoadError::BadVersionName { at, .. }
            | LoadError::Yaml { at, .. }
            | LoadError::UnsupportedVersion { at, .. }
            | LoadError::RemoteRef { at, .. }
            | LoadError::OutsideRoot { at, .. }
            | LoadError::MissingFile { at, .. }
            | LoadError::MissingPointer { at, .. }
            | LoadError::BadRef { at, .. }
            | LoadError::Invalid { at, .. }
            | LoadError::RefCycle { at, .. }
            | LoadError::Typed { at, .. } => at,
        }
    }
}
