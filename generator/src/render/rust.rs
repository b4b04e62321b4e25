//! Helpers every Rust renderer shares: identifiers, doc attributes, type paths and the
//! final `prettyplease` formatting with the "generated, do not edit" preamble.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use super::RenderError;
use crate::model::{is_raw_keyword, TypeRef};

/// An identifier, written `r#name` when `name` is a keyword.
pub fn ident(name: &str) -> Ident {
    if is_raw_keyword(name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// `#[doc = ...]` lines for a spec description, made safe for rustdoc and clippy:
/// code fences become `text` (spec snippets are not Rust doctests), indentation that would
/// start an indented code block is removed, and list continuations are indented.
pub fn doc(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    let lines = sanitize_doc(text);
    quote! { #(#[doc = #lines])* }
}

/// Doc lines from several paragraphs (e.g. summary, then description, then a note).
pub fn doc_paragraphs(paragraphs: &[Option<&str>]) -> TokenStream {
    let joined: Vec<&str> = paragraphs
        .iter()
        .flatten()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect();
    if joined.is_empty() {
        return TokenStream::new();
    }
    doc(Some(&joined.join("\n\n")))
}

fn list_marker_width(line: &str) -> Option<usize> {
    if line.starts_with("- ") || line.starts_with("* ") || line.starts_with("+ ") {
        return Some(2);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(". ") {
        return Some(digits + 2);
    }
    None
}

/// Characters that reorder how text displays (bidirectional overrides and isolates):
/// rustc rejects them in comments, doc comments included.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Spec text made fit for a doc comment: line breaks normalized (a bare carriage return is
/// an error in a doc comment), bidirectional controls dropped, tabs expanded.
fn doc_safe(text: &str) -> String {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\t', "    ")
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .collect()
}

/// Spec text for inside one doc line, typically a code span: on one line, and without
/// backticks, which would end the span.
pub fn inline(text: &str) -> String {
    doc_safe(text)
        .split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .replace('`', "'")
}

pub fn sanitize_doc(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_fence = false;
    let mut list_indent: Option<usize> = None;
    let mut in_quote = false;
    for raw in doc_safe(text).lines() {
        let trimmed = raw.trim();
        if trimmed.starts_with("```") {
            out.push(if in_fence {
                " ```".to_owned()
            } else {
                " ```text".to_owned()
            });
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(format!(" {}", raw.trim_end()));
            continue;
        }
        if trimmed.is_empty() {
            list_indent = None;
            in_quote = false;
            out.push(String::new());
            continue;
        }
        let text = prose(trimmed);
        if trimmed.starts_with('>') {
            in_quote = true;
            list_indent = None;
            out.push(format!(" {text}"));
        } else if in_quote {
            // A lazy continuation of a block quote: mark it as part of the quote.
            out.push(format!(" > {text}"));
        } else if let Some(width) = list_marker_width(trimmed) {
            list_indent = Some(width);
            out.push(format!(" {text}"));
        } else if let Some(width) = list_indent {
            out.push(format!(" {}{text}", " ".repeat(width)));
        } else {
            out.push(format!(" {text}"));
        }
    }
    if in_fence {
        out.push(" ```".to_owned());
    }
    out
}

/// One line of prose as rustdoc should read it: a `<` that would open an HTML tag is
/// written `&lt;` (rustdoc takes `<id>` or `List<String>` for a tag, drops the text and
/// warns), except in code spans, autolinks and line breaks; a `[` that is not a link's
/// is escaped (rustdoc resolves `[Deprecated]` as an intra-doc link, and warns); a bare
/// URL becomes an autolink (rustdoc's `bare_urls`).
fn prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(c) = rest.chars().next() {
        let kept = match c {
            '`' => code_span_len(rest),
            '[' if reads_as_intra_doc_link(rest) => {
                out.push_str("\\[");
                rest = &rest[1..];
                continue;
            }
            '<' => match kept_angle(rest) {
                Some(len) => len,
                None => {
                    out.push_str("&lt;");
                    rest = &rest[1..];
                    continue;
                }
            },
            'h' if out.is_empty() || out.ends_with(char::is_whitespace) => match bare_url_len(rest)
            {
                Some(len) => {
                    out.push('<');
                    out.push_str(&rest[..len]);
                    out.push('>');
                    rest = &rest[len..];
                    continue;
                }
                None => 1,
            },
            _ => c.len_utf8(),
        };
        out.push_str(&rest[..kept]);
        rest = &rest[kept..];
    }
    out
}

/// `true` when rustdoc would try to resolve the `[` that starts `text` as an intra-doc
/// link: its matching `]` is not followed by `(` (an inline link), and what it encloses
/// could be a path (no spaces, quotes or commas: `[Deprecated]`, `` [`Foo`] ``, not
/// `["a", "b"]`). An unclosed `[` is text already.
fn reads_as_intra_doc_link(text: &str) -> bool {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => {
                depth -= 1;
                if depth == 0 {
                    let inner = &text[1..i];
                    let path_like = !inner.is_empty()
                        && !inner
                            .contains(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ','));
                    return path_like && !text[i + 1..].starts_with('(');
                }
            }
            _ => {}
        }
    }
    false
}

