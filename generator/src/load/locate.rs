//! Finding the source line of a JSON pointer in the text of a spec file.
//!
//! `serde_yaml` does not keep positions on parsed values, so errors and origins get their
//! line numbers from the text: block style by indentation (mapping keys, `- ` sequence
//! items), flow style (`{a: 1}`, `[1, 2]`, and so JSON) by scanning its tokens.
//!
//! A file is looked up once per schema, operation and warning, so a [`LineIndex`] is built
//! once per file, and each collection's members are listed on first need and kept in a
//! hash map: a lookup costs the pointer's depth, and a file's lookups cost linear time
//! (scanning the text per lookup made big single-file specs quadratic).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use crate::pointer;

/// 1-based line of the value at `pointer` (escaped JSON pointer) in `text`, if it can be
/// found. `""` is the whole document (line 1).
pub fn locate_line(text: &str, pointer: &str) -> Option<usize> {
    LineIndex::new(text).line(text, pointer)
}

/// Like [`locate_line`] but never gives up: returns the line of the deepest pointer
/// prefix that was found, and whether the whole pointer was found.
#[cfg(test)]
pub(crate) fn locate_nearest(text: &str, pointer: &str) -> (usize, bool) {
    LineIndex::new(text).nearest(text, pointer)
}

/// The line structure of one file's text. The text itself is not kept (files keep theirs):
/// every method takes the text the index was built from.
pub(crate) struct LineIndex {
    lines: Vec<VLine>,
    /// For each entry of `lines`, the next entry that is not deeper: where the entry's
    /// block ends.
    block_end: Vec<usize>,
    /// Byte offset of the start of each text line.
    line_starts: Vec<usize>,
    /// Members of the collections listed so far.
    members: RefCell<HashMap<NodeRef, Rc<Members>>>,
}

/// One logical line: `- - key: v` yields two dashes and one content entry, each with the
/// column where it starts, so nested sequence items look like ordinary indented lines.
struct VLine {
    line: usize,
    indent: usize,
    /// Byte offset where the entry's text starts; `None` for a `-` sequence-item marker.
    content: Option<usize>,
}

/// A node whose members can be listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum NodeRef {
    Document,
    /// The block below entry `n` of the virtual lines (a `key:` or a `-`).
    Block(usize),
    /// A flow collection starting (at its bracket) at this byte offset.
    Flow(usize),
    /// A scalar.
    Leaf,
}

/// The members of one collection: keys (several entries when a key is duplicated) or items.
#[derive(Default)]
struct Members {
    keys: HashMap<String, Vec<Child>>,
    items: Vec<Child>,
}

#[derive(Debug, Clone, Copy)]
struct Child {
    line: usize,
    node: NodeRef,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> Self {
        let (lines, line_starts) = virtual_lines(text);
        let block_end = block_ends(&lines);
        LineIndex {
            lines,
            block_end,
            line_starts,
            members: RefCell::new(HashMap::new()),
        }
    }

    /// See [`locate_line`].
    pub(crate) fn line(&self, text: &str, pointer: &str) -> Option<usize> {
        let (line, exact) = self.nearest(text, pointer);
        exact.then_some(line)
    }

    /// The line of `pointer`, or of its deepest prefix that was found, and whether the
    /// whole pointer was found.
    pub(crate) fn nearest(&self, text: &str, pointer: &str) -> (usize, bool) {
        if pointer.is_empty() {
            // The whole document: no need to look at the text.
            return (1, true);
        }
        let mut node = NodeRef::Document;
        let mut found_line = self.lines.first().map_or(1, |l| l.line);
        for seg in pointer::segments(pointer) {
            match self.member(text, node, &seg, 0) {
                Some(child) => {
                    found_line = child.line;
                    node = child.node;
                }
                None => return (found_line, false),
            }
        }
        (found_line, true)
    }

