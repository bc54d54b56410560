//! JSON values to CQL literal text, with Stargate REST v2's input rules.
//!
//! A top-level JSON string is a "stringified" value: one pair of surrounding single quotes
//! is dropped (`''` becomes `'`) and the rest is read as that type's CQL literal form, so
//! `"25"`, `"{'a','b'}"` and `"(1, true, 'x')"` all work. Any other JSON value, and every
//! element inside arrays and objects, is read strictly by the column's type. The output is
//! always literal text rebuilt from the parsed value, never the caller's text, so no input
//! can change the shape of the statement it lands in.

use std::net::IpAddr;

use cqlfiddle_engine::types::{CqlType, NativeType, maybe_quote};
use serde_json::Value as JsonValue;

use crate::base64;

/// Renders `value` for a column of type `ty`, reading a top-level string loosely.
/// `compact_maps` says whether a JSON map is `{"k":v}` or `[{"key":k,"value":v}]`.
/// The error is the codec's message (Stargate prefixes it with the field).
pub fn to_cql(value: &JsonValue, ty: &CqlType, compact_maps: bool) -> Result<String, String> {
    match value {
        JsonValue::String(s) => stringified(s, ty, compact_maps),
        other => strict(other, ty, compact_maps),
    }
}

/// Renders `value` strictly: strings are accepted only by the types whose strict reader
/// takes text (text, ascii, uuid, timeuuid, timestamp, date, time, duration, inet, blob).
pub fn strict(value: &JsonValue, ty: &CqlType, compact: bool) -> Result<String, String> {
    if value.is_null() {
        return Ok("null".into());
    }
    match ty.unfrozen() {
        CqlType::Native(n) => strict_native(value, *n),
        CqlType::List(elem) | CqlType::Vector(elem, _) => {
            let items = expect_array(value, ty)?;
            if let CqlType::Vector(_, dim) = ty.unfrozen()
                && items.len() != *dim
            {
                return Err(format!("Expected vector of length {dim}, got {}", items.len()));
            }
            Ok(format!("[{}]", join(items.iter().map(|v| strict(v, elem, compact)))?))
        }
        CqlType::Set(elem) => {
            let items = expect_array(value, ty)?;
            Ok(format!("{{{}}}", join(items.iter().map(|v| strict(v, elem, compact)))?))
        }
        CqlType::Map(kt, vt) => {
            let entries: Vec<(String, String)> = match (value, compact) {
                (JsonValue::Object(map), true) => map
                    .iter()
                    .map(|(k, v)| Ok((stringified(k, kt, compact)?, strict(v, vt, compact)?)))
                    .collect::<Result<_, String>>()?,
                (JsonValue::Array(items), false) => items
                    .iter()
                    .map(|entry| {
                        let obj = entry.as_object().ok_or("Map entry missing key")?;
                        let key = obj.get("key").ok_or("Map entry missing key")?;
                        let val = obj.get("value").ok_or("Map entry missing value")?;
                        Ok((strict(key, kt, compact)?, strict(val, vt, compact)?))
                    })
                    .collect::<Result<_, String>>()?,
                _ => return Err(coerce_error(value, ty)),
            };
            let body: Vec<String> = entries.into_iter().map(|(k, v)| format!("{k}: {v}")).collect();
            Ok(format!("{{{}}}", body.join(", ")))
        }
        CqlType::Tuple(types) => {
            let items = expect_array(value, ty)?;
            if items.len() != types.len() {
                return Err(format!("Tuple expected {} values, got {}", types.len(), items.len()));
            }
            let parts = items.iter().zip(types).map(|(v, t)| strict(v, t, compact));
            Ok(format!("({})", join(parts)?))
        }
        CqlType::Udt(udt) => {
            let obj = value.as_object().ok_or_else(|| coerce_error(value, ty))?;
            let mut parts = Vec::with_capacity(obj.len());
            for (name, v) in obj {
                let (_, fty) =
                    udt.fields.iter().find(|(f, _)| f == name).ok_or_else(|| {
                        format!("UDT '{}' does not have field '{name}'", udt.name)
                    })?;
                parts.push(format!("{}: {}", maybe_quote(name), strict(v, fty, compact)?));
            }
            Ok(format!("{{{}}}", parts.join(", ")))
        }
        CqlType::Frozen(_) => Err(coerce_error(value, ty)),
    }
}

