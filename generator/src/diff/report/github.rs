//! GitHub workflow annotations (`--format github`): one `::error` per breaking change and
//! one `::notice` per non-breaking or absorbed change, on the spec file and line, plus a
//! summary notice. Docs-only changes are counted in the summary, not annotated.

use std::fmt::Write;

use super::super::semver::Advice;
use super::super::{Change, Diff, Level};

pub fn github(diff: &Diff, advice: Option<&Advice>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "::notice title={}::{}",
        property("API diff"),
        data(&summary(diff, advice))
    );
    for change in diff.versions.iter().flat_map(|v| v.changes.iter()) {
        let command = match change.level() {
            Level::Breaking => "error",
            Level::NonBreaking | Level::Absorbed => "notice",
            Level::Docs => continue,
        };
        let _ = writeln!(
            out,
            "::{command} {}::{}",
            properties(diff, change),
            data(&text(change))
        );
    }
    out
}

fn summary(diff: &Diff, advice: Option<&Advice>) -> String {
    if diff.is_empty() {
        return format!("no changes ({} → {})", diff.old.label, diff.new.label);
    }
    let versions: Vec<String> = diff
        .versions
        .iter()
        .filter(|v| !v.changes.is_empty())
        .map(|v| {
            let counts = v.counts();
            format!(
                "{}: {} breaking, {} non-breaking, {} absorbed, {} docs only",
                v.name(),
                counts.breaking,
                counts.non_breaking,
                counts.absorbed,
                counts.docs
            )
        })
        .collect();
    let bump = advice
        .map(|a| format!("; version bump {} ({} → {})", a.bump, a.current, a.next))
        .unwrap_or_default();
    format!("{}{bump}", versions.join("; "))
}

fn properties(diff: &Diff, change: &Change) -> String {
    let mut props = vec![format!("file={}", property(&diff.shown_file(change)))];
    if let Some(line) = change.location.line {
        props.push(format!("line={line}"));
    }
    let title = format!("{} ({})", change.rule.id(), change.level().label());
    props.push(format!("title={}", property(&title)));
    props.join(",")
}

fn text(change: &Change) -> String {
    let was = change
        .old_item
        .as_ref()
        .map(|old| format!(" (was {old})"))
        .unwrap_or_default();
    format!(
        "{}{was}: {}\n{}",
        change.item,
        change.message,
        change.rule.reason()
    )
}

/// Escapes an annotation message (GitHub's workflow-command encoding).
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes an annotation property value, which also ends at `,` and `:`.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_escaped() {
        assert_eq!(data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(property("a:b,c"), "a%3Ab%2Cc");
    }
}
