use super::index_target_column;

#[test]
fn index_targets_name_their_column() {
    assert_eq!(index_target_column("name"), "name");
    assert_eq!(index_target_column("values(tags)"), "tags");
    assert_eq!(index_target_column("keys(\"My\"\"Map\")"), "My\"Map");
    assert_eq!(index_target_column("\"Name\""), "Name");
}
