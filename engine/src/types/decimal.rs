//! `decimal` (Java's `BigDecimal`) and `varint` (`BigInteger`) text forms and arithmetic.

use std::cmp::Ordering;

use num_bigint::{BigInt, Sign};
use num_traits::{Signed, Zero};

use super::Decimal;

impl Decimal {
    /// A decimal of `unscaled × 10^-scale`.
    pub fn new(unscaled: BigInt, scale: i32) -> Self {
        Decimal { unscaled: Box::new(unscaled), scale }
    }

    /// Parses Java's `new BigDecimal(String)` syntax: `[+-]digits[.digits][(e|E)[+-]digits]`.
    pub fn parse(text: &str) -> Option<Decimal> {
        let (negative, body) = match text.as_bytes().first()? {
            b'-' => (true, text.get(1..)?),
            b'+' => (false, text.get(1..)?),
            _ => (false, text),
        };
        let (mantissa, exponent) = match body.find(['e', 'E']) {
            Some(i) => (body.get(..i)?, Some(body.get(i + 1..)?)),
            None => (body, None),
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(i) => (mantissa.get(..i)?, mantissa.get(i + 1..)?),
            None => (mantissa, ""),
        };
        let digits_ok = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if int_part.len() + frac_part.len() == 0 || !digits_ok(int_part) || !digits_ok(frac_part) {
            return None;
        }
        let exp: i64 = match exponent {
            Some(e) => {
                let d = e.strip_prefix(['+', '-']).unwrap_or(e);
                if d.is_empty() || !digits_ok(d) {
                    return None;
                }
                e.parse().ok()?
            }
            None => 0,
        };
        let scale = i64::try_from(frac_part.len()).ok()?.checked_sub(exp)?;
        let scale = i32::try_from(scale).ok()?;
        let mut unscaled: BigInt = format!("{int_part}{frac_part}").parse().ok()?;
        if negative {
            unscaled = -unscaled;
        }
        Some(Decimal { unscaled: Box::new(unscaled), scale })
    }

    /// An exact decimal of an `f64`, as `BigDecimal.valueOf(double)` (its shortest text).
    pub fn from_f64(v: f64) -> Option<Decimal> {
        if !v.is_finite() {
            return None;
        }
        Decimal::parse(&java_double_to_string(v))
    }

    /// The value as the nearest `f64`.
    pub fn to_f64(&self) -> f64 {
        format!("{}e{}", self.unscaled, -i64::from(self.scale)).parse().unwrap_or(f64::NAN)
    }

    /// The integer part, truncated toward zero; `None` when it would have more than
    /// 100,000 digits (a value such as `1E+2000000000`).
    pub fn to_bigint(&self) -> Option<BigInt> {
        if self.scale <= 0 {
            let zeros = self.scale.unsigned_abs();
            if u64::from(zeros) + digits(&self.unscaled) > MAX_DIGITS {
                return None;
            }
            Some((*self.unscaled).clone() * pow10(zeros))
        } else if i64::from(self.scale) > digits(&self.unscaled) as i64 {
            Some(BigInt::zero())
        } else {
            Some(&*self.unscaled / pow10(self.scale.unsigned_abs()))
        }
    }

    /// The power of ten of the most significant digit (`BigDecimal`'s adjusted exponent).
    fn adjusted(&self) -> i64 {
        digits(&self.unscaled) as i64 - 1 - i64::from(self.scale)
    }

