//! INSERT, UPDATE, DELETE and BATCH, lightweight transactions included.

use std::cmp::Ordering;

use super::eval::{normalise_map, normalise_set};
use super::{Ctx, Engine, applied_rows, spec};
use crate::ast::{
    Assignment, BatchKind, Condition, ConditionLhs, Conditions, DeleteTarget, Ident, InsertValues,
    Operator, QualifiedName, Relation, RelationLhs, Statement, Term, Using,
};
use crate::schema::{Column, ColumnKind, Table, is_multi_cell, references_duration};
use crate::storage::{
    Bound, Cell, ElementMeta, ElementOp, Partition, RingKey, Row, Slice, compare_prefix, ring_key,
    write_elements,
};
use crate::types::{CqlType, NativeType, Value, compare, maybe_quote};
use crate::{ColumnSpec, Error, Outcome, Rows};

const MAX_TTL: i64 = 630_720_000;

/// A change to one collection, UDT or counter cell that depends on its current value.
#[derive(Debug, Clone)]
enum CellChange {
    /// Replace the cell.
    Put(Option<Value>),
    /// `DELETE col`: like `Put(None)`, but a multi-cell value is deleted as of the
    /// statement's timestamp rather than the one before it.
    Delete,
    /// Add to a counter.
    Increment(i64),
    /// Append list elements, add set elements or put map entries.
    Add(Value),
    /// Prepend list elements.
    Prepend(Value),
    /// Remove list values, set elements or map keys.
    Remove(Value),
    /// Set or remove one map entry.
    MapEntry(Value, Option<Value>),
    /// Set or remove (with `None`) one list element by index.
    ListIndex(i64, Option<Value>),
    /// Set one UDT field.
    Field(String, Option<Value>),
}

/// One write to apply.
#[derive(Debug, Clone)]
enum Write {
    /// Cell changes to one row (or the static row when `clustering` is `None`).
    Row {
        pk: Vec<Value>,
        clustering: Option<Vec<Value>>,
        marker: bool,
        changes: Vec<(String, CellChange)>,
    },
    /// Delete a whole partition.
    Partition { pk: Vec<Value> },
    /// Delete rows in a clustering slice.
    Range { pk: Vec<Value>, slice: Slice },
    /// Delete one row.
    DeleteRow { pk: Vec<Value>, clustering: Vec<Value> },
}

/// Everything one modification statement will do.
#[derive(Debug, Clone)]
struct Plan {
    ks: String,
    table: String,
    ts: i64,
    ttl: i32,
    writes: Vec<Write>,
    /// LWT: the condition and the row it is checked on.
    condition: Option<LwtCondition>,
    counter: bool,
    /// Whether `IN` restricts the partition key, which a conditional batch refuses.
    pk_in: bool,
}

/// An LWT condition: the partition key and clustering of the row it reads, and the test.
type LwtCondition = (Vec<Value>, Vec<Value>, CondKind);

/// What a write replaced, so a failed statement can be taken back.
#[derive(Debug)]
enum UndoEntry {
    /// A whole partition (`None`: it did not exist).
    Partition { ks: String, table: String, key: RingKey, old: Option<Partition> },
    /// One row (`ck` `None`: the static row; `old` `None`: the row did not exist).
    Row {
        ks: String,
        table: String,
        key: RingKey,
        pk: Vec<Value>,
        ck: Option<Vec<Value>>,
        old: Option<Row>,
    },
}

/// (rows, bytes) of what a statement's writes touched, before and after.
#[derive(Debug, Default)]
struct Usage {
    before: (usize, usize),
    after: (usize, usize),
}

impl Usage {
    fn add_before(&mut self, u: (usize, usize)) {
        self.before = (self.before.0 + u.0, self.before.1 + u.1);
    }
    fn add_after(&mut self, u: (usize, usize)) {
        self.after = (self.after.0 + u.0, self.after.1 + u.1);
    }
}

/// How a row counts towards the limits: a static row counts once it holds cells.
pub(super) fn row_usage(row: Option<&Row>, is_static: bool) -> (usize, usize) {
    match row {
        None => (0, 0),
        Some(r) if is_static => (usize::from(!r.cells.is_empty()), r.size()),
        Some(r) => (1, r.size()),
    }
}

#[derive(Debug, Clone)]
enum CondKind {
    NotExists,
    Exists,
    Columns(Vec<(Column, ConditionEval)>),
}

#[derive(Debug, Clone)]
struct ConditionEval {
    element: Option<Value>,
    field: Option<String>,
    op: Operator,
    values: Vec<Option<Value>>,
}

/// Cassandra refuses an empty partition key (an empty string or blob as the whole key).
pub(super) fn check_key(pk: &[Value]) -> Result<(), Error> {
    let empty = match pk {
        [Value::Text(s) | Value::Ascii(s)] => s.is_empty(),
        [Value::Blob(b)] => b.is_empty(),
        // Fixed-size values are never empty; anything else is checked by its encoding.
        [Value::Int(_) | Value::Bigint(_) | Value::Uuid(_) | Value::Timeuuid(_)] => false,
        [only] => crate::types::serialize(only).is_empty(),
        _ => false,
    };
    if empty {
        return Err(Error::invalid("Key may not be empty"));
    }
    Ok(())
}

/// The ring key of partition key values, as partitions are keyed.
pub(super) fn key_of(pk: &[Value]) -> RingKey {
    crate::types::with_partition_key_bytes(pk, ring_key)
}

/// The values each primary-key column is restricted to (`=` or `IN`), and any clustering slice.
#[derive(Debug, Default)]
struct KeyRestrictions {
    pk: Vec<Option<Vec<Value>>>,
    ck: Vec<Option<Vec<Value>>>,
    slice: Option<(usize, Option<Bound>, Option<Bound>)>,
    has_in: (bool, bool),
    /// A multi-column relation over several clustering columns: their positions and the
    /// value tuples it allows, which are not the product of each column's values.
    ck_tuples: Option<(Vec<usize>, Vec<Vec<Value>>)>,
    /// Regular and static columns named in the WHERE clause, refused after the key checks.
    non_pk: Vec<String>,
}

impl KeyRestrictions {
    /// Records `column(s) op values` as a bound of the clustering slice starting at `idx`.
    fn add_bound(&mut self, idx: usize, op: Operator, values: Vec<Value>) {
        let bound = Bound { values, inclusive: matches!(op, Operator::Lte | Operator::Gte) };
        let (mut start, mut end) = match self.slice.take() {
            Some((_, s, e)) => (s, e),
            None => (None, None),
        };
        if matches!(op, Operator::Gt | Operator::Gte) {
            start = Some(bound);
        } else {
            end = Some(bound);
        }
        self.slice = Some((idx, start, end));
    }

    /// The clustering prefixes the restrictions name.
    fn clustering_keys(&self) -> Result<Vec<Vec<Value>>, Error> {
        let Some((positions, tuples)) = &self.ck_tuples else { return cartesian(&self.ck) };
        // The tuple's columns are consecutive (checked when it is read); single-column
        // restrictions before and after it combine with each tuple.
        let start = positions.first().copied().unwrap_or(0);
        let end = start + positions.len();
        let before = cartesian(self.ck.get(..start).unwrap_or_default())?;
        let after = cartesian(self.ck.get(end..).unwrap_or_default())?;
        let total = before.len().checked_mul(tuples.len()).and_then(|n| n.checked_mul(after.len()));
        if total.is_none_or(|t| t > MAX_IN_KEYS) {
            return Err(too_many_keys());
        }
        let mut out = Vec::new();
        for b in &before {
            for t in tuples {
                for a in &after {
                    out.push([b.as_slice(), t, a].concat());
                }
            }
        }
        Ok(out)
    }

    /// Cassandra's refusal of non-key columns in an UPDATE or DELETE WHERE clause (its
    /// message ends with a space).
    fn check_non_pk(&self) -> Result<(), Error> {
        if self.non_pk.is_empty() {
            return Ok(());
        }
        Err(Error::invalid(format!(
            "Non PRIMARY KEY columns found in where clause: {} ",
            self.non_pk.join(", ")
        )))
    }
}

/// Most keys a statement's `IN` restrictions may combine into.
pub(super) const MAX_IN_KEYS: usize = 10_000;

/// The refusal of a statement whose `IN` lists combine into more than [`MAX_IN_KEYS`].
fn too_many_keys() -> Error {
    Error::LimitExceeded(format!(
        "The IN restrictions of this statement select more than {MAX_IN_KEYS} keys; narrow them down"
    ))
}

/// Every combination of the restricted values, in order; refuses more than
/// [`MAX_IN_KEYS`] so a few `IN` lists cannot exhaust memory.
pub(super) fn cartesian(columns: &[Option<Vec<Value>>]) -> Result<Vec<Vec<Value>>, Error> {
    let total = columns.iter().flatten().try_fold(1usize, |acc, v| acc.checked_mul(v.len().max(1)));
    if total.is_none_or(|t| t > MAX_IN_KEYS) {
        return Err(too_many_keys());
    }
    let mut out: Vec<Vec<Value>> = vec![Vec::new()];
    for vals in columns.iter().flatten() {
        let mut next = Vec::new();
        for prefix in &out {
            for v in vals {
                let mut p = prefix.clone();
                p.push(v.clone());
                next.push(p);
            }
        }
        out = next;
    }
    Ok(out)
}

impl Engine {
    pub(super) fn modify(&mut self, stmt: &Statement, ctx: &Ctx) -> Result<Outcome, Error> {
        let plan = self.plan_modification(stmt, None, false, ctx)?;
        self.apply_plans(vec![plan], ctx, false)
    }

