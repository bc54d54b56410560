//! Running CQL in the tab's own engine and turning the outcome into something to show.

use cqlfiddle_engine::{
    Micros, Outcome, SchemaChange, SchemaChangeKind, SchemaTarget, Session, Value,
    types::fmt_display,
};

/// The statement the page runs on load: the smallest proof the engine works.
pub const SAMPLE_QUERY: &str = "SELECT release_version FROM system.local;";

/// A result set as text, ready for a `<table>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultTable {
    /// Column headers, in result order.
    pub columns: Vec<String>,
    /// Each row's cells, in column order.
    pub rows: Vec<Vec<Cell>>,
}

/// One table cell: null is shown differently from an empty string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// A value, as cqlsh would print it.
    Value(String),
    /// A null cell.
    Null,
}

/// What running a statement leaves on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SandboxResult {
    /// Rows to tabulate.
    Table(ResultTable),
    /// A statement that returned no rows, with a short confirmation.
    Done(String),
    /// The engine refused the statement.
    Failed {
        /// The kind of error, as Cassandra names it (e.g. `syntax error`).
        kind: String,
        /// The engine's message.
        message: String,
    },
}

/// Runs `cql` in `session` at `now` and describes the outcome.
pub fn run(session: &mut Session, cql: &str, now: Micros) -> SandboxResult {
    match session.execute(cql, now) {
        Ok(outcome) => describe(outcome),
        Err(err) => {
            SandboxResult::Failed { kind: err.kind().to_string(), message: err.to_string() }
        }
    }
}

/// The on-screen form of an engine outcome.
pub fn describe(outcome: Outcome) -> SandboxResult {
    match outcome {
        Outcome::Void => SandboxResult::Done("Done.".into()),
        Outcome::SetKeyspace(keyspace) => {
            SandboxResult::Done(format!("Now using keyspace {keyspace}."))
        }
        Outcome::SchemaChange(change) => SandboxResult::Done(schema_change_text(&change)),
        Outcome::Rows(rows) => SandboxResult::Table(ResultTable {
            columns: rows.columns.iter().map(|column| column.name.to_string()).collect(),
            rows: rows.rows.into_iter().map(|row| row.into_iter().map(cell).collect()).collect(),
        }),
    }
}

fn cell(value: Option<Value>) -> Cell {
    value.map_or(Cell::Null, |value| Cell::Value(fmt_display(&value)))
}

fn schema_change_text(change: &SchemaChange) -> String {
    let verb = match change.change {
        SchemaChangeKind::Created => "Created",
        SchemaChangeKind::Updated => "Altered",
        SchemaChangeKind::Dropped => "Dropped",
    };
    let (noun, name) = match (change.target, &change.name) {
        (SchemaTarget::Keyspace, _) | (_, None) => ("keyspace", change.keyspace.clone()),
        (SchemaTarget::Table, Some(name)) => ("table", format!("{}.{name}", change.keyspace)),
        (SchemaTarget::Type, Some(name)) => ("type", format!("{}.{name}", change.keyspace)),
    };
    format!("{verb} {noun} {name}.")
}

#[cfg(test)]
mod tests;
