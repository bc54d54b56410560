use cqlfiddle_engine::types::{CqlType, NativeType, Value};
use serde_json::json;

use super::*;

fn n(t: NativeType) -> CqlType {
    CqlType::Native(t)
}

#[test]
fn values_encode_as_the_data_api_writes_them() {
    assert_eq!(encode(&Value::Blob(vec![0xff])).to_text(), r#"{"$binary":"/w=="}"#);
    assert_eq!(encode(&Value::Counter(3)).to_text(), "3");
    assert_eq!(encode(&Value::Double(f64::INFINITY)).to_text(), r#""Infinity""#);
    assert_eq!(
        encode(&Value::Duration { months: 14, days: 3, nanos: 4 * 3_600_000_000_000 }).to_text(),
        r#""P1Y2M3DT4H""#
    );
    let text_map = Value::Map(vec![(Value::Text("a".into()), Value::Int(1))]);
    assert_eq!(encode(&text_map).to_text(), r#"{"a":1}"#);
    let int_map = Value::Map(vec![(Value::Int(1), Value::Boolean(true))]);
    assert_eq!(encode(&int_map).to_text(), "[[1,true]]");
}

#[test]
fn durations_and_times_print_as_java() {
    assert_eq!(iso_duration(0, 0, 0), "PT0S");
    assert_eq!(iso_duration(0, 0, -(8 * 3_600_000_000_000 + 10 * 60_000_000_000)), "-PT8H10M");
    assert_eq!(iso_duration(0, 0, 1_500_000_000), "PT1.5S");
    assert_eq!(local_time_to_string(45_901_005_000_000), "12:45:01.005");
    assert_eq!(local_time_to_string(45_240_000_000_000), "12:34");
    assert_eq!(local_time_to_string(45_296_788_700_000), "12:34:56.788700");
}

#[test]
fn input_is_strict() {
    assert_eq!(to_cql(&json!(5.00), &n(NativeType::Int)), Ok("5".into()));
    assert_eq!(to_cql(&json!(12.5), &n(NativeType::Int)), Err("Rounding necessary".into()));
    assert_eq!(
        to_cql(&json!("5"), &n(NativeType::Int)),
        Err("no codec matching value type".into())
    );
    assert_eq!(to_cql(&json!({"$binary": "/w=="}), &n(NativeType::Blob)), Ok("0xff".into()));
    assert_eq!(
        to_cql(&json!("/w=="), &n(NativeType::Blob)),
        Err("no codec matching value type".into())
    );
    assert_eq!(to_cql(&json!({"$date": 1000}), &n(NativeType::Timestamp)), Ok("1000".into()));
    assert_eq!(
        to_cql(&json!("2024-09-24T14:06:59Z"), &n(NativeType::Timestamp)),
        Ok("1727186819000".into())
    );
    assert!(to_cql(&json!("1000"), &n(NativeType::Timestamp)).is_err());
    assert_eq!(
        to_cql(&json!("é"), &n(NativeType::Ascii)),
        Err("String contains non-ASCII character at index #0".into())
    );
    assert_eq!(to_cql(&json!("NaN"), &n(NativeType::Float)), Ok("NaN".into()));
    let map = CqlType::Map(Box::new(n(NativeType::Int)), Box::new(n(NativeType::Text)));
    assert_eq!(to_cql(&json!([[1, "a"]]), &map), Ok("{1: 'a'}".into()));
    // Numeric keys need the pair form, as on the server.
    assert!(to_cql(&json!({"1": "a"}), &map).is_err());
    let set = CqlType::Set(Box::new(n(NativeType::Text)));
    assert_eq!(to_cql(&json!(["a", "b"]), &set), Ok("{'a', 'b'}".into()));
    let vector = CqlType::Vector(Box::new(n(NativeType::Float)), 2);
    assert_eq!(to_cql(&json!([0.5, 1]), &vector), Ok("[0.5, 1]".into()));
    assert_eq!(to_cql(&json!({"$binary": "P4AAAEAAAAA="}), &vector), Ok("[1.0, 2.0]".into()));
    assert!(to_cql(&json!([1]), &vector).is_err());
}

#[test]
fn types_describe_in_long_form() {
    let map = CqlType::Map(Box::new(n(NativeType::Text)), Box::new(n(NativeType::Int)));
    assert_eq!(
        type_description(&map).to_text(),
        r#"{"type":"map","keyType":"text","valueType":"int"}"#
    );
    assert_eq!(
        type_description(&CqlType::Vector(Box::new(n(NativeType::Float)), 3)).to_text(),
        r#"{"type":"vector","dimension":3}"#
    );
}
