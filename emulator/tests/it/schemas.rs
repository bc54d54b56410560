use reqwest::Method;

use crate::{Server, text};

#[tokio::test]
async fn schema_endpoints_need_a_token() {
    let server = Server::open().await;
    for path in ["/v2/schemas/keyspaces", "/api/rest/v2/schemas/keyspaces/ks/tables/t/columns"] {
        let response = server.http.get(format!("{}{path}", server.url)).send().await.expect("send");
        assert_eq!(response.status().as_u16(), 401, "{path}");
    }
}

#[tokio::test]
async fn bad_create_bodies_are_rejected_before_the_database() {
    let server = Server::open().await;
    let cases = [
        ("/v2/schemas/keyspaces", "{", "Invalid JSON payload for Keyspace creation, problem: "),
        (
            "/v2/schemas/keyspaces/ks/tables",
            r#"{"columnDefinitions":[]}"#,
            "Request invalid: TableAdd.name must be provided.",
        ),
        (
            "/v2/schemas/keyspaces/ks/types",
            r#"{"name":"a","fields":[]}"#,
            "There should be at least one field defined",
        ),
    ];
    for (path, body, description) in cases {
        let response = server.rest(Method::POST, path).body(body).send().await.expect("send");
        let (status, body) = text(response).await;
        assert_eq!(status, 400, "{path}");
        let json: serde_json::Value = serde_json::from_str(&body).expect("json");
        assert!(
            json["description"].as_str().unwrap_or_default().starts_with(description),
            "{body}"
        );
    }
}

