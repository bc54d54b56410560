//! Keyspaces, tables, user-defined types and indexes: the catalogue DDL edits.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::Error;
use crate::ast::{IndexKind, Order, TypeSyntax};
use crate::storage::TableData;
use crate::types::{CqlType, NativeType, UdtType, Uuid, maybe_quote};

/// The keyspaces Cassandra creates itself; they cannot be altered or dropped.
pub const SYSTEM_KEYSPACES: &[&str] = &[
    "system",
    "system_auth",
    "system_distributed",
    "system_schema",
    "system_traces",
    "system_views",
    "system_virtual_schema",
];

/// A keyspace and everything in it.
#[derive(Debug, Clone)]
pub struct Keyspace {
    /// The keyspace's name.
    pub name: String,
    /// The replication map as given (`class` first), shown in `system_schema.keyspaces`.
    pub replication: BTreeMap<String, String>,
    /// `durable_writes`.
    pub durable_writes: bool,
    /// Tables by name.
    pub tables: BTreeMap<String, Table>,
    /// User-defined types by name.
    pub types: BTreeMap<String, UdtType>,
}

/// The role of a column in its table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Part of the partition key, at this position.
    PartitionKey(usize),
    /// A clustering column, at this position.
    Clustering(usize),
    /// A static column.
    Static,
    /// A regular column.
    Regular,
}

impl ColumnKind {
    /// The name `system_schema.columns` gives this kind.
    pub fn schema_name(self) -> &'static str {
        match self {
            ColumnKind::PartitionKey(_) => "partition_key",
            ColumnKind::Clustering(_) => "clustering",
            ColumnKind::Static => "static",
            ColumnKind::Regular => "regular",
        }
    }

    /// Whether the column is part of the primary key.
    pub fn is_primary_key(self) -> bool {
        matches!(self, ColumnKind::PartitionKey(_) | ColumnKind::Clustering(_))
    }
}

/// A column of a table.
#[derive(Debug, Clone)]
pub struct Column {
    /// The name (case as stored).
    pub name: String,
    /// The type.
    pub ty: CqlType,
    /// Its role.
    pub kind: ColumnKind,
}

/// A secondary index.
#[derive(Debug, Clone)]
pub struct Index {
    /// The index's name.
    pub name: String,
    /// The indexed column.
    pub column: String,
    /// What of the column is indexed.
    pub kind: IndexKind,
    /// The class of a custom index (SAI and friends).
    pub custom: Option<String>,
    /// A custom index's `WITH OPTIONS`, without `class_name` and `target`.
    pub options: BTreeMap<String, String>,
}

impl Index {
    /// The `options` map as `system_schema.indexes` shows it: the custom options,
    /// `class_name` for a custom index, and `target`.
    pub fn schema_options(&self) -> BTreeMap<String, String> {
        let mut opts = self.options.clone();
        opts.insert("target".to_string(), self.target());
        if let Some(c) = &self.custom {
            opts.insert("class_name".to_string(), c.clone());
        }
        opts
    }

    /// The `target` option as `system_schema.indexes` shows it.
    pub fn target(&self) -> String {
        let col = maybe_quote(&self.column);
        match self.kind {
            IndexKind::Simple => col,
            IndexKind::Keys => format!("keys({col})"),
            IndexKind::Values => format!("values({col})"),
            IndexKind::Entries => format!("entries({col})"),
            IndexKind::Full => format!("full({col})"),
        }
    }
}

/// A column dropped from its table, as Cassandra remembers it.
#[derive(Debug, Clone)]
pub struct DroppedColumn {
    /// Its type when dropped.
    pub ty: CqlType,
    /// Whether it was static.
    pub is_static: bool,
    /// The drop's timestamp, in microseconds: cells written up to it went with the column.
    pub dropped_at: i64,
}

