//! `DESCRIBE`, answered by the server as Cassandra 4.0 and later do: listing forms return
//! `keyspace_name`, `type` and `name`; element forms add the `create_statement` that
//! would recreate each element, printed the way Cassandra prints its schema.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use super::ddl::TABLE_OPTION_DEFAULTS;
use super::{Ctx, Engine, spec};
use crate::ast::{Describe, DescribeTarget, QualifiedName, Statement, Term};
use crate::schema::{Column, ColumnKind, Index, Keyspace, SYSTEM_KEYSPACES, Table, is_multi_cell};
use crate::types::{Constant, CqlType, NativeType, UdtType, Value, maybe_quote};
use crate::{Error, Options, Rows, parse_statement};

/// The keyspace and table every `DESCRIBE` result column claims to come from.
const RESULT_KEYSPACE: &str = "system";
const RESULT_TABLE: &str = "describe";

/// The system keyspaces that are virtual: shown as a commented-out warning.
const VIRTUAL_KEYSPACES: &[&str] = &["system_views", "system_virtual_schema"];

/// One schema element in a `DESCRIBE` result.
struct Element {
    keyspace: String,
    kind: &'static str,
    name: String,
    create: String,
}

impl Element {
    fn row(self, with_create: bool) -> Vec<Option<Value>> {
        let mut row = vec![
            Some(Value::Text(maybe_quote(&self.keyspace).into())),
            Some(Value::Text(self.kind.to_string().into())),
            Some(Value::Text(maybe_quote(&self.name).into())),
        ];
        if with_create {
            row.push(Some(Value::Text(self.create.into())));
        }
        row
    }
}

/// A keyspace as `DESCRIBE` sees it: a user keyspace, or a system one the engine knows
/// only by name.
#[derive(Clone, Copy)]
enum KsRef<'a> {
    User(&'a Keyspace),
    System(&'static str),
}

impl<'a> KsRef<'a> {
    fn name(&self) -> &'a str {
        match self {
            KsRef::User(ks) => &ks.name,
            KsRef::System(name) => name,
        }
    }

    fn user(&self) -> Option<&'a Keyspace> {
        match self {
            KsRef::User(ks) => Some(ks),
            KsRef::System(_) => None,
        }
    }
}

/// Cassandra sorts element names with `String.compareToIgnoreCase`; the sort is stable,
/// so names equal but for case keep their stored order.
fn by_name_ignoring_case(a: &str, b: &str) -> Ordering {
    let fold = |s: &str| s.chars().flat_map(char::to_lowercase).collect::<String>();
    fold(a).cmp(&fold(b))
}

fn text_spec(name: &str) -> crate::ColumnSpec {
    spec(RESULT_KEYSPACE, RESULT_TABLE, name, CqlType::Native(NativeType::Text))
}

fn rows_of(elements: Vec<Element>, with_create: bool) -> Rows {
    let mut columns = vec![text_spec("keyspace_name"), text_spec("type"), text_spec("name")];
    if with_create {
        columns.push(text_spec("create_statement"));
    }
    let rows = elements.into_iter().map(|e| e.row(with_create)).collect();
    Rows { columns: columns.into(), rows, paging_state: None }
}

impl Engine {
    /// Runs a `DESCRIBE` statement, one page of it when the caller pages.
    pub(super) fn describe(
        &self,
        d: &Describe,
        ctx: &Ctx,
        options: &Options,
    ) -> Result<Rows, Error> {
        let all = self.describe_all(d, ctx)?;
        page(all, options)
    }

