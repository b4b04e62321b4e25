//! Section `scaling`: how load + model time grows with the input, on synthetic
//! single-file specs (`generator::synthetic`): 500 to 4,000 operations, and a 200,000-key
//! YAML mapping. Targets: doubling the input costs at most 2.2x the time, 4,000 operations
//! take at most 2 s, the mapping at most 1 s.
//!
//! Each measurement runs in a child xtask process (`bench --scaling-child DIR`) that times
//! `generator::build_models` around the call (wall, and the process's CPU) and gives up
//! after [`CPU_BUDGET`] of CPU (or [`WALL_BUDGET`]), so a quadratic loader costs minutes,
//! not hours, and leaves no busy thread behind to slow the measurements after it.
//!
//! The targets are judged on CPU time: loading and modeling one version is
//! single-threaded, so its CPU time is what the wall time would be on an idle machine,
//! while the wall time on a shared machine grows with the other work on it.

use std::fs;
use std::path::Path;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use super::context::Bench;
use super::measure::{self, Measured};
use super::table::{self, Align, Table};
use super::Section;
use crate::Failure;

pub const SECTION: Section = Section {
    name: "scaling",
    about: "load + model time of synthetic specs of growing size (no ../shared needed)",
    run,
};

const OPERATIONS: [usize; 4] = [500, 1_000, 2_000, 4_000];
const MAPPING_KEYS: usize = 200_000;
/// A child gives up after this much CPU time...
const CPU_BUDGET: f64 = 120.0;
/// ...or this much wall time.
const WALL_BUDGET: Duration = Duration::from_secs(600);
/// How often the child looks at the clocks.
const POLL: Duration = Duration::from_millis(100);
/// The version name of the synthetic spec (its root file is `sailpoint-api.<it>.yaml`).
const VERSION: &str = "synthetic";
/// What the child prints first on the line with its figures.
const FIGURES: &str = "load+model";

/// Targets: per doubling, for 4,000 operations, for the mapping.
const DOUBLING_TARGET: f64 = 2.2;
const OPERATIONS_TARGET_S: f64 = 2.0;
const MAPPING_TARGET_S: f64 = 1.0;

/// One synthetic spec.
#[derive(Clone, Copy)]
enum Case {
    Operations(usize),
    Mapping(usize),
}

/// What happened to a case.
enum Outcome {
    /// Measured; the model's operation and type counts.
    Done {
        measured: Measured,
        operations: usize,
        types: usize,
    },
    OverBudget,
    Failed(Measured),
    /// Not run: a smaller size was over the budget.
    Skipped,
}

struct Row {
    case: Case,
    input_bytes: usize,
    outcome: Outcome,
}

fn run(bench: &mut Bench) -> Result<String, Failure> {
    let mut rows = Vec::new();
    let mut over_budget = false;
    for operations in OPERATIONS {
        let case = Case::Operations(operations);
        let row = if over_budget {
            Row {
                case,
                input_bytes: spec(case).len(),
                outcome: Outcome::Skipped,
            }
        } else {
            measure_case(bench, case)?
        };
        over_budget |= matches!(row.outcome, Outcome::OverBudget);
        rows.push(row);
    }
    rows.push(measure_case(bench, Case::Mapping(MAPPING_KEYS))?);
    let mut text = table(&rows).to_markdown();
    text.push('\n');
    text.push_str(&targets(&rows));
    text.push_str(&format!(
        "- Each spec is one `sailpoint-api.{VERSION}.yaml` from `generator::synthetic` \
         (`operations_spec`: four operations per resource, five resources per tag, two \
         schemas per resource plus shared ones; `wide_mapping_spec`: an `x-` extension \
         mapping in `info` that the model ignores). Load + model: `generator::build_models` \
         timed around the call in a child xtask process (wall, and the process's user + \
         system CPU), median of {} run(s); peak RSS is the whole child's. A child that has \
         used {CPU_BUDGET:.0} s of CPU ({} s of wall time) without finishing is stopped, and \
         larger sizes are skipped.\n",
        bench.runs,
        WALL_BUDGET.as_secs()
    ));
    Ok(text)
}

/// The spec text of a case.
fn spec(case: Case) -> String {
    match case {
        Case::Operations(n) => generator::synthetic::operations_spec(n),
        Case::Mapping(keys) => generator::synthetic::wide_mapping_spec(keys),
    }
}

