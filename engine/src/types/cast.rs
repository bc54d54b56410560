//! `CAST(x AS type)`: Cassandra's `CastFcts` table.

use num_bigint::BigInt;
use num_traits::{ToPrimitive, Zero};

use super::decimal::pow10;
use super::format::fmt_string;
use super::functions::{date_to_timestamp, timestamp_to_date};
use super::{CqlType, Decimal, NativeType, Value};
use crate::Error;

/// A number read from any numeric value, for Java's `Number` conversions.
enum Num {
    Int(i64),
    Big(BigInt),
    Float(f64),
    Dec(Decimal),
}

fn as_num(v: &Value) -> Option<Num> {
    Some(match v {
        Value::Tinyint(n) => Num::Int(i64::from(*n)),
        Value::Smallint(n) => Num::Int(i64::from(*n)),
        Value::Int(n) => Num::Int(i64::from(*n)),
        Value::Bigint(n) | Value::Counter(n) => Num::Int(*n),
        Value::Varint(n) => Num::Big(n.clone()),
        Value::Float(f) => Num::Float(f64::from(*f)),
        Value::Double(f) => Num::Float(*f),
        Value::Decimal(d) => Num::Dec(d.clone()),
        _ => return None,
    })
}

/// The low 64 bits of a `BigInt`, as Java's `BigInteger.longValue`.
pub(crate) fn low_i64(n: &BigInt) -> i64 {
    let mut bytes = n.to_signed_bytes_le();
    let fill = if n.sign() == num_bigint::Sign::Minus { 0xff } else { 0 };
    bytes.resize(8, fill);
    let mut b = [0u8; 8];
    b.copy_from_slice(bytes.get(..8).unwrap_or(&[0; 8]));
    i64::from_le_bytes(b)
}

impl Num {
    /// Java's `longValue`: wrapping for big integers, saturating for floats.
    fn long(&self) -> i64 {
        match self {
            Num::Int(n) => *n,
            Num::Big(b) => low_i64(b),
            // Rust's `as` saturates and maps NaN to 0, like Java's narrowing.
            Num::Float(f) => *f as i64,
            // 10^64 is a multiple of 2^64, so the low bits of larger values are zero.
            Num::Dec(d) => d.to_bigint().map_or(0, |b| low_i64(&b)),
        }
    }
    /// Java's `intValue`.
    fn int(&self) -> i32 {
        match self {
            Num::Float(f) => *f as i32,
            other => other.long() as i32,
        }
    }
    fn double(&self) -> f64 {
        match self {
            Num::Int(n) => *n as f64,
            Num::Big(b) => b.to_f64().unwrap_or(f64::NAN),
            Num::Float(f) => *f,
            Num::Dec(d) => d.to_f64(),
        }
    }
    fn float(&self) -> f32 {
        match self {
            Num::Int(n) => *n as f32,
            Num::Big(b) => b.to_f32().unwrap_or(f32::NAN),
            Num::Float(f) => *f as f32,
            Num::Dec(d) => d.to_f64() as f32,
        }
    }
}

/// Whether Cassandra has a cast from `from` to `to`.
pub fn can_cast(from: &CqlType, to: NativeType) -> bool {
    use NativeType as N;
    let Some(from) = from.native() else { return false };
    if from == to {
        return true;
    }
    let numeric = |t| {
        matches!(
            t,
            N::Tinyint
                | N::Smallint
                | N::Int
                | N::Bigint
                | N::Float
                | N::Double
                | N::Decimal
                | N::Varint
        )
    };
    let text = matches!(to, N::Ascii | N::Text);
    match from {
        f if numeric(f) || f == N::Counter => numeric(to) || text,
        N::Ascii => to == N::Text,
        N::Inet | N::Boolean | N::Time | N::Uuid => text,
        N::Timeuuid => text || matches!(to, N::Date | N::Timestamp),
        N::Timestamp => text || to == N::Date,
        N::Date => text || to == N::Timestamp,
        _ => false,
    }
}

