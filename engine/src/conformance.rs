//! The conformance fixture format and its runner, shared by every backend (the engine
//! natively, compiled to wasm, and the emulator over HTTP).
//!
//! A fixture is a transcript. A line starting with `> ` begins a statement, which runs
//! until a line ending in `;`. The lines after it, up to the next statement, are what
//! Cassandra's cqlsh prints: nothing for most writes and DDL, a result table, or an
//! error as `<Kind>: <message>`. Lines starting with `-- ` are comments and are kept;
//! `-- @advance <seconds>` moves the clock forward (for TTLs).
//! [`run_fixture`] replays a fixture's statements and returns the transcript the backend
//! produced, which the caller compares with (or writes over) the file.

use crate::types::fmt_display;
use crate::{Error, ErrorKind, Micros, Outcome, Rows, Value};

/// Something that runs CQL statements: the engine, or a server speaking for it.
pub trait Backend {
    /// Runs one statement at time `now`, in the backend's current keyspace.
    fn execute(&mut self, cql: &str, now: Micros) -> Result<Outcome, Error>;
}

impl Backend for crate::Session {
    fn execute(&mut self, cql: &str, now: Micros) -> Result<Outcome, Error> {
        crate::Session::execute(self, cql, now)
    }
}

/// The clock fixtures start at: 2024-01-01T00:00:00Z.
pub const FIXTURE_EPOCH: Micros = Micros(1_704_067_200_000_000);

/// How cqlsh names an error class.
pub fn error_label(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Syntax => "SyntaxException",
        ErrorKind::Invalid => "InvalidRequest",
        ErrorKind::AlreadyExists => "AlreadyExists",
        ErrorKind::Unauthorized => "Unauthorized",
        ErrorKind::Unsupported => "Unsupported",
        ErrorKind::LimitExceeded => "LimitExceeded",
    }
}

/// Formats a result set as cqlsh does: left-justified headers, right-justified values,
/// then the row count.
pub fn format_rows(rows: &Rows) -> String {
    let header: Vec<String> = rows.columns.iter().map(|c| c.name.to_string()).collect();
    let cells: Vec<Vec<String>> = rows
        .rows
        .iter()
        .map(|r| {
            r.iter().map(|v| v.as_ref().map_or_else(|| "null".to_string(), fmt_display)).collect()
        })
        .collect();
    let width = |i: usize| {
        let h = header.get(i).map_or(0, |h| h.chars().count());
        cells.iter().filter_map(|r| r.get(i)).map(|c| c.chars().count()).fold(h, usize::max)
    };
    let widths: Vec<usize> = (0..header.len()).map(width).collect();
    let mut out = String::new();
    let head: Vec<String> = header.iter().zip(&widths).map(|(h, w)| format!("{h:<w$}")).collect();
    out.push(' ');
    out.push_str(head.join(" | ").trim_end());
    out.push('\n');
    let dashes: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push('-');
    out.push_str(&dashes.join("-+-"));
    out.push_str("-\n");
    for r in &cells {
        let line: Vec<String> = r.iter().zip(&widths).map(|(c, w)| format!("{c:>w$}")).collect();
        out.push(' ');
        out.push_str(&line.join(" | "));
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&format!("({} rows)\n", rows.rows.len()));
    out
}

/// What a fixture shows for a statement's outcome.
pub fn format_result(result: &Result<Outcome, Error>) -> String {
    match result {
        Ok(Outcome::Rows(rows)) => format_rows(rows),
        Ok(_) => String::new(),
        Err(e) => format!("{}: {}\n", error_label(e.kind()), e.message()),
    }
}

/// What cqlsh prints for a `DESCRIBE` result, which it shows as CQL text and name
/// lists rather than as a table; `None` for any other result. `keyspace` is the
/// session's keyspace, without which cqlsh heads each keyspace's names with its own.
pub fn format_describe(rows: &Rows, keyspace: Option<&str>) -> Option<String> {
    let first = rows.columns.first()?;
    if first.keyspace != "system" || first.table != "describe" {
        return None;
    }
    let column = |name: &str| rows.columns.iter().position(|c| c.name == name);
    let text = |row: &[Option<Value>], i: Option<usize>| -> String {
        i.and_then(|i| row.get(i)).and_then(Option::as_ref).map_or_else(String::new, |v| match v {
            Value::Text(s) => s.to_string(),
            other => fmt_display(other),
        })
    };
    let mut out = String::new();
    if let Some(create) = column("create_statement") {
        for row in &rows.rows {
            out.push('\n');
            out.push_str(&text(row, Some(create)));
            out.push('\n');
        }
        return Some(out);
    }
    if column("cluster").is_some() {
        for row in &rows.rows {
            out.push_str(&format!("\nCluster: {}\n", text(row, column("cluster"))));
            out.push_str(&format!("Partitioner: {}\n", text(row, column("partitioner"))));
            out.push_str(&format!("Snitch: {}\n\n", text(row, column("snitch"))));
            let ownership =
                column("range_ownership").and_then(|i| row.get(i)).and_then(Option::as_ref);
            if let Some(Value::Map(entries)) = ownership {
                out.push_str("Range ownership:\n");
                for (range, hosts) in entries {
                    let hosts = match hosts {
                        Value::List(hs) => hs.iter().map(fmt_plain).collect::<Vec<_>>().join(", "),
                        other => fmt_plain(other),
                    };
                    out.push_str(&format!(" {:>39}  [{hosts}]\n", fmt_plain(range)));
                }
                out.push('\n');
            }
        }
        return Some(out);
    }
    let (ks_col, type_col, name_col) = (column("keyspace_name"), column("type"), column("name"));
    let names_of = |rows: &[&Vec<Option<Value>>]| -> Vec<String> {
        rows.iter().map(|r| text(r, name_col)).collect()
    };
    if rows.rows.iter().all(|r| text(r, type_col) == "keyspace") && !rows.rows.is_empty() {
        let all: Vec<&Vec<Option<Value>>> = rows.rows.iter().collect();
        out.push('\n');
        out.push_str(&columnize(&names_of(&all)));
        out.push('\n');
        return Some(out);
    }
    let mut groups: Vec<(String, Vec<&Vec<Option<Value>>>)> = Vec::new();
    for row in &rows.rows {
        let ks = text(row, ks_col);
        match groups.last_mut() {
            Some((last, members)) if *last == ks => members.push(row),
            _ => groups.push((ks, vec![row])),
        }
    }
    for (ks, members) in &groups {
        out.push('\n');
        if keyspace.is_none() {
            out.push_str(&format!("Keyspace {ks}\n---------{}\n", "-".repeat(ks.chars().count())));
        }
        out.push_str(&columnize(&names_of(members)));
    }
    if !groups.is_empty() {
        out.push('\n');
    }
    Some(out)
}

