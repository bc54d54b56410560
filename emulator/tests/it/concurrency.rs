use crate::Server;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_writes_are_all_kept() {
    let server = std::sync::Arc::new(Server::open().await);
    server
        .setup(&[
            "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
            "CREATE TABLE ks.t (id int PRIMARY KEY, n counter)",
        ])
        .await;
    let tasks: Vec<_> = (0..50)
        .map(|i| {
            let server = server.clone();
            tokio::spawn(async move {
                let (status, body) = server
                    .cql("", &format!("UPDATE ks.t SET n = n + 1 WHERE id = {}", i % 5))
                    .await;
                assert_eq!(status, 200, "{body}");
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    let (status, body) = server.cql("?raw=true", "SELECT id, n FROM ks.t").await;
    assert_eq!(status, 200);
    let rows: serde_json::Value = serde_json::from_str(&body).expect("json");
    let total: i64 = rows
        .as_array()
        .map_or(0, |r| r.iter().filter_map(|r| r["n"].as_str()?.parse::<i64>().ok()).sum());
    assert_eq!(total, 50, "{body}");
}

/// A bounded mixed load: 8 clients × 60 requests over both APIs, every one answered
/// correctly and every write kept.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_bounded_mixed_load_is_served_without_errors() {
    use serde_json::json;
    let server = std::sync::Arc::new(Server::open().await);
    server
        .setup(&[
            "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
            "CREATE TABLE ks.kv (k int PRIMARY KEY, v text)",
        ])
        .await;
    let clients: Vec<_> = (0..8)
        .map(|client| {
            let server = server.clone();
            tokio::spawn(async move {
                for i in 0..20 {
                    let k = client * 100 + i;
                    let body = format!(r#"{{"k":{k},"v":"v{k}"}}"#);
                    let (status, _) = server
                        .rest_json(reqwest::Method::POST, "/v2/keyspaces/ks/kv", Some(&body))
                        .await;
                    assert_eq!(status, 201);
                    let (_, rows) = server
                        .rest_json(
                            reqwest::Method::GET,
                            &format!("/v2/keyspaces/ks/kv/{k}?raw=true"),
                            None,
                        )
                        .await;
                    assert_eq!(rows, json!([{"k": k, "v": format!("v{k}")}]));
                    let (_, found) =
                        server.command("/ks/kv", json!({"findOne": {"filter": {"k": k}}})).await;
                    assert_eq!(found["data"]["document"], json!({"k": k, "v": format!("v{k}")}));
                }
            })
        })
        .collect();
    for client in clients {
        client.await.expect("client");
    }
    let (_, body) = server.cql("?raw=true&page-size=1000", "SELECT k FROM ks.kv").await;
    let rows: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(rows.as_array().map(Vec::len), Some(160));
}
