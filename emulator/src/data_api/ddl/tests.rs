use cqlfiddle_engine::types::{CqlType, NativeType};
use serde_json::json;

use super::*;
use crate::schema::{ColumnMeta, TableMeta};

fn definition(value: serde_json::Value) -> TableDefinition {
    serde_json::from_value(value).unwrap_or_else(|e| panic!("bad definition: {e}"))
}

#[test]
fn create_table_renders_columns_key_and_order() {
    let def = definition(json!({
        "columns": {
            "title": "text",
            "author": {"type": "text"},
            "pages": "int",
            "tags": {"type": "set", "valueType": "text"},
            "meta": {"type": "map", "keyType": "text", "valueType": "int"},
            "emb": {"type": "vector", "dimension": 5},
            "addr": {"type": "userDefined", "udtName": "address"},
            "past": {"type": "list", "valueType": {"type": "userDefined", "udtName": "Address"}}
        },
        "primaryKey": {"partitionBy": ["title"], "partitionSort": {"author": 1, "pages": -1}}
    }));
    assert_eq!(
        create_table("ks", "books", &def, true),
        Ok("CREATE TABLE IF NOT EXISTS ks.books (title text, author text, pages int, tags set<text>, \
            meta map<text, int>, emb vector<float, 5>, addr address, past list<frozen<\"Address\">>, \
            PRIMARY KEY ((title), author, pages)) WITH CLUSTERING ORDER BY (author ASC, pages DESC)"
            .into())
    );
    let single = definition(json!({"columns": {"id": "uuid"}, "primaryKey": "id"}));
    assert_eq!(
        create_table("ks", "t", &single, false),
        Ok("CREATE TABLE ks.t (id uuid, PRIMARY KEY ((id)))".into())
    );
}

#[test]
fn create_table_errors_carry_data_api_codes() {
    let code = |def: serde_json::Value, name: &str| match create_table(
        "ks",
        name,
        &definition(def),
        false,
    ) {
        Err(e) => e.code,
        Ok(cql) => panic!("unexpected success: {cql}"),
    };
    assert_eq!(
        code(json!({"columns": {"id": "timeuuid"}, "primaryKey": "id"}), "t"),
        "UNSUPPORTED_DATA_TYPE_TABLE_CREATION"
    );
    assert_eq!(
        code(json!({"columns": {"id": "varchar"}, "primaryKey": "id"}), "t"),
        "UNKNOWN_PRIMITIVE_DATA_TYPE"
    );
    assert_eq!(
        code(json!({"columns": {"id": "map"}, "primaryKey": "id"}), "t"),
        "UNKNOWN_PRIMITIVE_DATA_TYPE"
    );
    assert_eq!(
        code(json!({"columns": {"id": {"type": "nope"}}, "primaryKey": "id"}), "t"),
        "UNKNOWN_DATA_TYPE"
    );
    assert_eq!(
        code(json!({"columns": {"id": "int"}, "primaryKey": "x"}), "t"),
        "UNKNOWN_PARTITION_COLUMNS"
    );
    assert_eq!(
        code(
            json!({"columns": {"id": "int"}, "primaryKey": {"partitionBy": ["id"], "partitionSort": {"c": 1}}}),
            "t"
        ),
        "UNKNOWN_PARTITION_SORT_COLUMNS"
    );
    assert_eq!(
        code(json!({"columns": {"id": "int"}, "primaryKey": "id"}), "bad-name"),
        "UNSUPPORTED_SCHEMA_NAME"
    );
    assert_eq!(
        code(json!({"columns": {"v": {"type": "vector"}}, "primaryKey": "v"}), "t"),
        "MISSING_DIMENSION_IN_VECTOR_COLUMN"
    );
    assert_eq!(
        code(json!({"columns": {"id": {"type": "text", "udtType": "x"}}, "primaryKey": "id"}), "t"),
        "COMMAND_FIELD_UNKNOWN"
    );
}

#[test]
fn keyspaces_and_descriptions() {
    assert_eq!(
        create_keyspace("ks", None),
        Ok("CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}".into())
    );
    let options = json!({"replication": {"class": "NetworkTopologyStrategy", "dc1": 3}});
    assert_eq!(
        create_keyspace("ks", Some(&options)),
        Ok("CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}".into())
    );
    // astra-db-ts's spelling is an unknown option, ignored by SimpleStrategy.
    let options = json!({"replication": {"class": "SimpleStrategy", "replicationFactor": 1}});
    assert_eq!(
        create_keyspace("ks", Some(&options)),
        Ok("CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}".into())
    );
    let options = json!({"replication": {"class": "SimpleStrategy", "replication_factor": "2"}});
    assert_eq!(
        create_keyspace("ks", Some(&options)),
        Ok("CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}".into())
    );
    let options = json!({"replication": {"class": "SimpleStrategy", "replication_factor": [1]}});
    assert_eq!(
        create_keyspace("ks", Some(&options)).map_err(|e| e.code),
        Err("COMMAND_FIELD_VALUE_INVALID")
    );
    let meta = TableMeta {
        keyspace: "ks".into(),
        name: "person".into(),
        columns: vec![
            ColumnMeta {
                name: "id".into(),
                ty: CqlType::Native(NativeType::Text),
                kind: ColumnKind::PartitionKey,
                descending: false,
            },
            ColumnMeta {
                name: "ct".into(),
                ty: CqlType::Native(NativeType::Counter),
                kind: ColumnKind::Regular,
                descending: false,
            },
        ],
    };
    assert_eq!(
        table_description(&meta).to_text(),
        r#"{"name":"person","definition":{"columns":{"id":{"type":"text"},"ct":{"type":"counter","apiSupport":{"createTable":false,"insert":false,"read":true,"filter":true,"cqlDefinition":"counter"}}},"primaryKey":{"partitionBy":["id"],"partitionSort":{}}}}"#
    );
}
