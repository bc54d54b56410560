//! Cassandra's comparators: clustering order, set and map order, `min` and `max`.

use std::cmp::Ordering;

use super::uuid::{compare_timeuuid, compare_uuid};
use super::{CqlType, NativeType, Value};

/// Java's `Double.compare`: `-0.0 < 0.0` and every NaN equal to each other and above
/// everything else.
pub(crate) fn java_double_cmp(a: f64, b: f64) -> Ordering {
    match (a.is_nan(), b.is_nan()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Greater,
        (false, true) => Ordering::Less,
        (false, false) => a.total_cmp(&b),
    }
}

/// Compares two values of type `ty` with Cassandra's comparator for that type.
///
/// Values that do not match the type (which the engine never produces) still get a
/// consistent order, so a sort never panics.
#[inline]
pub fn compare(ty: &CqlType, a: &Value, b: &Value) -> Ordering {
    // The commonest keys order the same whatever type holds them: answer those at once,
    // in the caller (a binary search over rows makes many such comparisons).
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Bigint(x), Value::Bigint(y)) => x.cmp(y),
        (Value::Text(x), Value::Text(y)) => x.as_bytes().cmp(y.as_bytes()),
        _ => compare_typed(ty, a, b),
    }
}

fn compare_typed(ty: &CqlType, a: &Value, b: &Value) -> Ordering {
    match ty.unfrozen() {
        CqlType::Native(nt) => compare_native(*nt, a, b),
        CqlType::List(elem) | CqlType::Set(elem) | CqlType::Vector(elem, _) => {
            match (elements(a), elements(b)) {
                (Some(x), Some(y)) => compare_seq(elem, x, y),
                _ => fallback(a, b),
            }
        }
        CqlType::Map(kt, vt) => match (a, b) {
            (Value::Map(x), Value::Map(y)) => {
                for ((ka, va), (kb, vb)) in x.iter().zip(y) {
                    let c = compare(kt, ka, kb).then_with(|| compare(vt, va, vb));
                    if c != Ordering::Equal {
                        return c;
                    }
                }
                x.len().cmp(&y.len())
            }
            _ => fallback(a, b),
        },
        CqlType::Tuple(types) => match (a, b) {
            (Value::Tuple(x), Value::Tuple(y)) => compare_fields(types.iter(), x.iter(), y.iter()),
            _ => fallback(a, b),
        },
        CqlType::Udt(udt) => match (a, b) {
            (Value::Udt(x), Value::Udt(y)) => compare_fields(
                udt.fields.iter().map(|(_, t)| t),
                x.iter().map(|(_, v)| v),
                y.iter().map(|(_, v)| v),
            ),
            _ => fallback(a, b),
        },
        CqlType::Frozen(_) => fallback(a, b),
    }
}

fn elements(v: &Value) -> Option<&[Value]> {
    match v {
        Value::List(x) | Value::Set(x) | Value::Vector(x) => Some(x),
        _ => None,
    }
}

fn compare_seq(elem: &CqlType, x: &[Value], y: &[Value]) -> Ordering {
    for (ea, eb) in x.iter().zip(y) {
        let c = compare(elem, ea, eb);
        if c != Ordering::Equal {
            return c;
        }
    }
    x.len().cmp(&y.len())
}

/// Tuples and UDTs: component by component, a null component before any value. A
/// missing trailing component (a value written before its type gained a field) counts
/// as null, so it equals the same value with that field set to null, as in Cassandra.
fn compare_fields<'a>(
    types: impl Iterator<Item = &'a CqlType>,
    mut x: impl Iterator<Item = &'a Option<Value>>,
    mut y: impl Iterator<Item = &'a Option<Value>>,
) -> Ordering {
    for t in types {
        let c = match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (va, vb) => match (va.and_then(Option::as_ref), vb.and_then(Option::as_ref)) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(va), Some(vb)) => compare(t, va, vb),
            },
        };
        if c != Ordering::Equal {
            return c;
        }
    }
    // Components beyond the type's (which the engine never writes) still order.
    x.count().cmp(&y.count())
}

fn compare_native(nt: NativeType, a: &Value, b: &Value) -> Ordering {
    use Value as V;
    match (a, b) {
        (V::Ascii(x) | V::Text(x), V::Ascii(y) | V::Text(y)) => x.as_bytes().cmp(y.as_bytes()),
        (V::Boolean(x), V::Boolean(y)) => x.cmp(y),
        (V::Tinyint(x), V::Tinyint(y)) => x.cmp(y),
        (V::Smallint(x), V::Smallint(y)) => x.cmp(y),
        (V::Int(x), V::Int(y)) => x.cmp(y),
        (V::Bigint(x) | V::Counter(x), V::Bigint(y) | V::Counter(y)) => x.cmp(y),
        (V::Varint(x), V::Varint(y)) => x.cmp(y),
        (V::Float(x), V::Float(y)) => java_double_cmp(f64::from(*x), f64::from(*y)),
        (V::Double(x), V::Double(y)) => java_double_cmp(*x, *y),
        (V::Decimal(x), V::Decimal(y)) => x.cmp_value(y),
        (V::Uuid(x) | V::Timeuuid(x), V::Uuid(y) | V::Timeuuid(y)) => {
            if nt == NativeType::Timeuuid { compare_timeuuid(x, y) } else { compare_uuid(x, y) }
        }
        (V::Timestamp(x), V::Timestamp(y)) => x.cmp(y),
        (V::Date(x), V::Date(y)) => x.cmp(y),
        (V::Time(x), V::Time(y)) => x.cmp(y),
        (
            V::Duration { months: m1, days: d1, nanos: n1 },
            V::Duration { months: m2, days: d2, nanos: n2 },
        ) => (m1, d1, n1).cmp(&(m2, d2, n2)),
        (V::Blob(x), V::Blob(y)) => x.cmp(y),
        (V::Inet(x), V::Inet(y)) => inet_bytes(x).cmp(&inet_bytes(y)),
        _ => fallback(a, b),
    }
}

/// The address bytes an `inet` serializes to, which is what it sorts by.
pub(crate) fn inet_bytes(ip: &std::net::IpAddr) -> Vec<u8> {
    match ip {
        std::net::IpAddr::V4(v4) => v4.octets().to_vec(),
        std::net::IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}

/// An arbitrary but consistent order for values of mismatched kinds: by their encoding.
fn fallback(a: &Value, b: &Value) -> Ordering {
    super::codec::serialize(a).cmp(&super::codec::serialize(b))
}
