//! Stargate REST v2's JSON output (§4 of the reference) read back into engine values.
//!
//! The reader keeps every number's exact text and every object's keys in order, duplicates
//! included, so nothing the server wrote is rounded or merged before it is checked. The
//! decoder is written from the reference's output table, not from the emulator's encoder,
//! so the two can disagree and the conformance run notices.

use std::net::IpAddr;
use std::str::FromStr;

use cqlfiddle_engine::types::{CqlType, Decimal, NativeType, Uuid, Value};
use num_bigint::BigInt;

/// A JSON value with numbers kept as their text.
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, exactly as written.
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object's entries in the order written.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Parses a whole document.
    pub fn parse(text: &str) -> Result<Json, String> {
        let mut reader = Reader { bytes: text.as_bytes(), pos: 0 };
        let value = reader.value(0)?;
        reader.skip_ws();
        if reader.pos != reader.bytes.len() {
            return Err(format!("trailing text at byte {}", reader.pos));
        }
        Ok(value)
    }

    /// The value of `key` in an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string content, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }
}

/// Deeper nesting than any result holds means a broken response, not a value.
const MAX_DEPTH: usize = 128;

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        while self.bytes.get(self.pos).is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_ws();
        self.bytes.get(self.pos).copied()
    }

    fn expect(&mut self, byte: u8) -> Result<(), String> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(format!("expected '{}' at byte {}", byte as char, self.pos))
        }
    }

    fn keyword(&mut self, word: &str, value: Json) -> Result<Json, String> {
        let end = self.pos + word.len();
        if self.bytes.get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            Ok(value)
        } else {
            Err(format!("unexpected text at byte {}", self.pos))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > MAX_DEPTH {
            return Err("nested too deeply".into());
        }
        match self.peek() {
            Some(b'n') => self.keyword("null", Json::Null),
            Some(b't') => self.keyword("true", Json::Bool(true)),
            Some(b'f') => self.keyword("false", Json::Bool(false)),
            Some(b'"') => self.string().map(Json::String),
            Some(b'[') => {
                self.pos += 1;
                let mut items = Vec::new();
                if self.peek() == Some(b']') {
                    self.pos += 1;
                    return Ok(Json::Array(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    if self.peek() == Some(b',') {
                        self.pos += 1;
                    } else {
                        self.expect(b']')?;
                        return Ok(Json::Array(items));
                    }
                }
            }
            Some(b'{') => {
                self.pos += 1;
                let mut entries = Vec::new();
                if self.peek() == Some(b'}') {
                    self.pos += 1;
                    return Ok(Json::Object(entries));
                }
                loop {
                    if self.peek() != Some(b'"') {
                        return Err(format!("expected a key at byte {}", self.pos));
                    }
                    let key = self.string()?;
                    self.expect(b':')?;
                    entries.push((key, self.value(depth + 1)?));
                    if self.peek() == Some(b',') {
                        self.pos += 1;
                    } else {
                        self.expect(b'}')?;
                        return Ok(Json::Object(entries));
                    }
                }
            }
            Some(b'-' | b'0'..=b'9') => {
                let start = self.pos;
                while self
                    .bytes
                    .get(self.pos)
                    .is_some_and(|b| b.is_ascii_digit() || b"+-.eE".contains(b))
                {
                    self.pos += 1;
                }
                let text = String::from_utf8_lossy(&self.bytes[start..self.pos]).into_owned();
                Ok(Json::Number(text))
            }
            _ => Err(format!("unexpected input at byte {}", self.pos)),
        }
    }

    /// A string starting at the opening quote.
    fn string(&mut self) -> Result<String, String> {
        self.expect(b'"')?;
        let mut out: Vec<u8> = Vec::new();
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err("unterminated string".into());
            };
            self.pos += 1;
            match b {
                b'"' => break,
                b'\\' => {
                    let Some(&esc) = self.bytes.get(self.pos) else {
                        return Err("unterminated escape".into());
                    };
                    self.pos += 1;
                    let plain = match esc {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        other => return Err(format!("bad escape \\{}", other as char)),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(plain.encode_utf8(&mut buf).as_bytes());
                }
                other => out.push(other),
            }
        }
        String::from_utf8(out).map_err(|e| e.to_string())
    }

    /// The code point after `\u`, joining a surrogate pair.
    fn unicode_escape(&mut self) -> Result<char, String> {
        let high = self.hex4()?;
        if (0xD800..0xDC00).contains(&high) {
            if self.bytes.get(self.pos..self.pos + 2) != Some(b"\\u") {
                return Err("lone surrogate".into());
            }
            self.pos += 2;
            let low = self.hex4()?;
            let code = 0x10000 + ((high - 0xD800) << 10) + (low.wrapping_sub(0xDC00) & 0x3FF);
            return char::from_u32(code).ok_or_else(|| "bad surrogate pair".into());
        }
        char::from_u32(high).ok_or_else(|| "bad code point".into())
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self.bytes.get(self.pos..self.pos + 4).ok_or("short \\u escape")?;
        self.pos += 4;
        let text = std::str::from_utf8(digits).map_err(|e| e.to_string())?;
        u32::from_str_radix(text, 16).map_err(|e| e.to_string())
    }
}

