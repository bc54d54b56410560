//! Table filters: parsed into a tree, split into what CQL can restrict and what the
//! emulator checks on each row itself (`$ne`, `$nin`, `$or`, `$not`, several-value `$in`
//! on lists and sets, everything on maps), the way the engine's CQL cannot.

use std::cmp::Ordering;

use cqlfiddle_engine::types::{Constant, CqlType, Value, compare, constant_to_value};
use serde_json::{Map, Value as JsonValue};

use super::codec;
use super::dml::{Condition, Op};
use super::error::ApiError;
use crate::schema::TableMeta;

/// A comparison of one column with JSON operands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeafOp {
    /// `$eq` or the implicit form.
    Eq,
    /// `$ne`.
    Ne,
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
    /// `$nin`.
    Nin,
    /// `$all`.
    All,
}

/// Which part of a map column a filter reads; other columns are always read whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The column itself (a map's entries, as `[key, value]` pairs).
    Whole,
    /// A map's keys: `{"m": {"$keys": {...}}}`.
    Keys,
    /// A map's values: `{"m": {"$values": {...}}}`.
    Values,
}

/// A filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// `column op value`.
    Leaf {
        /// The column.
        column: String,
        /// The part of the column compared.
        part: Part,
        /// The operator.
        op: LeafOp,
        /// The operand as sent.
        value: JsonValue,
    },
    /// All of these.
    And(Vec<Expr>),
    /// Any of these.
    Or(Vec<Expr>),
    /// Not this.
    Not(Box<Expr>),
}

fn unsupported(message: String) -> ApiError {
    ApiError::request("FILTER", "FILTER_UNSUPPORTED_OPERATOR", message)
}

/// Parses a filter into the list of expressions its top level ANDs together.
pub fn parse(meta: &TableMeta, filter: Option<&JsonValue>) -> Result<Vec<Expr>, ApiError> {
    let exprs = match filter {
        None | Some(JsonValue::Null) => Vec::new(),
        Some(JsonValue::Object(map)) => parse_object(meta, map)?,
        Some(other) => {
            return Err(ApiError::unscoped(
                "REQUEST_STRUCTURE_MISMATCH",
                format!(
                    "Request is valid JSON but has a structural mismatch: filter must be an object, got {other}."
                ),
            ));
        }
    };
    let mut unknown = Vec::new();
    for expr in &exprs {
        collect_unknown(meta, expr, &mut unknown);
    }
    if !unknown.is_empty() {
        unknown.dedup();
        return Err(ApiError::request(
            "FILTER",
            "UNKNOWN_TABLE_COLUMNS",
            format!(
                "Only columns defined in the table schema can be filtered on.\n\n\
                 The table {}.{} defines the columns: {}.\n\
                 The command included the following unknown columns: {}.",
                meta.keyspace,
                meta.name,
                meta.column_names().join(", "),
                unknown.join(", ")
            ),
        ));
    }
    let mut flat = Vec::new();
    flatten_and(exprs, &mut flat);
    Ok(flat)
}

fn collect_unknown(meta: &TableMeta, expr: &Expr, out: &mut Vec<String>) {
    match expr {
        Expr::Leaf { column, .. } if meta.column(column).is_none() => out.push(column.clone()),
        Expr::Leaf { .. } => {}
        Expr::And(items) | Expr::Or(items) => {
            items.iter().for_each(|e| collect_unknown(meta, e, out))
        }
        Expr::Not(inner) => collect_unknown(meta, inner, out),
    }
}

fn flatten_and(exprs: Vec<Expr>, out: &mut Vec<Expr>) {
    for expr in exprs {
        match expr {
            Expr::And(items) => flatten_and(items, out),
            other => out.push(other),
        }
    }
}

fn sub_filters(key: &str, value: &JsonValue, meta: &TableMeta) -> Result<Vec<Expr>, ApiError> {
    let items = value
        .as_array()
        .ok_or_else(|| unsupported(format!("'{key}' needs an array of filters.")))?;
    items
        .iter()
        .map(|item| {
            let map = item
                .as_object()
                .ok_or_else(|| unsupported(format!("'{key}' needs an array of filters.")))?;
            Ok(Expr::And(parse_object(meta, map)?))
        })
        .collect()
}

