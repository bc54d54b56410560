use cqlfiddle_engine::types::NativeType;
use cqlfiddle_engine::{ColumnSpec, CqlType, RELEASE_VERSION, Rows};

use super::*;

#[test]
fn the_sample_query_yields_the_release_version() {
    let result = run(&mut Session::new(), SAMPLE_QUERY, Micros(0));
    let expected = ResultTable {
        columns: vec!["release_version".into()],
        rows: vec![vec![Cell::Value(RELEASE_VERSION.into())]],
    };
    assert_eq!(result, SandboxResult::Table(expected));
}

#[test]
fn a_refused_statement_keeps_kind_and_message() {
    match run(&mut Session::new(), "SELEKT nonsense", Micros(0)) {
        SandboxResult::Failed { kind, message } => {
            assert_eq!(kind, "syntax error");
            assert!(!message.is_empty());
        }
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn nulls_stay_distinct_from_empty_text() {
    let column = |name: &str| ColumnSpec {
        keyspace: "ks".into(),
        table: "t".into(),
        name: name.into(),
        ty: CqlType::Native(NativeType::Text),
    };
    let rows = Rows {
        columns: vec![column("a"), column("b")].into(),
        rows: vec![vec![None, Some(Value::Text("".into()))]],
        paging_state: None,
    };
    let SandboxResult::Table(table) = describe(Outcome::Rows(rows)) else {
        panic!("expected a table")
    };
    assert_eq!(table.columns, ["a", "b"]);
    assert_eq!(table.rows, [vec![Cell::Null, Cell::Value(String::new())]]);
}

#[test]
fn statements_without_rows_are_confirmed() {
    assert_eq!(describe(Outcome::Void), SandboxResult::Done("Done.".into()));
    assert_eq!(
        describe(Outcome::SetKeyspace("shop".into())),
        SandboxResult::Done("Now using keyspace shop.".into())
    );
    let change = SchemaChange {
        change: SchemaChangeKind::Created,
        target: SchemaTarget::Table,
        keyspace: "shop".into(),
        name: Some("orders".into()),
    };
    assert_eq!(
        describe(Outcome::SchemaChange(change)),
        SandboxResult::Done("Created table shop.orders.".into())
    );
}

#[test]
fn values_print_as_cqlsh_prints_them() {
    let column = ColumnSpec {
        keyspace: "ks".into(),
        table: "t".into(),
        name: "n".into(),
        ty: CqlType::Native(NativeType::Int),
    };
    let rows = Rows {
        columns: vec![column].into(),
        rows: vec![vec![Some(Value::Int(42))]],
        paging_state: None,
    };
    let SandboxResult::Table(table) = describe(Outcome::Rows(rows)) else {
        panic!("expected a table")
    };
    assert_eq!(table.rows, [vec![Cell::Value("42".into())]]);
}
