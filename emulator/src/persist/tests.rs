use cqlfiddle_engine::Options;

use super::{load, save, save_if_dirty};
use crate::db::{Answer, Db};

fn temp_dir() -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("cqlfiddle-emulator-persist-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    dir
}

#[test]
fn a_saved_database_loads_back() {
    let path = temp_dir().join("round-trip.snapshot");
    let _ = std::fs::remove_file(&path);
    assert!(matches!(load(&path), Ok(None)));
    let db = Db::new();
    let run = |db: &Db, cql: &str| db.execute(cql, Options::default());
    assert!(run(&db, "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}").is_ok());
    assert!(run(&db, "CREATE TABLE ks.t (id int PRIMARY KEY, v text)").is_ok());
    assert!(run(&db, "INSERT INTO ks.t (id, v) VALUES (1, 'one')").is_ok());
    assert!(save_if_dirty(&db, &path).is_ok());
    let restored = match load(&path) {
        Ok(Some(engine)) => Db::from_engine(engine),
        other => panic!("no snapshot: {other:?}"),
    };
    match run(&restored, "SELECT v FROM ks.t WHERE id = 1") {
        Ok(Answer::Rows(rows)) => assert_eq!(rows.rows.len(), 1),
        other => panic!("unexpected: {other:?}"),
    }
    let _ = std::fs::remove_file(&path);
}

#[test]
fn saving_replaces_the_file_whole() {
    let path = temp_dir().join("replace.snapshot");
    assert!(save(&path, b"first").is_ok());
    assert!(save(&path, b"second").is_ok());
    assert_eq!(std::fs::read(&path).ok(), Some(b"second".to_vec()));
    assert!(!path.with_file_name("replace.snapshot.tmp").exists());
    assert!(load(&path).is_err(), "garbage must not load as a database");
    let _ = std::fs::remove_file(&path);
}

#[test]
fn reads_do_not_mark_the_database_dirty() {
    let db = Db::new();
    assert!(db.take_snapshot_if_dirty().is_none());
    assert!(db.execute("SELECT release_version FROM system.local", Options::default()).is_ok());
    assert!(db.take_snapshot_if_dirty().is_none());
    assert!(db.execute("CREATE KEYSPACE k2 WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}", Options::default()).is_ok());
    assert!(db.take_snapshot_if_dirty().is_some());
    assert!(db.take_snapshot_if_dirty().is_none());
}
