//! Runs parsed statements against the in-memory database.

mod ddl;
mod describe;
mod dml;
mod eval;
mod fast;
mod paging;
mod select;
mod system;

use std::collections::BTreeMap;
use std::sync::Mutex;

use crate::ast::{QualifiedName, Statement};
use crate::parser::parse_with_markers;
use crate::schema::{Keyspace, SYSTEM_KEYSPACES, Table};
use crate::types::{CqlType, SeededRng, TimeuuidGenerator, Uuid};
use crate::{ColumnSpec, Error, Options, Outcome, Rows, Value};

/// Cassandra's answer when the values given do not match the statement's bind markers.
pub(crate) const BIND_COUNT_MISMATCH: &str = "Invalid amount of bind variables";

/// A statement parsed once, run many times with different values bound to its markers.
#[derive(Debug)]
pub struct Prepared {
    statement: Statement,
    markers: Vec<Option<String>>,
    /// What a short cut worked out about the statement's table the last time it ran,
    /// so that the next run only binds values (see `fast`).
    plan: Mutex<Option<fast::Plan>>,
}

impl Clone for Prepared {
    fn clone(&self) -> Self {
        // A plan is cheap to make again; the copy makes its own.
        Prepared {
            statement: self.statement.clone(),
            markers: self.markers.clone(),
            plan: Mutex::new(None),
        }
    }
}

impl Prepared {
    /// The parsed statement.
    pub fn statement(&self) -> &Statement {
        &self.statement
    }

    /// The statement's bind markers in order: `None` for `?`, the name for `:name`.
    pub fn markers(&self) -> &[Option<String>] {
        &self.markers
    }
}

/// Memory limits of one engine; a statement that would pass one fails and changes nothing
/// past the point it reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most rows stored across all tables.
    pub max_rows: usize,
    /// Most bytes (approximate) stored across all tables.
    pub max_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_rows: 100_000, max_bytes: 64 * 1024 * 1024 }
    }
}

/// The database: all keyspaces, tables and data, in memory.
#[derive(Debug)]
pub struct Engine {
    pub(crate) keyspaces: BTreeMap<String, Keyspace>,
    pub(crate) timeuuids: TimeuuidGenerator,
    pub(crate) rng: SeededRng,
    pub(crate) limits: Limits,
    pub(crate) host_id: Uuid,
    /// Stored (rows, bytes), kept up to date by writes; `None` after schema changes.
    pub(crate) usage: Option<(usize, usize)>,
    /// Whether the short cuts of `fast` may run (always, but for tests comparing paths).
    pub(crate) fast_paths: bool,
    /// How many statements the short cuts answered (tests check they ran).
    pub(crate) fast_hits: u64,
}

impl Default for Engine {
    fn default() -> Self {
        Engine::new()
    }
}

/// What one statement runs with.
#[derive(Debug, Clone)]
pub(crate) struct Ctx<'a> {
    /// Microseconds since the epoch.
    pub now_us: i64,
    /// The session's keyspace.
    pub keyspace: Option<&'a str>,
    /// The values bound to the statement's markers, by marker index.
    pub binds: &'a [Option<Value>],
}

impl Ctx<'_> {
    pub fn now_secs(&self) -> i64 {
        self.now_us.div_euclid(1_000_000)
    }

    pub fn now_ms(&self) -> i64 {
        self.now_us.div_euclid(1000)
    }
}

impl Engine {
    /// An empty database holding only the system keyspaces, with a fixed seed.
    pub fn new() -> Self {
        Engine::with_seed(0)
    }

    /// An empty database whose generated uuids (`uuid()`, `now()`) derive from `seed`.
    pub fn with_seed(seed: u64) -> Self {
        let mut rng = SeededRng::new(seed);
        let host_id = rng.uuid_v4();
        Engine {
            keyspaces: BTreeMap::new(),
            timeuuids: TimeuuidGenerator::new(seed),
            rng,
            limits: Limits::default(),
            usage: None,
            host_id,
            fast_paths: true,
            fast_hits: 0,
        }
    }

