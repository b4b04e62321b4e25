//! Offline tests of the runtime's pure parts: configuration sources, builder
//! validation, `DateTime` parsing, lenient decoding helpers, `Retry-After` parsing,
//! error-body parsing and secret redaction.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, UNIX_EPOCH};

use sailpoint_isc_runtime::retry::parse_retry_after;
use sailpoint_isc_runtime::{lenient, Config, DateTime, ErrorBody, RetryPolicy, Secret};
use sailpoint_isc_runtime::{Client, Error};
use serde::Deserialize;
use serde_json::json;

/// A scratch directory under the system temp dir, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "sailpoint-isc-test-{}-{name}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, relative: &str, content: &str) -> &Self {
        let path = self.0.join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
        self
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn env_of<'a>(vars: &'a [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| (*v).to_owned())
    }
}

const CLI_YAML: &str = r#"
authtype: pat
activeenvironment: acme-sb
debug: false
environments:
  acme:
    baseurl: https://acme.api.identitynow.com
    tenanturl: https://acme.identitynow.com
    pat:
      clientid: prod-id
      clientsecret: prod-secret
  acme-sb:
    baseurl: https://acme-sb.api.identitynow.com
    tenanturl: https://acme-sb.identitynow.com
    pat:
      clientid: sb-id
      clientsecret: sb-secret
"#;

#[test]
fn config_from_environment_variables() {
    let cwd = Scratch::new("env-cwd");
    let vars = [
        ("SAIL_BASE_URL", "https://acme.api.identitynow.com"),
        ("SAIL_CLIENT_ID", "id-1"),
        ("SAIL_CLIENT_SECRET", "secret-1"),
    ];
    let config = Config::from_sources(env_of(&vars), cwd.path(), None).unwrap();
    assert_eq!(config.base_url, "https://acme.api.identitynow.com");
    assert_eq!(config.client_id, "id-1");
    assert_eq!(config.client_secret.expose(), "secret-1");
    assert_eq!(config.token_url, None);
}

#[test]
fn config_env_complete_means_files_are_not_read() {
    let cwd = Scratch::new("broken-json");
    cwd.write("config.json", "{ not json");
    let vars = [
        ("SAIL_BASE_URL", "https://a.api.identitynow.com"),
        ("SAIL_CLIENT_ID", "i"),
        ("SAIL_CLIENT_SECRET", "s"),
    ];
    assert!(Config::from_sources(env_of(&vars), cwd.path(), None).is_ok());
}

#[test]
fn config_from_sdk_config_json() {
    let cwd = Scratch::new("json");
    cwd.write(
        "config.json",
        r#"{"BaseURL": "https://acme.api.identitynow.com", "ClientId": "json-id", "ClientSecret": "json-secret"}"#,
    );
    let config = Config::from_sources(env_of(&[]), cwd.path(), None).unwrap();
    assert_eq!(config.base_url, "https://acme.api.identitynow.com");
    assert_eq!(config.client_id, "json-id");
    assert_eq!(config.client_secret.expose(), "json-secret");
}

#[test]
fn config_json_keys_are_case_insensitive() {
    let cwd = Scratch::new("json-case");
    cwd.write(
        "config.json",
        r#"{"baseurl": "https://b.api.identitynow.com", "clientid": "i", "clientSecret": "s"}"#,
    );
    let config = Config::from_sources(env_of(&[]), cwd.path(), None).unwrap();
    assert_eq!(config.base_url, "https://b.api.identitynow.com");
}

#[test]
#[cfg(feature = "yaml-config")]
fn config_from_cli_yaml_uses_the_active_environment() {
    let cwd = Scratch::new("yaml-cwd");
    let home = Scratch::new("yaml-home");
    home.write(".sailpoint/config.yaml", CLI_YAML);
    let config = Config::from_sources(env_of(&[]), cwd.path(), Some(home.path())).unwrap();
    assert_eq!(config.base_url, "https://acme-sb.api.identitynow.com");
    assert_eq!(config.client_id, "sb-id");
    assert_eq!(config.client_secret.expose(), "sb-secret");
}

