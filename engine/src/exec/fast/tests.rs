//! The short cuts against the general paths: the same statements on two engines, one with
//! the short cuts off, must give the same outcomes and leave the same bytes behind.

use crate::types::Value;
use crate::{Engine, Limits, Micros, Options, Outcome};

/// A small deterministic generator, so a failure replays.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

struct Pair {
    fast: Engine,
    slow: Engine,
    now: i64,
}

impl Pair {
    fn new(limits: Limits) -> Pair {
        let mut fast = Engine::new();
        let mut slow = Engine::new();
        slow.set_fast_paths(false);
        fast.set_limits(limits);
        slow.set_limits(limits);
        Pair { fast, slow, now: 1_700_000_000_000_000 }
    }

    fn options(&self, page_size: Option<usize>) -> Options {
        Options {
            keyspace: Some("ks".into()),
            page_size,
            now: Micros(self.now),
            ..Options::default()
        }
    }

    /// Runs `cql` on both engines, checks they agree, and ignores what they agreed on:
    /// random statements may fail, as long as they fail alike.
    fn run(&mut self, cql: &str, values: &[Option<Value>], page_size: Option<usize>) {
        let _ = self.both(cql, values, page_size);
    }

    /// Runs `cql` with `values` on both engines, checks they agree, and returns the outcome.
    fn both(
        &mut self,
        cql: &str,
        values: &[Option<Value>],
        page_size: Option<usize>,
    ) -> Result<Outcome, crate::Error> {
        self.now += 1;
        let options = self.options(page_size);
        let outcome = |e: &mut Engine| match e.prepare(cql) {
            Ok(p) => e.execute_prepared(&p, values, &options),
            Err(err) => Err(err),
        };
        let fast = outcome(&mut self.fast);
        let slow = outcome(&mut self.slow);
        assert_eq!(fast, slow, "{cql} with {values:?}");
        fast
    }

    fn assert_same_data(&self) {
        assert_eq!(self.fast.snapshot(), self.slow.snapshot(), "the stored data differs");
    }
}

const SCHEMA: &[&str] = &[
    "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    "CREATE TABLE one (k int, c int, v text, f frozen<list<int>>, PRIMARY KEY (k, c))",
    "CREATE TABLE two (a text, b bigint, c1 int, c2 text, v double, PRIMARY KEY ((a, b), c1, c2)) WITH CLUSTERING ORDER BY (c1 DESC, c2 ASC) AND default_time_to_live = 3",
    "CREATE TABLE flat (k blob PRIMARY KEY, v int, l list<int>)",
    "CREATE TABLE stat (k int, c int, s int STATIC, v int, PRIMARY KEY (k, c))",
];

fn int(n: u64) -> Option<Value> {
    Some(Value::Int(i32::try_from(n).unwrap_or(0)))
}

