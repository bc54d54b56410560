//! Kernels of Cassandra's native functions and operators: time and UUID functions,
//! blob conversions, arithmetic and aggregates. Time and randomness are inputs.

use num_bigint::BigInt;
use num_traits::{ToPrimitive, Zero};

use super::cast::low_i64;
use super::codec::{deserialize, serialize};
use super::temporal::{
    DATE_EPOCH, MILLIS_PER_DAY, NANOS_PER_DAY, add_duration_to_millis, civil_from_days,
    date_to_days, format_duration,
};
use super::uuid::{SeededRng, TimeuuidGenerator};
use super::{CqlType, Decimal, NativeType, Uuid, Value, compare};
use crate::Error;

/// The stored `date` of a timestamp, as `toDate(timestamp)` computes it (Java's
/// `Duration.ofMillis(ms).toDays()`: whole seconds, then days toward zero).
pub fn timestamp_to_date(ms: i64) -> u32 {
    let days = ms.div_euclid(1000) / 86_400;
    (days + DATE_EPOCH) as u32
}

/// The timestamp of midnight UTC of a stored `date`.
pub fn date_to_timestamp(stored: u32) -> i64 {
    date_to_days(stored) * MILLIS_PER_DAY
}

/// The clock and random inputs of one statement's functions.
#[derive(Debug)]
pub struct FunctionContext<'a> {
    /// The statement's time, in microseconds since the epoch.
    pub now_micros: i64,
    /// Makes `now()` / `currentTimeUUID()` values.
    pub timeuuids: &'a mut TimeuuidGenerator,
    /// Makes `uuid()` values.
    pub rng: &'a mut SeededRng,
}

/// Calls a native scalar function on evaluated arguments (nulls are `None`). Names are
/// case-insensitive. Returns `Ok(None)` for a null result and `Err` with Cassandra's
/// message for bad arguments; unknown names and arities give `None` in the outer option
/// so the caller can report them with its own context.
pub fn call_scalar(
    name: &str,
    args: &[(CqlType, Option<Value>)],
    ctx: &mut FunctionContext<'_>,
) -> Option<Result<Option<Value>, Error>> {
    // Cassandra 5.0 also accepts snake_case names (`to_date`, `blob_as_int`).
    let lower = name.to_ascii_lowercase().replace('_', "");
    let now_ms = ctx.now_micros.div_euclid(1000);
    let ok = |v: Value| Some(Ok(Some(v)));
    match (lower.as_str(), args.len()) {
        ("now" | "currenttimeuuid", 0) => ok(Value::Timeuuid(ctx.timeuuids.next(ctx.now_micros))),
        ("currenttimestamp", 0) => ok(Value::Timestamp(now_ms)),
        ("currentdate", 0) => ok(Value::Date(timestamp_to_date(now_ms))),
        ("currenttime", 0) => {
            ok(Value::Time(ctx.now_micros.rem_euclid(NANOS_PER_DAY / 1000) * 1000))
        }
        ("uuid", 0) => ok(Value::Uuid(ctx.rng.uuid_v4())),
        _ => call_pure(&lower, args),
    }
}

