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
