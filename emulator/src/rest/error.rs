//! Stargate's `ApiError`: the one shape every REST v2 failure leaves in.

use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use cqlfiddle_engine::{Error as EngineError, ErrorKind};

use crate::json::Json;

/// A REST v2 failure: an HTTP status, Stargate's description and the gRPC status name
/// when the failure came from the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestError {
    /// The HTTP status, also written as `code`.
    pub status: StatusCode,
    /// The human-readable description.
    pub description: String,
    /// The gRPC status name (`INVALID_ARGUMENT`, ...) or `None` for the REST layer's own errors.
    pub grpc_status: Option<&'static str>,
}

impl RestError {
    /// A failure raised by the REST layer itself, with no gRPC status.
    pub fn new(status: StatusCode, description: impl Into<String>) -> Self {
        RestError { status, description: description.into(), grpc_status: None }
    }

    /// A 400 raised by the REST layer.
    pub fn bad_request(description: impl Into<String>) -> Self {
        RestError::new(StatusCode::BAD_REQUEST, description)
    }

    /// A 404 raised by the REST layer.
    pub fn not_found(description: impl Into<String>) -> Self {
        RestError::new(StatusCode::NOT_FOUND, description)
    }

    /// A failure reported in gRPC form, as the bridge's errors reach REST clients:
    /// `<prefix> (Status.Code.<CODE>-><http>): <CODE>: <message>`.
    pub fn grpc(status: StatusCode, prefix: &str, code: &'static str, message: &str) -> Self {
        RestError {
            status,
            description: format!(
                "{prefix} (Status.Code.{code}->{}): {code}: {message}",
                status.as_u16()
            ),
            grpc_status: Some(code),
        }
    }

    /// An `INVALID_ARGUMENT` with Cassandra's message, the form of every syntax and
    /// invalid-request error.
    pub fn invalid_argument(message: &str) -> Self {
        RestError::grpc(
            StatusCode::BAD_REQUEST,
            "Invalid argument for gRPC operation",
            "INVALID_ARGUMENT",
            message,
        )
    }

    /// The response body: four keys, always present, in Stargate's order.
    pub fn body(&self) -> Json {
        Json::Object(vec![
            ("description".into(), Json::string(self.description.clone())),
            ("code".into(), Json::number(self.status.as_u16())),
            ("grpcStatus".into(), self.grpc_status.map_or(Json::Null, Json::string)),
            ("internalTxId".into(), Json::Null),
        ])
    }
}

impl From<&EngineError> for RestError {
    fn from(err: &EngineError) -> Self {
        let message = err.to_string();
        match err.kind() {
            ErrorKind::Syntax | ErrorKind::Invalid | ErrorKind::Unsupported => {
                RestError::invalid_argument(&message)
            }
            ErrorKind::AlreadyExists => RestError::grpc(
                StatusCode::CONFLICT,
                "Resource already exists",
                "ALREADY_EXISTS",
                &message,
            ),
            ErrorKind::Unauthorized => RestError::grpc(
                StatusCode::UNAUTHORIZED,
                "Unauthorized gRPC operation",
                "PERMISSION_DENIED",
                &message,
            ),
            ErrorKind::LimitExceeded => RestError::grpc(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Unhandled gRPC failure",
                "RESOURCE_EXHAUSTED",
                &message,
            ),
        }
    }
}

impl From<EngineError> for RestError {
    fn from(err: EngineError) -> Self {
        RestError::from(&err)
    }
}

impl IntoResponse for RestError {
    fn into_response(self) -> Response {
        json_response(self.status, &self.body())
    }
}

/// A JSON response with an exact body text.
pub fn json_response(status: StatusCode, body: &Json) -> Response {
    (status, [(CONTENT_TYPE, "application/json")], body.to_text()).into_response()
}
