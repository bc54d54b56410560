use cqlfiddle_engine::types::{CqlType, NativeType, Value};
use serde_json::json;

use super::*;
use crate::data_api::filter;
use crate::schema::{ColumnKind, ColumnMeta, TableMeta};

/// `books (title text, author text, pages int, tags set<text>, meta map<text,int>, ct counter,
/// PRIMARY KEY ((title), author, pages DESC))`.
fn books() -> TableMeta {
    let col = |name: &str, ty: CqlType, kind: ColumnKind, descending: bool| ColumnMeta {
        name: name.into(),
        ty,
        kind,
        descending,
    };
    let n = |t| CqlType::Native(t);
    TableMeta {
        keyspace: "ks".into(),
        name: "books".into(),
        columns: vec![
            col("title", n(NativeType::Text), ColumnKind::PartitionKey, false),
            col("author", n(NativeType::Text), ColumnKind::Clustering, false),
            col("pages", n(NativeType::Int), ColumnKind::Clustering, true),
            col("ct", n(NativeType::Counter), ColumnKind::Regular, false),
            col(
                "meta",
                CqlType::Map(Box::new(n(NativeType::Text)), Box::new(n(NativeType::Int))),
                ColumnKind::Regular,
                false,
            ),
            col("rating", n(NativeType::Double), ColumnKind::Regular, false),
            col("tags", CqlType::Set(Box::new(n(NativeType::Text))), ColumnKind::Regular, false),
        ],
    }
}

/// The pushed-down conditions of a filter (a write's view), or its error.
fn parse_filter(
    meta: &TableMeta,
    filter: Option<&serde_json::Value>,
) -> Result<Vec<Condition>, ApiError> {
    filter::write_conditions(meta, filter, || {
        ApiError::unscoped("FILTER_UNSUPPORTED_OPERATOR", "residual")
    })
}

fn code<T: std::fmt::Debug>(result: Result<T, ApiError>) -> &'static str {
    match result {
        Err(e) => e.code,
        Ok(v) => panic!("unexpected success: {v:?}"),
    }
}

#[test]
fn filters_become_where_terms() {
    let meta = books();
    let filter = json!({"title": "Dune", "pages": {"$gt": 100, "$lte": 500}, "tags": {"$all": ["a", "b"]}, "$and": [{"author": {"$in": ["x", "y"]}}]});
    let conditions = parse_filter(&meta, Some(&filter)).unwrap_or_default();
    assert_eq!(
        where_terms(&meta, &conditions).unwrap_or_default(),
        vec![
            "title = 'Dune'",
            "pages > 100",
            "pages <= 500",
            "tags CONTAINS 'a'",
            "tags CONTAINS 'b'",
            "author IN ('x', 'y')"
        ]
    );
    assert_eq!(code(parse_filter(&meta, Some(&json!({"nope": 1})))), "UNKNOWN_TABLE_COLUMNS");
    assert_eq!(
        code(parse_filter(&meta, Some(&json!({"title": {"$ne": 1}})))),
        "FILTER_UNSUPPORTED_OPERATOR"
    );
    assert_eq!(code(parse_filter(&meta, Some(&json!({"$or": []})))), "FILTER_UNSUPPORTED_OPERATOR");
    let bad = parse_filter(&meta, Some(&json!({"pages": "x"}))).unwrap_or_default();
    assert_eq!(code(where_terms(&meta, &bad)), "INVALID_FILTER_COLUMN_VALUES");
}

#[test]
fn read_warnings_follow_the_analyzer() {
    let meta = books();
    let warn = |filter: serde_json::Value, indexed: &[&str]| {
        let conditions = parse_filter(&meta, Some(&filter)).unwrap_or_default();
        let indexed: Vec<String> = indexed.iter().map(|s| s.to_string()).collect();
        filter_warnings(&meta, &conditions, &indexed).iter().map(|w| w.code).collect::<Vec<_>>()
    };
    assert_eq!(warn(json!({}), &[]), vec!["ZERO_FILTER_OPERATIONS"]);
    assert_eq!(warn(json!({"title": "a", "author": "b"}), &[]), Vec::<&str>::new());
    assert_eq!(warn(json!({"title": "a", "pages": 1}), &[]), vec!["INCOMPLETE_PRIMARY_KEY_FILTER"]);
    assert_eq!(warn(json!({"author": "b"}), &[]), vec!["INCOMPLETE_PRIMARY_KEY_FILTER"]);
    assert_eq!(warn(json!({"rating": 1}), &[]), vec!["MISSING_INDEX"]);
    assert_eq!(warn(json!({"rating": 1}), &["rating"]), Vec::<&str>::new());
}

