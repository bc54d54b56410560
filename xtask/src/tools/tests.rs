use super::*;

#[test]
fn version_match_is_exact() {
    assert!(version_matches("trunk 0.21.14\n", "0.21.14"));
    assert!(version_matches("wasm-bindgen 0.2.130", "0.2.130"));
    assert!(!version_matches("trunk 0.21.1", "0.21.14"));
    assert!(!version_matches("trunk 0.21.140", "0.21.14"));
    assert!(!version_matches("", "0.21.14"));
}

#[test]
fn chromium_and_driver_majors_are_read() {
    assert_eq!(major_version("Chromium 156.0.8078.73 built on Debian"), Some(156));
    assert_eq!(major_version("ChromeDriver 156.0.8078.73 (abc)"), Some(156));
    assert_eq!(major_version("no version here"), None);
}