/// The native scalar functions that read neither the clock nor a random source, so a
/// selector can run them row by row. `lower` is the name in lower case without
/// underscores; the result is as [`call_scalar`]'s.
pub fn call_pure(
    lower: &str,
    args: &[(CqlType, Option<Value>)],
) -> Option<Result<Option<Value>, Error>> {
    use NativeType as N;
    let arg = |i: usize| args.get(i).and_then(|(_, v)| v.as_ref());
    let arg_type = |i: usize| args.get(i).and_then(|(t, _)| t.native());
    let ok = |v: Value| Some(Ok(Some(v)));
    match (lower, args.len()) {
        ("todate" | "totimestamp" | "tounixtimestamp" | "dateof" | "unixtimestampof", 1) => {
            let Some(v) = arg(0) else { return Some(Ok(None)) };
            let ms = match v {
                Value::Timestamp(ms) => *ms,
                Value::Timeuuid(u) => u.unix_millis(),
                Value::Date(d) => date_to_timestamp(*d),
                _ => return None,
            };
            match lower {
                "todate" => ok(Value::Date(timestamp_to_date(ms))),
                "totimestamp" | "dateof" => ok(Value::Timestamp(ms)),
                _ => ok(Value::Bigint(ms)),
            }
        }
        ("mintimeuuid" | "maxtimeuuid", 1) => {
            let Some(v) = arg(0) else { return Some(Ok(None)) };
            let ms = match v {
                Value::Timestamp(ms) => *ms,
                Value::Date(d) => date_to_timestamp(*d),
                _ => return None,
            };
            let u = if lower == "mintimeuuid" {
                Uuid::min_timeuuid(ms)
            } else {
                Uuid::max_timeuuid(ms)
            };
            ok(Value::Timeuuid(u))
        }
        ("floor", 2 | 3) => {
            let (Some(time), Some(Value::Duration { months, days, nanos })) = (arg(0), arg(1))
            else {
                return Some(Ok(None));
            };
            let duration = (*months, *days, *nanos);
            let start = match args.get(2) {
                None => Some(0),
                Some((_, None)) => return Some(Ok(None)),
                Some((_, Some(Value::Timestamp(ms)))) => Some(*ms),
                Some((_, Some(Value::Date(d)))) => Some(date_to_timestamp(*d)),
                Some(_) => None,
            }?;
            Some(floor(time, duration, start).map(Some))
        }
        (n, 1) if n.ends_with("asblob") => {
            let target = NativeType::from_name(n.strip_suffix("asblob").unwrap_or_default())?;
            if arg_type(0) != Some(target) && !(target == N::Text && arg_type(0) == Some(N::Ascii))
            {
                return None;
            }
            Some(Ok(arg(0).map(|v| Value::Blob(serialize(v)))))
        }
        (n, 1) if n.starts_with("blobas") => {
            let target = NativeType::from_name(n.strip_prefix("blobas").unwrap_or_default())?;
            match arg(0) {
                None => Some(Ok(None)),
                Some(Value::Blob(b)) => Some(blob_as(target, b)),
                Some(_) => None,
            }
        }
        _ => super::native_fns::call(lower, args),
    }
}

/// The result type of a native scalar function for the given argument types, or `None`
/// when there is no such function for them.
pub fn scalar_result_type(name: &str, args: &[CqlType]) -> Option<CqlType> {
    use NativeType as N;
    let lower = name.to_ascii_lowercase().replace('_', "");
    let native = |n: N| Some(CqlType::Native(n));
    let arg = args.first().and_then(CqlType::native);
    match (lower.as_str(), args.len()) {
        ("now" | "currenttimeuuid", 0) => native(N::Timeuuid),
        ("currenttimestamp", 0) => native(N::Timestamp),
        ("currentdate", 0) => native(N::Date),
        ("currenttime", 0) => native(N::Time),
        ("uuid", 0) => native(N::Uuid),
        ("todate", 1) if matches!(arg, Some(N::Timestamp | N::Timeuuid | N::Date)) => {
            native(N::Date)
        }
        ("totimestamp", 1) if matches!(arg, Some(N::Timestamp | N::Timeuuid | N::Date)) => {
            native(N::Timestamp)
        }
        ("tounixtimestamp", 1) if matches!(arg, Some(N::Timestamp | N::Timeuuid | N::Date)) => {
            native(N::Bigint)
        }
        ("dateof", 1) if arg == Some(N::Timeuuid) => native(N::Timestamp),
        ("unixtimestampof", 1) if arg == Some(N::Timeuuid) => native(N::Bigint),
        ("mintimeuuid" | "maxtimeuuid", 1) if arg == Some(N::Timestamp) => native(N::Timeuuid),
        ("floor", 2 | 3) => {
            let nth = |i: usize| args.get(i).and_then(CqlType::native);
            if nth(1) != Some(N::Duration) {
                return None;
            }
            let (result, start) = match arg? {
                N::Timestamp | N::Timeuuid => (N::Timestamp, N::Timestamp),
                N::Date => (N::Date, N::Date),
                N::Time if args.len() == 2 => (N::Time, N::Time),
                _ => return None,
            };
            (args.len() == 2 || nth(2) == Some(start)).then_some(CqlType::Native(result))
        }
        (n, 1) if n.ends_with("asblob") && n != "blobasblob" => {
            let target = N::from_name(n.strip_suffix("asblob").unwrap_or_default())?;
            (arg == Some(target)).then_some(CqlType::Native(N::Blob))
        }
        (n, 1) if n.starts_with("blobas") => {
            let target = N::from_name(n.strip_prefix("blobas").unwrap_or_default())?;
            (arg == Some(N::Blob) && target != N::Blob).then_some(CqlType::Native(target))
        }
        _ => super::native_fns::result_type(&lower, args),
    }
}

