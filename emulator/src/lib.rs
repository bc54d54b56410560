//! The emulator as a library: a local stand-in for Astra that serves the Data API (tables)
//! and Stargate REST v2 over cqlfiddle's in-memory engine. The router is public so tests
//! can serve it on an ephemeral port.

mod base64;
pub mod data_api;
mod db;
mod error;
mod javafmt;
mod json;
mod logging;
mod persist;
pub mod rest;
pub mod schema;
mod secret;

use std::future::Future;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::routing::get;

pub use db::{Clock, Db};
pub use error::Error;
pub use secret::Secret;

/// The largest request body accepted.
const MAX_BODY_BYTES: usize = 20 * 1024 * 1024;

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

/// Builds the router for `config` over a fresh database.
pub fn router(config: &Config) -> Router {
    router_over(Db::new(), config)
}

/// Builds the router for `config` over `db`.
pub fn router_over(db: Db, config: &Config) -> Router {
    let state = AppState {
        db,
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
        // The Data API's limit (`quarkus.http.limits.max-body-size`); axum's default is 2 MB.
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(logging::log_request))
}

/// Serves the emulator on `listener` until `shutdown` completes. With `--data`, the
/// database is loaded from the file first and saved back after writes and at the end.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let db = match &config.data {
        Some(path) => match persist::load(path)? {
            Some(engine) => {
                tracing::info!(path = %path.display(), "database loaded");
                Db::from_engine(engine)
            }
            None => Db::new(),
        },
        None => Db::new(),
    };
    let saver = config.data.clone().map(|path| tokio::spawn(persist::autosave(db.clone(), path)));
    tracing::info!(addr = %listener.local_addr()?, "emulator listening");
    let served = axum::serve(listener, router_over(db.clone(), &config))
        .with_graceful_shutdown(shutdown)
        .await;
    if let Some(saver) = saver {
        saver.abort();
    }
    if let Some(path) = &config.data {
        persist::save_if_dirty(&db, path)?;
        tracing::info!(path = %path.display(), "database saved");
    }
    served?;
    Ok(())
}