    pub(super) fn batch(
        &mut self,
        kind: BatchKind,
        using: &Using,
        statements: &[Statement],
        ctx: &Ctx,
    ) -> Result<Outcome, Error> {
        if using.ttl.is_some() {
            return Err(Error::invalid("Global TTL on the BATCH statement is not supported."));
        }
        if using.timestamp.is_some() {
            let conditional = statements.iter().any(|s| match s {
                Statement::Insert { if_not_exists, .. } => *if_not_exists,
                Statement::Update { conditions, .. } | Statement::Delete { conditions, .. } => {
                    !matches!(conditions, Conditions::None)
                }
                _ => false,
            });
            if conditional {
                return Err(Error::invalid(
                    "Cannot provide custom timestamp for conditional BATCH",
                ));
            }
            if kind == BatchKind::Counter {
                return Err(Error::invalid("Cannot provide custom timestamp for counter BATCH"));
            }
        }
        let batch_ts = match &using.timestamp {
            Some(t) => Some(self.eval_bigint(t, "[timestamp]", ctx)?),
            None => None,
        };
        let mut plans = Vec::new();
        for s in statements {
            let inner_ts = match s {
                Statement::Insert { using, .. }
                | Statement::Update { using, .. }
                | Statement::Delete { using, .. } => using.timestamp.is_some(),
                _ => false,
            };
            if inner_ts && batch_ts.is_some() {
                return Err(Error::invalid(
                    "Timestamp must be set either on BATCH or individual statements",
                ));
            }
            let plan = self.plan_modification(s, batch_ts, true, ctx)?;
            if plan.counter && batch_ts.is_some() {
                return Err(Error::invalid(
                    "Cannot provide custom timestamp for a BATCH containing counters",
                ));
            }
            match (kind, plan.counter) {
                (BatchKind::Counter, false) => {
                    return Err(Error::invalid(
                        "Cannot include non-counter statement in a counter batch",
                    ));
                }
                (BatchKind::Logged | BatchKind::Unlogged, true) if kind == BatchKind::Logged => {
                    return Err(Error::invalid(
                        "Cannot include a counter statement in a logged batch",
                    ));
                }
                _ => {}
            }
            plans.push(plan);
        }
        // An unlogged batch takes counter updates, only not mixed with other writes.
        if plans.iter().any(|p| p.counter) && plans.iter().any(|p| !p.counter) {
            return Err(Error::invalid(
                "Counter and non-counter mutations cannot exist in the same batch",
            ));
        }
        let conditional = plans.iter().any(|p| p.condition.is_some());
        if let (true, Some(first)) = (conditional, plans.first()) {
            if plans.iter().any(|p| p.table != first.table || p.ks != first.ks) {
                return Err(Error::invalid("Batch with conditions cannot span multiple tables"));
            }
            for p in &plans {
                if p.pk_in {
                    return Err(Error::invalid(
                        "Batch with conditions cannot span multiple partitions (you cannot use IN on the partition key)",
                    ));
                }
                if plan_partition(p) != plan_partition(first) {
                    return Err(Error::invalid(
                        "Batch with conditions cannot span multiple partitions",
                    ));
                }
            }
            let table = self.keyspaces.get(&first.ks).and_then(|k| k.tables.get(&first.table));
            check_batch_condition_kinds(table, &plans)?;
        }
        self.apply_plans(plans, ctx, true)
    }

    fn eval_bigint(&mut self, t: &Term, what: &str, ctx: &Ctx) -> Result<i64, Error> {
        match self.eval(t, &CqlType::Native(NativeType::Bigint), what, ctx)? {
            Some(Value::Bigint(n)) => Ok(n),
            _ => Err(Error::invalid(format!("Invalid null value of {what}"))),
        }
    }

    fn using_values(
        &mut self,
        using: &Using,
        batch_ts: Option<i64>,
        table: &Table,
        ctx: &Ctx,
    ) -> Result<(i64, i32), Error> {
        let ts = match (&using.timestamp, batch_ts) {
            (Some(t), _) => self.eval_bigint(t, "[timestamp]", ctx)?,
            (None, Some(ts)) => ts,
            (None, None) => ctx.now_us,
        };
        // Cassandra keeps the smallest long to mean "no timestamp".
        if ts == i64::MIN {
            return Err(Error::invalid(format!(
                "Out of bound timestamp, must be in [{}, {}]",
                i64::MIN + 1,
                i64::MAX
            )));
        }
        let ttl = match &using.ttl {
            Some(t) => {
                let v = match self.eval(t, &CqlType::Native(NativeType::Int), "[ttl]", ctx)? {
                    Some(Value::Int(n)) => i64::from(n),
                    _ => return Err(Error::invalid("Invalid null value of TTL")),
                };
                if v < 0 {
                    return Err(Error::invalid(format!(
                        "A TTL must be greater or equal to 0, but was {v}"
                    )));
                }
                if v > MAX_TTL {
                    return Err(Error::invalid(format!(
                        "ttl is too large. requested ({v}) maximum ({MAX_TTL})"
                    )));
                }
                i32::try_from(v).unwrap_or(0)
            }
            None => table.default_ttl,
        };
        Ok((ts, ttl))
    }

    /// A copy of the schema of a table the user may write to.
    fn writable_schema(&self, name: &QualifiedName, ctx: &Ctx) -> Result<Table, Error> {
        let ks = self.keyspace_of(name, ctx)?;
        if crate::schema::SYSTEM_KEYSPACES.contains(&ks.as_str()) {
            return Err(Error::Unauthorized(format!("{ks} keyspace is not user-modifiable.")));
        }
        self.schema_of(name, ctx)
    }

    /// A copy of a table's schema without its data.
    pub(crate) fn schema_of(&self, name: &QualifiedName, ctx: &Ctx) -> Result<Table, Error> {
        let t = self.table(name, ctx)?;
        Ok(Table {
            keyspace: t.keyspace.clone(),
            name: t.name.clone(),
            id: t.id,
            columns: t.columns.clone(),
            partition_key: t.partition_key.clone(),
            clustering: t.clustering.clone(),
            options: t.options.clone(),
            default_ttl: t.default_ttl,
            indexes: t.indexes.clone(),
            dropped: t.dropped.clone(),
            ck_types: t.ck_types.clone(),
            data: Default::default(),
        })
    }

