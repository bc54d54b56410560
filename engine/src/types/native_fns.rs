//! Cassandra 5.0's math, collection, masking and vector similarity functions.

use num_bigint::BigInt;
use num_traits::{Signed, Zero};

use super::decimal::pow10;
use super::functions::{ArithOp, arithmetic};
use std::net::{IpAddr, Ipv4Addr};

use super::{CqlType, Decimal, NativeType, Uuid, Value, compare};
use crate::Error;

/// Java's `Math.round(double)`: half up (toward positive infinity), NaN to 0, saturating.
fn java_round(x: f64) -> i64 {
    let f = x.floor();
    // `x - floor(x)` is exact, so no double rounding creeps in at .49999...
    let r = if x - f >= 0.5 { f + 1.0 } else { f };
    r as i64
}

/// Digits carried by the fixed-point computations of [`big_math`], well past the 32
/// significant digits kept, so the rounding of the result is exact in practice.
const WORK_DIGITS: u32 = 64;
/// The largest |x| whose `exp` is computed exactly; beyond it the result would have
/// tens of thousands of digits.
const MAX_EXP_ARG: i64 = 10_000;

/// `x` as a fixed-point integer with [`WORK_DIGITS`] decimals (truncated), or `None`
/// for a magnitude beyond what the functions compute (over 10^10000).
fn to_fixed(d: &Decimal) -> Option<BigInt> {
    let shift = i64::from(WORK_DIGITS) - i64::from(d.scale);
    if shift > 10_000 {
        return None;
    }
    if shift >= 0 {
        return Some(&*d.unscaled * pow10(u32::try_from(shift).ok()?));
    }
    // A value far below the working precision is zero there.
    let digits = i64::try_from(d.unscaled.to_string().len()).unwrap_or(i64::MAX);
    if -shift > digits {
        return Some(BigInt::zero());
    }
    Some(&*d.unscaled / pow10(u32::try_from(-shift).ok()?))
}

/// `exp(x)` for |x| < 1 in fixed point, by its Taylor series.
fn exp_small(x: &BigInt, one: &BigInt) -> BigInt {
    let mut sum = one.clone();
    let mut term = one.clone();
    let mut n = 1u32;
    while !term.is_zero() {
        term = &term * x / one / BigInt::from(n);
        sum += &term;
        n += 1;
    }
    sum
}

/// `ln(y)` for y in [0.5, 2] in fixed point: `2 atanh((y - 1) / (y + 1))`.
fn ln_near_one(y: &BigInt, one: &BigInt) -> BigInt {
    let z = (y - one) * one / (y + one);
    let z2 = &z * &z / one;
    let mut sum = BigInt::zero();
    let mut power = z;
    let mut k = 1u32;
    while !power.is_zero() {
        sum += &power / BigInt::from(k);
        power = &power * &z2 / one;
        k += 2;
    }
    sum * 2
}

/// `ln(x)` for x > 0 in fixed point: halved or doubled into [0.5, 2] first.
fn ln_fixed(x: &BigInt, one: &BigInt) -> BigInt {
    let two = BigInt::from(2);
    let (mut y, mut k) = (x.clone(), 0i64);
    let half = one / &two;
    while y > one * &two {
        y /= &two;
        k += 1;
    }
    while y < half {
        y *= &two;
        k -= 1;
    }
    let ln2 = ln_near_one(&(one * &two), one);
    ln_near_one(&y, one) + ln2 * BigInt::from(k)
}

/// `exp`, `log` and `log10` of a decimal, to 32 significant digits as Cassandra's
/// decimal functions give them; `None` where the function is undefined (a logarithm
/// of zero or less) or the result too large to compute.
fn big_math(name: &str, d: &Decimal) -> Option<Decimal> {
    let one = pow10(WORK_DIGITS);
    let x = to_fixed(d)?;
    let fixed = match name {
        "exp" => {
            if x.abs() > BigInt::from(MAX_EXP_ARG) * &one {
                return None;
            }
            // exp(x) = exp(x / 2^m)^(2^m), with x / 2^m below one half.
            let mut m = 0u32;
            let mut r = x.abs();
            while r > &one / 2 {
                r /= 2;
                m += 1;
            }
            // Squaring m times loses about m bits: carry that many more digits.
            let extra = pow10(m / 3 + 2);
            let wide_one = &one * &extra;
            let mut e = exp_small(&(r * &extra), &wide_one);
            for _ in 0..m {
                e = &e * &e / &wide_one;
            }
            if x.is_negative() {
                e = &wide_one * &wide_one / e;
            }
            return Some(
                Decimal::new(e, i32::try_from(WORK_DIGITS).ok()? + (m / 3 + 2) as i32).round_to(32),
            );
        }
        _ if !x.is_positive() => return None,
        "log" => ln_fixed(&x, &one),
        _ => ln_fixed(&x, &one) * &one / ln_fixed(&(&one * 10), &one),
    };
    Some(Decimal::new(fixed, i32::try_from(WORK_DIGITS).ok()?).round_to(32))
}

