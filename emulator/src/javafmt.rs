//! Java's text forms of values, as Stargate's Jackson output prints them.
//!
//! Both APIs in front of Cassandra are Java servers, so a number, instant or address in a
//! response is whatever `Double.toString`, `BigDecimal.toString`, `Instant.toString` and
//! friends print. These functions reproduce those forms so clients see identical text.

use std::fmt::Write as _;
use std::net::IpAddr;

/// `Double.toString`: shortest digits, plain between 10^-3 and 10^7, else `d.dddE±n`.
/// NaN and the infinities are the caller's business (JSON has no token for them).
pub fn double(x: f64) -> String {
    java_float_layout(&format!("{x:e}"))
}

/// `Float.toString`, with the same layout rules as [`double`].
pub fn float(x: f32) -> String {
    java_float_layout(&format!("{x:e}"))
}

/// Lays out Rust's `{:e}` text (`-1.2345e-5`) the way Java prints floating point.
fn java_float_layout(sci: &str) -> String {
    let (negative, sci) = match sci.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, sci),
    };
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if digits.chars().all(|c| c == '0') {
        out.push_str("0.0");
        return out;
    }
    if (-3..7).contains(&exponent) {
        if exponent >= 0 {
            let int_len = exponent as usize + 1;
            let int_part: String =
                digits.chars().chain(std::iter::repeat('0')).take(int_len).collect();
            let frac: String = digits.chars().skip(int_len).collect();
            out.push_str(&int_part);
            out.push('.');
            out.push_str(if frac.is_empty() { "0" } else { &frac });
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (-exponent - 1) as usize));
            out.push_str(&digits);
        }
    } else {
        let (first, rest) = digits.split_at(1);
        let _ = write!(out, "{first}.{}E{exponent}", if rest.is_empty() { "0" } else { rest });
    }
    out
}

/// `BigDecimal.toString` of `unscaled × 10^-scale`: plain unless the scale is negative
/// or the adjusted exponent is below -6, then scientific with an explicit exponent sign.
pub fn decimal(unscaled: &str, scale: i32) -> String {
    let (negative, coeff) = match unscaled.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, unscaled),
    };
    let len = coeff.len() as i64;
    let scale = i64::from(scale);
    let adjusted = -scale + (len - 1);
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    if scale >= 0 && adjusted >= -6 {
        if scale == 0 {
            out.push_str(coeff);
        } else if len > scale {
            let (int_part, frac) = coeff.split_at((len - scale) as usize);
            let _ = write!(out, "{int_part}.{frac}");
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n('0', (scale - len) as usize));
            out.push_str(coeff);
        }
    } else {
        let (first, rest) = coeff.split_at(1.min(coeff.len()));
        out.push_str(first);
        if !rest.is_empty() {
            out.push('.');
            out.push_str(rest);
        }
        let _ = write!(out, "E{}{adjusted}", if adjusted >= 0 { "+" } else { "" });
    }
    out
}

/// The proleptic Gregorian (year, month, day) of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A year as `java.time` prints it: four digits at least, `+` above 9999.
fn year(y: i64) -> String {
    if y > 9999 {
        format!("+{y}")
    } else if y < 0 {
        format!("-{:04}", -y)
    } else {
        format!("{y:04}")
    }
}

/// `LocalDate.toString` of a day count since 1970-01-01.
pub fn local_date(days_since_epoch: i64) -> String {
    let (y, m, d) = civil_from_days(days_since_epoch);
    format!("{}-{m:02}-{d:02}", year(y))
}

/// `Instant.toString` of milliseconds since the epoch: UTC with `Z`, the fraction left out
/// when the milliseconds are zero.
pub fn instant(millis: i64) -> String {
    let days = millis.div_euclid(86_400_000);
    let ms_of_day = millis.rem_euclid(86_400_000);
    let (h, m, s, ms) =
        (ms_of_day / 3_600_000, ms_of_day / 60_000 % 60, ms_of_day / 1000 % 60, ms_of_day % 1000);
    let mut out = format!("{}T{h:02}:{m:02}:{s:02}", local_date(days));
    if ms != 0 {
        let _ = write!(out, ".{ms:03}");
    }
    out.push('Z');
    out
}

/// `DateTimeFormatter.ISO_LOCAL_TIME` of nanoseconds since midnight: `HH:mm:ss`, then the
/// fraction without trailing zeros when it is not zero.
pub fn local_time(nanos: i64) -> String {
    let nanos = nanos.rem_euclid(86_400_000_000_000);
    let secs = nanos / 1_000_000_000;
    let frac = nanos % 1_000_000_000;
    let mut out = format!("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
    if frac != 0 {
        let digits = format!("{frac:09}");
        let _ = write!(out, ".{}", digits.trim_end_matches('0'));
    }
    out
}

/// The Java driver's `CqlDuration.toString`: `1y2mo3d4h5m6s7ms8us9ns`, units that are zero
/// left out, weeks never used (`2w` prints as `14d`).
pub fn duration(months: i32, days: i32, nanos: i64) -> String {
    fn append(out: &mut String, dividend: i64, divisor: i64, unit: &str) -> i64 {
        if dividend == 0 || dividend < divisor {
            return dividend;
        }
        let _ = write!(out, "{}{unit}", dividend / divisor);
        dividend % divisor
    }
    let mut out = String::new();
    if months < 0 || days < 0 || nanos < 0 {
        out.push('-');
    }
    let rest = append(&mut out, i64::from(months).abs(), 12, "y");
    append(&mut out, rest, 1, "mo");
    append(&mut out, i64::from(days).abs(), 1, "d");
    if nanos != 0 {
        let mut rest = nanos.unsigned_abs().min(i64::MAX as u64) as i64;
        for (divisor, unit) in [
            (3_600_000_000_000, "h"),
            (60_000_000_000, "m"),
            (1_000_000_000, "s"),
            (1_000_000, "ms"),
            (1_000, "us"),
            (1, "ns"),
        ] {
            rest = append(&mut out, rest, divisor, unit);
        }
    }
    out
}

/// `InetAddress.getHostAddress`: dotted IPv4, or eight uncompressed hex groups for IPv6
/// (IPv4-mapped addresses become IPv4, as Java builds them).
pub fn inet(addr: &IpAddr) -> String {
    match addr {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => v6.segments().iter().map(|s| format!("{s:x}")).collect::<Vec<_>>().join(":"),
        },
    }
}

/// `UUID.toString`: lower-case 8-4-4-4-12 hex.
pub fn uuid(bytes: &[u8; 16]) -> String {
    let mut out = String::with_capacity(36);
    for (i, b) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        let _ = write!(out, "{b:02x}");
    }
    out
}

#[cfg(test)]
mod tests;
