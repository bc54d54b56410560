//! The native protocol (v4/v5) encoding of values, and Murmur3 partition tokens.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use num_bigint::BigInt;

use super::{CqlType, Decimal, NativeType, UdtType, Uuid, Value};
use crate::Error;

/// Encodes a value as the native protocol does (without the outer length).
pub fn serialize(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    write_value(v, &mut out);
    out
}

fn write_value(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Ascii(s) | Value::Text(s) => out.extend_from_slice(s.as_bytes()),
        Value::Boolean(b) => out.push(u8::from(*b)),
        Value::Tinyint(n) => out.extend_from_slice(&n.to_be_bytes()),
        Value::Smallint(n) => out.extend_from_slice(&n.to_be_bytes()),
        Value::Int(n) => out.extend_from_slice(&n.to_be_bytes()),
        Value::Bigint(n) | Value::Counter(n) | Value::Timestamp(n) | Value::Time(n) => {
            out.extend_from_slice(&n.to_be_bytes())
        }
        Value::Varint(n) => out.extend_from_slice(&n.to_signed_bytes_be()),
        Value::Float(f) => out.extend_from_slice(&f.to_be_bytes()),
        Value::Double(f) => out.extend_from_slice(&f.to_be_bytes()),
        Value::Decimal(d) => {
            out.extend_from_slice(&d.scale.to_be_bytes());
            out.extend_from_slice(&d.unscaled.to_signed_bytes_be());
        }
        Value::Uuid(u) | Value::Timeuuid(u) => out.extend_from_slice(&u.0),
        Value::Date(d) => out.extend_from_slice(&d.to_be_bytes()),
        Value::Duration { months, days, nanos } => {
            write_vint(i64::from(*months), out);
            write_vint(i64::from(*days), out);
            write_vint(*nanos, out);
        }
        Value::Blob(b) => out.extend_from_slice(b),
        Value::Inet(IpAddr::V4(a)) => out.extend_from_slice(&a.octets()),
        Value::Inet(IpAddr::V6(a)) => out.extend_from_slice(&a.octets()),
        Value::List(items) | Value::Set(items) => {
            write_len(items.len(), out);
            for item in items {
                // A null list element is written with length -1, as the protocol allows.
                write_cell((*item != Value::Null).then_some(item), out);
            }
        }
        Value::Null => {}
        Value::Map(entries) => {
            write_len(entries.len(), out);
            for (k, val) in entries {
                write_cell(Some(k), out);
                write_cell(Some(val), out);
            }
        }
        Value::Tuple(items) => {
            for item in items {
                write_cell(item.as_ref(), out);
            }
        }
        Value::Udt(fields) => {
            for (_, item) in fields {
                write_cell(item.as_ref(), out);
            }
        }
        Value::Vector(items) => {
            for item in items {
                let bytes = serialize(item);
                if fixed_length(item).is_none() {
                    write_unsigned_vint(bytes.len() as u64, out);
                }
                out.extend_from_slice(&bytes);
            }
        }
    }
}

/// The encoded size of a value whose type has a fixed size (what vectors store bare).
fn fixed_length(v: &Value) -> Option<usize> {
    match v {
        Value::Boolean(_) | Value::Tinyint(_) => Some(1),
        Value::Smallint(_) => Some(2),
        Value::Int(_) | Value::Float(_) | Value::Date(_) => Some(4),
        Value::Bigint(_)
        | Value::Counter(_)
        | Value::Double(_)
        | Value::Timestamp(_)
        | Value::Time(_) => Some(8),
        Value::Uuid(_) | Value::Timeuuid(_) => Some(16),
        _ => None,
    }
}

/// The fixed encoded size of a native type, if it has one.
fn native_fixed_length(ty: &CqlType) -> Option<usize> {
    use NativeType as N;
    match ty.native()? {
        N::Boolean | N::Tinyint => Some(1),
        N::Smallint => Some(2),
        N::Int | N::Float | N::Date => Some(4),
        N::Bigint | N::Counter | N::Double | N::Timestamp | N::Time => Some(8),
        N::Uuid | N::Timeuuid => Some(16),
        _ => None,
    }
}

fn write_len(n: usize, out: &mut Vec<u8>) {
    out.extend_from_slice(&(i32::try_from(n).unwrap_or(i32::MAX)).to_be_bytes());
}

