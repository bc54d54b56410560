use super::*;

#[test]
fn doubles_print_as_java_does() {
    assert_eq!(java_double(0.01), "0.01");
    assert_eq!(java_double(1.0), "1.0");
    assert_eq!(java_double(0.1), "0.1");
    assert_eq!(java_double(0.0001), "1.0E-4");
    assert_eq!(java_double(12_345_678.0), "1.2345678E7");
}

#[test]
fn replication_options_follow_java_hash_order() {
    // Java's String hashes put "a" in bucket 1, "dc2" in 2 and "dc1" in 3 of 16, so
    // "dc2" comes before "dc1" although it sorts after it by name.
    let mut keys = vec!["dc1", "a", "dc2"];
    keys.sort_by_key(|k| java_hash_bucket(k, 4));
    assert_eq!(keys, ["a", "dc2", "dc1"]);
}