/// A top-level string: quotes stripped, then the type's literal form.
fn stringified(text: &str, ty: &CqlType, compact: bool) -> Result<String, String> {
    let text = strip_quotes(text);
    match ty.unfrozen() {
        CqlType::Native(n) => native_from_string(&text, *n),
        _ => {
            let parsed = parse_loose(&text).map_err(|problem| {
                format!("Invalid {} value '{text}': {problem}", container_name(ty))
            })?;
            loose_to_cql(&parsed, ty, compact)
        }
    }
}

/// Drops one pair of surrounding single quotes and unescapes `''`.
fn strip_quotes(text: &str) -> String {
    match text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
        Some(inner) if text.len() >= 2 => inner.replace("''", "'"),
        _ => text.to_string(),
    }
}

fn container_name(ty: &CqlType) -> &'static str {
    match ty.unfrozen() {
        CqlType::List(_) => "List",
        CqlType::Set(_) => "Set",
        CqlType::Map(..) => "Map",
        CqlType::Tuple(_) => "Tuple",
        CqlType::Udt(_) => "UDT",
        CqlType::Vector(..) => "Vector",
        _ => "String",
    }
}

fn expect_array<'a>(value: &'a JsonValue, ty: &CqlType) -> Result<&'a Vec<JsonValue>, String> {
    value.as_array().ok_or_else(|| coerce_error(value, ty))
}

fn join(parts: impl Iterator<Item = Result<String, String>>) -> Result<String, String> {
    Ok(parts.collect::<Result<Vec<_>, _>>()?.join(", "))
}

/// Stargate's name for a type in codec messages (`TypeSpec.Basic.UUID`, ...).
fn protobuf_name(ty: &CqlType) -> String {
    match ty.unfrozen() {
        CqlType::Native(NativeType::Text) => "TypeSpec.Basic.VARCHAR".into(),
        CqlType::Native(n) => format!("TypeSpec.Basic.{}", n.name().to_ascii_uppercase()),
        CqlType::List(_) => "TypeSpec.List".into(),
        CqlType::Set(_) => "TypeSpec.Set".into(),
        CqlType::Map(..) => "TypeSpec.Map".into(),
        CqlType::Tuple(_) => "TypeSpec.Tuple".into(),
        CqlType::Udt(_) => "TypeSpec.Udt".into(),
        CqlType::Vector(..) => "TypeSpec.Vector".into(),
        CqlType::Frozen(inner) => protobuf_name(inner),
    }
}

fn json_kind(value: &JsonValue) -> &'static str {
    match value {
        JsonValue::Null => "Null",
        JsonValue::Bool(_) => "Boolean",
        JsonValue::Number(_) => "Number",
        JsonValue::String(_) => "String value",
        JsonValue::Array(_) => "Array",
        JsonValue::Object(_) => "Object",
    }
}

fn coerce_error(value: &JsonValue, ty: &CqlType) -> String {
    let shown = match value {
        JsonValue::String(s) => format!("'{s}'"),
        other => other.to_string(),
    };
    format!(
        "Cannot coerce {} {shown} into expected protobuf type: {}",
        json_kind(value),
        protobuf_name(ty)
    )
}

fn invalid_string(text: &str, n: NativeType) -> String {
    format!(
        "Invalid String value ('{text}'): not valid representation/value for target protobuf type: {}",
        protobuf_name(&CqlType::Native(n))
    )
}

