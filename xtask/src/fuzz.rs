//! A short libFuzzer run of each engine fuzz target, as a phase of `cargo xtask test`.
//!
//! The targets live in `engine/fuzz` (see its README for longer runs). cargo-fuzz passes
//! `-Z` flags to rustc, which the pinned stable toolchain accepts only with
//! `RUSTC_BOOTSTRAP=1`; nothing else about the run needs a nightly compiler. The engine
//! forbids `unsafe` code, so AddressSanitizer would find little and halve the executions
//! a short run gets through: the run is built without a sanitizer.

use std::path::Path;

use anyhow::{Context, Result};

use crate::proc::cmd;

/// The fuzz targets in `engine/fuzz/fuzz_targets`.
const TARGETS: &[&str] = &["execute", "script"];

/// Seconds each target runs for in `cargo xtask test`.
const SECONDS_PER_TARGET: u32 = 30;

/// Runs every target for [`SECONDS_PER_TARGET`], starting from the fixtures' statements,
/// the corpus earlier runs grew, and the recorded regressions.
pub(crate) fn smoke(root: &Path) -> Result<()> {
    let fuzz = root.join("engine/fuzz");
    let seeds = fuzz.join("corpus/seeds");
    let regressions = fuzz.join("regressions");
    write_seeds(&root.join("engine/tests/fixtures"), &seeds)?;
    std::fs::create_dir_all(&regressions)?;
    for target in TARGETS {
        let corpus = fuzz.join("corpus").join(target);
        std::fs::create_dir_all(&corpus)?;
        cmd("cargo", &root.join("engine"))
            .args(["fuzz", "run", "--sanitizer", "none", target])
            .args([&corpus, &seeds, &regressions])
            .args(["--", &format!("-max_total_time={SECONDS_PER_TARGET}"), "-timeout=10"])
            .envs([("RUSTC_BOOTSTRAP", "1")])
            .status()?;
    }
    Ok(())
}

/// One seed file per statement of the engine's fixture files, and one per whole fixture
/// (for the target that splits scripts), so fuzzing starts from CQL the engine accepts.
fn write_seeds(fixtures: &Path, seeds: &Path) -> Result<()> {
    std::fs::create_dir_all(seeds)?;
    let entries = std::fs::read_dir(fixtures)
        .with_context(|| format!("reading fixtures in {}", fixtures.display()))?;
    for entry in entries {
        let path = entry?.path();
        let text = std::fs::read_to_string(&path)?;
        let statements: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("> ")).collect();
        let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        for (i, statement) in statements.iter().enumerate() {
            std::fs::write(seeds.join(format!("{stem}-{i}")), statement)?;
        }
        std::fs::write(seeds.join(format!("{stem}-script")), statements.join("\n"))?;
    }
    Ok(())
}
