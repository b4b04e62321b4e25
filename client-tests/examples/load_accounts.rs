//! Upload a CSV file to a delimited-file source and start an account aggregation:
//! v2024 `importAccounts` (`POST /v2024/sources/{id}/load-accounts`, multipart). The
//! operation is experimental in v2024, so the client is built with `experimental(true)`.
//!
//! ```sh
//! export SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...   # or: export SAIL_ACCESS_TOKEN=...
//! cargo run -p sailpoint-isc --example load_accounts -- \
//!     https://acme.api.identitynow.com 2c9180835d191a86015d28455b4a2329 accounts.csv
//! cargo run -p sailpoint-isc --example load_accounts -- \
//!     https://acme.api.identitynow.com 2c9180835d191a86015d28455b4a2329 accounts.csv --disable-optimization
//! ```
//!
//! Arguments: the tenant API base URL (without `/v2024`), the source ID, the CSV file,
//! and optionally `--disable-optimization` (reprocess every account, changed or not).
//! Credentials: `SAIL_ACCESS_TOKEN` if set, else `SAIL_CLIENT_ID` and `SAIL_CLIENT_SECRET`.
//! Prints the aggregation task; on any error prints it to stderr and exits with code 1.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sailpoint_isc::runtime::FilePart;
use sailpoint_isc::Client;

const USAGE: &str =
    "usage: load_accounts <base-url> <source-id> <csv-file> [--disable-optimization]";

/// Command-line arguments.
pub struct Args {
    pub base_url: String,
    pub source_id: String,
    pub csv: PathBuf,
    pub disable_optimization: bool,
}

/// Parses `<base-url> <source-id> <csv-file> [--disable-optimization]` (the program name
/// already removed).
pub fn parse_args(args: &[String]) -> Result<Args, String> {
    let (flags, positional): (Vec<&String>, Vec<&String>) =
        args.iter().partition(|a| a.starts_with("--"));
    let disable_optimization = match flags.as_slice() {
        [] => false,
        [flag] if flag.as_str() == "--disable-optimization" => true,
        _ => return Err(format!("unknown option(s) {flags:?}\n{USAGE}")),
    };
    match positional.as_slice() {
        [base_url, source_id, csv] => Ok(Args {
            base_url: (*base_url).clone(),
            source_id: (*source_id).clone(),
            csv: PathBuf::from(csv),
            disable_optimization,
        }),
        _ => Err(format!(
            "expected 3 arguments, got {}\n{USAGE}",
            positional.len()
        )),
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

fn read_csv(path: &Path) -> Result<FilePart, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let file_name = path.file_name().map_or_else(
        || "accounts.csv".into(),
        |n| n.to_string_lossy().into_owned(),
    );
    Ok(FilePart::new(file_name, bytes).content_type("text/csv"))
}

/// Uploads the file and writes the started task to `out`.
pub async fn run(
    client: &Client,
    args: &Args,
    out: &mut impl Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let file = read_csv(&args.csv)?;
    let size = file.bytes.len();
    let mut request = client
        .v2024()
        .sources()
        .import_accounts(args.source_id.clone())
        .file(file);
    if args.disable_optimization {
        request = request.disable_optimization("true");
    }
    let result = request.send().await?;
    writeln!(
        out,
        "uploaded {} ({size} bytes) to source {}",
        args.csv.display(),
        args.source_id
    )?;
    let Some(task) = result.task else {
        writeln!(out, "no task in the answer (success: {:?})", result.success)?;
        return Ok(());
    };
    writeln!(
        out,
        "task {} ({}): {}",
        task.id.as_deref().unwrap_or("-"),
        task.name.as_deref().unwrap_or("-"),
        task.progress.as_deref().unwrap_or("-"),
    )?;
    if let Some(created) = &task.created {
        // ISC date-times are not always valid: show the raw value when parsing fails.
        match created.parse() {
            Ok(parsed) => writeln!(out, "created {parsed}")?,
            Err(_) => writeln!(out, "created {created} (not a valid date-time)")?,
        }
    }
    if let Some(status) = &task.completion_status {
        writeln!(out, "completion status {status}")?;
    }
    for value in task.returns.iter().flatten() {
        writeln!(
            out,
            "returns {} ({})",
            value.attribute_name.as_deref().unwrap_or("-"),
            value.display_label.as_deref().unwrap_or("-"),
        )?;
    }
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
