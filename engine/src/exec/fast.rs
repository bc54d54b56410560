//! Short cuts for the statements an application runs most: an `INSERT` of plain values
//! into a row, and a `SELECT` of columns by a full partition key (and optionally the full
//! clustering key). They give exactly what the general paths give, with less planning.
//!
//! A short cut works in two steps. [`Engine::plan`] checks, without side effects, that the
//! statement has the narrow shape a short cut handles and works out what it needs from the
//! table: which term feeds which column, the result's columns. Running the [`Plan`] then
//! evaluates the terms and touches the data, and answers `None` whenever the outcome could
//! be an error: the general path then runs the statement and words every error. Terms are
//! limited to literals and bind markers, whose evaluation has no side effects, so a
//! statement the short cut gives up on runs exactly as if it had never been tried.
//!
//! A prepared statement keeps its plan, as a server keeps a prepared statement's
//! metadata, so that executing it again only binds values. The plan holds the table's
//! columns it was made from; any schema change gives the table new columns (they are
//! copied on write, and the plan's copy keeps them shared), which makes the plan stale.

use std::sync::Arc;

use super::dml::{check_key, key_of, row_usage};
use super::eval::bound_value;
use super::{Ctx, Engine, spec};
use crate::ast::{
    InsertValues, Operator, QualifiedName, Relation, RelationLhs, Select, Selector, Statement, Term,
};
use crate::schema::{Column, ColumnKind, SYSTEM_KEYSPACES, Table};
use crate::storage::{Cell, Row};
use crate::types::{CqlType, NativeType, Value, constant_to_value_at};
use crate::{ColumnSpec, Options, Outcome, Rows};

/// What a short cut knows about one statement on one table.
#[derive(Debug)]
pub(crate) struct Plan {
    /// The table's keyspace, as the statement's name resolved.
    keyspace: String,
    /// The table's name.
    table: String,
    /// The table's columns when the plan was made.
    columns: Arc<Vec<Column>>,
    shape: Shape,
}

#[derive(Debug)]
enum Shape {
    Insert(InsertPlan),
    Read(ReadPlan),
}

/// One value a statement gives: the column it is for and where it comes from.
#[derive(Debug, Clone, Copy)]
struct Part {
    /// The column's index in the table's columns.
    col: usize,
    /// The bind marker that gives the value, when one does.
    bind: Option<usize>,
    /// The index of the term (of an `INSERT`) or relation (of a `SELECT`) that gives it.
    term: usize,
}

impl Part {
    fn new(col: usize, term_index: usize, term: &Term) -> Part {
        let bind = match term {
            Term::BindMarker(i, _) => Some(*i),
            _ => None,
        };
        Part { col, bind, term: term_index }
    }

    /// The value, given the statement's term at an index (`Some(None)` is null), or
    /// `None` where evaluating it would be an error.
    fn value<'t>(
        &self,
        columns: &[Column],
        term: impl FnOnce(usize) -> Option<&'t Term>,
        ctx: &Ctx,
    ) -> Option<Option<Value>> {
        let col = columns.get(self.col)?;
        match self.bind {
            Some(i) => bind_value(ctx.binds.get(i)?.as_ref(), &col.ty, &col.name),
            None => pure_value(term(self.term)?, &col.ty, &col.name, ctx),
        }
    }
}

/// An `INSERT`: where each column's value comes from.
#[derive(Debug)]
struct InsertPlan {
    /// The partition key columns, in key order.
    pk: Vec<Part>,
    /// The clustering columns, in key order.
    ck: Vec<Part>,
    /// The regular columns written.
    regular: Vec<Part>,
}

/// A `SELECT` by key: where each key column's value comes from.
#[derive(Debug)]
struct ReadPlan {
    /// The partition key columns, in key order.
    pk: Vec<Part>,
    /// The clustering columns, in key order, when the read names one row.
    ck: Option<Vec<Part>>,
    /// Where each output value comes from.
    out: Vec<Source>,
    /// The result's column specs.
    specs: Arc<[ColumnSpec]>,
}

/// Where a result value comes from.
#[derive(Debug, Clone, Copy)]
enum Source {
    /// The partition key's value at this position.
    PartitionKey(usize),
    /// The clustering key's value at this position.
    Clustering(usize),
    /// The cell of the column at this index.
    Cell(usize),
}

impl Plan {
    /// Whether the statement's table name resolves in the plan's keyspace.
    fn resolves(&self, name: &QualifiedName, ctx: &Ctx) -> bool {
        // Plans are made only for user keyspaces, so the name resolving here is enough.
        name.keyspace.as_ref().map(|ks| ks.0.as_str()).or(ctx.keyspace) == Some(&self.keyspace)
    }
}