    /// The line of the second occurrence of the last segment of `pointer` within its
    /// mapping (used to point at a duplicated key).
    pub(crate) fn duplicate(&self, text: &str, pointer: &str) -> Option<usize> {
        let (parent, last) = pointer.rsplit_once('/')?;
        let mut node = NodeRef::Document;
        for seg in pointer::segments(parent) {
            node = self.member(text, node, &seg, 0)?.node;
        }
        self.member(text, node, &pointer::unescape(last), 1)
            .map(|child| child.line)
    }

    /// Member `seg` of `node`, skipping `skip` earlier entries of the same key. Numeric
    /// segments may be sequence indexes or mapping keys (`200:`).
    fn member(&self, text: &str, node: NodeRef, seg: &str, skip: usize) -> Option<Child> {
        let members = self.members_of(text, node);
        let item = match seg.parse::<usize>() {
            Ok(index) if skip == 0 => members.items.get(index).copied(),
            _ => None,
        };
        item.or_else(|| members.keys.get(seg)?.get(skip).copied())
    }

    fn members_of(&self, text: &str, node: NodeRef) -> Rc<Members> {
        if let Some(known) = self.members.borrow().get(&node) {
            return Rc::clone(known);
        }
        let members = match self.flow_start(text, node) {
            Some(start) => {
                // Lists every collection of the flow region at once.
                scan_flow(
                    text,
                    start,
                    &self.line_starts,
                    &mut self.members.borrow_mut(),
                );
                self.members
                    .borrow()
                    .get(&NodeRef::Flow(start))
                    .cloned()
                    .unwrap_or_default()
            }
            None => Rc::new(self.block_members(text, node)),
        };
        self.members.borrow_mut().insert(node, Rc::clone(&members));
        members
    }

    /// Where the flow collection that `node` is starts, if it is one: `key: {...}`, or a
    /// block whose first entry opens a bracket (a JSON document, `- [a, b]`).
    fn flow_start(&self, text: &str, node: NodeRef) -> Option<usize> {
        let first_inside = |scope: Scope| {
            let first = self.lines.get(scope.start)?;
            let start = first.content.filter(|_| scope.contains(first.indent))?;
            opens_flow(text, start).then_some(start)
        };
        match node {
            NodeRef::Flow(start) => Some(start),
            NodeRef::Leaf => None,
            NodeRef::Document => first_inside(Scope::document()),
            NodeRef::Block(entry) => {
                let inline = self
                    .lines
                    .get(entry)
                    .and_then(|l| l.content)
                    .and_then(|start| {
                        let value = start + value_offset(line_at(text, start))?;
                        opens_flow(text, value).then_some(value)
                    });
                inline.or_else(|| first_inside(self.scope_of(entry)))
            }
        }
    }

    fn scope_of(&self, entry: usize) -> Scope {
        Scope {
            start: entry + 1,
            owner_indent: self.lines.get(entry).map(|l| l.indent),
            owner_is_key: self.lines.get(entry).is_some_and(|l| l.content.is_some()),
        }
    }

    /// The keys or items directly inside a block: the entries at the column of its first
    /// entry, found by jumping from one to the end of its block.
    fn block_members(&self, text: &str, node: NodeRef) -> Members {
        let scope = match node {
            NodeRef::Document => Scope::document(),
            NodeRef::Block(entry) => self.scope_of(entry),
            NodeRef::Flow(_) | NodeRef::Leaf => return Members::default(),
        };
        let mut members = Members::default();
        let Some(first) = self.lines.get(scope.start) else {
            return members;
        };
        // `key:\n- a` puts the items at the key's own column.
        let same_column_items = scope.owner_is_key
            && first.content.is_none()
            && Some(first.indent) == scope.owner_indent;
        if !scope.contains(first.indent) && !same_column_items {
            return members;
        }
        let is_mapping = first.content.is_some();
        let level = first.indent;
        let mut entry = scope.start;
        while let Some(l) = self.lines.get(entry) {
            if l.indent < level || (!is_mapping && l.content.is_some()) {
                break;
            }
            let child = Child {
                line: l.line,
                node: NodeRef::Block(entry),
            };
            match l.content {
                // Dashes at a mapping's column are items of a key's compact sequence.
                None if is_mapping => {}
                None => members.items.push(child),
                Some(start) => {
                    if let Some(key) = parse_key(line_at(text, start)) {
                        members.keys.entry(key).or_default().push(child);
                    }
                }
            }
            entry = self.block_end.get(entry).copied().unwrap_or(usize::MAX);
        }
        members
    }
}

