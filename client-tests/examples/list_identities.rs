//! List every identity, page by page: v2024 `listIdentities` (`GET /v2024/identities`)
//! with the generated `.paginate()`. `listIdentities` is experimental in v2024, so the
//! client is built with `experimental(true)`.
//!
//! ```sh
//! export SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...   # or: export SAIL_ACCESS_TOKEN=...
//! cargo run -p sailpoint-isc --example list_identities -- https://acme.api.identitynow.com
//! cargo run -p sailpoint-isc --example list_identities -- https://acme.api.identitynow.com 'name sw "Jo"'
//! ```
//!
//! Arguments: the tenant API base URL (without `/v2024`) and an optional filter in the
//! standard collection filter syntax. Credentials: `SAIL_ACCESS_TOKEN` if set, else
//! `SAIL_CLIENT_ID` and `SAIL_CLIENT_SECRET`. Prints one tab-separated line per identity
//! (id, name, status, lifecycle state) and the total; on any error prints it to stderr
//! and exits with code 1.

use std::io::Write;
use std::process::ExitCode;

use futures::TryStreamExt;
use sailpoint_isc::v2024::models::ListIdentitiesDefaultFilter;
use sailpoint_isc::Client;

const USAGE: &str = "usage: list_identities <base-url> [filter]";

/// Items per request.
pub const PAGE_SIZE: i32 = 250;

/// Command-line arguments.
pub struct Args {
    pub base_url: String,
    pub filter: Option<String>,
}

/// Parses `<base-url> [filter]` (the program name already removed).
pub fn parse_args(args: &[String]) -> Result<Args, String> {
    match args {
        [base_url] => Ok(Args {
            base_url: base_url.clone(),
            filter: None,
        }),
        [base_url, filter] => Ok(Args {
            base_url: base_url.clone(),
            filter: Some(filter.clone()),
        }),
        [] => Err(format!("missing the base URL\n{USAGE}")),
        _ => Err(format!("too many arguments\n{USAGE}")),
    }
}

/// A client for `base_url` with credentials from `env` (`SAIL_ACCESS_TOKEN`, else
/// `SAIL_CLIENT_ID` + `SAIL_CLIENT_SECRET`), experimental operations allowed.
pub fn client_from_env(
    base_url: &str,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Client, String> {
    let builder = Client::builder().base_url(base_url).experimental(true);
    let builder =
        match (
            env("SAIL_ACCESS_TOKEN"),
            env("SAIL_CLIENT_ID"),
            env("SAIL_CLIENT_SECRET"),
        ) {
            (Some(token), _, _) if !token.is_empty() => builder.access_token(token),
            (_, Some(id), Some(secret)) => builder.client_credentials(id, secret),
            _ => return Err(
                "no credentials: set SAIL_ACCESS_TOKEN, or SAIL_CLIENT_ID and SAIL_CLIENT_SECRET"
                    .to_owned(),
            ),
        };
    builder.build().map_err(|e| e.to_string())
}

/// Streams every identity (all of them, correlated or not) and writes one line each.
pub async fn run(
    client: &Client,
    args: &Args,
    out: &mut impl Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let mut request = client
        .v2024()
        .identities()
        .list_identities()
        .default_filter(ListIdentitiesDefaultFilter::None)
        .sorters("name")
        .limit(PAGE_SIZE);
    if let Some(filter) = &args.filter {
        request = request.filters(filter.clone());
    }
    let mut identities = std::pin::pin!(request.paginate());
    let mut count = 0usize;
    while let Some(identity) = identities.try_next().await? {
        count += 1;
        writeln!(
            out,
            "{}\t{}\t{}\t{}",
            identity.id.as_deref().unwrap_or("-"),
            identity.name,
            identity
                .identity_status
                .as_ref()
                .map_or("-".to_owned(), ToString::to_string),
            identity
                .lifecycle_state
                .as_ref()
                .map_or("-", |state| state.state_name.as_str()),
        )?;
    }
    writeln!(out, "{count} identities")?;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse_args(&args) {
        Ok(args) => args,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    let client = match client_from_env(&args.base_url, |name| std::env::var(name).ok()) {
        Ok(client) => client,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::FAILURE;
        }
    };
    match run(&client, &args, &mut std::io::stdout().lock()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
