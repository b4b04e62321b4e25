//! Section `resources`: SailPoint's per-resource specs (`idn/apis/<resource>/openapi.yaml`
//! beside `shared/`). Generating every resource against generating the three versions
//! (wall, CPU, peak RSS), and what a user of one resource compiles: `cargo check` of the
//! facade with only that resource's feature against all of them, each from a target dir
//! where only the runtime and the external dependencies are built.

use std::path::{Path, PathBuf};

use super::context::{Bench, NO_SHARED};
use super::measure::{self, Measured};
use super::table::{self, Align, Table, MEASURED_COLUMNS};
use super::Section;
use crate::Failure;

pub const SECTION: Section = Section {
    name: "resources",
    about: "generate all upstream resources beside the three versions; check one resource vs all",
    run,
};

/// The resource of the one-resource check.
const ONE_RESOURCE: &str = "accounts";

struct Row {
    what: String,
    measured: Measured,
}

fn run(bench: &mut Bench) -> Result<String, Failure> {
    let (Some(resources), Some(versions)) = (bench.resources.clone(), bench.specs.clone()) else {
        return Ok(format!("{NO_SHARED}\n"));
    };
    let count = generator::load::discover(&resources)
        .map_err(generator::Error::from)?
        .names
        .len();
    let generated = vec![
        generate(bench, &resources, &format!("{count} resources"), "resources")?,
        generate(bench, &versions, "3 versions", "versions")?,
    ];
    let set = resource_set(bench, &resources)?;
    let checked = vec![
        check(bench, &set, ONE_RESOURCE, &["--no-default-features", "--features", ONE_RESOURCE])?,
        check(bench, &set, "all", &[])?,
    ];
    let mut text = table_of("Generated", &generated).to_markdown();
    text.push_str(&format!(
        "\n- `xtask regenerate --quiet --specs <folder> --out <fresh dir>`, median of {} run(s).\n\n",
        bench.runs
    ));
    text.push_str(&table_of("`cargo check` of the facade", &checked).to_markdown());
    text.push_str(&share_line(&checked));
    text.push_str(
        "- Each check: `cargo check --manifest-path <set>/sailpoint-isc/Cargo.toml <features>` \
         in a target dir of its own where the runtime and the external dependencies were \
         built first (untimed), so the row is the generated crates only: the shared crate, \
         the resource crate(s) and the facade.\n",
    );
    Ok(text)
}

/// Median of the runs of one generation into a fresh folder.
fn generate(bench: &Bench, specs: &Path, what: &str, label: &str) -> Result<Row, Failure> {
    let measured = measure::median_of_runs(bench.runs, |run| {
        bench.progress(&format!("regenerate {what}: run {run}/{}", bench.runs));
        let out = bench.fresh(&format!("resources-gen-{label}"))?;
        let mut command = bench.xtask(["regenerate", "--quiet", "--specs"]);
        command.arg(specs).arg("--out").arg(&out);
        measure::timed(command, &bench.log(&format!("resources-gen-{label}-{run}")))
    })?;
    Ok(Row {
        what: what.to_owned(),
        measured,
    })
}

/// The standalone set of every resource (untimed), with the workspace's `Cargo.lock`.
fn resource_set(bench: &Bench, resources: &Path) -> Result<PathBuf, Failure> {
    let set = bench.fresh("resources-set")?;
    bench.progress("regenerate the resources as a standalone set (untimed)");
    let mut command = bench.xtask(["regenerate", "--quiet", "--specs"]);
    command.arg(resources).arg("--out").arg(&set);
    ok(measure::timed(command, &bench.log("resources-set"))?, "regenerating the resources")?;
    let lock = bench.root.join("Cargo.lock");
    std::fs::copy(&lock, set.join("Cargo.lock"))
        .map_err(|e| Failure::new(format!("{}: {e}", lock.display())))?;
    Ok(set)
}

/// One timed check of the facade with `features`, in a target dir of its own whose
/// dependencies are built first.
fn check(bench: &Bench, set: &Path, label: &str, features: &[&str]) -> Result<Row, Failure> {
    let target = bench.fresh(&format!("resources-target-{label}"))?;
    bench.progress(&format!("{label}: build the dependencies (untimed)"));
    let mut deps = bench.cargo(["check", "--manifest-path"]);
    deps.arg(set.join("sailpoint-isc-runtime/Cargo.toml"))
        .env("CARGO_TARGET_DIR", &target);
    ok(
        measure::timed(deps, &bench.log(&format!("resources-deps-{label}")))?,
        "building the runtime",
    )?;
    bench.progress(&format!("{label}: cargo check (timed)"));
    let mut command = bench.cargo(["check", "--manifest-path"]);
    command
        .arg(set.join("sailpoint-isc/Cargo.toml"))
        .args(features)
        .env("CARGO_TARGET_DIR", &target);
    let measured = measure::timed(command, &bench.log(&format!("resources-check-{label}")))?;
    super::context::remove(&target)?;
    Ok(Row {
        what: if features.is_empty() {
            "every resource (default features)".to_owned()
        } else {
            format!("`{}`", features.join(" "))
        },
        measured,
    })
}

fn ok(measured: Measured, what: &str) -> Result<Measured, Failure> {
    if measured.ok {
        Ok(measured)
    } else {
        Err(Failure::new(format!(
            "{what} failed, see {}",
            measured.log.display()
        )))
    }
}

fn table_of(first: &str, rows: &[Row]) -> Table {
    let mut columns = vec![(first, Align::Left)];
    columns.extend(MEASURED_COLUMNS);
    let mut table = Table::new(&columns);
    for row in rows {
        let mut cells = vec![row.what.clone()];
        if row.measured.ok {
            cells.extend(table::measured_cells(&row.measured));
        } else {
            cells.push(format!("failed, see {}", row.measured.log.display()));
        }
        table.row(cells);
    }
    table
}

/// The one-resource check as a share of the all-resources one.
fn share_line(checked: &[Row]) -> String {
    match checked {
        [one, all] if one.measured.ok && all.measured.ok && all.measured.cpu() > 0.0 => format!(
            "\n- **`{ONE_RESOURCE}` alone: {:.0}% of the CPU time of every resource** ({} s \
             against {} s; wall {} s against {} s).\n",
            100.0 * one.measured.cpu() / all.measured.cpu(),
            table::secs(one.measured.cpu()),
            table::secs(all.measured.cpu()),
            table::secs(one.measured.wall),
            table::secs(all.measured.wall),
        ),
        _ => "\n- One resource against all: not measured (a check failed).\n".to_owned(),
    }
}
