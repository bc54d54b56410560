//! The schema endpoints (K, T, L, I, U): thin handlers over [`super::schemas`].

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use cqlfiddle_engine::types::Value;
use cqlfiddle_engine::{ErrorKind, Options};
use serde_json::{Value as JsonValue, json};

use super::cql::rows_body;
use super::error::{RestError, json_response};
use super::extract::{RestPath, TextBody};
use super::literal::quote_string;
use super::params::{Params, QueryResult};
use super::rows::qualified;
use super::schemas;
use crate::AppState;
use crate::db::{self, Answer, Locked, ResultSet};
use crate::json::Json;
use crate::schema::{self, TableMeta};

/// `{"data": payload}`, or the payload alone when `raw`.
fn data(payload: JsonValue, params: &Params) -> Response {
    let payload = if params.raw() { payload } else { json!({ "data": payload }) };
    json_response(StatusCode::OK, &Json::from(payload))
}

/// `{"name": name}` with `status`.
fn named(status: StatusCode, name: &str) -> Response {
    json_response(status, &Json::from(json!({ "name": name })))
}

fn run(engine: &mut Locked<'_>, cql: &str) -> Result<(), RestError> {
    db::execute(engine, cql, Options::default())?;
    Ok(())
}

fn text(cell: Option<&Option<Value>>) -> String {
    match cell {
        Some(Some(Value::Text(s) | Value::Ascii(s))) => s.to_string(),
        _ => String::new(),
    }
}

fn keyspace_missing(keyspace: &str) -> RestError {
    RestError::bad_request(format!("Keyspace '{keyspace}' not found"))
}

fn require_keyspace(engine: &mut Locked<'_>, keyspace: &str) -> Result<(), RestError> {
    if schema::keyspace_exists(engine, keyspace)? {
        Ok(())
    } else {
        Err(keyspace_missing(keyspace))
    }
}

/// The table, or `Table 't' not found (in keyspace ks)` with `status`.
fn require_table(
    engine: &mut Locked<'_>,
    keyspace: &str,
    table: &str,
    status: StatusCode,
) -> Result<TableMeta, RestError> {
    schema::load_table(engine, keyspace, table)?.ok_or_else(|| {
        RestError::new(status, format!("Table '{table}' not found (in keyspace {keyspace})"))
    })
}

fn column_missing(status: StatusCode, column: &str, table: &str) -> RestError {
    RestError::new(status, format!("Column '{column}' not found in table '{table}'"))
}

// ---- keyspaces ----

fn keyspaces(engine: &mut Locked<'_>, only: Option<&str>) -> Result<Vec<JsonValue>, RestError> {
    let mut cql = "SELECT keyspace_name, replication FROM system_schema.keyspaces".to_string();
    if let Some(name) = only {
        cql.push_str(&format!(" WHERE keyspace_name = {}", quote_string(name)));
    }
    let rows = schema::select(engine, &cql)?;
    Ok(rows
        .iter()
        .map(|row| {
            let replication: Vec<(String, String)> = match row.get(1) {
                Some(Some(Value::Map(entries))) => entries
                    .iter()
                    .map(|(k, v)| (text(Some(&Some(k.clone()))), text(Some(&Some(v.clone())))))
                    .collect(),
                _ => Vec::new(),
            };
            schemas::keyspace_json(&text(row.first()), &replication)
        })
        .collect())
}

/// K1.
pub async fn list_keyspaces(
    State(state): State<AppState>,
    query: QueryResult,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    let list = keyspaces(&mut state.db.lock(), None)?;
    Ok(data(JsonValue::Array(list), &params))
}

/// K2.
pub async fn get_keyspace(
    State(state): State<AppState>,
    RestPath(keyspace): RestPath<String>,
    query: QueryResult,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    let found = keyspaces(&mut state.db.lock(), Some(&keyspace))?.into_iter().next();
    let keyspace_json = found
        .ok_or_else(|| RestError::not_found(format!("Unable to describe keyspace '{keyspace}'")))?;
    Ok(data(keyspace_json, &params))
}