fn parse_object(meta: &TableMeta, map: &Map<String, JsonValue>) -> Result<Vec<Expr>, ApiError> {
    let mut out = Vec::new();
    for (key, value) in map {
        match key.as_str() {
            "$and" => out.push(Expr::And(sub_filters(key, value, meta)?)),
            "$or" => out.push(Expr::Or(sub_filters(key, value, meta)?)),
            "$not" => {
                let inner = value
                    .as_object()
                    .ok_or_else(|| unsupported("'$not' needs a filter object.".into()))?;
                out.push(Expr::Not(Box::new(Expr::And(parse_object(meta, inner)?))));
            }
            k if k.starts_with('$') => {
                return Err(unsupported(format!(
                    "The filter operator '{k}' is not supported on tables; use $and, $or or $not, or a column name."
                )));
            }
            _ => match value {
                JsonValue::Object(ops)
                    if !ops.is_empty() && ops.keys().all(|k| k.starts_with('$')) =>
                {
                    for (op, operand) in ops {
                        let part = match op.as_str() {
                            "$keys" => Part::Keys,
                            "$values" => Part::Values,
                            _ => {
                                let op = leaf_op(key, op)?;
                                let value = operand.clone();
                                out.push(Expr::Leaf {
                                    column: key.clone(),
                                    part: Part::Whole,
                                    op,
                                    value,
                                });
                                continue;
                            }
                        };
                        let inner = operand
                            .as_object()
                            .filter(|inner| !inner.is_empty())
                            .ok_or_else(|| {
                                unsupported(format!(
                                    "'{op}' on column '{key}' needs an object of $in, $nin or $all."
                                ))
                            })?;
                        for (inner_op, value) in inner {
                            let op = leaf_op(key, inner_op)?;
                            out.push(Expr::Leaf {
                                column: key.clone(),
                                part,
                                op,
                                value: value.clone(),
                            });
                        }
                    }
                }
                JsonValue::Object(_) => {
                    return Err(ApiError::request(
                        "FILTER",
                        "FILTER_UNSUPPORTED_DATA_TYPE",
                        format!(
                            "The filter on column '{key}' used a JSON object as a value, which is not supported."
                        ),
                    ));
                }
                other => out.push(Expr::Leaf {
                    column: key.clone(),
                    part: Part::Whole,
                    op: LeafOp::Eq,
                    value: other.clone(),
                }),
            },
        }
    }
    Ok(out)
}

/// The comparison operator a filter key names.
fn leaf_op(column: &str, op: &str) -> Result<LeafOp, ApiError> {
    Ok(match op {
        "$eq" => LeafOp::Eq,
        "$ne" => LeafOp::Ne,
        "$gt" => LeafOp::Gt,
        "$gte" => LeafOp::Gte,
        "$lt" => LeafOp::Lt,
        "$lte" => LeafOp::Lte,
        "$in" => LeafOp::In,
        "$nin" => LeafOp::Nin,
        "$all" => LeafOp::All,
        other => {
            return Err(unsupported(format!(
                "The filter operator '{other}' on column '{column}' is not supported on tables by this emulator; \
                 the supported operators are $eq, $ne, $gt, $gte, $lt, $lte, $in, $nin and $all \
                 (and $keys or $values on a map)."
            )));
        }
    })
}

/// Which kind of column a filter meets.
enum Kind {
    Scalar,
    Collection(CqlType),
    /// A map with scalar keys and values, the only maps the emulator can type operands for.
    Map(CqlType, CqlType),
    Other,
}

fn kind(meta: &TableMeta, column: &str) -> Kind {
    match meta.column(column).map(|c| c.ty.unfrozen()) {
        Some(CqlType::Native(_)) => Kind::Scalar,
        Some(CqlType::List(t) | CqlType::Set(t)) => Kind::Collection((**t).clone()),
        Some(CqlType::Map(k, v))
            if matches!(k.unfrozen(), CqlType::Native(_))
                && matches!(v.unfrozen(), CqlType::Native(_)) =>
        {
            Kind::Map(k.unfrozen().clone(), v.unfrozen().clone())
        }
        _ => Kind::Other,
    }
}

