//! Renderings of a [`Diff`]: a Markdown report for a pull request, stable JSON, GitHub
//! workflow annotations, and a Keep a Changelog section. All are pure functions of the
//! diff (and the version advice), so the same inputs give byte-identical output.

mod changelog;
mod github;
mod json;
mod markdown;

pub use changelog::{prepend as prepend_changelog, section as changelog_section};
pub use github::github;
pub use json::{json, JSON_SCHEMA_VERSION};
pub use markdown::markdown;

use super::{Change, Diff};

/// `file:line` (or `file` when the line is unknown), the file below its side's root.
fn file_line(diff: &Diff, change: &Change) -> String {
    let file = diff.shown_file(change);
    match change.location.line {
        Some(line) => format!("{file}:{line}"),
        None => file,
    }
}

/// The pointer as a URI fragment, `#` being the whole file.
fn fragment(change: &Change) -> String {
    format!("#{}", change.location.pointer)
}

/// Text safe inside a Markdown code span: backticks would end it.
fn code(text: &str) -> String {
    format!("`{}`", text.replace('`', "'"))
}
