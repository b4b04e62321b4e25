//! Section `diff`: `cargo xtask diff` between SailPoint's previous and current upstream
//! specs (every version on both sides), against one `regenerate --check` of the current
//! specs: a spec review should cost about what a regeneration does.

use super::context::{self, Bench, NO_SHARED};
use super::measure::{self, Measured};
use super::table::{self, Align, Table, MEASURED_COLUMNS};
use super::Section;
use crate::Failure;

pub const SECTION: Section = Section {
    name: "diff",
    about: "xtask diff of the previous and current upstream specs, beside regenerate --check",
    run,
};

/// The diff should take at most this many times one regeneration.
const TARGET_RATIO: f64 = 2.0;

fn run(bench: &mut Bench) -> Result<String, Failure> {
    let (Some(specs), Some(previous)) = (bench.specs.clone(), bench.previous.clone()) else {
        return Ok(format!("{NO_SHARED}\n"));
    };
    let set = bench.standalone_set()?;
    let diff = measure::median_of_runs(bench.runs, |run| {
        bench.progress(&format!("xtask diff: run {run}/{}", bench.runs));
        let mut command = bench.xtask(["diff", "--old"]);
        command.arg(&previous).arg("--new").arg(&specs);
        measure::timed(command, &bench.log(&format!("diff-{run}")))
    })?;
    let regenerate = measure::median_of_runs(bench.runs, |run| {
        bench.progress(&format!("xtask regenerate --check: run {run}/{}", bench.runs));
        let mut command = bench.xtask(["regenerate", "--check", "--quiet", "--specs"]);
        command.arg(&specs).arg("--out").arg(&set);
        measure::timed(command, &bench.log(&format!("regenerate-check-{run}")))
    })?;
    let mut text = table(&[
        (
            format!(
                "`xtask diff --old {} --new {}`",
                context::shown(&bench.root, &previous),
                context::shown(&bench.root, &specs)
            ),
            &diff,
        ),
        (
            format!(
                "`xtask regenerate --check --specs {}`",
                context::shown(&bench.root, &specs)
            ),
            &regenerate,
        ),
    ])
    .to_markdown();
    text.push('\n');
    text.push_str(&ratio(&diff, &regenerate));
    text.push_str(&format!(
        "- Median of {} run(s). The diff loads and models both sides (every version) and \
         compares them; `regenerate --check` loads, models and renders the current specs and \
         compares the files with a standalone set generated beforehand (untimed), writing \
         nothing.\n",
        bench.runs
    ));
    Ok(text)
}

fn table(rows: &[(String, &Measured)]) -> Table {
    let mut columns = vec![("Command", Align::Left), ("Result", Align::Left)];
    columns.extend(MEASURED_COLUMNS);
    let mut table = Table::new(&columns);
    for (command, measured) in rows {
        let result = if measured.ok {
            "ok".to_owned()
        } else {
            format!("failed, see {}", measured.log.display())
        };
        let mut cells = vec![command.clone(), result];
        cells.extend(table::measured_cells(measured));
        table.row(cells);
    }
    table
}

fn ratio(diff: &Measured, regenerate: &Measured) -> String {
    if !(diff.ok && regenerate.ok) || regenerate.wall <= 0.0 {
        return "- Ratio: not measured (a command failed).\n".to_owned();
    }
    let wall = diff.wall / regenerate.wall;
    let cpu = if regenerate.cpu() > 0.0 {
        format!("{:.2}x", diff.cpu() / regenerate.cpu())
    } else {
        "n/a".to_owned()
    };
    let met = if wall < TARGET_RATIO { "met" } else { "not met" };
    format!(
        "- **diff / regenerate: {wall:.2}x wall**, {cpu} CPU. Target: under {TARGET_RATIO:.0}x \
         ({met}).\n"
    )
}