/// K3.
pub async fn create_keyspace(
    State(state): State<AppState>,
    TextBody(body): TextBody,
) -> Result<Response, RestError> {
    let (name, cql) = schemas::create_keyspace(&body)?;
    run(&mut state.db.lock(), &cql)?;
    Ok(named(StatusCode::CREATED, &name))
}

/// K4: always 204.
pub async fn delete_keyspace(
    State(state): State<AppState>,
    RestPath(keyspace): RestPath<String>,
) -> Result<Response, RestError> {
    let cql =
        format!("DROP KEYSPACE IF EXISTS {}", cqlfiddle_engine::types::maybe_quote(&keyspace));
    run(&mut state.db.lock(), &cql)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---- tables ----

fn default_ttl(engine: &mut Locked<'_>, keyspace: &str, table: &str) -> Option<i64> {
    let cql = format!(
        "SELECT default_time_to_live FROM system_schema.tables WHERE keyspace_name = {} AND table_name = {}",
        quote_string(keyspace),
        quote_string(table)
    );
    // Stargate prints the option only when the database reports it; so does this.
    match schema::select(engine, &cql).ok()?.first()?.first()? {
        Some(Value::Int(ttl)) => Some(i64::from(*ttl)),
        _ => None,
    }
}

/// T1.
pub async fn list_tables(
    State(state): State<AppState>,
    RestPath(keyspace): RestPath<String>,
    query: QueryResult,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    let mut engine = state.db.lock();
    require_keyspace(&mut engine, &keyspace)?;
    let cql = format!(
        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = {}",
        quote_string(&keyspace)
    );
    let names: Vec<String> =
        schema::select(&mut engine, &cql)?.iter().map(|r| text(r.first())).collect();
    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        if let Some(meta) = schema::load_table(&mut engine, &keyspace, &name)? {
            let ttl = default_ttl(&mut engine, &keyspace, &name);
            tables.push(schemas::table_json(&meta, ttl));
        }
    }
    Ok(data(JsonValue::Array(tables), &params))
}

/// T2.
pub async fn get_table(
    State(state): State<AppState>,
    RestPath((keyspace, table)): RestPath<(String, String)>,
    query: QueryResult,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    let mut engine = state.db.lock();
    let meta = require_table(&mut engine, &keyspace, &table, StatusCode::NOT_FOUND)?;
    let ttl = default_ttl(&mut engine, &keyspace, &table);
    Ok(data(schemas::table_json(&meta, ttl), &params))
}

/// T3.
pub async fn create_table(
    State(state): State<AppState>,
    RestPath(keyspace): RestPath<String>,
    TextBody(body): TextBody,
) -> Result<Response, RestError> {
    let (name, cql) = schemas::create_table(&keyspace, &body)?;
    run(&mut state.db.lock(), &cql)?;
    Ok(named(StatusCode::CREATED, &name))
}

/// T4.
pub async fn update_table(
    State(state): State<AppState>,
    RestPath((keyspace, table)): RestPath<(String, String)>,
    TextBody(body): TextBody,
) -> Result<Response, RestError> {
    let cql = schemas::update_table(&keyspace, &table, &body)?;
    let mut engine = state.db.lock();
    require_table(&mut engine, &keyspace, &table, StatusCode::BAD_REQUEST)?;
    run(&mut engine, &cql)?;
    Ok(named(StatusCode::OK, &table))
}

