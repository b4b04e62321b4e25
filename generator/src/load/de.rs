//! A serde `Deserializer` over [`Node`], used for the final typed parse into
//! `openapiv3::OpenAPI`.
//!
//! Going through `serde_json::Value` would sort every mapping (no `preserve_order`), and
//! going through text would be slow; reading our tree directly keeps document order and
//! lets errors carry the path where they happened.

use std::fmt;

use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

use super::node::{Map, Node};

/// A typed-parse error with the path (unescaped segments, outermost first) where it
/// happened.
#[derive(Debug)]
pub(crate) struct DeError {
    /// Innermost segment first while the error bubbles up; see [`DeError::path`].
    rev_path: Vec<String>,
    message: String,
}

impl DeError {
    pub(crate) fn path(&self) -> impl Iterator<Item = &str> {
        self.rev_path.iter().rev().map(String::as_str)
    }

    pub(crate) fn message(&self) -> &str {
        &self.message
    }

    fn within(mut self, segment: &str) -> Self {
        self.rev_path.push(segment.to_owned());
        self
    }
}

impl fmt::Display for DeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for DeError {}

impl de::Error for DeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        DeError {
            rev_path: Vec::new(),
            message: msg.to_string(),
        }
    }
}

/// Deserializes a borrowed node.
pub(crate) struct NodeDe<'a>(pub(crate) &'a Node);

impl<'de> Deserializer<'de> for NodeDe<'de> {
    type Error = DeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(*b),
            Node::Int(i) => visitor.visit_i64(*i),
            Node::UInt(u) => visitor.visit_u64(*u),
            Node::Float(f) => visitor.visit_f64(*f),
            Node::Str(s) => visitor.visit_borrowed_str(s),
            Node::Seq(items) => visitor.visit_seq(SeqDe {
                items: items.iter(),
                index: 0,
            }),
            Node::Map(map) => visitor.visit_map(MapDe::new(map)),
            Node::SchemaRef(_) | Node::MappingRef(_) => Err(de::Error::custom(
                "internal error: unresolved schema reference placeholder",
            )),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        match self.0 {
            Node::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DeError> {
        match self.0 {
            // Unit variants, e.g. `style: form`.
            Node::Str(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            other => Err(de::Error::custom(format_args!(
                "expected a string naming a variant, found a {}",
                other.type_name()
            ))),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DeError> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

struct SeqDe<'a> {
    items: std::slice::Iter<'a, Node>,
    index: usize,
}

impl<'de> SeqAccess<'de> for SeqDe<'de> {
    type Error = DeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DeError> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(NodeDe(item))
            .map(Some)
            .map_err(|e| e.within(&index.to_string()))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapDe<'a> {
    entries: std::slice::Iter<'a, (String, Node)>,
    /// The value of the key handed out last. Replaced on every `next_key_seed`, so a
    /// caller that skips values after a failed key (openapiv3 does) cannot desynchronize us.
    pending: Option<&'a (String, Node)>,
}

impl<'a> MapDe<'a> {
    fn new(map: &'a Map) -> Self {
        MapDe {
            entries: map.entries(),
            pending: None,
        }
    }
}

impl<'de> MapAccess<'de> for MapDe<'de> {
    type Error = DeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DeError> {
        self.pending = self.entries.next();
        match self.pending {
            Some((key, _)) => seed.deserialize(NodeDe::key(key)).map(Some),
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, DeError> {
        match self.pending.take() {
            Some((key, value)) => seed.deserialize(NodeDe(value)).map_err(|e| e.within(key)),
            None => Err(de::Error::custom(
                "internal error: map value requested before its key",
            )),
        }
    }
}

impl<'de> NodeDe<'de> {
    /// Keys are strings; serde's borrowed-str deserializer gives them to visitors as such.
    fn key(key: &'de str) -> de::value::BorrowedStrDeserializer<'de, DeError> {
        de::value::BorrowedStrDeserializer::new(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::node::parse_yaml;
    use serde::Deserialize;

    #[test]
    fn reports_paths() {
        let (node, _) = parse_yaml("b: 1\na: [1, {x: oops}]\n").unwrap();
        #[derive(Deserialize, Debug)]
        #[allow(dead_code)]
        struct Doc {
            a: Vec<u32>,
        }
        let err = Doc::deserialize(NodeDe(&node)).unwrap_err();
        assert_eq!(err.path().collect::<Vec<_>>(), ["a", "1"]);
    }
}
