use std::net::IpAddr;

use super::*;

#[test]
fn doubles_print_as_java() {
    assert_eq!(double(1.0), "1.0");
    assert_eq!(double(-0.0), "-0.0");
    assert_eq!(double(1.5), "1.5");
    assert_eq!(double(100.0), "100.0");
    assert_eq!(double(1234567.0), "1234567.0");
    assert_eq!(double(12345678.0), "1.2345678E7");
    assert_eq!(double(1e10), "1.0E10");
    assert_eq!(double(0.001), "0.001");
    assert_eq!(double(0.0001), "1.0E-4");
    assert_eq!(double(0.1), "0.1");
    assert_eq!(float(3.4028235e38), "3.4028235E38");
    assert_eq!(float(0.1), "0.1");
}

#[test]
fn decimals_print_as_big_decimal() {
    assert_eq!(decimal("110", 2), "1.10");
    assert_eq!(decimal("-5", 3), "-0.005");
    assert_eq!(decimal("123", 0), "123");
    assert_eq!(decimal("1", -3), "1E+3");
    assert_eq!(decimal("12", 9), "1.2E-8");
    assert_eq!(decimal("1", 7), "1E-7");
    assert_eq!(decimal("1", 6), "0.000001");
}

#[test]
fn instants_print_as_java() {
    assert_eq!(instant(0), "1970-01-01T00:00:00Z");
    assert_eq!(instant(1_619_203_342_139), "2021-04-23T18:42:22.139Z");
    assert_eq!(instant(1_619_203_342_000), "2021-04-23T18:42:22Z");
    assert_eq!(instant(-1), "1969-12-31T23:59:59.999Z");
    assert_eq!(instant(253_402_300_800_000), "+10000-01-01T00:00:00Z");
}

#[test]
fn dates_and_times_print_as_java() {
    assert_eq!(local_date(0), "1970-01-01");
    assert_eq!(local_date(18_628), "2021-01-01");
    assert_eq!(local_date(-719_528), "0000-01-01");
    assert_eq!(local_time(37_230_000_000_000), "10:20:30");
    assert_eq!(local_time(37_230_123_000_000), "10:20:30.123");
    assert_eq!(local_time(1), "00:00:00.000000001");
}

#[test]
fn durations_print_as_the_java_driver() {
    assert_eq!(duration(0, 14, 0), "14d");
    assert_eq!(duration(14, 0, 0), "1y2mo");
    assert_eq!(duration(0, 0, 3_600_000_000_000 + 1_000_001), "1h1ms1ns");
    assert_eq!(duration(-1, -2, -60_000_000_000), "-1mo2d1m");
    assert_eq!(duration(0, 0, 0), "");
}

#[test]
fn addresses_and_uuids_print_as_java() {
    let v6: IpAddr = "::1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
    assert_eq!(inet(&v6), "0:0:0:0:0:0:0:1");
    let mapped: IpAddr = "::ffff:10.0.0.1".parse().unwrap_or(IpAddr::from([0, 0, 0, 0]));
    assert_eq!(inet(&mapped), "10.0.0.1");
    let bytes = [
        0x12, 0x3e, 0x45, 0x67, 0xe8, 0x9b, 0x12, 0xd3, 0xa4, 0x56, 0x42, 0x66, 0x14, 0x17, 0x40,
        0x00,
    ];
    assert_eq!(uuid(&bytes), "123e4567-e89b-12d3-a456-426614174000");
}
