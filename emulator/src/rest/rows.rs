//! The row endpoints' requests as CQL statements, without the engine: `where`, `fields`,
//! `sort`, key paths and row bodies in, statement text or Stargate's error out.

use cqlfiddle_engine::types::{CqlType, maybe_quote};
use serde_json::{Map, Value as JsonValue};

use super::error::RestError;
use super::literal::{strict, to_cql};
use crate::schema::{ColumnMeta, TableMeta};

/// `ks.table` with each part quoted as CQL needs it.
pub fn qualified(keyspace: &str, table: &str) -> String {
    format!("{}.{}", maybe_quote(keyspace), maybe_quote(table))
}

/// `fields=a, b`: names trimmed, empty entries dropped; none means `*`.
pub fn projection(fields: Option<&str>) -> String {
    let names: Vec<String> = fields
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(maybe_quote)
        .collect();
    if names.is_empty() { "*".into() } else { names.join(", ") }
}

/// `sort={"a":"desc","b":"asc"}` as an `ORDER BY` body. Stargate 2 only honours exactly
/// `desc`; any case is accepted here, since v1 accepted `DESC` and its docs show it.
pub fn order_by(sort: Option<&str>) -> Result<Option<String>, RestError> {
    let Some(text) = sort.filter(|s| !s.trim().is_empty()) else { return Ok(None) };
    let problem =
        |p: String| RestError::bad_request(format!("Invalid 'sort' parameter, problem: {p}"));
    let parsed: JsonValue = serde_json::from_str(text)
        .map_err(|e| problem(format!("Invalid 'sort' argument, not valid JSON ({e})")))?;
    let JsonValue::Object(map) = parsed else {
        return Err(problem(format!("Invalid 'sort' argument, not JSON Object ({text})")));
    };
    if map.is_empty() {
        return Ok(None);
    }
    let parts: Vec<String> = map
        .iter()
        .map(|(column, order)| {
            let desc = order.as_str().is_some_and(|o| o.eq_ignore_ascii_case("desc"));
            format!("{} {}", maybe_quote(column), if desc { "DESC" } else { "ASC" })
        })
        .collect();
    Ok(Some(parts.join(", ")))
}

/// A `SELECT` over `meta`'s table (or any named table) with optional conditions and order.
pub fn select(
    keyspace: &str,
    table: &str,
    fields: Option<&str>,
    conditions: &[String],
    order: Option<&str>,
) -> String {
    let mut cql = format!("SELECT {} FROM {}", projection(fields), qualified(keyspace, table));
    if !conditions.is_empty() {
        cql.push_str(" WHERE ");
        cql.push_str(&conditions.join(" AND "));
    }
    if let Some(order) = order {
        cql.push_str(" ORDER BY ");
        cql.push_str(order);
    }
    cql
}

/// `Unknown field name 'x' (table 't'); known fields: [a, b]`.
fn unknown_field(meta: &TableMeta, name: &str) -> String {
    format!(
        "Unknown field name '{name}' (table '{}'); known fields: [{}]",
        meta.name,
        meta.column_names().join(", ")
    )
}

/// `Failed to deserialize field 't.c', problem: <codec message>`.
fn deserialize_error(meta: &TableMeta, column: &str, problem: &str) -> String {
    format!("Failed to deserialize field '{}.{column}', problem: {problem}", meta.name)
}

