//! Components mounted into a real browser document, checked the way a person reads them.

// The DOM exists only in the browser; on the host this binary is empty.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, reason = "a failed DOM call should fail the test loudly")]

use cqlfiddle_engine::RELEASE_VERSION;
use cqlfiddle_frontend::app::{Sandbox, StatusView};
use cqlfiddle_frontend::status::StatusLine;
use cqlfiddle_shared::{Health, UpstreamKind, UpstreamStatus};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element in the document's body to mount a component into.
fn container() -> web_sys::HtmlElement {
    let document = document();
    let element = document.create_element("div").unwrap().unchecked_into::<web_sys::HtmlElement>();
    document.body().unwrap().append_child(&element).unwrap();
    element
}

/// The text of the one element with `data-testid` = `id` under `root`.
fn text_of(root: &web_sys::HtmlElement, id: &str) -> String {
    let found = root.query_selector_all(&format!("[data-testid='{id}']")).unwrap();
    assert_eq!(found.length(), 1, "expected exactly one {id}");
    found.item(0).unwrap().text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
fn the_sandbox_shows_the_release_version_from_the_engine() {
    let root = container();
    let _mounted = leptos::mount::mount_to(root.clone(), Sandbox);
    let text = text_of(&root, "sandbox-result");
    assert!(text.contains("release_version"), "{text}");
    assert!(text.contains(RELEASE_VERSION), "{text}");
}

#[wasm_bindgen_test]
fn the_status_line_says_whether_the_upstream_is_reachable() {
    let reachable = Ok(Health {
        version: "0.1.0".into(),
        upstream_kind: UpstreamKind::RestV2,
        upstream: UpstreamStatus::Reachable { latency_ms: 9 },
    });
    let root = container();
    let line = StatusLine::from_health(&reachable, "http://127.0.0.1:8787");
    let _mounted = leptos::mount::mount_to(root.clone(), move || view! { <StatusView line /> });
    assert_eq!(text_of(&root, "upstream-status"), "upstream reachable (9 ms)");
    assert!(root.query_selector(".status-good").unwrap().is_some());

    let root = container();
    let _mounted = leptos::mount::mount_to(
        root.clone(),
        || view! { <StatusView line=StatusLine::checking() /> },
    );
    assert!(text_of(&root, "upstream-status").starts_with("checking"));
}
