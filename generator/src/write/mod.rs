//! Write: puts rendered files on disk atomically and reports what is stale.
//!
//! Every changed file is first written to a temporary sibling; only when all of them are
//! written are they renamed into place, so a failure leaves the previous output untouched.
//! Generated files are recognised by the preamble on their first line: those no longer
//! produced are removed, and hand-written files (the runtime, tests, examples) are never
//! touched.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::render::{GeneratedFile, PREAMBLE};

/// How one output file differs from what is on disk.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Added(String),
    Modified(String),
    Removed(String),
}

impl std::fmt::Display for Change {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Change::Added(p) => write!(f, "missing: {p}"),
            Change::Modified(p) => write!(f, "stale:   {p}"),
            Change::Removed(p) => write!(f, "extra:   {p}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("{path}: a hand-written file is where a generated one would go; move it, or choose another output folder")]
    HandWritten { path: PathBuf },
    #[error("{path}: two generated files have this path (two spec names map to one Rust name)")]
    TwoOutputs { path: String },
    #[error(
        "{path}: a file name of {length} bytes is longer than file systems allow ({NAME_MAX})"
    )]
    NameTooLong { path: String, length: usize },
    #[error("{out}: the output must be a folder, and this is a file")]
    NotAFolder { out: PathBuf },
    #[error("{out}: the output folder is inside the specs folder {specs}")]
    InsideSpecs { out: PathBuf, specs: PathBuf },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> WriteError + '_ {
    move |source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Directories never scanned for generated files.
fn skipped(name: &str) -> bool {
    name == "target" || name.starts_with('.')
}

/// Generated files currently under `out`, relative paths with `/` separators, sorted.
fn existing_generated(out: &Path) -> Result<Vec<String>, WriteError> {
    let mut found = Vec::new();
    let mut stack = vec![out.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let entries = match fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io_error(&dir)(e)),
        };
        for entry in entries {
            let entry = entry.map_err(io_error(&dir))?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            let file_type = entry.file_type().map_err(io_error(&path))?;
            if file_type.is_dir() {
                if !skipped(&name) {
                    stack.push(path);
                }
            } else if file_type.is_file() && is_generated(&path) {
                if let Ok(relative) = path.strip_prefix(out) {
                    let parts: Vec<String> = relative
                        .components()
                        .map(|c| c.as_os_str().to_string_lossy().into_owned())
                        .collect();
                    found.push(parts.join("/"));
                }
            }
        }
    }
    found.sort();
    Ok(found)
}

/// A file is generated when its first line carries the preamble.
fn is_generated(path: &Path) -> bool {
    use io::BufRead;
    let Ok(file) = fs::File::open(path) else {
        return false;
    };
    let mut first = String::new();
    io::BufReader::new(file).read_line(&mut first).is_ok() && first.contains(PREAMBLE)
}

/// Checks, before anything is written, that `out` can take generated output: it is a
/// folder (or does not exist yet) and it is not inside the specs folder.
pub fn check_target(out: &Path, specs: &Path) -> Result<(), WriteError> {
    if out.exists() && !out.is_dir() {
        return Err(WriteError::NotAFolder {
            out: out.to_path_buf(),
        });
    }
    let specs_abs = specs.canonicalize().map_err(io_error(specs))?;
    if resolve(out)?.starts_with(&specs_abs) {
        return Err(WriteError::InsideSpecs {
            out: out.to_path_buf(),
            specs: specs.to_path_buf(),
        });
    }
    Ok(())
}

/// `path` made absolute through its nearest existing ancestor (the rest may not exist yet).
fn resolve(path: &Path) -> Result<PathBuf, WriteError> {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_err(io_error(path))?.join(path)
    };
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
            break;
        };
        rest.push(name.to_os_string());
        existing = parent;
    }
    let mut resolved = existing.canonicalize().map_err(io_error(existing))?;
    resolved.extend(rest.iter().rev());
    Ok(resolved)
}