/// `blobAsX(b)`: the bytes must be a valid encoding of X, or Cassandra's message
/// `In call to function system.blobasint, value 0x01 is not a valid binary
/// representation for type int`. An empty blob is X's empty value, which the engine
/// shows as null, for the types whose validation accepts it (all but tinyint, smallint,
/// date and time).
pub fn blob_as(target: NativeType, bytes: &[u8]) -> Result<Option<Value>, Error> {
    use NativeType as N;
    let invalid = || {
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Error::invalid(format!(
            "In call to function system.blobas{target}, value 0x{hex} is not a valid binary \
             representation for type {target}"
        ))
    };
    if bytes.is_empty() {
        return match target {
            N::Text | N::Ascii | N::Blob => deserialize(&CqlType::Native(target), bytes).map(Some),
            N::Tinyint | N::Smallint | N::Date | N::Time => Err(invalid()),
            _ => Ok(None),
        };
    }
    deserialize(&CqlType::Native(target), bytes).map(Some).map_err(|_| invalid())
}

/// `floor(time, duration[, start])`: the time rounded down to the closest multiple of
/// the duration counted from `start` (the epoch by default), as Cassandra's
/// `Duration.floorTimestamp` and `floorTime` compute it; months count on the calendar.
fn floor(time: &Value, (months, days, nanos): (i32, i32, i64), start: i64) -> Result<Value, Error> {
    let shown = format_duration(months, days, nanos);
    let negative = || {
        if months < 0 || days < 0 || nanos < 0 {
            Err(Error::invalid("Negative durations are not supported by the floor function"))
        } else {
            Ok(())
        }
    };
    let ms = match time {
        Value::Time(t) => {
            negative()?;
            if months != 0 || days != 0 || nanos > NANOS_PER_DAY {
                return Err(Error::invalid(
                    "For time values, the floor can only be computed for durations smaller that a day",
                ));
            }
            return Ok(Value::Time(if nanos == 0 { *t } else { t - t % nanos }));
        }
        Value::Date(d) => {
            if nanos != 0 {
                return Err(Error::invalid(format!(
                    "The floor on date values cannot be computed for the {shown} duration as precision is below 1 day"
                )));
            }
            date_to_timestamp(*d)
        }
        Value::Timestamp(ms) => *ms,
        Value::Timeuuid(u) => u.unix_millis(),
        _ => return Err(Error::invalid("Invalid argument for function system.floor")),
    };
    if nanos % 1_000_000 != 0 {
        return Err(Error::invalid(format!(
            "The floor cannot be computed for the {shown} duration as precision is below 1 millisecond"
        )));
    }
    if start > ms {
        return Err(Error::invalid(
            "The floor function starting time is greater than the provided time",
        ));
    }
    negative()?;
    let step = i64::from(days).saturating_mul(MILLIS_PER_DAY).saturating_add(nanos / 1_000_000);
    let floored = if months == 0 {
        if step == 0 { ms } else { ms - (ms - start) % step }
    } else {
        let year_month = |ms: i64| {
            let (y, m, _) = civil_from_days(ms.div_euclid(MILLIS_PER_DAY));
            y * 12 + i64::from(m)
        };
        let mut multiplier = (year_month(ms) - year_month(start)) / i64::from(months);
        let shift = |m: i64| i32::try_from(m).unwrap_or(if m < 0 { i32::MIN } else { i32::MAX });
        let mut calendar = add_duration_to_millis(
            start,
            shift(multiplier.saturating_mul(i64::from(months))),
            0,
            0,
        );
        if step == 0 {
            calendar
        } else {
            // The days and milliseconds may overshoot: step back a duration at a time,
            // moving the calendar back by the months as Java's Calendar does.
            let mut floor = calendar.saturating_add(multiplier.saturating_mul(step));
            while floor > ms && multiplier > 0 {
                multiplier -= 1;
                calendar = add_duration_to_millis(calendar, -months, 0, 0);
                floor = calendar.saturating_add(multiplier.saturating_mul(step));
            }
            start.max(floor)
        }
    };
    Ok(match time {
        Value::Date(_) => Value::Date(timestamp_to_date(floored)),
        _ => Value::Timestamp(floored),
    })
}

