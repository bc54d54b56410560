use super::{decode, encode};

#[test]
fn encodes_with_padding() {
    assert_eq!(encode(b""), "");
    assert_eq!(encode(&[0xff]), "/w==");
    assert_eq!(encode(b"ab"), "YWI=");
    assert_eq!(encode(b"abc"), "YWJj");
    assert_eq!(encode(&[0xfb, 0xff]), "+/8=");
}

#[test]
fn round_trips() {
    let bytes: Vec<u8> = (0..=255).collect();
    assert_eq!(decode(&encode(&bytes)), Ok(bytes));
}

#[test]
fn rejects_what_java_rejects() {
    assert_eq!(decode("a b="), Err("Illegal base64 character 20".into()));
    assert!(decode("-_").is_err());
    assert!(decode("A").is_err());
    assert_eq!(decode("/w"), Ok(vec![0xff]));
}
