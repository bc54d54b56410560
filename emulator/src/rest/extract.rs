//! Extractors whose rejections leave as `ApiError`s, like every other REST failure.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::RestError;

/// Path parameters, percent-decoded.
#[derive(Debug)]
pub struct RestPath<T>(pub T);

impl<T, S> FromRequestParts<S> for RestPath<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = RestError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| RestPath(value))
            .map_err(|rejection| {
                RestError::bad_request(format!("Request invalid: {}", rejection.body_text()))
            })
    }
}

/// The request body as text.
#[derive(Debug)]
pub struct TextBody(pub String);

impl<S: Send + Sync> FromRequest<S> for TextBody {
    type Rejection = RestError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|rejection| RestError::new(rejection.status(), rejection.body_text()))?;
        String::from_utf8(bytes.to_vec())
            .map(TextBody)
            .map_err(|_| RestError::bad_request("Request invalid: the body is not valid UTF-8."))
    }
}
