use crate::Server;

#[tokio::test]
async fn data_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("cqlfiddle-emulator-it-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("db.snapshot");
    let _ = std::fs::remove_file(&file);
    let path = file.to_str().expect("utf-8 path");

    let server = Server::start(&["--data", path]).await;
    server
        .setup(&[
            "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
            "CREATE TABLE ks.t (id int PRIMARY KEY, v text)",
            "INSERT INTO ks.t (id, v) VALUES (1, 'kept')",
        ])
        .await;
    server.stop().await;
    assert!(file.exists(), "the database is saved at shutdown");

    let server = Server::start(&["--data", path]).await;
    assert_eq!(
        server.cql("?raw=true", "SELECT v FROM ks.t WHERE id = 1").await,
        (200, r#"[{"v":"kept"}]"#.to_string())
    );
    server.stop().await;
    let _ = std::fs::remove_dir_all(&dir);
}
