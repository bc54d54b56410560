//! Table data commands as CQL, without the engine: filter conditions, projections, sorts,
//! inserts, updates and deletes, with the Data API's error codes and read warnings.

use std::cmp::Ordering;

use cqlfiddle_engine::types::{CqlType, NativeType, Value, compare, maybe_quote};
use serde_json::Value as JsonValue;

use super::codec::{self, type_description};
use super::error::ApiError;
use crate::javafmt;
use crate::json::Json;
use crate::rest::rows::qualified;
use crate::schema::{ColumnKind, ColumnMeta, TableMeta};

/// The largest number of rows an in-memory sort reads.
pub const MAX_SORT_ROWS: usize = 10_000;

/// A comparison operator of a table filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `$eq` (also the implicit form `{"c": v}`).
    Eq,
    /// `$gt`.
    Gt,
    /// `$gte`.
    Gte,
    /// `$lt`.
    Lt,
    /// `$lte`.
    Lte,
    /// `$in`.
    In,
    /// `$all` on a list or set: every value present.
    All,
}

/// One `column op value` term of a filter; terms are ANDed.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The column, as the table spells it.
    pub column: String,
    /// The operator.
    pub op: Op,
    /// The JSON operand.
    pub value: JsonValue,
}

fn unknown_columns(scope: &'static str, meta: &TableMeta, unknown: &[&str]) -> ApiError {
    ApiError::request(
        scope,
        "UNKNOWN_TABLE_COLUMNS",
        format!(
            "Only columns defined in the table schema can be used.\n\n\
             The table {}.{} defines the columns: {}.\n\
             The command included the following unknown columns: {}.\n\n\
             Resend the command using only defined columns.",
            meta.keyspace,
            meta.name,
            meta.column_names().join(", "),
            unknown.join(", ")
        ),
    )
}

fn unsupported_operator(message: String) -> ApiError {
    ApiError::request("FILTER", "FILTER_UNSUPPORTED_OPERATOR", message)
}

/// A filter value as a CQL literal, with `INVALID_FILTER_COLUMN_VALUES` on a bad value.
fn filter_literal(column: &ColumnMeta, value: &JsonValue) -> Result<String, ApiError> {
    codec::to_cql(value, &column.ty).map_err(|cause| {
        ApiError::request(
            "FILTER",
            "INVALID_FILTER_COLUMN_VALUES",
            format!(
                "Only values that are supported by the column data type can be included in the filter.\n\n\
                 The command included invalid values: {}({}) - Cause: {cause}.",
                column.name, column.ty
            ),
        )
    })
}

/// The conditions as CQL `WHERE` terms.
pub fn where_terms(meta: &TableMeta, conditions: &[Condition]) -> Result<Vec<String>, ApiError> {
    let mut terms = Vec::with_capacity(conditions.len());
    for condition in conditions {
        let Some(column) = meta.column(&condition.column) else { continue };
        let lhs = maybe_quote(&column.name);
        let element = match column.ty.unfrozen() {
            CqlType::List(t) | CqlType::Set(t) => Some((**t).clone()),
            _ => None,
        };
        let symbol = match condition.op {
            Op::Eq => "=",
            Op::Gt => ">",
            Op::Gte => ">=",
            Op::Lt => "<",
            Op::Lte => "<=",
            Op::In | Op::All => "",
        };
        match (condition.op, &element) {
            (Op::In | Op::All, Some(elem)) => {
                let values = condition.value.as_array().ok_or_else(|| {
                    unsupported_operator(format!(
                        "'{}' on column '{}' needs an array.",
                        op_name(condition.op),
                        column.name
                    ))
                })?;
                if condition.op == Op::In && values.len() != 1 {
                    return Err(unsupported_operator(format!(
                        "'$in' with more than one value on the {} column '{}' is not supported by this emulator.",
                        column.ty, column.name
                    )));
                }
                let elem_column = ColumnMeta { ty: elem.clone(), ..column.clone() };
                for v in values {
                    terms.push(format!("{lhs} CONTAINS {}", filter_literal(&elem_column, v)?));
                }
            }
            (Op::In, None) => {
                let values = condition.value.as_array().ok_or_else(|| {
                    unsupported_operator(format!(
                        "'$in' on column '{}' needs an array.",
                        column.name
                    ))
                })?;
                let literals: Result<Vec<String>, ApiError> =
                    values.iter().map(|v| filter_literal(column, v)).collect();
                terms.push(format!("{lhs} IN ({})", literals?.join(", ")));
            }
            (Op::All, None) => {
                return Err(unsupported_operator(format!(
                    "'$all' needs a list or set column; '{}' is {}.",
                    column.name, column.ty
                )));
            }
            (_, Some(_)) => {
                return Err(ApiError::request(
                    "FILTER",
                    "INVALID_FILTER_COLUMN_VALUES",
                    format!(
                        "The {} column '{}' can only be filtered with $in or $all.",
                        column.ty, column.name
                    ),
                ));
            }
            (_, None) => {
                terms.push(format!("{lhs} {symbol} {}", filter_literal(column, &condition.value)?))
            }
        }
    }
    Ok(terms)
}