    fn describe_all(&self, d: &Describe, ctx: &Ctx) -> Result<Rows, Error> {
        let internals = d.internals;
        match &d.target {
            DescribeTarget::Cluster => Ok(self.describe_cluster(ctx)),
            DescribeTarget::Keyspaces => {
                let elements = self
                    .all_keyspaces()
                    .into_iter()
                    .map(|k| Element {
                        keyspace: k.name().to_string(),
                        kind: "keyspace",
                        name: k.name().to_string(),
                        create: String::new(),
                    })
                    .collect();
                Ok(rows_of(elements, false))
            }
            DescribeTarget::Tables => self.listing(ctx, |k| {
                let mut tables: Vec<&Table> =
                    k.user().map(|ks| ks.tables.values().collect()).unwrap_or_default();
                tables.sort_by(|a, b| by_name_ignoring_case(&a.name, &b.name));
                tables.into_iter().map(|t| (k.name(), "table", t.name.clone())).collect()
            }),
            DescribeTarget::Types => self.listing(ctx, |k| {
                let mut types: Vec<&UdtType> =
                    k.user().map(|ks| ks.types.values().collect()).unwrap_or_default();
                types.sort_by(|a, b| by_name_ignoring_case(&a.name, &b.name));
                types.into_iter().map(|u| (k.name(), "type", u.name.clone())).collect()
            }),
            // The engine has no user-defined functions or aggregates, so these list nothing.
            DescribeTarget::Functions | DescribeTarget::Aggregates => {
                self.listing(ctx, |_| Vec::new())
            }
            DescribeTarget::Schema(full) => {
                let mut elements = Vec::new();
                for k in self.all_keyspaces() {
                    if *full || !SYSTEM_KEYSPACES.contains(&k.name()) {
                        elements.extend(keyspace_elements(k, false, internals));
                    }
                }
                Ok(rows_of(elements, true))
            }
            DescribeTarget::Keyspace(only, name) => {
                let ks = match name {
                    Some(n) => n.0.clone(),
                    None => current_keyspace(ctx)?,
                };
                let k = self.find_keyspace(&ks)?;
                Ok(rows_of(keyspace_elements(k, *only, internals), true))
            }
            DescribeTarget::Table(name) => {
                let (k, t) = self.element_target(name, ctx)?;
                Ok(rows_of(self.table_or_error(k, &t, internals)?, true))
            }
            DescribeTarget::Index(name) => {
                let (k, i) = self.element_target(name, ctx)?;
                Ok(rows_of(vec![index_or_error(k, &i)?], true))
            }
            DescribeTarget::MaterializedView(name) => {
                let (k, v) = self.element_target(name, ctx)?;
                Err(Error::invalid(format!("Materialized view '{v}' not found in '{}'", k.name())))
            }
            DescribeTarget::Type(name) => {
                let (k, ty) = self.element_target(name, ctx)?;
                let udt = k.user().and_then(|ks| ks.types.get(&ty)).ok_or_else(|| {
                    Error::invalid(format!("User defined type '{ty}' not found in '{}'", k.name()))
                })?;
                Ok(rows_of(vec![type_element(udt)], true))
            }
            DescribeTarget::Function(name) => {
                let (k, f) = self.element_target(name, ctx)?;
                Err(Error::invalid(format!(
                    "User defined function '{f}' not found in '{}'",
                    k.name()
                )))
            }
            DescribeTarget::Aggregate(name) => {
                let (k, a) = self.element_target(name, ctx)?;
                Err(Error::invalid(format!(
                    "User defined aggregate '{a}' not found in '{}'",
                    k.name()
                )))
            }
            DescribeTarget::Generic(name) => self.describe_generic(name, ctx, internals),
        }
    }

