//! Search with `searchAfter` paging: v3 `searchPost` (`POST /v3/search`) with the
//! generated `.search_after()`, which pages past the 10,000-result limit of offset paging.
//! Prints each document's kind (from `_type`) and name.
//!
//! ```sh
//! export SAIL_CLIENT_ID=... SAIL_CLIENT_SECRET=...   # or: export SAIL_ACCESS_TOKEN=...
//! cargo run -p sailpoint-isc --example search -- https://acme.api.identitynow.com 'attributes.department:Finance'
//! cargo run -p sailpoint-isc --example search -- https://acme.api.identitynow.com '*' identities roles
//! ```
//!
//! Arguments: the tenant API base URL (without `/v3`), a query in the SailPoint search
//! syntax, and the indices to search (default: all). Credentials: `SAIL_ACCESS_TOKEN` if
//! set, else `SAIL_CLIENT_ID` and `SAIL_CLIENT_SECRET`. Prints one tab-separated line per
//! document (kind, id, name) and the total; on any error prints it to stderr and exits
//! with code 1.

use std::io::Write;
use std::process::ExitCode;

use futures::TryStreamExt;
use sailpoint_isc::v3::models::{Index, Query, Search, SearchDocuments};
use sailpoint_isc::Client;

const USAGE: &str = "usage: search <base-url> <query> [index...]";

/// Documents per request.
pub const PAGE_SIZE: i32 = 250;

/// Command-line arguments.
pub struct Args {
    pub base_url: String,
    pub query: String,
    pub indices: Vec<Index>,
}

/// Parses `<base-url> <query> [index...]` (the program name already removed).
pub fn parse_args(args: &[String]) -> Result<Args, String> {
    let [base_url, query, indices @ ..] = args else {
        return Err(format!("expected a base URL and a query\n{USAGE}"));
    };
    let indices = indices
        .iter()
        .map(|name| match Index::from(name.as_str()) {
            Index::Unknown(other) => Err(format!(
                "unknown index {other:?}: use accessprofiles, accountactivities, entitlements, \
                 events, identities, roles or *"
            )),
            index => Ok(index),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Args {
        base_url: base_url.clone(),
        query: query.clone(),
        indices: if indices.is_empty() {
            vec![Index::Star]
        } else {
            indices
        },
    })
}

/// A client for `base_url` with credentials from `env` (`SAIL_ACCESS_TOKEN`, else
/// `SAIL_CLIENT_ID` + `SAIL_CLIENT_SECRET`).
pub fn client_from_env(
    base_url: &str,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Client, String> {
    let builder = Client::builder().base_url(base_url);
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

/// The kind, id and a display name of a search hit.
pub fn describe(document: &SearchDocuments) -> (&'static str, String, String) {
    let or_dash = |value: &Option<String>| value.clone().unwrap_or_else(|| "-".to_owned());
    match document {
        SearchDocuments::AccessProfileDocuments(d) => {
            ("accessprofile", d.id.clone(), d.name.clone())
        }
        // Account activities have no name: show the action.
        SearchDocuments::AccountActivityDocuments(d) => {
            ("accountactivity", or_dash(&d.id), or_dash(&d.action))
        }
        SearchDocuments::EntitlementDocuments(d) => ("entitlement", d.id.clone(), d.name.clone()),
        SearchDocuments::EventDocuments(d) => ("event", or_dash(&d.id), or_dash(&d.name)),
        SearchDocuments::IdentityDocuments(d) => ("identity", d.id.clone(), d.name.clone()),
        SearchDocuments::RoleDocuments(d) => ("role", d.id.clone(), d.name.clone()),
        SearchDocuments::Unknown(value) => {
            let text = |key: &str| value[key].as_str().unwrap_or("-").to_owned();
            ("unknown", text("id"), text("name"))
        }
        // Kinds a later version of the API adds (the enum is non-exhaustive).
        _ => ("other", "-".to_owned(), "-".to_owned()),
    }
}

/// Streams every matching document, sorted by id, and writes one line each.
pub async fn run(
    client: &Client,
    args: &Args,
    out: &mut impl Write,
) -> Result<(), Box<dyn std::error::Error>> {
    let search = Search {
        indices: Some(args.indices.clone()),
        query: Some(Query {
            query: Some(args.query.clone()),
            ..Default::default()
        }),
        ..Default::default()
    };
    let mut documents = std::pin::pin!(client
        .v3()
        .search()
        .search_post(search)
        .limit(PAGE_SIZE)
        .search_after());
    let mut count = 0usize;
    while let Some(document) = documents.try_next().await? {
        count += 1;
        let (kind, id, name) = describe(&document);
        writeln!(out, "{kind}\t{id}\t{name}")?;
    }
    writeln!(out, "{count} documents")?;
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
