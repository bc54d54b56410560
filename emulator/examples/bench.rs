//! Requests per second through the emulator's HTTP stack, in-process on loopback.
//!
//! `cargo run -p cqlfiddle-emulator --example bench -- [seconds] [clients]` serves the
//! emulator on a free port, fills a table, then has `clients` concurrent clients send a mix
//! of REST v2 writes and key reads and Data API `findOne`s for `seconds`, and prints the
//! throughput and latency percentiles. Numbers depend on the build profile and machine.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use cqlfiddle_emulator::{Config, serve};

#[tokio::main]
#[allow(clippy::print_stdout, reason = "a benchmark's output is its numbers")]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(5);
    let clients: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(8);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let config = <Config as clap::Parser>::try_parse_from(["bench"])?;
    tokio::spawn(serve(listener, config, std::future::pending()));

    let http = reqwest::Client::new();
    for cql in [
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
        "CREATE TABLE ks.kv (k int PRIMARY KEY, v text)",
    ] {
        let status = http
            .post(format!("{url}/v2/cql"))
            .header("X-Cassandra-Token", "bench")
            .body(cql)
            .send()
            .await?
            .status();
        ensure!(status.is_success(), "setup failed: {cql}");
    }

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..clients)
        .map(|client| {
            let (http, url) = (http.clone(), url.clone());
            tokio::spawn(async move { run_client(&http, &url, client, deadline).await })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.context("client task")??);
    }
    latencies.sort_unstable();
    let count = latencies.len();
    let pct =
        |p: usize| latencies.get(count.saturating_sub(1) * p / 100).copied().unwrap_or_default();
    println!(
        "{count} requests in {seconds} s with {clients} clients: {:.0} requests/s",
        count as f64 / seconds as f64
    );
    println!("latency p50 {:?}, p90 {:?}, p99 {:?}, max {:?}", pct(50), pct(90), pct(99), pct(100));
    Ok(())
}

/// Sends requests until `deadline`, cycling write, key read and Data API read.
async fn run_client(
    http: &reqwest::Client,
    url: &str,
    client: usize,
    deadline: Instant,
) -> Result<Vec<Duration>> {
    let mut latencies = Vec::new();
    let mut i = 0usize;
    while Instant::now() < deadline {
        let k = (client * 1_000_000 + i) % 10_000;
        let started = Instant::now();
        let request = match i % 3 {
            0 => http
                .post(format!("{url}/v2/keyspaces/ks/kv"))
                .header("X-Cassandra-Token", "bench")
                .header("Content-Type", "application/json")
                .body(format!(r#"{{"k":{k},"v":"value {k}"}}"#)),
            1 => http
                .get(format!("{url}/v2/keyspaces/ks/kv/{k}"))
                .header("X-Cassandra-Token", "bench"),
            _ => http
                .post(format!("{url}/v1/ks/kv"))
                .header("Token", "bench")
                .header("Content-Type", "application/json")
                .body(format!(r#"{{"findOne":{{"filter":{{"k":{k}}}}}}}"#)),
        };
        let status = request.send().await?.status();
        ensure!(status.is_success(), "request {i} of client {client} failed with {status}");
        latencies.push(started.elapsed());
        i += 1;
    }
    Ok(latencies)
}
