use std::cmp::Ordering;

use super::*;

fn native(n: NativeType) -> CqlType {
    CqlType::Native(n)
}

fn text(s: &str) -> Constant {
    Constant::String(s.into())
}

fn int(s: &str) -> Constant {
    Constant::Integer(s.into())
}

fn convert(c: &Constant, n: NativeType) -> Result<Value, String> {
    constant_to_value(c, &native(n), "k").map_err(|e| e.to_string())
}

#[test]
fn native_type_names_round_trip() {
    for t in NativeType::ALL {
        assert_eq!(NativeType::from_name(t.name()), Some(t));
        assert_eq!(NativeType::from_name(&t.name().to_uppercase()), Some(t));
    }
    assert_eq!(NativeType::from_name("VarChar"), Some(NativeType::Text));
    assert_eq!(NativeType::from_name("string"), None);
}

#[test]
fn types_display_as_cassandra_prints_them() {
    let udt = UdtType { keyspace: "ks".into(), name: "Address".into(), fields: vec![] };
    let cases: Vec<(CqlType, &str)> = vec![
        (native(NativeType::Int), "int"),
        (
            CqlType::Frozen(Box::new(CqlType::List(Box::new(native(NativeType::Text))))),
            "frozen<list<text>>",
        ),
        (
            CqlType::Map(Box::new(native(NativeType::Text)), Box::new(native(NativeType::Int))),
            "map<text, int>",
        ),
        (
            CqlType::Tuple(vec![native(NativeType::Int), native(NativeType::Text)]),
            "tuple<int, text>",
        ),
        (CqlType::Vector(Box::new(native(NativeType::Float)), 3), "vector<float, 3>"),
        (CqlType::Udt(udt.clone()), "\"Address\""),
        (CqlType::Udt(UdtType { name: "address".into(), ..udt }), "address"),
        (CqlType::Set(Box::new(native(NativeType::Timeuuid))), "set<timeuuid>"),
    ];
    for (ty, expected) in cases {
        assert_eq!(ty.to_string(), expected);
    }
}

#[test]
fn constants_convert_to_values() {
    use NativeType as N;
    let ok: Vec<(Constant, NativeType, Value)> = vec![
        (int("42"), N::Int, Value::Int(42)),
        (int("-128"), N::Tinyint, Value::Tinyint(-128)),
        (int("32767"), N::Smallint, Value::Smallint(32767)),
        (int("9223372036854775807"), N::Bigint, Value::Bigint(i64::MAX)),
        (int("5"), N::Counter, Value::Counter(5)),
        (
            int("123456789012345678901234567890"),
            N::Varint,
            Value::Varint("123456789012345678901234567890".parse().unwrap()),
        ),
        (int("3"), N::Double, Value::Double(3.0)),
        (Constant::Float("1.5".into()), N::Float, Value::Float(1.5)),
        (Constant::Float("1.50".into()), N::Decimal, Value::Decimal(Decimal::new(150.into(), 2))),
        (Constant::NaN, N::Double, Value::Double(f64::NAN)),
        (Constant::NegInfinity, N::Float, Value::Float(f32::NEG_INFINITY)),
        (text("hello"), N::Text, Value::Text("hello".into())),
        (text("hello"), N::Ascii, Value::Ascii("hello".into())),
        (Constant::Boolean(true), N::Boolean, Value::Boolean(true)),
        (Constant::Hex("CAFE".into()), N::Blob, Value::Blob(vec![0xca, 0xfe])),
        (Constant::Hex(String::new()), N::Blob, Value::Blob(vec![])),
        (text("127.0.0.1"), N::Inet, Value::Inet("127.0.0.1".parse().unwrap())),
        (text("::1"), N::Inet, Value::Inet("::1".parse().unwrap())),
        (text("2021-01-01"), N::Timestamp, Value::Timestamp(1_609_459_200_000)),
        (text("2021-01-01 10:20"), N::Timestamp, Value::Timestamp(1_609_496_400_000)),
        (text("2021-01-01T10:20:30"), N::Timestamp, Value::Timestamp(1_609_496_430_000)),
        (text("2021-01-01 10:20:30.5"), N::Timestamp, Value::Timestamp(1_609_496_430_500)),
        (text("2021-01-01 10:20:30.123456"), N::Timestamp, Value::Timestamp(1_609_496_430_123)),
        (text("2021-01-01 10:20:30+0100"), N::Timestamp, Value::Timestamp(1_609_492_830_000)),
        (text("2021-01-01T10:20:30.000+01:00"), N::Timestamp, Value::Timestamp(1_609_492_830_000)),
        (text("2021-01-01 10:20:30Z"), N::Timestamp, Value::Timestamp(1_609_496_430_000)),
        (text("2021-01-01 10:20:30 UTC"), N::Timestamp, Value::Timestamp(1_609_496_430_000)),
        (text("2021-1-1 1:2:3"), N::Timestamp, Value::Timestamp(1_609_462_923_000)),
        (text("2021-01-01+0000"), N::Timestamp, Value::Timestamp(1_609_459_200_000)),
        (text("2021-01-01 +01:00"), N::Timestamp, Value::Timestamp(1_609_455_600_000)),
        (int("1609459200000"), N::Timestamp, Value::Timestamp(1_609_459_200_000)),
        (text("-5"), N::Timestamp, Value::Timestamp(-5)),
        (text("1970-01-01"), N::Date, Value::Date(1 << 31)),
        (text("2021-01-01"), N::Date, Value::Date((1u32 << 31) + 18628)),
        (text("1969-12-31"), N::Date, Value::Date((1u32 << 31) - 1)),
        (int("2147483648"), N::Date, Value::Date(1 << 31)),
        (text("0"), N::Date, Value::Date(0)),
        (text("10:20:30"), N::Time, Value::Time(37_230_000_000_000)),
        (text("10:20:30.5"), N::Time, Value::Time(37_230_500_000_000)),
        (text("00:00:00.000000001"), N::Time, Value::Time(1)),
        (int("1000"), N::Time, Value::Time(1000)),
        (
            Constant::Uuid("550E8400-e29b-41d4-a716-446655440000".into()),
            N::Uuid,
            Value::Uuid(Uuid::parse("550e8400-e29b-41d4-a716-446655440000").unwrap()),
        ),
        (
            Constant::Duration("1h30m".into()),
            N::Duration,
            Value::Duration { months: 0, days: 0, nanos: 5_400_000_000_000 },
        ),
        (
            Constant::Duration("-2y3mo1w2d".into()),
            N::Duration,
            Value::Duration { months: -27, days: -9, nanos: 0 },
        ),
        (
            Constant::Duration("1ms2us3ns".into()),
            N::Duration,
            Value::Duration { months: 0, days: 0, nanos: 1_002_003 },
        ),
        (
            Constant::Duration("P1Y2M3DT4H5M6S".into()),
            N::Duration,
            Value::Duration { months: 14, days: 3, nanos: 14_706_000_000_000 },
        ),
        (
            Constant::Duration("P2W".into()),
            N::Duration,
            Value::Duration { months: 0, days: 14, nanos: 0 },
        ),
        (
            Constant::Duration("12µs".into()),
            N::Duration,
            Value::Duration { months: 0, days: 0, nanos: 12_000 },
        ),
        (
            Constant::Duration("3MO2M".into()),
            N::Duration,
            Value::Duration { months: 3, days: 0, nanos: 120_000_000_000 },
        ),
        (
            Constant::Duration("PT0S".into()),
            N::Duration,
            Value::Duration { months: 0, days: 0, nanos: 0 },
        ),
        (text("127.1"), N::Inet, Value::Inet("127.0.0.1".parse().unwrap())),
        (text("[::1]"), N::Inet, Value::Inet("::1".parse().unwrap())),
        (text("::ffff:10.0.0.1"), N::Inet, Value::Inet("10.0.0.1".parse().unwrap())),
        (text("localhost"), N::Inet, Value::Inet("127.0.0.1".parse().unwrap())),
        (text(" 10:20:30 "), N::Time, Value::Time(37_230_000_000_000)),
        (
            Constant::Duration("P0001-02-03T04:05:06".into()),
            N::Duration,
            Value::Duration { months: 14, days: 3, nanos: 14_706_000_000_000 },
        ),
    ];
    for (c, t, expected) in ok {
        let got = convert(&c, t).unwrap_or_else(|e| panic!("{c:?} as {t}: {e}"));
        match (&got, &expected) {
            (Value::Double(a), Value::Double(b)) if a.is_nan() => assert!(b.is_nan()),
            _ => assert_eq!(got, expected, "{c:?} as {t}"),
        }
    }
}