/// A CQL string literal.
pub fn quote_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Strict reading of a scalar.
fn strict_native(value: &JsonValue, n: NativeType) -> Result<String, String> {
    use NativeType as N;
    let ty = CqlType::Native(n);
    match (value, n) {
        (JsonValue::String(s), N::Text | N::Ascii) => native_from_string(s, n),
        (JsonValue::Number(num), N::Text | N::Ascii) => Ok(quote_string(&num.to_string())),
        (JsonValue::Bool(b), N::Text | N::Ascii) => Ok(quote_string(&b.to_string())),
        (
            JsonValue::String(s),
            N::Uuid
            | N::Timeuuid
            | N::Timestamp
            | N::Date
            | N::Time
            | N::Duration
            | N::Inet
            | N::Blob,
        ) => native_from_string(s, n),
        (JsonValue::Number(num), N::Timestamp) => {
            num.as_i64().map(|ms| ms.to_string()).ok_or_else(|| coerce_error(value, &ty))
        }
        (JsonValue::Number(num), N::Tinyint | N::Smallint | N::Int | N::Bigint | N::Counter) => {
            // Fractions are dropped, as Jackson's `asLong` does.
            let whole = match num.as_i64() {
                Some(i) => i,
                None => num
                    .as_f64()
                    .filter(|f| f.is_finite() && f.abs() < 9.2e18)
                    .map_or_else(|| Err(coerce_error(value, &ty)), |f| Ok(f.trunc() as i64))?,
            };
            check_range(whole, n).ok_or_else(|| coerce_error(value, &ty))
        }
        (JsonValue::Number(num), N::Varint) => {
            let text = num.to_string();
            if text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
                Ok(text)
            } else {
                Err(coerce_error(value, &ty))
            }
        }
        (JsonValue::Number(num), N::Float | N::Double | N::Decimal) => Ok(num.to_string()),
        (JsonValue::String(s), N::Float | N::Double)
            if matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity") =>
        {
            Ok(s.clone())
        }
        (JsonValue::Bool(b), N::Boolean) => Ok(b.to_string()),
        _ => Err(coerce_error(value, &ty)),
    }
}

fn check_range(n: i64, ty: NativeType) -> Option<String> {
    let ok = match ty {
        NativeType::Tinyint => i8::try_from(n).is_ok(),
        NativeType::Smallint => i16::try_from(n).is_ok(),
        NativeType::Int => i32::try_from(n).is_ok(),
        _ => true,
    };
    ok.then(|| n.to_string())
}

/// A scalar from its text form (`Integer.valueOf`, `UUID.fromString`, ...), as literal text.
pub fn native_from_string(text: &str, n: NativeType) -> Result<String, String> {
    use NativeType as N;
    let coerce = || coerce_error(&JsonValue::String(text.to_string()), &CqlType::Native(n));
    match n {
        N::Text => Ok(quote_string(text)),
        N::Ascii => {
            if text.is_ascii() {
                Ok(quote_string(text))
            } else {
                Err(invalid_string(text, n))
            }
        }
        N::Boolean => match text.to_ascii_lowercase().as_str() {
            "true" => Ok("true".into()),
            "false" => Ok("false".into()),
            _ => Err(coerce()),
        },
        N::Tinyint | N::Smallint | N::Int | N::Bigint | N::Counter => {
            let trimmed = text.strip_prefix('+').unwrap_or(text);
            trimmed.parse::<i64>().ok().and_then(|v| check_range(v, n)).ok_or_else(coerce)
        }
        N::Varint => {
            let digits = text.strip_prefix('-').or_else(|| text.strip_prefix('+')).unwrap_or(text);
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                Ok(text.trim_start_matches('+').to_string())
            } else {
                Err(coerce())
            }
        }
        N::Float | N::Double => match text {
            "NaN" | "Infinity" | "-Infinity" => Ok(text.to_string()),
            _ if is_decimal(text) => Ok(text.trim_start_matches('+').to_string()),
            _ => Err(coerce()),
        },
        N::Decimal => {
            if is_decimal(text) {
                Ok(text.trim_start_matches('+').to_string())
            } else {
                Err(coerce())
            }
        }
        N::Uuid | N::Timeuuid => {
            if is_uuid(text) {
                Ok(text.to_ascii_lowercase())
            } else {
                Err(invalid_string(text, n))
            }
        }
        N::Timestamp => {
            parse_timestamp(text).map(|ms| ms.to_string()).ok_or_else(|| invalid_string(text, n))
        }
        N::Date => {
            if is_date(text) {
                Ok(quote_string(text))
            } else {
                Err(invalid_string(text, n))
            }
        }
        N::Time => {
            parse_time(text).map(|t| quote_string(&t)).ok_or_else(|| invalid_string(text, n))
        }
        N::Duration => {
            let body = text.strip_prefix('-').unwrap_or(text);
            let valid = !body.is_empty()
                && body.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
                && body.bytes().any(|b| b.is_ascii_digit());
            if valid { Ok(text.to_string()) } else { Err(invalid_string(text, n)) }
        }
        N::Inet => text
            .parse::<IpAddr>()
            .map(|addr| quote_string(&addr.to_string()))
            .map_err(|_| invalid_string(text, n)),
        N::Blob => {
            let bytes = base64::decode(text).map_err(|_| invalid_string(text, n))?;
            let mut hex = String::from("0x");
            for b in bytes {
                hex.push_str(&format!("{b:02x}"));
            }
            Ok(hex)
        }
    }
}

