//! The engine against SQLite in memory on the same keyed workload.
//!
//! One table with a partition key and a clustering column, `(k int, c int, v text)`:
//! 100k inserts (1,000 partitions of 100 rows), 100k point reads by full key in a
//! scattered order, and 1k whole-partition scans. SQLite gets the same shape as a
//! `WITHOUT ROWID` table keyed on `(k, c)`, prepared statements with bound values, and
//! autocommit per statement, because every engine write is its own atomic statement too.
//!
//! Both sides prepare each statement once and bind values per execution, as a driver does.
//!
//! Run with `cargo bench -p cqlfiddle-engine --bench vs_sqlite`. Criterion prints each
//! measurement, and a summary at the end prints `engine/sqlite` median ratios (below 1.0
//! means the engine is faster). On a small shared machine the numbers are noisy; medians
//! are used because they shrug off the odd slow sample.

#![allow(clippy::print_stdout, reason = "a benchmark's output is its result")]
#![allow(clippy::expect_used, reason = "the workload is fixed; a failure is a broken bench")]

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use cqlfiddle_engine::{Engine, Limits, Micros, Options, Outcome, Value};
use criterion::{BatchSize, Criterion, SamplingMode};

const PARTITIONS: i64 = 1_000;
const ROWS_PER_PARTITION: i64 = 100;
const ROWS: i64 = PARTITIONS * ROWS_PER_PARTITION;
/// A prime that shares no factor with `ROWS`, so `i * STRIDE % ROWS` visits every row once
/// in an order that jumps between partitions.
const STRIDE: i64 = 7_919;
const NOW: Micros = Micros(1_700_000_000_000_000);

/// The `i`-th row's key and a short text value.
fn row(i: i64) -> (i64, i64, String) {
    (i / ROWS_PER_PARTITION, i % ROWS_PER_PARTITION, format!("value-{i}"))
}

/// The key of the `i`-th point read.
fn read_key(i: i64) -> (i64, i64) {
    let (k, c, _) = row(i * STRIDE % ROWS);
    (k, c)
}

fn engine_options() -> Options {
    Options { keyspace: Some("bench".into()), now: NOW, ..Options::default() }
}

/// An engine holding the empty bench table, with room for the workload.
fn engine_schema() -> Engine {
    let mut engine = Engine::new();
    engine.set_limits(Limits { max_rows: 10 * ROWS as usize, max_bytes: 1 << 30 });
    let options = Options { now: NOW, ..Options::default() };
    for cql in [
        "CREATE KEYSPACE bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        "CREATE TABLE bench.t (k int, c int, v text, PRIMARY KEY (k, c))",
    ] {
        engine.execute(cql, &options).expect("engine schema");
    }
    engine
}

/// An `int` bind value.
fn int(n: i64) -> Option<Value> {
    Some(Value::Int(i32::try_from(n).expect("bench keys fit an int")))
}

fn engine_insert(engine: &mut Engine) {
    let options = engine_options();
    let stmt = engine.prepare("INSERT INTO t (k, c, v) VALUES (?, ?, ?)").expect("prepare");
    for i in 0..ROWS {
        let (k, c, v) = row(i);
        engine
            .execute_prepared(&stmt, &[int(k), int(c), Some(Value::Text(v.into()))], &options)
            .expect("engine insert");
    }
}

fn engine_rows(outcome: Outcome) -> usize {
    match outcome {
        Outcome::Rows(rows) => black_box(rows.rows).len(),
        _ => 0,
    }
}

fn engine_point_reads(engine: &mut Engine) -> usize {
    let options = engine_options();
    let stmt = engine.prepare("SELECT v FROM t WHERE k = ? AND c = ?").expect("prepare");
    let mut found = 0;
    for i in 0..ROWS {
        let (k, c) = read_key(i);
        let outcome = engine.execute_prepared(&stmt, &[int(k), int(c)], &options);
        found += engine_rows(outcome.expect("engine read"));
    }
    found
}

fn engine_scans(engine: &mut Engine) -> usize {
    let options = engine_options();
    let stmt = engine.prepare("SELECT k, c, v FROM t WHERE k = ?").expect("prepare");
    let mut found = 0;
    for k in 0..PARTITIONS {
        let outcome = engine.execute_prepared(&stmt, &[int(k)], &options);
        found += engine_rows(outcome.expect("engine scan"));
    }
    found
}

fn sqlite_schema() -> rusqlite::Connection {
    let db = rusqlite::Connection::open_in_memory().expect("sqlite open");
    db.execute_batch(
        "CREATE TABLE t (k INTEGER NOT NULL, c INTEGER NOT NULL, v TEXT, PRIMARY KEY (k, c)) WITHOUT ROWID",
    )
    .expect("sqlite schema");
    db
}