/// Key values, the one of a single-column key held inline.
enum KeyValues {
    One(Value),
    Many(Vec<Value>),
}

impl std::ops::Deref for KeyValues {
    type Target = [Value];

    fn deref(&self) -> &[Value] {
        match self {
            KeyValues::One(v) => std::slice::from_ref(v),
            KeyValues::Many(vs) => vs,
        }
    }
}

impl KeyValues {
    /// The values `value` gives for each of `parts`, or `None` if it gives none for one.
    fn collect<P>(parts: &[P], mut value: impl FnMut(&P) -> Option<Value>) -> Option<Self> {
        if let [only] = parts {
            return value(only).map(KeyValues::One);
        }
        let mut values = Vec::with_capacity(parts.len());
        for part in parts {
            values.push(value(part)?);
        }
        Some(KeyValues::Many(values))
    }

    fn into_vec(self) -> Vec<Value> {
        match self {
            KeyValues::One(v) => vec![v],
            KeyValues::Many(vs) => vs,
        }
    }
}

/// A term whose evaluation cannot change the engine (no `now()`, no `uuid()`).
fn is_pure(term: &Term) -> bool {
    matches!(term, Term::Constant(_) | Term::BindMarker(..) | Term::Null)
}

/// A type stored as one cell that an `INSERT` simply replaces.
fn is_single_cell(ty: &CqlType) -> bool {
    match ty {
        CqlType::Native(n) => *n != NativeType::Counter,
        CqlType::Frozen(_) => true,
        _ => false,
    }
}

/// The keyspace a statement's table name resolves in, when it is a user keyspace.
fn user_keyspace<'a>(name: &'a QualifiedName, ctx: &Ctx<'a>) -> Option<&'a str> {
    let ks = match (&name.keyspace, ctx.keyspace) {
        (Some(ks), _) => ks.0.as_str(),
        (None, Some(ks)) => ks,
        (None, None) => return None,
    };
    (!SYSTEM_KEYSPACES.contains(&ks)).then_some(ks)
}

/// The table a statement names.
fn table_name(stmt: &Statement) -> Option<&QualifiedName> {
    match stmt {
        Statement::Insert { table, .. } => Some(table),
        Statement::Select(s) => s.table.as_ref(),
        _ => None,
    }
}

/// The position of `column` in `columns`.
fn position(columns: &[Column], column: &str) -> Option<usize> {
    columns.iter().position(|c| c.name == column)
}

/// How running a plan went.
enum Ran {
    /// The short cut ran the statement.
    Done(Result<Outcome, crate::Error>),
    /// The statement, with these values, is for the general path.
    Declined,
    /// The table is gone or its schema changed since the plan was made.
    Stale,
}

impl Engine {
    /// Runs `stmt` on a short cut if it has a shape one handles.
    pub(super) fn fast_path(
        &mut self,
        stmt: &Statement,
        ctx: &Ctx,
        options: &Options,
    ) -> Option<Result<Outcome, crate::Error>> {
        // A statement run once is a prepared statement that keeps no plan.
        self.fast_prepared(&mut None, stmt, ctx, options)
    }

    /// Runs a prepared statement on a short cut with the plan it keeps in `kept`, made
    /// afresh when it has none or the one it has is stale.
    pub(super) fn fast_prepared(
        &mut self,
        kept: &mut Option<Plan>,
        stmt: &Statement,
        ctx: &Ctx,
        options: &Options,
    ) -> Option<Result<Outcome, crate::Error>> {
        if !self.fast_paths {
            return None;
        }
        if let Some(plan) = kept.as_ref() {
            match self.run_plan(plan, stmt, ctx, options) {
                Ran::Stale => {}
                ran => return self.count(ran),
            }
        }
        *kept = self.plan(stmt, ctx);
        let plan = kept.as_ref()?;
        let ran = self.run_plan(plan, stmt, ctx, options);
        self.count(ran)
    }

    /// The outcome of a short cut that ran, counted.
    fn count(&mut self, ran: Ran) -> Option<Result<Outcome, crate::Error>> {
        match ran {
            Ran::Done(done) => {
                self.fast_hits += 1;
                Some(done)
            }
            Ran::Declined | Ran::Stale => None,
        }
    }