/// The engine's value at the position being decoded, when the caller has it: `Some(None)`
/// is a known null.
pub type Shadow<'a> = Option<&'a Option<Value>>;

/// Decodes one cell of type `ty`. A null, and the empty array or object Stargate writes for
/// a null non-frozen collection, are `None`: Cassandra has no empty non-frozen collection.
///
/// A frozen collection can be empty, and Stargate writes a null one as empty too (§4.2), so
/// for `[]` or `{}` where a frozen collection may be null (a cell, a tuple component or a
/// UDT field) the JSON cannot say which it was. Only there, `shadow` decides: null when the
/// engine holds null at that position, empty otherwise.
pub fn decode(json: &Json, ty: &CqlType, shadow: Shadow<'_>) -> Result<Option<Value>, String> {
    let frozen = matches!(ty, CqlType::Frozen(_));
    let empty = match json {
        Json::Array(items) => {
            items.is_empty() && matches!(ty.unfrozen(), CqlType::List(_) | CqlType::Set(_))
        }
        Json::Object(entries) => entries.is_empty() && matches!(ty.unfrozen(), CqlType::Map(..)),
        _ => false,
    };
    match json {
        Json::Null => Ok(None),
        // A function's result (`map_keys(m)`) may be an empty collection of a non-frozen
        // type: where the engine holds a value, `[]` is that empty value.
        _ if empty && (matches!(shadow, Some(None)) || (!frozen && shadow.is_none())) => Ok(None),
        _ => decode_value(json, ty, shadow.and_then(Option::as_ref)).map(Some),
    }
}

/// Decodes a value that must not be null (collection elements, map keys and values);
/// `shadow` is the engine's value here, passed on to the components that may be null.
fn decode_value(json: &Json, ty: &CqlType, shadow: Option<&Value>) -> Result<Value, String> {
    let wrong = || format!("cannot read {json:?} as {ty:?}");
    match (ty.unfrozen(), json) {
        (CqlType::Native(n), _) => decode_native(json, *n),
        (CqlType::List(elem), Json::Array(items)) => Ok(Value::List(elements(items, elem)?)),
        (CqlType::Set(elem), Json::Array(items)) => Ok(Value::Set(elements(items, elem)?)),
        (CqlType::Vector(elem, dim), Json::Array(items)) if items.len() == *dim => {
            Ok(Value::Vector(elements(items, elem)?))
        }
        (CqlType::Map(kt, vt), Json::Object(entries)) => entries
            .iter()
            .map(|(k, v)| Ok((map_key(k, kt)?, decode_value(v, vt, None)?)))
            .collect::<Result<_, String>>()
            .map(Value::Map),
        (CqlType::Tuple(types), Json::Array(items)) if items.len() == types.len() => {
            let components = match shadow {
                Some(Value::Tuple(components)) => components.as_slice(),
                _ => &[],
            };
            items
                .iter()
                .zip(types)
                .enumerate()
                .map(|(i, (item, t))| decode(item, t, components.get(i)))
                .collect::<Result<_, String>>()
                .map(Value::Tuple)
        }
        (CqlType::Udt(udt), Json::Object(entries)) => {
            if let Some((name, _)) =
                entries.iter().find(|(k, _)| !udt.fields.iter().any(|f| &f.0 == k))
            {
                return Err(format!("field {name} is not in type {}", udt.name));
            }
            let fields = match shadow {
                Some(Value::Udt(fields)) => fields.as_slice(),
                _ => &[],
            };
            udt.fields
                .iter()
                .map(|(name, t)| {
                    let value = entries.iter().find(|(k, _)| k == name).map(|(_, v)| v);
                    let field = fields.iter().find(|(n, _)| n == name).map(|(_, v)| v);
                    // A collection field is frozen inside its value (a type declares it
                    // as `set<text>`, but an empty one is a value, not a null).
                    let t = match t {
                        CqlType::Frozen(_) => t.clone(),
                        _ => CqlType::Frozen(Box::new(t.clone())),
                    };
                    Ok((name.clone(), value.map(|v| decode(v, &t, field)).transpose()?.flatten()))
                })
                .collect::<Result<_, String>>()
                .map(Value::Udt)
        }
        _ => Err(wrong()),
    }
}