/// Splits the top-level expressions into CQL conditions and what must be checked per row.
pub fn split(meta: &TableMeta, exprs: Vec<Expr>) -> (Vec<Condition>, Vec<Expr>) {
    let mut conditions = Vec::new();
    let mut residual = Vec::new();
    for expr in exprs {
        let pushed = match &expr {
            // Map filters are always checked row by row.
            Expr::Leaf { part: Part::Whole, column, op, value } => {
                let op = match (kind(meta, column), op) {
                    (Kind::Scalar, LeafOp::Eq) => Some(Op::Eq),
                    (Kind::Scalar, LeafOp::Gt) => Some(Op::Gt),
                    (Kind::Scalar, LeafOp::Gte) => Some(Op::Gte),
                    (Kind::Scalar, LeafOp::Lt) => Some(Op::Lt),
                    (Kind::Scalar, LeafOp::Lte) => Some(Op::Lte),
                    (Kind::Scalar, LeafOp::In) => Some(Op::In),
                    (Kind::Collection(_), LeafOp::All) => Some(Op::All),
                    (Kind::Collection(_), LeafOp::In)
                        if value.as_array().is_some_and(|a| a.len() == 1) =>
                    {
                        Some(Op::In)
                    }
                    // Other shapes are checked row by row, or rejected when compiled.
                    _ => None,
                };
                op.map(|op| Condition { column: column.clone(), op, value: value.clone() })
            }
            _ => None,
        };
        match pushed {
            Some(condition) => conditions.push(condition),
            None => residual.push(expr),
        }
    }
    (conditions, residual)
}

/// A write's filter: only what CQL can state, else `residual_error`.
pub fn write_conditions(
    meta: &TableMeta,
    filter: Option<&JsonValue>,
    residual_error: impl FnOnce() -> ApiError,
) -> Result<Vec<Condition>, ApiError> {
    let (conditions, residual) = split(meta, parse(meta, filter)?);
    if residual.is_empty() { Ok(conditions) } else { Err(residual_error()) }
}

/// Every leaf as a condition, for the read warnings (`$eq`/`$in` stay, others count as ranges).
pub fn leaf_conditions(exprs: &[Expr]) -> Vec<Condition> {
    fn walk(expr: &Expr, out: &mut Vec<Condition>) {
        match expr {
            Expr::Leaf { column, op, value, .. } => out.push(Condition {
                column: column.clone(),
                op: match op {
                    LeafOp::Eq => Op::Eq,
                    LeafOp::In => Op::In,
                    LeafOp::All => Op::All,
                    _ => Op::Gt,
                },
                value: value.clone(),
            }),
            Expr::And(items) | Expr::Or(items) => items.iter().for_each(|e| walk(e, out)),
            Expr::Not(inner) => walk(inner, out),
        }
    }
    let mut out = Vec::new();
    exprs.iter().for_each(|e| walk(e, &mut out));
    out
}

/// What a residual leaf compares its operands with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The cell's scalar value.
    Scalar,
    /// The elements of a list or set.
    Elements,
    /// A map's keys.
    Keys,
    /// A map's values.
    Values,
    /// A map's entries; each operand is a one-entry map.
    Entries,
}

/// A residual filter with typed operands, ready to test rows.
#[derive(Debug, Clone)]
pub enum Compiled {
    /// A comparison on one column.
    Leaf {
        /// The column.
        column: String,
        /// The type operands compare as (the element, key or value type for collections,
        /// the map type for entries).
        ty: CqlType,
        /// What of the cell is compared.
        shape: Shape,
        /// The operator.
        op: LeafOp,
        /// The typed operands.
        operands: Vec<Value>,
    },
    /// All of these.
    And(Vec<Compiled>),
    /// Any of these.
    Or(Vec<Compiled>),
    /// Not this.
    Not(Box<Compiled>),
}

/// Types the operands of `exprs`, with the Data API's errors for bad values or shapes.
pub fn compile(meta: &TableMeta, exprs: &[Expr]) -> Result<Vec<Compiled>, ApiError> {
    exprs.iter().map(|e| compile_one(meta, e)).collect()
}

