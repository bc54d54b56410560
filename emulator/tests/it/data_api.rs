use serde_json::{Value, json};

use crate::{Server, text};

fn code(body: &Value) -> &str {
    body["errors"][0]["errorCode"].as_str().unwrap_or_default()
}

/// A server with keyspace `ks` and table `books` (title, author, pages DESC).
async fn library() -> Server {
    let server = Server::open().await;
    assert_eq!(
        server.command("", json!({"createKeyspace": {"name": "ks"}})).await,
        (200, json!({"status": {"ok": 1}}))
    );
    let table = json!({"createTable": {"name": "books", "definition": {
        "columns": {"title": "text", "author": {"type": "text"}, "pages": "int",
                    "tags": {"type": "set", "valueType": "text"}, "rating": "double", "cover": "blob"},
        "primaryKey": {"partitionBy": ["title"], "partitionSort": {"author": 1, "pages": -1}}}}});
    assert_eq!(server.command("/ks", table).await, (200, json!({"status": {"ok": 1}})));
    server
}

#[tokio::test]
async fn security_and_content_type_errors_have_their_http_status() {
    let server = Server::open().await;
    let response =
        server.http.post(format!("{}/v1", server.url)).body("{}").send().await.expect("send");
    let (status, body) = text(response).await;
    let body: Value = serde_json::from_str(&body).expect("json");
    assert_eq!((status, code(&body)), (401, "MISSING_AUTHENTICATION_TOKEN"));
    assert_eq!(body["errors"][0]["family"], "REQUEST");
    assert_eq!(body["errors"][0]["scope"], "SECURITY");
    let keys: Vec<&String> =
        body["errors"][0].as_object().map(|o| o.keys().collect()).unwrap_or_default();
    assert_eq!(keys, ["id", "family", "scope", "errorCode", "title", "message"]);
    let response = server
        .http
        .post(format!("{}/api/json/v1", server.url))
        .header("X-Cassandra-Token", "t")
        .header("Content-Type", "text/plain")
        .body("{}")
        .send()
        .await
        .expect("send");
    let (status, body) = text(response).await;
    assert_eq!(status, 415);
    assert!(body.contains(r#""errorCode":"UNSUPPORTED_CONTENT_TYPE""#), "{body}");
    let strict = Server::start(&["--token", "secret"]).await;
    let (status, body) = strict.command("", json!({"findKeyspaces": {}})).await;
    assert_eq!((status, code(&body)), (401, "UNAUTHENTICATED_REQUEST"));
}

#[tokio::test]
async fn malformed_requests_are_200_with_errors() {
    let server = Server::open().await;
    let response = server
        .http
        .post(format!("{}/v1", server.url))
        .header("token", "t")
        .header("Content-Type", "application/json")
        .body("{")
        .send()
        .await
        .expect("send");
    let (status, body) = text(response).await;
    assert_eq!(status, 200);
    assert!(body.contains(r#""errorCode":"REQUEST_NOT_JSON""#), "{body}");
    let (_, body) = server.command("", json!({"nope": {}})).await;
    assert_eq!(code(&body), "COMMAND_UNKNOWN");
    let (_, body) = server.command("", json!({"findKeyspaces": {}, "x": {}})).await;
    assert_eq!(code(&body), "REQUEST_STRUCTURE_MISMATCH");
    let (_, body) = server.command("", json!({"createKeyspace": {"name": "ks", "bogus": 1}})).await;
    assert_eq!(code(&body), "COMMAND_FIELD_UNKNOWN");
    let (_, body) = server.command("/nope", json!({"listTables": {}})).await;
    assert_eq!(code(&body), "UNKNOWN_KEYSPACE");
}

#[tokio::test]
async fn keyspaces_and_tables_are_managed() {
    let server = library().await;
    let (_, body) = server.command("", json!({"findKeyspaces": {}})).await;
    assert_eq!(body, json!({"status": {"keyspaces": ["ks"]}}));
    let (_, body) = server.command("/ks", json!({"listTables": {}})).await;
    assert_eq!(body, json!({"status": {"tables": ["books"]}}));
    let (_, body) =
        server.command("/ks", json!({"listTables": {"options": {"explain": true}}})).await;
    assert_eq!(
        body["status"]["tables"][0]["definition"]["primaryKey"],
        json!({"partitionBy": ["title"], "partitionSort": {"author": 1, "pages": -1}})
    );
    assert_eq!(
        body["status"]["tables"][0]["definition"]["columns"]["tags"],
        json!({"type": "set", "valueType": "text"})
    );
    let again = json!({"createTable": {"name": "books", "definition": {"columns": {"id": "int"}, "primaryKey": "id"}}});
    assert_eq!(code(&server.command("/ks", again).await.1), "CANNOT_ADD_EXISTING_TABLE");
    let quietly = json!({"createTable": {"name": "books", "definition": {"columns": {"id": "int"}, "primaryKey": "id"},
        "options": {"ifNotExists": true}}});
    assert_eq!(server.command("/ks", quietly).await.1, json!({"status": {"ok": 1}}));
    let (_, body) = server.command("/ks/nope", json!({"find": {}})).await;
    assert_eq!(code(&body), "UNKNOWN_COLLECTION_OR_TABLE");
    let (_, body) = server.command("/ks/books", json!({"countDocuments": {}})).await;
    assert_eq!(code(&body), "UNSUPPORTED_TABLE_COMMAND");
    let alter = json!({"alterTable": {"operation": {"add": {"columns": {"year": "int"}}}}});
    assert_eq!(server.command("/ks/books", alter).await.1, json!({"status": {"ok": 1}}));
    let drop_key = json!({"alterTable": {"operation": {"drop": {"columns": ["title"]}}}});
    assert_eq!(
        code(&server.command("/ks/books", drop_key).await.1),
        "CANNOT_DROP_PRIMARY_KEY_COLUMNS"
    );
    let index = json!({"createIndex": {"name": "rating_idx", "definition": {"column": "rating"}}});
    assert_eq!(server.command("/ks/books", index).await.1, json!({"status": {"ok": 1}}));
    let (_, body) = server.command("/ks/books", json!({"listIndexes": {}})).await;
    assert_eq!(body, json!({"status": {"indexes": ["rating_idx"]}}));
    assert_eq!(
        server.command("/ks", json!({"dropIndex": {"name": "rating_idx"}})).await.1,
        json!({"status": {"ok": 1}})
    );
    assert_eq!(
        code(&server.command("/ks", json!({"dropIndex": {"name": "rating_idx"}})).await.1),
        "CANNOT_DROP_UNKNOWN_INDEX"
    );
    assert_eq!(
        server.command("/ks", json!({"dropTable": {"name": "books"}})).await.1,
        json!({"status": {"ok": 1}})
    );
    assert_eq!(
        code(&server.command("/ks", json!({"dropTable": {"name": "books"}})).await.1),
        "CANNOT_DROP_UNKNOWN_TABLE"
    );
    assert_eq!(
        server.command("", json!({"dropKeyspace": {"name": "ks"}})).await.1,
        json!({"status": {"ok": 1}})
    );
}

#[tokio::test]
async fn rows_are_inserted_found_updated_and_deleted() {
    let server = library().await;
    let dune = json!({"title": "Dune", "author": "Herbert", "pages": 412, "tags": ["sf"], "cover": {"$binary": "/w=="}});
    let (_, body) = server.command("/ks/books", json!({"insertOne": {"document": dune}})).await;
    assert_eq!(
        body,
        json!({"status": {"primaryKeySchema": {"title": {"type": "text"}, "author": {"type": "text"}, "pages": {"type": "int"}},
            "insertedIds": [["Dune", "Herbert", 412]]}})
    );
    let many = json!({"insertMany": {"documents": [
        {"title": "Dune", "author": "Herbert", "pages": 100, "rating": 4.5},
        {"title": "x"},
        {"title": "Emma", "author": "Austen", "pages": 300}]}});
    let (_, body) = server.command("/ks/books", many).await;
    assert_eq!(
        body["status"]["insertedIds"],
        json!([["Dune", "Herbert", 100], ["Emma", "Austen", 300]])
    );
    assert_eq!(code(&body), "MISSING_PRIMARY_KEY_COLUMNS");

    let find = json!({"find": {"filter": {"title": "Dune"}, "sort": {"author": 1, "pages": -1}, "projection": {"pages": 1, "cover": 1}}});
    let (_, body) = server.command("/ks/books", find).await;
    assert_eq!(
        body,
        json!({"data": {"documents": [{"pages": 412, "cover": {"$binary": "/w=="}}, {"pages": 100}], "nextPageState": null},
            "status": {"projectionSchema": {"pages": {"type": "int"}, "cover": {"type": "blob"}}}})
    );
    let (_, body) = server
        .command("/ks/books", json!({"find": {"sort": {"pages": 1}, "projection": {"pages": 1}}}))
        .await;
    assert_eq!(body["data"]["documents"], json!([{"pages": 100}, {"pages": 300}, {"pages": 412}]));
    assert_eq!(body["status"]["sortedRowCount"], 3);
    let warnings: Vec<&str> = body["status"]["warnings"]
        .as_array()
        .map(|w| w.iter().filter_map(|w| w["errorCode"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(
        warnings,
        ["IN_MEMORY_SORTING_DUE_TO_NON_PARTITION_SORTING", "ZERO_FILTER_OPERATIONS"]
    );
    let (_, body) =
        server.command("/ks/books", json!({"find": {"filter": {"rating": {"$gt": 4}}}})).await;
    assert_eq!(
        body["data"]["documents"],
        json!([{"title": "Dune", "author": "Herbert", "pages": 100, "rating": 4.5}])
    );
    assert_eq!(body["status"]["warnings"][0]["errorCode"], "MISSING_INDEX");
    let (_, body) =
        server.command("/ks/books", json!({"findOne": {"filter": {"title": "Nope"}}})).await;
    assert_eq!(body["data"], json!({"document": null}));

    let key = json!({"title": "Dune", "author": "Herbert", "pages": 412});
    let update = json!({"updateOne": {"filter": key, "update": {"$set": {"rating": 5}, "$push": {"tags": {"$each": ["a"]}}}}});
    assert_eq!(
        server.command("/ks/books", update).await.1,
        json!({"status": {"matchedCount": 1, "modifiedCount": 1}})
    );
    let (_, body) = server
        .command(
            "/ks/books",
            json!({"findOne": {"filter": key, "projection": {"rating": 1, "tags": 1}}}),
        )
        .await;
    assert_eq!(body["data"]["document"], json!({"rating": 5.0, "tags": ["a", "sf"]}));
    let partial =
        json!({"updateOne": {"filter": {"title": "Dune"}, "update": {"$set": {"rating": 1}}}});
    assert_eq!(
        code(&server.command("/ks/books", partial).await.1),
        "MISSING_FULL_PRIMARY_KEY_FOR_UPDATE_DELETE"
    );

    assert_eq!(
        server.command("/ks/books", json!({"deleteOne": {"filter": key}})).await.1,
        json!({"status": {"deletedCount": -1}})
    );
    assert_eq!(
        server.command("/ks/books", json!({"deleteMany": {"filter": {"title": "Dune"}}})).await.1["status"]
            ["deletedCount"],
        -1
    );
    let (_, body) =
        server.command("/ks/books", json!({"find": {"projection": {"title": 1}}})).await;
    assert_eq!(body["data"]["documents"], json!([{"title": "Emma"}]));
    server.command("/ks/books", json!({"deleteMany": {"filter": {}}})).await;
    let (_, body) = server.command("/ks/books", json!({"find": {}})).await;
    assert_eq!(body["data"]["documents"], json!([]));
}

#[tokio::test]
async fn find_pages_with_next_page_state() {
    let server = Server::start(&["--page-size", "2"]).await;
    server.command("", json!({"createKeyspace": {"name": "ks"}})).await;
    let table = json!({"createTable": {"name": "n", "definition": {"columns": {"k": "int", "c": "int"},
        "primaryKey": {"partitionBy": ["k"], "partitionSort": {"c": 1}}}}});
    server.command("/ks", table).await;
    let docs: Vec<Value> = (0..5).map(|c| json!({"k": 1, "c": c})).collect();
    let (_, body) = server
        .command("/ks/n", json!({"insertMany": {"documents": docs, "options": {"ordered": true}}}))
        .await;
    assert_eq!(body["status"]["insertedIds"].as_array().map(Vec::len), Some(5));
    let mut seen = Vec::new();
    let mut state = Value::Null;
    for _ in 0..10 {
        let (_, body) = server
            .command(
                "/ks/n",
                json!({"find": {"filter": {"k": 1}, "options": {"pageState": state}}}),
            )
            .await;
        let docs = body["data"]["documents"].as_array().cloned().unwrap_or_default();
        assert!(docs.len() <= 2, "{body}");
        seen.extend(docs.iter().filter_map(|d| d["c"].as_i64()));
        state = body["data"]["nextPageState"].clone();
        if state.is_null() {
            break;
        }
    }
    assert_eq!(seen, vec![0, 1, 2, 3, 4]);
    let too_many: Vec<Value> = (0..101).map(|c| json!({"k": 2, "c": c})).collect();
    let (_, body) = server.command("/ks/n", json!({"insertMany": {"documents": too_many}})).await;
    assert_eq!(code(&body), "COMMAND_FIELD_VALUE_INVALID");
}

#[tokio::test]
async fn unreadable_paths_still_get_the_envelope() {
    let server = Server::open().await;
    let (status, body) = server.command("/%FF", json!({"listTables": {}})).await;
    assert_eq!((status, code(&body)), (200, "REQUEST_STRUCTURE_MISMATCH"));
}

#[tokio::test]
async fn filters_cql_cannot_express_are_applied_per_row() {
    let server = library().await;
    let docs = json!({"insertMany": {"documents": [
        {"title": "A", "author": "x", "pages": 1, "rating": 1.0, "tags": ["sf"]},
        {"title": "B", "author": "y", "pages": 2, "rating": 2.0, "tags": ["crime", "sf"]},
        {"title": "C", "author": "z", "pages": 3}]}});
    server.command("/ks/books", docs).await;
    let titles = |body: &Value| -> Vec<String> {
        let mut t: Vec<String> = body["data"]["documents"]
            .as_array()
            .map(|d| d.iter().filter_map(|d| d["title"].as_str().map(str::to_string)).collect())
            .unwrap_or_default();
        t.sort();
        t
    };
    let find = |filter: Value| json!({"find": {"filter": filter, "projection": {"title": 1}}});
    let (_, body) = server.command("/ks/books", find(json!({"rating": {"$ne": 1.0}}))).await;
    assert_eq!(titles(&body), ["B", "C"], "{body}");
    let (_, body) = server
        .command("/ks/books", find(json!({"$or": [{"title": "A"}, {"pages": {"$gt": 2}}]})))
        .await;
    assert_eq!(titles(&body), ["A", "C"], "{body}");
    let (_, body) = server
        .command(
            "/ks/books",
            find(json!({"tags": {"$in": ["crime", "nope"]}, "$not": {"title": "C"}})),
        )
        .await;
    assert_eq!(titles(&body), ["B"], "{body}");
    let (_, body) = server
        .command("/ks/books", json!({"findOne": {"filter": {"title": {"$nin": ["A", "B"]}}}}))
        .await;
    assert_eq!(body["data"]["document"]["title"], "C", "{body}");
    let key = json!({"title": "A", "author": "x", "pages": {"$ne": 1}});
    let (_, body) = server.command("/ks/books", json!({"deleteOne": {"filter": key}})).await;
    assert_eq!(code(&body), "UNSUPPORTED_FILTER_FOR_UPDATE_ONE_DELETE_ONE");
}

#[tokio::test]
async fn options_are_checked_and_old_names_warn() {
    let server = library().await;
    let (_, body) = server.command("/ks/books", json!({"find": {"options": {"limitt": 1}}})).await;
    assert_eq!(code(&body), "COMMAND_FIELD_UNKNOWN");
    let (_, body) =
        server.command("/ks/books", json!({"findOne": {"options": {"limit": 1}}})).await;
    assert_eq!(code(&body), "COMMAND_FIELD_UNKNOWN");
    let (_, body) = server
        .command("/ks/books", json!({"insertOne": {"document": {}, "options": {"ordered": true}}}))
        .await;
    assert_eq!(code(&body), "COMMAND_ACCEPTS_NO_OPTIONS");
    let (_, body) = server.command("", json!({"findNamespaces": {}})).await;
    assert_eq!(body["status"]["namespaces"], json!(["ks"]));
    assert_eq!(body["status"]["warnings"][0]["errorCode"], "DEPRECATED_COMMAND");
}

#[tokio::test]
async fn vector_sorts_rank_rows_by_similarity() {
    let server = Server::open().await;
    server.command("", json!({"createKeyspace": {"name": "ks"}})).await;
    let table = json!({"createTable": {"name": "docs", "definition": {
        "columns": {"id": "int", "kind": "text", "v": {"type": "vector", "dimension": 2}}, "primaryKey": "id"}}});
    assert_eq!(server.command("/ks", table).await.1, json!({"status": {"ok": 1}}));
    let rows = json!({"insertMany": {"documents": [
        {"id": 1, "kind": "a", "v": [1.0, 0.0]},
        {"id": 2, "kind": "a", "v": [0.0, 1.0]},
        {"id": 3, "kind": "b", "v": {"$binary": "P4AAAD+AAAA="}}]}});
    server.command("/ks/docs", rows).await;
    let sort = json!({"find": {"sort": {"v": [1.0, 0.1]}}});
    assert_eq!(
        code(&server.command("/ks/docs", sort.clone()).await.1),
        "CANNOT_VECTOR_SORT_NON_INDEXED_VECTOR_COLUMNS"
    );
    let index = json!({"createVectorIndex": {"name": "v_idx", "definition": {"column": "v", "options": {"metric": "cosine"}}}});
    assert_eq!(server.command("/ks/docs", index).await.1, json!({"status": {"ok": 1}}));
    let (_, body) =
        server.command("/ks/docs", json!({"listIndexes": {"options": {"explain": true}}})).await;
    assert_eq!(
        body["status"]["indexes"][0],
        json!({"name": "v_idx", "definition": {"column": "v", "options": {"metric": "cosine", "sourceModel": "other"}}, "indexType": "vector"})
    );
    let find = json!({"find": {"sort": {"v": [1.0, 0.1]}, "projection": {"id": 1}, "options": {"includeSimilarity": true, "limit": 2}}});
    let (_, body) = server.command("/ks/docs", find).await;
    let ids: Vec<i64> = body["data"]["documents"]
        .as_array()
        .map(|d| d.iter().filter_map(|d| d["id"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(ids, vec![1, 3], "{body}");
    let top = body["data"]["documents"][0]["$similarity"].as_f64().unwrap_or_default();
    assert!(top > 0.99 && top <= 1.0, "{body}");
    assert!(
        body["status"].get("warnings").is_none(),
        "no zero-filter warning for a vector sort: {body}"
    );
    let (_, body) = server
        .command(
            "/ks/docs",
            json!({"findOne": {"filter": {"kind": "a"}, "sort": {"v": [0.0, 1.0]}}}),
        )
        .await;
    assert_eq!(body["data"]["document"]["id"], 2, "{body}");
    let (_, body) = server.command("/ks/docs", json!({"find": {"sort": {"v": [1.0]}}})).await;
    assert_eq!(code(&body), "CANNOT_VECTOR_SORT_ON_MISMATCHED_VECTOR_DIMENSIONS");
    let (_, body) = server
        .command("/ks/docs", json!({"find": {"sort": {"v": [1.0, 0.0]}, "options": {"skip": 1}}}))
        .await;
    assert_eq!(code(&body), "CANNOT_VECTOR_SORT_WITH_SKIP_OPTION");
    let bad = json!({"createVectorIndex": {"name": "k_idx", "definition": {"column": "kind"}}});
    assert_eq!(
        code(&server.command("/ks/docs", bad).await.1),
        "UNSUPPORTED_VECTOR_INDEX_FOR_DATA_TYPES"
    );
}

#[tokio::test]
async fn create_keyspace_reads_replication_options_as_the_server_does() {
    let server = Server::open().await;
    // astra-db-ts spells the factor `replicationFactor`, which SimpleStrategy ignores.
    let command = json!({"createKeyspace": {"name": "ts", "options": {"replication":
        {"class": "SimpleStrategy", "replicationFactor": 1}}}});
    assert_eq!(server.command("", command).await, (200, json!({"status": {"ok": 1}})));
    let command = json!({"createKeyspace": {"name": "nts", "options": {"replication":
        {"class": "NetworkTopologyStrategy", "dc1": 3}}}});
    assert_eq!(server.command("", command).await, (200, json!({"status": {"ok": 1}})));
    let (_, body) = server
        .cql(
            "?raw=true",
            "SELECT keyspace_name, replication FROM system_schema.keyspaces \
             WHERE keyspace_name IN ('ts', 'nts')",
        )
        .await;
    let rows: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        rows,
        json!([
            {"keyspace_name": "nts", "replication":
                {"class": "org.apache.cassandra.locator.NetworkTopologyStrategy", "dc1": "3"}},
            {"keyspace_name": "ts", "replication":
                {"class": "org.apache.cassandra.locator.SimpleStrategy", "replication_factor": "1"}},
        ]),
    );
    let command = json!({"createKeyspace": {"name": "bad", "options": {"replication":
        {"class": "SimpleStrategy", "replication_factor": "one"}}}});
    let (status, body) = server.command("", command).await;
    assert_eq!((status, code(&body)), (200, "COMMAND_FIELD_VALUE_INVALID"), "{body}");
}

#[tokio::test]
async fn map_columns_filter_on_entries_keys_and_values() {
    let server = Server::open().await;
    server.command("", json!({"createKeyspace": {"name": "ks"}})).await;
    let table = json!({"createTable": {"name": "m", "definition": {
        "columns": {"id": "int", "attrs": {"type": "map", "keyType": "text", "valueType": "int"}},
        "primaryKey": "id"}}});
    assert_eq!(server.command("/ks", table).await, (200, json!({"status": {"ok": 1}})));
    let rows = json!({"insertMany": {"documents": [
        {"id": 1, "attrs": {"a": 1, "b": 2}}, {"id": 2, "attrs": {"a": 2}}, {"id": 3}]}});
    let (status, body) = server.command("/ks/m", rows).await;
    assert_eq!(status, 200, "{body}");
    let ids = |filter: Value| {
        let server = &server;
        async move {
            let (_, body) = server
                .command("/ks/m", json!({"find": {"filter": filter, "sort": {"id": 1}}}))
                .await;
            assert!(body["errors"].is_null(), "{body}");
            let warnings = body["status"]["warnings"].as_array().cloned().unwrap_or_default();
            assert!(warnings.iter().any(|w| w["errorCode"] == "MISSING_INDEX"), "{body}");
            let docs = body["data"]["documents"].as_array().cloned().unwrap_or_default();
            docs.iter().filter_map(|d| d["id"].as_i64()).collect::<Vec<_>>()
        }
    };
    assert_eq!(ids(json!({"attrs": {"$in": [["a", 1], ["c", 3]]}})).await, [1]);
    assert_eq!(ids(json!({"attrs": {"$all": [["a", 1], ["b", 2]]}})).await, [1]);
    assert_eq!(ids(json!({"attrs": {"$nin": [["a", 1]]}})).await, [2, 3]);
    assert_eq!(ids(json!({"attrs": {"$keys": {"$in": ["a"]}}})).await, [1, 2]);
    assert_eq!(ids(json!({"attrs": {"$values": {"$all": [2]}}})).await, [1, 2]);
    assert_eq!(
        ids(json!({"$or": [{"attrs": {"$keys": {"$in": ["b"]}}}, {"id": 3}]})).await,
        [1, 3]
    );
    let (_, body) = server
        .command("/ks/m", json!({"find": {"filter": {"attrs": {"$in": [["a", "x"]]}}}}))
        .await;
    assert_eq!(code(&body), "INVALID_FILTER_COLUMN_VALUES", "{body}");
    let (_, body) =
        server.command("/ks/m", json!({"find": {"filter": {"id": {"$keys": {"$in": [1]}}}}})).await;
    assert_eq!(code(&body), "FILTER_UNSUPPORTED_OPERATOR", "{body}");
}

/// Table metadata is cached between requests; every schema change, made through either
/// API, must be seen by the next request.
#[tokio::test]
async fn schema_changes_are_seen_by_the_next_request() {
    let server = library().await;
    let find = json!({"findOne": {"filter": {"title": "Dune", "author": "Herbert", "pages": 412}}});
    let (_, body) = server.command("/ks/books", find.clone()).await;
    assert_eq!(body["data"]["document"], Value::Null, "{body}");
    server.setup(&["ALTER TABLE ks.books ADD year int"]).await;
    let insert = json!({"insertOne": {"document":
        {"title": "Dune", "author": "Herbert", "pages": 412, "year": 1965}}});
    let (_, body) = server.command("/ks/books", insert).await;
    assert!(body["errors"].is_null(), "{body}");
    let (_, body) = server.command("/ks/books", find.clone()).await;
    assert_eq!(body["data"]["document"]["year"], 1965, "{body}");
    let (status, rows) =
        server.rest_json(reqwest::Method::GET, "/v2/keyspaces/ks/books/Dune?raw=true", None).await;
    assert_eq!((status, rows[0]["year"].clone()), (200, json!(1965)), "{rows}");
    let by_rating = json!({"find": {"filter": {"rating": 4.5}}});
    let warnings = |body: &Value| -> Vec<String> {
        let list = body["status"]["warnings"].as_array().cloned().unwrap_or_default();
        list.iter().filter_map(|w| w["errorCode"].as_str().map(String::from)).collect()
    };
    let (_, body) = server.command("/ks/books", by_rating.clone()).await;
    assert_eq!(warnings(&body), ["MISSING_INDEX"], "{body}");
    let index = json!({"createIndex": {"name": "by_rating", "definition": {"column": "rating"}}});
    let (_, body) = server.command("/ks/books", index).await;
    assert!(body["errors"].is_null(), "{body}");
    let (_, body) = server.command("/ks/books", by_rating).await;
    assert_eq!(warnings(&body), Vec::<String>::new(), "{body}");
    let (status, _) = server.rest_json(reqwest::Method::GET, "/v2/keyspaces/later/t/1", None).await;
    assert_eq!(status, 400);
    server
        .setup(&[
            "CREATE KEYSPACE later WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
            "CREATE TABLE later.t (k int PRIMARY KEY)",
        ])
        .await;
    let (status, rows) =
        server.rest_json(reqwest::Method::GET, "/v2/keyspaces/later/t/1", None).await;
    assert_eq!(status, 200, "{rows}");
    server.setup(&["ALTER TABLE ks.books DROP year"]).await;
    let (_, body) = server.command("/ks/books", find.clone()).await;
    assert_eq!(body["data"]["document"].get("year"), None, "{body}");
    let (_, body) = server.command("/ks", json!({"dropTable": {"name": "books"}})).await;
    assert!(body["errors"].is_null(), "{body}");
    let (status, body) =
        server.rest_json(reqwest::Method::GET, "/v2/keyspaces/ks/books/Dune", None).await;
    assert_eq!(status, 400, "{body}");
    let (_, body) = server.command("/ks/books", find).await;
    assert!(!code(&body).is_empty(), "{body}");
}

#[tokio::test]
async fn types_are_created_altered_listed_and_dropped() {
    let server = library().await;
    let ok = json!({"status": {"ok": 1}});
    let create = json!({"createType": {"name": "address",
        "definition": {"fields": {"city": "text", "zip": {"type": "text"}}}}});
    assert_eq!(server.command("/ks", create.clone()).await, (200, ok.clone()));
    let (status, body) = server.command("/ks", create).await;
    assert_eq!((status, code(&body)), (200, "CANNOT_ADD_EXISTING_TYPE"));
    let again = json!({"createType": {"name": "address",
        "definition": {"fields": {"city": "text"}}, "options": {"ifNotExists": true}}});
    assert_eq!(server.command("/ks", again).await, (200, ok.clone()));
    let (_, body) = server
        .command("/ks", json!({"createType": {"name": "empty", "definition": {"fields": {}}}}))
        .await;
    assert_eq!(code(&body), "MISSING_FIELDS_FOR_TYPE_CREATION");

    let alter = json!({"alterType": {"name": "address",
        "add": {"fields": {"country": "text"}}, "rename": {"fields": {"zip": "postcode"}}}});
    assert_eq!(server.command("/ks", alter).await, (200, ok.clone()));
    let (_, body) = server.command("/ks", json!({"alterType": {"name": "address"}})).await;
    assert_eq!(code(&body), "MISSING_ALTER_TYPE_OPERATIONS");

    let (_, body) = server.command("/ks", json!({"listTypes": {}})).await;
    assert_eq!(body["status"]["types"], json!(["address"]));
    let (_, body) =
        server.command("/ks", json!({"listTypes": {"options": {"explain": true}}})).await;
    let described = &body["status"]["types"][0];
    assert_eq!(described["udtName"], "address");
    assert_eq!(
        described["definition"]["fields"],
        json!({"city": {"type": "text"}, "postcode": {"type": "text"}, "country": {"type": "text"}})
    );

    let drop = json!({"dropType": {"name": "address"}});
    assert_eq!(server.command("/ks", drop.clone()).await, (200, ok.clone()));
    let (_, body) = server.command("/ks", drop).await;
    assert_eq!(code(&body), "CANNOT_DROP_UNKNOWN_TYPE");
    let quiet = json!({"dropType": {"name": "address", "options": {"ifExists": true}}});
    assert_eq!(server.command("/ks", quiet).await, (200, ok));
}

#[tokio::test]
async fn pull_all_removes_set_values() {
    let server = library().await;
    let key = json!({"title": "Dune", "author": "Herbert", "pages": 412});
    let mut doc = key.clone();
    doc["tags"] = json!(["sf", "old", "classic"]);
    server.command("/ks/books", json!({"insertOne": {"document": doc}})).await;
    let update = json!({"updateOne": {"filter": key.clone(), "update": {"$pullAll": {"tags": ["old", "absent"]}}}});
    let (status, body) = server.command("/ks/books", update).await;
    assert_eq!(status, 200);
    assert!(body.get("errors").is_none(), "{body}");
    let find = json!({"findOne": {"filter": key.clone(), "projection": {"tags": 1}}});
    let (_, body) = server.command("/ks/books", find).await;
    assert_eq!(body["data"]["document"]["tags"], json!(["classic", "sf"]));
    // Pulling from a column that is not a collection is refused, and changes nothing.
    let bad = json!({"updateOne": {"filter": key, "update": {"$pullAll": {"rating": [1]}}}});
    let (_, body) = server.command("/ks/books", bad).await;
    assert_eq!(code(&body), "UNSUPPORTED_UPDATE_OPERATOR");
}
