//! Parses a command, checks its target and runs it on the engine.

use cqlfiddle_engine::types::{CqlType, Value, maybe_quote};
use cqlfiddle_engine::{ErrorKind, Options};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value as JsonValue};

use super::error::ApiError;
use super::{CommandResult, Target, ddl};
use super::{dml, filter, vector};
use crate::AppState;
use crate::base64;
use crate::db::{self, Answer, Locked, ResultSet};
use crate::json::Json;
use crate::rest::literal::quote_string;
use crate::rest::rows::qualified;
use crate::schema::{self, ColumnKind, TableMeta};

/// The page size of an in-memory sort (`defaultSortPageSize`).
const SORT_PAGE_SIZE: usize = 100;
/// The most documents one `insertMany` takes (`maxDocumentInsertCount`).
const MAX_INSERT: usize = 100;

type Outcome = Result<CommandResult, ApiError>;

/// Runs the request body against `target`.
pub fn run(state: &AppState, target: &Target, body: &[u8]) -> CommandResult {
    let parsed: JsonValue = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return ApiError::unscoped(
                "REQUEST_NOT_JSON",
                format!("Request not valid JSON, problem: {e}.\n\nResend request as valid JSON."),
            )
            .into();
        }
    };
    let command = match parsed.as_object().map(|o| o.iter().collect::<Vec<_>>()).as_deref() {
        Some([(name, body)]) => ((*name).clone(), (*body).clone()),
        _ => {
            return ApiError::unscoped(
                "REQUEST_STRUCTURE_MISMATCH",
                "Request is valid JSON but has a structural mismatch: a request must be an object with exactly one command.\n\n\
                 Resend request with valid structure.",
            )
            .into();
        }
    };
    if let Err(error) = check_options(&command.0, &command.1) {
        return error.into();
    }
    let mut engine = state.db.lock();
    let mut result = dispatch(&mut engine, state.page_size, target, &command.0, &command.1)
        .unwrap_or_else(CommandResult::from);
    if let Some(current) =
        command.0.strip_suffix("Namespace").or_else(|| command.0.strip_suffix("Namespaces"))
    {
        let plural = if command.0.ends_with('s') { "s" } else { "" };
        result.warnings.push(ApiError::warning(
            "DEPRECATED_COMMAND",
            format!(
                "The deprecated command is: {}.\nThe new command to use is: {current}Keyspace{plural}.",
                command.0
            ),
        ));
    }
    result
}

/// The `options` each command takes; others are `COMMAND_FIELD_UNKNOWN`, as the server's
/// strict parsing makes them.
fn check_options(command: &str, body: &JsonValue) -> Result<(), ApiError> {
    let allowed: &[&str] = match command {
        "createKeyspace" | "createNamespace" => &["replication"],
        "createTable" | "createType" | "createIndex" | "createVectorIndex" => &["ifNotExists"],
        "dropTable" | "dropIndex" | "dropType" => &["ifExists"],
        "listTables" | "listIndexes" | "listTypes" | "findCollections" => &["explain"],
        "insertMany" => &["ordered", "returnDocumentResponses"],
        "find" => &["limit", "skip", "pageState", "includeSimilarity", "includeSortVector"],
        "findOne" => &["includeSimilarity", "includeSortVector"],
        "updateOne" => &["upsert"],
        // Commands without options are checked where they are parsed.
        _ => return Ok(()),
    };
    match body.get("options") {
        None | Some(JsonValue::Null) => Ok(()),
        Some(JsonValue::Object(options)) => {
            match options.keys().find(|k| !allowed.contains(&k.as_str())) {
                None => Ok(()),
                Some(unknown) => Err(ApiError::unscoped(
                    "COMMAND_FIELD_UNKNOWN",
                    format!(
                        "Command field 'options.{unknown}' not recognized: the options of '{command}' are {}.\n\n\
                         Resend command with valid command fields.",
                        allowed.join(", ")
                    ),
                )),
            }
        }
        Some(other) => Err(ApiError::unscoped(
            "REQUEST_STRUCTURE_MISMATCH",
            format!(
                "Request is valid JSON but has a structural mismatch: 'options' must be an object, got {other}."
            ),
        )),
    }
}

const DATABASE_COMMANDS: &[&str] = &[
    "createKeyspace",
    "dropKeyspace",
    "findKeyspaces",
    "findEmbeddingProviders",
    "findRerankingProviders",
];
const KEYSPACE_COMMANDS: &[&str] = &[
    "createTable",
    "dropTable",
    "listTables",
    "dropIndex",
    "createType",
    "alterType",
    "dropType",
    "listTypes",
    "findCollections",
];
const TABLE_COMMANDS: &[&str] = &[
    "alterTable",
    "createIndex",
    "createVectorIndex",
    "listIndexes",
    "insertOne",
    "insertMany",
    "find",
    "findOne",
    "updateOne",
    "deleteOne",
    "deleteMany",
];
const COLLECTION_ONLY: &[&str] = &[
    "countDocuments",
    "estimatedDocumentCount",
    "updateMany",
    "findOneAndUpdate",
    "findOneAndReplace",
    "findOneAndDelete",
    "findAndRerank",
    "createTextIndex",
];

fn unknown_command(name: &str, kind: &str, known: &[&str]) -> ApiError {
    ApiError::unscoped(
        "COMMAND_UNKNOWN",
        format!(
            "Command '{name}' is not a {kind} recognized by Data API.\n\n\
             Data API supports following {kind}s: {}.\n\n\
             Resend using one of the supported commands.",
            known.join(", ")
        ),
    )
}

