use cqlfiddle_shared::{UpstreamKind, UpstreamStatus};

use super::*;

#[test]
fn the_health_url_tolerates_a_trailing_slash() {
    assert_eq!(health_url("http://127.0.0.1:8787"), "http://127.0.0.1:8787/api/health");
    assert_eq!(health_url("https://api.example/"), "https://api.example/api/health");
}

#[test]
fn a_health_report_decodes() {
    let body = r#"{"version":"0.1.0","upstream_kind":"data_api","upstream":{"state":"unreachable","reason":"x"}}"#;
    let health = decode_health(200, body).unwrap();
    assert_eq!(health.upstream_kind, UpstreamKind::DataApi);
    assert_eq!(health.upstream, UpstreamStatus::Unreachable { reason: "x".into() });
}

#[test]
fn an_envelope_becomes_an_api_failure() {
    let body = r#"{"code":"misconfigured","message":"the Worker is misconfigured: UPSTREAM_URL is not set"}"#;
    match decode_health(500, body) {
        Err(ApiFailure::Api { status: 500, error }) => assert_eq!(error.code, "misconfigured"),
        other => panic!("expected an API failure, got {other:?}"),
    }
}

#[test]
fn anything_else_is_unexpected() {
    assert_eq!(decode_health(200, "UP"), Err(ApiFailure::Unexpected { status: 200 }));
    assert_eq!(
        decode_health(502, "<html>Bad gateway</html>"),
        Err(ApiFailure::Unexpected { status: 502 })
    );
}
