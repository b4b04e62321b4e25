//! What the sections share: the options, the folders under `target/bench/`, where the
//! upstream specs are, progress lines, and the commands they run (the xtask binary itself,
//! cargo in the benchmark's own target dir).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Instant, SystemTime};

use crate::Failure;

/// The note of a section that needs `../shared` when it is absent.
pub const NO_SHARED: &str = "skipped: ../shared not found";

pub struct Bench {
    /// Runs per measured command (the median is reported).
    pub runs: usize,
    pub with_openapi_generator: bool,
    /// The workspace root.
    pub root: PathBuf,
    /// `target/bench/`: the report, the logs, the venv, the checks' target dir.
    pub dir: PathBuf,
    /// `target/bench/work/`: generated output, removed when the run ends.
    pub work: PathBuf,
    /// `target/bench/logs/`: every command's output, kept until the next run.
    pub logs: PathBuf,
    /// The upstream specs folder (`--specs`, else `../shared/api-specs/idn`), if present.
    pub specs: Option<PathBuf>,
    /// `../shared/api-specs-previous/idn`, if present.
    pub previous: Option<PathBuf>,
    /// `../shared/api-specs-resources/idn/apis` (the per-resource layout), if present.
    pub resources: Option<PathBuf>,
    /// The running xtask binary.
    pub xtask: PathBuf,
    started: Instant,
    /// The standalone set of the upstream specs, once generated.
    set: Option<PathBuf>,
}

impl Bench {
    /// Sets up the folders (work and logs emptied).
    pub fn new(
        runs: usize,
        specs: Option<PathBuf>,
        with_openapi_generator: bool,
    ) -> Result<Self, Failure> {
        let root = crate::workspace_root();
        let dir = root.join("target/bench");
        let work = dir.join("work");
        let logs = dir.join("logs");
        for folder in [&work, &logs] {
            remove(folder)?;
            fs::create_dir_all(folder)
                .map_err(|e| Failure::new(format!("{}: {e}", folder.display())))?;
        }
        if let Some(specs) = specs.as_ref().filter(|s| !s.is_dir()) {
            return Err(Failure::new(format!(
                "--specs {}: not a folder",
                specs.display()
            )));
        }
        let shared = root.join("../shared");
        let specs = specs.or_else(|| Some(shared.join("api-specs/idn")));
        Ok(Bench {
            runs: runs.max(1),
            with_openapi_generator,
            specs: specs.filter(|s| s.is_dir()),
            previous: Some(shared.join("api-specs-previous/idn")).filter(|p| p.is_dir()),
            resources: Some(shared.join("api-specs-resources/idn/apis")).filter(|p| p.is_dir()),
            xtask: std::env::current_exe()
                .map_err(|e| Failure::new(format!("where is the xtask binary? {e}")))?,
            root,
            dir,
            work,
            logs,
            started: Instant::now(),
            set: None,
        })
    }

    /// A progress line on stderr (the report goes to stdout).
    pub fn progress(&self, message: &str) {
        eprintln!("[bench {:>4}s] {message}", self.started.elapsed().as_secs());
    }

    /// The log file for `name`.
    pub fn log(&self, name: &str) -> PathBuf {
        self.logs.join(format!("{name}.log"))
    }

    /// `work/<name>`, removed first if it exists (not created).
    pub fn fresh(&self, name: &str) -> Result<PathBuf, Failure> {
        let path = self.work.join(name);
        remove(&path)?;
        Ok(path)
    }

    /// `xtask <args>`: the running binary, in the workspace.
    pub fn xtask<I: IntoIterator<Item = S>, S: AsRef<std::ffi::OsStr>>(&self, args: I) -> Command {
        let mut command = Command::new(&self.xtask);
        command.args(args).current_dir(&self.root);
        command
    }

    /// `cargo <args>` with the benchmark's shared target dir, no incremental cache (so a
    /// re-check after a touch checks the whole crate again) and no colors in the logs.
    pub fn cargo<I: IntoIterator<Item = S>, S: AsRef<std::ffi::OsStr>>(&self, args: I) -> Command {
        let mut command = Command::new(env!("CARGO"));
        command
            .args(args)
            .current_dir(&self.root)
            .env("CARGO_TARGET_DIR", self.dir.join("target"))
            .env("CARGO_INCREMENTAL", "0")
            .env("CARGO_TERM_COLOR", "never");
        command
    }

    /// The standalone crate set of the upstream specs in `work/set`, generated (untimed)
    /// on first use, with the workspace's `Cargo.lock` so dependencies resolve to the
    /// versions the project tests with.
    pub fn standalone_set(&mut self) -> Result<PathBuf, Failure> {
        if let Some(set) = &self.set {
            return Ok(set.clone());
        }
        let specs = self
            .specs
            .clone()
            .ok_or_else(|| Failure::new("no upstream specs"))?;
        let set = self.fresh("set")?;
        self.progress("regenerate the upstream specs as a standalone set (untimed)");
        let mut command = self.xtask(["regenerate", "--quiet", "--specs"]);
        command.arg(&specs).arg("--out").arg(&set);
        let log = self.log("set");
        let measured = super::measure::timed(command, &log)?;
        if !measured.ok {
            return Err(Failure::new(format!(
                "regenerating the standalone set failed, see {}",
                log.display()
            )));
        }
        let lock = self.root.join("Cargo.lock");
        fs::copy(&lock, set.join("Cargo.lock"))
            .map_err(|e| Failure::new(format!("{}: {e}", lock.display())))?;
        self.set = Some(set.clone());
        Ok(set)
    }

    /// Removes the work folder (best effort: the report matters more).
    pub fn clean_up(&self) {
        let _ = fs::remove_dir_all(&self.work);
    }
}

/// A path as the report shows it: relative to the workspace when under it (`../shared`
/// included).
pub fn shown(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Removes a folder and everything in it, if it exists.
pub fn remove(path: &Path) -> Result<(), Failure> {
    if path.exists() {
        fs::remove_dir_all(path).map_err(|e| Failure::new(format!("{}: {e}", path.display())))?;
    }
    Ok(())
}

/// Sets a file's modification time to now, so cargo checks its crate again.
pub fn touch(path: &Path) -> Result<(), Failure> {
    fs::File::options()
        .write(true)
        .open(path)
        .and_then(|f| f.set_modified(SystemTime::now()))
        .map_err(|e| Failure::new(format!("touch {}: {e}", path.display())))
}

/// `.rs` files and their lines under `dir` (recursively).
pub fn rust_size(dir: &Path) -> (usize, usize) {
    let mut files = 0;
    let mut lines = 0;
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let Ok(entries) = fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files += 1;
                lines += fs::read_to_string(&path).map_or(0, |t| t.lines().count());
            }
        }
    }
    (files, lines)
}