    /// Every keyspace, user and system, in Cassandra's name order.
    fn all_keyspaces(&self) -> Vec<KsRef<'_>> {
        let mut all: Vec<KsRef<'_>> = self.keyspaces.values().map(KsRef::User).collect();
        all.extend(
            SYSTEM_KEYSPACES
                .iter()
                .filter(|s| !self.keyspaces.contains_key(**s))
                .map(|s| KsRef::System(s)),
        );
        all.sort_by(|a, b| by_name_ignoring_case(a.name(), b.name()));
        all
    }

    fn find_keyspace(&self, name: &str) -> Result<KsRef<'_>, Error> {
        if let Some(ks) = self.keyspaces.get(name) {
            return Ok(KsRef::User(ks));
        }
        SYSTEM_KEYSPACES
            .iter()
            .find(|s| **s == name)
            .map(|s| KsRef::System(s))
            .ok_or_else(|| Error::invalid(format!("'{name}' not found in keyspaces")))
    }

    /// The keyspace an element form refers to, with the element's name.
    fn element_target(
        &self,
        name: &QualifiedName,
        ctx: &Ctx,
    ) -> Result<(KsRef<'_>, String), Error> {
        let ks = match &name.keyspace {
            Some(ks) => ks.0.clone(),
            None => current_keyspace(ctx)?,
        };
        Ok((self.find_keyspace(&ks)?, name.name.0.clone()))
    }

    /// A listing form: the elements of the session's keyspace, or of every keyspace.
    fn listing<'a>(
        &'a self,
        ctx: &Ctx,
        elements: impl Fn(KsRef<'a>) -> Vec<(&'a str, &'static str, String)>,
    ) -> Result<Rows, Error> {
        let keyspaces = match &ctx.keyspace {
            Some(ks) => vec![self.find_keyspace(ks)?],
            None => self.all_keyspaces(),
        };
        let found = keyspaces
            .into_iter()
            .flat_map(&elements)
            .map(|(ks, kind, name)| Element {
                keyspace: ks.to_string(),
                kind,
                name,
                create: String::new(),
            })
            .collect();
        Ok(rows_of(found, false))
    }

    fn table_or_error(
        &self,
        k: KsRef<'_>,
        name: &str,
        internals: bool,
    ) -> Result<Vec<Element>, Error> {
        let table = k.user().and_then(|ks| ks.tables.get(name)).ok_or_else(|| {
            Error::invalid(format!("Table '{name}' not found in keyspace '{}'", k.name()))
        })?;
        Ok(table_elements(table, internals))
    }

    /// `DESCRIBE name`: a keyspace, else a table, else an index, in the session's
    /// keyspace (or the named one).
    fn describe_generic(
        &self,
        name: &QualifiedName,
        ctx: &Ctx,
        internals: bool,
    ) -> Result<Rows, Error> {
        let element = &name.name.0;
        let ks = match &name.keyspace {
            Some(ks) => ks.0.clone(),
            None => {
                if let Ok(k) = self.find_keyspace(element) {
                    return Ok(rows_of(keyspace_elements(k, false, internals), true));
                }
                ctx.keyspace.map_or_else(|| element.clone(), str::to_string)
            }
        };
        let k = self.find_keyspace(&ks)?;
        if let Some(table) = k.user().and_then(|u| u.tables.get(element)) {
            return Ok(rows_of(table_elements(table, internals), true));
        }
        if let Ok(index) = index_or_error(k, element) {
            return Ok(rows_of(vec![index], true));
        }
        Err(Error::invalid(format!("'{element}' not found in keyspace '{ks}'")))
    }

    fn describe_cluster(&self, ctx: &Ctx) -> Rows {
        let mut columns = vec![text_spec("cluster"), text_spec("partitioner"), text_spec("snitch")];
        let mut row = vec![
            Some(Value::Text("cqlfiddle".into())),
            Some(Value::Text("Murmur3Partitioner".into())),
            Some(Value::Text("SimpleSnitch".into())),
        ];
        // Cassandra adds the ring's ownership when a non-system keyspace is in use; one
        // node owns the whole ring from the single token `system.local` reports.
        if let Some(ks) = ctx.keyspace
            && !SYSTEM_KEYSPACES.contains(&ks)
        {
            let text = CqlType::Native(NativeType::Text);
            columns.push(spec(
                RESULT_KEYSPACE,
                RESULT_TABLE,
                "range_ownership",
                CqlType::Map(Box::new(text.clone()), Box::new(CqlType::List(Box::new(text)))),
            ));
            row.push(Some(Value::Map(vec![(
                Value::Text(i64::MIN.to_string().into()),
                Value::List(vec![Value::Text("/127.0.0.1:7000".into())]),
            )])));
        }
        Rows { columns: columns.into(), rows: vec![row], paging_state: None }
    }
}