fn op_name(op: Op) -> &'static str {
    match op {
        Op::Eq => "$eq",
        Op::Gt => "$gt",
        Op::Gte => "$gte",
        Op::Lt => "$lt",
        Op::Lte => "$lte",
        Op::In => "$in",
        Op::All => "$all",
    }
}

/// The read warnings the server's analyzer gives, in its order. Any warning means the
/// statement needs `ALLOW FILTERING`.
pub fn filter_warnings(
    meta: &TableMeta,
    conditions: &[Condition],
    indexed: &[String],
) -> Vec<ApiError> {
    if conditions.is_empty() {
        return vec![ApiError::warning(
            "ZERO_FILTER_OPERATIONS",
            format!(
                "Zero filters were provided in the filter for this query.\n\n\
                 Providing zero filters will return all rows in the table, which may have poor performance when the table is large. \
                 For the best performance, include one or more filters using the primary key or indexes.\n\n\
                 The table {}.{} has the primary key: {}.",
                meta.keyspace,
                meta.name,
                meta.primary_key().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
            ),
        )];
    }
    let is_key = |c: &str| {
        meta.column(c)
            .is_some_and(|m| matches!(m.kind, ColumnKind::PartitionKey | ColumnKind::Clustering))
    };
    if conditions.iter().all(|c| is_key(&c.column)) {
        let filtered = |name: &str| conditions.iter().any(|c| c.column == name);
        let eq = |name: &str| {
            conditions.iter().any(|c| c.column == name && matches!(c.op, Op::Eq | Op::In))
        };
        let partition_complete = meta.partition_keys().all(|c| eq(&c.name));
        let clustering: Vec<bool> = meta.clustering_keys().map(|c| filtered(&c.name)).collect();
        let gap = clustering.windows(2).any(|w| matches!(w, [false, true]));
        if partition_complete && !gap {
            return Vec::new();
        }
        return vec![ApiError::warning(
            "INCOMPLETE_PRIMARY_KEY_FILTER",
            format!(
                "The filter on the table {}.{} used only primary key columns, but did not restrict all the partition \
                 keys or skipped clustering columns, so the query scans the table.",
                meta.keyspace, meta.name
            ),
        )];
    }
    let mut missing: Vec<&str> = conditions
        .iter()
        .map(|c| c.column.as_str())
        .filter(|c| !is_key(c) && !indexed.iter().any(|i| i == c))
        .collect();
    missing.dedup();
    if missing.is_empty() {
        return Vec::new();
    }
    vec![ApiError::warning(
        "MISSING_INDEX",
        format!(
            "The filter uses columns that are not indexed: {}.\n\n\
             The query was executed without taking advantage of the primary key or indexes on the table, \
             this can have performance implications on large tables.",
            missing.join(", ")
        ),
    )]
}