/// The length of the code span that starts `text` (a backtick run up to the next run of
/// the same length on the line), or of the run alone when nothing closes it.
fn code_span_len(text: &str) -> usize {
    let run = text.bytes().take_while(|&b| b == b'`').count();
    let mut from = run;
    while let Some(offset) = text[from..].find('`') {
        let start = from + offset;
        let close = text[start..].bytes().take_while(|&b| b == b'`').count();
        if close == run {
            return start + close;
        }
        from = start + close;
    }
    run
}

/// The length of the autolink (`<https://...>`, `<mailto:...>`) or line break (`<br>`,
/// `<br/>`, `<br />`) that starts `text`: markup rustdoc renders as meant.
fn kept_angle(text: &str) -> Option<usize> {
    for line_break in ["<br>", "<br/>", "<br />"] {
        let head = text.get(..line_break.len());
        if head.is_some_and(|h| h.eq_ignore_ascii_case(line_break)) {
            return Some(line_break.len());
        }
    }
    let end = text.find('>')?;
    let inner = &text[1..end];
    let (scheme, target) = inner.split_once(':')?;
    let scheme_ok = (2..=32).contains(&scheme.len())
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'));
    let target_ok = !target.is_empty() && !target.contains(|c: char| c.is_whitespace() || c == '<');
    (scheme_ok && target_ok).then_some(end + 1)
}

/// The length of the `http(s)://` URL that starts `text`, without the punctuation that
/// ends the sentence around it.
fn bare_url_len(text: &str) -> Option<usize> {
    let scheme = ["https://", "http://"]
        .into_iter()
        .find(|s| text.starts_with(s))?;
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(text.len());
    let mut url = &text[..end];
    while let Some(last) = url.chars().last() {
        let unbalanced = last == ')' && url.matches('(').count() < url.matches(')').count();
        if matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*') || unbalanced {
            url = &url[..url.len() - last.len_utf8()];
        } else {
            break;
        }
    }
    (url.len() > scheme.len()).then_some(url.len())
}

/// Where generated models live, as seen from the file being rendered.
#[derive(Clone)]
pub struct TypeCtx {
    /// The version crate's root path: `crate`, or its name from its tests.
    pub root: TokenStream,
    pub models: TokenStream,
}

impl TypeCtx {
    /// Inside `models/`: siblings are `super::Name`.
    pub fn in_models() -> Self {
        TypeCtx {
            root: quote! { crate },
            models: quote! { super },
        }
    }

    /// Anywhere else in a version crate: `crate::models::Name`.
    pub fn in_crate() -> Self {
        TypeCtx {
            root: quote! { crate },
            models: quote! { crate::models },
        }
    }

