//! The emulator over HTTP: each test serves the real router on an ephemeral loopback port.

mod cql;
mod health;
mod rows;
mod schemas;

use cqlfiddle_emulator::{Config, serve};
use tokio::sync::oneshot;

/// A running emulator and a client for it.
#[derive(Debug)]
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// A client without default headers.
    pub http: reqwest::Client,
    _shutdown: oneshot::Sender<()>,
}

impl Server {
    /// Starts an emulator with the command line `args` (after the program name).
    pub async fn start(args: &[&str]) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let argv = std::iter::once("cqlfiddle-emulator").chain(args.iter().copied());
        let config = <Config as clap::Parser>::try_parse_from(argv).expect("config");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = oneshot::channel::<()>();
        tokio::spawn(serve(listener, config, async {
            let _ = rx.await;
        }));
        Server { url, http: reqwest::Client::new(), _shutdown: tx }
    }

    /// Starts an emulator that accepts any token.
    pub async fn open() -> Server {
        Server::start(&[]).await
    }

    /// A REST v2 request with a token.
    pub fn rest(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http.request(method, format!("{}{path}", self.url)).header("X-Cassandra-Token", "t")
    }

    /// `POST /v2/cql` with `query` appended to the path and `cql` as the body.
    pub async fn cql(&self, query: &str, cql: &str) -> (u16, String) {
        let response = self
            .rest(reqwest::Method::POST, &format!("/v2/cql{query}"))
            .header("Content-Type", "text/plain")
            .body(cql.to_string())
            .send()
            .await
            .expect("send");
        text(response).await
    }
}

/// The status and body of a response.
pub async fn text(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}