    fn plan_modification(
        &mut self,
        stmt: &Statement,
        batch_ts: Option<i64>,
        in_batch: bool,
        ctx: &Ctx,
    ) -> Result<Plan, Error> {
        match stmt {
            Statement::Insert { table, values, if_not_exists, using } => {
                let t = self.writable_schema(table, ctx)?;
                if t.is_counter() {
                    return Err(Error::invalid(
                        "INSERT statements are not allowed on counter tables, use UPDATE instead",
                    ));
                }
                if *if_not_exists && using.timestamp.is_some() {
                    return Err(Error::invalid(
                        "Cannot provide custom timestamp for conditional updates",
                    ));
                }
                let (ts, ttl) = self.using_values(using, batch_ts, &t, ctx)?;
                let pairs: Vec<(String, Option<Value>, bool)> = match values {
                    InsertValues::Values(cols, terms) => {
                        if cols.len() != terms.len() {
                            return Err(Error::invalid("Unmatched column names/values"));
                        }
                        // Cassandra rejects a repeated name before it looks any name up.
                        if cols.iter().enumerate().any(|(i, c)| cols[..i].contains(c)) {
                            return Err(Error::invalid("The column names contains duplicates"));
                        }
                        let mut out: Vec<(String, Option<Value>, bool)> = Vec::new();
                        for (c, term) in cols.iter().zip(terms) {
                            let col = t.existing_column(&c.0)?.clone();
                            let v = self.eval(term, &col.ty, &col.name, ctx)?;
                            out.push((col.name.clone(), v, true));
                        }
                        out
                    }
                    InsertValues::Json(term, default_unset) => {
                        self.json_insert_values(term, *default_unset, &t, ctx)?
                    }
                };
                let get = |name: &str| pairs.iter().find(|(n, _, _)| n == name);
                let mut pk = Vec::new();
                let mut missing = Vec::new();
                for name in t.partition_key.iter() {
                    match get(name) {
                        Some((_, Some(v), _)) => pk.push(v.clone()),
                        Some((_, None, _)) => {
                            return Err(Error::invalid(format!(
                                "Invalid null value in condition for column {}",
                                maybe_quote(name)
                            )));
                        }
                        None => missing.push(maybe_quote(name)),
                    }
                }
                if !missing.is_empty() {
                    return Err(Error::invalid(format!(
                        "Some partition key parts are missing: {}",
                        missing.join(", ")
                    )));
                }
                check_key(&pk)?;
                let mut ck = Vec::new();
                for (name, _) in t.clustering.iter() {
                    match get(name) {
                        Some((_, Some(v), _)) => ck.push(v.clone()),
                        Some((_, None, _)) => {
                            return Err(Error::invalid(format!(
                                "Invalid null value in condition for column {}",
                                maybe_quote(name)
                            )));
                        }
                        None => missing.push(maybe_quote(name)),
                    }
                }
                let only_static = pairs.iter().all(|(n, _, _)| {
                    t.column(n).is_some_and(|c| {
                        matches!(c.kind, ColumnKind::PartitionKey(_) | ColumnKind::Static)
                    })
                });
                if !(missing.is_empty() || only_static && t.has_statics() && ck.is_empty()) {
                    return Err(Error::invalid(format!(
                        "Some clustering keys are missing: {}",
                        missing.join(", ")
                    )));
                }
                let mut regular = Vec::new();
                let mut statics = Vec::new();
                for (name, v, set) in &pairs {
                    if !set {
                        continue;
                    }
                    let Some(col) = t.column(name) else { continue };
                    match col.kind {
                        ColumnKind::Static => {
                            statics.push((name.clone(), CellChange::Put(v.clone())))
                        }
                        ColumnKind::Regular => {
                            regular.push((name.clone(), CellChange::Put(v.clone())))
                        }
                        _ => {}
                    }
                }
                let mut writes = Vec::new();
                if !statics.is_empty() {
                    writes.push(Write::Row {
                        pk: pk.clone(),
                        clustering: None,
                        marker: false,
                        changes: statics,
                    });
                }
                if missing.is_empty() {
                    writes.push(Write::Row {
                        pk: pk.clone(),
                        clustering: Some(ck.clone()),
                        marker: true,
                        changes: regular,
                    });
                }
                let condition =
                    if *if_not_exists { Some((pk, ck, CondKind::NotExists)) } else { None };
                Ok(Plan {
                    ks: t.keyspace.clone(),
                    table: t.name.clone(),
                    ts,
                    ttl,
                    writes,
                    condition,
                    counter: false,
                    pk_in: false,
                })
            }
            Statement::Update { table, using, assignments, relations, conditions } => {
                check_assignments_compatible(assignments)?;
                let t = self.writable_schema(table, ctx)?;
                if !matches!(conditions, Conditions::None) && using.timestamp.is_some() {
                    return Err(Error::invalid(
                        "Cannot provide custom timestamp for conditional updates",
                    ));
                }
                let counter = t.is_counter();
                if counter && using.timestamp.is_some() {
                    return Err(Error::invalid(
                        "Cannot provide custom timestamp for counter updates",
                    ));
                }
                if counter && using.ttl.is_some() {
                    return Err(Error::invalid("Cannot provide custom TTL for counter updates"));
                }
                let (ts, ttl) = self.using_values(using, batch_ts, &t, ctx)?;
                let mut regular = Vec::new();
                let mut statics = Vec::new();
                for a in assignments {
                    let (name, change) = self.assignment(&t, a, ctx)?;
                    let col = t.existing_column(&name)?;
                    if col.kind == ColumnKind::Static {
                        statics.push((name, change));
                    } else {
                        regular.push((name, change));
                    }
                }
                let keys = self.key_restrictions(&t, relations, false, ctx)?;
                let pks = cartesian(&keys.pk)?;
                for pk in &pks {
                    check_key(pk)?;
                }
                let missing_ck: Vec<String> = t
                    .clustering
                    .iter()
                    .zip(keys.ck.iter())
                    .filter(|(_, v)| v.is_none())
                    .map(|((n, _), _)| maybe_quote(n))
                    .collect();
                // A condition on a regular column reads a row, which the WHERE clause
                // must then name even when only static columns are set.
                let only_static = regular.is_empty()
                    && !statics.is_empty()
                    && !conditions_read_regular_columns(&t, conditions);
                if only_static && missing_ck.len() != t.clustering.len() {
                    return Err(Error::invalid(
                        "Invalid restrictions on clustering columns since the UPDATE statement modifies only static columns",
                    ));
                }
                if !only_static && !missing_ck.is_empty() {
                    return Err(Error::invalid(format!(
                        "Some clustering keys are missing: {}",
                        missing_ck.join(", ")
                    )));
                }
                keys.check_non_pk()?;
                let cks = keys.clustering_keys()?;
                if !matches!(conditions, Conditions::None) {
                    lwt_key_checks(&keys, "updates", in_batch)?;
                    if counter {
                        return Err(Error::invalid(
                            "Conditional updates are not supported on counter tables",
                        ));
                    }
                }
                let mut writes = Vec::new();
                for pk in &pks {
                    if !statics.is_empty() {
                        writes.push(Write::Row {
                            pk: pk.clone(),
                            clustering: None,
                            marker: false,
                            changes: statics.clone(),
                        });
                    }
                    // A static-only UPDATE names a row only for its conditions to read.
                    let writes_rows = !regular.is_empty() || statics.is_empty();
                    if missing_ck.is_empty() && writes_rows {
                        for ck in &cks {
                            writes.push(Write::Row {
                                pk: pk.clone(),
                                clustering: Some(ck.clone()),
                                marker: false,
                                changes: regular.clone(),
                            });
                        }
                    }
                }
                let condition = self.plan_condition(&t, conditions, &pks, &cks, ctx)?;
                Ok(Plan {
                    ks: t.keyspace.clone(),
                    table: t.name.clone(),
                    ts,
                    ttl,
                    writes,
                    condition,
                    counter,
                    pk_in: keys.has_in.0,
                })
            }
            Statement::Delete { targets, table, using, relations, conditions } => {
                let t = self.writable_schema(table, ctx)?;
                if !matches!(conditions, Conditions::None) && using.timestamp.is_some() {
                    return Err(Error::invalid(
                        "Cannot provide custom timestamp for conditional updates",
                    ));
                }
                if t.is_counter() && using.timestamp.is_some() {
                    return Err(Error::invalid(
                        "Cannot provide custom timestamp for counter updates",
                    ));
                }
                let (ts, _) = self.using_values(using, batch_ts, &t, ctx)?;
                let keys = self.key_restrictions(&t, relations, true, ctx)?;
                let pks = cartesian(&keys.pk)?;
                for pk in &pks {
                    check_key(pk)?;
                }
                let ck_prefix_len = keys.ck.iter().take_while(|v| v.is_some()).count();
                let full_ck = ck_prefix_len == t.clustering.len() && keys.slice.is_none();
                let cks = keys.clustering_keys()?;
                let mut changes_regular = Vec::new();
                let mut changes_static = Vec::new();
                for target in targets {
                    let target_name = match target {
                        DeleteTarget::Column(c)
                        | DeleteTarget::Element(c, _)
                        | DeleteTarget::Field(c, _) => c,
                    };
                    // Cassandra refuses a key column before it looks at the operation.
                    if t.existing_column(&target_name.0)?.kind.is_primary_key() {
                        return Err(Error::invalid(format!(
                            "Invalid identifier {} for deletion (should not be a PRIMARY KEY part)",
                            maybe_quote(&target_name.0)
                        )));
                    }
                    let (name, change) = match target {
                        DeleteTarget::Column(c) => (c.0.clone(), CellChange::Delete),
                        DeleteTarget::Element(c, k) => {
                            let col = t.existing_column(&c.0)?.clone();
                            match col.ty.unfrozen() {
                                CqlType::List(_) if is_multi_cell(&col.ty) => {
                                    let idx = self.eval(
                                        k,
                                        &CqlType::Native(NativeType::Int),
                                        &format!("idx({})", col.name),
                                        ctx,
                                    )?;
                                    let Some(Value::Int(i)) = idx else {
                                        return Err(Error::invalid(
                                            "Invalid null value for list index",
                                        ));
                                    };
                                    (col.name.clone(), CellChange::ListIndex(i64::from(i), None))
                                }
                                CqlType::Map(kt, _) if is_multi_cell(&col.ty) => {
                                    let key =
                                        self.eval(k, kt, &format!("key({})", col.name), ctx)?;
                                    let Some(key) = key else {
                                        return Err(Error::invalid("Invalid null map key"));
                                    };
                                    (col.name.clone(), CellChange::MapEntry(key, None))
                                }
                                CqlType::Set(et) if is_multi_cell(&col.ty) => {
                                    let e = self.eval(k, et, &col.name, ctx)?;
                                    let Some(e) = e else {
                                        return Err(Error::invalid("Invalid null set element"));
                                    };
                                    (col.name.clone(), CellChange::Remove(Value::Set(vec![e])))
                                }
                                _ => {
                                    return Err(Error::invalid(format!(
                                        "Invalid deletion operation for {} column {}",
                                        if col.ty.is_collection() {
                                            "frozen collection"
                                        } else {
                                            "non collection"
                                        },
                                        maybe_quote(&col.name)
                                    )));
                                }
                            }
                        }
                        DeleteTarget::Field(c, f) => {
                            let col = t.existing_column(&c.0)?;
                            match &col.ty {
                                CqlType::Udt(u) if !u.fields.iter().any(|(n, _)| n == &f.0) => {
                                    return Err(Error::invalid(format!(
                                        "UDT column {} does not have a field named {f}",
                                        maybe_quote(&col.name)
                                    )));
                                }
                                CqlType::Udt(_) => {}
                                CqlType::Frozen(inner) if matches!(**inner, CqlType::Udt(_)) => {
                                    return Err(Error::invalid(format!(
                                        "Frozen UDT column {} does not support field deletions",
                                        maybe_quote(&col.name)
                                    )));
                                }
                                _ => {
                                    return Err(Error::invalid(format!(
                                        "Invalid field deletion operation for non-UDT column {}",
                                        maybe_quote(&col.name)
                                    )));
                                }
                            }
                            (c.0.clone(), CellChange::Field(f.0.clone(), None))
                        }
                    };
                    let col = t.existing_column(&name)?;
                    if col.kind == ColumnKind::Static {
                        changes_static.push((name, change));
                    } else {
                        changes_regular.push((name, change));
                    }
                }
                if changes_regular.is_empty()
                    && !changes_static.is_empty()
                    && (ck_prefix_len > 0 || keys.slice.is_some())
                    && !conditions_read_regular_columns(&t, conditions)
                {
                    return Err(Error::invalid(
                        "Invalid restrictions on clustering columns since the DELETE statement modifies only static columns",
                    ));
                }
                keys.check_non_pk()?;
                // A condition reads one row, so it needs the whole key unless the
                // statement only touches (and only tests) the partition's static row.
                if !matches!(conditions, Conditions::None) && !full_ck {
                    if !changes_regular.is_empty() || changes_static.is_empty() {
                        return Err(Error::invalid(
                            "DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to delete non static columns",
                        ));
                    }
                    if conditions_read_regular_columns(&t, conditions) {
                        return Err(Error::invalid(
                            "DELETE statements must restrict all PRIMARY KEY columns with equality relations in order to use IF condition on non static columns",
                        ));
                    }
                }
                let mut writes = Vec::new();
                if targets.is_empty() {
                    for pk in &pks {
                        if t.clustering.is_empty() {
                            writes
                                .push(Write::DeleteRow { pk: pk.clone(), clustering: Vec::new() });
                        } else if ck_prefix_len == 0 && keys.slice.is_none() {
                            writes.push(Write::Partition { pk: pk.clone() });
                        } else if full_ck {
                            for ck in &cks {
                                writes.push(Write::DeleteRow {
                                    pk: pk.clone(),
                                    clustering: ck.clone(),
                                });
                            }
                        } else {
                            for prefix in &cks {
                                let (start, end) = match &keys.slice {
                                    Some((_, s, e)) => (s.clone(), e.clone()),
                                    None => (None, None),
                                };
                                writes.push(Write::Range {
                                    pk: pk.clone(),
                                    slice: Slice { prefix: prefix.clone(), start, end },
                                });
                            }
                        }
                    }
                } else {
                    if !full_ck && !changes_regular.is_empty() {
                        return Err(Error::invalid(
                            "Range deletions are not supported for specific columns",
                        ));
                    }
                    for pk in &pks {
                        if !changes_static.is_empty() {
                            writes.push(Write::Row {
                                pk: pk.clone(),
                                clustering: None,
                                marker: false,
                                changes: changes_static.clone(),
                            });
                        }
                        if !changes_regular.is_empty() {
                            for ck in &cks {
                                writes.push(Write::Row {
                                    pk: pk.clone(),
                                    clustering: Some(ck.clone()),
                                    marker: false,
                                    changes: changes_regular.clone(),
                                });
                            }
                        }
                    }
                }
                if !matches!(conditions, Conditions::None) {
                    lwt_key_checks(&keys, "deletions", in_batch)?;
                }
                let condition = self.plan_condition(&t, conditions, &pks, &cks, ctx)?;
                Ok(Plan {
                    ks: t.keyspace.clone(),
                    table: t.name.clone(),
                    ts,
                    ttl: 0,
                    writes,
                    condition,
                    counter: t.is_counter(),
                    pk_in: keys.has_in.0,
                })
            }
            _ => Err(Error::invalid(
                "Only INSERT, UPDATE and DELETE statements are allowed in a BATCH",
            )),
        }
    }

    fn plan_condition(
        &mut self,
        t: &Table,
        conditions: &Conditions,
        pks: &[Vec<Value>],
        cks: &[Vec<Value>],
        ctx: &Ctx,
    ) -> Result<Option<LwtCondition>, Error> {
        let pk = pks.first().cloned().unwrap_or_default();
        let ck = cks.first().cloned().unwrap_or_default();
        Ok(match conditions {
            Conditions::None => None,
            Conditions::Exists => Some((pk, ck, CondKind::Exists)),
            Conditions::Columns(cs) => {
                let mut out = Vec::new();
                for c in cs {
                    out.push(self.condition(t, c, ctx)?);
                }
                Some((pk, ck, CondKind::Columns(out)))
            }
        })
    }

