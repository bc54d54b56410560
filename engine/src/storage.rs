//! The data of a table: partitions in token order, rows in clustering order, cells with
//! write timestamps and expiry, and the tombstones that shadow older writes.

use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::ops::Range;

use crate::ast::Order;
use crate::types::{CqlType, Value, compare, serialize};

/// No deletion: older than every write.
pub const NO_DELETION: i64 = i64::MIN;

/// One cell: a value (or a tombstone), when it was written and when it expires.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The value; `None` is a cell tombstone.
    pub value: Option<Value>,
    /// Write timestamp in microseconds.
    pub ts: i64,
    /// The TTL it was written with, in seconds (0 for none).
    pub ttl: i32,
    /// When it expires, in seconds since the epoch.
    pub expires: Option<i64>,
    /// For a non-frozen collection: when each element expires, in element order (each
    /// element keeps the TTL it was written with). Empty for every other cell.
    pub elements: Vec<Option<i64>>,
}

fn element_count(v: &Value) -> usize {
    match v {
        Value::List(items) | Value::Set(items) => items.len(),
        Value::Map(entries) => entries.len(),
        _ => 0,
    }
}

impl Cell {
    /// A cell holding `value`, written at `ts` with `ttl` expiring at `expires`.
    pub fn new(value: Option<Value>, ts: i64, ttl: i32, expires: Option<i64>) -> Self {
        Cell { value, ts, ttl, expires, elements: Vec::new() }
    }

    /// Whether the cell holds a value at `now_secs`.
    pub fn is_live(&self, now_secs: i64) -> bool {
        self.value.is_some()
            && self.expires.is_none_or(|e| now_secs < e)
            && (self.elements.is_empty()
                || self.elements.iter().any(|e| e.is_none_or(|e| now_secs < e)))
    }

    /// The value at `now_secs`, without expired collection elements.
    pub fn live_value(&self, now_secs: i64) -> Option<Value> {
        self.live_parts(now_secs).map(|(v, _)| v)
    }

    /// The live value with the expiry of each of its collection elements.
    pub fn live_parts(&self, now_secs: i64) -> Option<(Value, Vec<Option<i64>>)> {
        if !self.is_live(now_secs) {
            return None;
        }
        let value = self.value.as_ref()?;
        if self.elements.is_empty() || self.elements.len() != element_count(value) {
            return Some((value.clone(), Vec::new()));
        }
        let keep: Vec<bool> =
            self.elements.iter().map(|e| e.is_none_or(|e| now_secs < e)).collect();
        let metas: Vec<Option<i64>> =
            self.elements.iter().zip(&keep).filter(|(_, k)| **k).map(|(e, _)| *e).collect();
        let pick = |items: &[Value]| -> Vec<Value> {
            items.iter().zip(&keep).filter(|(_, k)| **k).map(|(v, _)| v.clone()).collect()
        };
        let v = match value {
            Value::List(items) => Value::List(pick(items)),
            Value::Set(items) => Value::Set(pick(items)),
            Value::Map(entries) => Value::Map(
                entries.iter().zip(&keep).filter(|(_, k)| **k).map(|(e, _)| e.clone()).collect(),
            ),
            other => other.clone(),
        };
        Some((v, metas))
    }

    /// Whether `self` wins over `other` when both are written to the same cell: the later
    /// timestamp, and on a tie a tombstone, then the greater value (as Cassandra resolves).
    pub fn supersedes(&self, other: &Cell) -> bool {
        match self.ts.cmp(&other.ts) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => match (&self.value, &other.value) {
                (None, _) => true,
                (Some(_), None) => false,
                (Some(a), Some(b)) => serialize(a) >= serialize(b),
            },
        }
    }
}

/// A row's liveness marker, which `INSERT` writes: when, with which TTL, and until when.
/// It is a cell without a value, kept small because every row of a table carries one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Marker {
    /// Write timestamp in microseconds.
    pub ts: i64,
    /// The TTL it was written with, in seconds (0 for none).
    pub ttl: i32,
    /// When it expires, in seconds since the epoch.
    pub expires: Option<i64>,
}