/// The start of a DESCRIBE paging state: magic and version, then the offset of the next
/// row and a fingerprint of the whole result (both `u64`, little-endian).
const PAGING_MAGIC: &[u8; 5] = b"CQFD\x01";

/// Cassandra's message when the schema moved between two pages.
const SCHEMA_CHANGED: &str = "The schema has changed since the previous page of the DESCRIBE statement result. Please retry the DESCRIBE statement.";

/// Cassandra pages DESCRIBE by row number and refuses to go on if the schema changed in
/// between; the fingerprint of the full result stands in for its schema version here.
fn page(mut all: Rows, options: &Options) -> Result<Rows, Error> {
    let Some(size) = options.page_size.filter(|s| *s > 0) else { return Ok(all) };
    let fingerprint = fingerprint(&all);
    let offset = match &options.paging_state {
        None => 0,
        Some(state) => {
            let invalid = || Error::invalid("Invalid value for the paging state");
            let rest = state.strip_prefix(PAGING_MAGIC.as_slice()).ok_or_else(invalid)?;
            let (offset, print) = rest.split_at_checked(8).ok_or_else(invalid)?;
            let read = |b: &[u8]| b.try_into().map(u64::from_le_bytes).map_err(|_| invalid());
            if read(print)? != fingerprint {
                return Err(Error::invalid(SCHEMA_CHANGED));
            }
            usize::try_from(read(offset)?).map_err(|_| invalid())?
        }
    };
    let rows: Vec<_> = all.rows.drain(..).skip(offset).take(size).collect();
    // A full page carries a state even when nothing follows, as in Cassandra.
    if rows.len() == size {
        let next = u64::try_from(offset.saturating_add(size)).unwrap_or(u64::MAX);
        let mut state = PAGING_MAGIC.to_vec();
        state.extend_from_slice(&next.to_le_bytes());
        state.extend_from_slice(&fingerprint.to_le_bytes());
        all.paging_state = Some(state);
    }
    all.rows = rows;
    Ok(all)
}

/// FNV-1a over every value of the result, with separators so cells cannot run together.
fn fingerprint(rows: &Rows) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for row in &rows.rows {
        for cell in row {
            if let Some(Value::Text(t)) = cell {
                eat(t.as_bytes());
            }
            eat(&[0xff]);
        }
        eat(&[0xfe]);
    }
    h
}

fn current_keyspace(ctx: &Ctx) -> Result<String, Error> {
    ctx.keyspace
        .map(str::to_string)
        .ok_or_else(|| Error::invalid("No keyspace specified and no current keyspace"))
}

/// The keyspace, then (unless `only`) its types in dependency order, then each table in
/// name order followed by its indexes.
fn keyspace_elements(k: KsRef<'_>, only: bool, internals: bool) -> Vec<Element> {
    let mut out = vec![Element {
        keyspace: k.name().to_string(),
        kind: "keyspace",
        name: k.name().to_string(),
        create: keyspace_cql(k),
    }];
    let Some(ks) = k.user() else { return out };
    if only {
        return out;
    }
    out.extend(types_in_dependency_order(ks).into_iter().map(type_element));
    let mut tables: Vec<&Table> = ks.tables.values().collect();
    tables.sort_by(|a, b| by_name_ignoring_case(&a.name, &b.name));
    for t in tables {
        out.extend(table_elements(t, internals));
    }
    out
}

