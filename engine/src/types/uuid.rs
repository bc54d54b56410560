//! UUIDs: text form, order, version 1 (time-based) layout and a seeded generator.

use std::cmp::Ordering;
use std::fmt;

use super::Uuid;

/// 100-nanosecond intervals between 1582-10-15 (the UUID epoch) and 1970-01-01.
const UUID_EPOCH_OFFSET: i64 = 0x01b2_1dd2_1381_4000;
/// The clock sequence and node `minTimeuuid` uses: the smallest under Cassandra's order.
const MIN_CLOCK_SEQ_AND_NODE: u64 = 0x8080_8080_8080_8080;
/// The clock sequence and node `maxTimeuuid` uses: the largest under Cassandra's order.
const MAX_CLOCK_SEQ_AND_NODE: u64 = 0x7f7f_7f7f_7f7f_7f7f;

impl Uuid {
    /// Parses the canonical `8-4-4-4-12` hex form (either case).
    pub fn parse(text: &str) -> Option<Uuid> {
        let b = text.as_bytes();
        if b.len() != 36 {
            return None;
        }
        let mut out = [0u8; 16];
        let mut n = 0;
        let mut i = 0;
        while i < 36 {
            if matches!(i, 8 | 13 | 18 | 23) {
                if b.get(i) != Some(&b'-') {
                    return None;
                }
                i += 1;
                continue;
            }
            let hi = hex_value(*b.get(i)?)?;
            let lo = hex_value(*b.get(i + 1)?)?;
            *out.get_mut(n)? = hi << 4 | lo;
            n += 1;
            i += 2;
        }
        Some(Uuid(out))
    }

    /// The most significant 64 bits.
    pub fn msb(&self) -> u64 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&self.0[..8]);
        u64::from_be_bytes(b)
    }

    /// The least significant 64 bits.
    pub fn lsb(&self) -> u64 {
        let mut b = [0u8; 8];
        b.copy_from_slice(&self.0[8..]);
        u64::from_be_bytes(b)
    }

    /// A UUID from its two halves.
    pub fn from_halves(msb: u64, lsb: u64) -> Uuid {
        let mut out = [0u8; 16];
        out[..8].copy_from_slice(&msb.to_be_bytes());
        out[8..].copy_from_slice(&lsb.to_be_bytes());
        Uuid(out)
    }

    /// The version nibble.
    pub fn version(&self) -> u8 {
        self.0[6] >> 4
    }

    /// The 60-bit timestamp of a version 1 UUID, in 100 ns units since 1582-10-15.
    pub fn raw_timestamp(&self) -> i64 {
        let msb = self.msb();
        (((msb & 0x0fff) << 48) | (((msb >> 16) & 0xffff) << 32) | (msb >> 32)) as i64
    }

    /// The Unix time in milliseconds of a version 1 UUID.
    pub fn unix_millis(&self) -> i64 {
        (self.raw_timestamp() - UUID_EPOCH_OFFSET).div_euclid(10_000)
    }

    /// The version 1 UUID with the given 100 ns timestamp and clock sequence/node bits.
    pub fn time_based(raw_timestamp: i64, clock_seq_and_node: u64) -> Uuid {
        let ts = raw_timestamp as u64;
        let msb = ((ts & 0xffff_ffff) << 32)
            | (((ts >> 32) & 0xffff) << 16)
            | 0x1000
            | ((ts >> 48) & 0x0fff);
        Uuid::from_halves(msb, clock_seq_and_node)
    }

    /// `minTimeuuid(ms)`: the smallest timeuuid of that millisecond.
    pub fn min_timeuuid(unix_millis: i64) -> Uuid {
        Uuid::time_based(millis_to_raw(unix_millis), MIN_CLOCK_SEQ_AND_NODE)
    }

    /// `maxTimeuuid(ms)`: the largest timeuuid of that millisecond.
    pub fn max_timeuuid(unix_millis: i64) -> Uuid {
        Uuid::time_based(millis_to_raw(unix_millis.wrapping_add(1)) - 1, MAX_CLOCK_SEQ_AND_NODE)
    }
}

fn millis_to_raw(unix_millis: i64) -> i64 {
    unix_millis.wrapping_mul(10_000).wrapping_add(UUID_EPOCH_OFFSET)
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

impl fmt::Display for Uuid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.0.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                f.write_str("-")?;
            }
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Reorders a version 1 msb so its timestamp compares as a number (hi, mid, low).
fn reorder_timestamp(msb: u64) -> u64 {
    (msb << 48) | ((msb << 16) & 0xffff_0000_0000) | (msb >> 32)
}

/// `UUIDType`'s order: version first, then the timestamp for version 1 UUIDs (raw bits
/// otherwise), then the low half unsigned.
pub(crate) fn compare_uuid(a: &Uuid, b: &Uuid) -> Ordering {
    let (va, vb) = (a.version(), b.version());
    va.cmp(&vb)
        .then_with(|| {
            if va == 1 {
                reorder_timestamp(a.msb()).cmp(&reorder_timestamp(b.msb()))
            } else {
                a.msb().cmp(&b.msb())
            }
        })
        .then_with(|| a.lsb().cmp(&b.lsb()))
}

/// `TimeUUIDType`'s order: the timestamp, then the low half as signed bytes.
pub(crate) fn compare_timeuuid(a: &Uuid, b: &Uuid) -> Ordering {
    reorder_timestamp(a.msb()).cmp(&reorder_timestamp(b.msb())).then_with(|| {
        let signed = |u: &Uuid| u.lsb() ^ 0x8080_8080_8080_8080;
        signed(a).cmp(&signed(b))
    })
}

/// A deterministic source of random bits (SplitMix64): the engine's only randomness,
/// seeded by the caller.
#[derive(Debug, Clone)]
pub struct SeededRng {
    state: u64,
}

impl SeededRng {
    /// A generator whose output is fixed by `seed`.
    pub fn new(seed: u64) -> Self {
        SeededRng { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A random (version 4) UUID, as `uuid()` returns.
    pub fn uuid_v4(&mut self) -> Uuid {
        let msb = (self.next_u64() & !0xf000) | 0x4000;
        let lsb = (self.next_u64() & !(0xc000_0000_0000_0000)) | 0x8000_0000_0000_0000;
        Uuid::from_halves(msb, lsb)
    }
}

/// Makes the timeuuids `now()` returns: unique and increasing even when asked many times
/// in the same microsecond, with a clock sequence and node fixed by a seed.
#[derive(Debug, Clone)]
pub struct TimeuuidGenerator {
    last_raw: i64,
    clock_seq_and_node: u64,
}

impl TimeuuidGenerator {
    /// A generator whose clock sequence and node bits come from `seed`.
    pub fn new(seed: u64) -> Self {
        let bits = SeededRng::new(seed).next_u64();
        // Variant 10 in the top bits, as RFC 4122 requires.
        let clock_seq_and_node = (bits & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
        TimeuuidGenerator { last_raw: i64::MIN, clock_seq_and_node }
    }

    /// The next timeuuid at `now_micros` (microseconds since the epoch). Like Cassandra,
    /// it never goes backwards: a repeated or earlier time takes the next 100 ns tick.
    pub fn next(&mut self, now_micros: i64) -> Uuid {
        let raw = now_micros.wrapping_mul(10).wrapping_add(UUID_EPOCH_OFFSET);
        let raw = if raw > self.last_raw { raw } else { self.last_raw.wrapping_add(1) };
        self.last_raw = raw;
        Uuid::time_based(raw, self.clock_seq_and_node)
    }
}
