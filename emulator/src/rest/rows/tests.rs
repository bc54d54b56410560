use cqlfiddle_engine::types::{CqlType, NativeType};

use super::*;
use crate::schema::{ColumnKind, ColumnMeta, TableMeta};

fn column(name: &str, ty: CqlType, kind: ColumnKind) -> ColumnMeta {
    ColumnMeta { name: name.into(), ty, kind, descending: false }
}

/// `users (id uuid, "Year" int, name text, tags set<text>, prefs map<text,int>, hits counter,
/// PRIMARY KEY ((id), "Year", name))`.
fn users() -> TableMeta {
    let n = |t| CqlType::Native(t);
    TableMeta {
        keyspace: "ks".into(),
        name: "users".into(),
        columns: vec![
            column("id", n(NativeType::Uuid), ColumnKind::PartitionKey),
            column("Year", n(NativeType::Int), ColumnKind::Clustering),
            column("name", n(NativeType::Text), ColumnKind::Clustering),
            column("active", n(NativeType::Boolean), ColumnKind::Regular),
            column("hits", n(NativeType::Counter), ColumnKind::Regular),
            column(
                "prefs",
                CqlType::Map(Box::new(n(NativeType::Text)), Box::new(n(NativeType::Int))),
                ColumnKind::Regular,
            ),
            column("tags", CqlType::Set(Box::new(n(NativeType::Text))), ColumnKind::Regular),
        ],
    }
}

const ID: &str = "123e4567-e89b-12d3-a456-426614174000";

fn error_text(result: Result<impl std::fmt::Debug, RestError>) -> String {
    match result {
        Err(e) => e.description,
        Ok(v) => format!("unexpected success: {v:?}"),
    }
}

