//! Text forms of values: CQL literals, cqlsh's display and Cassandra's `toString`.

use super::decimal::{java_double_to_string, java_float_to_string};
use super::temporal::{
    date_to_days, format_date_days, format_duration, format_time, format_timestamp_cqlsh,
    format_timestamp_iso, format_timestamp_java,
};
use super::{Value, maybe_quote};

/// Quotes a string as a CQL literal, doubling single quotes.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn hex(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(2 + bytes.len() * 2);
    out.push_str("0x");
    for b in bytes {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

fn join<T>(items: &[T], f: impl Fn(&T) -> String) -> String {
    items.iter().map(f).collect::<Vec<_>>().join(", ")
}

/// The value as CQL literal text that parses back to the same value.
pub fn fmt_cql(v: &Value) -> String {
    match v {
        Value::Ascii(s) | Value::Text(s) => quote(s),
        Value::Boolean(b) => b.to_string(),
        Value::Tinyint(n) => n.to_string(),
        Value::Smallint(n) => n.to_string(),
        Value::Int(n) => n.to_string(),
        Value::Bigint(n) | Value::Counter(n) => n.to_string(),
        Value::Varint(n) => n.to_string(),
        Value::Float(f) => java_float_to_string(*f),
        Value::Double(f) => java_double_to_string(*f),
        Value::Decimal(d) => d.to_string(),
        Value::Uuid(u) | Value::Timeuuid(u) => u.to_string(),
        Value::Timestamp(ms) => quote(&format_timestamp_iso(*ms)),
        Value::Date(d) => quote(&format_date_days(date_to_days(*d))),
        Value::Time(t) => quote(&format_time(*t)),
        Value::Duration { months, days, nanos } => {
            if *months == 0 && *days == 0 && *nanos == 0 {
                "0s".to_string()
            } else {
                format_duration(*months, *days, *nanos)
            }
        }
        Value::Blob(b) => hex(b),
        Value::Inet(ip) => quote(&ip.to_string()),
        Value::List(items) | Value::Vector(items) => format!("[{}]", join(items, fmt_cql)),
        Value::Set(items) => format!("{{{}}}", join(items, fmt_cql)),
        Value::Map(entries) => {
            format!("{{{}}}", join(entries, |(k, v)| format!("{}: {}", fmt_cql(k), fmt_cql(v))))
        }
        Value::Tuple(items) => format!("({})", join(items, |i| opt(i, fmt_cql))),
        Value::Null => "null".to_string(),
        Value::Udt(fields) => format!(
            "{{{}}}",
            join(fields, |(name, v)| format!("{}: {}", maybe_quote(name), opt(v, fmt_cql)))
        ),
    }
}

fn opt(v: &Option<Value>, f: impl Fn(&Value) -> String) -> String {
    v.as_ref().map_or_else(|| "null".to_string(), f)
}

/// The value as cqlsh prints it in a result table (default settings: float and double
/// precision 5, UTC timestamps with microseconds).
pub fn fmt_display(v: &Value) -> String {
    display(v, false)
}

/// cqlsh's `format_value_text`: backslashes doubled, control characters escaped as
/// Python's `repr` shows them, single quotes doubled inside collections.
fn display_text(s: &str, quoted: bool) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    if quoted {
        out.push('\'');
    }
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' if quoted => out.push_str("''"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || (0x7f..=0xa0).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    if quoted {
        out.push('\'');
    }
    out
}