fn elements(items: &[Json], elem: &CqlType) -> Result<Vec<Value>, String> {
    items
        .iter()
        .map(|item| match item {
            // A null list element (WRITETIME/TTL of a multi-cell column).
            Json::Null => Ok(Value::Null),
            _ => decode_value(item, elem, None),
        })
        .collect()
}

/// A compact map's key: always a JSON string, holding the string content of types written
/// as strings and the JSON text of everything else.
fn map_key(key: &str, ty: &CqlType) -> Result<Value, String> {
    let written_as_string = matches!(
        ty.unfrozen(),
        CqlType::Native(
            NativeType::Ascii
                | NativeType::Text
                | NativeType::Counter
                | NativeType::Uuid
                | NativeType::Timeuuid
                | NativeType::Timestamp
                | NativeType::Date
                | NativeType::Time
                | NativeType::Duration
                | NativeType::Inet
                | NativeType::Blob
        )
    );
    if written_as_string {
        decode_value(&Json::String(key.to_string()), ty, None)
    } else {
        decode_value(&Json::parse(key)?, ty, None)
    }
}

fn decode_native(json: &Json, n: NativeType) -> Result<Value, String> {
    let wrong = || format!("cannot read {json:?} as {n}");
    let number = || match json {
        Json::Number(text) => Ok(text.as_str()),
        _ => Err(wrong()),
    };
    let string = || json.as_str().ok_or_else(wrong);
    let parse_err = |e: &dyn std::fmt::Display| format!("{json:?} as {n}: {e}");
    Ok(match n {
        NativeType::Ascii => Value::Ascii(string()?.into()),
        NativeType::Text => Value::Text(string()?.into()),
        NativeType::Boolean => match json {
            Json::Bool(b) => Value::Boolean(*b),
            _ => return Err(wrong()),
        },
        NativeType::Tinyint => Value::Tinyint(number()?.parse().map_err(|e| parse_err(&e))?),
        NativeType::Smallint => Value::Smallint(number()?.parse().map_err(|e| parse_err(&e))?),
        NativeType::Int => Value::Int(number()?.parse().map_err(|e| parse_err(&e))?),
        NativeType::Bigint => Value::Bigint(number()?.parse().map_err(|e| parse_err(&e))?),
        // Counters are the one integer written as a string.
        NativeType::Counter => Value::Counter(string()?.parse().map_err(|e| parse_err(&e))?),
        NativeType::Varint => {
            Value::Varint(BigInt::from_str(number()?).map_err(|e| parse_err(&e))?)
        }
        NativeType::Float => Value::Float(float_text(json)?.parse().map_err(|e| parse_err(&e))?),
        NativeType::Double => Value::Double(float_text(json)?.parse().map_err(|e| parse_err(&e))?),
        NativeType::Decimal => Value::Decimal(decimal(number()?).ok_or_else(wrong)?),
        NativeType::Uuid => Value::Uuid(uuid(string()?).ok_or_else(wrong)?),
        NativeType::Timeuuid => Value::Timeuuid(uuid(string()?).ok_or_else(wrong)?),
        NativeType::Timestamp => Value::Timestamp(instant(string()?).ok_or_else(wrong)?),
        NativeType::Date => {
            let days = local_date(string()?).ok_or_else(wrong)?;
            Value::Date(u32::try_from(days + (1 << 31)).map_err(|e| parse_err(&e))?)
        }
        NativeType::Time => Value::Time(local_time(string()?).ok_or_else(wrong)?),
        NativeType::Duration => {
            let (months, days, nanos) = duration(string()?).ok_or_else(wrong)?;
            Value::Duration { months, days, nanos }
        }
        NativeType::Blob => Value::Blob(base64(string()?).ok_or_else(wrong)?),
        NativeType::Inet => Value::Inet(IpAddr::from_str(string()?).map_err(|e| parse_err(&e))?),
    })
}

