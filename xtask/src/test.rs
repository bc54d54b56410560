//! `cargo xtask test`: every check the project has, in the order that fails fastest.

use std::path::Path;

use anyhow::Result;

use crate::proc::cmd;
use crate::{Phases, build_release, fuzz, size, tools};

/// The crates that compile to wasm32 and are linted for that target too.
const WASM_CRATES: &[&str] = &["cqlfiddle-engine", "cqlfiddle-frontend", "cqlfiddle-worker"];

pub(crate) fn run(root: &Path) -> Result<()> {
    let mut phases = Phases::default();
    let result = run_phases(root, &mut phases);
    phases.report();
    result
}

fn run_phases(root: &Path, phases: &mut Phases) -> Result<()> {
    tools::ensure_all(root, phases)?;
    let env = tools::build_env(root);
    phases.run("fmt --check", || cmd("cargo", root).args(["fmt", "--all", "--check"]).status())?;
    phases.run("clippy (host)", || {
        cmd("cargo", root)
            .args(["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"])
            .status()
    })?;
    phases.run("clippy (wasm32)", || {
        let mut args = vec!["clippy", "--target", "wasm32-unknown-unknown", "--locked"];
        for krate in WASM_CRATES {
            args.extend(["-p", krate]);
        }
        args.extend(["--", "-D", "warnings"]);
        cmd("cargo", root).args(args).status()
    })?;
    phases.run("host tests", || {
        // The cross-crate tests need the release bundles; they run after the build below.
        cmd("cargo", root)
            .args(["test", "--workspace", "--locked", "--exclude", "cqlfiddle-tests"])
            .status()
    })?;
    phases.run("wasm tests (headless Chromium): frontend components, engine fixtures", || {
        // `--test it`: each crate's one integration binary, which wasm-bindgen-test runs in
        // the browser; their plain unit tests already ran natively above.
        cmd("cargo", root)
            .args(["test", "--target", "wasm32-unknown-unknown", "--locked"])
            .args(["-p", "cqlfiddle-frontend", "-p", "cqlfiddle-engine", "--test", "it"])
            .envs(env.clone())
            .envs([("CHROMEDRIVER", "/usr/bin/chromedriver")])
            .status()
    })?;
    phases.run("fuzz the engine (cargo-fuzz, 30 s per target)", || fuzz::smoke(root))?;
    build_release(root, phases)?;
    phases.run("integration + end-to-end tests (emulator, workerd, Chromium)", || {
        cmd("cargo", root)
            .args(["test", "--locked", "-p", "cqlfiddle-tests"])
            .envs(env.clone())
            .status()
    })?;
    phases.run("size report", || size::report(root))?;
    Ok(())
}
