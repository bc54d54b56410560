//! The schema endpoints' bodies as DDL, and schema rows as Stargate's JSON, without the
//! engine. Type strings from clients are parsed and printed again, never pasted.

use cqlfiddle_engine::types::{CqlType, maybe_quote};
use serde::Deserialize;
use serde_json::{Map, Value as JsonValue, json};

use super::error::RestError;
use super::literal::quote_string;
use super::rows::qualified;
use crate::schema::{ColumnKind, ColumnMeta, TableMeta, parse_type};

/// Parses a JSON body into `T`, with Stargate's `Invalid JSON payload` error.
fn parse<T: for<'de> Deserialize<'de>>(body: &str) -> Result<T, RestError> {
    serde_json::from_str(body)
        .map_err(|e| RestError::bad_request(format!("Invalid JSON payload: {e}")))
}

/// A client's type string, checked and printed back in canonical form.
fn cql_type(text: &str) -> Result<String, RestError> {
    parse_type(text)
        .map(|ty| ty.to_string())
        .map_err(|e| RestError::bad_request(format!("Invalid type definition '{text}': {e}")))
}

/// A type as Stargate's schema endpoints print it: `text` for varchar, `", "` between
/// parameters, tuples never frozen, user-defined types as `udt<name>`.
pub fn type_definition(ty: &CqlType) -> String {
    match ty {
        CqlType::Native(n) => n.name().to_string(),
        CqlType::List(t) => format!("list<{}>", type_definition(t)),
        CqlType::Set(t) => format!("set<{}>", type_definition(t)),
        CqlType::Map(k, v) => format!("map<{}, {}>", type_definition(k), type_definition(v)),
        CqlType::Tuple(items) => {
            format!("tuple<{}>", items.iter().map(type_definition).collect::<Vec<_>>().join(", "))
        }
        CqlType::Udt(udt) => format!("udt<{}>", udt.name),
        CqlType::Frozen(inner) if matches!(**inner, CqlType::Tuple(_)) => type_definition(inner),
        CqlType::Frozen(inner) => format!("frozen<{}>", type_definition(inner)),
        CqlType::Vector(t, n) => format!("vector<{}, {n}>", type_definition(t)),
    }
}

// ---- keyspaces ----

/// `{"name", "datacenters"?}`; datacenters only for NetworkTopologyStrategy.
pub fn keyspace_json(name: &str, replication: &[(String, String)]) -> JsonValue {
    let class = replication.iter().find(|(k, _)| k == "class").map_or("", |(_, v)| v.as_str());
    if !class.ends_with("NetworkTopologyStrategy") {
        return json!({ "name": name });
    }
    let datacenters: Vec<JsonValue> = replication
        .iter()
        .filter(|(k, _)| k != "class")
        .map(|(dc, n)| json!({ "name": dc, "replicas": n.parse::<i64>().unwrap_or(0) }))
        .collect();
    json!({ "name": name, "datacenters": datacenters })
}

#[derive(Debug, Deserialize)]
struct KeyspaceAdd {
    name: Option<String>,
    replicas: Option<i64>,
    datacenters: Option<Vec<Datacenter>>,
}

#[derive(Debug, Deserialize)]
struct Datacenter {
    name: String,
    replicas: Option<i64>,
}

/// K3: `CREATE KEYSPACE IF NOT EXISTS`, SimpleStrategy or NetworkTopologyStrategy.
pub fn create_keyspace(body: &str) -> Result<(String, String), RestError> {
    let add: KeyspaceAdd = serde_json::from_str(body).map_err(|e| {
        RestError::bad_request(format!("Invalid JSON payload for Keyspace creation, problem: {e}"))
    })?;
    let Some(name) = add.name.filter(|n| !n.is_empty()) else {
        return Err(RestError::bad_request(format!(
            "Missing 'name' String property in payload Object: {body}"
        )));
    };
    let replication = match add.datacenters {
        Some(dcs) if dcs.is_empty() => {
            return Err(RestError::bad_request(
                "Invalid 'datacenters' property: empty 'datacenters'",
            ));
        }
        Some(dcs) => {
            let parts: Vec<String> = dcs
                .iter()
                .map(|dc| format!("{}: {}", quote_string(&dc.name), dc.replicas.unwrap_or(3)))
                .collect();
            format!("{{'class': 'NetworkTopologyStrategy', {}}}", parts.join(", "))
        }
        None => format!(
            "{{'class': 'SimpleStrategy', 'replication_factor': {}}}",
            add.replicas.unwrap_or(1)
        ),
    };
    let cql = format!(
        "CREATE KEYSPACE IF NOT EXISTS {} WITH replication = {replication}",
        maybe_quote(&name)
    );
    Ok((name, cql))
}

