use crate::storage::{Cell, ElementMeta};
use crate::tests::{rows, run, sandbox};
use crate::{Engine, Session, Value};

/// The stored cell of column `col` in the row of key `k` of table `ks.t`.
fn stored_cell(engine: &Engine, k: i32, col: &str) -> Cell {
    let table = engine.keyspaces.get("ks").and_then(|ks| ks.tables.get("t")).expect("table");
    table
        .data
        .values()
        .find(|p| p.key == vec![Value::Int(k)])
        .and_then(|p| p.rows().first())
        .and_then(|(_, r)| r.cells.get(col))
        .cloned()
        .expect("cell")
}

#[test]
fn element_timestamps_tombstones_and_deletions_survive_a_snapshot() {
    let mut s = sandbox();
    for stmt in [
        "CREATE TYPE addr (street text, zip int)",
        "CREATE TABLE t (k int PRIMARY KEY, s set<text>, m map<int, text>, l list<int>, u addr)",
        "INSERT INTO t (k, s, m, l, u) VALUES (1, {'a', 'b'}, {1: 'x'}, [1], {street: 'x'}) USING TIMESTAMP 10",
        "UPDATE t USING TIMESTAMP 20 AND TTL 300 SET s = s + {'c'}, m[2] = 'y', l = l + [2], u.zip = 3 WHERE k = 1",
        "UPDATE t USING TIMESTAMP 30 SET s = s - {'a'}, m = m - {1} WHERE k = 1",
        "UPDATE t USING TIMESTAMP 40 SET l = [7] WHERE k = 1",
    ] {
        run(&mut s, stmt);
    }
    let bytes = s.engine().snapshot();
    let restored = Engine::restore(&bytes).expect("restores");
    assert_eq!(restored.snapshot(), bytes);
    for col in ["s", "m", "l", "u"] {
        assert_eq!(stored_cell(&restored, 1, col), stored_cell(s.engine(), 1, col), "{col}");
    }
    let mut s2 = Session::from(restored);
    run(&mut s2, "USE ks");
    let q = "SELECT s, writetime(s), ttl(s), m, writetime(m), l, writetime(l), writetime(u) FROM t";
    assert_eq!(rows(&mut s, q), rows(&mut s2, q));
    // The tombstone of 'a' came along: an older write of 'a' stays deleted.
    run(&mut s2, "UPDATE t USING TIMESTAMP 25 SET s = s + {'a'} WHERE k = 1");
    let set = rows(&mut s2, "SELECT s FROM t").rows;
    assert_eq!(
        set,
        vec![vec![Some(Value::Set(vec![Value::Text("b".into()), Value::Text("c".into())]))]]
    );
}

