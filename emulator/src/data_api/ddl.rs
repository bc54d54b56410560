//! Schema commands as CQL, without the engine: `createKeyspace`, `createTable` and friends.

use cqlfiddle_engine::types::{NativeType, maybe_quote};
use serde::Deserialize;
use serde_json::{Map, Value as JsonValue};

use super::codec::type_description;
use super::error::ApiError;
use crate::json::Json;
use crate::rest::literal::quote_string;
use crate::rest::rows::qualified;
use crate::schema::{ColumnKind, TableMeta};

/// The longest keyspace, table or type name.
const MAX_NAME_LENGTH: usize = 48;

/// Checks a keyspace, table or type name: 1 to 48 ASCII letters, digits or `_`.
pub fn check_name(kind: &str, name: &str) -> Result<(), ApiError> {
    let ok = !name.is_empty()
        && name.len() <= MAX_NAME_LENGTH
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if ok {
        return Ok(());
    }
    Err(ApiError::request(
        "SCHEMA",
        "UNSUPPORTED_SCHEMA_NAME",
        format!(
            "The command attempted to create a {kind} with a name that is not supported.\n\n\
             The supported {kind} names must not be empty, more than {MAX_NAME_LENGTH} characters long, \
             or contain non-alphanumeric-underscore characters.\n\
             The command used the unsupported {kind} name: '{name}'."
        ),
    ))
}

/// `createKeyspace`: replication from `options.replication`, SimpleStrategy with one
/// replica by default. As on the server, every key beside `class` is a strategy option with
/// an integer value: SimpleStrategy reads only `replication_factor` (default 1) and ignores
/// the rest (astra-db-ts sends `replicationFactor`), NetworkTopologyStrategy takes each one as
/// a datacenter.
pub fn create_keyspace(name: &str, options: Option<&JsonValue>) -> Result<String, ApiError> {
    check_name("Keyspace", name)?;
    let replication = options.and_then(|o| o.get("replication")).and_then(JsonValue::as_object);
    let mut strategy = None;
    let mut strategy_options = Vec::new();
    for (key, value) in replication.into_iter().flatten() {
        if key == "class" {
            strategy = value.as_str();
            continue;
        }
        // Jackson reads an `Integer` from a number or from a string holding one.
        let factor = match value {
            JsonValue::Number(n) => n.as_i64(),
            JsonValue::String(s) => s.trim().parse().ok(),
            _ => None,
        }
        .and_then(|n| i32::try_from(n).ok())
        .ok_or_else(|| {
            ApiError::unscoped(
                "COMMAND_FIELD_VALUE_INVALID",
                format!(
                    "Request invalid: the replication option '{key}' must be an integer, not {value}."
                ),
            )
        })?;
        strategy_options.push((key, factor));
    }
    let clause = if strategy == Some("NetworkTopologyStrategy") {
        let dcs: String = strategy_options
            .iter()
            .map(|(dc, factor)| format!(", {}: {factor}", quote_string(dc)))
            .collect();
        format!("{{'class': 'NetworkTopologyStrategy'{dcs}}}")
    } else {
        let factor = strategy_options
            .iter()
            .find(|(key, _)| key.as_str() == "replication_factor")
            .map_or(1, |(_, factor)| *factor);
        format!("{{'class': 'SimpleStrategy', 'replication_factor': {factor}}}")
    };
    Ok(format!("CREATE KEYSPACE IF NOT EXISTS {} WITH replication = {clause}", maybe_quote(name)))
}

/// A column definition: the short form `"text"` or the long form object.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum ColumnDef {
    /// `"int"`.
    Short(String),
    /// `{"type": "list", "valueType": "text"}`.
    Long(Box<LongColumnDef>),
}

/// The long form of a column definition.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LongColumnDef {
    #[serde(rename = "type")]
    ty: String,
    key_type: Option<Box<ColumnDef>>,
    value_type: Option<Box<ColumnDef>>,
    dimension: Option<JsonValue>,
    service: Option<JsonValue>,
    udt_name: Option<String>,
    /// Accepted so a `listTables` description can be sent back; never used.
    #[allow(dead_code, reason = "read only so that strict parsing accepts it")]
    api_support: Option<JsonValue>,
}

/// Primitive types `createTable` accepts: every native type but the three the Data API
/// cannot create (counter, timeuuid, varint).
fn creatable() -> impl Iterator<Item = NativeType> {
    NativeType::ALL
        .into_iter()
        .filter(|t| !matches!(t, NativeType::Counter | NativeType::Timeuuid | NativeType::Varint))
}

fn creatable_names() -> String {
    let mut names: Vec<&str> = creatable().map(|t| t.name()).collect();
    names.push("varint");
    names.join(", ")
}

