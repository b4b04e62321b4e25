//! Errors and warnings of the load stage. Every one of them says where: the file
//! (relative to the specs folder), the line when it could be found, and the JSON pointer.

use std::fmt;
use std::path::PathBuf;

use super::pointer;

/// A place in a spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// Relative to the specs folder.
    pub file: PathBuf,
    /// 1-based, when it could be found in the text.
    pub line: Option<usize>,
    /// Escaped JSON pointer; `""` is the whole file.
    pub pointer: String,
}

impl fmt::Display for Location {
    /// `file:line: #pointer` (`file: #pointer` when the line is unknown).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}", pointer::display(&self.pointer))
    }
}

/// A spec defect that was tolerated (and how), reported to the user but not fatal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub pointer: String,
    pub line: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    pub(crate) fn new(at: Location, message: String) -> Self {
        Diagnostic {
            file: at.file,
            pointer: at.pointer,
            line: at.line,
            message,
        }
    }

    pub fn location(&self) -> Location {
        Location {
            file: self.file.clone(),
            line: self.line,
            pointer: self.pointer.clone(),
        }
    }
}

impl fmt::Display for Diagnostic {
    /// `file:line: pointer: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

/// Why a spec could not be loaded.
#[derive(thiserror::Error, Debug)]
pub enum LoadError {
    #[error("{at}: cannot read: {source}")]
    Io {
        at: Location,
        #[source]
        source: std::io::Error,
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
            | LoadError::MissingRoot { at, .. }
            | LoadError::BadVersionName { at, .. }
            | LoadError::Yaml { at, .. }
            | LoadError::UnsupportedVersion { at, .. }
            | LoadError::RemoteRef { at, .. }
            | LoadError::OutsideRoot { at, .. }
            | LoadError::MissingFile { at, .. }
            | LoadError::MissingPointer { at, .. }
            | LoadError::BadRef { at, .. }
            | LoadError::RefCycle { at, .. }
            | LoadError::Typed { at, .. } => at,
        }
    }
}
