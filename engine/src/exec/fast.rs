//! Short cuts for the statements an application runs most: an `INSERT` of plain values
//! into a row, and a `SELECT` of columns by a full partition key (and optionally the full
//! clustering key). They give exactly what the general paths give, with less planning.
//!
//! Each short cut first checks, without side effects, that the statement has the narrow
//! shape it handles, and answers `None` otherwise, or whenever the outcome could be an
//! error: the general path then runs the statement and words every error. Terms are
//! limited to literals and bind markers, whose evaluation has no side effects, so a
//! statement the short cut gives up on runs exactly as if it had never been tried.

use super::dml::{check_key, key_of, row_usage};
use super::eval::bound_value;
use super::{Ctx, Engine, spec};
use crate::ast::{
    InsertValues, Operator, QualifiedName, Relation, RelationLhs, Select, Statement, Term,
};
use crate::schema::{Column, ColumnKind, SYSTEM_KEYSPACES, Table};
use crate::storage::{Cell, Partition};
use crate::types::{CqlType, NativeType, Value, constant_to_value_at};
use crate::{Options, Outcome, Rows};

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

impl Engine {
    /// The table a user statement names, when it lives in a user keyspace.
    fn user_table(&self, name: &QualifiedName, ctx: &Ctx) -> Option<&Table> {
        self.keyspaces.get(user_keyspace(name, ctx)?)?.tables.get(&name.name.0)
    }

    /// Runs `stmt` on a short cut if it has a shape one handles.
    pub(super) fn fast_path(
        &mut self,
        stmt: &Statement,
        ctx: &Ctx,
        options: &Options,
    ) -> Option<Result<Outcome, crate::Error>> {
        if !self.fast_paths {
            return None;
        }
        let done = match stmt {
            Statement::Insert { table, values, if_not_exists: false, using }
                if using.ttl.is_none() && using.timestamp.is_none() =>
            {
                let InsertValues::Values(cols, terms) = values else { return None };
                self.fast_insert(table, cols, terms, ctx)
            }
            Statement::Select(s) => self.fast_select(s, ctx, options).map(|r| Ok(Outcome::Rows(r))),
            _ => None,
        };
        self.fast_hits += u64::from(done.is_some());
        done
    }