#[test]
fn constant_errors_use_cassandras_messages() {
    use NativeType as N;
    let cases: Vec<(Constant, NativeType, &str)> = vec![
        (text("foo"), N::Int, "Invalid STRING constant (foo) for \"k\" of type int"),
        (
            Constant::Float("3.5".into()),
            N::Int,
            "Invalid FLOAT constant (3.5) for \"k\" of type int",
        ),
        (int("1"), N::Text, "Invalid INTEGER constant (1) for \"k\" of type text"),
        (Constant::Hex("00".into()), N::Int, "Invalid HEX constant (0x00) for \"k\" of type int"),
        (Constant::Boolean(true), N::Int, "Invalid BOOLEAN constant (true) for \"k\" of type int"),
        (
            text("550e8400-e29b-41d4-a716-446655440000"),
            N::Uuid,
            "Invalid STRING constant (550e8400-e29b-41d4-a716-446655440000) for \"k\" of type uuid",
        ),
        (Constant::NaN, N::Int, "Invalid FLOAT constant (NaN) for \"k\" of type int"),
        (int("3000000000"), N::Int, "Unable to make int from '3000000000'"),
        (int("128"), N::Tinyint, "Unable to make byte from '128'"),
        (int("40000"), N::Smallint, "Unable to make short from '40000'"),
        (int("9223372036854775808"), N::Bigint, "Unable to make long from '9223372036854775808'"),
        (Constant::NaN, N::Decimal, "unable to make BigDecimal from 'NaN'"),
        (
            text("héllo"),
            N::Ascii,
            "Invalid ASCII character in string literal: java.nio.charset.UnmappableCharacterException: Input length = 1",
        ),
        (text("2021-13-01"), N::Timestamp, "Unable to parse a date/time from '2021-13-01'"),
        (text("now"), N::Timestamp, "Unable to parse a date/time from 'now'"),
        (text("yesterday"), N::Timestamp, "Unable to parse a date/time from 'yesterday'"),
        (text("2021-02-30"), N::Date, "Unable to coerce '2021-02-30' to a formatted date (long)"),
        (text("2021/01/01"), N::Date, "Unable to coerce '2021/01/01' to a formatted date (long)"),
        (int("-1"), N::Date, "Unable to make unsigned int (for date) from: '-1'"),
        (int("4294967296"), N::Date, "Unable to make unsigned int (for date) from: '4294967296'"),
        (
            text("25:00:00"),
            N::Time,
            "(TimeType) Unable to coerce '25:00:00' to a formatted time (long)",
        ),
        (text("10:00"), N::Time, "(TimeType) Unable to coerce '10:00' to a formatted time (long)"),
        (int("86400000000000"), N::Time, "Unable to make long (for time) from: '86400000000000'"),
        (text("1.2.3.4.5"), N::Inet, "Unable to make inet address from '1.2.3.4.5'"),
        (Constant::Hex("abc".into()), N::Blob, "cannot parse 'abc' as hex bytes"),
        (
            Constant::Uuid("550e8400-e29b-41d4-a716-446655440000".into()),
            N::Timeuuid,
            "TimeUUID supports only version 1 UUIDs",
        ),
        (int("5"), N::Duration, "Unable to convert '5' to a duration"),
        (
            Constant::Duration("P1Y1W".into()),
            N::Duration,
            "Unable to convert 'P1Y1W' to a duration",
        ),
        (Constant::Duration("PT1D".into()), N::Duration, "Unable to convert 'PT1D' to a duration"),
        (Constant::Duration("1h30".into()), N::Duration, "Unable to convert '1h30' to a duration"),
        (text("2021-01-01T"), N::Timestamp, "Unable to parse a date/time from '2021-01-01T'"),
        (text("21-01-01"), N::Timestamp, "Unable to parse a date/time from '21-01-01'"),
        (text("+5"), N::Timestamp, "Unable to parse a date/time from '+5'"),
        (
            text("10:60:00"),
            N::Time,
            "(TimeType) Unable to coerce '10:60:00' to a formatted time (long)",
        ),
        (
            text("10:00:00.1234567890"),
            N::Time,
            "(TimeType) Unable to coerce '10:00:00.1234567890' to a formatted time (long)",
        ),
        (
            Constant::Duration("1h2d".into()),
            N::Duration,
            "Invalid duration. The hours should be after days",
        ),
        (
            Constant::Duration("1h2h".into()),
            N::Duration,
            "Invalid duration. The hours are specified multiple times",
        ),
        (
            Constant::Duration("2147483648mo".into()),
            N::Duration,
            "Invalid duration. The total number of months must be less or equal to 2147483647",
        ),
    ];
    for (c, t, expected) in cases {
        assert_eq!(convert(&c, t), Err(expected.to_string()), "{c:?} as {t}");
    }
    let list = CqlType::List(Box::new(native(N::Int)));
    let err = constant_to_value(&int("1"), &list, "l").unwrap_err();
    assert_eq!(err.to_string(), "Invalid INTEGER constant (1) for \"l\" of type list<int>");
    assert_eq!(err.kind(), crate::ErrorKind::Invalid);
}

#[test]
fn now_means_the_given_time_for_timestamps() {
    let v = constant_to_value_at(&text("now"), &native(NativeType::Timestamp), "t", Some(1234));
    assert_eq!(v, Ok(Value::Timestamp(1234)));
}

#[test]
fn cql_literals() {
    let list = Value::List(vec![Value::Text("it's".into()), Value::Text("b".into())]);
    let cases: Vec<(Value, &str)> = vec![
        (Value::Text("it's".into()), "'it''s'"),
        (Value::Int(-3), "-3"),
        (Value::Double(1.0), "1.0"),
        (Value::Double(1e10), "1.0E10"),
        (Value::Double(0.001), "0.001"),
        (Value::Double(1.0e-4), "1.0E-4"),
        (Value::Float(1.1), "1.1"),
        (Value::Double(f64::NAN), "NaN"),
        (Value::Double(f64::NEG_INFINITY), "-Infinity"),
        (Value::Decimal(Decimal::new(12345.into(), 2)), "123.45"),
        (Value::Decimal(Decimal::new(1.into(), -3)), "1E+3"),
        (Value::Decimal(Decimal::new(15.into(), 8)), "1.5E-7"),
        (Value::Decimal(Decimal::new((-5).into(), 3)), "-0.005"),
        (Value::Timestamp(1_609_496_430_123), "'2021-01-01T10:20:30.123Z'"),
        (Value::Date((1u32 << 31) + 18628), "'2021-01-01'"),
        (Value::Time(37_230_500_000_000), "'10:20:30.500000000'"),
        (Value::Duration { months: 14, days: 3, nanos: 14_706_000_000_001 }, "1y2mo3d4h5m6s1ns"),
        (Value::Duration { months: 0, days: -1, nanos: 0 }, "-1d"),
        (Value::Blob(vec![0xca, 0xfe]), "0xcafe"),
        (Value::Boolean(false), "false"),
        (list.clone(), "['it''s', 'b']"),
        (Value::Set(vec![Value::Int(1), Value::Int(2)]), "{1, 2}"),
        (Value::Map(vec![(Value::Text("a".into()), Value::Int(1))]), "{'a': 1}"),
        (Value::Tuple(vec![Some(Value::Int(1)), None]), "(1, null)"),
        (
            Value::Udt(vec![("Street".into(), Some(Value::Text("x".into()))), ("n".into(), None)]),
            "{\"Street\": 'x', n: null}",
        ),
    ];
    for (v, expected) in cases {
        assert_eq!(fmt_cql(&v), expected);
    }
}

#[test]
fn cqlsh_display() {
    let cases: Vec<(Value, &str)> = vec![
        (Value::Text("it's".into()), "it's"),
        (Value::Text("a\\b\nc".into()), "a\\\\b\\nc"),
        (Value::List(vec![Value::Text("it's".into())]), "['it''s']"),
        (Value::Boolean(true), "True"),
        (Value::Float(1.1), "1.1"),
        (Value::Float(2.7182817), "2.71828"),
        (Value::Double(1.234567891), "1.23457"),
        (Value::Double(12345.678), "12345.678"),
        (Value::Double(123456789.123), "1.2346e+08"),
        (Value::Double(1e20), "1e+20"),
        (Value::Double(0.0001), "0.0001"),
        (Value::Double(0.00001), "1e-05"),
        (Value::Double(0.0), "0"),
        (Value::Float(f32::NAN), "NaN"),
        (Value::Timestamp(1_609_496_430_123), "2021-01-01 10:20:30.123000+0000"),
        (Value::List(vec![Value::Timestamp(0)]), "['1970-01-01 00:00:00.000000+0000']"),
        (Value::Date((1u32 << 31) + 18628), "2021-01-01"),
        (Value::Time(1), "00:00:00.000000001"),
        (Value::Blob(vec![1, 0xab]), "0x01ab"),
        (Value::Inet("10.0.0.1".parse().unwrap()), "10.0.0.1"),
        (Value::Map(vec![(Value::Int(1), Value::Text("a".into()))]), "{1: 'a'}"),
        (Value::Tuple(vec![Some(Value::Int(1)), None]), "(1, None)"),
        (
            Value::Udt(vec![("Street".into(), Some(Value::Text("x".into()))), ("n".into(), None)]),
            "{Street: 'x', n: null}",
        ),
        (Value::Text("a\u{a0}b\u{7f}".into()), "a\\xa0b\\x7f"),
        (Value::Decimal(Decimal::new(1.into(), -3)), "1E+3"),
    ];
    for (v, expected) in cases {
        assert_eq!(fmt_display(&v), expected, "{v:?}");
    }
}