#[test]
fn short_cuts_give_what_the_general_paths_give() {
    let mut pair = Pair::new(Limits::default());
    for cql in SCHEMA {
        pair.both(cql, &[], None).expect("schema");
    }
    let mut rng = Lcg(7);
    for step in 0..3_000 {
        let (k, c) = (rng.next(6), rng.next(8));
        let text = |n: u64| Some(Value::Text(format!("t{n}").into()));
        match rng.next(16) {
            0..=3 => {
                let v = if rng.next(5) == 0 { None } else { text(step) };
                let f = Some(Value::List(vec![Value::Int(1), Value::Int(2)]));
                pair.run(
                    "INSERT INTO one (k, c, v, f) VALUES (?, ?, ?, ?)",
                    &[int(k), int(c), v, f],
                    None,
                );
            }
            4 => {
                pair.run(&format!("INSERT INTO one (c, k) VALUES ({c}, {k})"), &[], None);
            }
            5 => {
                let b = Some(Value::Bigint(i64::try_from(c).unwrap_or(0)));
                let vals = [text(k), b, int(c), text(k + c), Some(Value::Double(0.5))];
                pair.run("INSERT INTO two (a, b, c1, c2, v) VALUES (?, ?, ?, ?, ?)", &vals, None);
            }
            6 => {
                let key = Some(Value::Blob(vec![
                    u8::try_from(k).unwrap_or(0);
                    usize::try_from(k).unwrap_or(0)
                ]));
                pair.run("INSERT INTO flat (k, v) VALUES (?, ?)", &[key, int(c)], None);
            }
            7 => {
                pair.run(
                    "INSERT INTO stat (k, c, v) VALUES (?, ?, ?)",
                    &[int(k), int(c), int(c)],
                    None,
                );
            }
            8 => {
                pair.run("DELETE FROM one WHERE k = ? AND c > ?", &[int(k), int(c)], None);
            }
            9 => {
                pair.run(
                    "UPDATE one USING TTL 2 SET v = 'u' WHERE k = ? AND c = ?",
                    &[int(k), int(c)],
                    None,
                );
            }
            10 => {
                let page =
                    [None, Some(1), Some(3), Some(100)][usize::try_from(rng.next(4)).unwrap_or(0)];
                pair.run("SELECT * FROM one WHERE k = ?", &[int(k)], page);
            }
            11 => {
                pair.run(
                    "SELECT v AS x, k, f FROM one WHERE c = ? AND k = ?",
                    &[int(c), int(k)],
                    None,
                );
            }
            12 => {
                let b = Some(Value::Bigint(i64::try_from(c).unwrap_or(0)));
                pair.run("SELECT * FROM two WHERE a = ? AND b = ?", &[text(k), b.clone()], None);
                pair.run(
                    "SELECT v FROM two WHERE a = ? AND b = ? AND c1 = ? AND c2 = ?",
                    &[text(k), b, int(c), text(k + c)],
                    Some(2),
                );
            }
            13 => {
                let key = Some(Value::Blob(vec![
                    u8::try_from(k).unwrap_or(0);
                    usize::try_from(k).unwrap_or(0)
                ]));
                pair.run("SELECT * FROM flat WHERE k = ?", &[key], None);
            }
            14 => {
                pair.run("SELECT * FROM stat WHERE k = ?", &[int(k)], None);
                pair.run("SELECT * FROM one WHERE k = ? AND c = null", &[int(k)], None);
            }
            _ => {
                // Time passes: TTLs expire.
                pair.now += 1_000_000;
            }
        }
    }
    pair.assert_same_data();
    assert!(pair.fast.fast_hits > 1_000, "the short cuts ran {} times", pair.fast.fast_hits);
    assert_eq!(pair.slow.fast_hits, 0);
}

#[test]
fn short_cuts_refuse_what_the_general_paths_refuse() {
    let mut pair = Pair::new(Limits::default());
    for cql in SCHEMA {
        pair.both(cql, &[], None).expect("schema");
    }
    let cases: &[(&str, Vec<Option<Value>>)] = &[
        ("INSERT INTO one (k, c, v) VALUES (?, ?, ?)", vec![None, int(1), None]),
        ("INSERT INTO one (k, c, v) VALUES (?, ?, ?)", vec![int(1), None, None]),
        ("INSERT INTO one (k, c, v) VALUES (?, ?, ?)", vec![int(1), int(1), Some(Value::Int(3))]),
        ("INSERT INTO one (k, v) VALUES (?, ?)", vec![int(1), None]),
        ("INSERT INTO one (k, c, k) VALUES (?, ?, ?)", vec![int(1), int(1), int(1)]),
        ("INSERT INTO one (k, c, nope) VALUES (?, ?, ?)", vec![int(1), int(1), int(1)]),
        ("INSERT INTO flat (k, v) VALUES (?, ?)", vec![Some(Value::Blob(Vec::new())), int(1)]),
        ("INSERT INTO system.local (key) VALUES (?)", vec![Some(Value::Text("x".into()))]),
        ("INSERT INTO missing (k) VALUES (?)", vec![int(1)]),
        ("SELECT * FROM one WHERE k = ?", vec![None]),
        ("SELECT * FROM one WHERE k = ?", vec![Some(Value::Text("x".into()))]),
        ("SELECT * FROM one WHERE k = ? AND k = ?", vec![int(1), int(1)]),
        ("SELECT * FROM one WHERE k = ? AND v = ?", vec![int(1), Some(Value::Text("x".into()))]),
        ("SELECT nope FROM one WHERE k = ?", vec![int(1)]),
        ("SELECT * FROM missing WHERE k = ?", vec![int(1)]),
    ];
    for (cql, values) in cases {
        let out = pair.both(cql, values, None);
        assert!(out.is_err(), "{cql} with {values:?} should fail on both paths: {out:?}");
    }
    pair.assert_same_data();
}