/// An arithmetic operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
}

impl ArithOp {
    /// The operator a parsed symbol stands for (the parser only gives `+ - * / %`, so
    /// anything else is `%`).
    pub fn from_symbol(op: char) -> ArithOp {
        match op {
            '+' => ArithOp::Add,
            '-' => ArithOp::Sub,
            '*' => ArithOp::Mul,
            '/' => ArithOp::Div,
            _ => ArithOp::Rem,
        }
    }

    /// The operator's symbol.
    pub fn symbol(self) -> &'static str {
        match self {
            ArithOp::Add => "+",
            ArithOp::Sub => "-",
            ArithOp::Mul => "*",
            ArithOp::Div => "/",
            ArithOp::Rem => "%",
        }
    }
}

/// The size Cassandra's `OperationFcts` ranks a numeric type by (0 for unbounded).
fn numeric_size(t: NativeType) -> Option<(usize, bool)> {
    use NativeType as N;
    Some(match t {
        N::Tinyint => (1, false),
        N::Smallint => (2, false),
        N::Int => (4, false),
        N::Bigint | N::Counter => (8, false),
        N::Varint => (usize::MAX, false),
        N::Float => (4, true),
        N::Double => (8, true),
        N::Decimal => (usize::MAX, true),
        _ => return None,
    })
}

/// Whether `ty` is one of Cassandra's number types.
pub(crate) fn is_numeric_type(ty: &CqlType) -> bool {
    ty.native().and_then(numeric_size).is_some()
}

/// The result type of `left op right`, or `None` when Cassandra has no such operation.
pub fn arithmetic_result_type(
    op: ArithOp,
    left: NativeType,
    right: NativeType,
) -> Option<NativeType> {
    use NativeType as N;
    if let (Some((ls, lf)), Some((rs, rf))) = (numeric_size(left), numeric_size(right)) {
        let size = ls.max(rs);
        return Some(if lf || rf {
            match size {
                4 => N::Float,
                8 => N::Double,
                _ => N::Decimal,
            }
        } else {
            match size {
                1 => N::Tinyint,
                2 => N::Smallint,
                4 => N::Int,
                8 => N::Bigint,
                _ => N::Varint,
            }
        });
    }
    match (left, right, op) {
        (N::Timestamp, N::Duration, ArithOp::Add | ArithOp::Sub) => Some(N::Timestamp),
        (N::Date, N::Duration, ArithOp::Add | ArithOp::Sub) => Some(N::Date),
        (N::Text | N::Ascii, N::Text | N::Ascii, ArithOp::Add) => {
            Some(if left == N::Ascii && right == N::Ascii { N::Ascii } else { N::Text })
        }
        _ => None,
    }
}

/// A number widened for computing: exact integers, floats or decimals.
fn wide_int(v: &Value) -> Option<BigInt> {
    Some(match v {
        Value::Tinyint(n) => (*n).into(),
        Value::Smallint(n) => (*n).into(),
        Value::Int(n) => (*n).into(),
        Value::Bigint(n) | Value::Counter(n) => (*n).into(),
        Value::Varint(n) => n.clone(),
        _ => return None,
    })
}

fn wide_f64(v: &Value) -> Option<f64> {
    Some(match v {
        Value::Float(f) => f64::from(*f),
        Value::Double(f) => *f,
        Value::Decimal(d) => d.to_f64(),
        other => wide_int(other)?.to_f64().unwrap_or(f64::NAN),
    })
}

fn wide_decimal(v: &Value) -> Option<Decimal> {
    Some(match v {
        Value::Decimal(d) => d.clone(),
        // `BigDecimal.valueOf(number.doubleValue())`: a float is widened first, and the
        // fixed-size integers go through a double too (so `8.5 * 2` is `17.00`).
        Value::Float(f) => Decimal::from_f64(f64::from(*f))?,
        Value::Double(f) => Decimal::from_f64(*f)?,
        Value::Tinyint(n) => Decimal::from_f64(f64::from(*n))?,
        Value::Smallint(n) => Decimal::from_f64(f64::from(*n))?,
        Value::Int(n) => Decimal::from_f64(f64::from(*n))?,
        Value::Bigint(n) | Value::Counter(n) => Decimal::from_f64(*n as f64)?,
        // Only a varint is exact: `new BigDecimal(BigInteger)`.
        other => Decimal::new(wide_int(other)?, 0),
    })
}