/// Casts `v` (of type `from`) to `to` as `CAST(v AS to)` does; numeric narrowing wraps
/// or saturates as Java's `Number` conversions do.
pub fn cast(v: &Value, from: &CqlType, to: NativeType) -> Result<Value, Error> {
    use NativeType as N;
    if !can_cast(from, to) {
        return Err(Error::invalid(format!("{from} cannot be cast to {to}")));
    }
    if from.native() == Some(to) {
        return Ok(v.clone());
    }
    if matches!(to, N::Ascii | N::Text) {
        let s = fmt_string(v);
        return Ok(if to == N::Ascii { Value::Ascii(s.into()) } else { Value::Text(s.into()) });
    }
    // A float reaches a decimal through its own shortest text (`Float.toString`), not
    // through a double, so 5.2 stays 5.2.
    if let (Value::Float(f), N::Decimal) = (v, to)
        && f.is_finite()
        && let Some(d) = Decimal::parse(&fmt_string(v))
    {
        return Ok(Value::Decimal(d));
    }
    if let Some(n) = as_num(v) {
        return Ok(match to {
            N::Tinyint => Value::Tinyint(n.int() as i8),
            N::Smallint => Value::Smallint(n.int() as i16),
            N::Int => Value::Int(n.int()),
            N::Bigint => Value::Bigint(n.long()),
            N::Float => Value::Float(n.float()),
            N::Double => Value::Double(n.double()),
            N::Decimal => Value::Decimal(match n {
                Num::Int(i) => Decimal::new(i.into(), 0),
                Num::Big(b) => Decimal::new(b, 0),
                Num::Dec(d) => d,
                // BigDecimal.valueOf(double) has no NaN or infinity: Cassandra reports the
                // NumberFormatException of parsing "NaN" / "Infinity" as a function failure.
                Num::Float(f) => Decimal::from_f64(f).ok_or_else(|| {
                    let first = if f.is_nan() { 'N' } else { 'I' };
                    Error::invalid(format!(
                        "execution of 'system.castasdecimal[{from}]' failed: \
                         java.lang.NumberFormatException: Character {first} is neither a \
                         decimal digit number, decimal point, nor \"e\" notation exponential mark."
                    ))
                })?,
            }),
            N::Varint => Value::Varint(match n {
                Num::Big(b) => b,
                Num::Dec(d) => d.to_bigint().ok_or_else(|| {
                    Error::invalid(format!("{from} value {d} is too large to cast to varint"))
                })?,
                other => BigInt::from(other.long()),
            }),
            _ => return Err(Error::invalid(format!("{from} cannot be cast to {to}"))),
        });
    }
    match (v, to) {
        (Value::Timestamp(ms), N::Date) => Ok(Value::Date(timestamp_to_date(*ms))),
        (Value::Timeuuid(u), N::Date) => Ok(Value::Date(timestamp_to_date(u.unix_millis()))),
        (Value::Timeuuid(u), N::Timestamp) => Ok(Value::Timestamp(u.unix_millis())),
        (Value::Date(d), N::Timestamp) => Ok(Value::Timestamp(date_to_timestamp(*d))),
        (Value::Ascii(s), N::Text) => Ok(Value::Text(s.clone())),
        _ => Err(Error::invalid(format!("{from} cannot be cast to {to}"))),
    }
}

/// `BigDecimal.toPlainString`: never exponent notation (except for values whose plain
/// form would run to more than 100,000 characters, which keep `toString`'s form).
pub(crate) fn decimal_plain(d: &Decimal) -> String {
    if d.scale.unsigned_abs() > 100_000 {
        return d.to_string();
    }
    if d.scale <= 0 {
        return (&*d.unscaled * pow10(d.scale.unsigned_abs())).to_string();
    }
    let negative = *d.unscaled < BigInt::zero();
    let digits = if negative { (-&*d.unscaled).to_string() } else { d.unscaled.to_string() };
    let scale = d.scale as usize;
    let padded = if digits.len() <= scale {
        format!("{}{digits}", "0".repeat(scale + 1 - digits.len()))
    } else {
        digits
    };
    let (a, b) = padded.split_at(padded.len() - scale);
    format!("{}{a}.{b}", if negative { "-" } else { "" })
}