fn fmt_plain(v: &Value) -> String {
    match v {
        Value::Text(s) => s.to_string(),
        other => fmt_display(other),
    }
}

/// Python's `cmd.Cmd.columnize` at its default width of 80, which cqlsh uses to list
/// names: the fewest rows whose columns, two spaces apart, fit the width.
pub fn columnize(names: &[String]) -> String {
    const WIDTH: usize = 80;
    let len = |s: &String| s.chars().count();
    match names {
        [] => return "<empty>\n".to_string(),
        [one] => return format!("{one}\n"),
        _ => {}
    }
    let size = names.len();
    let mut layout = None;
    for nrows in 1..size {
        let ncols = size.div_ceil(nrows);
        let mut widths = Vec::new();
        let mut total: isize = -2;
        for col in 0..ncols {
            let width = names.iter().skip(col * nrows).take(nrows).map(len).max().unwrap_or(0);
            widths.push(width);
            total += isize::try_from(width).unwrap_or(isize::MAX) + 2;
            if total > WIDTH as isize {
                break;
            }
        }
        if total <= WIDTH as isize {
            layout = Some((nrows, ncols, widths));
            break;
        }
    }
    let (nrows, ncols, widths) = layout.unwrap_or((size, 1, vec![0]));
    let mut out = String::new();
    for row in 0..nrows {
        let mut texts: Vec<String> = (0..ncols)
            .map(|col| names.get(row + nrows * col).cloned().unwrap_or_default())
            .collect();
        while texts.last().is_some_and(String::is_empty) {
            texts.pop();
        }
        let padded: Vec<String> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| format!("{t:<w$}", w = widths.get(i).copied().unwrap_or(0)))
            .collect();
        out.push_str(&padded.join("  "));
        out.push('\n');
    }
    out
}

/// Replays the statements of `fixture` against `backend` and returns the transcript.
pub fn run_fixture(backend: &mut dyn Backend, fixture: &str) -> String {
    let mut out = String::new();
    let mut now = FIXTURE_EPOCH;
    let mut keyspace: Option<String> = None;
    let mut lines = fixture.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("-- @advance ") {
            if let Ok(secs) = rest.trim().trim_end_matches('s').parse::<i64>() {
                now = Micros(now.0.saturating_add(secs.saturating_mul(1_000_000)));
            }
            out.push_str(line);
            out.push('\n');
            continue;
        }
        // Result separators start with dashes too, but never with "-- ".
        if line.starts_with("-- ") || line == "--" {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let Some(first) = line.strip_prefix("> ") else {
            // Expected output of the previous statement: regenerated, so skipped.
            continue;
        };
        let mut stmt = first.to_string();
        out.push_str(line);
        out.push('\n');
        while !stmt.trim_end().ends_with(';') {
            let Some(next) = lines.next_if(|l| !l.starts_with("> ")) else { break };
            stmt.push('\n');
            stmt.push_str(next);
            out.push_str(next);
            out.push('\n');
        }
        // Each statement runs a millisecond after the previous one.
        now = Micros(now.0.saturating_add(1000));
        let result = backend.execute(&stmt, now);
        if let Ok(Outcome::SetKeyspace(ks)) = &result {
            keyspace = Some(ks.clone());
        }
        let shown = match &result {
            Ok(Outcome::Rows(rows)) => {
                format_describe(rows, keyspace.as_deref()).unwrap_or_else(|| format_result(&result))
            }
            _ => format_result(&result),
        };
        if !shown.is_empty() {
            out.push_str(&shown);
            // A blank line keeps results apart from the next statement.
            out.push('\n');
        }
    }
    out
}

/// Where a transcript `actual` first departs from the `expected` one of fixture `name`,
/// with the lines of `actual` around it; `None` when they are equal.
pub fn first_difference(name: &str, expected: &str, actual: &str) -> Option<String> {
    if expected == actual {
        return None;
    }
    let line = expected
        .lines()
        .zip(actual.lines())
        .position(|(e, a)| e != a)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    let around: Vec<&str> = actual.lines().skip(line.saturating_sub(3)).take(12).collect();
    Some(format!(
        "{name}: differs from line {}\n--- expected line: {:?}\n--- actual around it:\n{}",
        line + 1,
        expected.lines().nth(line).unwrap_or("<end of file>"),
        around.join("\n")
    ))
}
