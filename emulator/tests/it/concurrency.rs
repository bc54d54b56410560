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

/// A bounded mixed load: 8 clients × about 2,000 requests over both APIs, every one answered
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
    // 8 clients × 667 rounds × 3 requests ≈ 16,000 requests: half the writes through REST v2,
    // half through the Data API, each read back at once through the other API.
    const CLIENTS: i64 = 8;
    const ROUNDS: i64 = 667;
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| {
            let server = server.clone();
            tokio::spawn(async move {
                let mut failures = Vec::new();
                for i in 0..ROUNDS {
                    let k = client * 10_000 + i;
                    let want = json!({"k": k, "v": format!("v{k}")});
                    if i % 2 == 0 {
                        let body = format!(r#"{{"k":{k},"v":"v{k}"}}"#);
                        let (status, _) = server
                            .rest_json(reqwest::Method::POST, "/v2/keyspaces/ks/kv", Some(&body))
                            .await;
                        if status != 201 {
                            failures.push(format!("insert {k} via REST: {status}"));
                        }
                    } else {
                        let (_, answer) = server
                            .command("/ks/kv", json!({"insertOne": {"document": want.clone()}}))
                            .await;
                        if answer.get("errors").is_some() {
                            failures.push(format!("insertOne {k}: {answer}"));
                        }
                    }
                    let (_, rows) = server
                        .rest_json(
                            reqwest::Method::GET,
                            &format!("/v2/keyspaces/ks/kv/{k}?raw=true"),
                            None,
                        )
                        .await;
                    if rows != json!([want.clone()]) {
                        failures.push(format!("REST read of {k}: {rows}"));
                    }
                    let (_, found) =
                        server.command("/ks/kv", json!({"findOne": {"filter": {"k": k}}})).await;
                    if found["data"]["document"] != want {
                        failures.push(format!("findOne {k}: {found}"));
                    }
                }
                failures
            })
        })
        .collect();
    let mut failures = Vec::new();
    for client in clients {
        failures.extend(client.await.expect("client"));
    }
    assert!(
        failures.is_empty(),
        "{} failed requests, first: {:?}",
        failures.len(),
        failures.first()
    );
    // Every acknowledged write is still there afterwards.
    let (_, body) = server.cql("?raw=true&page-size=100000", "SELECT k, v FROM ks.kv").await;
    let rows: serde_json::Value = serde_json::from_str(&body).expect("json");
    let rows = rows.as_array().expect("rows");
    assert_eq!(rows.len() as i64, CLIENTS * ROUNDS);
    for row in rows {
        let k = row["k"].as_i64().expect("k");
        assert_eq!(row["v"], json!(format!("v{k}")));
    }
}
