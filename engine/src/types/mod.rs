//! The CQL type system and values: what every other part of the engine rests on.
//!
//! Cassandra's documentation and its `db.marshal`, `serializers`, `cql3.Constants` and
//! `cql3.functions` code are the specification: results, text forms and messages are
//! meant to be Cassandra's own.
//!
//! # Types and values
//! - [`CqlType`] / [`NativeType`] / [`UdtType`] describe types; `Display` prints them as
//!   Cassandra does in messages and in `system_schema` (`frozen<list<text>>`).
//! - [`Value`] is one non-null value (null is `Option<Value>::None`); sets and maps are
//!   kept sorted by [`compare`]. [`Decimal`] and [`Uuid`] are small value types of their own.
//! - [`maybe_quote`] and [`is_reserved_keyword`]: identifiers as Cassandra prints them.
//!
//! # Conversions
//! - [`constant_to_value`] / [`constant_to_value_at`]: a [`Constant`] literal for a
//!   receiver, with Cassandra's assignment rules and `MarshalException` messages.
//! - [`fmt_cql`] (re-parsable literal), [`fmt_display`] (cqlsh's table text) and
//!   [`fmt_string`] (Cassandra's `toString`, what `CAST(x AS text)` gives).
//! - [`serialize`] / [`deserialize`]: the native protocol v4/v5 encoding.
//! - [`partition_key_bytes`] and [`token`]: the Murmur3Partitioner token of a key.
//! - [`to_json`], [`json_row`], [`from_json`], [`from_json_object`], [`parse_json`]
//!   (with [`json_key`] and [`json_quote`]): `toJson()`, `SELECT JSON`, `fromJson()` and
//!   `INSERT JSON`.
//! - [`cast`] / [`can_cast`]: `CAST(x AS type)`.
//!
//! # Function kernels
//! - [`call_scalar`] runs the native scalar functions (`now`, `currentTimestamp`,
//!   `toDate`, `minTimeuuid`, `uuid`, `intAsBlob`, `blobAsInt`, 5.0's `abs`/`round`/...,
//!   `map_keys`/`collection_sum`/... and `similarity_cosine`/...; [`scalar_result_type`]
//!   gives their result types) with a
//!   [`FunctionContext`] that carries the statement's time, a [`TimeuuidGenerator`] and a
//!   [`SeededRng`]: the engine never reads a clock or OS randomness.
//! - [`arithmetic`], [`arithmetic_result_type`] and [`negate`]: operators with
//!   Cassandra's result types and Java's overflow behaviour.
//! - [`blob_as`], [`timestamp_to_date`] and [`date_to_timestamp`]: the conversions the
//!   blob and time functions share with casts.
//! - [`Accumulator`]: `count`, `min`, `max`, `sum` and `avg`.
//! - [`Value::heap_size`]: approximate sizes for memory limits.

mod cast;
mod codec;
mod compare;
mod decimal;
mod format;
mod functions;
mod json;
mod literal;
mod native_fns;
mod temporal;
mod uuid;

use compact_str::CompactString;

pub use cast::{can_cast, cast};
pub use codec::{
    deserialize, partition_key_bytes, partition_key_bytes_of, serialize, token,
    with_partition_key_bytes,
};
pub use compare::compare;
pub use format::{fmt_cql, fmt_display, fmt_string};
pub(crate) use functions::is_numeric_type;
pub use functions::{
    Accumulator, AggregateKind, ArithOp, FunctionContext, arithmetic, arithmetic_result_type,
    blob_as, call_pure, call_scalar, date_to_timestamp, is_native_scalar, negate,
    scalar_call_error, scalar_result_type, timestamp_to_date,
};
pub use json::{from_json, from_json_object, json_key, json_quote, json_row, parse_json, to_json};
pub use literal::{
    Constant, constant_to_value, constant_to_value_at, is_reserved_keyword,
    is_reserved_keyword_any_case,
};
pub use uuid::{SeededRng, TimeuuidGenerator};

use std::fmt;

use num_bigint::BigInt;

/// A CQL native (non-collection) type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NativeType {
    /// US-ASCII text.
    Ascii,
    /// 64-bit signed integer.
    Bigint,
    /// Arbitrary bytes.
    Blob,
    /// `true` or `false`.
    Boolean,
    /// A 64-bit counter column.
    Counter,
    /// A date without time, stored as days with 2^31 at the epoch.
    Date,
    /// Arbitrary-precision decimal.
    Decimal,
    /// 64-bit IEEE-754 float.
    Double,
    /// Months, days and nanoseconds.
    Duration,
    /// 32-bit IEEE-754 float.
    Float,
    /// An IPv4 or IPv6 address.
    Inet,
    /// 32-bit signed integer.
    Int,
    /// 16-bit signed integer.
    Smallint,
    /// UTF-8 text (`varchar` is an alias).
    Text,
    /// Nanoseconds since midnight.
    Time,
    /// Milliseconds since the Unix epoch.
    Timestamp,
    /// A version 1 UUID.
    Timeuuid,
    /// 8-bit signed integer.
    Tinyint,
    /// Any UUID.
    Uuid,
    /// Arbitrary-precision integer.
    Varint,
}

