use crate::{Server, text};

#[tokio::test]
async fn health_needs_no_token() {
    let server = Server::open().await;
    for path in ["/stargate/health", "/health"] {
        let response = server.http.get(format!("{}{path}", server.url)).send().await.expect("send");
        assert_eq!(text(response).await, (200, "UP".to_string()), "{path}");
    }
}

#[tokio::test]
async fn unknown_paths_are_404() {
    let server = Server::open().await;
    let response = server.http.get(format!("{}/nope", server.url)).send().await.expect("send");
    assert_eq!(response.status().as_u16(), 404);
}

#[tokio::test]
async fn unknown_rest_paths_need_a_token_first() {
    let server = Server::open().await;
    let response =
        server.http.get(format!("{}/v2/nope/at/all", server.url)).send().await.expect("send");
    assert_eq!(response.status().as_u16(), 401);
    let response = server
        .http
        .get(format!("{}/v2/nope", server.url))
        .header("X-Cassandra-Token", "t")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status().as_u16(), 404);
}