impl Marker {
    /// The marker a marker cell (as statements write it) stands for.
    pub fn of(cell: &Cell) -> Marker {
        Marker { ts: cell.ts, ttl: cell.ttl, expires: cell.expires }
    }

    /// The marker as a cell, as snapshots store it.
    pub fn to_cell(self) -> Cell {
        Cell::new(Some(Value::Boolean(true)), self.ts, self.ttl, self.expires)
    }

    /// Whether it still keeps its row alive at `now_secs`.
    pub fn is_live(&self, now_secs: i64) -> bool {
        self.expires.is_none_or(|e| now_secs < e)
    }
}

/// A column name as a row keeps it: inline when short, as nearly all are, so looking a
/// cell up follows no pointer and storing one allocates nothing for its name.
#[derive(Clone, PartialEq, Eq)]
enum Name {
    Inline { len: u8, bytes: [u8; INLINE_NAME] },
    Heap(Box<str>),
}

const INLINE_NAME: usize = 22;

impl Name {
    fn new(name: String) -> Name {
        let mut bytes = [0; INLINE_NAME];
        match (bytes.get_mut(..name.len()), u8::try_from(name.len())) {
            (Some(slot), Ok(len)) => {
                slot.copy_from_slice(name.as_bytes());
                Name::Inline { len, bytes }
            }
            _ => Name::Heap(name.into_boxed_str()),
        }
    }

    fn as_bytes(&self) -> &[u8] {
        match self {
            Name::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or(&[]),
            Name::Heap(s) => s.as_bytes(),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            // Inline names are copied from a `str`, so they are always valid UTF-8.
            Name::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Name::Heap(s) => s,
        }
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// A row's cells by column name: a short vector kept sorted by name. A row holds a
/// handful of cells, for which this is far smaller than a map (one B-tree node is over a
/// kilobyte) and faster to search and to scan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CellMap(Vec<(Name, Cell)>);

impl CellMap {
    /// No cells.
    pub fn new() -> Self {
        CellMap(Vec::new())
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        // Byte order is `str` order, which is the order the cells are kept (and saved) in.
        self.0.binary_search_by(|(n, _)| n.as_bytes().cmp(name.as_bytes()))
    }

    /// The cell of column `name`.
    pub fn get(&self, name: &str) -> Option<&Cell> {
        self.find(name).ok().and_then(|i| self.0.get(i)).map(|(_, c)| c)
    }

    /// Puts `cell` in column `name`, returning the cell it replaces.
    pub fn insert(&mut self, name: String, cell: Cell) -> Option<Cell> {
        match self.find(&name) {
            Ok(i) => self.0.get_mut(i).map(|(_, c)| std::mem::replace(c, cell)),
            Err(i) => {
                // Rows rarely gain cells one by one: growing exactly keeps a one-cell row
                // at one slot instead of the four a vector's first growth would reserve.
                self.0.reserve_exact(1);
                self.0.insert(i, (Name::new(name), cell));
                None
            }
        }
    }

    /// Takes the cell of column `name` out.
    pub fn remove(&mut self, name: &str) -> Option<Cell> {
        self.find(name).ok().map(|i| self.0.remove(i).1)
    }

    /// Keeps the cells for which `keep` says so.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut Cell) -> bool) {
        self.0.retain_mut(|(n, c)| keep(n.as_str(), c));
    }

    /// The cells in column-name order.
    pub fn values(&self) -> impl Iterator<Item = &Cell> {
        self.0.iter().map(|(_, c)| c)
    }

    /// The columns and their cells in column-name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Cell)> {
        self.0.iter().map(|(n, c)| (n.as_str(), c))
    }

    /// How many cells there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<'a> IntoIterator for &'a CellMap {
    type Item = (&'a str, &'a Cell);
    type IntoIter = Box<dyn Iterator<Item = (&'a str, &'a Cell)> + 'a>;

    fn into_iter(self) -> Self::IntoIter {
        Box::new(self.iter())
    }
}

