//! Saving the whole database to bytes and back (the browser keeps its sandbox this way).
//!
//! Format, version 2: the magic `CQFSNAP`, a version byte, then
//! - the schema as a CQL script (keyspaces, types, tables, indexes), which restoring runs;
//! - per table: its id and its partitions, with every cell, timestamp, TTL and tombstone;
//!   a non-frozen collection or UDT cell also carries each element's write timestamp,
//!   TTL and expiry, its own deletion and its element tombstones.
//!
//! Values use the native protocol encoding of their column's type. All integers are
//! little-endian; strings and byte strings are a `u32` length then the bytes. Newer
//! versions must keep reading the older ones: version 1 kept one write timestamp per
//! collection and only each element's expiry, which version 2 reads as every element
//! written at the cell's timestamp.

use crate::exec::Engine;
use crate::schema::{Keyspace, Table, refers_to_udt};
use crate::storage::{
    Bound, Cell, ElementMeta, Elements, InlineBytes, NO_DELETION, Partition, RangeTombstone,
    RingKey, Row, Slice, TableData,
};
use crate::types::{CqlType, Uuid, Value, deserialize, maybe_quote, serialize};
use crate::{Error, Options};

const MAGIC: &[u8] = b"CQFSNAP";
const VERSION: u8 = 2;
/// The first version, still read: per-element expiries only.
const VERSION_1: u8 = 1;

struct Writer(Vec<u8>);

impl Writer {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: usize) {
        self.0.extend_from_slice(&u32::try_from(v).unwrap_or(u32::MAX).to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i32(&mut self, v: i32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn bytes(&mut self, b: &[u8]) {
        self.u32(b.len());
        self.0.extend_from_slice(b);
    }
    fn str(&mut self, s: &str) {
        self.bytes(s.as_bytes());
    }
    fn value(&mut self, v: &Value) {
        self.bytes(&serialize(v));
    }
    fn cell(&mut self, c: &Cell) {
        match &c.value {
            Some(v) => {
                self.u8(1);
                self.value(v);
            }
            None => self.u8(0),
        }
        self.i64(c.ts);
        self.i32(c.ttl);
        match c.expires {
            Some(e) => {
                self.u8(1);
                self.i64(e);
            }
            None => self.u8(0),
        }
        let Some(el) = c.elements.as_deref() else {
            self.u8(0);
            return;
        };
        self.u8(1);
        self.i64(el.deletion);
        self.u32(el.meta.len());
        for m in &el.meta {
            let Some(m) = m else {
                self.u8(0);
                continue;
            };
            self.u8(1);
            self.i64(m.ts);
            self.i32(m.ttl);
            self.opt_i64(m.expires);
        }
        self.u32(el.tombstones.len());
        for (k, ts) in &el.tombstones {
            self.value(k);
            self.i64(*ts);
        }
    }
    fn opt_i64(&mut self, v: Option<i64>) {
        match v {
            Some(v) => {
                self.u8(1);
                self.i64(v);
            }
            None => self.u8(0),
        }
    }
}

struct Reader<'a> {
    buf: &'a [u8],
    version: u8,
}

fn corrupt() -> Error {
    Error::invalid("The snapshot is damaged or not a cqlfiddle snapshot")
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], Error> {
        if self.buf.len() < n {
            return Err(corrupt());
        }
        let (head, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(head)
    }
    fn u8(&mut self) -> Result<u8, Error> {
        self.take(1)?.first().copied().ok_or_else(corrupt)
    }
    fn u32(&mut self) -> Result<usize, Error> {
        let b: [u8; 4] = self.take(4)?.try_into().map_err(|_| corrupt())?;
        usize::try_from(u32::from_le_bytes(b)).map_err(|_| corrupt())
    }
    fn i64(&mut self) -> Result<i64, Error> {
        let b: [u8; 8] = self.take(8)?.try_into().map_err(|_| corrupt())?;
        Ok(i64::from_le_bytes(b))
    }
    fn i32(&mut self) -> Result<i32, Error> {
        let b: [u8; 4] = self.take(4)?.try_into().map_err(|_| corrupt())?;
        Ok(i32::from_le_bytes(b))
    }
    fn bytes(&mut self) -> Result<&'a [u8], Error> {
        let n = self.u32()?;
        self.take(n)
    }
    fn str(&mut self) -> Result<String, Error> {
        String::from_utf8(self.bytes()?.to_vec()).map_err(|_| corrupt())
    }
    fn value(&mut self, ty: &CqlType) -> Result<Value, Error> {
        deserialize(ty, self.bytes()?)
    }
    fn opt_i64(&mut self) -> Result<Option<i64>, Error> {
        Ok(match self.u8()? {
            0 => None,
            _ => Some(self.i64()?),
        })
    }
    fn cell(&mut self, ty: &CqlType) -> Result<Cell, Error> {
        let value = match self.u8()? {
            0 => None,
            _ => Some(self.value(ty)?),
        };
        let ts = self.i64()?;
        let ttl = self.i32()?;
        let expires = match self.u8()? {
            0 => None,
            _ => Some(self.i64()?),
        };
        let elements = if self.version == VERSION_1 {
            // Per-element expiries under one collection timestamp and TTL.
            let n = self.u32()?;
            let mut meta = Vec::new();
            for _ in 0..n {
                let expires = self.opt_i64()?;
                let ttl = if expires.is_some() { ttl } else { 0 };
                meta.push(Some(ElementMeta { ts, ttl, expires }));
            }
            (n > 0)
                .then(|| Box::new(Elements { deletion: NO_DELETION, meta, tombstones: Vec::new() }))
        } else if self.u8()? == 0 {
            None
        } else {
            let deletion = self.i64()?;
            let n = self.u32()?;
            let mut meta = Vec::new();
            for _ in 0..n {
                meta.push(match self.u8()? {
                    0 => None,
                    _ => Some(ElementMeta {
                        ts: self.i64()?,
                        ttl: self.i32()?,
                        expires: self.opt_i64()?,
                    }),
                });
            }
            let key_ty = match ty.unfrozen() {
                CqlType::Set(k) | CqlType::Map(k, _) => (**k).clone(),
                _ => CqlType::Native(crate::types::NativeType::Text),
            };
            let n = self.u32()?;
            let mut tombstones = Vec::new();
            for _ in 0..n {
                tombstones.push((self.value(&key_ty)?, self.i64()?));
            }
            Some(Box::new(Elements { deletion, meta, tombstones }))
        };
        Ok(Cell { value, ts, ttl, expires, elements })
    }
}

