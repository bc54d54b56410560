//! The query parameters the REST v2 endpoints share.

use axum::extract::Query;
use axum::extract::rejection::QueryRejection;

use super::cql::DEFAULT_PAGE_SIZE;
use super::error::RestError;
use crate::base64;

/// The query string as an extractor result, so a malformed one still leaves as an `ApiError`.
pub type QueryResult = Result<Query<Vec<(String, String)>>, QueryRejection>;

/// Decoded query parameters, in the order given.
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Takes the extractor's result, turning a malformed query string into a 400.
    pub fn from_query(query: QueryResult) -> Result<Self, RestError> {
        match query {
            Ok(Query(pairs)) => Ok(Params(pairs)),
            Err(rejection) => {
                Err(RestError::bad_request(format!("Request invalid: {}", rejection.body_text())))
            }
        }
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A boolean as Java's `Boolean.valueOf` reads it: only `true`, in any case, is true.
    pub fn flag(&self, name: &str) -> Option<bool> {
        self.get(name).map(|v| v.eq_ignore_ascii_case("true"))
    }

    /// `raw`, false by default.
    pub fn raw(&self) -> bool {
        self.flag("raw").unwrap_or(false)
    }

    /// `compactMapData`, true by default as on Stargate (`stargate.rest.compact-map-data`).
    pub fn compact_maps(&self) -> bool {
        self.flag("compactMapData").unwrap_or(true)
    }

    /// `page-size`: values of zero or below, and no value, mean the default of 100.
    pub fn page_size(&self) -> Result<usize, RestError> {
        match self.get("page-size") {
            None => Ok(DEFAULT_PAGE_SIZE),
            Some(text) => match text.trim().parse::<i64>() {
                Ok(n) if n > 0 => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
                Ok(_) => Ok(DEFAULT_PAGE_SIZE),
                Err(_) => Err(RestError::bad_request(format!(
                    "Request invalid: 'page-size' must be an integer, got '{text}'."
                ))),
            },
        }
    }

    /// `page-state`: standard base64, decoded as Java's `Base64.getDecoder()` does. A
    /// value that does not decode is a 500 with Java's message, as on Stargate.
    pub fn page_state(&self) -> Result<Option<Vec<u8>>, RestError> {
        match self.get("page-state") {
            None | Some("") => Ok(None),
            Some(text) => base64::decode(text).map(Some).map_err(|message| {
                RestError::new(axum::http::StatusCode::INTERNAL_SERVER_ERROR, message)
            }),
        }
    }
}
