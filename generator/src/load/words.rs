//! The words a specs folder spells with their boundaries, for the file names that lost
//! them. SailPoint's per-resource specs name a schema file in one lower-case run
//! (`accessprofiledetails.yaml`); the same words appear elsewhere with their boundaries
//! (`accessProfile`, `ACCESS_PROFILE`, `Access Profile Details`), so the run can be split
//! back into words (`AccessProfileDetails`), the way a word segmenter splits text with a
//! unigram model: every split costs the sum of its words' rarity, the cheapest wins.
//!
//! The vocabulary is built from every file one load reads: mapping keys, titles, the
//! identifier-like strings (enum values, `operationId`s, names) and the file names that
//! keep their boundaries (`access-profiles-v1.yaml`) count fully; the words of prose
//! (descriptions, summaries) count a little, so they split a run no identifier explains
//! (`details`) but never outweigh one that does (`attribute|dto`, not the prose's
//! `attributed|to`, for `attributedto`).

use std::collections::HashMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

use super::node::Node;

/// The longest run considered for a split; longer file names keep their stem.
const MAX_RUN: usize = 96;
/// How much more a word of an identifier counts than a word of prose.
const IDENTIFIER_WEIGHT: u32 = 20;

#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    counts: HashMap<String, u32>,
    total: u32,
}

impl Vocabulary {
    /// Adds the words of one file's tree.
    pub(crate) fn add_tree(&mut self, node: &Node) {
        let mut pending = vec![node];
        while let Some(node) = pending.pop() {
            match node {
                Node::Map(map) => {
                    for (key, value) in map.iter() {
                        self.add_identifier(key);
                        match value {
                            Node::Str(text) if key == "title" => {
                                self.add_words(text, IDENTIFIER_WEIGHT);
                            }
                            Node::Str(text) if key == "description" || key == "summary" => {
                                self.add_words(text, 1);
                            }
                            other => pending.push(other),
                        }
                    }
                }
                Node::Seq(items) => pending.extend(items),
                Node::Str(text) => self.add_identifier(text),
                _ => {}
            }
        }
    }

    /// The words of a file's path (`paths/access-profiles-v1.yaml`): the folders and
    /// the stem that keep their boundaries. A one-run name (`accessprofiledetails`) is
    /// what is to be split, never a word.
    pub(crate) fn add_path(&mut self, path: &std::path::Path) {
        let stem = path.with_extension("");
        for part in stem.iter() {
            let part = part.to_string_lossy();
            if part.contains(['-', '_', ' ']) || part.contains(|c: char| c.is_ascii_uppercase()) {
                self.add_words(&part, IDENTIFIER_WEIGHT);
            }
        }
    }

    /// An identifier-like string (letters, `_`, `-`, no digits or spaces) adds its words.
    fn add_identifier(&mut self, text: &str) {
        if !text.is_empty()
            && text.len() <= 64
            && text
                .chars()
                .all(|c| c.is_ascii_alphabetic() || c == '_' || c == '-')
        {
            self.add_words(text, IDENTIFIER_WEIGHT);
        }
    }

    /// Adds the words of `text` as `heck` splits them (camel case, acronyms, `_`, `-`,
    /// spaces, punctuation), `weight` times; words of one letter, or with anything but
    /// ASCII letters, are skipped.
    fn add_words(&mut self, text: &str, weight: u32) {
        for word in text.to_snake_case().split('_') {
            if word.len() >= 2 && word.chars().all(|c| c.is_ascii_lowercase()) {
                *self.counts.entry(word.to_owned()).or_default() += weight;
                self.total += weight;
            }
        }
    }

    /// `run` (lower-case letters and digits) as UpperCamelCase words, when it splits
    /// entirely into known words (digit runs are words of their own); else `None`.
    pub(crate) fn split(&self, run: &str) -> Option<String> {
        let bytes = run.as_bytes();
        let n = bytes.len();
        if n == 0
            || n > MAX_RUN
            || !bytes
                .iter()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return None;
        }
        // best[i]: the cheapest split of run[..i] as (cost, words, start of its last word).
        let mut best: Vec<Option<(f64, usize, usize)>> = vec![None; n + 1];
        best[0] = Some((0.0, 0, 0));
        for end in 1..=n {
            for start in end.saturating_sub(MAX_RUN)..end {
                let Some((cost, words, _)) = best[start] else {
                    continue;
                };
                let Some(word_cost) = self.cost(&run[start..end]) else {
                    continue;
                };
                let candidate = (cost + word_cost, words + 1, start);
                // Cheaper first, then fewer words; ties keep the earlier start (longer
                // last word), so the result never depends on anything but the input.
                let better = match best[end] {
                    None => true,
                    Some((c, w, _)) => {
                        candidate.0 < c - 1e-9
                            || ((candidate.0 - c).abs() <= 1e-9 && candidate.1 < w)
                    }
                };
                if better {
                    best[end] = Some(candidate);
                }
            }
        }
        let mut words = Vec::new();
        let mut end = n;
        while end > 0 {
            let (_, _, start) = best[end]?;
            words.push(&run[start..end]);
            end = start;
        }
        words.reverse();
        Some(words.join("_").to_upper_camel_case())
    }

    /// A word's rarity (`-ln` of its share), or `None` for a word the specs never spell.
    /// A run of digits is free to take.
    fn cost(&self, word: &str) -> Option<f64> {
        if word.bytes().all(|b| b.is_ascii_digit()) {
            return Some(0.0);
        }
        let count = *self.counts.get(word)?;
        Some(f64::from(self.total.max(1)).ln() - f64::from(count).ln())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::node::parse_yaml;

    fn vocabulary(yaml: &str) -> Vocabulary {
        let mut words = Vocabulary::default();
        words.add_tree(&parse_yaml(yaml).expect("yaml").0);
        words
    }

    #[test]
    fn runs_split_into_the_words_the_specs_spell() {
        let words = vocabulary(
            "title: Base Reference Dto\n\
             properties:\n  accessProfile: {}\n  ownerRef: {}\n  details: {}\n\
             enum: [ACCESS_PROFILE, DTO_TYPE]\n\
             description: attributed to someone\n",
        );
        assert_eq!(
            words.split("accessprofiledetails").as_deref(),
            Some("AccessProfileDetails")
        );
        assert_eq!(
            words.split("basereferencedto").as_deref(),
            Some("BaseReferenceDto")
        );
        assert_eq!(words.split("dtotype").as_deref(), Some("DtoType"));
        assert_eq!(words.split("ownerref2").as_deref(), Some("OwnerRef2"));
        // Prose counts less than identifiers: `attribute|dto`, not `attributed|to`.
        let words =
            vocabulary("title: Attribute\nenum: [DTO]\ndescription: attributed to someone\n");
        assert_eq!(words.split("attributedto").as_deref(), Some("AttributeDto"));
        // Prose alone is enough when nothing else spells the word.
        let words = vocabulary("properties: {access: {}}\ndescription: The access details\n");
        assert_eq!(
            words.split("accessdetails").as_deref(),
            Some("AccessDetails")
        );
        // A run with a word the specs never spell keeps its stem.
        assert_eq!(words.split("accessgizmo"), None);
    }

    #[test]
    fn a_whole_word_beats_its_parts() {
        let words = vocabulary("properties: {metadata: {}, meta: {}, data: {}}\n");
        assert_eq!(words.split("metadata").as_deref(), Some("Metadata"));
    }
}