/// The selected columns of a `projection`, in table order.
pub fn projection<'a>(
    meta: &'a TableMeta,
    projection: Option<&JsonValue>,
) -> Result<Vec<&'a ColumnMeta>, ApiError> {
    let Some(JsonValue::Object(map)) = projection.filter(|p| !p.is_null()) else {
        return Ok(meta.columns.iter().collect());
    };
    let flag = |v: &JsonValue| match v {
        JsonValue::Bool(b) => Some(*b),
        JsonValue::Number(n) => n.as_i64().map(|i| i != 0),
        _ => None,
    };
    if map.is_empty() {
        return Ok(meta.columns.iter().collect());
    }
    if let Some(star) = map.get("*") {
        return match flag(star) {
            Some(true) if map.len() == 1 => Ok(meta.columns.iter().collect()),
            _ => Err(unsupported_projection(
                "'*' can only be used alone with the value 1 on tables.",
            )),
        };
    }
    let mut include = None;
    for (name, value) in map {
        let f = flag(value).ok_or_else(|| {
            unsupported_projection(&format!("the value for '{name}' must be 1, 0, true or false."))
        })?;
        if *include.get_or_insert(f) != f {
            return Err(unsupported_projection("inclusions and exclusions cannot be mixed."));
        }
    }
    let named = |c: &&ColumnMeta| map.contains_key(&c.name);
    let selected: Vec<&ColumnMeta> = if include == Some(true) {
        meta.columns.iter().filter(named).collect()
    } else {
        meta.columns.iter().filter(|c| !named(c)).collect()
    };
    if selected.is_empty() {
        let unknown: Vec<&str> = map.keys().map(String::as_str).collect();
        return Err(unknown_columns("PROJECTION", meta, &unknown));
    }
    Ok(selected)
}

fn unsupported_projection(problem: &str) -> ApiError {
    ApiError::request(
        "PROJECTION",
        "UNSUPPORTED_PROJECTION_PARAM",
        format!("Unsupported projection parameter: {problem}"),
    )
}

/// `projectionSchema` / `primaryKeySchema`: each column's type description, in order.
pub fn schema_of(columns: &[&ColumnMeta]) -> Json {
    Json::Object(columns.iter().map(|c| (c.name.clone(), type_description(&c.ty))).collect())
}

/// A row as a document: null cells and empty collections left out.
pub fn document(columns: &[(String, CqlType)], row: &[Option<Value>]) -> Json {
    Json::Object(
        columns
            .iter()
            .zip(row)
            .filter_map(|((name, _), cell)| {
                let value = cell.as_ref()?;
                let empty = match value {
                    Value::List(v) | Value::Set(v) => v.is_empty(),
                    Value::Map(m) => m.is_empty(),
                    _ => false,
                };
                (!empty).then(|| (name.clone(), codec::encode(value)))
            })
            .collect(),
    )
}

/// A parsed `sort` clause: columns and whether each is descending.
pub fn parse_sort(
    meta: &TableMeta,
    sort: Option<&JsonValue>,
) -> Result<Vec<(String, bool)>, ApiError> {
    let Some(JsonValue::Object(map)) = sort.filter(|s| !s.is_null()) else { return Ok(Vec::new()) };
    let mut out = Vec::with_capacity(map.len());
    for (column, direction) in map {
        let desc = match direction.as_i64() {
            Some(1) => false,
            Some(-1) => true,
            _ => {
                return Err(ApiError::unscoped(
                    "REQUEST_STRUCTURE_MISMATCH",
                    format!(
                        "Request is valid JSON but has a structural mismatch: sort value for '{column}' must be 1 or -1; \
                         vector and lexical sorts are not supported by this emulator."
                    ),
                ));
            }
        };
        out.push((column.clone(), desc));
    }
    let unknown: Vec<&str> =
        out.iter().map(|(c, _)| c.as_str()).filter(|c| meta.column(c).is_none()).collect();
    if !unknown.is_empty() {
        return Err(ApiError::request(
            "SORT",
            "CANNOT_SORT_UNKNOWN_COLUMNS",
            format!(
                "The command attempted to sort the unknown columns: {}.\n\nThe table {}.{} defines the columns: {}.",
                unknown.join(", "),
                meta.keyspace,
                meta.name,
                meta.column_names().join(", ")
            ),
        ));
    }
    Ok(out)
}

