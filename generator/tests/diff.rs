//! The spec diff: one fixture pair per kind of change (`fixtures/diff/<case>/{old,new}`),
//! each with the exact rules it must report (so every rule of the rule list is tested with
//! its level) and a snapshot of its Markdown and JSON reports; identical inputs; and the
//! real upstream pair.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{copy_tree, embedded_specs, fixtures, workspace};
use generator::diff::{self, report, semver, Diff, Level, Rule, SpecsSide};

/// The release version the fixture reports advise from.
const VERSION: &str = "0.2.0";

fn side(label: String) -> SpecsSide {
    SpecsSide {
        label,
        root: PathBuf::new(),
    }
}

/// Loads both folders, compares them and finds the lines, as `cargo xtask diff` does.
fn compare(old_dir: &Path, new_dir: &Path, old_label: String, new_label: String) -> Diff {
    let old = generator::build_models(old_dir, &[]).expect("old side models");
    let new = generator::build_models(new_dir, &[]).expect("new side models");
    let pairs = diff::pair_by_version(&old, &new);
    let mut diff = Diff::new(side(old_label), side(new_label), &pairs);
    diff.locate(old_dir, new_dir);
    diff
}

fn fixture_case(name: &str) -> Diff {
    let dir = fixtures("diff").join(name);
    compare(
        &dir.join("old"),
        &dir.join("new"),
        format!("{name}/old"),
        format!("{name}/new"),
    )
}

fn reports(diff: &Diff) -> String {
    let advice = semver::advise(VERSION, diff.counts().highest()).expect("valid version");
    format!(
        "{}\n==> JSON <==\n{}",
        report::markdown(diff, Some(&advice)),
        report::json(diff, Some(&advice))
    )
}

/// The rules a diff reported, with their levels.
fn found(diff: &Diff) -> BTreeSet<(&'static str, Level)> {
    diff.versions
        .iter()
        .flat_map(|v| v.changes.iter())
        .map(|c| (c.rule.id(), c.level()))
        .collect()
}

fn rule(id: &str) -> Rule {
    *Rule::ALL
        .iter()
        .find(|r| r.id() == id)
        .unwrap_or_else(|| panic!("no rule `{id}`"))
}

