//! Scalar constants of CQL syntax and their conversion to values.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::decimal::{parse_java_bigint, parse_java_double, parse_java_float};
use super::{CqlType, Decimal, NativeType, Uuid, Value, temporal};
use crate::Error;

/// A scalar literal as the lexer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Constant {
    /// A quoted string (`'...'` or `$$...$$`), unescaped.
    String(String),
    /// An integer literal, possibly with a leading `-`.
    Integer(String),
    /// A floating-point literal (`1.5`, `-2e10`).
    Float(String),
    /// `true` or `false`.
    Boolean(bool),
    /// An unquoted UUID literal.
    Uuid(String),
    /// A blob literal: the hex digits after `0x`.
    Hex(String),
    /// A duration literal (`1h30m`, `P1D`, ...).
    Duration(String),
    /// `NaN`.
    NaN,
    /// `Infinity`.
    Infinity,
    /// `-Infinity`.
    NegInfinity,
}

/// Cassandra's reserved keywords (its `reserved_keywords.txt`), which identifiers must quote.
const RESERVED: &[&str] = &[
    "add",
    "allow",
    "alter",
    "and",
    "apply",
    "asc",
    "authorize",
    "batch",
    "begin",
    "by",
    "columnfamily",
    "create",
    "delete",
    "desc",
    "describe",
    "drop",
    "entries",
    "execute",
    "from",
    "full",
    "grant",
    "if",
    "in",
    "index",
    "infinity",
    "insert",
    "into",
    "is",
    "keyspace",
    "limit",
    "materialized",
    "modify",
    "nan",
    "norecursive",
    "not",
    "null",
    "of",
    "on",
    "or",
    "order",
    "primary",
    "rename",
    "revoke",
    "schema",
    "select",
    "set",
    "table",
    "to",
    "token",
    "truncate",
    "unlogged",
    "update",
    "use",
    "using",
    "view",
    "where",
    "with",
];

/// Whether `word` (lower case) is a reserved CQL keyword.
pub fn is_reserved_keyword(word: &str) -> bool {
    RESERVED.contains(&word)
}

/// Whether `word`, in any case, is a reserved CQL keyword.
pub fn is_reserved_keyword_any_case(word: &str) -> bool {
    RESERVED.iter().any(|r| r.eq_ignore_ascii_case(word))
}

impl Constant {
    /// The constant's kind as Cassandra names it in messages (`STRING`, `INTEGER`, ...).
    pub fn kind(&self) -> &'static str {
        match self {
            Constant::String(_) => "STRING",
            Constant::Integer(_) => "INTEGER",
            Constant::Float(_) | Constant::NaN | Constant::Infinity | Constant::NegInfinity => {
                "FLOAT"
            }
            Constant::Boolean(_) => "BOOLEAN",
            Constant::Uuid(_) => "UUID",
            Constant::Hex(_) => "HEX",
            Constant::Duration(_) => "DURATION",
        }
    }

    /// The constant's text as Cassandra shows it in messages (strings unquoted, blobs
    /// with their `0x`).
    pub fn text(&self) -> String {
        match self {
            Constant::String(s)
            | Constant::Integer(s)
            | Constant::Float(s)
            | Constant::Uuid(s)
            | Constant::Duration(s) => s.clone(),
            Constant::Boolean(b) => b.to_string(),
            Constant::Hex(h) => format!("0x{h}"),
            Constant::NaN => "NaN".into(),
            Constant::Infinity => "Infinity".into(),
            Constant::NegInfinity => "-Infinity".into(),
        }
    }

    /// Whether the constant may be assigned to a column of native type `nt` (Cassandra's
    /// `Constants.Literal.testAssignment`).
    pub fn assignable_to(&self, nt: NativeType) -> bool {
        use NativeType as N;
        match self {
            Constant::String(_) => {
                matches!(nt, N::Ascii | N::Text | N::Inet | N::Date | N::Time | N::Timestamp)
            }
            Constant::Integer(_) => matches!(
                nt,
                N::Bigint
                    | N::Counter
                    | N::Date
                    | N::Decimal
                    | N::Double
                    | N::Duration
                    | N::Float
                    | N::Int
                    | N::Smallint
                    | N::Time
                    | N::Timestamp
                    | N::Tinyint
                    | N::Varint
            ),
            Constant::Uuid(_) => matches!(nt, N::Uuid | N::Timeuuid),
            Constant::Float(_) | Constant::NaN | Constant::Infinity | Constant::NegInfinity => {
                matches!(nt, N::Decimal | N::Double | N::Float)
            }
            Constant::Boolean(_) => nt == N::Boolean,
            Constant::Hex(_) => nt == N::Blob,
            Constant::Duration(_) => nt == N::Duration,
        }
    }
}

