//! The Data API through astrapy, DataStax's Python client, pinned in
//! `tests/astrapy/requirements.txt` and installed into a cached virtualenv.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::Server;
use crate::clients::{cache_dir, ensure_installed, run_ok};

const PIP_LIMIT: Duration = Duration::from_secs(300);
const SCRIPT_LIMIT: Duration = Duration::from_secs(120);
const MISSING_PYTHON: &str =
    "the astrapy test needs `python3` with the venv module and pip on PATH; install them";

/// A virtualenv with the pinned astrapy, made once per requirements file and reused.
async fn venv_python(dir: &Path) -> PathBuf {
    let requirements = dir.join("requirements.txt");
    let venv = cache_dir("astrapy-venv", &requirements);
    let python = venv.join("bin").join("python");
    ensure_installed(&venv, |staging| async move {
        let staging_arg = staging.to_string_lossy();
        run_ok(Path::new("python3"), &["-m", "venv", &staging_arg], dir, PIP_LIMIT, MISSING_PYTHON)
            .await;
        let requirements_arg = requirements.to_string_lossy();
        // Through `python -m pip`: the venv's scripts name their folder, which is renamed.
        run_ok(
            &staging.join("bin").join("python"),
            &[
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "--no-input",
                "--quiet",
                "-r",
                &requirements_arg,
            ],
            dir,
            PIP_LIMIT,
            MISSING_PYTHON,
        )
        .await;
    })
    .await;
    python
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn astrapy_runs_the_smoke_script() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("astrapy");
    let python = venv_python(&dir).await;
    // A page size of 2 makes astrapy's cursors follow `nextPageState` across pages.
    let token = "Cassandra:Y2Fzc2FuZHJh:c21va2U=";
    let server = Server::start(&["--token", token, "--page-size", "2"]).await;
    let script = dir.join("smoke.py");
    let output = run_ok(
        &python,
        &[&script.to_string_lossy(), &server.url, token],
        &dir,
        SCRIPT_LIMIT,
        MISSING_PYTHON,
    )
    .await;
    server.stop().await;
    let lines: Vec<&str> = output.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "sorted pages: [412, 5, 4, 3, 2, 1]",
            "all pages: [1, 2, 3, 4, 5, 412]",
            "in-memory sort: [1, 2, 3]",
            "updated rating: 1.0",
            "deleted: all",
            "nearest: 2 similarity 1.0",
            "astrapy smoke test passed",
        ],
        "stderr: {}",
        output.stderr
    );
}
