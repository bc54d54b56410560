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
        (text("héllo"), N::Ascii, "Invalid ASCII character in string literal: héllo"),
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
        (Value::Tuple(vec![Some(Value::Int(1)), None]), "(1, null)"),
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
