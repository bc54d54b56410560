//! Calls to the Worker: one request function per endpoint over the browser's `fetch`,
//! and pure decoding of what comes back.

use cqlfiddle_shared::{ApiError, Health};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// How long the page waits for the Worker before giving up, in milliseconds.
pub const TIMEOUT_MS: u32 = 5_000;

/// Why a call to the Worker produced no answer the page can use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiFailure {
    /// No answer within [`TIMEOUT_MS`].
    TimedOut,
    /// The request did not complete: the Worker is down, the URL is wrong, or CORS refused it.
    Network(String),
    /// The Worker answered with an error envelope.
    Api {
        /// The HTTP status.
        status: u16,
        /// The envelope.
        error: ApiError,
    },
    /// The Worker answered something that is neither the expected type nor an envelope.
    Unexpected {
        /// The HTTP status.
        status: u16,
    },
}

/// The URL of `GET /api/health` under the Worker's `base` URL.
pub fn health_url(base: &str) -> String {
    format!("{}/api/health", base.trim_end_matches('/'))
}

/// Reads a `GET /api/health` answer.
pub fn decode_health(status: u16, body: &str) -> Result<Health, ApiFailure> {
    if (200..300).contains(&status) {
        return serde_json::from_str(body).map_err(|_| ApiFailure::Unexpected { status });
    }
    match serde_json::from_str::<ApiError>(body) {
        Ok(error) => Err(ApiFailure::Api { status, error }),
        Err(_) => Err(ApiFailure::Unexpected { status }),
    }
}

/// Asks the Worker at `base` how its upstream is doing.
pub async fn fetch_health(base: &str) -> Result<Health, ApiFailure> {
    let (status, body) = get_text(&health_url(base)).await.map_err(failure_of)?;
    decode_health(status, &body)
}

/// `GET url` with the page's timeout; the status and body text, or the JS error.
async fn get_text(url: &str) -> Result<(u16, String), JsValue> {
    let window = web_sys::window().ok_or_else(|| JsValue::from_str("no window"))?;
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    // The signal also covers reading the body, so a Worker that stalls mid-answer times out too.
    init.set_signal(Some(&web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS)));
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str_and_init(url, &init)).await?.dyn_into()?;
    let body = JsFuture::from(response.text()?).await?.as_string().unwrap_or_default();
    Ok((response.status(), body))
}

fn failure_of(error: JsValue) -> ApiFailure {
    if let Some(exception) = error.dyn_ref::<web_sys::DomException>() {
        if exception.name() == "TimeoutError" {
            return ApiFailure::TimedOut;
        }
        return ApiFailure::Network(exception.message());
    }
    let message = error
        .dyn_ref::<js_sys::Error>()
        .map(|error| String::from(error.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "the request failed".into());
    ApiFailure::Network(message)
}

#[cfg(test)]
mod tests;