/// Evaluates `left op right` with Cassandra's result type and overflow behaviour
/// (integers wrap, floats follow IEEE, decimals divide to 34 digits). Errors use
/// Cassandra's wording, e.g. `the operation 'int / int' failed: / by zero`.
pub fn arithmetic(
    op: ArithOp,
    left_ty: NativeType,
    left: &Value,
    right_ty: NativeType,
    right: &Value,
) -> Result<Value, Error> {
    use NativeType as N;
    let failed = |why: &str| {
        Error::invalid(format!(
            "the operation '{left_ty} {} {right_ty}' failed: {why}",
            op.symbol()
        ))
    };
    let unsupported = || {
        Error::invalid(format!(
            "the '{}' operation is not supported between {left_ty} and {right_ty}",
            op.symbol()
        ))
    };
    let result_ty = arithmetic_result_type(op, left_ty, right_ty).ok_or_else(unsupported)?;
    match result_ty {
        N::Tinyint | N::Smallint | N::Int | N::Bigint | N::Varint => {
            let (a, b) =
                (wide_int(left).ok_or_else(unsupported)?, wide_int(right).ok_or_else(unsupported)?);
            let r = match op {
                ArithOp::Add => a + b,
                ArithOp::Sub => a - b,
                ArithOp::Mul => a * b,
                ArithOp::Div | ArithOp::Rem if b.is_zero() => {
                    return Err(failed(if result_ty == N::Varint {
                        "BigInteger divide by zero"
                    } else {
                        "/ by zero"
                    }));
                }
                ArithOp::Div => a / b,
                ArithOp::Rem => a % b,
            };
            let low = low_i64(&r);
            Ok(match result_ty {
                N::Tinyint => Value::Tinyint(low as i8),
                N::Smallint => Value::Smallint(low as i16),
                N::Int => Value::Int(low as i32),
                N::Bigint => Value::Bigint(low),
                _ => Value::Varint(r),
            })
        }
        N::Float | N::Double => {
            let (a, b) =
                (wide_f64(left).ok_or_else(unsupported)?, wide_f64(right).ok_or_else(unsupported)?);
            if result_ty == N::Float {
                let (a, b) = (a as f32, b as f32);
                Ok(Value::Float(match op {
                    ArithOp::Add => a + b,
                    ArithOp::Sub => a - b,
                    ArithOp::Mul => a * b,
                    ArithOp::Div => a / b,
                    ArithOp::Rem => a % b,
                }))
            } else {
                Ok(Value::Double(match op {
                    ArithOp::Add => a + b,
                    ArithOp::Sub => a - b,
                    ArithOp::Mul => a * b,
                    ArithOp::Div => a / b,
                    ArithOp::Rem => a % b,
                }))
            }
        }
        N::Decimal => {
            let to_decimal = |v: &Value| {
                wide_decimal(v).ok_or_else(|| match wide_f64(v) {
                    Some(f) if f.is_nan() => failed("A NaN cannot be converted into a decimal"),
                    Some(f) if f.is_infinite() => {
                        failed("An infinite number cannot be converted into a decimal")
                    }
                    _ => unsupported(),
                })
            };
            let (a, b) = (to_decimal(left)?, to_decimal(right)?);
            // Cassandra computes every decimal operation in MathContext.DECIMAL128.
            let r = match op {
                ArithOp::Add => a.add(&b).round_to(34),
                ArithOp::Sub => a.sub(&b).round_to(34),
                ArithOp::Mul => a.mul(&b).round_to(34),
                ArithOp::Div => a.div(&b).ok_or_else(|| {
                    failed(if a.is_zero() { "Division undefined" } else { "Division by zero" })
                })?,
                ArithOp::Rem => a.rem(&b).map_err(failed)?,
            };
            Ok(Value::Decimal(r))
        }
        N::Timestamp | N::Date => {
            let Value::Duration { months, days, nanos } = right else { return Err(unsupported()) };
            let (m, d, n) = if op == ArithOp::Sub {
                (months.wrapping_neg(), days.wrapping_neg(), nanos.wrapping_neg())
            } else {
                (*months, *days, *nanos)
            };
            let shown = format_duration(*months, *days, *nanos);
            match left {
                Value::Timestamp(ms) => {
                    if nanos % 1_000_000 != 0 {
                        return Err(failed(&format!(
                            "The duration must have a millisecond precision. Was: {shown}"
                        )));
                    }
                    Ok(Value::Timestamp(add_duration_to_millis(*ms, m, d, n)))
                }
                Value::Date(stored) => {
                    if *nanos != 0 {
                        return Err(failed(&format!(
                            "The duration must have a day precision. Was: {shown}"
                        )));
                    }
                    let ms = add_duration_to_millis(date_to_timestamp(*stored), m, d, 0);
                    Ok(Value::Date(timestamp_to_date(ms)))
                }
                _ => Err(unsupported()),
            }
        }
        N::Text | N::Ascii => match (left, right) {
            (Value::Text(a) | Value::Ascii(a), Value::Text(b) | Value::Ascii(b)) => {
                let s = format!("{a}{b}");
                Ok(if result_ty == N::Ascii {
                    Value::Ascii(s.into())
                } else {
                    Value::Text(s.into())
                })
            }
            _ => Err(unsupported()),
        },
        _ => Err(unsupported()),
    }
}

