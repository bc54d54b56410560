//! The pure pieces of write planning: which assignments may share a column, which types
//! refuse slice conditions, and which clustering keys a multi-column `IN` names.

use super::{KeyRestrictions, check_assignments_compatible, references_duration};
use crate::ast::{Assignment, Ident, Term};
use crate::types::{CqlType, NativeType, Value};

fn col(name: &str) -> Ident {
    Ident(name.to_string())
}

#[test]
fn a_plain_setting_clashes_with_any_other_setting_of_its_column() {
    let set = |c: &str| Assignment::Set(col(c), Term::Null);
    let add = |c: &str| Assignment::Add(col(c), Term::Null);
    assert!(check_assignments_compatible(&[set("a"), set("b")]).is_ok());
    assert!(check_assignments_compatible(&[add("l"), add("l")]).is_ok());
    let err = check_assignments_compatible(&[set("v"), set("v")]).unwrap_err();
    assert_eq!(err.message(), "Multiple incompatible setting of column v");
    assert!(check_assignments_compatible(&[add("l"), set("l")]).is_err());
}

#[test]
fn durations_are_found_wherever_they_nest() {
    let duration = CqlType::Native(NativeType::Duration);
    assert!(references_duration(&duration));
    assert!(references_duration(&CqlType::Frozen(Box::new(CqlType::List(Box::new(
        duration.clone()
    ))))));
    assert!(references_duration(&CqlType::Tuple(vec![CqlType::Native(NativeType::Int), duration])));
    assert!(!references_duration(&CqlType::Map(
        Box::new(CqlType::Native(NativeType::Text)),
        Box::new(CqlType::Native(NativeType::Int))
    )));
}

#[test]
fn a_multi_column_in_names_its_tuples_combined_with_later_columns() {
    let keys = KeyRestrictions {
        ck: vec![
            Some(vec![Value::Int(0), Value::Int(1)]),
            Some(vec![Value::Int(2)]),
            Some(vec![Value::Int(7), Value::Int(8)]),
        ],
        ck_tuples: Some((
            vec![0, 1],
            vec![vec![Value::Int(0), Value::Int(2)], vec![Value::Int(1), Value::Int(2)]],
        )),
        ..KeyRestrictions::default()
    };
    let got = keys.clustering_keys().unwrap();
    let want: Vec<Vec<Value>> = [(0, 7), (0, 8), (1, 7), (1, 8)]
        .iter()
        .map(|&(a, c)| vec![Value::Int(a), Value::Int(2), Value::Int(c)])
        .collect();
    assert_eq!(got, want);
}
