//! The JSON report (`--format json`), for tools. The schema is stable: fields are only
//! added, and `schema` changes when one is removed or changes meaning.
//!
//! ```text
//! {
//!   "schema": 1,
//!   "old": {"label": "specs at main (1a2b3c4d5e6f)", "root": "specs"},  // the two sides
//!   "new": {"label": "specs (working tree)", "root": "specs"},
//!   "summary": {"breaking": 1, "non_breaking": 4, "absorbed": 0, "docs": 7},
//!   "semver": {"current": "0.2.0", "next": "0.3.0", "bump": "minor"},  // null for --from/--to
//!   "versions": [{
//!     "name": "v2024",                  // "v2024 → v2025" when two versions are compared
//!     "old": "v2024", "new": "v2024",   // null on the side that lacks the version
//!     "summary": {...},
//!     "changes": [{
//!       "rule": "operation-renamed",    // see `cargo xtask diff --rules`
//!       "level": "breaking",            // breaking | non-breaking | absorbed | docs
//!       "reason": "...",                // why the rule has its level
//!       "group": "Notifications",       // tag, "Version" (the whole version or resource), or a models group
//!       "item": "v2024::apis::notifications::NotificationsApi::get_notification_preferences",
//!       "old_item": "...",              // null unless the item moved or was renamed
//!       "message": "...",
//!       "side": "new",                  // the spec the location is in: old | new
//!       "location": {"file": "specs/v2024/paths/notification-preferences.yaml",
//!                    "line": 2, "pointer": "/get"}   // line may be null
//!     }]
//!   }]
//! }
//! ```
//!
//! `bump` is `none`, `patch`, `minor` or `major`; `pointer` is an escaped JSON pointer into
//! the file (parameters are named by their name after `parameters/`, as in the generator's
//! warnings); `item` paths are in the facade crate without `sailpoint_isc::`.

use serde::Serialize;

use super::super::semver::Advice;
use super::super::{Change, Counts, Diff, Level, Rule, Side, SpecsSide};

/// Bumped when a field is removed or changes meaning.
pub const JSON_SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Report<'a> {
    schema: u32,
    old: SideJson<'a>,
    new: SideJson<'a>,
    summary: Counts,
    semver: Option<&'a Advice>,
    versions: Vec<VersionJson<'a>>,
}

#[derive(Serialize)]
struct SideJson<'a> {
    label: &'a str,
    root: String,
}

#[derive(Serialize)]
struct VersionJson<'a> {
    name: String,
    old: Option<&'a str>,
    new: Option<&'a str>,
    summary: Counts,
    changes: Vec<ChangeJson<'a>>,
}

#[derive(Serialize)]
struct ChangeJson<'a> {
    rule: Rule,
    level: Level,
    reason: &'static str,
    group: String,
    item: &'a str,
    old_item: Option<&'a str>,
    message: &'a str,
    side: Side,
    location: LocationJson<'a>,
}

#[derive(Serialize)]
struct LocationJson<'a> {
    file: String,
    line: Option<usize>,
    pointer: &'a str,
}

pub fn json(diff: &Diff, advice: Option<&Advice>) -> String {
    let report = Report {
        schema: JSON_SCHEMA_VERSION,
        old: side(&diff.old),
        new: side(&diff.new),
        summary: diff.counts(),
        semver: advice,
        versions: diff
            .versions
            .iter()
            .map(|v| VersionJson {
                name: v.name(),
                old: v.old.as_deref(),
                new: v.new.as_deref(),
                summary: v.counts(),
                changes: v.changes.iter().map(|c| change(diff, c)).collect(),
            })
            .collect(),
    };
    // Plain data with string keys: serializing cannot fail.
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_default();
    text.push('\n');
    text
}

fn side(side: &SpecsSide) -> SideJson<'_> {
    SideJson {
        label: &side.label,
        root: side.root.display().to_string(),
    }
}

fn change<'a>(diff: &Diff, c: &'a Change) -> ChangeJson<'a> {
    ChangeJson {
        rule: c.rule,
        level: c.level(),
        reason: c.rule.reason(),
        group: c.group.to_string(),
        item: &c.item,
        old_item: c.old_item.as_deref(),
        message: &c.message,
        side: c.side,
        location: LocationJson {
            file: diff.shown_file(c),
            line: c.location.line,
            pointer: &c.location.pointer,
        },
    }
}