    /// Both values rescaled to the larger scale, for exact comparison and addition.
    ///
    /// When the scales are far apart and one value is negligible next to the other, that
    /// value is replaced by a tiny one of the same sign just below the other's digits, so
    /// sums of values like `1E+2000000000` and `1` stay cheap; the rounded results of
    /// Cassandra's DECIMAL128 arithmetic are unchanged by this.
    fn aligned(&self, other: &Decimal) -> (BigInt, BigInt, i32) {
        let gap = (i64::from(self.scale) - i64::from(other.scale)).unsigned_abs();
        if gap > MAX_SCALE_GAP && (self.unscaled.is_zero() || other.unscaled.is_zero()) {
            // A zero needs no digits at any scale: align to the non-zero value's scale.
            let scale = if self.unscaled.is_zero() { other.scale } else { self.scale };
            return ((*self.unscaled).clone(), (*other.unscaled).clone(), scale);
        }
        if gap > MAX_SCALE_GAP {
            let (big, small, swapped) = if self.adjusted() >= other.adjusted() {
                (self, other, false)
            } else {
                (other, self, true)
            };
            if big.adjusted() - small.adjusted() > 40 {
                let unit = if small.unscaled.is_negative() { -1 } else { 1 };
                let tiny = Decimal {
                    unscaled: Box::new(BigInt::from(unit)),
                    scale: big.scale.saturating_add(40),
                };
                let (a, b, s) = big.aligned(&tiny);
                return if swapped { (b, a, s) } else { (a, b, s) };
            }
        }
        let scale = self.scale.max(other.scale);
        let up = |d: &Decimal| &*d.unscaled * pow10((i64::from(scale) - i64::from(d.scale)) as u32);
        (up(self), up(other), scale)
    }

    /// Numeric order (`BigDecimal.compareTo`: `1.0` equals `1.00`).
    pub fn cmp_value(&self, other: &Decimal) -> Ordering {
        let sign = |d: &Decimal| d.unscaled.sign();
        let (sa, sb) = (sign(self), sign(other));
        if sa != sb || sa == Sign::NoSign {
            let rank = |s: Sign| match s {
                Sign::Minus => 0,
                Sign::NoSign => 1,
                Sign::Plus => 2,
            };
            return rank(sa).cmp(&rank(sb));
        }
        // Same sign: the magnitudes' leading digits decide before any rescaling.
        let by_magnitude = self.adjusted().cmp(&other.adjusted());
        if by_magnitude != Ordering::Equal {
            return if sa == Sign::Minus { by_magnitude.reverse() } else { by_magnitude };
        }
        let (a, b, _) = self.aligned(other);
        a.cmp(&b)
    }

    /// `self + other`, exactly.
    pub fn add(&self, other: &Decimal) -> Decimal {
        let (a, b, scale) = self.aligned(other);
        Decimal { unscaled: Box::new(a + b), scale }
    }

    /// `self - other`, exactly.
    pub fn sub(&self, other: &Decimal) -> Decimal {
        let (a, b, scale) = self.aligned(other);
        Decimal { unscaled: Box::new(a - b), scale }
    }

    /// `self × other`, exactly.
    pub fn mul(&self, other: &Decimal) -> Decimal {
        Decimal {
            unscaled: Box::new(&*self.unscaled * &*other.unscaled),
            scale: self.scale.saturating_add(other.scale),
        }
    }

    /// `self ÷ other` rounded half-even to 34 significant digits (Java's DECIMAL128
    /// precision, as Cassandra's `DecimalType.divide` uses). `None` divides by zero.
    pub fn div(&self, other: &Decimal) -> Option<Decimal> {
        if other.unscaled.is_zero() {
            return None;
        }
        if self.unscaled.is_zero() {
            let scale = self.scale.saturating_sub(other.scale);
            return Some(Decimal { unscaled: Box::new(BigInt::zero()), scale });
        }
        // Compute enough digits, then round to 34 significant digits.
        let precision: i64 = 34;
        let extra = precision + digits(&other.unscaled) as i64 + 3;
        let num = &*self.unscaled * pow10(extra as u32);
        let q = &num / &*other.unscaled;
        let r = &num % &*other.unscaled;
        let scale = i64::from(self.scale) - i64::from(other.scale) + extra;
        let mut result = round_to_precision(q, !r.is_zero(), scale, precision as u64);
        // Java strips trailing zeros down to the preferred scale.
        let preferred = i64::from(self.scale) - i64::from(other.scale);
        while i64::from(result.scale) > preferred
            && result.scale > i32::MIN
            && !result.unscaled.is_zero()
            && (&*result.unscaled % BigInt::from(10)).is_zero()
        {
            *result.unscaled /= 10;
            result.scale -= 1;
        }
        Some(result)
    }

