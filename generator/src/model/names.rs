//! Rust names for spec names: `heck` casing plus deterministic handling of keywords,
//! leading digits, punctuation and collisions.

use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Keywords that cannot be used as identifiers at all, even as raw identifiers.
const NON_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Strict and reserved keywords of Rust 2021 (usable as `r#name`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield",
];

/// Type names the generated code uses unqualified (prelude) or that would read confusingly.
const RESERVED_TYPES: &[&str] = &[
    "Option", "Some", "None", "Result", "Ok", "Err", "String", "Vec", "Box", "Default", "Clone",
    "Debug", "Self", "Send", "Sync", "Sized", "Copy", "Drop", "Fn", "Iterator",
];

/// Methods of the traits generated types implement or get through blanket impls
/// (`Clone`, `Debug`, `From`/`Into`, `Deref`, ...): an inherent method of the same name
/// would shadow them, so no generated method takes one.
pub const TRAIT_METHODS: &[&str] = &[
    "borrow",
    "borrow_mut",
    "clone",
    "clone_from",
    "clone_into",
    "deref",
    "eq",
    "fmt",
    "from",
    "hash",
    "into",
    "ne",
    "to_owned",
    "to_string",
    "try_from",
    "try_into",
    "type_id",
];

/// Names clippy's default lints flag on a tag's operation methods (`&self` and the path
/// parameters, returning a builder): `new` not returning `Self` (`new_ret_no_self`), and
/// `cmp`, which with one path parameter reads as `Ord::cmp` (`should_implement_trait`).
pub const LINTED_OPERATION_METHODS: &[&str] = &["new", "cmp"];

/// Names clippy's `should_implement_trait` flags on a builder's setters (`self` by value
/// and one argument): those of the binary operator traits.
pub const LINTED_SETTERS: &[&str] = &[
    "add", "bitand", "bitor", "bitxor", "div", "mul", "rem", "shl", "shr", "sub",
];

/// The module names of one crate's model files: not `models`, the module that holds
/// them (`models::models` is clippy's `module_inception`).
pub fn model_modules() -> NameSet {
    NameSet::reserving(&["models"], "the `models` module")
}

/// `true` when `name` must be written `r#name`.
pub fn is_raw_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Spells out punctuation that would otherwise vanish (`*` -> `star`), so enum values like
/// `*` or `+` still get a meaningful name, and transliterates the rest to ASCII (`ñandú` ->
/// `nandu`, `😀` -> `grinning`): identifiers stay ASCII, and no letter is dropped.
fn spell_symbols(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if !c.is_ascii() {
            // A letter joins its word (`ñandú` -> `nandu`); a symbol is a word of its own.
            let ascii = deunicode::deunicode_char(c).unwrap_or("");
            if c.is_alphanumeric() {
                out.push_str(ascii);
            } else {
                out.push(' ');
                out.push_str(ascii);
                out.push(' ');
            }
            continue;
        }
        let word = match c {
            '*' => " star ",
            '+' => " plus ",
            '<' => " lt ",
            '>' => " gt ",
            '=' => " eq ",
            '!' => " not ",
            '&' => " and ",
            '|' => " or ",
            '%' => " percent ",
            '@' => " at ",
            '#' => " hash ",
            '$' => " dollar ",
            _ if c.is_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => " ",
        };
        out.push_str(word);
    }
    out
}

