//! The one engine behind every request.

use std::collections::HashMap;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use cqlfiddle_engine::types::{CqlType, Value};
use cqlfiddle_engine::{Engine, Error, Micros, Options, Outcome};

use crate::schema::TableMeta;

/// `(metric, source model)` of vector indexes by `(keyspace, table, column)`.
type VectorIndexes = Mutex<HashMap<(String, String, String), (String, String)>>;

/// What the emulator has read from `system_schema`, kept until the next schema change.
#[derive(Debug, Default)]
struct SchemaCache {
    /// Table metadata by `(keyspace, table)`.
    tables: HashMap<(String, String), TableMeta>,
    /// The rows of the emulator's own `system_schema` look-ups, by statement.
    rows: HashMap<String, Vec<Vec<Option<Value>>>>,
}

/// Where statements read the time from.
///
/// The command line always uses the system clock; a caller that replays statements at
/// fixed times (the conformance tests, which advance the clock to expire TTLs) shares a
/// manual clock with the database and sets it before each request.
#[derive(Debug, Clone, Default)]
pub enum Clock {
    /// The wall clock.
    #[default]
    System,
    /// Microseconds since the Unix epoch, set by whoever holds the other end.
    Manual(Arc<AtomicI64>),
}

impl Clock {
    /// A manual clock reading `micros`, and the handle that moves it.
    pub fn manual(micros: i64) -> (Clock, Arc<AtomicI64>) {
        let handle = Arc::new(AtomicI64::new(micros));
        (Clock::Manual(Arc::clone(&handle)), handle)
    }

    /// The current time as the engine wants it.
    pub fn now(&self) -> Micros {
        match self {
            Clock::System => now(),
            Clock::Manual(micros) => Micros(micros.load(Ordering::Acquire)),
        }
    }
}

/// Entries beyond which a cache starts over, so look-ups of ever new names stay bounded.
const MAX_CACHED: usize = 1024;

/// The shared database. Every statement runs under one lock, so parallel requests see
/// the writes of earlier ones and none is lost.
#[derive(Debug, Clone, Default)]
pub struct Db {
    engine: Arc<Mutex<Engine>>,
    /// Set by every statement that may have changed the database since the last snapshot.
    dirty: Arc<AtomicBool>,
    /// The metric and source model of each vector index, by keyspace, table and column.
    /// The engine keeps no index options, so the emulator does (in memory only).
    vectors: Arc<VectorIndexes>,
    /// Every REST and Data API request needs its table's columns; reading them from
    /// `system_schema` each time costs as much as the request's own statement. Cleared by
    /// every schema change.
    tables: Arc<Mutex<SchemaCache>>,
    /// The time every statement runs at.
    clock: Clock,
}

/// The engine, held for several statements that must see one consistent state.
#[derive(Debug)]
pub struct Locked<'a> {
    engine: MutexGuard<'a, Engine>,
    dirty: &'a AtomicBool,
    vectors: &'a VectorIndexes,
    tables: &'a Mutex<SchemaCache>,
    clock: &'a Clock,
}