#[test]
fn murmur3_tokens_match_cassandra() {
    let cases: Vec<(Value, i64)> = vec![
        (Value::Int(0), -3485513579396041028),
        (Value::Int(1), -4069959284402364209),
        (Value::Int(2), -3248873570005575792),
    ];
    for (v, expected) in cases {
        assert_eq!(token(&partition_key_bytes(&[&v])), expected, "{v:?}");
    }
    // Vectors the drivers share with Cassandra; the 0xfe, 0xfa and 0x99 tail bytes
    // exercise the sign extension of Cassandra's hash.
    let raw: Vec<(Vec<u8>, i64)> = vec![
        (b"123".to_vec(), -7468325962851647638),
        ([0x00, 0xff, 0x10, 0xfa, 0x99].repeat(10), 5837342703291459765),
        (vec![0xfe; 8], -8927430733708461935),
        (vec![0x10; 8], 1446172840243228796),
        (b"9223372036854775807".to_vec(), 7162290910810015547),
        ((1..=16).collect(), -5563837382979743776),
        ((2..=17).collect(), -1513403162740402161),
        ((3..=18).collect(), -495360443712684655),
    ];
    for (bytes, expected) in raw {
        assert_eq!(token(&bytes), expected, "{bytes:x?}");
    }
}

#[test]
fn composite_partition_keys_use_the_composite_layout() {
    let bytes = partition_key_bytes(&[&Value::Int(1), &Value::Text("ab".into())]);
    assert_eq!(bytes, vec![0, 4, 0, 0, 0, 1, 0, 0, 2, b'a', b'b', 0]);
}

#[test]
fn values_round_trip_through_the_protocol_encoding() {
    use NativeType as N;
    let udt = UdtType {
        keyspace: "ks".into(),
        name: "u".into(),
        fields: vec![("a".into(), native(N::Int)), ("b".into(), native(N::Text))],
    };
    let cases: Vec<(CqlType, Value, Option<Vec<u8>>)> = vec![
        (native(N::Int), Value::Int(-2), Some(vec![0xff, 0xff, 0xff, 0xfe])),
        (native(N::Varint), Value::Varint(128.into()), Some(vec![0x00, 0x80])),
        (native(N::Varint), Value::Varint((-1).into()), Some(vec![0xff])),
        (
            native(N::Decimal),
            Value::Decimal(Decimal::new(15.into(), 1)),
            Some(vec![0, 0, 0, 1, 15]),
        ),
        (native(N::Boolean), Value::Boolean(true), Some(vec![1])),
        (native(N::Date), Value::Date(1 << 31), Some(vec![0x80, 0, 0, 0])),
        (
            native(N::Duration),
            Value::Duration { months: 1, days: -0, nanos: 1000 },
            Some(vec![2, 0, 0x87, 0xd0]),
        ),
        (native(N::Inet), Value::Inet("1.2.3.4".parse().unwrap()), Some(vec![1, 2, 3, 4])),
        (
            CqlType::List(Box::new(native(N::Int))),
            Value::List(vec![Value::Int(1)]),
            Some(vec![0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 1]),
        ),
        (
            CqlType::Map(Box::new(native(N::Text)), Box::new(native(N::Bigint))),
            Value::Map(vec![(Value::Text("a".into()), Value::Bigint(7))]),
            None,
        ),
        (
            CqlType::Tuple(vec![native(N::Int), native(N::Text)]),
            Value::Tuple(vec![Some(Value::Int(1)), None]),
            Some(vec![0, 0, 0, 4, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff]),
        ),
        (
            CqlType::Udt(udt),
            Value::Udt(vec![("a".into(), None), ("b".into(), Some(Value::Text("x".into())))]),
            None,
        ),
        (
            CqlType::Vector(Box::new(native(N::Float)), 2),
            Value::Vector(vec![Value::Float(1.0), Value::Float(2.0)]),
            Some(vec![0x3f, 0x80, 0, 0, 0x40, 0, 0, 0]),
        ),
        (
            CqlType::Vector(Box::new(native(N::Text)), 2),
            Value::Vector(vec![Value::Text("a".into()), Value::Text("bc".into())]),
            Some(vec![1, b'a', 2, b'b', b'c']),
        ),
    ];
    for (ty, v, bytes) in cases {
        let encoded = serialize(&v);
        if let Some(expected) = bytes {
            assert_eq!(encoded, expected, "{v:?}");
        }
        assert_eq!(deserialize(&ty, &encoded), Ok(v));
    }
}

#[test]
fn deserialize_rejects_bad_lengths() {
    let err = deserialize(&native(NativeType::Int), &[1, 2, 3]).unwrap_err();
    assert_eq!(err.to_string(), "Expected 4 or 0 byte int (3)");
    let err = deserialize(&native(NativeType::Bigint), &[1]).unwrap_err();
    assert_eq!(err.to_string(), "Expected 8 or 0 byte long (1)");
}

#[test]
fn comparators_follow_cassandra() {
    use NativeType as N;
    let t = |n| native(n);
    let v1 = Uuid::parse("00000000-0000-1000-8000-000000000000").unwrap();
    let v4 = Uuid::parse("00000000-0000-4000-8000-000000000000").unwrap();
    let early = Uuid::min_timeuuid(1000);
    let late = Uuid::min_timeuuid(2000);
    let cases: Vec<(CqlType, Value, Value, Ordering)> = vec![
        (t(N::Int), Value::Int(-1), Value::Int(1), Ordering::Less),
        (t(N::Text), Value::Text("B".into()), Value::Text("a".into()), Ordering::Less),
        (t(N::Double), Value::Double(f64::NAN), Value::Double(f64::INFINITY), Ordering::Greater),
        (t(N::Double), Value::Double(-0.0), Value::Double(0.0), Ordering::Less),
        (
            t(N::Decimal),
            Value::Decimal(Decimal::new(10.into(), 1)),
            Value::Decimal(Decimal::new(100.into(), 2)),
            Ordering::Equal,
        ),
        (t(N::Uuid), Value::Uuid(v4), Value::Uuid(v1), Ordering::Greater),
        (t(N::Timeuuid), Value::Timeuuid(early), Value::Timeuuid(late), Ordering::Less),
        (
            t(N::Timeuuid),
            Value::Timeuuid(Uuid::max_timeuuid(1000)),
            Value::Timeuuid(late),
            Ordering::Less,
        ),
        (
            t(N::Timeuuid),
            Value::Timeuuid(Uuid::min_timeuuid(1000)),
            Value::Timeuuid(Uuid::max_timeuuid(1000)),
            Ordering::Less,
        ),
        (t(N::Date), Value::Date(1), Value::Date(u32::MAX), Ordering::Less),
        (t(N::Blob), Value::Blob(vec![1]), Value::Blob(vec![1, 0]), Ordering::Less),
        (
            CqlType::List(Box::new(t(N::Int))),
            Value::List(vec![Value::Int(1), Value::Int(2)]),
            Value::List(vec![Value::Int(2)]),
            Ordering::Less,
        ),
        (
            CqlType::Tuple(vec![t(N::Int), t(N::Int)]),
            Value::Tuple(vec![Some(Value::Int(1)), None]),
            Value::Tuple(vec![Some(Value::Int(1)), Some(Value::Int(0))]),
            Ordering::Less,
        ),
        // A value written before its type gained a component: the missing one is null.
        (
            CqlType::Tuple(vec![t(N::Int), t(N::Int)]),
            Value::Tuple(vec![Some(Value::Int(1))]),
            Value::Tuple(vec![Some(Value::Int(1)), None]),
            Ordering::Equal,
        ),
        (
            CqlType::Tuple(vec![t(N::Int), t(N::Int)]),
            Value::Tuple(vec![Some(Value::Int(1))]),
            Value::Tuple(vec![Some(Value::Int(1)), Some(Value::Int(0))]),
            Ordering::Less,
        ),
    ];
    for (ty, a, b, expected) in cases {
        assert_eq!(compare(&ty, &a, &b), expected, "{a:?} vs {b:?}");
        assert_eq!(compare(&ty, &b, &a), expected.reverse(), "{b:?} vs {a:?}");
    }
}

#[test]
fn timeuuids_carry_their_time() {
    let u = Uuid::min_timeuuid(1_609_459_200_123);
    assert_eq!(u.version(), 1);
    assert_eq!(u.unix_millis(), 1_609_459_200_123);
    assert_eq!(Uuid::max_timeuuid(1_609_459_200_123).unix_millis(), 1_609_459_200_123);
    let mut g = TimeuuidGenerator::new(7);
    let a = g.next(1_000_000);
    let b = g.next(1_000_000);
    assert_ne!(a, b);
    assert_eq!(
        compare(&native(NativeType::Timeuuid), &Value::Timeuuid(a), &Value::Timeuuid(b)),
        Ordering::Less
    );
    assert_eq!(a.unix_millis(), 1000);
    let mut r1 = SeededRng::new(3);
    let mut r2 = SeededRng::new(3);
    let u1 = r1.uuid_v4();
    assert_eq!(u1, r2.uuid_v4());
    assert_eq!(u1.version(), 4);
}