fn dispatch(
    engine: &mut Locked<'_>,
    page_size: usize,
    target: &Target,
    name: &str,
    body: &JsonValue,
) -> Outcome {
    match target {
        Target::Database => match name {
            "createKeyspace" | "createNamespace" => {
                let cmd: NameOptions = parse(body)?;
                execute(engine, &ddl::create_keyspace(&cmd.name, cmd.options.as_ref())?)?;
                Ok(CommandResult::ok())
            }
            "dropKeyspace" | "dropNamespace" => {
                let cmd: NameOptions = parse(body)?;
                execute(engine, &format!("DROP KEYSPACE IF EXISTS {}", maybe_quote(&cmd.name)))?;
                Ok(CommandResult::ok())
            }
            "findKeyspaces" | "findNamespaces" => {
                let _: OptionsOnly = parse(body)?;
                let rows = select(engine, "SELECT keyspace_name FROM system_schema.keyspaces")?;
                let names: Vec<Json> = rows
                    .iter()
                    .map(|r| text(r.first()))
                    .filter(|n| !n.starts_with("system"))
                    .map(Json::string)
                    .collect();
                let key = if name == "findKeyspaces" { "keyspaces" } else { "namespaces" };
                Ok(CommandResult::status(vec![(key.into(), Json::Array(names))]))
            }
            "findEmbeddingProviders" => {
                Ok(CommandResult::status(vec![("embeddingProviders".into(), Json::Object(vec![]))]))
            }
            "findRerankingProviders" => {
                Ok(CommandResult::status(vec![("rerankingProviders".into(), Json::Object(vec![]))]))
            }
            _ => Err(unknown_command(name, "General Command", DATABASE_COMMANDS)),
        },
        Target::Keyspace(keyspace) => {
            if !KEYSPACE_COMMANDS.contains(&name) {
                return Err(unknown_command(name, "Keyspace Command", KEYSPACE_COMMANDS));
            }
            require_keyspace(engine, keyspace)?;
            keyspace_command(engine, keyspace, name, body)
        }
        Target::Table(keyspace, table) => {
            if COLLECTION_ONLY.contains(&name) {
                return Err(ApiError::unscoped(
                    "UNSUPPORTED_TABLE_COMMAND",
                    format!(
                        "The command is not supported by tables in the API.\n\n\
                         The commands supported by tables are: {}.\n\n\
                         The unsupported command ran against the table: {keyspace}.{table}\n\
                         The unsupported command was: {name}.",
                        TABLE_COMMANDS.join(", ")
                    ),
                ));
            }
            if !TABLE_COMMANDS.contains(&name) {
                return Err(unknown_command(name, "Collection Command", TABLE_COMMANDS));
            }
            require_keyspace(engine, keyspace)?;
            let Some(meta) = schema::load_table(engine, keyspace, table)? else {
                let tables = table_names(engine, keyspace)?;
                return Err(ApiError::request(
                    "SCHEMA",
                    "UNKNOWN_COLLECTION_OR_TABLE",
                    format!(
                        "The command tried to get a Collection or Table {table} that does not exist in the Keyspace {keyspace}.\n\n\
                         The keyspace has the existing collections or tables: [{}].\n\n\
                         Resend the command using a Collection or Table that exists.",
                        tables.join(", ")
                    ),
                ));
            };
            table_command(engine, page_size, &meta, name, body)
        }
    }
}

// ---- parsing ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NameOptions {
    name: String,
    options: Option<JsonValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OptionsOnly {
    options: Option<JsonValue>,
}

/// Parses a command body strictly: unknown fields are `COMMAND_FIELD_UNKNOWN`, wrong
/// shapes `REQUEST_STRUCTURE_MISMATCH`. A `null` body is an empty object.
fn parse<T: DeserializeOwned>(body: &JsonValue) -> Result<T, ApiError> {
    let body = if body.is_null() { JsonValue::Object(Map::new()) } else { body.clone() };
    serde_json::from_value(body).map_err(|e| {
        let message = e.to_string();
        if message.starts_with("unknown field") {
            ApiError::unscoped(
                "COMMAND_FIELD_UNKNOWN",
                format!("Command field not recognized: {message}.\n\nResend command with valid command fields."),
            )
        } else {
            ApiError::unscoped(
                "REQUEST_STRUCTURE_MISMATCH",
                format!("Request is valid JSON but has a structural mismatch: {message}.\n\nResend request with valid structure."),
            )
        }
    })
}

/// A boolean inside `options`.
fn option_flag(options: Option<&JsonValue>, name: &str) -> bool {
    options.and_then(|o| o.get(name)).and_then(JsonValue::as_bool).unwrap_or(false)
}

fn no_options(command: &str, options: Option<&JsonValue>) -> Result<(), ApiError> {
    match options {
        None | Some(JsonValue::Null) => Ok(()),
        Some(JsonValue::Object(o)) if o.is_empty() => Ok(()),
        Some(_) => Err(ApiError::unscoped(
            "COMMAND_ACCEPTS_NO_OPTIONS",
            format!(
                "Command '{command}' does not accept options but some were included.\n\nResend command without options."
            ),
        )),
    }
}

// ---- engine helpers ----

fn execute(engine: &mut Locked<'_>, cql: &str) -> Result<Answer, ApiError> {
    Ok(db::execute(engine, cql, Options::default())?)
}

fn select(engine: &mut Locked<'_>, cql: &str) -> Result<Vec<Vec<Option<Value>>>, ApiError> {
    Ok(schema::select(engine, cql)?)
}

fn text(cell: Option<&Option<Value>>) -> String {
    match cell {
        Some(Some(Value::Text(s) | Value::Ascii(s))) => s.to_string(),
        _ => String::new(),
    }
}

fn require_keyspace(engine: &mut Locked<'_>, keyspace: &str) -> Result<(), ApiError> {
    if schema::keyspace_exists(engine, keyspace)? {
        return Ok(());
    }
    Err(ApiError::request(
        "SCHEMA",
        "UNKNOWN_KEYSPACE",
        format!(
            "The command tried to use a Keyspace that does not exist in the Database.\n\n\
             The keyspace used by the command: {keyspace}.\n\n\
             Resend the command using a Keyspace that exists."
        ),
    ))
}

fn table_names(engine: &mut Locked<'_>, keyspace: &str) -> Result<Vec<String>, ApiError> {
    let cql = format!(
        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = {}",
        quote_string(keyspace)
    );
    Ok(select(engine, &cql)?.iter().map(|r| text(r.first())).collect())
}

/// `(index name, target column, options)` of an index.
type IndexInfo = (String, String, Vec<(String, String)>);

/// Each index on the table.
fn indexes(engine: &mut Locked<'_>, meta: &TableMeta) -> Vec<IndexInfo> {
    let cql = format!(
        "SELECT index_name, options FROM system_schema.indexes WHERE keyspace_name = {} AND table_name = {}",
        quote_string(&meta.keyspace),
        quote_string(&meta.name)
    );
    // Reads without index metadata still work; they only warn more.
    let Ok(rows) = schema::select(engine, &cql) else { return Vec::new() };
    rows.iter()
        .map(|row| {
            let options: Vec<(String, String)> = match row.get(1) {
                Some(Some(Value::Map(entries))) => entries
                    .iter()
                    .map(|(k, v)| (text(Some(&Some(k.clone()))), text(Some(&Some(v.clone())))))
                    .collect(),
                _ => Vec::new(),
            };
            let target =
                options.iter().find(|(k, _)| k == "target").map_or("", |(_, v)| v.as_str());
            (text(row.first()), index_target_column(target), options)
        })
        .collect()
}

/// The column of an index target such as `values(tags)` or `"Name"`.
fn index_target_column(target: &str) -> String {
    let inner = match (target.find('('), target.strip_suffix(')')) {
        (Some(open), Some(rest)) => rest.get(open + 1..).unwrap_or(target),
        _ => target,
    };
    match inner.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\"\"", "\""),
        None => inner.to_string(),
    }
}

