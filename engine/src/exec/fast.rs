//! Short cuts for the statements an application runs most: an `INSERT` of plain values
//! into a row, and a `SELECT` of columns by a full partition key (and optionally the full
//! clustering key). They give exactly what the general paths give, with less planning.
//!
//! Each short cut first checks, without side effects, that the statement has the narrow
//! shape it handles, and answers `None` otherwise, or whenever the outcome could be an
//! error: the general path then runs the statement and words every error. Terms are
//! limited to literals and bind markers, whose evaluation has no side effects, so a
//! statement the short cut gives up on runs exactly as if it had never been tried.

use super::dml::check_key;
use super::{Ctx, Engine, spec};
use crate::ast::{InsertValues, Operator, Relation, RelationLhs, Select, Statement, Term};
use crate::schema::{Column, ColumnKind, SYSTEM_KEYSPACES, Table};
use crate::storage::{Cell, Partition};
use crate::types::{CqlType, NativeType, Value, partition_key_bytes, token};
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

/// The serialized partition key and its token, as partitions are keyed.
fn partition_key(pk: &[Value]) -> (i64, Vec<u8>) {
    let refs: Vec<&Value> = pk.iter().collect();
    let bytes = partition_key_bytes(&refs);
    (token(&bytes), bytes)
}

impl Engine {
    /// The table a user statement names, when it lives in a user keyspace.
    fn user_table(&self, name: &crate::ast::QualifiedName, ctx: &Ctx) -> Option<&Table> {
        let ks = match (&name.keyspace, &ctx.keyspace) {
            (Some(ks), _) => ks.0.as_str(),
            (None, Some(ks)) => ks.as_str(),
            (None, None) => return None,
        };
        if SYSTEM_KEYSPACES.contains(&ks) {
            return None;
        }
        self.keyspaces.get(ks)?.tables.get(&name.name.0)
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
        table: &crate::ast::QualifiedName,
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
        let schema = (
            std::sync::Arc::clone(&t.columns),
            t.partition_key.len(),
            t.clustering.len(),
            t.clustering_types(),
            t.default_ttl,
        );
        let (columns, n_pk, n_ck, types, ttl) = schema;
        // Resolve every named column once; any oddity goes to the general path.
        let mut resolved: Vec<&Column> = Vec::with_capacity(cols.len());
        for c in cols {
            let col = columns.iter().find(|col| col.name == c.0)?;
            if resolved.iter().any(|r| r.name == col.name)
                || col.kind == ColumnKind::Static
                || !is_single_cell(&col.ty)
            {
                return None;
            }
            resolved.push(col);
        }
        let mut pk: Vec<Option<Value>> = vec![None; n_pk];
        let mut ck: Vec<Option<Value>> = vec![None; n_ck];
        let mut regular: Vec<(&Column, Option<Value>)> = Vec::new();
        for (col, term) in resolved.iter().zip(terms) {
            let v = self.eval(term, &col.ty, &col.name, ctx).ok()?;
            match col.kind {
                ColumnKind::PartitionKey(i) => *pk.get_mut(i)? = Some(v?),
                ColumnKind::Clustering(i) => *ck.get_mut(i)? = Some(v?),
                _ => regular.push((col, v)),
            }
        }
        let pk: Vec<Value> = pk.into_iter().collect::<Option<_>>()?;
        let ck: Vec<Value> = ck.into_iter().collect::<Option<_>>()?;
        if check_key(&pk).is_err() {
            return None;
        }
        let ts = ctx.now_us;
        let expires = (ttl > 0).then(|| ctx.now_secs() + i64::from(ttl));
        let key = partition_key(&pk);
        let t = self.user_table_mut(table, ctx)?;
        let existed = t.data.partitions.contains_key(&key);
        let part = t.data.partitions.entry(key.clone()).or_insert_with(|| Partition::new(pk));
        let old = part.row(&types, &ck).cloned();
        let before = old.as_ref().map_or((0, 0), |r| (1, r.size()));
        let shadow = part.shadow_for(&types, &ck);
        let row = part.row_mut(&types, ck.clone());
        row.write_marker(Cell::new(Some(Value::Boolean(true)), ts, ttl, expires), shadow);
        for (col, value) in regular {
            let (cell_ttl, cell_expires) = if value.is_some() { (ttl, expires) } else { (0, None) };
            row.write(&col.name, Cell::new(value, ts, cell_ttl, cell_expires), shadow);
        }
        part.compact_row(&types, &ck);
        let after = part.row(&types, &ck).map_or((0, 0), |r| (1, r.size()));
        if part.is_empty() {
            t.data.partitions.remove(&key);
        }
        if let Err(e) = self.check_limits(before, after) {
            // Put back what was there: the statement changes nothing when it fails.
            if let Some(t) = self.user_table_mut(table, ctx) {
                match (existed, old) {
                    (false, _) => {
                        t.data.partitions.remove(&key);
                    }
                    (true, old) => {
                        if let Some(part) = t.data.partitions.get_mut(&key) {
                            match old {
                                Some(old) => *part.row_mut(&types, ck) = old,
                                None => part.remove_row(&types, &ck),
                            }
                        }
                    }
                }
            }
            return Some(Err(e));
        }
        Some(Ok(Outcome::Void))
    }