/// A table: its schema, options and data.
#[derive(Debug, Clone)]
pub struct Table {
    /// The keyspace.
    pub keyspace: String,
    /// The table's name.
    pub name: String,
    /// The table's id, as `system_schema.tables` shows it.
    pub id: Uuid,
    // The schema parts are shared: every statement takes a copy of its table's schema
    // (so it can evaluate terms while holding it), and DDL, which is rare, copies on write.
    /// The columns, in declaration order.
    pub columns: Arc<Vec<Column>>,
    /// Partition key column names, in key order.
    pub partition_key: Arc<Vec<String>>,
    /// Clustering column names and their order.
    pub clustering: Arc<Vec<(String, Order)>>,
    /// `WITH` options other than clustering order, as CQL text, by name.
    pub options: Arc<BTreeMap<String, String>>,
    /// `default_time_to_live` in seconds.
    pub default_ttl: i32,
    /// Secondary indexes.
    pub indexes: Arc<Vec<Index>>,
    /// The columns dropped from the table, by name: a column re-added under the same
    /// name must be compatible with what it was.
    pub dropped: Arc<BTreeMap<String, DroppedColumn>>,
    /// The clustering columns' types and orders, which every read and write of a row
    /// needs; kept by [`Table::refresh_clustering_types`] whenever a column type changes.
    pub(crate) ck_types: Arc<Vec<(CqlType, Order)>>,
    /// The rows.
    pub data: TableData,
}

impl Table {
    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The column named `name`, or Cassandra's "Undefined column name" error.
    pub fn existing_column(&self, name: &str) -> Result<&Column, Error> {
        self.column(name).ok_or_else(|| {
            Error::invalid(format!(
                "Undefined column name {} in table {}.{}",
                maybe_quote(name),
                maybe_quote(&self.keyspace),
                maybe_quote(&self.name)
            ))
        })
    }

    /// Whether this is a counter table.
    pub fn is_counter(&self) -> bool {
        self.columns
            .iter()
            .any(|c| !c.kind.is_primary_key() && c.ty.native() == Some(NativeType::Counter))
    }

    /// Whether the table has static columns.
    pub fn has_statics(&self) -> bool {
        self.columns.iter().any(|c| c.kind == ColumnKind::Static)
    }

    /// Columns in `SELECT *` order: partition key, clustering, then static and regular
    /// columns each in name order.
    pub fn select_order(&self) -> Vec<&Column> {
        let mut out: Vec<&Column> = Vec::new();
        for pk in self.partition_key.iter() {
            out.extend(self.column(pk));
        }
        for (ck, _) in self.clustering.iter() {
            out.extend(self.column(ck));
        }
        for kind in [ColumnKind::Static, ColumnKind::Regular] {
            let mut cols: Vec<&Column> = self.columns.iter().filter(|c| c.kind == kind).collect();
            cols.sort_by(|a, b| a.name.cmp(&b.name));
            out.extend(cols);
        }
        out
    }

    /// The types of the partition key columns, in key order.
    pub fn partition_key_types(&self) -> Vec<CqlType> {
        self.partition_key.iter().filter_map(|n| self.column(n)).map(|c| c.ty.clone()).collect()
    }

    /// `CLUSTERING ORDER BY (...)` as CQL, for tables with clustering columns.
    pub fn clustering_order_clause(&self) -> Option<String> {
        if self.clustering.is_empty() {
            return None;
        }
        let order: Vec<String> = self
            .clustering
            .iter()
            .map(|(c, o)| {
                format!("{} {}", maybe_quote(c), if *o == Order::Desc { "DESC" } else { "ASC" })
            })
            .collect();
        Some(format!("CLUSTERING ORDER BY ({})", order.join(", ")))
    }

    /// The types and orders of the clustering columns.
    pub fn clustering_types(&self) -> Arc<Vec<(CqlType, Order)>> {
        Arc::clone(&self.ck_types)
    }

    /// Recomputes [`Table::clustering_types`] after the columns changed.
    pub fn refresh_clustering_types(&mut self) {
        self.ck_types = Arc::new(
            self.clustering
                .iter()
                .filter_map(|(n, o)| self.column(n).map(|c| (c.ty.clone(), *o)))
                .collect(),
        );
    }
}

/// Resolves a written type against the keyspace's user-defined types.
pub fn resolve_type(ts: &TypeSyntax, ks: &Keyspace) -> Result<CqlType, Error> {
    resolve(ts, ks, false, false)
}

