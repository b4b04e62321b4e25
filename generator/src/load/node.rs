//! The in-memory YAML tree the load stage works on, and the tolerant parser that builds it.
//!
//! We parse into our own [`Node`] instead of `serde_yaml::Value` for three reasons:
//! mapping order must survive all the way into `openapiv3` (its `IndexMap`s), upstream
//! files contain duplicated mapping keys (which `serde_yaml::Value` rejects), and the
//! bundler needs placeholder nodes for schema references whose final names are only
//! known after every file has been visited.

use std::collections::HashMap;
use std::fmt::{self, Write as _};

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::pointer;

/// One YAML value. Mapping keys are always strings (YAML scalars are stringified).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Map),
    /// A schema `$ref`, by schema id; becomes `{$ref: "#/components/schemas/<name>"}`
    /// once names are final.
    SchemaRef(usize),
    /// A discriminator `mapping` value, by schema id; becomes the ref string.
    MappingRef(usize),
}

impl Node {
    pub(crate) fn as_map(&self) -> Option<&Map> {
        match self {
            Node::Map(map) => Some(map),
            _ => None,
        }
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Node::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Child by one (unescaped) JSON-pointer segment.
    pub(crate) fn child(&self, segment: &str) -> Option<&Node> {
        match self {
            Node::Map(map) => map.get(segment),
            Node::Seq(items) => segment.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        }
    }

    /// The node at an (escaped) JSON pointer, `""` being the node itself.
    pub(crate) fn at_pointer(&self, ptr: &str) -> Option<&Node> {
        pointer::segments(ptr).try_fold(self, |node, seg| node.child(&seg))
    }

    /// Short description of the node's type for messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "boolean",
            Node::Int(_) | Node::UInt(_) | Node::Float(_) => "number",
            Node::Str(_) => "string",
            Node::Seq(_) => "sequence",
            Node::Map(_) | Node::SchemaRef(_) | Node::MappingRef(_) => "mapping",
        }
    }
}

/// An insertion-ordered mapping. Small mappings (nearly all of them) are searched in
/// place; from [`INDEXED_FROM`] members on, a hash index is kept, because specs have
/// mappings of hundreds of thousands of keys (and hostile ones more), where neither
/// parsing nor lookups may scan. (`IndexMap` for every mapping cost upstream loads 15%.)
#[derive(Debug, Clone, Default)]
pub(crate) struct Map {
    entries: Vec<(String, Node)>,
    /// Key -> position in `entries`, once the mapping is big.
    index: Option<HashMap<String, usize>>,
}

/// Mappings with this many members or more get a hash index.
const INDEXED_FROM: usize = 16;

/// Equality is order-sensitive, like the document order the mapping keeps.
impl PartialEq for Map {
    fn eq(&self, other: &Self) -> bool {
        self.entries == other.entries
    }
}

impl Map {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Map {
            entries: Vec::with_capacity(n),
            index: None,
        }
    }

    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| k == key),
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        let at = self.position(key)?;
        self.entries.get(at).map(|(_, v)| v)
    }

    pub(crate) fn get_mut(&mut self, key: &str) -> Option<&mut Node> {
        let at = self.position(key)?;
        self.entries.get_mut(at).map(|(_, v)| v)
    }

    pub(crate) fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Appends a member whose key is known to be new (callers copy from a `Map`, whose
    /// keys are already unique); were it not, the value would replace the old one in place.
    pub(crate) fn push(&mut self, key: String, value: Node) {
        self.insert(key, value);
    }

    /// Sets `key`, replacing an existing value in place (keeping its position) or appending.
    /// Hands the key back when it was already present (the caller may report it).
    pub(crate) fn insert(&mut self, key: String, value: Node) -> Option<String> {
        if let Some(slot) = self.get_mut(&key) {
            *slot = value;
            return Some(key);
        }
        let at = self.entries.len();
        match &mut self.index {
            Some(index) => {
                index.insert(key.clone(), at);
            }
            None if at + 1 >= INDEXED_FROM => {
                let mut index: HashMap<String, usize> = self
                    .entries
                    .iter()
                    .enumerate()
                    .map(|(i, (k, _))| (k.clone(), i))
                    .collect();
                index.insert(key.clone(), at);
                self.index = Some(index);
            }
            None => {}
        }
        self.entries.push((key, value));
        None
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&String, &Node)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }

    pub(crate) fn entries(&self) -> std::slice::Iter<'_, (String, Node)> {
        self.entries.iter()
    }

    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut Node> {
        self.entries.iter_mut().map(|(_, v)| v)
    }

    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl IntoIterator for Map {
    type Item = (String, Node);
    type IntoIter = std::vec::IntoIter<(String, Node)>;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.into_iter()
    }
}