    fn user_table_mut(
        &mut self,
        name: &crate::ast::QualifiedName,
        ctx: &Ctx,
    ) -> Option<&mut Table> {
        let ks = match (&name.keyspace, &ctx.keyspace) {
            (Some(ks), _) => ks.0.as_str(),
            (None, Some(ks)) => ks.as_str(),
            (None, None) => return None,
        };
        self.keyspaces.get_mut(ks)?.tables.get_mut(&name.name.0)
    }

    /// `SELECT cols FROM t WHERE <every partition key column> = ? [AND <every clustering
    /// column> = ?]`, without anything else.
    fn fast_select(&mut self, s: &Select, ctx: &Ctx, options: &Options) -> Option<Rows> {
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
        let columns = std::sync::Arc::clone(&t.columns);
        let (n_pk, n_ck) = (t.partition_key.len(), t.clustering.len());
        let (ks_name, table_name) = (t.keyspace.clone(), t.name.clone());
        let types = t.clustering_types();
        // The output columns: `*` in Cassandra's order, or plain columns (with aliases).
        let out: Vec<(&Column, &str)> = if s.items.is_empty() {
            t.select_order()
                .into_iter()
                .filter_map(|c| columns.iter().find(|x| x.name == c.name))
                .map(|c| (c, c.name.as_str()))
                .collect()
        } else {
            let mut out = Vec::with_capacity(s.items.len());
            for item in &s.items {
                let crate::ast::Selector::Column(name) = &item.selector else { return None };
                let col = columns.iter().find(|c| c.name == name.0)?;
                out.push((col, item.alias.as_ref().map_or(col.name.as_str(), |a| a.0.as_str())));
            }
            out
        };
        // Every relation is `key column = pure term`, each key column at most once.
        let mut pk: Vec<Option<&Term>> = vec![None; n_pk];
        let mut ck: Vec<Option<&Term>> = vec![None; n_ck];
        for r in &s.relations {
            let Relation::Compare(RelationLhs::Column(name), Operator::Eq, term) = r else {
                return None;
            };
            if !is_pure(term) {
                return None;
            }
            let col = columns.iter().find(|c| c.name == name.0)?;
            let slot = match col.kind {
                ColumnKind::PartitionKey(i) => pk.get_mut(i)?,
                ColumnKind::Clustering(i) => ck.get_mut(i)?,
                _ => return None,
            };
            if slot.replace(term).is_some() {
                return None;
            }
        }
        let clustered = ck.iter().any(Option::is_some);
        if clustered && ck.iter().any(Option::is_none) {
            return None;
        }
        let mut key = Vec::with_capacity(n_pk);
        for (i, term) in pk.iter().enumerate() {
            let col = columns.iter().find(|c| c.kind == ColumnKind::PartitionKey(i))?;
            key.push(self.eval((*term)?, &col.ty, &col.name, ctx).ok()??);
        }
        if check_key(&key).is_err() {
            return None;
        }
        let mut clustering = Vec::with_capacity(n_ck);
        if clustered {
            for (i, term) in ck.iter().enumerate() {
                let col = columns.iter().find(|c| c.kind == ColumnKind::Clustering(i))?;
                clustering.push(self.eval((*term)?, &col.ty, &col.name, ctx).ok()??);
            }
        }
        let now = ctx.now_secs();
        let t = self.user_table(s.table.as_ref()?, ctx)?;
        let mut rows = Vec::new();
        if let Some(p) = t.data.partitions.get(&partition_key(&key)) {
            let emit = |ck: &[Value], row: &crate::storage::Row| -> Vec<Option<Value>> {
                out.iter()
                    .map(|(col, _)| match col.kind {
                        ColumnKind::PartitionKey(i) => p.key.get(i).cloned(),
                        ColumnKind::Clustering(i) => ck.get(i).cloned(),
                        _ => row
                            .cells
                            .get(&col.name)
                            .filter(|c| c.is_live(now))
                            .and_then(|c| c.live_value(now)),
                    })
                    .collect()
            };
            if clustered {
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
            .map(|(col, name)| spec(&ks_name, &table_name, name, col.ty.clone()))
            .collect();
        Some(Rows { columns, rows, paging_state: None })
    }
}

#[cfg(test)]
mod tests;
