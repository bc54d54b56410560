//! The engine's conformance fixtures replayed over HTTP: every statement of every fixture
//! in `engine/tests/fixtures` goes through `POST /v2/cql` as a REST client would send it,
//! and the answers, read back into engine outcomes, must print the same transcript.
//!
//! The JSON rows say nothing about column types, and an empty result looks like a write's
//! answer, so a shadow `Session` runs each statement too. Only its column names and types
//! (and, where HTTP cannot tell them apart, its error kind) are used; every value shown
//! comes from the server's JSON.

mod decode;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use cqlfiddle_emulator::{Clock, Config, Db, router_over};
use cqlfiddle_engine::conformance::{Backend, FIXTURE_EPOCH, first_difference, run_fixture};
use cqlfiddle_engine::{Error, ErrorKind, Micros, Outcome, Rows, Session, Value};
use tokio::runtime::Runtime;
use tokio::task::JoinHandle;

use decode::{Json, decode};

/// Pages followed for one statement before giving up on a server that never stops paging.
const MAX_PAGES: usize = 10_000;

/// A response that is not a 200 with Stargate's rows wrapper.
#[derive(Debug)]
struct Failure {
    status: u16,
    body: String,
}

/// Runs statements against an emulator over HTTP, on a runtime the caller owns.
#[derive(Debug)]
struct HttpBackend<'a> {
    runtime: &'a Runtime,
    url: String,
    http: reqwest::Client,
    server: JoinHandle<std::io::Result<()>>,
    /// The emulator's clock, set to each statement's time before it is sent.
    clock: Arc<AtomicI64>,
    /// Runs every statement too, for the column types the JSON leaves out.
    shadow: Session,
    /// What the last successful `USE` selected, sent as `?keyspace=`.
    keyspace: Option<String>,
    /// `page-size` for every request; `None` leaves the server's default of 100.
    page_size: Option<usize>,
    /// Statements run.
    statements: usize,
    /// HTTP requests sent, one per page.
    requests: usize,
}

impl<'a> HttpBackend<'a> {
    /// Serves the real router over a fresh database on an ephemeral loopback port.
    fn start(runtime: &'a Runtime, page_size: Option<usize>) -> Self {
        let (clock, handle) = Clock::manual(FIXTURE_EPOCH.0);
        let config = <Config as clap::Parser>::try_parse_from(["cqlfiddle-emulator"])
            .expect("default config");
        let app = router_over(Db::new().with_clock(clock), &config);
        let listener =
            runtime.block_on(tokio::net::TcpListener::bind("127.0.0.1:0")).expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("addr"));
        let server = runtime.spawn(async move { axum::serve(listener, app).await });
        HttpBackend {
            runtime,
            url,
            http: reqwest::Client::new(),
            server,
            clock: handle,
            shadow: Session::new(),
            keyspace: None,
            page_size,
            statements: 0,
            requests: 0,
        }
    }

    /// Sends `cql`, following `pageState` until the last page, and returns every row object.
    async fn rows(&mut self, cql: &str) -> Result<Vec<Json>, Failure> {
        let mut rows = Vec::new();
        let mut page_state: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut query: Vec<(&str, String)> = Vec::new();
            if let Some(keyspace) = &self.keyspace {
                query.push(("keyspace", keyspace.clone()));
            }
            if let Some(size) = self.page_size {
                query.push(("page-size", size.to_string()));
            }
            if let Some(state) = page_state.take() {
                query.push(("page-state", state));
            }
            self.requests += 1;
            let response = self
                .http
                .post(format!("{}/v2/cql", self.url))
                .query(&query)
                .header("X-Cassandra-Token", "t")
                .header("Content-Type", "text/plain")
                .body(cql.to_string())
                .send()
                .await
                .map_err(|e| Failure { status: 0, body: e.to_string() })?;
            let status = response.status().as_u16();
            let body =
                response.text().await.map_err(|e| Failure { status, body: e.to_string() })?;
            if status != 200 {
                return Err(Failure { status, body });
            }
            let unreadable = |why: &str| Failure { status, body: format!("{why}: {body}") };
            let json = Json::parse(&body).map_err(|e| unreadable(&e))?;
            let Some(Json::Array(data)) = json.get("data") else {
                return Err(unreadable("no data array"));
            };
            if json.get("count") != Some(&Json::Number(data.len().to_string())) {
                return Err(unreadable("count is not the number of rows"));
            }
            rows.extend(data.iter().cloned());
            match json.get("pageState") {
                None => return Ok(rows),
                Some(Json::String(state)) => page_state = Some(state.clone()),
                Some(_) => return Err(unreadable("pageState is not a string")),
            }
        }
        Err(Failure { status: 200, body: format!("still paging after {MAX_PAGES} pages") })
    }
}

