use super::*;

/// Statements covering every production; each must print to CQL that parses back to the
/// same tree, and printing that again must give the same text.
const ROUND_TRIP: &[&str] = &[
    "USE ks",
    "use \"MyKs\";",
    "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}",
    "create keyspace if not exists ks with replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3} and durable_writes = false",
    "ALTER KEYSPACE ks WITH durable_writes = true",
    "ALTER KEYSPACE IF EXISTS ks WITH durable_writes = true",
    "DROP KEYSPACE IF EXISTS ks",
    "CREATE TABLE t (k int PRIMARY KEY, v text)",
    "CREATE TABLE IF NOT EXISTS ks.t (a int, b int, c text static, d list<frozen<map<text, int>>>, PRIMARY KEY ((a, b), c)) WITH CLUSTERING ORDER BY (c DESC) AND comment = 'hi' AND default_time_to_live = 10",
    "CREATE TABLE t (a int, b tuple<int, text>, v vector<float, 3>, u frozen<address>, x ks.udt, PRIMARY KEY (a, b)) WITH COMPACT STORAGE",
    "CREATE TABLE t (a int, b blob, PRIMARY KEY (a)) WITH compaction = {'class': 'SizeTieredCompactionStrategy'}",
    "ALTER TABLE t ADD x int",
    "ALTER TABLE t ADD (x int, y set<text> static)",
    "ALTER TABLE IF EXISTS t ADD IF NOT EXISTS x int",
    "ALTER TABLE t DROP x",
    "ALTER TABLE t DROP (x, y)",
    "ALTER TABLE t DROP x USING TIMESTAMP 20000",
    "ALTER TABLE t DROP (x, y) USING TIMESTAMP 1",
    "ALTER TABLE t WITH default_validation = timestamp",
    "CREATE TYPE trailing (a int, b list<int>,)",
    "INSERT INTO t (k, d) VALUES (0, 1950µs)",
    "INSERT INTO t (k, d, f) VALUES (0, 3.E10, 3.)",
    "INSERT INTO t (k, d) VALUES (0, -P0001-03-00T02:10:00)",
    "ALTER TABLE t RENAME a TO b AND c TO d",
    "ALTER TABLE t WITH comment = 'x' AND gc_grace_seconds = 0",
    "ALTER TABLE t ALTER v TYPE blob",
    "DROP TABLE ks.t",
    "TRUNCATE t",
    "TRUNCATE TABLE ks.t",
    "CREATE TYPE address (street text, zip int)",
    "CREATE TYPE IF NOT EXISTS ks.a (\"Street\" text, tags frozen<set<text>>)",
    "ALTER TYPE a ADD city text",
    "ALTER TYPE a RENAME zip TO postcode AND street TO road",
    "DROP TYPE IF EXISTS a",
    "CREATE INDEX ON t (v)",
    "CREATE INDEX IF NOT EXISTS idx ON ks.t (KEYS(m))",
    "CREATE INDEX i2 ON t (values(s))",
    "CREATE INDEX i3 ON t (ENTRIES(m))",
    "CREATE INDEX i4 ON t (FULL(f))",
    "CREATE CUSTOM INDEX i5 ON t (v) USING 'StorageAttachedIndex' WITH OPTIONS = {'case_sensitive': 'false'}",
    "DROP INDEX ks.idx",
    "INSERT INTO t (k, v) VALUES (1, 'a')",
    "INSERT INTO t (k, v) VALUES (-1, 'it''s') IF NOT EXISTS USING TTL 10 AND TIMESTAMP 123",
    "INSERT INTO t (a, b, c, d, e, f, g, h) VALUES (1.5, -2e10, true, 0xCAFE, 123e4567-e89b-12d3-a456-426614174000, 1h30m, NaN, -Infinity)",
    "INSERT INTO t (l, s, m, tu, u) VALUES ([1, 2], {'a', 'b'}, {'k': 1, 'j': 2}, (1, 'x'), {street: 'x', zip: 1})",
    "INSERT INTO t (m, n) VALUES ({}, null)",
    "INSERT INTO t (k, ts) VALUES (now(), toTimestamp(now()))",
    "INSERT INTO t (k, v) VALUES ((int) 3, 1 + 2 * 3)",
    "INSERT INTO t JSON '{\"k\": 1}'",
    "INSERT INTO t (a, b) VALUES (- -1, -abs(2))",
    "INSERT INTO t JSON '{\"k\": 1}' DEFAULT UNSET",
    "INSERT INTO t (k, v) VALUES ($$a'b$$, 'c')",
    "UPDATE t SET v = 1 WHERE k = 1",
    "UPDATE ks.t USING TTL 5 SET v = 'x', c = c + 1, l = l - [1], l = [0] + l WHERE k IN (1, 2) AND c1 = 3 IF EXISTS",
    "UPDATE t SET m['a'] = 1, u.street = 'x', s += {'a'}, s -= {'b'} WHERE k = 1 IF v = 1 AND m['a'] != 2 AND u.zip > 3 AND w IN (1, 2)",
    "DELETE FROM t WHERE k = 1",
    "DELETE v, m['a'], u.street FROM t USING TIMESTAMP 10 WHERE k = 1 AND c > 1 IF EXISTS",
    "DELETE FROM t WHERE k = 1 IF v = null",
    "BEGIN BATCH INSERT INTO t (k) VALUES (1); UPDATE t SET v = 1 WHERE k = 2; DELETE FROM t WHERE k = 3; APPLY BATCH",
    "BEGIN UNLOGGED BATCH USING TIMESTAMP 5 INSERT INTO t (k) VALUES (1) APPLY BATCH",
    "BEGIN COUNTER BATCH UPDATE c SET n = n + 1 WHERE k = 1; APPLY BATCH",
    "SELECT * FROM t",
    "SELECT JSON * FROM t",
    "SELECT DISTINCT k FROM t",
    "SELECT json, distinct FROM t",
    "SELECT k AS key, COUNT(*), count(1), max(v), writetime(v), ttl(v), token(k), CAST(v AS text), toJson(m), u.street, m['a'] FROM ks.t WHERE token(k) > token(1) AND (c1, c2) >= (1, 2) AND (c1, c2) IN ((1, 2), (3, 4)) AND s CONTAINS 1 AND m CONTAINS KEY 'a' AND m['a'] = 1 AND v IS NOT NULL AND n LIKE 'a%' GROUP BY k, c1 ORDER BY c1 DESC, c2 ASC PER PARTITION LIMIT 2 LIMIT 10 ALLOW FILTERING",
    "SELECT k FROM t WHERE k IN () AND c IN ?",
    "SELECT k FROM t WHERE k = :key",
    "SELECT \"Quoted\", \"select\" FROM \"T\"",
    "SELECT 1, 'a', [1] FROM t",
    "SELECT (c - b) / a + d, -(c - a) % d, (int)((c - a) % d / (a + d)), ((a)), (1, 2) FROM t",
    "SELECT a + b * c, -a, - -a, a - -1, 1 + 2 * a, abs(a % 2) / 3, (int) -1 FROM t",
    "SELECT k FROM t WHERE k = 1 * (1 + 1) AND c = (1 + 1) * 2 AND d = -(1 - 2) AND e = (1, 2)",
    "SELECT m['a'..'c'], m[..'b'], s[1..], s[1..3], s[..3] AS upto, f(m)['k'..] FROM t",
    "DESCRIBE CLUSTER",
    "DESC SCHEMA",
    "DESCRIBE FULL SCHEMA WITH INTERNALS",
    "DESCRIBE KEYSPACES",
    "DESCRIBE KEYSPACE",
    "DESCRIBE ONLY KEYSPACE \"MyKs\" WITH INTERNALS",
    "DESCRIBE TABLES",
    "describe columnfamily ks.t",
    "DESCRIBE TABLE t WITH INTERNALS",
    "DESCRIBE INDEX ks.i",
    "DESCRIBE MATERIALIZED VIEW v",
    "DESCRIBE TYPES",
    "DESCRIBE TYPE ks.address",
    "DESCRIBE FUNCTIONS",
    "DESCRIBE FUNCTION ks.f",
    "DESCRIBE AGGREGATES",
    "DESCRIBE AGGREGATE a",
    "DESCRIBE ks.t",
    "DESCRIBE \"tables\"",
    "DESCRIBE \"type\".t",
    "DESC users WITH INTERNALS",
];