/// `abs`, `exp`, `log`, `log10` and `round` over one numeric value, computed as each
/// Cassandra number type does (integers through `double` and back, with Java's
/// saturating casts; varints and decimals exactly, to 32 significant digits).
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
        (_, Value::Decimal(d)) if transcendental => Value::Decimal(big_math(name, d)?),
        (_, Value::Varint(n)) if transcendental => {
            let r = big_math(name, &Decimal::new(n.clone(), 0))?;
            // toBigInteger: the fraction is dropped.
            let shift = u32::try_from(r.scale.max(0)).unwrap_or(0);
            let int = if r.scale >= 0 {
                &*r.unscaled / pow10(shift)
            } else {
                &*r.unscaled * pow10(r.scale.unsigned_abs())
            };
            Value::Varint(int)
        }
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
        return Decimal::new(&*d.unscaled * pow10(d.scale.unsigned_abs()), 0);
    }
    // Below 0.1 in magnitude the result is zero; skip the (possibly enormous) divisor.
    if i64::from(d.scale) > d.unscaled.abs().to_string().len() as i64 {
        return Decimal::new(BigInt::zero(), 0);
    }
    let divisor = pow10(d.scale.unsigned_abs());
    let q = &*d.unscaled / &divisor;
    let r = (&*d.unscaled % &divisor).abs();
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

