//! ARCHITECTURE.md names files and folders; a rename that forgets the codemap fails here.

use cqlfiddle_tests::workspace_root;

/// Every backticked path in ARCHITECTURE.md, i.e. every code span containing a `/` or
/// ending in a file extension we use, that is not a URL or an HTTP route.
fn named_paths(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for (i, span) in text.split('`').enumerate() {
        // Odd pieces are inside backticks.
        if i % 2 == 0 || span.contains(' ') || span.contains("://") || span.starts_with('/') {
            continue;
        }
        let is_file = [".rs", ".toml", ".md", ".json", ".html", ".css", ".cql"]
            .iter()
            .any(|e| span.ends_with(e));
        if span.contains('/') || is_file {
            paths.push(span.trim_end_matches('/').to_string());
        }
    }
    paths
}

#[test]
fn every_path_the_codemap_names_exists() {
    let root = workspace_root();
    let text =
        std::fs::read_to_string(root.join("ARCHITECTURE.md")).expect("ARCHITECTURE.md exists");
    let paths = named_paths(&text);
    assert!(
        paths.len() >= 10,
        "the codemap should name the crates and their key files; found {paths:?}"
    );
    // A glob such as `fixtures/*.cql` names its folder.
    let exists = |p: &String| match p.split_once('*') {
        Some((dir, _)) => root.join(dir).is_dir(),
        None => root.join(p).exists(),
    };
    let missing: Vec<&String> = paths.iter().filter(|p| !exists(p)).collect();
    assert!(missing.is_empty(), "ARCHITECTURE.md names paths that do not exist: {missing:?}");
}

#[test]
fn path_extraction_skips_routes_urls_and_prose() {
    let text = "See `engine/src/lib.rs`, `GET /api/health`, `http://127.0.0.1:8080`, `Session` and `README.md`.";
    assert_eq!(named_paths(text), vec!["engine/src/lib.rs", "README.md"]);
}
