//! The connection status line: what the page says about the Worker and its upstream.

use cqlfiddle_shared::{Health, UpstreamStatus};

use crate::api::{ApiFailure, TIMEOUT_MS};

/// How the status should look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// Still waiting for the Worker.
    Pending,
    /// The upstream answered.
    Good,
    /// Something on the way failed.
    Bad,
}

impl Tone {
    /// The CSS class modifier for this tone.
    pub fn class(self) -> &'static str {
        match self {
            Tone::Pending => "pending",
            Tone::Good => "good",
            Tone::Bad => "bad",
        }
    }
}

/// The status line's content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    /// How it looks.
    pub tone: Tone,
    /// The main text, e.g. `upstream reachable (12 ms)`.
    pub text: String,
    /// A secondary detail, e.g. which API and Worker version.
    pub detail: Option<String>,
}

impl StatusLine {
    /// The line shown while the Worker has not answered yet.
    pub fn checking() -> Self {
        StatusLine { tone: Tone::Pending, text: "checking the upstream…".into(), detail: None }
    }

    /// The line for the answer to `GET /api/health` from the Worker at `api_url`.
    pub fn from_health(result: &Result<Health, ApiFailure>, api_url: &str) -> Self {
        match result {
            Ok(health) => {
                let detail = Some(format!(
                    "{} API via Worker {} at {api_url}",
                    kind_name(health.upstream_kind),
                    health.version
                ));
                match &health.upstream {
                    UpstreamStatus::Reachable { latency_ms } => StatusLine {
                        tone: Tone::Good,
                        text: format!("upstream reachable ({latency_ms} ms)"),
                        detail,
                    },
                    UpstreamStatus::Unreachable { reason } => StatusLine {
                        tone: Tone::Bad,
                        text: format!("upstream unreachable: {reason}"),
                        detail,
                    },
                }
            }
            Err(failure) => StatusLine {
                tone: Tone::Bad,
                text: format!("upstream unreachable: {}", failure_reason(failure, api_url)),
                detail: None,
            },
        }
    }
}

fn kind_name(kind: cqlfiddle_shared::UpstreamKind) -> &'static str {
    match kind {
        cqlfiddle_shared::UpstreamKind::DataApi => "Data",
        cqlfiddle_shared::UpstreamKind::RestV2 => "Stargate REST v2",
    }
}

fn failure_reason(failure: &ApiFailure, api_url: &str) -> String {
    match failure {
        ApiFailure::TimedOut => {
            format!("the Worker at {api_url} did not answer within {} s", TIMEOUT_MS / 1000)
        }
        ApiFailure::Network(message) => format!("cannot reach the Worker at {api_url} ({message})"),
        ApiFailure::Api { error, .. } => error.message.clone(),
        ApiFailure::Unexpected { status } => {
            format!("the Worker at {api_url} gave an unexpected answer (HTTP {status})")
        }
    }
}

#[cfg(test)]
mod tests;
