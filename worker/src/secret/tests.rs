use super::*;

#[test]
fn formatting_never_shows_the_value() {
    let secret = Secret::new("AstraCS:abc".into());
    assert_eq!(format!("{secret}"), "[redacted]");
    assert_eq!(format!("{secret:?}"), "Secret([redacted])");
    assert_eq!(format!("{:?}", Some(secret.clone())), "Some(Secret([redacted]))");
    assert_eq!(secret.expose(), "AstraCS:abc");
}

#[test]
fn scrub_removes_every_occurrence() {
    let secret = Secret::new("tok".into());
    assert_eq!(secret.scrub("a tok b tok"), "a [redacted] b [redacted]");
    assert_eq!(Secret::new(String::new()).scrub("as is"), "as is");
}