    fn condition(
        &mut self,
        t: &Table,
        c: &Condition,
        ctx: &Ctx,
    ) -> Result<(Column, ConditionEval), Error> {
        let (name, element, field) = match &c.lhs {
            ConditionLhs::Column(n) => (n.0.clone(), None, None),
            ConditionLhs::Element(n, k) => (n.0.clone(), Some(k.clone()), None),
            ConditionLhs::Field(n, f) => (n.0.clone(), None, Some(f.0.clone())),
        };
        let col = t.existing_column(&name)?.clone();
        if col.kind.is_primary_key() {
            return Err(Error::invalid(format!(
                "PRIMARY KEY column '{}' cannot have IF conditions",
                col.name
            )));
        }
        let mut value_ty = col.ty.clone();
        let mut elem_value = None;
        if let Some(k) = &element {
            match col.ty.unfrozen() {
                CqlType::List(et) => {
                    elem_value = self.eval(
                        k,
                        &CqlType::Native(NativeType::Int),
                        &format!("idx({})", col.name),
                        ctx,
                    )?;
                    match &elem_value {
                        None => {
                            return Err(Error::invalid(
                                "Invalid null value for list element access",
                            ));
                        }
                        Some(Value::Int(i)) if *i < 0 => {
                            return Err(Error::invalid(format!("Invalid negative list index {i}")));
                        }
                        _ => {}
                    }
                    value_ty = (**et).clone();
                }
                CqlType::Map(kt, vt) => {
                    elem_value = self.eval(k, kt, &format!("key({})", col.name), ctx)?;
                    if elem_value.is_none() {
                        return Err(Error::invalid("Invalid null value for map element access"));
                    }
                    value_ty = (**vt).clone();
                }
                CqlType::Set(_) => {
                    return Err(Error::invalid(format!(
                        "Invalid element access syntax for set column {}",
                        col.name
                    )));
                }
                _ => {
                    return Err(Error::invalid(format!(
                        "Invalid element access syntax for non-collection column {}",
                        col.name
                    )));
                }
            }
        }
        if let Some(f) = &field {
            let CqlType::Udt(u) = col.ty.unfrozen() else {
                return Err(Error::invalid(format!(
                    "Invalid field selection: {} of type {} is not a user type",
                    col.name, col.ty
                )));
            };
            let Some((_, fty)) = u.fields.iter().find(|(n, _)| n == f) else {
                return Err(Error::invalid(format!("Unknown field {f} in user type {}", u.name)));
            };
            value_ty = fty.clone();
        }
        if matches!(c.op, Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte)
            && references_duration(&value_ty)
        {
            let what = match value_ty.unfrozen() {
                CqlType::List(_) | CqlType::Set(_) | CqlType::Map(..) => Some("collections"),
                CqlType::Tuple(_) => Some("tuples"),
                CqlType::Udt(_) => Some("UDTs"),
                _ => None,
            };
            return Err(Error::invalid(match what {
                Some(w) => {
                    format!("Slice conditions are not supported on {w} containing durations")
                }
                None => format!("Slice conditions ( {} ) are not supported on durations", c.op),
            }));
        }
        // Cassandra names the value of an element or field condition after what it reads.
        let receiver = match (&element, &field) {
            (Some(_), _) => format!("value({})", col.name),
            (None, Some(f)) => format!("{}.{f}", col.name),
            (None, None) => col.name.clone(),
        };
        let values = match (&c.op, &c.value) {
            (Operator::In, Term::Tuple(items)) => {
                let mut out = Vec::new();
                for i in items {
                    out.push(self.eval(i, &value_ty, &receiver, ctx)?);
                }
                out
            }
            (Operator::Contains | Operator::ContainsKey, v)
                if element.is_none() && field.is_none() =>
            {
                let key = c.op == Operator::ContainsKey;
                let (ty, receiver) = match col.ty.unfrozen() {
                    CqlType::Map(kt, _) if key => ((**kt).clone(), format!("key({})", col.name)),
                    CqlType::Map(_, vt) => ((**vt).clone(), format!("value({})", col.name)),
                    CqlType::List(et) | CqlType::Set(et) if !key => {
                        ((**et).clone(), format!("value({})", col.name))
                    }
                    _ if key => {
                        return Err(Error::invalid(format!(
                            "Cannot use CONTAINS KEY on non-map column {}",
                            col.name
                        )));
                    }
                    _ => {
                        return Err(Error::invalid(format!(
                            "Cannot use CONTAINS on non-collection column {}",
                            col.name
                        )));
                    }
                };
                vec![self.eval(v, &ty, &receiver, ctx)?]
            }
            (Operator::Contains | Operator::ContainsKey | Operator::Like, _) => {
                return Err(Error::invalid(format!("Unsupported operator {} in conditions", c.op)));
            }
            (_, v) => vec![self.eval(v, &value_ty, &receiver, ctx)?],
        };
        Ok((col, ConditionEval { element: elem_value, field, op: c.op, values }))
    }

    fn assignment(
        &mut self,
        t: &Table,
        a: &Assignment,
        ctx: &Ctx,
    ) -> Result<(String, CellChange), Error> {
        let name = assigned_column(a).0.clone();
        let col = t.existing_column(&name)?.clone();
        if col.kind.is_primary_key() {
            return Err(Error::invalid(format!(
                "PRIMARY KEY part {} found in SET part",
                maybe_quote(&col.name)
            )));
        }
        let is_counter = col.ty.native() == Some(NativeType::Counter);
        let change = match a {
            Assignment::Set(_, term) => {
                if is_counter {
                    return Err(Error::invalid(format!(
                        "Cannot set the value of counter column {} (counters can only be incremented/decremented, not set)",
                        maybe_quote(&col.name)
                    )));
                }
                CellChange::Put(self.eval(term, &col.ty, &col.name, ctx)?)
            }
            Assignment::Add(_, term) | Assignment::Subtract(_, term) => {
                let add = matches!(a, Assignment::Add(..));
                if is_counter {
                    // Typed as the counter column itself, so errors name the type `counter`.
                    let n = match self.eval(term, &col.ty, &col.name, ctx)? {
                        Some(Value::Counter(n) | Value::Bigint(n)) => n,
                        _ => {
                            return Err(Error::invalid("Invalid null value for counter increment"));
                        }
                    };
                    CellChange::Increment(if add { n } else { n.wrapping_neg() })
                } else if is_multi_cell(&col.ty) && col.ty.is_collection() {
                    let ty = match (col.ty.unfrozen(), add) {
                        (CqlType::Map(kt, _), false) => CqlType::Set(kt.clone()),
                        (other, _) => other.clone(),
                    };
                    let v = match self.eval(term, &ty, &col.name, ctx) {
                        // Cassandra words a map operand of the wrong kind in its own terms.
                        Err(Error::Invalid(_)) if matches!(col.ty, CqlType::Map(..)) => {
                            return Err(Error::invalid(if add {
                                format!(
                                    "Value for a map addition has to be a map, but was: '{term}'"
                                )
                            } else {
                                format!(
                                    "Value for a map substraction has to be a set, but was: '{term}'"
                                )
                            }));
                        }
                        other => other?,
                    };
                    // Adding or removing null changes nothing in a non-frozen collection.
                    let Some(v) = v else {
                        let nothing = match ty {
                            CqlType::List(_) => Value::List(Vec::new()),
                            CqlType::Map(..) => Value::Map(Vec::new()),
                            _ => Value::Set(Vec::new()),
                        };
                        let change = if add {
                            CellChange::Add(nothing)
                        } else {
                            CellChange::Remove(nothing)
                        };
                        return Ok((col.name.clone(), change));
                    };
                    if add { CellChange::Add(v) } else { CellChange::Remove(v) }
                } else {
                    let sign = if add { '+' } else { '-' };
                    // Cassandra names what the column is, in this order; only an
                    // addition singles out tuples.
                    let what = if col.ty.is_collection() {
                        "frozen collection"
                    } else if add && matches!(col.ty.unfrozen(), CqlType::Tuple(_)) {
                        "tuple"
                    } else {
                        "non counter"
                    };
                    return Err(Error::invalid(format!(
                        "Invalid operation ({} = {} {sign} {term}) for {what} column {}",
                        maybe_quote(&col.name),
                        maybe_quote(&col.name),
                        maybe_quote(&col.name)
                    )));
                }
            }
            Assignment::Prepend(_, term) => {
                // Cassandra reads the value for the column before it checks the operation.
                let value = self.eval(term, &col.ty, &col.name, ctx)?;
                if !matches!(col.ty, CqlType::List(_)) {
                    let what = if matches!(col.ty.unfrozen(), CqlType::List(_)) {
                        "frozen list"
                    } else {
                        "non list"
                    };
                    // Cassandra prints a prepend as `c = t - c` in this message.
                    return Err(Error::invalid(format!(
                        "Invalid operation ({} = {term} - {}) for {what} column {}",
                        maybe_quote(&col.name),
                        maybe_quote(&col.name),
                        maybe_quote(&col.name)
                    )));
                }
                match value {
                    Some(v) => CellChange::Prepend(v),
                    // Prepending null changes nothing.
                    None => CellChange::Prepend(Value::List(Vec::new())),
                }
            }
            Assignment::SetElement(_, key, term) => match &col.ty {
                CqlType::List(et) => {
                    let idx = self.eval(
                        key,
                        &CqlType::Native(NativeType::Int),
                        &format!("idx({})", col.name),
                        ctx,
                    )?;
                    let Some(Value::Int(i)) = idx else {
                        return Err(Error::invalid("Invalid null value for list index"));
                    };
                    let v = self.eval(term, et, &col.name, ctx)?;
                    CellChange::ListIndex(i64::from(i), v)
                }
                CqlType::Map(kt, vt) => {
                    let k = self.eval(key, kt, &format!("key({})", col.name), ctx)?;
                    let Some(k) = k else { return Err(Error::invalid("Invalid null map key")) };
                    let v = self.eval(term, vt, &format!("value({})", col.name), ctx)?;
                    CellChange::MapEntry(k, v)
                }
                ty => {
                    let what = if !ty.is_collection() {
                        "non collection"
                    } else if matches!(ty, CqlType::Frozen(_)) {
                        "frozen collection"
                    } else {
                        "set"
                    };
                    return Err(Error::invalid(format!(
                        "Invalid operation ({}[{key}] = {term}) for {what} column {}",
                        maybe_quote(&col.name),
                        maybe_quote(&col.name)
                    )));
                }
            },
            Assignment::SetField(_, field, term) => {
                let CqlType::Udt(u) = &col.ty else {
                    let what = if matches!(col.ty.unfrozen(), CqlType::Udt(_)) {
                        "frozen UDT"
                    } else {
                        "non-UDT"
                    };
                    return Err(Error::invalid(format!(
                        "Invalid operation ({}.{field} = {term}) for {what} column {}",
                        maybe_quote(&col.name),
                        maybe_quote(&col.name)
                    )));
                };
                let Some((_, fty)) = u.fields.iter().find(|(n, _)| n == &field.0) else {
                    return Err(Error::invalid(format!(
                        "UDT column {} does not have a field named {}",
                        maybe_quote(&col.name),
                        field
                    )));
                };
                let v = self.eval(term, fty, &format!("{}.{}", col.name, field.0), ctx)?;
                CellChange::Field(field.0.clone(), v)
            }
        };
        Ok((col.name.clone(), change))
    }