/// The `where` parameter of R1 as CQL conditions.
pub fn where_conditions(
    meta: &TableMeta,
    text: &str,
    compact: bool,
) -> Result<Vec<String>, RestError> {
    let problem =
        |p: String| RestError::bad_request(format!("Invalid 'where' parameter, problem: {p}"));
    let parsed: JsonValue = serde_json::from_str(text)
        .map_err(|e| problem(format!("Input provided is not valid json. {e}")))?;
    let JsonValue::Object(fields) = parsed else {
        return Err(problem("Was expecting a JSON object as input for where parameter.".into()));
    };
    let mut conditions = Vec::new();
    for (name, ops) in &fields {
        let JsonValue::Object(ops) = ops else {
            return Err(problem(format!(
                "Entry for field {name} was expecting a JSON object as input."
            )));
        };
        let column = meta.column(name).ok_or_else(|| problem(unknown_field(meta, name)))?;
        let lhs = maybe_quote(name);
        let value = |v: &JsonValue, ty: &CqlType| {
            to_cql(v, ty, compact).map_err(|e| problem(deserialize_error(meta, name, &e)))
        };
        let strict_value = |v: &JsonValue, ty: &CqlType| {
            strict(v, ty, compact).map_err(|e| problem(deserialize_error(meta, name, &e)))
        };
        for (op, operand) in ops {
            let op_lower = op.to_ascii_lowercase();
            let comparison = match op_lower.as_str() {
                "$eq" => Some("="),
                "$lt" => Some("<"),
                "$lte" => Some("<="),
                "$gt" => Some(">"),
                "$gte" => Some(">="),
                _ => None,
            };
            if let Some(symbol) = comparison {
                match operand {
                    JsonValue::Null => {
                        return Err(problem(format!(
                            "Value entry for field {name}, operation {op} was expecting a value, but found null."
                        )));
                    }
                    // Stargate's quirk: an array gives one condition per element.
                    JsonValue::Array(items) => {
                        for item in items {
                            conditions.push(format!("{lhs} {symbol} {}", value(item, &column.ty)?));
                        }
                    }
                    other => {
                        conditions.push(format!("{lhs} {symbol} {}", value(other, &column.ty)?))
                    }
                }
                continue;
            }
            match op_lower.as_str() {
                "$in" => {
                    let items = operand.as_array().filter(|a| !a.is_empty()).ok_or_else(|| {
                        problem(format!(
                            "Value entry for field '{name}', operation $in must be a non-empty array"
                        ))
                    })?;
                    let rendered: Result<Vec<String>, RestError> =
                        items.iter().map(|v| strict_value(v, &column.ty)).collect();
                    conditions.push(format!("{lhs} IN ({})", rendered?.join(", ")));
                }
                "$exists" => {
                    if operand != &JsonValue::Bool(true) {
                        return Err(problem("`$exists` only supports the value `true`.".into()));
                    }
                    conditions.push(format!("{lhs} = true"));
                }
                "$contains" => {
                    let elem = match column.ty.unfrozen() {
                        CqlType::List(t) | CqlType::Set(t) | CqlType::Map(_, t) => t,
                        _ => {
                            return Err(problem(format!(
                                "Field '{name}' not of container type (list, map, set); has to be for operation $contains"
                            )));
                        }
                    };
                    conditions.push(format!("{lhs} CONTAINS {}", value(operand, elem)?));
                }
                "$containskey" => {
                    let CqlType::Map(key, _) = column.ty.unfrozen() else {
                        return Err(problem(format!(
                            "Field '{name}' not of map type; has to be for operation $containsKey"
                        )));
                    };
                    conditions.push(format!("{lhs} CONTAINS KEY {}", value(operand, key)?));
                }
                "$containsentry" => {
                    let entry = operand
                        .as_object()
                        .filter(|o| o.len() == 2)
                        .and_then(|o| Some((o.get("key")?, o.get("value")?)));
                    let (Some((k, v)), CqlType::Map(kt, vt)) = (entry, column.ty.unfrozen()) else {
                        return Err(problem(format!(
                            "Value entry for field {name}, operation $containsEntry must be an object with two fields 'key' and 'value'"
                        )));
                    };
                    conditions.push(format!("{lhs}[{}] = {}", value(k, kt)?, value(v, vt)?));
                }
                _ => return Err(problem(format!("Operation {op} is not supported."))),
            }
        }
    }
    Ok(conditions)
}

/// A primary-key path (R2, R5–R7) as conditions on the leading key columns. `action` is
/// the verb in Stargate's message: `find`, `update` or `delete`.
pub fn key_conditions(
    meta: &TableMeta,
    segments: &[String],
    action: &str,
) -> Result<Vec<String>, RestError> {
    let problem = |p: String| {
        RestError::bad_request(format!("Invalid path for row to {action}, problem: {p}"))
    };
    let partition: Vec<&ColumnMeta> = meta.partition_keys().collect();
    let clustering = meta.clustering_keys().count();
    if segments.len() < partition.len() {
        return Err(problem(format!(
            "Number of key values provided ({}) less than number of partition keys ({})",
            segments.len(),
            partition.len()
        )));
    }
    if segments.len() > partition.len() + clustering {
        return Err(problem(format!(
            "Number of key values provided ({}) exceeds number of partition keys ({}) and clustering keys ({clustering})",
            segments.len(),
            partition.len()
        )));
    }
    meta.primary_key()
        .zip(segments)
        .map(|(column, segment)| {
            let literal = to_cql(&JsonValue::String(segment.clone()), &column.ty, true)
                .map_err(|e| problem(deserialize_error(meta, &column.name, &e)))?;
            Ok(format!("{} = {literal}", maybe_quote(&column.name)))
        })
        .collect()
}