/// A mapping key seen twice in one mapping (the last value was kept).
#[derive(Debug)]
pub(crate) struct DuplicateKey {
    /// Escaped JSON pointer of the duplicated member.
    pub(crate) pointer: String,
    pub(crate) key: String,
}

/// Parses one YAML document. Duplicated keys are tolerated (last value wins) and reported.
pub(crate) fn parse_yaml(text: &str) -> Result<(Node, Vec<DuplicateKey>), serde_yaml::Error> {
    let mut state = ParseState::default();
    let de = serde_yaml::Deserializer::from_str(text);
    let node = NodeSeed { st: &mut state }.deserialize(de)?;
    Ok((node, state.duplicates))
}

#[derive(Default)]
struct ParseState {
    /// Escaped JSON pointer of the value being parsed.
    path: String,
    duplicates: Vec<DuplicateKey>,
}

struct NodeSeed<'s> {
    st: &'s mut ParseState,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_> {
    type Value = Node;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor { st: self.st })
    }
}

struct NodeVisitor<'s> {
    st: &'s mut ParseState,
}

impl<'de> Visitor<'de> for NodeVisitor<'_> {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Int(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        // Keep small positives as Int so equal numbers compare equal.
        Ok(i64::try_from(v).map_or(Node::UInt(v), Node::Int))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Float(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Str(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::Str(v))
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        NodeSeed { st: &mut *self.st }.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        loop {
            let mark = self.st.path.len();
            // Index segments need no escaping; write them without allocating.
            let _ = write!(self.st.path, "/{}", items.len());
            let item = seq.next_element_seed(NodeSeed { st: &mut *self.st });
            self.st.path.truncate(mark);
            match item? {
                Some(node) => items.push(node),
                None => return Ok(Node::Seq(items)),
            }
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Node, A::Error> {
        let mut map = Map::default();
        let mut merged = Vec::new();
        while let Some(key) = access.next_key_seed(NodeSeed { st: &mut *self.st })? {
            let key = key_to_string(key, &self.st.path)?;
            let mark = self.st.path.len();
            pointer::push(&mut self.st.path, &key);
            let value = access.next_value_seed(NodeSeed { st: &mut *self.st });
            let value = match value {
                Ok(value) => value,
                Err(e) => {
                    self.st.path.truncate(mark);
                    return Err(e);
                }
            };
            if key == MERGE_KEY && matches!(value, Node::Map(_) | Node::Seq(_)) {
                merged.push(value);
            } else if let Some(key) = map.insert(key, value) {
                self.st.duplicates.push(DuplicateKey {
                    pointer: self.st.path.clone(),
                    key,
                });
            }
            self.st.path.truncate(mark);
        }
        for source in merged {
            merge_into(&mut map, source);
        }
        Ok(Node::Map(map))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, _data: A) -> Result<Node, A::Error> {
        // serde_yaml hands tagged values (`!Tag value`) to visit_enum; specs never need them.
        Err(de::Error::custom(format_args!(
            "YAML tags (`!tag value`) are not supported (at {})",
            pointer::display(&self.st.path)
        )))
    }
}

/// YAML's merge key: `<<: *base` lends a mapping the members of another.
const MERGE_KEY: &str = "<<";

/// Applies a merge key's value (a mapping, or a list of them) to `map`: a key the mapping
/// sets itself wins, then the earlier source (YAML's merge rules).
fn merge_into(map: &mut Map, source: Node) {
    let sources = match source {
        Node::Map(one) => vec![one],
        Node::Seq(items) => items
            .into_iter()
            .filter_map(|item| match item {
                Node::Map(one) => Some(one),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    for source in sources {
        for (key, value) in source {
            if !map.contains_key(&key) {
                map.push(key, value);
            }
        }
    }
}

/// Mapping keys become strings; YAML allows any node as a key, specs only use scalars
/// (status codes such as `200:` are integers).
fn key_to_string<E: de::Error>(key: Node, at: &str) -> Result<String, E> {
    match key {
        Node::Str(s) => Ok(s),
        Node::Int(i) => Ok(i.to_string()),
        Node::UInt(u) => Ok(u.to_string()),
        Node::Float(f) => Ok(f.to_string()),
        Node::Bool(bundler) => Ok(bundler.to_string()),
        Node::Null => Ok("null".to_owned()),
        other => Err(E::custom(format_args!(
            "a {} cannot be a mapping key (at {})",
            other.type_name(),
            pointer::display(at)
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_keep_the_first_position_and_the_last_value() {
        let (node, duplicates) = parse_yaml("a: 1\nb: 2\na: 3\nc: 4\n").expect("parses");
        let map = node.as_map().expect("mapping");
        let members: Vec<(&str, &Node)> = map.iter().map(|(k, v)| (k.as_str(), v)).collect();
        assert_eq!(
            members,
            [
                ("a", &Node::Int(3)),
                ("b", &Node::Int(2)),
                ("c", &Node::Int(4))
            ]
        );
        assert_eq!(duplicates.len(), 1);
        assert_eq!(
            (duplicates[0].pointer.as_str(), duplicates[0].key.as_str()),
            ("/a", "a")
        );
    }

    #[test]
    fn merge_keys_lend_the_members_a_mapping_does_not_set() {
        let text = "base: &base {type: object, description: base}\n\
                    more: &more {title: More, description: more}\n\
                    one:\n  <<: *base\n  description: own\n\
                    many:\n  <<: [*more, *base]\n";
        let (node, duplicates) = parse_yaml(text).expect("parses");
        assert!(duplicates.is_empty());
        let map = node.as_map().expect("mapping");
        let members = |name: &str| -> Vec<(String, Node)> {
            map.get(name)
                .and_then(Node::as_map)
                .expect(name)
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        };
        let text_node = |s: &str| Node::Str(s.to_owned());
        assert_eq!(
            members("one"),
            [
                ("description".to_owned(), text_node("own")),
                ("type".to_owned(), text_node("object")),
            ]
        );
        assert_eq!(
            members("many"),
            [
                ("title".to_owned(), text_node("More")),
                ("description".to_owned(), text_node("more")),
                ("type".to_owned(), text_node("object")),
            ]
        );
    }

    #[test]
    fn big_mappings_are_indexed_and_keep_their_order() {
        let mut map = Map::default();
        for i in 0..100 {
            assert_eq!(map.insert(format!("k{i}"), Node::Int(i)), None);
        }
        assert_eq!(
            map.insert("k3".to_owned(), Node::Null).as_deref(),
            Some("k3")
        );
        assert_eq!(map.get("k3"), Some(&Node::Null));
        assert_eq!(map.get("k99"), Some(&Node::Int(99)));
        assert!(!map.contains_key("k100"));
        let keys: Vec<&String> = map.iter().map(|(k, _)| k).take(4).collect();
        assert_eq!(keys, ["k0", "k1", "k2", "k3"]);
        assert_eq!(map.len(), 100);
    }

    #[test]
    fn equality_is_order_sensitive() {
        let (ab, _) = parse_yaml("a: 1\nb: 2\n").expect("parses");
        let (ba, _) = parse_yaml("b: 2\na: 1\n").expect("parses");
        assert_ne!(ab, ba);
        assert_eq!(ab, ab.clone());
    }
}
