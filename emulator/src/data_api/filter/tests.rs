use cqlfiddle_engine::types::{CqlType, NativeType, Value};
use serde_json::json;

use super::*;
use crate::schema::{ColumnKind, ColumnMeta, TableMeta};

fn table() -> TableMeta {
    let col = |name: &str, ty: CqlType, kind: ColumnKind| ColumnMeta {
        name: name.into(),
        ty,
        kind,
        descending: false,
    };
    TableMeta {
        keyspace: "ks".into(),
        name: "t".into(),
        columns: vec![
            col("id", CqlType::Native(NativeType::Int), ColumnKind::PartitionKey),
            col("name", CqlType::Native(NativeType::Text), ColumnKind::Regular),
            col(
                "tags",
                CqlType::Set(Box::new(CqlType::Native(NativeType::Text))),
                ColumnKind::Regular,
            ),
            col(
                "m",
                CqlType::Map(
                    Box::new(CqlType::Native(NativeType::Text)),
                    Box::new(CqlType::Native(NativeType::Int)),
                ),
                ColumnKind::Regular,
            ),
        ],
    }
}

fn columns(meta: &TableMeta) -> Vec<(String, CqlType)> {
    meta.columns.iter().map(|c| (c.name.clone(), c.ty.clone())).collect()
}

fn row(id: i32, name: Option<&str>, tags: &[&str]) -> Vec<Option<Value>> {
    vec![
        Some(Value::Int(id)),
        name.map(|n| Value::Text(n.into())),
        Some(Value::Set(tags.iter().map(|t| Value::Text((*t).into())).collect())),
        None,
    ]
}

/// The ids of `rows` the filter keeps in memory (after the pushed-down part, ignored here).
fn kept(filter: serde_json::Value, rows: &[Vec<Option<Value>>]) -> Vec<i32> {
    let meta = table();
    let (_, residual) = split(&meta, parse(&meta, Some(&filter)).unwrap_or_default());
    let compiled = compile(&meta, &residual).unwrap_or_else(|e| panic!("{e:?}"));
    rows.iter()
        .filter(|r| matches(&compiled, &columns(&meta), r))
        .filter_map(|r| match r.first() {
            Some(Some(Value::Int(id))) => Some(*id),
            _ => None,
        })
        .collect()
}

#[test]
fn pushable_terms_go_to_cql_and_the_rest_stays() {
    let meta = table();
    let exprs = parse(
        &meta,
        Some(&json!({"id": 1, "name": {"$ne": "a"}, "$or": [{"id": 2}], "tags": {"$in": ["x"]}})),
    )
    .unwrap_or_default();
    let (conditions, residual) = split(&meta, exprs);
    let pushed: Vec<(&str, Op)> = conditions.iter().map(|c| (c.column.as_str(), c.op)).collect();
    assert_eq!(pushed, vec![("id", Op::Eq), ("tags", Op::In)]);
    assert_eq!(residual.len(), 2);
}

#[test]
fn residual_filters_evaluate_per_row() {
    let rows = vec![row(1, Some("a"), &["x"]), row(2, Some("b"), &["y", "z"]), row(3, None, &[])];
    assert_eq!(kept(json!({"name": {"$ne": "a"}}), &rows), vec![2, 3]);
    assert_eq!(kept(json!({"name": {"$nin": ["a", "b"]}}), &rows), vec![3]);
    assert_eq!(kept(json!({"$or": [{"name": "a"}, {"id": {"$gte": 3}}]}), &rows), vec![1, 3]);
    assert_eq!(kept(json!({"$not": {"name": "b"}}), &rows), vec![1, 3]);
    assert_eq!(kept(json!({"tags": {"$in": ["x", "z"]}}), &rows), vec![1, 2]);
    assert_eq!(kept(json!({"tags": {"$nin": ["x"]}}), &rows), vec![2, 3]);
}

fn map_row(id: i32, entries: &[(&str, i32)]) -> Vec<Option<Value>> {
    let map = entries.iter().map(|(k, v)| (Value::Text((*k).into()), Value::Int(*v))).collect();
    vec![Some(Value::Int(id)), None, None, Some(Value::Map(map))]
}