/// Types in name order, each preceded by the types it uses, so the statements run in
/// the order given.
fn types_in_dependency_order(ks: &Keyspace) -> Vec<&UdtType> {
    fn visit<'a>(
        ty: &CqlType,
        ks: &'a Keyspace,
        seen: &mut BTreeSet<String>,
        out: &mut Vec<&'a UdtType>,
    ) {
        match ty {
            CqlType::Native(_) => {}
            CqlType::List(t) | CqlType::Set(t) | CqlType::Frozen(t) | CqlType::Vector(t, _) => {
                visit(t, ks, seen, out);
            }
            CqlType::Map(k, v) => {
                visit(k, ks, seen, out);
                visit(v, ks, seen, out);
            }
            CqlType::Tuple(ts) => ts.iter().for_each(|t| visit(t, ks, seen, out)),
            CqlType::Udt(u) => {
                u.fields.iter().for_each(|(_, t)| visit(t, ks, seen, out));
                if seen.insert(u.name.clone())
                    && let Some(stored) = ks.types.get(&u.name)
                {
                    out.push(stored);
                }
            }
        }
    }
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for u in ks.types.values() {
        visit(&CqlType::Udt(u.clone()), ks, &mut seen, &mut out);
    }
    out
}

fn type_element(u: &UdtType) -> Element {
    let fields: Vec<String> =
        u.fields.iter().map(|(n, t)| format!("    {} {t}", maybe_quote(n))).collect();
    Element {
        keyspace: u.keyspace.clone(),
        kind: "type",
        name: u.name.clone(),
        create: format!(
            "CREATE TYPE {}.{} (\n{}\n);",
            maybe_quote(&u.keyspace),
            maybe_quote(&u.name),
            fields.join(",\n")
        ),
    }
}

fn table_elements(t: &Table, internals: bool) -> Vec<Element> {
    let mut out = vec![Element {
        keyspace: t.keyspace.clone(),
        kind: "table",
        name: t.name.clone(),
        create: table_cql(t, internals),
    }];
    let mut indexes: Vec<&Index> = t.indexes.iter().collect();
    indexes.sort_by(|a, b| by_name_ignoring_case(&a.name, &b.name));
    out.extend(indexes.into_iter().map(|i| index_element(t, i)));
    out
}

fn index_or_error(k: KsRef<'_>, name: &str) -> Result<Element, Error> {
    k.user()
        .and_then(|ks| {
            ks.tables.values().find_map(|t| {
                t.indexes.iter().find(|i| i.name == name).map(|i| index_element(t, i))
            })
        })
        // Cassandra looks for the index's table first, so a missing index is worded
        // as a missing table.
        .ok_or_else(|| {
            Error::invalid(format!("Table for existing index '{name}' not found in '{}'", k.name()))
        })
}

fn index_element(t: &Table, i: &Index) -> Element {
    let table = format!("{}.{}", maybe_quote(&t.keyspace), maybe_quote(&t.name));
    let create = match &i.custom {
        Some(class) => {
            let mut s = format!(
                "CREATE CUSTOM INDEX {} ON {table} ({}) USING {}",
                maybe_quote(&i.name),
                i.target(),
                single_quoted(class)
            );
            if !i.options.is_empty() {
                s.push_str(" WITH OPTIONS = ");
                s.push_str(&quoted_map(&i.options));
            }
            s.push(';');
            s
        }
        None => format!("CREATE INDEX {} ON {table} ({});", maybe_quote(&i.name), i.target()),
    };
    Element { keyspace: t.keyspace.clone(), kind: "index", name: i.name.clone(), create }
}

fn single_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A `map<text, text>` as Cassandra's schema printer writes it: keys sorted, both sides
/// quoted.
fn quoted_map(map: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> =
        map.iter().map(|(k, v)| format!("{}: {}", single_quoted(k), single_quoted(v))).collect();
    format!("{{{}}}", pairs.join(", "))
}

