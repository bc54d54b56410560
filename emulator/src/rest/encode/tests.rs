use std::net::{IpAddr, Ipv4Addr};

use cqlfiddle_engine::types::{CqlType, Decimal, NativeType, UdtType, Uuid, Value};
use num_bigint::BigInt;

use super::encode;

fn native(n: NativeType) -> CqlType {
    CqlType::Native(n)
}

fn text(value: Option<&Value>, ty: &CqlType, compact: bool) -> String {
    encode(value, ty, compact).to_text()
}

#[test]
fn scalars_encode_as_stargate_writes_them() {
    let cases: Vec<(Value, NativeType, &str)> = vec![
        (Value::Text("a\"b".into()), NativeType::Text, r#""a\"b""#),
        (Value::Ascii("x".into()), NativeType::Ascii, r#""x""#),
        (Value::Boolean(true), NativeType::Boolean, "true"),
        (Value::Int(-5), NativeType::Int, "-5"),
        (Value::Bigint(9_007_199_254_740_993), NativeType::Bigint, "9007199254740993"),
        (Value::Counter(2), NativeType::Counter, r#""2""#),
        (
            Value::Varint(BigInt::from(10).pow(30)),
            NativeType::Varint,
            "1000000000000000000000000000000",
        ),
        (Value::Double(1.0), NativeType::Double, "1.0"),
        (Value::Float(2.5), NativeType::Float, "2.5"),
        (Value::Double(f64::NAN), NativeType::Double, r#""NaN""#),
        (Value::Double(f64::NEG_INFINITY), NativeType::Double, r#""-Infinity""#),
        (
            Value::Decimal(Decimal { unscaled: Box::new(BigInt::from(110)), scale: 2 }),
            NativeType::Decimal,
            "1.10",
        ),
        (
            Value::Timestamp(1_619_203_342_139),
            NativeType::Timestamp,
            r#""2021-04-23T18:42:22.139Z""#,
        ),
        (Value::Date((1u32 << 31) + 18_628), NativeType::Date, r#""2021-01-01""#),
        (Value::Time(37_230_000_000_000), NativeType::Time, r#""10:20:30""#),
        (Value::Duration { months: 0, days: 14, nanos: 0 }, NativeType::Duration, r#""14d""#),
        (Value::Blob(vec![0xff]), NativeType::Blob, r#""/w==""#),
        (Value::Inet(IpAddr::V4(Ipv4Addr::LOCALHOST)), NativeType::Inet, r#""127.0.0.1""#),
        (
            Value::Uuid(Uuid([0xAB; 16])),
            NativeType::Uuid,
            r#""abababab-abab-abab-abab-abababababab""#,
        ),
    ];
    for (value, ty, expected) in cases {
        assert_eq!(text(Some(&value), &native(ty), true), expected, "{value:?}");
    }
}

#[test]
fn maps_are_compact_or_key_value_pairs() {
    let ty = CqlType::Map(Box::new(native(NativeType::Int)), Box::new(native(NativeType::Boolean)));
    let value = Value::Map(vec![(Value::Int(123), Value::Boolean(true))]);
    assert_eq!(text(Some(&value), &ty, true), r#"{"123":true}"#);
    assert_eq!(text(Some(&value), &ty, false), r#"[{"key":123,"value":true}]"#);
}

#[test]
fn null_collections_are_empty_and_other_nulls_null() {
    let list = CqlType::List(Box::new(native(NativeType::Int)));
    let map = CqlType::Frozen(Box::new(CqlType::Map(
        Box::new(native(NativeType::Text)),
        Box::new(native(NativeType::Text)),
    )));
    assert_eq!(text(None, &list, true), "[]");
    assert_eq!(text(None, &map, true), "{}");
    assert_eq!(text(None, &map, false), "[]");
    assert_eq!(text(None, &native(NativeType::Int), true), "null");
    assert_eq!(text(None, &CqlType::Tuple(vec![native(NativeType::Int)]), true), "null");
}

#[test]
fn tuples_and_udts_nest() {
    let tuple_ty = CqlType::Tuple(vec![
        native(NativeType::Int),
        CqlType::Set(Box::new(native(NativeType::Text))),
    ]);
    let tuple = Value::Tuple(vec![Some(Value::Int(1)), None]);
    assert_eq!(text(Some(&tuple), &tuple_ty, true), "[1,[]]");
    let udt_ty = CqlType::Udt(UdtType {
        keyspace: "ks".into(),
        name: "addr".into(),
        fields: vec![
            ("street".into(), native(NativeType::Text)),
            ("zip".into(), native(NativeType::Int)),
        ],
    });
    let udt =
        Value::Udt(vec![("street".into(), Some(Value::Text("Main".into()))), ("zip".into(), None)]);
    assert_eq!(text(Some(&udt), &udt_ty, true), r#"{"street":"Main","zip":null}"#);
}