// ---- tables and columns ----

/// A column as `{"name","typeDefinition","static"}`.
pub fn column_json(column: &ColumnMeta) -> JsonValue {
    json!({
        "name": column.name,
        "typeDefinition": type_definition(&column.ty),
        "static": column.kind == ColumnKind::Static,
    })
}

/// A table as T1/T2 print it; `default_ttl` is left out when unknown.
pub fn table_json(meta: &TableMeta, default_ttl: Option<i64>) -> JsonValue {
    let names = |it: &mut dyn Iterator<Item = &ColumnMeta>| -> Vec<String> {
        it.map(|c| c.name.clone()).collect()
    };
    let clustering: Vec<JsonValue> = meta
        .clustering_keys()
        .map(|c| json!({ "column": c.name, "order": if c.descending { "DESC" } else { "ASC" } }))
        .collect();
    let mut options = Map::new();
    if let Some(ttl) = default_ttl {
        options.insert("defaultTimeToLive".into(), json!(ttl));
    }
    options.insert("clusteringExpression".into(), JsonValue::Array(clustering));
    json!({
        "name": meta.name,
        "keyspace": meta.keyspace,
        "columnDefinitions": meta.columns.iter().map(column_json).collect::<Vec<_>>(),
        "primaryKey": {
            "partitionKey": names(&mut meta.partition_keys()),
            "clusteringKey": names(&mut meta.clustering_keys()),
        },
        "tableOptions": options,
    })
}