fn write_cell(v: Option<&Value>, out: &mut Vec<u8>) {
    match v {
        None => out.extend_from_slice(&(-1i32).to_be_bytes()),
        Some(v) => {
            let bytes = serialize(v);
            write_len(bytes.len(), out);
            out.extend_from_slice(&bytes);
        }
    }
}

/// Cassandra's unsigned variable-length integer: the count of leading 1 bits in the
/// first byte is the number of extra bytes.
fn write_unsigned_vint(value: u64, out: &mut Vec<u8>) {
    let magnitude = (value | 1).leading_zeros() as usize;
    let size = (639 - magnitude * 9) >> 6;
    if size == 1 {
        out.push(value as u8);
        return;
    }
    let extra = size - 1;
    let bytes = value.to_be_bytes();
    let mut encoded = bytes.get(8 - size.min(8)..).unwrap_or_default().to_vec();
    if size == 9 {
        encoded.insert(0, 0xff);
    } else if let Some(first) = encoded.first_mut() {
        *first |= !(0xffu8 >> extra);
    }
    out.extend_from_slice(&encoded);
}

/// A signed vint: zig-zag, then unsigned.
fn write_vint(value: i64, out: &mut Vec<u8>) {
    write_unsigned_vint(((value << 1) ^ (value >> 63)) as u64, out);
}

/// Reads an unsigned vint, returning it and the bytes it took.
fn read_unsigned_vint(bytes: &[u8]) -> Option<(u64, usize)> {
    let first = *bytes.first()?;
    let extra = first.leading_ones() as usize;
    if extra == 0 {
        return Some((u64::from(first), 1));
    }
    let mut value: u64 = if extra >= 8 { 0 } else { u64::from(first & (0xff >> extra)) };
    for b in bytes.get(1..=extra)? {
        value = value << 8 | u64::from(*b);
    }
    Some((value, extra + 1))
}

fn read_vint(bytes: &[u8]) -> Option<(i64, usize)> {
    let (u, n) = read_unsigned_vint(bytes)?;
    Some((((u >> 1) as i64) ^ -((u & 1) as i64), n))
}

/// A reader over an encoded collection, tuple or UDT.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(s)
    }
    fn int(&mut self) -> Option<i32> {
        let b = self.take(4)?;
        Some(i32::from_be_bytes([*b.first()?, *b.get(1)?, *b.get(2)?, *b.get(3)?]))
    }
    /// A length-prefixed value; `Some(None)` is a null (negative length).
    fn cell(&mut self) -> Option<Option<&'a [u8]>> {
        let n = self.int()?;
        if n < 0 { Some(None) } else { self.take(n as usize).map(Some) }
    }
    fn done(&self) -> bool {
        self.pos >= self.bytes.len()
    }
}

fn marshal(msg: impl Into<String>) -> Error {
    Error::invalid(msg)
}

fn fixed<const N: usize>(bytes: &[u8], msg: impl FnOnce() -> String) -> Result<[u8; N], Error> {
    bytes.try_into().map_err(|_| marshal(msg()))
}