/// A decimal number in Java's `BigDecimal` text form.
fn is_decimal(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = (!int.is_empty() || !frac.is_empty()) && digits(int) && digits(frac);
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.char_indices().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) { c == '-' } else { c.is_ascii_hexdigit() }
        })
}

fn two_digits(s: &str) -> Option<i64> {
    (s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok()).flatten()
}

/// `YYYY-MM-DD` with a real calendar date.
fn is_date(text: &str) -> bool {
    parse_date(text).is_some()
}

fn parse_date(text: &str) -> Option<i64> {
    let mut parts = text.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || !y.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (y, m, d): (i64, i64, i64) = (y.parse().ok()?, two_digits(m)?, two_digits(d)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days_in_month = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if d < 1 || d > days_in_month {
        return None;
    }
    // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// `HH:mm[:ss[.fffffffff]]` as `LocalTime.parse` reads it, normalised to nine digits.
fn parse_time(text: &str) -> Option<String> {
    let (clock, frac) = text.split_once('.').unwrap_or((text, ""));
    let mut parts = clock.split(':');
    let h = two_digits(parts.next()?)?;
    let m = two_digits(parts.next()?)?;
    let s = match parts.next() {
        Some(s) => two_digits(s)?,
        None if frac.is_empty() && !text.contains('.') => 0,
        None => return None,
    };
    if parts.next().is_some() || h > 23 || m > 59 || s > 59 {
        return None;
    }
    if frac.len() > 9
        || !frac.bytes().all(|b| b.is_ascii_digit())
        || (text.contains('.') && frac.is_empty())
    {
        return None;
    }
    Some(format!("{h:02}:{m:02}:{s:02}.{frac:0<9}"))
}

/// An ISO-8601 instant with a `T`, seconds and an offset (`Z`, `+02`, `+0200`, `+02:00`), or
/// epoch milliseconds as digits. Digits past milliseconds are cut off.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    if !text.is_empty()
        && text.strip_prefix('-').unwrap_or(text).bytes().all(|b| b.is_ascii_digit())
    {
        return text.parse().ok();
    }
    let (date, rest) = text.split_once(['T', 't'])?;
    let days = parse_date(date)?;
    let zone_at = rest.find(['Z', 'z', '+', '-'])?;
    let (clock, zone) = rest.split_at(zone_at);
    let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
    let mut parts = hms.split(':');
    let (h, m, s) =
        (two_digits(parts.next()?)?, two_digits(parts.next()?)?, two_digits(parts.next()?)?);
    if parts.next().is_some() || h > 23 || m > 59 || s > 59 || frac.len() > 9 {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) || (clock.contains('.') && frac.is_empty()) {
        return None;
    }
    let millis: i64 = format!("{frac:0<3}").get(..3)?.parse().ok()?;
    let offset_minutes = match zone {
        "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let digits: String = zone.get(1..)?.chars().filter(|c| *c != ':').collect();
            let (oh, om) = match digits.len() {
                2 => (two_digits(&digits)?, 0),
                4 => (two_digits(digits.get(..2)?)?, two_digits(digits.get(2..)?)?),
                _ => return None,
            };
            if zone.len() == 6 && zone.as_bytes().get(3) != Some(&b':') {
                return None;
            }
            sign * (oh * 60 + om)
        }
    };
    let seconds = days * 86_400 + h * 3600 + m * 60 + s - offset_minutes * 60;
    seconds.checked_mul(1000)?.checked_add(millis)
}

