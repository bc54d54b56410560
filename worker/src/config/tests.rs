use super::*;

fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let pairs: Vec<(String, String)> =
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    move |name| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone())
}

const LOCAL: &[(&str, &str)] = &[
    ("UPSTREAM_URL", "http://127.0.0.1:8181/"),
    ("UPSTREAM_KIND", "rest_v2"),
    ("ALLOWED_ORIGIN", "http://127.0.0.1:8080"),
    ("ASTRA_DB_APPLICATION_TOKEN", "dev-token"),
];

#[test]
fn a_complete_environment_loads() {
    let settings = Settings::load(env(LOCAL));
    let upstream = settings.upstream.unwrap();
    assert_eq!(upstream.url, "http://127.0.0.1:8181");
    assert_eq!(upstream.kind, UpstreamKind::RestV2);
    assert_eq!(upstream.token.expose(), "dev-token");
    assert!(settings.cors.allows("http://127.0.0.1:8080"));
}

#[test]
fn each_missing_variable_is_named() {
    for missing in ["UPSTREAM_URL", "UPSTREAM_KIND", "ASTRA_DB_APPLICATION_TOKEN"] {
        let rest: Vec<(&str, &str)> =
            LOCAL.iter().copied().filter(|(k, _)| *k != missing).collect();
        let err = Settings::load(env(&rest)).upstream.unwrap_err();
        assert!(
            matches!(err, Error::Misconfigured { var, .. } if var == missing),
            "{missing}: {err:?}"
        );
    }
}

#[test]
fn a_blank_token_counts_as_missing() {
    let mut vars = LOCAL.to_vec();
    vars.retain(|(k, _)| *k != "ASTRA_DB_APPLICATION_TOKEN");
    vars.push(("ASTRA_DB_APPLICATION_TOKEN", "  "));
    assert!(Settings::load(env(&vars)).upstream.is_err());
}

#[test]
fn a_bad_kind_or_url_is_explained() {
    let mut vars = LOCAL.to_vec();
    vars[1] = ("UPSTREAM_KIND", "graphql");
    let message = Settings::load(env(&vars)).upstream.unwrap_err().to_string();
    assert_eq!(
        message,
        "the Worker is misconfigured: UPSTREAM_KIND must be data_api or rest_v2, not 'graphql'"
    );

    let mut vars = LOCAL.to_vec();
    vars[0] = ("UPSTREAM_URL", "127.0.0.1:8181");
    let err = Settings::load(env(&vars)).upstream.unwrap_err();
    assert!(matches!(err, Error::Misconfigured { var: "UPSTREAM_URL", .. }));
}

#[test]
fn cors_loads_even_when_the_upstream_does_not() {
    let settings = Settings::load(env(&[("ALLOWED_ORIGIN", "https://a.example")]));
    assert!(settings.upstream.is_err());
    assert!(settings.cors.allows("https://a.example"));
}

#[test]
fn no_error_or_debug_output_contains_the_token() {
    let settings = Settings::load(env(LOCAL));
    assert!(!format!("{settings:?}").contains("dev-token"));
}