/// The keyspace's types, each after the types it uses.
fn types_in_order(ks: &Keyspace) -> Vec<&crate::types::UdtType> {
    let mut out: Vec<&crate::types::UdtType> = Vec::new();
    let mut pending: Vec<&crate::types::UdtType> = ks.types.values().collect();
    while !pending.is_empty() {
        let before = pending.len();
        pending.retain(|u| {
            let ready = ks.types.keys().filter(|n| *n != &u.name).all(|n| {
                !u.fields.iter().any(|(_, t)| refers_to_udt(t, n))
                    || out.iter().any(|d| &d.name == n)
            });
            if ready {
                out.push(u);
            }
            !ready
        });
        if pending.len() == before {
            out.append(&mut pending);
        }
    }
    out
}

fn schema_script(engine: &Engine) -> String {
    let mut s = String::new();
    for ks in engine.keyspaces.values() {
        let ksq = maybe_quote(&ks.name);
        let repl: Vec<String> = ks
            .replication
            .iter()
            .map(|(k, v)| format!("{}: {}", crate::ast::quote_str(k), crate::ast::quote_str(v)))
            .collect();
        s.push_str(&format!(
            "CREATE KEYSPACE {ksq} WITH replication = {{{}}} AND durable_writes = {};\n",
            repl.join(", "),
            ks.durable_writes
        ));
        for u in types_in_order(ks) {
            let fields: Vec<String> =
                u.fields.iter().map(|(n, t)| format!("{} {t}", maybe_quote(n))).collect();
            s.push_str(&format!(
                "CREATE TYPE {ksq}.{} ({});\n",
                maybe_quote(&u.name),
                fields.join(", ")
            ));
        }
        for t in ks.tables.values() {
            s.push_str(&create_table(t));
            // Dropped columns are remembered by dropping them again, before the indexes
            // exist (one of a user type, which may be gone, is forgotten): a column that
            // is still dropped is added first, one since re-added is added back after.
            let table = format!("{ksq}.{}", maybe_quote(&t.name));
            for (name, d) in t.dropped.iter().filter(|(_, d)| !mentions_udt(&d.ty)) {
                let column = t.column(name);
                if column.is_some_and(|c| mentions_udt(&c.ty)) {
                    continue;
                }
                let quoted = maybe_quote(name);
                if column.is_none() {
                    let st = if d.is_static { " STATIC" } else { "" };
                    s.push_str(&format!("ALTER TABLE {table} ADD {quoted} {}{st};\n", d.ty));
                }
                s.push_str(&format!(
                    "ALTER TABLE {table} DROP {quoted} USING TIMESTAMP {};\n",
                    d.dropped_at
                ));
                if let Some(c) = column {
                    let st =
                        if c.kind == crate::schema::ColumnKind::Static { " STATIC" } else { "" };
                    s.push_str(&format!("ALTER TABLE {table} ADD {quoted} {}{st};\n", c.ty));
                }
            }
            for i in t.indexes.iter() {
                let target = i.target();
                match &i.custom {
                    Some(c) => {
                        // Scripts without options (every version 1 snapshot before
                        // options were kept) still restore: the clause is optional.
                        let with = if i.options.is_empty() {
                            String::new()
                        } else {
                            let pairs: Vec<String> = i
                                .options
                                .iter()
                                .map(|(k, v)| {
                                    format!(
                                        "{}: {}",
                                        crate::ast::quote_str(k),
                                        crate::ast::quote_str(v)
                                    )
                                })
                                .collect();
                            format!(" WITH OPTIONS = {{{}}}", pairs.join(", "))
                        };
                        s.push_str(&format!(
                            "CREATE CUSTOM INDEX {} ON {ksq}.{} ({target}) USING {}{with};\n",
                            maybe_quote(&i.name),
                            maybe_quote(&t.name),
                            crate::ast::quote_str(c)
                        ));
                    }
                    None => s.push_str(&format!(
                        "CREATE INDEX {} ON {ksq}.{} ({target});\n",
                        maybe_quote(&i.name),
                        maybe_quote(&t.name)
                    )),
                }
            }
        }
    }
    s
}