/// A CQL literal read loosely out of a string: the structure, and scalar tokens as text.
#[derive(Debug, Clone, PartialEq)]
enum Loose {
    /// A scalar token: a quoted string's content or a bare word or number.
    Scalar(String),
    /// `null`.
    Null,
    /// `[a, b]`.
    List(Vec<Loose>),
    /// `(a, b)`.
    Tuple(Vec<Loose>),
    /// `{a, b}`.
    Set(Vec<Loose>),
    /// `{k: v}`; `{}` is an empty one.
    Pairs(Vec<(Loose, Loose)>),
}

/// How deeply literals may nest; deeper input is refused rather than risking the stack.
const MAX_DEPTH: usize = 32;

struct LooseParser<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
    depth: usize,
}

fn parse_loose(text: &str) -> Result<Loose, String> {
    let mut parser = LooseParser { chars: text.chars().peekable(), depth: 0 };
    let value = parser.value()?;
    parser.skip_ws();
    match parser.chars.next() {
        None => Ok(value),
        Some(c) => Err(format!("unexpected '{c}' after the value")),
    }
}

impl LooseParser<'_> {
    fn skip_ws(&mut self) {
        while self.chars.next_if(|c| c.is_whitespace()).is_some() {}
    }

    fn eat(&mut self, want: char) -> bool {
        self.skip_ws();
        self.chars.next_if_eq(&want).is_some()
    }

    fn value(&mut self) -> Result<Loose, String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("nested more than {MAX_DEPTH} levels deep"));
        }
        let value = self.value_inner();
        self.depth -= 1;
        value
    }

    fn value_inner(&mut self) -> Result<Loose, String> {
        self.skip_ws();
        match self.chars.peek().copied() {
            Some('[') => {
                self.chars.next();
                Ok(Loose::List(self.items(']')?))
            }
            Some('(') => {
                self.chars.next();
                Ok(Loose::Tuple(self.items(')')?))
            }
            Some('{') => {
                self.chars.next();
                self.braces()
            }
            Some(q @ ('\'' | '"')) => {
                self.chars.next();
                let mut out = String::new();
                loop {
                    match self.chars.next() {
                        None => return Err("unterminated string".into()),
                        Some(c) if c == q => {
                            if self.chars.next_if_eq(&q).is_some() {
                                out.push(q);
                            } else {
                                return Ok(Loose::Scalar(out));
                            }
                        }
                        Some(c) => out.push(c),
                    }
                }
            }
            Some(_) => {
                let mut word = String::new();
                while let Some(c) =
                    self.chars.next_if(|c| !c.is_whitespace() && !"[](){},:'\"".contains(*c))
                {
                    word.push(c);
                }
                match word.to_ascii_lowercase().as_str() {
                    "" => Err("expected a value".into()),
                    "null" => Ok(Loose::Null),
                    _ => Ok(Loose::Scalar(word)),
                }
            }
            None => Err("expected a value".into()),
        }
    }

    fn items(&mut self, close: char) -> Result<Vec<Loose>, String> {
        let mut items = Vec::new();
        if self.eat(close) {
            return Ok(items);
        }
        loop {
            items.push(self.value()?);
            if self.eat(close) {
                return Ok(items);
            }
            if !self.eat(',') {
                return Err(format!("expected ',' or '{close}'"));
            }
        }
    }

    fn braces(&mut self) -> Result<Loose, String> {
        if self.eat('}') {
            return Ok(Loose::Pairs(Vec::new()));
        }
        let first = self.value()?;
        if self.eat(':') {
            let mut pairs = vec![(first, self.value()?)];
            while self.eat(',') {
                let key = self.value()?;
                if !self.eat(':') {
                    return Err("expected ':'".into());
                }
                pairs.push((key, self.value()?));
            }
            if !self.eat('}') {
                return Err("expected ',' or '}'".into());
            }
            Ok(Loose::Pairs(pairs))
        } else {
            let mut items = vec![first];
            while self.eat(',') {
                items.push(self.value()?);
            }
            if !self.eat('}') {
                return Err("expected ',' or '}'".into());
            }
            Ok(Loose::Set(items))
        }
    }
}

