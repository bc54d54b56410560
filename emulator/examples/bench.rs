//! Requests per second for a point read through each of the emulator's APIs, as a ratio to a
//! bare axum server answering a constant, all in-process on loopback.
//!
//! `cargo run --release -p cqlfiddle-emulator --example bench -- [seconds per case] [clients]`
//! serves a bare axum router and the emulator on free ports, fills a table, then for each case
//! has `clients` concurrent clients send requests for `seconds` and prints the throughput, its
//! ratio to the bare server's and latency percentiles. Numbers depend on the build profile and
//! the machine; the ratio is the figure to compare.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use cqlfiddle_emulator::{Config, serve};

/// Rows in the table the point reads are spread over.
const ROWS: usize = 1_000;

/// What one request of a case reads.
#[derive(Debug, Clone, Copy)]
enum Case {
    /// `GET /` on a bare axum router answering a constant JSON body.
    Bare,
    /// REST v2 `GET /v2/keyspaces/ks/kv/{k}`.
    RestV2,
    /// Data API `findOne` by primary key.
    DataApi,
    /// `POST /v2/cql` with a point `SELECT`.
    Cql,
}

impl Case {
    const ALL: [Case; 4] = [Case::Bare, Case::RestV2, Case::DataApi, Case::Cql];

    fn name(self) -> &'static str {
        match self {
            Case::Bare => "bare axum constant",
            Case::RestV2 => "rest_v2 point read",
            Case::DataApi => "data_api findOne",
            Case::Cql => "/v2/cql point select",
        }
    }

    fn request(self, http: &reqwest::Client, urls: &Urls, k: usize) -> reqwest::RequestBuilder {
        let emulator = &urls.emulator;
        match self {
            Case::Bare => http.get(format!("{}/", urls.bare)),
            Case::RestV2 => http
                .get(format!("{emulator}/v2/keyspaces/ks/kv/{k}"))
                .header("X-Cassandra-Token", "bench"),
            Case::DataApi => http
                .post(format!("{emulator}/v1/ks/kv"))
                .header("Token", "bench")
                .header("Content-Type", "application/json")
                .body(format!(r#"{{"findOne":{{"filter":{{"k":{k}}}}}}}"#)),
            Case::Cql => http
                .post(format!("{emulator}/v2/cql"))
                .header("X-Cassandra-Token", "bench")
                .body(format!("SELECT k, v FROM ks.kv WHERE k = {k}")),
        }
    }
}

/// The two servers under test.
#[derive(Debug)]
struct Urls {
    bare: String,
    emulator: String,
}

/// One case's measurement.
#[derive(Debug)]
struct Measured {
    per_second: f64,
    latencies: Vec<Duration>,
}

#[tokio::main]
#[allow(clippy::print_stdout, reason = "a benchmark's output is its numbers")]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let seconds: u64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(3);
    let clients: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(8);

    let urls =
        std::sync::Arc::new(Urls { bare: serve_bare().await?, emulator: serve_emulator().await? });
    let http = reqwest::Client::new();
    fill(&http, &urls.emulator).await?;

    println!("{clients} clients, {seconds} s per case");
    let mut bare_rate = None;
    for case in Case::ALL {
        let mut measured = measure(case, &http, &urls, seconds, clients).await?;
        let rate = measured.per_second;
        let baseline = *bare_rate.get_or_insert(rate);
        measured.latencies.sort_unstable();
        let latencies = &measured.latencies;
        let pct = |p: usize| {
            latencies.get(latencies.len().saturating_sub(1) * p / 100).copied().unwrap_or_default()
        };
        println!(
            "{:<22} {rate:>8.0} req/s = {:.2} × bare axum   (p50 {:?}, p99 {:?})",
            format!("{}:", case.name()),
            rate / baseline,
            pct(50),
            pct(99)
        );
    }
    Ok(())
}

/// Serves a router that answers every `GET /` with the same small JSON body.
async fn serve_bare() -> Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let router = axum::Router::new().route(
        "/",
        axum::routing::get(|| async {
            ([("content-type", "application/json")], r#"{"k":1,"v":"value 1"}"#)
        }),
    );
    tokio::spawn(async move { axum::serve(listener, router).await });
    Ok(url)
}

/// Serves the emulator with its defaults.
async fn serve_emulator() -> Result<String> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let config = <Config as clap::Parser>::try_parse_from(["bench"])?;
    tokio::spawn(serve(listener, config, std::future::pending()));
    Ok(url)
}

/// Creates `ks.kv` and writes [`ROWS`] rows into it.
async fn fill(http: &reqwest::Client, url: &str) -> Result<()> {
    let schema = [
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}"
            .to_string(),
        "CREATE TABLE ks.kv (k int PRIMARY KEY, v text)".to_string(),
    ];
    let rows = (0..ROWS).map(|k| format!("INSERT INTO ks.kv (k, v) VALUES ({k}, 'value {k}')"));
    for cql in schema.into_iter().chain(rows) {
        let status = http
            .post(format!("{url}/v2/cql"))
            .header("X-Cassandra-Token", "bench")
            .body(cql.clone())
            .send()
            .await?
            .status();
        ensure!(status.is_success(), "setup failed with {status}: {cql}");
    }
    Ok(())
}

/// Runs `case` with `clients` concurrent clients for `seconds`.
async fn measure(
    case: Case,
    http: &reqwest::Client,
    urls: &std::sync::Arc<Urls>,
    seconds: u64,
    clients: usize,
) -> Result<Measured> {
    // The first answer is checked by content, so a case that reads nothing cannot look fast.
    let body = case.request(http, urls, 7).send().await?.error_for_status()?.text().await?;
    ensure!(body.contains("value 7") || matches!(case, Case::Bare), "{}: {body}", case.name());

    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let tasks: Vec<_> = (0..clients)
        .map(|client| {
            let (http, urls) = (http.clone(), urls.clone());
            tokio::spawn(async move { run_client(case, &http, &urls, client, deadline).await })
        })
        .collect();
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.context("client task")??);
    }
    let elapsed = started.elapsed().as_secs_f64();
    Ok(Measured { per_second: latencies.len() as f64 / elapsed, latencies })
}

/// Sends `case`'s requests over keys spread across the table until `deadline`.
async fn run_client(
    case: Case,
    http: &reqwest::Client,
    urls: &Urls,
    client: usize,
    deadline: Instant,
) -> Result<Vec<Duration>> {
    let mut latencies = Vec::new();
    let mut i = 0usize;
    while Instant::now() < deadline {
        let k = (client * 7_919 + i * 13) % ROWS;
        let started = Instant::now();
        let response = case.request(http, urls, k).send().await?;
        let status = response.status();
        ensure!(status.is_success(), "{}: request {i} of client {client}: {status}", case.name());
        // Reading the body is part of the request's cost.
        response.bytes().await?;
        latencies.push(started.elapsed());
        i += 1;
    }
    Ok(latencies)
}