#[test]
#[cfg(feature = "yaml-config")]
fn config_yaml_without_active_environment_uses_the_only_one() {
    let cwd = Scratch::new("yaml1-cwd");
    let home = Scratch::new("yaml1-home");
    home.write(
        ".sailpoint/config.yaml",
        "environments:\n  mytenant:\n    baseurl: https://t.api.identitynow.com\n    clientid: flat-id\n    clientsecret: flat-secret\n",
    );
    let config = Config::from_sources(env_of(&[]), cwd.path(), Some(home.path())).unwrap();
    assert_eq!(config.base_url, "https://t.api.identitynow.com");
    assert_eq!(config.client_id, "flat-id");
}

#[test]
#[cfg(feature = "yaml-config")]
fn config_env_overrides_files_per_key() {
    let cwd = Scratch::new("merge-cwd");
    let home = Scratch::new("merge-home");
    cwd.write(
        "config.json",
        r#"{"BaseURL": "https://json.api.identitynow.com", "ClientId": "json-id"}"#,
    );
    home.write(".sailpoint/config.yaml", CLI_YAML);
    let vars = [("SAIL_CLIENT_ID", "env-id")];
    let config = Config::from_sources(env_of(&vars), cwd.path(), Some(home.path())).unwrap();
    assert_eq!(config.client_id, "env-id", "env beats both files");
    assert_eq!(
        config.base_url, "https://json.api.identitynow.com",
        "config.json beats config.yaml"
    );
    assert_eq!(
        config.client_secret.expose(),
        "sb-secret",
        "config.yaml fills the rest"
    );
}

#[test]
#[cfg(not(feature = "yaml-config"))]
fn config_yaml_without_the_feature_is_an_error_naming_it() {
    let cwd = Scratch::new("nofeature-cwd");
    let home = Scratch::new("nofeature-home");
    home.write(".sailpoint/config.yaml", CLI_YAML);
    let error = Config::from_sources(env_of(&[]), cwd.path(), Some(home.path())).unwrap_err();
    let text = error.to_string();
    assert!(text.contains("`yaml-config` cargo feature"), "{text}");
    assert!(text.contains("config.yaml"), "{text}");
    // A complete environment never reads the file, feature or not.
    let vars = [
        ("SAIL_BASE_URL", "https://e.api.identitynow.com"),
        ("SAIL_CLIENT_ID", "id"),
        ("SAIL_CLIENT_SECRET", "secret"),
    ];
    assert!(Config::from_sources(env_of(&vars), cwd.path(), Some(home.path())).is_ok());
}

#[test]
fn config_missing_key_error_names_the_variable_and_the_files() {
    let cwd = Scratch::new("missing-cwd");
    let home = Scratch::new("missing-home");
    cwd.write("config.json", r#"{"BaseURL": "https://json.api.identitynow.com", "ClientId": "json-id", "ClientSecret": ""}"#);
    let error = Config::from_sources(env_of(&[]), cwd.path(), Some(home.path())).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::Config(_)));
    assert!(
        message.contains("SAIL_CLIENT_SECRET is not set"),
        "{message}"
    );
    assert!(
        message.contains("ClientSecret in") && message.contains("config.json"),
        "{message}"
    );
    assert!(message.contains(".sailpoint/config.yaml"), "{message}");
    assert!(
        !message.contains("SAIL_CLIENT_ID"),
        "client id was found: {message}"
    );
    assert!(!message.contains('\n'));
}

