//! cqlfiddle's page, a Leptos app rendered in the browser.
//!
//! By default CQL runs in the tab, in the engine compiled to wasm ("sandbox"); the page can
//! also reach a real database through the Worker, whose base URL is fixed at build time.
//! The logic lives in plain modules with native unit tests; [`app`] only wires it to the DOM.

pub mod api;
pub mod app;
pub mod sandbox;
pub mod status;

pub use app::App;

/// The Worker's base URL: `CQLFIDDLE_API_URL` at build time, or the local `wrangler dev`.
pub const API_URL: &str = match option_env!("CQLFIDDLE_API_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:8787",
};