/// What writing `files` into `out` would change (`--check` reports exactly this). A file
/// that would replace a hand-written one is an error.
pub fn diff(out: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>, WriteError> {
    let mut changes = Vec::new();
    for file in files {
        let path = out.join(&file.path);
        match fs::read(&path) {
            Ok(current) if current == file.contents.as_bytes() => {}
            Ok(_) if !is_generated(&path) => return Err(WriteError::HandWritten { path }),
            Ok(_) => changes.push(Change::Modified(file.path.clone())),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                changes.push(Change::Added(file.path.clone()))
            }
            Err(e) => return Err(io_error(&path)(e)),
        }
    }
    for existing in existing_generated(out)? {
        if !files.iter().any(|f| f.path == existing) {
            changes.push(Change::Removed(existing));
        }
    }
    changes.sort();
    Ok(changes)
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".regenerate-tmp");
    path.with_file_name(name)
}

/// Where changed files are written before they are moved into place (inside `out`, so the
/// move is a rename on one file system; the leading `.` keeps it out of the scan for
/// generated files).
const STAGING: &str = ".regenerate-staging";

/// The longest file name most file systems take (bytes).
const NAME_MAX: usize = 255;

/// Checks the whole plan before anything is written: one file per path, and every name
/// short enough for the file system.
fn check_plan(files: &[GeneratedFile]) -> Result<(), WriteError> {
    let mut seen = std::collections::BTreeSet::new();
    for file in files {
        if !seen.insert(file.path.as_str()) {
            return Err(WriteError::TwoOutputs {
                path: file.path.clone(),
            });
        }
        if let Some(name) = file.path.split('/').find(|name| name.len() > NAME_MAX) {
            return Err(WriteError::NameTooLong {
                path: file.path.clone(),
                length: name.len(),
            });
        }
    }
    Ok(())
}

/// Writes `files` into `out`: check the plan, stage every changed file, then move them all
/// into place and remove generated files that are no longer produced. Returns what
/// changed. Nothing in `out` is touched unless every file was staged.
pub fn write(out: &Path, files: &[GeneratedFile]) -> Result<Vec<Change>, WriteError> {
    check_plan(files)?;
    let changes = diff(out, files)?;
    let staging = out.join(STAGING);
    let staged = stage(&staging, &changes, files).inspect_err(|_| {
        // Best effort: the error being reported matters more than a leftover folder.
        let _ = fs::remove_dir_all(&staging);
    })?;
    for (temp, rel) in &staged {
        let target = out.join(rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(io_error(parent))?;
        }
        fs::rename(temp, &target).map_err(io_error(&target))?;
    }
    if staging.exists() {
        fs::remove_dir_all(&staging).map_err(io_error(&staging))?;
    }
    for change in &changes {
        if let Change::Removed(rel) = change {
            let path = out.join(rel);
            fs::remove_file(&path).map_err(io_error(&path))?;
            remove_empty_parents(out, &path);
        }
    }
    Ok(changes)
}

/// Writes every added or modified file into `staging` under a short numbered name;
/// returns (staged file, relative target path).
fn stage(
    staging: &Path,
    changes: &[Change],
    files: &[GeneratedFile],
) -> Result<Vec<(PathBuf, String)>, WriteError> {
    if staging.exists() {
        fs::remove_dir_all(staging).map_err(io_error(staging))?;
    }
    let by_path: std::collections::BTreeMap<&str, &GeneratedFile> =
        files.iter().map(|f| (f.path.as_str(), f)).collect();
    let mut staged = Vec::new();
    for change in changes {
        let (Change::Added(rel) | Change::Modified(rel)) = change else {
            continue;
        };
        let Some(file) = by_path.get(rel.as_str()) else {
            continue;
        };
        if staged.is_empty() {
            fs::create_dir_all(staging).map_err(io_error(staging))?;
        }
        let temp = staging.join(staged.len().to_string());
        fs::write(&temp, &file.contents).map_err(io_error(&temp))?;
        staged.push((temp, rel.clone()));
    }
    Ok(staged)
}

/// Writes one file atomically: a temporary sibling, then a rename over the target.
pub fn write_file(path: &Path, contents: &str) -> Result<(), WriteError> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(io_error(parent))?;
    }
    let temp = temp_path(path);
    fs::write(&temp, contents).map_err(io_error(&temp))?;
    fs::rename(&temp, path).map_err(|e| {
        // Best effort: the rename error is the one to report.
        let _ = fs::remove_file(&temp);
        io_error(path)(e)
    })
}

/// Removes directories left empty by removed files, up to (not including) `out`.
fn remove_empty_parents(out: &Path, file: &Path) {
    let mut dir = file.parent();
    while let Some(d) = dir {
        if d == out || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
}
