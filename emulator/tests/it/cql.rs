use reqwest::Method;

use crate::{Server, text};

const RELEASE: &str = r#"{"count":1,"data":[{"release_version":"5.0.2"}]}"#;

#[tokio::test]
async fn select_returns_the_rows_wrapper() {
    let server = Server::open().await;
    assert_eq!(
        server.cql("", "SELECT release_version FROM system.local").await,
        (200, RELEASE.to_string())
    );
}

#[tokio::test]
async fn raw_returns_the_bare_array() {
    let server = Server::open().await;
    let expected = r#"[{"release_version":"5.0.2"}]"#.to_string();
    assert_eq!(
        server.cql("?raw=true", "SELECT release_version FROM system.local").await,
        (200, expected.clone())
    );
    assert_eq!(
        server.cql("?raw=TRUE", "SELECT release_version FROM system.local").await,
        (200, expected)
    );
    // Boolean.valueOf: anything but "true" is false.
    assert_eq!(
        server.cql("?raw=1", "SELECT release_version FROM system.local").await,
        (200, RELEASE.into())
    );
}

#[tokio::test]
async fn astra_prefix_serves_the_same_endpoint() {
    let server = Server::open().await;
    let response = server
        .rest(Method::POST, "/api/rest/v2/cql")
        .body("SELECT release_version FROM system.local")
        .send()
        .await
        .expect("send");
    assert_eq!(text(response).await, (200, RELEASE.to_string()));
}

#[tokio::test]
async fn syntax_error_is_invalid_argument() {
    let server = Server::open().await;
    let (status, body) = server.cql("", "SELsECT key FROM system.local").await;
    assert_eq!(status, 400);
    let json: serde_json::Value = serde_json::from_str(&body).expect("json");
    let description = json["description"].as_str().unwrap_or_default();
    assert!(
        description.starts_with(
            "Invalid argument for gRPC operation (Status.Code.INVALID_ARGUMENT->400): INVALID_ARGUMENT: line 1:0 "
        ),
        "{body}"
    );
    let keys: Vec<&String> = json.as_object().map(|o| o.keys().collect()).unwrap_or_default();
    assert_eq!(keys, ["description", "code", "grpcStatus", "internalTxId"]);
    assert_eq!(json["code"], 400);
    assert_eq!(json["grpcStatus"], "INVALID_ARGUMENT");
    assert_eq!(json["internalTxId"], serde_json::Value::Null);
}

#[tokio::test]
async fn empty_body_is_rejected_exactly() {
    let server = Server::open().await;
    let expected = r#"{"description":"Request invalid: CQL query body required.","code":400,"grpcStatus":null,"internalTxId":null}"#;
    assert_eq!(server.cql("", "").await, (400, expected.to_string()));
    assert_eq!(server.cql("", "  \n").await, (400, expected.to_string()));
}

#[tokio::test]
async fn missing_token_is_401() {
    let server = Server::open().await;
    let response = server
        .http
        .post(format!("{}/v2/cql", server.url))
        .body("SELECT release_version FROM system.local")
        .send()
        .await
        .expect("send");
    let expected = r#"{"description":"Role unauthorized for operation: Missing token, expecting one in the X-Cassandra-Token header.","code":401,"grpcStatus":null,"internalTxId":null}"#;
    assert_eq!(text(response).await, (401, expected.to_string()));
}

#[tokio::test]
async fn wrong_token_is_401_when_one_is_configured() {
    let server = Server::start(&["--token", "secret"]).await;
    let (status, body) = server.cql("", "SELECT release_version FROM system.local").await;
    assert_eq!(status, 401);
    assert!(body.contains(r#""grpcStatus":"UNAUTHENTICATED""#), "{body}");
    let response = server
        .http
        .post(format!("{}/v2/cql", server.url))
        .header("X-Cassandra-Token", "secret")
        .body("SELECT release_version FROM system.local")
        .send()
        .await
        .expect("send");
    assert_eq!(text(response).await, (200, RELEASE.to_string()));
}

#[tokio::test]
async fn bad_page_state_is_a_500_with_java_text() {
    let server = Server::open().await;
    let (status, body) =
        server.cql("?page-state=a%20b", "SELECT release_version FROM system.local").await;
    assert_eq!(status, 500);
    assert!(body.contains("Illegal base64 character 20"), "{body}");
}
