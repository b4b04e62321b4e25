//! `cargo xtask diff`: what a spec change means for users of the client. The two sides are
//! built with the generator's own load and model stages and compared by
//! `generator::diff`; this file picks the inputs, prints the report and sets the exit
//! status.
//!
//! Exit status: 0 when the report was printed (and `--fail-on` was not reached), 1 when
//! `--fail-on` was reached, 2 on an error (bad input, a spec that fails to load).

use std::path::{Path, PathBuf};

use clap::{ArgGroup, ValueEnum};
use generator::diff::{report, rules, semver, Diff, SpecsSide};
use generator::model::Api;
use generator::Release;

use crate::git::{self, GitError};
use crate::{workspace_root, Failure};

/// Compares two API specs and reports what changes for users of the Rust client.
#[derive(clap::Args)]
#[command(group(ArgGroup::new("input").required(true).args(["old", "base", "from", "rules"])))]
pub struct Args {
    /// The old specs folder (with --new)
    #[arg(long, value_name = "DIR", requires = "new", conflicts_with_all = ["base", "from", "specs"])]
    old: Option<PathBuf>,
    /// The new specs folder (with --old)
    #[arg(long, value_name = "DIR", requires = "old")]
    new: Option<PathBuf>,
    /// Compare the specs folder at this git revision with the working tree (pull requests)
    #[arg(long, value_name = "REV", conflicts_with = "from")]
    base: Option<String>,
    /// Compare two versions of one specs folder: this one... (with --to)
    #[arg(
        long,
        value_name = "VERSION",
        requires = "to",
        conflicts_with = "versions"
    )]
    from: Option<String>,
    /// ...with this one
    #[arg(long, value_name = "VERSION", requires = "from")]
    to: Option<String>,
    /// The specs folder for --base and --from/--to [default: specs/]
    #[arg(long, value_name = "DIR")]
    specs: Option<PathBuf>,
    /// Only this version (repeatable) [default: every version on either side]
    #[arg(long = "version", value_name = "NAME")]
    versions: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    format: Format,
    /// Exit with status 1 when there is a change at this level (or any change)
    #[arg(long, value_enum, value_name = "LEVEL")]
    fail_on: Option<FailOn>,
    /// Prepend a dated section to this Keep a Changelog file (created when missing)
    #[arg(long, value_name = "FILE", conflicts_with = "from")]
    changelog: Option<PathBuf>,
    /// The changelog section's date [default: today, UTC]
    #[arg(long, value_name = "YYYY-MM-DD", requires = "changelog")]
    date: Option<String>,
    /// Print the rule list (every kind of change, its level and why) and exit
    #[arg(long)]
    rules: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// A report for a pull request
    Markdown,
    /// The stable JSON report (schema in `generator/src/diff/report/json.rs`)
    Json,
    /// GitHub workflow annotations on the spec files
    Github,
}

#[derive(Clone, Copy, ValueEnum)]
enum FailOn {
    /// Breaking changes
    Breaking,
    /// Any change, docs included
    Any,
}