    /// The table a plan was made for, if the statement still resolves to it and its
    /// schema has not changed since.
    fn planned_table(&self, plan: &Plan, name: &QualifiedName, ctx: &Ctx) -> Option<&Table> {
        if !plan.resolves(name, ctx) {
            return None;
        }
        let t = self.keyspaces.get(&plan.keyspace)?.tables.get(&plan.table)?;
        Arc::ptr_eq(&t.columns, &plan.columns).then_some(t)
    }

    /// [`Engine::planned_table`], mutably.
    fn planned_table_mut(
        &mut self,
        plan: &Plan,
        name: &QualifiedName,
        ctx: &Ctx,
    ) -> Option<&mut Table> {
        if !plan.resolves(name, ctx) {
            return None;
        }
        let t = self.keyspaces.get_mut(&plan.keyspace)?.tables.get_mut(&plan.table)?;
        Arc::ptr_eq(&t.columns, &plan.columns).then_some(t)
    }

    /// A plan for `stmt`, if a short cut handles its shape on its table.
    fn plan(&self, stmt: &Statement, ctx: &Ctx) -> Option<Plan> {
        let name = table_name(stmt)?;
        let keyspace = user_keyspace(name, ctx)?;
        let t = self.keyspaces.get(keyspace)?.tables.get(&name.name.0)?;
        let shape = match stmt {
            Statement::Insert { values, if_not_exists: false, using, .. }
                if using.ttl.is_none() && using.timestamp.is_none() =>
            {
                let InsertValues::Values(cols, terms) = values else { return None };
                Shape::Insert(plan_insert(t, cols, terms)?)
            }
            Statement::Select(s) => Shape::Read(plan_read(t, s)?),
            _ => return None,
        };
        Some(Plan {
            keyspace: keyspace.to_string(),
            table: t.name.clone(),
            columns: Arc::clone(&t.columns),
            shape,
        })
    }

    fn run_plan(&mut self, plan: &Plan, stmt: &Statement, ctx: &Ctx, options: &Options) -> Ran {
        match (&plan.shape, stmt) {
            (
                Shape::Insert(ip),
                Statement::Insert { table, values: InsertValues::Values(_, terms), .. },
            ) => self.run_insert(plan, ip, table, terms, ctx),
            (Shape::Read(rp), Statement::Select(s)) => self.run_read(plan, rp, s, ctx, options),
            _ => Ran::Stale,
        }
    }

    fn run_insert(
        &mut self,
        plan: &Plan,
        ip: &InsertPlan,
        name: &QualifiedName,
        terms: &[Term],
        ctx: &Ctx,
    ) -> Ran {
        let columns = &plan.columns;
        let Some(t) = self.planned_table_mut(plan, name, ctx) else { return Ran::Stale };
        let value = |part: &Part| part.value(columns, |i| terms.get(i), ctx);
        let key = |parts: &[Part]| -> Option<Vec<Value>> {
            KeyValues::collect(parts, |part| value(part)?).map(KeyValues::into_vec)
        };
        let regular: Option<Vec<(&str, Option<Value>)>> = ip
            .regular
            .iter()
            .map(|part| Some((columns.get(part.col)?.name.as_str(), value(part)?)))
            .collect();
        let (Some(pk), Some(ck), Some(regular)) = (key(&ip.pk), key(&ip.ck), regular) else {
            return Ran::Declined;
        };
        if check_key(&pk).is_err() {
            return Ran::Declined;
        }
        let types = t.clustering_types();
        let ttl = t.default_ttl;
        let ts = ctx.now_us;
        let expires = (ttl > 0).then(|| ctx.now_secs() + i64::from(ttl));
        let key = key_of(&pk);
        let existed = t.data.contains(&key);
        let part = t.data.get_or_insert(&key, || pk);
        let old = part.row(&types, &ck).cloned();
        let before = row_usage(old.as_ref(), false);
        let shadow = part.shadow_for(&types, &ck);
        let row = part.row_mut(&types, ck.clone());
        row.write_marker(Cell::new(Some(Value::Boolean(true)), ts, ttl, expires), shadow);
        for (name, value) in regular {
            let (cell_ttl, cell_expires) = if value.is_some() { (ttl, expires) } else { (0, None) };
            row.write(name, Cell::new(value, ts, cell_ttl, cell_expires), shadow);
        }
        part.compact_row(&types, &ck);
        let after = row_usage(part.row(&types, &ck), false);
        if part.is_empty() {
            t.data.remove(&key);
        }
        if let Err(e) = self.check_limits(before, after) {
            // Put back what was there: the statement changes nothing when it fails.
            if let Some(t) = self.planned_table_mut(plan, name, ctx) {
                let partitions = &mut t.data;
                match (existed, old, partitions.get_mut(&key)) {
                    (false, ..) => {
                        partitions.remove(&key);
                    }
                    (true, Some(old), Some(part)) => *part.row_mut(&types, ck) = old,
                    (true, None, Some(part)) => part.remove_row(&types, &ck),
                    (true, _, None) => {}
                }
            }
            return Ran::Done(Err(e));
        }
        Ran::Done(Ok(Outcome::Void))
    }

