//! What machine the figures come from: CPU, cores, memory, toolchain, commit, date and
//! the load average (other work on a shared machine inflates every wall time).

use std::fs;
use std::path::Path;
use std::process::Command;

use super::measure;

/// The 1, 5 and 15 minute load averages, from `/proc/loadavg`.
pub fn load_average() -> Option<[f64; 3]> {
    let text = fs::read_to_string("/proc/loadavg").ok()?;
    let mut fields = text.split_whitespace().map(|f| f.parse::<f64>().ok());
    Some([fields.next()??, fields.next()??, fields.next()??])
}

/// The load averages as the report prints them.
pub fn load_text(load: Option<[f64; 3]>) -> String {
    load.map_or_else(
        || "n/a".to_owned(),
        |[one, five, fifteen]| format!("{one:.2} / {five:.2} / {fifteen:.2}"),
    )
}

/// The machine facts, as Markdown list items.
pub fn facts(root: &Path) -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let mut out = format!(
        "- Machine: {}, {cores} cores available, {} RAM\n",
        cpu_model().unwrap_or_else(|| "unknown CPU".to_owned()),
        memory().unwrap_or_else(|| "unknown".to_owned()),
    );
    out.push_str(&format!(
        "- Toolchain: {}; timer: {}\n",
        first_line("rustc", &["--version"], root).unwrap_or_else(|| "rustc: unknown".to_owned()),
        measure::timer_name(),
    ));
    out.push_str(&format!(
        "- Commit: {}; date: {}\n",
        commit(root),
        first_line("date", &["-u", "+%Y-%m-%d %H:%M UTC"], root)
            .unwrap_or_else(|| "unknown".to_owned()),
    ));
    out
}

/// The `java -version` line, if Java runs.
pub fn java_version(root: &Path) -> Option<String> {
    let output = Command::new("java")
        .arg("-version")
        .current_dir(root)
        .output()
        .ok()?;
    // `java -version` prints to stderr.
    let text = String::from_utf8_lossy(&output.stderr).into_owned();
    output
        .status
        .success()
        .then(|| text.lines().next().unwrap_or("").trim().to_owned())
}

fn cpu_model() -> Option<String> {
    let text = fs::read_to_string("/proc/cpuinfo").ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map(|(_, model)| model.trim().to_owned())
}

fn memory() -> Option<String> {
    let text = fs::read_to_string("/proc/meminfo").ok()?;
    let kib: f64 = text
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(format!("{:.1} GiB", kib / 1024.0 / 1024.0))
}

/// The short commit, marked when the working tree has changes.
fn commit(root: &Path) -> String {
    let Some(commit) = first_line("git", &["rev-parse", "--short", "HEAD"], root) else {
        return "unknown".to_owned();
    };
    let dirty = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(root)
        .output()
        .is_ok_and(|o| !o.stdout.is_empty());
    if dirty {
        format!("{commit} (uncommitted changes)")
    } else {
        commit
    }
}

/// The first line a command prints on stdout, if it succeeds.
fn first_line(program: &str, args: &[&str], dir: &Path) -> Option<String> {
    let output = Command::new(program)
        .args(args)
        .current_dir(dir)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned();
    output
        .status
        .success()
        .then(|| text.lines().next().unwrap_or("").trim().to_owned())
}