#[test]
fn to_json_matches_cassandra() {
    use NativeType as N;
    let udt = UdtType {
        keyspace: "ks".into(),
        name: "u".into(),
        fields: vec![("a".into(), native(N::Int)), ("Big".into(), native(N::Text))],
    };
    let cases: Vec<(CqlType, Value, &str)> = vec![
        (native(N::Text), Value::Text("a\"b\\c\n\u{0}".into()), "\"a\\\"b\\\\c\\n\\u0000\""),
        (native(N::Bigint), Value::Bigint(-123123123123), "-123123123123"),
        (native(N::Blob), Value::Blob(vec![0, 0, 0, 1]), "\"0x00000001\""),
        (native(N::Blob), Value::Blob(vec![]), "\"0x\""),
        (native(N::Date), Value::Date((1u32 << 31) + 6290), "\"1987-03-23\""),
        (native(N::Decimal), Value::Decimal(Decimal::parse("-1.23E-12").unwrap()), "-1.23E-12"),
        (native(N::Double), Value::Double(123123.0), "123123.0"),
        (native(N::Double), Value::Double(f64::NAN), "null"),
        (native(N::Float), Value::Float(123.123), "123.123"),
        (native(N::Inet), Value::Inet("::1".parse().unwrap()), "\"0:0:0:0:0:0:0:1\""),
        (native(N::Time), Value::Time(123), "\"00:00:00.000000123\""),
        (native(N::Timestamp), Value::Timestamp(1_388_534_400_000), "\"2014-01-01 00:00:00.000Z\""),
        (
            native(N::Duration),
            Value::Duration { months: 13, days: 2, nanos: 36_300_000_000_000 },
            "\"1y1mo2d10h5m\"",
        ),
        (
            CqlType::List(Box::new(native(N::Int))),
            Value::List(vec![Value::Int(1), Value::Int(2)]),
            "[1, 2]",
        ),
        (CqlType::List(Box::new(native(N::Int))), Value::List(vec![]), "null"),
        (
            CqlType::Map(Box::new(native(N::Int)), Box::new(native(N::Text))),
            Value::Map(vec![(Value::Int(1), Value::Text("x".into()))]),
            "{\"1\": \"x\"}",
        ),
        (
            CqlType::Tuple(vec![native(N::Int), native(N::Text), native(N::Uuid)]),
            Value::Tuple(vec![Some(Value::Int(1)), Some(Value::Text("foobar".into())), None]),
            "[1, \"foobar\", null]",
        ),
        (
            CqlType::Udt(udt),
            Value::Udt(vec![("a".into(), Some(Value::Int(1))), ("Big".into(), None)]),
            "{\"a\": 1, \"\\\"Big\\\"\": null}",
        ),
    ];
    for (ty, v, expected) in cases {
        assert_eq!(to_json(&v, &ty), expected, "{v:?}");
    }
    let row = json_row(&[
        ("k", &native(N::Int), Some(&Value::Int(0))),
        ("ttl(v)", &native(N::Int), None),
    ]);
    assert_eq!(row, "{\"k\": 0, \"ttl(v)\": null}");
}

#[test]
fn from_json_decodes_and_reports_like_cassandra() {
    use NativeType as N;
    let udt = UdtType {
        keyspace: "ks".into(),
        name: "u".into(),
        fields: vec![("a".into(), native(N::Int)), ("b".into(), native(N::Text))],
    };
    let ok: Vec<(CqlType, &str, Option<Value>)> = vec![
        (native(N::Int), "123123", Some(Value::Int(123123))),
        (native(N::Int), "\"123123\"", Some(Value::Int(123123))),
        (native(N::Bigint), "123123123123", Some(Value::Bigint(123123123123))),
        (native(N::Smallint), "32767", Some(Value::Smallint(32767))),
        (native(N::Double), "123123", Some(Value::Double(123123.0))),
        (
            native(N::Decimal),
            "\"-1.23E-12\"",
            Some(Value::Decimal(Decimal::parse("-1.23E-12").unwrap())),
        ),
        (
            native(N::Decimal),
            "123123.123123",
            Some(Value::Decimal(Decimal::parse("123123.123123").unwrap())),
        ),
        (native(N::Boolean), "\"false\"", Some(Value::Boolean(false))),
        (native(N::Blob), "\"0x00000001\"", Some(Value::Blob(vec![0, 0, 0, 1]))),
        (native(N::Timestamp), "123123123123", Some(Value::Timestamp(123123123123))),
        (native(N::Timestamp), "\"2014-01-01\"", Some(Value::Timestamp(1_388_534_400_000))),
        (native(N::Duration), "\"P2W\"", Some(Value::Duration { months: 0, days: 14, nanos: 0 })),
        (native(N::Text), "null", None),
        (
            CqlType::Set(Box::new(native(N::Int))),
            "[3, 1, 3]",
            Some(Value::Set(vec![Value::Int(1), Value::Int(3)])),
        ),
        (
            CqlType::Map(Box::new(native(N::Int)), Box::new(native(N::Text))),
            "{\"2\": \"b\", \"1\": \"a\"}",
            Some(Value::Map(vec![
                (Value::Int(1), Value::Text("a".into())),
                (Value::Int(2), Value::Text("b".into())),
            ])),
        ),
        (
            CqlType::Tuple(vec![native(N::Int), native(N::Text)]),
            "[1, null]",
            Some(Value::Tuple(vec![Some(Value::Int(1)), None])),
        ),
        (
            CqlType::Udt(udt.clone()),
            "{\"B\": \"x\"}",
            Some(Value::Udt(vec![("a".into(), None), ("b".into(), Some(Value::Text("x".into())))])),
        ),
    ];
    for (ty, text, expected) in ok {
        let j = parse_json(text).unwrap();
        assert_eq!(from_json_object(&j, &ty), Ok(expected), "{text} as {ty}");
    }
    let bad: Vec<(CqlType, &str, &str)> = vec![
        (native(N::Ascii), "123", "Expected an ascii string, but got a Integer: 123"),
        (
            native(N::Bigint),
            "9223372036854775808",
            "Expected a bigint value, but got a BigInteger: 9223372036854775808",
        ),
        (native(N::Bigint), "123.456", "Expected a bigint value, but got a Double: 123.456"),
        (native(N::Bigint), "\"abc\"", "Unable to make long from 'abc'"),
        (native(N::Int), "2147483648", "Expected an int value, but got a Long: 2147483648"),
        (native(N::Int), "true", "Expected an int value, but got a Boolean: true"),
        (native(N::Smallint), "32768", "Unable to make short from '32768'"),
        (native(N::Smallint), "true", "Expected a short value, but got a Boolean: true"),
        (native(N::Tinyint), "123.456", "Unable to make byte from '123.456'"),
        (
            native(N::Varint),
            "123123.123",
            "Value '123123.123' is not a valid representation of a varint value",
        ),
        (native(N::Varint), "\"\"", "Value '' is not a valid representation of a varint value"),
        (
            native(N::Decimal),
            "true",
            "Value 'true' is not a valid representation of a decimal value",
        ),
        (native(N::Double), "true", "Expected a double value, but got a Boolean: true"),
        (native(N::Boolean), "123", "Expected a boolean value, but got a Integer: 123"),
        (
            native(N::Blob),
            "\"123\"",
            "Value '123' is not a valid blob representation: String representation of blob is missing 0x prefix: 123",
        ),
        (
            native(N::Blob),
            "\"0x123\"",
            "Value '0x123' is not a valid blob representation: cannot parse '123' as hex bytes",
        ),
        (
            native(N::Date),
            "123",
            "Expected a string representation of a date value, but got a Integer: 123",
        ),
        (
            native(N::Time),
            "123456",
            "Expected a string representation of a time value, but got a Integer: 123456",
        ),
        (
            native(N::Timestamp),
            "123.456",
            "Expected a long or a datestring representation of a timestamp value, but got a Double: 123.456",
        ),
        (
            native(N::Timeuuid),
            "\"00000000-0000-0000-0000-000000000000\"",
            "TimeUUID supports only version 1 UUIDs",
        ),
        (
            native(N::Uuid),
            "123",
            "Expected a string representation of a uuid, but got a Integer: 123",
        ),
        (native(N::Inet), "\"xyzz\"", "Unable to make inet address from 'xyzz'"),
        (native(N::Duration), "\"xyz\"", "Unable to convert 'xyz' to a duration"),
        (CqlType::List(Box::new(native(N::Int))), "123", "Expected a list, but got a Integer: 123"),
        (CqlType::List(Box::new(native(N::Int))), "[null]", "Invalid null element in list"),
        (
            CqlType::Set(Box::new(native(N::Uuid))),
            "123",
            "Expected a list (representing a set), but got a Integer: 123",
        ),
        (
            CqlType::Map(Box::new(native(N::Ascii)), Box::new(native(N::Int))),
            "{\"a\": null}",
            "Invalid null value in map",
        ),
        (
            CqlType::Tuple(vec![native(N::Int), native(N::Text)]),
            "[1, \"a\", 2]",
            "Tuple contains extra items (expected 2): [1, a, 2]",
        ),
        (
            CqlType::Tuple(vec![native(N::Int), native(N::Text)]),
            "[1]",
            "Tuple is missing items (expected 2): [1]",
        ),
        (CqlType::Udt(udt), "{\"xxx\": 1}", "Unknown field 'xxx' in value of user defined type u"),
    ];
    for (ty, text, expected) in bad {
        let j = parse_json(text).unwrap();
        assert_eq!(from_json_object(&j, &ty), Err(expected.to_string()), "{text} as {ty}");
    }
    let err = from_json(&parse_json("\"x\"").unwrap(), &native(N::Int), "v").unwrap_err();
    assert_eq!(err.to_string(), "Error decoding JSON value for v: Unable to make int from 'x'");
    assert!(parse_json("{").is_err());
}