#[test]
fn map_filters_read_entries_keys_and_values() {
    let rows = vec![map_row(1, &[("a", 1), ("b", 2)]), map_row(2, &[("a", 2)]), row(3, None, &[])];
    assert_eq!(kept(json!({"m": {"$in": [["a", 1], ["c", 3]]}}), &rows), vec![1]);
    assert_eq!(kept(json!({"m": {"$nin": [["a", 1]]}}), &rows), vec![2, 3]);
    assert_eq!(kept(json!({"m": {"$all": [["a", 1], ["b", 2]]}}), &rows), vec![1]);
    assert_eq!(kept(json!({"m": {"$keys": {"$in": ["a"]}}}), &rows), vec![1, 2]);
    assert_eq!(kept(json!({"m": {"$keys": {"$all": ["a", "b"]}}}), &rows), vec![1]);
    assert_eq!(kept(json!({"m": {"$values": {"$in": [2]}}}), &rows), vec![1, 2]);
    assert_eq!(kept(json!({"m": {"$values": {"$nin": [2]}}}), &rows), vec![3]);
    let meta = table();
    let (pushed, _) = split(
        &meta,
        parse(&meta, Some(&json!({"m": {"$keys": {"$in": ["a"]}}}))).unwrap_or_default(),
    );
    assert!(pushed.is_empty(), "{pushed:?}");
}

#[test]
fn bad_filters_are_refused() {
    let meta = table();
    let code = |filter: serde_json::Value| match parse(&meta, Some(&filter))
        .and_then(|e| compile(&meta, &split(&meta, e).1))
    {
        Err(e) => e.code,
        Ok(_) => "ok",
    };
    assert_eq!(code(json!({"nope": 1})), "UNKNOWN_TABLE_COLUMNS");
    assert_eq!(code(json!({"$or": [{"nope": 1}]})), "UNKNOWN_TABLE_COLUMNS");
    assert_eq!(code(json!({"$nor": []})), "FILTER_UNSUPPORTED_OPERATOR");
    assert_eq!(code(json!({"name": {"$exists": true}})), "FILTER_UNSUPPORTED_OPERATOR");
    assert_eq!(code(json!({"name": {"$ne": 5}})), "INVALID_FILTER_COLUMN_VALUES");
    assert_eq!(code(json!({"m": {"$ne": 5}})), "FILTER_UNSUPPORTED_OPERATOR");
    assert_eq!(code(json!({"m": {"$in": [["a"]]}})), "INVALID_FILTER_COLUMN_VALUES");
    assert_eq!(code(json!({"m": {"$in": [["a", "one"]]}})), "INVALID_FILTER_COLUMN_VALUES");
    assert_eq!(code(json!({"m": {"$keys": {"$in": [1]}}})), "INVALID_FILTER_COLUMN_VALUES");
    assert_eq!(code(json!({"m": {"$keys": {"$eq": "a"}}})), "FILTER_UNSUPPORTED_OPERATOR");
    assert_eq!(code(json!({"m": {"$keys": {}}})), "FILTER_UNSUPPORTED_OPERATOR");
    assert_eq!(code(json!({"tags": {"$keys": {"$in": ["x"]}}})), "FILTER_UNSUPPORTED_OPERATOR");
    assert_eq!(code(json!({"m": {"$values": {"$all": [1, 2]}}})), "ok");
    assert_eq!(code(json!({"tags": {"$ne": "x"}})), "FILTER_UNSUPPORTED_OPERATOR");
    assert_eq!(code(json!({"name": {"x": 1}})), "FILTER_UNSUPPORTED_DATA_TYPE");
    assert_eq!(code(json!({"name": {"$ne": "x"}})), "ok");
}

#[test]
fn codec_literals_read_back_as_constants() {
    assert_eq!(constant("'it''s'"), Constant::String("it's".into()));
    assert_eq!(constant("-12"), Constant::Integer("-12".into()));
    assert_eq!(constant("1.5e3"), Constant::Float("1.5e3".into()));
    assert_eq!(constant("0xff"), Constant::Hex("ff".into()));
    assert_eq!(
        constant("123e4567-e89b-12d3-a456-426614174000"),
        Constant::Uuid("123e4567-e89b-12d3-a456-426614174000".into())
    );
    assert_eq!(constant("PT2H"), Constant::Duration("PT2H".into()));
    assert_eq!(constant("-Infinity"), Constant::NegInfinity);
}