/// Decodes a value of type `ty` from its native protocol encoding, with Cassandra's
/// validation messages. Empty input for a type that has no empty value is an error.
pub fn deserialize(ty: &CqlType, bytes: &[u8]) -> Result<Value, Error> {
    match ty.unfrozen() {
        CqlType::Native(nt) => deserialize_native(*nt, bytes),
        CqlType::List(elem) | CqlType::Set(elem) => {
            let set = matches!(ty.unfrozen(), CqlType::Set(_));
            let kind = if set { "set" } else { "list" };
            let mut r = Reader { bytes, pos: 0 };
            let n = r.int().ok_or_else(|| marshal(format!("Not enough bytes to read a {kind}")))?;
            let mut items = Vec::new();
            for _ in 0..n.max(0) {
                let cell = r
                    .cell()
                    .ok_or_else(|| marshal(format!("Not enough bytes to read a {kind}")))?;
                let cell =
                    cell.ok_or_else(|| marshal("null is not supported inside collections"))?;
                items.push(deserialize(elem, cell)?);
            }
            if !r.done() {
                return Err(marshal(format!("Unexpected extraneous bytes after {kind} value")));
            }
            if set {
                items.sort_by(|a, b| super::compare(elem, a, b));
                items.dedup_by(|a, b| super::compare(elem, a, b).is_eq());
                Ok(Value::Set(items))
            } else {
                Ok(Value::List(items))
            }
        }
        CqlType::Map(kt, vt) => {
            let short = || marshal("Not enough bytes to read a map");
            let mut r = Reader { bytes, pos: 0 };
            let n = r.int().ok_or_else(short)?;
            let mut entries: Vec<(Value, Value)> = Vec::new();
            for _ in 0..n.max(0) {
                let k = r
                    .cell()
                    .ok_or_else(short)?
                    .ok_or_else(|| marshal("null is not supported inside collections"))?;
                let v = r
                    .cell()
                    .ok_or_else(short)?
                    .ok_or_else(|| marshal("null is not supported inside collections"))?;
                entries.push((deserialize(kt, k)?, deserialize(vt, v)?));
            }
            if !r.done() {
                return Err(marshal("Unexpected extraneous bytes after map value"));
            }
            entries.sort_by(|a, b| super::compare(kt, &a.0, &b.0));
            entries.dedup_by(|a, b| super::compare(kt, &a.0, &b.0).is_eq());
            Ok(Value::Map(entries))
        }
        CqlType::Tuple(types) => {
            let mut r = Reader { bytes, pos: 0 };
            let mut items = Vec::new();
            for t in types {
                if r.done() {
                    items.push(None);
                    continue;
                }
                let cell = r
                    .cell()
                    .ok_or_else(|| marshal("Not enough bytes to read a tuple component"))?;
                items.push(cell.map(|c| deserialize(t, c)).transpose()?);
            }
            if !r.done() {
                return Err(marshal("Expected fewer components in tuple"));
            }
            Ok(Value::Tuple(items))
        }
        CqlType::Udt(UdtType { fields, .. }) => {
            let mut r = Reader { bytes, pos: 0 };
            let mut out = Vec::new();
            for (name, t) in fields {
                if r.done() {
                    out.push((name.clone(), None));
                    continue;
                }
                let cell = r
                    .cell()
                    .ok_or_else(|| marshal("Not enough bytes to read a user type field"))?;
                out.push((name.clone(), cell.map(|c| deserialize(t, c)).transpose()?));
            }
            if !r.done() {
                return Err(marshal("Invalid remaining data after end of UDT value"));
            }
            Ok(Value::Udt(out))
        }
        CqlType::Vector(elem, dim) => {
            let mut items = Vec::with_capacity((*dim).min(bytes.len()));
            let mut pos = 0;
            let fixed = native_fixed_length(elem);
            for _ in 0..*dim {
                let rest = bytes.get(pos..).unwrap_or_default();
                let (len, skip) = match fixed {
                    Some(n) => (n, 0),
                    None => {
                        let (n, used) = read_unsigned_vint(rest)
                            .ok_or_else(|| marshal("Not enough bytes to read a vector"))?;
                        (usize::try_from(n).unwrap_or(usize::MAX), used)
                    }
                };
                let start = pos + skip;
                let item = bytes
                    .get(start..start.saturating_add(len))
                    .ok_or_else(|| marshal(format!("Expected {dim} elements in vector")))?;
                items.push(deserialize(elem, item)?);
                pos = start + len;
            }
            if pos != bytes.len() {
                return Err(marshal("Unexpected extraneous bytes after vector value"));
            }
            Ok(Value::Vector(items))
        }
        CqlType::Frozen(_) => Err(marshal("cannot deserialize a nested frozen type")),
    }
}