/// Re-renders a loosely parsed literal with the type's rules; scalars go through their
/// text form.
fn loose_to_cql(value: &Loose, ty: &CqlType, compact: bool) -> Result<String, String> {
    let each =
        |items: &[Loose], t: &CqlType| join(items.iter().map(|v| loose_to_cql(v, t, compact)));
    match (value, ty.unfrozen()) {
        (Loose::Null, _) => Ok("null".into()),
        (Loose::Scalar(text), CqlType::Native(n)) => native_from_string(text, *n),
        (Loose::List(items), CqlType::List(t)) => Ok(format!("[{}]", each(items, t)?)),
        (Loose::List(items), CqlType::Vector(t, dim)) if items.len() == *dim => {
            Ok(format!("[{}]", each(items, t)?))
        }
        (Loose::Set(items), CqlType::Set(t)) => Ok(format!("{{{}}}", each(items, t)?)),
        (Loose::Pairs(p), CqlType::Set(_) | CqlType::List(_)) if p.is_empty() => Ok("{}".into()),
        (Loose::Pairs(pairs), CqlType::Map(kt, vt)) => {
            let parts: Result<Vec<String>, String> = pairs
                .iter()
                .map(|(k, v)| {
                    Ok(format!(
                        "{}: {}",
                        loose_to_cql(k, kt, compact)?,
                        loose_to_cql(v, vt, compact)?
                    ))
                })
                .collect();
            Ok(format!("{{{}}}", parts?.join(", ")))
        }
        (Loose::List(entries), CqlType::Map(kt, vt)) if !compact => {
            // The non-compact string form: `[{'key': k, 'value': v}, ...]`.
            let parts: Result<Vec<String>, String> = entries
                .iter()
                .map(|entry| {
                    let Loose::Pairs(fields) = entry else {
                        return Err("Map entry missing key".to_string());
                    };
                    let field = |name: &str| {
                        fields
                            .iter()
                            .find(|(k, _)| *k == Loose::Scalar(name.into()))
                            .map(|(_, v)| v)
                    };
                    let key = field("key").ok_or("Map entry missing key")?;
                    let val = field("value").ok_or("Map entry missing value")?;
                    Ok(format!(
                        "{}: {}",
                        loose_to_cql(key, kt, compact)?,
                        loose_to_cql(val, vt, compact)?
                    ))
                })
                .collect();
            Ok(format!("{{{}}}", parts?.join(", ")))
        }
        (Loose::Tuple(items), CqlType::Tuple(types)) => {
            if items.len() != types.len() {
                return Err(format!("Tuple expected {} values, got {}", types.len(), items.len()));
            }
            let parts = items.iter().zip(types).map(|(v, t)| loose_to_cql(v, t, compact));
            Ok(format!("({})", join(parts)?))
        }
        (Loose::Pairs(pairs), CqlType::Udt(udt)) => {
            let mut parts = Vec::with_capacity(pairs.len());
            for (name, v) in pairs {
                let Loose::Scalar(name) = name else {
                    return Err("UDT field names must be identifiers".into());
                };
                let (_, fty) =
                    udt.fields.iter().find(|(f, _)| f == name).ok_or_else(|| {
                        format!("UDT '{}' does not have field '{name}'", udt.name)
                    })?;
                parts.push(format!("{}: {}", maybe_quote(name), loose_to_cql(v, fty, compact)?));
            }
            Ok(format!("{{{}}}", parts.join(", ")))
        }
        _ => Err(format!("value does not match type {ty}")),
    }
}

#[cfg(test)]
mod tests;
