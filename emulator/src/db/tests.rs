use std::sync::atomic::Ordering;

use cqlfiddle_engine::Options;
use cqlfiddle_engine::types::Value;

use super::{Answer, Clock, Db};

/// The `writetime` of a fresh write at whatever time the database's clock reads.
fn writetime_of_a_write(db: &Db, key: i32) -> Option<Value> {
    let run = |cql: &str| db.execute(cql, Options::default());
    let _ = run(
        "CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    );
    let _ = run("CREATE TABLE IF NOT EXISTS ks.t (k int PRIMARY KEY, v int)");
    assert!(run(&format!("INSERT INTO ks.t (k, v) VALUES ({key}, 1)")).is_ok());
    match run(&format!("SELECT writetime(v) FROM ks.t WHERE k = {key}")) {
        Ok(Answer::Rows(rows)) => rows.rows.first().and_then(|r| r.first().cloned().flatten()),
        other => panic!("unexpected: {other:?}"),
    }
}

#[test]
fn a_manual_clock_sets_the_time_of_every_statement() {
    let (clock, handle) = Clock::manual(1_000_000);
    let db = Db::new().with_clock(clock);
    assert_eq!(writetime_of_a_write(&db, 1), Some(Value::Bigint(1_000_000)));
    handle.store(5_000_000, Ordering::Release);
    assert_eq!(writetime_of_a_write(&db, 2), Some(Value::Bigint(5_000_000)));
}

#[test]
fn the_system_clock_is_the_default() {
    let before = super::now().0;
    let Some(Value::Bigint(written)) = writetime_of_a_write(&Db::new(), 1) else {
        panic!("no writetime");
    };
    assert!(written >= before && written <= super::now().0, "{before} {written}");
}
