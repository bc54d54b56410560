//! The one engine behind every request.

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use cqlfiddle_engine::types::{CqlType, Value};
use cqlfiddle_engine::{Engine, Error, Micros, Options, Outcome};

/// The shared database. Every statement runs under one lock, so parallel requests see
/// the writes of earlier ones and none is lost.
#[derive(Debug, Clone, Default)]
pub struct Db {
    engine: Arc<Mutex<Engine>>,
}

/// A result set in the encoders' terms: column names and types, rows of cells.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultSet {
    /// `(name, type)` of each column, in result-set order.
    pub columns: Vec<(String, CqlType)>,
    /// The rows; `None` is a null cell.
    pub rows: Vec<Vec<Option<Value>>>,
    /// Present when more rows follow.
    pub paging_state: Option<Vec<u8>>,
}

/// What a statement produced, in the encoders' terms.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// No rows (writes, DDL, `USE`).
    Void,
    /// A result set.
    Rows(ResultSet),
}

impl Db {
    /// A database holding only the system keyspaces.
    pub fn new() -> Self {
        Db::default()
    }

    /// Holds the engine for several statements that must see one consistent state.
    pub fn lock(&self) -> MutexGuard<'_, Engine> {
        // A panic while holding the lock cannot leave the engine half-updated in a way
        // that matters more than refusing every later request would.
        self.engine.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Runs one statement at the current time.
    pub fn execute(&self, cql: &str, options: Options) -> Result<Answer, Error> {
        execute(&mut self.lock(), cql, options)
    }
}

/// Runs one statement on a held engine at the current time.
pub fn execute(engine: &mut Engine, cql: &str, options: Options) -> Result<Answer, Error> {
    let options = Options { now: now(), ..options };
    Ok(match engine.execute(cql, &options)? {
        Outcome::Rows(rows) => Answer::Rows(ResultSet {
            columns: rows.columns.into_iter().map(|c| (c.name, c.ty)).collect(),
            rows: rows.rows,
            paging_state: rows.paging_state,
        }),
        _ => Answer::Void,
    })
}

/// The wall clock as the engine wants it.
pub fn now() -> Micros {
    let micros = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_micros());
    Micros(i64::try_from(micros).unwrap_or(i64::MAX))
}
