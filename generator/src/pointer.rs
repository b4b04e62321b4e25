//! JSON-pointer helpers (RFC 6901) and the parsing of `$ref` strings.
//!
//! Pointers are kept in their escaped string form everywhere (`/paths/~1users/get`), so
//! they can be used as map keys and printed as-is.

use std::borrow::Cow;

/// Unescaped segments of an escaped pointer (`""` has none).
pub(crate) fn segments(ptr: &str) -> impl Iterator<Item = Cow<'_, str>> {
    ptr.split('/').skip(1).map(unescape)
}

/// `~1` -> `/`, `~0` -> `~` (in that order, as RFC 6901 requires).
pub(crate) fn unescape(seg: &str) -> Cow<'_, str> {
    if seg.contains('~') {
        Cow::Owned(seg.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(seg)
    }
}

pub(crate) fn escape(seg: &str) -> Cow<'_, str> {
    if seg.contains(['~', '/']) {
        Cow::Owned(seg.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(seg)
    }
}

/// Appends one (unescaped) segment to an escaped pointer.
pub(crate) fn push(ptr: &mut String, seg: &str) {
    ptr.push('/');
    ptr.push_str(&escape(seg));
}

/// Joins an escaped pointer and one unescaped segment.
pub(crate) fn join(ptr: &str, seg: &str) -> String {
    let mut out = ptr.to_owned();
    push(&mut out, seg);
    out
}

/// How pointers are shown to people: as a URI fragment, `#` being the whole document.
pub(crate) fn display(ptr: &str) -> String {
    format!("#{ptr}")
}

/// A `$ref` string taken apart.
#[derive(Debug, PartialEq)]
pub(crate) struct RefParts {
    /// Percent-decoded file part; empty for a same-document ref.
    pub(crate) file: String,
    /// Escaped, percent-decoded JSON pointer; `""` for the whole document.
    pub(crate) pointer: String,
}

/// Why a `$ref` string was refused before touching the file system.
#[derive(Debug, PartialEq)]
pub(crate) enum RefProblem {
    /// A URL with a scheme or a network path (`//host/...`): we never fetch anything.
    Remote,
    /// A fragment that is not a JSON pointer (e.g. a plain-name anchor).
    BadFragment,
    /// A `~` in the pointer not followed by `0` or `1` (RFC 6901 defines no other escape).
    BadEscape,
}

pub(crate) fn parse_ref(reference: &str) -> Result<RefParts, RefProblem> {
    if is_remote(reference) {
        return Err(RefProblem::Remote);
    }
    let (file, fragment) = match reference.split_once('#') {
        Some((file, fragment)) => (file, fragment),
        None => (reference, ""),
    };
    let pointer = percent_decode(fragment);
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Err(RefProblem::BadFragment);
    }
    if !valid_escapes(&pointer) {
        return Err(RefProblem::BadEscape);
    }
    Ok(RefParts {
        file: percent_decode(file),
        pointer,
    })
}

/// Every `~` starts `~0` or `~1`.
fn valid_escapes(pointer: &str) -> bool {
    let mut chars = pointer.chars();
    while let Some(c) = chars.next() {
        if c == '~' && !matches!(chars.next(), Some('0' | '1')) {
            return false;
        }
    }
    true
}

/// `http:`, `file:`, `urn:`... (any RFC 3986 scheme) or a network-path reference `//host`.
fn is_remote(reference: &str) -> bool {
    if reference.starts_with("//") || reference.starts_with("\\\\") {
        return true;
    }
    let before_sep = reference.split(['/', '\\', '#', '?']).next().unwrap_or("");
    match before_sep.split_once(':') {
        Some((scheme, _)) => {
            let mut chars = scheme.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        }
        None => false,
    }
}

/// Decodes `%XX` escapes; malformed escapes are kept literally.
fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let decoded = (bytes[i] == b'%')
            .then(|| bytes.get(i + 1..i + 3))
            .flatten()
            .and_then(|hex| std::str::from_utf8(hex).ok())
            .and_then(|hex| u8::from_str_radix(hex, 16).ok());
        match decoded {
            Some(b) => {
                out.push(b);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        let mut p = String::new();
        push(&mut p, "/users/{id}");
        push(&mut p, "a~b");
        assert_eq!(p, "/~1users~1{id}/a~0b");
        let segs: Vec<_> = segments(&p).collect();
        assert_eq!(segs, ["/users/{id}", "a~b"]);
    }

    #[test]
    fn parses_refs() {
        assert_eq!(
            parse_ref("../schemas/A.yaml#/properties/b%20c"),
            Ok(RefParts {
                file: "../schemas/A.yaml".into(),
                pointer: "/properties/b c".into()
            })
        );
        assert_eq!(
            parse_ref("#/components/schemas/X"),
            Ok(RefParts {
                file: String::new(),
                pointer: "/components/schemas/X".into()
            })
        );
        assert_eq!(parse_ref("A.yaml#anchor"), Err(RefProblem::BadFragment));
    }

    #[test]
    fn refuses_invalid_escapes() {
        for r in ["#/a~2b", "#/a~", "#/~/b", "A.yaml#/a~x", "#/a%7E2"] {
            assert_eq!(parse_ref(r), Err(RefProblem::BadEscape), "{r}");
        }
        assert!(parse_ref("#/a~0b~1c").is_ok());
    }

    #[test]
    fn detects_remote_refs() {
        for r in [
            "http://x/a.yaml",
            "https://x/a.yaml#/b",
            "//host/a.yaml",
            "file:///etc/passwd",
            "urn:x",
        ] {
            assert_eq!(parse_ref(r), Err(RefProblem::Remote), "{r}");
        }
        assert!(parse_ref("./a:b.yaml").is_ok());
        assert!(parse_ref("../x/a.yaml#/a:b").is_ok());
    }
}