#[test]
fn a_short_cut_insert_over_the_limits_changes_nothing() {
    let mut pair = Pair::new(Limits { max_rows: 3, max_bytes: 1 << 20 });
    for cql in SCHEMA {
        pair.both(cql, &[], None).expect("schema");
    }
    for c in 0..3 {
        pair.run("INSERT INTO one (k, c, v) VALUES (1, ?, 'x')", &[int(c)], None);
    }
    let before = pair.fast.snapshot();
    let hits = pair.fast.fast_hits;
    let err =
        pair.fast.execute("INSERT INTO one (k, c, v) VALUES (2, 0, 'x')", &pair.options(None));
    assert!(matches!(err, Err(crate::Error::LimitExceeded(_))), "{err:?}");
    assert_eq!(pair.fast.fast_hits, hits + 1, "the short cut should have run");
    let err =
        pair.fast.execute("INSERT INTO one (k, c, v) VALUES (1, 7, 'x')", &pair.options(None));
    assert!(matches!(err, Err(crate::Error::LimitExceeded(_))), "{err:?}");
    assert_eq!(pair.fast.snapshot(), before);
}

#[test]
fn a_prepared_statement_keeps_its_plan_only_while_the_schema_stands() {
    let mut pair = Pair::new(Limits::default());
    for cql in SCHEMA {
        pair.both(cql, &[], None).expect("schema");
    }
    pair.both(
        "CREATE KEYSPACE other WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        &[],
        None,
    )
    .expect("keyspace");
    let insert = "INSERT INTO one (k, c, v) VALUES (?, ?, ?)";
    let read = "SELECT * FROM one WHERE k = ? AND c = ?";
    let prepared =
        |e: &Engine| (e.prepare(insert).expect("insert"), e.prepare(read).expect("read"));
    let (fast_insert, fast_read) = prepared(&pair.fast);
    let (slow_insert, slow_read) = prepared(&pair.slow);
    let text = |s: &str| Some(Value::Text(s.into()));
    // Each step changes the schema, then runs both prepared statements, kept from before,
    // on both engines: a stale plan would write or read the old shape.
    let steps: &[&str] = &[
        "ALTER TABLE one ADD w int",
        "ALTER TABLE one DROP v",
        "ALTER TABLE one ADD v text",
        "DROP TABLE one",
        "CREATE TABLE one (k int, c int, v int, PRIMARY KEY (k, c))",
        "DROP TABLE one",
        "CREATE TABLE one (k int, c int, a int, v text, PRIMARY KEY (k, c)) WITH CLUSTERING ORDER BY (c DESC)",
        "USE other",
        "CREATE TABLE other.one (k int, c int, v text, s int STATIC, PRIMARY KEY (k, c))",
    ];
    let mut keyspace = "ks";
    for (i, step) in steps.iter().enumerate() {
        if let Some(ks) = step.strip_prefix("USE ") {
            keyspace = ks;
        } else {
            pair.both(step, &[], None).expect(step);
        }
        let options = Options { keyspace: Some(keyspace.into()), ..pair.options(None) };
        let n = int(u64::try_from(i).unwrap_or(0));
        for values in [vec![n.clone(), int(1), text("x")], vec![n.clone(), int(2), int(7)]] {
            let fast = pair.fast.execute_prepared(&fast_insert, &values, &options);
            let slow = pair.slow.execute_prepared(&slow_insert, &values, &options);
            assert_eq!(fast, slow, "insert after {step}");
        }
        for c in [1, 2] {
            let values = [n.clone(), int(c)];
            let fast = pair.fast.execute_prepared(&fast_read, &values, &options);
            let slow = pair.slow.execute_prepared(&slow_read, &values, &options);
            assert_eq!(fast, slow, "read after {step}");
        }
    }
    pair.assert_same_data();
    assert!(pair.fast.fast_hits >= 10, "the short cuts ran {} times", pair.fast.fast_hits);
}
