//! Finding the source line of a JSON pointer in block-style YAML text.
//!
//! `serde_yaml` does not keep positions on parsed values, so errors and origins get their
//! line numbers by walking the text: mapping keys by indentation, `- ` sequence items
//! by counting. Flow style (`{a: 1}`, `[1, 2]`) is not descended into; the nearest
//! enclosing line is the best we offer there (see [`locate_nearest`]).

use crate::pointer;

/// 1-based line of the value at `pointer` (escaped JSON pointer) in `text`, if it can be
/// found by walking block-style YAML. `""` is the whole document (line 1).
pub fn locate_line(text: &str, pointer: &str) -> Option<usize> {
    let (line, exact) = locate_nearest(text, pointer);
    exact.then_some(line)
}

/// Like [`locate_line`] but never gives up: returns the line of the deepest pointer
/// prefix that was found, and whether the whole pointer was found.
pub(crate) fn locate_nearest(text: &str, pointer: &str) -> (usize, bool) {
    if pointer.is_empty() {
        // The whole document: no need to scan the text.
        return (1, true);
    }
    let lines = virtual_lines(text);
    let mut scope = Scope::document();
    let mut found_line = first_content_line(&lines).unwrap_or(1);
    for seg in pointer::segments(pointer) {
        let hit = match seg.parse::<usize>() {
            // Numeric segments may be sequence indexes or mapping keys (`200:`).
            Ok(index) => {
                find_item(&lines, scope, index).or_else(|| find_key(&lines, scope, &seg, 0))
            }
            Err(_) => find_key(&lines, scope, &seg, 0),
        };
        match hit {
            Some(next) => {
                found_line = lines[next.entry].line;
                scope = next.scope;
            }
            None => return (found_line, false),
        }
    }
    (found_line, true)
}

/// The line of the second occurrence of the last segment of `pointer` within its mapping
/// (used to point at a duplicated key).
pub(crate) fn locate_duplicate(text: &str, pointer: &str) -> Option<usize> {
    let (parent, last) = pointer.rsplit_once('/')?;
    let lines = virtual_lines(text);
    let mut scope = Scope::document();
    for seg in pointer::segments(parent) {
        let next = match seg.parse::<usize>() {
            Ok(index) => {
                find_item(&lines, scope, index).or_else(|| find_key(&lines, scope, &seg, 0))
            }
            Err(_) => find_key(&lines, scope, &seg, 0),
        }?;
        scope = next.scope;
    }
    find_key(&lines, scope, &pointer::unescape(last), 1).map(|hit| lines[hit.entry].line)
}

/// One logical line: `- - key: v` yields two dashes and one content entry, each with the
/// column where it starts, so nested sequence items look like ordinary indented lines.
struct VLine<'t> {
    line: usize,
    indent: usize,
    /// `None` for a `-` sequence-item marker.
    content: Option<&'t str>,
}

fn virtual_lines(text: &str) -> Vec<VLine<'_>> {
    let mut out = Vec::new();
    for (idx, raw) in text.lines().enumerate() {
        let trimmed = raw.trim_start_matches(' ');
        if trimmed.is_empty()
            || trimmed.starts_with('#')
            || trimmed.starts_with("---")
            || trimmed.starts_with("...")
        {
            continue;
        }
        let mut indent = raw.len() - trimmed.len();
        let mut rest = trimmed;
        loop {
            let is_dash = rest == "-" || rest.starts_with("- ");
            if !is_dash {
                out.push(VLine {
                    line: idx + 1,
                    indent,
                    content: Some(rest),
                });
                break;
            }
            out.push(VLine {
                line: idx + 1,
                indent,
                content: None,
            });
            let after = &rest[1..];
            let inner = after.trim_start_matches(' ');
            if inner.is_empty() || inner.starts_with('#') {
                break;
            }
            indent += 1 + (after.len() - inner.len());
            rest = inner;
        }
    }
    out
}

fn first_content_line(lines: &[VLine]) -> Option<usize> {
    lines.first().map(|l| l.line)
}

/// Where the children of a node start: the entry index after the node's own entry, and the
/// node's indentation (children must be deeper, except sequence items under a key).
#[derive(Clone, Copy)]
struct Scope {
    start: usize,
    /// Indentation of the owning key or dash; `None` for the document itself.
    owner_indent: Option<usize>,
    /// The owner is a mapping key (its sequence value may sit at the key's own column).
    owner_is_key: bool,
}

impl Scope {
    fn document() -> Self {
        Scope {
            start: 0,
            owner_indent: None,
            owner_is_key: false,
        }
    }

    fn child_of(entry: usize, lines: &[VLine], is_key: bool) -> Self {
        Scope {
            start: entry + 1,
            owner_indent: Some(lines[entry].indent),
            owner_is_key: is_key,
        }
    }

    /// Is `indent` inside this scope (deeper than the owner)?
    fn contains(&self, indent: usize) -> bool {
        match self.owner_indent {
            Some(owner) => indent > owner,
            None => true,
        }
    }
}

struct Hit {
    entry: usize,
    scope: Scope,
}

