use cqlfiddle_shared::{ApiError, UpstreamKind};

use super::*;

const URL: &str = "http://127.0.0.1:8787";

fn health(upstream: UpstreamStatus) -> Result<Health, ApiFailure> {
    Ok(Health { version: "0.1.0".into(), upstream_kind: UpstreamKind::RestV2, upstream })
}

#[test]
fn a_reachable_upstream_shows_its_latency() {
    let line = StatusLine::from_health(&health(UpstreamStatus::Reachable { latency_ms: 12 }), URL);
    assert_eq!(line.tone, Tone::Good);
    assert_eq!(line.text, "upstream reachable (12 ms)");
    assert_eq!(
        line.detail.as_deref(),
        Some("Stargate REST v2 API via Worker 0.1.0 at http://127.0.0.1:8787")
    );
}

#[test]
fn an_unreachable_upstream_shows_the_workers_reason() {
    let status = UpstreamStatus::Unreachable { reason: "no answer within 3 s".into() };
    let line = StatusLine::from_health(&health(status), URL);
    assert_eq!(line.tone, Tone::Bad);
    assert_eq!(line.text, "upstream unreachable: no answer within 3 s");
}

#[test]
fn failing_to_reach_the_worker_is_also_unreachable() {
    let cases = [
        (
            ApiFailure::TimedOut,
            "upstream unreachable: the Worker at http://127.0.0.1:8787 did not answer within 5 s",
        ),
        (
            ApiFailure::Network("Failed to fetch".into()),
            "upstream unreachable: cannot reach the Worker at http://127.0.0.1:8787 (Failed to fetch)",
        ),
        (
            ApiFailure::Api {
                status: 500,
                error: ApiError {
                    code: "misconfigured".into(),
                    message: "UPSTREAM_URL is not set".into(),
                },
            },
            "upstream unreachable: UPSTREAM_URL is not set",
        ),
        (
            ApiFailure::Unexpected { status: 502 },
            "upstream unreachable: the Worker at http://127.0.0.1:8787 gave an unexpected answer (HTTP 502)",
        ),
    ];
    for (failure, expected) in cases {
        let line = StatusLine::from_health(&Err(failure), URL);
        assert_eq!((line.tone, line.text.as_str()), (Tone::Bad, expected));
    }
}

#[test]
fn checking_is_pending() {
    assert_eq!(StatusLine::checking().tone.class(), "pending");
}
