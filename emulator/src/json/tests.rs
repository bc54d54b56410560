use super::Json;

#[test]
fn writes_compact_text_in_key_order() {
    let value = Json::Object(vec![
        ("b".into(), Json::number(1)),
        ("a".into(), Json::Array(vec![Json::Null, Json::Bool(true), Json::Number("1.10".into())])),
    ]);
    assert_eq!(value.to_text(), r#"{"b":1,"a":[null,true,1.10]}"#);
}

#[test]
fn escapes_strings_like_jackson() {
    let value = Json::string("q\"b\\n\n\u{1}é");
    assert_eq!(value.to_text(), r#""q\"b\\n\n\u0001é""#);
}

#[test]
fn converts_from_serde_keeping_order() {
    let parsed: serde_json::Value = serde_json::from_str(r#"{"z":1,"a":"x"}"#).unwrap_or_default();
    assert_eq!(Json::from(parsed).to_text(), r#"{"z":1,"a":"x"}"#);
}