#[tokio::test]
async fn updating_a_type_needs_something_to_do() {
    let server = Server::open().await;
    let response = server
        .rest(Method::PUT, "/v2/schemas/keyspaces/ks/types")
        .body(r#"{"name":"a"}"#)
        .send()
        .await
        .expect("send");
    let expected = r#"{"description":"addFields and/or renameFields is required to update an UDT","code":400,"grpcStatus":null,"internalTxId":null}"#;
    assert_eq!(text(response).await, (400, expected.to_string()));
}

#[tokio::test]
async fn keyspaces_tables_and_columns_round_trip() {
    use serde_json::json;
    let server = Server::open().await;
    let (status, json) = server
        .rest_json(Method::POST, "/v2/schemas/keyspaces", Some(r#"{"name":"ks","replicas":1}"#))
        .await;
    assert_eq!((status, json), (201, json!({"name": "ks"})));
    assert_eq!(
        server.rest_json(Method::POST, "/v2/schemas/keyspaces", Some(r#"{"name":"ks"}"#)).await.0,
        201,
        "IF NOT EXISTS"
    );
    let (_, json) = server.rest_json(Method::GET, "/v2/schemas/keyspaces/ks", None).await;
    assert_eq!(json, json!({"data": {"name": "ks"}}));
    let (status, json) = server.rest_json(Method::GET, "/v2/schemas/keyspaces/nope", None).await;
    assert_eq!(
        (status, json["description"].clone()),
        (404, json!("Unable to describe keyspace 'nope'"))
    );
    let (_, json) = server.rest_json(Method::GET, "/v2/schemas/keyspaces?raw=true", None).await;
    assert!(json.as_array().is_some_and(|ks| ks.contains(&json!({"name": "ks"}))), "{json}");

    let table = r#"{"name":"users","columnDefinitions":[{"name":"lastname","typeDefinition":"text"},{"name":"firstname","typeDefinition":"text"},
        {"name":"tags","typeDefinition":"set<text>"}],"primaryKey":{"partitionKey":["firstname"],"clusteringKey":["lastname"]},
        "tableOptions":{"clusteringExpression":[{"column":"lastname","order":"DESC"}]}}"#;
    let (status, json) =
        server.rest_json(Method::POST, "/v2/schemas/keyspaces/ks/tables", Some(table)).await;
    assert_eq!((status, json), (201, json!({"name": "users"})));
    let (status, json) =
        server.rest_json(Method::POST, "/v2/schemas/keyspaces/ks/tables", Some(table)).await;
    assert_eq!((status, json["grpcStatus"].clone()), (409, json!("ALREADY_EXISTS")));
    assert!(json["description"].as_str().unwrap_or_default().starts_with(
        "Resource already exists (Status.Code.ALREADY_EXISTS->409): ALREADY_EXISTS: Cannot add already existing table"
    ));
    let (_, json) =
        server.rest_json(Method::GET, "/v2/schemas/keyspaces/ks/tables/users?raw=true", None).await;
    assert_eq!(
        json,
        json!({"name": "users", "keyspace": "ks",
            "columnDefinitions": [
                {"name": "firstname", "typeDefinition": "text", "static": false},
                {"name": "lastname", "typeDefinition": "text", "static": false},
                {"name": "tags", "typeDefinition": "set<text>", "static": false}],
            "primaryKey": {"partitionKey": ["firstname"], "clusteringKey": ["lastname"]},
            "tableOptions": {"defaultTimeToLive": 0, "clusteringExpression": [{"column": "lastname", "order": "DESC"}]}})
    );
    let (status, json) =
        server.rest_json(Method::GET, "/v2/schemas/keyspaces/ks/tables/nope", None).await;
    assert_eq!(
        (status, json["description"].clone()),
        (404, json!("Table 'nope' not found (in keyspace ks)"))
    );
    let (_, json) = server.rest_json(Method::GET, "/v2/schemas/keyspaces/ks/tables", None).await;
    assert_eq!(json["data"].as_array().map(Vec::len), Some(1));

    let (status, json) = server
        .rest_json(
            Method::PUT,
            "/v2/schemas/keyspaces/ks/tables/users",
            Some(r#"{"name":"users","tableOptions":{"defaultTimeToLive":60}}"#),
        )
        .await;
    assert_eq!((status, json), (200, json!({"name": "users"})));
    let (_, json) =
        server.rest_json(Method::GET, "/v2/schemas/keyspaces/ks/tables/users", None).await;
    assert_eq!(json["data"]["tableOptions"]["defaultTimeToLive"], 60);

    let columns = "/v2/schemas/keyspaces/ks/tables/users/columns";
    let (status, json) = server
        .rest_json(Method::POST, columns, Some(r#"{"name":"age","typeDefinition":"int"}"#))
        .await;
    assert_eq!((status, json), (201, json!({"name": "age"})));
    let (_, json) = server.rest_json(Method::GET, &format!("{columns}/age"), None).await;
    assert_eq!(json, json!({"data": {"name": "age", "typeDefinition": "int", "static": false}}));
    let (status, json) = server.rest_json(Method::GET, &format!("{columns}/nope"), None).await;
    assert_eq!(
        (status, json["description"].clone()),
        (404, json!("Column 'nope' not found in table 'users'"))
    );
    let (status, json) = server
        .rest_json(Method::PUT, &format!("{columns}/lastname"), Some(r#"{"name":"surname"}"#))
        .await;
    assert_eq!((status, json), (200, json!({"name": "surname"})));
    let response =
        server.rest(Method::DELETE, &format!("{columns}/age")).send().await.expect("send");
    assert_eq!(response.status().as_u16(), 204);
    let (_, json) = server.rest_json(Method::GET, &format!("{columns}?raw=true"), None).await;
    let names: Vec<&str> = json
        .as_array()
        .map(|c| c.iter().filter_map(|c| c["name"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(names, vec!["firstname", "surname", "tags"]);
    let (status, json) =
        server.rest_json(Method::GET, "/v2/schemas/keyspaces/ks/tables/nope/columns", None).await;
    assert_eq!(
        (status, json["description"].clone()),
        (400, json!("Table 'nope' not found (in keyspace ks)"))
    );

    let response = server
        .rest(Method::DELETE, "/v2/schemas/keyspaces/ks/tables/users")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status().as_u16(), 204);
    let response =
        server.rest(Method::DELETE, "/v2/schemas/keyspaces/ks").send().await.expect("send");
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(server.rest_json(Method::GET, "/v2/schemas/keyspaces/ks", None).await.0, 404);
}

#[tokio::test]
async fn indexes_and_types_round_trip() {
    use serde_json::json;
    let server = Server::open().await;
    server
        .setup(&[
            "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
            "CREATE TABLE ks.t (id int PRIMARY KEY, email text)",
        ])
        .await;
    let indexes = "/v2/schemas/keyspaces/ks/tables/t/indexes";
    let (status, json) = server
        .rest_json(Method::POST, indexes, Some(r#"{"column":"email","name":"email_idx"}"#))
        .await;
    assert_eq!((status, json), (201, json!({"success": true})));
    let (status, json) = server
        .rest_json(Method::POST, indexes, Some(r#"{"column":"email","name":"email_idx"}"#))
        .await;
    assert_eq!(status, 400, "{json}");
    assert!(json["description"].as_str().unwrap_or_default().contains("already exists"), "{json}");
    let (status, json) =
        server.rest_json(Method::POST, indexes, Some(r#"{"column":"invalid_column"}"#)).await;
    assert_eq!(
        (status, json["description"].clone()),
        (404, json!("Column 'invalid_column' not found in table 't'"))
    );
    let (_, json) = server.rest_json(Method::GET, indexes, None).await;
    assert_eq!(
        json,
        json!([{"keyspace_name": "ks", "table_name": "t", "index_name": "email_idx", "kind": "COMPOSITES", "options": {"target": "email"}}])
    );
    let (_, json) =
        server.rest_json(Method::GET, &format!("{indexes}?compactMapData=false"), None).await;
    assert_eq!(json[0]["options"], json!([{"key": "target", "value": "email"}]));
    let (status, json) = server
        .rest_json(Method::GET, "/v2/schemas/keyspaces/no-such-keyspace/tables/t/indexes", None)
        .await;
    assert_eq!(
        (status, json["description"].clone()),
        (400, json!("Keyspace 'no-such-keyspace' not found"))
    );
    let response =
        server.rest(Method::DELETE, &format!("{indexes}/email_idx")).send().await.expect("send");
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(
        server.rest_json(Method::DELETE, &format!("{indexes}/email_idx"), None).await.0,
        400
    );
    let response = server
        .rest(Method::DELETE, &format!("{indexes}/email_idx?ifExists=true"))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status().as_u16(), 204);

    let types = "/v2/schemas/keyspaces/ks/types";
    let udt = r#"{"name":"address_type","fields":[{"name":"street","typeDefinition":"text"},{"name":"zip","typeDefinition":"int"}]}"#;
    assert_eq!(
        server.rest_json(Method::POST, types, Some(udt)).await,
        (201, json!({"name": "address_type"}))
    );
    let (status, json) = server.rest_json(Method::POST, types, Some(udt)).await;
    assert_eq!(
        (status, json["description"].clone()),
        (400, json!("Bad request: A user type with name 'address_type' already exists"))
    );
    let update = r#"{"name":"address_type","addFields":[{"name":"city","typeDefinition":"text"}],"renameFields":[{"from":"zip","to":"zipcode"}]}"#;
    let response = server.rest(Method::PUT, types).body(update).send().await.expect("send");
    assert_eq!(text(response).await, (200, String::new()));
    let (_, json) = server.rest_json(Method::GET, &format!("{types}/address_type"), None).await;
    assert_eq!(
        json,
        json!({"data": {"name": "address_type", "keyspace": "ks", "fields": [
            {"name": "street", "typeDefinition": "text"}, {"name": "zipcode", "typeDefinition": "int"}, {"name": "city", "typeDefinition": "text"}]}})
    );
    let (status, json) = server.rest_json(Method::GET, &format!("{types}/nope"), None).await;
    assert_eq!(
        (status, json["description"].clone()),
        (404, json!("No definition found for UDT 'nope' (keyspace 'ks')"))
    );
    let response =
        server.rest(Method::DELETE, &format!("{types}/address_type")).send().await.expect("send");
    assert_eq!(response.status().as_u16(), 204);
    let (_, json) = server.rest_json(Method::GET, types, None).await;
    assert_eq!(json, json!({"data": []}));
}