/// Converts a literal to a value of type `ty` for the receiver named `receiver`, with
/// Cassandra's messages (`Invalid STRING constant (foo) for "k" of type int`, `Unable to
/// make int from '3000000000'`, ...). The string `'now'` is rejected for timestamps; use
/// [`constant_to_value_at`] to give it a meaning.
pub fn constant_to_value(c: &Constant, ty: &CqlType, receiver: &str) -> Result<Value, Error> {
    constant_to_value_at(c, ty, receiver, None)
}

/// [`constant_to_value`], where the timestamp string `'now'` means `now_ms`.
pub fn constant_to_value_at(
    c: &Constant,
    ty: &CqlType,
    receiver: &str,
    now_ms: Option<i64>,
) -> Result<Value, Error> {
    // A string is weakly assignable to a tuple, which parses it as Cassandra's
    // `TupleType.fromString` does.
    if let (Constant::String(s), CqlType::Tuple(types)) = (c, ty.unfrozen())
        && types.iter().all(|t| matches!(t.unfrozen(), CqlType::Native(_)))
    {
        return tuple_from_string(s, types, ty, now_ms).map_err(Error::invalid);
    }
    let nt = match ty.unfrozen() {
        CqlType::Native(nt) if c.assignable_to(*nt) => *nt,
        _ => {
            return Err(Error::invalid(format!(
                "Invalid {} constant ({}) for \"{receiver}\" of type {ty}",
                c.kind(),
                c.text()
            )));
        }
    };
    if let Constant::Hex(digits) = c {
        return parse_hex_blob(digits).map(Value::Blob).map_err(Error::invalid);
    }
    if let Constant::Boolean(b) = c {
        return Ok(Value::Boolean(*b));
    }
    from_string(nt, &c.text(), now_ms).map_err(Error::invalid)
}

/// `1:a\:b:@`: components split on unescaped colons, `@` for null, `\:` and `\@` for
/// the characters themselves.
fn tuple_from_string(
    source: &str,
    types: &[CqlType],
    ty: &CqlType,
    now_ms: Option<i64>,
) -> Result<Value, String> {
    let mut fields = vec![String::new()];
    let mut chars = source.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|n| *n == ':' || *n == '@') => {
                if let (Some(n), Some(f)) = (chars.next(), fields.last_mut()) {
                    // Kept escaped until the field is known not to be the null marker.
                    f.push('\\');
                    f.push(n);
                }
            }
            ':' => fields.push(String::new()),
            other => {
                if let Some(f) = fields.last_mut() {
                    f.push(other);
                }
            }
        }
    }
    if fields.len() > types.len() {
        return Err(format!(
            "Invalid tuple literal: too many elements. Type {ty} expects {} but got {}",
            types.len(),
            fields.len()
        ));
    }
    let mut out = Vec::with_capacity(types.len());
    for (i, t) in types.iter().enumerate() {
        let value = match (fields.get(i), t.unfrozen()) {
            (Some(f), CqlType::Native(nt)) if f != "@" => {
                let text = f.replace("\\:", ":").replace("\\@", "@");
                Some(from_string(*nt, &text, now_ms)?)
            }
            _ => None,
        };
        out.push(value);
    }
    Ok(Value::Tuple(out))
}

/// Hex digits (without `0x`) as bytes, or Cassandra's message.
pub(crate) fn parse_hex_blob(digits: &str) -> Result<Vec<u8>, String> {
    let bad = || format!("cannot parse '{digits}' as hex bytes");
    if !digits.len().is_multiple_of(2) {
        return Err(bad());
    }
    digits
        .as_bytes()
        .chunks(2)
        .map(|pair| {
            let s = std::str::from_utf8(pair).map_err(|_| bad())?;
            u8::from_str_radix(s, 16).map_err(|_| bad())
        })
        .collect()
}