    fn run_read(
        &self,
        plan: &Plan,
        rp: &ReadPlan,
        s: &Select,
        ctx: &Ctx,
        options: &Options,
    ) -> Ran {
        // A paged read resumes where the state says: the general path works that out.
        if options.paging_state.is_some() {
            return Ran::Declined;
        }
        let Some(name) = s.table.as_ref() else { return Ran::Stale };
        let Some(t) = self.planned_table(plan, name, ctx) else { return Ran::Stale };
        let columns = &plan.columns;
        let term = |i: usize| match s.relations.get(i)? {
            Relation::Compare(_, _, term) => Some(term),
            _ => None,
        };
        let value = |part: &Part| part.value(columns, term, ctx)?;
        let Some(key) = KeyValues::collect(&rp.pk, value) else { return Ran::Declined };
        if check_key(&key).is_err() {
            return Ran::Declined;
        }
        let clustering = match &rp.ck {
            Some(ck) => match KeyValues::collect(ck, value) {
                Some(values) => Some(values),
                None => return Ran::Declined,
            },
            None => None,
        };
        let now = ctx.now_secs();
        let mut rows = Vec::with_capacity(if clustering.is_some() { 1 } else { 0 });
        if let Some(p) = t.data.partition(&key) {
            let emit = |ck: &[Value], row: &Row| -> Vec<Option<Value>> {
                rp.out
                    .iter()
                    .map(|source| match *source {
                        Source::PartitionKey(i) => p.key.get(i).cloned(),
                        Source::Clustering(i) => ck.get(i).cloned(),
                        Source::Cell(c) => columns
                            .get(c)
                            .and_then(|col| row.cells.get(&col.name))
                            .and_then(|cell| cell.live_value(now)),
                    })
                    .collect()
            };
            match &clustering {
                Some(ck) => {
                    let types = t.clustering_types();
                    if let Some(row) = p.row(&types, ck).filter(|r| r.is_live(now)) {
                        rows.push(emit(ck, row));
                    }
                }
                None => {
                    for (ck, row) in p.rows() {
                        if row.is_live(now) {
                            rows.push(emit(ck, row));
                        }
                    }
                }
            }
        }
        // A full page carries a paging state: the general path works that out.
        if options.page_size.is_some_and(|size| size > 0 && rows.len() >= size) {
            return Ran::Declined;
        }
        Ran::Done(Ok(Outcome::Rows(Rows {
            columns: Arc::clone(&rp.specs),
            rows,
            paging_state: None,
        })))
    }
}

/// `INSERT INTO t (cols) VALUES (...)` of single-cell columns, every key column given.
fn plan_insert(t: &Table, cols: &[crate::ast::Ident], terms: &[Term]) -> Option<InsertPlan> {
    if cols.len() != terms.len() || !terms.iter().all(is_pure) || t.is_counter() {
        return None;
    }
    let mut regular = Vec::with_capacity(cols.len());
    let mut keys = 0;
    for (i, c) in cols.iter().enumerate() {
        let col = position(&t.columns, &c.0)?;
        let ty = &t.columns.get(col)?.ty;
        if cols[..i].iter().any(|o| o.0 == c.0) || !is_single_cell(ty) {
            return None;
        }
        match t.columns.get(col)?.kind {
            ColumnKind::PartitionKey(_) | ColumnKind::Clustering(_) => keys += 1,
            ColumnKind::Regular => regular.push(Part::new(col, i, terms.get(i)?)),
            ColumnKind::Static => return None,
        }
    }
    let term_of = |name: &str| -> Option<Part> {
        let i = cols.iter().position(|c| c.0 == name)?;
        Some(Part::new(position(&t.columns, name)?, i, terms.get(i)?))
    };
    let pk = t.partition_key.iter().map(|name| term_of(name)).collect::<Option<Vec<_>>>()?;
    let ck = t.clustering.iter().map(|(name, _)| term_of(name)).collect::<Option<Vec<_>>>()?;
    (keys == pk.len() + ck.len()).then_some(InsertPlan { pk, ck, regular })
}