/// Unary minus, wrapping like Java (`-(-128)` is `-128` for a tinyint).
pub fn negate(v: &Value) -> Option<Value> {
    Some(match v {
        Value::Tinyint(n) => Value::Tinyint(n.wrapping_neg()),
        Value::Smallint(n) => Value::Smallint(n.wrapping_neg()),
        Value::Int(n) => Value::Int(n.wrapping_neg()),
        Value::Bigint(n) => Value::Bigint(n.wrapping_neg()),
        // Negation has no counter overload: a counter negates as the bigint it holds.
        Value::Counter(n) => Value::Bigint(n.wrapping_neg()),
        Value::Varint(n) => Value::Varint(-n),
        Value::Float(f) => Value::Float(-f),
        Value::Double(f) => Value::Double(-f),
        Value::Decimal(d) => Value::Decimal(d.neg()),
        Value::Duration { months, days, nanos } => Value::Duration {
            months: months.wrapping_neg(),
            days: days.wrapping_neg(),
            nanos: nanos.wrapping_neg(),
        },
        _ => return None,
    })
}

/// An aggregate function Cassandra provides natively.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AggregateKind {
    /// `count(x)` / `count(*)`: non-null inputs, as a bigint.
    Count,
    /// `min(x)`.
    Min,
    /// `max(x)`.
    Max,
    /// `sum(x)`: the input's type, wrapping on overflow like Java.
    Sum,
    /// `avg(x)`: the input's type, integer division for integers.
    Avg,
}

/// The running state of one aggregate over one group.
#[derive(Debug, Clone)]
pub struct Accumulator {
    kind: AggregateKind,
    ty: CqlType,
    count: i64,
    best: Option<Value>,
    int_sum: BigInt,
    dec_sum: Option<Decimal>,
    // `avg` of decimals is a running mean, as Cassandra computes it.
    dec_avg: Option<Decimal>,
    // The exact sum a float `avg` switches to once the double sum overflows.
    big_float_sum: Option<Decimal>,
    // Kahan-compensated sum for floats and doubles, as Cassandra's aggregates do.
    float_sum: f64,
    compensation: f64,
    simple_sum: f64,
}

impl Accumulator {
    /// A fresh accumulator of `kind` over inputs of type `ty`.
    pub fn new(kind: AggregateKind, ty: CqlType) -> Self {
        Accumulator {
            kind,
            ty,
            count: 0,
            best: None,
            int_sum: BigInt::zero(),
            dec_sum: None,
            dec_avg: None,
            big_float_sum: None,
            float_sum: 0.0,
            compensation: 0.0,
            simple_sum: 0.0,
        }
    }

