//! Cassandra 5.0's math, collection and vector similarity functions.

use num_bigint::BigInt;
use num_traits::{Signed, Zero};

use super::decimal::pow10;
use super::functions::{ArithOp, arithmetic};
use super::{CqlType, Decimal, NativeType, Value, compare};
use crate::Error;

/// Java's `Math.round(double)`: half up (toward positive infinity), NaN to 0, saturating.
fn java_round(x: f64) -> i64 {
    let f = x.floor();
    // `x - floor(x)` is exact, so no double rounding creeps in at .49999...
    let r = if x - f >= 0.5 { f + 1.0 } else { f };
    r as i64
}

/// `abs`, `exp`, `log`, `log10` and `round` over one numeric value, computed as each
/// Cassandra number type does (integers through `double` and back, with Java's
/// saturating casts). `exp`/`log`/`log10` of varint and decimal are not provided.
fn math(name: &str, v: &Value) -> Option<Result<Value, Error>> {
    let f = |x: f64| match name {
        "exp" => x.exp(),
        "log" => x.ln(),
        _ => x.log10(),
    };
    let transcendental = matches!(name, "exp" | "log" | "log10");
    Some(Ok(match (name, v) {
        ("abs", Value::Tinyint(n)) => Value::Tinyint(n.wrapping_abs()),
        ("abs", Value::Smallint(n)) => Value::Smallint(n.wrapping_abs()),
        ("abs", Value::Int(n)) => Value::Int(n.wrapping_abs()),
        ("abs", Value::Bigint(n)) => Value::Bigint(n.wrapping_abs()),
        ("abs", Value::Counter(n)) => Value::Counter(n.wrapping_abs()),
        ("abs", Value::Varint(n)) => Value::Varint(n.abs()),
        ("abs", Value::Float(x)) => Value::Float(x.abs()),
        ("abs", Value::Double(x)) => Value::Double(x.abs()),
        ("abs", Value::Decimal(d)) => Value::Decimal(Decimal::new(d.unscaled.abs(), d.scale)),
        (_, Value::Tinyint(n)) if transcendental => Value::Tinyint(f(f64::from(*n)) as i32 as i8),
        (_, Value::Smallint(n)) if transcendental => {
            Value::Smallint(f(f64::from(*n)) as i32 as i16)
        }
        (_, Value::Int(n)) if transcendental => Value::Int(f(f64::from(*n)) as i32),
        (_, Value::Bigint(n)) if transcendental => Value::Bigint(f(*n as f64) as i64),
        (_, Value::Counter(n)) if transcendental => Value::Counter(f(*n as f64) as i64),
        (_, Value::Float(x)) if transcendental => Value::Float(f(f64::from(*x)) as f32),
        (_, Value::Double(x)) if transcendental => Value::Double(f(*x)),
        ("round", Value::Float(x)) => {
            // Math.round(float) gives an int.
            Value::Float(java_round(f64::from(*x)).clamp(i32::MIN.into(), i32::MAX.into()) as f32)
        }
        ("round", Value::Double(x)) => Value::Double(java_round(*x) as f64),
        ("round", Value::Decimal(d)) => Value::Decimal(round_half_up(d)),
        (
            "round",
            Value::Tinyint(_)
            | Value::Smallint(_)
            | Value::Int(_)
            | Value::Bigint(_)
            | Value::Counter(_)
            | Value::Varint(_),
        ) => v.clone(),
        _ => return None,
    }))
}

/// `setScale(0, RoundingMode.HALF_UP)`: half away from zero.
fn round_half_up(d: &Decimal) -> Decimal {
    if d.scale <= 0 {
        // Already whole; spelling out the zeros of a huge exponent would not terminate.
        if d.scale < -100_000 {
            return d.clone();
        }
        return Decimal::new(&d.unscaled * pow10(d.scale.unsigned_abs()), 0);
    }
    // Below 0.1 in magnitude the result is zero; skip the (possibly enormous) divisor.
    if i64::from(d.scale) > d.unscaled.abs().to_string().len() as i64 {
        return Decimal::new(BigInt::zero(), 0);
    }
    let divisor = pow10(d.scale.unsigned_abs());
    let q = &d.unscaled / &divisor;
    let r = (&d.unscaled % &divisor).abs();
    let twice: BigInt = r * 2;
    let q = if twice >= divisor { if d.unscaled.is_negative() { q - 1 } else { q + 1 } } else { q };
    Decimal::new(q, 0)
}

