//! The Worker's configuration, read from its environment bindings.

use cqlfiddle_shared::UpstreamKind;

use crate::{CorsPolicy, Error, Secret};

/// Base URL of the upstream, e.g. `https://<db>-<region>.apps.astra.datastax.com`.
pub const UPSTREAM_URL: &str = "UPSTREAM_URL";
/// `data_api` or `rest_v2`.
pub const UPSTREAM_KIND: &str = "UPSTREAM_KIND";
/// Comma-separated origins the browser may call from, e.g. `http://127.0.0.1:8080`.
pub const ALLOWED_ORIGIN: &str = "ALLOWED_ORIGIN";
/// The secret holding the upstream's token.
const TOKEN: &str = "ASTRA_DB_APPLICATION_TOKEN";

/// Where and how to reach the upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamConfig {
    /// Base URL without a trailing slash.
    pub url: String,
    /// Which API the upstream speaks.
    pub kind: UpstreamKind,
    /// The token sent with every upstream request.
    pub token: Secret,
}

/// Everything the Worker reads from its environment.
///
/// CORS is kept apart from the upstream so that a misconfigured upstream still reaches the
/// browser as a readable error envelope rather than as an opaque CORS failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Which origins may call the API.
    pub cors: CorsPolicy,
    /// The upstream, or why it cannot be used.
    pub upstream: Result<UpstreamConfig, Error>,
}

impl Settings {
    /// Reads the configuration through `lookup`, which returns a binding's string value
    /// (a `[vars]` entry or a secret) or `None` when it is absent.
    pub fn load(lookup: impl Fn(&str) -> Option<String>) -> Self {
        let cors = CorsPolicy::parse(&lookup(ALLOWED_ORIGIN).unwrap_or_default());
        Settings { cors, upstream: upstream(&lookup) }
    }
}

fn upstream(lookup: &impl Fn(&str) -> Option<String>) -> Result<UpstreamConfig, Error> {
    let url = required(lookup, UPSTREAM_URL)?;
    if !(url.starts_with("http://") || url.starts_with("https://"))
        || url.contains(char::is_whitespace)
    {
        return Err(Error::Misconfigured {
            var: UPSTREAM_URL,
            problem: format!("must be an http:// or https:// URL, not '{url}'"),
        });
    }
    let kind_text = required(lookup, UPSTREAM_KIND)?;
    let kind = UpstreamKind::parse(&kind_text).ok_or_else(|| Error::Misconfigured {
        var: UPSTREAM_KIND,
        problem: format!("must be data_api or rest_v2, not '{kind_text}'"),
    })?;
    Ok(UpstreamConfig {
        url: url.trim_end_matches('/').to_owned(),
        kind,
        token: read_token(lookup)?,
    })
}

/// The only place the token is read from the environment.
fn read_token(lookup: &impl Fn(&str) -> Option<String>) -> Result<Secret, Error> {
    match lookup(TOKEN) {
        Some(token) if !token.trim().is_empty() => Ok(Secret::new(token.trim().to_owned())),
        // The problem text is fixed: a malformed token must not be echoed back.
        _ => Err(Error::Misconfigured {
            var: TOKEN,
            problem: "is not set (wrangler secret put, or .dev.vars locally)".into(),
        }),
    }
}

fn required(lookup: &impl Fn(&str) -> Option<String>, var: &'static str) -> Result<String, Error> {
    match lookup(var) {
        Some(value) if !value.trim().is_empty() => Ok(value.trim().to_owned()),
        _ => Err(Error::Misconfigured { var, problem: "is not set".into() }),
    }
}

#[cfg(test)]
mod tests;
