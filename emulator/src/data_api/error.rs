//! The Data API's error objects: one shape for errors and warnings, one catalogue of codes.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::http::StatusCode;
use cqlfiddle_engine::Error as EngineError;

use crate::javafmt;
use crate::json::Json;

/// `REQUEST` (the client's fault) or `SERVER`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// The request was wrong.
    Request,
    /// The server or database failed.
    Server,
}

/// One error or warning as the Data API reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// Request or server.
    pub family: Family,
    /// `FILTER`, `SCHEMA`, ...; empty when unscoped.
    pub scope: &'static str,
    /// The stable code clients match on.
    pub code: &'static str,
    /// The fixed title of the code.
    pub title: &'static str,
    /// The rendered message.
    pub message: String,
    /// The HTTP status: 200 unless the code overrides it.
    pub status: StatusCode,
}

/// `(scope, code, title)` of every code the emulator raises, titles as the server has them.
const CATALOGUE: &[(&str, &str, &str)] = &[
    ("", "COMMAND_ACCEPTS_NO_OPTIONS", "Command accepts no options"),
    ("", "COMMAND_FIELD_VALUE_INVALID", "Command field value invalid"),
    ("", "COMMAND_FIELD_UNKNOWN", "Command field unknown"),
    ("", "COMMAND_UNKNOWN", "Command is not recognized by Data API"),
    ("", "REQUEST_NOT_JSON", "Request not valid JSON"),
    ("", "REQUEST_STRUCTURE_MISMATCH", "Request structure not valid"),
    ("", "UNSUPPORTED_CONTENT_TYPE", "Unsupported Content-Type"),
    ("", "UNSUPPORTED_TABLE_COMMAND", "Command is not supported by tables"),
    ("SECURITY", "MISSING_AUTHENTICATION_TOKEN", "Missing authorization token"),
    ("SECURITY", "UNAUTHENTICATED_REQUEST", "Authentication failed"),
    ("DOCUMENT", "MISSING_PRIMARY_KEY_COLUMNS", "Primary key columns missing"),
    (
        "DOCUMENT",
        "UNKNOWN_TABLE_COLUMNS",
        "Columns in documents are not defined in the table schema",
    ),
    ("DOCUMENT", "UNSUPPORTED_COLUMN_TYPES", "Column types in documents are not supported"),
    ("DOCUMENT", "INVALID_COLUMN_VALUES", "Column values in documents are not valid"),
    ("FILTER", "FILTER_UNSUPPORTED_OPERATOR", "Unsupported filter operator"),
    ("FILTER", "FILTER_UNSUPPORTED_DATA_TYPE", "Unsupported filter data type"),
    (
        "FILTER",
        "UNKNOWN_TABLE_COLUMNS",
        "Columns in the filter are not defined in the table schema",
    ),
    ("FILTER", "INVALID_FILTER_COLUMN_VALUES", "Column value in filter is not valid"),
    ("FILTER", "MISSING_FILTER_FOR_UPDATE_DELETE", "Update and delete commands require a filter"),
    (
        "FILTER",
        "UNSUPPORTED_FILTER_FOR_UPDATE_ONE_DELETE_ONE",
        "updateOne and deleteOne commands only support filtering using $eq",
    ),
    (
        "FILTER",
        "UNSUPPORTED_NON_PRIMARY_KEY_FILTER_FOR_UPDATE_DELETE",
        "Update and delete commands only support filtering on the primary key",
    ),
    (
        "FILTER",
        "MISSING_FULL_PRIMARY_KEY_FOR_UPDATE_DELETE",
        "updateOne and deleteOne commands require filtering on the full primary key",
    ),
    (
        "FILTER",
        "INVALID_PRIMARY_KEY_FILTER",
        "Primary key filtering must specify columns in schema order",
    ),
    (
        "UPDATE",
        "UNKNOWN_TABLE_COLUMNS",
        "Columns in the update are not defined in the table schema",
    ),
    ("UPDATE", "INVALID_UPDATE_COLUMN_VALUES", "Column value in update clause is not valid"),
    ("UPDATE", "UNSUPPORTED_UPDATE_OPERATOR", "Update operator is not supported by target columns"),
    (
        "UPDATE",
        "UNSUPPORTED_UPDATE_FOR_PRIMARY_KEY_COLUMNS",
        "Primary key columns cannot be updated",
    ),
    ("UPDATE", "MISSING_UPDATE_OPERATIONS", "Update operation requires at least one operation"),
    (
        "UPDATE",
        "UNSUPPORTED_UPDATE_OPERATIONS_FOR_TABLE",
        "Update operation not supported by tables",
    ),
    (
        "UPDATE",
        "UNSUPPORTED_OVERLAPPING_UPDATE_OPERATIONS",
        "Columns cannot be changed by multiple update operations",
    ),
    ("WARNING", "DEPRECATED_COMMAND", "Deprecated command"),
    ("WARNING", "MISSING_INDEX", "Filter includes columns that are not indexed"),
    ("WARNING", "ZERO_FILTER_OPERATIONS", "Zero operations provided in query filter"),
    ("WARNING", "INCOMPLETE_PRIMARY_KEY_FILTER", "Incomplete filter on table primary key"),
    (
        "WARNING",
        "IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING",
        "Sorting by non partition sorting columns",
    ),
    ("PROJECTION", "UNSUPPORTED_PROJECTION_PARAM", "Unsupported projection parameter"),
    (
        "PROJECTION",
        "UNKNOWN_TABLE_COLUMNS",
        "Columns in the projection are not defined in the table schema",
    ),
    (
        "SCHEMA",
        "CANNOT_ADD_EXISTING_TABLE",
        "Table with the same name exists in the keyspace schema",
    ),
    ("SCHEMA", "CANNOT_DROP_UNKNOWN_TABLE", "Dropped table is not defined in the keyspace schema"),
    ("SCHEMA", "MISSING_PARTITION_COLUMNS", "Partitioning keys are required for tables"),
    (
        "SCHEMA",
        "UNKNOWN_PARTITION_COLUMNS",
        "Partition columns are not defined in the table schema",
    ),
    (
        "SCHEMA",
        "UNKNOWN_PARTITION_SORT_COLUMNS",
        "Partition sort columns are not defined in the table schema",
    ),
    ("SCHEMA", "UNKNOWN_PRIMITIVE_DATA_TYPE", "Primitive data type is unknown"),
    ("SCHEMA", "UNKNOWN_DATA_TYPE", "Data type is unknown"),
    (
        "SCHEMA",
        "UNSUPPORTED_DATA_TYPE_TABLE_CREATION",
        "Table creation with unsupported data types",
    ),
    ("SCHEMA", "UNSUPPORTED_SCHEMA_NAME", "The used schema name is not supported"),
    ("SCHEMA", "UNKNOWN_KEYSPACE", "Keyspace does not exist in the Database"),
    ("SCHEMA", "UNKNOWN_COLLECTION_OR_TABLE", "Collection or Table does not exist in the Keyspace"),
    (
        "SCHEMA",
        "MISSING_DIMENSION_IN_VECTOR_COLUMN",
        "Dimension is required for vector column if embedding service is not specified",
    ),
    ("SCHEMA", "INVALID_USER_DEFINED_TYPE_NAME", "User defined type name is not valid."),
    ("SCHEMA", "UNKNOWN_INDEX_COLUMN", "Index column is not defined in the table schema"),
    (
        "SCHEMA",
        "CANNOT_ADD_EXISTING_INDEX",
        "Index with the same name exists in the keyspace schema",
    ),
    ("SCHEMA", "CANNOT_DROP_UNKNOWN_INDEX", "Dropped index is not defined in the keyspace schema"),
    ("SCHEMA", "CANNOT_ADD_EXISTING_TYPE", "Type with the same name exists in the keyspace schema"),
    ("SCHEMA", "CANNOT_DROP_UNKNOWN_TYPE", "Dropped type is not defined in the keyspace schema"),
    (
        "SCHEMA",
        "MISSING_FIELDS_FOR_TYPE_CREATION",
        "At least one field is required for type creation",
    ),
    ("SCHEMA", "MISSING_ALTER_TYPE_OPERATIONS", "Alter type command must include operations"),
    (
        "SCHEMA",
        "CANNOT_ADD_EXISTING_COLUMNS",
        "Columns with the same name are defined in the table schema",
    ),
    (
        "SCHEMA",
        "CANNOT_DROP_UNKNOWN_COLUMNS",
        "Columns cannot be dropped if they are not defined in the table schema",
    ),
    (
        "SCHEMA",
        "CANNOT_DROP_PRIMARY_KEY_COLUMNS",
        "Primary key columns cannot be dropped from the table schema",
    ),
    ("SCHEMA", "MISSING_ALTER_TABLE_OPERATIONS", "Alter table command must include operations"),
    (
        "SORT",
        "UNSUPPORTED_PAGINATION_WITH_IN_MEMORY_SORTING",
        "Pagination not supported when using in-memory sorting",
    ),
    (
        "SCHEMA",
        "UNSUPPORTED_VECTOR_INDEX_FOR_DATA_TYPES",
        "Vector index not supported by data types",
    ),
    ("SCHEMA", "UNKNOWN_VECTOR_METRIC", "Vector metric is unknown"),
    ("SCHEMA", "UNKNOWN_VECTOR_SOURCE_MODEL", "Vector source model is unknown"),
    ("SORT", "CANNOT_VECTOR_SORT_NON_VECTOR_COLUMNS", "Vector sort columns are not `vector` type"),
    (
        "SORT",
        "CANNOT_VECTOR_SORT_WITH_LIMIT_EXCEEDS_MAX",
        "Limit exceeds the maximum allowed for vector sort",
    ),
    // The server's title has the double space.
    ("SORT", "CANNOT_VECTOR_SORT_WITH_SKIP_OPTION", "Skip option cannot be used with  vector sort"),
    (
        "SORT",
        "CANNOT_VECTOR_SORT_NON_INDEXED_VECTOR_COLUMNS",
        "Vector sort cannot be used for non indexed vector columns",
    ),
    (
        "SORT",
        "CANNOT_SORT_VECTOR_AND_NON_VECTOR_COLUMNS",
        "Vector sort cannot be used with non vector sorting",
    ),
    (
        "SORT",
        "CANNOT_VECTOR_SORT_ON_MISMATCHED_VECTOR_DIMENSIONS",
        "Vector sort cannot be used with mismatched vector dimensions",
    ),
    ("SORT", "CANNOT_SORT_UNKNOWN_COLUMNS", "Sorted columns are not defined in the table schema"),
    ("SORT", "OVERLOADED_SORT_ROW_LIMIT", "Sort aborted due to in-memory sort restriction"),
    ("DATABASE", "INVALID_DATABASE_QUERY", "Invalid database query"),
];

