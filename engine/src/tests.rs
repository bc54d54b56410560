use super::*;

/// The time the crate's unit tests run statements at.
pub(crate) const NOW: Micros = Micros(1_700_000_000_000_000);

pub(crate) fn run(s: &mut Session, cql: &str) -> Outcome {
    s.execute(cql, NOW).unwrap_or_else(|e| panic!("{cql}: {e}"))
}

pub(crate) fn rows(s: &mut Session, cql: &str) -> Rows {
    match run(s, cql) {
        Outcome::Rows(r) => r,
        other => panic!("{cql}: expected rows, got {other:?}"),
    }
}

/// A session using a fresh keyspace `ks`.
pub(crate) fn sandbox() -> Session {
    let mut s = Session::new();
    run(
        &mut s,
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    );
    run(&mut s, "USE ks");
    s
}

#[test]
fn system_local_reports_the_release_version() {
    let mut session = Session::new();
    let r = rows(&mut session, "SELECT release_version FROM system.local;");
    assert_eq!(r.columns[0].name, "release_version");
    assert_eq!(r.columns[0].ty, CqlType::Native(types::NativeType::Text));
    assert_eq!(r.rows, vec![vec![Some(Value::Text(RELEASE_VERSION.into()))]]);
}

#[test]
fn garbage_is_a_syntax_error() {
    let err = Session::new().execute("SELsECT 1", Micros(0)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Syntax);
}