/// Where the members of a block are: from entry `start` on, deeper than the owner.
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

    /// Is `indent` inside this scope (deeper than the owner)?
    fn contains(&self, indent: usize) -> bool {
        match self.owner_indent {
            Some(owner) => indent > owner,
            None => true,
        }
    }
}

/// The virtual lines of `text`, and the byte offset where each text line starts.
fn virtual_lines(text: &str) -> (Vec<VLine>, Vec<usize>) {
    let mut out = Vec::new();
    let mut line_starts = Vec::new();
    let mut offset = 0;
    for (idx, raw) in text.split('\n').enumerate() {
        line_starts.push(offset);
        let line_start = offset;
        offset += raw.len() + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
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
                    content: Some(line_start + indent),
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
    (out, line_starts)
}

/// For each entry, the index of the next entry that is not deeper (the end of its block).
fn block_ends(lines: &[VLine]) -> Vec<usize> {
    let mut ends = vec![lines.len(); lines.len()];
    let mut open: Vec<usize> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        while let Some(&top) = open.last() {
            if lines[top].indent < l.indent {
                break;
            }
            ends[top] = i;
            open.pop();
        }
        open.push(i);
    }
    ends
}

/// The rest of the text line that starts at `offset`.
fn line_at(text: &str, offset: usize) -> &str {
    let rest = text.get(offset..).unwrap_or("");
    let line = rest.split('\n').next().unwrap_or("");
    line.strip_suffix('\r').unwrap_or(line)
}

fn opens_flow(text: &str, offset: usize) -> bool {
    matches!(text.as_bytes().get(offset), Some(b'{' | b'['))
}

/// Offset (within `content`) of the value of a `key: value` line, if it has one there.
fn value_offset(content: &str) -> Option<usize> {
    let after_colon = split_key(content)?.1;
    let value = after_colon.trim_start_matches([' ', '\t']);
    (!value.is_empty() && !value.starts_with('#')).then(|| content.len() - value.len())
}

/// The key of a `key: value` / `key:` line, unquoted; `None` when the line is no mapping entry.
fn parse_key(content: &str) -> Option<String> {
    split_key(content).map(|(key, _)| key)
}

/// The key of a mapping entry line, and what follows its colon.
fn split_key(content: &str) -> Option<(String, &str)> {
    let (key, rest) = match content.chars().next()? {
        '"' => split_double_quoted(content)?,
        '\'' => split_single_quoted(content)?,
        _ => split_plain(content)?,
    };
    let rest = rest.trim_start_matches(' ');
    let after_colon = rest.strip_prefix(':')?;
    (after_colon.is_empty() || after_colon.starts_with([' ', '\t'])).then_some((key, after_colon))
}

fn split_plain(content: &str) -> Option<(String, &str)> {
    let end = content
        .match_indices(':')
        .map(|(i, _)| i)
        .find(|&i| matches!(content.as_bytes().get(i + 1), None | Some(b' ' | b'\t')))?;
    Some((content[..end].trim_end().to_owned(), &content[end..]))
}

fn split_double_quoted(content: &str) -> Option<(String, &str)> {
    let (key, end) = read_double_quoted(content, 0)?;
    Some((key, &content[end..]))
}

fn split_single_quoted(content: &str) -> Option<(String, &str)> {
    let (key, end) = read_single_quoted(content, 0)?;
    Some((key, &content[end..]))
}