#[derive(Debug, thiserror::Error)]
enum DiffError {
    #[error(
        "say what to compare: --old DIR --new DIR, --base REV, or --from VERSION --to VERSION"
    )]
    NoInput,
    #[error("{side} specs ({dir}): {source}")]
    Load {
        side: &'static str,
        dir: String,
        #[source]
        source: Box<generator::Error>,
    },
    #[error("{side} specs ({dir}): cannot list the folder: {source}")]
    List {
        side: &'static str,
        dir: String,
        #[source]
        source: Box<generator::load::LoadError>,
    },
    #[error("{side} specs ({dir}): no `sailpoint-api.<version>.yaml` nor `<resource>/openapi.yaml` root file, so nothing to compare")]
    NoRoots { side: &'static str, dir: String },
    #[error("version `{wanted}` is in neither specs folder (old: {old}; new: {new})")]
    UnknownVersion {
        wanted: String,
        old: String,
        new: String,
    },
    #[error("version `{wanted}` is not in {dir} (found: {found})")]
    MissingVersion {
        wanted: String,
        dir: String,
        found: String,
    },
    #[error("--base {rev}: {source}")]
    Git {
        rev: String,
        #[source]
        source: GitError,
    },
    #[error("cannot make a temporary folder: {0}")]
    Temp(#[source] std::io::Error),
    #[error(transparent)]
    Release(#[from] generator::release::ReleaseError),
    #[error(transparent)]
    Version(#[from] semver::VersionError),
    #[error("--date `{0}` is not a YYYY-MM-DD date")]
    Date(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// An error as the command reports it, with status 2. Every error's message already
/// includes its cause.
fn failure(error: DiffError) -> Failure {
    Failure {
        message: format!("error: {error}"),
        status: 2,
    }
}

pub fn run(args: &Args) -> Result<(), Failure> {
    if args.rules {
        print!("{}", rules::table());
        return Ok(());
    }
    let (diff, advice) = compare(args).map_err(failure)?;
    let text = match args.format {
        Format::Markdown => report::markdown(&diff, advice.as_ref()),
        Format::Json => report::json(&diff, advice.as_ref()),
        Format::Github => report::github(&diff, advice.as_ref()),
    };
    print!("{text}");
    eprintln!("{}", summary_line(&diff, advice.as_ref()));
    if let (Some(path), Some(advice)) = (&args.changelog, &advice) {
        write_changelog(path, &diff, advice, args.date.as_deref()).map_err(failure)?;
    }
    let threshold = match args.fail_on {
        Some(FailOn::Breaking) => diff.counts().breaking > 0,
        Some(FailOn::Any) => !diff.is_empty(),
        None => false,
    };
    if threshold {
        return Err(Failure {
            message: "diff: changes at the --fail-on level".to_owned(),
            status: 1,
        });
    }
    Ok(())
}

/// The diff, and the version bump it needs from the release in `generated-client/`. Two
/// versions of one folder (`--from`/`--to`) are two crates, not a release: no bump.
fn compare(args: &Args) -> Result<(Diff, Option<semver::Advice>), DiffError> {
    let workspace = workspace_root();
    let diff = build(args, &workspace)?;
    if args.from.is_some() {
        return Ok((diff, None));
    }
    let output = workspace.join(generator::release::WORKSPACE_OUTPUT);
    let release = Release::for_output(&workspace, &output)?;
    let advice = semver::advise(&release.version, diff.counts().highest())?;
    Ok((diff, Some(advice)))
}

/// One line for the log, whatever the format: the counts and the bump.
fn summary_line(diff: &Diff, advice: Option<&semver::Advice>) -> String {
    let counts = diff.counts();
    let changes = if diff.is_empty() {
        "no changes".to_owned()
    } else {
        format!(
            "{} change{} ({} breaking, {} non-breaking, {} absorbed, {} docs only)",
            counts.total(),
            if counts.total() == 1 { "" } else { "s" },
            counts.breaking,
            counts.non_breaking,
            counts.absorbed,
            counts.docs
        )
    };
    let bump = match advice {
        Some(a) if a.bump == semver::Bump::None => format!("; the crates stay at {}", a.current),
        Some(a) => format!("; version bump: {} ({} -> {})", a.bump, a.current, a.next),
        None => String::new(),
    };
    format!("diff: {changes}{bump}")
}

/// A specs folder to load, and how reports show it.
struct Input {
    dir: PathBuf,
    side: SpecsSide,
}

/// Resolves the inputs, loads both sides and compares them.
fn build(args: &Args, workspace: &Path) -> Result<Diff, DiffError> {
    let specs = args
        .specs
        .clone()
        .unwrap_or_else(|| workspace.join("specs"));
    if let (Some(from), Some(to)) = (&args.from, &args.to) {
        return two_versions(&specs, from, to);
    }
    // Kept alive until both sides are loaded: the extracted base revision lives in it.
    let mut _extracted = None;
    let (old, new) = match (&args.old, &args.new, &args.base) {
        (Some(old), Some(new), _) => (folder_input(old), folder_input(new)),
        (_, _, Some(rev)) => {
            let (input, temp) = base_input(&specs, workspace, rev)?;
            _extracted = Some(temp);
            let new = Input {
                dir: specs.clone(),
                side: SpecsSide {
                    label: format!(
                        "{} (working tree)",
                        shown_specs(&specs, workspace).display()
                    ),
                    root: shown_specs(&specs, workspace),
                },
            };
            (input, new)
        }
        _ => return Err(DiffError::NoInput),
    };
    let (old_versions, new_versions) = choose_versions(&old, &new, &args.versions)?;
    let (old_apis, new_apis) = std::thread::scope(|scope| {
        let old_side = scope.spawn(|| load("old", &old, &old_versions));
        let new_apis = load("new", &new, &new_versions);
        let old_apis = old_side
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (old_apis, new_apis)
    });
    let (old_apis, new_apis) = (old_apis?, new_apis?);
    let pairs = generator::diff::pair_by_version(&old_apis, &new_apis);
    let mut diff = Diff::new(old.side, new.side, &pairs);
    diff.locate(&old.dir, &new.dir);
    Ok(diff)
}

fn folder_input(dir: &Path) -> Input {
    Input {
        dir: dir.to_path_buf(),
        side: SpecsSide {
            label: dir.display().to_string(),
            root: dir.to_path_buf(),
        },
    }
}

/// The specs folder as reports show it: relative to the workspace when inside it.
fn shown_specs(specs: &Path, workspace: &Path) -> PathBuf {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    canonical(specs)
        .strip_prefix(canonical(workspace))
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| specs.to_path_buf())
}

/// The specs folder at revision `rev`, extracted into a temporary folder.
fn base_input(
    specs: &Path,
    workspace: &Path,
    rev: &str,
) -> Result<(Input, tempfile::TempDir), DiffError> {
    let git_error = |source| DiffError::Git {
        rev: rev.to_owned(),
        source,
    };
    let commit = git::resolve(workspace, rev).map_err(git_error)?;
    let temp = tempfile::Builder::new()
        .prefix("xtask-diff-base-")
        .tempdir()
        .map_err(DiffError::Temp)?;
    git::extract(specs, &commit, temp.path()).map_err(git_error)?;
    let shown = shown_specs(specs, workspace);
    let short: String = commit.chars().take(12).collect();
    let input = Input {
        dir: temp.path().to_path_buf(),
        side: SpecsSide {
            label: format!("{} at {rev} ({short})", shown.display()),
            root: shown,
        },
    };
    Ok((input, temp))
}

/// The versions to load on each side: every version found, or those asked for that the
/// side has (a version on one side only is reported as added or removed).
fn choose_versions(
    old: &Input,
    new: &Input,
    wanted: &[String],
) -> Result<(Vec<String>, Vec<String>), DiffError> {
    let old_found = discover("old", old)?;
    let new_found = discover("new", new)?;
    if wanted.is_empty() {
        return Ok((old_found, new_found));
    }
    for name in wanted {
        if !old_found.contains(name) && !new_found.contains(name) {
            return Err(DiffError::UnknownVersion {
                wanted: name.clone(),
                old: old_found.join(", "),
                new: new_found.join(", "),
            });
        }
    }
    let pick = |found: Vec<String>| found.into_iter().filter(|v| wanted.contains(v)).collect();
    Ok((pick(old_found), pick(new_found)))
}

fn discover(side: &'static str, input: &Input) -> Result<Vec<String>, DiffError> {
    let dir = input.dir.display().to_string();
    let found =
        generator::load::discover_versions(&input.dir).map_err(|source| DiffError::List {
            side,
            dir: dir.clone(),
            source: Box::new(source),
        })?;
    if found.is_empty() {
        return Err(DiffError::NoRoots { side, dir });
    }
    Ok(found)
}

fn load(side: &'static str, input: &Input, versions: &[String]) -> Result<Vec<Api>, DiffError> {
    // An empty list would mean "every version" to the generator.
    if versions.is_empty() {
        return Ok(Vec::new());
    }
    generator::build_models(&input.dir, versions).map_err(|source| DiffError::Load {
        side,
        dir: input.side.label.clone(),
        source: Box::new(source),
    })
}

/// `--from A --to B`: version A and version B of one folder, as one pair.
fn two_versions(specs: &Path, from: &str, to: &str) -> Result<Diff, DiffError> {
    let input = folder_input(specs);
    let found = discover("specs", &input)?;
    for wanted in [from, to] {
        if !found.iter().any(|v| v == wanted) {
            return Err(DiffError::MissingVersion {
                wanted: wanted.to_owned(),
                dir: specs.display().to_string(),
                found: found.join(", "),
            });
        }
    }
    let versions = vec![from.to_owned(), to.to_owned()];
    let apis = load("the", &input, &versions)?;
    let find = |name: &str| apis.iter().find(|api| api.version == name);
    let side = |version: &str| SpecsSide {
        label: format!("{version} in {}", specs.display()),
        root: specs.to_path_buf(),
    };
    let mut diff = Diff::new(side(from), side(to), &[(find(from), find(to))]);
    diff.locate(specs, specs);
    Ok(diff)
}

fn write_changelog(
    path: &Path,
    diff: &Diff,
    advice: &semver::Advice,
    date: Option<&str>,
) -> Result<(), DiffError> {
    if diff.is_empty() {
        eprintln!("diff: no changes, {} left as it is", path.display());
        return Ok(());
    }
    let date = match date {
        Some(date) if is_date(date) => date.to_owned(),
        Some(other) => return Err(DiffError::Date(other.to_owned())),
        None => today(),
    };
    let io = |source| DiffError::Io {
        path: path.to_path_buf(),
        source,
    };
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(io(e)),
    };
    let section = report::changelog_section(diff, Some(advice), &date);
    let text = report::prepend_changelog(existing.as_deref(), &section);
    std::fs::write(path, text).map_err(io)?;
    eprintln!(
        "diff: added the {} section to {}",
        advice.next,
        path.display()
    );
    Ok(())
}

fn is_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 10
        && bytes.iter().enumerate().all(|(i, b)| match i {
            4 | 7 => *b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// Today's date in UTC, from the system clock (civil-from-days, proleptic Gregorian).
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let (year, month, day) = civil_from_days(days);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Howard Hinnant's `civil_from_days`: days since 1970-01-01 -> (year, month, day).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(20_788), (2026, 12, 1));
    }

    #[test]
    fn dates_are_checked() {
        assert!(is_date("2026-12-01"));
        assert!(!is_date("2026-1-01"));
        assert!(!is_date("yesterday"));
    }
}
