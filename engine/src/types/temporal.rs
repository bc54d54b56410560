//! Calendar arithmetic and the text forms of `timestamp`, `date`, `time` and `duration`.
//!
//! Dates use the proleptic Gregorian calendar in UTC throughout (the engine has no time
//! zone of its own, like a Cassandra node running in UTC).

/// Milliseconds in a day.
pub(crate) const MILLIS_PER_DAY: i64 = 86_400_000;
/// Nanoseconds in a day: the exclusive upper bound of a `time`.
pub(crate) const NANOS_PER_DAY: i64 = 86_400_000_000_000;
const NANOS_PER_MICRO: i64 = 1_000;
const NANOS_PER_MILLI: i64 = 1_000_000;
const NANOS_PER_SECOND: i64 = 1_000_000_000;
const NANOS_PER_MINUTE: i64 = 60 * NANOS_PER_SECOND;
const NANOS_PER_HOUR: i64 = 60 * NANOS_PER_MINUTE;
/// The stored `date` value of the Unix epoch.
pub(crate) const DATE_EPOCH: i64 = 1 << 31;

/// Days since 1970-01-01 of a proleptic Gregorian date.
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(month);
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The (year, month, day) of a day count since 1970-01-01.
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Whether `year` is a Gregorian leap year.
pub(crate) fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in a month.
pub(crate) fn month_length(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A year as `java.time` prints it: at least four digits, `+` above 9999.
fn iso_year(year: i64) -> String {
    if year > 9999 {
        format!("+{year}")
    } else if year < 0 {
        format!("-{:04}", -year)
    } else {
        format!("{year:04}")
    }
}

/// `yyyy-MM-dd` of a day count since the epoch.
pub(crate) fn format_date_days(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{}-{m:02}-{d:02}", iso_year(y))
}

/// The parts of a timestamp: date and time of day in UTC.
pub(crate) struct DateTimeParts {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: i64,
    pub minute: i64,
    pub second: i64,
    pub millis: i64,
}

/// Splits milliseconds since the epoch into UTC calendar parts.
pub(crate) fn timestamp_parts(ms: i64) -> DateTimeParts {
    let days = ms.div_euclid(MILLIS_PER_DAY);
    let rem = ms.rem_euclid(MILLIS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    DateTimeParts {
        year,
        month,
        day,
        hour: rem / 3_600_000,
        minute: rem / 60_000 % 60,
        second: rem / 1000 % 60,
        millis: rem % 1000,
    }
}

/// `yyyy-MM-dd'T'HH:mm:ss.SSSZ` in the proleptic Gregorian calendar: a literal that
/// Cassandra's (`java.time`) parser reads back to the same instant.
pub(crate) fn format_timestamp_iso(ms: i64) -> String {
    let p = timestamp_parts(ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        p.year, p.month, p.day, p.hour, p.minute, p.second, p.millis
    )
}

/// The first instant of the Gregorian calendar (1582-10-15T00:00Z) in milliseconds.
const GREGORIAN_CUTOVER_MS: i64 = -12_219_292_800_000;

/// The calendar parts Java's `SimpleDateFormat` shows for a timestamp: Gregorian from
/// 1582-10-15, Julian before it, with BC years as positive years of era.
fn java_calendar_parts(ms: i64) -> DateTimeParts {
    let mut p = timestamp_parts(ms);
    if ms < GREGORIAN_CUTOVER_MS {
        // Julian day number to Julian calendar date.
        let jdn = ms.div_euclid(MILLIS_PER_DAY) + 2_440_588;
        let c = jdn + 32_082;
        let d = (4 * c + 3).div_euclid(1461);
        let e = c - (1461 * d).div_euclid(4);
        let m = (5 * e + 2).div_euclid(153);
        p.day = (e - (153 * m + 2).div_euclid(5) + 1) as u32;
        p.month = (m + 3 - 12 * m.div_euclid(10)) as u32;
        p.year = d - 4800 + m.div_euclid(10);
    }
    if p.year <= 0 {
        p.year = 1 - p.year;
    }
    p
}

/// `yyyy-MM-dd'T'HH:mm:ss.SSSX` as Java formats it: what Cassandra's `toString` (and so
/// `CAST(ts AS text)`) gives for a timestamp.
pub(crate) fn format_timestamp_java(ms: i64) -> String {
    let p = java_calendar_parts(ms);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        p.year, p.month, p.day, p.hour, p.minute, p.second, p.millis
    )
}

/// `yyyy-MM-dd HH:mm:ss.SSSX` as Java formats it: the form `toJson` uses.
pub(crate) fn format_timestamp_json(ms: i64) -> String {
    let p = java_calendar_parts(ms);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}Z",
        p.year, p.month, p.day, p.hour, p.minute, p.second, p.millis
    )
}