#[test]
fn use_sets_the_session_keyspace_and_ddl_reports_schema_changes() {
    let mut s = Session::new();
    let created = run(
        &mut s,
        "CREATE KEYSPACE k2 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    );
    assert_eq!(
        created,
        Outcome::SchemaChange(SchemaChange {
            change: SchemaChangeKind::Created,
            target: SchemaTarget::Keyspace,
            keyspace: "k2".into(),
            name: None
        })
    );
    assert_eq!(run(&mut s, "USE k2"), Outcome::SetKeyspace("k2".into()));
    assert_eq!(s.keyspace(), Some("k2"));
}

#[test]
fn paging_resumes_where_the_previous_page_stopped() {
    let mut s = sandbox();
    run(&mut s, "CREATE TABLE t (k int, c int, PRIMARY KEY (k, c))");
    for c in 0..7 {
        run(&mut s, &format!("INSERT INTO t (k, c) VALUES (1, {c})"));
    }
    let mut engine_rows = Vec::new();
    let mut state = None;
    let mut pages = 0;
    loop {
        let options = Options {
            keyspace: Some("ks".into()),
            page_size: Some(3),
            paging_state: state.clone(),
            now: Micros(1),
        };
        let Outcome::Rows(page) =
            s.engine.execute("SELECT c FROM t WHERE k = 1", &options).unwrap()
        else {
            panic!("no rows");
        };
        assert!(page.rows.len() <= 3);
        engine_rows.extend(page.rows);
        pages += 1;
        state = page.paging_state;
        if state.is_none() {
            break;
        }
    }
    assert_eq!(pages, 3);
    let cs: Vec<Option<Value>> = engine_rows.into_iter().map(|mut r| r.remove(0)).collect();
    assert_eq!(cs, (0..7).map(|c| Some(Value::Int(c))).collect::<Vec<_>>());
    let bad = Options {
        paging_state: Some(vec![1, 2, 3]),
        keyspace: Some("ks".into()),
        ..Options::default()
    };
    assert_eq!(s.engine.execute("SELECT c FROM t", &bad).unwrap_err().kind(), ErrorKind::Invalid);
}

/// Fetches one page of `cql`, returning the first column of its rows and the state.
fn page(
    s: &mut Session,
    cql: &str,
    size: usize,
    state: Option<Vec<u8>>,
) -> (Vec<Value>, Option<Vec<u8>>) {
    let options = Options {
        keyspace: Some("ks".into()),
        page_size: Some(size),
        paging_state: state,
        now: Micros(1_700_000_000_000_000),
    };
    match s.engine.execute(cql, &options) {
        Ok(Outcome::Rows(r)) => {
            (r.rows.into_iter().filter_map(|mut r| r.remove(0)).collect(), r.paging_state)
        }
        other => panic!("{cql}: expected rows, got {other:?}"),
    }
}

#[test]
fn a_full_last_page_still_carries_a_state_as_in_cassandra() {
    let mut s = sandbox();
    run(&mut s, "CREATE TABLE t (k int, c int, PRIMARY KEY (k, c))");
    for c in 0..4 {
        run(&mut s, &format!("INSERT INTO t (k, c) VALUES (1, {c})"));
    }
    let q = "SELECT c FROM t WHERE k = 1";
    let (first, state) = page(&mut s, q, 2, None);
    assert_eq!(first, vec![Value::Int(0), Value::Int(1)]);
    let (second, state) = page(&mut s, q, 2, Some(state.expect("state after page 1")));
    assert_eq!(second, vec![Value::Int(2), Value::Int(3)]);
    let (third, state) = page(&mut s, q, 2, Some(state.expect("state after a full page 2")));
    assert_eq!((third, state), (vec![], None));
    // A LIMIT reached exactly ends the paging.
    let (limited, state) = page(&mut s, "SELECT c FROM t WHERE k = 1 LIMIT 2", 2, None);
    assert_eq!((limited.len(), state), (2, None));
}

#[test]
fn paging_resumes_after_the_last_row_even_when_rows_change_between_pages() {
    let mut s = sandbox();
    run(&mut s, "CREATE TABLE t (k int, c int, PRIMARY KEY (k, c))");
    for k in 0..3 {
        for c in [10, 20, 30] {
            run(&mut s, &format!("INSERT INTO t (k, c) VALUES ({k}, {c})"));
        }
    }
    let all: Vec<Value> =
        rows(&mut s, "SELECT c FROM t").rows.into_iter().filter_map(|mut r| r.remove(0)).collect();
    let (first, state) = page(&mut s, "SELECT c FROM t", 4, None);
    assert_eq!(first, all[..4]);
    // Deleting a row already returned must not make the next page skip one, and a row
    // inserted before the resume point must not be returned again.
    run(&mut s, "DELETE FROM t WHERE k = 0 AND c = 10");
    run(&mut s, "DELETE FROM t WHERE k = 1 AND c = 10");
    run(&mut s, "DELETE FROM t WHERE k = 2 AND c = 10");
    let (rest, state) = page(&mut s, "SELECT c FROM t", 10, state);
    assert_eq!(
        rest,
        all[4..].iter().filter(|v| **v != Value::Int(10)).cloned().collect::<Vec<_>>()
    );
    assert_eq!(state, None);
    // Reversed order within a partition resumes after the last row too.
    let q = "SELECT c FROM t WHERE k = 1 ORDER BY c DESC";
    let (first, state) = page(&mut s, q, 1, None);
    assert_eq!(first, vec![Value::Int(30)]);
    run(&mut s, "INSERT INTO t (k, c) VALUES (1, 25)");
    let (rest, _) = page(&mut s, q, 10, state);
    assert_eq!(rest, vec![Value::Int(25), Value::Int(20)]);
}

#[test]
fn a_foreign_or_malformed_paging_state_is_an_invalid_request() {
    let mut s = sandbox();
    run(&mut s, "CREATE TABLE t (k int, c int, PRIMARY KEY (k, c))");
    run(&mut s, "CREATE TABLE u (k int, c int, PRIMARY KEY (k, c))");
    for c in 0..3 {
        run(&mut s, &format!("INSERT INTO t (k, c) VALUES (1, {c})"));
    }
    let (_, state) = page(&mut s, "SELECT c FROM t", 1, None);
    let state = state.expect("a state");
    let options = |state: Vec<u8>| Options {
        keyspace: Some("ks".into()),
        page_size: Some(1),
        paging_state: Some(state),
        now: Micros(1),
    };
    let mut truncated = state.clone();
    truncated.pop();
    for bad in [state.clone(), truncated, vec![], b"CQF1\0\0\0\0\0\0\0\x01".to_vec()] {
        let table = if bad == state { "u" } else { "t" };
        let err = s.engine.execute(&format!("SELECT c FROM {table}"), &options(bad)).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert_eq!(err.message(), "Invalid value for the paging state");
    }
}

#[test]
fn snapshots_restore_schema_and_data_exactly() {
    let mut s = sandbox();
    for stmt in [
        "CREATE TYPE addr (street text, zip int)",
        "CREATE TABLE t (k int, c text, v list<int>, a frozen<addr>, w addr, s int STATIC, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC) AND comment = 'x'",
        "CREATE INDEX ON t (s)",
        "INSERT INTO t (k, c, v, a, w, s) VALUES (1, 'a', [1, 2], {street: 'x', zip: 2}, {zip: 3}, 9) USING TTL 100",
        "INSERT INTO t (k, c) VALUES (1, 'b')",
        "DELETE FROM t WHERE k = 1 AND c > 'x'",
        "CREATE TABLE n (k int PRIMARY KEY, n counter)",
        "UPDATE n SET n = n + 5 WHERE k = 1",
    ] {
        run(&mut s, stmt);
    }
    let bytes = s.engine.snapshot();
    let restored = Engine::restore(&bytes).unwrap();
    assert_eq!(restored.snapshot(), bytes);
    let mut s2 = Session { engine: restored, keyspace: Some("ks".into()) };
    for q in [
        "SELECT * FROM t",
        "SELECT ttl(s), writetime(s) FROM t",
        "SELECT * FROM n",
        "SELECT * FROM system_schema.tables",
    ] {
        assert_eq!(rows(&mut s, q), rows(&mut s2, q), "{q}");
    }
    assert!(Engine::restore(b"nonsense").is_err());
    assert!(Engine::restore(&bytes[..bytes.len() / 2]).is_err());
}

#[test]
fn custom_index_options_survive_a_snapshot() {
    let mut s = sandbox();
    run(&mut s, "CREATE TABLE v (k int PRIMARY KEY, e vector<float, 2>)");
    run(
        &mut s,
        "CREATE CUSTOM INDEX ON v (e) USING 'StorageAttachedIndex' WITH OPTIONS = {'similarity_function': 'dot_product'}",
    );
    let q = "SELECT index_name, options FROM system_schema.indexes WHERE keyspace_name = 'ks'";
    let before = rows(&mut s, q);
    let options = before.rows.first().and_then(|r| r.get(1)).cloned().flatten();
    let text = |x: &str| Value::Text(x.into());
    assert_eq!(
        options,
        Some(Value::Map(vec![
            (text("class_name"), text("StorageAttachedIndex")),
            (text("similarity_function"), text("dot_product")),
            (text("target"), text("e")),
        ]))
    );
    let bytes = s.engine.snapshot();
    let mut restored = Session { engine: Engine::restore(&bytes).unwrap(), keyspace: None };
    assert_eq!(rows(&mut restored, q), before);
    assert_eq!(restored.engine.snapshot(), bytes);
}

#[test]
fn a_version_1_snapshot_without_index_options_still_restores() {
    // Written by hand in the version 1 layout: magic, version, schema script, no tables.
    let script = "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'};\n\
                  CREATE TABLE ks.v (k int PRIMARY KEY, n int);\n\
                  CREATE CUSTOM INDEX v_n ON ks.v (n) USING 'StorageAttachedIndex';\n";
    let mut bytes = b"CQFSNAP\x01".to_vec();
    bytes.extend_from_slice(&u32::try_from(script.len()).unwrap().to_le_bytes());
    bytes.extend_from_slice(script.as_bytes());
    bytes.extend_from_slice(&0u32.to_le_bytes());
    let mut s = Session { engine: Engine::restore(&bytes).unwrap(), keyspace: None };
    let r = rows(&mut s, "SELECT options FROM system_schema.indexes WHERE keyspace_name = 'ks'");
    let text = |x: &str| Value::Text(x.into());
    assert_eq!(
        r.rows,
        vec![vec![Some(Value::Map(vec![
            (text("class_name"), text("StorageAttachedIndex")),
            (text("target"), text("n")),
        ]))]]
    );
}

#[test]
fn limits_refuse_writes_past_them_and_keep_the_data_consistent() {
    let mut s = sandbox();
    s.engine.set_limits(Limits { max_rows: 3, max_bytes: 1 << 20 });
    run(&mut s, "CREATE TABLE t (k int PRIMARY KEY, v int)");
    for k in 0..3 {
        run(&mut s, &format!("INSERT INTO t (k, v) VALUES ({k}, 1)"));
    }
    let err = s.execute("INSERT INTO t (k, v) VALUES (9, 1)", Micros(1)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::LimitExceeded);
    assert_eq!(rows(&mut s, "SELECT * FROM t").rows.len(), 3);
    // Overwriting existing rows stays within the limit.
    run(&mut s, "UPDATE t SET v = 2 WHERE k = 1");
}

#[test]
fn no_input_panics() {
    let mut s = sandbox();
    run(&mut s, "CREATE TABLE t (k int, c int, v text, l list<int>, PRIMARY KEY (k, c))");
    let pieces = [
        "SELECT",
        "*",
        "FROM",
        "t",
        "WHERE",
        "k",
        "=",
        "1",
        "AND",
        "c",
        ">",
        "(",
        ")",
        ",",
        "IN",
        "'x'",
        "token(k)",
        "[",
        "]",
        "{",
        "}",
        ":",
        "INSERT",
        "INTO",
        "VALUES",
        "UPDATE",
        "SET",
        "l",
        "+",
        "-",
        "DELETE",
        "IF",
        "EXISTS",
        "NOT",
        "BEGIN",
        "BATCH",
        "APPLY",
        ";",
        "?",
        "null",
        "0x",
        "1.5",
        "LIMIT",
        "ORDER",
        "BY",
        "DESC",
        "GROUP",
        "count(*)",
        "JSON",
        "DISTINCT",
        "ALLOW",
        "FILTERING",
        "$$",
        "\"",
    ];
    // A deterministic walk over many token combinations.
    let mut x: u64 = 12345;
    for _ in 0..3000 {
        let mut stmt = String::new();
        let len = (x % 12) as usize + 1;
        for _ in 0..len {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            stmt.push_str(pieces[(x >> 33) as usize % pieces.len()]);
            stmt.push(' ');
        }
        let _ = s.execute(&stmt, Micros(5));
    }
}

#[test]
fn a_script_keeps_going_past_a_failing_statement() {
    let mut s = Session::new();
    let results = s.execute_script(
        "CREATE KEYSPACE k WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\
         USE k; CREATE TABLE t (id int PRIMARY KEY); SELsECT 1; INSERT INTO t (id) VALUES (1); SELECT * FROM t;",
        Micros(0),
    );
    assert_eq!(results.len(), 6);
    assert_eq!(results[3].1.as_ref().unwrap_err().kind(), ErrorKind::Syntax);
    let Ok(Outcome::Rows(r)) = &results[5].1 else { panic!("{:?}", results[5]) };
    assert_eq!(r.rows, vec![vec![Some(Value::Int(1))]]);
    let restored = Session::from(Engine::restore(&s.engine().snapshot()).unwrap());
    assert_eq!(restored.keyspace(), None);
}

#[test]
fn huge_in_products_are_refused_not_built() {
    let mut s = sandbox();
    run(&mut s, "CREATE TABLE t (a int, b int, c int, d int, PRIMARY KEY ((a, b, c), d))");
    let list = (0..30).map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
    let q = format!("SELECT * FROM t WHERE a IN ({list}) AND b IN ({list}) AND c IN ({list})");
    assert_eq!(s.execute(&q, Micros(0)).unwrap_err().kind(), ErrorKind::LimitExceeded);
    let small = "SELECT * FROM t WHERE a IN (1, 2) AND b IN (1, 2) AND c = 1 AND d IN (1, 2)";
    assert_eq!(rows(&mut s, small).rows.len(), 0);
}

#[test]
fn clustering_lookups_find_the_same_rows_as_a_scan() {
    let mut s = sandbox();
    run(
        &mut s,
        "CREATE TABLE t (k int, a int, b int, v int, PRIMARY KEY (k, a, b)) \
         WITH CLUSTERING ORDER BY (a ASC, b DESC)",
    );
    for a in 0..6 {
        for b in 0..6 {
            run(
                &mut s,
                &format!("INSERT INTO t (k, a, b, v) VALUES (1, {a}, {b}, {})", a * 10 + b),
            );
        }
    }
    let v = |r: Rows| -> Vec<i32> {
        r.rows
            .iter()
            .filter_map(|row| match row.first() {
                Some(Some(Value::Int(n))) => Some(*n),
                _ => None,
            })
            .collect()
    };
    let want = |f: &dyn Fn(i32, i32) -> bool| -> Vec<i32> {
        (0..6)
            .flat_map(|a| (0..6).rev().map(move |b| (a, b)))
            .filter(|&(a, b)| f(a, b))
            .map(|(a, b)| a * 10 + b)
            .collect()
    };
    assert_eq!(v(rows(&mut s, "SELECT v FROM t WHERE k = 1 AND a = 2 AND b = 3")), vec![23]);
    assert_eq!(v(rows(&mut s, "SELECT v FROM t WHERE k = 1 AND a = 4")), want(&|a, _| a == 4));
    assert_eq!(v(rows(&mut s, "SELECT v FROM t WHERE k = 1 AND a = 9")), Vec::<i32>::new());
    assert_eq!(
        v(rows(&mut s, "SELECT v FROM t WHERE k = 1 AND a IN (1, 3) AND b > 2")),
        want(&|a, b| (a == 1 || a == 3) && b > 2)
    );
    assert_eq!(
        v(rows(&mut s, "SELECT v FROM t WHERE k = 1 AND a = 5 ORDER BY a DESC")),
        want(&|a, _| a == 5).into_iter().rev().collect::<Vec<_>>()
    );
    assert_eq!(
        v(rows(&mut s, "SELECT v FROM t WHERE k = 1 AND a >= 1 AND a < 3")),
        want(&|a, _| (1..3).contains(&a))
    );
}

fn prepared_sandbox() -> (Engine, Options) {
    let mut s = sandbox();
    run(&mut s, "CREATE TABLE t (k int, c int, v text, l list<int>, PRIMARY KEY (k, c))");
    let options = Options {
        keyspace: Some("ks".into()),
        now: Micros(1_700_000_000_000_000),
        ..Options::default()
    };
    let engine = std::mem::take(s.engine_mut());
    (engine, options)
}

fn prepared_rows(e: &mut Engine, p: &Prepared, values: &[Option<Value>], o: &Options) -> Rows {
    match e.execute_prepared(p, values, o) {
        Ok(Outcome::Rows(r)) => r,
        other => panic!("{}: expected rows, got {other:?}", p.statement()),
    }
}

#[test]
fn prepared_statements_bind_values_to_markers_in_order() {
    let (mut e, o) = prepared_sandbox();
    let insert =
        e.prepare("INSERT INTO t (k, c, v, l) VALUES (?, ?, :val, ?) USING TTL ?").unwrap();
    assert_eq!(insert.markers(), &[None, None, Some("val".to_string()), None, None]);
    for c in 0..3 {
        let values = [
            Some(Value::Int(1)),
            Some(Value::Int(c)),
            Some(Value::Text(format!("v{c}").into())),
            Some(Value::List(vec![Value::Int(c)])),
            Some(Value::Int(100)),
        ];
        assert_eq!(e.execute_prepared(&insert, &values, &o), Ok(Outcome::Void));
    }
    let select =
        e.prepare("SELECT c, v, l, ttl(v) FROM t WHERE k = ? AND c IN (?, ?) LIMIT ?").unwrap();
    let got = prepared_rows(
        &mut e,
        &select,
        &[Some(Value::Int(1)), Some(Value::Int(2)), Some(Value::Int(0)), Some(Value::Int(5))],
        &o,
    );
    assert_eq!(
        got.rows,
        vec![
            vec![
                Some(Value::Int(0)),
                Some(Value::Text("v0".into())),
                Some(Value::List(vec![Value::Int(0)])),
                Some(Value::Int(100))
            ],
            vec![
                Some(Value::Int(2)),
                Some(Value::Text("v2".into())),
                Some(Value::List(vec![Value::Int(2)])),
                Some(Value::Int(100))
            ],
        ]
    );
}

#[test]
fn prepared_null_binds_write_tombstones_and_null_keys_are_refused() {
    let (mut e, o) = prepared_sandbox();
    let insert = e.prepare("INSERT INTO t (k, c, v) VALUES (?, ?, ?)").unwrap();
    let one = |v: Option<Value>| [Some(Value::Int(1)), Some(Value::Int(1)), v];
    e.execute_prepared(&insert, &one(Some(Value::Text("x".into()))), &o).unwrap();
    e.execute_prepared(&insert, &one(None), &o).unwrap();
    let select = e.prepare("SELECT v FROM t WHERE k = ? AND c = ?").unwrap();
    let got = prepared_rows(&mut e, &select, &[Some(Value::Int(1)), Some(Value::Int(1))], &o);
    assert_eq!(got.rows, vec![vec![None]]);
    let err = e.execute_prepared(&insert, &[None, Some(Value::Int(1)), None], &o).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(err.message(), "Invalid null value in condition for column k");
}

#[test]
fn prepared_statements_refuse_a_wrong_count_or_type_and_change_nothing() {
    let (mut e, o) = prepared_sandbox();
    let insert = e.prepare("INSERT INTO t (k, c, v) VALUES (?, ?, ?)").unwrap();
    let err = e.execute_prepared(&insert, &[Some(Value::Int(1))], &o).unwrap_err();
    assert_eq!(
        (err.kind(), err.message()),
        (ErrorKind::Invalid, "Invalid amount of bind variables")
    );
    let wrong = [Some(Value::Int(1)), Some(Value::Int(1)), Some(Value::Bigint(7))];
    let err = e.execute_prepared(&insert, &wrong, &o).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    assert_eq!(err.message(), "Invalid value for v: expected text, got bigint");
    let append = e.prepare("UPDATE t SET l = l + ? WHERE k = 1 AND c = 1").unwrap();
    let err = e.execute_prepared(&append, &[Some(Value::Set(vec![Value::Text("a".into())]))], &o);
    assert!(err.is_err(), "a set of text is not a list<int>: {err:?}");
    let count = e.execute("SELECT COUNT(*) FROM t", &o).unwrap();
    let Outcome::Rows(count) = count else { panic!("{count:?}") };
    assert_eq!(count.rows, vec![vec![Some(Value::Bigint(0))]]);
    // A statement with markers run as plain text has no values for them.
    let err = e.execute("SELECT * FROM t WHERE k = ?", &o).unwrap_err();
    assert_eq!(err.message(), "Invalid amount of bind variables");
}

#[test]
fn a_transcript_difference_names_the_first_differing_line() {
    use crate::conformance::first_difference;
    assert_eq!(first_difference("f.cql", "a\nb\n", "a\nb\n"), None);
    let diff = first_difference("f.cql", "a\nb\nc\n", "a\nx\nc\n").unwrap();
    assert!(diff.starts_with("f.cql: differs from line 2\n--- expected line: \"b\""), "{diff}");
    let short = first_difference("f.cql", "a\nb\n", "a\n").unwrap();
    assert!(short.contains("differs from line 2"), "{short}");
}

#[test]
fn a_session_runs_prepared_statements_in_its_keyspace() {
    let mut s = sandbox();
    run(&mut s, "CREATE TABLE kv (k text PRIMARY KEY, v int)");
    let now = Micros(1_700_000_000_000_000);
    let insert = s.prepare("INSERT INTO kv (k, v) VALUES (?, ?)").unwrap();
    for (k, v) in [("a", 1), ("b", 2)] {
        let values = [Some(Value::Text(k.into())), Some(Value::Int(v))];
        assert_eq!(s.execute_prepared(&insert, &values, now), Ok(Outcome::Void));
    }
    let read = s.prepare("SELECT v FROM kv WHERE k = ?").unwrap();
    let got = s.execute_prepared(&read, &[Some(Value::Text("b".into()))], now).unwrap();
    let Outcome::Rows(got) = got else { panic!("{got:?}") };
    assert_eq!(got.rows, vec![vec![Some(Value::Int(2))]]);
    let use_stmt = s.prepare("USE system").unwrap();
    assert_eq!(s.execute_prepared(&use_stmt, &[], now), Ok(Outcome::SetKeyspace("system".into())));
    assert_eq!(s.keyspace(), Some("system"));
}
