//! The data of a table: partitions in token order, rows in clustering order, cells with
//! write timestamps and expiry, and the tombstones that shadow older writes.

use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

use crate::ast::Order;
use crate::types::{CqlType, Value, compare, serialize, token, with_partition_key_bytes};

/// No deletion: older than every write.
pub const NO_DELETION: i64 = i64::MIN;

/// One cell: a value (or a tombstone), when it was written and when it expires.
///
/// A non-frozen collection or UDT is one `Cell` whose value holds every stored element
/// and whose [`Elements`] say, element by element, when each was written and expires, as
/// Cassandra keeps one cell per element. Every other cell has no [`Elements`], so it
/// pays one pointer for them.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// The value; `None` is a cell tombstone (or, with [`Elements`], no element left).
    pub value: Option<Value>,
    /// Write timestamp in microseconds; for a multi-cell value the newest of its
    /// elements, element tombstones and deletion.
    pub ts: i64,
    /// The TTL it was written with, in seconds (0 for none; per element for a
    /// multi-cell value).
    pub ttl: i32,
    /// When it expires, in seconds since the epoch (per element for a multi-cell value).
    pub expires: Option<i64>,
    /// The element bookkeeping of a non-frozen collection or UDT; `None` for every
    /// other cell.
    pub elements: Option<Box<Elements>>,
}

/// When one element of a non-frozen collection (or one field of a non-frozen UDT) was
/// written, the TTL it was written with and when it expires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ElementMeta {
    /// Write timestamp in microseconds.
    pub ts: i64,
    /// The TTL it was written with, in seconds (0 for none).
    pub ttl: i32,
    /// When it expires, in seconds since the epoch.
    pub expires: Option<i64>,
}

impl ElementMeta {
    /// Whether the element has not expired at `now_secs`.
    pub fn is_live(&self, now_secs: i64) -> bool {
        self.expires.is_none_or(|e| now_secs < e)
    }
}

/// The per-element state of a multi-cell value, as Cassandra's complex column keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Elements {
    /// The newest deletion of the whole value ([`NO_DELETION`] if none): an overwrite
    /// deletes at its timestamp minus one, `DELETE col` at its timestamp. Elements
    /// written at or before it are gone, and so are later writes older than it.
    pub deletion: i64,
    /// One entry per element of the cell's value, in the value's order (per declared
    /// field of a UDT value, `None` for a field with no value).
    pub meta: Vec<Option<ElementMeta>>,
    /// Deleted set elements, map keys or UDT fields (as text) with the deletion's
    /// timestamp, so that an older write of the same element stays deleted.
    pub tombstones: Vec<(Value, i64)>,
}

fn element_count(v: &Value) -> usize {
    match v {
        Value::List(items) | Value::Set(items) => items.len(),
        Value::Map(entries) => entries.len(),
        Value::Udt(fields) => fields.len(),
        _ => 0,
    }
}

impl Cell {
    /// A cell holding `value`, written at `ts` with `ttl` expiring at `expires`.
    pub fn new(value: Option<Value>, ts: i64, ttl: i32, expires: Option<i64>) -> Self {
        Cell { value, ts, ttl, expires, elements: None }
    }

    /// Whether the cell holds a value at `now_secs`.
    pub fn is_live(&self, now_secs: i64) -> bool {
        self.value.is_some()
            && self.expires.is_none_or(|e| now_secs < e)
            && self
                .elements
                .as_ref()
                .is_none_or(|e| e.meta.iter().flatten().any(|m| m.is_live(now_secs)))
    }

    /// The value at `now_secs`, without expired collection elements.
    pub fn live_value(&self, now_secs: i64) -> Option<Value> {
        match self.elements {
            // One value, live or not: the commonest cell, read without the element work.
            None => self.value.as_ref().filter(|_| self.is_live(now_secs)).cloned(),
            Some(_) => self.live_parts(now_secs).map(|(v, _)| v),
        }
    }