    /// Turns the short cuts for common statements off (or back on). They give the same
    /// results as the general paths; turning them off lets a test check exactly that.
    pub fn set_fast_paths(&mut self, on: bool) {
        self.fast_paths = on;
    }

    /// Replaces the memory limits.
    pub fn set_limits(&mut self, limits: Limits) {
        self.limits = limits;
    }

    /// Parses and runs one statement. A statement with bind markers needs values, so it
    /// fails here as Cassandra fails an unprepared query that has them; see [`Engine::prepare`].
    pub fn execute(&mut self, cql: &str, options: &Options) -> Result<Outcome, Error> {
        let (stmt, markers) = parse_with_markers(cql)?;
        if !markers.is_empty() {
            return Err(Error::invalid(BIND_COUNT_MISMATCH));
        }
        self.execute_statement(&stmt, options)
    }

    /// Parses a statement once, to run it many times with [`Engine::execute_prepared`].
    ///
    /// Nothing is checked against the schema here: each execution resolves its table,
    /// so a prepared statement keeps working (or fails clearly) after schema changes.
    pub fn prepare(&self, cql: &str) -> Result<Prepared, Error> {
        let (statement, markers) = parse_with_markers(cql)?;
        Ok(Prepared {
            statement,
            markers: markers.into_iter().map(|m| m.map(|i| i.0)).collect(),
            plan: Mutex::new(None),
        })
    }

    /// Runs a prepared statement with `values` bound to its markers in order (`None` binds
    /// null). The number of values must equal the number of markers.
    pub fn execute_prepared(
        &mut self,
        prepared: &Prepared,
        values: &[Option<Value>],
        options: &Options,
    ) -> Result<Outcome, Error> {
        if values.len() != prepared.markers.len() {
            return Err(Error::invalid(BIND_COUNT_MISMATCH));
        }
        let ctx =
            Ctx { now_us: options.now.0, keyspace: options.keyspace.as_deref(), binds: values };
        // Another thread running the same statement holds the plan: run without it.
        if let Ok(mut plan) = prepared.plan.try_lock() {
            let stmt = &prepared.statement;
            if let Some(done) = self.fast_prepared(&mut plan, stmt, &ctx, options) {
                return done;
            }
            return self.general(stmt, &ctx, options);
        }
        self.run(&prepared.statement, values, options)
    }

    /// Runs one parsed statement that has no bind markers.
    pub fn execute_statement(
        &mut self,
        stmt: &Statement,
        options: &Options,
    ) -> Result<Outcome, Error> {
        self.run(stmt, &[], options)
    }

    fn run(
        &mut self,
        stmt: &Statement,
        binds: &[Option<Value>],
        options: &Options,
    ) -> Result<Outcome, Error> {
        let ctx = Ctx { now_us: options.now.0, keyspace: options.keyspace.as_deref(), binds };
        if let Some(done) = self.fast_path(stmt, &ctx, options) {
            return done;
        }
        self.general(stmt, &ctx, options)
    }

    /// Runs a statement on the general paths, which handle every statement.
    fn general(
        &mut self,
        stmt: &Statement,
        ctx: &Ctx,
        options: &Options,
    ) -> Result<Outcome, Error> {
        match stmt {
            Statement::Use(ks) => {
                if self.keyspaces.contains_key(&ks.0) || SYSTEM_KEYSPACES.contains(&ks.0.as_str()) {
                    Ok(Outcome::SetKeyspace(ks.0.clone()))
                } else {
                    Err(Error::invalid(format!("Keyspace '{}' does not exist", ks.0)))
                }
            }
            Statement::Select(s) => {
                let rows = self.select(s, ctx, options)?;
                Ok(Outcome::Rows(rows))
            }
            Statement::Insert { .. } | Statement::Update { .. } | Statement::Delete { .. } => {
                self.modify(stmt, ctx)
            }
            Statement::Batch { kind, using, statements } => {
                self.batch(*kind, using, statements, ctx)
            }
            Statement::Describe(d) => Ok(Outcome::Rows(self.describe(d, ctx, options)?)),
            Statement::Unsupported { feature, .. } => Err(Error::unsupported(feature.clone())),
            ddl => self.ddl(ddl, ctx),
        }
    }

