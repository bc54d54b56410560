//! Paging states: where a page stopped, so the next page resumes strictly after that
//! row even if rows were written or deleted in between, as Cassandra's pagers do.
//!
//! The state is opaque to clients. Layout (version 1): magic `CQFP`, a version byte,
//! the keyspace and table names, the number of rows returned so far (for LIMIT), the
//! last row's token and serialized partition key, and its clustering values if it had
//! any. Integers are little-endian; byte strings carry a `u32` length.

use std::cmp::Ordering;

use crate::Error;
use crate::ast::Order;
use crate::schema::Table;
use crate::storage::compare_prefix;
use crate::types::{CqlType, Value, deserialize, serialize};

const MAGIC: &[u8; 4] = b"CQFP";
const VERSION: u8 = 1;

/// Cassandra's message for a state it cannot use.
const INVALID: &str = "Invalid value for the paging state";

/// Where a row sits in the order a query reads rows.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Position {
    /// The partition's token.
    pub token: i64,
    /// The partition key as serialized for the token.
    pub key: Vec<u8>,
    /// The clustering values; `None` for a partition-level row (DISTINCT, or a
    /// partition holding only static data).
    pub clustering: Option<Vec<Value>>,
}

/// A decoded paging state.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PagingState {
    /// The last row returned.
    pub last: Position,
    /// How many result rows the earlier pages returned together.
    pub returned: u64,
}

/// How a query orders the rows it reads, to tell whether a row comes after a position.
pub(super) struct ReadOrder<'a> {
    /// Clustering types and orders.
    pub clustering: &'a [(CqlType, Order)],
    /// Whether clustering order is reversed.
    pub reversed: bool,
    /// For `IN` on the partition key: the serialized keys in reading order. Token
    /// order otherwise.
    pub keys: Option<&'a [Vec<u8>]>,
    /// Whether rows of several partitions are merged by clustering (ORDER BY with IN).
    pub merged: bool,
    /// When merged, whether a partition's static-only row (null clustering) comes
    /// before the rows (ascending ORDER BY) rather than after them.
    pub nulls_first: bool,
}

impl ReadOrder<'_> {
    fn partitions(&self, a: &Position, b: &Position) -> Ordering {
        match self.keys {
            Some(keys) => {
                let rank = |p: &Position| keys.iter().position(|k| *k == p.key);
                rank(a).cmp(&rank(b))
            }
            None => (a.token, &a.key).cmp(&(b.token, &b.key)),
        }
    }

    fn clusterings(&self, a: &Position, b: &Position) -> Ordering {
        match (&a.clustering, &b.clustering) {
            (Some(x), Some(y)) => {
                let o = compare_prefix(self.clustering, x, y);
                if self.reversed { o.reverse() } else { o }
            }
            // A partition-level position stands for the whole partition.
            (_, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
        }
    }

    /// Merged rows compare by clustering, a static-only row's null first or last.
    fn merged_clusterings(&self, a: &Position, b: &Position) -> Ordering {
        let null_side = if self.nulls_first { Ordering::Less } else { Ordering::Greater };
        match (&a.clustering, &b.clustering) {
            (None, Some(_)) => null_side,
            (Some(_), None) => null_side.reverse(),
            _ => self.clusterings(a, b),
        }
    }

    /// Whether `row` is read strictly after `last`.
    pub fn is_after(&self, row: &Position, last: &Position) -> bool {
        let o = if self.merged {
            self.merged_clusterings(row, last).then_with(|| self.partitions(row, last))
        } else {
            self.partitions(row, last).then_with(|| self.clusterings(row, last))
        };
        o == Ordering::Greater
    }
}

/// Encodes a state for a page of table `t`.
pub(super) fn encode(t: &Table, state: &PagingState) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.push(VERSION);
    put_bytes(&mut out, t.keyspace.as_bytes());
    put_bytes(&mut out, t.name.as_bytes());
    out.extend_from_slice(&state.returned.to_le_bytes());
    out.extend_from_slice(&state.last.token.to_le_bytes());
    put_bytes(&mut out, &state.last.key);
    match &state.last.clustering {
        None => out.push(0),
        Some(values) => {
            out.push(1);
            for v in values {
                put_bytes(&mut out, &serialize(v));
            }
        }
    }
    out
}

/// Decodes a state that [`encode`] made for table `t`; anything else, including a
/// state made for another table, is Cassandra's invalid paging state.
pub(super) fn decode(t: &Table, state: &[u8]) -> Result<PagingState, Error> {
    decode_parts(t, state).ok_or_else(|| Error::invalid(INVALID))
}

fn decode_parts(t: &Table, state: &[u8]) -> Option<PagingState> {
    let mut r = Reader(state.strip_prefix(MAGIC.as_slice())?);
    if r.take(1)? != [VERSION] {
        return None;
    }
    if r.bytes()? != t.keyspace.as_bytes() || r.bytes()? != t.name.as_bytes() {
        return None;
    }
    let returned = u64::from_le_bytes(r.take(8)?.try_into().ok()?);
    let token = i64::from_le_bytes(r.take(8)?.try_into().ok()?);
    let key = r.bytes()?.to_vec();
    let clustering = match r.take(1)? {
        [0] => None,
        [1] => {
            let mut values = Vec::new();
            for (ty, _) in t.clustering_types().iter() {
                values.push(deserialize(ty, r.bytes()?).ok()?);
            }
            Some(values)
        }
        _ => return None,
    };
    if !r.0.is_empty() {
        return None;
    }
    Some(PagingState { last: Position { token, key, clustering }, returned })
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_le_bytes());
    out.extend_from_slice(bytes);
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = u32::from_le_bytes(self.take(4)?.try_into().ok()?);
        self.take(usize::try_from(len).ok()?)
    }
}
