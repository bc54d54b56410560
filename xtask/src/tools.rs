//! Installs the pinned tools, skipping each one that is already present at the right version.
//!
//! Everything comes from the package registries this project may use: crates.io through
//! `cargo install`, Debian's archive through `apt-get`, npm's registry through `npm ci`.
//! Trunk and worker-build would otherwise download wasm-bindgen and wasm-opt from GitHub,
//! which fails without internet, so [`build_env`] points them at the installed binaries.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::Phases;
use crate::proc::cmd;

/// `wasm-bindgen-cli` must equal the `wasm-bindgen` crate pinned in Cargo.toml exactly.
pub(crate) const WASM_BINDGEN: &str = "0.2.130";
pub(crate) const TRUNK: &str = "0.21.14";
pub(crate) const WORKER_BUILD: &str = "0.8.7";
pub(crate) const CARGO_FUZZ: &str = "0.13.2";

/// A tool installed with `cargo install`.
struct CargoTool {
    krate: &'static str,
    version: &'static str,
    /// The binary whose `--version` tells whether the right version is there.
    bin: &'static str,
    /// `--locked` uses the tool's own lockfile; wasm-bindgen-cli's wants a crate version
    /// the registry no longer serves, so it is built without.
    locked: bool,
}

const CARGO_TOOLS: &[CargoTool] = &[
    CargoTool {
        krate: "wasm-bindgen-cli",
        version: WASM_BINDGEN,
        bin: "wasm-bindgen",
        locked: false,
    },
    CargoTool { krate: "trunk", version: TRUNK, bin: "trunk", locked: true },
    CargoTool { krate: "worker-build", version: WORKER_BUILD, bin: "worker-build", locked: true },
    CargoTool { krate: "cargo-fuzz", version: CARGO_FUZZ, bin: "cargo-fuzz", locked: true },
];

/// Installs everything `dev` and `test` need.
pub(crate) fn ensure_all(root: &Path, phases: &mut Phases) -> Result<()> {
    phases.run("install: rust wasm target", ensure_wasm_target)?;
    for tool in CARGO_TOOLS {
        phases.run(&format!("install: {} {}", tool.krate, tool.version), || {
            ensure_cargo_tool(tool)
        })?;
    }
    phases.run("install: chromium + chromedriver (apt)", ensure_chromium)?;
    phases.run("install: npm packages (wrangler, binaryen)", || ensure_npm(root))?;
    Ok(())
}

fn ensure_wasm_target() -> Result<()> {
    let installed = cmd("rustup", Path::new(".")).args(["target", "list", "--installed"]).output();
    if installed.is_some_and(|list| list.lines().any(|l| l.trim() == "wasm32-unknown-unknown")) {
        println!("wasm32-unknown-unknown is installed");
        return Ok(());
    }
    cmd("rustup", Path::new(".")).args(["target", "add", "wasm32-unknown-unknown"]).status()
}

fn ensure_cargo_tool(tool: &CargoTool) -> Result<()> {
    let found = cmd(tool.bin, Path::new(".")).args(["--version"]).output().unwrap_or_default();
    if version_matches(&found, tool.version) {
        println!("{} {} is installed", tool.bin, tool.version);
        return Ok(());
    }
    let mut args = vec!["install".to_string()];
    if tool.locked {
        args.push("--locked".into());
    }
    args.extend([
        tool.krate.to_string(),
        "--version".into(),
        tool.version.to_string(),
        "--force".into(),
    ]);
    // Link-time optimisation roughly doubles these builds and buys nothing for a dev tool.
    cmd("cargo", Path::new("/"))
        .args(&args)
        .envs([
            ("CARGO_PROFILE_RELEASE_LTO", "false"),
            ("CARGO_PROFILE_RELEASE_CODEGEN_UNITS", "16"),
        ])
        .status()
}

/// Whether `--version` output names exactly `version` (not merely a prefix of it).
pub(crate) fn version_matches(output: &str, version: &str) -> bool {
    output.split_whitespace().any(|word| word.trim_start_matches('v') == version)
}

fn ensure_chromium() -> Result<()> {
    let chromium = cmd("chromium", Path::new(".")).args(["--version"]).output();
    let driver = cmd("chromedriver", Path::new(".")).args(["--version"]).output();
    if let (Some(chromium), Some(driver)) = (&chromium, &driver)
        && major_version(chromium).is_some()
        && major_version(chromium) == major_version(driver)
    {
        println!("{} / {}", chromium.trim(), driver.trim());
        return Ok(());
    }
    let noninteractive = [("DEBIAN_FRONTEND", "noninteractive")];
    cmd("apt-get", Path::new("/")).args(["update", "-q"]).envs(noninteractive).status()?;
    cmd("apt-get", Path::new("/"))
        .args(["install", "-y", "-q", "--no-install-recommends", "chromium", "chromium-driver"])
        .envs(noninteractive)
        .status()
        .context("installing Debian's chromium and chromium-driver (the browser tests need both)")
}

fn major_version(output: &str) -> Option<u32> {
    output
        .split_whitespace()
        .find(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
        .and_then(|v| v.split('.').next())
        .and_then(|m| m.parse().ok())
}

/// `npm ci` when `package-lock.json` changed since the last install.
fn ensure_npm(root: &Path) -> Result<()> {
    let lock =
        std::fs::read(root.join("package-lock.json")).context("reading package-lock.json")?;
    let mut hasher = DefaultHasher::new();
    lock.hash(&mut hasher);
    let stamp = format!("{:016x}\n", hasher.finish());
    let marker = root.join("node_modules/.cqlfiddle-lock-hash");
    let bins = ["wrangler", "wasm-opt"].map(|b| root.join("node_modules/.bin").join(b));
    if std::fs::read_to_string(&marker).is_ok_and(|s| s == stamp) && bins.iter().all(|b| b.exists())
    {
        println!("node_modules matches package-lock.json");
        return Ok(());
    }
    if cmd("npm", root).args(["--version"]).output().is_none() {
        bail!(
            "npm is not installed: install Node.js 20 or newer (Debian: apt-get install nodejs npm)"
        );
    }
    cmd("npm", root).args(["ci", "--no-audit", "--no-fund"]).status()?;
    std::fs::write(&marker, stamp)?;
    Ok(())
}

/// The cargo bin directory, where `cargo install` puts the tools.
fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

/// Environment for trunk and worker-build: our pinned wasm-bindgen and npm's wasm-opt on
/// PATH, and no attempt to reach GitHub for updates or tool downloads.
pub(crate) fn build_env(root: &Path) -> Vec<(String, String)> {
    let node_bin = root.join("node_modules/.bin");
    let path = std::env::var("PATH").unwrap_or_default();
    let path = format!("{}:{}:{path}", node_bin.display(), cargo_bin().display());
    vec![
        ("PATH".into(), path),
        ("TRUNK_SKIP_VERSION_CHECK".into(), "true".into()),
        ("WASM_BINDGEN_BIN".into(), cargo_bin().join("wasm-bindgen").display().to_string()),
        ("WASM_OPT_BIN".into(), node_bin.join("wasm-opt").display().to_string()),
        ("ESBUILD_BIN".into(), node_bin.join("esbuild").display().to_string()),
        ("WRANGLER_SEND_METRICS".into(), "false".into()),
        ("CLOUDFLARE_CF_FETCH_ENABLED".into(), "false".into()),
    ]
}

#[cfg(test)]
mod tests;
