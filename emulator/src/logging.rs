//! One log line per request. Tokens never appear: only whether one was sent.

use std::time::Instant;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;

/// The headers that carry a token on either API.
const TOKEN_HEADERS: [&str; 2] = ["x-cassandra-token", "token"];

/// Logs method, path, status, latency and whether a token came with the request.
pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_string();
    let token = if TOKEN_HEADERS.iter().any(|h| request.headers().contains_key(*h)) {
        "[redacted]"
    } else {
        "-"
    };
    let response = next.run(request).await;
    tracing::info!(
        %method,
        path,
        status = response.status().as_u16(),
        micros = started.elapsed().as_micros() as u64,
        token,
        "request"
    );
    response
}
