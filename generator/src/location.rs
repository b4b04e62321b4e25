//! Where things are in the source specs. One [`Location`] (file, line, JSON pointer) serves
//! load errors, model warnings and the diff; a [`Diagnostic`] is a spec defect that was
//! worked around, with its location.

use std::fmt;
use std::path::PathBuf;

use crate::pointer;

/// A place in a spec file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    /// Relative to the specs folder.
    pub file: PathBuf,
    /// 1-based, when it could be found in the text.
    pub line: Option<usize>,
    /// Escaped JSON pointer; `""` is the whole file.
    pub pointer: String,
}

impl Location {
    /// A place whose line is not known (yet).
    pub fn new(file: impl Into<PathBuf>, pointer: impl Into<String>) -> Self {
        Location {
            file: file.into(),
            line: None,
            pointer: pointer.into(),
        }
    }

    /// The place one (unescaped) segment below this one; its line is not known.
    pub fn child(&self, segment: &str) -> Location {
        Location::new(self.file.clone(), pointer::join(&self.pointer, segment))
    }
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
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Diagnostic {
    pub at: Location,
    pub message: String,
}

impl Diagnostic {
    pub fn new(at: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            at,
            message: message.into(),
        }
    }
}

/// `diagnostics` without repeats, in first-seen order: a schema read twice (once to
/// shape it, once to name it) must not report its defect twice.
pub fn distinct(diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut seen = std::collections::HashSet::new();
    diagnostics
        .into_iter()
        .filter(|d| seen.insert(d.clone()))
        .collect()
}

impl fmt::Display for Diagnostic {
    /// `file:line: #pointer: message`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}
