//! `cargo xtask bench`: the engine against SQLite natively (criterion), its heap bytes per
//! row, the engine compiled to wasm against sql.js in headless Chromium, and a summary of
//! the ratios at the end.
//!
//! The machine the numbers come from is usually small and shared, so they are noisy:
//! the benches report medians, and a ratio is worth more than an absolute time.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::proc::cmd;
use crate::{Phases, tools};

/// Runs the benchmarks `only` names (`native` or `browser`; all when `None`) and prints
/// the summary lines they produced, together.
pub(crate) fn run(root: &Path, only: Option<&str>) -> Result<()> {
    let (native, browser, emulator) = match only {
        None => (true, true, true),
        Some("native") => (true, false, false),
        Some("browser") => (false, true, false),
        Some("emulator") => (false, false, true),
        Some(other) => bail!("unknown bench `{other}`: expected `native`, `browser` or `emulator`"),
    };
    let mut phases = Phases::default();
    let mut summary = Vec::new();
    let mut result = run_phases(root, &mut phases, &mut summary, native, browser);
    if emulator && result.is_ok() {
        result = phases.run("bench: emulator requests/s vs bare axum (release, 8 clients)", || {
            emulator_bench(root, &mut summary)
        });
    }
    phases.report();
    println!("\nbenchmark summary (medians; ratio < 1 means the engine is faster):");
    for line in &summary {
        println!("  {line}");
    }
    result
}

fn run_phases(
    root: &Path,
    phases: &mut Phases,
    summary: &mut Vec<String>,
    native: bool,
    browser: bool,
) -> Result<()> {
    if native {
        phases.run("bench: engine vs SQLite, native (criterion)", || {
            cargo_bench(root, "vs_sqlite", summary)
        })?;
        phases.run("bench: engine heap bytes per row (1M rows)", || {
            cargo_bench(root, "memory", summary)
        })?;
    }
    if !browser {
        return Ok(());
    }
    tools::ensure_all(root, phases)?;
    let pkg = target_dir(root).join("bench-wasm-pkg");
    phases.run("build bench-wasm (release wasm32 + wasm-bindgen)", || build_wasm(root, &pkg))?;
    phases.run("bench: engine (wasm) vs sql.js in headless Chromium", || {
        let text = browser_bench(root, &pkg)?;
        println!("{text}");
        summary.extend(text.lines().filter(|l| is_summary(l)).map(str::to_string));
        if text.starts_with("error") {
            bail!("the benchmark page failed: {text}");
        }
        Ok(())
    })?;
    Ok(())
}

/// The emulator's throughput example; its lines comparing each API with bare axum go
/// into the summary.
fn emulator_bench(root: &Path, summary: &mut Vec<String>) -> Result<()> {
    let output = std::process::Command::new("cargo")
        .current_dir(root)
        .args([
            "run",
            "--release",
            "--locked",
            "-p",
            "cqlfiddle-emulator",
            "--example",
            "bench",
            "--",
            "3",
            "8",
        ])
        .stderr(std::process::Stdio::inherit())
        .output()
        .context("running the emulator benchmark")?;
    let text = String::from_utf8_lossy(&output.stdout);
    println!("{text}");
    if !output.status.success() {
        bail!("the emulator benchmark failed ({})", output.status);
    }
    summary.extend(
        text.lines().filter(|l| l.contains("bare axum")).map(|l| format!("emulator {}", l.trim())),
    );
    Ok(())
}

/// Where cargo puts build output, as cargo itself decides it.
fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"))
}

/// Builds `bench-wasm` the way the frontend ships (release profile) and binds it for the web.
fn build_wasm(root: &Path, pkg: &Path) -> Result<()> {
    cmd("cargo", root)
        .args(["build", "--locked", "--release", "--target", "wasm32-unknown-unknown"])
        .args(["-p", "cqlfiddle-bench-wasm"])
        .status()?;
    let wasm = target_dir(root).join("wasm32-unknown-unknown/release/cqlfiddle_bench_wasm.wasm");
    cmd("wasm-bindgen", root)
        .args(["--target", "web", "--no-typescript", "--out-dir"])
        .args([pkg, &wasm])
        .envs(tools::build_env(root))
        .status()
}

/// Serves the page, sql.js and the bound engine on a loopback port, opens the page in
/// headless Chromium and returns the text the page posts back to `/result`.
fn browser_bench(root: &Path, pkg: &Path) -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let (tx, rx) = mpsc::channel();
    let mounts = vec![
        ("/pkg/".to_string(), pkg.to_path_buf()),
        ("/sql.js/".to_string(), root.join("node_modules/sql.js/dist")),
        ("/".to_string(), root.join("bench-wasm/page")),
    ];
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if let Some(result) = serve(stream, &mounts) {
                let _ = tx.send(result);
            }
        }
    });
    let profile = std::env::temp_dir().join(format!("cqlfiddle-bench-chromium-{}", addr.port()));
    let mut chromium = cmd("chromium", root)
        .args([
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            // Only fatal messages: the sandbox has no D-Bus, and its complaints drown the result.
            "--log-level=3",
        ])
        .args([format!("--user-data-dir={}", profile.display()), format!("http://{addr}/")])
        .spawn_service("chromium")?;
    let result = rx.recv_timeout(Duration::from_secs(600));
    chromium.stop();
    let _ = std::fs::remove_dir_all(&profile);
    result.context("the benchmark page did not report within 10 minutes")
}

/// Answers one request: a file under the first mount whose prefix matches, or, for
/// `POST /result`, an empty 204 and the posted text returned to the caller.
fn serve(mut stream: TcpStream, mounts: &[(String, PathBuf)]) -> Option<String> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line).ok()?;
    let mut content_length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).ok()? == 0 || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            content_length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, path) = (parts.next()?, parts.next()?);
    let path = path.split('?').next().unwrap_or(path);
    if method == "POST" && path == "/result" {
        let mut body = vec![0; content_length];
        reader.read_exact(&mut body).ok()?;
        let _ = stream.write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n");
        return Some(String::from_utf8_lossy(&body).into_owned());
    }
    let file = mounts.iter().find_map(|(prefix, dir)| {
        let rest = path.strip_prefix(prefix.as_str())?;
        let rest = if rest.is_empty() { "index.html" } else { rest };
        // The page names only plain file names; anything climbing out is refused.
        (!rest.contains("..")).then(|| dir.join(rest))
    });
    let response = match file.and_then(|f| Some((std::fs::read(&f).ok()?, f))) {
        Some((body, file)) => {
            let kind = match file.extension().and_then(|e| e.to_str()) {
                Some("html") => "text/html; charset=utf-8",
                Some("js") => "text/javascript",
                Some("wasm") => "application/wasm",
                _ => "application/octet-stream",
            };
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            [head.into_bytes(), body].concat()
        }
        None => {
            b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec()
        }
    };
    let _ = stream.write_all(&response);
    None
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