fn deserialize_native(nt: NativeType, b: &[u8]) -> Result<Value, Error> {
    use NativeType as N;
    let n = b.len();
    Ok(match nt {
        N::Ascii => {
            if let Some(bad) = b.iter().find(|c| !c.is_ascii()) {
                return Err(marshal(format!("Invalid byte for ascii: {}", *bad as i8)));
            }
            Value::Ascii(String::from_utf8_lossy(b).into_owned().into())
        }
        N::Text => Value::Text(
            String::from_utf8(b.to_vec()).map_err(|_| marshal("String didn't validate."))?.into(),
        ),
        N::Boolean => {
            let [x] = fixed::<1>(b, || format!("Expected 1 or 0 byte value ({n})"))?;
            Value::Boolean(x != 0)
        }
        N::Tinyint => Value::Tinyint(i8::from_be_bytes(fixed(b, || {
            format!("Expected 1 byte for a tinyint ({n})")
        })?)),
        N::Smallint => Value::Smallint(i16::from_be_bytes(fixed(b, || {
            format!("Expected 2 bytes for a smallint ({n})")
        })?)),
        N::Int => {
            Value::Int(i32::from_be_bytes(fixed(b, || format!("Expected 4 or 0 byte int ({n})"))?))
        }
        N::Bigint => Value::Bigint(i64::from_be_bytes(fixed(b, || {
            format!("Expected 8 or 0 byte long ({n})")
        })?)),
        N::Counter => Value::Counter(i64::from_be_bytes(fixed(b, || {
            format!("Expected 8 or 0 byte long ({n})")
        })?)),
        N::Varint => {
            if b.is_empty() {
                return Err(marshal("Expected at least 1 byte for a varint (0)"));
            }
            Value::Varint(BigInt::from_signed_bytes_be(b))
        }
        N::Float => Value::Float(f32::from_be_bytes(fixed(b, || {
            format!("Expected 4 or 0 byte value for a float ({n})")
        })?)),
        N::Double => Value::Double(f64::from_be_bytes(fixed(b, || {
            format!("Expected 8 or 0 byte value for a double ({n})")
        })?)),
        N::Decimal => {
            if n < 4 {
                return Err(marshal(format!("Expected 0 or at least 4 bytes ({n})")));
            }
            let (scale, rest) = b.split_at(4);
            let scale = i32::from_be_bytes(fixed(scale, String::new)?);
            Value::Decimal(Decimal {
                unscaled: Box::new(BigInt::from_signed_bytes_be(rest)),
                scale,
            })
        }
        N::Uuid => Value::Uuid(Uuid(fixed(b, || format!("UUID should be 16 or 0 bytes ({n})"))?)),
        N::Timeuuid => {
            let u = Uuid(fixed(b, || format!("UUID should be 16 or 0 bytes ({n})"))?);
            if u.version() != 1 {
                return Err(marshal("Unsupported UUID version (not 1)"));
            }
            Value::Timeuuid(u)
        }
        N::Timestamp => Value::Timestamp(i64::from_be_bytes(fixed(b, || {
            format!("Expected 8 or 0 byte long for date ({n})")
        })?)),
        N::Date => Value::Date(u32::from_be_bytes(fixed(b, || {
            format!("Expected 4 byte long for date ({n})")
        })?)),
        N::Time => {
            let t =
                i64::from_be_bytes(fixed(b, || format!("Expected 8 byte long for time ({n})"))?);
            if !(0..super::temporal::NANOS_PER_DAY).contains(&t) {
                return Err(marshal(format!("Time value out of range: {t}")));
            }
            Value::Time(t)
        }
        N::Duration => {
            let bad = || marshal("Unable to read a duration");
            let (months, a) = read_vint(b).ok_or_else(bad)?;
            let (days, c) = read_vint(b.get(a..).unwrap_or_default()).ok_or_else(bad)?;
            let (nanos, d) = read_vint(b.get(a + c..).unwrap_or_default()).ok_or_else(bad)?;
            if a + c + d != n {
                return Err(bad());
            }
            let months = i32::try_from(months).map_err(|_| bad())?;
            let days = i32::try_from(days).map_err(|_| bad())?;
            let signs = [i64::from(months).signum(), i64::from(days).signum(), nanos.signum()];
            if signs.contains(&1) && signs.contains(&-1) {
                return Err(marshal(
                    "The duration months, days and nanoseconds must be all of the same sign",
                ));
            }
            Value::Duration { months, days, nanos }
        }
        N::Blob => Value::Blob(b.to_vec()),
        N::Inet => match n {
            4 => Value::Inet(IpAddr::V4(Ipv4Addr::from(fixed::<4>(b, String::new)?))),
            16 => Value::Inet(IpAddr::V6(Ipv6Addr::from(fixed::<16>(b, String::new)?))),
            _ => return Err(marshal(format!("Expected 4 or 16 byte inetaddress; got {n} bytes"))),
        },
    })
}