/// The replication strategy's own package is left out of its class name, as in Cassandra.
const LOCATOR_PACKAGE: &str = "org.apache.cassandra.locator.";

fn keyspace_cql(k: KsRef<'_>) -> String {
    let name = k.name();
    if VIRTUAL_KEYSPACES.contains(&name) {
        return format!(
            "/*\nWarning: Keyspace {0} is a virtual keyspace and cannot be recreated with CQL.\nStructure, for reference:\nVIRTUAL KEYSPACE {0};\n*/",
            maybe_quote(name)
        );
    }
    let (class, options, durable): (String, Vec<(String, String)>, bool) = match k {
        KsRef::User(ks) => {
            let class = ks.replication.get("class").cloned().unwrap_or_default();
            let mut options: Vec<(String, String)> = ks
                .replication
                .iter()
                .filter(|(key, _)| key.as_str() != "class")
                .map(|(key, v)| (key.clone(), v.clone()))
                .collect();
            options.sort_by_key(|(key, _)| java_hash_bucket(key, ks.replication.len()));
            (class, options, ks.durable_writes)
        }
        KsRef::System(name) => match name {
            "system" | "system_schema" => ("LocalStrategy".to_string(), Vec::new(), true),
            other => {
                let rf = match other {
                    "system_distributed" => "3",
                    "system_traces" => "2",
                    _ => "1",
                };
                (
                    "SimpleStrategy".to_string(),
                    vec![("replication_factor".to_string(), rf.to_string())],
                    true,
                )
            }
        },
    };
    let class = class.strip_prefix(LOCATOR_PACKAGE).unwrap_or(&class).to_string();
    let mut replication = format!("{{'class': {}", single_quoted(&class));
    for (key, v) in &options {
        replication.push_str(&format!(", {}: {}", single_quoted(key), single_quoted(v)));
    }
    replication.push('}');
    // The two spaces before AND are Cassandra's.
    format!(
        "CREATE KEYSPACE {} WITH replication = {replication}  AND durable_writes = {durable};",
        maybe_quote(name)
    )
}

/// Cassandra keeps replication options in a `java.util.HashMap`, whose iteration order is
/// by hash bucket; with the handful of options a keyspace has, buckets rarely collide,
/// and colliding keys fall back to name order here.
fn java_hash_bucket(key: &str, entries: usize) -> (u32, String) {
    let mut h: i32 = 0;
    for unit in key.encode_utf16() {
        h = h.wrapping_mul(31).wrapping_add(i32::from(unit));
    }
    let h = h as u32;
    let spread = h ^ (h >> 16);
    // `new HashMap<>(map)` sizes its table to the next power of two above size / 0.75 + 1.
    let wanted = entries.saturating_mul(4) / 3 + 1;
    let table = u32::try_from(wanted.next_power_of_two().max(16)).unwrap_or(u32::MAX);
    (spread & table.wrapping_sub(1), key.to_string())
}

/// Columns in the order Cassandra declares them: partition key, clustering, then static
/// and regular columns, each with single-cell columns before multi-cell ones (non-frozen
/// collections and UDTs) and by name within those.
fn create_order(t: &Table) -> Vec<&Column> {
    let mut out: Vec<&Column> = Vec::new();
    for pk in t.partition_key.iter() {
        out.extend(t.column(pk));
    }
    for (ck, _) in t.clustering.iter() {
        out.extend(t.column(ck));
    }
    for kind in [ColumnKind::Static, ColumnKind::Regular] {
        let mut cols: Vec<&Column> = t.columns.iter().filter(|c| c.kind == kind).collect();
        cols.sort_by(|a, b| (is_multi_cell(&a.ty), &a.name).cmp(&(is_multi_cell(&b.ty), &b.name)));
        out.extend(cols);
    }
    out
}

