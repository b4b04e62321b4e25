//! Markdown tables, the way every section prints its figures, and the number formats
//! they use.

use super::measure::Measured;

/// How a column's cells line up.
#[derive(Clone, Copy)]
pub enum Align {
    Left,
    Right,
}

/// A Markdown table whose columns are padded, so it reads in a terminal too.
pub struct Table {
    columns: Vec<(String, Align)>,
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new(columns: &[(&str, Align)]) -> Self {
        Table {
            columns: columns
                .iter()
                .map(|(name, align)| ((*name).to_owned(), *align))
                .collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells are empty, extra ones are dropped.
    pub fn row(&mut self, cells: Vec<String>) {
        let mut cells = cells;
        cells.resize(self.columns.len(), String::new());
        self.rows.push(cells);
    }

    pub fn to_markdown(&self) -> String {
        let widths: Vec<usize> = self
            .columns
            .iter()
            .enumerate()
            .map(|(i, (name, _))| {
                self.rows
                    .iter()
                    .filter_map(|row| row.get(i))
                    .map(|cell| cell.chars().count())
                    .chain([name.chars().count(), 3])
                    .max()
                    .unwrap_or(3)
            })
            .collect();
        let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
        let mut out = line(
            self.columns
                .iter()
                .zip(&widths)
                .map(|((name, align), width)| pad(name, *width, *align))
                .collect(),
        );
        out.push_str(&line(
            self.columns
                .iter()
                .zip(&widths)
                .map(|((_, align), width)| rule(*width, *align))
                .collect(),
        ));
        for row in &self.rows {
            out.push_str(&line(
                row.iter()
                    .zip(&self.columns)
                    .zip(&widths)
                    .map(|((cell, (_, align)), width)| pad(cell, *width, *align))
                    .collect(),
            ));
        }
        out
    }
}

fn pad(text: &str, width: usize, align: Align) -> String {
    match align {
        Align::Left => format!("{text:<width$}"),
        Align::Right => format!("{text:>width$}"),
    }
}

fn rule(width: usize, align: Align) -> String {
    match align {
        Align::Left => "-".repeat(width),
        Align::Right => format!("{}:", "-".repeat(width.saturating_sub(1))),
    }
}

/// Seconds with two decimals.
pub fn secs(seconds: f64) -> String {
    format!("{seconds:.2}")
}

/// KiB as whole MiB, or "n/a".
pub fn mib(kib: Option<u64>) -> String {
    kib.map_or_else(|| "n/a".to_owned(), |k| format!("{:.0}", k as f64 / 1024.0))
}

/// A count with thousands separators.
pub fn int(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A load average figure, or "n/a".
pub fn load(load: Option<f64>) -> String {
    load.map_or_else(|| "n/a".to_owned(), |l| format!("{l:.2}"))
}

/// The usual cells of a measured command: wall (s), CPU user+sys (s), peak RSS (MiB),
/// one-minute load at the start.
pub fn measured_cells(m: &Measured) -> [String; 4] {
    [
        secs(m.wall),
        secs(m.cpu()),
        mib(m.peak_rss_kib),
        load(m.load),
    ]
}

/// The column headers that go with [`measured_cells`].
pub const MEASURED_COLUMNS: [(&str, Align); 4] = [
    ("Wall (s)", Align::Right),
    ("CPU user+sys (s)", Align::Right),
    ("Peak RSS (MiB)", Align::Right),
    ("Load 1 min", Align::Right),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_separators() {
        assert_eq!(int(0), "0");
        assert_eq!(int(999), "999");
        assert_eq!(int(1_000), "1,000");
        assert_eq!(int(1_234_567), "1,234,567");
    }

    #[test]
    fn padded_markdown() {
        let mut table = Table::new(&[("A", Align::Left), ("Number", Align::Right)]);
        table.row(vec!["x".to_owned(), "1.5".to_owned()]);
        assert_eq!(
            table.to_markdown(),
            "| A   | Number |\n| --- | -----: |\n| x   |    1.5 |\n"
        );
    }
}
