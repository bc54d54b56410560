//! CQL values to and from the Data API's JSON (its `JSONCodecs`): strict typed input, no
//! stringified literals, `$binary` blobs and `$date` timestamps, ISO-8601 durations.

use cqlfiddle_engine::types::{CqlType, NativeType, Value, maybe_quote};
use serde_json::Value as JsonValue;

use crate::base64;
use crate::javafmt;
use crate::json::Json;
use crate::rest::literal::{native_from_string, parse_timestamp, quote_string};

/// Days between 1970-01-01 and the stored zero of a `date`.
const DATE_EPOCH: i64 = 1 << 31;

/// How a column type is described in schemas: `{"type":"text"}`, `{"type":"list",...}`.
pub fn type_description(ty: &CqlType) -> Json {
    let short = |t: &CqlType| match t.unfrozen() {
        CqlType::Native(n) => Json::string(n.name()),
        other => type_description(other),
    };
    match ty.unfrozen() {
        CqlType::Native(n) => Json::Object(vec![("type".into(), Json::string(n.name()))]),
        CqlType::List(t) => Json::Object(vec![
            ("type".into(), Json::string("list")),
            ("valueType".into(), short(t)),
        ]),
        CqlType::Set(t) => {
            Json::Object(vec![("type".into(), Json::string("set")), ("valueType".into(), short(t))])
        }
        CqlType::Map(k, v) => Json::Object(vec![
            ("type".into(), Json::string("map")),
            ("keyType".into(), short(k)),
            ("valueType".into(), short(v)),
        ]),
        CqlType::Vector(_, n) => Json::Object(vec![
            ("type".into(), Json::string("vector")),
            ("dimension".into(), Json::number(n)),
        ]),
        CqlType::Udt(udt) => {
            let fields =
                udt.fields.iter().map(|(name, t)| (name.clone(), type_description(t))).collect();
            Json::Object(vec![
                ("type".into(), Json::string("userDefined")),
                ("udtName".into(), Json::string(udt.name.clone())),
                ("definition".into(), Json::Object(vec![("fields".into(), Json::Object(fields))])),
            ])
        }
        CqlType::Tuple(_) | CqlType::Frozen(_) => {
            Json::Object(vec![("type".into(), Json::string("UNSUPPORTED"))])
        }
    }
}

/// Encodes a non-null value as the Data API writes it.
pub fn encode(value: &Value) -> Json {
    match value {
        Value::Null => Json::Null,
        Value::Ascii(s) | Value::Text(s) => Json::string(s.clone()),
        Value::Boolean(b) => Json::Bool(*b),
        Value::Tinyint(n) => Json::number(n),
        Value::Smallint(n) => Json::number(n),
        Value::Int(n) => Json::number(n),
        Value::Bigint(n) | Value::Counter(n) => Json::number(n),
        Value::Varint(n) => Json::number(n),
        Value::Float(x) => float(f64::from(*x), || javafmt::float(*x)),
        Value::Double(x) => float(*x, || javafmt::double(*x)),
        Value::Decimal(d) => Json::Number(javafmt::decimal(&d.unscaled.to_string(), d.scale)),
        Value::Uuid(u) | Value::Timeuuid(u) => Json::string(javafmt::uuid(&u.0)),
        Value::Timestamp(ms) => Json::string(javafmt::instant(*ms)),
        Value::Date(d) => Json::string(javafmt::local_date(i64::from(*d) - DATE_EPOCH)),
        Value::Time(nanos) => Json::string(local_time_to_string(*nanos)),
        Value::Duration { months, days, nanos } => {
            Json::string(iso_duration(*months, *days, *nanos))
        }
        Value::Blob(bytes) => {
            Json::Object(vec![("$binary".into(), Json::string(base64::encode(bytes)))])
        }
        Value::Inet(addr) => Json::string(javafmt::inet(addr)),
        Value::List(items) | Value::Set(items) | Value::Vector(items) => {
            Json::Array(items.iter().map(encode).collect())
        }
        Value::Map(entries) => {
            let text_keys =
                entries.iter().all(|(k, _)| matches!(k, Value::Text(_) | Value::Ascii(_)));
            if text_keys {
                Json::Object(
                    entries
                        .iter()
                        .map(|(k, v)| match k {
                            Value::Text(s) | Value::Ascii(s) => (s.to_string(), encode(v)),
                            _ => (String::new(), encode(v)),
                        })
                        .collect(),
                )
            } else {
                Json::Array(
                    entries.iter().map(|(k, v)| Json::Array(vec![encode(k), encode(v)])).collect(),
                )
            }
        }
        Value::Tuple(items) => {
            Json::Array(items.iter().map(|v| v.as_ref().map_or(Json::Null, encode)).collect())
        }
        Value::Udt(fields) => Json::Object(
            fields
                .iter()
                .filter_map(|(name, v)| v.as_ref().map(|v| (name.clone(), encode(v))))
                .collect(),
        ),
    }
}

