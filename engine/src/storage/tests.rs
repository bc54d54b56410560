use super::*;
use crate::types::NativeType;

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

fn meta(ts: i64) -> ElementMeta {
    ElementMeta { ts, ttl: 0, expires: None }
}

fn set_of_text() -> CqlType {
    CqlType::Set(Box::new(CqlType::Native(NativeType::Text)))
}

fn map_text_int() -> CqlType {
    CqlType::Map(
        Box::new(CqlType::Native(NativeType::Text)),
        Box::new(CqlType::Native(NativeType::Int)),
    )
}

#[test]
fn a_cell_without_collections_is_no_bigger_than_its_value_and_write_metadata() {
    // The value, the timestamp, the TTL, the expiry and one pointer for element
    // bookkeeping: no per-cell vector.
    let budget = std::mem::size_of::<Option<Value>>() + 8 + 8 + 16 + 8;
    assert!(std::mem::size_of::<Cell>() <= budget, "{}", std::mem::size_of::<Cell>());
}

#[test]
fn set_elements_reconcile_one_by_one() {
    let ty = set_of_text();
    let ab = Value::Set(vec![text("a"), text("b")]);
    let cell = write_elements(
        &ty,
        None,
        ElementOp::Overwrite { deletion: 9, value: Some(&ab) },
        meta(10),
        NO_DELETION,
        0,
    );
    // Deleting 'a' at 5 is older than 'a' (10): it stays.
    let cell = write_elements(&ty, cell, ElementOp::Delete(&[text("a")]), meta(5), NO_DELETION, 0);
    let live = cell.as_ref().and_then(|c| c.live_value(0));
    assert_eq!(live, Some(ab.clone()));
    // Deleting 'b' at 20 wins, and its tombstone keeps an older write of 'b' out.
    let cell = write_elements(&ty, cell, ElementOp::Delete(&[text("b")]), meta(20), NO_DELETION, 0);
    let b = Value::Set(vec![text("b")]);
    let cell = write_elements(&ty, cell, ElementOp::Write(&b), meta(15), NO_DELETION, 0);
    let (value, metas) = cell.as_ref().and_then(|c| c.live_parts(0)).expect("live");
    assert_eq!(value, Value::Set(vec![text("a")]));
    assert_eq!(metas, vec![Some(meta(10))]);
    // A newer write of 'b' comes back.
    let cell = write_elements(&ty, cell, ElementOp::Write(&b), meta(25), NO_DELETION, 0);
    assert_eq!(cell.and_then(|c| c.live_value(0)), Some(ab));
}

#[test]
fn an_overwrite_keeps_newer_elements_and_drops_older_writes() {
    let ty = map_text_int();
    let first = Value::Map(vec![(text("x"), Value::Int(1))]);
    let cell = write_elements(&ty, None, ElementOp::Write(&first), meta(50), NO_DELETION, 0);
    let second = Value::Map(vec![(text("y"), Value::Int(2))]);
    let cell = write_elements(
        &ty,
        cell,
        ElementOp::Overwrite { deletion: 29, value: Some(&second) },
        meta(30),
        NO_DELETION,
        0,
    );
    let both = Value::Map(vec![(text("x"), Value::Int(1)), (text("y"), Value::Int(2))]);
    assert_eq!(cell.as_ref().and_then(|c| c.live_value(0)), Some(both.clone()));
    // Older than the overwrite's deletion: dropped.
    let old = Value::Map(vec![(text("z"), Value::Int(3))]);
    let cell = write_elements(&ty, cell, ElementOp::Write(&old), meta(20), NO_DELETION, 0);
    assert_eq!(cell.as_ref().and_then(|c| c.live_value(0)), Some(both));
    // Older than the row's deletion: dropped too.
    let cell = write_elements(&ty, cell, ElementOp::Write(&old), meta(60), 70, 0);
    assert_eq!(cell.as_ref().map(|c| c.ts), Some(50));
}

#[test]
fn equal_timestamps_keep_the_greater_value_and_a_tie_goes_to_the_deletion() {
    let ty = map_text_int();
    let one = Value::Map(vec![(text("x"), Value::Int(1))]);
    let two = Value::Map(vec![(text("x"), Value::Int(2))]);
    let cell = write_elements(&ty, None, ElementOp::Write(&two), meta(10), NO_DELETION, 0);
    let cell = write_elements(&ty, cell, ElementOp::Write(&one), meta(10), NO_DELETION, 0);
    assert_eq!(cell.as_ref().and_then(|c| c.live_value(0)), Some(two));
    let cell = write_elements(&ty, cell, ElementOp::Delete(&[text("x")]), meta(10), NO_DELETION, 0);
    assert_eq!(cell.as_ref().and_then(|c| c.live_value(0)), None);
    // What is left is the tombstone, which a row deletion after it clears.
    let mut row = Row::new();
    row.cells.insert("m".into(), cell.expect("a tombstone is kept"));
    row.delete(11);
    assert!(row.cells.is_empty());
}