/// Every fixture case and the rules it must report, each with the level the rule list
/// gives it (checked here too, so a level change shows up in review).
const CASES: &[(&str, &[(&str, Level)])] = {
    use Level::{Absorbed as A, Breaking as B, Docs as D, NonBreaking as N};
    &[
        ("identical", &[]),
        (
            "operation_added_removed",
            &[("operation-added", N), ("operation-removed", B)],
        ),
        (
            "operation_renamed",
            &[("operation-renamed", B), ("operation-id-changed", N)],
        ),
        ("operation_path_changed", &[("operation-path-changed", B)]),
        (
            "tags",
            &[
                ("tag-added", N),
                ("tag-removed", B),
                ("operation-moved", B),
                ("operation-removed", B),
                ("api-docs-changed", D),
            ],
        ),
        (
            "experimental",
            &[
                ("operation-experimental-added", B),
                ("operation-experimental-removed", N),
            ],
        ),
        (
            "deprecations",
            &[
                ("operation-deprecated", N),
                ("operation-undeprecated", N),
                ("parameter-deprecated", D),
                ("parameter-undeprecated", D),
                ("type-deprecated", D),
                ("type-undeprecated", D),
                ("field-deprecated", D),
                ("field-undeprecated", D),
            ],
        ),
        (
            "parameter_added",
            &[
                ("parameter-added-required", B),
                ("parameter-added-optional", N),
            ],
        ),
        ("parameter_removed", &[("parameter-removed", B)]),
        (
            "parameter_required",
            &[
                ("parameter-made-required", B),
                ("parameter-made-optional", B),
            ],
        ),
        ("parameter_retyped", &[("parameter-retyped", B)]),
        (
            "parameter_default_style",
            &[
                ("parameter-default-changed", N),
                ("parameter-style-changed", N),
            ],
        ),
        ("parameters_reordered", &[("parameters-reordered", B)]),
        (
            "parameter_renamed",
            &[("parameter-renamed", B), ("parameter-removed", B)],
        ),
        (
            "request_body",
            &[
                ("request-body-added-required", B),
                ("request-body-added-optional", N),
                ("request-body-removed", B),
                ("request-body-made-required", B),
                ("request-body-made-optional", B),
                ("request-body-retyped", B),
                ("request-body-docs-changed", D),
            ],
        ),
        (
            "request_media_type",
            &[
                ("request-media-type-changed", N),
                ("request-media-type-alternative-changed", A),
                ("request-body-retyped", B),
                ("parameter-added-required", B),
                ("parameter-added-optional", N),
            ],
        ),
        (
            "response_body",
            &[
                ("response-type-changed", B),
                ("paginate-added", N),
                ("paginate-removed", B),
                ("parameter-added-optional", N),
                ("parameter-removed", B),
                ("response-docs-changed", D),
                ("examples-changed", D),
                ("search-after-added", N),
                ("search-after-removed", B),
                ("request-field-added-optional", B),
                ("field-removed", B),
            ],
        ),
        (
            "response_media_type",
            &[
                ("response-media-type-added", N),
                ("response-media-type-removed", N),
            ],
        ),
        (
            "status_codes",
            &[
                ("error-status-added", A),
                ("error-status-removed", A),
                ("error-body-changed", A),
                ("success-status-added", N),
                ("success-status-removed", N),
            ],
        ),
        (
            "types_added_removed",
            &[("type-added", N), ("type-removed", B)],
        ),
        ("type_renamed", &[("type-renamed", B)]),
        (
            "type_kind_changed",
            &[("type-kind-changed", B), ("alias-retyped", B)],
        ),
        (
            "type_default",
            &[
                ("type-default-removed", B),
                ("type-default-added", N),
                ("type-added", N),
                ("response-field-added", N),
                ("field-made-optional", B),
            ],
        ),
        (
            "type_features",
            &[
                ("type-features-narrowed", B),
                ("type-features-widened", N),
                ("response-type-changed", B),
            ],
        ),
        (
            "fields_added",
            &[
                ("request-field-added-required", B),
                ("request-field-added-optional", B),
                ("response-field-added", N),
            ],
        ),
        (
            "fields_changed",
            &[
                ("field-retyped", B),
                ("field-removed", B),
                ("field-renamed", B),
                ("field-docs-changed", D),
            ],
        ),
        (
            "field_presence",
            &[
                ("field-made-required", B),
                ("field-made-optional", B),
                ("field-made-nullable", B),
                ("field-presence-changed", A),
            ],
        ),
        (
            "enum_values",
            &[
                ("response-enum-value-added", A),
                ("request-enum-value-added", N),
                ("enum-value-removed", B),
                ("enum-variant-renamed", B),
                ("enum-fallback-renamed", B),
            ],
        ),
        (
            "unions",
            &[
                ("type-renamed", B),
                ("type-added", N),
                ("union-variant-renamed", B),
                ("union-discriminator-changed", A),
                ("response-union-variant-added", A),
                ("request-union-variant-added", N),
                ("union-variant-removed", B),
                ("union-variant-retyped", B),
                ("union-fallback-renamed", B),
            ],
        ),
        ("versions", &[("version-added", N), ("version-removed", B)]),
        (
            "base_path_docs",
            &[("base-path-changed", B), ("api-docs-changed", D)],
        ),
        (
            "docs_only",
            &[
                ("operation-docs-changed", D),
                ("parameter-docs-changed", D),
                ("type-docs-changed", D),
                ("field-docs-changed", D),
                ("response-docs-changed", D),
            ],
        ),
    ]
};

fn expected(name: &str) -> BTreeSet<(&'static str, Level)> {
    CASES
        .iter()
        .find(|(case, _)| *case == name)
        .map(|(_, rules)| rules.iter().copied().collect())
        .unwrap_or_else(|| panic!("no case `{name}` in CASES"))
}