#[test]
fn casts_follow_cassandras_table() {
    use NativeType as N;
    let cases: Vec<(NativeType, Value, NativeType, Value)> = vec![
        (N::Int, Value::Int(300), N::Tinyint, Value::Tinyint(44)),
        (N::Double, Value::Double(1e20), N::Int, Value::Int(i32::MAX)),
        (N::Double, Value::Double(-2.7), N::Bigint, Value::Bigint(-2)),
        (
            N::Float,
            Value::Float(1.1),
            N::Decimal,
            // Through `Float.toString`, as since Cassandra 4.1.3 and 5.0.
            Value::Decimal(Decimal::parse("1.1").unwrap()),
        ),
        (N::Int, Value::Int(7), N::Decimal, Value::Decimal(Decimal::new(7.into(), 0))),
        (N::Decimal, Value::Decimal(Decimal::parse("12.9").unwrap()), N::Int, Value::Int(12)),
        (
            N::Varint,
            Value::Varint("18446744073709551617".parse().unwrap()),
            N::Bigint,
            Value::Bigint(1),
        ),
        (N::Counter, Value::Counter(5), N::Double, Value::Double(5.0)),
        (N::Int, Value::Int(5), N::Text, Value::Text("5".into())),
        (N::Double, Value::Double(1e10), N::Text, Value::Text("1.0E10".into())),
        (
            N::Timestamp,
            Value::Timestamp(0),
            N::Text,
            Value::Text("1970-01-01T00:00:00.000Z".into()),
        ),
        // Java formats instants before 1582-10-15 in the Julian calendar.
        (
            N::Timestamp,
            Value::Timestamp(-12_219_292_800_001),
            N::Text,
            Value::Text("1582-10-04T23:59:59.999Z".into()),
        ),
        (
            N::Timestamp,
            Value::Timestamp(-30_610_224_000_000),
            N::Text,
            Value::Text("0999-12-27T00:00:00.000Z".into()),
        ),
        (N::Timestamp, Value::Timestamp(86_400_000 + 5), N::Date, Value::Date((1u32 << 31) + 1)),
        (N::Date, Value::Date((1u32 << 31) + 1), N::Timestamp, Value::Timestamp(86_400_000)),
        (N::Boolean, Value::Boolean(true), N::Ascii, Value::Ascii("true".into())),
        (
            N::Inet,
            Value::Inet("::1".parse().unwrap()),
            N::Text,
            Value::Text("0:0:0:0:0:0:0:1".into()),
        ),
        (
            N::Decimal,
            Value::Decimal(Decimal::new(1.into(), -3)),
            N::Text,
            Value::Text("1000".into()),
        ),
        (N::Ascii, Value::Ascii("a".into()), N::Text, Value::Text("a".into())),
        (N::Int, Value::Int(1), N::Int, Value::Int(1)),
    ];
    for (from, v, to, expected) in cases {
        assert_eq!(cast(&v, &native(from), to), Ok(expected), "{v:?} as {to}");
    }
    let err = cast(&Value::Double(f64::NAN), &native(N::Double), N::Decimal).unwrap_err();
    assert_eq!(
        err.to_string(),
        "execution of 'system.castasdecimal[double]' failed: java.lang.NumberFormatException: \
         Character N is neither a decimal digit number, decimal point, nor \"e\" notation \
         exponential mark."
    );
    let err = cast(&Value::Blob(vec![]), &native(N::Blob), N::Text).unwrap_err();
    assert_eq!(err.to_string(), "blob cannot be cast to text");
    assert!(!can_cast(&native(N::Text), N::Int));
    assert!(!can_cast(&native(N::Int), N::Counter));
}

#[test]
fn time_and_uuid_functions_use_the_injected_clock() {
    let mut timeuuids = TimeuuidGenerator::new(1);
    let mut rng = SeededRng::new(1);
    // 2021-01-01 10:20:30.123456 UTC
    let now_micros = 1_609_496_430_123_456;
    let mut ctx = FunctionContext { now_micros, timeuuids: &mut timeuuids, rng: &mut rng };
    let call = |ctx: &mut FunctionContext<'_>, name: &str, args: &[(CqlType, Option<Value>)]| {
        call_scalar(name, args, ctx).expect("known function").expect("no error")
    };
    assert_eq!(call(&mut ctx, "currentTimestamp", &[]), Some(Value::Timestamp(1_609_496_430_123)));
    assert_eq!(call(&mut ctx, "currentdate", &[]), Some(Value::Date((1u32 << 31) + 18628)));
    assert_eq!(call(&mut ctx, "currentTime", &[]), Some(Value::Time(37_230_123_456_000)));
    let Some(Value::Timeuuid(u)) = call(&mut ctx, "now", &[]) else {
        panic!("now() is a timeuuid")
    };
    assert_eq!(u.unix_millis(), 1_609_496_430_123);
    let ts = (native(NativeType::Timestamp), Some(Value::Timestamp(1_609_496_430_123)));
    assert_eq!(
        call(&mut ctx, "toDate", std::slice::from_ref(&ts)),
        Some(Value::Date((1u32 << 31) + 18628))
    );
    assert_eq!(
        call(&mut ctx, "toUnixTimestamp", std::slice::from_ref(&ts)),
        Some(Value::Bigint(1_609_496_430_123))
    );
    let tu = (native(NativeType::Timeuuid), Some(Value::Timeuuid(u)));
    assert_eq!(
        call(&mut ctx, "toTimestamp", std::slice::from_ref(&tu)),
        Some(Value::Timestamp(1_609_496_430_123))
    );
    assert_eq!(call(&mut ctx, "unixTimestampOf", &[tu]), Some(Value::Bigint(1_609_496_430_123)));
    let Some(Value::Timeuuid(min)) = call(&mut ctx, "minTimeuuid", std::slice::from_ref(&ts))
    else {
        panic!()
    };
    assert_eq!(min.to_string(), Uuid::min_timeuuid(1_609_496_430_123).to_string());
    assert_eq!(call(&mut ctx, "toDate", &[(native(NativeType::Timestamp), None)]), None);
    let Some(Value::Uuid(r)) = call(&mut ctx, "uuid", &[]) else { panic!("uuid() is a uuid") };
    assert_eq!(r.version(), 4);
    assert!(call_scalar("nosuch", &[], &mut ctx).is_none());
    // A timeuuid's text form shows the version 1 layout of its time.
    assert_eq!(Uuid::min_timeuuid(0).to_string(), "13814000-1dd2-11b2-8080-808080808080");
    assert_eq!(Uuid::max_timeuuid(0).to_string(), "1381670f-1dd2-11b2-7f7f-7f7f7f7f7f7f");
}

#[test]
fn to_date_truncates_before_the_epoch_like_java() {
    assert_eq!(timestamp_to_date(-1), 1 << 31);
    assert_eq!(timestamp_to_date(-86_400_000), (1 << 31) - 1);
}

#[test]
fn date_years_take_a_sign_as_java_strict_iso_dates_do() {
    let date = |s: &str| convert(&text(s), NativeType::Date);
    // A minus sign takes a four-digit year; a plus sign needs a longer one.
    assert_eq!(date("-0001-01-01"), Ok(Value::Date((1 << 31) - 719_893)));
    assert!(date("-0000-01-01").is_err());
    assert!(date("+2021-01-01").is_err());
    assert!(date("20210-01-01").is_err());
    assert!(date("+20210-01-01").is_ok());
}