/// `frozen` is set inside `frozen<...>` and tuples, where Cassandra freezes every
/// nested collection and UDT instead of refusing the non-frozen ones; the outermost
/// frozen type gets exactly one `Frozen` wrapper.
fn resolve(
    ts: &TypeSyntax,
    ks: &Keyspace,
    inside_collection: bool,
    frozen: bool,
) -> Result<CqlType, Error> {
    let element = |t: &TypeSyntax| -> Result<CqlType, Error> {
        let inner = resolve(t, ks, true, frozen)?;
        if frozen {
            Ok(freeze(inner))
        } else {
            check_nested(&inner, ts)?;
            Ok(inner)
        }
    };
    if let TypeSyntax::List(v) | TypeSyntax::Set(v) | TypeSyntax::Map(_, v) = ts {
        let key = match ts {
            TypeSyntax::Map(k, _) => Some(k.as_ref()),
            _ => None,
        };
        let native = |t: &TypeSyntax, n: NativeType| matches!(t, TypeSyntax::Native(m) if *m == n);
        if native(v, NativeType::Counter) || key.is_some_and(|k| native(k, NativeType::Counter)) {
            return Err(Error::invalid(format!(
                "Counters are not allowed inside collections: {}",
                written(ts, frozen)
            )));
        }
        if matches!(ts, TypeSyntax::Set(_)) && native(v, NativeType::Duration) {
            return Err(Error::invalid(format!(
                "Durations are not allowed inside sets: {}",
                written(ts, frozen)
            )));
        }
        if key.is_some_and(|k| native(k, NativeType::Duration)) {
            return Err(Error::invalid(format!(
                "Durations are not allowed as map keys: {}",
                written(ts, frozen)
            )));
        }
    }
    Ok(match ts {
        TypeSyntax::Native(n) => {
            if inside_collection && *n == NativeType::Counter {
                return Err(Error::invalid("Counters are not allowed inside collections: counter"));
            }
            CqlType::Native(*n)
        }
        TypeSyntax::List(t) => CqlType::List(Box::new(element(t)?)),
        TypeSyntax::Set(t) => CqlType::Set(Box::new(element(t)?)),
        TypeSyntax::Map(k, v) => CqlType::Map(Box::new(element(k)?), Box::new(element(v)?)),
        TypeSyntax::Tuple(items) => {
            // Tuples are always frozen, and so is everything in them.
            let mut out = Vec::new();
            for t in items {
                if matches!(t, TypeSyntax::Native(NativeType::Counter)) {
                    return Err(Error::invalid("Counters are not allowed inside tuples"));
                }
                out.push(freeze(resolve(t, ks, true, true)?));
            }
            CqlType::Frozen(Box::new(CqlType::Tuple(out)))
        }
        TypeSyntax::Frozen(t) => match resolve(t, ks, inside_collection, true)? {
            already @ CqlType::Frozen(_) => already,
            other => CqlType::Frozen(Box::new(other)),
        },
        TypeSyntax::Vector(t, n) => {
            if *n == 0 {
                return Err(Error::invalid("vectors may only have positive dimensions; given 0"));
            }
            CqlType::Vector(Box::new(freeze(resolve(t, ks, true, true)?)), *n)
        }
        TypeSyntax::Udt(q) => {
            if let Some(other) = &q.keyspace
                && other.0 != ks.name
            {
                return Err(Error::invalid(format!(
                    "Statement on keyspace {} cannot refer to a user type in keyspace {}; user types can only be used in the keyspace they are defined in",
                    ks.name, other.0
                )));
            }
            match ks.types.get(&q.name.0) {
                Some(udt) => CqlType::Udt(udt.clone()),
                None => {
                    return Err(Error::invalid(format!(
                        "Unknown type {}.{}",
                        maybe_quote(&ks.name),
                        maybe_quote(&q.name.0)
                    )));
                }
            }
        }
        TypeSyntax::Custom(c) => {
            return Err(Error::unsupported(format!("custom types ('{c}')")));
        }
    })
}

/// A type as Cassandra prints the written type in its errors: inside `frozen<...>` every
/// collection and user type shows its own `frozen<...>`.
fn written(ts: &TypeSyntax, frozen: bool) -> String {
    written_in(ts, frozen, None)
}

/// [`written`] once the type is resolved in keyspace `ks`, which names every user type
/// with its keyspace.
pub fn written_resolved(ts: &TypeSyntax, ks: &str) -> String {
    written_in(ts, false, Some(ks))
}

fn written_in(ts: &TypeSyntax, frozen: bool, ks: Option<&str>) -> String {
    let wrap = |s: String| if frozen { format!("frozen<{s}>") } else { s };
    let inner = |t: &TypeSyntax, frozen: bool| written_in(t, frozen, ks);
    match ts {
        TypeSyntax::List(t) => wrap(format!("list<{}>", inner(t, frozen))),
        TypeSyntax::Set(t) => wrap(format!("set<{}>", inner(t, frozen))),
        TypeSyntax::Map(k, v) => wrap(format!("map<{}, {}>", inner(k, frozen), inner(v, frozen))),
        TypeSyntax::Udt(q) => wrap(match (&q.keyspace, ks) {
            (None, Some(ks)) => format!("{ks}.{}", q.name),
            _ => q.to_string(),
        }),
        TypeSyntax::Frozen(t) => inner(t, true),
        TypeSyntax::Tuple(ts) => {
            let items: Vec<String> = ts.iter().map(|t| inner(t, true)).collect();
            format!("tuple<{}>", items.join(", "))
        }
        other => other.to_string(),
    }
}

