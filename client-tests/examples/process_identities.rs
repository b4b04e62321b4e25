//! Process identities now: v2024 `startIdentityProcessing` (`POST /v2024/identities/process`),
//! an experimental operation, so the client is built with `experimental(true)`.
//!
//! ```sh
//! export SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...   # or: export SAIL_ACCESS_TOKEN=...
//! cargo run -p sailpoint-isc --example process_identities -- \
//!     https://acme.api.identitynow.com 2c9180857182305e0171993735622948 2c9180857182305e0171993735622949
//! ```
//!
//! Arguments: the tenant API base URL (without `/v2024`), then 1 to 250 identity IDs.
//! Credentials: `SAIL_ACCESS_TOKEN` if set, else `SAIL_CLIENT_ID` and `SAIL_CLIENT_SECRET`
//! (a personal access token or an API client). Prints the task the platform started;
//! on any error prints it to stderr and exits with code 1.

use std::io::Write;
use std::process::ExitCode;

use sailpoint_isc::v2024::models::ProcessIdentitiesRequest;
use sailpoint_isc::Client;

const USAGE: &str = "usage: process_identities <base-url> <identity-id>...";

/// Command-line arguments.
pub struct Args {
    pub base_url: String,
    pub identity_ids: Vec<String>,
}

/// Parses `<base-url> <identity-id>...` (the program name already removed).
pub fn parse_args(args: &[String]) -> Result<Args, String> {
    let (base_url, ids) = args
        .split_first()
        .ok_or_else(|| format!("missing the base URL\n{USAGE}"))?;
    if ids.is_empty() {
        return Err(format!("missing the identity IDs\n{USAGE}"));
    }
    if ids.len() > 250 {
        return Err(format!(
            "at most 250 identity IDs per call, got {}",
            ids.len()
        ));
    }
    if let Some(blank) = ids.iter().position(|id| id.trim().is_empty()) {
        return Err(format!("identity ID number {} is empty", blank + 1));
    }
    Ok(Args {
        base_url: base_url.clone(),
        identity_ids: ids.to_vec(),
    })
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

/// Starts processing and writes the task to `out`.
pub async fn run(
    client: &Client,
    args: &Args,
    out: &mut impl Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let task = client
        .v2024()
        .identities()
        .start_identity_processing(ProcessIdentitiesRequest {
            identity_ids: Some(args.identity_ids.clone()),
        })
        .send()
        .await?;
    writeln!(
        out,
        "processing {} identities: task {} ({})",
        args.identity_ids.len(),
        task.id.as_deref().unwrap_or("<no id>"),
        task.r#type.as_deref().unwrap_or("<no type>"),
    )?;
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