/// `mask_default`'s value of a type (each type's fixed masked value in Cassandra):
/// `****` for text, zero for numbers, `false`, the epoch for times and dates, the zero
/// address and UUID, an empty blob or collection, and element by element for tuples,
/// UDTs and vectors.
fn masked_default(ty: &CqlType) -> Option<Value> {
    use NativeType as N;
    Some(match ty.unfrozen() {
        CqlType::List(_) => Value::List(Vec::new()),
        CqlType::Set(_) => Value::Set(Vec::new()),
        CqlType::Map(..) => Value::Map(Vec::new()),
        CqlType::Tuple(items) => {
            Value::Tuple(items.iter().map(|t| masked_default(t).map(Some)).collect::<Option<_>>()?)
        }
        CqlType::Udt(u) => Value::Udt(
            u.fields
                .iter()
                .map(|(f, t)| masked_default(t).map(|v| (f.clone(), Some(v))))
                .collect::<Option<_>>()?,
        ),
        CqlType::Vector(e, n) => Value::Vector(vec![masked_default(e)?; *n]),
        other => match other.native()? {
            N::Text => Value::Text("****".into()),
            N::Ascii => Value::Ascii("****".into()),
            N::Boolean => Value::Boolean(false),
            N::Tinyint => Value::Tinyint(0),
            N::Smallint => Value::Smallint(0),
            N::Int => Value::Int(0),
            N::Bigint => Value::Bigint(0),
            N::Counter => Value::Counter(0),
            N::Varint => Value::Varint(BigInt::zero()),
            N::Float => Value::Float(0.0),
            N::Double => Value::Double(0.0),
            N::Decimal => Value::Decimal(Decimal::new(BigInt::zero(), 0)),
            N::Timestamp => Value::Timestamp(0),
            N::Date => Value::Date(1 << 31),
            N::Time => Value::Time(0),
            N::Duration => Value::Duration { months: 0, days: 0, nanos: 0 },
            N::Uuid => Value::Uuid(Uuid([0; 16])),
            N::Timeuuid => Value::Timeuuid(Uuid::min_timeuuid(0)),
            N::Inet => Value::Inet(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
            N::Blob => Value::Blob(Vec::new()),
        },
    })
}

/// `mask_hash`: the digest of the value's serialized bytes, by one of the names (and
/// aliases) Java's `MessageDigest` knows for MD5, SHA-1 and SHA-2, in any case;
/// SHA-256 by default.
fn mask_hash(value: &Value, algorithm: Option<&str>) -> Result<Value, Error> {
    use sha2::Digest;
    let bytes = super::serialize(value);
    let name = algorithm.unwrap_or("SHA-256");
    let digest = match name.to_ascii_uppercase().as_str() {
        "MD5" => md5::Md5::digest(&bytes).to_vec(),
        "SHA-1" | "SHA1" | "SHA" => sha1::Sha1::digest(&bytes).to_vec(),
        "SHA-224" | "SHA224" => sha2::Sha224::digest(&bytes).to_vec(),
        "SHA-256" | "SHA256" => sha2::Sha256::digest(&bytes).to_vec(),
        "SHA-384" | "SHA384" => sha2::Sha384::digest(&bytes).to_vec(),
        "SHA-512" | "SHA512" => sha2::Sha512::digest(&bytes).to_vec(),
        "SHA-512/224" | "SHA512/224" => sha2::Sha512_224::digest(&bytes).to_vec(),
        "SHA-512/256" | "SHA512/256" => sha2::Sha512_256::digest(&bytes).to_vec(),
        _ => return Err(Error::invalid(format!("Hash algorithm not found: {name}"))),
    };
    Ok(Value::Blob(digest))
}

/// `mask_inner` / `mask_outer`: pads every character inside (or outside) the first
/// `begin` and last `end` characters.
fn mask_partial(
    name: &str,
    value: &str,
    begin: i32,
    end: i32,
    padding: Option<&str>,
) -> Result<String, Error> {
    let pad = match padding {
        None => '*',
        Some(p) => {
            let mut chars = p.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => c,
                _ => {
                    let shown = if name == "maskinner" { "mask_inner" } else { "mask_outer" };
                    return Err(Error::invalid(format!(
                        "The padding argument for function system.{shown} should be \
                         single-character, but '{p}' has {} characters.",
                        p.chars().count()
                    )));
                }
            }
        }
    };
    let size = i64::try_from(value.chars().count()).unwrap_or(i64::MAX);
    let last = size - 1 - i64::from(end);
    let begin = i64::from(begin);
    Ok(value
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let i = i64::try_from(i).unwrap_or(i64::MAX);
            let inside = i >= begin && i <= last;
            if inside == (name == "maskinner") { pad } else { c }
        })
        .collect())
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
        ("maskhash", [(_, v), rest @ ..]) if rest.len() <= 1 => {
            let algorithm = match rest.first() {
                Some((_, Some(Value::Text(a) | Value::Ascii(a)))) => Some(a.as_str()),
                _ => None,
            };
            match v {
                None => Some(Ok(None)),
                Some(v) => Some(mask_hash(v, algorithm).map(Some)),
            }
        }
        ("masknull", [_]) => Some(Ok(None)),
        ("maskdefault", [(ty, _)]) => masked_default(ty).map(|v| Ok(Some(v))),
        ("maskreplace", [_, (_, r)]) => Some(Ok(r.clone())),
        ("maskinner" | "maskouter", [(_, v), (_, b), (_, e), rest @ ..]) if rest.len() <= 1 => {
            let int = |x: &Option<Value>| if let Some(Value::Int(n)) = x { *n } else { 0 };
            let padding = match rest.first() {
                Some((_, Some(Value::Text(p) | Value::Ascii(p)))) => Some(p.as_str()),
                _ => None,
            };
            match v {
                None => Some(Ok(None)),
                Some(Value::Text(s)) => Some(
                    mask_partial(name, s, int(b), int(e), padding)
                        .map(|m| Some(Value::Text(m.into()))),
                ),
                Some(Value::Ascii(s)) => Some(
                    mask_partial(name, s, int(b), int(e), padding)
                        .map(|m| Some(Value::Ascii(m.into()))),
                ),
                Some(_) => None,
            }
        }
        _ => None,
    }
}