fn name(case: Case) -> String {
    match case {
        Case::Operations(n) => format!("{} operations", table::int(n)),
        Case::Mapping(keys) => format!("{}-key mapping", table::int(keys)),
    }
}

/// Writes the case's spec into a temporary folder and measures it `bench.runs` times.
fn measure_case(bench: &Bench, case: Case) -> Result<Row, Failure> {
    let text = spec(case);
    let dir = tempfile::Builder::new()
        .prefix("scaling-")
        .tempdir_in(&bench.work)?;
    fs::write(dir.path().join(format!("sailpoint-api.{VERSION}.yaml")), &text)?;
    let label = name(case);
    let mut counts = (0, 0);
    let measured = measure::median_of_runs(bench.runs, |run| {
        bench.progress(&format!("scaling, {label}: run {run}/{}", bench.runs));
        let mut command = bench.xtask(["bench", "--scaling-child"]);
        command.arg(dir.path());
        let log = bench.log(&format!("scaling-{}-{run}", label.replace([' ', ','], "")));
        let mut measured = measure::timed(command, &log)?;
        if measured.ok {
            let figures = child_figures(&log)?;
            measured.wall = figures.wall;
            measured.user = figures.user;
            measured.sys = figures.sys;
            counts = (figures.operations, figures.types);
        }
        Ok(measured)
    })?;
    let outcome = if measured.ok {
        Outcome::Done {
            measured,
            operations: counts.0,
            types: counts.1,
        }
    } else if fs::read_to_string(&measured.log).is_ok_and(|t| t.contains("did not finish")) {
        Outcome::OverBudget
    } else {
        Outcome::Failed(measured)
    };
    Ok(Row {
        case,
        input_bytes: text.len(),
        outcome,
    })
}

/// What a child measured.
struct ChildFigures {
    wall: f64,
    user: f64,
    sys: f64,
    operations: usize,
    types: usize,
}

/// The figures line of a child's log.
fn child_figures(log: &Path) -> Result<ChildFigures, Failure> {
    let text = fs::read_to_string(log)?;
    let numbers: Option<Vec<f64>> = text
        .lines()
        .find_map(|l| l.strip_prefix(FIGURES))
        .map(|rest| {
            rest.split_whitespace()
                .filter_map(|w| w.parse().ok())
                .collect()
        });
    match numbers.as_deref() {
        Some(&[wall, user, sys, operations, types]) => Ok(ChildFigures {
            wall,
            user,
            sys,
            operations: operations as usize,
            types: types as usize,
        }),
        _ => Err(Failure::new(format!(
            "{}: no `{FIGURES}` line with five figures",
            log.display()
        ))),
    }
}

/// In the child: loads and models the one version in `dir` on a worker thread and prints
/// `load+model <wall> s <user> user <sys> sys <operations> operations <types> types`
/// (seconds); fails when the budget runs out (returning ends the process, the worker
/// with it).
pub fn child(dir: &Path) -> Result<(), Failure> {
    let (sender, receiver) = mpsc::channel();
    let specs = dir.to_path_buf();
    let (user, sys) = measure::own_cpu()?;
    let started = Instant::now();
    thread::spawn(move || {
        let result = generator::build_models(&specs, &[]);
        // The receiver is gone only when the budget ran out; nothing is left to tell.
        let _ = sender.send((started.elapsed(), measure::own_cpu(), result));
    });
    loop {
        match receiver.recv_timeout(POLL) {
            Ok((wall, cpu, Ok(apis))) => {
                let (user_after, sys_after) = cpu?;
                let operations: usize = apis.iter().map(|a| a.operation_count()).sum();
                let types: usize = apis.iter().map(|a| a.types.len()).sum();
                println!(
                    "{FIGURES} {:.6} s {:.6} user {:.6} sys {operations} operations {types} types",
                    wall.as_secs_f64(),
                    user_after - user,
                    sys_after - sys,
                );
                return Ok(());
            }
            Ok((_, _, Err(error))) => return Err(Failure::new(error.to_string())),
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Failure::new("the worker thread died"))
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let (user_now, sys_now) = measure::own_cpu()?;
                if user_now + sys_now - user - sys > CPU_BUDGET || started.elapsed() > WALL_BUDGET {
                    return Err(Failure::new(format!(
                        "load + model did not finish within {CPU_BUDGET:.0} s of CPU ({} s of wall time)",
                        WALL_BUDGET.as_secs()
                    )));
                }
            }
        }
    }
}

