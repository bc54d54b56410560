//! The row endpoints (R1–R7): thin handlers over [`super::rows`] and the engine.

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use cqlfiddle_engine::Options;

use super::cql::rows_body;
use super::error::{RestError, json_response};
use super::extract::TextBody;
use super::params::{Params, QueryResult};
use super::rows;
use crate::AppState;
use crate::db::{self, Answer, Locked, ResultSet};
use crate::json::Json;
use crate::schema::{self, TableMeta};

/// The path after `/v2/keyspaces/`, split on `/` and percent-decoded one segment at a time,
/// so an encoded slash stays inside its key value.
fn path_segments(uri: &Uri) -> Vec<String> {
    let path = uri.path();
    let rest = path.split_once("/v2/keyspaces/").map_or("", |(_, rest)| rest);
    rest.split('/').map(percent_decode).collect()
}

/// Decodes `%XX` escapes; invalid escapes stay as they are and invalid UTF-8 is replaced.
fn percent_decode(segment: &str) -> String {
    let bytes = segment.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (b, hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(decoded)) => {
                out.push(decoded);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits the path into keyspace, table and key segments.
fn target(uri: &Uri) -> (String, String, Vec<String>) {
    let mut segments = path_segments(uri).into_iter();
    let keyspace = segments.next().unwrap_or_default();
    let table = segments.next().unwrap_or_default();
    (keyspace, table, segments.collect())
}

/// The table's metadata, or the row endpoints' 400s for a missing keyspace or table.
fn table_meta(
    engine: &mut Locked<'_>,
    keyspace: &str,
    table: &str,
) -> Result<TableMeta, RestError> {
    if let Some(meta) = schema::load_table(engine, keyspace, table)? {
        return Ok(meta);
    }
    if !schema::keyspace_exists(engine, keyspace)? {
        return Err(RestError::bad_request(format!("Keyspace '{keyspace}' not found")));
    }
    Err(RestError::bad_request(format!("Table '{table}' not found (in keyspace '{keyspace}')")))
}

/// Runs a read and writes the rows wrapper.
fn read(engine: &mut Locked<'_>, cql: &str, params: &Params) -> Result<Response, RestError> {
    let options = Options {
        page_size: Some(params.page_size()?),
        paging_state: params.page_state()?,
        ..Options::default()
    };
    let rows = match db::execute(engine, cql, options)? {
        Answer::Rows(rows) => rows,
        Answer::Void => ResultSet { columns: Vec::new(), rows: Vec::new(), paging_state: None },
    };
    Ok(json_response(StatusCode::OK, &rows_body(&rows, params.raw(), params.compact_maps())))
}

/// R1 `GET /v2/keyspaces/{ks}/{table}?where=...`.
pub async fn search(
    State(state): State<AppState>,
    uri: Uri,
    query: QueryResult,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    let (keyspace, table, _) = target(&uri);
    let Some(where_text) = params.get("where") else {
        return Err(RestError::bad_request("Request invalid: 'where' must be provided."));
    };
    let mut engine = state.db.lock();
    let meta = table_meta(&mut engine, &keyspace, &table)?;
    let conditions = rows::where_conditions(&meta, where_text, params.compact_maps())?;
    let order = rows::order_by(params.get("sort"))?;
    let cql = rows::select(&keyspace, &table, params.get("fields"), &conditions, order.as_deref());
    read(&mut engine, &cql, &params)
}

/// R3 `GET /v2/keyspaces/{ks}/{table}/rows`: no metadata check, as on Stargate, so a
/// missing table is the database's own error.
pub async fn all_rows(
    State(state): State<AppState>,
    uri: Uri,
    query: QueryResult,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    let (keyspace, table, _) = target(&uri);
    let order = rows::order_by(params.get("sort"))?;
    let cql = rows::select(&keyspace, &table, params.get("fields"), &[], order.as_deref());
    read(&mut state.db.lock(), &cql, &params)
}

/// R2 `GET /v2/keyspaces/{ks}/{table}/{pk...}`.
pub async fn by_key(
    State(state): State<AppState>,
    uri: Uri,
    query: QueryResult,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    let (keyspace, table, key) = target(&uri);
    let mut engine = state.db.lock();
    let meta = table_meta(&mut engine, &keyspace, &table)?;
    let conditions = rows::key_conditions(&meta, &key, "find")?;
    let order = rows::order_by(params.get("sort"))?;
    let cql = rows::select(&keyspace, &table, params.get("fields"), &conditions, order.as_deref());
    read(&mut engine, &cql, &params)
}

/// R4 `POST /v2/keyspaces/{ks}/{table}`: 201 with the request body echoed exactly.
pub async fn create(
    State(state): State<AppState>,
    uri: Uri,
    query: QueryResult,
    TextBody(body): TextBody,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    let (keyspace, table, _) = target(&uri);
    let row = rows::parse_body(&body)?;
    let mut engine = state.db.lock();
    let meta = table_meta(&mut engine, &keyspace, &table)?;
    let cql = rows::insert(&meta, &row, params.compact_maps())?;
    db::execute(&mut engine, &cql, Options::default())?;
    Ok((StatusCode::CREATED, [(axum::http::header::CONTENT_TYPE, "application/json")], body)
        .into_response())
}

/// R5/R6 `PUT`/`PATCH /v2/keyspaces/{ks}/{table}/{pk...}`: an update of the given
/// columns, answered with the body re-serialised (not read back).
pub async fn update(
    State(state): State<AppState>,
    uri: Uri,
    query: QueryResult,
    TextBody(body): TextBody,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    let (keyspace, table, key) = target(&uri);
    let row = rows::parse_body(&body)?;
    let mut engine = state.db.lock();
    let meta = table_meta(&mut engine, &keyspace, &table)?;
    let cql = rows::update(&meta, &key, &row, params.compact_maps())?;
    db::execute(&mut engine, &cql, Options::default())?;
    let echoed = Json::from(serde_json::Value::Object(row));
    let body = if params.raw() { echoed } else { Json::Object(vec![("data".into(), echoed)]) };
    Ok(json_response(StatusCode::OK, &body))
}

/// R7 `DELETE /v2/keyspaces/{ks}/{table}/{pk...}`: 204 whether or not anything matched.
pub async fn delete(State(state): State<AppState>, uri: Uri) -> Result<Response, RestError> {
    let (keyspace, table, key) = target(&uri);
    let mut engine = state.db.lock();
    let meta = table_meta(&mut engine, &keyspace, &table)?;
    let cql = rows::delete(&meta, &key)?;
    db::execute(&mut engine, &cql, Options::default())?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[cfg(test)]
mod tests;
