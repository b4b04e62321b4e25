//! Reading and parsing the files a version will need, in parallel, before the (strictly
//! sequential, deterministic) bundling walk.
//!
//! YAML parsing is most of the load time, and the reference graph is known as soon as a
//! file is parsed, so we go breadth-first: parse a frontier of files on all cores,
//! collect the files they reference, repeat. Results only fill a cache: errors and
//! warnings are still raised by [`super::files::Files`] when the walk reaches a file, so
//! what the user sees does not depend on thread timing.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::thread;

use super::files::{normalize, read_spec_file, Canon, ReadError};
use super::node::{parse_yaml, DuplicateKey, Node};
use crate::pointer::parse_ref;

/// A parsed file: its tree and the duplicated keys that were tolerated.
pub(crate) type Tree = (Node, Vec<DuplicateKey>);

/// A file's text and parse, or why it could not be read.
pub(crate) type Parsed = Result<(String, Result<Tree, serde_yaml::Error>), ReadError>;

/// Reads and parses one file.
pub(crate) fn read_and_parse(path: &Path) -> Parsed {
    let text = read_spec_file(path)?;
    // A byte-order mark is legal YAML; drop it so line numbers stay simple.
    let text = match text.strip_prefix('\u{feff}') {
        Some(stripped) => stripped.to_owned(),
        None => text,
    };
    let tree = parse_yaml(&text);
    Ok((text, tree))
}

/// Parses everything reachable from `start` (already parsed) inside `root_dir`.
/// Returns canonical path -> parse result. Paths are canonicalized (and checked to stay
/// inside `root_dir`) on this thread, so no worker ever reads outside the folder.
pub(crate) fn run(
    root_dir: &Path,
    canon: &mut Canon,
    start: &Path,
    start_tree: &Node,
) -> HashMap<PathBuf, Parsed> {
    let mut out = HashMap::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut frontier = referenced_files(start, start_tree, root_dir, canon, &mut seen);
    let workers = thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    while !frontier.is_empty() {
        let results = parse_all(&frontier, workers);
        let mut next = Vec::new();
        for (canonical, parsed) in frontier.into_iter().zip(results) {
            if let Ok((_, Ok((tree, _)))) = &parsed {
                next.extend(referenced_files(
                    &canonical, tree, root_dir, canon, &mut seen,
                ));
            }
            out.insert(canonical, parsed);
        }
        frontier = next;
    }
    out
}

/// Parses `paths` on up to `workers` threads; results in input order.
fn parse_all(paths: &[PathBuf], workers: usize) -> Vec<Parsed> {
    if workers <= 1 || paths.len() < 2 {
        return paths.iter().map(|p| read_and_parse(p)).collect();
    }
    let chunk = paths.len().div_ceil(workers);
    thread::scope(|s| {
        let handles: Vec<_> = paths
            .chunks(chunk)
            .map(|part| s.spawn(move || part.iter().map(|p| read_and_parse(p)).collect::<Vec<_>>()))
            .collect();
        handles
            .into_iter()
            .zip(paths.chunks(chunk))
            // A worker that panicked loses nothing: its files are parsed again here.
            .flat_map(|(h, part)| {
                h.join()
                    .unwrap_or_else(|_| part.iter().map(|p| read_and_parse(p)).collect())
            })
            .collect()
    })
}

/// Canonical paths of the files referenced from `tree` (a file at `file`) that stay inside
/// `root_dir`, exist, and have not been seen yet. Refs anywhere count, even in example
/// data: prefetching a file the walk does not need costs a little time, never correctness.
fn referenced_files(
    file: &Path,
    tree: &Node,
    root_dir: &Path,
    canon: &mut Canon,
    seen: &mut HashSet<PathBuf>,
) -> Vec<PathBuf> {
    let dir = file.parent().unwrap_or(root_dir);
    let mut refs = Vec::new();
    collect_refs(tree, &mut refs);
    let mut out = Vec::new();
    for reference in refs {
        let Ok(parts) = parse_ref(reference) else {
            continue;
        };
        if parts.file.is_empty() {
            continue;
        }
        let joined = normalize(&dir.join(&parts.file));
        if !joined.starts_with(root_dir) {
            continue;
        }
        let Ok(canonical) = canon.file(&joined) else {
            continue;
        };
        if canonical.starts_with(root_dir) && seen.insert(canonical.clone()) {
            out.push(canonical);
        }
    }
    out
}

/// `$ref` values and discriminator-mapping-like strings, in document order.
fn collect_refs<'n>(node: &'n Node, out: &mut Vec<&'n str>) {
    match node {
        Node::Map(map) => {
            for (k, v) in map.iter() {
                match (k.as_str(), v) {
                    ("$ref", Node::Str(s)) => out.push(s),
                    ("mapping", Node::Map(mapping)) => {
                        out.extend(mapping.iter().filter_map(|(_, v)| v.as_str()));
                        collect_refs(v, out);
                    }
                    _ => collect_refs(v, out),
                }
            }
        }
        Node::Seq(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}