/// A row: its liveness marker (set by INSERT), its deletion and its cells by column.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Row {
    /// The primary-key liveness INSERT writes: timestamp, TTL and expiry.
    pub marker: Option<Marker>,
    /// Timestamp of the row's deletion, or [`NO_DELETION`].
    pub deletion: i64,
    /// The cells.
    pub cells: CellMap,
}

impl Row {
    /// An empty row.
    pub fn new() -> Self {
        Row { marker: None, deletion: NO_DELETION, cells: CellMap::new() }
    }

    /// Whether the row exists at `now_secs`: a live marker or any live cell.
    pub fn is_live(&self, now_secs: i64) -> bool {
        self.marker.as_ref().is_some_and(|m| m.is_live(now_secs))
            || self.cells.values().any(|c| c.is_live(now_secs))
    }

    /// Writes `cell` into `column` unless something newer is there.
    pub fn write(&mut self, column: &str, cell: Cell, shadow: i64) {
        if cell.ts <= shadow.max(self.deletion) {
            return;
        }
        match self.cells.get(column) {
            Some(old) if !cell.supersedes(old) => {}
            _ => {
                self.cells.insert(column.to_string(), cell);
            }
        }
    }

    /// Writes the liveness marker.
    pub fn write_marker(&mut self, marker: Cell, shadow: i64) {
        if marker.ts <= shadow.max(self.deletion) {
            return;
        }
        // Markers carry no value, so on equal timestamps the newer write wins.
        if self.marker.as_ref().is_none_or(|old| marker.ts >= old.ts) {
            self.marker = Some(Marker::of(&marker));
        }
    }

    /// Deletes everything written at or before `ts`.
    pub fn delete(&mut self, ts: i64) {
        self.deletion = self.deletion.max(ts);
        self.purge(ts);
    }

    /// Drops data shadowed by a deletion at `ts`.
    pub fn purge(&mut self, ts: i64) {
        if self.marker.as_ref().is_some_and(|m| m.ts <= ts) {
            self.marker = None;
        }
        self.cells.retain(|_, c| c.ts > ts);
    }

    /// Approximate heap bytes, for memory limits.
    pub fn size(&self) -> usize {
        64 + self
            .cells
            .iter()
            .map(|(k, c)| k.len() + 48 + c.value.as_ref().map_or(0, Value::heap_size))
            .sum::<usize>()
    }
}

/// A row's clustering key. Most tables have one clustering column (or none), whose key
/// is held inline: a partition's sorted rows are then searched without following a
/// pointer per probe, and a row costs one allocation less.
#[derive(Debug, Clone, PartialEq)]
pub enum ClusteringKey {
    /// A key of exactly one component.
    One(Value),
    /// A key of any other length (none, for tables without clustering columns).
    Many(Vec<Value>),
}

impl std::ops::Deref for ClusteringKey {
    type Target = [Value];

    fn deref(&self) -> &[Value] {
        match self {
            ClusteringKey::One(v) => std::slice::from_ref(v),
            ClusteringKey::Many(vs) => vs,
        }
    }
}

impl From<Vec<Value>> for ClusteringKey {
    fn from(mut values: Vec<Value>) -> Self {
        match (values.len(), values.pop()) {
            (1, Some(only)) => ClusteringKey::One(only),
            (_, last) => {
                values.extend(last);
                ClusteringKey::Many(values)
            }
        }
    }
}

/// One bound of a clustering slice.
#[derive(Debug, Clone, PartialEq)]
pub struct Bound {
    /// The clustering values of the bound (a prefix).
    pub values: Vec<Value>,
    /// Whether rows equal to the bound are included.
    pub inclusive: bool,
}

/// A set of clustering keys: rows whose key starts with `prefix` and whose following
/// components lie between `start` and `end`, compared as tuples in the types' natural
/// (ascending) order whatever the clustering order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Slice {
    /// Leading components that must be equal.
    pub prefix: Vec<Value>,
    /// Lower bound on the components after the prefix; `None` is unbounded.
    pub start: Option<Bound>,
    /// Upper bound on the components after the prefix; `None` is unbounded.
    pub end: Option<Bound>,
}