/// A float or double: a JSON number, or one of the strings Jackson writes for NaN and the
/// infinities (which Rust's parser reads as they are).
fn float_text(json: &Json) -> Result<&str, String> {
    match json {
        Json::Number(text) => Ok(text),
        Json::String(s) if matches!(s.as_str(), "NaN" | "Infinity" | "-Infinity") => Ok(s),
        _ => Err(format!("cannot read {json:?} as a floating-point number")),
    }
}

/// `BigDecimal.toString` read back: digits with an optional point and exponent.
fn decimal(text: &str) -> Option<Decimal> {
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i64>().ok()?),
        None => (text, 0),
    };
    let (int_part, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let unscaled = BigInt::from_str(&format!("{int_part}{frac}")).ok()?;
    let scale = i64::try_from(frac.len()).ok()? - exponent;
    Some(Decimal { unscaled: Box::new(unscaled), scale: i32::try_from(scale).ok()? })
}

fn uuid(text: &str) -> Option<Uuid> {
    let hex: String = text.chars().filter(|c| *c != '-').collect();
    if text.len() != 36 || hex.len() != 32 {
        return None;
    }
    let mut bytes = [0u8; 16];
    for (i, byte) in bytes.iter_mut().enumerate() {
        *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(Uuid(bytes))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`).
fn days_since_epoch(year: i64, month: i64, day: i64) -> i64 {
    let shifted = if month <= 2 { year - 1 } else { year };
    let era = shifted.div_euclid(400);
    let year_of_era = shifted.rem_euclid(400);
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// `LocalDate.toString`: `[+-]YYYY-MM-DD`.
fn local_date(text: &str) -> Option<i64> {
    let (negative, body) = match text.as_bytes().first()? {
        b'-' => (true, text.get(1..)?),
        b'+' => (false, text.get(1..)?),
        _ => (false, text),
    };
    let mut parts = body.splitn(3, '-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    Some(days_since_epoch(if negative { -year } else { year }, month, day))
}

/// `ISO_LOCAL_TIME`: `HH:mm:ss` and an optional fraction of up to nine digits.
fn local_time(text: &str) -> Option<i64> {
    let (clock, fraction) = text.split_once('.').unwrap_or((text, ""));
    let mut parts = clock.splitn(3, ':');
    let h: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let s: i64 = parts.next().unwrap_or("0").parse().ok()?;
    if fraction.len() > 9 || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let nanos: i64 = format!("{fraction:0<9}").parse().ok()?;
    Some(((h * 60 + m) * 60 + s) * 1_000_000_000 + nanos)
}

/// `Instant.toString` at millisecond precision: `<date>THH:mm:ss[.fff]Z`.
fn instant(text: &str) -> Option<i64> {
    let (date, time) = text.strip_suffix('Z')?.split_once('T')?;
    let nanos = local_time(time)?;
    if nanos % 1_000_000 != 0 {
        return None;
    }
    local_date(date)?.checked_mul(86_400_000)?.checked_add(nanos / 1_000_000)
}

/// `CqlDuration.toString`: an optional `-`, then `<n><unit>` groups.
fn duration(text: &str) -> Option<(i32, i32, i64)> {
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, text),
    };
    let (mut months, mut days, mut nanos) = (0i64, 0i64, 0i64);
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit())?;
        let n: i64 = rest.get(..digits)?.parse().ok()?;
        let after = rest.get(digits..)?;
        let unit_len = after.find(|c: char| c.is_ascii_digit()).unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        let (slot, scale) = match unit {
            "y" => (&mut months, 12),
            "mo" => (&mut months, 1),
            "w" => (&mut days, 7),
            "d" => (&mut days, 1),
            "h" => (&mut nanos, 3_600_000_000_000),
            "m" => (&mut nanos, 60_000_000_000),
            "s" => (&mut nanos, 1_000_000_000),
            "ms" => (&mut nanos, 1_000_000),
            "us" | "µs" => (&mut nanos, 1_000),
            "ns" => (&mut nanos, 1),
            _ => return None,
        };
        *slot = slot.checked_add(n.checked_mul(scale)?)?;
        rest = next;
    }
    let sign = if negative { -1 } else { 1 };
    Some((i32::try_from(sign * months).ok()?, i32::try_from(sign * days).ok()?, sign * nanos))
}

/// Standard, padded base64 (Jackson's `byte[]` form).
fn base64(text: &str) -> Option<Vec<u8>> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let body = text.trim_end_matches('=');
    if text.len() - body.len() > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in body.bytes() {
        let sextet = ALPHABET.iter().position(|a| *a == c)?;
        acc = (acc << 6) | u32::try_from(sextet).ok()?;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xFF).ok()?);
        }
    }
    Some(out)
}

#[test]
fn numbers_keep_their_exact_text() {
    let json = Json::parse(r#"{"a": 1.50, "b": 12345678901234567890123, "a": -2E+3}"#);
    assert_eq!(
        json,
        Ok(Json::Object(vec![
            ("a".into(), Json::Number("1.50".into())),
            ("b".into(), Json::Number("12345678901234567890123".into())),
            ("a".into(), Json::Number("-2E+3".into())),
        ]))
    );
}

#[test]
fn decimals_keep_their_scale() {
    let d =
        |unscaled: i64, scale| Some(Decimal { unscaled: Box::new(BigInt::from(unscaled)), scale });
    assert_eq!(decimal("1.50"), d(150, 2));
    assert_eq!(decimal("1E+3"), d(1, -3));
    assert_eq!(decimal("-1.25E-7"), d(-125, 9));
}

#[test]
fn temporal_forms_read_back() {
    assert_eq!(instant("1970-01-01T00:00:00Z"), Some(0));
    assert_eq!(instant("2024-01-02T00:00:00.045Z"), Some(1_704_153_600_045));
    assert_eq!(instant("1969-12-31T23:59:59.999Z"), Some(-1));
    assert_eq!(local_date("2024-02-29"), Some(19_782));
    assert_eq!(local_time("12:34:56.789"), Some(45_296_789_000_000));
    assert_eq!(duration("1y2mo3d1h30m"), Some((14, 3, 5_400_000_000_000)));
    assert_eq!(duration("-14d"), Some((0, -14, 0)));
}

#[test]
fn base64_reads_padding() {
    assert_eq!(base64("yv4="), Some(vec![0xca, 0xfe]));
    assert_eq!(base64("/w=="), Some(vec![0xff]));
    assert_eq!(base64("yv4"), None);
}

#[test]
fn null_collections_come_back_empty() {
    let list = CqlType::List(Box::new(CqlType::Native(NativeType::Int)));
    assert_eq!(decode(&Json::Array(vec![]), &list, None), Ok(None));
    let frozen = CqlType::Frozen(Box::new(list));
    let empty = Some(Value::List(vec![]));
    assert_eq!(decode(&Json::Array(vec![]), &frozen, None), Ok(empty.clone()));
    assert_eq!(decode(&Json::Array(vec![]), &frozen, Some(&empty)), Ok(empty.clone()));
    assert_eq!(decode(&Json::Array(vec![]), &frozen, Some(&None)), Ok(None));
    // The engine's value settles only the empty case, never a value that is there.
    let one = Json::Array(vec![Json::Number("1".into())]);
    assert_eq!(decode(&one, &frozen, Some(&None)), Ok(Some(Value::List(vec![Value::Int(1)]))));
}
