//! Measuring: one child command run timed (wall, user and system CPU, peak RSS, the load
//! average it started under), and the median of several runs. Every section measures
//! through these two functions.
//!
//! Peak RSS and CPU come from GNU `/usr/bin/time` when it is there. Without it they come
//! from `getrusage(RUSAGE_CHILDREN)`: CPU as the difference over the run, peak RSS only
//! when the child set a new maximum for this process's children (else it is unknown).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::time::Instant;

use super::machine;
use crate::Failure;

/// GNU time's output: elapsed, user and system seconds, peak RSS in KiB.
const TIME_FORMAT: &str = "%e %U %S %M";
const GNU_TIME: &str = "/usr/bin/time";

/// What one run (or the median of several) cost.
#[derive(Clone, Debug)]
pub struct Measured {
    /// Seconds, measured here around the child.
    pub wall: f64,
    /// CPU seconds of the child and all it waited for, in user and in system mode.
    pub user: f64,
    pub sys: f64,
    /// The largest resident set of the child or of a descendant it waited for, in KiB.
    pub peak_rss_kib: Option<u64>,
    /// The one-minute load average when the run started.
    pub load: Option<f64>,
    /// Whether the child exited with status 0.
    pub ok: bool,
    /// The child's output (stdout and stderr).
    pub log: PathBuf,
}

impl Measured {
    /// User plus system CPU seconds.
    pub fn cpu(&self) -> f64 {
        self.user + self.sys
    }
}

/// Which timer measures CPU and peak RSS (for the report).
pub fn timer_name() -> &'static str {
    if gnu_time() {
        "GNU /usr/bin/time"
    } else {
        "getrusage(RUSAGE_CHILDREN)"
    }
}

/// Runs `command` with its output (stdout and stderr) into `log`, and measures it. A
/// child that fails is measured too (`ok` is false); a child that cannot start is an error.
pub fn timed(command: Command, log: &Path) -> Result<Measured, Failure> {
    let load = machine::load_average().map(|l| l[0]);
    let mut measured = if gnu_time() {
        timed_by_gnu_time(&command, log)?
    } else {
        timed_by_rusage(command, log)?
    };
    measured.load = load;
    Ok(measured)
}

/// Runs `one(run)` for run 1 to `runs` and gives the median of each figure. The first
/// failed run stops the series and is what is returned.
pub fn median_of_runs(
    runs: usize,
    mut one: impl FnMut(usize) -> Result<Measured, Failure>,
) -> Result<Measured, Failure> {
    let mut samples = Vec::with_capacity(runs);
    for run in 1..=runs.max(1) {
        let measured = one(run)?;
        if !measured.ok {
            return Ok(measured);
        }
        samples.push(measured);
    }
    median(&samples).ok_or_else(|| Failure::new("no run was measured"))
}