/// Checks a case's rules and levels exactly, then its reports.
fn check(name: &str) {
    let diff = fixture_case(name);
    let expected = expected(name);
    for (id, level) in &expected {
        assert_eq!(rule(id).level(), *level, "{name}: level of `{id}`");
    }
    assert_eq!(found(&diff), expected, "{name}: rules reported");
    insta::assert_snapshot!(format!("diff_{name}"), reports(&diff));
}

macro_rules! cases {
    ($($name:ident),* $(,)?) => {
        $(#[test] fn $name() { check(stringify!($name)); })*

        /// Every case in `CASES` has its test, and every rule is tested by some case.
        #[test]
        fn every_rule_has_a_fixture() {
            let tested: BTreeSet<&str> = [$(stringify!($name)),*].into_iter().collect();
            let listed: BTreeSet<&str> = CASES.iter().map(|(name, _)| *name).collect();
            assert_eq!(tested, listed, "CASES and the test list differ");
            let covered: BTreeSet<&str> = CASES
                .iter()
                .flat_map(|(_, rules)| rules.iter().map(|(id, _)| *id))
                .collect();
            let missing: Vec<&str> = Rule::ALL
                .iter()
                .map(|r| r.id())
                .filter(|id| !covered.contains(id))
                .collect();
            assert!(missing.is_empty(), "rules without a fixture: {missing:?}");
        }
    };
}

cases!(
    identical,
    operation_added_removed,
    operation_renamed,
    operation_path_changed,
    tags,
    experimental,
    deprecations,
    parameter_added,
    parameter_removed,
    parameter_required,
    parameter_retyped,
    parameter_default_style,
    parameters_reordered,
    parameter_renamed,
    request_body,
    request_media_type,
    response_body,
    response_media_type,
    status_codes,
    types_added_removed,
    type_renamed,
    type_kind_changed,
    type_default,
    type_features,
    fields_added,
    fields_changed,
    field_presence,
    enum_values,
    unions,
    versions,
    base_path_docs,
    docs_only,
);

/// The same folder on both sides: no changes, a "no changes" report, byte-identical
/// output on a second run. This is `cargo xtask diff --base HEAD` on a clean checkout.
#[test]
fn the_same_specs_give_an_empty_report() {
    let specs = embedded_specs();
    let label = || "specs".to_owned();
    let first = compare(&specs, &specs, label(), label());
    assert!(
        first.is_empty(),
        "changes between identical specs: {first:?}"
    );
    let text = reports(&first);
    assert!(text.contains("No changes."), "{text}");
    let advice = semver::advise(VERSION, first.counts().highest()).expect("valid version");
    assert_eq!(advice.bump, semver::Bump::None);
    let second = compare(&specs, &specs, label(), label());
    assert_eq!(reports(&second), text);
}

/// Two runs over a case with every kind of output give the same bytes in every format.
#[test]
fn reports_are_deterministic() {
    for name in ["unions", "response_body"] {
        let (a, b) = (fixture_case(name), fixture_case(name));
        assert_eq!(reports(&a), reports(&b), "{name}");
        assert_eq!(report::github(&a, None), report::github(&b, None), "{name}");
    }
}

/// `--from A --to B`: two versions of one folder compare as one pair.
#[test]
fn two_versions_of_one_folder() {
    let dir = fixtures("diff").join("versions/old");
    let apis = generator::build_models(&dir, &[]).expect("models");
    let find = |name: &str| apis.iter().find(|a| a.version == name);
    let diff = Diff::new(
        side("v1".into()),
        side("v2".into()),
        &[(find("v1"), find("v2"))],
    );
    assert_eq!(diff.versions.len(), 1);
    assert_eq!(diff.versions[0].name(), "v1 → v2");
    let rules: BTreeSet<&str> = found(&diff).into_iter().map(|(id, _)| id).collect();
    assert_eq!(rules, BTreeSet::from(["base-path-changed"]));
}

/// GitHub annotations: an error per breaking change on its file and line, notices for
/// the others, nothing for docs-only changes.
#[test]
fn github_annotations() {
    let diff = fixture_case("operation_renamed");
    let text = report::github(&diff, None);
    insta::assert_snapshot!("diff_github_operation_renamed", text);
    let docs = fixture_case("docs_only");
    assert_eq!(
        report::github(&docs, None).lines().count(),
        1,
        "summary only"
    );
}

/// SailPoint's previous and current upstream specs: the comparison finishes and reports
/// the v2024 `listNotificationPreferences` -> `getNotificationPreferences` rename as
/// breaking. Needs `../shared/api-specs` and `../shared/api-specs-previous`.
#[test]
fn upstream_revisions() {
    let Some(new_dir) = common::upstream_specs() else {
        return;
    };
    let old_dir = workspace().join("../shared/api-specs-previous/idn");
    if !old_dir.join("sailpoint-api.v2024.yaml").is_file() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but {} is missing",
            old_dir.display()
        );
        eprintln!("skipped: ../shared/api-specs-previous not found");
        return;
    }
    let diff = compare(&old_dir, &new_dir, "previous".into(), "current".into());
    let v2024 = diff
        .versions
        .iter()
        .find(|v| v.new.as_deref() == Some("v2024"))
        .expect("v2024 compared");
    let rename = v2024
        .changes
        .iter()
        .find(|c| {
            c.rule == Rule::OperationRenamed && c.message.contains("listNotificationPreferences")
        })
        .expect("the notification preferences rename is reported");
    assert_eq!(rename.level(), Level::Breaking);
    assert_eq!(
        rename.item,
        "v2024::apis::notifications::NotificationsApi::get_notification_preferences"
    );
    assert_eq!(
        rename.old_item.as_deref(),
        Some("v2024::apis::notifications::NotificationsApi::list_notification_preferences")
    );
    assert!(rename.message.contains("getNotificationPreferences"));
    assert_eq!(
        rename.location.file,
        Path::new("v2024/paths/notification-preferences.yaml")
    );
    assert!(rename.location.line.is_some());
    // Every change names a location with a line once located.
    for change in diff.versions.iter().flat_map(|v| v.changes.iter()) {
        assert!(change.location.line.is_some(), "no line: {change:?}");
    }
}

