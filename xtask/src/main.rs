//! `cargo xtask`: the project's only automation.
//!
//! Every command installs what it needs first (pinned versions, through the package
//! registries only), so a newcomer needs nothing but `cargo` and this repository.

#![allow(clippy::print_stdout, reason = "xtask is a command-line program; printing is its job")]

mod bench;
mod dev;
mod fuzz;
mod proc;
mod size;
mod test;
mod tools;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Result, bail};

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  dev       install what is missing, build, and run emulator + Worker + frontend
            (http://127.0.0.1:8080); Ctrl+C stops everything
  test      install what is missing and run every check and test suite
  install   only install the pinned tools
  size      print raw and gzip sizes of the frontend and Worker bundles
  build     build the release frontend (dist/) and Worker bundle (worker/build/)
  bench     benchmark the engine against SQLite (native, criterion) and sql.js (wasm,
            headless Chromium), measure its memory per row, and the emulator's
            requests/s against bare axum; prints the ratios at the end
            (`bench native`, `bench browser` or `bench emulator` runs one part)
";

fn main() {
    if let Err(err) = run() {
        eprintln!("xtask: error: {err:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    std::env::set_current_dir(&root)?;
    match args.first().map(String::as_str) {
        Some("dev") => dev::run(&root),
        Some("test") => test::run(&root),
        Some("install") => {
            let mut phases = Phases::default();
            tools::ensure_all(&root, &mut phases)?;
            phases.report();
            Ok(())
        }
        Some("size") => size::report(&root),
        Some("bench") => bench::run(&root, args.get(1).map(String::as_str)),
        Some("build") => {
            let mut phases = Phases::default();
            tools::ensure_all(&root, &mut phases)?;
            build_release(&root, &mut phases)?;
            phases.report();
            Ok(())
        }
        Some("-h" | "--help" | "help") | None => {
            print!("{USAGE}");
            Ok(())
        }
        Some(other) => bail!("unknown command `{other}`\n\n{USAGE}"),
    }
}

/// The workspace root: xtask lives one directory below it.
fn workspace_root() -> PathBuf {
    // Cargo sets the variable at run time too; that value follows the checkout being run,
    // while the compile-time one can name another checkout that shares the target dir.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map_or_else(|| manifest.clone(), Path::to_path_buf)
}

/// Builds the release frontend into `dist/` and the Worker into `worker/build/`.
pub(crate) fn build_release(root: &Path, phases: &mut Phases) -> Result<()> {
    phases.run("build frontend (trunk --release)", || {
        proc::cmd("trunk", root).args(["build", "--release"]).envs(tools::build_env(root)).status()
    })?;
    phases.run("build worker (worker-build --release)", || {
        proc::cmd("worker-build", &root.join("worker"))
            .args(["--release"])
            .envs(tools::build_env(root))
            .status()
    })
}

/// Times each phase of a command and prints a summary, so slow steps are visible in CI logs.
#[derive(Debug, Default)]
pub(crate) struct Phases {
    done: Vec<(String, std::time::Duration, bool)>,
}

impl Phases {
    /// Runs `f` as the phase `name`, printing a header before and the duration after.
    pub(crate) fn run(&mut self, name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
        println!("\n==> {name}");
        let start = Instant::now();
        let result = f();
        let elapsed = start.elapsed();
        println!(
            "<== {name}: {} in {:.1}s",
            if result.is_ok() { "ok" } else { "FAILED" },
            elapsed.as_secs_f64()
        );
        self.done.push((name.to_string(), elapsed, result.is_ok()));
        result
    }

    /// Prints every phase's wall time and the total.
    pub(crate) fn report(&self) {
        println!("\nphase timings:");
        let mut total = 0.0;
        for (name, elapsed, ok) in &self.done {
            let secs = elapsed.as_secs_f64();
            total += secs;
            println!("  {secs:>8.1}s  {}{name}", if *ok { "" } else { "FAILED " });
        }
        println!("  {total:>8.1}s  total");
    }
}
