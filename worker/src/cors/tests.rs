use super::*;

fn value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

#[test]
fn parses_a_comma_separated_list() {
    let policy = CorsPolicy::parse(" http://127.0.0.1:8080/ , https://cqlfiddle.example,, ");
    assert!(policy.allows("http://127.0.0.1:8080"));
    assert!(policy.allows("HTTPS://cqlfiddle.example"));
    assert!(!policy.allows("http://127.0.0.1:8081"));
    assert!(!policy.allows(""));
}

#[test]
fn a_wildcard_is_not_a_wildcard() {
    let policy = CorsPolicy::parse("*");
    assert!(!policy.allows("https://anyone.example"));
}

#[test]
fn an_allowed_origin_gets_its_own_origin_back() {
    let policy = CorsPolicy::parse("http://127.0.0.1:8080");
    let headers = policy.response_headers(Some("http://127.0.0.1:8080"));
    assert_eq!(value(&headers, "Access-Control-Allow-Origin"), Some("http://127.0.0.1:8080"));
    assert_eq!(value(&headers, "Vary"), Some("Origin"));
}

#[test]
fn a_disallowed_origin_gets_no_cors_headers() {
    let policy = CorsPolicy::parse("http://127.0.0.1:8080");
    let headers = policy.response_headers(Some("https://evil.example"));
    assert_eq!(value(&headers, "Access-Control-Allow-Origin"), None);
    assert!(policy.response_headers(None).iter().all(|(k, _)| !k.starts_with("Access-Control")));
}

#[test]
fn preflight_allows_the_api_methods_for_allowed_origins_only() {
    let policy = CorsPolicy::parse("http://127.0.0.1:8080");
    let headers = policy.preflight(Some("http://127.0.0.1:8080")).unwrap();
    assert_eq!(
        value(&headers, "Access-Control-Allow-Methods"),
        Some("GET, POST, PUT, PATCH, DELETE, OPTIONS")
    );
    assert_eq!(value(&headers, "Access-Control-Allow-Headers"), Some("Content-Type"));
    assert_eq!(value(&headers, "Access-Control-Allow-Origin"), Some("http://127.0.0.1:8080"));

    let err = policy.preflight(Some("https://evil.example")).unwrap_err();
    assert_eq!(err.status(), 403);
    assert_eq!(policy.preflight(None).unwrap_err().code(), "origin_not_allowed");
}
