use cqlfiddle_engine::types::{CqlType, NativeType, UdtType};
use serde_json::json;

use super::*;
use crate::schema::{ColumnKind, ColumnMeta, TableMeta};

fn error_text<T: std::fmt::Debug>(result: Result<T, RestError>) -> String {
    match result {
        Err(e) => e.description,
        Ok(v) => format!("unexpected success: {v:?}"),
    }
}

#[test]
fn type_definitions_print_as_stargate() {
    let n = |t| Box::new(CqlType::Native(t));
    let udt = CqlType::Udt(UdtType { keyspace: "ks".into(), name: "addr".into(), fields: vec![] });
    assert_eq!(
        type_definition(&CqlType::Map(n(NativeType::Date), n(NativeType::Text))),
        "map<date, text>"
    );
    assert_eq!(
        type_definition(&CqlType::Frozen(Box::new(CqlType::Tuple(vec![
            CqlType::Native(NativeType::Duration),
            CqlType::Native(NativeType::Inet)
        ])))),
        "tuple<duration, inet>"
    );
    assert_eq!(type_definition(&CqlType::Frozen(Box::new(udt))), "frozen<udt<addr>>");
    assert_eq!(type_definition(&CqlType::Vector(n(NativeType::Float), 5)), "vector<float, 5>");
}

