//! Paths and helpers shared by the generator's integration tests.
#![allow(dead_code)] // each test crate uses a different subset

use std::path::{Path, PathBuf};

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Release settings for a standalone set (any folder but `generated-client/`).
pub fn standalone() -> generator::Release {
    generator::Release::standalone(&workspace()).expect("release settings")
}

/// Loads, models and renders a specs folder as a standalone set.
pub fn generate(dir: &Path, versions: &[String]) -> Result<generator::Generated, generator::Error> {
    generator::generate(dir, versions, &standalone())
}

pub fn embedded_specs() -> PathBuf {
    workspace().join("specs")
}

pub fn fixtures(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// The real upstream specs, when this machine has them. Absent: the test says so and
/// passes, except under CI (`CI=true`), where their absence is a failure.
pub fn upstream_specs() -> Option<PathBuf> {
    shared_folder("api-specs/idn", "sailpoint-api.v3.yaml")
}

/// SailPoint's per-resource specs (`<resource>/openapi.yaml` + `shared/`), as for
/// [`upstream_specs`].
pub fn upstream_resources() -> Option<PathBuf> {
    shared_folder("api-specs-resources/idn/apis", "shared")
}

/// `../shared/<folder>` if it holds `probe`.
fn shared_folder(folder: &str, probe: &str) -> Option<PathBuf> {
    let dir = workspace().join("../shared").join(folder);
    if dir.join(probe).exists() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "CI=true but {} is missing: the upstream checks cannot run",
            dir.display()
        );
    }
    eprintln!("skipped: ../shared/{folder} not found (this test needs SailPoint's upstream specs)");
    None
}

/// Copies a folder tree, for a test to change a copy.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create folder");
    for entry in std::fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}