/// Keeps ASCII identifier characters only (heck keeps other alphanumerics).
fn ascii_ident(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

/// Names longer than this are cut, with a digest of the whole name to keep them apart:
/// they become file names, which file systems limit to 255 bytes.
const MAX_NAME: usize = 120;

/// `name`, or its first part plus a digest of all of it when it is too long.
fn bounded(name: String, separator: &str) -> String {
    if name.len() <= MAX_NAME {
        return name;
    }
    use sha2::{Digest, Sha256};
    let digest: String = Sha256::digest(name.as_bytes())[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    // ASCII only by now, so any byte index is a character boundary.
    format!("{}{separator}{digest}", &name[..MAX_NAME - 12])
}

/// `UpperCamelCase`, never empty, never starting with a digit.
fn camel(raw: &str) -> String {
    let mut name = ascii_ident(&spell_symbols(raw).to_upper_camel_case());
    if name.is_empty() {
        name = "Value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'V');
    }
    bounded(name, "H")
}

/// A type name: prelude names get a `Model` suffix so generated code can use them bare.
pub fn type_name(raw: &str) -> String {
    let mut name = camel(raw);
    if RESERVED_TYPES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// An enum variant name: prelude names are fine here (`Self::None` cannot be confused
/// with `Option::None`); only `Self` is not an identifier.
pub fn variant_name(raw: &str) -> String {
    let mut name = camel(raw);
    if name == "Self" {
        name.push('_');
    }
    name
}

/// The catch-all variant: `Unknown`, or `Other` when a value already took `Unknown`.
pub fn fallback_variant(taken: &mut NameSet) -> String {
    if taken.contains("Unknown") {
        taken.claim("Other")
    } else {
        taken.claim("Unknown")
    }
}

/// `snake_case` name for fields, parameters, functions and modules (keywords are kept and
/// written as raw identifiers by the renderer, except the few that cannot be).
pub fn snake_name(raw: &str) -> String {
    let mut name = bounded(ascii_ident(&spell_symbols(raw).to_snake_case()), "_h");
    if name.is_empty() {
        name = "value".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'n');
    }
    if NON_RAW.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// Module names can't be raw identifiers in paths comfortably: keywords get a `_` suffix.
pub fn module_name(raw: &str) -> String {
    let name = snake_name(raw);
    if is_raw_keyword(&name) {
        format!("{name}_")
    } else {
        name
    }
}

/// The identifier as it must be written in Rust source (`r#type` for keywords).
pub fn field_ident_name(name: &str) -> String {
    if is_raw_keyword(name) {
        format!("r#{name}")
    } else {
        name.to_owned()
    }
}

/// Hands out unique names within one namespace (one scope of Rust items), deterministically
/// in call order, remembering who holds each name so a clash can be reported.
#[derive(Debug, Default, Clone)]
pub struct NameSet {
    /// Name -> who holds it (a spec name, or why it is reserved).
    taken: BTreeMap<String, String>,
}

/// A name handed out by [`NameSet::claim_for`], and what it clashed with if it had to move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claimed {
    pub name: String,
    /// `Some(holder)` when `wanted` was taken by `holder`.
    pub clash: Option<(String, String)>,
}

impl Claimed {
    /// A warning message for a clash: `` `wanted` is taken by holder; named `name` ``.
    pub fn clash_message(&self, what: &str) -> Option<String> {
        self.clash.as_ref().map(|(wanted, holder)| {
            format!(
                "{what} `{wanted}` is already taken by {holder}; named `{}` instead",
                self.name
            )
        })
    }
}

impl NameSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// A name set with `names` taken, each for the reason given.
    pub fn reserving(names: &[&str], why: &str) -> Self {
        Self::new().and_reserving(names, why)
    }

    /// This set with `names` taken too (a name already taken keeps its first reason).
    pub fn and_reserving(mut self, names: &[&str], why: &str) -> Self {
        for name in names {
            self.reserve(name, why);
        }
        self
    }

    /// Marks a name as used (by `holder`) without allocating a variant of it.
    pub fn reserve(&mut self, name: &str, holder: &str) {
        self.taken
            .entry(name.to_owned())
            .or_insert_with(|| holder.to_owned());
    }

    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains_key(name)
    }

    /// `wanted` if free, otherwise `wanted2`, `wanted3`, ... (`wanted_2` for snake case,
    /// `wanted2` again after a trailing `_`, so no name holds a double underscore).
    pub fn claim(&mut self, wanted: &str) -> String {
        self.claim_for(wanted, wanted).name
    }

    /// [`claim`](Self::claim) for `holder`, saying whom a taken name belonged to.
    pub fn claim_for(&mut self, wanted: &str, holder: &str) -> Claimed {
        let snake = wanted.contains('_') || wanted.chars().all(|c| !c.is_ascii_uppercase());
        let separator = if snake && !wanted.ends_with('_') {
            "_"
        } else {
            ""
        };
        let mut candidate = wanted.to_owned();
        let mut n = 2;
        while self.taken.contains_key(&candidate) {
            candidate = format!("{wanted}{separator}{n}");
            n += 1;
        }
        let clash = (candidate != wanted).then(|| (wanted.to_owned(), self.taken[wanted].clone()));
        self.taken.insert(candidate.clone(), holder.to_owned());
        Claimed {
            name: candidate,
            clash,
        }
    }
}

