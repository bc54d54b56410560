//! The schema and rows both targets start from, so fuzzed statements reach the executor
//! with tables of every kind of column to act on rather than failing name resolution.

use cqlfiddle_engine::{Engine, Limits, Micros, Options, Outcome};

/// Statements run before the fuzzed input, in order.
const SETUP: &[&str] = &[
    "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    "CREATE TYPE ks.address (street text, zip int)",
    "CREATE TABLE ks.t (k int, c int, v text, w int, s text STATIC, PRIMARY KEY (k, c))",
    "CREATE TABLE ks.e (day text, ts int, seq int, what text, PRIMARY KEY ((day), ts, seq)) WITH CLUSTERING ORDER BY (ts DESC, seq ASC)",
    "CREATE TABLE ks.coll (id int PRIMARY KEY, tags set<text>, scores list<int>, attrs map<text, int>, home frozen<address>, work address, pair tuple<int, text>)",
    "CREATE TABLE ks.hits (page text PRIMARY KEY, n counter)",
    "CREATE TABLE ks.types (k int PRIMARY KEY, e vector<float, 3>, d date, tm time, du duration, b blob, u uuid, tu timeuuid, i inet, vi varint, de decimal, ts timestamp, db double, bi bigint, bo boolean, sm smallint, ti tinyint, f float, a ascii)",
    "CREATE INDEX ON ks.t (w)",
    "INSERT INTO ks.t (k, c, v, w, s) VALUES (1, 1, 'a', 10, 'static')",
    "INSERT INTO ks.t (k, c, v, w) VALUES (1, 2, 'b', 20) USING TTL 100",
    "INSERT INTO ks.t (k, c, v, w) VALUES (2, 1, 'c', 10)",
    "INSERT INTO ks.e (day, ts, seq, what) VALUES ('mon', 1, 1, 'x')",
    "INSERT INTO ks.coll (id, tags, scores, attrs, home, work, pair) VALUES (1, {'b', 'a'}, [3, 1, 2], {'y': 2, 'x': 1}, {street: 'Main', zip: 1}, {street: 'Office'}, (7, 'seven'))",
    "UPDATE ks.hits SET n = n + 1 WHERE page = 'home'",
    "INSERT INTO ks.types (k, e, d, tm, du, b, u, tu, i, vi, de, ts, db, bi, bo, sm, ti, f, a) VALUES (1, [1.0, 2.0, 3.0], '2024-01-01', '12:00:00', 1h2m, 0xcafe, 5132b130-ae79-11e4-ab27-0800200c9a66, 50554d6e-29bb-11e5-b345-feff819cdc9f, '127.0.0.1', 123456789012345678901234567890, 1.5e3, '2024-01-01T00:00:00Z', 1.25, 9000000000, true, 7, 3, 0.5, 'ascii')",
];

/// A fuzz session: an engine with the fixed schema, the session's keyspace and a clock.
pub struct Fixture {
    pub engine: Engine,
    pub keyspace: Option<String>,
    pub now: i64,
}

impl Fixture {
    /// A fresh engine holding the fixed schema and rows, with small limits so a fuzzed
    /// statement cannot make an input slow by growing the database.
    pub fn new() -> Self {
        let mut engine = Engine::new();
        engine.set_limits(Limits { max_rows: 10_000, max_bytes: 4 << 20 });
        let mut fixture = Fixture { engine, keyspace: None, now: 1_700_000_000_000_000 };
        for cql in SETUP {
            if let Err(err) = fixture.run(cql) {
                panic!("fuzz setup statement failed: {cql}: {err}");
            }
        }
        fixture.keyspace = Some("ks".into());
        fixture
    }

    /// Runs one statement as a session would, a millisecond after the previous one.
    pub fn run(&mut self, cql: &str) -> Result<Outcome, cqlfiddle_engine::Error> {
        self.now += 1_000;
        let options = Options {
            keyspace: self.keyspace.clone(),
            page_size: Some(50),
            now: Micros(self.now),
            ..Options::default()
        };
        let outcome = self.engine.execute(cql, &options)?;
        if let Outcome::SetKeyspace(ks) = &outcome {
            self.keyspace = Some(ks.clone());
        }
        Ok(outcome)
    }
}