fn check_nested(inner: &CqlType, outer: &TypeSyntax) -> Result<(), Error> {
    match inner {
        CqlType::List(_) | CqlType::Set(_) | CqlType::Map(..) => Err(Error::invalid(format!(
            "Non-frozen collections are not allowed inside collections: {outer}"
        ))),
        CqlType::Udt(_) => Err(Error::invalid(format!(
            "Non-frozen UDTs are not allowed inside collections: {outer}"
        ))),
        _ => Ok(()),
    }
}

/// The type with every nested collection and UDT frozen, as values inside frozen types are.
pub fn freeze(t: CqlType) -> CqlType {
    match t {
        CqlType::List(_) | CqlType::Set(_) | CqlType::Map(..) | CqlType::Udt(_) => {
            CqlType::Frozen(Box::new(t))
        }
        other => other,
    }
}

/// Whether a type contains a non-frozen collection or UDT at its top level.
pub fn is_multi_cell(t: &CqlType) -> bool {
    matches!(t, CqlType::List(_) | CqlType::Set(_) | CqlType::Map(..) | CqlType::Udt(_))
}

/// Whether values of `old`, as stored, still read as `new`: Cassandra lets a dropped
/// column come back only with such a type.
pub fn serialization_compatible(new: &CqlType, old: &CqlType) -> bool {
    if new == old {
        return true;
    }
    if is_multi_cell(new) || is_multi_cell(old) {
        return false;
    }
    use NativeType as N;
    let fixed = |t: &CqlType| {
        matches!(
            t.native(),
            Some(
                N::Boolean
                    | N::Tinyint
                    | N::Smallint
                    | N::Int
                    | N::Date
                    | N::Float
                    | N::Bigint
                    | N::Counter
                    | N::Double
                    | N::Time
                    | N::Timestamp
                    | N::Uuid
                    | N::Timeuuid
            )
        )
    };
    match (new.native(), old.native()) {
        // The same eight bytes, read as a number or as milliseconds.
        (Some(N::Bigint), Some(N::Timestamp)) | (Some(N::Timestamp), Some(N::Bigint)) => true,
        // A value of fixed length stays that length.
        _ if fixed(new) || fixed(old) => false,
        (Some(N::Blob), _) | (Some(N::Text), Some(N::Ascii)) => true,
        _ => false,
    }
}

/// Whether a duration hides anywhere in `t`, which keeps it out of primary keys.
pub fn references_duration(t: &CqlType) -> bool {
    match t {
        CqlType::Native(n) => *n == NativeType::Duration,
        CqlType::List(i) | CqlType::Set(i) | CqlType::Frozen(i) | CqlType::Vector(i, _) => {
            references_duration(i)
        }
        CqlType::Map(k, v) => references_duration(k) || references_duration(v),
        CqlType::Tuple(ts) => ts.iter().any(references_duration),
        CqlType::Udt(u) => u.fields.iter().any(|(_, t)| references_duration(t)),
    }
}

/// How Cassandra names the columns of a type that holds a duration, in the errors that
/// refuse ordering or indexing them.
pub fn duration_holder(t: &CqlType) -> &'static str {
    match t.unfrozen() {
        CqlType::List(_) | CqlType::Set(_) | CqlType::Map(..) => "collections containing durations",
        CqlType::Tuple(_) => "tuples containing durations",
        CqlType::Udt(_) => "UDTs containing durations",
        _ => "duration columns",
    }
}

/// Whether `t` mentions the user type `name` anywhere.
pub fn refers_to_udt(t: &CqlType, name: &str) -> bool {
    match t {
        CqlType::Native(_) => false,
        CqlType::List(i) | CqlType::Set(i) | CqlType::Frozen(i) | CqlType::Vector(i, _) => {
            refers_to_udt(i, name)
        }
        CqlType::Map(k, v) => refers_to_udt(k, name) || refers_to_udt(v, name),
        CqlType::Tuple(ts) => ts.iter().any(|t| refers_to_udt(t, name)),
        CqlType::Udt(u) => u.name == name || u.fields.iter().any(|(_, t)| refers_to_udt(t, name)),
    }
}