#[test]
fn list_elements_keep_their_own_timestamps_and_expiry() {
    let ty = CqlType::List(Box::new(CqlType::Native(NativeType::Int)));
    let items = Value::List(vec![Value::Int(1), Value::Int(2)]);
    let cell = write_elements(&ty, None, ElementOp::Write(&items), meta(10), NO_DELETION, 0);
    let expiring = ElementMeta { ts: 20, ttl: 5, expires: Some(105) };
    let three = [Value::Int(3)];
    let cell = write_elements(&ty, cell, ElementOp::Prepend(&three), expiring, NO_DELETION, 100);
    let cell = write_elements(
        &ty,
        cell,
        ElementOp::SetIndex(2, &Value::Int(9)),
        meta(5),
        NO_DELETION,
        100,
    );
    let cell = write_elements(&ty, cell, ElementOp::DeleteIndex(1), meta(30), NO_DELETION, 100);
    let (value, metas) = cell.as_ref().and_then(|c| c.live_parts(100)).expect("live");
    assert_eq!(value, Value::List(vec![Value::Int(3), Value::Int(2)]));
    assert_eq!(metas, vec![Some(expiring), Some(meta(10))]);
    assert_eq!(cell.and_then(|c| c.live_value(105)), Some(Value::List(vec![Value::Int(2)])));
}

#[test]
fn a_cell_map_keeps_its_cells_sorted_through_every_shape() {
    let cell = |n: i32| Cell::new(Some(Value::Int(n)), 1, 0, None);
    let mut cells = CellMap::new();
    assert!(cells.is_empty());
    assert_eq!(cells.insert("m".into(), cell(1)), None);
    assert_eq!(cells.insert("m".into(), cell(2)), Some(cell(1)));
    assert_eq!(cells.insert("a_column_name_longer_than_inline".into(), cell(3)), None);
    assert_eq!(cells.insert("z".into(), cell(4)), None);
    let names: Vec<&str> = cells.iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["a_column_name_longer_than_inline", "m", "z"]);
    assert_eq!(cells.get("z"), Some(&cell(4)));
    assert_eq!(cells.remove("a_column_name_longer_than_inline"), Some(cell(3)));
    assert_eq!(cells.remove("nope"), None);
    cells.retain(|name, _| name != "z");
    assert_eq!(cells.len(), 1);
    assert_eq!(cells.get("m"), Some(&cell(2)));
    assert_eq!(cells.remove("m"), Some(cell(2)));
    assert!(cells.is_empty());
    assert_eq!(cells, CellMap::new());
}

/// A small deterministic generator, so a failure replays.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 =
            self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

/// Checks a partition's rows against its heads, and every probe against a plain list of
/// the keys it should hold.
fn assert_consistent(
    p: &Partition,
    types: &[(CqlType, Order)],
    held: &[Vec<Value>],
    probes: &[Vec<Value>],
) {
    assert_eq!(p.rows().len(), p.heads.len());
    for (i, (k, _)) in p.rows().iter().enumerate() {
        assert_eq!(p.heads.get(i), Some(&head(types, k)), "head of {k:?}");
        if let Some((next, _)) = p.rows().get(i + 1) {
            assert_eq!(compare_prefix(types, k, next), Ordering::Less, "{k:?} before {next:?}");
            assert!(head(types, k) <= head(types, next), "heads of {k:?} and {next:?}");
        }
    }
    for probe in probes {
        assert_eq!(p.row(types, probe).is_some(), held.contains(probe), "finding {probe:?}");
    }
}

#[test]
fn rows_are_found_by_their_heads_through_inserts_removals_and_compaction() {
    let int = CqlType::Native(NativeType::Int);
    let txt = CqlType::Native(NativeType::Text);
    let uuid = CqlType::Native(NativeType::Uuid);
    let shapes: Vec<Vec<(CqlType, Order)>> = vec![
        vec![(int.clone(), Order::Asc)],
        vec![(int.clone(), Order::Desc)],
        vec![(txt.clone(), Order::Asc)],
        vec![(txt.clone(), Order::Desc)],
        vec![(int.clone(), Order::Desc), (txt.clone(), Order::Asc)],
        vec![(uuid, Order::Asc)],
    ];
    // Texts sharing long prefixes, so that heads tie and whole keys decide.
    let value = |ty: &CqlType, n: u64| match ty {
        CqlType::Native(NativeType::Int) => Value::Int(i32::try_from(n).unwrap_or(0) - 20),
        CqlType::Native(NativeType::Uuid) => {
            Value::Uuid(crate::types::Uuid([u8::try_from(n).unwrap_or(0); 16]))
        }
        _ => Value::Text(format!("prefix-long-{n}").into()),
    };
    let mut rng = Lcg(11);
    for types in &shapes {
        let key = |n: u64, m: u64| -> Vec<Value> {
            types
                .iter()
                .enumerate()
                .map(|(i, (ty, _))| value(ty, if i == 0 { n } else { m }))
                .collect()
        };
        let probes: Vec<Vec<Value>> =
            (0..40).flat_map(|n| (0..3).map(move |m| (n, m))).map(|(n, m)| key(n, m)).collect();
        let mut p = Partition::new(vec![Value::Int(0)]);
        let mut held: Vec<Vec<Value>> = Vec::new();
        for step in 0..600 {
            let k = key(rng.below(40), rng.below(3));
            match rng.below(10) {
                0..=5 => {
                    p.row_mut(types, k.clone()).marker =
                        Some(Marker { ts: step, ttl: 0, expires: None });
                    if !held.contains(&k) {
                        held.push(k);
                    }
                }
                6 | 7 => {
                    p.remove_row(types, &k);
                    held.retain(|h| *h != k);
                }
                8 => {
                    // A row left empty goes at the next compaction.
                    p.row_mut(types, k.clone()).marker = None;
                    p.compact();
                    held.retain(|h| *h != k);
                }
                _ => {
                    p.delete(step);
                    held.clear();
                }
            }
            assert_consistent(&p, types, &held, &probes);
        }
    }
}