#[test]
fn config_invalid_json_is_a_clear_error() {
    let cwd = Scratch::new("badjson");
    cwd.write(
        "config.json",
        r#"{"BaseURL": "https://x", "ClientSecret": "hunter2""#,
    );
    let message = Config::from_sources(env_of(&[]), cwd.path(), None)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("config.json is not valid JSON"),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");

    cwd.write("config.json", r#"{"BaseURL": 5}"#);
    let message = Config::from_sources(env_of(&[]), cwd.path(), None)
        .unwrap_err()
        .to_string();
    assert!(
        message.contains("BaseURL in") && message.contains("must be a string"),
        "{message}"
    );
}

#[test]
fn config_and_builder_debug_redact_the_secret() {
    let config = Config::new("https://a.api.identitynow.com", "id", "s3cr3t");
    let debug = format!("{config:?}");
    assert!(
        !debug.contains("s3cr3t") && debug.contains("<redacted>"),
        "{debug}"
    );
    let client = Client::builder().config(config).build().unwrap();
    let debug = format!("{client:?}");
    assert!(
        !debug.contains("s3cr3t") && debug.contains("<redacted>"),
        "{debug}"
    );
    assert_eq!(format!("{:?}", Secret::new("tok")), "<redacted>");
}

#[test]
fn builder_validates_base_url_and_credentials() {
    let error = Client::builder()
        .client_credentials("i", "s")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("no base URL"), "{error}");

    let error = Client::builder()
        .base_url("https://a.api.identitynow.com")
        .build()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("client id and client secret missing"),
        "{error}"
    );

    let error = Client::builder()
        .base_url("https://a.api.identitynow.com/v3")
        .access_token("t")
        .build()
        .unwrap_err();
    assert!(
        error
            .to_string()
            .contains("ends with the API version `/v3`"),
        "{error}"
    );

    let error = Client::builder()
        .base_url("acme.api.identitynow.com")
        .access_token("t")
        .build()
        .unwrap_err();
    assert!(matches!(error, Error::Config(_)), "{error:?}");

    let client = Client::builder()
        .base_url("https://a.api.identitynow.com/")
        .access_token("t")
        .build()
        .unwrap();
    assert_eq!(client.base_url(), "https://a.api.identitynow.com");
    assert!(!client.experimental_enabled());
    assert_eq!(client.timeout(), Duration::from_secs(60));
    assert_eq!(client.retry_policy(), &RetryPolicy::default());
}

#[test]
fn datetime_parses_tolerantly() {
    let cases = [
        ("2024-01-02T03:04:05Z", (2024, 1, 2, 3, 4, 5, 0, 0)),
        (
            "2024-01-02T03:04:05.123Z",
            (2024, 1, 2, 3, 4, 5, 123_000_000, 0),
        ),
        (
            "2024-01-02T03:04:05.123456789123+02:00",
            (2024, 1, 2, 3, 4, 5, 123_456_789, 120),
        ),
        ("2024-01-02T03:04", (2024, 1, 2, 3, 4, 0, 0, 0)),
        ("2024-01-02T03:04:05", (2024, 1, 2, 3, 4, 5, 0, 0)),
        ("2024-01-02 03:04:05-0530", (2024, 1, 2, 3, 4, 5, 0, -330)),
        ("2020-07-11T00:00:00.000+0000", (2020, 7, 11, 0, 0, 0, 0, 0)),
        ("2024-02-29", (2024, 2, 29, 0, 0, 0, 0, 0)),
        ("2024-01-02t03:04:05z", (2024, 1, 2, 3, 4, 5, 0, 0)),
    ];
    for (input, (y, mo, d, h, mi, s, ns, off)) in cases {
        let p = DateTime::new(input)
            .parse()
            .unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(
            (
                p.year,
                p.month,
                p.day,
                p.hour,
                p.minute,
                p.second,
                p.nanosecond,
                p.offset_minutes
            ),
            (y, mo, d, h, mi, s, ns, off),
            "{input}"
        );
    }
}

#[test]
fn datetime_rejects_out_of_range_and_garbage_without_panicking() {
    for input in [
        "2024-01-02T42:14:00Z",
        "2024-01-02T10:60:00Z",
        "2024-01-02T10:00:61Z",
        "2023-02-29T00:00:00Z",
        "2024-13-01T00:00:00Z",
        "2024-00-10T00:00:00Z",
        "2024-01-02T10:00:00+25:00",
        "2024-01-02T10:00:00Zjunk",
        "2024-01-02T10:00:00.",
        "2024-1-2",
        "",
        "yesterday",
        "2024-01-02T",
        "２０２４-01-02",
    ] {
        let error = DateTime::new(input).parse().unwrap_err();
        assert!(
            error.to_string().contains("invalid date-time"),
            "{input}: {error}"
        );
    }
    assert!(DateTime::new("2024-01-02T42:14:00Z")
        .parse()
        .unwrap_err()
        .reason
        .contains("hour 42"));
}

