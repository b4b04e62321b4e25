//! Shared helpers for the runtime's loopback-HTTP tests: hand-built operations, a
//! token endpoint that issues numbered tokens, a client builder pointed at a wiremock
//! server with fast retries, and a tracing writer that captures logs into a buffer.
#![allow(dead_code)] // each test binary uses a different subset

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use sailpoint_isc_runtime::{ClientBuilder, Method, Operation, RetryPolicy, RetrySafety};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

pub const CLIENT_ID: &str = "client-id-123";
pub const CLIENT_SECRET: &str = "very-secret-VALUE-42";

pub const LIST_ACCOUNTS: Operation = Operation {
    id: "listAccounts",
    method: Method::GET,
    path: "/accounts",
    base_path: "/v3",
    experimental: false,
    retry: RetrySafety::ByMethod,
};

pub const GET_IDENTITY: Operation = Operation {
    id: "getIdentity",
    method: Method::GET,
    path: "/identities/{id}",
    base_path: "/v2024",
    experimental: false,
    retry: RetrySafety::ByMethod,
};

pub const CREATE_TRANSFORM: Operation = Operation {
    id: "createTransform",
    method: Method::POST,
    path: "/transforms",
    base_path: "/v3",
    experimental: false,
    retry: RetrySafety::ByMethod,
};

pub const PATCH_ROLE: Operation = Operation {
    id: "patchRole",
    method: Method::PATCH,
    path: "/roles/{id}",
    base_path: "/v3",
    experimental: false,
    retry: RetrySafety::ByMethod,
};

pub const LIST_WORKFLOWS: Operation = Operation {
    id: "listWorkflows",
    method: Method::GET,
    path: "/workflows",
    base_path: "/v2024",
    experimental: true,
    retry: RetrySafety::ByMethod,
};

pub const IMPORT_ACCOUNTS: Operation = Operation {
    id: "importAccounts",
    method: Method::POST,
    path: "/sources/{id}/load-accounts",
    base_path: "/beta",
    experimental: false,
    retry: RetrySafety::ByMethod,
};

pub const PUT_SOURCE_SCHEMA_FILE: Operation = Operation {
    id: "putSourceSchemaFile",
    method: Method::PUT,
    path: "/sources/{id}/schema-file",
    base_path: "/beta",
    experimental: false,
    retry: RetrySafety::ByMethod,
};

pub const SEARCH_POST: Operation = Operation {
    id: "searchPost",
    method: Method::POST,
    path: "/search",
    base_path: "/v3",
    experimental: false,
    // Search is a read-only POST: the generator marks it safe to repeat.
    retry: RetrySafety::Safe,
};

/// Token endpoint answering `tok-1`, `tok-2`, ... with the given `expires_in`.
pub struct TokenIssuer {
    pub issued: Arc<AtomicUsize>,
    pub expires_in: u64,
}

impl Respond for TokenIssuer {
    fn respond(&self, _request: &Request) -> ResponseTemplate {
        let n = self.issued.fetch_add(1, Ordering::SeqCst) + 1;
        ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": format!("tok-{n}"),
            "token_type": "bearer",
            "expires_in": self.expires_in,
            "scope": "sp:scopes:all",
            "tenant_id": "t-1",
            "pod": "stg01-useast1",
            "strong_auth_supported": false,
            "org": "acme",
            "identity_id": "2c9180835d2e5168015d32f890ca1581",
            "user_name": "alice",
            "strong_auth": false,
            "jti": "1a2b"
        }))
    }
}

/// Mounts `POST /oauth/token` (checking the client-credentials form) and returns the
/// counter of issued tokens.
pub async fn mount_token_endpoint(
    server: &MockServer,
    expires_in: u64,
    expected_fetches: u64,
) -> Arc<AtomicUsize> {
    mount_token_endpoint_with_delay(server, expires_in, expected_fetches, Duration::ZERO).await
}

pub async fn mount_token_endpoint_with_delay(
    server: &MockServer,
    expires_in: u64,
    expected_fetches: u64,
    delay: Duration,
) -> Arc<AtomicUsize> {
    let issued = Arc::new(AtomicUsize::new(0));
    let issuer = DelayedTokenIssuer {
        inner: TokenIssuer {
            issued: issued.clone(),
            expires_in,
        },
        delay,
    };
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(header("content-type", "application/x-www-form-urlencoded"))
        .and(body_string_contains("grant_type=client_credentials"))
        .and(body_string_contains(format!("client_id={CLIENT_ID}")))
        .and(body_string_contains(format!(
            "client_secret={CLIENT_SECRET}"
        )))
        .respond_with(issuer)
        .expect(expected_fetches)
        .named("token endpoint")
        .mount(server)
        .await;
    issued
}

struct DelayedTokenIssuer {
    inner: TokenIssuer,
    delay: Duration,
}

impl Respond for DelayedTokenIssuer {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.inner.respond(request).set_delay(self.delay)
    }
}

/// Fast retries so tests stay quick.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        retry_non_idempotent: false,
        max_retry_after: Duration::from_secs(5),
    }
}

/// A builder pointed at `server` with client credentials and fast retries.
pub fn builder(server: &MockServer) -> ClientBuilder {
    ClientBuilder::new()
        .base_url(server.uri())
        .client_credentials(CLIENT_ID, CLIENT_SECRET)
        .retry_policy(fast_retries())
        .timeout(Duration::from_secs(5))
}

/// A `tracing` writer collecting everything into a shared buffer.
#[derive(Clone, Default)]
pub struct LogBuffer(Arc<Mutex<Vec<u8>>>);

impl LogBuffer {
    pub fn contents(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }

    /// Installs a TRACE-level subscriber for the current thread.
    pub fn install(&self) -> tracing::subscriber::DefaultGuard {
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(self.clone())
            .finish();
        tracing::subscriber::set_default(subscriber)
    }
}

impl Write for LogBuffer {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogBuffer {
    type Writer = LogBuffer;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Bodies ISC sends for errors.
pub fn isc_error_body(detail_code: &str, tracking_id: &str, text: &str) -> serde_json::Value {
    serde_json::json!({
        "detailCode": detail_code,
        "trackingId": tracking_id,
        "messages": [{"locale": "en-US", "localeOrigin": "DEFAULT", "text": text}],
        "causes": []
    })
}
