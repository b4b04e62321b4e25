//! The output contract: checked-in output is current, runs are byte-identical, writes are
//! atomic, stale generated files go away and hand-written files stay.

mod common;

use std::fs;

use generator::write::{diff, write, Change};
use generator::GeneratedFile;

/// `cargo test` alone catches stale output: the client from `specs/` and the fixtures'
/// crates are what the generator makes of their specs today.
#[test]
fn checked_in_output_is_up_to_date() {
    let workspace = common::workspace();
    for target in generator::release::checked_in(&workspace).expect("release settings") {
        let generated = generator::generate(&target.specs, &[], &target.release).expect("generate");
        let changes = diff(&target.out, &generated.files).expect("diff");
        let listing: Vec<String> = changes.iter().map(ToString::to_string).collect();
        assert!(
            changes.is_empty(),
            "{} is stale; run `cargo xtask regenerate`:\n{}",
            target.out.display(),
            listing.join("\n")
        );
    }
}

#[test]
fn two_runs_are_byte_identical() {
    let first = common::generate(&common::embedded_specs(), &[]).expect("first run");
    let second = common::generate(&common::embedded_specs(), &[]).expect("second run");
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
    let before = common::generate(specs.path(), &versions).expect("generate");
    write(out.path(), &before.files).expect("write");

    let root = specs.path().join("sailpoint-api.structs.yaml");
    let text = fs::read_to_string(&root)
        .expect("read")
        .replace("Required string.", "Edited.");
    fs::write(&root, text).expect("edit");
    let after = common::generate(specs.path(), &versions).expect("generate again");
    let changes = diff(out.path(), &after.files).expect("diff");
    assert_eq!(
        changes,
        [
            // The READMEs record the spec files' digest.
            Change::Modified("sailpoint-isc-structs/README.md".into()),
            Change::Modified("sailpoint-isc-structs/src/models/widget.rs".into()),
            Change::Modified("sailpoint-isc/README.md".into()),
        ]
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

#[test]
fn a_hand_written_file_where_a_generated_one_goes_stops_the_write() {
    let out = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(out.path().join("src")).expect("src");
    fs::write(out.path().join("src/a.rs"), "// mine\n").expect("hand-written");
    let error = write(out.path(), &[file("src/a.rs", "a"), file("src/b.rs", "b")])
        .expect_err("must refuse");
    assert!(
        error.to_string().contains("hand-written"),
        "unexpected error: {error}"
    );
    assert_eq!(
        fs::read_to_string(out.path().join("src/a.rs")).expect("a"),
        "// mine\n"
    );
    assert!(
        !out.path().join("src/b.rs").exists(),
        "nothing is written when the plan fails"
    );
}

#[test]
fn an_output_inside_the_specs_or_on_a_file_is_refused() {
    let specs = tempfile::tempdir().expect("tempdir");
    let inside = specs.path().join("generated/deeper");
    let error = generator::write::check_target(&inside, specs.path()).expect_err("inside specs");
    assert!(
        error.to_string().contains("inside the specs folder"),
        "{error}"
    );

    let a_file = specs.path().join("notes.txt");
    fs::write(&a_file, "x").expect("file");
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let error = generator::write::check_target(&a_file, elsewhere.path()).expect_err("a file");
    assert!(error.to_string().contains("must be a folder"), "{error}");

    generator::write::check_target(&elsewhere.path().join("new"), specs.path())
        .expect("a new folder elsewhere is fine");
}

#[test]
fn a_standalone_set_has_a_workspace_and_the_runtime() {
    let generated = common::generate(&common::fixtures("constructs"), &["structs".to_owned()])
        .expect("generate");
    let paths: Vec<&str> = generated.files.iter().map(|f| f.path.as_str()).collect();
    for expected in [
        "Cargo.toml",
        "sailpoint-isc/Cargo.toml",
        "sailpoint-isc/src/lib.rs",
        "sailpoint-isc-structs/Cargo.toml",
        "sailpoint-isc-runtime/Cargo.toml",
        "sailpoint-isc-runtime/src/lib.rs",
    ] {
        assert!(
            paths.contains(&expected),
            "{expected} missing from {paths:?}"
        );
    }
    let workspace = &generated.files[paths.iter().position(|p| *p == "Cargo.toml").expect("root")];
    assert!(workspace.contents.contains("\"sailpoint-isc-runtime\","));
    let manifest = generated
        .files
        .iter()
        .find(|f| f.path == "sailpoint-isc-structs/Cargo.toml")
        .expect("manifest");
    assert!(manifest
        .contents
        .contains("path = \"../sailpoint-isc-runtime\""));
}