#[test]
fn blob_conversions_round_trip() {
    let mut timeuuids = TimeuuidGenerator::new(1);
    let mut rng = SeededRng::new(1);
    let mut ctx = FunctionContext { now_micros: 0, timeuuids: &mut timeuuids, rng: &mut rng };
    let blob =
        call_scalar("intAsBlob", &[(native(NativeType::Int), Some(Value::Int(258)))], &mut ctx);
    assert_eq!(blob, Some(Ok(Some(Value::Blob(vec![0, 0, 1, 2])))));
    let back = call_scalar(
        "blobAsInt",
        &[(native(NativeType::Blob), Some(Value::Blob(vec![0, 0, 1, 2])))],
        &mut ctx,
    );
    assert_eq!(back, Some(Ok(Some(Value::Int(258)))));
    let empty = call_scalar(
        "blobAsInt",
        &[(native(NativeType::Blob), Some(Value::Blob(vec![])))],
        &mut ctx,
    );
    assert_eq!(empty, Some(Ok(None)));
    let bad = call_scalar(
        "blobAsBigint",
        &[(native(NativeType::Blob), Some(Value::Blob(vec![1])))],
        &mut ctx,
    );
    assert_eq!(
        bad.map(|r| r.map_err(|e| e.to_string())),
        Some(Err("In call to function system.blobasbigint, value 0x01 is not a valid binary \
                  representation for type bigint"
            .into()))
    );
    let empty_date = blob_as(NativeType::Date, &[]).unwrap_err();
    assert_eq!(
        empty_date.to_string(),
        "In call to function system.blobasdate, value 0x is not a valid binary representation \
         for type date"
    );
    assert_eq!(blob_as(NativeType::Text, &[]), Ok(Some(Value::Text(String::new().into()))));
    // The argument must have the function's type.
    assert!(
        call_scalar(
            "intAsBlob",
            &[(native(NativeType::Text), Some(Value::Text("x".into())))],
            &mut ctx
        )
        .is_none()
    );
}

#[test]
fn arithmetic_follows_cassandras_result_types_and_overflow() {
    use NativeType as N;
    let cases: Vec<(ArithOp, NativeType, Value, NativeType, Value, Value)> = vec![
        (ArithOp::Add, N::Int, Value::Int(i32::MAX), N::Int, Value::Int(1), Value::Int(i32::MIN)),
        (ArithOp::Add, N::Tinyint, Value::Tinyint(1), N::Int, Value::Int(2), Value::Int(3)),
        (ArithOp::Mul, N::Int, Value::Int(2), N::Float, Value::Float(1.5), Value::Float(3.0)),
        (
            ArithOp::Add,
            N::Bigint,
            Value::Bigint(1),
            N::Float,
            Value::Float(0.5),
            Value::Double(1.5),
        ),
        (ArithOp::Div, N::Int, Value::Int(7), N::Int, Value::Int(2), Value::Int(3)),
        (ArithOp::Rem, N::Int, Value::Int(-7), N::Int, Value::Int(2), Value::Int(-1)),
        (
            ArithOp::Div,
            N::Double,
            Value::Double(1.0),
            N::Int,
            Value::Int(0),
            Value::Double(f64::INFINITY),
        ),
        (
            ArithOp::Add,
            N::Varint,
            Value::Varint(1.into()),
            N::Double,
            Value::Double(0.5),
            Value::Decimal(Decimal::parse("1.5").unwrap()),
        ),
        (
            ArithOp::Div,
            N::Decimal,
            Value::Decimal(Decimal::parse("1").unwrap()),
            N::Decimal,
            Value::Decimal(Decimal::parse("3").unwrap()),
            Value::Decimal(Decimal::parse("0.3333333333333333333333333333333333").unwrap()),
        ),
        (
            ArithOp::Div,
            N::Decimal,
            Value::Decimal(Decimal::parse("10").unwrap()),
            N::Decimal,
            Value::Decimal(Decimal::parse("4").unwrap()),
            Value::Decimal(Decimal::parse("2.5").unwrap()),
        ),
        (
            ArithOp::Add,
            N::Timestamp,
            Value::Timestamp(1_612_051_200_000), // 2021-01-31
            N::Duration,
            Value::Duration { months: 1, days: 0, nanos: 0 },
            Value::Timestamp(1_614_470_400_000), // 2021-02-28
        ),
        (
            ArithOp::Sub,
            N::Date,
            Value::Date((1u32 << 31) + 18628),
            N::Duration,
            Value::Duration { months: 0, days: 1, nanos: 0 },
            Value::Date((1u32 << 31) + 18627),
        ),
    ];
    for (op, lt, l, rt, r, expected) in cases {
        let got = arithmetic(op, lt, &l, rt, &r);
        assert_eq!(got, Ok(expected.clone()), "{l:?} {} {r:?}", op.symbol());
        assert_eq!(arithmetic_result_type(op, lt, rt), expected.native_type());
    }
    let err = arithmetic(ArithOp::Div, N::Int, &Value::Int(1), N::Int, &Value::Int(0)).unwrap_err();
    assert_eq!(err.to_string(), "the operation 'int / int' failed: / by zero");
    let err = arithmetic(
        ArithOp::Add,
        N::Date,
        &Value::Date(1 << 31),
        N::Duration,
        &Value::Duration { months: 0, days: 0, nanos: 3_600_000_000_000 },
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the operation 'date + duration' failed: The duration must have a day precision. Was: 1h"
    );
    assert_eq!(negate(&Value::Tinyint(-128)), Some(Value::Tinyint(-128)));
    let min = Value::Duration { months: i32::MIN, days: 0, nanos: 0 };
    assert_eq!(negate(&min), Some(min.clone()));
    assert!(Decimal::parse("1e-9223372036854775808").is_none());
    let err = arithmetic(
        ArithOp::Add,
        N::Decimal,
        &Value::Decimal(Decimal::parse("1").unwrap()),
        N::Double,
        &Value::Double(f64::NAN),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "the operation 'decimal + double' failed: A NaN cannot be converted into a decimal"
    );
    let sum = arithmetic(
        ArithOp::Add,
        N::Decimal,
        &Value::Decimal(Decimal::parse("1e40").unwrap()),
        N::Decimal,
        &Value::Decimal(Decimal::parse("1").unwrap()),
    );
    assert_eq!(
        sum,
        Ok(Value::Decimal(Decimal::parse("1.000000000000000000000000000000000E+40").unwrap()))
    );
    let widened = arithmetic(
        ArithOp::Add,
        N::Float,
        &Value::Float(1.1),
        N::Decimal,
        &Value::Decimal(Decimal::parse("0").unwrap()),
    );
    assert_eq!(widened, Ok(Value::Decimal(Decimal::parse("1.100000023841858").unwrap())));
}

#[test]
fn aggregates_follow_cassandra() {
    use NativeType as N;
    let run = |kind: AggregateKind, ty: NativeType, values: Vec<Option<Value>>| {
        let mut acc = Accumulator::new(kind, native(ty));
        for v in &values {
            acc.add(v.as_ref());
        }
        acc.finish()
    };
    let ints = || vec![Some(Value::Int(1)), None, Some(Value::Int(2)), Some(Value::Int(4))];
    assert_eq!(run(AggregateKind::Count, N::Int, ints()), Some(Value::Bigint(3)));
    assert_eq!(run(AggregateKind::Sum, N::Int, ints()), Some(Value::Int(7)));
    assert_eq!(run(AggregateKind::Avg, N::Int, ints()), Some(Value::Int(2)));
    assert_eq!(run(AggregateKind::Min, N::Int, ints()), Some(Value::Int(1)));
    assert_eq!(run(AggregateKind::Max, N::Int, ints()), Some(Value::Int(4)));
    assert_eq!(run(AggregateKind::Max, N::Int, vec![]), None);
    assert_eq!(run(AggregateKind::Sum, N::Int, vec![]), Some(Value::Int(0)));
    assert_eq!(run(AggregateKind::Avg, N::Double, vec![]), Some(Value::Double(0.0)));
    let big = vec![Some(Value::Int(i32::MAX)), Some(Value::Int(i32::MAX))];
    assert_eq!(run(AggregateKind::Sum, N::Int, big.clone()), Some(Value::Int(-2)));
    assert_eq!(run(AggregateKind::Avg, N::Int, big), Some(Value::Int(i32::MAX)));
    let tenths = vec![Some(Value::Double(0.1)); 10];
    assert_eq!(run(AggregateKind::Sum, N::Double, tenths), Some(Value::Double(1.0)));
    let decs = vec![
        Some(Value::Decimal(Decimal::parse("1.00").unwrap())),
        Some(Value::Decimal(Decimal::parse("2").unwrap())),
    ];
    assert_eq!(
        run(AggregateKind::Avg, N::Decimal, decs),
        Some(Value::Decimal(Decimal::parse("1.50").unwrap()))
    );
    let counters = vec![Some(Value::Counter(2)), Some(Value::Counter(3))];
    assert_eq!(run(AggregateKind::Sum, N::Counter, counters), Some(Value::Counter(5)));
    let huge = vec![Some(Value::Double(f64::MAX)), Some(Value::Double(f64::MAX))];
    assert_eq!(run(AggregateKind::Avg, N::Double, huge.clone()), Some(Value::Double(f64::MAX)));
    assert_eq!(run(AggregateKind::Sum, N::Double, huge), Some(Value::Double(f64::INFINITY)));
    let thirds = vec![
        Some(Value::Decimal(Decimal::parse("1").unwrap())),
        Some(Value::Decimal(Decimal::parse("0").unwrap())),
        Some(Value::Decimal(Decimal::parse("0").unwrap())),
    ];
    // Cassandra's running mean rounds each step at the inputs' scale: avg(1, 0, 0) is 1.
    assert_eq!(
        run(AggregateKind::Avg, N::Decimal, thirds),
        Some(Value::Decimal(Decimal::parse("1").unwrap()))
    );
    let texts = vec![Some(Value::Text("b".into())), Some(Value::Text("a".into()))];
    assert_eq!(run(AggregateKind::Min, N::Text, texts), Some(Value::Text("a".into())));
}