impl Drop for HttpBackend<'_> {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Backend for HttpBackend<'_> {
    fn execute(&mut self, cql: &str, now: Micros) -> Result<Outcome, Error> {
        self.statements += 1;
        let shadow = self.shadow.execute(cql, now);
        self.clock.store(now.0, Ordering::Release);
        let runtime = self.runtime;
        let answer = runtime.block_on(self.rows(cql));
        let outcome = match answer {
            Ok(rows) => to_outcome(rows, &shadow)?,
            Err(failure) => return Err(to_error(&failure, &shadow)),
        };
        if let Some(keyspace) = use_target(cql) {
            self.keyspace = Some(keyspace.clone());
            return Ok(Outcome::SetKeyspace(keyspace));
        }
        // Stargate checks `?keyspace=` before every statement, so once the keyspace is
        // gone a REST client has to stop sending it (a native session keeps it).
        if dropped_keyspace(cql).is_some_and(|k| self.keyspace.as_ref() == Some(&k)) {
            self.keyspace = None;
        }
        Ok(outcome)
    }
}

/// The rows of a 200 read back with the shadow's column types. A statement without a
/// result set answers `{"count":0,"data":[]}`, as a result set without rows does; the
/// shadow tells which one it was.
fn to_outcome(rows: Vec<Json>, shadow: &Result<Outcome, Error>) -> Result<Outcome, Error> {
    let Ok(Outcome::Rows(expected)) = shadow else {
        if rows.is_empty() {
            return Ok(Outcome::Void);
        }
        return Err(Error::invalid(format!(
            "the server returned {} row(s) where the engine returned none ({shadow:?})",
            rows.len()
        )));
    };
    // Stargate builds each row as a Java `LinkedHashMap`, so a name the result set repeats
    // (`SELECT k, k`) is one key, at its first position, holding the last such column's
    // value. The keys must be the names without repeats, and each column reads its name's.
    let mut names: Vec<&str> = Vec::with_capacity(expected.columns.len());
    for column in expected.columns.iter() {
        if !names.contains(&column.name.as_str()) {
            names.push(&column.name);
        }
    }
    let mut decoded = Vec::with_capacity(rows.len());
    for row in rows {
        let Json::Object(entries) = row else {
            return Err(Error::invalid(format!("a row is not an object: {row:?}")));
        };
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        if keys != names {
            return Err(Error::invalid(format!("row keys {keys:?}, columns {names:?}")));
        }
        let shadow_row = expected.rows.get(decoded.len());
        let values = expected
            .columns
            .iter()
            .enumerate()
            .map(|(i, column)| {
                let json = entries.iter().find(|(k, _)| *k == column.name).map(|(_, v)| v);
                let json = json.ok_or_else(|| format!("no key {}", column.name))?;
                decode(json, &column.ty, shadow_row.and_then(|r| r.get(i)))
            })
            .collect::<Result<Vec<_>, String>>()
            .map_err(Error::invalid)?;
        decoded.push(values);
    }
    // cqlsh's table rounds floats to five digits and hides the type of a value, so the
    // transcript alone would let a lossy encoding through: the values must also equal the
    // engine's exactly.
    if let Some(mismatch) = first_value_mismatch(&decoded, expected) {
        return Err(Error::invalid(mismatch));
    }
    Ok(Outcome::Rows(Rows { columns: expected.columns.clone(), rows: decoded, paging_state: None }))
}

/// The first cell where the rows read over HTTP differ from the engine's own.
fn first_value_mismatch(decoded: &[Vec<Option<Value>>], expected: &Rows) -> Option<String> {
    if decoded.len() != expected.rows.len() {
        return Some(format!(
            "{} rows over HTTP, {} from the engine",
            decoded.len(),
            expected.rows.len()
        ));
    }
    for (i, (got, want)) in decoded.iter().zip(&expected.rows).enumerate() {
        for ((cell, engine), column) in got.iter().zip(want).zip(expected.columns.iter()) {
            // Compared through `Debug`, which tells every float bit pattern Rust prints
            // apart but, unlike `==`, finds NaN equal to itself.
            if format!("{cell:?}") != format!("{engine:?}") {
                return Some(format!(
                    "row {i}, column {}: {cell:?} over HTTP, {engine:?} from the engine",
                    column.name
                ));
            }
        }
    }
    None
}

