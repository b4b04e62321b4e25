//! A dated CHANGELOG.md section in the Keep a Changelog form
//! (<https://keepachangelog.com/en/1.1.0/>): Added, Changed, Deprecated and Removed, each
//! change one line with its version, breaking ones marked; docs-only changes are one line.

use std::fmt::Write;

use super::super::semver::Advice;
use super::super::{Change, Diff, Level, Section};
use super::code;

const HEADER: &str = "# Changelog\n\n\
All notable changes to the generated `sailpoint-isc` crates are documented in this file.\n\n\
The format is based on [Keep a Changelog](https://keepachangelog.com/en/1.1.0/),\n\
and the crates adhere to [Semantic Versioning](https://semver.org/spec/v2.0.0.html).\n";

/// The section for `diff`, headed by the next version (or `Unreleased` without advice) and
/// `date` (`YYYY-MM-DD`).
pub fn section(diff: &Diff, advice: Option<&Advice>, date: &str) -> String {
    let version = advice.map_or_else(|| "Unreleased".to_owned(), |a| a.next.clone());
    let mut out = format!("## [{version}] - {date}\n\n");
    let _ = writeln!(
        out,
        "API changes from {} to {}, found by `cargo xtask diff`.",
        code(&diff.old.label),
        code(&diff.new.label)
    );
    let entries: Vec<(String, &Change)> = diff
        .versions
        .iter()
        .flat_map(|v| v.changes.iter().map(move |c| (v.name(), c)))
        .collect();
    for section in Section::ALL {
        let mut lines: Vec<String> = entries
            .iter()
            .filter(|(_, c)| c.rule.section() == section && c.level() != Level::Docs)
            .map(|(version, c)| line(version, c))
            .collect();
        let docs = entries
            .iter()
            .filter(|(_, c)| c.rule.section() == section && c.level() == Level::Docs)
            .count();
        if docs > 0 {
            lines.push(format!(
                "- Documentation from the specs: {docs} docs-only change{}.",
                if docs == 1 { "" } else { "s" }
            ));
        }
        if !lines.is_empty() {
            let _ = writeln!(out, "\n### {}\n\n{}", section.title(), lines.join("\n"));
        }
    }
    out
}

fn line(version: &str, change: &Change) -> String {
    let marker = if change.level() == Level::Breaking {
        "**Breaking:** "
    } else {
        ""
    };
    format!(
        "- {marker}{version}: {}: {}",
        code(&change.item),
        change.message
    )
}

/// `existing` (a changelog, if there is one) with `section` added as its newest entry:
/// after the title and intro and after an `Unreleased` section, before older releases.
pub fn prepend(existing: Option<&str>, section: &str) -> String {
    let Some(text) = existing.filter(|t| !t.trim().is_empty()) else {
        return format!("{HEADER}\n{section}");
    };
    let headings: Vec<usize> = line_starts(text)
        .filter(|&i| text[i..].starts_with("## "))
        .collect();
    let unreleased_first = headings.first().is_some_and(|&i| {
        text[i..]
            .to_ascii_lowercase()
            .starts_with("## [unreleased]")
    });
    let at = if unreleased_first {
        headings.get(1).copied()
    } else {
        headings.first().copied()
    };
    match at {
        Some(at) => format!("{}{section}\n{}", &text[..at], &text[at..]),
        None => {
            let separator = if text.ends_with("\n\n") {
                ""
            } else if text.ends_with('\n') {
                "\n"
            } else {
                "\n\n"
            };
            format!("{text}{separator}{section}")
        }
    }
}

fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECTION: &str = "## [0.3.0] - 2026-12-01\n\n### Added\n\n- x\n";

    #[test]
    fn a_missing_changelog_is_created_with_the_header() {
        let text = prepend(None, SECTION);
        assert!(text.starts_with("# Changelog\n"));
        assert!(text.ends_with(SECTION));
    }

    #[test]
    fn the_section_goes_before_the_previous_release() {
        let old = "# Changelog\n\nIntro.\n\n## [0.2.0] - 2026-11-01\n\n- y\n";
        let text = prepend(Some(old), SECTION);
        assert_eq!(
            text,
            format!("# Changelog\n\nIntro.\n\n{SECTION}\n## [0.2.0] - 2026-11-01\n\n- y\n")
        );
    }

    #[test]
    fn the_section_goes_after_unreleased() {
        let old = "# Changelog\n\n## [Unreleased]\n\n- z\n\n## [0.2.0] - 2026-11-01\n";
        let text = prepend(Some(old), SECTION);
        assert_eq!(
            text,
            format!(
                "# Changelog\n\n## [Unreleased]\n\n- z\n\n{SECTION}\n## [0.2.0] - 2026-11-01\n"
            )
        );
    }

    #[test]
    fn a_changelog_without_releases_gets_the_section_at_the_end() {
        let text = prepend(Some("# Changelog\n\nIntro."), SECTION);
        assert_eq!(text, format!("# Changelog\n\nIntro.\n\n{SECTION}"));
    }
}