    /// The `=`/`IN` restrictions of an UPDATE or DELETE, with Cassandra's checks.
    fn key_restrictions(
        &mut self,
        t: &Table,
        relations: &[Relation],
        allow_slice: bool,
        ctx: &Ctx,
    ) -> Result<KeyRestrictions, Error> {
        let mut kr = KeyRestrictions {
            pk: vec![None; t.partition_key.len()],
            ck: vec![None; t.clustering.len()],
            ..KeyRestrictions::default()
        };
        let mut non_pk = Vec::new();
        for r in relations {
            let (lhs, op, values) = match r {
                Relation::Compare(lhs, op, term) => (lhs, *op, vec![term.clone()]),
                Relation::In(lhs, terms) => (lhs, Operator::In, terms.clone()),
                Relation::IsNotNull(c) => {
                    return Err(Error::invalid(format!(
                        "Unsupported restriction: {} IS NOT NULL",
                        maybe_quote(&c.0)
                    )));
                }
            };
            if matches!(op, Operator::Contains | Operator::ContainsKey) {
                // Cassandra checks the operator against the column's type first; a
                // collection that is not part of the key is then refused with the other
                // non-key columns.
                if let RelationLhs::Column(c) = lhs {
                    let col = t.existing_column(&c.0)?;
                    let is_map = matches!(col.ty.unfrozen(), CqlType::Map(..));
                    let is_collection = col.ty.is_collection();
                    if op == Operator::ContainsKey && !is_map {
                        return Err(Error::invalid(format!(
                            "Cannot use CONTAINS KEY on non-map column {}",
                            maybe_quote(&col.name)
                        )));
                    }
                    if op == Operator::Contains && !is_collection {
                        return Err(Error::invalid(format!(
                            "Cannot use CONTAINS on non-collection column {}",
                            maybe_quote(&col.name)
                        )));
                    }
                    if !col.kind.is_primary_key() {
                        non_pk.push(maybe_quote(&col.name));
                        continue;
                    }
                }
                return Err(Error::invalid(format!(
                    "Cannot use {} with {op}",
                    if allow_slice { "DELETE" } else { "UPDATE" }
                )));
            }
            let name = match lhs {
                RelationLhs::Column(c) => c.0.clone(),
                RelationLhs::Token(_) => {
                    return Err(Error::invalid(format!(
                        "The token function cannot be used in WHERE clauses for {} statements",
                        if allow_slice { "DELETE" } else { "UPDATE" }
                    )));
                }
                RelationLhs::Columns(cs) => {
                    if !allow_slice
                        && matches!(op, Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte)
                    {
                        return Err(Error::invalid(
                            "Slice restrictions are not supported on the clustering columns in UPDATE statements",
                        ));
                    }
                    let mut cols = Vec::with_capacity(cs.len());
                    for c in cs {
                        let col = t.existing_column(&c.0)?.clone();
                        let ColumnKind::Clustering(i) = col.kind else {
                            return Err(Error::invalid(format!(
                                "Multi-column relations can only be applied to clustering columns but was applied to: {}",
                                col.name
                            )));
                        };
                        cols.push((i, col));
                    }
                    if cols.windows(2).any(|w| w[1].0 != w[0].0 + 1) {
                        return Err(Error::invalid(
                            "Clustering columns must appear in the PRIMARY KEY order in multi-column relations",
                        ));
                    }
                    if matches!(op, Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte) {
                        // A tuple bound is a clustering prefix, which is what a range
                        // deletion's bounds already are.
                        let term = values.first().unwrap_or(&Term::Null);
                        let bound = self.key_tuple(&cols, term, ctx)?;
                        let first = cols.first().map_or(0, |(i, _)| *i);
                        kr.add_bound(first, op, bound);
                        continue;
                    }
                    if !matches!(op, Operator::Eq | Operator::In) {
                        return Err(Error::invalid(format!("Unsupported \"{op}\" relation: {r}")));
                    }
                    let mut tuples = Vec::with_capacity(values.len());
                    for term in &values {
                        tuples.push(self.key_tuple(&cols, term, ctx)?);
                    }
                    if op == Operator::In {
                        kr.has_in.1 = true;
                    }
                    // Each column keeps the values it takes, which is what the prefix and
                    // missing-column checks look at; the tuples themselves say which
                    // combinations are written when they span several columns.
                    for (n, (i, col)) in cols.iter().enumerate() {
                        let vals: Vec<Value> =
                            tuples.iter().filter_map(|tuple| tuple.get(n).cloned()).collect();
                        if let Some(slot) = kr.ck.get_mut(*i) {
                            *slot = Some(normalise_set(&col.ty, vals));
                        }
                    }
                    if cols.len() > 1 {
                        let positions = cols.iter().map(|(i, _)| *i).collect();
                        kr.ck_tuples = Some((positions, tuples));
                    }
                    continue;
                }
                RelationLhs::Element(c, _) => c.0.clone(),
            };
            let col = t.existing_column(&name)?.clone();
            let (idx, is_pk) = match col.kind {
                ColumnKind::PartitionKey(i) => (i, true),
                ColumnKind::Clustering(i) => (i, false),
                _ => {
                    non_pk.push(maybe_quote(&col.name));
                    continue;
                }
            };
            match op {
                Operator::Eq | Operator::In => {
                    let mut vals = Vec::new();
                    for v in &values {
                        match self.eval(v, &col.ty, &col.name, ctx)? {
                            Some(v) => vals.push(v),
                            None => {
                                return Err(Error::invalid(format!(
                                    "Invalid null value in condition for column {}",
                                    maybe_quote(&col.name)
                                )));
                            }
                        }
                    }
                    if op == Operator::In {
                        if is_pk {
                            kr.has_in.0 = true;
                        } else {
                            kr.has_in.1 = true;
                        }
                        let ty = col.ty.clone();
                        vals = normalise_set(&ty, vals);
                    }
                    let slot = if is_pk { kr.pk.get_mut(idx) } else { kr.ck.get_mut(idx) };
                    if let Some(slot) = slot {
                        if slot.is_some() {
                            return Err(Error::invalid(format!(
                                "{} cannot be restricted by more than one relation if it includes an Equal",
                                maybe_quote(&col.name)
                            )));
                        }
                        *slot = Some(vals);
                    }
                }
                Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte
                    if !is_pk && allow_slice =>
                {
                    let v =
                        self.eval(values.first().unwrap_or(&Term::Null), &col.ty, &col.name, ctx)?;
                    let Some(v) = v else {
                        return Err(Error::invalid(format!(
                            "Invalid null value in condition for column {}",
                            maybe_quote(&col.name)
                        )));
                    };
                    kr.add_bound(idx, op, vec![v]);
                }
                _ => {
                    if is_pk {
                        return Err(Error::invalid(format!(
                            "Only EQ and IN relation are supported on the partition key (unless you use the token() function) for {} statements",
                            if allow_slice { "DELETE" } else { "UPDATE" }
                        )));
                    }
                    if matches!(op, Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte) {
                        return Err(Error::invalid(
                            "Slice restrictions are not supported on the clustering columns in UPDATE statements",
                        ));
                    }
                    return Err(Error::invalid(format!(
                        "Invalid operator {op} for PRIMARY KEY part {}",
                        maybe_quote(&col.name)
                    )));
                }
            }
        }
        let missing: Vec<String> = t
            .partition_key
            .iter()
            .zip(&kr.pk)
            .filter(|(_, v)| v.is_none())
            .map(|(n, _)| maybe_quote(n))
            .collect();
        if !missing.is_empty() {
            return Err(Error::invalid(format!(
                "Some partition key parts are missing: {}",
                missing.join(", ")
            )));
        }
        // Clustering restrictions must form a prefix, optionally ending in a slice.
        let prefix = kr.ck.iter().take_while(|v| v.is_some()).count();
        if let Some(pos) = kr.ck.iter().skip(prefix).position(Option::is_some) {
            let restricted =
                t.clustering.get(prefix + pos).map(|(n, _)| n.clone()).unwrap_or_default();
            let preceding = t.clustering.get(prefix).map(|(n, _)| n.clone()).unwrap_or_default();
            return Err(Error::invalid(format!(
                "PRIMARY KEY column \"{restricted}\" cannot be restricted as preceding column \"{preceding}\" is not restricted"
            )));
        }
        if let Some((idx, _, _)) = &kr.slice
            && *idx != prefix
        {
            let col = t.clustering.get(*idx).map(|(n, _)| n.clone()).unwrap_or_default();
            let preceding = t.clustering.get(prefix).map(|(n, _)| n.clone()).unwrap_or_default();
            return Err(Error::invalid(format!(
                "PRIMARY KEY column \"{col}\" cannot be restricted as preceding column \"{preceding}\" is not restricted"
            )));
        }
        kr.non_pk = non_pk;
        Ok(kr)
    }

    /// One tuple of a multi-column relation, evaluated against its columns.
    fn key_tuple(
        &mut self,
        cols: &[(usize, Column)],
        term: &Term,
        ctx: &Ctx,
    ) -> Result<Vec<Value>, Error> {
        let Term::Tuple(items) = term else {
            return Err(Error::invalid("Expected a tuple of values for a multi-column relation"));
        };
        if items.len() != cols.len() {
            return Err(Error::invalid(format!(
                "Expected {} elements in value tuple, but got {}: {term}",
                cols.len(),
                items.len(),
            )));
        }
        let mut out = Vec::with_capacity(items.len());
        for ((_, col), item) in cols.iter().zip(items) {
            let Some(val) = self.eval(item, &col.ty, &col.name, ctx)? else {
                return Err(Error::invalid(format!(
                    "Invalid null value in condition for column {}",
                    col.name
                )));
            };
            out.push(val);
        }
        Ok(out)
    }

    /// Applies plans atomically: all of them, or (on any error) none.
    fn apply_plans(
        &mut self,
        plans: Vec<Plan>,
        ctx: &Ctx,
        is_batch: bool,
    ) -> Result<Outcome, Error> {
        // LWT: check the (single) condition first.
        let conditional: Vec<&Plan> = plans.iter().filter(|p| p.condition.is_some()).collect();
        if !conditional.is_empty() {
            let mut all_applied = true;
            let mut failure: Option<Rows> = None;
            for plan in &conditional {
                let Some((pk, ck, kind)) = &plan.condition else { continue };
                let (applied, rows) = self.check_condition(plan, pk, ck, kind, ctx, is_batch)?;
                if !applied {
                    all_applied = false;
                    if failure.is_none() {
                        failure = Some(rows);
                    }
                }
            }
            let first =
                conditional.first().map(|p| (p.ks.clone(), p.table.clone())).unwrap_or_default();
            if !all_applied {
                if is_batch {
                    return Ok(Outcome::Rows(self.batch_failure_rows(&conditional, ctx)?));
                }
                return Ok(Outcome::Rows(
                    failure.unwrap_or_else(|| applied_rows(&first.0, &first.1, false, Vec::new())),
                ));
            }
            self.apply_writes(&plans, ctx)?;
            return Ok(Outcome::Rows(applied_rows(&first.0, &first.1, true, Vec::new())));
        }
        self.apply_writes(&plans, ctx)?;
        Ok(Outcome::Void)
    }