// ---- keyspace commands ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateTable {
    name: String,
    definition: ddl::TableDefinition,
    options: Option<JsonValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TypeFields {
    fields: Map<String, JsonValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateType {
    name: String,
    definition: TypeFields,
    options: Option<JsonValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlterType {
    name: String,
    add: Option<TypeFields>,
    rename: Option<TypeFields>,
}

fn keyspace_command(
    engine: &mut Locked<'_>,
    keyspace: &str,
    name: &str,
    body: &JsonValue,
) -> Outcome {
    match name {
        "createTable" => {
            let cmd: CreateTable = parse(body)?;
            let if_not_exists = option_flag(cmd.options.as_ref(), "ifNotExists");
            let cql = ddl::create_table(keyspace, &cmd.name, &cmd.definition, if_not_exists)?;
            if !if_not_exists && schema::load_table(engine, keyspace, &cmd.name)?.is_some() {
                return Err(ApiError::request(
                    "SCHEMA",
                    "CANNOT_ADD_EXISTING_TABLE",
                    format!(
                        "The command attempted to add a table that already exists in the keyspace schema.\n\n\
                         The command attempted to add the existing table: {}.",
                        cmd.name
                    ),
                ));
            }
            execute(engine, &cql)?;
            Ok(CommandResult::ok())
        }
        "dropTable" => {
            let cmd: NameOptions = parse(body)?;
            let if_exists = option_flag(cmd.options.as_ref(), "ifExists");
            if !if_exists && schema::load_table(engine, keyspace, &cmd.name)?.is_none() {
                return Err(ApiError::request(
                    "SCHEMA",
                    "CANNOT_DROP_UNKNOWN_TABLE",
                    format!(
                        "The command attempted to drop a table that is not in the keyspace schema.\n\n\
                         The command attempted to drop the unknown table: {}.",
                        cmd.name
                    ),
                ));
            }
            execute(engine, &format!("DROP TABLE IF EXISTS {}", qualified(keyspace, &cmd.name)))?;
            Ok(CommandResult::ok())
        }
        "listTables" => {
            let cmd: OptionsOnly = parse(body)?;
            let names = table_names(engine, keyspace)?;
            let tables = if option_flag(cmd.options.as_ref(), "explain") {
                let mut out = Vec::with_capacity(names.len());
                for table in &names {
                    if let Some(meta) = schema::load_table(engine, keyspace, table)? {
                        out.push(ddl::table_description(&meta));
                    }
                }
                out
            } else {
                names.into_iter().map(Json::string).collect()
            };
            Ok(CommandResult::status(vec![("tables".into(), Json::Array(tables))]))
        }
        "findCollections" => {
            let _: OptionsOnly = parse(body)?;
            Ok(CommandResult::status(vec![("collections".into(), Json::Array(Vec::new()))]))
        }
        "dropIndex" => {
            let cmd: NameOptions = parse(body)?;
            let if_exists = option_flag(cmd.options.as_ref(), "ifExists");
            let cql = format!(
                "SELECT index_name FROM system_schema.indexes WHERE keyspace_name = {}",
                quote_string(keyspace)
            );
            let exists = select(engine, &cql)?.iter().any(|r| text(r.first()) == cmd.name);
            if !exists && !if_exists {
                return Err(ApiError::request(
                    "SCHEMA",
                    "CANNOT_DROP_UNKNOWN_INDEX",
                    format!(
                        "The command attempted to drop an index that is not in the keyspace schema.\n\n\
                         The command attempted to drop the unknown index: {}.",
                        cmd.name
                    ),
                ));
            }
            if exists {
                execute(
                    engine,
                    &format!("DROP INDEX IF EXISTS {}", qualified(keyspace, &cmd.name)),
                )?;
            }
            Ok(CommandResult::ok())
        }
        "createType" => {
            let cmd: CreateType = parse(body)?;
            ddl::check_name("Type", &cmd.name)?;
            if cmd.definition.fields.is_empty() {
                return Err(ApiError::request(
                    "SCHEMA",
                    "MISSING_FIELDS_FOR_TYPE_CREATION",
                    "The command must define at least one field for the type.",
                ));
            }
            let fields = type_fields(&cmd.definition.fields)?;
            let if_not_exists = option_flag(cmd.options.as_ref(), "ifNotExists");
            if type_exists(engine, keyspace, &cmd.name)? {
                if if_not_exists {
                    return Ok(CommandResult::ok());
                }
                return Err(ApiError::request(
                    "SCHEMA",
                    "CANNOT_ADD_EXISTING_TYPE",
                    format!("The command attempted to add the existing type: {}.", cmd.name),
                ));
            }
            execute(
                engine,
                &format!("CREATE TYPE {} ({})", qualified(keyspace, &cmd.name), fields.join(", ")),
            )?;
            Ok(CommandResult::ok())
        }
        "alterType" => {
            let cmd: AlterType = parse(body)?;
            let target = qualified(keyspace, &cmd.name);
            let mut statements = Vec::new();
            if let Some(add) = &cmd.add {
                for field in type_fields(&add.fields)? {
                    statements.push(format!("ALTER TYPE {target} ADD {field}"));
                }
            }
            if let Some(rename) = cmd.rename.as_ref().filter(|r| !r.fields.is_empty()) {
                let parts: Vec<String> = rename
                    .fields
                    .iter()
                    .map(|(from, to)| {
                        format!(
                            "{} TO {}",
                            maybe_quote(from),
                            maybe_quote(to.as_str().unwrap_or_default())
                        )
                    })
                    .collect();
                statements.push(format!("ALTER TYPE {target} RENAME {}", parts.join(" AND ")));
            }
            if statements.is_empty() {
                return Err(ApiError::request(
                    "SCHEMA",
                    "MISSING_ALTER_TYPE_OPERATIONS",
                    "The `alterType` command must contain at least one operation to alter the type schema, such as adding or renaming fields.",
                ));
            }
            for cql in statements {
                execute(engine, &cql)?;
            }
            Ok(CommandResult::ok())
        }
        "dropType" => {
            let cmd: NameOptions = parse(body)?;
            if !option_flag(cmd.options.as_ref(), "ifExists")
                && !type_exists(engine, keyspace, &cmd.name)?
            {
                return Err(ApiError::request(
                    "SCHEMA",
                    "CANNOT_DROP_UNKNOWN_TYPE",
                    format!("The command attempted to drop the unknown type: {}.", cmd.name),
                ));
            }
            execute(engine, &format!("DROP TYPE IF EXISTS {}", qualified(keyspace, &cmd.name)))?;
            Ok(CommandResult::ok())
        }
        _ => {
            let cmd: OptionsOnly = parse(body)?;
            let explain = option_flag(cmd.options.as_ref(), "explain");
            let cql = format!(
                "SELECT type_name, field_names, field_types FROM system_schema.types WHERE keyspace_name = {}",
                quote_string(keyspace)
            );
            let types = select(engine, &cql)?
                .iter()
                .map(|row| {
                    let name = text(row.first());
                    if !explain {
                        return Json::string(name);
                    }
                    let list = |cell: Option<&Option<Value>>| match cell {
                        Some(Some(Value::List(items))) => {
                            items.iter().map(|v| text(Some(&Some(v.clone())))).collect()
                        }
                        _ => Vec::new(),
                    };
                    let fields: Vec<(String, Json)> = list(row.get(1))
                        .into_iter()
                        .zip(list(row.get(2)))
                        .map(|(f, t)| (f, Json::Object(vec![("type".into(), Json::string(t))])))
                        .collect();
                    Json::Object(vec![
                        ("type".into(), Json::string("userDefined")),
                        ("udtName".into(), Json::string(name)),
                        (
                            "definition".into(),
                            Json::Object(vec![("fields".into(), Json::Object(fields))]),
                        ),
                    ])
                })
                .collect();
            Ok(CommandResult::status(vec![("types".into(), Json::Array(types))]))
        }
    }
}

fn type_exists(engine: &mut Locked<'_>, keyspace: &str, name: &str) -> Result<bool, ApiError> {
    let cql = format!(
        "SELECT type_name FROM system_schema.types WHERE keyspace_name = {} AND type_name = {}",
        quote_string(keyspace),
        quote_string(name)
    );
    Ok(!select(engine, &cql)?.is_empty())
}

/// UDT fields: primitives only, short or long form.
fn type_fields(fields: &Map<String, JsonValue>) -> Result<Vec<String>, ApiError> {
    fields
        .iter()
        .map(|(field, def)| {
            let def: ddl::ColumnDef = serde_json::from_value(def.clone()).map_err(|e| {
                ApiError::unscoped(
                    "COMMAND_FIELD_UNKNOWN",
                    format!("Command field 'fields.{field}' not recognized: {e}."),
                )
            })?;
            let ty = ddl::column_type(&def, field)?;
            if ty.contains('<') || !ty.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(ApiError::request(
                    "SCHEMA",
                    "UNKNOWN_PRIMITIVE_DATA_TYPE",
                    format!("Type fields must be primitive types; the field '{field}' used {ty}."),
                ));
            }
            Ok(format!("{} {ty}", maybe_quote(field)))
        })
        .collect()
}

// ---- table commands ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Filtered {
    filter: Option<JsonValue>,
    projection: Option<JsonValue>,
    sort: Option<JsonValue>,
    update: Option<JsonValue>,
    options: Option<JsonValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InsertOne {
    document: JsonValue,
    options: Option<JsonValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InsertMany {
    documents: Vec<JsonValue>,
    options: Option<JsonValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AlterTable {
    operation: Map<String, JsonValue>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IndexDefinition {
    column: JsonValue,
    options: Option<Map<String, JsonValue>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct CreateIndex {
    name: String,
    definition: IndexDefinition,
    index_type: Option<String>,
    options: Option<JsonValue>,
}

fn table_command(
    engine: &mut Locked<'_>,
    page_size: usize,
    meta: &TableMeta,
    name: &str,
    body: &JsonValue,
) -> Outcome {
    match name {
        "insertOne" => {
            let cmd: InsertOne = parse(body)?;
            no_options(name, cmd.options.as_ref())?;
            let (cql, id) = dml::insert(meta, &cmd.document)?;
            execute(engine, &cql)?;
            Ok(CommandResult::status(vec![
                ("primaryKeySchema".into(), primary_key_schema(meta)),
                ("insertedIds".into(), Json::Array(vec![id])),
            ]))
        }
        "insertMany" => insert_many(engine, meta, parse(body)?),
        "find" | "findOne" => find(engine, page_size, meta, name == "findOne", parse(body)?),
        "updateOne" => {
            let cmd: Filtered = parse(body)?;
            reject_sort(&cmd.sort)?;
            let conditions = filter::write_conditions(meta, cmd.filter.as_ref(), only_eq)?;
            let terms = dml::full_key_terms(meta, &conditions)?;
            let sets = dml::assignments(meta, cmd.update.as_ref())?;
            let cql = format!(
                "UPDATE {} SET {} WHERE {}",
                qualified(&meta.keyspace, &meta.name),
                sets.join(", "),
                terms.join(" AND ")
            );
            execute(engine, &cql)?;
            Ok(CommandResult::status(vec![
                ("matchedCount".into(), Json::number(1)),
                ("modifiedCount".into(), Json::number(1)),
            ]))
        }
        "deleteOne" | "deleteMany" => {
            let cmd: Filtered = parse(body)?;
            reject_sort(&cmd.sort)?;
            no_options(name, cmd.options.as_ref())?;
            let conditions = if name == "deleteOne" {
                filter::write_conditions(meta, cmd.filter.as_ref(), only_eq)?
            } else {
                filter::write_conditions(meta, cmd.filter.as_ref(), || {
                    ApiError::request(
                        "FILTER",
                        "INVALID_PRIMARY_KEY_FILTER",
                        "deleteMany on a table can only filter on primary key columns with $eq, or ranges and $in CQL allows.",
                    )
                })?
            };
            let cql = if name == "deleteOne" {
                let terms = dml::full_key_terms(meta, &conditions)?;
                format!(
                    "DELETE FROM {} WHERE {}",
                    qualified(&meta.keyspace, &meta.name),
                    terms.join(" AND ")
                )
            } else {
                dml::delete_many(meta, &conditions)?
            };
            execute(engine, &cql)?;
            Ok(CommandResult::status(vec![("deletedCount".into(), Json::number(-1))]))
        }
        "alterTable" => alter_table(engine, meta, parse(body)?),
        "createIndex" => create_index(engine, meta, parse(body)?),
        "createVectorIndex" => create_vector_index(engine, meta, parse(body)?),
        _ => {
            let cmd: OptionsOnly = parse(body)?;
            let explain = option_flag(cmd.options.as_ref(), "explain");
            let list = indexes(engine, meta)
                .into_iter()
                .map(|(index, column, options)| {
                    if !explain {
                        return Json::string(index);
                    }
                    let target =
                        options.iter().find(|(k, _)| k == "target").map_or("", |(_, v)| v.as_str());
                    let column_json = match target.split_once('(').map(|(f, _)| f) {
                        Some("keys") => Json::Object(vec![(column.clone(), Json::string("$keys"))]),
                        Some("values")
                            if meta.column(&column).is_some_and(|c| {
                                matches!(c.ty.unfrozen(), cqlfiddle_engine::types::CqlType::Map(..))
                            }) =>
                        {
                            Json::Object(vec![(column.clone(), Json::string("$values"))])
                        }
                        _ => Json::string(column.clone()),
                    };
                    let index_options: Vec<(String, Json)> = [
                        ("ascii", "ascii"),
                        ("case_sensitive", "caseSensitive"),
                        ("normalize", "normalize"),
                    ]
                    .iter()
                    .filter_map(|(cql, api)| {
                        options.iter().find(|(k, _)| k == cql).map(|(_, v)| {
                            ((*api).to_string(), Json::Bool(v.eq_ignore_ascii_case("true")))
                        })
                    })
                    .collect();
                    if meta
                        .column(&column)
                        .is_some_and(|c| matches!(c.ty.unfrozen(), CqlType::Vector(..)))
                    {
                        let (metric, model) =
                            engine.vector_index(&meta.keyspace, &meta.name, &column);
                        return Json::Object(vec![
                            ("name".into(), Json::string(index)),
                            (
                                "definition".into(),
                                Json::Object(vec![
                                    ("column".into(), Json::string(column)),
                                    (
                                        "options".into(),
                                        Json::Object(vec![
                                            ("metric".into(), Json::string(metric)),
                                            ("sourceModel".into(), Json::string(model)),
                                        ]),
                                    ),
                                ]),
                            ),
                            ("indexType".into(), Json::string("vector")),
                        ]);
                    }
                    Json::Object(vec![
                        ("name".into(), Json::string(index)),
                        (
                            "definition".into(),
                            Json::Object(vec![
                                ("column".into(), column_json),
                                ("options".into(), Json::Object(index_options)),
                            ]),
                        ),
                        ("indexType".into(), Json::string("regular")),
                    ])
                })
                .collect();
            Ok(CommandResult::status(vec![("indexes".into(), Json::Array(list))]))
        }
    }
}

fn only_eq() -> ApiError {
    ApiError::request(
        "FILTER",
        "UNSUPPORTED_FILTER_FOR_UPDATE_ONE_DELETE_ONE",
        "updateOne and deleteOne commands only support filtering using $eq.",
    )
}

fn reject_sort(sort: &Option<JsonValue>) -> Result<(), ApiError> {
    match sort {
        None | Some(JsonValue::Null) => Ok(()),
        Some(JsonValue::Object(o)) if o.is_empty() => Ok(()),
        Some(_) => Err(ApiError::unscoped(
            "REQUEST_STRUCTURE_MISMATCH",
            "Request is valid JSON but has a structural mismatch: updates and deletes on tables do not take a sort.",
        )),
    }
}

fn primary_key_schema(meta: &TableMeta) -> Json {
    dml::schema_of(&meta.primary_key().collect::<Vec<_>>())
}

fn insert_many(engine: &mut Locked<'_>, meta: &TableMeta, cmd: InsertMany) -> Outcome {
    if cmd.documents.len() > MAX_INSERT {
        return Err(ApiError::unscoped(
            "COMMAND_FIELD_VALUE_INVALID",
            format!(
                "Command field 'documents' value [{} documents] not valid: amount of documents to insert is over the max limit ({} vs {MAX_INSERT}).",
                cmd.documents.len(),
                cmd.documents.len()
            ),
        ));
    }
    let ordered = option_flag(cmd.options.as_ref(), "ordered");
    let responses = option_flag(cmd.options.as_ref(), "returnDocumentResponses");
    let prepared: Vec<Result<(String, Json), ApiError>> =
        cmd.documents.iter().map(|d| dml::insert(meta, d)).collect();
    let mut result = CommandResult::default();
    let mut ids = Vec::new();
    // Per document: Ok(id) inserted, Err(Some(i)) failed with errors[i], Err(None) skipped.
    let mut outcomes: Vec<Result<Json, Option<usize>>> = Vec::with_capacity(prepared.len());
    let mut stopped = false;
    for item in prepared {
        let outcome = match item {
            Ok(_) if stopped => Err(None),
            Ok((cql, id)) => match db::execute(engine, &cql, Options::default()) {
                Ok(_) => Ok(id),
                Err(e) => Err(Some(push_error(&mut result.errors, ApiError::database(&e)))),
            },
            Err(e) => Err(Some(push_error(&mut result.errors, e))),
        };
        if ordered && matches!(outcome, Err(Some(_))) {
            stopped = true;
        }
        if let Ok(id) = &outcome {
            ids.push(id.clone());
        }
        outcomes.push(outcome);
    }
    if responses {
        let docs = outcomes
            .into_iter()
            .map(|o| match o {
                Ok(id) => {
                    Json::Object(vec![("_id".into(), id), ("status".into(), Json::string("OK"))])
                }
                Err(Some(i)) => Json::Object(vec![
                    ("_id".into(), Json::Null),
                    ("status".into(), Json::string("ERROR")),
                    ("errorsIdx".into(), Json::number(i)),
                ]),
                Err(None) => Json::Object(vec![
                    ("_id".into(), Json::Null),
                    ("status".into(), Json::string("SKIPPED")),
                ]),
            })
            .collect();
        result.status.push(("primaryKeySchema".into(), primary_key_schema(meta)));
        result.status.push(("documentResponses".into(), Json::Array(docs)));
    } else {
        result.status.push(("primaryKeySchema".into(), primary_key_schema(meta)));
        result.status.push(("insertedIds".into(), Json::Array(ids)));
    }
    Ok(result)
}

/// Adds `error` unless an identical one is there; returns its index.
fn push_error(errors: &mut Vec<ApiError>, error: ApiError) -> usize {
    match errors.iter().position(|e| *e == error) {
        Some(i) => i,
        None => {
            errors.push(error);
            errors.len() - 1
        }
    }
}

fn find(
    engine: &mut Locked<'_>,
    page_size: usize,
    meta: &TableMeta,
    one: bool,
    cmd: Filtered,
) -> Outcome {
    if cmd.update.is_some() {
        return Err(ApiError::unscoped(
            "COMMAND_FIELD_UNKNOWN",
            "Command field 'update' not recognized for a read.",
        ));
    }
    let exprs = filter::parse(meta, cmd.filter.as_ref())?;
    let leaves = filter::leaf_conditions(&exprs);
    let (conditions, residual) = filter::split(meta, exprs);
    let residual = filter::compile(meta, &residual)?;
    let selected = dml::projection(meta, cmd.projection.as_ref())?;
    let vector_sort = vector::sort_vector(meta, cmd.sort.as_ref())?;
    let sort =
        if vector_sort.is_some() { Vec::new() } else { dml::parse_sort(meta, cmd.sort.as_ref())? };
    let options = cmd.options.as_ref();
    let number = |name: &str| options.and_then(|o| o.get(name)).filter(|v| !v.is_null());
    let limit = match number("limit") {
        None => None,
        Some(v) => match v.as_u64().filter(|n| *n > 0 && !one) {
            Some(n) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
            None => return Err(field_invalid("options.limit", v, "must be a positive integer")),
        },
    };
    let skip = match number("skip") {
        None => 0,
        Some(v) => match v.as_u64().filter(|_| !one) {
            Some(n) if !sort.is_empty() || vector_sort.is_some() => {
                usize::try_from(n).unwrap_or(usize::MAX)
            }
            _ => {
                return Err(field_invalid(
                    "options.skip",
                    v,
                    "skip requires a sort and a non-negative integer",
                ));
            }
        },
    };
    let page_state = match options
        .and_then(|o| o.get("pageState"))
        .and_then(JsonValue::as_str)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(text) => Some(base64::decode(text).map_err(|e| {
            field_invalid("options.pageState", &JsonValue::String(text.into()), &e)
        })?),
    };
    let indexed: Vec<String> =
        indexes(engine, meta).into_iter().map(|(_, column, _)| column).collect();
    if let Some((column, query)) = vector_sort {
        let plan =
            VectorFind { column, query, one, limit, skip, conditions, residual, selected, options };
        return vector_find(engine, meta, &indexed, leaves, plan);
    }
    let filter_warnings = dml::filter_warnings(meta, &leaves, &indexed);
    let terms = dml::where_terms(meta, &conditions)?;
    let order = dml::pushdown_order(meta, &sort, &conditions, skip > 0);
    let in_memory = !sort.is_empty() && order.is_none();
    // Rows the emulator filters itself cannot be limited by the statement.
    let filtered_here = !residual.is_empty();
    let allow_filtering = !filter_warnings.is_empty();
    let mut cql = format!("SELECT * FROM {}", qualified(&meta.keyspace, &meta.name));
    if !terms.is_empty() {
        cql.push_str(&format!(" WHERE {}", terms.join(" AND ")));
    }
    if let Some(order) = &order {
        cql.push_str(&format!(" ORDER BY {order}"));
    }
    if !in_memory
        && !filtered_here
        && let Some(limit) = if one { Some(1) } else { limit }
    {
        cql.push_str(&format!(" LIMIT {limit}"));
    }
    if allow_filtering {
        cql.push_str(" ALLOW FILTERING");
    }
    let mut result = CommandResult::default();
    result.status.push(("projectionSchema".into(), dml::schema_of(&selected)));
    if in_memory {
        result.warnings.push(dml::in_memory_sort_warning(meta));
        if page_state.is_some() {
            return Err(ApiError::request(
                "SORT",
                "UNSUPPORTED_PAGINATION_WITH_IN_MEMORY_SORTING",
                format!(
                    "Pagination is not supported when the data is sorted in-memory.\n\nThe table {}.{} was sorted in memory.",
                    meta.keyspace, meta.name
                ),
            ));
        }
    }
    result.warnings.extend(filter_warnings);
    let paging = !in_memory && !one;
    let scan = in_memory || (one && filtered_here);
    let run_options = Options {
        page_size: if paging { Some(page_size) } else { None },
        paging_state: if paging { page_state } else { None },
        ..Options::default()
    };
    let mut rows = match db::execute(engine, &cql, run_options)? {
        Answer::Rows(rows) => rows,
        Answer::Void => ResultSet { columns: Vec::new(), rows: Vec::new(), paging_state: None },
    };
    if scan && rows.rows.len() > dml::MAX_SORT_ROWS {
        return Err(ApiError::request(
            "SORT",
            "OVERLOADED_SORT_ROW_LIMIT",
            format!(
                "The command was aborted because it would read more than the limit of {} rows in memory.",
                dml::MAX_SORT_ROWS
            ),
        ));
    }
    if filtered_here {
        rows.rows.retain(|row| filter::matches(&residual, &rows.columns, row));
        if let Some(limit) = limit.filter(|l| !in_memory && rows.rows.len() > *l) {
            rows.rows.truncate(limit);
            rows.paging_state = None;
        }
    }
    if in_memory {
        if rows.rows.len() > dml::MAX_SORT_ROWS {
            return Err(ApiError::request(
                "SORT",
                "OVERLOADED_SORT_ROW_LIMIT",
                format!(
                    "The command was aborted because the in-memory sort read more than the limit of {} rows.",
                    dml::MAX_SORT_ROWS
                ),
            ));
        }
        let total = rows.rows.len();
        dml::sort_rows(&rows.columns, &mut rows.rows, &sort);
        let take = if one { 1 } else { limit.unwrap_or(SORT_PAGE_SIZE).min(SORT_PAGE_SIZE) };
        rows.rows = rows.rows.into_iter().skip(skip).take(take).collect();
        rows.paging_state = None;
        result.status.push(("sortedRowCount".into(), Json::number(total)));
    }
    let names: Vec<&str> = selected.iter().map(|c| c.name.as_str()).collect();
    let keep: Vec<usize> = rows
        .columns
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| names.contains(&n.as_str()))
        .map(|(i, _)| i)
        .collect();
    let columns: Vec<_> = keep.iter().filter_map(|i| rows.columns.get(*i).cloned()).collect();
    let documents: Vec<Json> = rows
        .rows
        .iter()
        .map(|row| {
            let cells: Vec<Option<Value>> =
                keep.iter().map(|i| row.get(*i).cloned().flatten()).collect();
            dml::document(&columns, &cells)
        })
        .collect();
    result.data = Some(if one {
        Json::Object(vec![("document".into(), documents.into_iter().next().unwrap_or(Json::Null))])
    } else {
        Json::Object(vec![
            ("documents".into(), Json::Array(documents)),
            (
                "nextPageState".into(),
                rows.paging_state.map_or(Json::Null, |s| Json::string(base64::encode(&s))),
            ),
        ])
    });
    Ok(result)
}

fn field_invalid(field: &str, value: &JsonValue, problem: &str) -> ApiError {
    ApiError::unscoped(
        "COMMAND_FIELD_VALUE_INVALID",
        format!(
            "Command field '{field}' value {value} not valid: {problem}.\n\nResend command with valid value."
        ),
    )
}

fn alter_table(engine: &mut Locked<'_>, meta: &TableMeta, cmd: AlterTable) -> Outcome {
    let target = qualified(&meta.keyspace, &meta.name);
    let missing = || {
        ApiError::request(
            "SCHEMA",
            "MISSING_ALTER_TABLE_OPERATIONS",
            "The alterTable command must include one operation with columns.",
        )
    };
    let (op, value) = match cmd.operation.iter().collect::<Vec<_>>().as_slice() {
        [(op, value)] => ((*op).clone(), (*value).clone()),
        _ => return Err(missing()),
    };
    let columns = value.get("columns").ok_or_else(missing)?;
    match op.as_str() {
        "add" => {
            let columns = columns.as_object().filter(|c| !c.is_empty()).ok_or_else(missing)?;
            let existing: Vec<&str> =
                columns.keys().map(String::as_str).filter(|c| meta.column(c).is_some()).collect();
            if !existing.is_empty() {
                return Err(ApiError::request(
                    "SCHEMA",
                    "CANNOT_ADD_EXISTING_COLUMNS",
                    format!(
                        "The command attempted to add columns that are already defined: {}.",
                        existing.join(", ")
                    ),
                ));
            }
            let mut clauses = Vec::with_capacity(columns.len());
            for (name, def) in columns {
                let def: ddl::ColumnDef = serde_json::from_value(def.clone()).map_err(|e| {
                    ApiError::unscoped(
                        "COMMAND_FIELD_UNKNOWN",
                        format!("Command field 'columns.{name}' not recognized: {e}."),
                    )
                })?;
                clauses.push(format!("{} {}", maybe_quote(name), ddl::column_type(&def, name)?));
            }
            execute(engine, &format!("ALTER TABLE {target} ADD ({})", clauses.join(", ")))?;
        }
        "drop" => {
            let names: Vec<String> = columns
                .as_array()
                .filter(|c| !c.is_empty())
                .ok_or_else(missing)?
                .iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect();
            let unknown: Vec<&str> =
                names.iter().map(String::as_str).filter(|c| meta.column(c).is_none()).collect();
            if !unknown.is_empty() {
                return Err(ApiError::request(
                    "SCHEMA",
                    "CANNOT_DROP_UNKNOWN_COLUMNS",
                    format!(
                        "The command attempted to drop columns that are not defined: {}.",
                        unknown.join(", ")
                    ),
                ));
            }
            let keys: Vec<&str> = names
                .iter()
                .map(String::as_str)
                .filter(|c| {
                    meta.column(c).is_some_and(|m| {
                        matches!(m.kind, ColumnKind::PartitionKey | ColumnKind::Clustering)
                    })
                })
                .collect();
            if !keys.is_empty() {
                return Err(ApiError::request(
                    "SCHEMA",
                    "CANNOT_DROP_PRIMARY_KEY_COLUMNS",
                    format!(
                        "The command attempted to drop primary key columns: {}.",
                        keys.join(", ")
                    ),
                ));
            }
            let quoted: Vec<String> = names.iter().map(|n| maybe_quote(n)).collect();
            execute(engine, &format!("ALTER TABLE {target} DROP ({})", quoted.join(", ")))?;
        }
        other => {
            return Err(ApiError::unscoped(
                "REQUEST_STRUCTURE_MISMATCH",
                format!(
                    "Request is valid JSON but has a structural mismatch: the alterTable operation '{other}' is not supported by this emulator."
                ),
            ));
        }
    }
    Ok(CommandResult::ok())
}

fn create_index(engine: &mut Locked<'_>, meta: &TableMeta, cmd: CreateIndex) -> Outcome {
    if cmd.index_type.as_deref().is_some_and(|t| t != "regular") {
        return Err(ApiError::unscoped(
            "REQUEST_STRUCTURE_MISMATCH",
            "Request is valid JSON but has a structural mismatch: createIndex only takes indexType 'regular'.",
        ));
    }
    let (column, function) = match &cmd.definition.column {
        JsonValue::String(c) => (c.clone(), None),
        JsonValue::Object(o) => match o.iter().next() {
            Some((c, JsonValue::String(f))) if o.len() == 1 && (f == "$keys" || f == "$values") => {
                (c.clone(), Some(if f == "$keys" { "keys" } else { "values" }))
            }
            _ => {
                return Err(ApiError::unscoped(
                    "REQUEST_STRUCTURE_MISMATCH",
                    "Index column must be a name or {\"column\": \"$keys\"|\"$values\"}.",
                ));
            }
        },
        _ => {
            return Err(ApiError::unscoped(
                "REQUEST_STRUCTURE_MISMATCH",
                "Index column must be a name or {\"column\": \"$keys\"|\"$values\"}.",
            ));
        }
    };
    let Some(meta_column) = meta.column(&column) else {
        return Err(ApiError::request(
            "SCHEMA",
            "UNKNOWN_INDEX_COLUMN",
            format!("The command attempted to index the unknown column: {column}."),
        ));
    };
    let target = match (function, meta_column.ty.unfrozen()) {
        (Some(f), _) => format!("{f}({})", maybe_quote(&column)),
        (None, cqlfiddle_engine::types::CqlType::Map(..)) => {
            format!("entries({})", maybe_quote(&column))
        }
        (
            None,
            cqlfiddle_engine::types::CqlType::List(_) | cqlfiddle_engine::types::CqlType::Set(_),
        ) => {
            format!("values({})", maybe_quote(&column))
        }
        _ => maybe_quote(&column),
    };
    let mut cql = format!(
        "CREATE CUSTOM INDEX {}{} ON {} ({target}) USING 'StorageAttachedIndex'",
        if option_flag(cmd.options.as_ref(), "ifNotExists") { "IF NOT EXISTS " } else { "" },
        maybe_quote(&cmd.name),
        qualified(&meta.keyspace, &meta.name)
    );
    let analysis: Vec<String> =
        [("ascii", "ascii"), ("caseSensitive", "case_sensitive"), ("normalize", "normalize")]
            .iter()
            .filter_map(|(api, cql)| {
                cmd.definition
                    .options
                    .as_ref()?
                    .get(*api)?
                    .as_bool()
                    .map(|b| format!("'{cql}': '{b}'"))
            })
            .collect();
    if !analysis.is_empty() {
        cql.push_str(&format!(" WITH OPTIONS = {{{}}}", analysis.join(", ")));
    }
    db::execute(engine, &cql, Options::default()).map_err(|e| create_index_error(&e, &cmd.name))?;
    Ok(CommandResult::ok())
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VectorIndexDefinition {
    column: String,
    options: Option<Map<String, JsonValue>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateVectorIndex {
    name: String,
    definition: VectorIndexDefinition,
    options: Option<JsonValue>,
}

fn create_vector_index(
    engine: &mut Locked<'_>,
    meta: &TableMeta,
    cmd: CreateVectorIndex,
) -> Outcome {
    let column = &cmd.definition.column;
    let Some(meta_column) = meta.column(column) else {
        return Err(ApiError::request(
            "SCHEMA",
            "UNKNOWN_INDEX_COLUMN",
            format!("The command attempted to index the unknown column: {column}."),
        ));
    };
    if !matches!(meta_column.ty.unfrozen(), CqlType::Vector(..)) {
        return Err(ApiError::request(
            "SCHEMA",
            "UNSUPPORTED_VECTOR_INDEX_FOR_DATA_TYPES",
            format!(
                "The column '{column}' is of type {}; vector indexes need a `vector` column.",
                meta_column.ty
            ),
        ));
    }
    let option = |name: &str| {
        cmd.definition.options.as_ref().and_then(|o| o.get(name)).and_then(JsonValue::as_str)
    };
    let metric = option("metric").unwrap_or(vector::METRICS[0]);
    if !vector::METRICS.contains(&metric) {
        return Err(ApiError::request(
            "SCHEMA",
            "UNKNOWN_VECTOR_METRIC",
            format!(
                "The known metrics are: {}. The command used: {metric}.",
                vector::METRICS.join(", ")
            ),
        ));
    }
    let model = option("sourceModel").unwrap_or("other");
    if !vector::SOURCE_MODELS.contains(&model) {
        return Err(ApiError::request(
            "SCHEMA",
            "UNKNOWN_VECTOR_SOURCE_MODEL",
            format!(
                "The known source models are: {}. The command used: {model}.",
                vector::SOURCE_MODELS.join(", ")
            ),
        ));
    }
    let cql = format!(
        "CREATE CUSTOM INDEX {}{} ON {} ({}) USING 'StorageAttachedIndex' \
         WITH OPTIONS = {{'similarity_function': '{metric}', 'source_model': '{model}'}}",
        if option_flag(cmd.options.as_ref(), "ifNotExists") { "IF NOT EXISTS " } else { "" },
        maybe_quote(&cmd.name),
        qualified(&meta.keyspace, &meta.name),
        maybe_quote(column)
    );
    db::execute(engine, &cql, Options::default()).map_err(|e| create_index_error(&e, &cmd.name))?;
    engine.set_vector_index(&meta.keyspace, &meta.name, column, metric, model);
    Ok(CommandResult::ok())
}

/// The Data API's error for a failed `CREATE INDEX` named `name`: its own for an index that
/// already exists, the database error otherwise.
fn create_index_error(e: &cqlfiddle_engine::Error, name: &str) -> ApiError {
    if e.kind() == ErrorKind::AlreadyExists || e.to_string().contains("already exists") {
        ApiError::request(
            "SCHEMA",
            "CANNOT_ADD_EXISTING_INDEX",
            format!("The command attempted to add the existing index: {name}."),
        )
    } else {
        ApiError::database(e)
    }
}

/// A `find` or `findOne` ordered by similarity to a vector.
struct VectorFind<'a> {
    column: String,
    query: Vec<f32>,
    one: bool,
    limit: Option<usize>,
    skip: usize,
    conditions: Vec<dml::Condition>,
    residual: Vec<filter::Compiled>,
    selected: Vec<&'a crate::schema::ColumnMeta>,
    options: Option<&'a JsonValue>,
}

/// Reads every row the filter lets through, scores each against the query vector with the
/// index's metric, and answers the best ones: the emulator's stand-in for ANN.
fn vector_find(
    engine: &mut Locked<'_>,
    meta: &TableMeta,
    indexed: &[String],
    leaves: Vec<dml::Condition>,
    plan: VectorFind<'_>,
) -> Outcome {
    if !indexed.contains(&plan.column) {
        return Err(ApiError::request(
            "SORT",
            "CANNOT_VECTOR_SORT_NON_INDEXED_VECTOR_COLUMNS",
            format!(
                "The vector column '{}' has no vector index; create one with createVectorIndex.",
                plan.column
            ),
        ));
    }
    if plan.skip > 0 {
        return Err(ApiError::request(
            "SORT",
            "CANNOT_VECTOR_SORT_WITH_SKIP_OPTION",
            "The skip option cannot be used with a vector sort.",
        ));
    }
    if plan.limit.is_some_and(|l| l > vector::MAX_LIMIT) {
        return Err(ApiError::request(
            "SORT",
            "CANNOT_VECTOR_SORT_WITH_LIMIT_EXCEEDS_MAX",
            format!("A vector sort returns at most {} rows.", vector::MAX_LIMIT),
        ));
    }
    let mut result = CommandResult::default();
    result.status.push(("projectionSchema".into(), dml::schema_of(&plan.selected)));
    // A vector sort without a filter is the normal case, so it does not warn about that.
    if !leaves.is_empty() {
        result.warnings.extend(dml::filter_warnings(meta, &leaves, indexed));
    }
    let terms = dml::where_terms(meta, &plan.conditions)?;
    let mut cql = format!("SELECT * FROM {}", qualified(&meta.keyspace, &meta.name));
    if !terms.is_empty() {
        cql.push_str(&format!(" WHERE {} ALLOW FILTERING", terms.join(" AND ")));
    }
    let rows = match db::execute(engine, &cql, Options::default())? {
        Answer::Rows(rows) => rows,
        Answer::Void => ResultSet { columns: Vec::new(), rows: Vec::new(), paging_state: None },
    };
    let (metric, _) = engine.vector_index(&meta.keyspace, &meta.name, &plan.column);
    let at = rows.columns.iter().position(|(n, _)| *n == plan.column);
    let mut scored: Vec<(f64, &Vec<Option<Value>>)> = rows
        .rows
        .iter()
        .filter(|row| filter::matches(&plan.residual, &rows.columns, row))
        .filter_map(|row| {
            let stored =
                at.and_then(|i| row.get(i)).and_then(Option::as_ref).and_then(vector::floats)?;
            Some((vector::similarity(&metric, &plan.query, &stored)?, row))
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let take = if plan.one { 1 } else { plan.limit.unwrap_or(vector::MAX_LIMIT) };
    let names: Vec<&str> = plan.selected.iter().map(|c| c.name.as_str()).collect();
    let keep: Vec<usize> = rows
        .columns
        .iter()
        .enumerate()
        .filter(|(_, (n, _))| names.contains(&n.as_str()))
        .map(|(i, _)| i)
        .collect();
    let columns: Vec<_> = keep.iter().filter_map(|i| rows.columns.get(*i).cloned()).collect();
    let include_similarity = option_flag(plan.options, "includeSimilarity");
    let documents: Vec<Json> = scored
        .into_iter()
        .take(take)
        .map(|(score, row)| {
            let cells: Vec<Option<Value>> =
                keep.iter().map(|i| row.get(*i).cloned().flatten()).collect();
            let mut document = dml::document(&columns, &cells);
            if include_similarity && let Json::Object(fields) = &mut document {
                fields.push((
                    "$similarity".into(),
                    Json::Number(crate::javafmt::float(score as f32)),
                ));
            }
            document
        })
        .collect();
    if option_flag(plan.options, "includeSortVector") {
        let query = plan.query.iter().map(|f| Json::Number(crate::javafmt::float(*f))).collect();
        result.status.push(("sortVector".into(), Json::Array(query)));
    }
    result.data = Some(if plan.one {
        Json::Object(vec![("document".into(), documents.into_iter().next().unwrap_or(Json::Null))])
    } else {
        Json::Object(vec![
            ("documents".into(), Json::Array(documents)),
            ("nextPageState".into(), Json::Null),
        ])
    });
    Ok(result)
}

#[cfg(test)]
mod tests;