/// A primitive type name, with Data API's errors for unknown or non-creatable ones.
fn primitive(name: &str, column: &str, long_form: bool) -> Result<String, ApiError> {
    if name == "varint" {
        return Ok("varint".into());
    }
    if let Some(t) = creatable().find(|t| t.name() == name) {
        return Ok(t.name().to_string());
    }
    if matches!(name, "timeuuid" | "counter") {
        return Err(ApiError::request(
            "SCHEMA",
            "UNSUPPORTED_DATA_TYPE_TABLE_CREATION",
            format!(
                "The command used an unsupported data type for column '{column}': {name}.\n\n\
                 Resend the command using a supported data type."
            ),
        ));
    }
    let (code, what) = if long_form {
        ("UNKNOWN_DATA_TYPE", "data type")
    } else {
        ("UNKNOWN_PRIMITIVE_DATA_TYPE", "primitive data type")
    };
    Err(ApiError::request(
        "SCHEMA",
        code,
        format!(
            "The column definition used a {what} that is not known.\n\n\
             The supported primitive data types are: {}.\n\
             The command used the unsupported data type: {name}.",
            creatable_names()
        ),
    ))
}

/// A collection's key or value type: a primitive, or a frozen user-defined type.
fn element_type(def: &ColumnDef, column: &str) -> Result<String, ApiError> {
    match def {
        ColumnDef::Short(name) => primitive(name, column, false),
        ColumnDef::Long(long) if long.ty == "userDefined" => {
            Ok(format!("frozen<{}>", maybe_quote(&udt_name(long, column)?)))
        }
        ColumnDef::Long(long) => primitive(&long.ty, column, true),
    }
}

fn udt_name(long: &LongColumnDef, column: &str) -> Result<String, ApiError> {
    long.udt_name.clone().filter(|n| !n.is_empty()).ok_or_else(|| {
        ApiError::request(
            "SCHEMA",
            "INVALID_USER_DEFINED_TYPE_NAME",
            format!("The column '{column}' of type userDefined must give a non-empty 'udtName'."),
        )
    })
}

/// A column's CQL type.
pub fn column_type(def: &ColumnDef, column: &str) -> Result<String, ApiError> {
    let long = match def {
        ColumnDef::Short(name) => return primitive(name, column, false),
        ColumnDef::Long(long) => long,
    };
    let missing = |what: &str| {
        ApiError::request(
            "SCHEMA",
            "UNKNOWN_DATA_TYPE",
            format!("The column '{column}' of type {} needs a '{what}'.", long.ty),
        )
    };
    match long.ty.as_str() {
        "list" | "set" => {
            let value = long.value_type.as_deref().ok_or_else(|| missing("valueType"))?;
            Ok(format!("{}<{}>", long.ty, element_type(value, column)?))
        }
        "map" => {
            let key = long.key_type.as_deref().ok_or_else(|| missing("keyType"))?;
            let value = long.value_type.as_deref().ok_or_else(|| missing("valueType"))?;
            Ok(format!("map<{}, {}>", element_type(key, column)?, element_type(value, column)?))
        }
        "vector" => {
            let dimension = match &long.dimension {
                Some(JsonValue::Number(n)) => n.as_u64(),
                Some(JsonValue::String(s)) => s.trim().parse().ok(),
                _ => None,
            };
            match dimension {
                Some(d) if d > 0 => Ok(format!("vector<float, {d}>")),
                _ if long.dimension.is_none() && long.service.is_none() => Err(ApiError::request(
                    "SCHEMA",
                    "MISSING_DIMENSION_IN_VECTOR_COLUMN",
                    format!(
                        "The vector column '{column}' needs a dimension when no embedding service is given."
                    ),
                )),
                _ => Err(missing("positive integer dimension")),
            }
        }
        "userDefined" => Ok(maybe_quote(&udt_name(long, column)?)),
        other => primitive(other, column, true),
    }
}

/// `primaryKey`: a column name, or `{partitionBy, partitionSort}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum PrimaryKeyDef {
    /// A single partition column.
    Column(String),
    /// Partition and clustering columns.
    Compound {
        /// The partition key columns.
        #[serde(rename = "partitionBy")]
        partition_by: Vec<String>,
        /// Clustering columns with `1` (ascending) or `-1` (descending), in order.
        #[serde(rename = "partitionSort", default)]
        partition_sort: Map<String, JsonValue>,
    },
}

/// `createTable.definition`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TableDefinition {
    columns: serde_json::Map<String, JsonValue>,
    primary_key: PrimaryKeyDef,
}