/// The resources layout: a resource removed is reported as one, and a change to a type of
/// `shared/` is reported once, in the shared crate, not again by every resource that
/// re-exports it.
#[test]
fn resources_layout() {
    let old_dir = fixtures("resources");
    let temp = tempfile::tempdir().expect("temp dir");
    let new_dir = temp.path().join("apis");
    copy_tree(&old_dir, &new_dir);
    std::fs::remove_dir_all(new_dir.join("notes")).expect("remove a resource");
    let reference = new_dir.join("shared/schemas/reference.yaml");
    let text = std::fs::read_to_string(&reference).expect("shared schema");
    let retyped = text.replacen("  name:\n    type: string", "  name:\n    type: integer", 1);
    assert_ne!(retyped, text, "the fixture's `name` property moved");
    std::fs::write(&reference, retyped).expect("write shared schema");

    let diff = compare(&old_dir, &new_dir, "old".into(), "new".into());
    let changes: Vec<(String, &diff::Change)> = diff
        .versions
        .iter()
        .flat_map(|v| v.changes.iter().map(move |c| (v.name(), c)))
        .collect();
    let removed: Vec<_> = changes
        .iter()
        .filter(|(_, c)| c.rule == Rule::VersionRemoved)
        .collect();
    assert_eq!(removed.len(), 1, "{changes:#?}");
    assert!(
        removed[0].1.message.starts_with("resource `notes` removed"),
        "{}",
        removed[0].1.message
    );
    let retyped: Vec<_> = changes
        .iter()
        .filter(|(_, c)| c.rule == Rule::FieldRetyped)
        .collect();
    assert_eq!(retyped.len(), 1, "reported once: {retyped:#?}");
    let (version, change) = retyped[0];
    assert_eq!(version, "shared");
    assert_eq!(change.item, "shared::models::Reference::name");
    assert_eq!(change.group, diff::Group::CommonModels);
    let markdown = report::markdown(&diff, None);
    assert!(markdown.contains("| Resource | Breaking |"), "{markdown}");
}