/// The elements of a list or set argument.
fn elements(v: &Value) -> Option<&[Value]> {
    match v {
        Value::List(items) | Value::Set(items) => Some(items),
        _ => None,
    }
}

/// The element type of a list or set type.
fn element_type(ty: &CqlType) -> Option<&CqlType> {
    match ty.unfrozen() {
        CqlType::List(e) | CqlType::Set(e) => Some(e),
        _ => None,
    }
}

/// `collection_sum` / `collection_avg`: the elements added (and divided by the count)
/// with the element type's arithmetic; an empty collection gives zero.
fn collection_total(elem: &CqlType, items: &[Value], avg: bool) -> Option<Result<Value, Error>> {
    let nt = elem.native()?;
    let zero = match nt {
        NativeType::Tinyint => Value::Tinyint(0),
        NativeType::Smallint => Value::Smallint(0),
        NativeType::Int => Value::Int(0),
        NativeType::Bigint => Value::Bigint(0),
        NativeType::Counter => Value::Counter(0),
        NativeType::Varint => Value::Varint(BigInt::zero()),
        NativeType::Float => Value::Float(0.0),
        NativeType::Double => Value::Double(0.0),
        NativeType::Decimal => Value::Decimal(Decimal::new(BigInt::zero(), 0)),
        _ => return None,
    };
    let mut total = zero.clone();
    for item in items {
        total = match arithmetic(ArithOp::Add, nt, &total, nt, item) {
            Ok(v) => v,
            Err(e) => return Some(Err(e)),
        };
    }
    if avg {
        if items.is_empty() {
            return Some(Ok(zero));
        }
        let count = Value::Int(i32::try_from(items.len()).unwrap_or(i32::MAX));
        return Some(arithmetic(ArithOp::Div, nt, &total, NativeType::Int, &count).map(|v| {
            // Dividing by an int widens small types; the result keeps the element type.
            super::cast(&v, &CqlType::Native(v.native_type().unwrap_or(nt)), nt).unwrap_or(v)
        }));
    }
    Some(Ok(total))
}

/// The vector similarity functions (scores in [0, 1], computed in `float` like jvector).
fn similarity(name: &str, a: &[Value], b: &[Value]) -> Option<Result<Value, Error>> {
    let floats = |v: &[Value]| -> Option<Vec<f32>> {
        v.iter().map(|x| if let Value::Float(f) = x { Some(*f) } else { None }).collect()
    };
    let (a, b) = (floats(a)?, floats(b)?);
    if a.len() != b.len() {
        return None;
    }
    let dot: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
    Some(Ok(Value::Float(match name {
        "similaritycosine" => {
            let na: f32 = a.iter().map(|x| x * x).sum();
            let nb: f32 = b.iter().map(|x| x * x).sum();
            if na == 0.0 || nb == 0.0 {
                return Some(Err(Error::invalid(
                    "Function system.similarity_cosine doesn't support all-zero vectors",
                )));
            }
            let cosine = dot / ((f64::from(na) * f64::from(nb)).sqrt() as f32);
            (1.0 + cosine) / 2.0
        }
        "similarityeuclidean" => {
            let d: f32 = a.iter().zip(&b).map(|(x, y)| (x - y) * (x - y)).sum();
            1.0 / (1.0 + d)
        }
        _ => (1.0 + dot) / 2.0,
    })))
}