/// Whether `t` holds a user type anywhere.
fn mentions_udt(t: &CqlType) -> bool {
    match t {
        CqlType::Native(_) => false,
        CqlType::List(i) | CqlType::Set(i) | CqlType::Frozen(i) | CqlType::Vector(i, _) => {
            mentions_udt(i)
        }
        CqlType::Map(k, v) => mentions_udt(k) || mentions_udt(v),
        CqlType::Tuple(ts) => ts.iter().any(mentions_udt),
        CqlType::Udt(_) => true,
    }
}

fn create_table(t: &Table) -> String {
    let cols: Vec<String> = t
        .columns
        .iter()
        .map(|c| {
            let st = if c.kind == crate::schema::ColumnKind::Static { " STATIC" } else { "" };
            format!("{} {}{st}", maybe_quote(&c.name), c.ty)
        })
        .collect();
    let pk: Vec<String> = t.partition_key.iter().map(|n| maybe_quote(n)).collect();
    let mut key = format!("({})", pk.join(", "));
    for (c, _) in t.clustering.iter() {
        key.push_str(&format!(", {}", maybe_quote(c)));
    }
    let mut with: Vec<String> = Vec::new();
    with.extend(t.clustering_order_clause());
    for (k, v) in t.options.iter() {
        with.push(format!("{k} = {v}"));
    }
    let with =
        if with.is_empty() { String::new() } else { format!(" WITH {}", with.join(" AND ")) };
    format!(
        "CREATE TABLE {}.{} ({}, PRIMARY KEY ({key})){with};\n",
        maybe_quote(&t.keyspace),
        maybe_quote(&t.name),
        cols.join(", ")
    )
}

fn write_row(w: &mut Writer, r: &Row) {
    match &r.marker {
        Some(m) => {
            w.u8(1);
            w.cell(&m.to_cell());
        }
        None => w.u8(0),
    }
    w.i64(r.deletion);
    w.u32(r.cells.len());
    for (name, c) in r.cells.iter() {
        w.str(name);
        w.cell(c);
    }
}

fn read_row(r: &mut Reader<'_>, t: &Table) -> Result<Row, Error> {
    let marker = match r.u8()? {
        0 => None,
        _ => Some(crate::storage::Marker::of(
            &r.cell(&CqlType::Native(crate::types::NativeType::Boolean))?,
        )),
    };
    let deletion = r.i64()?;
    let n = r.u32()?;
    let mut cells = crate::storage::CellMap::new();
    for _ in 0..n {
        let name = r.str()?;
        let col = t.column(&name).ok_or_else(corrupt)?;
        let ty = col.ty.clone();
        cells.insert(name, r.cell(&ty)?);
    }
    Ok(Row { marker, deletion, cells })
}

fn write_bound(w: &mut Writer, b: &Option<Bound>) {
    match b {
        Some(b) => {
            w.u8(if b.inclusive { 2 } else { 1 });
            w.u32(b.values.len());
            b.values.iter().for_each(|v| w.value(v));
        }
        None => w.u8(0),
    }
}

fn read_values(r: &mut Reader<'_>, types: &[CqlType]) -> Result<Vec<Value>, Error> {
    let n = r.u32()?;
    let mut out = Vec::new();
    for i in 0..n {
        out.push(r.value(types.get(i).ok_or_else(corrupt)?)?);
    }
    Ok(out)
}