fn display(v: &Value, nested: bool) -> String {
    let inner = |x: &Value| display(x, true);
    match v {
        Value::Ascii(s) | Value::Text(s) => display_text(s, nested),
        Value::Boolean(b) => if *b { "True" } else { "False" }.to_string(),
        Value::Float(f) => format_cqlsh_float(f64::from(*f), 5),
        Value::Double(f) => format_cqlsh_float(*f, 5),
        Value::Timestamp(ms) => {
            let s = format_timestamp_cqlsh(*ms);
            if nested { format!("'{s}'") } else { s }
        }
        Value::Date(d) => {
            let days = date_to_days(*d);
            // Python's date only covers years 1 to 9999; cqlsh prints other dates as days.
            if (-719_162..=2_932_896).contains(&days) {
                format_date_days(days)
            } else {
                days.to_string()
            }
        }
        Value::Time(t) => format_time(*t),
        Value::Duration { months, days, nanos } => format_duration(*months, *days, *nanos),
        Value::Inet(ip) => {
            if nested {
                format!("'{ip}'")
            } else {
                ip.to_string()
            }
        }
        Value::List(items) | Value::Vector(items) => format!("[{}]", join(items, inner)),
        Value::Set(items) => format!("{{{}}}", join(items, inner)),
        Value::Map(entries) => {
            format!("{{{}}}", join(entries, |(k, v)| format!("{}: {}", inner(k), inner(v))))
        }
        // cqlsh formats a null list element with Python's `str(None)`, as it does a null
        // tuple component.
        Value::Null => "None".to_string(),
        // cqlsh formats a null tuple component with Python's `str(None)`.
        Value::Tuple(items) => {
            format!("({})", join(items, |i| i.as_ref().map_or_else(|| "None".to_string(), inner)))
        }
        // Field names are printed as they are, without CQL quoting.
        Value::Udt(fields) => format!(
            "{{{}}}",
            join(fields, |(name, v)| format!("{}: {}", display_text(name, false), opt(v, inner)))
        ),
        other => fmt_cql(other),
    }
}

/// cqlsh's `format_floating_point_type`: `%g` with the precision widened by the digits
/// before the point, so ordinary numbers never switch to exponent notation.
pub(crate) fn format_cqlsh_float(v: f64, precision: i32) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    let mut precision = precision;
    if v.abs() > f64::EPSILON {
        let exponent = v.abs().log10().trunc() as i32;
        if (-4..precision).contains(&exponent) {
            precision += exponent + 1;
        }
    }
    format_g(v, precision.max(1) as usize)
}

/// C's `%.{p}g`.
pub(crate) fn format_g(v: f64, p: usize) -> String {
    if v == 0.0 {
        return if v.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let sci = format!("{:.*e}", p - 1, v);
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let x: i64 = exp.parse().unwrap_or(0);
    if x >= -4 && x < p as i64 {
        let decimals = (p as i64 - 1 - x).max(0) as usize;
        strip_zeros(format!("{v:.decimals$}"))
    } else {
        let m = strip_zeros(mantissa.to_string());
        let sign = if x < 0 { '-' } else { '+' };
        format!("{m}e{sign}{:02}", x.abs())
    }
}

fn strip_zeros(s: String) -> String {
    if s.contains('.') { s.trim_end_matches('0').trim_end_matches('.').to_string() } else { s }
}

/// Cassandra's own text for a value (`AbstractType.getString`), which `CAST(x AS text)`
/// returns: timestamps as `2021-01-01T00:00:00.000Z`, blobs as bare hex, collections as
/// CQL literals.
pub fn fmt_string(v: &Value) -> String {
    match v {
        Value::Ascii(s) | Value::Text(s) => s.to_string(),
        Value::Timestamp(ms) => format_timestamp_java(*ms),
        Value::Date(d) => format_date_days(date_to_days(*d)),
        Value::Time(t) => format_time(*t),
        Value::Duration { months, days, nanos } => format_duration(*months, *days, *nanos),
        Value::Blob(b) => hex(b).split_off(2),
        Value::Inet(ip) => java_inet_string(ip),
        Value::Decimal(d) => super::cast::decimal_plain(d),
        other => fmt_cql(other),
    }
}

/// Java's `InetAddress.getHostAddress`: IPv6 as eight uncompressed hex groups.
pub(crate) fn java_inet_string(ip: &std::net::IpAddr) -> String {
    match ip {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => {
            v6.segments().iter().map(|s| format!("{s:x}")).collect::<Vec<_>>().join(":")
        }
    }
}
