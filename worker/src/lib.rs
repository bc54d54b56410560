//! cqlfiddle's Cloudflare Worker: the only component that ever holds the Astra token.
//!
//! The browser calls the Worker; the Worker answers CORS itself, adds the token and
//! forwards to the configured upstream (Astra's Data API or a Stargate REST v2 server).
//! Everything here except the `runtime` module is plain Rust that compiles and is
//! unit-tested on the host: routing, configuration, CORS decisions, health shaping and
//! the error envelope. `runtime` binds it to the Workers platform in a few lines.

mod config;
mod cors;
mod error;
mod health;
mod http;
mod secret;

#[cfg(target_arch = "wasm32")]
mod runtime;

pub use config::{Settings, UpstreamConfig};
pub use cors::CorsPolicy;
pub use error::Error;
pub use health::{PROBE_TIMEOUT, Probe, ProbeOutcome, health_of};
pub use http::{Incoming, Reply, Route, Upstream, handle, route};
pub use secret::Secret;

/// The Worker's version, reported by `GET /api/health`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