/// The `ORDER BY` body when the sort can run in the database: no skip, a prefix of the
/// clustering columns in their order, all in or all against the table's direction, and
/// every partition key restricted by `$eq`. `None` means sort in memory.
pub fn pushdown_order(
    meta: &TableMeta,
    sort: &[(String, bool)],
    conditions: &[Condition],
    skip: bool,
) -> Option<String> {
    if sort.is_empty() || skip {
        return None;
    }
    let partition_fixed = meta
        .partition_keys()
        .all(|p| conditions.iter().any(|c| c.column == p.name && c.op == Op::Eq));
    let clustering: Vec<&ColumnMeta> = meta.clustering_keys().collect();
    if !partition_fixed || sort.len() > clustering.len() {
        return None;
    }
    let mut reversed = None;
    for ((name, desc), column) in sort.iter().zip(&clustering) {
        if *name != column.name {
            return None;
        }
        let flips = *desc != column.descending;
        if *reversed.get_or_insert(flips) != flips {
            return None;
        }
    }
    Some(
        sort.iter()
            .map(|(n, d)| format!("{} {}", maybe_quote(n), if *d { "DESC" } else { "ASC" }))
            .collect::<Vec<_>>()
            .join(", "),
    )
}

/// The warning for an in-memory sort.
pub fn in_memory_sort_warning(meta: &TableMeta) -> ApiError {
    ApiError::warning(
        "IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING",
        format!(
            "The command was executed using in memory sorting rather than taking advantage of the partition sorting on disk. \
             This can have performance implications on large tables.\n\n\
             The table {}.{} has the partition sorting columns: {}.",
            meta.keyspace,
            meta.name,
            meta.clustering_keys().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
        ),
    )
}

/// Orders two cells for an in-memory sort: nulls first, then the natural order of the
/// values (numbers by value, text by UTF-16 code units, UUIDs as Java's signed halves).
pub fn compare_cells(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => compare_values(a, b),
    }
}

fn compare_values(a: &Value, b: &Value) -> Ordering {
    use Value as V;
    match (a, b) {
        (V::Text(x) | V::Ascii(x), V::Text(y) | V::Ascii(y)) => {
            x.encode_utf16().cmp(y.encode_utf16())
        }
        (V::Boolean(x), V::Boolean(y)) => x.cmp(y),
        (V::Tinyint(x), V::Tinyint(y)) => x.cmp(y),
        (V::Smallint(x), V::Smallint(y)) => x.cmp(y),
        (V::Int(x), V::Int(y)) => x.cmp(y),
        (V::Bigint(x) | V::Counter(x), V::Bigint(y) | V::Counter(y)) => x.cmp(y),
        (V::Varint(x), V::Varint(y)) => x.cmp(y),
        (V::Float(x), V::Float(y)) => x.total_cmp(y),
        (V::Double(x), V::Double(y)) => x.total_cmp(y),
        (V::Decimal(_), V::Decimal(_)) => compare(&CqlType::Native(NativeType::Decimal), a, b),
        (V::Uuid(x) | V::Timeuuid(x), V::Uuid(y) | V::Timeuuid(y)) => {
            let halves = |u: &[u8; 16]| {
                let mut hi = [0u8; 8];
                let mut lo = [0u8; 8];
                hi.copy_from_slice(&u[..8]);
                lo.copy_from_slice(&u[8..]);
                (i64::from_be_bytes(hi), i64::from_be_bytes(lo))
            };
            halves(&x.0).cmp(&halves(&y.0))
        }
        (V::Timestamp(x), V::Timestamp(y)) => x.cmp(y),
        (V::Date(x), V::Date(y)) => x.cmp(y),
        (V::Time(x), V::Time(y)) => x.cmp(y),
        (V::Blob(x), V::Blob(y)) => x.cmp(y),
        (V::Inet(x), V::Inet(y)) => x.cmp(y),
        _ => Ordering::Equal,
    }
}

/// Sorts rows in memory by `sort` over `columns`.
pub fn sort_rows(
    columns: &[(String, CqlType)],
    rows: &mut [Vec<Option<Value>>],
    sort: &[(String, bool)],
) {
    let keys: Vec<(usize, bool)> = sort
        .iter()
        .filter_map(|(name, desc)| columns.iter().position(|(n, _)| n == name).map(|i| (i, *desc)))
        .collect();
    rows.sort_by(|a, b| {
        for (i, desc) in &keys {
            let ordering = compare_cells(
                a.get(*i).and_then(Option::as_ref),
                b.get(*i).and_then(Option::as_ref),
            );
            let ordering = if *desc { ordering.reverse() } else { ordering };
            if ordering != Ordering::Equal {
                return ordering;
            }
        }
        Ordering::Equal
    });
}