/// T5.
pub async fn delete_table(
    State(state): State<AppState>,
    RestPath((keyspace, table)): RestPath<(String, String)>,
) -> Result<Response, RestError> {
    run(&mut state.db.lock(), &format!("DROP TABLE IF EXISTS {}", qualified(&keyspace, &table)))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---- columns ----

/// L1.
pub async fn list_columns(
    State(state): State<AppState>,
    RestPath((keyspace, table)): RestPath<(String, String)>,
    query: QueryResult,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    let meta = require_table(&mut state.db.lock(), &keyspace, &table, StatusCode::BAD_REQUEST)?;
    Ok(data(JsonValue::Array(meta.columns.iter().map(schemas::column_json).collect()), &params))
}

/// L2.
pub async fn create_column(
    State(state): State<AppState>,
    RestPath((keyspace, table)): RestPath<(String, String)>,
    TextBody(body): TextBody,
) -> Result<Response, RestError> {
    let (name, cql) = schemas::add_column(&keyspace, &table, &body)?;
    let mut engine = state.db.lock();
    require_table(&mut engine, &keyspace, &table, StatusCode::BAD_REQUEST)?;
    run(&mut engine, &cql)?;
    Ok(named(StatusCode::CREATED, &name))
}

/// L3.
pub async fn get_column(
    State(state): State<AppState>,
    RestPath((keyspace, table, column)): RestPath<(String, String, String)>,
    query: QueryResult,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    let meta = require_table(&mut state.db.lock(), &keyspace, &table, StatusCode::BAD_REQUEST)?;
    let found = meta
        .column(&column)
        .ok_or_else(|| column_missing(StatusCode::NOT_FOUND, &column, &table))?;
    Ok(data(schemas::column_json(found), &params))
}

/// L4: rename only.
pub async fn update_column(
    State(state): State<AppState>,
    RestPath((keyspace, table, column)): RestPath<(String, String, String)>,
    TextBody(body): TextBody,
) -> Result<Response, RestError> {
    let (new_name, cql) = schemas::rename_column(&keyspace, &table, &column, &body)?;
    let mut engine = state.db.lock();
    let meta = require_table(&mut engine, &keyspace, &table, StatusCode::BAD_REQUEST)?;
    if meta.column(&column).is_none() {
        return Err(column_missing(StatusCode::BAD_REQUEST, &column, &table));
    }
    if let Some(cql) = cql {
        run(&mut engine, &cql)?;
    }
    Ok(named(StatusCode::OK, &new_name))
}

/// L5.
pub async fn delete_column(
    State(state): State<AppState>,
    RestPath((keyspace, table, column)): RestPath<(String, String, String)>,
) -> Result<Response, RestError> {
    let mut engine = state.db.lock();
    let meta = require_table(&mut engine, &keyspace, &table, StatusCode::BAD_REQUEST)?;
    if meta.column(&column).is_none() {
        return Err(column_missing(StatusCode::BAD_REQUEST, &column, &table));
    }
    let cql = format!(
        "ALTER TABLE {} DROP {}",
        qualified(&keyspace, &table),
        cqlfiddle_engine::types::maybe_quote(&column)
    );
    run(&mut engine, &cql)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---- indexes ----

/// I1: always a bare array of `system_schema.indexes` rows.
pub async fn list_indexes(
    State(state): State<AppState>,
    RestPath((keyspace, table)): RestPath<(String, String)>,
    query: QueryResult,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    let mut engine = state.db.lock();
    require_keyspace(&mut engine, &keyspace)?;
    require_table(&mut engine, &keyspace, &table, StatusCode::BAD_REQUEST)?;
    let cql = format!(
        "SELECT keyspace_name, table_name, index_name, kind, options FROM system_schema.indexes \
         WHERE keyspace_name = {} AND table_name = {}",
        quote_string(&keyspace),
        quote_string(&table)
    );
    let rows = match db::execute(&mut engine, &cql, Options::default())? {
        Answer::Rows(rows) => rows,
        Answer::Void => ResultSet { columns: Vec::new(), rows: Vec::new(), paging_state: None },
    };
    Ok(json_response(StatusCode::OK, &rows_body(&rows, true, params.compact_maps())))
}

/// I2.
pub async fn create_index(
    State(state): State<AppState>,
    RestPath((keyspace, table)): RestPath<(String, String)>,
    TextBody(body): TextBody,
) -> Result<Response, RestError> {
    let mut engine = state.db.lock();
    let meta = require_table(&mut engine, &keyspace, &table, StatusCode::BAD_REQUEST)?;
    let cql = schemas::create_index(&meta, &body)?;
    // An existing index is a 400 on Stargate, not the 409 of other ALREADY_EXISTS errors.
    db::execute(&mut engine, &cql, Options::default()).map_err(|e| match e.kind() {
        ErrorKind::AlreadyExists => RestError::invalid_argument(&e.to_string()),
        _ => RestError::from(e),
    })?;
    Ok(json_response(StatusCode::CREATED, &Json::from(json!({ "success": true }))))
}

/// I3.
pub async fn delete_index(
    State(state): State<AppState>,
    RestPath((keyspace, table, index)): RestPath<(String, String, String)>,
    query: QueryResult,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    let mut engine = state.db.lock();
    require_table(&mut engine, &keyspace, &table, StatusCode::BAD_REQUEST)?;
    let if_exists = if params.flag("ifExists").unwrap_or(false) { "IF EXISTS " } else { "" };
    run(&mut engine, &format!("DROP INDEX {if_exists}{}", qualified(&keyspace, &index)))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---- user-defined types ----

fn types(
    engine: &mut Locked<'_>,
    keyspace: &str,
    only: Option<&str>,
) -> Result<Vec<JsonValue>, RestError> {
    let mut cql = format!(
        "SELECT type_name, field_names, field_types FROM system_schema.types WHERE keyspace_name = {}",
        quote_string(keyspace)
    );
    if let Some(name) = only {
        cql.push_str(&format!(" AND type_name = {}", quote_string(name)));
    }
    let list_of_text = |cell: Option<&Option<Value>>| -> Vec<String> {
        match cell {
            Some(Some(Value::List(items))) => {
                items.iter().map(|v| text(Some(&Some(v.clone())))).collect()
            }
            _ => Vec::new(),
        }
    };
    Ok(schema::select(engine, &cql)?
        .iter()
        .map(|row| {
            let fields: Vec<(String, String)> =
                list_of_text(row.get(1)).into_iter().zip(list_of_text(row.get(2))).collect();
            schemas::type_json(keyspace, &text(row.first()), &fields)
        })
        .collect())
}

/// U1.
pub async fn list_types(
    State(state): State<AppState>,
    RestPath(keyspace): RestPath<String>,
    query: QueryResult,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    let mut engine = state.db.lock();
    require_keyspace(&mut engine, &keyspace)?;
    Ok(data(JsonValue::Array(types(&mut engine, &keyspace, None)?), &params))
}

/// U2.
pub async fn get_type(
    State(state): State<AppState>,
    RestPath((keyspace, name)): RestPath<(String, String)>,
    query: QueryResult,
) -> Result<Response, RestError> {
    let params = Params::from_query(query)?;
    let found = types(&mut state.db.lock(), &keyspace, Some(&name))?.into_iter().next();
    let udt = found.ok_or_else(|| {
        RestError::not_found(format!(
            "No definition found for UDT '{name}' (keyspace '{keyspace}')"
        ))
    })?;
    Ok(data(udt, &params))
}

/// U3.
pub async fn create_type(
    State(state): State<AppState>,
    RestPath(keyspace): RestPath<String>,
    TextBody(body): TextBody,
) -> Result<Response, RestError> {
    let (name, cql) = schemas::create_type(&keyspace, &body)?;
    // Stargate words an existing type as a plain bad request.
    db::execute(&mut state.db.lock(), &cql, Options::default()).map_err(|e| {
        let message = e.to_string();
        if message.contains("already exists") {
            RestError::bad_request(format!("Bad request: {message}"))
        } else {
            RestError::from(e)
        }
    })?;
    Ok(named(StatusCode::CREATED, &name))
}

/// U4: 200 with an empty body, as Stargate answers.
pub async fn update_type(
    State(state): State<AppState>,
    RestPath(keyspace): RestPath<String>,
    TextBody(body): TextBody,
) -> Result<Response, RestError> {
    let statements = schemas::alter_type(&keyspace, &body)?;
    let mut engine = state.db.lock();
    for cql in statements {
        run(&mut engine, &cql)?;
    }
    Ok(StatusCode::OK.into_response())
}

/// U5.
pub async fn delete_type(
    State(state): State<AppState>,
    RestPath((keyspace, name)): RestPath<(String, String)>,
) -> Result<Response, RestError> {
    run(&mut state.db.lock(), &format!("DROP TYPE IF EXISTS {}", qualified(&keyspace, &name)))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