/// `SELECT cols FROM t WHERE <every partition key column> = ? [AND <every clustering
/// column> = ?]`, without anything else.
fn plan_read(t: &Table, s: &Select) -> Option<ReadPlan> {
    if s.json
        || s.distinct
        || !s.group_by.is_empty()
        || !s.order_by.is_empty()
        || s.limit.is_some()
        || s.per_partition_limit.is_some()
        || t.has_statics()
    {
        return None;
    }
    // Every relation is `key column = pure term`, each key column at most once, and
    // either every clustering column is restricted or none is.
    let mut restricted = (0, 0);
    for (i, r) in s.relations.iter().enumerate() {
        let Relation::Compare(RelationLhs::Column(name), Operator::Eq, term) = r else {
            return None;
        };
        if !is_pure(term)
            || s.relations[..i]
                .iter()
                .any(|o| matches!(o, Relation::Compare(RelationLhs::Column(n), ..) if n == name))
        {
            return None;
        }
        match t.column(&name.0)?.kind {
            ColumnKind::PartitionKey(_) => restricted.0 += 1,
            ColumnKind::Clustering(_) => restricted.1 += 1,
            _ => return None,
        }
    }
    let clustered = restricted.1 > 0;
    if restricted.0 != t.partition_key.len() || (clustered && restricted.1 != t.clustering.len()) {
        return None;
    }
    let relation_of = |name: &str| -> Option<Part> {
        let (rel, term) = s.relations.iter().enumerate().find_map(|(i, r)| match r {
            Relation::Compare(RelationLhs::Column(n), _, term) if n.0 == name => Some((i, term)),
            _ => None,
        })?;
        Some(Part::new(position(&t.columns, name)?, rel, term))
    };
    let pk = t.partition_key.iter().map(|name| relation_of(name)).collect::<Option<Vec<_>>>()?;
    let ck = if clustered {
        Some(t.clustering.iter().map(|(name, _)| relation_of(name)).collect::<Option<Vec<_>>>()?)
    } else {
        None
    };
    // The output columns: `*` in Cassandra's order, or plain columns (with aliases).
    let out: Vec<(&Column, &str)> = if s.items.is_empty() {
        t.select_order().into_iter().map(|c| (c, c.name.as_str())).collect()
    } else {
        let mut out = Vec::with_capacity(s.items.len());
        for item in &s.items {
            let Selector::Column(name) = &item.selector else { return None };
            let col = t.column(&name.0)?;
            out.push((col, item.alias.as_ref().map_or(col.name.as_str(), |a| a.0.as_str())));
        }
        out
    };
    let specs = out.iter().map(|(col, name)| spec(&t.keyspace, &t.name, name, col.ty.clone()));
    let sources = out.iter().map(|(col, _)| match col.kind {
        ColumnKind::PartitionKey(i) => Some(Source::PartitionKey(i)),
        ColumnKind::Clustering(i) => Some(Source::Clustering(i)),
        _ => position(&t.columns, &col.name).map(Source::Cell),
    });
    Some(ReadPlan { pk, ck, out: sources.collect::<Option<_>>()?, specs: specs.collect() })
}

/// A literal, bound value or null for a receiver, as `Engine::eval` gives it for such
/// terms (`Some(None)` is null), or `None` where that would be an error.
fn pure_value(term: &Term, ty: &CqlType, receiver: &str, ctx: &Ctx) -> Option<Option<Value>> {
    match term {
        Term::Constant(c) if ty.native() != Some(NativeType::Counter) => {
            constant_to_value_at(c, ty, receiver, Some(ctx.now_ms())).ok().map(Some)
        }
        Term::BindMarker(i, _) => bind_value(ctx.binds.get(*i)?.as_ref(), ty, receiver),
        Term::Null => Some(None),
        _ => None,
    }
}

/// A bound value (`None` binds null) for a receiver, as `bound_value` checks it, or `None`
/// where that would be an error.
fn bind_value(v: Option<&Value>, ty: &CqlType, receiver: &str) -> Option<Option<Value>> {
    match v {
        None => Some(None),
        // The commonest binds already have their receiver's type.
        Some(Value::Int(n)) if matches!(ty, CqlType::Native(NativeType::Int)) => {
            Some(Some(Value::Int(*n)))
        }
        Some(Value::Bigint(n)) if matches!(ty, CqlType::Native(NativeType::Bigint)) => {
            Some(Some(Value::Bigint(*n)))
        }
        Some(Value::Text(s)) if matches!(ty, CqlType::Native(NativeType::Text)) => {
            Some(Some(Value::Text(s.clone())))
        }
        Some(v) => bound_value(v, ty, receiver).ok().map(Some),
    }
}

#[cfg(test)]
mod tests;
