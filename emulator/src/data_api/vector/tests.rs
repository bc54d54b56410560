use cqlfiddle_engine::types::{CqlType, NativeType};
use serde_json::json;

use super::*;
use crate::schema::{ColumnKind, ColumnMeta, TableMeta};

fn table() -> TableMeta {
    let col = |name: &str, ty: CqlType| ColumnMeta {
        name: name.into(),
        ty,
        kind: ColumnKind::Regular,
        descending: false,
    };
    TableMeta {
        keyspace: "ks".into(),
        name: "t".into(),
        columns: vec![
            col("v", CqlType::Vector(Box::new(CqlType::Native(NativeType::Float)), 2)),
            col("n", CqlType::Native(NativeType::Int)),
        ],
    }
}

fn code(result: Result<Option<(String, Vec<f32>)>, ApiError>) -> &'static str {
    match result {
        Err(e) => e.code,
        Ok(_) => "ok",
    }
}

#[test]
fn vector_sorts_are_recognised_and_checked() {
    let meta = table();
    assert_eq!(
        sort_vector(&meta, Some(&json!({"v": [1, 0.5]}))),
        Ok(Some(("v".into(), vec![1.0, 0.5])))
    );
    assert_eq!(
        sort_vector(&meta, Some(&json!({"v": {"$binary": "P4AAAEAAAAA="}}))),
        Ok(Some(("v".into(), vec![1.0, 2.0])))
    );
    assert_eq!(sort_vector(&meta, Some(&json!({"n": 1}))), Ok(None));
    assert_eq!(
        code(sort_vector(&meta, Some(&json!({"v": [1, 0], "n": 1})))),
        "CANNOT_SORT_VECTOR_AND_NON_VECTOR_COLUMNS"
    );
    assert_eq!(
        code(sort_vector(&meta, Some(&json!({"n": [1, 0]})))),
        "CANNOT_VECTOR_SORT_NON_VECTOR_COLUMNS"
    );
    assert_eq!(
        code(sort_vector(&meta, Some(&json!({"v": [1]})))),
        "CANNOT_VECTOR_SORT_ON_MISMATCHED_VECTOR_DIMENSIONS"
    );
    assert_eq!(
        code(sort_vector(&meta, Some(&json!({"x": [1, 0]})))),
        "CANNOT_SORT_UNKNOWN_COLUMNS"
    );
}

#[test]
fn similarities_use_cqls_scale() {
    assert_eq!(similarity("cosine", &[1.0, 0.0], &[0.0, 1.0]), Some(0.5));
    assert_eq!(similarity("cosine", &[1.0, 0.0], &[2.0, 0.0]), Some(1.0));
    assert_eq!(similarity("cosine", &[0.0, 0.0], &[1.0, 0.0]), None);
    assert_eq!(similarity("dot_product", &[1.0, 0.0], &[1.0, 0.0]), Some(1.0));
    assert_eq!(similarity("euclidean", &[1.0, 0.0], &[0.0, 0.0]), Some(0.5));
}
