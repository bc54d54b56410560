//! Shared machinery for the tests that drive the emulator with DataStax's own clients:
//! installing a pinned client once into a cache directory and running a script with timeouts.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

/// The file written into a cache directory once its installation has completed, so an
/// interrupted install is redone rather than reused.
const COMPLETE_MARKER: &str = ".cqlfiddle-complete";

/// A cache directory for an installation described by `pin_file` (a requirements file or a
/// lockfile): `<cargo tmp dir>/<name>-<hash of the file>`. A new pin gets a new directory.
pub fn cache_dir(name: &str, pin_file: &Path) -> PathBuf {
    let pins = std::fs::read(pin_file)
        .unwrap_or_else(|e| panic!("cannot read the pin file {}: {e}", pin_file.display()));
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}-{:016x}", fnv1a(&pins)))
}

/// FNV-1a: a hash that is the same on every build, unlike std's `DefaultHasher`.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Makes sure `dir` holds a finished installation, running `install` when it does not.
/// `install` works in a fresh staging folder beside `dir` (given to it) and must panic on
/// failure; the folder is marked complete and renamed to `dir` only after it returns, so an
/// interrupted install is never reused and two test runs installing at once do not clash.
pub async fn ensure_installed<F, Fut>(dir: &Path, install: F)
where
    F: FnOnce(PathBuf) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    if dir.join(COMPLETE_MARKER).is_file() {
        return;
    }
    let mut staging = dir.as_os_str().to_owned();
    staging.push(format!(".staging-{}", std::process::id()));
    let staging = PathBuf::from(staging);
    // Left over from an earlier run of this process id, or a final folder never completed.
    for stale in [&staging, &dir.to_path_buf()] {
        if stale.exists() {
            std::fs::remove_dir_all(stale)
                .unwrap_or_else(|e| panic!("cannot clear {}: {e}", stale.display()));
        }
    }
    std::fs::create_dir_all(&staging)
        .unwrap_or_else(|e| panic!("cannot create {}: {e}", staging.display()));
    install(staging.clone()).await;
    std::fs::write(staging.join(COMPLETE_MARKER), b"")
        .unwrap_or_else(|e| panic!("cannot mark {} complete: {e}", staging.display()));
    if std::fs::rename(&staging, dir).is_err() {
        // Another run finished first; its installation is as good as this one.
        assert!(
            dir.join(COMPLETE_MARKER).is_file(),
            "cannot move {} into place",
            staging.display()
        );
        let _ = std::fs::remove_dir_all(&staging);
    }
}

/// The outcome of a finished process.
#[derive(Debug)]
pub struct Output {
    /// Whether it exited with status 0.
    pub success: bool,
    /// Its standard output.
    pub stdout: String,
    /// Its standard error.
    pub stderr: String,
}

/// Runs `program` with `args` in `cwd`, killing it if it outlives `limit`. Panics with
/// `missing` when the program cannot be started at all, so a machine without the tool
/// fails the test instead of skipping it.
pub async fn run(
    program: &Path,
    args: &[&str],
    cwd: &Path,
    limit: Duration,
    missing: &str,
) -> Output {
    let child = tokio::process::Command::new(program)
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // A timed-out child is dropped with the future below, and this kills it.
        .kill_on_drop(true)
        .spawn()
        .unwrap_or_else(|e| panic!("{missing} (starting {} failed: {e})", program.display()));
    let command = format!("{} {}", program.display(), args.join(" "));
    let output = tokio::time::timeout(limit, child.wait_with_output())
        .await
        .unwrap_or_else(|_| panic!("`{command}` did not finish within {limit:?}"))
        .unwrap_or_else(|e| panic!("`{command}` failed to run: {e}"));
    Output {
        success: output.status.success(),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Like [`run`], but panics with the output when the process does not exit with status 0.
pub async fn run_ok(
    program: &Path,
    args: &[&str],
    cwd: &Path,
    limit: Duration,
    missing: &str,
) -> Output {
    let output = run(program, args, cwd, limit, missing).await;
    assert!(
        output.success,
        "`{} {}` failed\n--- stdout\n{}\n--- stderr\n{}",
        program.display(),
        args.join(" "),
        output.stdout,
        output.stderr
    );
    output
}
