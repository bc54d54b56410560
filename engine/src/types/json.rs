//! JSON: `toJson()` / `SELECT JSON` encoding and `fromJson()` / `INSERT JSON` decoding.

use serde_json::Value as Json;

use super::decimal::{java_double_to_string, java_float_to_string, parse_java_bigint};
use super::format::fmt_string;
use super::literal::{from_string, parse_hex_blob};
use super::temporal::{
    date_to_days, format_date_days, format_duration, format_time, format_timestamp_json,
};
use super::{CqlType, Decimal, NativeType, Value, compare};
use crate::Error;

/// Escapes a string the way Cassandra's JSON encoder does and wraps it in quotes.
pub fn json_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A JSON object key for a column or field name: names that are not lower case are
/// wrapped in (escaped) double quotes, as Cassandra does to keep them case-sensitive.
pub fn json_key(name: &str) -> String {
    if name == name.to_lowercase() { json_quote(name) } else { json_quote(&format!("\"{name}\"")) }
}

/// The value as `toJson()` encodes it for a column of type `ty`.
pub fn to_json(v: &Value, ty: &CqlType) -> String {
    let ty = ty.unfrozen();
    match v {
        Value::Ascii(s) | Value::Text(s) => json_quote(s),
        Value::Null => "null".into(),
        Value::Boolean(b) => b.to_string(),
        Value::Tinyint(n) => n.to_string(),
        Value::Smallint(n) => n.to_string(),
        Value::Int(n) => n.to_string(),
        Value::Bigint(n) | Value::Counter(n) => n.to_string(),
        Value::Varint(n) => n.to_string(),
        // JSON has no NaN or infinities; Cassandra writes null.
        Value::Float(f) if !f.is_finite() => "null".into(),
        Value::Double(f) if !f.is_finite() => "null".into(),
        Value::Float(f) => java_float_to_string(*f),
        Value::Double(f) => java_double_to_string(*f),
        Value::Decimal(d) => d.to_string(),
        Value::Uuid(u) | Value::Timeuuid(u) => format!("\"{u}\""),
        Value::Timestamp(ms) => format!("\"{}\"", format_timestamp_json(*ms)),
        Value::Date(d) => format!("\"{}\"", format_date_days(date_to_days(*d))),
        Value::Time(t) => format!("\"{}\"", format_time(*t)),
        Value::Duration { months, days, nanos } => {
            json_quote(&format_duration(*months, *days, *nanos))
        }
        Value::Blob(_) | Value::Inet(_) => {
            let s = fmt_string(v);
            if matches!(v, Value::Blob(_)) { format!("\"0x{s}\"") } else { json_quote(&s) }
        }
        Value::List(items) | Value::Set(items) | Value::Vector(items) => {
            // An empty (non-frozen) collection is a null cell.
            if items.is_empty() && !matches!(v, Value::Vector(_)) {
                return "null".into();
            }
            let elem = match ty {
                CqlType::List(e) | CqlType::Set(e) | CqlType::Vector(e, _) => e.as_ref().clone(),
                _ => CqlType::Native(NativeType::Blob),
            };
            let parts: Vec<String> = items.iter().map(|i| to_json(i, &elem)).collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Map(entries) => {
            if entries.is_empty() {
                return "null".into();
            }
            let (kt, vt) = match ty {
                CqlType::Map(k, v) => (k.as_ref().clone(), v.as_ref().clone()),
                _ => (CqlType::Native(NativeType::Blob), CqlType::Native(NativeType::Blob)),
            };
            let parts: Vec<String> = entries
                .iter()
                .map(|(k, val)| {
                    let key = to_json(k, &kt);
                    // Keys that are not already JSON strings become JSON-encoded strings.
                    let key = if key.starts_with('"') { key } else { json_quote(&key) };
                    format!("{key}: {}", to_json(val, &vt))
                })
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
        Value::Tuple(items) => {
            let types: &[CqlType] = match ty {
                CqlType::Tuple(ts) => ts,
                _ => &[],
            };
            let parts: Vec<String> = items
                .iter()
                .enumerate()
                .map(|(i, item)| match (item, types.get(i)) {
                    (Some(x), Some(t)) => to_json(x, t),
                    (Some(x), None) => to_json(x, &CqlType::Native(NativeType::Blob)),
                    (None, _) => "null".into(),
                })
                .collect();
            format!("[{}]", parts.join(", "))
        }
        Value::Udt(fields) => {
            let types = match ty {
                CqlType::Udt(u) => u.fields.clone(),
                _ => Vec::new(),
            };
            let parts: Vec<String> = fields
                .iter()
                .map(|(name, item)| {
                    let t = types.iter().find(|(n, _)| n == name).map(|(_, t)| t.clone());
                    let value = match (item, t) {
                        (Some(x), Some(t)) => to_json(x, &t),
                        (Some(x), None) => to_json(x, &CqlType::Native(NativeType::Blob)),
                        (None, _) => "null".into(),
                    };
                    format!("{}: {value}", json_key(name))
                })
                .collect();
            format!("{{{}}}", parts.join(", "))
        }
    }
}

/// One `SELECT JSON` row: `{"col": value, ...}` with `null` for null cells.
pub fn json_row(columns: &[(&str, &CqlType, Option<&Value>)]) -> String {
    let parts: Vec<String> = columns
        .iter()
        .map(|(name, ty, v)| {
            let value = v.map_or_else(|| "null".to_string(), |v| to_json(v, ty));
            format!("{}: {value}", json_key(name))
        })
        .collect();
    format!("{{{}}}", parts.join(", "))
}

/// The Java class Jackson would decode a JSON value to, as Cassandra's messages name it.
fn java_class(j: &Json) -> &'static str {
    match j {
        Json::Null => "null",
        Json::Bool(_) => "Boolean",
        Json::String(_) => "String",
        Json::Array(_) => "ArrayList",
        Json::Object(_) => "LinkedHashMap",
        Json::Number(n) => {
            if let Some(i) = n.as_i64() {
                if i32::try_from(i).is_ok() { "Integer" } else { "Long" }
            } else if n.is_u64() {
                "BigInteger"
            } else {
                "Double"
            }
        }
    }
}

/// The value's Java `toString`, as Cassandra's messages show it.
fn java_text(j: &Json) -> String {
    match j {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::String(s) => s.clone(),
        Json::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) => java_double_to_string(f),
            _ => n.to_string(),
        },
        Json::Array(items) => {
            format!("[{}]", items.iter().map(java_text).collect::<Vec<_>>().join(", "))
        }
        Json::Object(map) => format!(
            "{{{}}}",
            map.iter().map(|(k, v)| format!("{k}={}", java_text(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn got(expected: &str, j: &Json) -> String {
    format!("Expected {expected}, but got a {}: {}", java_class(j), java_text(j))
}

/// Parses JSON text as Cassandra's `Json.decodeJson` does.
pub fn parse_json(text: &str) -> Result<Json, Error> {
    serde_json::from_str(text)
        .map_err(|e| Error::invalid(format!("Could not decode JSON string '{text}': {e}")))
}

/// Decodes a JSON value for a receiver of type `ty` (Cassandra's `fromJSONObject`),
/// with the message `INSERT JSON` reports: `Error decoding JSON value for k: ...`.
/// JSON `null` is `Ok(None)`.
pub fn from_json(j: &Json, ty: &CqlType, receiver: &str) -> Result<Option<Value>, Error> {
    from_json_object(j, ty)
        .map_err(|m| Error::invalid(format!("Error decoding JSON value for {receiver}: {m}")))
}

/// Decodes a JSON value for type `ty`, returning Cassandra's bare marshalling message on
/// failure (what `fromJson()` reports).
pub fn from_json_object(j: &Json, ty: &CqlType) -> Result<Option<Value>, String> {
    if j.is_null() {
        return Ok(None);
    }
    match ty.unfrozen() {
        CqlType::Native(nt) => native_from_json(*nt, j).map(Some),
        CqlType::List(elem) | CqlType::Set(elem) => {
            let is_set = matches!(ty.unfrozen(), CqlType::Set(_));
            let Json::Array(items) = j else {
                return Err(got(if is_set { "a list (representing a set)" } else { "a list" }, j));
            };
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match from_json_object(item, elem)? {
                    Some(v) => out.push(v),
                    None => {
                        return Err(format!(
                            "Invalid null element in {}",
                            if is_set { "set" } else { "list" }
                        ));
                    }
                }
            }
            if is_set {
                out.sort_by(|a, b| compare(elem, a, b));
                out.dedup_by(|a, b| compare(elem, a, b).is_eq());
                Ok(Some(Value::Set(out)))
            } else {
                Ok(Some(Value::List(out)))
            }
        }
        CqlType::Vector(elem, dim) => {
            let Json::Array(items) = j else { return Err(got("a list", j)) };
            if items.len() != *dim {
                return Err(format!(
                    "Invalid vector literal for {ty}: expected {dim} elements but got {}",
                    items.len()
                ));
            }
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                out.push(
                    from_json_object(item, elem)?
                        .ok_or_else(|| "Invalid null element in vector".to_string())?,
                );
            }
            Ok(Some(Value::Vector(out)))
        }
        CqlType::Map(kt, vt) => {
            let Json::Object(map) = j else { return Err(got("a map", j)) };
            let mut out: Vec<(Value, Value)> = Vec::with_capacity(map.len());
            for (k, v) in map {
                // Keys of non-native types are JSON documents inside the key string.
                let key_json = if kt.native().is_some() {
                    Json::String(k.clone())
                } else {
                    serde_json::from_str(k)
                        .map_err(|_| format!("Could not decode JSON string '{k}'"))?
                };
                let key = from_json_object(&key_json, kt)?
                    .ok_or_else(|| "Invalid null key in map".to_string())?;
                let value = from_json_object(v, vt)?
                    .ok_or_else(|| "Invalid null value in map".to_string())?;
                out.push((key, value));
            }
            out.sort_by(|a, b| compare(kt, &a.0, &b.0));
            out.dedup_by(|a, b| compare(kt, &a.0, &b.0).is_eq());
            Ok(Some(Value::Map(out)))
        }
        CqlType::Tuple(types) => {
            let Json::Array(items) = j else {
                return Err(got("a list representation of a tuple", j));
            };
            if items.len() > types.len() {
                return Err(format!(
                    "Tuple contains extra items (expected {}): {}",
                    types.len(),
                    java_text(j)
                ));
            }
            if items.len() < types.len() {
                return Err(format!(
                    "Tuple is missing items (expected {}): {}",
                    types.len(),
                    java_text(j)
                ));
            }
            let mut out = Vec::with_capacity(items.len());
            for (item, t) in items.iter().zip(types) {
                out.push(from_json_object(item, t)?);
            }
            Ok(Some(Value::Tuple(out)))
        }
        CqlType::Udt(udt) => {
            let Json::Object(map) = j else { return Err(got("a map", j)) };
            let mut values: Vec<(String, Option<Value>)> =
                udt.fields.iter().map(|(n, _)| (n.clone(), None)).collect();
            for (key, v) in map {
                // Quoted keys are case-sensitive; others are lower-cased like identifiers.
                let name = match key.strip_prefix('"').and_then(|k| k.strip_suffix('"')) {
                    Some(quoted) => quoted.to_string(),
                    None => key.to_lowercase(),
                };
                let Some(idx) = udt.fields.iter().position(|(n, _)| *n == name) else {
                    return Err(format!(
                        "Unknown field '{name}' in value of user defined type {}",
                        udt.name
                    ));
                };
                let Some((_, field_ty)) = udt.fields.get(idx) else { continue };
                let decoded = from_json_object(v, field_ty)?;
                if let Some(slot) = values.get_mut(idx) {
                    slot.1 = decoded;
                }
            }
            Ok(Some(Value::Udt(values)))
        }
        CqlType::Frozen(_) => Err("cannot decode a nested frozen type".into()),
    }
}

fn native_from_json(nt: NativeType, j: &Json) -> Result<Value, String> {
    use NativeType as N;
    let s = j.as_str();
    let class = java_class(j);
    let string_or = |expected: &str| match s {
        Some(text) => from_string(nt, text, None),
        None => Err(got(expected, j)),
    };
    match nt {
        N::Ascii => string_or("an ascii string"),
        N::Text => string_or("a UTF-8 string"),
        N::Uuid => string_or("a string representation of a uuid"),
        N::Timeuuid => string_or("a string representation of a timeuuid"),
        N::Inet => string_or("a string representation of an inet value"),
        N::Date => string_or("a string representation of a date value"),
        N::Time => string_or("a string representation of a time value"),
        N::Duration => string_or("a string representation of a duration"),
        N::Boolean => match j {
            Json::Bool(b) => Ok(Value::Boolean(*b)),
            _ => string_or("a boolean value"),
        },
        N::Int => match (s, class) {
            (Some(text), _) => from_string(nt, text, None),
            (None, "Integer") => Ok(Value::Int(j.as_i64().unwrap_or_default() as i32)),
            _ => Err(got("an int value", j)),
        },
        N::Bigint | N::Counter => match (s, class) {
            (Some(text), _) => from_string(nt, text, None),
            (None, "Integer" | "Long") => {
                let n = j.as_i64().unwrap_or_default();
                Ok(if nt == N::Counter { Value::Counter(n) } else { Value::Bigint(n) })
            }
            _ => Err(got("a bigint value", j)),
        },
        N::Smallint | N::Tinyint => match j {
            Json::String(text) => from_string(nt, text, None),
            Json::Number(_) => from_string(nt, &java_text(j), None),
            _ => Err(got(if nt == N::Smallint { "a short value" } else { "a byte value" }, j)),
        },
        N::Varint => {
            let text = java_text(j);
            let valid = matches!(j, Json::String(_) | Json::Number(_));
            match parse_java_bigint(&text) {
                Some(n) if valid => Ok(Value::Varint(n)),
                _ => Err(format!("Value '{text}' is not a valid representation of a varint value")),
            }
        }
        N::Decimal => {
            let text = java_text(j);
            match Decimal::parse(&text) {
                Some(d) if !matches!(j, Json::Bool(_) | Json::Array(_) | Json::Object(_)) => {
                    Ok(Value::Decimal(d))
                }
                _ => {
                    Err(format!("Value '{text}' is not a valid representation of a decimal value"))
                }
            }
        }
        N::Double => match j {
            Json::String(text) => from_string(nt, text, None),
            Json::Number(n) => Ok(Value::Double(n.as_f64().unwrap_or_default())),
            _ => Err(got("a double value", j)),
        },
        N::Float => match j {
            Json::String(text) => from_string(nt, text, None),
            Json::Number(n) => Ok(Value::Float(n.as_f64().unwrap_or_default() as f32)),
            _ => Err(got("a float value", j)),
        },
        N::Timestamp => match (s, class) {
            (Some(text), _) => from_string(nt, text, None),
            (None, "Integer" | "Long") => Ok(Value::Timestamp(j.as_i64().unwrap_or_default())),
            _ => Err(got("a long or a datestring representation of a timestamp value", j)),
        },
        N::Blob => {
            let text = java_text(j);
            let detail = match s {
                None => format!(
                    "class java.lang.{class} cannot be cast to class java.lang.String \
                     (java.lang.{class} and java.lang.String are in module java.base of loader 'bootstrap')"
                ),
                Some(text) => match text.strip_prefix("0x") {
                    None => format!("String representation of blob is missing 0x prefix: {text}"),
                    Some(digits) => match parse_hex_blob(digits) {
                        Ok(bytes) => return Ok(Value::Blob(bytes)),
                        Err(e) => e,
                    },
                },
            };
            Err(format!("Value '{text}' is not a valid blob representation: {detail}"))
        }
    }
}