/// `insertOne`/`insertMany` of one document: the `INSERT` and the row's `insertedIds` entry.
pub fn insert(meta: &TableMeta, doc: &JsonValue) -> Result<(String, Json), ApiError> {
    let Some(doc) = doc.as_object() else {
        return Err(ApiError::request(
            "DOCUMENT",
            "INVALID_COLUMN_VALUES",
            format!("Bad document type: document must be a JSON Object, instead got {doc}."),
        ));
    };
    let unknown: Vec<&str> =
        doc.keys().map(String::as_str).filter(|k| meta.column(k).is_none()).collect();
    if !unknown.is_empty() {
        return Err(unknown_columns("DOCUMENT", meta, &unknown));
    }
    let key: Vec<&ColumnMeta> = meta.primary_key().collect();
    let missing: Vec<&str> = key
        .iter()
        .map(|c| c.name.as_str())
        .filter(|k| doc.get(*k).is_none_or(JsonValue::is_null))
        .collect();
    if !missing.is_empty() {
        let provided: Vec<&str> =
            key.iter().map(|c| c.name.as_str()).filter(|k| !missing.contains(k)).collect();
        return Err(ApiError::request(
            "DOCUMENT",
            "MISSING_PRIMARY_KEY_COLUMNS",
            format!(
                "All primary key columns must be provided when inserting a document into a table.\n\n\
                 The table {}.{} defines the primary key columns: {}.\n\n\
                 The command included values for primary key columns: {}.\n\
                 The command did not include values for primary key columns: {}.",
                meta.keyspace,
                meta.name,
                key.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", "),
                provided.join(", "),
                missing.join(", ")
            ),
        ));
    }
    let counters: Vec<&str> = doc
        .keys()
        .map(String::as_str)
        .filter(|k| meta.column(k).is_some_and(|c| c.ty.native() == Some(NativeType::Counter)))
        .collect();
    if !counters.is_empty() {
        return Err(ApiError::request(
            "DOCUMENT",
            "UNSUPPORTED_COLUMN_TYPES",
            format!(
                "Only supported column types can be included when inserting a document into a table.\n\n\
                 The command included the following columns that have unsupported data types: {}.",
                counters.join(", ")
            ),
        ));
    }
    let mut names = Vec::with_capacity(doc.len());
    let mut values = Vec::with_capacity(doc.len());
    let mut invalid = Vec::new();
    for (name, value) in doc {
        let Some(column) = meta.column(name) else { continue };
        match codec::to_cql(value, &column.ty) {
            Ok(literal) => {
                names.push(maybe_quote(name));
                values.push(literal);
            }
            Err(cause) => invalid.push(format!("{name}({}) - Cause: {cause}", column.ty)),
        }
    }
    if !invalid.is_empty() {
        return Err(ApiError::request(
            "DOCUMENT",
            "INVALID_COLUMN_VALUES",
            format!(
                "Only values that are supported by the column data type can be included when inserting a document into a table.\n\n\
                 The command included the following columns with invalid values: {}.",
                invalid.join(", ")
            ),
        ));
    }
    let id = Json::Array(key.iter().map(|c| key_json(doc.get(&c.name))).collect());
    let cql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        qualified(&meta.keyspace, &meta.name),
        names.join(", "),
        values.join(", ")
    );
    Ok((cql, id))
}

/// A key value for `insertedIds`: as sent, with `$binary` bare and `$date` as an instant.
fn key_json(value: Option<&JsonValue>) -> Json {
    match value {
        Some(JsonValue::Object(obj)) if obj.len() == 1 => {
            if let Some(JsonValue::String(b)) = obj.get("$binary") {
                return Json::string(b.clone());
            }
            if let Some(ms) = obj.get("$date").and_then(JsonValue::as_i64) {
                return Json::string(javafmt::instant(ms));
            }
            Json::from(JsonValue::Object(obj.clone()))
        }
        Some(other) => Json::from(other.clone()),
        None => Json::Null,
    }
}