/// The double-quoted scalar whose opening quote is at `start`, unescaped (YAML escapes,
/// which include JSON's), and the offset after its closing quote.
fn read_double_quoted(text: &str, start: usize) -> Option<(String, usize)> {
    let body = text.get(start + 1..)?;
    let mut out = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, start + 1 + i + 1)),
            '\\' => {
                let (_, esc) = chars.next()?;
                match esc {
                    'x' => out.push(hex_char(&mut chars, 2)),
                    'u' => out.push(hex_char(&mut chars, 4)),
                    'U' => out.push(hex_char(&mut chars, 8)),
                    // An escaped line break joins the lines.
                    '\n' | '\r' => {}
                    other => out.push(match other {
                        '0' => '\0',
                        'a' => '\u{7}',
                        'b' => '\u{8}',
                        't' => '\t',
                        'n' => '\n',
                        'v' => '\u{b}',
                        'f' => '\u{c}',
                        'r' => '\r',
                        'e' => '\u{1b}',
                        'N' => '\u{85}',
                        '_' => '\u{a0}',
                        'L' => '\u{2028}',
                        'P' => '\u{2029}',
                        // `\"`, `\\`, `\/`, `\ `.
                        other => other,
                    }),
                }
            }
            other => out.push(other),
        }
    }
    None
}

/// `digits` hex digits as a character (U+FFFD when they are not a valid one).
fn hex_char(chars: &mut std::str::CharIndices<'_>, digits: usize) -> char {
    let mut code = 0u32;
    for _ in 0..digits {
        match chars.next().and_then(|(_, c)| c.to_digit(16)) {
            Some(d) => code = code * 16 + d,
            None => return char::REPLACEMENT_CHARACTER,
        }
    }
    char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// The single-quoted scalar whose opening quote is at `start` (`''` is a quote), and the
/// offset after its closing quote.
fn read_single_quoted(text: &str, start: usize) -> Option<(String, usize)> {
    let body = text.get(start + 1..)?;
    let mut out = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\'' {
            out.push(c);
            continue;
        }
        if chars.peek().map(|&(_, n)| n) == Some('\'') {
            out.push('\'');
            chars.next();
        } else {
            return Some((out, start + 1 + i + 1));
        }
    }
    None
}

/// What a flow collection expects next.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A mapping key.
    Key,
    /// The `:` after a key.
    Colon,
    /// A mapping value.
    Value,
    /// A sequence item.
    Item,
    /// The value of a single-pair mapping written as a sequence item (`[a: 1]`): no item.
    PairValue,
    /// A `,` or the closing bracket.
    Separator,
}

/// A flow collection being scanned.
struct Frame {
    start: usize,
    is_mapping: bool,
    expect: Expect,
    /// The key whose value comes next.
    pending_key: Option<String>,
    members: Members,
}

impl Frame {
    fn new(start: usize, is_mapping: bool) -> Self {
        Frame {
            start,
            is_mapping,
            expect: Frame::first(is_mapping),
            pending_key: None,
            members: Members::default(),
        }
    }

    fn first(is_mapping: bool) -> Expect {
        if is_mapping {
            Expect::Key
        } else {
            Expect::Item
        }
    }

    /// Takes note of a node met at `line`: a scalar, or (`nested`) the collection starting
    /// there. A key's text is recorded by [`Frame::key`] first.
    fn node(&mut self, line: usize, nested: Option<usize>) {
        let node = nested.map_or(NodeRef::Leaf, NodeRef::Flow);
        match self.expect {
            Expect::Key => {
                self.expect = Expect::Colon;
            }
            Expect::Colon | Expect::Value => {
                if let Some(key) = self.pending_key.take() {
                    if let Some(child) = self.members.keys.get_mut(&key).and_then(|v| v.last_mut())
                    {
                        child.node = node;
                    }
                }
                self.expect = Expect::Separator;
            }
            Expect::Item => {
                self.members.items.push(Child { line, node });
                self.expect = Expect::Separator;
            }
            Expect::PairValue | Expect::Separator => self.expect = Expect::Separator,
        }
    }

