use super::Workload;

#[test]
fn every_workload_sees_every_row() {
    let mut w = Workload::new(10).expect("schema");
    assert_eq!(w.insert(100), Ok(100));
    assert_eq!(w.point_reads(100, 7), Ok(100));
    assert_eq!(w.scans(10), Ok(100));
}

#[test]
fn reads_of_missing_keys_find_nothing() {
    let mut w = Workload::new(10).expect("schema");
    assert_eq!(w.insert(5), Ok(5));
    assert_eq!(w.scans(3), Ok(5));
    assert_eq!(w.point_reads(10, 3), Ok(5));
}