/// `yyyy-mm-dd HH:MM:SS.ffffff+0000`: how cqlsh prints a timestamp.
pub(crate) fn format_timestamp_cqlsh(ms: i64) -> String {
    let p = timestamp_parts(ms);
    // cqlsh (Python's datetime) cannot show years outside 1..=9999 and prints the raw
    // number of milliseconds instead.
    if !(1..=9999).contains(&p.year) {
        return ms.to_string();
    }
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}000+0000",
        p.year, p.month, p.day, p.hour, p.minute, p.second, p.millis
    )
}

/// `HH:MM:SS.fffffffff` of nanoseconds since midnight.
pub(crate) fn format_time(nanos: i64) -> String {
    let n = nanos.rem_euclid(NANOS_PER_DAY);
    format!(
        "{:02}:{:02}:{:02}.{:09}",
        n / NANOS_PER_HOUR,
        n / NANOS_PER_MINUTE % 60,
        n / NANOS_PER_SECOND % 60,
        n % NANOS_PER_SECOND
    )
}

/// A duration in Cassandra's compact form, e.g. `1y2mo3d4h5m6s7ms8us9ns`.
pub(crate) fn format_duration(months: i32, days: i32, nanos: i64) -> String {
    let mut out = String::new();
    if months < 0 || days < 0 || nanos < 0 {
        out.push('-');
    }
    fn append(out: &mut String, dividend: u64, divisor: u64, unit: &str) -> u64 {
        if dividend == 0 || dividend < divisor {
            return dividend;
        }
        out.push_str(&(dividend / divisor).to_string());
        out.push_str(unit);
        dividend % divisor
    }
    let rem = append(&mut out, u64::from(months.unsigned_abs()), 12, "y");
    append(&mut out, rem, 1, "mo");
    append(&mut out, u64::from(days.unsigned_abs()), 1, "d");
    if nanos != 0 {
        let mut rem = nanos.unsigned_abs();
        rem = append(&mut out, rem, NANOS_PER_HOUR as u64, "h");
        rem = append(&mut out, rem, NANOS_PER_MINUTE as u64, "m");
        rem = append(&mut out, rem, NANOS_PER_SECOND as u64, "s");
        rem = append(&mut out, rem, NANOS_PER_MILLI as u64, "ms");
        rem = append(&mut out, rem, NANOS_PER_MICRO as u64, "us");
        append(&mut out, rem, 1, "ns");
    }
    out
}

/// Whether `s` is an optional `-` followed by ASCII digits (Java's `^-?\d+$`).
pub(crate) fn is_raw_integer(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
}

/// Parses a `timestamp` from text as Cassandra's `TimestampSerializer` does: milliseconds
/// since the epoch, or a date with optional time, fraction and zone. `now_ms` is what the
/// string `now` means; `None` rejects it.
pub(crate) fn parse_timestamp(source: &str, now_ms: Option<i64>) -> Result<i64, String> {
    if source.eq_ignore_ascii_case("now")
        && let Some(now) = now_ms
    {
        return Ok(now);
    }
    if is_raw_integer(source) {
        return source
            .parse::<i64>()
            .map_err(|_| format!("Unable to make long (for date) from: '{source}'"));
    }
    parse_date_time(source).ok_or_else(|| format!("Unable to parse a date/time from '{source}'"))
}

/// A cursor over ASCII text for the small hand-written parsers below.
struct Cursor<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(s: &'a str) -> Self {
        Cursor { s: s.as_bytes(), pos: 0 }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }
    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn rest(&self) -> &'a [u8] {
        self.s.get(self.pos..).unwrap_or_default()
    }
    fn at_end(&self) -> bool {
        self.pos >= self.s.len()
    }
    /// Between `min` and `max` digits, as a number.
    fn digits(&mut self, min: usize, max: usize) -> Option<(i64, usize)> {
        let start = self.pos;
        let mut value: i64 = 0;
        while self.pos - start < max {
            match self.peek() {
                Some(b) if b.is_ascii_digit() => {
                    value = value.checked_mul(10)?.checked_add(i64::from(b - b'0'))?;
                    self.pos += 1;
                }
                _ => break,
            }
        }
        let n = self.pos - start;
        (n >= min).then_some((value, n))
    }
}