    /// `INSERT INTO t (cols) VALUES (...)` of single-cell columns, every key column given.
    fn fast_insert(
        &mut self,
        table: &QualifiedName,
        cols: &[crate::ast::Ident],
        terms: &[Term],
        ctx: &Ctx,
    ) -> Option<Result<Outcome, crate::Error>> {
        if cols.len() != terms.len() || !terms.iter().all(is_pure) {
            return None;
        }
        let t = self.user_table(table, ctx)?;
        if t.is_counter() {
            return None;
        }
        let (n_pk, n_ck, ttl) = (t.partition_key.len(), t.clustering.len(), t.default_ttl);
        let mut pk: Vec<Value> = Vec::with_capacity(n_pk);
        let mut ck: Vec<Value> = Vec::with_capacity(n_ck);
        let mut regular: Vec<(&str, Option<Value>)> = Vec::with_capacity(cols.len());
        let mut keys = 0;
        for (i, c) in cols.iter().enumerate() {
            let col = t.column(&c.0)?;
            if cols[..i].iter().any(|o| o.0 == c.0) || !is_single_cell(&col.ty) {
                return None;
            }
            match col.kind {
                ColumnKind::PartitionKey(_) | ColumnKind::Clustering(_) => keys += 1,
                ColumnKind::Regular => {
                    regular
                        .push((c.0.as_str(), pure_value(terms.get(i)?, &col.ty, &col.name, ctx)?));
                }
                ColumnKind::Static => return None,
            }
        }
        if keys != n_pk + n_ck {
            return None;
        }
        let value_of = |name: &str| -> Option<Value> {
            let i = cols.iter().position(|c| c.0 == name)?;
            let col = t.column(name)?;
            pure_value(terms.get(i)?, &col.ty, &col.name, ctx)?
        };
        for name in t.partition_key.iter() {
            pk.push(value_of(name)?);
        }
        for (name, _) in t.clustering.iter() {
            ck.push(value_of(name)?);
        }
        if check_key(&pk).is_err() {
            return None;
        }
        let types = t.clustering_types();
        let ts = ctx.now_us;
        let expires = (ttl > 0).then(|| ctx.now_secs() + i64::from(ttl));
        let key = key_of(&pk);
        let t = self.user_table_mut(table, ctx)?;
        let existed = t.data.partitions.contains_key(&key);
        let part = t.data.partitions.entry(key.clone()).or_insert_with(|| Partition::new(pk));
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
            t.data.partitions.remove(&key);
        }
        if let Err(e) = self.check_limits(before, after) {
            // Put back what was there: the statement changes nothing when it fails.
            if let Some(t) = self.user_table_mut(table, ctx) {
                let partitions = &mut t.data.partitions;
                match (existed, old, partitions.get_mut(&key)) {
                    (false, ..) => {
                        partitions.remove(&key);
                    }
                    (true, Some(old), Some(part)) => *part.row_mut(&types, ck) = old,
                    (true, None, Some(part)) => part.remove_row(&types, &ck),
                    (true, _, None) => {}
                }
            }
            return Some(Err(e));
        }
        Some(Ok(Outcome::Void))
    }

    /// [`Engine::user_table`], mutably.
    fn user_table_mut(&mut self, name: &QualifiedName, ctx: &Ctx) -> Option<&mut Table> {
        self.keyspaces.get_mut(user_keyspace(name, ctx)?)?.tables.get_mut(&name.name.0)
    }

    /// `SELECT cols FROM t WHERE <every partition key column> = ? [AND <every clustering
    /// column> = ?]`, without anything else.
    fn fast_select(&self, s: &Select, ctx: &Ctx, options: &Options) -> Option<Rows> {
        if s.json
            || s.distinct
            || !s.group_by.is_empty()
            || !s.order_by.is_empty()
            || s.limit.is_some()
            || s.per_partition_limit.is_some()
            || options.paging_state.is_some()
        {
            return None;
        }
        let t = self.user_table(s.table.as_ref()?, ctx)?;
        if t.has_statics() {
            return None;
        }
        // Every relation is `key column = pure term`, each key column at most once, and
        // either every clustering column is restricted or none is.
        let (n_pk, n_ck) = (t.partition_key.len(), t.clustering.len());
        let mut restricted = (0, 0);
        for (i, r) in s.relations.iter().enumerate() {
            let Relation::Compare(RelationLhs::Column(name), Operator::Eq, term) = r else {
                return None;
            };
            if !is_pure(term)
                || s.relations[..i].iter().any(
                    |o| matches!(o, Relation::Compare(RelationLhs::Column(n), ..) if n == name),
                )
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
        if restricted.0 != n_pk || (clustered && restricted.1 != n_ck) {
            return None;
        }
        let value_of = |col: &Column| -> Option<Value> {
            let term = s.relations.iter().find_map(|r| match r {
                Relation::Compare(RelationLhs::Column(n), _, term) if n.0 == col.name => Some(term),
                _ => None,
            })?;
            pure_value(term, &col.ty, &col.name, ctx)?
        };
        let mut key = Vec::with_capacity(n_pk);
        for name in t.partition_key.iter() {
            key.push(value_of(t.column(name)?)?);
        }
        if check_key(&key).is_err() {
            return None;
        }
        let mut clustering = Vec::with_capacity(if clustered { n_ck } else { 0 });
        if clustered {
            for (name, _) in t.clustering.iter() {
                clustering.push(value_of(t.column(name)?)?);
            }
        }
        // The output columns: `*` in Cassandra's order, or plain columns (with aliases).
        let out: Vec<(&Column, &str)> = if s.items.is_empty() {
            t.select_order().into_iter().map(|c| (c, c.name.as_str())).collect()
        } else {
            let mut out = Vec::with_capacity(s.items.len());
            for item in &s.items {
                let crate::ast::Selector::Column(name) = &item.selector else { return None };
                let col = t.column(&name.0)?;
                out.push((col, item.alias.as_ref().map_or(col.name.as_str(), |a| a.0.as_str())));
            }
            out
        };
        let now = ctx.now_secs();
        let mut rows = Vec::new();
        if let Some(p) = t.data.partitions.get(&key_of(&key)) {
            let emit = |ck: &[Value], row: &crate::storage::Row| -> Vec<Option<Value>> {
                out.iter()
                    .map(|(col, _)| match col.kind {
                        ColumnKind::PartitionKey(i) => p.key.get(i).cloned(),
                        ColumnKind::Clustering(i) => ck.get(i).cloned(),
                        _ => row.cells.get(&col.name).and_then(|c| c.live_value(now)),
                    })
                    .collect()
            };
            if clustered {
                let types = t.clustering_types();
                if let Some(row) = p.row(&types, &clustering).filter(|r| r.is_live(now)) {
                    rows.push(emit(&clustering, row));
                }
            } else {
                for (ck, row) in &p.rows {
                    if row.is_live(now) {
                        rows.push(emit(ck, row));
                    }
                }
            }
        }
        // A full page carries a paging state: the general path works that out.
        if options.page_size.is_some_and(|size| size > 0 && rows.len() >= size) {
            return None;
        }
        let columns = out
            .iter()
            .map(|(col, name)| spec(&t.keyspace, &t.name, name, col.ty.clone()))
            .collect();
        Some(Rows { columns, rows, paging_state: None })
    }
}

/// A literal, bound value or null for a receiver, as `Engine::eval` gives it for such
/// terms (`Some(None)` is null), or `None` where that would be an error.
fn pure_value(term: &Term, ty: &CqlType, receiver: &str, ctx: &Ctx) -> Option<Option<Value>> {
    match term {
        Term::Constant(c) if ty.native() != Some(NativeType::Counter) => {
            constant_to_value_at(c, ty, receiver, Some(ctx.now_ms())).ok().map(Some)
        }
        Term::BindMarker(i, _) => match ctx.binds.get(*i)? {
            None => Some(None),
            Some(v) => bound_value(v, ty, receiver).ok().map(Some),
        },
        Term::Null => Some(None),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