    /// Outside the crate (its integration tests): `<crate>::models::Name`.
    pub fn external(crate_ident: &str) -> Self {
        let krate = ident(crate_ident);
        TypeCtx {
            root: quote! { #krate },
            models: quote! { #krate::models },
        }
    }

    pub fn ty(&self, ty: &TypeRef) -> TokenStream {
        match ty {
            TypeRef::String => quote! { String },
            TypeRef::DateTime => {
                let root = &self.root;
                quote! { #root::runtime::DateTime }
            }
            TypeRef::Bool => quote! { bool },
            TypeRef::I32 => quote! { i32 },
            TypeRef::I64 => quote! { i64 },
            TypeRef::F32 => quote! { f32 },
            TypeRef::F64 => quote! { f64 },
            TypeRef::Json => quote! { serde_json::Value },
            TypeRef::File => {
                let root = &self.root;
                quote! { #root::runtime::FilePart }
            }
            TypeRef::Bytes => quote! { Vec<u8> },
            TypeRef::Vec(inner) => {
                let inner = self.ty(inner);
                quote! { Vec<#inner> }
            }
            TypeRef::Map(inner) => {
                let inner = self.ty(inner);
                quote! { std::collections::BTreeMap<String, #inner> }
            }
            TypeRef::Nullable(inner) => {
                let inner = self.ty(inner);
                quote! { Option<#inner> }
            }
            TypeRef::Named(name) => {
                let models = &self.models;
                let name = ident(name);
                quote! { #models::#name }
            }
        }
    }
}

/// Formats a token stream as a Rust file with the generated-file preamble.
pub fn format_file(preamble: &str, path: &str, tokens: TokenStream) -> Result<String, RenderError> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| RenderError::Syntax {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    Ok(format!(
        "// {preamble}\n{}",
        space_items(&prettyplease::unparse(&file))
    ))
}

/// `prettyplease` packs items together; a blank line after each multi-line item (a line
/// that closes a block at its indentation) and between inner docs and the first item makes
/// the files read like hand-written code.
fn space_items(code: &str) -> String {
    let lines: Vec<&str> = code.lines().collect();
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    for (i, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(i + 1) else {
            continue;
        };
        let indent = line.len() - line.trim_start().len();
        let next_indent = next.len() - next.trim_start().len();
        let closes_item = matches!(line.trim(), "}" | "};") && next_indent == indent;
        let ends_docs = (line.starts_with("//!") && !next.starts_with("//!"))
            || (line.starts_with("#![") && !next.starts_with("#!["));
        let next_closes = next.trim_start().starts_with('}');
        if (closes_item || ends_docs) && !next.is_empty() && !next_closes {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_neutralize_code_and_lists() {
        let lines =
            sanitize_doc("Intro\n```json\n{\"a\": 1}\n```\n- item\ncontinued\n\n    indented");
        assert_eq!(
            lines,
            [
                " Intro",
                " ```text",
                " {\"a\": 1}",
                " ```",
                " - item",
                "   continued",
                "",
                " indented"
            ]
        );
    }

    #[test]
    fn carriage_returns_and_direction_overrides_never_reach_a_doc_comment() {
        assert_eq!(sanitize_doc("a\r\nb\rc\u{202E}d"), [" a", " b", " cd"]);
        assert_eq!(inline("x\r\n`y`\u{2066}"), "x 'y'");
    }

    #[test]
    fn angle_brackets_stay_text_unless_markup_rustdoc_renders() {
        assert_eq!(
            prose("GET /sources/<id> returns List<String> for a < b"),
            "GET /sources/&lt;id> returns List&lt;String> for a &lt; b"
        );
        assert_eq!(
            prose("`Vec<T>` and ``a ` <b>`` stay code; a ` alone is text <c>"),
            "`Vec<T>` and ``a ` <b>`` stay code; a ` alone is text &lt;c>"
        );
        assert_eq!(
            prose("one<br/>two <BR> three <https://example.com/a> <mailto:a@b.example>"),
            "one<br/>two <BR> three <https://example.com/a> <mailto:a@b.example>"
        );
        assert_eq!(prose("<p>para</p> <x:y z>"), "&lt;p>para&lt;/p> &lt;x:y z>");
    }

    #[test]
    fn brackets_are_text_unless_they_make_a_link() {
        assert_eq!(
            prose("[Deprecated] see [the guide](https://example.com/g) or [[a]](b) and [`Foo`] [x"),
            "\\[Deprecated] see [the guide](https://example.com/g) or [\\[a]](b) and \\[`Foo`] [x"
        );
        assert_eq!(
            prose(r#"sort ["a", "id"] or [a b]"#),
            r#"sort ["a", "id"] or [a b]"#
        );
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            prose("See https://example.com/a?b=1. Or (https://example.com/c_(d)), or [x](https://example.com/e)."),
            "See <https://example.com/a?b=1>. Or (https://example.com/c_(d)), or [x](https://example.com/e)."
        );
        assert_eq!(
            prose("http:// alone, https://x.example"),
            "http:// alone, <https://x.example>"
        );
    }

    #[test]
    fn quote_continuations_are_marked() {
        assert_eq!(sanitize_doc("> a\nb\n\nc"), [" > a", " > b", "", " c"]);
    }

    #[test]
    fn items_are_spaced() {
        let code = "//! Docs.\nmod a;\nfn f() {\n    if x {\n        y();\n    }\n    z();\n}\nfn g() {}\n";
        assert_eq!(
            space_items(code),
            "//! Docs.\n\nmod a;\nfn f() {\n    if x {\n        y();\n    }\n\n    z();\n}\n\nfn g() {}\n"
        );
    }

    #[test]
    fn keywords_become_raw() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("name").to_string(), "name");
    }
}
