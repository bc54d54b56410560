//! The emulator as a library: a local stand-in for Astra that serves the Data API (tables)
//! and Stargate REST v2 over cqlfiddle's in-memory engine. The router is public so tests
//! can serve it on an ephemeral port.

mod base64;
pub mod data_api;
mod db;
mod javafmt;
mod json;
mod logging;
pub mod rest;
pub mod schema;
mod secret;

use std::future::Future;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::routing::get;

pub use db::Db;
pub use secret::Secret;

/// Command-line and library configuration.
#[derive(Debug, Clone, clap::Parser)]
#[command(
    version,
    about = "A local Astra: the Data API and Stargate REST v2 over the cqlfiddle engine"
)]
pub struct Config {
    /// The address to listen on. Loopback by default: the emulator has no real authentication.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8181)]
    pub port: u16,
    /// The only token accepted. Without it any non-empty token is accepted, as the open-source servers do.
    #[arg(long, env = "EMULATOR_TOKEN")]
    pub token: Option<Secret>,
    /// The Data API's page size for `find`: 20 as Astra documents it (the newest
    /// open-source server uses 50).
    #[arg(long, default_value_t = 20)]
    pub page_size: usize,
    /// A file to keep the database in across restarts.
    #[arg(long)]
    pub data: Option<PathBuf>,
}

/// Shared state behind every request: one engine for all clients.
#[derive(Debug, Clone)]
pub struct AppState {
    db: Db,
    token: Option<Arc<Secret>>,
    /// The Data API's `find` page size.
    page_size: usize,
}

impl AppState {
    /// Whether `token` is accepted: any non-empty one, or exactly `--token` when set.
    fn accepts(&self, token: &str) -> bool {
        !token.is_empty() && self.token.as_ref().is_none_or(|want| want.expose() == token)
    }
}

/// Builds the router for `config`.
pub fn router(config: &Config) -> Router {
    let state = AppState {
        db: Db::new(),
        token: config.token.clone().map(Arc::new),
        page_size: config.page_size.max(1),
    };
    let rest = rest::routes(state.clone());
    Router::new()
        .route("/stargate/health", get(|| async { "UP" }))
        .route("/health", get(|| async { "UP" }))
        .merge(rest.clone())
        .nest("/api/rest", rest)
        .merge(data_api::routes())
        .with_state(state)
        .layer(axum::middleware::from_fn(logging::log_request))
}

/// Serves the emulator on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    tracing::info!(addr = %listener.local_addr()?, "emulator listening");
    if let Some(path) = &config.data {
        // The engine cannot snapshot its state yet; say so rather than pretend to persist.
        tracing::warn!(path = %path.display(), "--data is not supported yet: state lives in memory only");
    }
    axum::serve(listener, router(&config)).with_graceful_shutdown(shutdown).await?;
    Ok(())
}
