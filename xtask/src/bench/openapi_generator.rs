//! openapi-generator, for comparison in the `generate` section: the pip package
//! `openapi-generator-cli` (the generator's jar behind a Python wrapper; it needs Java)
//! in a virtualenv under `target/bench/venv`, its `rust` generator, and a crate-only
//! `cargo check` of what it generates.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::context::{self, Bench};
use super::measure::{self, Measured};
use super::table::{self, Align, Table, MEASURED_COLUMNS};
use crate::{run, Failure};

/// The openapi-generator release compared with.
pub const VERSION: &str = "7.26.0";

/// How the check table is read.
pub const CHECK_NOTE: &str = "\n- Its crate as generated, with `[workspace]` appended so it \
    stands alone, dependencies built first (untimed) in the benchmark's target dir, then \
    `touch src/lib.rs` and one timed `cargo check` (`CARGO_INCREMENTAL=0`). Errors: the \
    count cargo reports.\n";

/// The venv's `openapi-generator-cli`, installed (or reinstalled) when it is not
/// [`VERSION`]; fails when Java does not run.
pub fn setup(bench: &Bench) -> Result<PathBuf, Failure> {
    if super::machine::java_version(&bench.root).is_none() {
        return Err(Failure::new(
            "java not found: openapi-generator needs Java 11 or newer",
        ));
    }
    let venv = bench.dir.join("venv");
    let python = venv.join("bin/python");
    if installed(&python).as_deref() != Some(VERSION) {
        bench.progress(&format!(
            "setting up {} with openapi-generator-cli=={VERSION}",
            venv.display()
        ));
        context::remove(&venv)?;
        let mut create = Command::new("python3");
        create.args(["-m", "venv"]).arg(&venv);
        run::status(create)?;
        let mut install = Command::new(&python);
        install.args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("openapi-generator-cli=={VERSION}"),
        ]);
        run::status(install)?;
    }
    Ok(venv.join("bin/openapi-generator-cli"))
}

/// The installed version of the pip package, if any.
fn installed(python: &Path) -> Option<String> {
    let output = Command::new(python)
        .args([
            "-c",
            "from importlib.metadata import version; print(version('openapi-generator-cli'))",
        ])
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// `openapi-generator-cli generate -g rust` of one version's root file into `out`.
pub fn generate(cli: &Path, specs: &Path, version: &str, out: &Path) -> Command {
    let mut command = Command::new(cli);
    command
        .args(["generate", "-g", "rust", "-i"])
        .arg(specs.join(format!("sailpoint-api.{version}.yaml")))
        .arg("-o")
        .arg(out)
        .arg("--skip-validate-spec");
    command
}

/// A crate-only `cargo check` of the generated crate in `out`: untimed first (builds the
/// dependencies), then `touch src/lib.rs` and one timed run.
pub fn check(bench: &Bench, version: &str, out: &Path) -> Result<Measured, Failure> {
    let manifest = out.join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest)
        .map_err(|e| Failure::new(format!("{}: {e}", manifest.display())))?;
    text.push_str("\n[workspace]\n");
    std::fs::write(&manifest, text)
        .map_err(|e| Failure::new(format!("{}: {e}", manifest.display())))?;
    let command = || {
        let mut command = bench.cargo(["check", "--manifest-path"]);
        command.arg(&manifest);
        command
    };
    bench.progress(&format!(
        "openapi-generator {version}: cargo check (untimed, builds dependencies)"
    ));
    measure::timed(command(), &bench.log(&format!("oag-check-{version}-deps")))?;
    context::touch(&out.join("src/lib.rs"))?;
    bench.progress(&format!("openapi-generator {version}: cargo check (timed)"));
    measure::timed(command(), &bench.log(&format!("oag-check-{version}")))
}

/// One row per version: whether it compiled, the error count, and the figures.
pub fn check_table(checks: &[(String, Measured)]) -> Table {
    let mut columns = vec![("Version", Align::Left), ("`cargo check`", Align::Left)];
    columns.extend(MEASURED_COLUMNS);
    let mut table = Table::new(&columns);
    for (version, measured) in checks {
        let result = if measured.ok {
            "ok".to_owned()
        } else {
            format!("failed: {} errors", error_count(&measured.log))
        };
        let mut cells = vec![version.clone(), result];
        cells.extend(table::measured_cells(measured));
        table.row(cells);
    }
    table
}

/// How many errors cargo reported in `log` ("?" when it cannot be told).
pub fn error_count(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    // "error: could not compile `x` (lib) due to 48 previous errors"
    let summary = text.lines().rev().find_map(|line| {
        let (_, rest) = line.split_once("due to ")?;
        rest.split_whitespace().next()?.parse::<usize>().ok()
    });
    let counted = text
        .lines()
        .filter(|l| {
            l.starts_with("error[")
                || (l.starts_with("error: ") && !l.contains("could not compile"))
        })
        .count();
    match (summary, counted) {
        (Some(n), _) => n.to_string(),
        (None, 0) => "?".to_owned(),
        (None, n) => n.to_string(),
    }
}