/// Parses a zone suffix: ` UTC`/` GMT`/` Z` names, or an offset `Z`, `+HH`, `+HHMM`,
/// `+HH:MM` (with or without a leading space, as Java's `z`, `X` and `XXX` patterns
/// allow, the spaced zone-name pattern taking offset ids too). Returns the offset in minutes, or `None` when the text is not a zone.
fn parse_zone(rest: &[u8]) -> Option<i64> {
    let text = std::str::from_utf8(rest).ok()?;
    let (spaced, body) = match text.strip_prefix(' ') {
        Some(b) => (true, b),
        None => (false, text),
    };
    if spaced && matches!(body, "UTC" | "GMT" | "UT" | "Z" | "Coordinated Universal Time") {
        return Some(0);
    }
    if body == "Z" {
        return Some(0);
    }
    let sign = match body.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits = body.get(1..)?;
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let (h, m) = match digits.len() {
        2 if all_digits(digits) => (digits, "00"),
        4 if all_digits(digits) => (digits.get(..2)?, digits.get(2..)?),
        // `XXX` takes `+HH:MM`; after a space, the zone-name pattern reads it as an id.
        5 if digits.as_bytes().get(2) == Some(&b':') => {
            let (h, m) = (digits.get(..2)?, digits.get(3..)?);
            if !all_digits(h) || !all_digits(m) {
                return None;
            }
            (h, m)
        }
        _ => return None,
    };
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    if h > 18 || m > 59 {
        return None;
    }
    Some(sign * (h * 60 + m))
}

/// The date-and-time forms of `TimestampSerializer`, in UTC unless a zone is given.
fn parse_date_time(source: &str) -> Option<i64> {
    let mut c = Cursor::new(source);
    // `y-M-d` with any number of year digits and one or two month and day digits.
    let (year, year_digits) = c.digits(1, 9)?;
    if !c.eat(b'-') {
        return None;
    }
    let (month, month_digits) = c.digits(1, 2)?;
    if !c.eat(b'-') {
        return None;
    }
    let (day, day_digits) = c.digits(1, 2)?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    // Java's default resolver moves 29-31 past a month's end back to its last day.
    let day = day.min(i64::from(month_length(year, month as u32)));
    let mut millis_of_day = 0;
    let date_only = c.at_end() || !matches!(c.peek(), Some(b'T' | b' ')) || {
        // A space may start a zone name or offset on a date alone.
        let after = c.rest().get(1).copied();
        c.peek() == Some(b' ') && !after.is_some_and(|b| b.is_ascii_digit())
    };
    if date_only {
        // Date forms use at least four year digits and two-digit month and day.
        if year_digits < 4 || month_digits != 2 || day_digits != 2 {
            return None;
        }
    } else {
        c.pos += 1;
        let (hour, _) = c.digits(1, 2)?;
        if !c.eat(b':') {
            return None;
        }
        let (minute, _) = c.digits(1, 2)?;
        let mut second = 0;
        if c.eat(b':') {
            second = c.digits(1, 2)?.0;
        }
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let mut fraction_ms = 0;
        if c.eat(b'.') {
            let (value, n) = c.digits(0, 9)?;
            // The fraction is truncated to milliseconds.
            fraction_ms = if n <= 3 {
                value * 10_i64.pow(3 - n as u32)
            } else {
                value / 10_i64.pow(n as u32 - 3)
            };
        }
        millis_of_day = ((hour * 60 + minute) * 60 + second) * 1000 + fraction_ms;
    }
    let offset_minutes = if c.at_end() { 0 } else { parse_zone(c.rest())? };
    let days = days_from_civil(year, month as u32, day as u32);
    days.checked_mul(MILLIS_PER_DAY)?
        .checked_add(millis_of_day)?
        .checked_sub(offset_minutes.checked_mul(60_000)?)
}