#[test]
fn datetime_timestamps_and_display() {
    let p = DateTime::new("1970-01-01T00:00:00Z").parse().unwrap();
    assert_eq!(p.unix_timestamp(), 0);
    let p = DateTime::new("2024-03-01T12:00:00+02:00").parse().unwrap();
    assert_eq!(p.unix_timestamp(), 1_709_287_200);
    let p = DateTime::new("1969-12-31T23:59:59.5Z").parse().unwrap();
    assert_eq!(p.unix_timestamp(), -1);
    assert_eq!(p.unix_timestamp_nanos(), -500_000_000);
    assert_eq!(p.to_string(), "1969-12-31T23:59:59.5Z");
    let p = DateTime::new("2024-01-02T03:04-05:30").parse().unwrap();
    assert_eq!(p.to_string(), "2024-01-02T03:04:00-05:30");
    assert_eq!(DateTime::new(p.to_string()).parse().unwrap(), p);
}

#[test]
fn datetime_keeps_the_raw_string_through_serde() {
    #[derive(Deserialize, serde::Serialize)]
    struct Model {
        created: DateTime,
    }
    let raw = json!({"created": "2024-01-02T42:14"});
    let model: Model = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(model.created.as_str(), "2024-01-02T42:14");
    assert!(model.created.parse().is_err());
    assert_eq!(serde_json::to_value(&model).unwrap(), raw);
    assert_eq!(DateTime::from("x").to_string(), "x");
}

#[derive(Debug, Deserialize, PartialEq)]
struct Lenient {
    #[serde(default, deserialize_with = "lenient::option")]
    count: Option<u32>,
    #[serde(default, deserialize_with = "lenient::option")]
    tags: Option<Vec<String>>,
    #[serde(deserialize_with = "lenient::null_as_default")]
    items: Vec<u32>,
}

#[test]
fn lenient_option_turns_wrong_types_into_none() {
    let v: Lenient =
        serde_json::from_value(json!({"count": "seven", "tags": ["a", 1], "items": [1]})).unwrap();
    assert_eq!(
        v,
        Lenient {
            count: None,
            tags: None,
            items: vec![1]
        }
    );
    let v: Lenient =
        serde_json::from_value(json!({"count": 7, "tags": null, "items": [1]})).unwrap();
    assert_eq!(
        v,
        Lenient {
            count: Some(7),
            tags: None,
            items: vec![1]
        }
    );
    let v: Lenient = serde_json::from_value(json!({"items": []})).unwrap();
    assert_eq!(
        v,
        Lenient {
            count: None,
            tags: None,
            items: vec![]
        }
    );
    // Through a byte deserializer too, as generated code decodes responses.
    let v: Lenient =
        serde_json::from_str(r#"{"count": {"x": 1}, "tags": ["t"], "items": [2]}"#).unwrap();
    assert_eq!(
        v,
        Lenient {
            count: None,
            tags: Some(vec!["t".into()]),
            items: vec![2]
        }
    );
}

#[test]
fn lenient_null_as_default_but_missing_still_fails() {
    let v: Lenient = serde_json::from_value(json!({"items": null})).unwrap();
    assert_eq!(v.items, Vec::<u32>::new());
    let error = serde_json::from_value::<Lenient>(json!({})).unwrap_err();
    assert!(
        error.to_string().contains("missing field `items`"),
        "{error}"
    );
    assert!(serde_json::from_value::<Lenient>(json!({"items": "x"})).is_err());
}

#[test]
fn union_helpers() {
    let value = json!({"type": "ACCOUNT", "id": 3});
    assert_eq!(
        sailpoint_isc_runtime::tag_value(&value, "type"),
        Some("ACCOUNT")
    );
    assert_eq!(sailpoint_isc_runtime::tag_value(&value, "id"), None);
    assert_eq!(sailpoint_isc_runtime::tag_value(&value, "missing"), None);
    let n: Result<u32, serde_json::Error> = sailpoint_isc_runtime::from_value(json!(5));
    assert_eq!(n.unwrap(), 5);
    let e: Result<u32, serde_json::Error> = sailpoint_isc_runtime::from_value(json!("x"));
    assert!(e.is_err());
}

#[test]
fn retry_after_parsing() {
    let now = UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
    assert_eq!(
        parse_retry_after("120", now),
        Some(Duration::from_secs(120))
    );
    assert_eq!(parse_retry_after(" 0 ", now), Some(Duration::ZERO));
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:50:07 GMT", now),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
        Some(Duration::ZERO),
        "past date"
    );
    for bad in [
        "",
        "-1",
        "1.5",
        "soon",
        "Sun, 31 Feb 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 25:49:37 GMT",
    ] {
        assert_eq!(parse_retry_after(bad, now), None, "{bad:?}");
    }
    // The obsolete HTTP-date forms recipients must still accept (RFC 9110 §5.6.7).
    for obsolete in ["Sunday, 06-Nov-94 08:50:07 GMT", "Sun Nov  6 08:50:07 1994"] {
        assert_eq!(
            parse_retry_after(obsolete, now),
            Some(Duration::from_secs(30)),
            "{obsolete:?}"
        );
    }
}

