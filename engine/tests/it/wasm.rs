//! The fixtures replayed by the engine compiled to wasm32, in headless Chromium, so the
//! build the browser runs is held to the same transcripts as the native one. The files
//! are compiled in because the browser has no file system; expectations are only
//! rewritten natively.

use cqlfiddle_engine::Session;
use cqlfiddle_engine::conformance::{first_difference, run_fixture};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Every fixture, by name, as the native test reads them from `tests/fixtures/`.
const FIXTURES: &[(&str, &str)] = &[
    ("basics.cql", include_str!("../fixtures/basics.cql")),
    ("cassandra_collections.cql", include_str!("../fixtures/cassandra_collections.cql")),
    ("cassandra_functions.cql", include_str!("../fixtures/cassandra_functions.cql")),
    ("cassandra_index.cql", include_str!("../fixtures/cassandra_index.cql")),
    ("cassandra_json.cql", include_str!("../fixtures/cassandra_json.cql")),
    ("cassandra_misc.cql", include_str!("../fixtures/cassandra_misc.cql")),
    ("cassandra_schema.cql", include_str!("../fixtures/cassandra_schema.cql")),
    ("cassandra_select.cql", include_str!("../fixtures/cassandra_select.cql")),
    ("cassandra_writes.cql", include_str!("../fixtures/cassandra_writes.cql")),
    ("clustering.cql", include_str!("../fixtures/clustering.cql")),
    ("collections.cql", include_str!("../fixtures/collections.cql")),
    ("describe.cql", include_str!("../fixtures/describe.cql")),
    ("functions.cql", include_str!("../fixtures/functions.cql")),
    ("lwt_batch.cql", include_str!("../fixtures/lwt_batch.cql")),
    ("misc.cql", include_str!("../fixtures/misc.cql")),
    ("selectors.cql", include_str!("../fixtures/selectors.cql")),
    ("timestamps.cql", include_str!("../fixtures/timestamps.cql")),
    ("ttl_schema.cql", include_str!("../fixtures/ttl_schema.cql")),
];

#[wasm_bindgen_test]
fn fixtures_match_cassandra_in_wasm() {
    let failures: Vec<String> = FIXTURES
        .iter()
        .filter_map(|(name, expected)| {
            let actual = run_fixture(&mut Session::new(), expected);
            first_difference(name, expected, &actual)
        })
        .collect();
    assert!(failures.is_empty(), "{} fixture(s) differ:\n{}", failures.len(), failures.join("\n"));
}