#[test]
fn keyspaces_translate() {
    assert_eq!(
        create_keyspace(r#"{"name":"ks","replicas":2}"#),
        Ok(("ks".into(), "CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}".into()))
    );
    assert_eq!(
        create_keyspace(r#"{"name":"Ks","datacenters":[{"name":"dc1"},{"name":"dc2","replicas":1}]}"#),
        Ok(("Ks".into(), "CREATE KEYSPACE IF NOT EXISTS \"Ks\" WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 1}".into()))
    );
    assert!(
        error_text(create_keyspace("{"))
            .starts_with("Invalid JSON payload for Keyspace creation, problem: ")
    );
    assert!(
        error_text(create_keyspace("{}"))
            .starts_with("Missing 'name' String property in payload Object: ")
    );
    assert!(
        error_text(create_keyspace(r#"{"name":"x","datacenters":[]}"#))
            .ends_with("empty 'datacenters'")
    );
    let simple = [
        ("class".to_string(), "org.apache.cassandra.locator.SimpleStrategy".to_string()),
        ("replication_factor".into(), "1".into()),
    ];
    assert_eq!(keyspace_json("ks", &simple), json!({"name": "ks"}));
    let nts = [
        ("class".to_string(), "org.apache.cassandra.locator.NetworkTopologyStrategy".to_string()),
        ("dc1".into(), "3".into()),
    ];
    assert_eq!(
        keyspace_json("ks", &nts),
        json!({"name": "ks", "datacenters": [{"name": "dc1", "replicas": 3}]})
    );
}

#[test]
fn create_table_puts_key_columns_first() {
    let body = r#"{"name":"users","ifNotExists":true,
        "columnDefinitions":[{"name":"tags","typeDefinition":"set<text>"},{"name":"lastname","typeDefinition":"text"},
                             {"name":"firstname","typeDefinition":"varchar"},{"name":"Note","typeDefinition":"text","static":true}],
        "primaryKey":{"partitionKey":["firstname"],"clusteringKey":["lastname"]},
        "tableOptions":{"defaultTimeToLive":5,"clusteringExpression":[{"column":"lastname","order":"desc"}]}}"#;
    assert_eq!(
        create_table("ks", body),
        Ok((
            "users".into(),
            "CREATE TABLE IF NOT EXISTS ks.users (firstname text, lastname text, tags set<text>, \"Note\" text STATIC, \
             PRIMARY KEY ((firstname), lastname)) WITH CLUSTERING ORDER BY (lastname DESC)"
                .into()
        ))
    );
    assert_eq!(
        error_text(create_table("ks", r#"{"columnDefinitions":[]}"#)),
        "Request invalid: TableAdd.name must be provided."
    );
    assert_eq!(
        error_text(create_table("ks", r#"{"name":"t"}"#)),
        "TableAdd.columnDefinitions must be provided"
    );
    let bad_type = r#"{"name":"t","columnDefinitions":[{"name":"a","typeDefinition":"int) WITH x"}],"primaryKey":{"partitionKey":["a"]}}"#;
    assert!(error_text(create_table("ks", bad_type)).starts_with("Invalid type definition"));
}

#[test]
fn table_updates_and_columns_translate() {
    assert_eq!(
        update_table("ks", "t", r#"{"name":"t","tableOptions":{"defaultTimeToLive":60}}"#),
        Ok("ALTER TABLE ks.t WITH default_time_to_live = 60".into())
    );
    assert_eq!(
        error_text(update_table("ks", "t", r#"{"name":"t"}"#)),
        "No update provided for defaultTTL"
    );
    assert_eq!(
        error_text(update_table(
            "ks",
            "t",
            r#"{"name":"t","tableOptions":{"clusteringExpression":[{"column":"a","order":"ASC"}]}}"#
        )),
        "Cannot update the clustering order of a table"
    );
    assert_eq!(
        add_column("ks", "t", r#"{"name":"Age","typeDefinition":"int","static":true}"#),
        Ok(("Age".into(), "ALTER TABLE ks.t ADD \"Age\" int STATIC".into()))
    );
    assert_eq!(
        rename_column("ks", "t", "a", r#"{"name":"b","typeDefinition":"int"}"#),
        Ok(("b".into(), Some("ALTER TABLE ks.t RENAME a TO b".into())))
    );
    assert_eq!(rename_column("ks", "t", "a", r#"{"name":"a"}"#), Ok(("a".into(), None)));
}

#[test]
fn tables_print_as_stargate() {
    let meta = TableMeta {
        keyspace: "ks".into(),
        name: "t".into(),
        columns: vec![
            ColumnMeta {
                name: "id".into(),
                ty: CqlType::Native(NativeType::Int),
                kind: ColumnKind::PartitionKey,
                descending: false,
            },
            ColumnMeta {
                name: "ts".into(),
                ty: CqlType::Native(NativeType::Timestamp),
                kind: ColumnKind::Clustering,
                descending: true,
            },
            ColumnMeta {
                name: "s".into(),
                ty: CqlType::Native(NativeType::Text),
                kind: ColumnKind::Static,
                descending: false,
            },
        ],
    };
    assert_eq!(
        serde_json::to_string(&table_json(&meta, Some(0))).unwrap_or_default(),
        r#"{"name":"t","keyspace":"ks","columnDefinitions":[{"name":"id","typeDefinition":"int","static":false},{"name":"ts","typeDefinition":"timestamp","static":false},{"name":"s","typeDefinition":"text","static":true}],"primaryKey":{"partitionKey":["id"],"clusteringKey":["ts"]},"tableOptions":{"defaultTimeToLive":0,"clusteringExpression":[{"column":"ts","order":"DESC"}]}}"#
    );
    assert_eq!(
        create_index(&meta, r#"{"column":"s","name":"s_idx","ifNotExists":true}"#),
        Ok("CREATE INDEX IF NOT EXISTS s_idx ON ks.t (s)".into())
    );
    assert_eq!(
        create_index(&meta, r#"{"column":"s","kind":"VALUES","type":"StorageAttachedIndex","options":{"case_sensitive":false}}"#),
        Ok("CREATE CUSTOM INDEX ON ks.t (values(s)) USING 'StorageAttachedIndex' WITH OPTIONS = {'case_sensitive': 'false'}".into())
    );
    let missing = create_index(&meta, r#"{"column":"invalid_column"}"#);
    assert_eq!(missing.as_ref().map_err(|e| e.status.as_u16()), Err(404));
    assert_eq!(error_text(missing), "Column 'invalid_column' not found in table 't'");
    assert_eq!(
        error_text(create_index(&meta, r#"{"column":"s","options":{"a":"b"}}"#)),
        "Index 'type' must be specified if 'options' are specified"
    );
}

#[test]
fn types_translate() {
    assert_eq!(
        create_type(
            "ks",
            r#"{"name":"addr","fields":[{"name":"street","typeDefinition":"text"},{"name":"zip","typeDefinition":"int"}]}"#
        ),
        Ok(("addr".into(), "CREATE TYPE ks.addr (street text, zip int)".into()))
    );
    assert_eq!(
        error_text(create_type("ks", r#"{"name":"a","fields":[]}"#)),
        "There should be at least one field defined"
    );
    assert_eq!(
        error_text(create_type("ks", r#"{"name":"a","fields":[{"name":"x"}]}"#)),
        "Field 'name' and 'typeDefinition' must be provided"
    );
    assert_eq!(
        alter_type(
            "ks",
            r#"{"name":"addr","addFields":[{"name":"city","typeDefinition":"text"}],"renameFields":[{"from":"zip","to":"zipcode"},{"from":"a","to":"B"}]}"#
        ),
        Ok(vec![
            "ALTER TYPE ks.addr ADD city text".into(),
            "ALTER TYPE ks.addr RENAME zip TO zipcode AND a TO \"B\"".into()
        ])
    );
    assert_eq!(
        error_text(alter_type("ks", r#"{"name":"addr"}"#)),
        "addFields and/or renameFields is required to update an UDT"
    );
    assert_eq!(
        type_json("ks", "addr", &[("street".into(), "text".into())]),
        json!({"name": "addr", "keyspace": "ks", "fields": [{"name": "street", "typeDefinition": "text"}]})
    );
}
