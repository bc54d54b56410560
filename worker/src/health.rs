//! `GET /api/health`: which probe to send upstream, and how to read its answer.

use std::time::Duration;

use cqlfiddle_shared::{Health, UpstreamKind, UpstreamStatus};

use crate::{Secret, UpstreamConfig, VERSION};

/// How long the Worker waits for the upstream before calling it unreachable. Short enough
/// that the browser (which gives up after five seconds) always hears the Worker's verdict.
pub const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// The longest reason the Worker passes on; upstream error pages can be long.
const MAX_REASON_CHARS: usize = 200;

/// One upstream request, described without performing it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// `GET` or `POST`.
    pub method: &'static str,
    /// The full URL.
    pub url: String,
    /// Headers other than the token.
    pub headers: Vec<(&'static str, &'static str)>,
    /// The header that carries the token.
    pub token_header: &'static str,
    /// The token.
    pub token: Secret,
    /// The request body, if any.
    pub body: Option<&'static str>,
}

impl Probe {
    /// The cheapest authenticated request that proves the upstream is serving.
    pub fn for_upstream(upstream: &UpstreamConfig) -> Self {
        match upstream.kind {
            // Listing keyspaces needs the token, unlike `/stargate/health`, so a wrong
            // token shows up here as the 401 it is.
            UpstreamKind::RestV2 => Probe {
                method: "GET",
                url: format!("{}/v2/schemas/keyspaces", upstream.url),
                headers: Vec::new(),
                token_header: "X-Cassandra-Token",
                token: upstream.token.clone(),
                body: None,
            },
            UpstreamKind::DataApi => Probe {
                method: "POST",
                url: format!("{}/api/json/v1", upstream.url),
                headers: vec![("Content-Type", "application/json")],
                token_header: "Token",
                token: upstream.token.clone(),
                body: Some(r#"{"findKeyspaces":{}}"#),
            },
        }
    }
}

/// What became of a probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeOutcome {
    /// The upstream answered (with any status).
    Answered {
        /// The HTTP status.
        status: u16,
        /// The response body, as text.
        body: String,
        /// Milliseconds from sending to the complete answer.
        latency_ms: u64,
    },
    /// No answer within [`PROBE_TIMEOUT`].
    TimedOut,
    /// The request failed before an answer (DNS, refused connection, TLS...).
    Failed {
        /// The runtime's description of the failure.
        message: String,
    },
}

/// The health report for an upstream of `kind` that gave `outcome` to a probe made with
/// `token`. Every reason is scrubbed of the token, whatever the upstream echoed.
pub fn health_of(kind: UpstreamKind, outcome: ProbeOutcome, token: &Secret) -> Health {
    let upstream = match verdict(kind, outcome) {
        Ok(latency_ms) => UpstreamStatus::Reachable { latency_ms },
        Err(reason) => UpstreamStatus::Unreachable { reason: shorten(&token.scrub(&reason)) },
    };
    Health { version: VERSION.to_owned(), upstream_kind: kind, upstream }
}

fn verdict(kind: UpstreamKind, outcome: ProbeOutcome) -> Result<u64, String> {
    let (status, body, latency_ms) = match outcome {
        ProbeOutcome::Answered { status, body, latency_ms } => (status, body, latency_ms),
        ProbeOutcome::TimedOut => {
            return Err(format!("no answer within {} s", PROBE_TIMEOUT.as_secs()));
        }
        ProbeOutcome::Failed { message } => return Err(format!("could not connect: {message}")),
    };
    match status {
        401 | 403 => Err(format!("the upstream rejected the token (HTTP {status})")),
        200..=299 => match kind {
            UpstreamKind::RestV2 => Ok(latency_ms),
            // The Data API reports command failures with HTTP 200 and an `errors` array.
            UpstreamKind::DataApi => data_api_error(&body).map_or(Ok(latency_ms), Err),
        },
        _ => Err(format!("the upstream answered HTTP {status}")),
    }
}

/// The first error of a Data API answer, or a complaint if the body is not one.
fn data_api_error(body: &str) -> Option<String> {
    let Ok(answer) = serde_json::from_str::<serde_json::Value>(body) else {
        return Some("the upstream's answer is not Data API JSON".into());
    };
    let first = answer.get("errors")?.as_array()?.first()?;
    let code = first.get("errorCode").and_then(|c| c.as_str()).unwrap_or("UNKNOWN");
    let message = first.get("message").and_then(|m| m.as_str()).unwrap_or("");
    Some(format!("the upstream answered {code}: {message}").trim_end_matches([' ', ':']).to_owned())
}

fn shorten(reason: &str) -> String {
    if reason.chars().count() <= MAX_REASON_CHARS {
        return reason.to_owned();
    }
    let mut short: String = reason.chars().take(MAX_REASON_CHARS).collect();
    short.push('…');
    short
}

#[cfg(test)]
mod tests;
