//! The product's servers, each started for real on its own loopback port.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::process::Guarded;
use crate::{free_port, workspace_root};

/// The emulator served in-process over the real engine and axum stack.
#[derive(Debug)]
pub struct Emulator {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<()>>>,
}

impl Emulator {
    /// Starts an emulator that accepts only `token`.
    pub async fn start(token: &str) -> Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr: SocketAddr = listener.local_addr()?;
        let config = emulator_config(token, addr.port())?;
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(cqlfiddle_emulator::serve(listener, config, async {
            let _ = rx.await;
        }));
        Ok(Emulator { url: format!("http://{addr}"), shutdown: Some(tx), task: Some(task) })
    }

    /// Stops accepting connections and waits for the server to finish.
    pub async fn stop(&mut self) -> Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            tokio::time::timeout(Duration::from_secs(10), task)
                .await
                .context("the emulator did not shut down within 10 s")???;
        }
        Ok(())
    }
}

/// The emulator's configuration as its command line would give it, so the tests run on
/// the same defaults a person gets.
fn emulator_config(token: &str, port: u16) -> Result<cqlfiddle_emulator::Config> {
    let port = port.to_string();
    Ok(<cqlfiddle_emulator::Config as clap::Parser>::try_parse_from([
        "cqlfiddle-emulator",
        "--port",
        &port,
        "--token",
        token,
    ])?)
}

/// The Worker bundle under `wrangler dev` (workerd), configured for one test.
#[derive(Debug)]
pub struct Worker {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    _process: Guarded,
    _dir: tempfile::TempDir,
}

impl Worker {
    /// Starts the release Worker bundle with `upstream` (a Stargate REST v2 server) as its
    /// upstream, `origin` as its allowed browser origin and `token` as its secret.
    pub async fn start(upstream: &str, origin: &str, token: &str) -> Result<Self> {
        Self::start_with(upstream, "rest_v2", origin, token).await
    }

    /// Like [`Worker::start`], with the upstream's kind (`rest_v2` or `data_api`).
    pub async fn start_with(upstream: &str, kind: &str, origin: &str, token: &str) -> Result<Self> {
        let root = workspace_root();
        let bundle = root.join("worker/build/index.js");
        if !bundle.exists() {
            bail!("{} is missing: run `cargo xtask test`, which builds it first", bundle.display());
        }
        let dir = tempfile::tempdir()?;
        let config = std::fs::read_to_string(root.join("wrangler.toml"))?;
        // The copy lives elsewhere, so its entry point must be absolute.
        let config: String = config
            .lines()
            .map(|line| {
                if line.trim_start().starts_with("main") {
                    format!("main = {:?}", bundle.display().to_string())
                } else {
                    line.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        std::fs::write(dir.path().join("wrangler.toml"), config)?;
        std::fs::write(
            dir.path().join(".dev.vars"),
            format!("ASTRA_DB_APPLICATION_TOKEN={token}\n"),
        )?;

        let port = free_port();
        let mut command = Command::new(root.join("node_modules/.bin/wrangler"));
        command
            .current_dir(dir.path())
            .args(["dev", "--local", "--ip", "127.0.0.1", "--port", &port.to_string()])
            .args(["--inspector-port", &free_port().to_string()])
            .args(["--persist-to", &dir.path().join("state").display().to_string()])
            .args(["--var", &format!("UPSTREAM_URL:{upstream}")])
            .args(["--var", &format!("UPSTREAM_KIND:{kind}")])
            .args(["--var", &format!("ALLOWED_ORIGIN:{origin}")])
            .args(["--log-level", "warn", "--show-interactive-dev-session=false"])
            .env("WRANGLER_SEND_METRICS", "false")
            .env("CLOUDFLARE_CF_FETCH_ENABLED", "false")
            .env("CI", "true");
        let mut process = Guarded::spawn("wrangler dev", command)?;
        process.wait_for_port(port, Duration::from_secs(60)).await?;
        Ok(Worker { url: format!("http://127.0.0.1:{port}"), _process: process, _dir: dir })
    }
}

/// The release front end (`dist/`) behind a static file server, as a static host serves it.
#[derive(Debug)]
pub struct Site {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    task: JoinHandle<()>,
}

impl Site {
    /// Serves `dist/`.
    pub async fn start() -> Result<Self> {
        let dist = workspace_root().join("dist");
        if !dist.join("index.html").exists() {
            bail!(
                "{} has no index.html: run `cargo xtask test`, which builds it first",
                dist.display()
            );
        }
        Self::serve(&dist).await
    }

    async fn serve(dir: &Path) -> Result<Self> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let app = axum::Router::new().fallback_service(tower_http::services::ServeDir::new(dir));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Site { url, task })
    }
}

impl Drop for Site {
    fn drop(&mut self) {
        self.task.abort();
    }
}