    /// What a failed conditional batch answers, as Cassandra builds it: one row per
    /// existing row its conditions read (the partition's first row when they only read
    /// static columns, or its static row alone when it has no rows), with the primary
    /// key and every column a condition names, or every column when one of the
    /// conditions is `IF [NOT] EXISTS`.
    fn batch_failure_rows(&self, conditional: &[&Plan], ctx: &Ctx) -> Result<Rows, Error> {
        let Some(first) = conditional.first() else { return Ok(Rows::default()) };
        let Some(t) = self.keyspaces.get(&first.ks).and_then(|k| k.tables.get(&first.table)) else {
            return Err(Error::invalid(format!("table {} does not exist", first.table)));
        };
        let now = ctx.now_secs();
        let types = t.clustering_types();
        let mut pk: &[Value] = &[];
        let mut keys: Vec<&[Value]> = Vec::new();
        let mut all_columns = false;
        let mut named: Vec<&str> = Vec::new();
        for plan in conditional {
            let Some((p, ck, kind)) = &plan.condition else { continue };
            pk = p;
            if !ck.is_empty() {
                keys.push(ck);
            }
            match kind {
                CondKind::NotExists | CondKind::Exists => all_columns = true,
                CondKind::Columns(conds) => {
                    named.extend(conds.iter().map(|(c, _)| c.name.as_str()))
                }
            }
        }
        keys.sort_by(|a, b| compare_prefix(&types, a, b));
        keys.dedup_by(|a, b| compare_prefix(&types, a, b) == Ordering::Equal);
        let cols: Vec<&Column> = t
            .select_order()
            .into_iter()
            .filter(|c| all_columns || c.kind.is_primary_key() || named.contains(&c.name.as_str()))
            .collect();
        let part = t.data.get(&key_of(pk));
        let static_value = |c: &Column| {
            part.and_then(|p| p.static_row.cells.get(&c.name)).and_then(|v| v.live_value(now))
        };
        // With only static conditions Cassandra reads the partition's first live row, to
        // tell a partition without static values from an absent one.
        let read: Vec<(&[Value], &Row)> = if keys.is_empty() {
            part.and_then(|p| p.rows().iter().find(|(_, r)| r.is_live(now)))
                .map(|(ck, r)| (&**ck, r))
                .into_iter()
                .collect()
        } else {
            keys.iter()
                .filter_map(|ck| {
                    let row = part.and_then(|p| p.row(&types, ck)).filter(|r| r.is_live(now))?;
                    Some((*ck, row))
                })
                .collect()
        };
        let mut rows = Vec::new();
        for (ck, row) in read {
            let mut values = vec![Some(Value::Boolean(false))];
            values.extend(cols.iter().map(|c| match c.kind {
                ColumnKind::PartitionKey(i) => pk.get(i).cloned(),
                ColumnKind::Clustering(i) => ck.get(i).cloned(),
                ColumnKind::Static => static_value(c),
                ColumnKind::Regular => row.cells.get(&c.name).and_then(|v| v.live_value(now)),
            }));
            rows.push(values);
        }
        let reads_static = cols.iter().any(|c| c.kind == ColumnKind::Static);
        if rows.is_empty() && reads_static && part.is_some_and(|p| p.static_row.is_live(now)) {
            let mut values = vec![Some(Value::Boolean(false))];
            values.extend(cols.iter().map(|c| match c.kind {
                ColumnKind::PartitionKey(i) => pk.get(i).cloned(),
                ColumnKind::Static => static_value(c),
                _ => None,
            }));
            rows.push(values);
        }
        if rows.is_empty() {
            return Ok(applied_rows(&t.keyspace, &t.name, false, Vec::new()));
        }
        let specs = cols
            .iter()
            .map(|c| (spec(&t.keyspace, &t.name, &c.name, c.ty.clone()), None))
            .collect();
        let mut answer = applied_rows(&t.keyspace, &t.name, false, specs);
        answer.rows = rows;
        Ok(answer)
    }

    fn check_condition(
        &self,
        plan: &Plan,
        pk: &[Value],
        ck: &[Value],
        kind: &CondKind,
        ctx: &Ctx,
        is_batch: bool,
    ) -> Result<(bool, Rows), Error> {
        let keyspace = self.keyspaces.get(&plan.ks);
        let Some(t) = keyspace.and_then(|k| k.tables.get(&plan.table)) else {
            return Err(Error::invalid(format!("table {} does not exist", plan.table)));
        };
        let now = ctx.now_secs();
        let types = t.clustering_types();
        let part = t.data.get(&key_of(pk));
        let row = part.and_then(|p| p.row(&types, ck)).filter(|r| r.is_live(now));
        let static_live = part.is_some_and(|p| p.static_row.is_live(now));
        // A statement on the static row alone (no clustering values) asks whether the
        // partition's static row exists, whatever its other rows.
        let exists = if ck.is_empty() && !t.clustering.is_empty() {
            static_live
        } else {
            row.is_some() || (t.clustering.is_empty() && static_live)
        };
        let value_of = |col: &Column| -> Option<Value> {
            match col.kind {
                ColumnKind::PartitionKey(i) => pk.get(i).cloned(),
                ColumnKind::Clustering(i) => ck.get(i).cloned(),
                ColumnKind::Static => part
                    .and_then(|p| p.static_row.cells.get(&col.name))
                    .and_then(|c| c.live_value(now)),
                ColumnKind::Regular => {
                    row.and_then(|r| r.cells.get(&col.name)).and_then(|c| c.live_value(now))
                }
            }
        };
        let cspec = |c: &Column| spec(&t.keyspace, &t.name, &c.name, c.ty.clone());
        match kind {
            CondKind::NotExists | CondKind::Exists => {
                let want_exists = matches!(kind, CondKind::Exists);
                if exists == want_exists {
                    return Ok((true, Rows::default()));
                }
                if !exists {
                    return Ok((false, applied_rows(&t.keyspace, &t.name, false, Vec::new())));
                }
                let extra: Vec<(ColumnSpec, Option<Value>)> =
                    t.select_order().into_iter().map(|c| (cspec(c), value_of(c))).collect();
                Ok((false, applied_rows(&t.keyspace, &t.name, false, extra)))
            }
            CondKind::Columns(conds) => {
                let mut ok = true;
                for (col, cond) in conds {
                    let current = value_of(col);
                    let current = match (&cond.element, &cond.field, current) {
                        (Some(k), _, Some(Value::Map(entries))) => entries
                            .iter()
                            .find(|(ek, _)| {
                                let CqlType::Map(kt, _) = col.ty.unfrozen() else { return false };
                                compare(kt, ek, k) == Ordering::Equal
                            })
                            .map(|(_, v)| v.clone()),
                        (Some(Value::Int(i)), _, Some(Value::List(items))) => {
                            usize::try_from(*i).ok().and_then(|i| items.get(i)).cloned()
                        }
                        (Some(_), _, _) => None,
                        (None, Some(f), Some(Value::Udt(fields))) => {
                            fields.iter().find(|(n, _)| n == f).and_then(|(_, v)| v.clone())
                        }
                        (None, Some(_), _) => None,
                        (None, None, v) => v,
                    };
                    let ty = condition_value_type(col, cond);
                    if !condition_holds(&ty, cond.op, current.as_ref(), &cond.values)? {
                        ok = false;
                    }
                }
                if ok {
                    return Ok((true, Rows::default()));
                }
                // Cassandra reads the conditions' columns: a static one finds the
                // partition's static row even when the targeted row is absent, and
                // conditions on static columns alone read the partition's first row.
                let is_static = |c: &Column| c.kind == ColumnKind::Static;
                let partition_live = static_live
                    || part.is_some_and(|p| p.rows().iter().any(|(_, r)| r.is_live(now)));
                let reads_row = exists
                    || static_live && conds.iter().any(|(c, _)| is_static(c))
                    || partition_live && conds.iter().all(|(c, _)| is_static(c));
                if !reads_row {
                    return Ok((false, applied_rows(&t.keyspace, &t.name, false, Vec::new())));
                }
                let mut cols: Vec<&Column> = Vec::new();
                if is_batch {
                    for c in t.select_order() {
                        if c.kind.is_primary_key() {
                            cols.push(c);
                        }
                    }
                }
                for (c, _) in conds {
                    if !cols.iter().any(|x| x.name == c.name)
                        && let Some(tc) = t.column(&c.name)
                    {
                        cols.push(tc);
                    }
                }
                let extra = cols.into_iter().map(|c| (cspec(c), value_of(c))).collect();
                Ok((false, applied_rows(&t.keyspace, &t.name, false, extra)))
            }
        }
    }

    fn apply_writes(&mut self, plans: &[Plan], ctx: &Ctx) -> Result<(), Error> {
        let mut undo: Vec<UndoEntry> = Vec::new();
        let mut usage = Usage::default();
        let result = self
            .apply_writes_inner(plans, ctx, &mut undo, &mut usage)
            .and_then(|()| self.check_limits(usage.before, usage.after));
        if result.is_err() {
            for entry in undo.into_iter().rev() {
                self.undo(entry);
            }
        }
        result
    }

    fn undo(&mut self, entry: UndoEntry) {
        let (ks, table, key) = match &entry {
            UndoEntry::Partition { ks, table, key, .. } | UndoEntry::Row { ks, table, key, .. } => {
                (ks.clone(), table.clone(), key.clone())
            }
        };
        let Some(t) = self.keyspaces.get_mut(&ks).and_then(|k| k.tables.get_mut(&table)) else {
            return;
        };
        let types = t.clustering_types();
        match entry {
            UndoEntry::Partition { old: Some(p), .. } => {
                t.data.insert(key, p);
            }
            UndoEntry::Partition { old: None, .. } => {
                t.data.remove(&key);
            }
            UndoEntry::Row { pk, ck, old, .. } => {
                let part = t.data.get_or_insert(&key, || pk);
                match (ck, old) {
                    (None, old) => part.static_row = old.unwrap_or_default(),
                    (Some(ck), Some(old)) => *part.row_mut(&types, ck) = old,
                    (Some(ck), None) => part.remove_row(&types, &ck),
                }
                if part.is_empty() {
                    t.data.remove(&key);
                }
            }
        }
    }

