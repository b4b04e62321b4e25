//! The Markdown report for a pull request: the summary (the version bump and counts per
//! version and level) first, then every breaking change, then the rest grouped by tag,
//! then the rules used; long lists are collapsed in `<details>` so the report stays
//! readable.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::super::semver::Advice;
use super::super::{Change, Counts, Diff, Group, Level, Rule, VersionDiff};
use super::{code, file_line, fragment};

/// Lists longer than this are collapsed.
const COLLAPSE_OVER: usize = 8;
/// A version's breaking changes are collapsed beyond this many.
const COLLAPSE_BREAKING_OVER: usize = 40;

pub fn markdown(diff: &Diff, advice: Option<&Advice>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## API changes\n");
    let _ = writeln!(
        out,
        "{} → {}\n",
        code(&diff.old.label),
        code(&diff.new.label)
    );
    if diff.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    summary(&mut out, diff, advice);
    breaking(&mut out, diff);
    others(&mut out, diff);
    legend(&mut out, diff);
    single_blank_lines(&out)
}

/// The sections are written independently, each surrounded by blank lines; this keeps one
/// blank line between blocks (the report has no code blocks, where blank lines would count).
fn single_blank_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = false;
    for line in text.lines() {
        if line.is_empty() {
            if !blank && !out.is_empty() {
                out.push('\n');
            }
            blank = true;
            continue;
        }
        blank = false;
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn summary(out: &mut String, diff: &Diff, advice: Option<&Advice>) {
    if let Some(advice) = advice {
        let _ = writeln!(
            out,
            "**Version bump: {}** ({} → {}).\n",
            advice.bump,
            code(&advice.current),
            code(&advice.next)
        );
    }
    let unit = diff.layout.unit();
    let _ = writeln!(
        out,
        "| {}{} | Breaking | Non-breaking | Absorbed | Docs only |",
        unit[..1].to_uppercase(),
        &unit[1..]
    );
    out.push_str("|---|--:|--:|--:|--:|\n");
    // Only the changed ones: the resources layout has over a hundred.
    let (changed, unchanged): (Vec<&VersionDiff>, Vec<&VersionDiff>) =
        diff.versions.iter().partition(|v| !v.changes.is_empty());
    for version in &changed {
        counts_row(out, &version.name(), version.counts());
    }
    if changed.len() > 1 {
        counts_row(out, "**All**", diff.counts());
    }
    if unchanged.len() > COLLAPSE_OVER {
        let _ = writeln!(out, "\n{} other {unit}s are unchanged.", unchanged.len());
    } else if !unchanged.is_empty() {
        let names: Vec<String> = unchanged.iter().map(|v| code(&v.name())).collect();
        let _ = writeln!(out, "\nUnchanged: {}.", names.join(", "));
    }
    out.push_str(
        "\nRust items are paths in the `sailpoint_isc` facade crate without the leading \
         `sailpoint_isc::`. Every rule, its level and its reason: `cargo xtask diff --rules`.\n",
    );
}

fn counts_row(out: &mut String, name: &str, counts: Counts) {
    let _ = writeln!(
        out,
        "| {name} | {} | {} | {} | {} |",
        counts.breaking, counts.non_breaking, counts.absorbed, counts.docs
    );
}

fn breaking(out: &mut String, diff: &Diff) {
    let total = diff.counts().breaking;
    if total == 0 {
        return;
    }
    let _ = writeln!(out, "\n### Breaking changes\n");
    for version in &diff.versions {
        let changes: Vec<&Change> = version
            .changes
            .iter()
            .filter(|c| c.level() == Level::Breaking)
            .collect();
        if changes.is_empty() {
            continue;
        }
        let _ = writeln!(out, "#### {}\n", version.name());
        let collapse = changes.len() > COLLAPSE_BREAKING_OVER;
        if collapse {
            let _ = writeln!(
                out,
                "<details><summary>{} breaking changes</summary>\n",
                changes.len()
            );
        }
        // Changes are sorted by group: a label starts each group.
        let mut current: Option<&Group> = None;
        for change in changes {
            if current != Some(&change.group) {
                current = Some(&change.group);
                let _ = writeln!(out, "\n**{}**\n", escape_html(&change.group.to_string()));
            }
            entry(out, diff, change, true);
        }
        if collapse {
            out.push_str("\n</details>\n");
        }
        out.push('\n');
    }
}

fn others(out: &mut String, diff: &Diff) {
    let rest = |v: &VersionDiff| v.changes.iter().any(|c| c.level() != Level::Breaking);
    if !diff.versions.iter().any(rest) {
        return;
    }
    let _ = writeln!(out, "\n### Other changes\n");
    for version in diff.versions.iter().filter(|v| rest(v)) {
        let _ = writeln!(out, "#### {}\n", version.name());
        let mut groups: BTreeMap<&Group, Vec<&Change>> = BTreeMap::new();
        for change in version
            .changes
            .iter()
            .filter(|c| c.level() != Level::Breaking)
        {
            groups.entry(&change.group).or_default().push(change);
        }
        for (group, mut changes) in groups {
            // Most serious first; the changes are sorted by item within a level.
            changes.sort_by_key(|c| std::cmp::Reverse(c.level()));
            group_section(out, diff, group, &changes);
        }
    }
}

fn group_section(out: &mut String, diff: &Diff, group: &Group, changes: &[&Change]) {
    let counts = Counts::of(changes.iter().copied());
    let tally: Vec<String> = Level::ALL
        .into_iter()
        .filter(|&level| counts.get(level) > 0)
        .map(|level| format!("{} {}", counts.get(level), level.label()))
        .collect();
    let title = format!(
        "<b>{}</b>: {}",
        escape_html(&group.to_string()),
        tally.join(", ")
    );
    let collapse = changes.len() > COLLAPSE_OVER;
    if collapse {
        let _ = writeln!(out, "<details><summary>{title}</summary>\n");
    } else {
        let _ = writeln!(out, "{title}\n");
    }
    for change in changes {
        entry(out, diff, change, false);
    }
    if collapse {
        out.push_str("\n</details>\n");
    }
    out.push('\n');
}

/// The rules the report uses, with their levels, counts and reasons.
fn legend(out: &mut String, diff: &Diff) {
    let mut used: BTreeMap<Rule, usize> = BTreeMap::new();
    for change in diff.versions.iter().flat_map(|v| v.changes.iter()) {
        *used.entry(change.rule).or_default() += 1;
    }
    let _ = writeln!(out, "\n### Rules in this report\n");
    let _ = writeln!(out, "<details><summary>{} rules</summary>\n", used.len());
    out.push_str("| Rule | Level | Changes | Why |\n|---|---|--:|---|\n");
    for (rule, count) in used {
        let _ = writeln!(
            out,
            "| {} | {} | {count} | {} |",
            code(rule.id()),
            rule.level().label(),
            rule.reason().replace('|', "\\|")
        );
    }
    out.push_str("\n</details>\n");
}

/// One change: the item (and its old path), what changed, then the rule, its level and,
/// where it matters, the reason, and the spec location.
fn entry(out: &mut String, diff: &Diff, change: &Change, breaking: bool) {
    let was = change
        .old_item
        .as_ref()
        .map(|old| format!(" (was {})", code(old)))
        .unwrap_or_default();
    let _ = writeln!(out, "- {}{was}: {}", code(&change.item), change.message);
    let level = change.level();
    let why = match level {
        // Breaking changes say why; absorbed ones name the mechanism that absorbs them.
        Level::Breaking | Level::Absorbed => format!(": {}", change.rule.reason()),
        Level::NonBreaking | Level::Docs => String::new(),
    };
    let level_note = if breaking {
        String::new()
    } else {
        format!(" ({})", level.label())
    };
    let _ = writeln!(
        out,
        "  <br>{}{level_note}{why} · {} {}",
        code(change.rule.id()),
        code(&file_line(diff, change)),
        code(&fragment(change))
    );
}

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
