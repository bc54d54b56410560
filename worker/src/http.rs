//! Requests in, replies out: routing and the single place replies are shaped.

use std::future::Future;

use serde_json::json;

use crate::{Error, Probe, ProbeOutcome, Settings, health_of};

/// The parts of a browser request the Worker looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incoming {
    /// The HTTP method, upper case.
    pub method: String,
    /// The URL path, without the query.
    pub path: String,
    /// The `Origin` header, if the browser sent one.
    pub origin: Option<String>,
}

/// A response, independent of the runtime that will send it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body (JSON, or empty for a preflight).
    pub body: String,
}

/// What a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// A CORS preflight, on any path.
    Preflight,
    /// `GET /api/health`.
    Health,
    /// A known path with the wrong method.
    MethodNotAllowed {
        /// The methods the path accepts.
        allow: &'static str,
    },
    /// Nothing here.
    NotFound,
}

/// Decides what `method` on `path` asks for.
pub fn route(method: &str, path: &str) -> Route {
    if method.eq_ignore_ascii_case("OPTIONS") {
        return Route::Preflight;
    }
    match path.trim_end_matches('/') {
        "/api/health" if method.eq_ignore_ascii_case("GET") => Route::Health,
        "/api/health" => Route::MethodNotAllowed { allow: "GET, OPTIONS" },
        _ => Route::NotFound,
    }
}

/// Sends probes to the upstream. The Worker runtime implements it with `fetch`; tests
/// implement it with canned outcomes.
pub trait Upstream {
    /// Sends `probe`, giving up after [`crate::PROBE_TIMEOUT`].
    fn send(&self, probe: &Probe) -> impl Future<Output = ProbeOutcome>;
}

/// Answers one request. Never fails: every error becomes an envelope reply.
pub async fn handle(request: &Incoming, settings: &Settings, upstream: &impl Upstream) -> Reply {
    let origin = request.origin.as_deref();
    let result = match route(&request.method, &request.path) {
        Route::Preflight => {
            return match settings.cors.preflight(origin) {
                Ok(headers) => Reply { status: 204, headers, body: String::new() },
                // A refused preflight carries no CORS headers, so the browser blocks the call.
                Err(err) => with_headers(error_reply(&err), vec![("Vary".into(), "Origin".into())]),
            };
        }
        Route::Health => health(settings, upstream).await,
        Route::MethodNotAllowed { allow } => Err(Error::MethodNotAllowed {
            method: request.method.clone(),
            path: request.path.clone(),
            allow,
        }),
        Route::NotFound => {
            Err(Error::NotFound { method: request.method.clone(), path: request.path.clone() })
        }
    };
    let reply = result.unwrap_or_else(|err| error_reply(&err));
    with_headers(reply, settings.cors.response_headers(origin))
}

async fn health(settings: &Settings, upstream: &impl Upstream) -> Result<Reply, Error> {
    let config = settings.upstream.as_ref().map_err(Clone::clone)?;
    let probe = Probe::for_upstream(config);
    let outcome = upstream.send(&probe).await;
    Ok(json_reply(200, &health_of(config.kind, outcome, &config.token)))
}

/// The one way an error leaves the Worker.
pub(crate) fn error_reply(err: &Error) -> Reply {
    let mut reply = json_reply(err.status(), &err.envelope());
    if let Error::MethodNotAllowed { allow, .. } = err {
        reply.headers.push(("Allow".into(), (*allow).into()));
    }
    reply
}

fn json_reply(status: u16, value: &impl serde::Serialize) -> Reply {
    let body = serde_json::to_string(value).unwrap_or_else(|err| {
        json!({ "code": "internal", "message": format!("could not encode the answer: {err}") })
            .to_string()
    });
    Reply { status, headers: vec![("Content-Type".into(), "application/json".into())], body }
}

fn with_headers(mut reply: Reply, headers: Vec<(String, String)>) -> Reply {
    reply.headers.extend(headers);
    reply
}

#[cfg(test)]
mod tests;
