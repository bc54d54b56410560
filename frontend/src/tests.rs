use super::*;

#[test]
fn api_parameter_overrides_the_build_default() {
    assert_eq!(api_base(Some("http://127.0.0.1:9999/")), "http://127.0.0.1:9999");
    assert_eq!(
        api_base(Some("https://cqlfiddle.example.workers.dev")),
        "https://cqlfiddle.example.workers.dev"
    );
}

#[test]
fn anything_but_an_http_url_falls_back_to_the_default() {
    for bad in
        [None, Some(""), Some("javascript:alert(1)"), Some("127.0.0.1:8787"), Some("http://a b")]
    {
        assert_eq!(api_base(bad), API_URL.trim_end_matches('/'), "{bad:?}");
    }
}