#[test]
fn backoff_grows_is_capped_and_jittered() {
    let policy = RetryPolicy {
        base_delay: Duration::from_millis(100),
        max_delay: Duration::from_millis(1000),
        ..RetryPolicy::default()
    };
    for retry in 0..40 {
        let full = Duration::from_millis(100)
            .saturating_mul(1 << retry.min(20))
            .min(Duration::from_millis(1000));
        let delay = policy.backoff(retry);
        assert!(
            delay >= full / 2 && delay <= full,
            "retry {retry}: {delay:?} outside [{:?}, {full:?}]",
            full / 2
        );
    }
    let samples: std::collections::HashSet<Duration> = (0..20).map(|_| policy.backoff(3)).collect();
    assert!(samples.len() > 1, "jitter varies");
}

#[test]
fn error_body_shapes_are_recognised_by_their_fields() {
    let standard = r#"{"detailCode":"404 Not found","trackingId":"abc","messages":[{"locale":"en-US","localeOrigin":"DEFAULT","text":"gone"},{"locale":7}],"causes":[]}"#;
    let ErrorBody::Standard(dto) = ErrorBody::parse(404, standard) else {
        panic!()
    };
    assert_eq!(dto.detail_code.as_deref(), Some("404 Not found"));
    assert_eq!(dto.messages.len(), 2);
    assert_eq!(
        dto.messages[1].locale, None,
        "wrong-typed fields are skipped"
    );
    // A 401 body in the ISC standard shape still decodes.
    assert!(matches!(
        ErrorBody::parse(401, standard),
        ErrorBody::Standard(_)
    ));
    assert_eq!(
        ErrorBody::parse(429, r#"{"message":"x"}"#),
        ErrorBody::RateLimited {
            message: "x".into()
        }
    );
    assert_eq!(
        ErrorBody::parse(500, r#"{"message":"x"}"#),
        ErrorBody::None,
        "the 429 shape belongs to 429 only: elsewhere the body stays raw"
    );
    assert_eq!(
        ErrorBody::parse(400, r#"{"unrelated":true}"#),
        ErrorBody::None
    );
    assert_eq!(ErrorBody::parse(400, ""), ErrorBody::None);
    assert_eq!(ErrorBody::parse(400, "[1,2]"), ErrorBody::None);
}

#[test]
fn public_types_are_thread_safe() {
    fn assert_send_sync<T: Send + Sync + 'static>() {}
    assert_send_sync::<Client>();
    assert_send_sync::<Error>();
    assert_send_sync::<sailpoint_isc_runtime::Request>();
    assert_send_sync::<sailpoint_isc_runtime::Response>();
    assert_send_sync::<Config>();
    fn assert_error<T: std::error::Error>() {}
    assert_error::<Error>();
    assert!(
        std::mem::size_of::<Error>() <= 96,
        "{}",
        std::mem::size_of::<Error>()
    );
}