/// A column in a request body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ColumnDefinition {
    name: Option<String>,
    type_definition: Option<String>,
    #[serde(default, rename = "static")]
    is_static: bool,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PrimaryKey {
    #[serde(default)]
    partition_key: Vec<String>,
    #[serde(default)]
    clustering_key: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct ClusteringExpression {
    column: String,
    order: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TableOptions {
    default_time_to_live: Option<i64>,
    #[serde(default)]
    clustering_expression: Vec<ClusteringExpression>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TableAdd {
    name: Option<String>,
    #[serde(default)]
    if_not_exists: bool,
    column_definitions: Option<Vec<ColumnDefinition>>,
    primary_key: Option<PrimaryKey>,
    table_options: Option<TableOptions>,
}

/// `name type [STATIC]` of a column definition.
fn column_clause(column: &ColumnDefinition) -> Result<(String, String), RestError> {
    let (Some(name), Some(ty)) = (&column.name, &column.type_definition) else {
        return Err(RestError::bad_request(
            "Request invalid: column 'name' and 'typeDefinition' must be provided.",
        ));
    };
    let stat = if column.is_static { " STATIC" } else { "" };
    Ok((name.clone(), format!("{} {}{stat}", maybe_quote(name), cql_type(ty)?)))
}

/// T3: `CREATE TABLE`. Primary-key columns come first, in key order, as on Stargate; the
/// default TTL in `tableOptions` is ignored on creation, as on Stargate.
pub fn create_table(keyspace: &str, body: &str) -> Result<(String, String), RestError> {
    let add: TableAdd = parse(body)?;
    let Some(name) = add.name.filter(|n| !n.is_empty()) else {
        return Err(RestError::bad_request("Request invalid: TableAdd.name must be provided."));
    };
    let Some(columns) = add.column_definitions.filter(|c| !c.is_empty()) else {
        return Err(RestError::bad_request("TableAdd.columnDefinitions must be provided"));
    };
    let Some(key) = add.primary_key.filter(|k| !k.partition_key.is_empty()) else {
        return Err(RestError::bad_request(
            "Request invalid: TableAdd.primaryKey must be provided.",
        ));
    };
    let mut clauses: Vec<(String, String)> =
        columns.iter().map(column_clause).collect::<Result<_, _>>()?;
    let rank = |n: &str| {
        key.partition_key
            .iter()
            .chain(&key.clustering_key)
            .position(|k| k == n)
            .unwrap_or(usize::MAX)
    };
    clauses.sort_by_key(|(n, _)| rank(n));
    let quote_all =
        |names: &[String]| names.iter().map(|n| maybe_quote(n)).collect::<Vec<_>>().join(", ");
    let mut primary = format!("({})", quote_all(&key.partition_key));
    if !key.clustering_key.is_empty() {
        primary = format!("{primary}, {}", quote_all(&key.clustering_key));
    }
    let body: Vec<String> = clauses.into_iter().map(|(_, c)| c).collect();
    let mut cql = format!(
        "CREATE TABLE {}{} ({}, PRIMARY KEY ({primary}))",
        if add.if_not_exists { "IF NOT EXISTS " } else { "" },
        qualified(keyspace, &name),
        body.join(", ")
    );
    let order = add.table_options.map(|o| o.clustering_expression).unwrap_or_default();
    if !order.is_empty() {
        let parts: Result<Vec<String>, RestError> = order
            .iter()
            .map(|e| match e.order.to_ascii_uppercase().as_str() {
                dir @ ("ASC" | "DESC") => Ok(format!("{} {dir}", maybe_quote(&e.column))),
                _ => Err(RestError::bad_request(format!(
                    "Invalid clusteringExpression order '{}': must be ASC or DESC",
                    e.order
                ))),
            })
            .collect();
        cql.push_str(&format!(" WITH CLUSTERING ORDER BY ({})", parts?.join(", ")));
    }
    Ok((name, cql))
}

/// T4: only the default TTL can change.
pub fn update_table(keyspace: &str, table: &str, body: &str) -> Result<String, RestError> {
    let add: TableAdd = parse(body)?;
    let options = add.table_options.unwrap_or_default();
    if !options.clustering_expression.is_empty() {
        return Err(RestError::bad_request("Cannot update the clustering order of a table"));
    }
    let Some(ttl) = options.default_time_to_live else {
        return Err(RestError::bad_request("No update provided for defaultTTL"));
    };
    Ok(format!("ALTER TABLE {} WITH default_time_to_live = {ttl}", qualified(keyspace, table)))
}

/// L2: `ALTER TABLE ... ADD`.
pub fn add_column(keyspace: &str, table: &str, body: &str) -> Result<(String, String), RestError> {
    let column: ColumnDefinition = parse(body)?;
    let (name, clause) = column_clause(&column)?;
    Ok((name, format!("ALTER TABLE {} ADD {clause}", qualified(keyspace, table))))
}

/// L4: a rename only; `None` when the name does not change.
pub fn rename_column(
    keyspace: &str,
    table: &str,
    old: &str,
    body: &str,
) -> Result<(String, Option<String>), RestError> {
    let column: ColumnDefinition = parse(body)?;
    let Some(new) = column.name.filter(|n| !n.is_empty()) else {
        return Err(RestError::bad_request("Request invalid: column 'name' must be provided."));
    };
    if new == old {
        return Ok((new, None));
    }
    let cql = format!(
        "ALTER TABLE {} RENAME {} TO {}",
        qualified(keyspace, table),
        maybe_quote(old),
        maybe_quote(&new)
    );
    Ok((new, Some(cql)))
}

// ---- indexes ----

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct IndexAdd {
    column: Option<String>,
    name: Option<String>,
    #[serde(default)]
    if_not_exists: bool,
    kind: Option<String>,
    #[serde(rename = "type")]
    index_type: Option<String>,
    options: Option<Map<String, JsonValue>>,
}

/// I2: `CREATE [CUSTOM] INDEX`. Unknown columns are a 404, as on Stargate.
pub fn create_index(meta: &TableMeta, body: &str) -> Result<String, RestError> {
    let add: IndexAdd = parse(body)?;
    let Some(column) = add.column.filter(|c| !c.is_empty()) else {
        return Err(RestError::bad_request("Request invalid: IndexAdd.column must be provided."));
    };
    if meta.column(&column).is_none() {
        return Err(RestError::not_found(format!(
            "Column '{column}' not found in table '{}'",
            meta.name
        )));
    }
    if add.options.is_some() && add.index_type.is_none() {
        return Err(RestError::bad_request(
            "Index 'type' must be specified if 'options' are specified",
        ));
    }
    let target = match add.kind.as_deref() {
        None => maybe_quote(&column),
        Some(kind @ ("KEYS" | "VALUES" | "ENTRIES" | "FULL")) => {
            format!("{}({})", kind.to_ascii_lowercase(), maybe_quote(&column))
        }
        Some(other) => {
            return Err(RestError::bad_request(format!(
                "Invalid index kind '{other}': must be one of KEYS, VALUES, ENTRIES, FULL"
            )));
        }
    };
    let mut cql = format!(
        "CREATE {}INDEX {}{}ON {} ({target})",
        if add.index_type.is_some() { "CUSTOM " } else { "" },
        if add.if_not_exists { "IF NOT EXISTS " } else { "" },
        add.name.as_deref().map(|n| format!("{} ", maybe_quote(n))).unwrap_or_default(),
        qualified(&meta.keyspace, &meta.name)
    );
    if let Some(class) = &add.index_type {
        cql.push_str(&format!(" USING {}", quote_string(class)));
    }
    if let Some(options) = add.options.filter(|o| !o.is_empty()) {
        let parts: Vec<String> = options
            .iter()
            .map(|(k, v)| {
                let value = match v {
                    JsonValue::String(s) => s.clone(),
                    other => other.to_string(),
                };
                format!("{}: {}", quote_string(k), quote_string(&value))
            })
            .collect();
        cql.push_str(&format!(" WITH OPTIONS = {{{}}}", parts.join(", ")));
    }
    Ok(cql)
}

// ---- user-defined types ----

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FieldDefinition {
    name: Option<String>,
    type_definition: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TypeAdd {
    name: Option<String>,
    #[serde(default)]
    if_not_exists: bool,
    #[serde(default)]
    fields: Vec<FieldDefinition>,
}

#[derive(Debug, Deserialize)]
struct Rename {
    from: String,
    to: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TypeUpdate {
    name: Option<String>,
    #[serde(default)]
    add_fields: Vec<FieldDefinition>,
    #[serde(default)]
    rename_fields: Vec<Rename>,
}

fn field_clause(field: &FieldDefinition) -> Result<String, RestError> {
    match (&field.name, &field.type_definition) {
        (Some(name), Some(ty)) if !name.is_empty() && !ty.is_empty() => {
            Ok(format!("{} {}", maybe_quote(name), cql_type(ty)?))
        }
        _ => Err(RestError::bad_request("Field 'name' and 'typeDefinition' must be provided")),
    }
}

/// U3: `CREATE TYPE`.
pub fn create_type(keyspace: &str, body: &str) -> Result<(String, String), RestError> {
    let add: TypeAdd = parse(body)?;
    let Some(name) = add.name.filter(|n| !n.is_empty()) else {
        return Err(RestError::bad_request(
            "Request invalid: UserDefinedTypeAdd.name must be provided.",
        ));
    };
    if add.fields.is_empty() {
        return Err(RestError::bad_request("There should be at least one field defined"));
    }
    let fields: Vec<String> = add.fields.iter().map(field_clause).collect::<Result<_, _>>()?;
    let cql = format!(
        "CREATE TYPE {}{} ({})",
        if add.if_not_exists { "IF NOT EXISTS " } else { "" },
        qualified(keyspace, &name),
        fields.join(", ")
    );
    Ok((name, cql))
}

/// U4: one `ALTER TYPE ... ADD` per new field, then one `RENAME` for all renames.
pub fn alter_type(keyspace: &str, body: &str) -> Result<Vec<String>, RestError> {
    let update: TypeUpdate = parse(body)?;
    let Some(name) = update.name.filter(|n| !n.is_empty()) else {
        return Err(RestError::bad_request(
            "Request invalid: UserDefinedTypeUpdate.name must be provided.",
        ));
    };
    if update.add_fields.is_empty() && update.rename_fields.is_empty() {
        return Err(RestError::bad_request(
            "addFields and/or renameFields is required to update an UDT",
        ));
    }
    let target = qualified(keyspace, &name);
    let mut statements: Vec<String> = update
        .add_fields
        .iter()
        .map(|f| Ok(format!("ALTER TYPE {target} ADD {}", field_clause(f)?)))
        .collect::<Result<_, RestError>>()?;
    if !update.rename_fields.is_empty() {
        let renames: Vec<String> = update
            .rename_fields
            .iter()
            .map(|r| format!("{} TO {}", maybe_quote(&r.from), maybe_quote(&r.to)))
            .collect();
        statements.push(format!("ALTER TYPE {target} RENAME {}", renames.join(" AND ")));
    }
    Ok(statements)
}

/// A type as U1/U2 print it; field types keep `system_schema`'s own spelling.
pub fn type_json(keyspace: &str, name: &str, fields: &[(String, String)]) -> JsonValue {
    let fields: Vec<JsonValue> =
        fields.iter().map(|(n, t)| json!({ "name": n, "typeDefinition": t })).collect();
    json!({ "name": name, "keyspace": keyspace, "fields": fields })
}

#[cfg(test)]
mod tests;