/// The result type of these functions for the given argument types.
pub(crate) fn result_type(name: &str, args: &[CqlType]) -> Option<CqlType> {
    match (name, args) {
        ("abs" | "exp" | "log" | "log10" | "round", [t]) => {
            super::functions::is_numeric_type(t).then(|| t.clone())
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
        ("collectionmin" | "collectionmax", [t]) => element_type(t).cloned(),
        ("collectionsum" | "collectionavg", [t]) => {
            element_type(t).filter(|e| super::functions::is_numeric_type(e)).cloned()
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
        ("maskhash", [_, rest @ ..]) => (rest.len() <= 1
            && rest.iter().all(|a| a.native() == Some(NativeType::Text)))
        .then_some(CqlType::Native(NativeType::Blob)),
        ("masknull", [t]) => Some(t.clone()),
        ("maskdefault", [t]) => masked_default(t).map(|_| t.clone()),
        ("maskreplace", [t, r]) if t.unfrozen() == r.unfrozen() => Some(t.clone()),
        ("maskinner" | "maskouter", [t, b, e, rest @ ..]) => {
            let int = Some(NativeType::Int);
            let text =
                |x: &CqlType| matches!(x.native(), Some(NativeType::Text | NativeType::Ascii));
            (text(t)
                && b.native() == int
                && e.native() == int
                && rest.len() <= 1
                && rest.iter().all(|p| p.native() == Some(NativeType::Text)))
            .then(|| t.clone())
        }
        _ => None,
    }
}

/// One parameter of the functions Cassandra builds per call (`FunctionFactory`), as its
/// messages name it.
#[derive(Clone, Copy)]
enum Param {
    Any,
    Map,
    Collection,
    SetOrList,
    NumericSetOrList,
    Text,
    Int,
    OptionalText,
}

impl Param {
    fn shown(self) -> &'static str {
        match self {
            Param::Any => "any",
            Param::Map => "map",
            Param::Collection => "collection",
            // Cassandra names the plain set-or-list parameter like the numeric one.
            Param::SetOrList | Param::NumericSetOrList => "numeric_set_or_list",
            Param::Text => "[text|varchar|ascii]",
            Param::Int => "int",
            Param::OptionalText => "[text]",
        }
    }

    /// Cassandra's complaint about an argument of type `ty`, if the parameter refuses it.
    fn refusal(self, display: &str, arg: &str, ty: &CqlType) -> Option<String> {
        let numeric = super::functions::is_numeric_type;
        let (ok, wanted) = match self {
            Param::Any => (true, ""),
            Param::Map => (matches!(ty.unfrozen(), CqlType::Map(..)), "a map argument"),
            Param::Collection => (ty.is_collection(), "a collection argument"),
            Param::SetOrList => (element_type(ty).is_some(), "a set or list argument"),
            Param::NumericSetOrList => {
                (element_type(ty).is_some_and(numeric), "a numeric set/list argument")
            }
            Param::Text | Param::OptionalText => (
                matches!(ty.native(), Some(NativeType::Text | NativeType::Ascii))
                    && (matches!(self, Param::Text) || ty.native() == Some(NativeType::Text)),
                "",
            ),
            Param::Int => (ty.native() == Some(NativeType::Int), ""),
        };
        if ok {
            return None;
        }
        Some(if wanted.is_empty() {
            let name = if matches!(self, Param::OptionalText) { "text" } else { self.shown() };
            format!(
                "Function {display} requires an argument of type {name}, but found argument {arg} of type {ty}"
            )
        } else {
            format!("Function {display} requires {wanted}, but found argument {arg} of type {ty}")
        })
    }
}

/// The parameters of the functions Cassandra 5.0 builds per call; `None` for the others.
fn factory_params(name: &str) -> Option<&'static [Param]> {
    Some(match name {
        "mapkeys" | "mapvalues" => &[Param::Map],
        "collectioncount" => &[Param::Collection],
        "collectionmin" | "collectionmax" => &[Param::SetOrList],
        "collectionsum" | "collectionavg" => &[Param::NumericSetOrList],
        "masknull" | "maskdefault" => &[Param::Any],
        "maskhash" => &[Param::Any, Param::OptionalText],
        "maskreplace" => &[Param::Any, Param::Any],
        "maskinner" | "maskouter" => &[Param::Text, Param::Int, Param::Int, Param::OptionalText],
        _ => return None,
    })
}

/// Cassandra's error for a call of a per-call-built function whose arguments (text and
/// type each) it refuses: a wrong count, then the first refused argument.
pub(crate) fn factory_error(
    name: &str,
    display: &str,
    args: &[(String, CqlType)],
) -> Option<String> {
    if name.starts_with("similarity") {
        let mut dims = Vec::new();
        for (text, ty) in args {
            match ty.unfrozen() {
                CqlType::Vector(e, n) if e.native() == Some(NativeType::Float) => dims.push(*n),
                _ => {
                    return Some(format!(
                        "Function {display} requires a float vector argument, but found argument {text} of type {ty}"
                    ));
                }
            }
        }
        if dims.windows(2).any(|w| w.first() != w.last()) {
            return Some("All arguments must have the same vector dimensions".to_string());
        }
    }
    let params = factory_params(name)?;
    let required = params.iter().filter(|p| !matches!(p, Param::OptionalText)).count();
    if args.len() < required || args.len() > params.len() {
        let shown: Vec<&str> = params.iter().map(|p| p.shown()).collect();
        return Some(format!(
            "Invalid number of arguments for function {display}({})",
            shown.join(", ")
        ));
    }
    params.iter().zip(args).find_map(|(p, (text, ty))| p.refusal(display, text, ty))
}
