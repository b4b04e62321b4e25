//! Project automation, run as `cargo xtask <command>`; `cargo xtask help` lists the
//! commands and `cargo xtask <command> --help` their options.

mod bench;
mod bundle;
mod check_generated;
mod ci;
mod diff;
mod git;
mod package;
mod python;
mod regenerate;
mod run;
mod upstream;
mod validate;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "cargo xtask",
    about = "Project automation for the SailPoint ISC Rust SDK toolchain"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    Regenerate(regenerate::Args),
    Package(package::Args),
    Bundle(bundle::Args),
    Validate(validate::Args),
    CheckGenerated(check_generated::Args),
    Ci(ci::Args),
    Upstream(upstream::Args),
    Diff(diff::Args),
    Bench(bench::Args),
}

/// The workspace root (the folder holding this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

/// What a command reports when it fails: the message, and the exit status.
pub struct Failure {
    pub message: String,
    pub status: u8,
}

impl Failure {
    /// A failure with exit status 1.
    pub fn new(message: impl Into<String>) -> Self {
        Failure {
            message: format!("error: {}", message.into()),
            status: 1,
        }
    }
}

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(error: E) -> Self {
        Failure {
            message: format!("error: {error}"),
            status: 1,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Regenerate(args) => regenerate::run(&args),
        Command::Package(args) => package::run(&args),
        Command::Bundle(args) => bundle::run(&args),
        Command::Validate(args) => validate::run(&args),
        Command::CheckGenerated(args) => check_generated::run(&args),
        Command::Ci(args) => ci::run(&args),
        Command::Upstream(args) => upstream::run(&args),
        Command::Diff(args) => diff::run(&args),
        Command::Bench(args) => bench::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{}", failure.message);
            ExitCode::from(failure.status)
        }
    }
}