/// Finds mapping key `key` directly inside `scope`, skipping `skip` earlier matches.
fn find_key(lines: &[VLine], scope: Scope, key: &str, mut skip: usize) -> Option<Hit> {
    let first = lines.get(scope.start)?;
    if !scope.contains(first.indent) {
        return None;
    }
    // A scope starting with a `- ` holds a sequence, not a mapping.
    first.content?;
    let level = first.indent;
    for (i, l) in lines.iter().enumerate().skip(scope.start) {
        if l.indent < level || !scope.contains(l.indent) {
            return None;
        }
        // Deeper lines, and `- ` items of a key's compact sequence, belong to earlier keys.
        let Some(content) = l.content.filter(|_| l.indent == level) else {
            continue;
        };
        if parse_key(content).as_deref() == Some(key) {
            if skip == 0 {
                return Some(Hit {
                    entry: i,
                    scope: Scope::child_of(i, lines, true),
                });
            }
            skip -= 1;
        }
    }
    None
}

/// Finds the `index`-th `- ` item of the sequence directly inside `scope`.
fn find_item(lines: &[VLine], scope: Scope, index: usize) -> Option<Hit> {
    let first = lines.get(scope.start)?;
    // `key:\n- a` puts the items at the key's own column.
    let same_column_ok = scope.owner_is_key && first.content.is_none();
    let inside = scope.contains(first.indent)
        || (same_column_ok && Some(first.indent) == scope.owner_indent);
    if !inside || first.content.is_some() {
        return None;
    }
    let level = first.indent;
    let mut seen = 0;
    for (i, l) in lines.iter().enumerate().skip(scope.start) {
        if l.indent < level {
            return None;
        }
        if l.indent > level {
            continue;
        }
        if l.content.is_some() {
            // Same column but not a dash: the sequence has ended.
            return None;
        }
        if seen == index {
            return Some(Hit {
                entry: i,
                scope: Scope::child_of(i, lines, false),
            });
        }
        seen += 1;
    }
    None
}

/// The key of a `key: value` / `key:` line, unquoted; `None` when the line is no mapping entry.
fn parse_key(content: &str) -> Option<String> {
    let (key, rest) = match content.chars().next()? {
        '"' => split_double_quoted(content)?,
        '\'' => split_single_quoted(content)?,
        _ => split_plain(content)?,
    };
    let rest = rest.trim_start_matches(' ');
    let after_colon = rest.strip_prefix(':')?;
    (after_colon.is_empty() || after_colon.starts_with([' ', '\t'])).then_some(key)
}

fn split_plain(content: &str) -> Option<(String, &str)> {
    let end = content
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| matches!(content.as_bytes().get(i + 1), None | Some(b' ' | b'\t')))?;
    Some((content[..end].trim_end().to_owned(), &content[end..]))
}

fn split_double_quoted(content: &str) -> Option<(String, &str)> {
    let mut key = String::new();
    let mut chars = content.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((key, &content[i + 1..])),
            '\\' => {
                let (_, esc) = chars.next()?;
                key.push(match esc {
                    'n' => '\n',
                    't' => '\t',
                    other => other,
                });
            }
            other => key.push(other),
        }
    }
    None
}

fn split_single_quoted(content: &str) -> Option<(String, &str)> {
    let mut key = String::new();
    let mut chars = content.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\'' {
            key.push(c);
            continue;
        }
        if chars.peek().map(|&(_, n)| n) == Some('\'') {
            key.push('\'');
            chars.next();
        } else {
            return Some((key, &content[i + 1..]));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
openapi: 3.0.1
paths:
  /users/{id}:
    get:
      parameters:
        - name: id
          in: path
        - $ref: '../p.yaml'
      responses:
        '200':
          description: ok
        404:
          description: \"gone\"
list:
- a
- - x
  - y
\"quoted key\": 1
'it''s': 2
";

    #[test]
    fn finds_keys_items_and_quoted_keys() {
        assert_eq!(locate_line(DOC, ""), Some(1));
        assert_eq!(locate_line(DOC, "/paths"), Some(2));
        assert_eq!(locate_line(DOC, "/paths/~1users~1{id}/get"), Some(4));
        assert_eq!(
            locate_line(DOC, "/paths/~1users~1{id}/get/parameters/0/in"),
            Some(7)
        );
        assert_eq!(
            locate_line(DOC, "/paths/~1users~1{id}/get/parameters/1/$ref"),
            Some(8)
        );
        assert_eq!(
            locate_line(DOC, "/paths/~1users~1{id}/get/responses/200/description"),
            Some(11)
        );
        assert_eq!(
            locate_line(DOC, "/paths/~1users~1{id}/get/responses/404"),
            Some(12)
        );
        assert_eq!(locate_line(DOC, "/list/1/1"), Some(17));
        assert_eq!(locate_line(DOC, "/list/1/0"), Some(16));
        assert_eq!(locate_line(DOC, "/quoted key"), Some(18));
        assert_eq!(locate_line(DOC, "/it's"), Some(19));
        assert_eq!(locate_line(DOC, "/paths/~1nope"), None);
        assert_eq!(locate_nearest(DOC, "/paths/~1nope"), (2, false));
    }

    #[test]
    fn finds_second_occurrence_of_duplicate() {
        let doc = "a:\n  b: 1\n  c: 2\n  b: 3\n";
        assert_eq!(locate_duplicate(doc, "/a/b"), Some(4));
        assert_eq!(locate_line(doc, "/a/b"), Some(2));
    }

    #[test]
    fn block_scalars_do_not_confuse_the_walk() {
        let doc = "description: |\n  key: not a key\nkey: 1\n";
        assert_eq!(locate_line(doc, "/key"), Some(3));
    }
}
