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
use crate::{Error, ErrorKind, Micros, Outcome, Rows};

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
    let header: Vec<String> = rows.columns.iter().map(|c| c.name.clone()).collect();
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

/// Replays the statements of `fixture` against `backend` and returns the transcript.
pub fn run_fixture(backend: &mut dyn Backend, fixture: &str) -> String {
    let mut out = String::new();
    let mut now = FIXTURE_EPOCH;
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
        let shown = format_result(&result);
        if !shown.is_empty() {
            out.push_str(&shown);
            // A blank line keeps results apart from the next statement.
            out.push('\n');
        }
    }
    out
}