fn read_bound(r: &mut Reader<'_>, types: &[CqlType]) -> Result<Option<Bound>, Error> {
    let flag = r.u8()?;
    if flag == 0 {
        return Ok(None);
    }
    Ok(Some(Bound { values: read_values(r, types)?, inclusive: flag == 2 }))
}

impl Engine {
    /// The whole database as bytes, for [`Engine::restore`].
    pub fn snapshot(&self) -> Vec<u8> {
        let mut w = Writer(MAGIC.to_vec());
        w.u8(VERSION);
        w.str(&schema_script(self));
        let tables: Vec<&Table> = self.keyspaces.values().flat_map(|k| k.tables.values()).collect();
        w.u32(tables.len());
        for t in tables {
            w.str(&t.keyspace);
            w.str(&t.name);
            w.0.extend_from_slice(&t.id.0);
            w.u32(t.data.partition_count());
            for (_, p) in t.data.iter() {
                w.u32(p.key.len());
                p.key.iter().for_each(|v| w.value(v));
                w.i64(p.deletion);
                write_row(&mut w, &p.static_row);
                w.u32(p.rows().len());
                for (ck, row) in p.rows() {
                    w.u32(ck.len());
                    ck.iter().for_each(|v| w.value(v));
                    write_row(&mut w, row);
                }
                w.u32(p.range_tombstones.len());
                for rt in &p.range_tombstones {
                    w.u32(rt.slice.prefix.len());
                    rt.slice.prefix.iter().for_each(|v| w.value(v));
                    write_bound(&mut w, &rt.slice.start);
                    write_bound(&mut w, &rt.slice.end);
                    w.i64(rt.ts);
                }
            }
        }
        w.0
    }

    /// A database rebuilt from [`Engine::snapshot`] bytes.
    pub fn restore(bytes: &[u8]) -> Result<Engine, Error> {
        let body = bytes.strip_prefix(MAGIC).ok_or_else(corrupt)?;
        let mut r = Reader { buf: body, version: 0 };
        let version = r.u8()?;
        r.version = version;
        if version != VERSION && version != VERSION_1 {
            return Err(Error::invalid(format!(
                "Snapshot version {version} is newer than this engine understands"
            )));
        }
        let script = r.str()?;
        // A seed from the snapshot keeps restored sandboxes deterministic.
        let seed = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
        });
        let mut engine = Engine::with_seed(seed);
        for (stmt, _) in crate::parse_script(&script)? {
            engine.execute_statement(&stmt, &Options::default())?;
        }
        let n_tables = r.u32()?;
        for _ in 0..n_tables {
            let ks = r.str()?;
            let name = r.str()?;
            let id: [u8; 16] = r.take(16)?.try_into().map_err(|_| corrupt())?;
            let table = engine
                .keyspaces
                .get_mut(&ks)
                .and_then(|k| k.tables.get_mut(&name))
                .ok_or_else(corrupt)?;
            table.id = Uuid(id);
            let pk_types = table.partition_key_types();
            let order = table.clustering_types();
            let ck_types: Vec<CqlType> = order.iter().map(|(t, _)| t.clone()).collect();
            let mut data = TableData::default();
            let n_parts = r.u32()?;
            for _ in 0..n_parts {
                let key = read_values(&mut r, &pk_types)?;
                let mut p = Partition::new(key.clone());
                p.deletion = r.i64()?;
                p.static_row = read_row(&mut r, table)?;
                let n_rows = r.u32()?;
                for _ in 0..n_rows {
                    let ck = read_values(&mut r, &ck_types)?;
                    let row = read_row(&mut r, table)?;
                    *p.row_mut(&order, ck) = row;
                }
                let n_rt = r.u32()?;
                for _ in 0..n_rt {
                    let prefix = read_values(&mut r, &ck_types)?;
                    let rest = ck_types.get(prefix.len()..).unwrap_or(&[]);
                    let start = read_bound(&mut r, rest)?;
                    let end = read_bound(&mut r, rest)?;
                    let ts = r.i64()?;
                    p.range_tombstones
                        .push(RangeTombstone { slice: Slice { prefix, start, end }, ts });
                }
                let refs: Vec<&Value> = key.iter().collect();
                let bytes = crate::types::partition_key_bytes(&refs);
                let token = crate::types::token(&bytes);
                data.insert(RingKey { token, bytes: InlineBytes::from_vec(bytes) }, p);
            }
            table.data = data;
        }
        if !r.buf.is_empty() {
            return Err(corrupt());
        }
        Ok(engine)
    }
}

#[cfg(test)]
mod tests;