/// A native value from its text, as the type's `fromString` in Cassandra does, with its
/// message on failure. Counters parse as bigints.
pub(crate) fn from_string(
    nt: NativeType,
    text: &str,
    now_ms: Option<i64>,
) -> Result<Value, String> {
    use NativeType as N;
    let fail = |what: &str| format!("Unable to make {what} from '{text}'");
    let java_int = |min: i64, max: i64| {
        let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        text.parse::<i64>().ok().filter(|v| (min..=max).contains(v))
    };
    Ok(match nt {
        N::Ascii => {
            if let Some(c) = text.chars().find(|c| !c.is_ascii()) {
                // Cassandra shows the Java encoder's exception, whose length counts UTF-16 units.
                return Err(format!(
                    "Invalid ASCII character in string literal: \
                     java.nio.charset.UnmappableCharacterException: Input length = {}",
                    c.len_utf16()
                ));
            }
            Value::Ascii(text.to_string().into())
        }
        N::Text => Value::Text(text.to_string().into()),
        N::Boolean => {
            if text.is_empty() || text.eq_ignore_ascii_case("false") {
                Value::Boolean(false)
            } else if text.eq_ignore_ascii_case("true") {
                Value::Boolean(true)
            } else {
                return Err(fail("boolean"));
            }
        }
        N::Tinyint => Value::Tinyint(
            java_int(i8::MIN.into(), i8::MAX.into()).ok_or_else(|| fail("byte"))? as i8,
        ),
        N::Smallint => Value::Smallint(
            java_int(i16::MIN.into(), i16::MAX.into()).ok_or_else(|| fail("short"))? as i16,
        ),
        N::Int => {
            Value::Int(java_int(i32::MIN.into(), i32::MAX.into()).ok_or_else(|| fail("int"))? as i32)
        }
        N::Bigint => Value::Bigint(java_int(i64::MIN, i64::MAX).ok_or_else(|| fail("long"))?),
        N::Counter => Value::Counter(java_int(i64::MIN, i64::MAX).ok_or_else(|| fail("long"))?),
        N::Varint => Value::Varint(
            parse_java_bigint(text).ok_or_else(|| format!("unable to make int from '{text}'"))?,
        ),
        N::Float => Value::Float(parse_java_float(text).ok_or_else(|| fail("float"))?),
        N::Double => Value::Double(parse_java_double(text).ok_or_else(|| fail("double"))?),
        N::Decimal => Value::Decimal(
            Decimal::parse(text)
                .ok_or_else(|| format!("unable to make BigDecimal from '{text}'"))?,
        ),
        N::Uuid => Value::Uuid(Uuid::parse(text).ok_or_else(|| fail("UUID"))?),
        N::Timeuuid => {
            let u = Uuid::parse(text)
                .ok_or_else(|| format!("Unknown timeuuid representation: {text}"))?;
            if u.version() != 1 {
                return Err("TimeUUID supports only version 1 UUIDs".into());
            }
            Value::Timeuuid(u)
        }
        N::Timestamp => Value::Timestamp(temporal::parse_timestamp(text, now_ms)?),
        N::Date => Value::Date(temporal::parse_date(text)?),
        N::Time => Value::Time(temporal::parse_time(text)?),
        N::Duration => {
            let (months, days, nanos) = temporal::parse_duration(text)?;
            Value::Duration { months, days, nanos }
        }
        N::Blob => {
            let digits = text.strip_prefix("0x").unwrap_or(text);
            Value::Blob(parse_hex_blob(digits)?)
        }
        N::Inet => Value::Inet(parse_inet(text).ok_or_else(|| fail("inet address"))?),
    })
}

/// An IP address as `InetAddress.getByName` accepts it without a name lookup: dotted
/// IPv4 (also the short `a.b`, `a.b.c` and single-number forms), IPv6, bracketed IPv6 and
/// `localhost`.
pub(crate) fn parse_inet(text: &str) -> Option<IpAddr> {
    if text == "localhost" {
        return Some(IpAddr::V4(Ipv4Addr::LOCALHOST));
    }
    let unbracketed = text.strip_prefix('[').and_then(|t| t.strip_suffix(']'));
    if let Some(inner) = unbracketed {
        return inner.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
    }
    if let Ok(v6) = text.parse::<Ipv6Addr>() {
        // Java turns IPv4-mapped IPv6 addresses into IPv4 ones.
        return Some(match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(v6),
        });
    }
    let parts: Vec<&str> = text.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let nums: Option<Vec<u64>> = parts
        .iter()
        .map(|p| {
            (!p.is_empty() && p.len() <= 10 && p.bytes().all(|b| b.is_ascii_digit()))
                .then(|| p.parse().ok())
                .flatten()
        })
        .collect();
    let nums = nums?;
    let (last, head) = nums.split_last()?;
    if head.iter().any(|n| *n > 255) {
        return None;
    }
    let tail_bits = 8 * (4 - head.len() as u32);
    if *last >= 1u64 << tail_bits {
        return None;
    }
    let mut value: u64 = 0;
    for n in head {
        value = value << 8 | n;
    }
    value = value << tail_bits | last;
    Some(IpAddr::V4(Ipv4Addr::from(value as u32)))
}