/// Each figure's median over `samples` (the log is the last run's).
fn median(samples: &[Measured]) -> Option<Measured> {
    let last = samples.last()?;
    let of = |f: fn(&Measured) -> Option<f64>| median_f64(samples.iter().filter_map(f).collect());
    Some(Measured {
        wall: of(|m| Some(m.wall))?,
        user: of(|m| Some(m.user))?,
        sys: of(|m| Some(m.sys))?,
        peak_rss_kib: of(|m| m.peak_rss_kib.map(|k| k as f64)).map(|k| k.round() as u64),
        load: of(|m| m.load),
        ok: true,
        log: last.log.clone(),
    })
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median_f64(mut values: Vec<f64>) -> Option<f64> {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    match values.len() {
        0 => None,
        n if n % 2 == 1 => values.get(middle).copied(),
        _ => Some((values.get(middle - 1)? + values.get(middle)?) / 2.0),
    }
}

/// Whether GNU time is there and takes our options (BusyBox's does not).
fn gnu_time() -> bool {
    static PRESENT: OnceLock<bool> = OnceLock::new();
    *PRESENT.get_or_init(|| {
        Command::new(GNU_TIME)
            .args(["-f", "%e", "-o", "/dev/null", "true"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// `command` with its output into `log` and no input.
fn with_log(mut command: Command, log: &Path) -> Result<Command, Failure> {
    let out = File::create(log).map_err(|e| Failure::new(format!("{}: {e}", log.display())))?;
    let err = out.try_clone()?;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::from(out))
        .stderr(Stdio::from(err));
    Ok(command)
}

/// Runs `command`; `shown` names the command in an error (without the timer's wrapper).
fn spawn_and_wait(mut command: Command, shown: &str) -> Result<ExitStatus, Failure> {
    command
        .status()
        .map_err(|e| Failure::new(format!("could not run `{shown}`: {e}")))
}

fn timed_by_gnu_time(command: &Command, log: &Path) -> Result<Measured, Failure> {
    let figures = log.with_extension("time");
    let mut wrapped = Command::new(GNU_TIME);
    wrapped
        .args(["-f", TIME_FORMAT, "-o"])
        .arg(&figures)
        .arg(command.get_program())
        .args(command.get_args());
    if let Some(dir) = command.get_current_dir() {
        wrapped.current_dir(dir);
    }
    for (name, value) in command.get_envs() {
        match value {
            Some(value) => wrapped.env(name, value),
            None => wrapped.env_remove(name),
        };
    }
    let started = Instant::now();
    let status = spawn_and_wait(with_log(wrapped, log)?, &crate::run::show(command))?;
    let wall = started.elapsed().as_secs_f64();
    let text = std::fs::read_to_string(&figures)
        .map_err(|e| Failure::new(format!("{}: {e}", figures.display())))?;
    // On failure GNU time writes "Command exited with non-zero status N" first.
    let fields: Vec<&str> = text.lines().last().unwrap_or("").split(' ').collect();
    let number = |i: usize| fields.get(i).and_then(|f| f.parse::<f64>().ok());
    let (Some(user), Some(sys)) = (number(1), number(2)) else {
        return Err(Failure::new(format!(
            "unexpected output of {GNU_TIME} in {}: {text:?}",
            figures.display()
        )));
    };
    Ok(Measured {
        wall,
        user,
        sys,
        peak_rss_kib: fields.get(3).and_then(|f| f.parse().ok()),
        load: None,
        ok: status.success(),
        log: log.to_path_buf(),
    })
}

fn timed_by_rusage(command: Command, log: &Path) -> Result<Measured, Failure> {
    let shown = crate::run::show(&command);
    let before = children_usage()?;
    let started = Instant::now();
    let status = spawn_and_wait(with_log(command, log)?, &shown)?;
    let wall = started.elapsed().as_secs_f64();
    let after = children_usage()?;
    Ok(Measured {
        wall,
        user: after.user - before.user,
        sys: after.sys - before.sys,
        peak_rss_kib: (after.max_rss_kib > before.max_rss_kib).then_some(after.max_rss_kib),
        load: None,
        ok: status.success(),
        log: log.to_path_buf(),
    })
}

/// What this process's waited-for children used so far.
struct Usage {
    user: f64,
    sys: f64,
    max_rss_kib: u64,
}

fn children_usage() -> Result<Usage, Failure> {
    usage(libc::RUSAGE_CHILDREN)
}

/// User and system CPU seconds this process (all its threads) used so far.
pub fn own_cpu() -> Result<(f64, f64), Failure> {
    usage(libc::RUSAGE_SELF).map(|u| (u.user, u.sys))
}

fn usage(who: libc::c_int) -> Result<Usage, Failure> {
    // SAFETY: `getrusage` only writes the struct it is given, which is plain data that
    // zeroed memory validly initializes.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        if libc::getrusage(who, &mut usage) != 0 {
            return Err(Failure::new(format!(
                "getrusage: {}",
                std::io::Error::last_os_error()
            )));
        }
        usage
    };
    let seconds = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    Ok(Usage {
        user: seconds(usage.ru_utime),
        sys: seconds(usage.ru_stime),
        // Linux reports KiB.
        max_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::median_f64;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median_f64(vec![]), None);
        assert_eq!(median_f64(vec![3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median_f64(vec![4.0, 1.0, 2.0, 3.0]), Some(2.5));
    }
}