fn float(x: f64, finite: impl FnOnce() -> String) -> Json {
    if x.is_nan() {
        Json::string("NaN")
    } else if x.is_infinite() {
        Json::string(if x > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        Json::Number(finite())
    }
}

/// `LocalTime.toString`: `HH:mm`, `:ss` when seconds or a fraction are set, the fraction in
/// groups of three digits.
pub fn local_time_to_string(nanos: i64) -> String {
    let nanos = nanos.rem_euclid(86_400_000_000_000);
    let secs = nanos / 1_000_000_000;
    let frac = nanos % 1_000_000_000;
    let mut out = format!("{:02}:{:02}", secs / 3600, secs / 60 % 60);
    if secs % 60 != 0 || frac != 0 {
        out.push_str(&format!(":{:02}", secs % 60));
    }
    if frac != 0 {
        if frac % 1_000_000 == 0 {
            out.push_str(&format!(".{:03}", frac / 1_000_000));
        } else if frac % 1000 == 0 {
            out.push_str(&format!(".{:06}", frac / 1000));
        } else {
            out.push_str(&format!(".{frac:09}"));
        }
    }
    out
}

/// ISO-8601 duration: `P1Y2M3DT4H5M6.5S`, `-PT8H10M`, `PT0S` for zero.
pub fn iso_duration(months: i32, days: i32, nanos: i64) -> String {
    let negative = months < 0 || days < 0 || nanos < 0;
    let (months, days, nanos) =
        (i64::from(months).abs(), i64::from(days).abs(), nanos.unsigned_abs());
    let mut out = String::from(if negative { "-P" } else { "P" });
    if months / 12 != 0 {
        out.push_str(&format!("{}Y", months / 12));
    }
    if months % 12 != 0 {
        out.push_str(&format!("{}M", months % 12));
    }
    if days != 0 {
        out.push_str(&format!("{days}D"));
    }
    if nanos != 0 {
        out.push('T');
        let (h, m) = (nanos / 3_600_000_000_000, nanos / 60_000_000_000 % 60);
        let (s, frac) = (nanos / 1_000_000_000 % 60, nanos % 1_000_000_000);
        if h != 0 {
            out.push_str(&format!("{h}H"));
        }
        if m != 0 {
            out.push_str(&format!("{m}M"));
        }
        if s != 0 || frac != 0 {
            let fraction = format!("{frac:09}");
            let fraction = fraction.trim_end_matches('0');
            if fraction.is_empty() {
                out.push_str(&format!("{s}S"));
            } else {
                out.push_str(&format!("{s}.{fraction}S"));
            }
        }
    }
    if out.ends_with('P') {
        out.push_str("T0S");
    }
    out
}

/// Renders JSON `value` as a CQL literal of type `ty`, with the Data API's strict rules.
/// The error is the cause part of `col(type) - Cause: ...`.
pub fn to_cql(value: &JsonValue, ty: &CqlType) -> Result<String, String> {
    if value.is_null() {
        return Ok("null".into());
    }
    let no_codec = || "no codec matching value type".to_string();
    match ty.unfrozen() {
        CqlType::Native(n) => native(value, *n),
        CqlType::List(t) | CqlType::Set(t) => {
            let items = value.as_array().ok_or_else(no_codec)?;
            if items.iter().any(JsonValue::is_null) {
                return Err("null values are not allowed in collections".into());
            }
            let parts: Result<Vec<String>, String> = items.iter().map(|v| to_cql(v, t)).collect();
            let (open, close) =
                if matches!(ty.unfrozen(), CqlType::List(_)) { ("[", "]") } else { ("{", "}") };
            Ok(format!("{open}{}{close}", parts?.join(", ")))
        }
        CqlType::Map(kt, vt) => {
            let entries: Vec<(String, String)> = match value {
                JsonValue::Object(map) => map
                    .iter()
                    .map(|(k, v)| Ok((map_key(k, kt)?, to_cql(v, vt)?)))
                    .collect::<Result<_, String>>()?,
                JsonValue::Array(pairs) => pairs
                    .iter()
                    .map(|pair| match pair.as_array().map(Vec::as_slice) {
                        Some([k, v]) => Ok((to_cql(k, kt)?, to_cql(v, vt)?)),
                        _ => Err("map entries must be [key, value] pairs".to_string()),
                    })
                    .collect::<Result<_, String>>()?,
                _ => return Err(no_codec()),
            };
            let parts: Vec<String> =
                entries.into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
            Ok(format!("{{{}}}", parts.join(", ")))
        }
        CqlType::Vector(t, dim) => {
            let items: Vec<JsonValue> = match value {
                JsonValue::Array(items) => items.clone(),
                JsonValue::Object(obj) => binary_vector(obj)?,
                _ => return Err(no_codec()),
            };
            if items.len() != *dim {
                return Err(format!(
                    "expected vector of length {dim}, got one with {} elements",
                    items.len()
                ));
            }
            let parts: Result<Vec<String>, String> = items.iter().map(|v| to_cql(v, t)).collect();
            Ok(format!("[{}]", parts?.join(", ")))
        }
        CqlType::Udt(udt) => {
            let obj = value.as_object().ok_or_else(no_codec)?;
            let mut parts = Vec::with_capacity(obj.len());
            for (name, v) in obj {
                let (_, fty) = udt.fields.iter().find(|(f, _)| f == name).ok_or_else(|| {
                    format!("field '{name}' is not defined in type '{}'", udt.name)
                })?;
                parts.push(format!("{}: {}", maybe_quote(name), to_cql(v, fty)?));
            }
            Ok(format!("{{{}}}", parts.join(", ")))
        }
        CqlType::Tuple(_) | CqlType::Frozen(_) => Err(no_codec()),
    }
}

/// A map key given as a JSON object key: read as the key type's text form.
fn map_key(key: &str, ty: &CqlType) -> Result<String, String> {
    match ty.unfrozen() {
        CqlType::Native(n) => native(&JsonValue::String(key.to_string()), *n),
        _ => Err("no codec matching value type".into()),
    }
}

/// `{"$binary": base64}` of big-endian float32s.
fn binary_vector(obj: &serde_json::Map<String, JsonValue>) -> Result<Vec<JsonValue>, String> {
    let text =
        obj.get("$binary").and_then(JsonValue::as_str).ok_or("no codec matching value type")?;
    let bytes = base64::decode(text)?;
    if bytes.len() % 4 != 0 {
        return Err("binary vector length is not a multiple of 4".into());
    }
    Ok(bytes
        .chunks_exact(4)
        .map(|c| {
            let x = f32::from_be_bytes([c[0], c[1], c[2], c[3]]);
            serde_json::Number::from_f64(f64::from(x)).map_or(JsonValue::Null, JsonValue::Number)
        })
        .collect())
}

fn native(value: &JsonValue, n: NativeType) -> Result<String, String> {
    use NativeType as N;
    let no_codec = || "no codec matching value type".to_string();
    match (value, n) {
        (JsonValue::String(s), N::Text) => Ok(quote_string(s)),
        (JsonValue::String(s), N::Ascii) => match s.char_indices().find(|(_, c)| !c.is_ascii()) {
            Some((i, _)) => Err(format!("String contains non-ASCII character at index #{i}")),
            None => Ok(quote_string(s)),
        },
        (JsonValue::Bool(b), N::Boolean) => Ok(b.to_string()),
        (JsonValue::Number(num), N::Tinyint | N::Smallint | N::Int | N::Bigint) => {
            let whole = match num.as_i64() {
                Some(i) => i,
                None => match num.as_f64() {
                    Some(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => f as i64,
                    Some(f) if f.is_finite() && f.fract() != 0.0 => {
                        return Err("Rounding necessary".into());
                    }
                    _ => return Err("Overflow".into()),
                },
            };
            let fits = match n {
                N::Tinyint => i8::try_from(whole).is_ok(),
                N::Smallint => i16::try_from(whole).is_ok(),
                N::Int => i32::try_from(whole).is_ok(),
                _ => true,
            };
            if fits { Ok(whole.to_string()) } else { Err("Overflow".into()) }
        }
        (JsonValue::Number(num), N::Varint) => {
            let text = num.to_string();
            if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                Ok(text)
            } else {
                match num.as_f64() {
                    Some(f) if f.fract() == 0.0 => Ok(format!("{f:.0}")),
                    _ => Err("Rounding necessary".into()),
                }
            }
        }
        (JsonValue::Number(num), N::Decimal | N::Float | N::Double) => Ok(num.to_string()),
        (JsonValue::String(s), N::Float | N::Double)
            if matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity") =>
        {
            Ok(s.clone())
        }
        (JsonValue::String(s), N::Uuid | N::Timeuuid | N::Date | N::Time | N::Inet) => {
            native_from_string(s, n).map_err(|_| format!("Invalid {} value '{s}'", n.name()))
        }
        (JsonValue::String(s), N::Timestamp) => {
            // Digits alone are an epoch number to Stargate REST, but not here.
            if s.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                return Err(format!("Invalid timestamp value '{s}'"));
            }
            parse_timestamp(s)
                .map(|ms| ms.to_string())
                .ok_or_else(|| format!("Invalid timestamp value '{s}'"))
        }
        (JsonValue::Object(obj), N::Timestamp) => {
            match obj.get("$date").and_then(JsonValue::as_i64) {
                Some(ms) if obj.len() == 1 => Ok(ms.to_string()),
                _ => Err(no_codec()),
            }
        }
        (JsonValue::String(s), N::Duration) => {
            native_from_string(s, n).map_err(|_| format!("Invalid duration value '{s}'"))
        }
        (JsonValue::Object(obj), N::Blob) => match obj.get("$binary").and_then(JsonValue::as_str) {
            Some(text) if obj.len() == 1 => {
                native_from_string(text, n).map_err(|_| "Invalid base64 value".into())
            }
            _ => Err(no_codec()),
        },
        _ => Err(no_codec()),
    }
}

#[cfg(test)]
mod tests;
