//! The whole product in a real browser: the sandbox engine in the tab, and the Worker
//! (under workerd) in front of the emulator.

use std::time::Duration;

use anyhow::Result;
use cqlfiddle_tests::browser::Browser;
use cqlfiddle_tests::services::{Emulator, Site, Worker};

const TOKEN: &str = "AstraCS:e2e:0123456789abcdef";
const WAIT: Duration = Duration::from_secs(30);

/// The app URL, pointed at this test's Worker.
fn app_url(site: &Site, worker: &Worker) -> String {
    format!("{}/?api={}", site.url, worker.url)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_runs_the_sandbox_in_the_tab_and_reaches_the_upstream() -> Result<()> {
    let mut emulator = Emulator::start(TOKEN).await?;
    let site = Site::start().await?;
    let worker = Worker::start(&emulator.url, &site.url, TOKEN).await?;
    let browser = Browser::start().await?;

    browser.goto(&app_url(&site, &worker)).await?;
    let answer = browser.wait_for_text("sandbox-result", WAIT, |t| !t.trim().is_empty()).await?;
    assert!(
        answer.contains(cqlfiddle_engine_release()),
        "the sandbox should show the engine's release_version, got {answer:?}"
    );
    let status =
        browser.wait_for_text("upstream-status", WAIT, |t| t.contains("reachable")).await?;
    assert!(
        status.contains("upstream reachable") && !status.contains("unreachable"),
        "expected the upstream to be reachable, got {status:?}"
    );
    // What a person saw, kept for the README and for debugging a failure by eye.
    let png = browser.client.screenshot().await?;
    let shots = cqlfiddle_tests::workspace_root().join("target/screenshots");
    std::fs::create_dir_all(&shots)?;
    std::fs::write(shots.join("app.png"), png)?;

    browser.close().await?;
    emulator.stop().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_says_upstream_unreachable_when_the_emulator_stops() -> Result<()> {
    let mut emulator = Emulator::start(TOKEN).await?;
    let site = Site::start().await?;
    let worker = Worker::start(&emulator.url, &site.url, TOKEN).await?;
    let browser = Browser::start().await?;

    browser.goto(&app_url(&site, &worker)).await?;
    browser.wait_for_text("upstream-status", WAIT, |t| t.contains("upstream reachable")).await?;

    emulator.stop().await?;
    browser.client.refresh().await?;
    let status =
        browser.wait_for_text("upstream-status", WAIT, |t| t.contains("unreachable")).await?;
    assert!(
        status.contains("upstream unreachable"),
        "expected a clear unreachable state, got {status:?}"
    );
    // The sandbox does not depend on the upstream: it still answers.
    let answer = browser.wait_for_text("sandbox-result", WAIT, |t| !t.trim().is_empty()).await?;
    assert!(answer.contains(cqlfiddle_engine_release()), "sandbox answer was {answer:?}");

    browser.close().await
}

/// The release the engine reports, read from the engine crate so the test cannot drift.
fn cqlfiddle_engine_release() -> &'static str {
    cqlfiddle_engine::RELEASE_VERSION
}