    /// The live value with the write metadata of each of its elements (empty for a cell
    /// that is not multi-cell): a collection's live elements, a UDT's declared fields
    /// (`None` for a field with no live value).
    pub fn live_parts(&self, now_secs: i64) -> Option<(Value, Vec<Option<ElementMeta>>)> {
        if !self.is_live(now_secs) {
            return None;
        }
        let value = self.value.as_ref()?;
        let Some(el) = self.elements.as_deref() else {
            return Some((value.clone(), Vec::new()));
        };
        if el.meta.len() != element_count(value) {
            return Some((value.clone(), Vec::new()));
        }
        let keep: Vec<bool> =
            el.meta.iter().map(|m| m.is_some_and(|m| m.is_live(now_secs))).collect();
        if let Value::Udt(fields) = value {
            let mut metas = Vec::with_capacity(fields.len());
            let mut out = Vec::with_capacity(fields.len());
            for (((name, v), m), k) in fields.iter().zip(&el.meta).zip(&keep) {
                out.push((name.clone(), if *k { v.clone() } else { None }));
                metas.push(if *k { *m } else { None });
            }
            return Some((Value::Udt(out), metas));
        }
        let metas: Vec<Option<ElementMeta>> =
            el.meta.iter().zip(&keep).filter(|(_, k)| **k).map(|(m, _)| *m).collect();
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

    /// Drops what a deletion at `ts` shadows from a multi-cell value; returns whether
    /// anything is left. Cells that are not multi-cell are left as they are.
    fn purge_elements(&mut self, ts: i64) -> bool {
        let Some(el) = self.elements.as_deref_mut() else { return self.ts > ts };
        if el.deletion <= ts {
            el.deletion = NO_DELETION;
        }
        el.tombstones.retain(|(_, t)| *t > ts);
        let keep: Vec<bool> = el.meta.iter().map(|m| m.is_some_and(|m| m.ts > ts)).collect();
        if let Some(value) = self.value.take() {
            let kept = match value {
                Value::Udt(fields) => {
                    let fields: Vec<(String, Option<Value>)> = fields
                        .into_iter()
                        .zip(&keep)
                        .map(|((n, v), k)| (n, if *k { v } else { None }))
                        .collect();
                    for (m, k) in el.meta.iter_mut().zip(&keep) {
                        if !*k {
                            *m = None;
                        }
                    }
                    fields.iter().any(|(_, v)| v.is_some()).then_some(Value::Udt(fields))
                }
                other => {
                    let filter = |items: Vec<Value>| -> Vec<Value> {
                        items.into_iter().zip(&keep).filter(|(_, k)| **k).map(|(v, _)| v).collect()
                    };
                    let v = match other {
                        Value::List(items) => Value::List(filter(items)),
                        Value::Set(items) => Value::Set(filter(items)),
                        Value::Map(entries) => Value::Map(
                            entries
                                .into_iter()
                                .zip(&keep)
                                .filter(|(_, k)| **k)
                                .map(|(e, _)| e)
                                .collect(),
                        ),
                        v => v,
                    };
                    el.meta =
                        el.meta.iter().zip(&keep).filter(|(_, k)| **k).map(|(m, _)| *m).collect();
                    (element_count(&v) > 0).then_some(v)
                }
            };
            self.value = kept;
        }
        if self.value.is_none() {
            el.meta.clear();
        }
        self.ts = newest(el);
        self.value.is_some() || !el.tombstones.is_empty() || el.deletion != NO_DELETION
    }
}

/// The newest timestamp a multi-cell value's bookkeeping holds.
fn newest(el: &Elements) -> i64 {
    el.meta
        .iter()
        .flatten()
        .map(|m| m.ts)
        .chain(el.tombstones.iter().map(|(_, t)| *t))
        .fold(el.deletion, i64::max)
}

/// One change to a multi-cell value (a non-frozen collection or UDT), in the terms of
/// the element cells Cassandra writes for it.
#[derive(Debug, Clone, Copy)]
pub enum ElementOp<'a> {
    /// Deletes the elements written at or before `deletion`, then writes the elements
    /// of `value`, if any (an overwrite, an INSERT, `DELETE col`).
    Overwrite {
        /// The deletion's timestamp.
        deletion: i64,
        /// The new value.
        value: Option<&'a Value>,
    },
    /// Writes set elements, map entries or a UDT's non-null fields; appends list elements.
    Write(&'a Value),
    /// Prepends list elements.
    Prepend(&'a [Value]),
    /// Deletes set elements, map keys, or UDT fields named as text values.
    Delete(&'a [Value]),
    /// Deletes the list elements equal to any of these values.
    RemoveListValues(&'a [Value]),
    /// Sets the element at this position of the live list.
    SetIndex(usize, &'a Value),
    /// Deletes the element at this position of the live list.
    DeleteIndex(usize),
}

/// One element while a write is merged: a list element or set element as `key` alone, a
/// map entry or UDT field (its name as text) as `key` and `value`.
struct Entry {
    key: Value,
    value: Option<Value>,
    meta: ElementMeta,
}

/// Cassandra's reconciliation of two cells at the same path: the later timestamp, then
/// the greater value, then the later expiry (never expiring counts as latest).
fn entry_wins(new: &Entry, old: &Entry) -> bool {
    match new.meta.ts.cmp(&old.meta.ts) {
        Ordering::Greater => true,
        Ordering::Less => false,
        Ordering::Equal => {
            let (a, b) = (new.value.as_ref().map(serialize), old.value.as_ref().map(serialize));
            match a.cmp(&b) {
                Ordering::Greater => true,
                Ordering::Less => false,
                Ordering::Equal => {
                    new.meta.expires.unwrap_or(i64::MAX) >= old.meta.expires.unwrap_or(i64::MAX)
                }
            }
        }
    }
}

/// The element shape of a multi-cell type: how elements are keyed and ordered.
enum Shape<'a> {
    List,
    Keyed,
    Udt(Vec<&'a str>),
}

fn shape(ty: &CqlType) -> Option<Shape<'_>> {
    Some(match ty {
        CqlType::List(_) => Shape::List,
        CqlType::Set(_) | CqlType::Map(..) => Shape::Keyed,
        CqlType::Udt(u) => Shape::Udt(u.fields.iter().map(|(n, _)| n.as_str()).collect()),
        _ => return None,
    })
}

/// A multi-cell value taken apart into its live elements; elements that expired become
/// tombstones at their write time (as an expired cell does in Cassandra), except a
/// list's, whose element paths are never written again.
fn decompose(
    cell: Option<Cell>,
    is_list: bool,
    now_secs: i64,
) -> (i64, Vec<Entry>, Vec<(Value, i64)>) {
    let Some(cell) = cell else { return (NO_DELETION, Vec::new(), Vec::new()) };
    let Cell { value, ts, ttl, expires, elements } = cell;
    let (deletion, metas, mut tombstones) = match elements {
        Some(el) => {
            let el = *el;
            (el.deletion, el.meta, el.tombstones)
        }
        // A value without element bookkeeping: every element shares the cell's.
        None => {
            let n = value.as_ref().map_or(0, element_count);
            (NO_DELETION, vec![Some(ElementMeta { ts, ttl, expires }); n], Vec::new())
        }
    };
    let mut entries = Vec::new();
    let mut push = |key: Value, value: Option<Value>, meta: Option<ElementMeta>| {
        let Some(meta) = meta else { return };
        if meta.is_live(now_secs) {
            entries.push(Entry { key, value, meta });
        } else if !is_list {
            tombstones.push((key, meta.ts));
        }
    };
    let metas = metas.into_iter().chain(std::iter::repeat(None));
    match value {
        Some(Value::List(items) | Value::Set(items)) => {
            items.into_iter().zip(metas).for_each(|(k, m)| push(k, None, m));
        }
        Some(Value::Map(pairs)) => {
            pairs.into_iter().zip(metas).for_each(|((k, v), m)| push(k, Some(v), m));
        }
        Some(Value::Udt(fields)) => {
            for ((name, v), m) in fields.into_iter().zip(metas) {
                if v.is_some() {
                    push(Value::Text(name.into()), v, m);
                }
            }
        }
        _ => {}
    }
    (deletion, entries, tombstones)
}

/// The entries a value brings, all written with `meta`.
fn entries_of(v: &Value, meta: ElementMeta) -> Vec<Entry> {
    match v {
        Value::List(items) | Value::Set(items) => {
            items.iter().map(|k| Entry { key: k.clone(), value: None, meta }).collect()
        }
        Value::Map(pairs) => pairs
            .iter()
            .map(|(k, v)| Entry { key: k.clone(), value: Some(v.clone()), meta })
            .collect(),
        Value::Udt(fields) => fields
            .iter()
            .filter(|(_, v)| v.is_some())
            .map(|(n, v)| Entry { key: Value::Text(n.clone().into()), value: v.clone(), meta })
            .collect(),
        _ => Vec::new(),
    }
}

/// Applies one change, written with `meta`, to the multi-cell value in `cell` (of the
/// unfrozen type `ty`), element by element with last-write-wins: elements older than
/// `shadow` (the row's, range's or partition's newest deletion) or than the value's own
/// deletion are dropped. Returns the cell to store, or `None` when nothing is left.
pub fn write_elements(
    ty: &CqlType,
    cell: Option<Cell>,
    op: ElementOp<'_>,
    meta: ElementMeta,
    shadow: i64,
    now_secs: i64,
) -> Option<Cell> {
    let shape = shape(ty)?;
    let is_list = matches!(shape, Shape::List);
    let (deletion, entries, tombstones) = decompose(cell, is_list, now_secs);
    if let CqlType::List(et) = ty {
        let (deletion, entries) = write_list(et, deletion, entries, op, meta, shadow);
        return compose(ty, &shape, deletion, entries, tombstones);
    }
    let key_ty = match ty {
        CqlType::Set(k) | CqlType::Map(k, _) => Some(&**k),
        _ => None,
    };
    let mut keyed = Keyed::new(key_ty, deletion, entries, tombstones);
    match op {
        ElementOp::Overwrite { deletion: d, value } => {
            if d > keyed.deletion.max(shadow) {
                keyed.delete_all(d);
            }
            for e in value.map(|v| entries_of(v, meta)).unwrap_or_default() {
                keyed.put(e, shadow);
            }
        }
        ElementOp::Write(v) | ElementOp::SetIndex(_, v) => {
            for e in entries_of(v, meta) {
                keyed.put(e, shadow);
            }
        }
        ElementOp::Delete(keys) | ElementOp::RemoveListValues(keys) => {
            if meta.ts > keyed.deletion.max(shadow) {
                for key in keys {
                    keyed.delete(key, meta.ts);
                }
            }
        }
        ElementOp::Prepend(items) => {
            let v = Value::Set(items.to_vec());
            for e in entries_of(&v, meta) {
                keyed.put(e, shadow);
            }
        }
        ElementOp::DeleteIndex(_) => {}
    }
    let (deletion, entries, tombstones) = keyed.finish();
    compose(ty, &shape, deletion, entries, tombstones)
}

/// The list changes: elements are positional (Cassandra keys them by a time-based id
/// that is never written again), so an element write or deletion reconciles with the
/// element at its position and no element tombstones are kept.
fn write_list(
    et: &CqlType,
    mut deletion: i64,
    mut entries: Vec<Entry>,
    op: ElementOp<'_>,
    meta: ElementMeta,
    shadow: i64,
) -> (i64, Vec<Entry>) {
    let writes = meta.ts > deletion.max(shadow);
    match op {
        ElementOp::Overwrite { deletion: d, value } => {
            if d > deletion.max(shadow) {
                deletion = d;
                entries.retain(|e| e.meta.ts > d);
            }
            if meta.ts > deletion.max(shadow) {
                entries.extend(value.map(|v| entries_of(v, meta)).unwrap_or_default());
            }
        }
        ElementOp::Write(v) if writes => entries.extend(entries_of(v, meta)),
        ElementOp::Prepend(items) if writes => {
            let front: Vec<Entry> =
                items.iter().map(|k| Entry { key: k.clone(), value: None, meta }).collect();
            entries.splice(0..0, front);
        }
        ElementOp::RemoveListValues(values) if writes => entries.retain(|x| {
            !(x.meta.ts <= meta.ts
                && values.iter().any(|v| compare(et, &x.key, v) == Ordering::Equal))
        }),
        ElementOp::SetIndex(i, v) if writes => {
            if let Some(slot) = entries.get_mut(i) {
                // The element's path stays; the newer write (or, on a tie, the greater
                // value) is what the list holds there.
                let wins = match meta.ts.cmp(&slot.meta.ts) {
                    Ordering::Greater => true,
                    Ordering::Less => false,
                    Ordering::Equal => serialize(v) >= serialize(&slot.key),
                };
                if wins {
                    *slot = Entry { key: v.clone(), value: None, meta };
                }
            }
        }
        ElementOp::DeleteIndex(i)
            if writes && entries.get(i).is_some_and(|x| x.meta.ts <= meta.ts) =>
        {
            entries.remove(i);
        }
        _ => {}
    }
    (deletion, entries)
}

/// The elements of a set, map or UDT while a change is merged. A set's or map's
/// elements and tombstones stay sorted by key, so each lookup is a binary search; a
/// UDT's few fields are scanned.
struct Keyed<'a> {
    /// The key type of a set or map; `None` for a UDT (keyed by field name).
    key_ty: Option<&'a CqlType>,
    deletion: i64,
    entries: Vec<Entry>,
    tombstones: Vec<(Value, i64)>,
}

impl<'a> Keyed<'a> {
    fn new(
        key_ty: Option<&'a CqlType>,
        deletion: i64,
        entries: Vec<Entry>,
        tombstones: Vec<(Value, i64)>,
    ) -> Self {
        let mut keyed = Keyed { key_ty, deletion, entries, tombstones: Vec::new() };
        if let Some(kt) = key_ty {
            keyed.entries.sort_by(|a, b| compare(kt, &a.key, &b.key));
        }
        for (k, t) in tombstones {
            keyed.tombstone(k, t);
        }
        keyed
    }

    /// Where `key` is (`Ok`) or would go (`Err`) among `items`.
    fn find<T>(
        &self,
        items: &[T],
        key_of: impl Fn(&T) -> &Value,
        key: &Value,
    ) -> Result<usize, usize> {
        match self.key_ty {
            Some(kt) => items.binary_search_by(|x| compare(kt, key_of(x), key)),
            None => items.iter().position(|x| key_of(x) == key).ok_or(items.len()),
        }
    }

    fn tombstone(&mut self, key: Value, ts: i64) {
        match self.find(&self.tombstones, |(k, _)| k, &key) {
            Ok(i) => {
                if let Some(t) = self.tombstones.get_mut(i) {
                    t.1 = t.1.max(ts);
                }
            }
            Err(i) => self.tombstones.insert(i, (key, ts)),
        }
    }

    fn delete_all(&mut self, d: i64) {
        self.deletion = d;
        self.entries.retain(|e| e.meta.ts > d);
        self.tombstones.retain(|(_, t)| *t > d);
    }

    fn put(&mut self, e: Entry, shadow: i64) {
        if e.meta.ts <= self.deletion.max(shadow) {
            return;
        }
        if let Ok(i) = self.find(&self.tombstones, |(k, _)| k, &e.key)
            && self.tombstones.get(i).is_some_and(|(_, t)| *t >= e.meta.ts)
        {
            return;
        }
        match self.find(&self.entries, |x| &x.key, &e.key) {
            Ok(i) => {
                if let Some(slot) = self.entries.get_mut(i)
                    && entry_wins(&e, slot)
                {
                    *slot = e;
                }
            }
            Err(i) => self.entries.insert(i, e),
        }
    }

    fn delete(&mut self, key: &Value, ts: i64) {
        if let Ok(i) = self.find(&self.entries, |x| &x.key, key)
            && self.entries.get(i).is_some_and(|e| e.meta.ts <= ts)
        {
            self.entries.remove(i);
        }
        self.tombstone(key.clone(), ts);
    }

    fn finish(self) -> (i64, Vec<Entry>, Vec<(Value, i64)>) {
        (self.deletion, self.entries, self.tombstones)
    }
}

/// Puts a multi-cell value back together from its elements, in the type's order.
fn compose(
    ty: &CqlType,
    shape: &Shape<'_>,
    deletion: i64,
    mut entries: Vec<Entry>,
    tombstones: Vec<(Value, i64)>,
) -> Option<Cell> {
    let (value, meta) = match shape {
        Shape::List => {
            let meta = entries.iter().map(|e| Some(e.meta)).collect();
            let items: Vec<Value> = entries.into_iter().map(|e| e.key).collect();
            ((!items.is_empty()).then_some(Value::List(items)), meta)
        }
        Shape::Keyed => {
            let meta = entries.iter().map(|e| Some(e.meta)).collect();
            let v = if entries.is_empty() {
                None
            } else if matches!(ty, CqlType::Map(..)) {
                Some(Value::Map(
                    entries.into_iter().filter_map(|e| Some((e.key, e.value?))).collect(),
                ))
            } else {
                Some(Value::Set(entries.into_iter().map(|e| e.key).collect()))
            };
            (v, meta)
        }
        Shape::Udt(fields) => {
            let mut meta = Vec::with_capacity(fields.len());
            let mut out = Vec::with_capacity(fields.len());
            for f in fields {
                let found = entries.iter().position(|e| matches!(&e.key, Value::Text(n) if n == f));
                match found.map(|i| entries.swap_remove(i)) {
                    Some(e) => {
                        meta.push(Some(e.meta));
                        out.push(((*f).to_string(), e.value));
                    }
                    None => {
                        meta.push(None);
                        out.push(((*f).to_string(), None));
                    }
                }
            }
            let any = out.iter().any(|(_, v)| v.is_some());
            (any.then_some(Value::Udt(out)), meta)
        }
    };
    let meta = if value.is_some() { meta } else { Vec::new() };
    if value.is_none() && tombstones.is_empty() && deletion == NO_DELETION {
        return None;
    }
    let el = Elements { deletion, meta, tombstones };
    Some(Cell { value, ts: newest(&el), ttl: 0, expires: None, elements: Some(Box::new(el)) })
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

/// A short byte string held inline, as nearly all column names and partition keys are, so
/// that storing one allocates nothing and comparing one follows no pointer; longer ones go
/// on the heap. It orders as its bytes do, whichever way it is held.
#[derive(Clone)]
pub enum InlineBytes {
    /// At most [`INLINE_BYTES`] bytes, the first `len` of `bytes`.
    Inline { len: u8, bytes: [u8; INLINE_BYTES] },
    /// Longer.
    Heap(Box<[u8]>),
}

/// How many bytes [`InlineBytes`] holds inline: it is then as big as a `Vec`.
pub const INLINE_BYTES: usize = 22;

impl InlineBytes {
    /// Copies `b`.
    pub fn new(b: &[u8]) -> InlineBytes {
        let mut bytes = [0; INLINE_BYTES];
        match (bytes.get_mut(..b.len()), u8::try_from(b.len())) {
            (Some(slot), Ok(len)) => {
                slot.copy_from_slice(b);
                InlineBytes::Inline { len, bytes }
            }
            _ => InlineBytes::Heap(b.into()),
        }
    }

    /// Takes `b`, keeping its allocation when it is too long to go inline.
    pub fn from_vec(b: Vec<u8>) -> InlineBytes {
        if b.len() <= INLINE_BYTES { InlineBytes::new(&b) } else { InlineBytes::Heap(b.into()) }
    }

    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            InlineBytes::Inline { len, bytes } => bytes.get(..usize::from(*len)).unwrap_or(&[]),
            InlineBytes::Heap(b) => b,
        }
    }
}

impl std::ops::Deref for InlineBytes {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl PartialEq for InlineBytes {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for InlineBytes {}

impl PartialOrd for InlineBytes {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for InlineBytes {
    fn cmp(&self, other: &Self) -> Ordering {
        self.as_bytes().cmp(other.as_bytes())
    }
}

impl std::fmt::Debug for InlineBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_bytes(), f)
    }
}

/// A column name as a row keeps it: its UTF-8 bytes, inline when short.
#[derive(Clone, PartialEq, Eq)]
struct Name(InlineBytes);

impl Name {
    fn new(name: String) -> Name {
        Name(InlineBytes::from_vec(name.into_bytes()))
    }

    fn as_bytes(&self) -> &[u8] {
        self.0.as_bytes()
    }

    fn as_str(&self) -> &str {
        // Names are only made from a `String`, so they are always valid UTF-8.
        std::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

impl std::fmt::Debug for Name {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

/// A row's cells by column name, kept sorted by name. A row with one cell (the commonest
/// shape) holds it inline, so reading it follows no pointer; more go in a short vector,
/// which is far smaller than a map (one B-tree node is over a kilobyte).
#[derive(Debug, Clone, PartialEq)]
pub struct CellMap(Cells);

#[derive(Debug, Clone, PartialEq)]
enum Cells {
    One((Name, Cell)),
    Many(Vec<(Name, Cell)>),
}

impl Default for CellMap {
    fn default() -> Self {
        CellMap::new()
    }
}

impl CellMap {
    /// No cells.
    pub fn new() -> Self {
        CellMap(Cells::Many(Vec::new()))
    }

    fn entries(&self) -> &[(Name, Cell)] {
        match &self.0 {
            Cells::One(entry) => std::slice::from_ref(entry),
            Cells::Many(entries) => entries,
        }
    }

    /// Changes the cells as a vector, then keeps one cell inline again.
    fn edit<R>(&mut self, change: impl FnOnce(&mut Vec<(Name, Cell)>) -> R) -> R {
        let mut entries = match std::mem::replace(&mut self.0, Cells::Many(Vec::new())) {
            Cells::One(entry) => vec![entry],
            Cells::Many(entries) => entries,
        };
        let result = change(&mut entries);
        self.0 = match entries.pop() {
            Some(only) if entries.is_empty() => Cells::One(only),
            Some(last) => {
                entries.push(last);
                Cells::Many(entries)
            }
            None => Cells::Many(Vec::new()),
        };
        result
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        // Byte order is `str` order, which is the order the cells are kept (and saved) in.
        self.entries().binary_search_by(|(n, _)| n.as_bytes().cmp(name.as_bytes()))
    }

    /// The cell of column `name`.
    pub fn get(&self, name: &str) -> Option<&Cell> {
        match &self.0 {
            Cells::One((n, c)) => (n.as_bytes() == name.as_bytes()).then_some(c),
            Cells::Many(_) => {
                self.find(name).ok().and_then(|i| self.entries().get(i)).map(|(_, c)| c)
            }
        }
    }

    /// Puts `cell` in column `name`, returning the cell it replaces.
    pub fn insert(&mut self, name: String, cell: Cell) -> Option<Cell> {
        match self.find(&name) {
            Ok(i) => match &mut self.0 {
                Cells::One((_, c)) => Some(std::mem::replace(c, cell)),
                Cells::Many(entries) => entries.get_mut(i).map(|(_, c)| std::mem::replace(c, cell)),
            },
            Err(i) => self.edit(|entries| {
                // Rows rarely gain cells one by one: growing exactly wastes no slots.
                entries.reserve_exact(1);
                entries.insert(i, (Name::new(name), cell));
                None
            }),
        }
    }

    /// Takes the cell of column `name` out.
    pub fn remove(&mut self, name: &str) -> Option<Cell> {
        let i = self.find(name).ok()?;
        Some(self.edit(|entries| entries.remove(i).1))
    }

    /// Keeps the cells for which `keep` says so.
    pub fn retain(&mut self, mut keep: impl FnMut(&str, &mut Cell) -> bool) {
        self.edit(|entries| entries.retain_mut(|(n, c)| keep(n.as_str(), c)));
    }

    /// The cells in column-name order.
    pub fn values(&self) -> impl Iterator<Item = &Cell> {
        self.entries().iter().map(|(_, c)| c)
    }

    /// The columns and their cells in column-name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Cell)> {
        self.entries().iter().map(|(n, c)| (n.as_str(), c))
    }

    /// How many cells there are.
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries().is_empty()
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

    /// Drops data shadowed by a deletion at `ts` (element by element in multi-cell
    /// values).
    pub fn purge(&mut self, ts: i64) {
        if self.marker.as_ref().is_some_and(|m| m.ts <= ts) {
            self.marker = None;
        }
        self.cells.retain(|_, c| c.purge_elements(ts));
    }

    /// Approximate heap bytes, for memory limits.
    pub fn size(&self) -> usize {
        64 + self
            .cells
            .iter()
            .map(|(k, c)| {
                let elements = c.elements.as_deref().map_or(0, |e| {
                    48 + e.meta.len() * 24
                        + e.tombstones.iter().map(|(k, _)| 40 + k.heap_size()).sum::<usize>()
                });
                k.len() + 48 + c.value.as_ref().map_or(0, Value::heap_size) + elements
            })
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
    rows: Vec<(ClusteringKey, Row)>,
    /// The [`head`] of each row's key, in the same order. Heads are dense and never
    /// decrease along the rows, so finding a row compares a few integers in a small array
    /// instead of whole keys spread over many cache lines; only rows whose heads equal the
    /// sought key's are compared in full.
    heads: Vec<u64>,
    /// Range deletions.
    pub range_tombstones: Vec<RangeTombstone>,
}

/// Whether [`head`] tells keys like `key` apart: a single clustering column whose values
/// are integers of at most 64 bits.
fn head_is_key(types: &[(CqlType, Order)], key: &[Value]) -> bool {
    types.len() == 1
        && matches!(
            key,
            [Value::Tinyint(_)
                | Value::Smallint(_)
                | Value::Int(_)
                | Value::Bigint(_)
                | Value::Timestamp(_)
                | Value::Time(_)
                | Value::Date(_)]
        )
}

/// An order-preserving 64-bit summary of a clustering key: of two keys in clustering
/// order, the first's head is never greater. It is the first value's leading bits for the
/// types whose order is that of their numbers or bytes, and 0 (every key alike) otherwise.
fn head(types: &[(CqlType, Order)], key: &[Value]) -> u64 {
    /// The first eight bytes, zero-padded: shorter strings sort first, and a tie is left
    /// to the full comparison.
    fn leading(b: &[u8]) -> u64 {
        let mut word = [0; 8];
        for (w, b) in word.iter_mut().zip(b) {
            *w = *b;
        }
        u64::from_be_bytes(word)
    }
    // Flipping the sign bit makes two's-complement order unsigned order.
    let signed = |n: i64| (n as u64) ^ (1 << 63);
    let Some(((_, order), first)) = types.first().zip(key.first()) else { return 0 };
    let h = match first {
        Value::Tinyint(n) => signed(i64::from(*n)),
        Value::Smallint(n) => signed(i64::from(*n)),
        Value::Int(n) => signed(i64::from(*n)),
        Value::Bigint(n) | Value::Timestamp(n) | Value::Time(n) => signed(*n),
        Value::Date(d) => u64::from(*d),
        Value::Ascii(s) | Value::Text(s) => leading(s.as_bytes()),
        Value::Blob(b) => leading(b),
        _ => 0,
    };
    if *order == Order::Desc { !h } else { h }
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
            heads: Vec::new(),
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

    /// The rows, sorted by clustering key in the table's order.
    pub fn rows(&self) -> &[(ClusteringKey, Row)] {
        &self.rows
    }

    /// The rows, to change their contents (their keys stay as they are).
    pub fn rows_mut(&mut self) -> impl Iterator<Item = &mut Row> {
        self.rows.iter_mut().map(|(_, r)| r)
    }

    /// The row `key`, created if missing.
    pub fn row_mut(&mut self, types: &[(CqlType, Order)], key: Vec<Value>) -> &mut Row {
        let idx = match self.find_row(types, &key) {
            Ok(i) => i,
            Err(i) => {
                self.heads.insert(i, head(types, &key));
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
        let h = head(types, key);
        let lo = self.heads.partition_point(|x| *x < h);
        if head_is_key(types, key) {
            // Equal heads are equal keys: the key itself need not be read.
            return if self.heads.get(lo) == Some(&h) { Ok(lo) } else { Err(lo) };
        }
        let same = self.heads.get(lo..).unwrap_or(&[]).partition_point(|x| *x == h);
        let candidates = self.rows.get(lo..lo + same).unwrap_or(&[]);
        match candidates.binary_search_by(|(k, _)| compare_prefix(types, k, key)) {
            Ok(i) => Ok(lo + i),
            Err(i) => Err(lo + i),
        }
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
            self.heads.remove(i);
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
        let keep: Vec<bool> = self
            .rows
            .iter()
            .map(|(_, r)| r.marker.is_some() || !r.cells.is_empty() || r.deletion != NO_DELETION)
            .collect();
        let mut kept = keep.iter();
        self.rows.retain(|_| kept.next().copied().unwrap_or(true));
        let mut kept = keep.iter();
        self.heads.retain(|_| kept.next().copied().unwrap_or(true));
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

/// Where a partition lies on the ring: its Murmur3 token, then its serialized key, which
/// orders partitions as the Murmur3 partitioner does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RingKey {
    /// The partition key's token.
    pub token: i64,
    /// The serialized partition key, which orders partitions of the same token.
    pub bytes: InlineBytes,
}

impl PartialOrd for RingKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for RingKey {
    // Inlined into the B-tree's search, where it runs a dozen times a lookup: tokens nearly
    // always differ, and the bytes are compared only when they do not.
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        match self.token.cmp(&other.token) {
            Ordering::Equal => self.bytes.cmp(&other.bytes),
            o => o,
        }
    }
}

/// The ring key of the serialized partition key `bytes`.
pub fn ring_key(bytes: &[u8]) -> RingKey {
    RingKey { token: token(bytes), bytes: InlineBytes::new(bytes) }
}

impl std::hash::Hash for RingKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        // The token is already a well-mixed hash of the key bytes.
        state.write_i64(self.token);
    }
}

/// Hashes a [`RingKey`] as its token, which Murmur3 has already mixed: hashing it again
/// would cost a lookup more than it spreads the keys.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenHash;

/// The hasher of [`TokenHash`]: it keeps the last integer written.
#[derive(Debug, Clone, Copy, Default)]
pub struct TokenHasher(u64);

impl std::hash::Hasher for TokenHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only tokens are written (`write_i64`); fold anything else in all the same.
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_i64(&mut self, n: i64) {
        self.0 = n as u64;
    }
}

impl std::hash::BuildHasher for TokenHash {
    type Hasher = TokenHasher;

    fn build_hasher(&self) -> TokenHasher {
        TokenHasher(0)
    }
}

/// A table's partitions: found by key through a hash map, read in ring order (token, then
/// key bytes, as the Murmur3 partitioner orders them) through an ordered set of their keys.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableData {
    /// Partitions by ring key.
    partitions: HashMap<RingKey, Partition, TokenHash>,
    /// The keys of `partitions`, in ring order.
    ring: BTreeSet<RingKey>,
}

impl TableData {
    /// The partition whose key values are `pk`, found without allocating for the
    /// commonest keys.
    pub fn partition(&self, pk: &[Value]) -> Option<&Partition> {
        with_partition_key_bytes(pk, |bytes| self.partitions.get(&ring_key(bytes)))
    }

    /// The partition of ring key `key`.
    pub fn get(&self, key: &RingKey) -> Option<&Partition> {
        self.partitions.get(key)
    }

    /// The partition of ring key `key`, with the key as stored.
    pub fn get_key_value(&self, key: &RingKey) -> Option<(&RingKey, &Partition)> {
        self.partitions.get_key_value(key)
    }

    /// The partition of ring key `key`, mutably.
    pub fn get_mut(&mut self, key: &RingKey) -> Option<&mut Partition> {
        self.partitions.get_mut(key)
    }

    /// Whether a partition of ring key `key` is stored.
    pub fn contains(&self, key: &RingKey) -> bool {
        self.partitions.contains_key(key)
    }

    /// The partition of ring key `key`, made from `pk` (its key values) if missing.
    pub fn get_or_insert(
        &mut self,
        key: &RingKey,
        pk: impl FnOnce() -> Vec<Value>,
    ) -> &mut Partition {
        if !self.partitions.contains_key(key) {
            self.ring.insert(key.clone());
        }
        self.partitions.entry(key.clone()).or_insert_with(|| Partition::new(pk()))
    }

    /// Stores `p` as the partition of ring key `key`, replacing any.
    pub fn insert(&mut self, key: RingKey, p: Partition) {
        self.ring.insert(key.clone());
        self.partitions.insert(key, p);
    }

    /// Takes the partition of ring key `key` out.
    pub fn remove(&mut self, key: &RingKey) -> Option<Partition> {
        self.ring.remove(key);
        self.partitions.remove(key)
    }

    /// The partitions with their keys, in ring order.
    pub fn iter(&self) -> impl Iterator<Item = (&RingKey, &Partition)> {
        self.ring.iter().filter_map(|k| self.partitions.get_key_value(k))
    }

    /// The partitions in no particular order, for totals.
    pub fn values(&self) -> impl Iterator<Item = &Partition> {
        self.partitions.values()
    }

    /// The partitions in no particular order, to change them all alike.
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Partition> {
        self.partitions.values_mut()
    }

    /// How many partitions are stored.
    pub fn partition_count(&self) -> usize {
        self.partitions.len()
    }

    /// Number of stored rows (clustered rows, plus static rows holding data).
    pub fn row_count(&self) -> usize {
        self.partitions
            .values()
            .map(|p| p.rows.len() + usize::from(!p.static_row.cells.is_empty()))
            .sum()
    }
}

#[cfg(test)]
mod tests;