/// Parses a `date` from text as `SimpleDateSerializer` does: `yyyy-mm-dd`, or a raw day
/// number with 2^31 at the epoch. Returns the stored (shifted) day number.
pub(crate) fn parse_date(source: &str) -> Result<u32, String> {
    if is_raw_integer(source) {
        return source
            .parse::<i64>()
            .ok()
            .filter(|d| (0..=i64::from(u32::MAX)).contains(d))
            .map(|d| d as u32)
            .ok_or_else(|| format!("Unable to make unsigned int (for date) from: '{source}'"));
    }
    let bad = || format!("Unable to coerce '{source}' to a formatted date (long)");
    let days = parse_iso_local_date(source).ok_or_else(bad)?;
    let min = i64::from(i32::MIN);
    let max = i64::from(i32::MAX);
    if days < min {
        return Err(format!(
            "Input date {source} is less than min supported date {}T00:00Z",
            format_date_days(min)
        ));
    }
    if days > max {
        return Err(format!(
            "Input date {source} is greater than max supported date {}T00:00Z",
            format_date_days(max)
        ));
    }
    Ok((days + DATE_EPOCH) as u32)
}

/// `ISO_LOCAL_DATE` with strict resolution: days since the epoch.
fn parse_iso_local_date(source: &str) -> Option<i64> {
    let mut c = Cursor::new(source);
    let sign = if c.eat(b'+') {
        Some(1)
    } else if c.eat(b'-') {
        Some(-1)
    } else {
        None
    };
    let (year, year_digits) = c.digits(4, 10)?;
    // Java's strict `EXCEEDS_PAD` year: more than four digits need a sign, a `+` needs
    // more than four digits, and a `-` takes any year but zero.
    let sign_fits = match sign {
        None => year_digits <= 4,
        Some(1) => year_digits > 4,
        Some(_) => year != 0,
    };
    if !sign_fits || year > 999_999_999 {
        return None;
    }
    let year = year * sign.unwrap_or(1);
    if !c.eat(b'-') {
        return None;
    }
    let (month, _) = c.digits(2, 2)?;
    if !c.eat(b'-') {
        return None;
    }
    let (day, _) = c.digits(2, 2)?;
    if !c.at_end() || !(1..=12).contains(&month) {
        return None;
    }
    if day < 1 || day > i64::from(month_length(year, month as u32)) {
        return None;
    }
    Some(days_from_civil(year, month as u32, day as u32))
}

/// Days since the epoch of a stored `date`.
pub(crate) fn date_to_days(stored: u32) -> i64 {
    i64::from(stored) - DATE_EPOCH
}

/// Parses a `time` from text as `TimeSerializer` does: raw nanoseconds since midnight or
/// `hh:mm:ss[.fffffffff]`.
pub(crate) fn parse_time(source: &str) -> Result<i64, String> {
    if is_raw_integer(source) {
        return source
            .parse::<i64>()
            .ok()
            .filter(|n| (0..NANOS_PER_DAY).contains(n))
            .ok_or_else(|| format!("Unable to make long (for time) from: '{source}'"));
    }
    parse_time_strictly(source)
        .ok_or_else(|| format!("(TimeType) Unable to coerce '{source}' to a formatted time (long)"))
}

/// Java's `Integer.parseInt`: optional sign, then decimal digits.
pub(crate) fn java_parse_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse::<i32>().ok().map(i64::from)
}

fn parse_time_strictly(source: &str) -> Option<i64> {
    let s = source.trim_matches(|c: char| c <= ' ');
    let first = s.find(':')?;
    let second = first + 1 + s.get(first + 1..)?.find(':')?;
    if first == 0 || second + 1 >= s.len() {
        return None;
    }
    let hour = java_parse_int(s.get(..first)?)?;
    let minute = java_parse_int(s.get(first + 1..second)?)?;
    if !(0..24).contains(&hour) || !(0..60).contains(&minute) {
        return None;
    }
    let tail = s.get(second + 1..)?;
    let (sec_text, nanos) = match tail.find('.') {
        Some(dot) if dot + 1 < tail.len() => {
            let frac = tail.get(dot + 1..)?;
            if frac.len() > 9 || !frac.as_bytes().first()?.is_ascii_digit() {
                return None;
            }
            let padded = format!("{frac:0<9}");
            (tail.get(..dot)?, java_parse_int(&padded)?)
        }
        Some(_) => return None,
        None => (tail, 0),
    };
    let second = java_parse_int(sec_text)?;
    if !(0..60).contains(&second) {
        return None;
    }
    Some(hour * NANOS_PER_HOUR + minute * NANOS_PER_MINUTE + second * NANOS_PER_SECOND + nanos)
}