    /// The keyspace a name resolves in.
    pub(crate) fn keyspace_of(&self, name: &QualifiedName, ctx: &Ctx) -> Result<String, Error> {
        match (&name.keyspace, &ctx.keyspace) {
            (Some(ks), _) => Ok(ks.0.clone()),
            (None, Some(ks)) => Ok((*ks).to_string()),
            (None, None) => Err(Error::invalid(
                "No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename",
            )),
        }
    }

    /// The table a name refers to.
    pub(crate) fn table(&self, name: &QualifiedName, ctx: &Ctx) -> Result<&Table, Error> {
        let ks = self.keyspace_of(name, ctx)?;
        let keyspace = self
            .keyspaces
            .get(&ks)
            .ok_or_else(|| Error::invalid(format!("keyspace {ks} does not exist")))?;
        keyspace
            .tables
            .get(&name.name.0)
            .ok_or_else(|| Error::invalid(format!("table {} does not exist", name.name.0)))
    }

    /// The table a name refers to, mutably.
    pub(crate) fn table_mut(
        &mut self,
        name: &QualifiedName,
        ctx: &Ctx,
    ) -> Result<&mut Table, Error> {
        let ks = self.keyspace_of(name, ctx)?;
        let keyspace = self
            .keyspaces
            .get_mut(&ks)
            .ok_or_else(|| Error::invalid(format!("keyspace {ks} does not exist")))?;
        keyspace
            .tables
            .get_mut(&name.name.0)
            .ok_or_else(|| Error::invalid(format!("table {} does not exist", name.name.0)))
    }

    /// Rows and bytes stored across all tables, counted afresh.
    fn count_usage(&self) -> (usize, usize) {
        let mut rows = 0;
        let mut bytes = 0;
        for ks in self.keyspaces.values() {
            for t in ks.tables.values() {
                rows += t.data.row_count();
                bytes += t.data.values().map(|p| p.size()).sum::<usize>();
            }
        }
        (rows, bytes)
    }

    /// Applies a write's change in usage and checks the limits; `before` and `after`
    /// are the (rows, bytes) of the partitions the write touched.
    pub(crate) fn check_limits(
        &mut self,
        before: (usize, usize),
        after: (usize, usize),
    ) -> Result<(), Error> {
        let (rows, bytes) = match self.usage {
            Some((r, b)) => {
                ((r + after.0).saturating_sub(before.0), (b + after.1).saturating_sub(before.1))
            }
            None => self.count_usage(),
        };
        if rows > self.limits.max_rows {
            return Err(Error::LimitExceeded(format!(
                "This sandbox holds at most {} rows; delete or truncate some data first",
                self.limits.max_rows
            )));
        }
        if bytes > self.limits.max_bytes {
            return Err(Error::LimitExceeded(format!(
                "This sandbox holds at most {} bytes of data; delete or truncate some data first",
                self.limits.max_bytes
            )));
        }
        self.usage = Some((rows, bytes));
        Ok(())
    }
}

/// A result column spec.
pub(crate) fn spec(ks: &str, table: &str, name: &str, ty: CqlType) -> ColumnSpec {
    ColumnSpec { keyspace: ks.into(), table: table.into(), name: name.into(), ty }
}

/// A one-column result with `[applied]`, plus optional more columns.
pub(crate) fn applied_rows(
    ks: &str,
    table: &str,
    applied: bool,
    extra: Vec<(ColumnSpec, Option<Value>)>,
) -> Rows {
    let mut columns =
        vec![spec(ks, table, "[applied]", CqlType::Native(crate::types::NativeType::Boolean))];
    let mut row = vec![Some(Value::Boolean(applied))];
    for (c, v) in extra {
        columns.push(c);
        row.push(v);
    }
    Rows { columns: columns.into(), rows: vec![row], paging_state: None }
}