impl NativeType {
    /// Every native type, in alphabetical order.
    pub const ALL: [NativeType; 20] = [
        NativeType::Ascii,
        NativeType::Bigint,
        NativeType::Blob,
        NativeType::Boolean,
        NativeType::Counter,
        NativeType::Date,
        NativeType::Decimal,
        NativeType::Double,
        NativeType::Duration,
        NativeType::Float,
        NativeType::Inet,
        NativeType::Int,
        NativeType::Smallint,
        NativeType::Text,
        NativeType::Time,
        NativeType::Timestamp,
        NativeType::Timeuuid,
        NativeType::Tinyint,
        NativeType::Uuid,
        NativeType::Varint,
    ];

    /// The type a CQL type name denotes, case-insensitively; `varchar` is `text`.
    pub fn from_name(name: &str) -> Option<NativeType> {
        let lower = name.to_ascii_lowercase();
        if lower == "varchar" {
            return Some(NativeType::Text);
        }
        NativeType::ALL.into_iter().find(|t| t.name() == lower)
    }

    /// The type's CQL name, lower case.
    pub fn name(self) -> &'static str {
        match self {
            NativeType::Ascii => "ascii",
            NativeType::Bigint => "bigint",
            NativeType::Blob => "blob",
            NativeType::Boolean => "boolean",
            NativeType::Counter => "counter",
            NativeType::Date => "date",
            NativeType::Decimal => "decimal",
            NativeType::Double => "double",
            NativeType::Duration => "duration",
            NativeType::Float => "float",
            NativeType::Inet => "inet",
            NativeType::Int => "int",
            NativeType::Smallint => "smallint",
            NativeType::Text => "text",
            NativeType::Time => "time",
            NativeType::Timestamp => "timestamp",
            NativeType::Timeuuid => "timeuuid",
            NativeType::Tinyint => "tinyint",
            NativeType::Uuid => "uuid",
            NativeType::Varint => "varint",
        }
    }
}

impl fmt::Display for NativeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A user-defined type: its keyspace, name and fields in declaration order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UdtType {
    /// The keyspace the type is defined in.
    pub keyspace: String,
    /// The type's name (case as stored, unquoted).
    pub name: String,
    /// The fields, in declaration order.
    pub fields: Vec<(String, CqlType)>,
}

/// A CQL type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CqlType {
    /// A native type.
    Native(NativeType),
    /// `list<T>`.
    List(Box<CqlType>),
    /// `set<T>`.
    Set(Box<CqlType>),
    /// `map<K, V>`.
    Map(Box<CqlType>, Box<CqlType>),
    /// `tuple<T1, T2, ...>`.
    Tuple(Vec<CqlType>),
    /// A user-defined type.
    Udt(UdtType),
    /// `frozen<T>`: the value is one immutable cell.
    Frozen(Box<CqlType>),
    /// `vector<T, n>`.
    Vector(Box<CqlType>, usize),
}

impl CqlType {
    /// The type without any `frozen<>` wrappers.
    pub fn unfrozen(&self) -> &CqlType {
        match self {
            CqlType::Frozen(inner) => inner.unfrozen(),
            other => other,
        }
    }

    /// The native type, if this (unfrozen) is one.
    pub fn native(&self) -> Option<NativeType> {
        match self.unfrozen() {
            CqlType::Native(n) => Some(*n),
            _ => None,
        }
    }

    /// Whether this is a list, set or map.
    pub fn is_collection(&self) -> bool {
        matches!(self.unfrozen(), CqlType::List(_) | CqlType::Set(_) | CqlType::Map(..))
    }
}

impl From<NativeType> for CqlType {
    fn from(n: NativeType) -> Self {
        CqlType::Native(n)
    }
}

/// Quotes an identifier the way Cassandra's `ColumnIdentifier.maybeQuote` does: unquoted
/// only when it is lower-case letters, digits and underscores starting with a letter
/// (reserved words aside).
pub fn maybe_quote(name: &str) -> String {
    let plain = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && !literal::is_reserved_keyword(name);
    if plain { name.to_string() } else { format!("\"{}\"", name.replace('"', "\"\"")) }
}

impl fmt::Display for CqlType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CqlType::Native(n) => write!(f, "{n}"),
            CqlType::List(t) => write!(f, "list<{t}>"),
            CqlType::Set(t) => write!(f, "set<{t}>"),
            CqlType::Map(k, v) => write!(f, "map<{k}, {v}>"),
            CqlType::Tuple(ts) => {
                f.write_str("tuple<")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str(">")
            }
            CqlType::Udt(u) => f.write_str(&maybe_quote(&u.name)),
            CqlType::Frozen(t) => write!(f, "frozen<{t}>"),
            CqlType::Vector(t, n) => write!(f, "vector<{t}, {n}>"),
        }
    }
}