/// An `ApiError` read back into the engine's error: the kind from the gRPC status and
/// HTTP code, the message from the description's tail.
fn to_error(failure: &Failure, shadow: &Result<Outcome, Error>) -> Error {
    let raw = || Error::invalid(format!("HTTP {}: {}", failure.status, failure.body));
    let Ok(json) = Json::parse(&failure.body) else { return raw() };
    let (Some(description), Some(Json::String(code))) =
        (json.get("description").and_then(Json::as_str), json.get("grpcStatus"))
    else {
        return raw();
    };
    // `<prefix> (Status.Code.<CODE>-><http>): <CODE>: <message>`
    let marker = format!("(Status.Code.{code}->{}): {code}: ", failure.status);
    let Some((_, message)) = description.split_once(&marker) else { return raw() };
    let message = message.to_string();
    // Stargate reports syntax errors, invalid requests and (here) unsupported features all
    // as INVALID_ARGUMENT, so HTTP alone cannot tell them apart: the kind is taken from
    // the shadow when its message is exactly the server's, and is "invalid" otherwise.
    let kinds: &[ErrorKind] = match (failure.status, code.as_str()) {
        (400, "INVALID_ARGUMENT") => {
            &[ErrorKind::Syntax, ErrorKind::Invalid, ErrorKind::Unsupported]
        }
        (409, "ALREADY_EXISTS") => &[ErrorKind::AlreadyExists],
        (401, "PERMISSION_DENIED") => &[ErrorKind::Unauthorized],
        (500, "RESOURCE_EXHAUSTED") => &[ErrorKind::LimitExceeded],
        _ => return raw(),
    };
    if let Err(e) = shadow
        && e.message() == message
        && kinds.contains(&e.kind())
    {
        return e.clone();
    }
    match kinds.first() {
        Some(ErrorKind::AlreadyExists) => {
            Error::AlreadyExists { message, keyspace: String::new(), table: String::new() }
        }
        Some(ErrorKind::Unauthorized) => Error::Unauthorized(message),
        Some(ErrorKind::LimitExceeded) => Error::LimitExceeded(message),
        _ => Error::Invalid(message),
    }
}

/// The keyspace a `USE` statement selects, as Cassandra names it: unquoted names fold to
/// lower case, quoted ones are taken as written.
fn use_target(cql: &str) -> Option<String> {
    let words = statement_words(cql);
    match words.as_slice() {
        [verb, name] if verb.eq_ignore_ascii_case("use") => Some(identifier(name)),
        _ => None,
    }
}

/// The keyspace a `DROP KEYSPACE [IF EXISTS]` statement drops.
fn dropped_keyspace(cql: &str) -> Option<String> {
    let words = statement_words(cql);
    let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    match (lower.as_slice(), words.last()) {
        (["drop", "keyspace", _] | ["drop", "keyspace", "if", "exists", _], Some(name)) => {
            Some(identifier(name))
        }
        _ => None,
    }
}

fn statement_words(cql: &str) -> Vec<&str> {
    cql.trim().trim_end_matches(';').split_whitespace().collect()
}

fn identifier(word: &str) -> String {
    match word.strip_prefix('"').and_then(|w| w.strip_suffix('"')) {
        Some(quoted) => quoted.replace("\"\"", "\""),
        None => word.to_ascii_lowercase(),
    }
}

/// The emulator's folder. Cargo sets `CARGO_MANIFEST_DIR` when it runs a test as well as
/// when it builds one; the run-time value stays right when a build is reused from another
/// checkout of the workspace sharing the target directory.
fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from)
}

fn fixtures_dir() -> PathBuf {
    manifest_dir().join("../engine/tests/fixtures")
}

/// Totals of one run over every fixture.
#[derive(Debug, Default)]
struct Run {
    fixtures: usize,
    statements: usize,
    requests: usize,
    failures: Vec<String>,
}

fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime")
}

