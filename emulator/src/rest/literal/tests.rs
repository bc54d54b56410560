use cqlfiddle_engine::types::{CqlType, NativeType, UdtType};
use serde_json::{Value, json};

use super::{parse_timestamp, to_cql};

fn n(t: NativeType) -> CqlType {
    CqlType::Native(t)
}

fn cql(value: Value, ty: &CqlType) -> Result<String, String> {
    to_cql(&value, ty, true)
}

#[test]
fn scalars_strict_and_stringified() {
    assert_eq!(cql(json!(25), &n(NativeType::Int)), Ok("25".into()));
    assert_eq!(cql(json!("25"), &n(NativeType::Int)), Ok("25".into()));
    assert_eq!(cql(json!(2.9), &n(NativeType::Int)), Ok("2".into()));
    assert_eq!(cql(json!("it's"), &n(NativeType::Text)), Ok("'it''s'".into()));
    assert_eq!(
        cql(json!("'quoted=''value'''"), &n(NativeType::Text)),
        Ok("'quoted=''value'''".into())
    );
    assert_eq!(cql(json!(12), &n(NativeType::Text)), Ok("'12'".into()));
    assert_eq!(cql(json!("TRUE"), &n(NativeType::Boolean)), Ok("true".into()));
    assert_eq!(cql(json!("/w=="), &n(NativeType::Blob)), Ok("0xff".into()));
    assert_eq!(cql(json!("1.10"), &n(NativeType::Decimal)), Ok("1.10".into()));
    assert_eq!(cql(json!("NaN"), &n(NativeType::Double)), Ok("NaN".into()));
    assert_eq!(cql(json!("10:15"), &n(NativeType::Time)), Ok("'10:15:00.000000000'".into()));
    assert_eq!(cql(json!("2021-01-01"), &n(NativeType::Date)), Ok("'2021-01-01'".into()));
    assert_eq!(cql(json!("2w"), &n(NativeType::Duration)), Ok("2w".into()));
    assert_eq!(cql(json!("127.0.0.1"), &n(NativeType::Inet)), Ok("'127.0.0.1'".into()));
    assert_eq!(cql(json!(null), &n(NativeType::Int)), Ok("null".into()));
    assert_eq!(
        cql(json!("123E4567-E89B-12D3-A456-426614174000"), &n(NativeType::Uuid)),
        Ok("123e4567-e89b-12d3-a456-426614174000".into())
    );
}

#[test]
fn bad_scalars_give_stargate_codec_messages() {
    assert_eq!(
        cql(json!("not-really-uuid"), &n(NativeType::Uuid)),
        Err("Invalid String value ('not-really-uuid'): not valid representation/value for target protobuf type: TypeSpec.Basic.UUID".into())
    );
    assert_eq!(
        cql(json!(123), &n(NativeType::Uuid)),
        Err("Cannot coerce Number 123 into expected protobuf type: TypeSpec.Basic.UUID".into())
    );
    assert_eq!(
        cql(json!("abc"), &n(NativeType::Int)),
        Err("Cannot coerce String value 'abc' into expected protobuf type: TypeSpec.Basic.INT"
            .into())
    );
    assert!(cql(json!(3_000_000_000i64), &n(NativeType::Int)).is_err());
    assert!(cql(json!("1) IF EXISTS"), &n(NativeType::Duration)).is_err());
    assert!(cql(json!("2021-02-30"), &n(NativeType::Date)).is_err());
}

#[test]
fn timestamps_need_t_seconds_and_offset() {
    assert_eq!(parse_timestamp("2021-04-23T18:42:22.139Z"), Some(1_619_203_342_139));
    assert_eq!(parse_timestamp("2021-04-23T20:42:22.139123+02:00"), Some(1_619_203_342_139));
    assert_eq!(parse_timestamp("2021-04-23T20:42:22+0200"), Some(1_619_203_342_000));
    assert_eq!(parse_timestamp("2021-04-23T16:42:22-02"), Some(1_619_203_342_000));
    assert_eq!(parse_timestamp("1619203342139"), Some(1_619_203_342_139));
    assert_eq!(parse_timestamp("2021-04-23"), None);
    assert_eq!(parse_timestamp("2021-04-23T18:42:22"), None);
    assert_eq!(parse_timestamp("2021-04-23T18:42Z"), None);
    assert_eq!(
        cql(json!(1_619_203_342_139i64), &n(NativeType::Timestamp)),
        Ok("1619203342139".into())
    );
}

#[test]
fn collections_from_json_and_from_literal_strings() {
    let set = CqlType::Set(Box::new(n(NativeType::Text)));
    assert_eq!(cql(json!(["a", "b"]), &set), Ok("{'a', 'b'}".into()));
    assert_eq!(cql(json!("{'a','b'}"), &set), Ok("{'a', 'b'}".into()));
    let list = CqlType::List(Box::new(n(NativeType::Int)));
    assert_eq!(cql(json!([1, 2]), &list), Ok("[1, 2]".into()));
    assert_eq!(cql(json!("[1, 2]"), &list), Ok("[1, 2]".into()));
    // Elements inside arrays are strict: a string is not an int.
    assert!(cql(json!(["1"]), &list).is_err());
    let map = CqlType::Map(Box::new(n(NativeType::Int)), Box::new(n(NativeType::Boolean)));
    assert_eq!(cql(json!({"123": true}), &map), Ok("{123: true}".into()));
    assert_eq!(cql(json!("{123: true}"), &map), Ok("{123: true}".into()));
    assert_eq!(to_cql(&json!([{"key": 1, "value": false}]), &map, false), Ok("{1: false}".into()));
    assert_eq!(to_cql(&json!("[{'key':1,'value':false}]"), &map, false), Ok("{1: false}".into()));
    assert_eq!(to_cql(&json!([{"key": 1}]), &map, false), Err("Map entry missing value".into()));
}

#[test]
fn tuples_and_udts() {
    let tuple =
        CqlType::Tuple(vec![n(NativeType::Int), n(NativeType::Boolean), n(NativeType::Text)]);
    assert_eq!(cql(json!([1, true, "x"]), &tuple), Ok("(1, true, 'x')".into()));
    assert_eq!(cql(json!("(1, true, 'x')"), &tuple), Ok("(1, true, 'x')".into()));
    assert_eq!(cql(json!([1, true]), &tuple), Err("Tuple expected 3 values, got 2".into()));
    let udt = CqlType::Frozen(Box::new(CqlType::Udt(UdtType {
        keyspace: "ks".into(),
        name: "addr".into(),
        fields: vec![("name".into(), n(NativeType::Text)), ("Age".into(), n(NativeType::Int))],
    })));
    assert_eq!(
        cql(json!({"name": "Bob", "Age": 36}), &udt),
        Ok("{name: 'Bob', \"Age\": 36}".into())
    );
    assert_eq!(cql(json!("{name:'Bob',Age:36}"), &udt), Ok("{name: 'Bob', \"Age\": 36}".into()));
    assert_eq!(cql(json!({"zipp": 1}), &udt), Err("UDT 'addr' does not have field 'zipp'".into()));
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let list = CqlType::List(Box::new(n(NativeType::Int)));
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(cql(json!(deep), &list).is_err());
}
