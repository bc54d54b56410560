//! Headless Chromium driven through chromedriver (WebDriver), read the way a person reads
//! the page: by stable `data-testid` hooks.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use fantoccini::{Client, ClientBuilder, Locator};

use crate::free_port;
use crate::process::Guarded;

/// A browser session with its own chromedriver.
#[derive(Debug)]
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    _driver: Guarded,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a headless Chromium. Fails loudly when either is missing:
    /// a browser test that cannot run a browser must not pass.
    pub async fn start() -> Result<Self> {
        for binary in ["/usr/bin/chromedriver", "/usr/bin/chromium"] {
            if !std::path::Path::new(binary).exists() {
                bail!(
                    "{binary} is missing: `cargo xtask test` installs Debian's chromium and chromium-driver"
                );
            }
        }
        let port = free_port();
        let mut command = Command::new("/usr/bin/chromedriver");
        command.arg(format!("--port={port}")).stdout(std::process::Stdio::null());
        let mut driver = Guarded::spawn("chromedriver", command)?;
        driver.wait_for_port(port, Duration::from_secs(20)).await?;

        let profile = tempfile::tempdir()?;
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--window-size=1280,800",
        ];
        let mut args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        args.push(format!("--user-data-dir={}", profile.path().display()));
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "binary": "/usr/bin/chromium", "args": args }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .context("connecting to chromedriver")?;
        Ok(Browser { client, _driver: driver, _profile: profile })
    }

    /// Opens `url`.
    pub async fn goto(&self, url: &str) -> Result<()> {
        self.client.goto(url).await.with_context(|| format!("opening {url}"))
    }

    /// Waits until the element with `data-testid="<id>"` has text for which `done` holds,
    /// and returns that text; fails with the last text seen after `timeout`.
    pub async fn wait_for_text(
        &self,
        testid: &str,
        timeout: Duration,
        done: impl Fn(&str) -> bool,
    ) -> Result<String> {
        let locator = format!("[data-testid=\"{testid}\"]");
        let deadline = Instant::now() + timeout;
        let mut last = None;
        loop {
            if let Ok(element) = self.client.find(Locator::Css(&locator)).await
                && let Ok(text) = element.text().await
            {
                if done(&text) {
                    return Ok(text);
                }
                last = Some(text);
            }
            if Instant::now() > deadline {
                bail!("`{locator}` never matched within {timeout:?}; last text: {last:?}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Closes the browser session.
    pub async fn close(self) -> Result<()> {
        self.client.close().await?;
        Ok(())
    }
}
