//! The benchmark workload, small and one phase at a time, for instruction counts: run
//! under `valgrind --tool=callgrind --toggle-collect='callgrind::measured'` so that only
//! the named phase is counted, which is repeatable on a busy machine where times are not.
//!
//! `cargo build --release -p cqlfiddle-engine --example callgrind`, then run it with one of
//! `insert`, `read`, `scan` (the engine) or `sqlite-insert`, `sqlite-read`, `sqlite-scan`,
//! and optionally a row count (20,000 unless given, a multiple of 100). Both sides first
//! load that many rows (partitions of 100); `insert` then writes as many more, `read`
//! reads as many rows by full key in a scattered order, and `scan` reads every partition
//! whole five times. The tables and statements are those of `vs_sqlite.rs`.
//!
//! With `--cache-sim=yes` callgrind also counts cache misses; at the criterion
//! benchmark's 100,000 rows they show what the data's layout costs.

#![allow(clippy::expect_used, reason = "the workload is fixed; a failure is a broken run")]
#![allow(clippy::print_stdout, reason = "the row count shows both sides did the work")]

use cqlfiddle_engine::{Engine, Limits, Micros, Options, Outcome, Value};

const DEFAULT_ROWS: i64 = 20_000;
const PER_PARTITION: i64 = 100;
const STRIDE: i64 = 7_919;

fn int(n: i64) -> Option<Value> {
    Some(Value::Int(i32::try_from(n).expect("small keys")))
}

fn main() {
    let phase = std::env::args().nth(1).unwrap_or_default();
    let n = std::env::args().nth(2).and_then(|n| n.parse().ok()).unwrap_or(DEFAULT_ROWS);
    // STRIDE must share no factor with the row count for the reads to visit every row.
    let n = if n % STRIDE == 0 { n + PER_PARTITION } else { n };
    let found = match phase.strip_prefix("sqlite-") {
        Some(phase) => {
            let db = rusqlite::Connection::open_in_memory().expect("open");
            db.execute_batch(
                "CREATE TABLE t (k INTEGER NOT NULL, c INTEGER NOT NULL, v TEXT, PRIMARY KEY (k, c)) WITHOUT ROWID",
            )
            .expect("schema");
            sqlite_insert(&db, n, 0);
            sqlite_measured(&db, n, phase)
        }
        None => {
            let mut engine = Engine::new();
            engine.set_limits(Limits { max_rows: 1 << 24, max_bytes: 1 << 32 });
            let options = Options { now: Micros(1_700_000_000_000_000), ..Options::default() };
            for cql in [
                "CREATE KEYSPACE bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
                "CREATE TABLE bench.t (k int, c int, v text, PRIMARY KEY (k, c))",
            ] {
                engine.execute(cql, &options).expect("schema");
            }
            let options = Options { keyspace: Some("bench".into()), ..options };
            engine_insert(&mut engine, &options, n, 0);
            measured(&mut engine, &options, n, &phase)
        }
    };
    println!("{found}");
}

fn engine_insert(engine: &mut Engine, options: &Options, n: i64, first_partition: i64) -> usize {
    let stmt = engine.prepare("INSERT INTO t (k, c, v) VALUES (?, ?, ?)").expect("prepare");
    for i in 0..n {
        let (k, c) = (first_partition + i / PER_PARTITION, i % PER_PARTITION);
        let values = [int(k), int(c), Some(Value::Text(format!("value-{i}").into()))];
        engine.execute_prepared(&stmt, &values, options).expect("insert");
    }
    usize::try_from(n).unwrap_or(0)
}

fn rows(outcome: Outcome) -> usize {
    match outcome {
        Outcome::Rows(r) => r.rows.len(),
        _ => 0,
    }
}

/// The engine's phase under measurement.
#[inline(never)]
fn measured(engine: &mut Engine, options: &Options, n: i64, phase: &str) -> usize {
    let mut found = 0;
    match phase {
        "insert" => found = engine_insert(engine, options, n, n / PER_PARTITION),
        "read" => {
            let stmt = engine.prepare("SELECT v FROM t WHERE k = ? AND c = ?").expect("prepare");
            for i in 0..n {
                let j = i * STRIDE % n;
                let values = [int(j / PER_PARTITION), int(j % PER_PARTITION)];
                found += rows(engine.execute_prepared(&stmt, &values, options).expect("read"));
            }
        }
        "scan" => {
            let stmt = engine.prepare("SELECT k, c, v FROM t WHERE k = ?").expect("prepare");
            for _ in 0..5 {
                for k in 0..n / PER_PARTITION {
                    found +=
                        rows(engine.execute_prepared(&stmt, &[int(k)], options).expect("scan"));
                }
            }
        }
        other => println!("unknown phase {other:?}: expected insert, read or scan"),
    }
    found
}

fn sqlite_insert(db: &rusqlite::Connection, n: i64, first_partition: i64) -> usize {
    let mut stmt = db.prepare("INSERT INTO t (k, c, v) VALUES (?1, ?2, ?3)").expect("prepare");
    for i in 0..n {
        let (k, c) = (first_partition + i / PER_PARTITION, i % PER_PARTITION);
        stmt.execute((k, c, format!("value-{i}"))).expect("insert");
    }
    usize::try_from(n).unwrap_or(0)
}

/// SQLite's phase under measurement.
#[inline(never)]
fn sqlite_measured(db: &rusqlite::Connection, n: i64, phase: &str) -> usize {
    let mut found = 0;
    match phase {
        "insert" => found = sqlite_insert(db, n, n / PER_PARTITION),
        "read" => {
            let mut stmt = db.prepare("SELECT v FROM t WHERE k = ?1 AND c = ?2").expect("prepare");
            for i in 0..n {
                let j = i * STRIDE % n;
                let v: String = stmt
                    .query_row((j / PER_PARTITION, j % PER_PARTITION), |r| r.get(0))
                    .expect("read");
                found += usize::from(!v.is_empty());
            }
        }
        "scan" => {
            let mut stmt = db.prepare("SELECT k, c, v FROM t WHERE k = ?1").expect("prepare");
            for _ in 0..5 {
                for k in 0..n / PER_PARTITION {
                    let rows: Vec<(i64, i64, String)> = stmt
                        .query_map([k], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                        .expect("scan")
                        .collect::<Result<_, _>>()
                        .expect("row");
                    found += rows.len();
                }
            }
        }
        other => println!("unknown phase {other:?}: expected insert, read or scan"),
    }
    found
}