fn compile_one(meta: &TableMeta, expr: &Expr) -> Result<Compiled, ApiError> {
    Ok(match expr {
        Expr::And(items) => Compiled::And(compile(meta, items)?),
        Expr::Or(items) => Compiled::Or(compile(meta, items)?),
        Expr::Not(inner) => Compiled::Not(Box::new(compile_one(meta, inner)?)),
        Expr::Leaf { column, part, op, value } => {
            let (ty, shape) = match (kind(meta, column), part) {
                (Kind::Scalar, Part::Whole) => (
                    meta.column(column)
                        .map(|c| c.ty.clone())
                        .unwrap_or(CqlType::Native(cqlfiddle_engine::types::NativeType::Text)),
                    Shape::Scalar,
                ),
                (Kind::Collection(elem), Part::Whole) => (elem, Shape::Elements),
                (Kind::Map(key, _), Part::Keys) => (key, Shape::Keys),
                (Kind::Map(_, value), Part::Values) => (value, Shape::Values),
                (Kind::Map(key, value), Part::Whole) => {
                    (CqlType::Map(Box::new(key), Box::new(value)), Shape::Entries)
                }
                (_, Part::Keys | Part::Values) => {
                    return Err(unsupported(format!(
                        "'$keys' and '$values' need a map column; '{column}' is not one."
                    )));
                }
                (Kind::Other, Part::Whole) => {
                    return Err(ApiError::request(
                        "FILTER",
                        "FILTER_UNSUPPORTED_DATA_TYPE",
                        format!(
                            "The column '{column}' cannot be filtered on by this emulator; only scalar, list, set and \
                             map (of scalar keys and values) columns can."
                        ),
                    ));
                }
            };
            let many = matches!(op, LeafOp::In | LeafOp::Nin | LeafOp::All);
            if shape != Shape::Scalar && !many {
                return Err(unsupported(format!(
                    "The list, set or map column '{column}' can only be filtered with $in, $nin or $all."
                )));
            }
            if shape == Shape::Scalar && *op == LeafOp::All {
                return Err(unsupported(format!(
                    "'$all' needs a list, set or map column; '{column}' is not one."
                )));
            }
            let values: Vec<&JsonValue> = if many {
                value
                    .as_array()
                    .ok_or_else(|| {
                        unsupported(format!("The operator on column '{column}' needs an array."))
                    })?
                    .iter()
                    .collect()
            } else {
                vec![value]
            };
            let operands = values
                .into_iter()
                .map(|v| {
                    let typed = match &ty {
                        CqlType::Map(key, value) if shape == Shape::Entries => {
                            typed_entry(key, value, v)
                        }
                        _ => typed(&ty, v),
                    };
                    typed.map_err(|cause| invalid_value(column, &ty, &cause))
                })
                .collect::<Result<_, _>>()?;
            Compiled::Leaf { column: column.clone(), ty, shape, op: *op, operands }
        }
    })
}

/// A map entry operand, `[key, value]`, as a one-entry map.
fn typed_entry(key: &CqlType, value: &CqlType, entry: &JsonValue) -> Result<Value, String> {
    match entry.as_array().map(Vec::as_slice) {
        Some([k, v]) => Ok(Value::Map(vec![(typed(key, k)?, typed(value, v)?)])),
        _ => Err(format!("a map entry must be a [key, value] array, not {entry}")),
    }
}

fn invalid_value(column: &str, ty: &CqlType, cause: &str) -> ApiError {
    ApiError::request(
        "FILTER",
        "INVALID_FILTER_COLUMN_VALUES",
        format!(
            "Only values that are supported by the column data type can be included in the filter.\n\n\
             The command included invalid values: {column}({ty}) - Cause: {cause}."
        ),
    )
}

/// A JSON operand as an engine value of scalar type `ty`, through the same literal the
/// pushed-down filters use.
fn typed(ty: &CqlType, value: &JsonValue) -> Result<Value, String> {
    if value.is_null() {
        return Err("null is not a filter value".into());
    }
    let literal = codec::to_cql(value, ty)?;
    constant_to_value(&constant(&literal), ty, "filter").map_err(|e| e.to_string())
}

