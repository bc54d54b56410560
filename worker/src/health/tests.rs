use super::*;

fn token() -> Secret {
    Secret::new("AstraCS:sekrit".into())
}

fn answered(status: u16, body: &str) -> ProbeOutcome {
    ProbeOutcome::Answered { status, body: body.into(), latency_ms: 7 }
}

fn reason(health: Health) -> String {
    match health.upstream {
        UpstreamStatus::Unreachable { reason } => reason,
        other => panic!("expected unreachable, got {other:?}"),
    }
}

#[test]
fn rest_v2_probes_the_keyspace_list_with_the_rest_header() {
    let config = UpstreamConfig {
        url: "http://127.0.0.1:8181".into(),
        kind: UpstreamKind::RestV2,
        token: token(),
    };
    let probe = Probe::for_upstream(&config);
    assert_eq!(
        (probe.method, probe.url.as_str()),
        ("GET", "http://127.0.0.1:8181/v2/schemas/keyspaces")
    );
    assert_eq!(probe.token_header, "X-Cassandra-Token");
    assert_eq!(probe.body, None);
}

#[test]
fn data_api_probes_find_keyspaces_with_the_token_header() {
    let config = UpstreamConfig {
        url: "https://db.example".into(),
        kind: UpstreamKind::DataApi,
        token: token(),
    };
    let probe = Probe::for_upstream(&config);
    assert_eq!((probe.method, probe.url.as_str()), ("POST", "https://db.example/api/json/v1"));
    assert_eq!(probe.token_header, "Token");
    assert_eq!(probe.body, Some(r#"{"findKeyspaces":{}}"#));
    assert!(probe.headers.contains(&("Content-Type", "application/json")));
    assert!(!format!("{probe:?}").contains("sekrit"));
}

#[test]
fn a_successful_answer_is_reachable_with_its_latency() {
    let health = health_of(UpstreamKind::RestV2, answered(200, "UP"), &token());
    assert_eq!(health.upstream, UpstreamStatus::Reachable { latency_ms: 7 });
    assert_eq!(health.upstream_kind, UpstreamKind::RestV2);
    assert_eq!(health.version, VERSION);

    let body = r#"{"status":{"keyspaces":["default_keyspace"]}}"#;
    let health = health_of(UpstreamKind::DataApi, answered(200, body), &token());
    assert_eq!(health.upstream, UpstreamStatus::Reachable { latency_ms: 7 });
}

#[test]
fn a_data_api_error_with_status_200_is_unreachable() {
    let body = r#"{"errors":[{"errorCode":"UNAUTHENTICATED_REQUEST","message":"bad token AstraCS:sekrit"}]}"#;
    let reason = reason(health_of(UpstreamKind::DataApi, answered(200, body), &token()));
    assert_eq!(reason, "the upstream answered UNAUTHENTICATED_REQUEST: bad token [redacted]");
    let reason = reason_of(UpstreamKind::DataApi, answered(200, "<html>"));
    assert_eq!(reason, "the upstream's answer is not Data API JSON");
}

fn reason_of(kind: UpstreamKind, outcome: ProbeOutcome) -> String {
    reason(health_of(kind, outcome, &token()))
}

#[test]
fn failures_are_explained() {
    assert_eq!(
        reason_of(UpstreamKind::RestV2, answered(401, "")),
        "the upstream rejected the token (HTTP 401)"
    );
    assert_eq!(
        reason_of(UpstreamKind::RestV2, answered(503, "")),
        "the upstream answered HTTP 503"
    );
    assert_eq!(reason_of(UpstreamKind::DataApi, ProbeOutcome::TimedOut), "no answer within 3 s");
    let failed = ProbeOutcome::Failed { message: "connection refused".into() };
    assert_eq!(reason_of(UpstreamKind::RestV2, failed), "could not connect: connection refused");
}

#[test]
fn reasons_never_hold_the_token_and_stay_short() {
    let failed = ProbeOutcome::Failed { message: format!("{} AstraCS:sekrit", "x".repeat(500)) };
    let reason = reason_of(UpstreamKind::RestV2, failed);
    assert!(!reason.contains("sekrit"));
    assert_eq!(reason.chars().count(), MAX_REASON_CHARS + 1);
}
