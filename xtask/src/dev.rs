//! `cargo xtask dev`: the emulator, the Worker under `wrangler dev` and `trunk serve`,
//! wired together, until Ctrl+C.

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use crate::proc::{Service, cmd, wait_for_port};
use crate::{Phases, tools};

const EMULATOR_PORT: u16 = 8181;
const WORKER_PORT: u16 = 8787;
const FRONTEND_PORT: u16 = 8080;

pub(crate) fn run(root: &Path) -> Result<()> {
    // Installed before anything starts, so Ctrl+C during a long first build still cleans up.
    let (stop_tx, stop_rx) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .context("installing the Ctrl+C handler")?;

    let mut phases = Phases::default();
    tools::ensure_all(root, &mut phases)?;
    let env = tools::build_env(root);
    let token = dev_token(root)?;

    phases.run("build emulator", || {
        cmd("cargo", root).args(["build", "-p", "cqlfiddle-emulator"]).status()
    })?;
    phases.run("build worker (worker-build --dev)", || {
        cmd("worker-build", &root.join("worker")).args(["--dev"]).envs(env.clone()).status()
    })?;
    phases.report();

    let target = std::env::var("CARGO_TARGET_DIR").unwrap_or_else(|_| "target".into());
    let emulator_bin = root.join(target).join("debug/cqlfiddle-emulator");
    let mut services: Vec<Service> = Vec::new();
    let port = EMULATOR_PORT.to_string();
    let mut emulator = cmd(&emulator_bin.display().to_string(), root)
        .args(["--port", &port, "--token", &token, "--data", ".wrangler/emulator.snapshot"])
        .spawn_service("emulator")?;
    wait_for_port(&format!("127.0.0.1:{EMULATOR_PORT}"), Duration::from_secs(30), &mut emulator)?;
    services.push(emulator);

    let mut worker = cmd(&root.join("node_modules/.bin/wrangler").display().to_string(), root)
        .args(["dev", "--local", "--ip", "127.0.0.1", "--port", &WORKER_PORT.to_string()])
        .args(["--var", &format!("UPSTREAM_URL:http://127.0.0.1:{EMULATOR_PORT}")])
        .envs(env.clone())
        .spawn_service("wrangler dev")?;
    wait_for_port(&format!("127.0.0.1:{WORKER_PORT}"), Duration::from_secs(90), &mut worker)?;
    services.push(worker);

    let mut frontend = cmd("trunk", root)
        .args(["serve", "--address", "127.0.0.1", "--port", &FRONTEND_PORT.to_string()])
        .envs(env)
        .spawn_service("trunk serve")?;
    // The first trunk build compiles the whole front end; give it time.
    wait_for_port(&format!("127.0.0.1:{FRONTEND_PORT}"), Duration::from_secs(900), &mut frontend)?;
    services.push(frontend);

    println!("\ncqlfiddle is running:");
    println!("  app       http://127.0.0.1:{FRONTEND_PORT}");
    println!("  worker    http://127.0.0.1:{WORKER_PORT}/api/health");
    println!("  emulator  http://127.0.0.1:{EMULATOR_PORT} (token in .dev.vars)");
    println!("Press Ctrl+C to stop everything.");

    loop {
        match stop_rx.recv_timeout(Duration::from_millis(250)) {
            Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if let Some(dead) =
            services.iter_mut().find_map(|s| s.exited().map(|st| (s.name().to_string(), st)))
        {
            stop_all(&mut services);
            bail!("{} stopped unexpectedly ({})", dead.0, dead.1);
        }
    }
    println!("\nstopping...");
    stop_all(&mut services);
    println!("stopped.");
    Ok(())
}

fn stop_all(services: &mut Vec<Service>) {
    // Reverse start order: nothing is left talking to a stopped upstream.
    while let Some(mut service) = services.pop() {
        service.stop();
    }
}

/// The token the local Worker sends and the emulator accepts, kept in `.dev.vars`
/// (git-ignored) so it stays the same across runs and is never committed.
fn dev_token(root: &Path) -> Result<String> {
    let path = root.join(".dev.vars");
    if let Ok(text) = std::fs::read_to_string(&path)
        && let Some(token) =
            text.lines().find_map(|l| l.strip_prefix("ASTRA_DB_APPLICATION_TOKEN="))
    {
        return Ok(token.trim().trim_matches('"').to_string());
    }
    let token = format!("AstraCS:dev:{}", random_hex(32)?);
    std::fs::write(&path, format!("ASTRA_DB_APPLICATION_TOKEN={token}\n"))
        .with_context(|| format!("writing {}", path.display()))?;
    Ok(token)
}

fn random_hex(bytes: usize) -> Result<String> {
    use std::io::Read;
    let mut buf = vec![0u8; bytes];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut buf)?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}