/// Accumulates a duration's parts, enforcing Cassandra's order and range rules.
struct DurationBuilder {
    negative: bool,
    months: i64,
    days: i64,
    nanos: i64,
    unit: u8,
}

const UNIT_NAMES: [&str; 11] = [
    "",
    "years",
    "months",
    "weeks",
    "days",
    "hours",
    "minutes",
    "seconds",
    "milliseconds",
    "microseconds",
    "nanoseconds",
];

impl DurationBuilder {
    fn new(negative: bool) -> Self {
        DurationBuilder { negative, months: 0, days: 0, nanos: 0, unit: 0 }
    }

    fn order(&mut self, unit: u8) -> Result<(), String> {
        let name = |u: u8| UNIT_NAMES.get(usize::from(u)).copied().unwrap_or_default();
        if unit == self.unit {
            return Err(format!(
                "Invalid duration. The {} are specified multiple times",
                name(unit)
            ));
        }
        if unit < self.unit {
            return Err(format!(
                "Invalid duration. The {} should be after {}",
                name(self.unit),
                name(unit)
            ));
        }
        self.unit = unit;
        Ok(())
    }

    fn check(units: i64, limit: i64, what: &str) -> Result<(), String> {
        if units <= limit {
            Ok(())
        } else {
            Err(format!(
                "Invalid duration. The total number of {what} must be less or equal to {}",
                i32::MAX
            ))
        }
    }

    /// Adds `n` of the unit with index `unit` (1 = years ... 10 = nanoseconds).
    fn add(&mut self, unit: u8, n: i64) -> Result<(), String> {
        self.order(unit)?;
        let max = i64::from(i32::MAX);
        match unit {
            1 | 2 => {
                let per = if unit == 1 { 12 } else { 1 };
                Self::check(n, (max - self.months) / per, "months")?;
                self.months += n * per;
            }
            3 | 4 => {
                let per = if unit == 3 { 7 } else { 1 };
                Self::check(n, (max - self.days) / per, "days")?;
                self.days += n * per;
            }
            _ => {
                let per = match unit {
                    5 => NANOS_PER_HOUR,
                    6 => NANOS_PER_MINUTE,
                    7 => NANOS_PER_SECOND,
                    8 => NANOS_PER_MILLI,
                    9 => NANOS_PER_MICRO,
                    _ => 1,
                };
                Self::check(n, (i64::MAX - self.nanos) / per, "nanoseconds")?;
                self.nanos += n * per;
            }
        }
        Ok(())
    }

    fn build(self) -> (i32, i32, i64) {
        // The checks above keep months and days within i32.
        let (m, d) = (self.months as i32, self.days as i32);
        if self.negative { (-m, -d, -self.nanos) } else { (m, d, self.nanos) }
    }
}

