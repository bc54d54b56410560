//! Heap bytes per stored row: 1M small rows `(k int, c int, v text)` with short text, in
//! 10,000 partitions of 100 rows, measured with a counting global allocator.
//!
//! The figure is live heap after the inserts minus live heap before them, divided by the
//! row count, so it includes every index, tombstone slot and spare capacity the engine
//! keeps per row. Run with `cargo bench -p cqlfiddle-engine --bench memory`.

#![allow(clippy::print_stdout, reason = "a benchmark's output is its result")]
#![allow(clippy::expect_used, reason = "the workload is fixed; a failure is a broken bench")]

use std::alloc::System;

use cqlfiddle_engine::{Engine, Limits, Micros, Options};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

const PARTITIONS: i64 = 10_000;
const ROWS_PER_PARTITION: i64 = 100;
const ROWS: i64 = PARTITIONS * ROWS_PER_PARTITION;
const NOW: Micros = Micros(1_700_000_000_000_000);

/// Bytes the program holds right now: requested minus freed (the allocator counts a
/// reallocation's growth as allocated and its shrinkage as freed).
fn live_bytes() -> isize {
    let stats = GLOBAL.stats();
    stats.bytes_allocated as isize - stats.bytes_deallocated as isize
}

/// The resident set size in bytes, as a cross-check that includes allocator overhead;
/// `None` where `/proc` is not there.
fn rss_bytes() -> Option<isize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kib: isize = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

fn main() {
    // `cargo test --benches` runs bench binaries too; a million inserts is not a test.
    if std::env::args().any(|a| a == "--test") {
        return;
    }
    let mut engine = Engine::new();
    // The default limits stop at 100k rows and 64 MiB; this measurement needs ten times that.
    engine.set_limits(Limits { max_rows: 2 * ROWS as usize, max_bytes: 4 << 30 });
    let options = Options { now: NOW, ..Options::default() };
    for cql in [
        "CREATE KEYSPACE bench WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        "CREATE TABLE bench.t (k int, c int, v text, PRIMARY KEY (k, c))",
    ] {
        engine.execute(cql, &options).expect("schema");
    }
    let options = Options { keyspace: Some("bench".into()), now: NOW, ..Options::default() };
    let region = Region::new(GLOBAL);
    let before = live_bytes();
    let rss_before = rss_bytes();
    for i in 0..ROWS {
        let (k, c) = (i / ROWS_PER_PARTITION, i % ROWS_PER_PARTITION);
        // Eight bytes of text, like a short name or code.
        let cql = format!("INSERT INTO t (k, c, v) VALUES ({k}, {c}, 'v{i:07}')");
        engine.execute(&cql, &options).expect("insert");
    }
    let grown = live_bytes() - before;
    let allocations = region.change().allocations;
    // Payload as Cassandra's native protocol would carry it: 4 + 4 bytes of ints, 8 of text.
    let payload = 16.0;
    let per_row = grown as f64 / ROWS as f64;
    println!(
        "memory: {per_row:.1} heap bytes per row for {ROWS} rows of (k int, c int, v text) \
         ({:.1} MiB live; payload 16 bytes/row, overhead {:.1}x; {allocations} allocations during the inserts)",
        grown as f64 / (1024.0 * 1024.0),
        per_row / payload
    );
    if let (Some(after), Some(before)) = (rss_bytes(), rss_before) {
        println!(
            "memory: resident set grew {:.1} bytes per row ({:.1} MiB)",
            (after - before) as f64 / ROWS as f64,
            (after - before) as f64 / (1024.0 * 1024.0)
        );
    }
    std::hint::black_box(&engine);
}