/// Runs the math, collection and vector functions of Cassandra 5.0; `name` is lower case
/// without underscores. `None` means "not one of these functions for these arguments".
pub(crate) fn call(
    name: &str,
    args: &[(CqlType, Option<Value>)],
) -> Option<Result<Option<Value>, Error>> {
    let some = |r: Option<Result<Value, Error>>| r.map(|r| r.map(Some));
    match (name, args) {
        ("abs" | "exp" | "log" | "log10" | "round", [(ty, v)]) => {
            ty.native()?;
            match v {
                None => Some(Ok(None)),
                Some(v) => some(math(name, v)),
            }
        }
        ("mapkeys" | "mapvalues", [(ty, v)]) => {
            let CqlType::Map(kt, _) = ty.unfrozen() else { return None };
            let Some(v) = v else { return Some(Ok(None)) };
            let Value::Map(entries) = v else { return None };
            Some(Ok(Some(if name == "mapkeys" {
                let mut keys: Vec<Value> = entries.iter().map(|(k, _)| k.clone()).collect();
                keys.sort_by(|a, b| compare(kt, a, b));
                Value::Set(keys)
            } else {
                Value::List(entries.iter().map(|(_, v)| v.clone()).collect())
            })))
        }
        ("collectioncount", [(ty, v)]) => {
            if !ty.is_collection() {
                return None;
            }
            let n = match v {
                None => return Some(Ok(None)),
                Some(Value::Map(entries)) => entries.len(),
                Some(other) => elements(other)?.len(),
            };
            Some(Ok(Some(Value::Int(i32::try_from(n).unwrap_or(i32::MAX)))))
        }
        ("collectionmin" | "collectionmax", [(ty, v)]) => {
            let elem = element_type(ty)?;
            let Some(v) = v else { return Some(Ok(None)) };
            let items = elements(v)?;
            let pick = items.iter().reduce(|best, x| {
                let c = compare(elem, x, best);
                if (name == "collectionmin" && c.is_lt()) || (name == "collectionmax" && c.is_gt())
                {
                    x
                } else {
                    best
                }
            });
            Some(Ok(pick.cloned()))
        }
        ("collectionsum" | "collectionavg", [(ty, v)]) => {
            let elem = element_type(ty)?;
            let Some(v) = v else { return Some(Ok(None)) };
            let items = elements(v)?;
            some(collection_total(elem, items, name == "collectionavg"))
        }
        ("similaritycosine" | "similarityeuclidean" | "similaritydotproduct", [(_, a), (_, b)]) => {
            match (a, b) {
                (Some(Value::Vector(a)), Some(Value::Vector(b))) => some(similarity(name, a, b)),
                (None, _) | (_, None) => Some(Ok(None)),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The result type of these functions for the given argument types.
pub(crate) fn result_type(name: &str, args: &[CqlType]) -> Option<CqlType> {
    match (name, args) {
        ("abs" | "exp" | "log" | "log10" | "round", [t]) => {
            let n = t.native()?;
            matches!(
                n,
                NativeType::Tinyint
                    | NativeType::Smallint
                    | NativeType::Int
                    | NativeType::Bigint
                    | NativeType::Counter
                    | NativeType::Varint
                    | NativeType::Float
                    | NativeType::Double
                    | NativeType::Decimal
            )
            .then(|| t.clone())
        }
        ("mapkeys", [t]) => match t.unfrozen() {
            CqlType::Map(k, _) => Some(CqlType::Set(k.clone())),
            _ => None,
        },
        ("mapvalues", [t]) => match t.unfrozen() {
            CqlType::Map(_, v) => Some(CqlType::List(v.clone())),
            _ => None,
        },
        ("collectioncount", [t]) => t.is_collection().then_some(CqlType::Native(NativeType::Int)),
        ("collectionmin" | "collectionmax" | "collectionsum" | "collectionavg", [t]) => {
            element_type(t).cloned()
        }
        ("similaritycosine" | "similarityeuclidean" | "similaritydotproduct", [a, b]) => {
            match (a.unfrozen(), b.unfrozen()) {
                (CqlType::Vector(x, n), CqlType::Vector(y, m))
                    if n == m
                        && x.native() == Some(NativeType::Float)
                        && y.native() == x.native() =>
                {
                    Some(CqlType::Native(NativeType::Float))
                }
                _ => None,
            }
        }
        _ => None,
    }
}