    /// `self % other` (sign of the dividend) as `BigDecimal.remainder` with DECIMAL128:
    /// errors are Java's messages (`Division by zero`, `Division impossible` when the
    /// integral quotient needs more than 34 digits).
    pub fn rem(&self, other: &Decimal) -> Result<Decimal, &'static str> {
        if other.unscaled.is_zero() {
            return Err(if self.unscaled.is_zero() {
                "Division undefined"
            } else {
                "Division by zero"
            });
        }
        if self.unscaled.is_zero() || self.adjusted() < other.adjusted() {
            // The quotient is zero, so the remainder is the dividend (at the wider scale
            // when that is cheap to express).
            let gap = (i64::from(self.scale) - i64::from(other.scale)).unsigned_abs();
            if gap > MAX_SCALE_GAP {
                return Ok(self.clone());
            }
            let (a, _, scale) = self.aligned(other);
            return Ok(Decimal { unscaled: Box::new(a), scale });
        }
        if self.adjusted() - other.adjusted() > 34 {
            return Err("Division impossible");
        }
        let (a, b, scale) = self.aligned(other);
        if digits(&(&a / &b)) > 34 {
            return Err("Division impossible");
        }
        Ok(Decimal { unscaled: Box::new(a % b), scale })
    }

    /// The value rounded half-even to `precision` significant digits, as Java's
    /// `MathContext` rounding does (values that fit are returned unchanged).
    pub fn round_to(&self, precision: u64) -> Decimal {
        round_to_precision((*self.unscaled).clone(), false, i64::from(self.scale), precision)
    }

    /// `-self`.
    pub fn neg(&self) -> Decimal {
        Decimal { unscaled: Box::new(-(*self.unscaled).clone()), scale: self.scale }
    }

    /// Whether the value is zero.
    pub fn is_zero(&self) -> bool {
        self.unscaled.is_zero()
    }
}

/// The most digits an exact integer conversion may produce.
const MAX_DIGITS: u64 = 100_000;
/// The widest scale difference aligned exactly when one value is negligible.
const MAX_SCALE_GAP: u64 = 4_096;

/// `10^n`.
pub(crate) fn pow10(n: u32) -> BigInt {
    num_traits::pow(BigInt::from(10), n as usize)
}

/// The number of decimal digits of `|v|` (1 for zero).
fn digits(v: &BigInt) -> u64 {
    v.abs().to_string().len() as u64
}

/// Rounds `q` (with `sticky` set when a non-zero remainder was dropped) half-even to
/// `precision` significant digits.
fn round_to_precision(q: BigInt, sticky: bool, scale: i64, precision: u64) -> Decimal {
    let n = digits(&q);
    if n <= precision {
        return Decimal {
            unscaled: Box::new(q),
            scale: scale.clamp(i32::MIN.into(), i32::MAX.into()) as i32,
        };
    }
    let drop = (n - precision) as u32;
    let divisor = pow10(drop);
    let mut kept = &q / &divisor;
    let dropped = (&q % &divisor).abs();
    let half = &divisor / 2;
    let up = match dropped.cmp(&half) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => sticky || (&kept % 2u8 != BigInt::zero()),
    };
    if up {
        if q.sign() == Sign::Minus {
            kept -= 1;
        } else {
            kept += 1;
        }
    }
    let scale = scale - i64::from(drop);
    Decimal {
        unscaled: Box::new(kept),
        scale: scale.clamp(i32::MIN.into(), i32::MAX.into()) as i32,
    }
}

