//! `cargo xtask bench`: the engine against SQLite natively (criterion), its heap bytes per
//! row, and a summary of the ratios at the end.
//!
//! The machine the numbers come from is usually small and shared, so they are noisy:
//! the benches report medians, and a ratio is worth more than an absolute time.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::Phases;

/// Runs every benchmark and prints the summary lines they produced, together.
pub(crate) fn run(root: &Path) -> Result<()> {
    let mut phases = Phases::default();
    let mut summary = Vec::new();
    let result = run_phases(root, &mut phases, &mut summary);
    phases.report();
    println!("\nbenchmark summary (medians; ratio < 1 means the engine is faster):");
    for line in &summary {
        println!("  {line}");
    }
    result
}

fn run_phases(root: &Path, phases: &mut Phases, summary: &mut Vec<String>) -> Result<()> {
    phases.run("bench: engine vs SQLite, native (criterion)", || {
        cargo_bench(root, "vs_sqlite", summary)
    })?;
    phases.run("bench: engine heap bytes per row (1M rows)", || {
        cargo_bench(root, "memory", summary)
    })?;
    Ok(())
}

/// Runs one bench of the engine, echoing its output and keeping its summary lines.
fn cargo_bench(root: &Path, bench: &str, summary: &mut Vec<String>) -> Result<()> {
    let args = ["bench", "--locked", "-p", "cqlfiddle-engine", "--bench", bench];
    println!("$ cargo {}", args.join(" "));
    let mut child = Command::new("cargo")
        .args(args)
        .current_dir(root)
        .stdout(Stdio::piped())
        .spawn()
        .context("could not start cargo bench")?;
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines() {
            let line = line?;
            println!("{line}");
            if is_summary(&line) {
                summary.push(line);
            }
        }
    }
    let status = child.wait()?;
    if !status.success() {
        bail!("`cargo {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

/// The lines the benches print for the summary: ratios and the memory figure.
pub(crate) fn is_summary(line: &str) -> bool {
    line.starts_with("ratio ") || line.starts_with("memory: ")
}