fn table(rows: &[Row]) -> Table {
    let mut table = Table::new(&[
        ("Spec", Align::Left),
        ("Input (MiB)", Align::Right),
        ("Operations / types", Align::Right),
        ("Load + model CPU (s)", Align::Right),
        ("Wall (s)", Align::Right),
        ("Peak RSS (MiB)", Align::Right),
        ("Load 1 min", Align::Right),
        ("CPU / previous size", Align::Right),
        ("Wall / previous size", Align::Right),
    ]);
    let mut previous: Option<&Measured> = None;
    for row in rows {
        let mut cells = vec![
            name(row.case),
            format!("{:.1}", row.input_bytes as f64 / 1024.0 / 1024.0),
        ];
        let measured = match &row.outcome {
            Outcome::Done {
                measured,
                operations,
                types,
            } => {
                cells.extend([
                    format!("{} / {}", table::int(*operations), table::int(*types)),
                    table::secs(measured.cpu()),
                    table::secs(measured.wall),
                    table::mib(measured.peak_rss_kib),
                    table::load(measured.load),
                ]);
                if let (Case::Operations(_), Some(p)) = (row.case, previous) {
                    cells.push(times(measured.cpu(), p.cpu()));
                    cells.push(times(measured.wall, p.wall));
                }
                Some(measured)
            }
            Outcome::OverBudget => {
                cells.push(format!(
                    "did not finish within {CPU_BUDGET:.0} s of CPU"
                ));
                None
            }
            Outcome::Failed(measured) => {
                cells.push(format!("failed, see {}", measured.log.display()));
                None
            }
            Outcome::Skipped => {
                cells.push("skipped: a smaller size did not finish".to_owned());
                None
            }
        };
        previous = measured;
        table.row(cells);
    }
    table
}

/// `now / before` as "2.05x".
fn times(now: f64, before: f64) -> String {
    if before > 0.0 {
        format!("{:.2}x", now / before)
    } else {
        "n/a".to_owned()
    }
}

/// The targets, each with its figure (CPU time) and whether it is met.
fn targets(rows: &[Row]) -> String {
    let cpu = |wanted: fn(Case) -> bool| {
        rows.iter()
            .filter(|r| wanted(r.case))
            .map(|r| match &r.outcome {
                Outcome::Done { measured, .. } => Some(measured.cpu()),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let operations = cpu(|c| matches!(c, Case::Operations(_)));
    let worst = if operations.iter().all(Option::is_some) {
        operations
            .windows(2)
            .filter_map(|w| match w {
                [Some(a), Some(b)] if *a > 0.0 => Some(b / a),
                _ => None,
            })
            .reduce(f64::max)
    } else {
        None
    };
    let largest = operations.last().copied().flatten();
    let mapping = cpu(|c| matches!(c, Case::Mapping(_)))
        .first()
        .copied()
        .flatten();
    let verdict = |figure: Option<f64>, limit: f64, unit: &str| match figure {
        Some(f) if f <= limit => format!("{f:.2}{unit}, met"),
        Some(f) => format!("{f:.2}{unit}, not met"),
        None => "not measured (a size did not finish), not met".to_owned(),
    };
    format!(
        "- Targets, judged on CPU time: one version loads and models on one thread, so its \
         CPU time is what an idle machine's wall time would be, while wall time here grows \
         with the other work on the machine.\n\
         \x20 - linear, each doubling at most {DOUBLING_TARGET}x the time: worst doubling {};\n\
         \x20 - {} operations in at most {OPERATIONS_TARGET_S} s: {};\n\
         \x20 - the {}-key mapping in at most {MAPPING_TARGET_S} s: {}.\n",
        verdict(worst, DOUBLING_TARGET, "x"),
        table::int(OPERATIONS[OPERATIONS.len() - 1]),
        verdict(largest, OPERATIONS_TARGET_S, " s"),
        table::int(MAPPING_KEYS),
        verdict(mapping, MAPPING_TARGET_S, " s"),
    )
}
