use super::*;

#[test]
fn doubles_print_as_java_does() {
    assert_eq!(java_double(0.01), "0.01");
    assert_eq!(java_double(1.0), "1.0");
    assert_eq!(java_double(0.1), "0.1");
    assert_eq!(java_double(0.0001), "1.0E-4");
    assert_eq!(java_double(12_345_678.0), "1.2345678E7");
}

#[test]
fn replication_options_follow_java_hash_order() {
    // Java's String hashes put "a" in bucket 1, "dc2" in 2 and "dc1" in 3 of 16, so
    // "dc2" comes before "dc1" although it sorts after it by name.
    let mut keys = vec!["dc1", "a", "dc2"];
    keys.sort_by_key(|k| java_hash_bucket(k, 4));
    assert_eq!(keys, ["a", "dc2", "dc1"]);
}

fn describe_page(
    engine: &mut Engine,
    cql: &str,
    size: usize,
    state: Option<Vec<u8>>,
) -> Result<Rows, Error> {
    let options = Options {
        keyspace: Some("ks".into()),
        page_size: Some(size),
        paging_state: state,
        ..Options::default()
    };
    match engine.execute(cql, &options)? {
        crate::Outcome::Rows(rows) => Ok(rows),
        other => panic!("{cql}: {other:?}"),
    }
}

#[test]
fn describe_pages_by_row_and_refuses_a_changed_schema() {
    let mut engine = Engine::new();
    let options = Options::default();
    for cql in [
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        "CREATE TABLE ks.a (k int PRIMARY KEY)",
        "CREATE TABLE ks.b (k int PRIMARY KEY)",
        "CREATE TABLE ks.c (k int PRIMARY KEY)",
    ] {
        engine.execute(cql, &options).unwrap_or_else(|e| panic!("{cql}: {e}"));
    }
    let names = |rows: &Rows| -> Vec<Option<Value>> {
        rows.rows.iter().map(|r| r.get(2).cloned().flatten()).collect()
    };
    let text = |s: &str| Some(Value::Text(s.into()));
    let first = describe_page(&mut engine, "DESCRIBE TABLES", 2, None).expect("first page");
    assert_eq!(names(&first), [text("a"), text("b")]);
    let second = describe_page(&mut engine, "DESCRIBE TABLES", 2, first.paging_state.clone())
        .expect("second page");
    assert_eq!(names(&second), [text("c")]);
    assert_eq!(second.paging_state, None);

    engine.execute("CREATE TABLE ks.d (k int PRIMARY KEY)", &options).expect("create d");
    let err = describe_page(&mut engine, "DESCRIBE TABLES", 2, first.paging_state)
        .expect_err("the schema changed");
    assert_eq!(err.message(), SCHEMA_CHANGED);
    let err = describe_page(&mut engine, "DESCRIBE TABLES", 2, Some(b"nonsense".to_vec()))
        .expect_err("not a paging state");
    assert_eq!(err.message(), "Invalid value for the paging state");
}