/// An arbitrary-precision decimal: `unscaled × 10^-scale`, as Java's `BigDecimal`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal {
    /// The digits. Boxed, so that a decimal (and with it every [`Value`]) stays small:
    /// rows hold many values, and few of them are decimals.
    pub unscaled: Box<BigInt>,
    /// How many of the digits are after the decimal point (may be negative).
    pub scale: i32,
}

/// A 16-byte UUID in network byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Uuid(pub [u8; 16]);

/// A non-null CQL value. Null is `Option<Value>::None` (see [`Value::Null`] for the one
/// exception, inside lists).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    // Strings are `CompactString`s: up to 24 bytes are held inline, as most keys, names
    // and codes are, so a row keeps them without a heap allocation of their own, and
    // reading one copies it without allocating.
    /// `ascii`.
    Ascii(CompactString),
    /// `text` / `varchar`.
    Text(CompactString),
    /// `boolean`.
    Boolean(bool),
    /// `tinyint`.
    Tinyint(i8),
    /// `smallint`.
    Smallint(i16),
    /// `int`.
    Int(i32),
    /// `bigint`.
    Bigint(i64),
    /// `counter`.
    Counter(i64),
    /// `varint`.
    Varint(BigInt),
    /// `float`.
    Float(f32),
    /// `double`.
    Double(f64),
    /// `decimal`.
    Decimal(Decimal),
    /// `uuid`.
    Uuid(Uuid),
    /// `timeuuid`.
    Timeuuid(Uuid),
    /// `timestamp`: milliseconds since the Unix epoch.
    Timestamp(i64),
    /// `date`: days, with 2^31 at the Unix epoch (as Cassandra stores it).
    Date(u32),
    /// `time`: nanoseconds since midnight.
    Time(i64),
    /// `duration`.
    Duration {
        /// Whole months.
        months: i32,
        /// Whole days.
        days: i32,
        /// Nanoseconds.
        nanos: i64,
    },
    /// `blob`.
    Blob(Vec<u8>),
    /// `inet`.
    Inet(std::net::IpAddr),
    /// `list<T>`.
    List(Vec<Value>),
    /// `set<T>`: sorted by the element type's order, without duplicates.
    Set(Vec<Value>),
    /// `map<K, V>`: sorted by key order, keys unique.
    Map(Vec<(Value, Value)>),
    /// `tuple<...>`: one optional value per component.
    Tuple(Vec<Option<Value>>),
    /// A UDT value: field names and optional values, in declaration order.
    Udt(Vec<(String, Option<Value>)>),
    /// `vector<T, n>`.
    Vector(Vec<Value>),
    /// A null element of a list. Only `WRITETIME` and `TTL` of a non-frozen collection
    /// or UDT make one (an element without a TTL, a field without a value), as their
    /// results are lists that may hold nulls; nothing stores it.
    Null,
}

#[cfg(test)]
mod tests;

impl Value {
    /// Approximate heap bytes the value holds, for the engine's memory limits.
    pub fn heap_size(&self) -> usize {
        let inline = std::mem::size_of::<Value>();
        match self {
            Value::Ascii(s) | Value::Text(s) => s.capacity(),
            Value::Varint(n) => n.bits().div_ceil(8) as usize,
            Value::Decimal(d) => d.unscaled.bits().div_ceil(8) as usize,
            Value::Blob(b) => b.capacity(),
            Value::List(items) | Value::Set(items) | Value::Vector(items) => {
                items.iter().map(|v| inline + v.heap_size()).sum()
            }
            Value::Map(entries) => {
                entries.iter().map(|(k, v)| 2 * inline + k.heap_size() + v.heap_size()).sum()
            }
            Value::Tuple(items) => {
                items.iter().map(|v| inline + v.as_ref().map_or(0, Value::heap_size)).sum()
            }
            Value::Udt(fields) => fields
                .iter()
                .map(|(n, v)| {
                    inline
                        + std::mem::size_of::<String>()
                        + n.capacity()
                        + v.as_ref().map_or(0, Value::heap_size)
                })
                .sum(),
            _ => 0,
        }
    }

    /// The value's native type, for values that are not collections, tuples or UDTs.
    pub fn native_type(&self) -> Option<NativeType> {
        use NativeType as N;
        Some(match self {
            Value::Ascii(_) => N::Ascii,
            Value::Text(_) => N::Text,
            Value::Boolean(_) => N::Boolean,
            Value::Tinyint(_) => N::Tinyint,
            Value::Smallint(_) => N::Smallint,
            Value::Int(_) => N::Int,
            Value::Bigint(_) => N::Bigint,
            Value::Counter(_) => N::Counter,
            Value::Varint(_) => N::Varint,
            Value::Float(_) => N::Float,
            Value::Double(_) => N::Double,
            Value::Decimal(_) => N::Decimal,
            Value::Uuid(_) => N::Uuid,
            Value::Timeuuid(_) => N::Timeuuid,
            Value::Timestamp(_) => N::Timestamp,
            Value::Date(_) => N::Date,
            Value::Time(_) => N::Time,
            Value::Duration { .. } => N::Duration,
            Value::Blob(_) => N::Blob,
            Value::Inet(_) => N::Inet,
            _ => return None,
        })
    }
}
