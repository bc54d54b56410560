use cqlfiddle_engine::types::{CqlType, NativeType, UdtType};

use super::parse_type;

fn n(t: NativeType) -> Box<CqlType> {
    Box::new(CqlType::Native(t))
}

#[test]
fn parses_system_schema_type_strings() {
    assert_eq!(parse_type("int"), Ok(CqlType::Native(NativeType::Int)));
    assert_eq!(parse_type("varchar"), Ok(CqlType::Native(NativeType::Text)));
    assert_eq!(
        parse_type("map<text, frozen<list<int>>>"),
        Ok(CqlType::Map(
            n(NativeType::Text),
            Box::new(CqlType::Frozen(Box::new(CqlType::List(n(NativeType::Int)))))
        ))
    );
    assert_eq!(
        parse_type("tuple<int, text>"),
        Ok(CqlType::Tuple(vec![
            CqlType::Native(NativeType::Int),
            CqlType::Native(NativeType::Text)
        ]))
    );
    assert_eq!(parse_type("vector<float, 3>"), Ok(CqlType::Vector(n(NativeType::Float), 3)));
    let udt = |name: &str| {
        CqlType::Udt(UdtType { keyspace: String::new(), name: name.into(), fields: vec![] })
    };
    assert_eq!(parse_type("frozen<address>"), Ok(CqlType::Frozen(Box::new(udt("address")))));
    assert_eq!(
        parse_type("frozen<\"My\"\"Type\">"),
        Ok(CqlType::Frozen(Box::new(udt("My\"Type"))))
    );
    assert_eq!(
        parse_type("list<frozen<frozen<address>>>"),
        Ok(CqlType::List(Box::new(CqlType::Frozen(Box::new(udt("address"))))))
    );
    assert!(parse_type("map<int").is_err());
    assert!(parse_type("int int").is_err());
}

#[test]
fn deep_types_are_refused_not_overflowed() {
    let deep = format!("{}int{}", "list<".repeat(100_000), ">".repeat(100_000));
    assert!(parse_type(&deep).is_err());
}
