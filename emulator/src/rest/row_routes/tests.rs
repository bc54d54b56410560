use axum::http::Uri;

use super::{percent_decode, target};

#[test]
fn segments_decode_one_at_a_time() {
    assert_eq!(percent_decode("get1%2Fab%26cd%2Fxy"), "get1/ab&cd/xy");
    assert_eq!(percent_decode("100%"), "100%");
    assert_eq!(percent_decode("%zz%41"), "%zzA");
    let uri: Uri = "/api/rest/v2/keyspaces/ks/My%20Table/a%2Fb/2021-01-01T00%3A00%3A00%2B01%3A00"
        .parse()
        .unwrap_or_default();
    assert_eq!(
        target(&uri),
        ("ks".into(), "My Table".into(), vec!["a/b".into(), "2021-01-01T00:00:00+01:00".into()])
    );
}