/// `createTable` as `CREATE TABLE`.
pub fn create_table(
    keyspace: &str,
    name: &str,
    definition: &TableDefinition,
    if_not_exists: bool,
) -> Result<String, ApiError> {
    check_name("Table", name)?;
    let mut columns = Vec::with_capacity(definition.columns.len());
    for (column, def) in &definition.columns {
        let def: ColumnDef = serde_json::from_value(def.clone()).map_err(|e| {
            ApiError::unscoped(
                "COMMAND_FIELD_UNKNOWN",
                format!("Command field 'definition.columns.{column}' not recognized: {e}."),
            )
        })?;
        columns.push(format!("{} {}", maybe_quote(column), column_type(&def, column)?));
    }
    let (partition, sort): (Vec<String>, Vec<(String, JsonValue)>) = match &definition.primary_key {
        PrimaryKeyDef::Column(c) => (vec![c.clone()], Vec::new()),
        PrimaryKeyDef::Compound { partition_by, partition_sort } => (
            partition_by.clone(),
            partition_sort.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        ),
    };
    if partition.is_empty() {
        return Err(ApiError::request(
            "SCHEMA",
            "MISSING_PARTITION_COLUMNS",
            "The command must define at least one partition column in 'primaryKey.partitionBy'.",
        ));
    }
    let known = |c: &String| definition.columns.contains_key(c);
    let unknown: Vec<&String> = partition.iter().filter(|c| !known(c)).collect();
    if !unknown.is_empty() {
        return Err(ApiError::request(
            "SCHEMA",
            "UNKNOWN_PARTITION_COLUMNS",
            format!(
                "The partition columns are not defined in the table schema: {}.",
                join_names(&unknown)
            ),
        ));
    }
    let unknown: Vec<&String> = sort.iter().map(|(c, _)| c).filter(|c| !known(c)).collect();
    if !unknown.is_empty() {
        return Err(ApiError::request(
            "SCHEMA",
            "UNKNOWN_PARTITION_SORT_COLUMNS",
            format!(
                "The partition sort columns are not defined in the table schema: {}.",
                join_names(&unknown)
            ),
        ));
    }
    let mut order = Vec::with_capacity(sort.len());
    for (column, direction) in &sort {
        let dir = match direction.as_i64() {
            Some(1) => "ASC",
            Some(-1) => "DESC",
            _ => {
                return Err(ApiError::unscoped(
                    "REQUEST_STRUCTURE_MISMATCH",
                    format!(
                        "Request is valid JSON but has a structural mismatch: partitionSort value for '{column}' must be 1 or -1, got {direction}."
                    ),
                ));
            }
        };
        order.push(format!("{} {dir}", maybe_quote(column)));
    }
    let quoted =
        |names: &[String]| names.iter().map(|n| maybe_quote(n)).collect::<Vec<_>>().join(", ");
    let clustering: Vec<String> = sort.iter().map(|(c, _)| c.clone()).collect();
    let mut key = format!("({})", quoted(&partition));
    if !clustering.is_empty() {
        key = format!("{key}, {}", quoted(&clustering));
    }
    let mut cql = format!(
        "CREATE TABLE {}{} ({}, PRIMARY KEY ({key}))",
        if if_not_exists { "IF NOT EXISTS " } else { "" },
        qualified(keyspace, name),
        columns.join(", ")
    );
    if !order.is_empty() {
        cql.push_str(&format!(" WITH CLUSTERING ORDER BY ({})", order.join(", ")));
    }
    Ok(cql)
}

fn join_names(names: &[&String]) -> String {
    names.iter().map(|n| n.as_str()).collect::<Vec<_>>().join(", ")
}

/// A table as `listTables` with `explain` describes it.
pub fn table_description(meta: &TableMeta) -> Json {
    let columns: Vec<(String, Json)> = meta
        .columns
        .iter()
        .map(|c| {
            let mut description = type_description(&c.ty);
            let limited = match c.ty.unfrozen() {
                _ if c.kind == ColumnKind::Static => {
                    Some((false, true, true, false, format!("static {}", c.ty)))
                }
                _ if matches!(c.ty, cqlfiddle_engine::types::CqlType::Frozen(_))
                    && c.ty.is_collection() =>
                {
                    Some((false, true, true, false, c.ty.to_string()))
                }
                cqlfiddle_engine::types::CqlType::Native(NativeType::Counter) => {
                    Some((false, false, true, true, "counter".to_string()))
                }
                cqlfiddle_engine::types::CqlType::Native(NativeType::Timeuuid) => {
                    Some((false, true, true, true, "timeuuid".to_string()))
                }
                cqlfiddle_engine::types::CqlType::Tuple(_) => {
                    Some((false, false, false, false, c.ty.to_string()))
                }
                _ => None,
            };
            if let (Some((create, insert, read, filter, cql)), Json::Object(fields)) =
                (limited, &mut description)
            {
                fields.push((
                    "apiSupport".into(),
                    Json::Object(vec![
                        ("createTable".into(), Json::Bool(create)),
                        ("insert".into(), Json::Bool(insert)),
                        ("read".into(), Json::Bool(read)),
                        ("filter".into(), Json::Bool(filter)),
                        ("cqlDefinition".into(), Json::string(cql)),
                    ]),
                ));
            }
            (c.name.clone(), description)
        })
        .collect();
    let partition_by = meta.partition_keys().map(|c| Json::string(c.name.clone())).collect();
    let partition_sort = meta
        .clustering_keys()
        .map(|c| (c.name.clone(), Json::number(if c.descending { -1 } else { 1 })))
        .collect();
    Json::Object(vec![
        ("name".into(), Json::string(meta.name.clone())),
        (
            "definition".into(),
            Json::Object(vec![
                ("columns".into(), Json::Object(columns)),
                (
                    "primaryKey".into(),
                    Json::Object(vec![
                        ("partitionBy".into(), Json::Array(partition_by)),
                        ("partitionSort".into(), Json::Object(partition_sort)),
                    ]),
                ),
            ]),
        ),
    ])
}

#[cfg(test)]
mod tests;
