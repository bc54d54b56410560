use super::*;

#[test]
fn health_serialises_with_a_tagged_status() {
    let health = Health {
        version: "0.1.0".into(),
        upstream_kind: UpstreamKind::RestV2,
        upstream: UpstreamStatus::Reachable { latency_ms: 3 },
    };
    let json = serde_json::to_string(&health).unwrap();
    assert_eq!(
        json,
        r#"{"version":"0.1.0","upstream_kind":"rest_v2","upstream":{"state":"reachable","latency_ms":3}}"#
    );
    let back: Health = serde_json::from_str(&json).unwrap();
    assert_eq!(back, health);
}

#[test]
fn upstream_kind_parses_only_its_own_spellings() {
    for kind in [UpstreamKind::DataApi, UpstreamKind::RestV2] {
        assert_eq!(UpstreamKind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(UpstreamKind::parse("stargate"), None);
}
