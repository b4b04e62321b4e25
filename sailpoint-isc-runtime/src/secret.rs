//! Secrets: the [`Secret`] newtype for the client secret and access tokens, and the
//! redaction of secrets from text the client keeps (error bodies, excerpts).
//!
//! `Secret` wraps `secrecy::SecretString`, so the value is wiped from memory on drop and
//! can only be read through [`Secret::expose`]. Redaction exists because servers echo
//! things: an error body may quote the `Authorization` header or the submitted form.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// What replaces a secret in text.
pub(crate) const REDACTED: &str = "<redacted>";

/// A client secret or access token. `Debug` prints `<redacted>`; there is no `Display`.
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(SecretString::from(value.into()))
    }

    /// The secret value; use it only where it must be sent.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

/// Replaces every occurrence of the given secrets, then anything shaped like a bearer
/// credential (`Bearer <token>`) or a JWT, with `<redacted>`.
///
/// The patterns catch tokens the client does not know (an earlier token, another
/// client's); the exact secrets catch values of any shape (a client secret).
pub(crate) fn redact(text: &str, secrets: &[&Secret]) -> String {
    let mut out = text.to_owned();
    for secret in secrets {
        let value = secret.expose();
        // Very short values would redact ordinary words; real secrets are long.
        if value.len() >= 4 && out.contains(value) {
            out = out.replace(value, REDACTED);
        }
    }
    redact_jwts(&redact_bearer(&out))
}

/// `Bearer <token>` (any case) becomes `Bearer <redacted>`.
fn redact_bearer(text: &str) -> String {
    const SCHEME: &str = "bearer ";
    let lower = text.to_ascii_lowercase();
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    let mut search_from = 0;
    while let Some(found) = lower[search_from..].find(SCHEME) {
        let token_start = search_from + found + SCHEME.len();
        let token_len = text[token_start..]
            .find(|c: char| !is_token_char(c))
            .unwrap_or(text.len() - token_start);
        // Short words after "bearer" are prose ("the bearer of"), not credentials.
        if token_len >= MIN_TOKEN_LEN && &text[token_start..token_start + token_len] != REDACTED {
            out.push_str(&text[rest..token_start]);
            out.push_str(REDACTED);
            rest = token_start + token_len;
        }
        search_from = token_start + token_len;
    }
    out.push_str(&text[rest..]);
    out
}

/// Shortest credential after `Bearer ` that is redacted.
const MIN_TOKEN_LEN: usize = 5;

/// Characters of an RFC 6750 `b64token`, the syntax of a bearer credential.
fn is_token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '+' | '/' | '=')
}

/// Three dot-separated base64url segments starting with `eyJ` (`{"` encoded): a JWT.
fn redact_jwts(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = 0;
    let mut search_from = 0;
    while let Some(found) = text[search_from..].find("eyJ") {
        let start = search_from + found;
        let len = text[start..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
            .unwrap_or(text.len() - start);
        let candidate = &text[start..start + len];
        if candidate.split('.').filter(|s| !s.is_empty()).count() >= 3 {
            out.push_str(&text[rest..start]);
            out.push_str(REDACTED);
            rest = start + len;
        }
        search_from = start + len.max(3);
    }
    out.push_str(&text[rest..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let secret = Secret::new("hunter2-value");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        assert_eq!(secret.expose(), "hunter2-value");
        assert_eq!(secret, Secret::from("hunter2-value"));
    }

    #[test]
    fn known_secrets_bearer_tokens_and_jwts_are_redacted() {
        let secret = Secret::new("s3cr3t-value");
        let text = "echo: client_secret=s3cr3t-value, Authorization: Bearer tok-17 \
                    and bearer abc.def; jwt eyJhbGciOi.eyJzdWIiOi.c2lnbmF0dXJl end";
        let redacted = redact(text, &[&secret]);
        assert_eq!(
            redacted,
            "echo: client_secret=<redacted>, Authorization: Bearer <redacted> \
             and bearer <redacted>; jwt <redacted> end"
        );
    }

    #[test]
    fn ordinary_text_is_kept() {
        let text = "the bearer of bad news; eyJ alone; Bearer";
        assert_eq!(redact(text, &[]), text);
        assert_eq!(redact("no secrets here", &[]), "no secrets here");
    }
}