#[test]
fn fields_and_sort_build_the_select() {
    assert_eq!(projection(None), "*");
    assert_eq!(projection(Some(" id, Year,,name ")), "id, \"Year\", name");
    assert_eq!(
        order_by(Some(r#"{"Year":"desc","name":"asc"}"#)),
        Ok(Some("\"Year\" DESC, name ASC".into()))
    );
    assert_eq!(order_by(Some(r#"{"name":"DESC"}"#)), Ok(Some("name DESC".into())));
    assert_eq!(order_by(Some("{}")), Ok(None));
    assert!(error_text(order_by(Some("[1]"))).starts_with(
        "Invalid 'sort' parameter, problem: Invalid 'sort' argument, not JSON Object"
    ));
    assert!(error_text(order_by(Some("{"))).starts_with(
        "Invalid 'sort' parameter, problem: Invalid 'sort' argument, not valid JSON ("
    ));
    assert_eq!(
        select("ks", "Users", Some("id"), &["id = 1".into()], Some("name ASC")),
        "SELECT id FROM ks.\"Users\" WHERE id = 1 ORDER BY name ASC"
    );
}

#[test]
fn where_operators_translate() {
    let meta = users();
    let cases = [
        (format!(r#"{{"id":{{"$eq":"{ID}"}}}}"#), vec![format!("id = {ID}")]),
        (
            r#"{"Year":{"$gt":2000,"$LTE":"2020"}}"#.to_string(),
            vec!["\"Year\" > 2000".into(), "\"Year\" <= 2020".into()],
        ),
        (r#"{"name":{"$in":["a","b"]}}"#.to_string(), vec!["name IN ('a', 'b')".into()]),
        (r#"{"active":{"$exists":true}}"#.to_string(), vec!["active = true".into()]),
        (r#"{"tags":{"$contains":"x"}}"#.to_string(), vec!["tags CONTAINS 'x'".into()]),
        (r#"{"prefs":{"$contains":"3"}}"#.to_string(), vec!["prefs CONTAINS 3".into()]),
        (r#"{"prefs":{"$containsKey":"k"}}"#.to_string(), vec!["prefs CONTAINS KEY 'k'".into()]),
        (
            r#"{"prefs":{"$containsEntry":{"key":"k","value":2}}}"#.to_string(),
            vec!["prefs['k'] = 2".into()],
        ),
        (
            r#"{"Year":{"$eq":[1,2]}}"#.to_string(),
            vec!["\"Year\" = 1".into(), "\"Year\" = 2".into()],
        ),
        ("{}".to_string(), vec![]),
    ];
    for (text, expected) in cases {
        assert_eq!(where_conditions(&meta, &text, true), Ok(expected), "{text}");
    }
}

#[test]
fn where_errors_quote_stargate() {
    let meta = users();
    let err = |text: &str| error_text(where_conditions(&meta, text, true));
    let prefix = "Invalid 'where' parameter, problem: ";
    assert_eq!(err(r#"{"name":{"$ne":"a"}}"#), format!("{prefix}Operation $ne is not supported."));
    assert_eq!(
        err("[1]"),
        format!("{prefix}Was expecting a JSON object as input for where parameter.")
    );
    assert_eq!(
        err(r#"{"name":"a"}"#),
        format!("{prefix}Entry for field name was expecting a JSON object as input.")
    );
    assert_eq!(
        err(r#"{"name":{"$eq":null}}"#),
        format!(
            "{prefix}Value entry for field name, operation $eq was expecting a value, but found null."
        )
    );
    assert_eq!(
        err(r#"{"name":{"$in":[]}}"#),
        format!("{prefix}Value entry for field 'name', operation $in must be a non-empty array")
    );
    assert_eq!(
        err(r#"{"active":{"$exists":false}}"#),
        format!("{prefix}`$exists` only supports the value `true`.")
    );
    assert_eq!(
        err(r#"{"name":{"$contains":"a"}}"#),
        format!(
            "{prefix}Field 'name' not of container type (list, map, set); has to be for operation $contains"
        )
    );
    assert_eq!(
        err(r#"{"tags":{"$containsKey":"a"}}"#),
        format!("{prefix}Field 'tags' not of map type; has to be for operation $containsKey")
    );
    assert_eq!(
        err(r#"{"nope":{"$eq":1}}"#),
        format!(
            "{prefix}Unknown field name 'nope' (table 'users'); known fields: [id, Year, name, active, hits, prefs, tags]"
        )
    );
    assert_eq!(
        err(r#"{"Year":{"$eq":"abc"}}"#),
        format!(
            "{prefix}Failed to deserialize field 'users.Year', problem: Cannot coerce String value 'abc' into expected protobuf type: TypeSpec.Basic.INT"
        )
    );
    assert!(err("{").starts_with(&format!("{prefix}Input provided is not valid json. ")));
}

#[test]
fn key_paths_take_partition_then_clustering_prefixes() {
    let meta = users();
    let segs = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert_eq!(key_conditions(&meta, &segs(&[ID]), "find"), Ok(vec![format!("id = {ID}")]));
    assert_eq!(
        key_conditions(&meta, &segs(&[ID, "2020", "a/b&c"]), "find"),
        Ok(vec![format!("id = {ID}"), "\"Year\" = 2020".into(), "name = 'a/b&c'".into()])
    );
    assert_eq!(
        error_text(key_conditions(&meta, &[], "find")),
        "Invalid path for row to find, problem: Number of key values provided (0) less than number of partition keys (1)"
    );
    assert_eq!(
        error_text(key_conditions(&meta, &segs(&[ID, "1", "a", "b"]), "delete")),
        "Invalid path for row to delete, problem: Number of key values provided (4) exceeds number of partition keys (1) and clustering keys (2)"
    );
    assert!(error_text(key_conditions(&meta, &segs(&["not-a-valid-uuid"]), "update"))
        .starts_with("Invalid path for row to update, problem: Failed to deserialize field 'users.id', problem: Invalid String value ('not-a-valid-uuid')"));
}

#[test]
fn bodies_become_insert_update_and_delete() {
    let meta = users();
    let body = parse_body(&format!(r#"{{"id":"{ID}","Year":2020,"name":"o'neil","tags":["a"]}}"#))
        .unwrap_or_default();
    assert_eq!(
        insert(&meta, &body, true),
        Ok(format!(
            "INSERT INTO ks.users (id, \"Year\", name, tags) VALUES ({ID}, 2020, 'o''neil', {{'a'}})"
        ))
    );
    let segs = vec![ID.to_string(), "2020".into(), "bob".into()];
    let body = parse_body(r#"{"active":null,"hits":"-1"}"#).unwrap_or_default();
    assert_eq!(
        update(&meta, &segs, &body, true),
        Ok(format!(
            "UPDATE ks.users SET active = null, hits = hits + -1 WHERE id = {ID} AND \"Year\" = 2020 AND name = 'bob'"
        ))
    );
    assert_eq!(delete(&meta, &segs[..1]), Ok(format!("DELETE FROM ks.users WHERE id = {ID}")));
    let body = parse_body(r#"{"x":1}"#).unwrap_or_default();
    assert_eq!(
        error_text(insert(&meta, &body, true)),
        "Invalid path for row to create, problem: Unknown field name 'x' (table 'users'); known fields: [id, Year, name, active, hits, prefs, tags]"
    );
    assert!(error_text(parse_body("{")).starts_with("Invalid JSON payload: "));
}
