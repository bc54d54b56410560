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