/// Compares clustering prefixes component by component in the table's order; a shorter
/// prefix compares equal to every key it is a prefix of.
pub fn compare_prefix(types: &[(CqlType, Order)], a: &[Value], b: &[Value]) -> Ordering {
    for ((x, y), (ty, order)) in a.iter().zip(b.iter()).zip(types.iter()) {
        let o = compare(ty, x, y);
        let o = if *order == Order::Desc { o.reverse() } else { o };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

fn compare_natural(types: &[(CqlType, Order)], a: &[Value], b: &[Value]) -> Ordering {
    for ((x, y), (ty, _)) in a.iter().zip(b.iter()).zip(types.iter()) {
        let o = compare(ty, x, y);
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

impl Slice {
    /// Whether `key` lies in the slice.
    pub fn contains(&self, types: &[(CqlType, Order)], key: &[Value]) -> bool {
        if key.len() < self.prefix.len()
            || compare_natural(types, key, &self.prefix) != Ordering::Equal
        {
            return false;
        }
        let n = self.prefix.len();
        let rest = key.get(n..).unwrap_or(&[]);
        let rest_types = types.get(n..).unwrap_or(&[]);
        if let Some(s) = &self.start {
            let o = compare_natural(rest_types, rest, &s.values);
            if o == Ordering::Less || (o == Ordering::Equal && !s.inclusive) {
                return false;
            }
        }
        if let Some(e) = &self.end {
            let o = compare_natural(rest_types, rest, &e.values);
            if o == Ordering::Greater || (o == Ordering::Equal && !e.inclusive) {
                return false;
            }
        }
        true
    }
}

/// A range deletion inside a partition.
#[derive(Debug, Clone, PartialEq)]
pub struct RangeTombstone {
    /// The deleted clustering keys.
    pub slice: Slice,
    /// The deletion's timestamp.
    pub ts: i64,
}

/// One partition: its key values, static row and clustered rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Partition {
    /// The partition key's values, in key order.
    pub key: Vec<Value>,
    /// Timestamp of a partition deletion, or [`NO_DELETION`].
    pub deletion: i64,
    /// The static row.
    pub static_row: Row,
    /// Rows sorted by clustering key in the table's order.
    pub rows: Vec<(ClusteringKey, Row)>,
    /// Range deletions.
    pub range_tombstones: Vec<RangeTombstone>,
}

impl Partition {
    /// The index range of rows that can lie in any of `slices`: rows are sorted, so the
    /// rows sharing a slice's equality prefix are contiguous and found by binary search
    /// instead of testing every row. The rows inside still need [`Slice::contains`].
    pub fn candidate_rows(&self, types: &[(CqlType, Order)], slices: &[Slice]) -> Range<usize> {
        let mut lo = self.rows.len();
        let mut hi = 0;
        for sl in slices {
            let first =
                self.rows.partition_point(|(k, _)| compare_prefix(types, k, &sl.prefix).is_lt());
            let past =
                self.rows.partition_point(|(k, _)| compare_prefix(types, k, &sl.prefix).is_le());
            if first < past {
                lo = lo.min(first);
                hi = hi.max(past);
            }
        }
        if lo < hi { lo..hi } else { 0..0 }
    }

    /// An empty partition.
    pub fn new(key: Vec<Value>) -> Self {
        Partition {
            key,
            deletion: NO_DELETION,
            static_row: Row::new(),
            rows: Vec::new(),
            range_tombstones: Vec::new(),
        }
    }

    /// The newest deletion that covers the row `key`.
    pub fn shadow_for(&self, types: &[(CqlType, Order)], key: &[Value]) -> i64 {
        self.range_tombstones
            .iter()
            .filter(|rt| rt.slice.contains(types, key))
            .map(|rt| rt.ts)
            .fold(self.deletion, i64::max)
    }

    /// The row `key`, created if missing.
    pub fn row_mut(&mut self, types: &[(CqlType, Order)], key: Vec<Value>) -> &mut Row {
        let pos = self.find_row(types, &key);
        let idx = match pos {
            Ok(i) => i,
            Err(i) => {
                self.rows.insert(i, (key.into(), Row::new()));
                i
            }
        };
        // `idx` is in bounds: it was found or just inserted.
        &mut self.rows[idx].1
    }

    /// The row `key`, if stored.
    pub fn row(&self, types: &[(CqlType, Order)], key: &[Value]) -> Option<&Row> {
        self.find_row(types, key).ok().and_then(|i| self.rows.get(i)).map(|(_, r)| r)
    }

    /// Where the row `key` is, or would go.
    fn find_row(&self, types: &[(CqlType, Order)], key: &[Value]) -> Result<usize, usize> {
        // One clustering column is the common case: compare its values directly.
        if let ([(ty, order)], [want]) = (types, key) {
            return self.rows.binary_search_by(|(k, _)| match k {
                ClusteringKey::One(have) if *order == Order::Desc => {
                    compare(ty, have, want).reverse()
                }
                ClusteringKey::One(have) => compare(ty, have, want),
                ClusteringKey::Many(_) => compare_prefix(types, k, key),
            });
        }
        self.rows.binary_search_by(|(k, _)| compare_prefix(types, k, key))
    }

    /// Deletes the whole partition as of `ts`.
    pub fn delete(&mut self, ts: i64) {
        self.deletion = self.deletion.max(ts);
        self.static_row.purge(ts);
        for (_, r) in &mut self.rows {
            r.purge(ts);
        }
        self.compact();
    }

    /// Deletes the rows in `slice` as of `ts`.
    pub fn delete_range(&mut self, types: &[(CqlType, Order)], slice: Slice, ts: i64) {
        for (k, r) in &mut self.rows {
            if slice.contains(types, k) {
                r.purge(ts);
            }
        }
        self.range_tombstones.push(RangeTombstone { slice, ts });
        self.compact();
    }

    /// Removes the row `key` if it is stored.
    pub fn remove_row(&mut self, types: &[(CqlType, Order)], key: &[Value]) {
        if let Ok(i) = self.find_row(types, key) {
            self.rows.remove(i);
        }
    }

    /// Drops the row `key` if nothing is left in it.
    pub fn compact_row(&mut self, types: &[(CqlType, Order)], key: &[Value]) {
        if self
            .row(types, key)
            .is_some_and(|r| r.marker.is_none() && r.cells.is_empty() && r.deletion == NO_DELETION)
        {
            self.remove_row(types, key);
        }
    }

    /// Whether the partition holds nothing at all, tombstones included.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
            && self.static_row.cells.is_empty()
            && self.deletion == NO_DELETION
            && self.range_tombstones.is_empty()
    }

    /// (rows, bytes) as the memory limits count them.
    pub fn usage(&self) -> (usize, usize) {
        (self.rows.len() + usize::from(!self.static_row.cells.is_empty()), self.size())
    }

    /// Drops rows left with nothing in them.
    pub fn compact(&mut self) {
        self.rows.retain(|(_, r)| {
            r.marker.is_some() || !r.cells.is_empty() || r.deletion != NO_DELETION
        });
    }

    /// Whether anything is live at `now_secs`.
    pub fn is_live(&self, now_secs: i64) -> bool {
        self.static_row.is_live(now_secs) || self.rows.iter().any(|(_, r)| r.is_live(now_secs))
    }

    /// Approximate heap bytes, for memory limits.
    pub fn size(&self) -> usize {
        128 + self.static_row.size()
            + self
                .rows
                .iter()
                .map(|(k, r)| r.size() + k.iter().map(Value::heap_size).sum::<usize>())
                .sum::<usize>()
    }
}

/// A table's partitions, ordered by (token, key bytes) as the Murmur3 partitioner orders them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableData {
    /// Partitions by (token, serialized partition key).
    pub partitions: BTreeMap<(i64, Vec<u8>), Partition>,
}

impl TableData {
    /// Number of stored rows (clustered rows, plus static rows holding data).
    pub fn row_count(&self) -> usize {
        self.partitions
            .values()
            .map(|p| p.rows.len() + usize::from(!p.static_row.cells.is_empty()))
            .sum()
    }
}
