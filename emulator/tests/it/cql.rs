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

const KEYSPACE: &str =
    "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}";

#[tokio::test]
async fn writes_answer_an_empty_wrapper_and_values_encode_as_stargate() {
    let server = Server::open().await;
    assert_eq!(server.cql("", KEYSPACE).await, (200, r#"{"count":0,"data":[]}"#.to_string()));
    server.setup(&["CREATE TABLE ks.v (id int PRIMARY KEY, m map<int, boolean>, ts timestamp, d decimal, b blob, l list<text>)"]).await;
    server
        .setup(&["INSERT INTO ks.v (id, m, ts, d, b) VALUES (1, {123: true}, '2021-04-23T18:42:22.139Z', 1.10, 0xff)"])
        .await;
    let expected = r#"{"count":1,"data":[{"id":1,"b":"/w==","d":1.10,"l":[],"m":{"123":true},"ts":"2021-04-23T18:42:22.139Z"}]}"#;
    assert_eq!(server.cql("", "SELECT * FROM ks.v").await, (200, expected.to_string()));
    let expected = r#"[{"m":[{"key":123,"value":true}]}]"#;
    assert_eq!(
        server.cql("?raw=true&compactMapData=false", "SELECT m FROM ks.v").await,
        (200, expected.to_string())
    );
    assert_eq!(
        server.cql("?keyspace=ks&raw=true", "SELECT id FROM v").await,
        (200, r#"[{"id":1}]"#.to_string())
    );
}

#[tokio::test]
async fn a_bad_keyspace_parameter_is_invalid_argument() {
    let server = Server::open().await;
    let (status, body) =
        server.cql("?keyspace=no-such-keyspace", "SELECT key FROM system.local").await;
    assert_eq!(status, 400);
    assert!(
        body.contains("INVALID_ARGUMENT: Keyspace 'no-such-keyspace' does not exist"),
        "{body}"
    );
}

#[tokio::test]
async fn page_state_walks_every_page() {
    let server = Server::open().await;
    server.setup(&[KEYSPACE, "CREATE TABLE ks.p (k int, c int, PRIMARY KEY (k, c))"]).await;
    for c in 0..5 {
        server.setup(&[&format!("INSERT INTO ks.p (k, c) VALUES (1, {c})")]).await;
    }
    let mut seen = Vec::new();
    let mut state: Option<String> = None;
    for _ in 0..10 {
        let query = match &state {
            Some(s) => format!(
                "?page-size=2&page-state={}",
                s.replace('+', "%2B").replace('/', "%2F").replace('=', "%3D")
            ),
            None => "?page-size=2".to_string(),
        };
        let (status, body) = server.cql(&query, "SELECT c FROM ks.p").await;
        assert_eq!(status, 200, "{body}");
        let json: serde_json::Value = serde_json::from_str(&body).expect("json");
        let rows = json["data"].as_array().cloned().unwrap_or_default();
        assert!(rows.len() <= 2, "{body}");
        assert_eq!(json["count"], rows.len());
        seen.extend(rows.iter().map(|r| r["c"].as_i64().unwrap_or(-1)));
        state = json["pageState"].as_str().map(str::to_string);
        if state.is_none() {
            break;
        }
    }
    assert_eq!(seen, vec![0, 1, 2, 3, 4]);
    assert!(state.is_none());
}

#[tokio::test]
async fn unreadable_requests_still_get_the_error_envelope() {
    let server = Server::open().await;
    let response =
        server.rest(Method::POST, "/v2/cql").body(vec![0xff, 0xfe]).send().await.expect("send");
    let expected = r#"{"description":"Request invalid: the body is not valid UTF-8.","code":400,"grpcStatus":null,"internalTxId":null}"#;
    assert_eq!(text(response).await, (400, expected.to_string()));
    let response =
        server.rest(Method::GET, "/v2/schemas/keyspaces/%FF").send().await.expect("send");
    let (status, body) = text(response).await;
    assert_eq!(status, 400);
    assert!(body.starts_with(r#"{"description":"Request invalid: "#), "{body}");
}
