//! The engine's side of the browser benchmark: the keyed workload of the native SQLite
//! comparison, exported through wasm-bindgen so a page can time it against sql.js with
//! `performance.now()`.
//!
//! Each method runs a whole workload and returns how many rows it wrote or read, so the
//! page can check both databases did the same work. Both sides prepare each statement
//! once and bind values per call, as sql.js's prepared statements do.

use cqlfiddle_engine::{Engine, Limits, Micros, Options, Outcome, Prepared, Value};
use wasm_bindgen::prelude::wasm_bindgen;

const NOW: Micros = Micros(1_700_000_000_000_000);

/// One engine holding the benchmark table `bench.t (k int, c int, v text)`.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Workload {
    engine: Engine,
    rows_per_partition: i64,
}

#[wasm_bindgen]
impl Workload {
    /// A fresh engine with the empty table; partitions will hold `rows_per_partition` rows.
    #[wasm_bindgen(constructor)]
    pub fn new(rows_per_partition: u32) -> Result<Workload, String> {
        let mut engine = Engine::new();
        engine.set_limits(Limits { max_rows: 10_000_000, max_bytes: 1 << 31 });
        let options = Options { now: NOW, ..Options::default() };
        for cql in [
            "CREATE KEYSPACE bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
            "CREATE TABLE bench.t (k int, c int, v text, PRIMARY KEY (k, c))",
        ] {
            engine.execute(cql, &options).map_err(|e| e.to_string())?;
        }
        Ok(Workload { engine, rows_per_partition: i64::from(rows_per_partition.max(1)) })
    }

    /// Inserts rows `0..rows`, one statement each; returns how many it wrote.
    pub fn insert(&mut self, rows: u32) -> Result<u32, String> {
        let options = options();
        let stmt = self.prepare("INSERT INTO t (k, c, v) VALUES (?, ?, ?)")?;
        for i in 0..i64::from(rows) {
            let (k, c) = self.key(i);
            let values = [int(k), int(c), Some(Value::Text(format!("value-{i}").into()))];
            self.engine.execute_prepared(&stmt, &values, &options).map_err(|e| e.to_string())?;
        }
        Ok(rows)
    }

    /// Reads `rows` rows by full primary key, `stride` rows apart (modulo `rows`) so
    /// consecutive reads land in different partitions; returns how many rows came back.
    pub fn point_reads(&mut self, rows: u32, stride: u32) -> Result<u32, String> {
        let options = options();
        let (rows, stride) = (i64::from(rows), i64::from(stride));
        let stmt = self.prepare("SELECT v FROM t WHERE k = ? AND c = ?")?;
        let mut found = 0;
        for i in 0..rows {
            let (k, c) = self.key(i * stride % rows.max(1));
            let outcome = self.engine.execute_prepared(&stmt, &[int(k), int(c)], &options);
            found += count(outcome.map_err(|e| e.to_string())?);
        }
        Ok(found)
    }

    /// Reads partitions `0..partitions` whole; returns how many rows came back.
    pub fn scans(&mut self, partitions: u32) -> Result<u32, String> {
        let options = options();
        let stmt = self.prepare("SELECT k, c, v FROM t WHERE k = ?")?;
        let mut found = 0;
        for k in 0..partitions {
            let outcome = self.engine.execute_prepared(&stmt, &[int(i64::from(k))], &options);
            found += count(outcome.map_err(|e| e.to_string())?);
        }
        Ok(found)
    }

    fn prepare(&self, cql: &str) -> Result<Prepared, String> {
        self.engine.prepare(cql).map_err(|e| e.to_string())
    }

    fn key(&self, i: i64) -> (i64, i64) {
        (i / self.rows_per_partition, i % self.rows_per_partition)
    }
}

fn options() -> Options {
    Options { keyspace: Some("bench".into()), now: NOW, ..Options::default() }
}

/// An `int` bind value; the workload's keys are small.
fn int(n: i64) -> Option<Value> {
    Some(Value::Int(i32::try_from(n).unwrap_or(i32::MAX)))
}

fn count(outcome: Outcome) -> u32 {
    match outcome {
        Outcome::Rows(rows) => u32::try_from(rows.rows.len()).unwrap_or(u32::MAX),
        _ => 0,
    }
}

#[cfg(test)]
mod tests;