    fn apply_writes_inner(
        &mut self,
        plans: &[Plan],
        ctx: &Ctx,
        undo: &mut Vec<UndoEntry>,
        usage: &mut Usage,
    ) -> Result<(), Error> {
        let now = ctx.now_secs();
        for plan in plans {
            let Some(t) =
                self.keyspaces.get_mut(&plan.ks).and_then(|k| k.tables.get_mut(&plan.table))
            else {
                return Err(Error::invalid(format!("table {} does not exist", plan.table)));
            };
            let types = t.clustering_types();
            let col_types: Vec<(String, CqlType)> =
                t.columns.iter().map(|c| (c.name.clone(), c.ty.clone())).collect();
            let expires = if plan.ttl > 0 { Some(now + i64::from(plan.ttl)) } else { None };
            for w in &plan.writes {
                let pk = match w {
                    Write::Row { pk, .. }
                    | Write::Partition { pk }
                    | Write::Range { pk, .. }
                    | Write::DeleteRow { pk, .. } => pk,
                };
                let key = key_of(pk);
                let existed = t.data.contains(&key);
                let part = t.data.get_or_insert(&key, || pk.clone());
                // Whole-partition changes remember the partition; row writes only the row.
                let row_key: Option<Option<Vec<Value>>> = match w {
                    Write::Partition { .. } | Write::Range { .. } => None,
                    Write::DeleteRow { clustering, .. } => Some(Some(clustering.clone())),
                    Write::Row { clustering, .. } => Some(clustering.clone()),
                };
                match &row_key {
                    None => {
                        let old = if existed { Some(part.clone()) } else { None };
                        usage.add_before(old.as_ref().map_or((0, 0), Partition::usage));
                        undo.push(UndoEntry::Partition {
                            ks: plan.ks.clone(),
                            table: plan.table.clone(),
                            key: key.clone(),
                            old,
                        });
                    }
                    Some(ck) => {
                        let old = match ck {
                            None => Some(part.static_row.clone()),
                            Some(ck) => part.row(&types, ck).cloned(),
                        };
                        usage.add_before(row_usage(old.as_ref(), ck.is_none()));
                        undo.push(UndoEntry::Row {
                            ks: plan.ks.clone(),
                            table: plan.table.clone(),
                            key: key.clone(),
                            pk: pk.clone(),
                            ck: ck.clone(),
                            old,
                        });
                    }
                }
                match w {
                    Write::Partition { .. } => part.delete(plan.ts),
                    Write::Range { slice, .. } => part.delete_range(&types, slice.clone(), plan.ts),
                    Write::DeleteRow { clustering, .. } => {
                        let shadow = part.shadow_for(&types, clustering);
                        let row = part.row_mut(&types, clustering.clone());
                        if plan.ts > shadow {
                            row.delete(plan.ts);
                        }
                    }
                    Write::Row { clustering, marker, changes, .. } => {
                        let shadow = match clustering {
                            Some(ck) => part.shadow_for(&types, ck),
                            None => part.deletion,
                        };
                        let row = match clustering {
                            Some(ck) => part.row_mut(&types, ck.clone()),
                            None => &mut part.static_row,
                        };
                        if *marker {
                            row.write_marker(
                                Cell::new(Some(Value::Boolean(true)), plan.ts, plan.ttl, expires),
                                shadow,
                            );
                        }
                        for (col, change) in changes {
                            let ty =
                                col_types.iter().find(|(n, _)| n == col).map(|(_, t)| t.clone());
                            let Some(ty) = ty else { continue };
                            let current = row.cells.get(col).and_then(|c| c.live_value(now));
                            if is_multi_cell(&ty) {
                                // Validates the change against the live value, with
                                // Cassandra's errors; the write itself goes element by element.
                                apply_change(&ty, current, change, col)?;
                                let meta = ElementMeta { ts: plan.ts, ttl: plan.ttl, expires };
                                let old = row.cells.remove(col);
                                let floor = shadow.max(row.deletion);
                                let new = with_element_op(change, plan.ts, |op| {
                                    write_elements(ty.unfrozen(), old, op, meta, floor, now)
                                });
                                if let Some(cell) = new {
                                    row.cells.insert(col.clone(), cell);
                                }
                                continue;
                            }
                            let value = apply_change(&ty, current, change, col)?;
                            let (ttl, exp) = match &value {
                                None => (0, None),
                                Some(_) => (plan.ttl, expires),
                            };
                            let ts = if matches!(change, CellChange::Put(_) | CellChange::Delete) {
                                plan.ts
                            } else {
                                // Read-modify-write must win over the cell it read.
                                row.cells
                                    .get(col)
                                    .map_or(plan.ts, |c| c.ts.saturating_add(1))
                                    .max(plan.ts)
                            };
                            row.write(col, Cell::new(value, ts, ttl, exp), shadow);
                        }
                    }
                }
                match &row_key {
                    None => {
                        part.compact();
                    }
                    Some(Some(ck)) => part.compact_row(&types, ck),
                    Some(None) => {}
                }
                match &row_key {
                    None => usage.add_after(part.usage()),
                    Some(None) => usage.add_after(row_usage(Some(&part.static_row), true)),
                    Some(Some(ck)) => usage.add_after(row_usage(part.row(&types, ck), false)),
                }
                if part.is_empty() {
                    t.data.remove(&key);
                }
            }
        }
        Ok(())
    }
}

