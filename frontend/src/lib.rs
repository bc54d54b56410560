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

/// The Worker's default base URL: `CQLFIDDLE_API_URL` at build time, or the local `wrangler dev`.
pub const API_URL: &str = match option_env!("CQLFIDDLE_API_URL") {
    Some(url) => url,
    None => "http://127.0.0.1:8787",
};

/// The Worker's base URL for this page: the `?api=` query parameter when it is an http(s)
/// URL (so one build can be pointed at another Worker, as the end-to-end tests do), else
/// [`API_URL`].
pub fn api_base(param: Option<&str>) -> String {
    let chosen = param
        .map(str::trim)
        .filter(|url| url.starts_with("http://") || url.starts_with("https://"))
        .filter(|url| !url.chars().any(char::is_whitespace))
        .unwrap_or(API_URL);
    chosen.trim_end_matches('/').to_string()
}

#[cfg(test)]
mod tests;
