//! A script: the input split into statements at `;`, run in order on one engine, so a
//! fuzzed `CREATE`/`ALTER` can set up what a later fuzzed statement reads or writes.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "schema.rs"]
mod schema;

fuzz_target!(|data: &[u8]| {
    let Ok(script) = std::str::from_utf8(data) else { return };
    let mut fixture = schema::Fixture::new();
    for statement in script.split(';').filter(|s| !s.trim().is_empty()).take(32) {
        let _ = fixture.run(statement);
    }
});
