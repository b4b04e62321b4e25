//! The runtime's modules import each other in one direction only: a cycle (auth ↔
//! client, as there once was) makes every module of it depend on all the others.
//! Reads `src/*.rs` and fails on any cycle of `crate::module` references in code
//! (comments and doc links are skipped).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module name -> modules its code names as `crate::module`.
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut graph = BTreeMap::new();
    for entry in std::fs::read_dir(&src).expect("src/ is readable") {
        let path = entry.expect("directory entry").path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if name == "lib" || path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("source is readable");
        let mut uses = BTreeSet::new();
        for line in text.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (index, _) in line.match_indices("crate::") {
                let rest = &line[index + "crate::".len()..];
                let module: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                // `crate::{a, b}` groups are not used in this crate; a capitalised name
                // is a re-exported item at the root, not a module.
                if !module.is_empty()
                    && module != name
                    && module.starts_with(|c: char| c.is_ascii_lowercase())
                {
                    uses.insert(module);
                }
            }
        }
        graph.insert(name.to_owned(), uses);
    }
    graph
}

/// A cycle through `node`, if any, as the list of modules on it.
fn find_cycle(
    graph: &BTreeMap<String, BTreeSet<String>>,
    node: &str,
    stack: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(start) = stack.iter().position(|n| n == node) {
        let mut cycle = stack[start..].to_vec();
        cycle.push(node.to_owned());
        return Some(cycle);
    }
    if done.contains(node) {
        return None;
    }
    stack.push(node.to_owned());
    for next in graph.get(node).into_iter().flatten() {
        if let Some(cycle) = find_cycle(graph, next, stack, done) {
            return Some(cycle);
        }
    }
    stack.pop();
    done.insert(node.to_owned());
    None
}

#[test]
fn internal_imports_form_a_one_way_graph() {
    let graph = module_graph();
    assert!(
        graph.contains_key("client") && graph.contains_key("auth"),
        "{graph:?}"
    );
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        if let Some(cycle) = find_cycle(&graph, node, &mut Vec::new(), &mut done) {
            panic!("module cycle: {}\n{graph:#?}", cycle.join(" -> "));
        }
    }
    // The two dependencies the split removed.
    assert!(!graph["auth"].contains("client"), "{graph:?}");
    assert!(!graph["config"].contains("auth"), "{graph:?}");
}
