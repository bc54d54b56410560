use super::*;

#[test]
fn system_local_reports_the_release_version() {
    let mut session = Session::new();
    let outcome = session.execute("SELECT release_version FROM system.local;", Micros(0)).unwrap();
    let Outcome::Rows(rows) = outcome else { panic!("expected rows, got {outcome:?}") };
    assert_eq!(rows.columns[0].name, "release_version");
    assert_eq!(rows.rows, vec![vec![Some(Value::Text(RELEASE_VERSION.into()))]]);
}

#[test]
fn garbage_is_a_syntax_error() {
    let err = Session::new().execute("SELsECT 1", Micros(0)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Syntax);
}
