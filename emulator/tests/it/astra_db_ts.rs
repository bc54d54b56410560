//! The Data API through astra-db-ts, DataStax's TypeScript client, pinned in
//! `tests/astra-db-ts/package-lock.json` and installed with `npm ci` into a cached folder.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::Server;
use crate::clients::{cache_dir, ensure_installed, run_ok};

const NPM_LIMIT: Duration = Duration::from_secs(300);
const SCRIPT_LIMIT: Duration = Duration::from_secs(120);
const MISSING_NODE: &str =
    "the astra-db-ts test needs `node` (20 or later) and `npm` on PATH; install them";

/// Copies `name` from `from` into `to`.
fn copy(from: &Path, to: &Path, name: &str) {
    std::fs::copy(from.join(name), to.join(name))
        .unwrap_or_else(|e| panic!("cannot copy {name} into {}: {e}", to.display()));
}

/// A folder with the locked packages installed, made once per lockfile and reused. The
/// script runs from there so that Node finds `node_modules` next to it.
async fn installed(dir: &Path) -> PathBuf {
    let cache = cache_dir("astra-db-ts", &dir.join("package-lock.json"));
    ensure_installed(&cache, |staging| async move {
        copy(dir, &staging, "package.json");
        copy(dir, &staging, "package-lock.json");
        run_ok(
            Path::new("npm"),
            &["ci", "--no-audit", "--no-fund", "--ignore-scripts"],
            &staging,
            NPM_LIMIT,
            MISSING_NODE,
        )
        .await;
    })
    .await;
    // The script itself is copied on every run, so edits to it need no new install.
    copy(dir, &cache, "smoke.mjs");
    cache
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn astra_db_ts_runs_the_smoke_script() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("astra-db-ts");
    let cache = installed(&dir).await;
    // A page size of 2 makes the client's cursors follow `nextPageState` across pages.
    let token = "Cassandra:Y2Fzc2FuZHJh:dHM=";
    let server = Server::start(&["--token", token, "--page-size", "2"]).await;
    let output = run_ok(
        Path::new("node"),
        &["smoke.mjs", &server.url, token],
        &cache,
        SCRIPT_LIMIT,
        MISSING_NODE,
    )
    .await;
    server.stop().await;
    let lines: Vec<&str> = output.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "found: Dune by Herbert, 412 pages",
            "sorted pages: [412,5,4,3,2,1]",
            "all pages: [1,2,3,4,5,412]",
            "in-memory sort: [1,2,3]",
            "updated rating: 1.5",
            "deleted: all",
            "nearest: 2 similarity 1",
            "astra-db-ts smoke test passed",
        ],
        "stderr: {}",
        output.stderr
    );
}