#[test]
fn every_statement_round_trips_through_the_printer() {
    for src in ROUND_TRIP {
        let ast = parse_statement(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        let printed = ast.to_string();
        let again = parse_statement(&printed).unwrap_or_else(|e| panic!("{printed}: {e}"));
        assert_eq!(ast, again, "{src}\nprinted as\n{printed}");
        assert_eq!(printed, again.to_string());
    }
}

#[test]
fn identifiers_fold_case_unless_quoted() {
    let Statement::Select(s) = parse_statement("SELECT Foo, \"Bar\" FROM Ks.Tab").unwrap() else {
        panic!("not a select");
    };
    assert_eq!(s.items[0].selector, Selector::Column(Ident("foo".into())));
    assert_eq!(s.items[1].selector, Selector::Column(Ident("Bar".into())));
    assert_eq!(s.table.unwrap().to_string(), "ks.tab");
}

#[test]
fn constants_keep_their_lexical_class() {
    let Statement::Insert { values: InsertValues::Values(_, terms), .. } =
        parse_statement("INSERT INTO t (a,b,c,d,e,f) VALUES (-5, 1.5E3, 0x0a, P1Y2D, -1d, 2e-3)")
            .unwrap()
    else {
        panic!("not an insert");
    };
    let expected = [
        Constant::Integer("-5".into()),
        Constant::Float("1.5E3".into()),
        Constant::Hex("0a".into()),
        Constant::Duration("P1Y2D".into()),
        Constant::Duration("-1d".into()),
        Constant::Float("2e-3".into()),
    ];
    for (t, c) in terms.iter().zip(expected) {
        assert_eq!(t, &Term::Constant(c));
    }
}

#[test]
fn a_dot_may_end_a_float_or_precede_its_exponent() {
    let Statement::Insert { values: InsertValues::Values(_, terms), .. } =
        parse_statement("INSERT INTO t (a, b, c) VALUES (3.E10, 3., -23.44E-3)").unwrap()
    else {
        panic!("not an insert");
    };
    let expected = [
        Constant::Float("3.E10".into()),
        Constant::Float("3.".into()),
        Constant::Float("-23.44E-3".into()),
    ];
    assert_eq!(terms.len(), expected.len());
    for (t, c) in terms.iter().zip(expected) {
        assert_eq!(t, &Term::Constant(c));
    }
}

#[test]
fn update_assignment_forms() {
    let Statement::Update { assignments, .. } = parse_statement(
        "UPDATE t SET a = a + 1, b = b - {2}, l = [1] + l, m += {'k': 1} WHERE k = 0",
    )
    .unwrap() else {
        panic!("not an update");
    };
    assert!(matches!(assignments[0], Assignment::Add(..)));
    assert!(matches!(assignments[1], Assignment::Subtract(..)));
    assert!(matches!(assignments[2], Assignment::Prepend(..)));
    assert!(matches!(assignments[3], Assignment::Add(..)));
}

#[test]
fn a_script_splits_into_statements_batches_included() {
    let script = "CREATE KEYSPACE k WITH replication = {'class': 'SimpleStrategy'};\n\
                  -- a comment\n\
                  BEGIN BATCH INSERT INTO t (k) VALUES (1); APPLY BATCH;\n\
                  /* block */ SELECT * FROM t;";
    let stmts = parse_script(script).unwrap();
    assert_eq!(stmts.len(), 3);
    assert_eq!(stmts[2].1, "SELECT * FROM t");
}

fn syntax_error(src: &str) -> String {
    match parse_statement(src) {
        Err(Error::Syntax(m)) => m,
        other => panic!("{src}: expected a syntax error, got {other:?}"),
    }
}

#[test]
fn syntax_errors_are_worded_as_cassandra_words_them() {
    assert_eq!(
        syntax_error("SELsECT 1"),
        "line 1:0 no viable alternative at input 'SELsECT' ([SELsECT] 1)"
    );
    assert_eq!(
        syntax_error("SELECT * FORM t"),
        "line 1:9 mismatched input 'FORM' expecting K_FROM (SELECT * [FORM] t)"
    );
    assert_eq!(
        syntax_error("SELECT * FROM t WHERE k = 1 AND c = 2 AND d = 3 ALLOW FILTERS"),
        "line 1:54 mismatched input 'FILTERS' expecting K_FILTERING (...AND d = 3 ALLOW [FILTERS]...)"
    );
    assert!(
        syntax_error("INSERT INTO t (k) VALUES (1")
            .starts_with("line 1:27 mismatched input '<EOF>' expecting ')'")
    );
    assert!(
        syntax_error("SELECT * FROM t;\nfoo")
            .starts_with("line 2:0 mismatched input 'foo' expecting EOF")
    );
    assert!(
        syntax_error("SELECT 'abc FROM t").starts_with("line 1:18 mismatched character '<EOF>'")
    );
    // Only a string starts with `$`, so the lexer fails where the second `$` should be.
    assert_eq!(
        syntax_error("INSERT INTO t (k) VALUES ($x$)"),
        "line 1:27 mismatched character 'x' expecting '$'"
    );
    // Strings are named by their content, as ANTLR names a token whose text was replaced.
    assert!(
        syntax_error("SELECT * FROM t WHERE k = 'a' 'b'")
            .starts_with("line 1:30 mismatched input 'b' expecting EOF")
    );
    assert!(
        syntax_error("SELECT * FROM t WHERE token(k) IN (1)")
            .starts_with("line 1:31 no viable alternative at input 'IN'")
    );
    assert_eq!(
        syntax_error("CREATE USER \"u1\""),
        "Quoted strings are are not supported for user names and USER is deprecated, please use ROLE"
    );
    assert!(
        syntax_error("CREATE ROLE r WITH OPTIONS = 99")
            .starts_with("line 1:29 mismatched input '99' expecting '{'")
    );
}

#[test]
fn unsupported_statements_are_recognised_not_rejected() {
    for (src, feature) in [
        (
            "CREATE FUNCTION f(a int) RETURNS NULL ON NULL INPUT RETURNS int LANGUAGE java AS $$ return a; $$",
            "user-defined functions",
        ),
        (
            "CREATE OR REPLACE FUNCTION f() CALLED ON NULL INPUT RETURNS int LANGUAGE java AS 'x'",
            "user-defined functions",
        ),
        (
            "CREATE MATERIALIZED VIEW v AS SELECT * FROM t WHERE k IS NOT NULL PRIMARY KEY (k)",
            "materialized views",
        ),
        ("CREATE ROLE alice WITH PASSWORD = 'x'", "roles and permissions"),
        ("GRANT SELECT ON ALL KEYSPACES TO alice", "roles and permissions"),
        ("DROP AGGREGATE a", "user-defined aggregates"),
    ] {
        match parse_statement(src) {
            Ok(Statement::Unsupported { feature: f, .. }) => assert_eq!(f, feature, "{src}"),
            other => panic!("{src}: {other:?}"),
        }
    }
}

#[test]
fn describe_forms_parse_to_their_targets() {
    use crate::ast::{Describe, DescribeTarget};
    let target = |src: &str| match parse_statement(src) {
        Ok(Statement::Describe(Describe { target, .. })) => target,
        other => panic!("{src}: {other:?}"),
    };
    assert_eq!(target("DESC TABLES"), DescribeTarget::Tables);
    assert_eq!(target("DESCRIBE KEYSPACE"), DescribeTarget::Keyspace(false, None));
    // A quoted keyword is a name, not the keyword.
    assert!(matches!(target("DESCRIBE \"tables\""), DescribeTarget::Generic(_)));
    assert!(matches!(target("DESCRIBE users"), DescribeTarget::Generic(_)));
    for bad in ["DESCRIBE", "DESCRIBE TABLE", "DESCRIBE TYPE", "DESCRIBE t WITH", "DESCRIBE FULL"] {
        assert!(parse_statement(bad).is_err(), "{bad}");
    }
}

#[test]
fn collection_slices_need_a_bound() {
    assert!(parse_statement("SELECT m[..] FROM t").is_err());
    let Ok(Statement::Select(s)) = parse_statement("SELECT s[1..3] FROM t") else {
        panic!("slice did not parse");
    };
    assert!(matches!(
        s.items.first().map(|i| &i.selector),
        Some(Selector::Slice(_, Some(_), Some(_)))
    ));
}

#[test]
fn hostile_input_never_panics() {
    let deep = format!("INSERT INTO t (k) VALUES ({}1{})", "[".repeat(5000), "]".repeat(5000));
    assert!(parse_statement(&deep).is_err());
    for src in
        ["", ";", "'", "\"", "$$", "/*", "SELECT", "SELECT * FROM", "((((", "é", "0x", "1e", "-"]
    {
        assert!(parse_statement(src).is_err(), "{src}");
    }
    // Selector expressions: nesting is bounded, and unfinished ones fail cleanly.
    let nested = format!("SELECT {}a{} FROM t", "(".repeat(5000), ")".repeat(5000));
    assert!(parse_statement(&nested).is_err());
    let negated = format!("SELECT {}a FROM t", "- ".repeat(5000));
    assert!(parse_statement(&negated).is_err());
    let long = format!("SELECT a{} FROM t", " + a".repeat(50_000));
    assert!(parse_statement(&long).is_err());
    let long = format!("UPDATE t SET v = 1{} WHERE k = 1", " * 1".repeat(50_000));
    assert!(parse_statement(&long).is_err());
    for src in ["SELECT (a FROM t", "SELECT (int)(a FROM t", "SELECT a + FROM t", "SELECT - FROM t"]
    {
        assert!(parse_statement(src).is_err(), "{src}");
    }
}

#[test]
fn scripts_split_at_top_level_semicolons_only() {
    let script = "CREATE TABLE t (k int PRIMARY KEY);\n\
                  BEGIN BATCH INSERT INTO t (k) VALUES (1); INSERT INTO t (k) VALUES (2); APPLY BATCH;\n\
                  SELsECT oops; -- comment ; here\n\
                  SELECT ';' FROM t";
    let parts = split_statements(script);
    assert_eq!(parts.len(), 4, "{parts:?}");
    assert!(parts[1].starts_with("BEGIN BATCH") && parts[1].ends_with("APPLY BATCH"));
    assert_eq!(parts[2], "SELsECT oops");
    assert_eq!(parts[3], "SELECT ';' FROM t");
    assert_eq!(split_statements("'unterminated"), vec!["'unterminated".to_string()]);
}

#[test]
fn schema_syntax_errors_follow_cassandra() {
    assert_eq!(
        syntax_error("CREATE KEYSPACE WITH WITH DURABLE_WRITES = true"),
        "line 1:16 no viable alternative at input 'WITH' (CREATE KEYSPACE [WITH] WITH...)"
    );
    assert_eq!(syntax_error("USE ?"), "Bind variables cannot be used for keyspace names");
    assert_eq!(
        syntax_error("CREATE TABLE t (k int PRIMARY KEY, v frozen<int>)"),
        "frozen<> is only allowed on collections, tuples, and user-defined types (got int)"
    );
    assert_eq!(
        syntax_error("CREATE KEYSPACE k WITH replication = {'class': 'x', 'dc': 1, 'dc': 2}"),
        "Multiple definition for property dc"
    );
    assert!(syntax_error("INSERT INTO t (k, v) VALUES (0, ())").contains("no viable alternative"));
    assert!(syntax_error("ALTER TABLE t DROP x USING TIMESTAMP 'a'").contains("INTEGER"));
}
