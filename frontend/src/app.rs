//! The page's components. They stay thin: what to show is decided in [`crate::sandbox`],
//! [`crate::status`] and [`crate::api`].

use cqlfiddle_engine::{Micros, RELEASE_VERSION, Session};
use leptos::prelude::*;

use crate::sandbox::{self, Cell, ResultTable, SAMPLE_QUERY, SandboxResult};
use crate::status::StatusLine;
use crate::{api, api_base};

/// The whole page: the in-tab sandbox and the connection through the Worker.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <div class="page">
            <header class="masthead">
                <h1 class="brand">
                    <span class="brand-mark" aria-hidden="true">"❯"</span>
                    "cqlfiddle"
                </h1>
                <p class="tagline">"Learn Cassandra's query language in your browser."</p>
            </header>
            <main class="cards">
                <Sandbox />
                <Connection api_url=page_api_url() />
            </main>
            <footer class="footer">
                {format!("cqlfiddle {} · the sandbox follows Cassandra {RELEASE_VERSION}", env!("CARGO_PKG_VERSION"))}
            </footer>
        </div>
    }
}

/// The Worker URL for this page, honouring `?api=`.
fn page_api_url() -> String {
    let search = window().location().search().unwrap_or_default();
    let param = web_sys::UrlSearchParams::new_with_str(&search).ok().and_then(|p| p.get("api"));
    api_base(param.as_deref())
}

/// Runs [`SAMPLE_QUERY`] in an engine inside this tab and shows the result.
#[component]
pub fn Sandbox() -> impl IntoView {
    let result = sandbox::run(&mut Session::new(), SAMPLE_QUERY, now());
    view! {
        <section class="card">
            <div class="card-head">
                <h2>"Sandbox"</h2>
                <span class="badge">"runs in this tab"</span>
            </div>
            <p class="lede">
                "An in-memory CQL engine compiled to WebAssembly. Nothing you type leaves your browser."
            </p>
            <pre class="cql"><code>{SAMPLE_QUERY}</code></pre>
            <ResultView result />
        </section>
    }
}

/// Shows what a statement produced: a table, a confirmation or the engine's error.
#[component]
pub fn ResultView(
    /// The outcome to show.
    result: SandboxResult,
) -> impl IntoView {
    match result {
        SandboxResult::Table(table) => table_view(table).into_any(),
        SandboxResult::Done(message) => {
            view! { <p class="done" data-testid="sandbox-result">{message}</p> }.into_any()
        }
        SandboxResult::Failed { kind, message } => view! {
            <p class="failed" data-testid="sandbox-result">
                <strong>{kind}</strong>
                ": "
                {message}
            </p>
        }
        .into_any(),
    }
}

fn table_view(table: ResultTable) -> impl IntoView {
    let count = table.rows.len();
    let header = table.columns.into_iter().map(|name| view! { <th>{name}</th> }).collect_view();
    let rows = table
        .rows
        .into_iter()
        .map(|row| {
            let cells = row
                .into_iter()
                .map(|cell| match cell {
                    Cell::Value(text) => view! { <td>{text}</td> }.into_any(),
                    Cell::Null => view! { <td class="null">"null"</td> }.into_any(),
                })
                .collect_view();
            view! { <tr>{cells}</tr> }
        })
        .collect_view();
    view! {
        <div class="result">
            <table data-testid="sandbox-result">
                <thead>
                    <tr>{header}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <p class="meta">{if count == 1 { "1 row".to_owned() } else { format!("{count} rows") }}</p>
        </div>
    }
}

/// Asks the Worker at `api_url` about its upstream and shows the answer.
#[component]
pub fn Connection(
    /// The Worker's base URL.
    api_url: String,
) -> impl IntoView {
    let health = LocalResource::new({
        let url = api_url.clone();
        move || {
            let url = url.clone();
            async move { api::fetch_health(&url).await }
        }
    });
    view! {
        <section class="card">
            <div class="card-head">
                <h2>"Astra DB"</h2>
                <span class="badge">"through the Worker"</span>
            </div>
            <p class="lede">
                "The same page can work against a real database. A Cloudflare Worker holds the token, so the browser never sees it."
            </p>
            <Suspense fallback=|| view! { <StatusView line=StatusLine::checking() /> }>
                {move || {
                    let api_url = api_url.clone();
                    Suspend::new(async move {
                        let result = health.await;
                        view! { <StatusView line=StatusLine::from_health(&result, &api_url) /> }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// One status line with a coloured dot.
#[component]
pub fn StatusView(
    /// What to say.
    line: StatusLine,
) -> impl IntoView {
    view! {
        <div class=format!("status status-{}", line.tone.class())>
            <span class="dot" aria-hidden="true"></span>
            <span class="status-text" data-testid="upstream-status">{line.text}</span>
        </div>
        {line.detail.map(|detail| view! { <p class="meta">{detail}</p> })}
    }
}

/// The engine takes the time from its caller; in the browser that is the wall clock.
fn now() -> Micros {
    // f64 milliseconds hold every instant up to the year 287,396 exactly enough for micros.
    Micros((js_sys::Date::now() * 1000.0) as i64)
}