    /// The aggregate's result type; `None` when `sum`/`avg` get a non-numeric input type.
    pub fn result_type(kind: AggregateKind, ty: &CqlType) -> Option<CqlType> {
        match kind {
            AggregateKind::Count => Some(CqlType::Native(NativeType::Bigint)),
            AggregateKind::Min | AggregateKind::Max => Some(ty.clone()),
            AggregateKind::Sum | AggregateKind::Avg => {
                let n = ty.native()?;
                numeric_size(n)?;
                Some(CqlType::Native(n))
            }
        }
    }

    /// Feeds one input; nulls are ignored (`count(*)` passes a non-null marker per row).
    pub fn add(&mut self, v: Option<&Value>) {
        let Some(v) = v else { return };
        self.count += 1;
        match self.kind {
            AggregateKind::Count => {}
            AggregateKind::Min | AggregateKind::Max => {
                let better = match &self.best {
                    None => true,
                    Some(b) => {
                        let c = compare(&self.ty, v, b);
                        if self.kind == AggregateKind::Min { c.is_lt() } else { c.is_gt() }
                    }
                };
                if better {
                    self.best = Some(v.clone());
                }
            }
            AggregateKind::Sum | AggregateKind::Avg => match v {
                Value::Float(_) | Value::Double(_) => {
                    let x = wide_f64(v).unwrap_or_default();
                    if let Some(big) = &self.big_float_sum {
                        let add = Decimal::from_f64(x).unwrap_or_else(|| big.clone());
                        self.big_float_sum = Some(big.add(&add));
                        return;
                    }
                    self.simple_sum += x;
                    let prev = self.float_sum;
                    let y = x - self.compensation;
                    let t = self.float_sum + y;
                    self.compensation = (t - self.float_sum) - y;
                    self.float_sum = t;
                    // `avg` keeps going exactly once the double sum overflows.
                    if self.kind == AggregateKind::Avg && t.is_infinite() && x.is_finite() {
                        self.big_float_sum = Decimal::from_f64(prev)
                            .zip(Decimal::from_f64(x))
                            .map(|(a, b)| a.add(&b));
                    }
                }
                Value::Decimal(d) => {
                    self.dec_sum = Some(match &self.dec_sum {
                        Some(s) => s.add(d),
                        None => d.clone(),
                    });
                    // avg = avg + (value - avg) / count, rounded half-even at that scale.
                    let avg =
                        self.dec_avg.clone().unwrap_or_else(|| Decimal::new(BigInt::zero(), 0));
                    let step = divide_keep_scale(&d.sub(&avg), self.count);
                    self.dec_avg = Some(avg.add(&step));
                }
                other => {
                    if let Some(n) = wide_int(other) {
                        self.int_sum += n;
                    }
                }
            },
        }
    }

    /// The float total as Cassandra's `FloatSumAggregate` computes it: the running sum
    /// plus its compensation term, or the plain sum when adding same-signed infinities
    /// made the compensated one NaN.
    fn float_total(&self) -> f64 {
        let total = self.float_sum + self.compensation;
        if total.is_nan() && self.simple_sum.is_infinite() { self.simple_sum } else { total }
    }

    /// The aggregate's value: `count` and `sum`/`avg` of nothing are 0, `min`/`max` null.
    pub fn finish(&self) -> Option<Value> {
        use NativeType as N;
        let input = self.ty.native();
        match self.kind {
            AggregateKind::Count => Some(Value::Bigint(self.count)),
            AggregateKind::Min | AggregateKind::Max => self.best.clone(),
            AggregateKind::Sum | AggregateKind::Avg => {
                let avg = self.kind == AggregateKind::Avg;
                let n = input?;
                let int_result = || {
                    if avg && self.count > 0 {
                        &self.int_sum / BigInt::from(self.count)
                    } else {
                        self.int_sum.clone()
                    }
                };
                Some(match n {
                    N::Tinyint => Value::Tinyint(low_i64(&int_result()) as i8),
                    N::Smallint => Value::Smallint(low_i64(&int_result()) as i16),
                    N::Int => Value::Int(low_i64(&int_result()) as i32),
                    N::Bigint => Value::Bigint(low_i64(&int_result())),
                    N::Counter => Value::Counter(low_i64(&int_result())),
                    N::Varint => Value::Varint(int_result()),
                    N::Float | N::Double => {
                        let total = self.float_total();
                        let r = match &self.big_float_sum {
                            Some(big) if avg => divide_keep_scale(big, self.count).to_f64(),
                            _ if avg && self.count == 0 => 0.0,
                            _ if avg => total / self.count as f64,
                            _ => total,
                        };
                        if n == N::Float { Value::Float(r as f32) } else { Value::Double(r) }
                    }
                    N::Decimal => {
                        let zero = || Decimal::new(BigInt::zero(), 0);
                        let total = if avg { &self.dec_avg } else { &self.dec_sum };
                        Value::Decimal(total.clone().unwrap_or_else(zero))
                    }
                    _ => return None,
                })
            }
        }
    }
}

