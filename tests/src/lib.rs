//! Harness for cqlfiddle's cross-crate tests: each piece of the product started for real
//! (the emulator in-process, the Worker under `wrangler dev`, the built front end behind a
//! static file server, Chromium through chromedriver), each on its own loopback port, and
//! each stopped when its guard drops.
//!
//! The browser tests need the release bundles that `cargo xtask test` builds first
//! (`dist/` and `worker/build/`); a missing bundle or a missing Chromium is a loud failure,
//! never a skipped test.

#![allow(clippy::unwrap_used, reason = "test harness: a failed setup step should fail the test")]

pub mod browser;
pub mod process;
pub mod services;

use std::path::{Path, PathBuf};

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    // Cargo sets the variable at run time too; that value follows the checkout being run,
    // while the compile-time one can name another checkout that shares the target dir.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest.parent().map_or_else(|| manifest.clone(), Path::to_path_buf)
}

/// A port that was free a moment ago on 127.0.0.1.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}