/// The field of an open object's undeclared keys (`additionalProperties`).
pub const ADDITIONAL_FIELD: &str = "additional_properties";

/// Field names for one struct: `taken` (the generated fields) first, then properties
/// without a leading underscore, so `type` keeps `type` and `_type` becomes `type_`.
pub fn field_names(properties: &[&str], taken: &[&str]) -> Vec<String> {
    let mut names = NameSet::reserving(taken, "a generated field");
    let mut out = vec![String::new(); properties.len()];
    let plain_first = properties
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.starts_with('_'))
        .chain(
            properties
                .iter()
                .enumerate()
                .filter(|(_, p)| p.starts_with('_')),
        );
    for (index, prop) in plain_first {
        let base = snake_name(prop);
        let wanted = if prop.starts_with('_') && names.contains(&base) {
            format!("{base}_")
        } else {
            base
        };
        out[index] = names.claim(&wanted);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names() {
        assert_eq!(type_name("access-profile"), "AccessProfile");
        assert_eq!(type_name("*"), "Star");
        assert_eq!(type_name("1stLevel"), "V1stLevel");
        assert_eq!(type_name(""), "Value");
        assert_eq!(type_name("Result"), "ResultModel");
        assert_eq!(type_name("a<b>"), "ALtBGt");
    }

    #[test]
    fn snake_names() {
        assert_eq!(
            snake_name("X-SailPoint-Experimental"),
            "x_sail_point_experimental"
        );
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("move"), "move");
        assert_eq!(field_ident_name("move"), "r#move");
        assert_eq!(module_name("type"), "type_");
        assert_eq!(snake_name("2fa"), "n2fa");
    }

    #[test]
    fn underscore_fields_yield() {
        assert_eq!(
            field_names(&["_type", "type", "id"], &[]),
            ["type_", "type", "id"]
        );
        assert_eq!(field_names(&["_type", "id"], &[]), ["type", "id"]);
        assert_eq!(
            field_names(&["fooBar", "foo_bar"], &[]),
            ["foo_bar", "foo_bar_2"]
        );
        assert_eq!(
            field_names(&["additionalProperties", "name"], &[ADDITIONAL_FIELD]),
            ["additional_properties_2", "name"]
        );
    }

    #[test]
    fn claims_are_deterministic() {
        let mut set = NameSet::new();
        assert_eq!(set.claim("Foo"), "Foo");
        assert_eq!(set.claim("Foo"), "Foo2");
        assert_eq!(set.claim("foo"), "foo");
        assert_eq!(set.claim("foo"), "foo_2");
        assert_eq!(set.claim("self_"), "self_");
        assert_eq!(set.claim("self_"), "self_2", "no double underscore");
    }

    #[test]
    fn clashes_name_the_holder() {
        let mut set = NameSet::reserving(&["runtime"], "the runtime re-export");
        let claimed = set.claim_for("runtime", "version `runtime`");
        assert_eq!(claimed.name, "runtime_2");
        assert_eq!(
            claimed.clash_message("module").as_deref(),
            Some("module `runtime` is already taken by the runtime re-export; named `runtime_2` instead")
        );
    }

    #[test]
    fn long_names_are_cut_with_a_digest() {
        let long = "segment ".repeat(40);
        let (snake, camel) = (snake_name(&long), type_name(&long));
        assert!(snake.len() <= MAX_NAME && camel.len() <= MAX_NAME);
        assert_ne!(
            snake_name(&format!("{long}a")),
            snake_name(&format!("{long}b"))
        );
    }

    #[test]
    fn non_ascii_is_transliterated() {
        assert_eq!(snake_name("ñandú"), "nandu");
        assert_eq!(type_name("ñandú"), "Nandu");
        assert_ne!(module_name("é"), module_name("😀"));
        assert!(module_name("😀").is_ascii());
    }
}
