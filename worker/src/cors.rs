//! CORS decisions: which origins may call the API, and the headers that say so.

use crate::Error;

/// The methods a preflight allows: every method the API will serve.
pub const ALLOW_METHODS: &str = "GET, POST, PUT, PATCH, DELETE, OPTIONS";
/// The request headers a preflight allows.
pub const ALLOW_HEADERS: &str = "Content-Type";
/// How long a browser may cache a preflight answer, in seconds.
const MAX_AGE_SECONDS: &str = "86400";

/// The configured origins. An origin is allowed only if it equals one of them; the
/// wildcard is deliberately not supported, since the API spends the owner's token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorsPolicy {
    origins: Vec<String>,
}

impl CorsPolicy {
    /// Parses `ALLOWED_ORIGIN`: origins separated by commas, blanks and trailing slashes ignored.
    pub fn parse(list: &str) -> Self {
        let origins = list
            .split(',')
            .map(|origin| origin.trim().trim_end_matches('/').to_ascii_lowercase())
            .filter(|origin| !origin.is_empty())
            .collect();
        CorsPolicy { origins }
    }

    /// Whether a browser at `origin` may read the API's answers.
    pub fn allows(&self, origin: &str) -> bool {
        let origin = origin.trim();
        self.origins.iter().any(|allowed| allowed.eq_ignore_ascii_case(origin))
    }

    /// The headers answering a preflight from `origin`, or the error to answer instead.
    pub fn preflight(&self, origin: Option<&str>) -> Result<Vec<(String, String)>, Error> {
        match origin {
            Some(origin) if self.allows(origin) => {
                let mut headers = self.response_headers(Some(origin));
                headers.push(header("Access-Control-Allow-Methods", ALLOW_METHODS));
                headers.push(header("Access-Control-Allow-Headers", ALLOW_HEADERS));
                headers.push(header("Access-Control-Max-Age", MAX_AGE_SECONDS));
                Ok(headers)
            }
            other => Err(Error::OriginNotAllowed { origin: other.unwrap_or("(none)").to_owned() }),
        }
    }

    /// The CORS headers for an ordinary response to a request from `origin`.
    ///
    /// `Vary: Origin` is always present, because the answer differs by origin and a cache
    /// must not hand one origin's answer to another.
    pub fn response_headers(&self, origin: Option<&str>) -> Vec<(String, String)> {
        let mut headers = vec![header("Vary", "Origin")];
        if let Some(origin) = origin.filter(|origin| self.allows(origin)) {
            headers.push(header("Access-Control-Allow-Origin", origin.trim()));
        }
        headers
    }
}

fn header(name: &str, value: &str) -> (String, String) {
    (name.to_owned(), value.to_owned())
}

#[cfg(test)]
mod tests;
