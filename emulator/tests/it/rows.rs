use reqwest::Method;
use serde_json::json;

use crate::{Server, text};

#[tokio::test]
async fn search_without_where_is_rejected_exactly() {
    let server = Server::open().await;
    let response = server.rest(Method::GET, "/v2/keyspaces/ks/t").send().await.expect("send");
    let expected = r#"{"description":"Request invalid: 'where' must be provided.","code":400,"grpcStatus":null,"internalTxId":null}"#;
    assert_eq!(text(response).await, (400, expected.to_string()));
}

#[tokio::test]
async fn row_endpoints_need_a_token() {
    let server = Server::open().await;
    for (method, path) in [
        (Method::GET, "/v2/keyspaces/ks/t/rows"),
        (Method::GET, "/api/rest/v2/keyspaces/ks/t/1"),
        (Method::POST, "/v2/keyspaces/ks/t"),
        (Method::DELETE, "/v2/keyspaces/ks/t/1/2"),
    ] {
        let response = server
            .http
            .request(method.clone(), format!("{}{path}", server.url))
            .send()
            .await
            .expect("send");
        assert_eq!(response.status().as_u16(), 401, "{method} {path}");
    }
}

#[tokio::test]
async fn malformed_row_body_is_invalid_json_payload() {
    let server = Server::open().await;
    let response =
        server.rest(Method::POST, "/v2/keyspaces/ks/t").body("{").send().await.expect("send");
    let (status, body) = text(response).await;
    assert_eq!(status, 400);
    assert!(body.starts_with(r#"{"description":"Invalid JSON payload: "#), "{body}");
}

#[tokio::test]
async fn all_rows_of_an_unknown_table_is_the_database_error() {
    let server = Server::open().await;
    let response = server
        .rest(Method::GET, "/v2/keyspaces/no_such_ks/no_such_table/rows")
        .send()
        .await
        .expect("send");
    let (status, body) = text(response).await;
    assert_eq!(status, 400);
    assert!(body.contains(r#""grpcStatus":"INVALID_ARGUMENT""#), "{body}");
}

async fn users() -> Server {
    let server = Server::open().await;
    server
        .setup(&[
            "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
            "CREATE TABLE ks.users (id text, \"Year\" int, name text, hits counter, PRIMARY KEY (id, \"Year\", name))",
            "CREATE TABLE ks.people (id text, seq int, name text, tags set<text>, PRIMARY KEY (id, seq))",
        ])
        .await;
    server
}

#[tokio::test]
async fn a_row_goes_through_its_whole_life() {
    let server = users().await;
    let body = r#"{"id":"get1/ab&cd/xy","seq":1,"name":"Ann","tags":["a"]}"#;
    let response =
        server.rest(Method::POST, "/v2/keyspaces/ks/people").body(body).send().await.expect("send");
    assert_eq!(text(response).await, (201, body.to_string()), "POST echoes the body exactly");
    let added = server
        .rest_json(
            Method::POST,
            "/api/rest/v2/keyspaces/ks/people",
            Some(r#"{"id":"get1/ab&cd/xy","seq":2,"name":"Bob"}"#),
        )
        .await;
    assert_eq!(added.0, 201);

    let path = "/v2/keyspaces/ks/people/get1%2Fab%26cd%2Fxy";
    let (status, json) = server.rest_json(Method::GET, path, None).await;
    assert_eq!(status, 200);
    assert_eq!(json["count"], 2);
    assert_eq!(
        json["data"][0],
        json!({"id": "get1/ab&cd/xy", "seq": 1, "name": "Ann", "tags": ["a"]})
    );
    assert_eq!(json["data"][1]["tags"], json!([]), "a null set reads back empty");

    let (status, json) =
        server.rest_json(Method::GET, &format!("{path}/2?fields=name,seq&raw=true"), None).await;
    assert_eq!((status, json), (200, json!([{"name": "Bob", "seq": 2}])));

    let (status, json) = server
        .rest_json(Method::PUT, &format!("{path}/2"), Some(r#"{"name":null,"tags":"{'x','y'}"}"#))
        .await;
    assert_eq!((status, json), (200, json!({"data": {"name": null, "tags": "{'x','y'}"}})));
    let (_, json) = server
        .rest_json(Method::PATCH, &format!("{path}/2?raw=true"), Some(r#"{"name":"Bo"}"#))
        .await;
    assert_eq!(json, json!({"name": "Bo"}));
    let (_, json) = server.rest_json(Method::GET, &format!("{path}/2?raw=true"), None).await;
    assert_eq!(json, json!([{"id": "get1/ab&cd/xy", "seq": 2, "name": "Bo", "tags": ["x", "y"]}]));

    let where_clause = "%7B%22id%22%3A%7B%22%24eq%22%3A%22get1%2Fab%26cd%2Fxy%22%7D%2C%22seq%22%3A%7B%22%24gt%22%3A1%7D%7D";
    let (_, json) = server
        .rest_json(
            Method::GET,
            &format!("/v2/keyspaces/ks/people?where={where_clause}&fields=seq"),
            None,
        )
        .await;
    assert_eq!(json, json!({"count": 1, "data": [{"seq": 2}]}));
    let sort = "%7B%22seq%22%3A%22desc%22%7D";
    let (_, json) = server
        .rest_json(Method::GET, &format!("{path}?fields=seq&sort={sort}&raw=true"), None)
        .await;
    assert_eq!(json, json!([{"seq": 2}, {"seq": 1}]));

    let response = server.rest(Method::DELETE, &format!("{path}/1")).send().await.expect("send");
    assert_eq!(text(response).await, (204, String::new()));
    let response = server.rest(Method::DELETE, &format!("{path}/1")).send().await.expect("send");
    assert_eq!(response.status().as_u16(), 204, "deleting nothing is still 204");
    let (_, json) =
        server.rest_json(Method::GET, "/v2/keyspaces/ks/people/rows?fields=seq", None).await;
    assert_eq!(json, json!({"count": 1, "data": [{"seq": 2}]}));
    let (_, json) = server.rest_json(Method::GET, "/v2/keyspaces/ks/people/nobody", None).await;
    assert_eq!(json, json!({"count": 0, "data": []}), "a miss is 200 with no rows");
}

#[tokio::test]
async fn counters_are_incremented_and_read_as_strings() {
    let server = users().await;
    let path = "/v2/keyspaces/ks/users/u1/2020/ann";
    assert_eq!(server.rest_json(Method::PUT, path, Some(r#"{"hits":1}"#)).await.0, 200);
    assert_eq!(server.rest_json(Method::PATCH, path, Some(r#"{"hits":"+2"}"#)).await.0, 200);
    let (_, json) = server.rest_json(Method::GET, &format!("{path}?raw=true"), None).await;
    assert_eq!(json, json!([{"id": "u1", "Year": 2020, "name": "ann", "hits": "3"}]));
    let (status, _) = server
        .rest_json(
            Method::POST,
            "/v2/keyspaces/ks/users",
            Some(r#"{"id":"u2","Year":1,"name":"b","hits":1}"#),
        )
        .await;
    assert_eq!(status, 400, "counters cannot be inserted");
}

#[tokio::test]
async fn row_errors_quote_stargate() {
    let server = users().await;
    let cases = [
        (Method::GET, "/v2/keyspaces/ks/nope/1", None, "Table 'nope' not found (in keyspace 'ks')"),
        (Method::GET, "/v2/keyspaces/nope/t/1", None, "Keyspace 'nope' not found"),
        (
            Method::POST,
            "/v2/keyspaces/ks/people",
            Some(r#"{"id":"a","seq":1,"x":1}"#),
            "Invalid path for row to create, problem: Unknown field name 'x' (table 'people'); known fields: [id, seq, name, tags]",
        ),
        (
            Method::POST,
            "/v2/keyspaces/ks/people",
            Some(r#"{"id":"a","seq":"one"}"#),
            "Invalid path for row to create, problem: Failed to deserialize field 'people.seq', problem: Cannot coerce String value 'one' into expected protobuf type: TypeSpec.Basic.INT",
        ),
        (
            Method::GET,
            "/v2/keyspaces/ks/users/u1/2020/ann/extra",
            None,
            "Invalid path for row to find, problem: Number of key values provided (4) exceeds number of partition keys (1) and clustering keys (2)",
        ),
        (
            Method::GET,
            "/v2/keyspaces/ks/people?where=%7B%22name%22%3A%7B%22%24ne%22%3A1%7D%7D",
            None,
            "Invalid 'where' parameter, problem: Operation $ne is not supported.",
        ),
    ];
    for (method, path, body, description) in cases {
        let (status, json) = server.rest_json(method.clone(), path, body).await;
        assert_eq!(
            (status, json["description"].as_str()),
            (400, Some(description)),
            "{method} {path}"
        );
    }
    let where_clause = "%7B%22name%22%3A%7B%22%24eq%22%3A%22Ann%22%7D%7D";
    let (status, json) = server
        .rest_json(Method::GET, &format!("/v2/keyspaces/ks/people?where={where_clause}"), None)
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        json["grpcStatus"], "INVALID_ARGUMENT",
        "filtering needs ALLOW FILTERING, which REST never adds"
    );
}