/// `BigDecimal.divide(BigDecimal.valueOf(n), RoundingMode.HALF_EVEN)`: keeps the
/// dividend's scale.
fn divide_keep_scale(d: &Decimal, n: i64) -> Decimal {
    let divisor = BigInt::from(n);
    let q = &*d.unscaled / &divisor;
    let r = &*d.unscaled % &divisor;
    let twice = (&r * 2i32).magnitude().clone();
    let mut q = q;
    match twice.cmp(divisor.magnitude()) {
        std::cmp::Ordering::Greater => {
            q += if d.unscaled.sign() == num_bigint::Sign::Minus { -1 } else { 1 }
        }
        std::cmp::Ordering::Equal if (&q % 2i32) != BigInt::zero() => {
            q += if d.unscaled.sign() == num_bigint::Sign::Minus { -1 } else { 1 }
        }
        _ => {}
    }
    Decimal::new(q, d.scale)
}

/// Whether `lower` (lower case, no underscores) names one of Cassandra 5.0's native scalar
/// functions that [`call_scalar`] runs.
pub fn is_native_scalar(lower: &str) -> bool {
    let conversion = |rest: &str| rest != "blob" && NativeType::from_name(rest).is_some();
    matches!(
        lower,
        "now"
            | "currenttimeuuid"
            | "currenttimestamp"
            | "currentdate"
            | "currenttime"
            | "uuid"
            | "todate"
            | "totimestamp"
            | "tounixtimestamp"
            | "dateof"
            | "unixtimestampof"
            | "mintimeuuid"
            | "maxtimeuuid"
            | "floor"
            | "abs"
            | "exp"
            | "log"
            | "log10"
            | "round"
            | "mapkeys"
            | "mapvalues"
            | "collectioncount"
            | "collectionmin"
            | "collectionmax"
            | "collectionsum"
            | "collectionavg"
            | "similaritycosine"
            | "similarityeuclidean"
            | "similaritydotproduct"
            | "masknull"
            | "maskdefault"
            | "maskreplace"
            | "maskinner"
            | "maskouter"
            | "maskhash"
    ) || lower.strip_suffix("asblob").is_some_and(conversion)
        || lower.strip_prefix("blobas").is_some_and(conversion)
}

/// Cassandra's error for a call whose arguments fit none of the function's signatures:
/// the blob conversions have one signature each, so their message names the argument
/// (`Type error: v cannot be passed as argument 0 of function system.blobasint of type
/// blob`); other known functions get the generic one; unknown names `Unknown function`.
/// `display` is the function as messages show it, `args` each argument's text and type.
pub fn scalar_call_error(display: &str, args: &[(String, CqlType)]) -> Error {
    let lower = display.rsplit('.').next().unwrap_or(display).replace('_', "");
    if !is_native_scalar(&lower) {
        return Error::invalid(format!("Unknown function {display}"));
    }
    let param = if let Some(rest) = lower.strip_suffix("asblob") {
        NativeType::from_name(rest)
    } else if lower.starts_with("blobas") {
        Some(NativeType::Blob)
    } else {
        None
    };
    if let Some(param) = param {
        if args.len() != 1 {
            return Error::invalid(format!(
                "Invalid number of arguments in call to function {display}: 1 required but {} provided",
                args.len()
            ));
        }
        if let Some((text, _)) = args.first() {
            return Error::invalid(format!(
                "Type error: {text} cannot be passed as argument 0 of function {display} of type {param}"
            ));
        }
    }
    if let Some(message) = super::native_fns::factory_error(&lower, display, args) {
        return Error::invalid(message);
    }
    Error::invalid(format!("Invalid call to function {display}, none of its type signatures match"))
}