impl std::fmt::Display for Decimal {
    /// Java's `BigDecimal.toString`: plain unless the scale is negative or the number is
    /// tiny, then scientific (`1E+3`, `1.5E-7`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let digits = self.unscaled.abs().to_string();
        let sign = if self.unscaled.is_negative() { "-" } else { "" };
        let len = digits.len() as i64;
        let scale = i64::from(self.scale);
        let adjusted = -scale + (len - 1);
        if scale >= 0 && adjusted >= -6 {
            if scale == 0 {
                return write!(f, "{sign}{digits}");
            }
            let point = len - scale;
            if point > 0 {
                let (a, b) = digits.split_at(point as usize);
                write!(f, "{sign}{a}.{b}")
            } else {
                write!(f, "{sign}0.{}{digits}", "0".repeat((-point) as usize))
            }
        } else {
            let (first, rest) = digits.split_at(1);
            let exp = if adjusted >= 0 { format!("+{adjusted}") } else { adjusted.to_string() };
            if rest.is_empty() {
                write!(f, "{sign}{first}E{exp}")
            } else {
                write!(f, "{sign}{first}.{rest}E{exp}")
            }
        }
    }
}

/// Java's `new BigInteger(String)`: optional sign, then decimal digits.
pub(crate) fn parse_java_bigint(s: &str) -> Option<BigInt> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.strip_prefix('+').unwrap_or(s).parse().ok()
}

/// Java's `Double.valueOf(String)` for the forms CQL users write: surrounding whitespace,
/// optional sign, `NaN`, `Infinity`, decimal digits with optional exponent and an
/// optional `d`/`f` suffix.
pub(crate) fn parse_java_double(s: &str) -> Option<f64> {
    let t = s.trim_matches(|c: char| c <= ' ');
    let (negative, body) = match t.as_bytes().first()? {
        b'-' => (true, t.get(1..)?),
        b'+' => (false, t.get(1..)?),
        _ => (false, t),
    };
    let v = match body {
        "NaN" => f64::NAN,
        "Infinity" => f64::INFINITY,
        _ => {
            let body = body.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(body);
            let ok = !body.is_empty()
                && body
                    .bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
                && body.bytes().next().is_some_and(|b| b.is_ascii_digit() || b == b'.');
            if !ok {
                return None;
            }
            body.parse::<f64>().ok()?
        }
    };
    Some(if negative { -v } else { v })
}

/// Java's `Float.parseFloat`, rounding directly from the text to `f32`.
pub(crate) fn parse_java_float(s: &str) -> Option<f32> {
    let t = s.trim_matches(|c: char| c <= ' ');
    parse_java_double(t)?;
    let (negative, body) = match t.as_bytes().first()? {
        b'-' => (true, t.get(1..)?),
        b'+' => (false, t.get(1..)?),
        _ => (false, t),
    };
    let v = match body {
        "NaN" => f32::NAN,
        "Infinity" => f32::INFINITY,
        _ => body.strip_suffix(['d', 'D', 'f', 'F']).unwrap_or(body).parse::<f32>().ok()?,
    };
    Some(if negative { -v } else { v })
}

/// Java's `Double.toString`: the shortest digits that round-trip, in plain notation for
/// magnitudes in [10^-3, 10^7) and as `d.dddE±n` otherwise; always with a fraction.
pub(crate) fn java_double_to_string(v: f64) -> String {
    java_float_text(v, format!("{v:e}"))
}

/// Java's `Float.toString`, on the `f32`'s own shortest digits.
pub(crate) fn java_float_to_string(v: f32) -> String {
    java_float_text(f64::from(v), format!("{v:e}"))
}

fn java_float_text(v: f64, sci: String) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if v == 0.0 {
        return if v.is_sign_negative() { "-0.0".into() } else { "0.0".into() };
    }
    // `sci` is Rust's shortest round-trip form, e.g. "-1.2345e-5".
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let abs = v.abs();
    if (1e-3..1e7).contains(&abs) {
        let point = exp + 1;
        if point <= 0 {
            format!("{sign}0.{}{digits}", "0".repeat((-point) as usize))
        } else {
            let p = point as usize;
            if digits.len() <= p {
                format!("{sign}{digits}{}.0", "0".repeat(p - digits.len()))
            } else {
                let (a, b) = digits.split_at(p);
                format!("{sign}{a}.{b}")
            }
        }
    } else {
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let rest = if rest.is_empty() { "0" } else { rest };
        format!("{sign}{first}.{rest}E{exp}")
    }
}
