//! Section `check`: how long `cargo check` of a generated version crate takes, crate only
//! (dependencies built first, untimed, in the benchmark's own target dir; then `touch
//! src/lib.rs` and one timed check with `CARGO_INCREMENTAL=0`). Every upstream version
//! with all its features, and v2024 with only two tags against the whole v2024 crate: the
//! point of one feature per tag is that a user of two tags compiles a small part of it.

use std::path::Path;

use generator::Release;

use super::context::{self, Bench, NO_SHARED};
use super::measure::{self, Measured};
use super::table::{self, Align, Table, MEASURED_COLUMNS};
use super::Section;
use crate::Failure;

pub const SECTION: Section = Section {
    name: "check",
    about: "crate-only cargo check of each upstream version crate; v2024 with two tags",
    run,
};

/// The version and tags of the partial check.
const PARTIAL_VERSION: &str = "v2024";
const PARTIAL_FEATURES: &str = "identities,search";
/// What the partial check should cost at most, as a share of the whole crate's.
const PARTIAL_TARGET: f64 = 0.15;

/// One timed check.
struct Checked {
    krate: String,
    features: String,
    measured: Measured,
}

fn run(bench: &mut Bench) -> Result<String, Failure> {
    let Some(specs) = bench.specs.clone() else {
        return Ok(format!("{NO_SHARED}\n"));
    };
    let set = bench.standalone_set()?;
    let release = Release::standalone(&bench.root)?;
    let mut checked = Vec::new();
    for version in generator::choose_versions(&specs, &[])? {
        let krate = release.version_crate(&version);
        let dir = set.join(&krate);
        prebuild_dependencies(bench, &krate, &dir)?;
        checked.push(timed_check(bench, &krate, &dir, &["--all-features"])?);
        if version == PARTIAL_VERSION {
            checked.push(timed_check(
                bench,
                &krate,
                &dir,
                &["--no-default-features", "--features", PARTIAL_FEATURES],
            )?);
        }
    }
    let mut text = check_table(&checked).to_markdown();
    text.push('\n');
    text.push_str(&partial_ratio(&checked, &release.version_crate(PARTIAL_VERSION)));
    text.push_str(
        "- Each row: `cargo check --manifest-path <set>/<crate>/Cargo.toml <features>` of the \
         standalone set that `regenerate --specs <upstream> --out target/bench/work/set` \
         writes, dependencies built first (untimed: the crate with no features) in \
         `target/bench/target`, then `touch src/lib.rs` and one timed run with \
         `CARGO_INCREMENTAL=0`, so the whole crate is checked again. CPU is user + system of \
         cargo and rustc; peak RSS is rustc's.\n",
    );
    Ok(text)
}

/// Builds the crate's dependencies (untimed) by checking it with no features: the tags
/// change no dependency's features, so the timed checks reuse them all.
fn prebuild_dependencies(bench: &Bench, krate: &str, dir: &Path) -> Result<(), Failure> {
    bench.progress(&format!(
        "{krate}: cargo check --no-default-features (untimed, builds dependencies)"
    ));
    let mut command = bench.cargo(["check", "--no-default-features", "--manifest-path"]);
    command.arg(dir.join("Cargo.toml"));
    let measured = measure::timed(command, &bench.log(&format!("check-{krate}-deps")))?;
    if !measured.ok {
        bench.progress(&format!(
            "{krate}: the untimed check failed, see {}",
            measured.log.display()
        ));
    }
    Ok(())
}

/// `touch src/lib.rs`, then one timed `cargo check <features>` of the crate.
fn timed_check(
    bench: &Bench,
    krate: &str,
    dir: &Path,
    features: &[&str],
) -> Result<Checked, Failure> {
    context::touch(&dir.join("src/lib.rs"))?;
    let shown = features.join(" ");
    bench.progress(&format!("{krate}: cargo check {shown} (timed)"));
    let mut command = bench.cargo(["check", "--manifest-path"]);
    command.arg(dir.join("Cargo.toml")).args(features);
    let label = features.last().map_or(String::new(), |f| {
        f.trim_start_matches('-').replace(',', "+")
    });
    let name = format!("check-{krate}-{label}");
    let measured = measure::timed(command, &bench.log(&name))?;
    Ok(Checked {
        krate: krate.to_owned(),
        features: shown,
        measured,
    })
}

fn check_table(checked: &[Checked]) -> Table {
    let mut columns = vec![
        ("Crate", Align::Left),
        ("Features", Align::Left),
        ("Result", Align::Left),
    ];
    columns.extend(MEASURED_COLUMNS);
    let mut table = Table::new(&columns);
    for c in checked {
        let result = if c.measured.ok {
            "ok".to_owned()
        } else {
            format!(
                "failed: {} errors",
                super::openapi_generator::error_count(&c.measured.log)
            )
        };
        let mut cells = vec![c.krate.clone(), format!("`{}`", c.features), result];
        cells.extend(table::measured_cells(&c.measured));
        table.row(cells);
    }
    table
}

/// The partial check as a share of the whole crate's, in CPU and wall time.
fn partial_ratio(checked: &[Checked], krate: &str) -> String {
    let of = |partial: bool| {
        checked
            .iter()
            .find(|c| c.krate == krate && c.features.contains(PARTIAL_FEATURES) == partial)
            .filter(|c| c.measured.ok)
            .map(|c| &c.measured)
    };
    let (Some(part), Some(whole)) = (of(true), of(false)) else {
        return format!(
            "- {krate} with `{PARTIAL_FEATURES}` against the whole crate: not measured (no such \
             crate, or a check failed).\n"
        );
    };
    let share = |p: f64, w: f64| {
        if w > 0.0 {
            format!("{:.0}%", 100.0 * p / w)
        } else {
            "n/a".to_owned()
        }
    };
    let cpu = share(part.cpu(), whole.cpu());
    let met = if whole.cpu() > 0.0 && part.cpu() / whole.cpu() <= PARTIAL_TARGET {
        "met"
    } else {
        "not met"
    };
    format!(
        "- **{krate} with only `{PARTIAL_FEATURES}`: {cpu} of the whole crate's CPU time** \
         ({} s against {} s), {} of its wall time ({} s against {} s). Target: at most {:.0}% \
         ({met} by CPU).\n",
        table::secs(part.cpu()),
        table::secs(whole.cpu()),
        share(part.wall, whole.wall),
        table::secs(part.wall),
        table::secs(whole.wall),
        PARTIAL_TARGET * 100.0,
    )
}
