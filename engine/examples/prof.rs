#![allow(clippy::expect_used, clippy::print_stdout)]
use cqlfiddle_engine::{Engine, Limits, Micros, Options, Outcome, Value};
fn main() {
    let mode = std::env::args().nth(1).unwrap_or_default();
    let n: i64 = 20_000;
    if mode.starts_with("sqlite") {
        let db = rusqlite::Connection::open_in_memory().expect("open");
        db.execute_batch("CREATE TABLE t (k INTEGER NOT NULL, c INTEGER NOT NULL, v TEXT, PRIMARY KEY (k, c)) WITHOUT ROWID").expect("schema");
        let mut stmt = db.prepare("INSERT INTO t (k, c, v) VALUES (?1, ?2, ?3)").expect("prepare");
        for i in 0..n {
            stmt.execute((i / 100, i % 100, format!("value-{i}"))).expect("ins");
        }
        drop(stmt);
        println!("{}", sqlite_work(&db, &mode, n));
        return;
    }
    let mut e = Engine::new();
    e.set_limits(Limits { max_rows: 1 << 24, max_bytes: 1 << 32 });
    let o0 = Options { now: Micros(1_700_000_000_000_000), ..Options::default() };
    e.execute("CREATE KEYSPACE bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}", &o0).expect("ks");
    e.execute("CREATE TABLE bench.t (k int, c int, v text, PRIMARY KEY (k, c))", &o0).expect("t");
    let o = Options { keyspace: Some("bench".into()), ..o0 };
    let ins = e.prepare("INSERT INTO t (k, c, v) VALUES (?, ?, ?)").expect("p");
    for i in 0..n {
        let v = [
            Some(Value::Int((i / 100) as i32)),
            Some(Value::Int((i % 100) as i32)),
            Some(Value::Text(format!("value-{i}"))),
        ];
        e.execute_prepared(&ins, &v, &o).expect("ins");
    }
    let found = work(&mut e, &o, &mode, n);
    println!("{found}");
}

#[inline(never)]
fn sqlite_work(db: &rusqlite::Connection, mode: &str, n: i64) -> usize {
    let mut found = 0;
    if mode == "sqlite-read" {
        let mut stmt = db.prepare("SELECT v FROM t WHERE k = ?1 AND c = ?2").expect("prepare");
        for i in 0..n {
            let j = i * 7919 % n;
            let v: String = stmt.query_row((j / 100, j % 100), |r| r.get(0)).expect("read");
            found += v.len().min(1);
        }
    }
    if mode == "sqlite-insert" {
        let mut stmt = db.prepare("INSERT INTO t (k, c, v) VALUES (?1, ?2, ?3)").expect("prepare");
        for i in 0..n {
            stmt.execute((i / 100 + 1000, i % 100, format!("value-{i}"))).expect("ins");
        }
    }
    if mode == "sqlite-scan" {
        let mut stmt = db.prepare("SELECT k, c, v FROM t WHERE k = ?1").expect("prepare");
        for _ in 0..5 {
            for k in 0..n / 100 {
                let rows: Vec<(i64, i64, String)> = stmt
                    .query_map([k], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                    .expect("scan")
                    .collect::<Result<_, _>>()
                    .expect("row");
                found += rows.len();
            }
        }
    }
    found
}

#[inline(never)]
fn work(e: &mut Engine, o: &Options, mode: &str, n: i64) -> usize {
    let o = o.clone();
    let mut found = 0;
    if mode == "insert2" {
        let ins = e.prepare("INSERT INTO t (k, c, v) VALUES (?, ?, ?)").expect("p");
        for i in 0..n {
            let v = [
                Some(Value::Int((i / 100 + 1000) as i32)),
                Some(Value::Int((i % 100) as i32)),
                Some(Value::Text(format!("value-{i}"))),
            ];
            e.execute_prepared(&ins, &v, &o).expect("ins");
        }
    }
    if mode == "read" {
        let sel = e.prepare("SELECT v FROM t WHERE k = ? AND c = ?").expect("p");
        for i in 0..n {
            let j = i * 7919 % n;
            if let Outcome::Rows(r) = e
                .execute_prepared(
                    &sel,
                    &[Some(Value::Int((j / 100) as i32)), Some(Value::Int((j % 100) as i32))],
                    &o,
                )
                .expect("r")
            {
                found += r.rows.len();
            }
        }
    }
    if mode == "scan" {
        let sel = e.prepare("SELECT k, c, v FROM t WHERE k = ?").expect("p");
        for _ in 0..5 {
            for k in 0..n / 100 {
                if let Outcome::Rows(r) =
                    e.execute_prepared(&sel, &[Some(Value::Int(k as i32))], &o).expect("r")
                {
                    found += r.rows.len();
                }
            }
        }
    }
    found
}
