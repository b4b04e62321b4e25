//! Where the client's settings come from when not given to the builder explicitly.
//!
//! Lookup, per key, first hit wins (the same names SailPoint's SDKs and CLI use):
//!
//! 1. environment: `SAIL_BASE_URL`, `SAIL_CLIENT_ID`, `SAIL_CLIENT_SECRET`;
//! 2. `./config.json` (the Go/Python/TypeScript SDKs' file):
//!    `{"BaseURL": "...", "ClientId": "...", "ClientSecret": "..."}`; keys are matched
//!    case-insensitively (the Go SDK reads it through viper, which does the same);
//! 3. `~/.sailpoint/config.yaml` (the `sail` CLI's file): the environment named by
//!    `activeenvironment` (default `default`, or the only one there is), its `baseurl`,
//!    and `pat.clientid` / `pat.clientsecret` (or `clientid` / `clientsecret` directly
//!    under the environment, or at the top level). Recent CLI versions keep the secret
//!    in the OS keyring, which is not read: set `SAIL_CLIENT_SECRET` then.
//!
//! The YAML file is read with the `yaml-config` cargo feature (on by default). Without
//! it, finding that file while a key is still missing is an error naming the feature,
//! rather than a silent skip.
//!
//! Files are only read when the environment does not provide every key, so a broken
//! file cannot break a fully env-configured process. Empty values count as unset.
//! [`Config::from_sources`] takes the environment as a function and the directories as
//! paths, so tests need no global state.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;

use crate::error::Error;
use crate::secret::Secret;

/// Connection settings loaded from the environment and config files.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// Tenant API base URL, e.g. `https://acme.api.identitynow.com`.
    pub base_url: String,
    /// OAuth client id.
    pub client_id: String,
    /// OAuth client secret (`Debug` prints `<redacted>`).
    pub client_secret: Secret,
    /// Token endpoint override; `None` means `{base_url}/oauth/token`.
    pub token_url: Option<String>,
}

impl Config {
    /// A config from explicit values.
    pub fn new(
        base_url: impl Into<String>,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Self {
        Config {
            base_url: base_url.into(),
            client_id: client_id.into(),
            client_secret: Secret::new(client_secret),
            token_url: None,
        }
    }

    /// Loads from the process environment, `./config.json` in the current directory and
    /// `~/.sailpoint/config.yaml` (home from `HOME`, else `USERPROFILE`).
    pub fn from_env() -> Result<Config, Error> {
        let env = |name: &str| std::env::var(name).ok();
        let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
        let home = env("HOME")
            .or_else(|| env("USERPROFILE"))
            .filter(|h| !h.is_empty())
            .map(PathBuf::from);
        Self::from_sources(env, &cwd, home.as_deref())
    }

    /// Loads from the given sources: `env` looks up an environment variable, `config.json`
    /// is read from `cwd`, `.sailpoint/config.yaml` from `home` (skipped when `None`).
    pub fn from_sources(
        env: impl Fn(&str) -> Option<String>,
        cwd: &Path,
        home: Option<&Path>,
    ) -> Result<Config, Error> {
        let mut found = Partial {
            base_url: non_empty(env("SAIL_BASE_URL")),
            client_id: non_empty(env("SAIL_CLIENT_ID")),
            client_secret: non_empty(env("SAIL_CLIENT_SECRET")),
        };
        let json_path = cwd.join("config.json");
        if !found.is_complete() {
            if let Some(from_json) = read_json(&json_path)? {
                tracing::debug!(path = %json_path.display(), "read SDK configuration file");
                found.fill_from(from_json);
            }
        }
        let yaml_path = home.map(|h| h.join(".sailpoint").join("config.yaml"));
        let mut yaml_env = "<activeenvironment>".to_owned();
        if !found.is_complete() {
            if let Some(path) = &yaml_path {
                if let Some((from_yaml, active)) = yaml::read_yaml(path)? {
                    tracing::debug!(path = %path.display(), environment = %active, "read CLI configuration file");
                    yaml_env = active;
                    found.fill_from(from_yaml);
                }
            }
        }
        let yaml_place = match &yaml_path {
            Some(path) => format!("in {}", path.display()),
            None => "in ~/.sailpoint/config.yaml (home directory unknown)".to_owned(),
        };
        let explain = |var: &str, json_key: &str, yaml_key: &str| {
            format!(
                "{var} is not set (nor {json_key} in {}, nor environments.{yaml_env}.{yaml_key} {yaml_place})",
                json_path.display()
            )
        };
        let mut missing = Vec::new();
        if found.base_url.is_none() {
            missing.push(explain("SAIL_BASE_URL", "BaseURL", "baseurl"));
        }
        if found.client_id.is_none() {
            missing.push(explain("SAIL_CLIENT_ID", "ClientId", "pat.clientid"));
        }
        if found.client_secret.is_none() {
            missing.push(explain(
                "SAIL_CLIENT_SECRET",
                "ClientSecret",
                "pat.clientsecret",
            ));
        }
        match (found.base_url, found.client_id, found.client_secret) {
            (Some(base_url), Some(client_id), Some(client_secret)) => Ok(Config {
                base_url,
                client_id,
                client_secret: Secret::new(client_secret),
                token_url: None,
            }),
            _ => Err(Error::Config(missing.join("; "))),
        }
    }
}

#[derive(Default)]
struct Partial {
    base_url: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

impl Partial {
    fn is_complete(&self) -> bool {
        self.base_url.is_some() && self.client_id.is_some() && self.client_secret.is_some()
    }