    fn key(&mut self, key: String, line: usize) {
        self.members
            .keys
            .entry(key.clone())
            .or_default()
            .push(Child {
                line,
                node: NodeRef::Leaf,
            });
        self.pending_key = Some(key);
    }
}

/// Lists the members of the flow collection at `start` and of every collection nested in
/// it, in one pass (an explicit stack: nesting depth costs no native stack).
fn scan_flow(
    text: &str,
    start: usize,
    line_starts: &[usize],
    out: &mut HashMap<NodeRef, Rc<Members>>,
) {
    let bytes = text.as_bytes();
    let line_of = |offset: usize| line_starts.partition_point(|&s| s <= offset).max(1);
    let mut stack: Vec<Frame> = Vec::new();
    let mut pos = start;
    loop {
        pos = skip_blank(bytes, pos);
        let Some(&c) = bytes.get(pos) else {
            break;
        };
        let Some(frame) = stack.last_mut() else {
            if !matches!(c, b'{' | b'[') {
                return;
            }
            stack.push(Frame::new(pos, c == b'{'));
            pos += 1;
            continue;
        };
        match c {
            b'}' | b']' => {
                pos += 1;
                if let Some(done) = stack.pop() {
                    out.insert(NodeRef::Flow(done.start), Rc::new(done.members));
                }
                if stack.is_empty() {
                    return;
                }
            }
            b',' => {
                pos += 1;
                frame.pending_key = None;
                frame.expect = Frame::first(frame.is_mapping);
            }
            b':' if matches!(frame.expect, Expect::Colon | Expect::Separator) => {
                pos += 1;
                frame.expect = if frame.is_mapping {
                    Expect::Value
                } else {
                    Expect::PairValue
                };
            }
            b'{' | b'[' => {
                // A complex key (`{[a]: 1}`) is scanned but cannot be looked up.
                frame.node(line_of(pos), Some(pos));
                stack.push(Frame::new(pos, c == b'{'));
                pos += 1;
            }
            _ => {
                let (scalar, end) = read_flow_scalar(text, pos);
                if frame.expect == Expect::Key {
                    frame.key(scalar, line_of(pos));
                }
                frame.node(line_of(pos), None);
                pos = end;
            }
        }
    }
    // Unterminated (the text is not what was parsed): keep what was seen.
    while let Some(done) = stack.pop() {
        out.insert(NodeRef::Flow(done.start), Rc::new(done.members));
    }
}

/// Skips spaces, line breaks and comments.
fn skip_blank(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(&c) = bytes.get(pos) {
        match c {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'#' if pos == 0
                || matches!(bytes.get(pos - 1), Some(b' ' | b'\t' | b'\r' | b'\n')) =>
            {
                while bytes.get(pos).is_some_and(|&b| b != b'\n') {
                    pos += 1;
                }
            }
            _ => break,
        }
    }
    pos
}

