//! `cargo xtask bench`: benchmarks that print figures and assert nothing.
//!
//! Each section is one file here, named once in the `sections!` line below: its file
//! holds a `SECTION` (name, one-line help, run function) whose run returns the section's
//! Markdown. The report (machine facts, load average before and after, every section) goes
//! to stdout and to `target/bench/last-run.md`; progress goes to stderr and each command's
//! output to `target/bench/logs/`. A section that fails is reported as failed and the
//! others still run; the command then exits with status 1.

mod context;
mod machine;
mod measure;
mod openapi_generator;
mod table;

use std::path::PathBuf;

use clap::builder::{PossibleValue, PossibleValuesParser};

use crate::Failure;
pub use context::Bench;

/// Declares the section modules and lists them, in the order they run.
macro_rules! sections {
    ($($name:ident),* $(,)?) => {
        $(mod $name;)*
        const SECTIONS: &[Section] = &[$($name::SECTION),*];
    };
}
sections!(generate, check, resources, diff, scaling);

/// One benchmark section.
pub struct Section {
    pub name: &'static str,
    /// One line, for `--help`.
    pub about: &'static str,
    /// Measures and returns the section's Markdown (tables and notes, or why it was
    /// skipped).
    pub run: fn(&mut Bench) -> Result<String, Failure>,
}

/// Benchmarks the generator and the generated crates; prints Markdown tables.
#[derive(clap::Args)]
pub struct Args {
    /// Sections to run [default: every section; those that need ../shared are skipped
    /// when it is absent]
    #[arg(value_name = "SECTION", value_parser = section_names())]
    sections: Vec<String>,
    /// Runs of each measured command; the median is reported
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u16).range(1..))]
    runs: u16,
    /// Upstream specs folder [default: ../shared/api-specs/idn]
    #[arg(long, value_name = "DIR")]
    specs: Option<PathBuf>,
    /// Also measure openapi-generator's `rust` generator (a venv under target/bench/venv;
    /// needs Java)
    #[arg(long)]
    with_openapi_generator: bool,
    /// Internal: time load + model of the specs in DIR in this process (the scaling
    /// section runs one such child per measurement)
    #[arg(long, value_name = "DIR", hide = true)]
    scaling_child: Option<PathBuf>,
}

fn section_names() -> PossibleValuesParser {
    PossibleValuesParser::new(
        SECTIONS
            .iter()
            .map(|s| PossibleValue::new(s.name).help(s.about)),
    )
}

pub fn run(args: &Args) -> Result<(), Failure> {
    if let Some(dir) = &args.scaling_child {
        return scaling::child(dir);
    }
    let mut bench = Bench::new(
        usize::from(args.runs),
        args.specs.clone(),
        args.with_openapi_generator,
    )?;
    let load_before = machine::load_average();
    let mut failed = Vec::new();
    let mut sections = String::new();
    for section in SECTIONS
        .iter()
        .filter(|s| args.sections.is_empty() || args.sections.iter().any(|n| n == s.name))
    {
        bench.progress(&format!("section {}", section.name));
        let text = (section.run)(&mut bench).unwrap_or_else(|failure| {
            failed.push(section.name);
            format!("{}\n", failure.message)
        });
        sections.push_str(&format!("\n## {}\n\n{text}", section.name));
    }
    bench.clean_up();
    let report = format!(
        "# cargo xtask bench ({} run{} each, median)\n\n{}- Load average (1 / 5 / 15 min): {} before, {} after\n{sections}",
        bench.runs,
        if bench.runs == 1 { "" } else { "s" },
        machine::facts(&bench.root),
        machine::load_text(load_before),
        machine::load_text(machine::load_average()),
    );
    print!("{report}");
    let copy = bench.dir.join("last-run.md");
    std::fs::write(&copy, &report).map_err(|e| Failure::new(format!("{}: {e}", copy.display())))?;
    if failed.is_empty() {
        Ok(())
    } else {
        Err(Failure::new(format!(
            "section(s) failed: {} (logs in {})",
            failed.join(", "),
            bench.logs.display()
        )))
    }
}
