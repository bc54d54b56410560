//! One statement of arbitrary text against the fixed schema: nothing may panic, whatever
//! the parser accepts or rejects and whatever the executor makes of it.

#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "schema.rs"]
mod schema;

fuzz_target!(|data: &[u8]| {
    let Ok(cql) = std::str::from_utf8(data) else { return };
    let mut fixture = schema::Fixture::new();
    let _ = fixture.run(cql);
});