impl Locked<'_> {
    /// The cached metadata of `keyspace.table`, if any.
    pub fn cached_table(&self, keyspace: &str, table: &str) -> Option<TableMeta> {
        self.cache().tables.get(&(keyspace.to_string(), table.to_string())).cloned()
    }

    /// Remembers the metadata of a table until the next schema change.
    pub fn cache_table(&self, meta: &TableMeta) {
        let mut cache = self.cache();
        if cache.tables.len() >= MAX_CACHED {
            cache.tables.clear();
        }
        cache.tables.insert((meta.keyspace.clone(), meta.name.clone()), meta.clone());
    }

    /// The cached rows of a `system_schema` look-up, if any.
    pub fn cached_rows(&self, cql: &str) -> Option<Vec<Vec<Option<Value>>>> {
        self.cache().rows.get(cql).cloned()
    }

    /// Remembers the rows of a `system_schema` look-up until the next schema change.
    pub fn cache_rows(&self, cql: &str, rows: &[Vec<Option<Value>>]) {
        let mut cache = self.cache();
        if cache.rows.len() >= MAX_CACHED {
            cache.rows.clear();
        }
        cache.rows.insert(cql.to_string(), rows.to_vec());
    }

    fn cache(&self) -> MutexGuard<'_, SchemaCache> {
        self.tables.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The `(metric, source model)` of the vector index on a column; cosine and `other`
    /// when the emulator was not told (an index made through CQL, or before a restart).
    pub fn vector_index(&self, keyspace: &str, table: &str, column: &str) -> (String, String) {
        let key = (keyspace.to_string(), table.to_string(), column.to_string());
        let vectors = self.vectors.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        vectors.get(&key).cloned().unwrap_or_else(|| ("cosine".into(), "other".into()))
    }

    /// Remembers the metric and source model of a vector index.
    pub fn set_vector_index(
        &self,
        keyspace: &str,
        table: &str,
        column: &str,
        metric: &str,
        model: &str,
    ) {
        let key = (keyspace.to_string(), table.to_string(), column.to_string());
        let mut vectors = self.vectors.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        vectors.insert(key, (metric.to_string(), model.to_string()));
    }
}

impl Deref for Locked<'_> {
    type Target = Engine;

    fn deref(&self) -> &Engine {
        &self.engine
    }
}

impl DerefMut for Locked<'_> {
    fn deref_mut(&mut self) -> &mut Engine {
        &mut self.engine
    }
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

    /// A database around an existing engine (one restored from a snapshot).
    pub fn from_engine(engine: Engine) -> Self {
        Db {
            engine: Arc::new(Mutex::new(engine)),
            dirty: Arc::default(),
            vectors: Arc::default(),
            tables: Arc::default(),
            clock: Clock::System,
        }
    }

    /// The same database, reading the time from `clock` instead of the wall clock.
    pub fn with_clock(self, clock: Clock) -> Self {
        Db { clock, ..self }
    }

    /// Holds the engine for several statements.
    pub fn lock(&self) -> Locked<'_> {
        // A panic while holding the lock cannot leave the engine half-updated in a way
        // that matters more than refusing every later request would.
        let engine = self.engine.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        Locked {
            engine,
            dirty: &self.dirty,
            vectors: &self.vectors,
            tables: &self.tables,
            clock: &self.clock,
        }
    }

    /// Runs one statement at the clock's current time.
    pub fn execute(&self, cql: &str, options: Options) -> Result<Answer, Error> {
        execute(&mut self.lock(), cql, options)
    }

    /// The snapshot bytes if anything may have changed since the last call.
    pub fn take_snapshot_if_dirty(&self) -> Option<Vec<u8>> {
        // Most ticks find nothing to save; they should not wait for the engine's lock.
        if !self.dirty.load(Ordering::Acquire) {
            return None;
        }
        let engine = self.lock();
        self.dirty.swap(false, Ordering::AcqRel).then(|| engine.snapshot())
    }
}

/// Runs one statement on a held engine at the clock's current time. Anything but a result set
/// marks the database as changed (a failed write may still have applied part of a batch).
pub fn execute(locked: &mut Locked<'_>, cql: &str, options: Options) -> Result<Answer, Error> {
    let answer = execute_read(locked, cql, options);
    if !matches!(answer, Ok(Answer::Rows(_))) {
        locked.dirty.store(true, Ordering::Release);
    }
    answer
}

/// Runs a statement known to only read (schema look-ups), without touching the dirty flag.
/// Every statement passes through here, so this is where a schema change empties the
/// schema cache.
pub fn execute_read(locked: &mut Locked<'_>, cql: &str, options: Options) -> Result<Answer, Error> {
    let options = Options { now: locked.clock.now(), ..options };
    let outcome = locked.engine.execute(cql, &options)?;
    if matches!(outcome, Outcome::SchemaChange(_)) {
        *locked.cache() = SchemaCache::default();
    }
    Ok(match outcome {
        Outcome::Rows(rows) => Answer::Rows(ResultSet {
            columns: rows.columns.iter().map(|c| (c.name.to_string(), c.ty.clone())).collect(),
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

#[cfg(test)]
mod tests;
