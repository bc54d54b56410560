use std::cell::RefCell;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use cqlfiddle_shared::{ApiError, Health, UpstreamKind, UpstreamStatus};

use super::*;

/// An upstream that answers every probe with a fixed outcome and remembers what it got.
struct Canned {
    outcome: ProbeOutcome,
    seen: RefCell<Vec<Probe>>,
}

impl Canned {
    fn new(outcome: ProbeOutcome) -> Self {
        Canned { outcome, seen: RefCell::new(Vec::new()) }
    }
}

impl Upstream for Canned {
    async fn send(&self, probe: &Probe) -> ProbeOutcome {
        self.seen.borrow_mut().push(probe.clone());
        self.outcome.clone()
    }
}

/// Runs a future that never waits, which is all a canned upstream needs.
fn run<T>(future: impl Future<Output = T>) -> T {
    let mut future = pin!(future);
    match future.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("the handler waited on something other than the upstream"),
    }
}

const ORIGIN: &str = "http://127.0.0.1:8080";

fn settings() -> Settings {
    Settings::load(|name| {
        Some(
            match name {
                "UPSTREAM_URL" => "http://127.0.0.1:8181",
                "UPSTREAM_KIND" => "rest_v2",
                "ALLOWED_ORIGIN" => ORIGIN,
                "ASTRA_DB_APPLICATION_TOKEN" => "dev-token",
                _ => return None,
            }
            .to_owned(),
        )
    })
}

fn request(method: &str, path: &str, origin: Option<&str>) -> Incoming {
    Incoming { method: method.into(), path: path.into(), origin: origin.map(Into::into) }
}

fn header<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

fn envelope(reply: &Reply) -> ApiError {
    serde_json::from_str(&reply.body).unwrap()
}

fn up() -> Canned {
    Canned::new(ProbeOutcome::Answered { status: 200, body: "UP".into(), latency_ms: 4 })
}

#[test]
fn routes() {
    assert_eq!(route("GET", "/api/health"), Route::Health);
    assert_eq!(route("GET", "/api/health/"), Route::Health);
    assert_eq!(route("OPTIONS", "/anything"), Route::Preflight);
    assert_eq!(route("POST", "/api/health"), Route::MethodNotAllowed { allow: "GET, OPTIONS" });
    assert_eq!(route("GET", "/"), Route::NotFound);
    assert_eq!(route("GET", "/api/healthz"), Route::NotFound);
}

#[test]
fn health_probes_the_upstream_with_the_token_and_reports_it() {
    let upstream = up();
    let reply = run(handle(&request("GET", "/api/health", Some(ORIGIN)), &settings(), &upstream));
    assert_eq!(reply.status, 200);
    let health: Health = serde_json::from_str(&reply.body).unwrap();
    assert_eq!(health.upstream_kind, UpstreamKind::RestV2);
    assert_eq!(health.upstream, UpstreamStatus::Reachable { latency_ms: 4 });
    assert_eq!(header(&reply, "Access-Control-Allow-Origin"), Some(ORIGIN));
    assert_eq!(header(&reply, "Vary"), Some("Origin"));
    assert_eq!(header(&reply, "Content-Type"), Some("application/json"));

    let seen = upstream.seen.borrow();
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].url, "http://127.0.0.1:8181/v2/schemas/keyspaces");
    assert_eq!(seen[0].token.expose(), "dev-token");
}

#[test]
fn an_unreachable_upstream_is_still_a_200_health_report() {
    let upstream = Canned::new(ProbeOutcome::TimedOut);
    let reply = run(handle(&request("GET", "/api/health", None), &settings(), &upstream));
    assert_eq!(reply.status, 200);
    let health: Health = serde_json::from_str(&reply.body).unwrap();
    assert!(matches!(health.upstream, UpstreamStatus::Unreachable { .. }));
    assert_eq!(header(&reply, "Access-Control-Allow-Origin"), None);
}

#[test]
fn unknown_routes_get_a_404_envelope_with_cors() {
    let reply = run(handle(&request("GET", "/nope", Some(ORIGIN)), &settings(), &up()));
    assert_eq!(reply.status, 404);
    assert_eq!(envelope(&reply).code, "not_found");
    assert_eq!(header(&reply, "Access-Control-Allow-Origin"), Some(ORIGIN));
}

#[test]
fn a_wrong_method_gets_405_with_allow() {
    let reply = run(handle(&request("DELETE", "/api/health", Some(ORIGIN)), &settings(), &up()));
    assert_eq!(reply.status, 405);
    assert_eq!(envelope(&reply).code, "method_not_allowed");
    assert_eq!(header(&reply, "Allow"), Some("GET, OPTIONS"));
}

#[test]
fn preflights_are_answered_for_allowed_origins_only() {
    let upstream = up();
    let reply =
        run(handle(&request("OPTIONS", "/api/health", Some(ORIGIN)), &settings(), &upstream));
    assert_eq!(reply.status, 204);
    assert_eq!(header(&reply, "Access-Control-Allow-Origin"), Some(ORIGIN));
    assert_eq!(
        header(&reply, "Access-Control-Allow-Methods"),
        Some("GET, POST, PUT, PATCH, DELETE, OPTIONS")
    );

    let reply = run(handle(
        &request("OPTIONS", "/api/health", Some("https://evil.example")),
        &settings(),
        &upstream,
    ));
    assert_eq!(reply.status, 403);
    assert_eq!(envelope(&reply).code, "origin_not_allowed");
    assert!(reply.headers.iter().all(|(k, _)| !k.starts_with("Access-Control")));
    assert!(upstream.seen.borrow().is_empty(), "a preflight must not reach the upstream");
}

#[test]
fn a_misconfigured_worker_answers_500_in_the_envelope_without_secrets() {
    let settings = Settings::load(|name| match name {
        "ALLOWED_ORIGIN" => Some(ORIGIN.to_owned()),
        "UPSTREAM_URL" => Some("http://127.0.0.1:8181".to_owned()),
        "UPSTREAM_KIND" => Some("rest_v2".to_owned()),
        _ => None,
    });
    let upstream = up();
    let reply = run(handle(&request("GET", "/api/health", Some(ORIGIN)), &settings, &upstream));
    assert_eq!(reply.status, 500);
    let envelope = envelope(&reply);
    assert_eq!(envelope.code, "misconfigured");
    assert!(envelope.message.contains("ASTRA_DB_APPLICATION_TOKEN"), "{}", envelope.message);
    assert_eq!(header(&reply, "Access-Control-Allow-Origin"), Some(ORIGIN));
    assert!(upstream.seen.borrow().is_empty());
}