/// The lexer's view of a literal the codec wrote.
fn constant(literal: &str) -> Constant {
    if let Some(inner) = literal.strip_prefix('\'').and_then(|l| l.strip_suffix('\'')) {
        return Constant::String(inner.replace("''", "'"));
    }
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match literal {
        "true" => Constant::Boolean(true),
        "false" => Constant::Boolean(false),
        "NaN" => Constant::NaN,
        "Infinity" => Constant::Infinity,
        "-Infinity" => Constant::NegInfinity,
        l if l.starts_with("0x") => Constant::Hex(l.get(2..).unwrap_or_default().to_string()),
        l if digits(l.strip_prefix('-').unwrap_or(l)) => Constant::Integer(l.to_string()),
        l if l.len() == 36 && l.bytes().filter(|b| *b == b'-').count() == 4 => {
            Constant::Uuid(l.to_string())
        }
        l if l
            .strip_prefix('-')
            .unwrap_or(l)
            .starts_with(|c: char| c.is_ascii_digit() || c == '.')
            && l.bytes().all(|b| b.is_ascii_digit() || b"+-.eE".contains(&b)) =>
        {
            Constant::Float(l.to_string())
        }
        l => Constant::Duration(l.to_string()),
    }
}

/// Whether `row` (over `columns`) passes every residual expression.
pub fn matches(filters: &[Compiled], columns: &[(String, CqlType)], row: &[Option<Value>]) -> bool {
    filters.iter().all(|f| eval(f, columns, row))
}

fn eval(filter: &Compiled, columns: &[(String, CqlType)], row: &[Option<Value>]) -> bool {
    match filter {
        Compiled::And(items) => items.iter().all(|f| eval(f, columns, row)),
        Compiled::Or(items) => items.iter().any(|f| eval(f, columns, row)),
        Compiled::Not(inner) => !eval(inner, columns, row),
        Compiled::Leaf { column, ty, shape, op, operands } => {
            let cell = columns
                .iter()
                .position(|(n, _)| n == column)
                .and_then(|i| row.get(i))
                .and_then(Option::as_ref);
            let equal = |a: &Value, b: &Value| compare(ty, a, b) == Ordering::Equal;
            if *shape != Shape::Scalar {
                // A null collection is empty, as the Data API sees it.
                let empty = Vec::new();
                let entries = match cell {
                    Some(Value::Map(entries)) => entries,
                    _ => &empty,
                };
                let elements: Vec<&Value> = match (shape, cell) {
                    (Shape::Elements, Some(Value::List(items) | Value::Set(items))) => {
                        items.iter().collect()
                    }
                    (Shape::Keys, _) => entries.iter().map(|(k, _)| k).collect(),
                    (Shape::Values, _) => entries.iter().map(|(_, v)| v).collect(),
                    _ => Vec::new(),
                };
                let has = |operand: &Value| match (shape, operand) {
                    (Shape::Entries, Value::Map(pairs)) => pairs.iter().all(|(k, v)| {
                        let CqlType::Map(key_ty, value_ty) = ty else { return false };
                        entries.iter().any(|(ek, ev)| {
                            compare(key_ty, ek, k) == Ordering::Equal
                                && compare(value_ty, ev, v) == Ordering::Equal
                        })
                    }),
                    _ => elements.iter().any(|e| equal(e, operand)),
                };
                return match op {
                    LeafOp::In => operands.iter().any(has),
                    LeafOp::Nin => !operands.iter().any(has),
                    _ => operands.iter().all(has),
                };
            }
            // A null matches only the negative operators, as in the Data API's Mongo-like model.
            let Some(value) = cell else { return matches!(op, LeafOp::Ne | LeafOp::Nin) };
            let first = operands.first();
            let ordering =
                |want: fn(Ordering) -> bool| first.is_some_and(|o| want(compare(ty, value, o)));
            match op {
                LeafOp::Eq => ordering(|o| o == Ordering::Equal),
                LeafOp::Ne => !ordering(|o| o == Ordering::Equal),
                LeafOp::Gt => ordering(|o| o == Ordering::Greater),
                LeafOp::Gte => ordering(|o| o != Ordering::Less),
                LeafOp::Lt => ordering(|o| o == Ordering::Less),
                LeafOp::Lte => ordering(|o| o != Ordering::Greater),
                LeafOp::In => operands.iter().any(|o| equal(value, o)),
                LeafOp::Nin => !operands.iter().any(|o| equal(value, o)),
                LeafOp::All => false,
            }
        }
    }
}

#[cfg(test)]
mod tests;