#[test]
fn heap_size_grows_with_contents() {
    let small = Value::Text("a".into());
    let big = Value::List(vec![Value::Text("x".repeat(1000).into())]);
    assert!(big.heap_size() > small.heap_size());
    assert!(big.heap_size() >= 1000);
}

#[test]
fn huge_decimal_exponents_stay_cheap() {
    use NativeType as N;
    let huge = Value::Decimal(Decimal::parse("1E+2000000000").unwrap());
    let one = Value::Decimal(Decimal::parse("1").unwrap());
    let tiny = Value::Decimal(Decimal::parse("-1E-2000000000").unwrap());
    let ty = native(N::Decimal);
    assert_eq!(compare(&ty, &huge, &one), Ordering::Greater);
    assert_eq!(compare(&ty, &tiny, &one), Ordering::Less);
    assert_eq!(
        compare(&ty, &tiny, &Value::Decimal(Decimal::parse("-0.5").unwrap())),
        Ordering::Greater
    );
    let sum = arithmetic(ArithOp::Add, N::Decimal, &huge, N::Decimal, &one);
    assert_eq!(
        sum.map(|v| fmt_cql(&v)),
        Ok("1.000000000000000000000000000000000E+2000000000".to_string())
    );
    let rem = arithmetic(ArithOp::Rem, N::Decimal, &huge, N::Decimal, &one).unwrap_err();
    assert_eq!(rem.to_string(), "the operation 'decimal % decimal' failed: Division impossible");
    assert_eq!(cast(&huge, &ty, N::Bigint), Ok(Value::Bigint(0)));
    assert!(cast(&huge, &ty, N::Varint).is_err());
    assert_eq!(fmt_string(&huge), "1E+2000000000");
    assert_eq!(cast(&tiny, &ty, N::Int), Ok(Value::Int(0)));
}