/// Parses a duration as `Duration.from` does: `1h30m`-style units, ISO 8601 `P..T..`,
/// `P[n]W` or the alternative `P[YYYY]-[MM]-[DD]T[hh]:[mm]:[ss]`.
pub(crate) fn parse_duration(input: &str) -> Result<(i32, i32, i64), String> {
    let negative = input.starts_with('-');
    let source = if negative { input.get(1..).unwrap_or_default() } else { input };
    let bad = || format!("Unable to convert '{source}' to a duration");
    let number = |s: &str| s.parse::<i64>().map_err(|_| bad());
    let mut b = DurationBuilder::new(negative);
    if let Some(body) = source.strip_prefix('P') {
        if let Some(weeks) = body.strip_suffix('W') {
            if weeks.is_empty() || !weeks.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            b.add(3, number(weeks)?)?;
            return Ok(b.build());
        }
        if source.contains('-') {
            // P(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})
            let bytes = body.as_bytes();
            let shape = b"dddd-dd-ddTdd:dd:dd";
            let ok = bytes.len() == shape.len()
                && bytes
                    .iter()
                    .zip(shape)
                    .all(|(c, s)| if *s == b'd' { c.is_ascii_digit() } else { c == s });
            if !ok {
                return Err(bad());
            }
            let part = |r: std::ops::Range<usize>| number(body.get(r).unwrap_or_default());
            for (unit, range) in
                [(1, 0..4), (2, 5..7), (4, 8..10), (5, 11..13), (6, 14..16), (7, 17..19)]
            {
                b.add(unit, part(range)?)?;
            }
            return Ok(b.build());
        }
        // P((\d+)Y)?((\d+)M)?((\d+)D)?(T((\d+)H)?((\d+)M)?((\d+)S)?)?
        let (date_part, time_part) = match body.find('T') {
            Some(t) => {
                (body.get(..t).unwrap_or_default(), Some(body.get(t + 1..).unwrap_or_default()))
            }
            None => (body, None),
        };
        let designated = |text: &str, designators: &[(u8, u8)]| -> Result<Vec<(u8, i64)>, String> {
            let mut out = Vec::new();
            let mut rest = text;
            let mut next = 0;
            while !rest.is_empty() {
                let end = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
                if end == 0 {
                    return Err(bad());
                }
                let designator = *rest.as_bytes().get(end).ok_or_else(bad)?;
                let idx = designators
                    .iter()
                    .skip(next)
                    .position(|(d, _)| *d == designator)
                    .map(|i| i + next)
                    .ok_or_else(bad)?;
                let unit = designators.get(idx).map(|(_, u)| *u).ok_or_else(bad)?;
                out.push((unit, number(rest.get(..end).unwrap_or_default())?));
                next = idx + 1;
                rest = rest.get(end + 1..).unwrap_or_default();
            }
            Ok(out)
        };
        let mut parts = designated(date_part, &[(b'Y', 1), (b'M', 2), (b'D', 4)])?;
        if let Some(time) = time_part {
            parts.extend(designated(time, &[(b'H', 5), (b'M', 6), (b'S', 7)])?);
        }
        for (unit, n) in parts {
            b.add(unit, n)?;
        }
        return Ok(b.build());
    }
    // (\d+)(y|mo|w|d|h|s|ms|us|µs|ns|m), case-insensitive units, repeated to the end.
    let mut rest = source;
    if rest.is_empty() {
        return Err(bad());
    }
    while !rest.is_empty() {
        let end = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        if end == 0 {
            return Err(bad());
        }
        let n = number(rest.get(..end).unwrap_or_default())?;
        let tail = rest.get(end..).unwrap_or_default();
        let lower = tail.to_lowercase();
        let (unit, len) = [
            ("y", 1, 1),
            ("mo", 2, 2),
            ("w", 3, 1),
            ("d", 4, 1),
            ("h", 5, 1),
            ("s", 7, 1),
            ("ms", 8, 2),
            ("us", 9, 2),
            ("µs", 9, "µs".len()),
            ("ns", 10, 2),
            ("m", 6, 1),
        ]
        .iter()
        // The order matters: "mo" and "ms" must win over "m", as in Cassandra's pattern.
        .find(|(sym, _, _)| lower.starts_with(sym))
        .map(|(_, u, l)| (*u, *l))
        .ok_or_else(bad)?;
        b.add(unit, n)?;
        rest = tail.get(len..).ok_or_else(bad)?;
    }
    Ok(b.build())
}

/// Adds a duration to a timestamp as Cassandra's `Duration.addTo` does: months and days
/// on the UTC calendar (clamping the day of month), then the milliseconds.
pub(crate) fn add_duration_to_millis(ms: i64, months: i32, days: i32, nanos: i64) -> i64 {
    if months == 0 {
        return ms
            .wrapping_add(i64::from(days).wrapping_mul(MILLIS_PER_DAY))
            .wrapping_add(nanos / NANOS_PER_MILLI);
    }
    let day_index = ms.div_euclid(MILLIS_PER_DAY);
    let time_of_day = ms.rem_euclid(MILLIS_PER_DAY);
    let (y, m, d) = civil_from_days(day_index);
    let total = y * 12 + i64::from(m) - 1 + i64::from(months);
    let (ny, nm) = (total.div_euclid(12), (total.rem_euclid(12) + 1) as u32);
    let nd = d.min(month_length(ny, nm));
    let base = days_from_civil(ny, nm, nd) + i64::from(days);
    // Java's Calendar adds the milliseconds as an int.
    let millis = (nanos / NANOS_PER_MILLI) as i32;
    base.wrapping_mul(MILLIS_PER_DAY).wrapping_add(time_of_day).wrapping_add(i64::from(millis))
}