#[test]
fn projections_select_columns() {
    let meta = books();
    let names = |p: serde_json::Value| {
        projection(&meta, Some(&p))
            .map(|cols| cols.iter().map(|c| c.name.clone()).collect::<Vec<_>>())
    };
    assert_eq!(names(json!({})).map(|v| v.len()), Ok(7));
    assert_eq!(
        names(json!({"pages": 1, "title": true, "zzz": 1})),
        Ok(vec!["title".to_string(), "pages".into()])
    );
    assert_eq!(
        names(json!({"ct": 0, "meta": 0, "rating": 0, "tags": 0})),
        Ok(vec!["title".to_string(), "author".into(), "pages".into()])
    );
    assert_eq!(code(names(json!({"a": 1, "b": 0}))), "UNSUPPORTED_PROJECTION_PARAM");
    assert_eq!(code(names(json!({"*": 0}))), "UNSUPPORTED_PROJECTION_PARAM");
    assert_eq!(code(names(json!({"zzz": 1}))), "UNKNOWN_TABLE_COLUMNS");
}

#[test]
fn sorts_push_down_only_on_a_clustering_prefix_of_one_partition() {
    let meta = books();
    let conditions = parse_filter(&meta, Some(&json!({"title": "Dune"}))).unwrap_or_default();
    let sort = |s: serde_json::Value| parse_sort(&meta, Some(&s)).unwrap_or_default();
    assert_eq!(
        pushdown_order(&meta, &sort(json!({"author": 1, "pages": -1})), &conditions, false),
        Some("author ASC, pages DESC".into())
    );
    assert_eq!(
        pushdown_order(&meta, &sort(json!({"author": -1, "pages": 1})), &conditions, false),
        Some("author DESC, pages ASC".into())
    );
    assert_eq!(
        pushdown_order(&meta, &sort(json!({"author": 1, "pages": 1})), &conditions, false),
        None
    );
    assert_eq!(pushdown_order(&meta, &sort(json!({"pages": 1})), &conditions, false), None);
    assert_eq!(pushdown_order(&meta, &sort(json!({"author": 1})), &[], false), None);
    assert_eq!(pushdown_order(&meta, &sort(json!({"author": 1})), &conditions, true), None);
    assert_eq!(code(parse_sort(&meta, Some(&json!({"nope": 1})))), "CANNOT_SORT_UNKNOWN_COLUMNS");
    let columns = vec![("a".to_string(), CqlType::Native(NativeType::Int))];
    let mut rows = vec![vec![Some(Value::Int(2))], vec![None], vec![Some(Value::Int(1))]];
    sort_rows(&columns, &mut rows, &[("a".into(), false)]);
    assert_eq!(rows, vec![vec![None], vec![Some(Value::Int(1))], vec![Some(Value::Int(2))]]);
    sort_rows(&columns, &mut rows, &[("a".into(), true)]);
    assert_eq!(rows, vec![vec![Some(Value::Int(2))], vec![Some(Value::Int(1))], vec![None]]);
}