    fn fill_from(&mut self, other: Partial) {
        self.base_url = self.base_url.take().or(other.base_url);
        self.client_id = self.client_id.take().or(other.client_id);
        self.client_secret = self.client_secret.take().or(other.client_secret);
    }
}

/// Custom so a half-loaded secret never reaches a log.
impl fmt::Debug for Partial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Partial")
            .field("base_url", &self.base_url)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// `None` when the file does not exist; an error when it exists but is unusable.
fn read_file(path: &Path) -> Result<Option<String>, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::Config(format!(
            "could not read {}: {e}",
            path.display()
        ))),
    }
}

fn read_json(path: &Path) -> Result<Option<Partial>, Error> {
    let Some(text) = read_file(path)? else {
        return Ok(None);
    };
    // serde_json's syntax errors give line and column only, never file content.
    let value: Json = serde_json::from_str(&text)
        .map_err(|e| Error::Config(format!("{} is not valid JSON: {e}", path.display())))?;
    let Json::Object(map) = value else {
        return Err(Error::Config(format!(
            "{} must contain a JSON object",
            path.display()
        )));
    };
    let get = |wanted: &str| -> Result<Option<String>, Error> {
        match map
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(wanted))
            .map(|(_, v)| v)
        {
            None | Some(Json::Null) => Ok(None),
            Some(Json::String(s)) => Ok(non_empty(Some(s.clone()))),
            Some(_) => Err(Error::Config(format!(
                "{wanted} in {} must be a string",
                path.display()
            ))),
        }
    };
    Ok(Some(Partial {
        base_url: get("BaseURL")?,
        client_id: get("ClientId")?,
        client_secret: get("ClientSecret")?,
    }))
}

/// `~/.sailpoint/config.yaml`, read with `yaml_serde` (the YAML organization's maintained
/// fork of the archived `serde_yaml`).
#[cfg(feature = "yaml-config")]
mod yaml {
    use std::path::Path;

    use yaml_serde::Value as Yaml;

    use super::{non_empty, read_file, Partial};
    use crate::error::Error;

    /// Returns the values found and the name of the environment they came from.
    pub(super) fn read_yaml(path: &Path) -> Result<Option<(Partial, String)>, Error> {
        let Some(text) = read_file(path)? else {
            return Ok(None);
        };
        let root: Yaml = yaml_serde::from_str(&text)
            .map_err(|e| Error::Config(format!("{} is not valid YAML: {e}", path.display())))?;
        if root.is_null() {
            // An empty file.
            return Ok(Some((Partial::default(), "default".to_owned())));
        }
        let environments = yaml_get(&root, "environments");
        let active = yaml_string(&root, "activeenvironment")
            .or_else(|| {
                // The CLI's default name, else the only environment there is.
                let map = environments?.as_mapping()?;
                if yaml_get_in(map, "default").is_some() {
                    return Some("default".to_owned());
                }
                match map.keys().collect::<Vec<_>>().as_slice() {
                    [only] => only.as_str().map(str::to_owned),
                    _ => None,
                }
            })
            .unwrap_or_else(|| "default".to_owned());
        let env = environments
            .and_then(Yaml::as_mapping)
            .and_then(|m| yaml_get_in(m, &active));
        let from_env = |key: &str| {
            env.and_then(|e| yaml_get(e, "pat"))
                .and_then(|pat| yaml_string(pat, key))
                .or_else(|| env.and_then(|e| yaml_string(e, key)))
                .or_else(|| yaml_string(&root, key))
        };
        Ok(Some((
            Partial {
                base_url: env
                    .and_then(|e| yaml_string(e, "baseurl"))
                    .or_else(|| yaml_string(&root, "base_url"))
                    .or_else(|| yaml_string(&root, "baseurl")),
                client_id: from_env("clientid"),
                client_secret: from_env("clientsecret"),
            },
            active,
        )))
    }

    /// Case-insensitive key lookup (the CLI writes lower-case keys through viper).
    fn yaml_get<'a>(value: &'a Yaml, key: &str) -> Option<&'a Yaml> {
        yaml_get_in(value.as_mapping()?, key)
    }

    fn yaml_get_in<'a>(map: &'a yaml_serde::Mapping, key: &str) -> Option<&'a Yaml> {
        map.iter()
            .find(|(k, _)| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case(key)))
            .map(|(_, v)| v)
    }

    fn yaml_string(value: &Yaml, key: &str) -> Option<String> {
        non_empty(
            yaml_get(value, key)
                .and_then(Yaml::as_str)
                .map(str::to_owned),
        )
    }
}

#[cfg(not(feature = "yaml-config"))]
mod yaml {
    use std::path::Path;

    use super::Partial;
    use crate::error::Error;

    /// Without YAML support a present file cannot be read; saying so beats ignoring it.
    pub(super) fn read_yaml(path: &Path) -> Result<Option<(Partial, String)>, Error> {
        match std::fs::metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            _ => Err(Error::Config(format!(
                "{} exists, but this build of sailpoint-isc-runtime cannot read YAML: enable its \
                 `yaml-config` cargo feature, or set SAIL_BASE_URL, SAIL_CLIENT_ID and SAIL_CLIENT_SECRET",
                path.display()
            ))),
        }
    }
}
