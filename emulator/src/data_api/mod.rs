//! The Data API (tables): `POST /v1[/{keyspace}[/{table}]]`, also under `/api/json`.
//!
//! Every request answers with one envelope, `{"data"?, "status"?, "errors"?}`; command
//! errors are HTTP 200, missing or wrong tokens 401 and non-JSON bodies 415, as on the
//! real server.

mod codec;
mod commands;
mod ddl;
mod dml;
mod error;
mod filter;
mod vector;

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

pub use error::ApiError;

use crate::AppState;
use crate::json::Json;

/// Where a command was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `/v1`: database-level commands.
    Database,
    /// `/v1/{keyspace}`.
    Keyspace(String),
    /// `/v1/{keyspace}/{table}`.
    Table(String, String),
}

/// What a command produced: the parts of the response envelope.
#[derive(Debug, Clone, Default)]
pub struct CommandResult {
    /// `data`, dropped when there are errors.
    pub data: Option<Json>,
    /// `status` entries in order (warnings are added last).
    pub status: Vec<(String, Json)>,
    /// `errors`.
    pub errors: Vec<ApiError>,
    /// `status.warnings`.
    pub warnings: Vec<ApiError>,
}

impl CommandResult {
    /// `{"status":{"ok":1}}`, the answer of every schema change.
    pub fn ok() -> Self {
        CommandResult { status: vec![("ok".into(), Json::number(1))], ..CommandResult::default() }
    }

    /// A result with only `status` entries.
    pub fn status(entries: Vec<(String, Json)>) -> Self {
        CommandResult { status: entries, ..CommandResult::default() }
    }

    /// The response envelope.
    pub fn to_json(&self) -> Json {
        let mut body = Vec::new();
        if self.errors.is_empty()
            && let Some(data) = &self.data
        {
            body.push(("data".to_string(), data.clone()));
        }
        let mut status = self.status.clone();
        if !self.warnings.is_empty() {
            status.push((
                "warnings".into(),
                Json::Array(self.warnings.iter().map(ApiError::to_json).collect()),
            ));
        }
        if !status.is_empty() {
            body.push(("status".into(), Json::Object(status)));
        }
        if !self.errors.is_empty() {
            body.push((
                "errors".into(),
                Json::Array(self.errors.iter().map(ApiError::to_json).collect()),
            ));
        }
        Json::Object(body)
    }

    fn http_status(&self) -> StatusCode {
        self.errors
            .iter()
            .map(|e| e.status)
            .find(|s| *s != StatusCode::OK)
            .unwrap_or(StatusCode::OK)
    }
}

impl From<ApiError> for CommandResult {
    fn from(error: ApiError) -> Self {
        CommandResult { errors: vec![error], ..CommandResult::default() }
    }
}

impl IntoResponse for CommandResult {
    fn into_response(self) -> Response {
        (self.http_status(), [(CONTENT_TYPE, "application/json")], self.to_json().to_text())
            .into_response()
    }
}

/// The Data API routes, at `/v1` and `/api/json/v1`.
pub fn routes() -> Router<AppState> {
    let v1 = Router::new()
        .route("/v1", post(database))
        .route("/v1/{keyspace}", post(keyspace))
        .route("/v1/{keyspace}/{table}", post(table));
    Router::new().merge(v1.clone()).nest("/api/json", v1)
}

type PathResult<T> = Result<Path<T>, PathRejection>;
type BodyResult = Result<Bytes, BytesRejection>;

async fn database(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: BodyResult,
) -> CommandResult {
    with_body(body, |body| handle(&state, &headers, Target::Database, body))
}

async fn keyspace(
    State(state): State<AppState>,
    path: PathResult<String>,
    headers: HeaderMap,
    body: BodyResult,
) -> CommandResult {
    match path {
        Ok(Path(keyspace)) => {
            with_body(body, |body| handle(&state, &headers, Target::Keyspace(keyspace), body))
        }
        Err(rejection) => unreadable(rejection.body_text()),
    }
}

async fn table(
    State(state): State<AppState>,
    path: PathResult<(String, String)>,
    headers: HeaderMap,
    body: BodyResult,
) -> CommandResult {
    match path {
        Ok(Path((keyspace, table))) => {
            with_body(body, |body| handle(&state, &headers, Target::Table(keyspace, table), body))
        }
        Err(rejection) => unreadable(rejection.body_text()),
    }
}

/// Runs `f` on the body, or reports why it could not be read.
fn with_body(body: BodyResult, f: impl FnOnce(&[u8]) -> CommandResult) -> CommandResult {
    match body {
        Ok(bytes) => f(&bytes),
        Err(rejection) => unreadable(rejection.body_text()),
    }
}

fn unreadable(problem: String) -> CommandResult {
    ApiError::unscoped(
        "REQUEST_STRUCTURE_MISMATCH",
        format!(
            "The request could not be read: {problem}.\n\nResend request with valid structure."
        ),
    )
    .into()
}

/// Auth, content type, then the command.
fn handle(state: &AppState, headers: &HeaderMap, target: Target, body: &[u8]) -> CommandResult {
    let token = ["token", "x-cassandra-token"]
        .iter()
        .find_map(|h| headers.get(*h))
        .and_then(|v| v.to_str().ok())
        .filter(|t| !t.is_empty());
    match token {
        None => {
            return ApiError::request(
                "SECURITY",
                "MISSING_AUTHENTICATION_TOKEN",
                "The command did not include an authorization token in the request headers.\n\n\
                 The authorization header is: Token.\n\n\
                 Resend the command using the correct authentication details.",
            )
            .into();
        }
        Some(token) if !state.accepts(token) => {
            return ApiError::request(
                "SECURITY",
                "UNAUTHENTICATED_REQUEST",
                "Authentication failed for request due to invalid token.\n\nResend with valid authentication token.",
            )
            .into();
        }
        Some(_) => {}
    }
    let content_type = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok());
    if let Some(ct) = content_type {
        let essence = ct.split(';').next().unwrap_or("").trim();
        if !essence.eq_ignore_ascii_case("application/json") {
            return ApiError::unscoped(
                "UNSUPPORTED_CONTENT_TYPE",
                format!(
                    "Request sent with unsupported 'Content-Type' header: {ct}\n\n\
                     Resend with supported 'Content-Type' header."
                ),
            )
            .into();
        }
    }
    commands::run(state, &target, body)
}