/// Runs `write` with the element operation that `change`, at timestamp `ts`, makes of
/// a multi-cell value: an overwrite deletes the old elements as of the timestamp before
/// its own (so its new elements survive), `DELETE col` as of its own.
fn with_element_op<R>(change: &CellChange, ts: i64, write: impl FnOnce(ElementOp<'_>) -> R) -> R {
    let deleted_keys;
    let entry;
    let op = match change {
        CellChange::Put(v) => {
            ElementOp::Overwrite { deletion: ts.saturating_sub(1), value: v.as_ref() }
        }
        CellChange::Delete | CellChange::Increment(_) => {
            ElementOp::Overwrite { deletion: ts, value: None }
        }
        CellChange::Add(v) => ElementOp::Write(v),
        CellChange::Prepend(Value::List(items)) => ElementOp::Prepend(items),
        CellChange::Prepend(v) => ElementOp::Write(v),
        CellChange::Remove(Value::List(items)) => ElementOp::RemoveListValues(items),
        CellChange::Remove(Value::Set(keys)) => ElementOp::Delete(keys),
        CellChange::Remove(_) => ElementOp::Delete(&[]),
        CellChange::MapEntry(k, Some(v)) => {
            entry = Value::Map(vec![(k.clone(), v.clone())]);
            ElementOp::Write(&entry)
        }
        CellChange::MapEntry(k, None) => {
            deleted_keys = vec![k.clone()];
            ElementOp::Delete(&deleted_keys)
        }
        CellChange::ListIndex(i, v) => {
            // apply_change has checked the index against the live list.
            let i = usize::try_from(*i).unwrap_or(usize::MAX);
            match v {
                Some(v) => ElementOp::SetIndex(i, v),
                None => ElementOp::DeleteIndex(i),
            }
        }
        CellChange::Field(f, Some(v)) => {
            entry = Value::Udt(vec![(f.clone(), Some(v.clone()))]);
            ElementOp::Write(&entry)
        }
        CellChange::Field(f, None) => {
            deleted_keys = vec![Value::Text(f.clone().into())];
            ElementOp::Delete(&deleted_keys)
        }
    };
    write(op)
}

/// Cassandra keeps one kind of condition per row of a conditional batch: `IF EXISTS`,
/// `IF NOT EXISTS` or column conditions (the static row counts as a row of its own).
fn check_batch_condition_kinds(t: Option<&Table>, plans: &[Plan]) -> Result<(), Error> {
    #[derive(PartialEq)]
    enum Kind {
        Exists,
        NotExists,
        Columns,
    }
    let mut rows: Vec<(Vec<Value>, Kind)> = Vec::new();
    for p in plans {
        let Some((_, ck, kind)) = &p.condition else { continue };
        let mut add = |key: Vec<Value>, new: Kind| -> Result<(), Error> {
            let Some((_, old)) = rows.iter().find(|(k, _)| *k == key) else {
                rows.push((key, new));
                return Ok(());
            };
            match (old, &new) {
                (old, new) if old == new => Ok(()),
                (Kind::Columns, Kind::Exists) => {
                    Err(Error::invalid("Cannot mix IF conditions and IF EXISTS for the same row"))
                }
                (Kind::Columns, Kind::NotExists) | (_, Kind::Columns) => Err(Error::invalid(
                    "Cannot mix IF conditions and IF NOT EXISTS for the same row",
                )),
                _ => Err(Error::invalid(
                    "Cannot mix IF EXISTS and IF NOT EXISTS conditions for the same row",
                )),
            }
        };
        match kind {
            CondKind::Exists => add(ck.clone(), Kind::Exists)?,
            CondKind::NotExists => add(ck.clone(), Kind::NotExists)?,
            CondKind::Columns(conds) => {
                let is_static = |c: &Column| c.kind == ColumnKind::Static;
                let clustered = t.is_some_and(|t| !t.clustering.is_empty());
                if conds.iter().any(|(c, _)| !is_static(c)) || !clustered {
                    add(ck.clone(), Kind::Columns)?;
                }
                if clustered && conds.iter().any(|(c, _)| is_static(c)) {
                    add(Vec::new(), Kind::Columns)?;
                }
            }
        }
    }
    Ok(())
}

/// The column an assignment writes.
fn assigned_column(a: &Assignment) -> &Ident {
    match a {
        Assignment::Set(c, _)
        | Assignment::SetElement(c, ..)
        | Assignment::SetField(c, ..)
        | Assignment::Add(c, _)
        | Assignment::Subtract(c, _)
        | Assignment::Prepend(c, _) => c,
    }
}

/// Cassandra's parser refuses a column given a whole new value next to any other setting
/// of it (`SET v = 1, v = 2`), since which one wins would be arbitrary; element and
/// addition updates of one collection combine.
fn check_assignments_compatible(assignments: &[Assignment]) -> Result<(), Error> {
    for (i, a) in assignments.iter().enumerate() {
        let column = assigned_column(a);
        let clash = assignments.iter().take(i).any(|b| {
            assigned_column(b) == column
                && (matches!(a, Assignment::Set(..)) || matches!(b, Assignment::Set(..)))
        });
        if clash {
            return Err(Error::syntax(format!("Multiple incompatible setting of column {column}")));
        }
    }
    Ok(())
}

fn plan_partition(p: &Plan) -> Option<Vec<Value>> {
    p.writes.first().map(|w| match w {
        Write::Row { pk, .. }
        | Write::Partition { pk }
        | Write::Range { pk, .. }
        | Write::DeleteRow { pk, .. } => pk.clone(),
    })
}

/// A conditional write touches one row; `kind` is "updates" or "deletions". A batch
/// refuses `IN` on the partition key itself, in its own words.
fn lwt_key_checks(keys: &KeyRestrictions, kind: &str, in_batch: bool) -> Result<(), Error> {
    if keys.has_in.0 && !in_batch {
        return Err(Error::invalid(format!(
            "IN on the partition key is not supported with conditional {kind}"
        )));
    }
    if keys.has_in.1 {
        return Err(Error::invalid(format!(
            "IN on the clustering key columns is not supported with conditional {kind}"
        )));
    }
    Ok(())
}

/// Whether an `IF` names a column that is not static (`IF EXISTS` names none).
fn conditions_read_regular_columns(t: &Table, conditions: &Conditions) -> bool {
    match conditions {
        Conditions::None | Conditions::Exists => false,
        Conditions::Columns(cs) => cs.iter().any(|c| {
            let (ConditionLhs::Column(name)
            | ConditionLhs::Element(name, _)
            | ConditionLhs::Field(name, _)) = &c.lhs;
            t.column(&name.0).is_none_or(|col| col.kind != ColumnKind::Static)
        }),
    }
}

fn condition_value_type(col: &Column, cond: &ConditionEval) -> CqlType {
    match (cond.op, col.ty.unfrozen()) {
        (Operator::ContainsKey, CqlType::Map(kt, _)) => return (**kt).clone(),
        (Operator::Contains, CqlType::Map(_, et) | CqlType::List(et) | CqlType::Set(et)) => {
            return (**et).clone();
        }
        _ => {}
    }
    if cond.element.is_some() {
        match col.ty.unfrozen() {
            CqlType::List(et) => return (**et).clone(),
            CqlType::Map(_, vt) => return (**vt).clone(),
            _ => {}
        }
    }
    if let (Some(f), CqlType::Udt(u)) = (&cond.field, col.ty.unfrozen())
        && let Some((_, t)) = u.fields.iter().find(|(n, _)| n == f)
    {
        return t.clone();
    }
    col.ty.clone()
}

fn condition_holds(
    ty: &CqlType,
    op: Operator,
    current: Option<&Value>,
    values: &[Option<Value>],
) -> Result<bool, Error> {
    let cmp = |v: &Option<Value>| -> Option<Ordering> {
        match (current, v) {
            (Some(a), Some(b)) => Some(compare(ty, a, b)),
            _ => None,
        }
    };
    let first = values.first().cloned().flatten();
    Ok(match op {
        Operator::Eq => match (current, &first) {
            (None, None) => true,
            _ => cmp(&first) == Some(Ordering::Equal),
        },
        Operator::Neq => match (current, &first) {
            (None, None) => false,
            (None, Some(_)) | (Some(_), None) => true,
            _ => cmp(&first) != Some(Ordering::Equal),
        },
        Operator::In => values.iter().any(|v| match (current, v) {
            (None, None) => true,
            _ => cmp(v) == Some(Ordering::Equal),
        }),
        Operator::Contains | Operator::ContainsKey => {
            let Some(needle) = &first else {
                return Err(Error::invalid(format!(
                    "Invalid comparison with null for operator \"{op}\""
                )));
            };
            let same = |v: &Value| compare(ty, v, needle) == Ordering::Equal;
            match current {
                Some(Value::List(items) | Value::Set(items)) => items.iter().any(same),
                Some(Value::Map(entries)) if op == Operator::ContainsKey => {
                    entries.iter().any(|(k, _)| same(k))
                }
                Some(Value::Map(entries)) => entries.iter().any(|(_, v)| same(v)),
                _ => false,
            }
        }
        Operator::Lt | Operator::Lte | Operator::Gt | Operator::Gte => {
            if first.is_none() {
                return Err(Error::invalid(format!(
                    "Invalid comparison with null for operator \"{op}\""
                )));
            }
            match cmp(&first) {
                None => false,
                Some(o) => match op {
                    Operator::Lt => o == Ordering::Less,
                    Operator::Lte => o != Ordering::Greater,
                    Operator::Gt => o == Ordering::Greater,
                    _ => o != Ordering::Less,
                },
            }
        }
        _ => false,
    })
}

/// Applies a change to a cell's current value.
fn apply_change(
    ty: &CqlType,
    current: Option<Value>,
    change: &CellChange,
    col: &str,
) -> Result<Option<Value>, Error> {
    Ok(match change {
        CellChange::Put(v) => v.clone(),
        CellChange::Delete => None,
        CellChange::Increment(n) => {
            let old = match current {
                Some(Value::Counter(c)) => c,
                _ => 0,
            };
            Some(Value::Counter(old.wrapping_add(*n)))
        }
        CellChange::Add(v) => match (ty.unfrozen(), current, v) {
            (CqlType::List(_), Some(Value::List(mut a)), Value::List(b)) => {
                a.extend(b.iter().cloned());
                Some(Value::List(a))
            }
            (CqlType::Set(et), Some(Value::Set(mut a)), Value::Set(b)) => {
                a.extend(b.iter().cloned());
                Some(Value::Set(normalise_set(et, a)))
            }
            (CqlType::Map(kt, _), Some(Value::Map(mut a)), Value::Map(b)) => {
                a.extend(b.iter().cloned());
                Some(Value::Map(normalise_map(kt, a)))
            }
            (_, _, v) => Some(v.clone()),
        },
        CellChange::Prepend(v) => match (current, v) {
            (Some(Value::List(a)), Value::List(b)) => {
                let mut out = b.clone();
                out.extend(a);
                Some(Value::List(out))
            }
            (_, v) => Some(v.clone()),
        },
        CellChange::Remove(v) => match (ty.unfrozen(), current, v) {
            (CqlType::List(et), Some(Value::List(a)), Value::List(b)) => Some(Value::List(
                a.into_iter()
                    .filter(|x| !b.iter().any(|y| compare(et, x, y) == Ordering::Equal))
                    .collect(),
            )),
            (CqlType::Set(et), Some(Value::Set(a)), Value::Set(b)) => Some(Value::Set(
                a.into_iter()
                    .filter(|x| !b.iter().any(|y| compare(et, x, y) == Ordering::Equal))
                    .collect(),
            )),
            (CqlType::Map(kt, _), Some(Value::Map(a)), Value::Set(b)) => Some(Value::Map(
                a.into_iter()
                    .filter(|(k, _)| !b.iter().any(|y| compare(kt, k, y) == Ordering::Equal))
                    .collect(),
            )),
            (_, current, _) => current,
        },
        CellChange::MapEntry(k, v) => {
            let CqlType::Map(kt, _) = ty.unfrozen() else { return Ok(current) };
            let mut entries = match current {
                Some(Value::Map(e)) => e,
                _ => Vec::new(),
            };
            entries.retain(|(ek, _)| compare(kt, ek, k) != Ordering::Equal);
            if let Some(v) = v {
                entries.push((k.clone(), v.clone()));
            }
            Some(Value::Map(normalise_map(kt, entries)))
        }
        CellChange::ListIndex(i, v) => {
            let Some(Value::List(mut items)) = current else {
                return Err(Error::invalid(if v.is_some() {
                    "Attempted to set an element on a list which is null"
                } else {
                    "Attempted to delete an element from a list which is null"
                }));
            };
            let len = items.len();
            let Some(idx) = usize::try_from(*i).ok().filter(|i| *i < len) else {
                return Err(Error::invalid(format!(
                    "List index {i} out of bound, list has size {len}"
                )));
            };
            match v {
                Some(v) => {
                    if let Some(slot) = items.get_mut(idx) {
                        *slot = v.clone();
                    }
                }
                None => {
                    items.remove(idx);
                }
            }
            Some(Value::List(items))
        }
        CellChange::Field(f, v) => {
            let CqlType::Udt(u) = ty.unfrozen() else { return Ok(current) };
            let mut fields = match current {
                Some(Value::Udt(fs)) => fs,
                _ => u.fields.iter().map(|(n, _)| (n.clone(), None)).collect(),
            };
            if !u.fields.iter().any(|(n, _)| n == f) {
                return Err(Error::invalid(format!(
                    "UDT column {col} does not have a field named {f}"
                )));
            }
            for (n, slot) in &mut fields {
                if n == f {
                    slot.clone_from(v);
                }
            }
            if fields.iter().all(|(_, v)| v.is_none()) { None } else { Some(Value::Udt(fields)) }
        }
    })
}

impl Engine {
    /// The columns and values of `INSERT ... JSON`; the flag says whether a column was given
    /// (columns left out are null, or untouched with `DEFAULT UNSET`).
    fn json_insert_values(
        &mut self,
        term: &Term,
        default_unset: bool,
        t: &Table,
        ctx: &Ctx,
    ) -> Result<Vec<(String, Option<Value>, bool)>, Error> {
        let text = match self.eval(term, &CqlType::Native(NativeType::Text), "[json]", ctx)? {
            Some(Value::Text(s)) => s,
            _ => return Err(Error::invalid("Got null for INSERT JSON values")),
        };
        let json = crate::types::parse_json(&text)?;
        if json.is_null() {
            return Err(Error::invalid("Got null for INSERT JSON values"));
        }
        let Some(obj) = json.as_object() else {
            return Err(Error::invalid(format!("Could not decode JSON string as a map: {text}")));
        };
        let mut given: Vec<(String, &serde_json::Value)> = Vec::new();
        for (k, v) in obj {
            // Keys read like identifiers: case-insensitive unless double-quoted.
            let name = match k.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
                Some(quoted) => quoted.to_string(),
                None => k.to_ascii_lowercase(),
            };
            if t.column(&name).is_none() {
                return Err(Error::invalid(format!(
                    "JSON values map contains unrecognized column: {k}"
                )));
            }
            given.push((name, v));
        }
        let mut out = Vec::new();
        for col in t.columns.iter() {
            match given.iter().find(|(n, _)| n == &col.name) {
                Some((_, j)) => {
                    let v = crate::types::from_json(j, &col.ty, &col.name)?;
                    out.push((col.name.clone(), v, true));
                }
                // Cassandra binds a key column the map leaves out to null, or unset, which
                // its key restrictions then refuse.
                None if col.kind.is_primary_key() => out.push((col.name.clone(), None, true)),
                None => out.push((col.name.clone(), None, !default_unset)),
            }
        }
        if default_unset {
            let keys = t.partition_key.iter().chain(t.clustering.iter().map(|(n, _)| n));
            for name in keys {
                let null = out.iter().any(|(n, v, _)| n == name && v.is_none());
                if !null {
                    continue;
                }
                if given.iter().any(|(n, _)| n == name) {
                    break;
                }
                return Err(Error::invalid(format!(
                    "Invalid unset value for column {}",
                    maybe_quote(name)
                )));
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