/// A table's dropped columns in the order Cassandra keeps them: a `HashMap` keyed by the
/// name's bytes, iterated by hash bucket.
fn dropped_in_order(t: &Table) -> Vec<(&String, &crate::schema::DroppedColumn)> {
    let bucket = |name: &str| {
        // `ByteBuffer.hashCode`, over signed bytes from the last, then `HashMap`'s spread
        // into its initial 16 buckets (a table drops few columns).
        let mut h: i32 = 1;
        for b in name.bytes().rev() {
            h = h.wrapping_mul(31).wrapping_add(i32::from(b as i8));
        }
        let h = h as u32;
        (h ^ (h >> 16)) & 15
    };
    let mut out: Vec<_> = t.dropped.iter().collect();
    out.sort_by_key(|(name, _)| (bucket(name), name.as_str()));
    out
}

fn table_cql(t: &Table, internals: bool) -> String {
    let single_key = t.partition_key.len() == 1 && t.clustering.is_empty();
    let table = format!("{}.{}", maybe_quote(&t.keyspace), maybe_quote(&t.name));
    let mut s = format!("CREATE TABLE {table} (\n");
    // With internals, the dropped columns are declared and then dropped again (a column
    // since re-added comes back after its drop), as Cassandra replays them.
    let dropped = if internals { dropped_in_order(t) } else { Vec::new() };
    let columns: Vec<&Column> = create_order(t)
        .into_iter()
        .filter(|c| !t.dropped.contains_key(&c.name) || !internals)
        .collect();
    let count = columns.len();
    for (i, c) in columns.into_iter().enumerate() {
        s.push_str(&format!("    {} {}", maybe_quote(&c.name), c.ty));
        if c.kind == ColumnKind::Static {
            s.push_str(" static");
        }
        if single_key && c.kind.is_primary_key() {
            s.push_str(" PRIMARY KEY");
        }
        if !single_key || !dropped.is_empty() || i + 1 < count {
            s.push(',');
        }
        s.push('\n');
    }
    for (name, d) in &dropped {
        s.push_str(&format!("    {} {}", maybe_quote(name), d.ty));
        if d.is_static {
            s.push_str(" static");
        }
        // Cassandra's condition looks at the exhausted column iterator, so a table with a
        // single-column key gets no commas here.
        if !single_key {
            s.push(',');
        }
        s.push('\n');
    }
    if !single_key {
        let pk: Vec<String> = t.partition_key.iter().map(|c| maybe_quote(c)).collect();
        s.push_str("    PRIMARY KEY (");
        if pk.len() > 1 {
            s.push_str(&format!("({})", pk.join(", ")));
        } else {
            s.push_str(&pk.join(", "));
        }
        for (c, _) in t.clustering.iter() {
            s.push_str(&format!(", {}", maybe_quote(c)));
        }
        s.push_str(")\n");
    }
    s.push_str(") WITH ");
    let mut options: Vec<String> = Vec::new();
    if internals {
        options.push(format!("ID = {}", t.id));
    }
    options.extend(t.clustering_order_clause());
    for name in TABLE_OPTIONS_IN_CQL_ORDER {
        let text = t
            .options
            .get(*name)
            .map(String::as_str)
            .or_else(|| TABLE_OPTION_DEFAULTS.iter().find(|(n, _)| n == name).map(|(_, d)| *d));
        options.push(format!("{name} = {}", option_cql(name, text.unwrap_or("''"))));
    }
    s.push_str(&options.join("\n    AND "));
    s.push(';');
    for (name, d) in &dropped {
        // Cassandra prints the dropped name as it is, unquoted.
        s.push_str(&format!("\nALTER TABLE {table} DROP {name} USING TIMESTAMP {};", d.dropped_at));
        if let Some(c) = t.column(name) {
            let st = if c.kind == ColumnKind::Static { " static" } else { "" };
            s.push_str(&format!("\nALTER TABLE {table} ADD {} {}{st};", maybe_quote(name), c.ty));
        }
    }
    s
}

