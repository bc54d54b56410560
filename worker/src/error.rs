//! The Worker's one error type and the one envelope every failure leaves in.

use cqlfiddle_shared::ApiError;

/// Everything that can go wrong while answering a request.
///
/// Messages name configuration variables but never hold their values: the token can
/// never reach a client through an error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// No route matches the path.
    #[error("no such endpoint: {method} {path}")]
    NotFound {
        /// The request method.
        method: String,
        /// The request path.
        path: String,
    },
    /// The path exists but not for this method.
    #[error("{method} is not allowed on {path}; allowed: {allow}")]
    MethodNotAllowed {
        /// The request method.
        method: String,
        /// The request path.
        path: String,
        /// The methods the path accepts, as the `Allow` header lists them.
        allow: &'static str,
    },
    /// A CORS preflight from an origin that is not configured (or without any origin).
    #[error("origin {origin} may not call this API; add it to ALLOWED_ORIGIN")]
    OriginNotAllowed {
        /// The origin the browser sent, or `(none)`.
        origin: String,
    },
    /// A configuration variable is missing or malformed.
    #[error("the Worker is misconfigured: {var} {problem}")]
    Misconfigured {
        /// The variable's name, e.g. `UPSTREAM_URL`.
        var: &'static str,
        /// What is wrong with it, without its value if it is secret.
        problem: String,
    },
}

impl Error {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            Error::NotFound { .. } => 404,
            Error::MethodNotAllowed { .. } => 405,
            Error::OriginNotAllowed { .. } => 403,
            Error::Misconfigured { .. } => 500,
        }
    }

    /// The stable machine-readable code of the envelope.
    pub fn code(&self) -> &'static str {
        match self {
            Error::NotFound { .. } => "not_found",
            Error::MethodNotAllowed { .. } => "method_not_allowed",
            Error::OriginNotAllowed { .. } => "origin_not_allowed",
            Error::Misconfigured { .. } => "misconfigured",
        }
    }

    /// The wire form of this error.
    pub fn envelope(&self) -> ApiError {
        ApiError { code: self.code().to_owned(), message: self.to_string() }
    }
}

#[cfg(test)]
mod tests;
