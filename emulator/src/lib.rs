//! The emulator as a library: the router, so tests can serve it on an ephemeral port.

use std::future::Future;
use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use cqlfiddle_engine::Engine;
use serde_json::json;

/// Command-line and library configuration.
#[derive(Debug, Clone, clap::Parser)]
#[command(version, about = "A local Astra: the Data API and Stargate REST v2 over the cqlfiddle engine")]
pub struct Config {
    /// The address to listen on. Loopback by default: the emulator has no real authentication.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: IpAddr,
    /// The port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8181)]
    pub port: u16,
    /// The only token accepted. Without it any non-empty token is accepted, as the open-source servers do.
    #[arg(long, env = "EMULATOR_TOKEN")]
    pub token: Option<String>,
}

/// Shared state behind every request: one engine for all clients.
#[derive(Debug, Clone)]
pub struct AppState {
    engine: Arc<Mutex<Engine>>,
    token: Option<Arc<str>>,
}

/// Builds the router for `config`.
pub fn router(config: &Config) -> Router {
    let state = AppState {
        engine: Arc::new(Mutex::new(Engine::new())),
        token: config.token.as_deref().map(Arc::from),
    };
    let v2 = Router::new()
        .route("/v2/schemas/keyspaces", get(|| async { StatusCode::NOT_IMPLEMENTED }))
        .route_layer(middleware::from_fn_with_state(state.clone(), require_rest_token));
    Router::new()
        .route("/stargate/health", get(|| async { "UP" }))
        .route("/health", get(|| async { "UP" }))
        .merge(v2)
        .with_state(state)
}

/// Serves the emulator on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    tracing::info!(addr = %listener.local_addr()?, "emulator listening");
    axum::serve(listener, router(&config)).with_graceful_shutdown(shutdown).await?;
    Ok(())
}

/// The REST v2 token check: the header must be present (and match `--token` when one is set).
async fn require_rest_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let header = request.headers().get("x-cassandra-token").and_then(|v| v.to_str().ok());
    match (header, state.token.as_deref()) {
        (None, _) | (Some(""), _) => rest_error(
            StatusCode::UNAUTHORIZED,
            "Role unauthorized for operation: Missing token, expecting one in the X-Cassandra-Token header.",
            None,
        ),
        (Some(got), Some(want)) if got != want => rest_error(
            StatusCode::UNAUTHORIZED,
            "Unauthenticated gRPC operation (Status.Code.UNAUTHENTICATED->401): UNAUTHENTICATED: Invalid token",
            Some("UNAUTHENTICATED"),
        ),
        _ => next.run(request).await,
    }
}

/// Stargate's `ApiError`: four fields, always present, in this order.
fn rest_error(status: StatusCode, description: &str, grpc_status: Option<&str>) -> Response {
    let body = json!({
        "description": description,
        "code": status.as_u16(),
        "grpcStatus": grpc_status,
        "internalTxId": null,
    });
    (status, axum::Json(body)).into_response()
}
