//! cqlfiddle's CQL engine: Cassandra's semantics in memory, in a library that does no I/O.
//!
//! The engine never reads a clock or a random source of its own: the caller passes the
//! current time with every statement, so the same code runs in a browser tab, on a server
//! and in deterministic tests.
//!
//! How a statement flows:
//! - `lexer` splits text into tokens with line:column positions; `parser` builds the
//!   [`ast`] (every node prints back as canonical CQL) and words syntax errors as
//!   Cassandra's ANTLR parser does.
//! - `exec` runs statements: `ddl` edits the `schema` catalogue, `dml` plans writes
//!   (with LWT conditions) and applies them atomically, `select` checks Cassandra's
//!   restriction rules and reads, `system` builds `system.local` and `system_schema.*`
//!   from the catalogue, `describe` answers `DESCRIBE` with the CQL that recreates the
//!   schema, `eval` turns terms into [`Value`]s.
//! - `storage` holds the data: partitions by token (hashed, and in Murmur3 token order),
//!   rows in clustering order, cells with timestamps and TTLs, tombstones.
//! - `snapshot` saves and restores the whole database as versioned bytes.
//! - [`types`] is the type system and values; [`conformance`] is the fixture runner that
//!   every backend (native, wasm, HTTP) shares.

pub mod ast;
pub mod conformance;
mod error;
mod exec;
mod lexer;
mod parser;
mod schema;
mod snapshot;
mod storage;
pub mod types;

pub use exec::{Engine, Limits, Prepared};
pub use types::{CqlType, Value};

pub use parser::{parse_script, parse_statement, split_statements};

pub use compact_str::CompactString;
pub use error::{Error, ErrorKind};
use std::sync::Arc;

/// The Cassandra release the engine's behaviour follows, as `system.local` reports it.
pub const RELEASE_VERSION: &str = "5.0.2";

/// Microseconds since the Unix epoch: the engine's only notion of "now".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Micros(pub i64);

/// Per-statement inputs, in the spirit of a driver's statement options.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The keyspace unqualified names resolve in (what `USE` sets).
    pub keyspace: Option<String>,
    /// The largest number of rows a page may hold; `None` returns every row.
    pub page_size: Option<usize>,
    /// The state returned with the previous page of the same statement.
    pub paging_state: Option<Vec<u8>>,
    /// The time the statement runs at.
    pub now: Micros,
}

/// Describes one column of a result set.
///
/// The names are [`CompactString`]s: every result set carries them, and names of up to
/// 24 bytes are kept inline, so describing a result allocates nothing for them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColumnSpec {
    /// The keyspace of the table the column comes from.
    pub keyspace: CompactString,
    /// The table the column comes from.
    pub table: CompactString,
    /// The column's name in the result (its alias if it has one).
    pub name: CompactString,
    /// The column's type.
    pub ty: CqlType,
}

/// Rows returned by a statement, with their column specs in result-set order.
#[derive(Debug, Clone, PartialEq)]
pub struct Rows {
    /// The columns, in the order the row values follow. They are shared: a prepared
    /// statement describes its result once, as a server sends a prepared statement's
    /// result metadata once, and every execution hands out the same description.
    pub columns: Arc<[ColumnSpec]>,
    /// Each row's values; `None` is a null cell.
    pub rows: Vec<Vec<Option<Value>>>,
    /// Present when more rows follow: pass it back to get the next page.
    pub paging_state: Option<Vec<u8>>,
}

impl Default for Rows {
    fn default() -> Self {
        Rows { columns: Arc::new([]), rows: Vec::new(), paging_state: None }
    }
}

/// What a statement produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A statement that returns nothing (writes, most DDL).
    Void,
    /// A result set.
    Rows(Rows),
    /// `USE ks` succeeded: the caller's session now uses this keyspace.
    SetKeyspace(String),
    /// A schema statement changed the schema.
    SchemaChange(SchemaChange),
}

/// What a schema statement changed, as the native protocol's `SCHEMA_CHANGE` result says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaChange {
    /// Created, updated or dropped.
    pub change: SchemaChangeKind,
    /// What kind of object changed.
    pub target: SchemaTarget,
    /// The keyspace (or the keyspace of the object).
    pub keyspace: String,
    /// The table or type, for targets other than keyspaces.
    pub name: Option<String>,
}

/// The kind of a schema change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaChangeKind {
    /// `CREATE`.
    Created,
    /// `ALTER` (and index changes, which update their table).
    Updated,
    /// `DROP`.
    Dropped,
}

/// The object a schema change is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaTarget {
    /// A keyspace.
    Keyspace,
    /// A table.
    Table,
    /// A user-defined type.
    Type,
}

/// A client's view of an [`Engine`]: remembers the keyspace `USE` selected.
#[derive(Debug, Default)]
pub struct Session {
    engine: Engine,
    keyspace: Option<String>,
}

impl Session {
    /// A session over a fresh database.
    pub fn new() -> Self {
        Session::default()
    }

    /// The keyspace unqualified names resolve in.
    pub fn keyspace(&self) -> Option<&str> {
        self.keyspace.as_deref()
    }

    /// Runs one statement at time `now` and returns every row.
    pub fn execute(&mut self, cql: &str, now: Micros) -> Result<Outcome, Error> {
        let options = Options { keyspace: self.keyspace.clone(), now, ..Options::default() };
        let outcome = self.engine.execute(cql, &options)?;
        if let Outcome::SetKeyspace(ks) = &outcome {
            self.keyspace = Some(ks.clone());
        }
        Ok(outcome)
    }

    /// Parses a statement once, to run it many times with [`Session::execute_prepared`].
    pub fn prepare(&self, cql: &str) -> Result<Prepared, Error> {
        self.engine.prepare(cql)
    }

    /// Runs a prepared statement at time `now` in the session's keyspace, with `values`
    /// bound to its markers in order (`None` binds null).
    pub fn execute_prepared(
        &mut self,
        prepared: &Prepared,
        values: &[Option<Value>],
        now: Micros,
    ) -> Result<Outcome, Error> {
        let options = Options { keyspace: self.keyspace.clone(), now, ..Options::default() };
        let outcome = self.engine.execute_prepared(prepared, values, &options)?;
        if let Outcome::SetKeyspace(ks) = &outcome {
            self.keyspace = Some(ks.clone());
        }
        Ok(outcome)
    }

    /// Runs every statement of a script in order, each a microsecond after the previous
    /// one, and returns each statement's text with its result. A failing statement does
    /// not stop the ones after it, as in cqlsh.
    pub fn execute_script(
        &mut self,
        cql: &str,
        now: Micros,
    ) -> Vec<(String, Result<Outcome, Error>)> {
        split_statements(cql)
            .into_iter()
            .enumerate()
            .map(|(i, stmt)| {
                let at = Micros(now.0.saturating_add(i64::try_from(i).unwrap_or(i64::MAX)));
                let result = self.execute(&stmt, at);
                (stmt, result)
            })
            .collect()
    }

    /// The database behind the session.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The database behind the session, mutably (for snapshots, limits and options).
    pub fn engine_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }
}

impl From<Engine> for Session {
    /// A session over an existing database (a restored snapshot, say), with no keyspace.
    fn from(engine: Engine) -> Self {
        Session { engine, keyspace: None }
    }
}

#[cfg(test)]
mod tests;
