//! `POST /v2/cql`: a CQL statement in, Stargate's rows wrapper out.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use cqlfiddle_engine::Options;

use super::encode::encode;
use super::error::{RestError, json_response};
use super::extract::TextBody;
use super::params::{Params, QueryResult};
use crate::AppState;
use crate::base64;
use crate::db::{self, Answer, ResultSet};
use crate::json::Json;
use crate::schema;

/// Stargate's `DEFAULT_PAGE_SIZE` for rows and CQL.
pub const DEFAULT_PAGE_SIZE: usize = 100;

/// Runs the body as one statement. The body is read whatever its content type, so a plain
/// `curl -d` works too.
pub async fn handle(
    State(state): State<AppState>,
    query: QueryResult,
    TextBody(body): TextBody,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    if body.trim().is_empty() {
        return Err(RestError::bad_request("Request invalid: CQL query body required."));
    }
    let options = Options {
        keyspace: params.get("keyspace").map(str::to_string),
        page_size: Some(params.page_size()?),
        paging_state: params.page_state()?,
        ..Options::default()
    };
    let mut engine = state.db.lock();
    // Stargate sets the keyspace on the session first, so a bad one fails even for a
    // statement that names its tables in full.
    if let Some(keyspace) = &options.keyspace
        && !schema::keyspace_exists(&mut engine, keyspace)?
    {
        return Err(RestError::invalid_argument(&format!("Keyspace '{keyspace}' does not exist")));
    }
    let answer = db::execute(&mut engine, &body, options)?;
    drop(engine);
    let rows = match answer {
        Answer::Rows(rows) => rows,
        Answer::Void => ResultSet { columns: Vec::new(), rows: Vec::new(), paging_state: None },
    };
    Ok(json_response(StatusCode::OK, &rows_body(&rows, params.raw(), params.compact_maps())))
}

/// The rows wrapper `{"count","pageState"?,"data"}`, or the bare array when `raw`.
pub fn rows_body(rows: &ResultSet, raw: bool, compact_maps: bool) -> Json {
    let data: Vec<Json> = rows.rows.iter().map(|row| row_object(rows, row, compact_maps)).collect();
    if raw {
        return Json::Array(data);
    }
    let mut body = vec![("count".to_string(), Json::number(data.len()))];
    if let Some(state) = &rows.paging_state {
        body.push(("pageState".into(), Json::string(base64::encode(state))));
    }
    body.push(("data".into(), Json::Array(data)));
    Json::Object(body)
}

/// One row as an object keyed in result-set column order. A repeated column name keeps its
/// first position and its last value, as a Java `LinkedHashMap` would.
fn row_object(
    rows: &ResultSet,
    row: &[Option<cqlfiddle_engine::types::Value>],
    compact: bool,
) -> Json {
    let mut entries: Vec<(String, Json)> = Vec::with_capacity(rows.columns.len());
    for ((name, ty), cell) in rows.columns.iter().zip(row) {
        let value = encode(cell.as_ref(), ty, compact);
        match entries.iter_mut().find(|(n, _)| n == name) {
            Some(entry) => entry.1 = value,
            None => entries.push((name.clone(), value)),
        }
    }
    Json::Object(entries)
}