/// Parses a row body: a JSON object, or Stargate's `Invalid JSON payload` error.
pub fn parse_body(body: &str) -> Result<Map<String, JsonValue>, RestError> {
    match serde_json::from_str::<JsonValue>(body) {
        Ok(JsonValue::Object(map)) => Ok(map),
        Ok(other) => Err(RestError::bad_request(format!(
            "Invalid JSON payload: expected a JSON object, got {}",
            json_type_name(&other)
        ))),
        Err(e) => Err(RestError::bad_request(format!("Invalid JSON payload: {e}"))),
    }
}

fn json_type_name(value: &JsonValue) -> &'static str {
    match value {
        JsonValue::Null => "null",
        JsonValue::Bool(_) => "a boolean",
        JsonValue::Number(_) => "a number",
        JsonValue::String(_) => "a string",
        JsonValue::Array(_) => "an array",
        JsonValue::Object(_) => "an object",
    }
}

/// Each body column as `(quoted name, literal)`, checked against the table.
fn body_values(
    meta: &TableMeta,
    body: &Map<String, JsonValue>,
    action: &str,
    compact: bool,
) -> Result<Vec<(&'static str, String, String)>, RestError> {
    let problem = |p: String| {
        RestError::bad_request(format!("Invalid path for row to {action}, problem: {p}"))
    };
    body.iter()
        .map(|(name, value)| {
            let column = meta.column(name).ok_or_else(|| problem(unknown_field(meta, name)))?;
            let counter = column.ty.native() == Some(cqlfiddle_engine::types::NativeType::Counter);
            let literal = to_cql(value, &column.ty, compact)
                .map_err(|e| problem(deserialize_error(meta, name, &e)))?;
            Ok((if counter { "counter" } else { "value" }, maybe_quote(name), literal))
        })
        .collect()
}

/// R4: the body as an `INSERT` (an upsert; no `IF NOT EXISTS`).
pub fn insert(
    meta: &TableMeta,
    body: &Map<String, JsonValue>,
    compact: bool,
) -> Result<String, RestError> {
    let values = body_values(meta, body, "create", compact)?;
    let names: Vec<&str> = values.iter().map(|(_, n, _)| n.as_str()).collect();
    let literals: Vec<&str> = values.iter().map(|(_, _, l)| l.as_str()).collect();
    Ok(format!(
        "INSERT INTO {} ({}) VALUES ({})",
        qualified(&meta.keyspace, &meta.name),
        names.join(", "),
        literals.join(", ")
    ))
}

/// R5/R6: the body as an `UPDATE` of the given columns; counters are incremented.
pub fn update(
    meta: &TableMeta,
    segments: &[String],
    body: &Map<String, JsonValue>,
    compact: bool,
) -> Result<String, RestError> {
    let conditions = key_conditions(meta, segments, "update")?;
    let values = body_values(meta, body, "update", compact)?;
    let assignments: Vec<String> = values
        .iter()
        .map(|(kind, name, literal)| {
            if *kind == "counter" {
                format!("{name} = {name} + {literal}")
            } else {
                format!("{name} = {literal}")
            }
        })
        .collect();
    Ok(format!(
        "UPDATE {} SET {} WHERE {}",
        qualified(&meta.keyspace, &meta.name),
        assignments.join(", "),
        conditions.join(" AND ")
    ))
}

/// R7: a `DELETE` of the row, partition or clustering prefix the path names.
pub fn delete(meta: &TableMeta, segments: &[String]) -> Result<String, RestError> {
    let conditions = key_conditions(meta, segments, "delete")?;
    Ok(format!(
        "DELETE FROM {} WHERE {}",
        qualified(&meta.keyspace, &meta.name),
        conditions.join(" AND ")
    ))
}

#[cfg(test)]
mod tests;