#[test]
fn inserts_check_columns_and_keys() {
    let meta = books();
    let doc = json!({"title": "Dune", "author": "Herbert", "pages": 412, "tags": ["sf"]});
    let (cql, id) = insert(&meta, &doc).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(
        cql,
        "INSERT INTO ks.books (title, author, pages, tags) VALUES ('Dune', 'Herbert', 412, {'sf'})"
    );
    assert_eq!(id.to_text(), r#"["Dune","Herbert",412]"#);
    assert_eq!(
        code(insert(&meta, &json!({"title": "a", "author": "b"}))),
        "MISSING_PRIMARY_KEY_COLUMNS"
    );
    assert_eq!(
        code(insert(&meta, &json!({"title": "a", "author": "b", "pages": 1, "x": 1}))),
        "UNKNOWN_TABLE_COLUMNS"
    );
    assert_eq!(
        code(insert(&meta, &json!({"title": "a", "author": "b", "pages": 1, "ct": 1}))),
        "UNSUPPORTED_COLUMN_TYPES"
    );
    assert_eq!(
        code(insert(&meta, &json!({"title": "a", "author": "b", "pages": "1"}))),
        "INVALID_COLUMN_VALUES"
    );
}

#[test]
fn updates_and_deletes_need_the_right_keys() {
    let meta = books();
    let full = parse_filter(&meta, Some(&json!({"title": "a", "author": "b", "pages": 1})))
        .unwrap_or_default();
    assert_eq!(
        full_key_terms(&meta, &full).map(|t| t.join(" AND ")),
        Ok("title = 'a' AND author = 'b' AND pages = 1".into())
    );
    let partial = parse_filter(&meta, Some(&json!({"title": "a"}))).unwrap_or_default();
    assert_eq!(code(full_key_terms(&meta, &partial)), "MISSING_FULL_PRIMARY_KEY_FOR_UPDATE_DELETE");
    assert_eq!(code(full_key_terms(&meta, &[])), "MISSING_FILTER_FOR_UPDATE_DELETE");
    let range =
        parse_filter(&meta, Some(&json!({"title": "a", "author": "b", "pages": {"$gt": 1}})))
            .unwrap_or_default();
    assert_eq!(code(full_key_terms(&meta, &range)), "UNSUPPORTED_FILTER_FOR_UPDATE_ONE_DELETE_ONE");
    let other = parse_filter(&meta, Some(&json!({"title": "a", "rating": 1}))).unwrap_or_default();
    assert_eq!(
        code(full_key_terms(&meta, &other)),
        "UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE"
    );
    assert_eq!(delete_many(&meta, &[]), Ok("TRUNCATE ks.books".into()));
    assert_eq!(delete_many(&meta, &partial), Ok("DELETE FROM ks.books WHERE title = 'a'".into()));
    let gap = parse_filter(&meta, Some(&json!({"title": "a", "pages": 1}))).unwrap_or_default();
    assert_eq!(code(delete_many(&meta, &gap)), "INVALID_PRIMARY_KEY_FILTER");
}

#[test]
fn update_operators_become_assignments() {
    let meta = books();
    let update = json!({
        "$set": {"rating": 5},
        "$unset": {"ct2": ""},
    });
    assert_eq!(code(assignments(&meta, Some(&update))), "UNKNOWN_TABLE_COLUMNS");
    let update = json!({
        "$set": {"rating": 5},
        "$push": {"tags": {"$each": ["a", "b"]}, "meta": {"k": 1}},
        "$pullAll": {"meta": ["k2"]},
    });
    assert_eq!(
        code(assignments(&meta, Some(&update))),
        "UNSUPPORTED_OVERLAPPING_UPDATE_OPERATIONS"
    );
    let update = json!({"$set": {"rating": 5}, "$push": {"tags": {"$each": ["a", "b"]}, "meta": {"k": 1}}, "$unset": {"ct": 1}});
    assert_eq!(code(assignments(&meta, Some(&update))), "UNSUPPORTED_UPDATE_OPERATOR");
    let update =
        json!({"$set": {"rating": 5}, "$push": {"tags": "c", "meta": {"k": 1}}, "$pullAll": {}});
    assert_eq!(
        assignments(&meta, Some(&update)),
        Ok(vec![
            "rating = 5".to_string(),
            "tags = tags + {'c'}".into(),
            "meta = meta + {'k': 1}".into()
        ])
    );
    let update = json!({"$pullAll": {"meta": ["k2"], "tags": ["x"]}, "$unset": {"rating": ""}});
    assert_eq!(
        assignments(&meta, Some(&update)),
        Ok(vec![
            "meta = meta - {'k2'}".to_string(),
            "tags = tags - {'x'}".into(),
            "rating = null".into()
        ])
    );
    assert_eq!(
        code(assignments(&meta, Some(&json!({"$inc": {"rating": 1}})))),
        "UNSUPPORTED_UPDATE_OPERATIONS_FOR_TABLE"
    );
    assert_eq!(
        code(assignments(&meta, Some(&json!({"$set": {"title": "x"}})))),
        "UNSUPPORTED_UPDATE_FOR_PRIMARY_KEY_COLUMNS"
    );
    assert_eq!(code(assignments(&meta, Some(&json!({"$set": {}})))), "MISSING_UPDATE_OPERATIONS");
    assert_eq!(
        code(assignments(&meta, Some(&json!({"$push": {"rating": 1}})))),
        "UNSUPPORTED_UPDATE_OPERATOR"
    );
}

#[test]
fn documents_leave_out_nulls_and_empty_collections() {
    let columns = vec![
        ("a".to_string(), CqlType::Native(NativeType::Int)),
        ("b".to_string(), CqlType::Native(NativeType::Int)),
        ("c".to_string(), CqlType::List(Box::new(CqlType::Native(NativeType::Int)))),
    ];
    let row = vec![Some(Value::Int(1)), None, Some(Value::List(vec![]))];
    assert_eq!(document(&columns, &row).to_text(), r#"{"a":1}"#);
}
