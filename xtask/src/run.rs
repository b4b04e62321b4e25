//! Running the tools the checks are made of (cargo, python): one step at a time, output
//! passed through, a failure naming the command.

use std::ffi::OsStr;
use std::path::Path;
use std::process::Command;

use crate::Failure;

/// When this process started, for the step times.
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// Prints a step's title the way every check command does, with the time since the
/// command started (so a slow step shows, and what each new check adds).
pub fn step(title: &str) {
    let elapsed = STARTED.get_or_init(std::time::Instant::now).elapsed();
    println!("\n== [{:>6.0} s] {title}", elapsed.as_secs_f64());
}

/// `cargo <args>` in the workspace, with extra environment variables.
pub fn cargo<I, S>(args: I, env: &[(&str, &OsStr)]) -> Result<(), Failure>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut command = Command::new(env!("CARGO"));
    command.args(args).current_dir(crate::workspace_root());
    for (name, value) in env {
        command.env(name, value);
    }
    status(command)
}

/// The environment of a build that is made once and thrown away (generated crates,
/// packaged crates): its own target folder, and neither incremental state nor debug
/// info, which nobody reads there and which made half of the 18 GB a CI run wrote.
pub fn scratch_env(target: &Path) -> [(&'static str, &OsStr); 3] {
    [
        ("CARGO_TARGET_DIR", target.as_os_str()),
        ("CARGO_INCREMENTAL", OsStr::new("0")),
        ("CARGO_PROFILE_DEV_DEBUG", OsStr::new("false")),
    ]
}

/// Runs `command` with inherited output; fails naming it when it fails.
pub fn status(mut command: Command) -> Result<(), Failure> {
    let shown = show(&command);
    let status = command
        .status()
        .map_err(|e| Failure::new(format!("could not run `{shown}`: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        Err(Failure::new(format!("`{shown}` failed ({status})")))
    }
}

/// `program arg arg...` for messages.
pub fn show(command: &Command) -> String {
    let mut parts = vec![Path::new(command.get_program())
        .file_name()
        .unwrap_or(command.get_program())
        .to_string_lossy()
        .into_owned()];
    parts.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    parts.join(" ")
}
