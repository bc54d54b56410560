//! The engine's conformance fixtures: CQL in, cqlsh's output out.
//!
//! Run with `UPDATE_EXPECT=1` to rewrite the expected output after a deliberate change,
//! then review the diff against Cassandra's real behaviour before committing it.
//!
//! The same fixtures also run on the engine compiled to wasm in headless Chromium:
//! `cargo test -p cqlfiddle-engine --target wasm32-unknown-unknown --test it`.

#[cfg(target_arch = "wasm32")]
mod wasm;

#[cfg(not(target_arch = "wasm32"))]
use std::path::{Path, PathBuf};

#[cfg(not(target_arch = "wasm32"))]
use cqlfiddle_engine::Session;
#[cfg(not(target_arch = "wasm32"))]
use cqlfiddle_engine::conformance::{first_difference, run_fixture};

#[cfg(not(target_arch = "wasm32"))]
fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

/// Replays one fixture on a fresh session and compares (or, with `UPDATE_EXPECT=1`,
/// rewrites) its expected output. Returns a description of the mismatch, if any.
#[cfg(not(target_arch = "wasm32"))]
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
    first_difference(&path.display().to_string(), &expected, &actual)
}

#[cfg(not(target_arch = "wasm32"))]
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

/// The wasm run compiles the fixtures in by name, so a fixture added to the folder but
/// not to that list would silently skip the browser.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn the_wasm_run_includes_every_fixture() {
    let wasm = include_str!("wasm.rs");
    let missing: Vec<String> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures directory")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.ends_with(".cql"))
        .filter(|n| !wasm.contains(&format!("include_str!(\"../fixtures/{n}\")")))
        .collect();
    assert!(missing.is_empty(), "tests/it/wasm.rs does not include {missing:?}");
}