impl ApiError {
    /// A request error of `scope`/`code` with `message`.
    pub fn request(scope: &'static str, code: &'static str, message: impl Into<String>) -> Self {
        let title = CATALOGUE
            .iter()
            .find(|(s, c, _)| *s == scope && *c == code)
            .map_or("Request error", |(_, _, t)| *t);
        let status = match code {
            "UNSUPPORTED_CONTENT_TYPE" => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "MISSING_AUTHENTICATION_TOKEN" | "UNAUTHENTICATED_REQUEST" => StatusCode::UNAUTHORIZED,
            _ => StatusCode::OK,
        };
        ApiError { family: Family::Request, scope, code, title, message: message.into(), status }
    }

    /// An unscoped request error.
    pub fn unscoped(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::request("", code, message)
    }

    /// A warning: a request-family error object with scope `WARNING`.
    pub fn warning(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::request("WARNING", code, message)
    }

    /// The engine refused a statement: a `SERVER`/`DATABASE` error with Cassandra's message.
    pub fn database(err: &EngineError) -> Self {
        ApiError {
            family: Family::Server,
            scope: "DATABASE",
            code: "INVALID_DATABASE_QUERY",
            title: "Invalid database query",
            message: format!("The database rejected the query: {err}"),
            status: StatusCode::OK,
        }
    }

    /// The JSON object: `id, family, scope, errorCode, title, message`.
    pub fn to_json(&self) -> Json {
        Json::Object(vec![
            ("id".into(), Json::string(random_uuid())),
            (
                "family".into(),
                Json::string(match self.family {
                    Family::Request => "REQUEST",
                    Family::Server => "SERVER",
                }),
            ),
            ("scope".into(), Json::string(self.scope)),
            ("errorCode".into(), Json::string(self.code)),
            ("title".into(), Json::string(self.title)),
            ("message".into(), Json::string(self.message.clone())),
        ])
    }
}

impl From<EngineError> for ApiError {
    fn from(err: EngineError) -> Self {
        ApiError::database(&err)
    }
}

/// A version 4 UUID for error ids. Uniqueness is all that matters here, so a SplitMix64
/// stream seeded from the clock stands in for a random source.
fn random_uuid() -> String {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let seed = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64);
    let next = || {
        let mut z = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed).wrapping_add(seed);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&next().to_be_bytes());
    bytes[8..].copy_from_slice(&next().to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    javafmt::uuid(&bytes)
}
