use super::*;

#[test]
fn each_error_has_its_own_status_and_code() {
    let errors = [
        Error::NotFound { method: "GET".into(), path: "/x".into() },
        Error::MethodNotAllowed { method: "POST".into(), path: "/api/health".into(), allow: "GET" },
        Error::OriginNotAllowed { origin: "https://evil.example".into() },
        Error::Misconfigured { var: "UPSTREAM_URL", problem: "is not set".into() },
    ];
    let pairs: Vec<(u16, &str)> = errors.iter().map(|e| (e.status(), e.code())).collect();
    assert_eq!(
        pairs,
        [
            (404, "not_found"),
            (405, "method_not_allowed"),
            (403, "origin_not_allowed"),
            (500, "misconfigured")
        ]
    );
}

#[test]
fn the_envelope_carries_code_and_message() {
    let err = Error::NotFound { method: "GET".into(), path: "/nope".into() };
    let envelope = err.envelope();
    assert_eq!(envelope.code, "not_found");
    assert_eq!(envelope.message, "no such endpoint: GET /nope");
}
