use crate::tests::{run, sandbox};
use crate::{Micros, Options, Outcome, Session, Value};

/// Reads every page of `cql`, `size` rows at a time, returning the first column.
fn all_pages(s: &mut Session, cql: &str, size: usize) -> Vec<Option<Value>> {
    let mut out = Vec::new();
    let mut state = None;
    for _ in 0..100 {
        let options = Options {
            keyspace: Some("ks".into()),
            page_size: Some(size),
            paging_state: state.take(),
            now: Micros(1_700_000_000_000_000),
        };
        let Ok(Outcome::Rows(page)) = s.engine.execute(cql, &options) else {
            panic!("{cql}: expected rows");
        };
        out.extend(page.rows.into_iter().map(|mut r| r.remove(0)));
        state = page.paging_state;
        if state.is_none() {
            break;
        }
    }
    out
}

#[test]
fn paging_an_ordered_in_keeps_static_only_partitions_where_cassandra_sorts_them() {
    let mut s = sandbox();
    run(&mut s, "CREATE TABLE t (a int, b int, s int static, PRIMARY KEY (a, b))");
    run(&mut s, "INSERT INTO t (a, b) VALUES (1, 1)");
    run(&mut s, "INSERT INTO t (a, b) VALUES (2, 2)");
    run(&mut s, "UPDATE t SET s = 3 WHERE a = 3");
    for (order, want) in [("ASC", [3, 1, 2]), ("DESC", [2, 1, 3])] {
        let q = format!("SELECT a FROM t WHERE a IN (1, 2, 3) ORDER BY b {order}");
        let want: Vec<Option<Value>> = want.iter().map(|a| Some(Value::Int(*a))).collect();
        assert_eq!(all_pages(&mut s, &q, 10), want, "{q} in one page");
        assert_eq!(all_pages(&mut s, &q, 1), want, "{q} a row at a time");
    }
}

#[test]
fn paging_groups_merged_by_an_ordered_in_neither_splits_nor_repeats_a_group() {
    let mut s = sandbox();
    run(&mut s, "CREATE TABLE g (a int, b int, c int, v int, PRIMARY KEY (a, b, c))");
    // Groups of two or three rows whose clustering values interleave across partitions.
    for a in 1..=3 {
        for b in 1..=3 {
            for c in 0..(1 + (a + b) % 3) {
                run(&mut s, &format!("INSERT INTO g (a, b, c, v) VALUES ({a}, {b}, {c}, 1)"));
            }
        }
    }
    let q = "SELECT count(v) FROM g WHERE a IN (1, 2, 3) GROUP BY a, b ORDER BY b DESC, c DESC";
    let whole = all_pages(&mut s, q, 100);
    assert_eq!(whole.len(), 9, "one row per group: {whole:?}");
    for size in [1, 2, 4] {
        assert_eq!(all_pages(&mut s, q, size), whole, "{size} groups a page");
    }
}
