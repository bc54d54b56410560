//! The wire types the browser and the Worker speak.
//!
//! This crate depends on `serde` alone, so that both a wasm front end and a Worker
//! can use it without pulling in a runtime. Nothing here ever holds the upstream token.

use serde::{Deserialize, Serialize};

/// Which upstream API the Worker forwards to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UpstreamKind {
    /// Astra's Data API (`/api/json/v1`), the interface Astra serves today.
    DataApi,
    /// Stargate's REST v2 API (`/v2`), as a self-hosted Stargate serves it.
    RestV2,
}

impl UpstreamKind {
    /// The name used in configuration (`UPSTREAM_KIND`) and in the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            UpstreamKind::DataApi => "data_api",
            UpstreamKind::RestV2 => "rest_v2",
        }
    }

    /// Parses the configuration spelling; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim() {
            "data_api" => Some(UpstreamKind::DataApi),
            "rest_v2" => Some(UpstreamKind::RestV2),
            _ => None,
        }
    }
}

/// `GET /api/health`: what the Worker knows about its upstream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// The Worker's own version (the workspace version it was built from).
    pub version: String,
    /// The configured upstream API.
    pub upstream_kind: UpstreamKind,
    /// Whether the upstream answered its health check in time.
    pub upstream: UpstreamStatus,
}

/// The outcome of probing the upstream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum UpstreamStatus {
    /// The upstream answered with a success status.
    Reachable {
        /// Round-trip time of the probe in milliseconds.
        latency_ms: u64,
    },
    /// The upstream could not be reached, timed out, or answered with an error.
    Unreachable {
        /// Why, in words a person can act on. Never contains the token.
        reason: String,
    },
}

/// The one error envelope of the Worker's HTTP API: every failure leaves in this shape.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiError {
    /// A stable, machine-readable code such as `bad_request` or `upstream_unreachable`.
    pub code: String,
    /// A human message, safe to show in the UI.
    pub message: String,
}

#[cfg(test)]
mod tests;
