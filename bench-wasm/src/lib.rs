//! The engine's side of the browser benchmark: the keyed workload of the native SQLite
//! comparison, exported through wasm-bindgen so a page can time it against sql.js with
//! `performance.now()`.
//!
//! Each method runs a whole workload and returns how many rows it wrote or read, so the
//! page can check both databases did the same work. The engine has no bind markers:
//! every statement is CQL text, formatted and parsed per call.

use cqlfiddle_engine::{Engine, Limits, Micros, Options, Outcome};
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
        for i in 0..i64::from(rows) {
            let (k, c) = self.key(i);
            let cql = format!("INSERT INTO t (k, c, v) VALUES ({k}, {c}, 'value-{i}')");
            self.engine.execute(&cql, &options).map_err(|e| e.to_string())?;
        }
        Ok(rows)
    }

    /// Reads `rows` rows by full primary key, `stride` rows apart (modulo `rows`) so
    /// consecutive reads land in different partitions; returns how many rows came back.
    pub fn point_reads(&mut self, rows: u32, stride: u32) -> Result<u32, String> {
        let options = options();
        let (rows, stride) = (i64::from(rows), i64::from(stride));
        let mut found = 0;
        for i in 0..rows {
            let (k, c) = self.key(i * stride % rows.max(1));
            let cql = format!("SELECT v FROM t WHERE k = {k} AND c = {c}");
            found += count(self.engine.execute(&cql, &options).map_err(|e| e.to_string())?);
        }
        Ok(found)
    }

    /// Reads partitions `0..partitions` whole; returns how many rows came back.
    pub fn scans(&mut self, partitions: u32) -> Result<u32, String> {
        let options = options();
        let mut found = 0;
        for k in 0..partitions {
            let cql = format!("SELECT k, c, v FROM t WHERE k = {k}");
            found += count(self.engine.execute(&cql, &options).map_err(|e| e.to_string())?);
        }
        Ok(found)
    }

    fn key(&self, i: i64) -> (i64, i64) {
        (i / self.rows_per_partition, i % self.rows_per_partition)
    }
}

fn options() -> Options {
    Options { keyspace: Some("bench".into()), now: NOW, ..Options::default() }
}

fn count(outcome: Outcome) -> u32 {
    match outcome {
        Outcome::Rows(rows) => u32::try_from(rows.rows.len()).unwrap_or(u32::MAX),
        _ => 0,
    }
}

#[cfg(test)]
mod tests;
