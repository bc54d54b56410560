//! Vector search on tables: the sort clause `{"v": [..]}`, the index metrics and the
//! similarity scores the Data API reports (CQL's `similarity_*` scale, 0 to 1).

use cqlfiddle_engine::types::{CqlType, Value};
use serde_json::Value as JsonValue;

use super::error::ApiError;
use crate::base64;
use crate::schema::TableMeta;

/// The largest `limit` of a vector sort, and its default.
pub const MAX_LIMIT: usize = 1000;

/// The metrics `createVectorIndex` takes; the first is the default.
pub const METRICS: [&str; 3] = ["cosine", "dot_product", "euclidean"];

/// The source models `createVectorIndex` takes; `other` is the default.
pub const SOURCE_MODELS: [&str; 8] = [
    "ada002",
    "bert",
    "cohere-v3",
    "gecko",
    "nv-qa-4",
    "openai-v3-large",
    "openai-v3-small",
    "other",
];

fn sort_error(code: &'static str, message: String) -> ApiError {
    ApiError::request("SORT", code, message)
}

/// Whether a sort value asks for a vector sort (an array, or `{"$binary": ...}`).
fn is_vector_value(value: &JsonValue) -> bool {
    value.is_array() || value.as_object().is_some_and(|o| o.contains_key("$binary"))
}

/// The vector sort in `sort`, if there is one: the column and the query vector.
pub fn sort_vector(
    meta: &TableMeta,
    sort: Option<&JsonValue>,
) -> Result<Option<(String, Vec<f32>)>, ApiError> {
    let Some(map) = sort.and_then(JsonValue::as_object) else { return Ok(None) };
    let Some((column, value)) = map.iter().find(|(_, v)| is_vector_value(v)) else {
        return Ok(None);
    };
    if map.len() > 1 {
        return Err(sort_error(
            "CANNOT_SORT_VECTOR_AND_NON_VECTOR_COLUMNS",
            format!("A vector sort on '{column}' cannot be combined with other sort columns."),
        ));
    }
    let Some(meta_column) = meta.column(column) else {
        return Err(sort_error(
            "CANNOT_SORT_UNKNOWN_COLUMNS",
            format!("The command attempted to sort the unknown columns: {column}."),
        ));
    };
    let CqlType::Vector(_, dimension) = meta_column.ty.unfrozen() else {
        return Err(sort_error(
            "CANNOT_VECTOR_SORT_NON_VECTOR_COLUMNS",
            format!(
                "The column '{column}' is not a vector column, so it cannot be sorted by a vector."
            ),
        ));
    };
    let query = parse_vector(value).ok_or_else(|| {
        ApiError::unscoped(
            "REQUEST_STRUCTURE_MISMATCH",
            format!("Request is valid JSON but has a structural mismatch: the sort vector for '{column}' must be numbers."),
        )
    })?;
    if query.len() != *dimension {
        return Err(sort_error(
            "CANNOT_VECTOR_SORT_ON_MISMATCHED_VECTOR_DIMENSIONS",
            format!(
                "The column '{column}' holds vectors of dimension {dimension}; the sort vector has {}.",
                query.len()
            ),
        ));
    }
    Ok(Some((column.clone(), query)))
}

/// An array of numbers, or `{"$binary": base64 of big-endian float32s}`.
fn parse_vector(value: &JsonValue) -> Option<Vec<f32>> {
    match value {
        JsonValue::Array(items) => items.iter().map(|v| v.as_f64().map(|f| f as f32)).collect(),
        JsonValue::Object(obj) => {
            let bytes = base64::decode(obj.get("$binary")?.as_str()?).ok()?;
            if bytes.len() % 4 != 0 {
                return None;
            }
            Some(
                bytes
                    .chunks_exact(4)
                    .map(|c| f32::from_be_bytes([c[0], c[1], c[2], c[3]]))
                    .collect(),
            )
        }
        _ => None,
    }
}

/// The floats of a stored vector.
pub fn floats(value: &Value) -> Option<Vec<f32>> {
    match value {
        Value::Vector(items) | Value::List(items) => items
            .iter()
            .map(|v| match v {
                Value::Float(f) => Some(*f),
                Value::Double(d) => Some(*d as f32),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// The similarity of `a` and `b` under `metric`, on CQL's 0-to-1 scale: cosine and dot
/// product as `(1 + x) / 2`, euclidean as `1 / (1 + d²)`. `None` for a zero vector under
/// cosine, which has no direction.
pub fn similarity(metric: &str, a: &[f32], b: &[f32]) -> Option<f64> {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| f64::from(*x) * f64::from(*y)).sum();
    match metric {
        "dot_product" => Some((1.0 + dot) / 2.0),
        "euclidean" => {
            let d2: f64 =
                a.iter().zip(b).map(|(x, y)| (f64::from(*x) - f64::from(*y)).powi(2)).sum();
            Some(1.0 / (1.0 + d2))
        }
        _ => {
            let norm = |v: &[f32]| v.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>().sqrt();
            let (na, nb) = (norm(a), norm(b));
            (na > 0.0 && nb > 0.0).then(|| (1.0 + dot / (na * nb)) / 2.0)
        }
    }
}

#[cfg(test)]
mod tests;