/// The full-primary-key `$eq` filter `updateOne` and `deleteOne` require, as `WHERE` terms.
pub fn full_key_terms(meta: &TableMeta, conditions: &[Condition]) -> Result<Vec<String>, ApiError> {
    if conditions.is_empty() {
        return Err(ApiError::request(
            "FILTER",
            "MISSING_FILTER_FOR_UPDATE_DELETE",
            "Update and delete commands require a filter on the full primary key.",
        ));
    }
    let non_key: Vec<&str> = conditions
        .iter()
        .map(|c| c.column.as_str())
        .filter(|c| {
            meta.column(c).is_some_and(|m| {
                !matches!(m.kind, ColumnKind::PartitionKey | ColumnKind::Clustering)
            })
        })
        .collect();
    if !non_key.is_empty() {
        return Err(ApiError::request(
            "FILTER",
            "UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE",
            format!(
                "Update and delete commands only support filtering on the primary key; the filter used: {}.",
                non_key.join(", ")
            ),
        ));
    }
    if conditions.iter().any(|c| c.op != Op::Eq) {
        return Err(ApiError::request(
            "FILTER",
            "UNSUPPORTED_FILTER_FOR_UPDATE_ONE_DELETE_ONE",
            "updateOne and deleteOne commands only support filtering using $eq.",
        ));
    }
    let missing: Vec<&str> = meta
        .primary_key()
        .map(|c| c.name.as_str())
        .filter(|k| !conditions.iter().any(|c| c.column == *k))
        .collect();
    if !missing.is_empty() {
        return Err(ApiError::request(
            "FILTER",
            "MISSING_FULL_PRIMARY_KEY_FOR_UPDATE_DELETE",
            format!(
                "updateOne and deleteOne commands require filtering on the full primary key; missing: {}.",
                missing.join(", ")
            ),
        ));
    }
    where_terms(meta, conditions)
}

/// `deleteMany`: `TRUNCATE` for an empty filter, else a `DELETE` over all partition keys
/// and a gap-free clustering prefix.
pub fn delete_many(meta: &TableMeta, conditions: &[Condition]) -> Result<String, ApiError> {
    let target = qualified(&meta.keyspace, &meta.name);
    if conditions.is_empty() {
        return Ok(format!("TRUNCATE {target}"));
    }
    let filtered = |name: &str| conditions.iter().any(|c| c.column == name);
    let only_keys = conditions.iter().all(|c| {
        meta.column(&c.column)
            .is_some_and(|m| matches!(m.kind, ColumnKind::PartitionKey | ColumnKind::Clustering))
    });
    let partitions = meta.partition_keys().all(|c| filtered(&c.name));
    let clustering: Vec<bool> = meta.clustering_keys().map(|c| filtered(&c.name)).collect();
    let gap = clustering.windows(2).any(|w| matches!(w, [false, true]));
    if !only_keys || !partitions || gap {
        return Err(ApiError::request(
            "FILTER",
            "INVALID_PRIMARY_KEY_FILTER",
            format!(
                "deleteMany on a table can only filter on all the partition columns and then on the partition sort columns \
                 in schema order without gaps. The table {}.{} has the primary key: {}.",
                meta.keyspace,
                meta.name,
                meta.primary_key().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", ")
            ),
        ));
    }
    Ok(format!("DELETE FROM {target} WHERE {}", where_terms(meta, conditions)?.join(" AND ")))
}

fn update_error(code: &'static str, message: String) -> ApiError {
    ApiError::request("UPDATE", code, message)
}

