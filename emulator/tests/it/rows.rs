use reqwest::Method;

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