fn sqlite_insert(db: &rusqlite::Connection) {
    let mut stmt = db.prepare("INSERT INTO t (k, c, v) VALUES (?1, ?2, ?3)").expect("prepare");
    for i in 0..ROWS {
        let (k, c, v) = row(i);
        stmt.execute((k, c, v)).expect("sqlite insert");
    }
}

fn sqlite_point_reads(db: &rusqlite::Connection) -> usize {
    let mut stmt = db.prepare("SELECT v FROM t WHERE k = ?1 AND c = ?2").expect("prepare");
    let mut found = 0;
    for i in 0..ROWS {
        let v: String = stmt.query_row(read_key(i), |r| r.get(0)).expect("sqlite read");
        black_box(v);
        found += 1;
    }
    found
}

fn sqlite_scans(db: &rusqlite::Connection) -> usize {
    let mut stmt = db.prepare("SELECT k, c, v FROM t WHERE k = ?1").expect("prepare");
    let mut found = 0;
    for k in 0..PARTITIONS {
        let rows: Vec<(i64, i64, String)> = stmt
            .query_map([k], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("sqlite scan")
            .collect::<Result<_, _>>()
            .expect("sqlite row");
        found += black_box(rows).len();
    }
    found
}

/// Both sides must see every row, or the timings compare different work.
fn check_results() {
    let mut engine = engine_schema();
    engine_insert(&mut engine);
    let db = sqlite_schema();
    sqlite_insert(&db);
    let expected = ROWS as usize;
    for (name, got) in [
        ("engine point reads", engine_point_reads(&mut engine)),
        ("engine scans", engine_scans(&mut engine)),
        ("sqlite point reads", sqlite_point_reads(&db)),
        ("sqlite scans", sqlite_scans(&db)),
    ] {
        assert_eq!(got, expected, "{name} returned {got} rows, expected {expected}");
    }
}

fn insert(c: &mut Criterion) {
    let mut group = c.benchmark_group("insert_100k");
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("engine", |b| {
        b.iter_batched(engine_schema, |mut e| engine_insert(&mut e), BatchSize::PerIteration);
    });
    group.bench_function("sqlite", |b| {
        b.iter_batched(sqlite_schema, |db| sqlite_insert(&db), BatchSize::PerIteration);
    });
    group.finish();
}

fn point_reads(c: &mut Criterion) {
    let mut engine = engine_schema();
    engine_insert(&mut engine);
    let db = sqlite_schema();
    sqlite_insert(&db);
    let mut group = c.benchmark_group("point_read_100k");
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("engine", |b| b.iter(|| engine_point_reads(&mut engine)));
    group.bench_function("sqlite", |b| b.iter(|| sqlite_point_reads(&db)));
    group.finish();
}

fn scans(c: &mut Criterion) {
    let mut engine = engine_schema();
    engine_insert(&mut engine);
    let db = sqlite_schema();
    sqlite_insert(&db);
    let mut group = c.benchmark_group("partition_scan_1k");
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("engine", |b| b.iter(|| engine_scans(&mut engine)));
    group.bench_function("sqlite", |b| b.iter(|| sqlite_scans(&db)));
    group.finish();
}

/// Where criterion writes its estimates, so the summary can read the medians back.
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return PathBuf::from(home);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("criterion")
}

/// The median of one measurement in nanoseconds, if this run produced it.
fn median_ns(dir: &Path, group: &str, function: &str, since: SystemTime) -> Option<f64> {
    let path = dir.join(group).join(function).join("new/estimates.json");
    let fresh = std::fs::metadata(&path).and_then(|m| m.modified()).is_ok_and(|t| t >= since);
    if !fresh {
        return None;
    }
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    json.get("median")?.get("point_estimate")?.as_f64()
}

fn print_ratios(dir: &Path, since: SystemTime) {
    println!(
        "\nengine vs SQLite (in memory, native), medians; ratio < 1 means the engine is faster"
    );
    for (label, group) in [
        ("insert", "insert_100k"),
        ("point read", "point_read_100k"),
        ("partition scan", "partition_scan_1k"),
    ] {
        let engine = median_ns(dir, group, "engine", since);
        let sqlite = median_ns(dir, group, "sqlite", since);
        match (engine, sqlite) {
            (Some(e), Some(s)) if s > 0.0 => println!(
                "ratio {label}: engine/sqlite = {:.2}  (engine {:.1} ms, sqlite {:.1} ms)",
                e / s,
                e / 1e6,
                s / 1e6
            ),
            _ => println!("ratio {label}: not measured in this run"),
        }
    }
}

fn main() {
    // Cargo runs benches with `--bench`; `cargo test --benches` runs them without it, and
    // then only the result check matters.
    let started = SystemTime::now();
    check_results();
    let dir = criterion_dir();
    let mut c = Criterion::default()
        .output_directory(&dir)
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    insert(&mut c);
    point_reads(&mut c);
    scans(&mut c);
    c.final_summary();
    print_ratios(&dir, started);
}
