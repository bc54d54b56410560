//! The engine's conformance fixtures: CQL in, cqlsh's output out.
//!
//! Run with `UPDATE_EXPECT=1` to rewrite the expected output after a deliberate change,
//! then review the diff against Cassandra's real behaviour before committing it.

use std::path::{Path, PathBuf};

use cqlfiddle_engine::Session;
use cqlfiddle_engine::conformance::run_fixture;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

/// Replays one fixture on a fresh session and compares (or, with `UPDATE_EXPECT=1`,
/// rewrites) its expected output. Returns a description of the mismatch, if any.
fn check(path: &Path) -> Option<String> {
    let expected =
        std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut session = Session::new();
    let actual = run_fixture(&mut session, &expected);
    if actual == expected {
        return None;
    }
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(path, &actual).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        return None;
    }
    let first_diff = expected
        .lines()
        .zip(actual.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| expected.lines().count().min(actual.lines().count()));
    let context: Vec<&str> = actual.lines().skip(first_diff.saturating_sub(3)).take(12).collect();
    Some(format!(
        "{}: differs from line {}\n--- expected line: {:?}\n--- actual around it:\n{}",
        path.display(),
        first_diff + 1,
        expected.lines().nth(first_diff).unwrap_or("<end of file>"),
        context.join("\n")
    ))
}

#[test]
fn fixtures_match_cassandra() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "cql"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no fixtures found");
    let failures: Vec<String> = paths.iter().filter_map(|p| check(p)).collect();
    assert!(
        failures.is_empty(),
        "{} fixture(s) differ:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
