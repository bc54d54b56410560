//! The binding to the Workers runtime: the fetch entry point and a `fetch`-backed
//! [`Upstream`]. Everything it calls is plain, host-tested Rust.

use futures_util::future::{Either, select};
use worker::{
    AbortController, Context, Date, Delay, Env, Fetch, Headers, Method, Request, RequestInit,
    Response, ResponseBuilder, event,
};

use crate::{Incoming, PROBE_TIMEOUT, Probe, ProbeOutcome, Reply, Settings, Upstream, handle};

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> worker::Result<Response> {
    let incoming = Incoming {
        method: req.method().to_string(),
        path: req.path(),
        origin: req.headers().get("Origin").ok().flatten(),
    };
    let settings = Settings::load(|name| env.var(name).ok().map(|value| value.to_string()));
    into_response(handle(&incoming, &settings, &FetchUpstream).await)
}

fn into_response(reply: Reply) -> worker::Result<Response> {
    let headers = Headers::new();
    for (name, value) in &reply.headers {
        headers.append(name, value)?;
    }
    let builder = ResponseBuilder::new().with_status(reply.status).with_headers(headers);
    Ok(if reply.body.is_empty() { builder.empty() } else { builder.fixed(reply.body.into_bytes()) })
}

/// Probes the upstream with the runtime's `fetch`, aborting it at the timeout.
struct FetchUpstream;

impl Upstream for FetchUpstream {
    async fn send(&self, probe: &Probe) -> ProbeOutcome {
        let started = Date::now().as_millis();
        let request = match build(probe) {
            Ok(request) => request,
            Err(err) => return ProbeOutcome::Failed { message: err.to_string() },
        };
        let controller = AbortController::default();
        let signal = controller.signal();
        let call = async {
            let mut response = Fetch::Request(request).send_with_signal(&signal).await?;
            let body = response.text().await?;
            Ok::<_, worker::Error>((response.status_code(), body))
        };
        match select(Box::pin(call), Delay::from(PROBE_TIMEOUT)).await {
            Either::Left((Ok((status, body)), _)) => ProbeOutcome::Answered {
                status,
                body,
                latency_ms: Date::now().as_millis().saturating_sub(started),
            },
            Either::Left((Err(err), _)) => ProbeOutcome::Failed { message: err.to_string() },
            Either::Right(_) => {
                controller.abort();
                ProbeOutcome::TimedOut
            }
        }
    }
}

fn build(probe: &Probe) -> worker::Result<Request> {
    let headers = Headers::new();
    for (name, value) in &probe.headers {
        headers.set(name, value)?;
    }
    headers.set(probe.token_header, probe.token.expose())?;
    let mut init = RequestInit::new();
    init.with_method(Method::from(probe.method.to_owned())).with_headers(headers);
    if let Some(body) = probe.body {
        init.with_body(Some(body.into()));
    }
    Request::new_with_init(&probe.url, &init)
}