/// Replays `script` against a fresh emulator and adds the totals to `run`; a transcript
/// that differs from `expected` is a failure.
fn replay(
    runtime: &Runtime,
    path: &Path,
    script: &str,
    expected: &str,
    page_size: Option<usize>,
    run: &mut Run,
) {
    let mut backend = HttpBackend::start(runtime, page_size);
    let actual = run_fixture(&mut backend, script);
    run.fixtures += 1;
    run.statements += backend.statements;
    run.requests += backend.requests;
    run.failures.extend(first_difference(&path.display().to_string(), expected, &actual));
}

/// Replays every fixture against its own fresh emulator with `page_size` on every request.
fn replay_all(page_size: Option<usize>) -> Run {
    let runtime = runtime();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures directory")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "cql"))
        .collect();
    paths.sort();
    let mut run = Run::default();
    for path in &paths {
        let expected =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        replay(&runtime, path, &expected, &expected, page_size, &mut run);
    }
    eprintln!(
        "{} fixtures, {} statements, {} requests over HTTP (page size {page_size:?})",
        run.fixtures, run.statements, run.requests
    );
    run
}

fn assert_matches(run: &Run) {
    assert!(run.fixtures > 0 && run.statements > 0, "no fixtures found in {:?}", fixtures_dir());
    assert!(
        run.failures.is_empty(),
        "{} fixture(s) differ over HTTP:\n\n{}",
        run.failures.len(),
        run.failures.join("\n\n")
    );
}

#[test]
fn fixtures_over_http_match() {
    assert_matches(&replay_all(None));
}

/// Two rows a page makes nearly every result set cross pages, so each query's paging
/// state goes out as base64 and comes back in `page-state`.
#[test]
fn fixtures_over_http_match_with_two_row_pages() {
    let run = replay_all(Some(2));
    assert_matches(&run);
    assert!(run.requests > run.statements, "no statement needed a second page");
}

#[test]
fn use_and_drop_keyspace_name_their_keyspace() {
    assert_eq!(use_target("USE ks;"), Some("ks".into()));
    assert_eq!(use_target("use \"MixedCase\""), Some("MixedCase".into()));
    assert_eq!(use_target("USE KS ;"), Some("ks".into()));
    assert_eq!(use_target("SELECT * FROM use;"), None);
    assert_eq!(dropped_keyspace("DROP KEYSPACE IF EXISTS Ks;"), Some("ks".into()));
    assert_eq!(dropped_keyspace("DROP TABLE ks;"), None);
}

/// Values at the edges of the JSON forms, and results over many pages. Cassandra's output
/// for them is not recorded, so the transcript to match is the engine's own
/// (`SHOW_EXPECTED=1` prints it).
#[test]
fn edge_values_over_http_match_the_engine() {
    let path = manifest_dir().join("tests/it/conformance/values.cql");
    let script =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let expected = run_fixture(&mut Session::new(), &script);
    if std::env::var_os("SHOW_EXPECTED").is_some() {
        eprintln!("{expected}");
    }
    let runtime = runtime();
    let mut run = Run::default();
    for page_size in [None, Some(1), Some(3)] {
        replay(&runtime, &path, &script, &expected, page_size, &mut run);
    }
    eprintln!(
        "{} runs of values.cql, {} statements, {} requests over HTTP (page sizes 100, 1, 3)",
        run.fixtures, run.statements, run.requests
    );
    assert_matches(&run);
}

/// Without `page-size` the server pages by 100 rows (Stargate's default); a client that did
/// not follow `pageState` would see only the first 100 of these 250.
#[test]
fn default_pages_of_a_hundred_rows_are_followed() {
    let mut script = String::from(
        "> CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1};\n\
         > CREATE TABLE ks.t (k int, c int, v text, PRIMARY KEY (k, c));\n",
    );
    for k in 0..5 {
        let inserts: Vec<String> = (0..50)
            .map(|c| format!("INSERT INTO ks.t (k, c, v) VALUES ({k}, {c}, 'v{k}.{c}');"))
            .collect();
        script.push_str(&format!("> BEGIN UNLOGGED BATCH {} APPLY BATCH;\n", inserts.join(" ")));
    }
    script.push_str("> SELECT * FROM ks.t;\n> SELECT count(*) FROM ks.t;\n");
    let expected = run_fixture(&mut Session::new(), &script);
    assert!(expected.contains("(250 rows)"), "{expected}");
    let mut run = Run::default();
    replay(&runtime(), Path::new("<250 rows>"), &script, &expected, None, &mut run);
    assert_matches(&run);
    // One request per statement, and two more pages for the 250-row SELECT.
    assert_eq!(run.requests, run.statements + 2);
}