/// The scalar starting at `start` inside a flow collection, and the offset after it.
/// Always moves forward, whatever the text.
fn read_flow_scalar(text: &str, start: usize) -> (String, usize) {
    let quoted = match text.as_bytes().get(start) {
        Some(b'"') => read_double_quoted(text, start),
        Some(b'\'') => read_single_quoted(text, start),
        _ => None,
    };
    if let Some(found) = quoted {
        return found;
    }
    let bytes = text.as_bytes();
    let is_break = |b: Option<&u8>| {
        matches!(
            b,
            None | Some(b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}')
        )
    };
    let mut end = start;
    while let Some(&b) = bytes.get(end) {
        let stops = match b {
            b',' | b'[' | b']' | b'{' | b'}' => true,
            b':' => is_break(bytes.get(end + 1)),
            b'#' => end > start && matches!(bytes[end - 1], b' ' | b'\t' | b'\r' | b'\n'),
            _ => false,
        };
        if stops {
            break;
        }
        end += 1;
    }
    if end == start {
        // Not a scalar (an unterminated quote, a lone indicator): step over one character.
        let width = text
            .get(start..)
            .and_then(|t| t.chars().next())
            .map_or(1, char::len_utf8);
        return (String::new(), start + width);
    }
    let scalar = text.get(start..end).unwrap_or("").trim_end();
    (scalar.split_whitespace().collect::<Vec<_>>().join(" "), end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locate_duplicate(text: &str, pointer: &str) -> Option<usize> {
        LineIndex::new(text).duplicate(text, pointer)
    }

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

    const JSON: &str = r#"{
  "openapi": "3.0.1",
  "paths": {
    "/users/{id}": {
      "get": {
        "parameters": [
          {"name": "id", "in": "path"},
          {
            "$ref": "../p.yaml"
          }
        ],
        "responses": {"200": {"description": "ok \"quoted\" \u00e9"}}
      }
    },
    "/a\/b": {}
  },
  "tags": ["x", ["y", "z"]]
}
"#;

    #[test]
    fn finds_members_in_json() {
        assert_eq!(locate_line(JSON, "/openapi"), Some(2));
        assert_eq!(locate_line(JSON, "/paths/~1users~1{id}/get"), Some(5));
        assert_eq!(
            locate_line(JSON, "/paths/~1users~1{id}/get/parameters/0/in"),
            Some(7)
        );
        assert_eq!(
            locate_line(JSON, "/paths/~1users~1{id}/get/parameters/1/$ref"),
            Some(9)
        );
        assert_eq!(
            locate_line(JSON, "/paths/~1users~1{id}/get/responses/200/description"),
            Some(12)
        );
        assert_eq!(locate_line(JSON, "/paths/~1a~1b"), Some(15));
        assert_eq!(locate_line(JSON, "/tags/1/1"), Some(17));
        assert_eq!(locate_nearest(JSON, "/paths/~1nope"), (3, false));
    }

    #[test]
    fn finds_members_in_flow_values_of_block_yaml() {
        let doc = "a:\n  enum: [x, y]\n  props: {b: {c: 1},\n    d: 2}\nlist:\n  - {name: n,\n     in: query}\n";
        assert_eq!(locate_line(doc, "/a/enum/1"), Some(2));
        assert_eq!(locate_line(doc, "/a/props/b/c"), Some(3));
        assert_eq!(locate_line(doc, "/a/props/d"), Some(4));
        assert_eq!(locate_line(doc, "/list/0/in"), Some(7));
        assert_eq!(locate_nearest(doc, "/a/props/e"), (3, false));
    }

    #[test]
    fn finds_duplicates_in_flow() {
        let doc = "{\"a\": 1,\n \"b\": 2,\n \"a\": 3}\n";
        assert_eq!(locate_line(doc, "/a"), Some(1));
        assert_eq!(locate_duplicate(doc, "/a"), Some(3));
    }

    #[test]
    fn never_panics_on_broken_flow() {
        for doc in [
            "{",
            "[[[",
            "{\"a",
            "{a: [1, {b: ",
            "}",
            "{:::,,,]]",
            "['x",
            "{é: [ü",
        ] {
            let _ = locate_nearest(doc, "/a/0/b");
            let _ = locate_duplicate(doc, "/a");
        }
    }

    #[test]
    fn one_index_answers_many_lookups() {
        let mut doc = String::from("paths:\n");
        for i in 0..20_000 {
            doc.push_str(&format!("  /p{i}:\n    get:\n      operationId: o{i}\n"));
        }
        let index = LineIndex::new(&doc);
        for i in (0..20_000).step_by(7) {
            let line = index.line(&doc, &format!("/paths/~1p{i}/get/operationId"));
            assert_eq!(line, Some(i * 3 + 4));
        }
    }
}