/// `updateOne`'s `update` clause as `SET` assignments.
pub fn assignments(meta: &TableMeta, update: Option<&JsonValue>) -> Result<Vec<String>, ApiError> {
    let empty = || {
        update_error(
            "MISSING_UPDATE_OPERATIONS",
            "The update clause must include at least one of $set, $unset, $push or $pullAll with columns.".into(),
        )
    };
    let Some(JsonValue::Object(ops)) = update else { return Err(empty()) };
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (op, columns) in ops {
        if !matches!(op.as_str(), "$set" | "$unset" | "$push" | "$pullAll") {
            return Err(update_error(
                "UNSUPPORTED_UPDATE_OPERATIONS_FOR_TABLE",
                format!(
                    "The update operator {op} is not supported by tables; use $set, $unset, $push or $pullAll."
                ),
            ));
        }
        let JsonValue::Object(columns) = columns else {
            return Err(update_error(
                "MISSING_UPDATE_OPERATIONS",
                format!("The value of {op} must be an object of columns."),
            ));
        };
        let unknown: Vec<&str> =
            columns.keys().map(String::as_str).filter(|c| meta.column(c).is_none()).collect();
        if !unknown.is_empty() {
            return Err(unknown_columns("UPDATE", meta, &unknown));
        }
        for (name, value) in columns {
            let Some(column) = meta.column(name) else { continue };
            if matches!(column.kind, ColumnKind::PartitionKey | ColumnKind::Clustering) {
                return Err(update_error(
                    "UNSUPPORTED_UPDATE_FOR_PRIMARY_KEY_COLUMNS",
                    format!("Primary key columns cannot be updated; the update included: {name}."),
                ));
            }
            if seen.contains(name) {
                return Err(update_error(
                    "UNSUPPORTED_OVERLAPPING_UPDATE_OPERATIONS",
                    format!("The column {name} is changed by more than one update operation."),
                ));
            }
            seen.push(name.clone());
            out.push(assignment(column, op, value)?);
        }
    }
    if out.is_empty() {
        return Err(empty());
    }
    Ok(out)
}

fn assignment(column: &ColumnMeta, op: &str, value: &JsonValue) -> Result<String, ApiError> {
    let lhs = maybe_quote(&column.name);
    let invalid = |cause: String| {
        update_error(
            "INVALID_UPDATE_COLUMN_VALUES",
            format!(
                "Only values that are supported by the column data type can be included in the update.\n\n\
                 The command included invalid values: {}({}) - Cause: {cause}.",
                column.name, column.ty
            ),
        )
    };
    let not_collection = || {
        update_error(
            "UNSUPPORTED_UPDATE_OPERATOR",
            format!(
                "The update operator {op} cannot be used on the {} column {}.",
                column.ty, column.name
            ),
        )
    };
    if column.ty.native() == Some(NativeType::Counter) {
        return Err(not_collection());
    }
    match op {
        "$unset" => Ok(format!("{lhs} = null")),
        "$set" => Ok(format!("{lhs} = {}", codec::to_cql(value, &column.ty).map_err(invalid)?)),
        "$push" => {
            let each = value.as_object().and_then(|o| o.get("$each").filter(|_| o.len() == 1));
            let items: Vec<JsonValue> = match (column.ty.unfrozen(), each) {
                (CqlType::List(_) | CqlType::Set(_), Some(JsonValue::Array(items))) => {
                    items.clone()
                }
                (CqlType::List(_) | CqlType::Set(_), Some(_)) => {
                    return Err(invalid("$each needs an array".into()));
                }
                (CqlType::List(_) | CqlType::Set(_), None) => vec![value.clone()],
                (CqlType::Map(..), Some(JsonValue::Array(items))) => {
                    let literal = codec::to_cql(&JsonValue::Array(items.clone()), &column.ty)
                        .map_err(invalid)?;
                    return Ok(format!("{lhs} = {lhs} + {literal}"));
                }
                (CqlType::Map(..), _) => {
                    let literal = codec::to_cql(value, &column.ty).map_err(invalid)?;
                    return Ok(format!("{lhs} = {lhs} + {literal}"));
                }
                _ => return Err(not_collection()),
            };
            let literal = codec::to_cql(&JsonValue::Array(items), &column.ty).map_err(invalid)?;
            Ok(format!("{lhs} = {lhs} + {literal}"))
        }
        _ => {
            let JsonValue::Array(items) = value else {
                return Err(invalid("$pullAll needs an array".into()));
            };
            match column.ty.unfrozen() {
                CqlType::List(_) | CqlType::Set(_) => {
                    let literal = codec::to_cql(value, &column.ty).map_err(invalid)?;
                    Ok(format!("{lhs} = {lhs} - {literal}"))
                }
                CqlType::Map(key, _) => {
                    let keys = CqlType::Set(key.clone());
                    let literal =
                        codec::to_cql(&JsonValue::Array(items.clone()), &keys).map_err(invalid)?;
                    Ok(format!("{lhs} = {lhs} - {literal}"))
                }
                _ => Err(not_collection()),
            }
        }
    }
}

#[cfg(test)]
mod tests;
