//! `cqlfiddle-emulator`: serves a local Astra-like upstream on 127.0.0.1.

use clap::Parser;
use cqlfiddle_emulator::{Config, serve};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let config = Config::parse();
    let listener = tokio::net::TcpListener::bind((config.host, config.port)).await?;
    serve(listener, config, shutdown_signal()).await
}

async fn shutdown_signal() {
    // Ctrl+C from a terminal, or SIGTERM from `cargo xtask dev` and the tests.
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .expect("installing a SIGTERM handler cannot fail on Unix");
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
}
