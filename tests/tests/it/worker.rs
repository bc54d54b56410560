//! The Worker bundle under workerd (`wrangler dev`), spoken to over HTTP as the page does.

use std::time::{Duration, Instant};

use anyhow::Result;
use cqlfiddle_shared::{ApiError, Health, UpstreamKind, UpstreamStatus};
use cqlfiddle_tests::services::{Emulator, Worker};

const TOKEN: &str = "AstraCS:worker-test:0123456789abcdef";
const ORIGIN: &str = "http://127.0.0.1:8080";

async fn health(worker: &Worker) -> Result<(reqwest::StatusCode, String)> {
    let response = reqwest::Client::new()
        .get(format!("{}/api/health", worker.url))
        .header("Origin", ORIGIN)
        .timeout(Duration::from_secs(20))
        .send()
        .await?;
    Ok((response.status(), response.text().await?))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_cors_and_unknown_routes_over_rest_v2() -> Result<()> {
    let mut emulator = Emulator::start(TOKEN).await?;
    let worker = Worker::start(&emulator.url, ORIGIN, TOKEN).await?;
    let http = reqwest::Client::new();

    let (status, body) = health(&worker).await?;
    assert_eq!(status, 200, "{body}");
    let report: Health = serde_json::from_str(&body)?;
    assert_eq!(report.upstream_kind, UpstreamKind::RestV2);
    assert!(matches!(report.upstream, UpstreamStatus::Reachable { .. }), "{report:?}");
    assert!(!body.contains(TOKEN), "the token leaked into the health answer");

    // A preflight from the page's origin is answered by the Worker itself.
    let preflight = http
        .request(reqwest::Method::OPTIONS, format!("{}/api/health", worker.url))
        .header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "content-type")
        .send()
        .await?;
    assert!(preflight.status().is_success(), "preflight: {}", preflight.status());
    assert_eq!(preflight.headers()["access-control-allow-origin"], ORIGIN);
    let methods = preflight.headers()["access-control-allow-methods"].to_str()?.to_string();
    assert!(methods.contains("POST"), "allowed methods: {methods}");

    // Any other origin gets no CORS grant, and its preflight is refused in the envelope.
    let foreign = http
        .request(reqwest::Method::OPTIONS, format!("{}/api/health", worker.url))
        .header("Origin", "https://evil.example")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await?;
    assert_eq!(foreign.status(), 403);
    assert!(foreign.headers().get("access-control-allow-origin").is_none());
    let _: ApiError = serde_json::from_str(&foreign.text().await?)?;

    let missing = http.get(format!("{}/api/nope", worker.url)).send().await?;
    assert_eq!(missing.status(), 404);
    let envelope: ApiError = serde_json::from_str(&missing.text().await?)?;
    assert!(!envelope.code.is_empty() && !envelope.message.is_empty(), "{envelope:?}");

    emulator.stop().await
}

/// The Worker holds a token the emulator (which accepts only TOKEN) refuses: its health
/// report must say the token was rejected, without repeating it.
async fn rejected_token_is_reported_without_revealing_it(kind: &str) -> Result<()> {
    let mut emulator = Emulator::start(TOKEN).await?;
    let wrong = "AstraCS:not-the-right-one:feedface";
    let worker = Worker::start_with(&emulator.url, kind, ORIGIN, wrong).await?;

    let (status, body) = health(&worker).await?;
    assert_eq!(status, 200, "{body}");
    let report: Health = serde_json::from_str(&body)?;
    match &report.upstream {
        UpstreamStatus::Unreachable { reason } => {
            assert!(reason.contains("token"), "the reason should name the token problem: {reason}")
        }
        other => panic!("a wrong token must not look reachable over {kind}: {other:?}"),
    }
    assert!(!body.contains(wrong), "the token leaked into the health answer");
    emulator.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_api_health_reports_a_rejected_token_without_revealing_it() -> Result<()> {
    rejected_token_is_reported_without_revealing_it("data_api").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rest_v2_health_reports_a_rejected_token_without_revealing_it() -> Result<()> {
    rejected_token_is_reported_without_revealing_it("rest_v2").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_api_health_is_reachable_with_the_right_token() -> Result<()> {
    let mut emulator = Emulator::start(TOKEN).await?;
    let worker = Worker::start_with(&emulator.url, "data_api", ORIGIN, TOKEN).await?;
    let (_, body) = health(&worker).await?;
    let report: Health = serde_json::from_str(&body)?;
    assert!(matches!(report.upstream, UpstreamStatus::Reachable { .. }), "{report:?}");
    emulator.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upstream_that_hangs_is_reported_unreachable_in_bounded_time() -> Result<()> {
    // A fault that cannot be produced with the real emulator: a server that accepts
    // connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let silent = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let worker = Worker::start(&url, ORIGIN, TOKEN).await?;

    let started = Instant::now();
    let (status, body) = health(&worker).await?;
    let took = started.elapsed();
    assert_eq!(status, 200, "{body}");
    let report: Health = serde_json::from_str(&body)?;
    assert!(matches!(report.upstream, UpstreamStatus::Unreachable { .. }), "{report:?}");
    assert!(
        took < Duration::from_secs(15),
        "the Worker must give up on a silent upstream; took {took:?}"
    );
    silent.abort();
    Ok(())
}