/// Table options in the order Cassandra prints them (alphabetical but for `memtable`,
/// which it writes after `compression`).
const TABLE_OPTIONS_IN_CQL_ORDER: &[&str] = &[
    "additional_write_policy",
    "allow_auto_snapshot",
    "bloom_filter_fp_chance",
    "caching",
    "cdc",
    "comment",
    "compaction",
    "compression",
    "memtable",
    "crc_check_chance",
    "default_time_to_live",
    "extensions",
    "gc_grace_seconds",
    "incremental_backups",
    "max_index_interval",
    "memtable_flush_period_in_ms",
    "min_index_interval",
    "read_repair",
    "speculative_retry",
];

/// Reads an option's stored CQL text back as a term.
fn option_term(name: &str, text: &str) -> Option<Term> {
    match parse_statement(&format!("ALTER TABLE x WITH {name} = {text}")) {
        Ok(Statement::AlterTable {
            action: crate::ast::AlterTableAction::With(mut props), ..
        }) => props.pop().map(|p| p.value),
        _ => None,
    }
}

fn constant_text(c: &Constant) -> String {
    match c {
        Constant::String(s) => s.clone(),
        other => crate::ast::constant_cql(other),
    }
}

/// An option's value as Cassandra prints it: strings quoted, numbers and booleans bare,
/// doubles as Java writes them, maps with sorted keys and quoted values.
fn option_cql(name: &str, text: &str) -> String {
    let Some(term) = option_term(name, text) else { return text.to_string() };
    match (name, &term) {
        ("bloom_filter_fp_chance" | "crc_check_chance", Term::Constant(c)) => {
            constant_text(c).parse::<f64>().map_or_else(|_| text.to_string(), java_double)
        }
        (
            "allow_auto_snapshot"
            | "cdc"
            | "incremental_backups"
            | "default_time_to_live"
            | "gc_grace_seconds"
            | "max_index_interval"
            | "memtable_flush_period_in_ms"
            | "min_index_interval",
            Term::Constant(c),
        ) => constant_text(c).to_ascii_lowercase(),
        ("extensions", Term::Map(pairs)) => {
            // Extension values are blobs, written bare.
            let mut pairs: Vec<(String, String)> =
                pairs.iter().map(|(k, v)| (term_text(k), v.to_string())).collect();
            pairs.sort();
            let items: Vec<String> =
                pairs.iter().map(|(k, v)| format!("{}: {v}", single_quoted(k))).collect();
            format!("{{{}}}", items.join(", "))
        }
        (_, Term::Map(pairs)) => {
            let map: BTreeMap<String, String> =
                pairs.iter().map(|(k, v)| (term_text(k), term_text(v))).collect();
            quoted_map(&map)
        }
        (_, Term::Constant(c)) => single_quoted(&constant_text(c)),
        _ => text.to_string(),
    }
}

fn term_text(t: &Term) -> String {
    match t {
        Term::Constant(c) => constant_text(c),
        other => other.to_string(),
    }
}

/// Formats a double as Java's `Double.toString` does: plain between 10^-3 and 10^7,
/// scientific (`1.0E-4`) outside, always with a fractional digit.
pub(crate) fn java_double(d: f64) -> String {
    if !d.is_finite() {
        return if d.is_nan() {
            "NaN".into()
        } else if d > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    let magnitude = d.abs();
    if d == 0.0 || (1e-3..1e7).contains(&magnitude) {
        let s = format!("{d}");
        return if s.contains('.') { s } else { format!("{s}.0") };
    }
    let s = format!("{d:e}");
    let (mantissa, exponent) = s.split_once('e').unwrap_or((&s, "0"));
    let mantissa =
        if mantissa.contains('.') { mantissa.to_string() } else { format!("{mantissa}.0") };
    format!("{mantissa}E{exponent}")
}

#[cfg(test)]
mod tests;
