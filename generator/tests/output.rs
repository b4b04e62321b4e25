//! The output contract: checked-in output is current, runs are byte-identical, writes are
//! atomic, stale generated files go away and hand-written files stay.

mod common;

use std::fs;

use generator::write::{diff, write, Change};
use generator::GeneratedFile;

#[test]
fn checked_in_client_is_up_to_date() {
    let generated = generator::generate(&common::embedded_specs(), &[]).expect("generate");
    let changes = diff(
        &common::workspace().join("generated-client"),
        &generated.files,
    )
    .expect("diff");
    let listing: Vec<String> = changes.iter().map(ToString::to_string).collect();
    assert!(
        changes.is_empty(),
        "generated-client/ is stale; run `cargo xtask regenerate`:\n{}",
        listing.join("\n")
    );
}

#[test]
fn two_runs_are_byte_identical() {
    let first = generator::generate(&common::embedded_specs(), &[]).expect("first run");
    let second = generator::generate(&common::embedded_specs(), &[]).expect("second run");
    assert_eq!(first.files, second.files);
    let a = tempfile::tempdir().expect("tempdir");
    let b = tempfile::tempdir().expect("tempdir");
    write(a.path(), &first.files).expect("write a");
    write(b.path(), &second.files).expect("write b");
    for file in &first.files {
        let left = fs::read(a.path().join(&file.path)).expect("read a");
        let right = fs::read(b.path().join(&file.path)).expect("read b");
        assert_eq!(left, right, "{} differs between runs", file.path);
    }
}

fn file(path: &str, body: &str) -> GeneratedFile {
    GeneratedFile {
        path: path.to_owned(),
        contents: format!("// {}\n{body}\n", generator::render::PREAMBLE),
    }
}

#[test]
fn stale_generated_files_are_removed_and_hand_written_kept() {
    let out = tempfile::tempdir().expect("tempdir");
    write(
        out.path(),
        &[file("src/a.rs", "a"), file("src/old/b.rs", "b")],
    )
    .expect("first write");
    fs::write(out.path().join("src/runtime.rs"), "// hand-written\n").expect("hand-written");

    let changes = write(out.path(), &[file("src/a.rs", "a2")]).expect("second write");
    assert_eq!(
        changes,
        [
            Change::Modified("src/a.rs".into()),
            Change::Removed("src/old/b.rs".into())
        ]
    );
    assert!(
        !out.path().join("src/old").exists(),
        "emptied directories are removed"
    );
    assert!(
        out.path().join("src/runtime.rs").exists(),
        "hand-written files stay"
    );
    assert!(diff(out.path(), &[file("src/a.rs", "a2")])
        .expect("diff")
        .is_empty());
}

#[test]
fn a_failed_write_leaves_the_previous_output_untouched() {
    let out = tempfile::tempdir().expect("tempdir");
    write(
        out.path(),
        &[file("src/a.rs", "old a"), file("src/z.rs", "old z")],
    )
    .expect("first write");
    // A directory where a file must go makes staging fail midway.
    fs::create_dir_all(out.path().join("src/m.rs")).expect("blocker");
    let result = write(
        out.path(),
        &[
            file("src/a.rs", "new a"),
            file("src/m.rs", "m"),
            file("src/z.rs", "new z"),
        ],
    );
    assert!(result.is_err(), "writing over a directory must fail");
    let a = fs::read_to_string(out.path().join("src/a.rs")).expect("a");
    let z = fs::read_to_string(out.path().join("src/z.rs")).expect("z");
    assert!(
        a.contains("old a") && z.contains("old z"),
        "previous output was modified"
    );
    let leftovers: Vec<_> = fs::read_dir(out.path().join("src"))
        .expect("src")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".regenerate-tmp"))
        .collect();
    assert!(leftovers.is_empty(), "staged files are cleaned up");
}

#[test]
fn check_mode_lists_what_an_edited_spec_changes() {
    let specs = tempfile::tempdir().expect("tempdir");
    copy_dir(&common::fixtures("constructs"), specs.path());
    let out = tempfile::tempdir().expect("tempdir");
    let versions = ["structs".to_owned()];
    let before = generator::generate(specs.path(), &versions).expect("generate");
    write(out.path(), &before.files).expect("write");

    let root = specs.path().join("sailpoint-api.structs.yaml");
    let text = fs::read_to_string(&root)
        .expect("read")
        .replace("Required string.", "Edited.");
    fs::write(&root, text).expect("edit");
    let after = generator::generate(specs.path(), &versions).expect("generate again");
    let changes = diff(out.path(), &after.files).expect("diff");
    assert_eq!(
        changes,
        [Change::Modified("src/structs/models/widget.rs".into())]
    );
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for entry in fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            fs::create_dir_all(&target).expect("mkdir");
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).expect("copy");
        }
    }
}