#[test]
fn a_version_1_snapshot_reads_its_collections_as_written_at_the_cells_timestamp() {
    let script = "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': '1'};\n\
                  CREATE TABLE ks.t (k int PRIMARY KEY, l list<int>);\n";
    let mut bytes = b"CQFSNAP\x01".to_vec();
    let u32le = |n: usize| u32::try_from(n).expect("small").to_le_bytes();
    bytes.extend_from_slice(&u32le(script.len()));
    bytes.extend_from_slice(script.as_bytes());
    bytes.extend_from_slice(&u32le(1)); // one table
    for part in [&b"ks"[..], &b"t"[..]] {
        bytes.extend_from_slice(&u32le(part.len()));
        bytes.extend_from_slice(part);
    }
    bytes.extend_from_slice(&[7; 16]); // table id
    bytes.extend_from_slice(&u32le(1)); // one partition
    bytes.extend_from_slice(&u32le(1)); // its key: one value
    bytes.extend_from_slice(&u32le(4));
    bytes.extend_from_slice(&1i32.to_be_bytes());
    bytes.extend_from_slice(&i64::MIN.to_le_bytes()); // no partition deletion
    // Static row: no marker, no deletion, no cells.
    bytes.push(0);
    bytes.extend_from_slice(&i64::MIN.to_le_bytes());
    bytes.extend_from_slice(&u32le(0));
    bytes.extend_from_slice(&u32le(1)); // one clustered row, with no clustering values
    bytes.extend_from_slice(&u32le(0));
    bytes.push(0); // no marker
    bytes.extend_from_slice(&i64::MIN.to_le_bytes());
    bytes.extend_from_slice(&u32le(1)); // one cell
    bytes.extend_from_slice(&u32le(1));
    bytes.push(b'l');
    // The cell: value [5, 6], timestamp 42, TTL 100, per-element expiries [none, 2e9].
    bytes.push(1);
    let list = [
        &2i32.to_be_bytes()[..],
        &4i32.to_be_bytes(),
        &5i32.to_be_bytes(),
        &4i32.to_be_bytes(),
        &6i32.to_be_bytes(),
    ]
    .concat();
    bytes.extend_from_slice(&u32le(list.len()));
    bytes.extend_from_slice(&list);
    bytes.extend_from_slice(&42i64.to_le_bytes());
    bytes.extend_from_slice(&100i32.to_le_bytes());
    bytes.push(0);
    bytes.extend_from_slice(&u32le(2));
    bytes.push(0);
    bytes.push(1);
    bytes.extend_from_slice(&2_000_000_000i64.to_le_bytes());
    bytes.extend_from_slice(&u32le(0)); // no range tombstones
    let engine = Engine::restore(&bytes).expect("a version 1 snapshot restores");
    let cell = stored_cell(&engine, 1, "l");
    let metas = cell.elements.as_ref().map(|e| e.meta.clone()).expect("element metadata");
    assert_eq!(
        metas,
        vec![
            Some(ElementMeta { ts: 42, ttl: 0, expires: None }),
            Some(ElementMeta { ts: 42, ttl: 100, expires: Some(2_000_000_000) }),
        ]
    );
    let mut s = Session::from(engine);
    let r = rows(&mut s, "SELECT l, writetime(l) FROM ks.t");
    assert_eq!(
        r.rows,
        vec![vec![
            Some(Value::List(vec![Value::Int(5), Value::Int(6)])),
            Some(Value::List(vec![Value::Bigint(42), Value::Bigint(42)])),
        ]]
    );
    // Written back, it is a version 2 snapshot.
    assert_eq!(s.engine().snapshot().get(7), Some(&2));
}

#[test]
fn dropped_columns_survive_a_snapshot() {
    let mut s = sandbox();
    for stmt in [
        "CREATE TABLE t (k int, c int, v int, m map<int, int>, st int STATIC, PRIMARY KEY (k, c))",
        "INSERT INTO t (k, c, v) VALUES (1, 1, 1) USING TIMESTAMP 5",
        "ALTER TABLE t DROP m USING TIMESTAMP 10",
        "ALTER TABLE t DROP (v, st)",
        "ALTER TABLE t ADD v int",
    ] {
        run(&mut s, stmt);
    }
    let bytes = s.engine().snapshot();
    let restored = Engine::restore(&bytes).expect("restores");
    assert_eq!(restored.snapshot(), bytes);
    let mut s2 = Session::from(restored);
    run(&mut s2, "USE ks");
    let err = s2.execute("ALTER TABLE t ADD m blob", crate::Micros(0)).expect_err("incompatible");
    assert!(err.to_string().contains("incompatible with previous type map<int, int>"), "{err}");
    let err = s2.execute("ALTER TABLE t ADD st int", crate::Micros(0)).expect_err("kind");
    assert!(err.to_string().contains("of kind REGULAR, incompatible with previous kind STATIC"));
    // The re-added column kept both its definition and the record of its drop.
    run(&mut s2, "ALTER TABLE t DROP v");
    let err = s2.execute("ALTER TABLE t ADD v text", crate::Micros(0)).expect_err("type");
    assert!(err.to_string().contains("incompatible with previous type int"), "{err}");
}