/// Strings that exercise the parsers' edges.
fn awkward_strings(rng: &mut SeededRng) -> Vec<String> {
    let mut out: Vec<String> = [
        "",
        "-",
        "+",
        ".",
        "e",
        "1e",
        "1e+",
        "0x",
        "NaN",
        "-Infinity",
        "99999999999999999999999",
        "2021-02-29",
        "2020-02-29 24:00",
        "1:2:3.",
        "::",
        "P",
        "PT",
        "P1",
        "1µs",
        "µ",
        "-P1W",
        "ÿ",
        "\u{0}",
        "1.2.3",
        "[::1]",
        "255.255.255.256",
        "1e-2147483649",
        "9".repeat(400).as_str(),
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let alphabet: Vec<char> = "0123456789-+:.eETZPYMWDHS mosnuµ x/[]".chars().collect();
    for _ in 0..400 {
        let len = (rng.next_u64() % 24) as usize;
        let s: String =
            (0..len).map(|_| alphabet[(rng.next_u64() % alphabet.len() as u64) as usize]).collect();
        out.push(s);
    }
    out
}

#[test]
fn parsers_never_panic_and_accepted_values_round_trip() {
    let mut rng = SeededRng::new(42);
    let inputs = awkward_strings(&mut rng);
    for nt in NativeType::ALL {
        let ty = native(nt);
        for s in &inputs {
            let constants = [
                Constant::String(s.clone()),
                Constant::Integer(s.clone()),
                Constant::Float(s.clone()),
                Constant::Duration(s.clone()),
                Constant::Uuid(s.clone()),
                Constant::Hex(s.clone()),
            ];
            for c in &constants {
                if let Ok(v) = constant_to_value(c, &ty, "k") {
                    let _ = (fmt_cql(&v), fmt_display(&v), fmt_string(&v), to_json(&v, &ty));
                    let back = deserialize(&ty, &serialize(&v)).expect("own encoding decodes");
                    assert_eq!(compare(&ty, &back, &v), Ordering::Equal, "{c:?} as {nt}");
                }
            }
            let _ = from_json_object(&serde_json::Value::String(s.clone()), &ty);
            let _ = parse_json(s).map(|j| from_json_object(&j, &ty));
        }
        for _ in 0..200 {
            let len = (rng.next_u64() % 20) as usize;
            let bytes: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
            if let Ok(v) = deserialize(&ty, &bytes) {
                let _ = (fmt_cql(&v), fmt_display(&v), to_json(&v, &ty));
                for to in NativeType::ALL {
                    let _ = cast(&v, &ty, to);
                }
            }
        }
    }
}

#[test]
fn cql_literals_parse_back_to_the_same_value() {
    use NativeType as N;
    let values: Vec<(NativeType, Value)> = vec![
        (N::Timestamp, Value::Timestamp(-1)),
        (N::Timestamp, Value::Timestamp(1_609_496_430_123)),
        (N::Date, Value::Date(0)),
        (N::Date, Value::Date(u32::MAX)),
        (N::Time, Value::Time(86_399_999_999_999)),
        (N::Duration, Value::Duration { months: -1, days: -2, nanos: -3 }),
        (N::Double, Value::Double(-1.5e-300)),
        (N::Float, Value::Float(3.4e38)),
        (N::Decimal, Value::Decimal(Decimal::parse("-1.50E-9").unwrap())),
        (N::Inet, Value::Inet("2001:db8::1".parse().unwrap())),
    ];
    for (nt, v) in values {
        let text = fmt_cql(&v);
        let constant =
            if let Some(inner) = text.strip_prefix('\'').and_then(|t| t.strip_suffix('\'')) {
                Constant::String(inner.replace("''", "'"))
            } else if nt == N::Duration {
                Constant::Duration(text.clone())
            } else {
                Constant::Float(text.clone())
            };
        let back = constant_to_value(&constant, &native(nt), "k");
        assert_eq!(back.map(|b| compare(&native(nt), &b, &v)), Ok(Ordering::Equal), "{text}");
    }
}

#[test]
fn cassandra_5_math_collection_and_vector_functions() {
    use NativeType as N;
    let mut timeuuids = TimeuuidGenerator::new(1);
    let mut rng = SeededRng::new(1);
    let mut ctx = FunctionContext { now_micros: 0, timeuuids: &mut timeuuids, rng: &mut rng };
    let mut call = |name: &str, args: Vec<(CqlType, Option<Value>)>| {
        call_scalar(name, &args, &mut ctx).map(|r| r.map_err(|e| e.to_string()))
    };
    let ints = CqlType::List(Box::new(native(N::Int)));
    let list = |xs: &[i32]| Some(Value::List(xs.iter().map(|x| Value::Int(*x)).collect()));
    type Args = Vec<(CqlType, Option<Value>)>;
    let cases: Vec<(&str, Args, Option<Value>)> = vec![
        ("abs", vec![(native(N::Int), Some(Value::Int(-3)))], Some(Value::Int(3))),
        ("abs", vec![(native(N::Int), Some(Value::Int(i32::MIN)))], Some(Value::Int(i32::MIN))),
        ("round", vec![(native(N::Double), Some(Value::Double(-2.5)))], Some(Value::Double(-2.0))),
        ("round", vec![(native(N::Float), Some(Value::Float(2.5)))], Some(Value::Float(3.0))),
        (
            "round",
            vec![(native(N::Decimal), Some(Value::Decimal(Decimal::parse("-2.5").unwrap())))],
            Some(Value::Decimal(Decimal::parse("-3").unwrap())),
        ),
        ("log10", vec![(native(N::Int), Some(Value::Int(1000)))], Some(Value::Int(3))),
        ("log", vec![(native(N::Int), Some(Value::Int(0)))], Some(Value::Int(i32::MIN))),
        ("exp", vec![(native(N::Double), Some(Value::Double(0.0)))], Some(Value::Double(1.0))),
        ("abs", vec![(native(N::Int), None)], None),
        ("collection_count", vec![(ints.clone(), list(&[1, 2, 2]))], Some(Value::Int(3))),
        ("collection_min", vec![(ints.clone(), list(&[3, 1, 2]))], Some(Value::Int(1))),
        ("collection_max", vec![(ints.clone(), list(&[3, 1, 2]))], Some(Value::Int(3))),
        ("collection_max", vec![(ints.clone(), list(&[]))], None),
        ("collection_sum", vec![(ints.clone(), list(&[3, 1, 2]))], Some(Value::Int(6))),
        ("collection_avg", vec![(ints.clone(), list(&[3, 1, 2, 1]))], Some(Value::Int(1))),
        ("collection_avg", vec![(ints.clone(), list(&[]))], Some(Value::Int(0))),
        (
            "map_keys",
            vec![(
                CqlType::Map(Box::new(native(N::Text)), Box::new(native(N::Int))),
                Some(Value::Map(vec![(Value::Text("a".into()), Value::Int(1))])),
            )],
            Some(Value::Set(vec![Value::Text("a".into())])),
        ),
        (
            "map_values",
            vec![(
                CqlType::Map(Box::new(native(N::Text)), Box::new(native(N::Int))),
                Some(Value::Map(vec![(Value::Text("a".into()), Value::Int(1))])),
            )],
            Some(Value::List(vec![Value::Int(1)])),
        ),
        (
            "to_unix_timestamp",
            vec![(native(N::Timestamp), Some(Value::Timestamp(5)))],
            Some(Value::Bigint(5)),
        ),
    ];
    for (name, args, expected) in cases {
        assert_eq!(call(name, args.clone()), Some(Ok(expected)), "{name}({args:?})");
    }
    let vector = |xs: &[f32]| {
        (
            CqlType::Vector(Box::new(native(N::Float)), xs.len()),
            Some(Value::Vector(xs.iter().map(|x| Value::Float(*x)).collect())),
        )
    };
    let sim = |r: Option<Result<Option<Value>, String>>| match r {
        Some(Ok(Some(Value::Float(f)))) => f,
        other => panic!("expected a float, got {other:?}"),
    };
    assert_eq!(sim(call("similarity_cosine", vec![vector(&[1.0, 0.0]), vector(&[0.0, 1.0])])), 0.5);
    assert_eq!(
        sim(call("similarity_euclidean", vec![vector(&[1.0, 0.0]), vector(&[0.0, 1.0])])),
        1.0 / 3.0
    );
    assert_eq!(
        sim(call("similarity_dot_product", vec![vector(&[1.0, 0.0]), vector(&[1.0, 0.0])])),
        1.0
    );
    assert_eq!(
        call("similarity_cosine", vec![vector(&[0.0, 0.0]), vector(&[0.0, 1.0])]),
        Some(Err("Function system.similarity_cosine doesn't support all-zero vectors".into()))
    );
    assert_eq!(
        scalar_result_type(
            "map_keys",
            &[CqlType::Map(Box::new(native(N::Text)), Box::new(native(N::Int)))]
        ),
        Some(CqlType::Set(Box::new(native(N::Text))))
    );
    assert_eq!(scalar_result_type("blobAsInt", &[native(N::Blob)]), Some(native(N::Int)));
    assert_eq!(scalar_result_type("toDate", &[native(N::Text)]), None);
    assert_eq!(
        scalar_result_type("collection_avg", std::slice::from_ref(&ints)),
        Some(native(N::Int))
    );
}

#[test]
fn arithmetic_and_math_never_panic_on_extremes() {
    use NativeType as N;
    let extremes: Vec<(NativeType, Value)> = vec![
        (N::Tinyint, Value::Tinyint(i8::MIN)),
        (N::Tinyint, Value::Tinyint(-1)),
        (N::Smallint, Value::Smallint(i16::MIN)),
        (N::Int, Value::Int(i32::MIN)),
        (N::Int, Value::Int(0)),
        (N::Int, Value::Int(-1)),
        (N::Bigint, Value::Bigint(i64::MIN)),
        (N::Bigint, Value::Bigint(i64::MAX)),
        (N::Counter, Value::Counter(i64::MIN)),
        (N::Varint, Value::Varint(BigInt::from(i64::MIN) * 1000)),
        (N::Float, Value::Float(f32::NAN)),
        (N::Float, Value::Float(f32::MAX)),
        (N::Double, Value::Double(f64::NEG_INFINITY)),
        (N::Double, Value::Double(-0.0)),
        (N::Decimal, Value::Decimal(Decimal::new(0.into(), i32::MIN))),
        (N::Decimal, Value::Decimal(Decimal::new((-7).into(), i32::MAX))),
        (N::Decimal, Value::Decimal(Decimal::new(3.into(), i32::MIN))),
        (N::Timestamp, Value::Timestamp(i64::MIN)),
        (N::Date, Value::Date(u32::MAX)),
        (N::Duration, Value::Duration { months: i32::MIN, days: i32::MIN, nanos: i64::MIN }),
    ];
    let ops = [ArithOp::Add, ArithOp::Sub, ArithOp::Mul, ArithOp::Div, ArithOp::Rem];
    let mut timeuuids = TimeuuidGenerator::new(1);
    let mut rng = SeededRng::new(1);
    let mut ctx =
        FunctionContext { now_micros: i64::MIN, timeuuids: &mut timeuuids, rng: &mut rng };
    for (lt, l) in &extremes {
        for (rt, r) in &extremes {
            for op in ops {
                let _ = arithmetic(op, *lt, l, *rt, r);
            }
        }
        let _ = negate(l);
        for f in ["abs", "exp", "log", "log10", "round", "toDate", "toUnixTimestamp", "minTimeuuid"]
        {
            let _ = call_scalar(f, &[(native(*lt), Some(l.clone()))], &mut ctx);
        }
        for to in NativeType::ALL {
            let _ = cast(l, &native(*lt), to);
        }
        let _ = (fmt_cql(l), fmt_display(l), fmt_string(l), to_json(l, &native(*lt)));
        let mut acc = Accumulator::new(AggregateKind::Avg, native(*lt));
        acc.add(Some(l));
        acc.add(Some(l));
        let _ = acc.finish();
    }
    for f in ["now", "currentTimestamp", "currentDate", "currentTime"] {
        assert!(matches!(call_scalar(f, &[], &mut ctx), Some(Ok(Some(_)))));
    }
}

#[test]
fn a_null_list_element_is_written_shown_and_encoded_as_cassandra_does() {
    let ttls = Value::List(vec![Value::Null, Value::Int(5)]);
    // Two elements; the null one with length -1, as the protocol writes a null.
    let mut expected = 2i32.to_be_bytes().to_vec();
    expected.extend_from_slice(&(-1i32).to_be_bytes());
    expected.extend_from_slice(&4i32.to_be_bytes());
    expected.extend_from_slice(&5i32.to_be_bytes());
    assert_eq!(serialize(&ttls), expected);
    assert_eq!(fmt_display(&ttls), "[None, 5]");
    assert_eq!(to_json(&ttls, &CqlType::List(Box::new(native(NativeType::Int)))), "[null, 5]");
}

#[test]
fn floor_rounds_down_from_the_epoch_or_a_start_on_the_calendar() {
    let ts = |s: &str| Value::Timestamp(temporal::parse_timestamp(s, None).expect("timestamp"));
    let dur = |months, days, nanos| Value::Duration { months, days, nanos };
    let floor = |args: Vec<(CqlType, Option<Value>)>| {
        call_pure("floor", &args).expect("a floor signature").map_err(|e| e.to_string())
    };
    let t = native(NativeType::Timestamp);
    let d = native(NativeType::Duration);
    // 1 month 2 days from the epoch: the largest start + n * (1mo + 2d) not after the time.
    assert_eq!(
        floor(vec![
            (t.clone(), Some(ts("2024-03-15 10:47:31+0000"))),
            (d.clone(), Some(dur(1, 2, 0)))
        ]),
        Ok(Some(ts("2024-03-05 00:00:00+0000")))
    );
    assert_eq!(
        floor(vec![
            (t.clone(), Some(ts("2024-03-15 10:47:31+0000"))),
            (d.clone(), Some(dur(0, 0, 600_000_000_000))),
            (t.clone(), Some(ts("2024-03-15 10:05:00+0000"))),
        ]),
        Ok(Some(ts("2024-03-15 10:45:00+0000")))
    );
    assert_eq!(
        floor(vec![(t.clone(), None), (d.clone(), Some(dur(0, 1, 0)))]),
        Ok(None),
        "a null argument gives null"
    );
    assert_eq!(
        floor(vec![(t, Some(ts("2024-03-15 10:47:31+0000"))), (d, Some(dur(0, 0, 1_000)))]),
        Err(
            "The floor cannot be computed for the 1us duration as precision is below 1 millisecond"
                .to_string()
        )
    );
}

#[test]
fn exp_and_log_of_decimals_and_varints_keep_32_digits() {
    let call = |name: &str, ty: NativeType, v: Value| {
        super::call_pure(name, &[(CqlType::Native(ty), Some(v))]).and_then(Result::ok).flatten()
    };
    let d = |s: &str| Value::Decimal(Decimal::parse(s).unwrap());
    let n = NativeType::Decimal;
    assert_eq!(call("exp", n, d("1")), Some(d("2.7182818284590452353602874713527")));
    assert_eq!(call("exp", n, d("-1")), Some(d("0.36787944117144232159552377016146")));
    assert_eq!(call("log", n, d("5")), Some(d("1.6094379124341003746007593332262")));
    assert_eq!(call("log10", n, d("5")), Some(d("0.69897000433601880478626110527551")));
    let v = NativeType::Varint;
    assert_eq!(call("exp", v, Value::Varint(5.into())), Some(Value::Varint(148.into())));
    assert_eq!(call("log", v, Value::Varint(5.into())), Some(Value::Varint(1.into())));
    // Undefined or too large: no value, and no panic.
    assert_eq!(call("log", n, d("-1")), None);
    assert_eq!(call("exp", n, d("1e100000")), None);
    // The scale of an exact result is not pinned, only its value.
    let one = call("exp", n, d("1e-100000")).unwrap();
    let ty = CqlType::Native(n);
    assert_eq!(super::compare(&ty, &one, &d("1")), std::cmp::Ordering::Equal);
}
