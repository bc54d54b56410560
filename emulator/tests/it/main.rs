//! The emulator over HTTP: each test serves the real router on an ephemeral loopback port.

mod astra_db_ts;
mod astrapy;
mod clients;
mod concurrency;
mod conformance;
mod cql;
mod data_api;
mod health;
mod persist;
mod rows;
mod schemas;

use cqlfiddle_emulator::{Config, serve};
use serde_json::Value;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A running emulator and a client for it.
#[derive(Debug)]
pub struct Server {
    /// `http://127.0.0.1:<port>`.
    pub url: String,
    /// A client without default headers.
    pub http: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<anyhow::Result<()>>>,
}

impl Server {
    /// Starts an emulator with the command line `args` (after the program name).
    pub async fn start(args: &[&str]) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let argv = std::iter::once("cqlfiddle-emulator").chain(args.iter().copied());
        let config = <Config as clap::Parser>::try_parse_from(argv).expect("config");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, config, async {
            let _ = rx.await;
        }));
        Server { url, http: reqwest::Client::new(), shutdown: Some(tx), task: Some(task) }
    }

    /// Shuts the server down and waits until it has finished (and saved its data).
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let result = task.await.expect("server task");
            result.expect("server result");
        }
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

impl Server {
    /// A REST v2 request with a JSON body (or none), answered as status and JSON.
    pub async fn rest_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&str>,
    ) -> (u16, Value) {
        let mut request = self.rest(method, path).header("Content-Type", "application/json");
        if let Some(body) = body {
            request = request.body(body.to_string());
        }
        let (status, text) = text(request.send().await.expect("send")).await;
        (
            status,
            if text.is_empty() {
                Value::Null
            } else {
                serde_json::from_str(&text).expect("json body")
            },
        )
    }

    /// Runs CQL statements through `/v2/cql`, failing on any error.
    pub async fn setup(&self, statements: &[&str]) {
        for cql in statements {
            let (status, body) = self.cql("", cql).await;
            assert_eq!(status, 200, "{cql}: {body}");
        }
    }

    /// A Data API command sent to `/v1{path}`.
    pub async fn command(&self, path: &str, body: Value) -> (u16, Value) {
        let response = self
            .http
            .post(format!("{}/v1{path}", self.url))
            .header("Token", "t")
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("send");
        let (status, text) = text(response).await;
        (status, serde_json::from_str(&text).expect("json body"))
    }
}

/// The status and body of a response.
pub async fn text(response: reqwest::Response) -> (u16, String) {
    let status = response.status().as_u16();
    (status, response.text().await.expect("body"))
}
