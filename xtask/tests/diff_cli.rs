//! `cargo xtask diff` as users run it: inputs, formats, exit statuses and bad input. The
//! comparison itself is tested in `generator/tests/diff.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn fixture(rel: &str) -> String {
    workspace()
        .join("generator/tests/fixtures")
        .join(rel)
        .display()
        .to_string()
}

fn xtask(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(args)
        .output()
        .expect("xtask runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn diff_case(case: &str, extra: &[&str]) -> Output {
    let old = fixture(&format!("diff/{case}/old"));
    let new = fixture(&format!("diff/{case}/new"));
    let mut args = vec!["diff", "--old", &old, "--new", &new];
    args.extend_from_slice(extra);
    xtask(&args)
}

#[test]
fn identical_folders_report_no_changes_and_succeed() {
    let specs = workspace().join("specs").display().to_string();
    let run = || xtask(&["diff", "--old", &specs, "--new", &specs]);
    let (first, second) = (run(), run());
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(stdout(&first).contains("No changes."), "{}", stdout(&first));
    assert_eq!(first.stdout, second.stdout, "two runs differ");
}

#[test]
fn every_format_is_byte_identical_across_runs() {
    for format in ["markdown", "json", "github"] {
        let a = diff_case("unions", &["--format", format]);
        let b = diff_case("unions", &["--format", format]);
        assert_eq!(a.status.code(), Some(0), "{format}: {}", stderr(&a));
        assert!(!a.stdout.is_empty(), "{format}: empty");
        assert_eq!(a.stdout, b.stdout, "{format}: two runs differ");
    }
}

#[test]
fn json_output_is_json() {
    let output = diff_case("operation_renamed", &["--format", "json"]);
    let text = stdout(&output);
    assert!(text.starts_with("{\n  \"schema\": 1,"), "{text}");
    assert!(text.contains("\"rule\": \"operation-renamed\""), "{text}");
}

#[test]
fn github_annotations_point_at_the_spec_line() {
    let output = diff_case("operation_renamed", &["--format", "github"]);
    let text = stdout(&output);
    let error = text
        .lines()
        .find(|l| l.starts_with("::error "))
        .expect("an error annotation");
    assert!(error.contains("sailpoint-api.v1.yaml,line=23,"), "{error}");
}

#[test]
fn fail_on_sets_the_exit_status() {
    assert_eq!(diff_case("operation_renamed", &[]).status.code(), Some(0));
    let breaking = diff_case("operation_renamed", &["--fail-on", "breaking"]);
    assert_eq!(breaking.status.code(), Some(1), "{}", stderr(&breaking));
    let docs = diff_case("docs_only", &["--fail-on", "breaking"]);
    assert_eq!(docs.status.code(), Some(0), "{}", stderr(&docs));
    let any = diff_case("docs_only", &["--fail-on", "any"]);
    assert_eq!(any.status.code(), Some(1), "{}", stderr(&any));
    let identical = diff_case("identical", &["--fail-on", "any"]);
    assert_eq!(identical.status.code(), Some(0), "{}", stderr(&identical));
}

#[test]
fn the_bump_is_printed() {
    let output = diff_case("docs_only", &[]);
    assert!(
        stderr(&output).contains("version bump: patch"),
        "{}",
        stderr(&output)
    );
    assert!(
        stdout(&output).contains("**Version bump: patch**"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn a_version_on_one_side_is_reported_not_refused() {
    let output = diff_case("versions", &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("version `v2` removed"), "{text}");
    assert!(text.contains("version `v3` added"), "{text}");
    let only = diff_case("versions", &["--version", "v3"]);
    assert!(stdout(&only).contains("version `v3` added"));
    assert!(!stdout(&only).contains("`v2`"), "{}", stdout(&only));
}

#[test]
fn an_unknown_version_is_an_error() {
    let output = diff_case("versions", &["--version", "v9"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("version `v9` is in neither"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn two_versions_of_one_folder() {
    let specs = fixture("diff/versions/old");
    let output = xtask(&["diff", "--from", "v1", "--to", "v2", "--specs", &specs]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("| v1 → v2 |"),
        "{}",
        stdout(&output)
    );
    let missing = xtask(&["diff", "--from", "v1", "--to", "v7", "--specs", &specs]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        stderr(&missing).contains("version `v7` is not in"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn a_folder_without_roots_is_an_error() {
    let empty = tempfile::tempdir().expect("temp dir");
    let empty = empty.path().display().to_string();
    let specs = workspace().join("specs").display().to_string();
    let output = xtask(&["diff", "--old", &empty, "--new", &specs]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("old specs")
            && text
                .contains("no `sailpoint-api.<version>.yaml` nor `<resource>/openapi.yaml` root"),
        "{text}"
    );
}

#[test]
fn a_spec_that_fails_to_load_names_its_side() {
    let good = fixture("diff/parameter_added/old");
    let bad = fixture("load/bad/invalid_yaml");
    let output = xtask(&["diff", "--old", &good, "--new", &bad]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(text.starts_with("error: new specs ("), "{text}");
    assert!(
        text.contains("things.yaml"),
        "the loader's error names the file: {text}"
    );
    assert!(!text.contains("panicked"), "{text}");
}

#[test]
fn an_unknown_revision_is_an_error() {
    let output = xtask(&["diff", "--base", "no-such-revision-for-sure"]);
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("unknown git revision `no-such-revision-for-sure`"),
        "{text}"
    );
}

/// `--base HEAD` on a checkout whose `specs/` has no uncommitted change: "no changes".
#[test]
fn base_head_on_clean_specs_reports_no_changes() {
    let status = Command::new("git")
        .arg("-C")
        .arg(workspace())
        .args(["status", "--porcelain", "--", "specs"])
        .output();
    match status {
        Ok(out) if out.status.success() && out.stdout.is_empty() => {}
        _ => {
            eprintln!("skipped: specs/ has uncommitted changes (or git is unavailable)");
            return;
        }
    }
    let output = xtask(&["diff", "--base", "HEAD"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("No changes."),
        "{}",
        stdout(&output)
    );
}

#[test]
fn the_changelog_gets_a_dated_section() {
    let dir = tempfile::tempdir().expect("temp dir");
    let changelog = dir.path().join("CHANGELOG.md");
    let path = changelog.display().to_string();
    let args = ["--changelog", path.as_str(), "--date", "2026-12-01"];
    let output = diff_case("operation_added_removed", &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let first = std::fs::read_to_string(&changelog).expect("changelog written");
    assert!(first.starts_with("# Changelog\n"), "{first}");
    assert!(first.contains("] - 2026-12-01\n"), "{first}");
    assert!(
        first.contains("### Removed\n\n- **Breaking:** v1: "),
        "{first}"
    );
    let again = diff_case(
        "docs_only",
        &["--changelog", path.as_str(), "--date", "2026-12-02"],
    );
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let second = std::fs::read_to_string(&changelog).expect("changelog updated");
    let newest = second.find("2026-12-02").expect("new section");
    let older = second.find("2026-12-01").expect("old section kept");
    assert!(newest < older, "the new section comes first: {second}");
    let bad = diff_case(
        "docs_only",
        &["--changelog", path.as_str(), "--date", "soon"],
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn the_rule_list_is_printed() {
    let output = xtask(&["diff", "--rules"]);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.starts_with("| Rule | Level | Reason |"), "{text}");
    assert!(
        text.contains("| `operation-renamed` | breaking |"),
        "{text}"
    );
    assert!(
        text.contains("| `response-enum-value-added` | absorbed |"),
        "{text}"
    );
}