/// The bytes a partition key hashes: a single component's encoding, or for several the
/// `CompositeType` layout (u16 length, bytes, a 0 byte, per component).
pub fn partition_key_bytes(values: &[&Value]) -> Vec<u8> {
    key_bytes(values.iter().copied())
}

/// [`partition_key_bytes`] of a key held as values rather than references.
pub fn partition_key_bytes_of(values: &[Value]) -> Vec<u8> {
    key_bytes(values.iter())
}

/// Calls `f` with the serialized partition key of `values`: the bytes
/// [`partition_key_bytes_of`] gives, borrowed or built on the stack for the commonest
/// one-column keys, so that looking a partition up allocates nothing.
pub fn with_partition_key_bytes<R>(values: &[Value], f: impl FnOnce(&[u8]) -> R) -> R {
    match values {
        [Value::Int(n)] => f(&n.to_be_bytes()),
        [Value::Bigint(n) | Value::Timestamp(n)] => f(&n.to_be_bytes()),
        [Value::Ascii(s) | Value::Text(s)] => f(s.as_bytes()),
        [Value::Blob(b)] => f(b),
        [Value::Uuid(u) | Value::Timeuuid(u)] => f(&u.0),
        _ => f(&partition_key_bytes_of(values)),
    }
}

fn key_bytes<'a>(values: impl ExactSizeIterator<Item = &'a Value>) -> Vec<u8> {
    let single = values.len() == 1;
    let mut out = Vec::new();
    for v in values {
        if single {
            return serialize(v);
        }
        let bytes = serialize(v);
        out.extend_from_slice(&u16::try_from(bytes.len()).unwrap_or(u16::MAX).to_be_bytes());
        out.extend_from_slice(&bytes);
        out.push(0);
    }
    out
}

/// The Murmur3Partitioner token of a partition key's bytes.
///
/// This is Cassandra's `MurmurHash.hash3_x64_128` (seed 0), including its quirk of
/// sign-extending the tail bytes, and `Long.MIN_VALUE` mapped to `Long.MAX_VALUE`.
pub fn token(partition_key_bytes: &[u8]) -> i64 {
    let h = murmur3_x64_128(partition_key_bytes, 0)[0] as i64;
    if h == i64::MIN { i64::MAX } else { h }
}

fn fmix(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^= k >> 33;
    k
}

fn murmur3_x64_128(key: &[u8], seed: u64) -> [u64; 2] {
    const C1: u64 = 0x87c3_7b91_1142_53d5;
    const C2: u64 = 0x4cf5_ad43_2745_937f;
    let mut h1 = seed;
    let mut h2 = seed;
    let mut blocks = key.chunks_exact(16);
    for block in &mut blocks {
        let word = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(block.get(i..i + 8).unwrap_or(&[0; 8]));
            u64::from_le_bytes(w)
        };
        let mut k1 = word(0);
        let mut k2 = word(8);
        k1 = k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2);
        h1 ^= k1;
        h1 = h1.rotate_left(27).wrapping_add(h2).wrapping_mul(5).wrapping_add(0x52dc_e729);
        k2 = k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1);
        h2 ^= k2;
        h2 = h2.rotate_left(31).wrapping_add(h1).wrapping_mul(5).wrapping_add(0x3849_5ab5);
    }
    let tail = blocks.remainder();
    // Cassandra reads tail bytes as signed Java bytes, so bytes >= 0x80 sign-extend.
    let byte = |i: usize| tail.get(i).map_or(0, |b| *b as i8 as i64 as u64);
    let mut k1: u64 = 0;
    let mut k2: u64 = 0;
    let len = tail.len();
    for i in (8..len).rev() {
        k2 ^= byte(i) << ((i - 8) * 8);
    }
    if len > 8 {
        k2 = k2.wrapping_mul(C2).rotate_left(33).wrapping_mul(C1);
        h2 ^= k2;
    }
    for i in (0..len.min(8)).rev() {
        k1 ^= byte(i) << (i * 8);
    }
    if len > 0 {
        k1 = k1.wrapping_mul(C1).rotate_left(31).wrapping_mul(C2);
        h1 ^= k1;
    }
    let total = key.len() as u64;
    h1 ^= total;
    h2 ^= total;
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 = h1.wrapping_add(h2);
    h2 = h2.wrapping_add(h1);
    [h1, h2]
}
