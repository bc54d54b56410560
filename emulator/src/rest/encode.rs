//! CQL values to JSON as Stargate REST v2 writes them (`FromProtoValueCodecs` + Jackson).

use cqlfiddle_engine::types::{CqlType, Value};

use crate::base64;
use crate::javafmt;
use crate::json::Json;

/// Days between 1970-01-01 and the stored zero of a `date` (Cassandra keeps 2^31 at the epoch).
const DATE_EPOCH: i64 = 1 << 31;

/// Encodes one cell of type `ty`; `compact_maps` selects `{"k":v}` over
/// `[{"key":k,"value":v}]`.
///
/// Null lists, sets and maps come back empty, as on Stargate 2.0 (Cassandra does not tell
/// an empty collection from a null one); every other null is JSON `null`.
pub fn encode(value: Option<&Value>, ty: &CqlType, compact_maps: bool) -> Json {
    match value {
        Some(value) => encode_value(value, Some(ty), compact_maps),
        None => match ty.unfrozen() {
            CqlType::List(_) | CqlType::Set(_) => Json::Array(Vec::new()),
            CqlType::Map(..) if compact_maps => Json::Object(Vec::new()),
            CqlType::Map(..) => Json::Array(Vec::new()),
            _ => Json::Null,
        },
    }
}

/// Encodes a non-null value. The type only guides nested nulls; the value's own variant
/// decides its form.
fn encode_value(value: &Value, ty: Option<&CqlType>, compact: bool) -> Json {
    let ty = ty.map(CqlType::unfrozen);
    match value {
        Value::Null => Json::Null,
        Value::Ascii(s) | Value::Text(s) => Json::string(s.clone()),
        Value::Boolean(b) => Json::Bool(*b),
        Value::Tinyint(n) => Json::number(n),
        Value::Smallint(n) => Json::number(n),
        Value::Int(n) => Json::number(n),
        Value::Bigint(n) => Json::number(n),
        Value::Counter(n) => Json::string(n.to_string()),
        Value::Varint(n) => Json::number(n),
        Value::Float(x) => float_json(f64::from(*x), || javafmt::float(*x)),
        Value::Double(x) => float_json(*x, || javafmt::double(*x)),
        Value::Decimal(d) => Json::Number(javafmt::decimal(&d.unscaled.to_string(), d.scale)),
        Value::Uuid(u) | Value::Timeuuid(u) => Json::string(javafmt::uuid(&u.0)),
        Value::Timestamp(ms) => Json::string(javafmt::instant(*ms)),
        Value::Date(d) => Json::string(javafmt::local_date(i64::from(*d) - DATE_EPOCH)),
        Value::Time(nanos) => Json::string(javafmt::local_time(*nanos)),
        Value::Duration { months, days, nanos } => {
            Json::string(javafmt::duration(*months, *days, *nanos))
        }
        Value::Blob(bytes) => Json::string(base64::encode(bytes)),
        Value::Inet(addr) => Json::string(javafmt::inet(addr)),
        Value::List(items) | Value::Set(items) | Value::Vector(items) => {
            let elem = match ty {
                Some(CqlType::List(t) | CqlType::Set(t) | CqlType::Vector(t, _)) => Some(&**t),
                _ => None,
            };
            Json::Array(items.iter().map(|v| encode_value(v, elem, compact)).collect())
        }
        Value::Map(entries) => {
            let (kt, vt) = match ty {
                Some(CqlType::Map(k, v)) => (Some(&**k), Some(&**v)),
                _ => (None, None),
            };
            if compact {
                Json::Object(
                    entries
                        .iter()
                        .map(|(k, v)| (map_key(k, kt, compact), encode_value(v, vt, compact)))
                        .collect(),
                )
            } else {
                Json::Array(
                    entries
                        .iter()
                        .map(|(k, v)| {
                            Json::Object(vec![
                                ("key".into(), encode_value(k, kt, compact)),
                                ("value".into(), encode_value(v, vt, compact)),
                            ])
                        })
                        .collect(),
                )
            }
        }
        Value::Tuple(items) => {
            let types = match ty {
                Some(CqlType::Tuple(ts)) => ts.as_slice(),
                _ => &[],
            };
            Json::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| nested(v.as_ref(), types.get(i), compact))
                    .collect(),
            )
        }
        Value::Udt(fields) => {
            let types = match ty {
                Some(CqlType::Udt(u)) => u.fields.as_slice(),
                _ => &[],
            };
            Json::Object(
                fields
                    .iter()
                    .map(|(name, v)| {
                        let fty = types.iter().find(|(n, _)| n == name).map(|(_, t)| t);
                        (name.clone(), nested(v.as_ref(), fty, compact))
                    })
                    .collect(),
            )
        }
    }
}

/// A possibly-null value inside a tuple or UDT.
fn nested(value: Option<&Value>, ty: Option<&CqlType>, compact: bool) -> Json {
    match (value, ty) {
        (Some(v), _) => encode_value(v, ty, compact),
        (None, Some(t)) => encode(None, t, compact),
        (None, None) => Json::Null,
    }
}

/// A compact map's key: Jackson writes a key with its `toString`, so the key's JSON text
/// without quotes (numbers, booleans) or its string content.
fn map_key(key: &Value, ty: Option<&CqlType>, compact: bool) -> String {
    match encode_value(key, ty, compact) {
        Json::String(s) | Json::Number(s) => s,
        other => other.to_text(),
    }
}

/// Jackson writes NaN and the infinities as strings (`WRITE_NAN_AS_STRINGS`).
fn float_json(x: f64, finite: impl FnOnce() -> String) -> Json {
    if x.is_nan() {
        Json::string("NaN")
    } else if x.is_infinite() {
        Json::string(if x > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        Json::Number(finite())
    }
}

#[cfg(test)]
mod tests;
