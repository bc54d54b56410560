//! Stargate REST API v2: routes, the token check and the error envelope.

pub mod cql;
pub mod encode;
pub mod error;
mod extract;
pub mod literal;
pub mod params;
mod row_routes;
pub mod rows;
mod schema_routes;
pub mod schemas;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get, post};

pub use error::RestError;

use crate::AppState;

/// The REST v2 routes under `/v2`, each behind the token check. The caller mounts them both
/// at the root (open-source layout) and under `/api/rest` (Astra's).
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/v2/cql", post(cql::handle))
        .route("/v2/keyspaces/{keyspace}/{table}", get(row_routes::search).post(row_routes::create))
        .route("/v2/keyspaces/{keyspace}/{table}/rows", get(row_routes::all_rows))
        .route(
            "/v2/keyspaces/{keyspace}/{table}/{*key}",
            get(row_routes::by_key)
                .put(row_routes::update)
                .patch(row_routes::update)
                .delete(row_routes::delete),
        )
        .merge(schema_routes())
        // Unknown paths under /v2 still need a token, as Stargate authenticates `/v2/*`
        // before routing.
        .route("/v2/{*rest}", any(|| async { StatusCode::NOT_FOUND }))
        .route_layer(middleware::from_fn_with_state(state, require_token))
}

/// The schema endpoints under `/v2/schemas/keyspaces`.
fn schema_routes() -> Router<AppState> {
    use schema_routes as s;
    const KS: &str = "/v2/schemas/keyspaces";
    Router::new()
        .route(KS, get(s::list_keyspaces).post(s::create_keyspace))
        .route(&format!("{KS}/{{keyspace}}"), get(s::get_keyspace).delete(s::delete_keyspace))
        .route(&format!("{KS}/{{keyspace}}/tables"), get(s::list_tables).post(s::create_table))
        .route(
            &format!("{KS}/{{keyspace}}/tables/{{table}}"),
            get(s::get_table).put(s::update_table).delete(s::delete_table),
        )
        .route(
            &format!("{KS}/{{keyspace}}/tables/{{table}}/columns"),
            get(s::list_columns).post(s::create_column),
        )
        .route(
            &format!("{KS}/{{keyspace}}/tables/{{table}}/columns/{{column}}"),
            get(s::get_column).put(s::update_column).delete(s::delete_column),
        )
        .route(
            &format!("{KS}/{{keyspace}}/tables/{{table}}/indexes"),
            get(s::list_indexes).post(s::create_index),
        )
        .route(
            &format!("{KS}/{{keyspace}}/tables/{{table}}/indexes/{{index}}"),
            axum::routing::delete(s::delete_index),
        )
        .route(
            &format!("{KS}/{{keyspace}}/types"),
            get(s::list_types).post(s::create_type).put(s::update_type),
        )
        .route(
            &format!("{KS}/{{keyspace}}/types/{{name}}"),
            get(s::get_type).delete(s::delete_type),
        )
}

/// The token check: `X-Cassandra-Token` must be present and non-empty, and equal to
/// `--token` when one is set.
async fn require_token(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let header = request.headers().get("x-cassandra-token").and_then(|v| v.to_str().ok());
    match header {
        None | Some("") => RestError::new(
            StatusCode::UNAUTHORIZED,
            "Role unauthorized for operation: Missing token, expecting one in the X-Cassandra-Token header.",
        )
        .into_response(),
        Some(got) if !state.accepts(got) => RestError::grpc(
            StatusCode::UNAUTHORIZED,
            "Unauthenticated gRPC operation",
            "UNAUTHENTICATED",
            "Invalid token",
        )
        .into_response(),
        Some(_) => next.run(request).await,
    }
}
