//! Schema statements: keyspaces, tables, types and indexes.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Ctx, Engine};
use crate::ast::{
    AlterTableAction, AlterTypeAction, CreateTable, IndexKind, Order, Property, QualifiedName,
    Statement, Term, TypeSyntax, constant_cql,
};
use crate::schema::{
    Column, ColumnKind, DroppedColumn, Index, Keyspace, SYSTEM_KEYSPACES, Table, duration_holder,
    is_multi_cell, references_duration, refers_to_udt, resolve_type, serialization_compatible,
    written_resolved,
};
use crate::storage::{Cell, TableData};
use crate::types::{Constant, CqlType, NativeType, UdtType, Value, maybe_quote};
use crate::{Error, Outcome, SchemaChange, SchemaChangeKind, SchemaTarget};

/// Table options Cassandra accepts, with the defaults `system_schema.tables` shows.
pub(crate) const TABLE_OPTION_DEFAULTS: &[(&str, &str)] = &[
    ("additional_write_policy", "'99p'"),
    ("allow_auto_snapshot", "true"),
    ("bloom_filter_fp_chance", "0.01"),
    ("caching", "{'keys': 'ALL', 'rows_per_partition': 'NONE'}"),
    ("cdc", "false"),
    ("comment", "''"),
    (
        "compaction",
        "{'class': 'org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy', 'max_threshold': '32', 'min_threshold': '4'}",
    ),
    (
        "compression",
        "{'chunk_length_in_kb': '16', 'class': 'org.apache.cassandra.io.compress.LZ4Compressor'}",
    ),
    ("crc_check_chance", "1.0"),
    ("default_time_to_live", "0"),
    ("extensions", "{}"),
    ("gc_grace_seconds", "864000"),
    ("incremental_backups", "true"),
    ("max_index_interval", "2048"),
    ("memtable", "'default'"),
    ("memtable_flush_period_in_ms", "0"),
    ("min_index_interval", "128"),
    ("read_repair", "'BLOCKING'"),
    ("speculative_retry", "'99p'"),
];

fn change(kind: SchemaChangeKind, target: SchemaTarget, ks: &str, name: Option<&str>) -> Outcome {
    Outcome::SchemaChange(SchemaChange {
        change: kind,
        target,
        keyspace: ks.to_string(),
        name: name.map(str::to_string),
    })
}

/// A non-frozen user type column holds each field in a cell of its own, which cannot
/// itself be a non-frozen collection.
fn check_udt_fields(ty: &CqlType) -> Result<(), Error> {
    match ty {
        CqlType::Udt(u) if u.fields.iter().any(|(_, f)| is_multi_cell(f)) => Err(Error::invalid(
            "Non-frozen UDTs with nested non-frozen collections are not supported",
        )),
        _ => Ok(()),
    }
}

fn multiple_primary_keys(written: &str) -> Error {
    Error::invalid(format!(
        "Multiple PRIMARY KEY specified for table '{written}' (exactly one required)"
    ))
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 48
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn term_as_string(t: &Term) -> Option<String> {
    match t {
        Term::Constant(Constant::String(s)) => Some(s.clone()),
        Term::Constant(c) => Some(constant_cql(c)),
        _ => None,
    }
}

/// The `WITH OPTIONS = {...}` of `CREATE INDEX`, checked as Cassandra's index
/// attributes are.
fn index_options(custom: bool, props: &[Property]) -> Result<BTreeMap<String, String>, Error> {
    let mut out = BTreeMap::new();
    for p in props {
        if p.name.0 != "options" {
            return Err(Error::syntax(format!("Unknown property '{}'", p.name.0)));
        }
        let Term::Map(pairs) = &p.value else {
            return Err(Error::syntax("Invalid value for property 'options'. It should be a map."));
        };
        for (k, v) in pairs {
            let (Some(k), Some(v)) = (term_as_string(k), term_as_string(v)) else {
                return Err(Error::syntax("Invalid value for property 'options'"));
            };
            out.insert(k, v);
        }
    }
    if !custom && !out.is_empty() {
        return Err(Error::invalid("Cannot specify options for a non-CUSTOM index"));
    }
    for reserved in ["class_name", "target"] {
        if out.contains_key(reserved) {
            return Err(Error::invalid(format!("Cannot specify {reserved} as a CUSTOM option")));
        }
    }
    Ok(out)
}

/// The data centers `NetworkTopologyStrategy` knows: the one `system.local` names.
const DATA_CENTERS: &[&str] = &["datacenter1"];

/// What `default_keyspace_rf` is in `cassandra.yaml` as it ships.
const DEFAULT_KEYSPACE_RF: &str = "1";

fn replication_of(
    value: &Term,
    previous: Option<&BTreeMap<String, String>>,
) -> Result<BTreeMap<String, String>, Error> {
    let Term::Map(pairs) = value else {
        return Err(Error::syntax("Invalid value for property 'replication'. It should be a map."));
    };
    let mut out = BTreeMap::new();
    for (k, v) in pairs {
        let (Some(k), Some(v)) = (term_as_string(k), term_as_string(v)) else {
            return Err(Error::syntax("Invalid value for property 'replication'"));
        };
        out.insert(k, v);
    }
    let class = out
        .get("class")
        .cloned()
        .ok_or_else(|| Error::invalid("Missing mandatory replication strategy class"))?;
    let full = match class.rsplit('.').next().unwrap_or("") {
        "SimpleStrategy" => "org.apache.cassandra.locator.SimpleStrategy",
        "NetworkTopologyStrategy" => "org.apache.cassandra.locator.NetworkTopologyStrategy",
        "LocalStrategy" | "EverywhereStrategy" => {
            return Err(Error::invalid(format!(
                "Unable to use given strategy class: {class} is reserved for internal use."
            )));
        }
        _ => {
            return Err(Error::Syntax(format!(
                "Unable to find replication strategy class 'org.apache.cassandra.locator.{class}'"
            )));
        }
    };
    // Filled in from the keyspace's previous options and the defaults, as Cassandra's
    // strategies prepare their options.
    let mut previous: BTreeMap<String, String> = previous.cloned().unwrap_or_default();
    previous.remove("class");
    out.remove("class");
    let previous_rf = previous.get("replication_factor").cloned();
    if full.ends_with("SimpleStrategy") {
        out.entry("replication_factor".into())
            .or_insert_with(|| previous_rf.unwrap_or_else(|| DEFAULT_KEYSPACE_RF.into()));
    } else {
        if out.is_empty() {
            out.insert(
                "replication_factor".into(),
                previous_rf.clone().unwrap_or_else(|| DEFAULT_KEYSPACE_RF.into()),
            );
        }
        let mut rf = out.remove("replication_factor");
        if rf.is_none() && out.is_empty() {
            rf = previous_rf;
        } else if rf.is_some() {
            // Auto-expansion leaves the data centers the keyspace already had alone.
            for (dc, n) in previous.iter().filter(|(k, _)| *k != "replication_factor") {
                out.entry(dc.clone()).or_insert_with(|| n.clone());
            }
        }
        if let Some(rf) = rf {
            for dc in DATA_CENTERS {
                out.entry((*dc).to_string()).or_insert_with(|| rf.clone());
            }
        }
        out.retain(|_, n| n != "0");
    }
    out.insert("class".into(), full.into());
    if full.ends_with("SimpleStrategy") {
        match out.get("replication_factor") {
            None => {}
            Some(rf) if rf.parse::<u32>().is_err() => {
                return Err(Error::Syntax(format!(
                    "Replication factor must be non-negative integer; found: {rf}"
                )));
            }
            _ => {}
        }
        for k in out.keys() {
            if k != "class" && k != "replication_factor" {
                return Err(Error::Syntax(format!(
                    "Unrecognized strategy option {{{k}}} passed to SimpleStrategy for keyspace"
                )));
            }
        }
    }
    Ok(out)
}

fn bool_prop(p: &Property) -> Result<bool, Error> {
    match &p.value {
        Term::Constant(Constant::Boolean(b)) => Ok(*b),
        Term::Constant(Constant::String(s)) if s.eq_ignore_ascii_case("true") => Ok(true),
        Term::Constant(Constant::String(s)) if s.eq_ignore_ascii_case("false") => Ok(false),
        _ => Err(Error::Syntax(format!("Invalid boolean value for property '{}'", p.name.0))),
    }
}

impl Engine {
    pub(super) fn ddl(&mut self, stmt: &Statement, ctx: &Ctx) -> Result<Outcome, Error> {
        // Dropping or truncating frees data: recount usage on the next write.
        self.usage = None;
        match stmt {
            Statement::CreateKeyspace { if_not_exists, name, options } => {
                let ks = &name.0;
                if !valid_name(ks) {
                    return Err(Error::invalid(format!(
                        "Keyspace name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got \"{ks}\")"
                    )));
                }
                let (replication, durable) = keyspace_options(options, None)?;
                let Some(replication) = replication else {
                    return Err(Error::invalid("Missing mandatory option 'replication'"));
                };
                if self.keyspaces.contains_key(ks) || SYSTEM_KEYSPACES.contains(&ks.as_str()) {
                    if *if_not_exists {
                        return Ok(Outcome::Void);
                    }
                    return Err(Error::AlreadyExists {
                        message: format!("Cannot add existing keyspace \"{ks}\""),
                        keyspace: ks.clone(),
                        table: String::new(),
                    });
                }
                self.keyspaces.insert(
                    ks.clone(),
                    Keyspace {
                        name: ks.clone(),
                        replication,
                        durable_writes: durable.unwrap_or(true),
                        tables: BTreeMap::new(),
                        types: BTreeMap::new(),
                    },
                );
                Ok(change(SchemaChangeKind::Created, SchemaTarget::Keyspace, ks, None))
            }
            Statement::AlterKeyspace { if_exists, name, options } => {
                let ks = &name.0;
                if SYSTEM_KEYSPACES.contains(&ks.as_str()) {
                    return Err(Error::Unauthorized(format!("Cannot ALTER <keyspace {ks}>")));
                }
                let Some(keyspace) = self.keyspaces.get_mut(ks) else {
                    if *if_exists {
                        return Ok(Outcome::Void);
                    }
                    return Err(Error::invalid(format!("Keyspace '{ks}' doesn't exist")));
                };
                let (replication, durable) = keyspace_options(options, Some(keyspace))?;
                if let Some(r) = replication {
                    keyspace.replication = r;
                }
                if let Some(d) = durable {
                    keyspace.durable_writes = d;
                }
                Ok(change(SchemaChangeKind::Updated, SchemaTarget::Keyspace, ks, None))
            }
            Statement::DropKeyspace { if_exists, name } => {
                let ks = &name.0;
                if SYSTEM_KEYSPACES.contains(&ks.as_str()) {
                    return Err(Error::Unauthorized(format!("Cannot DROP <keyspace {ks}>")));
                }
                if self.keyspaces.remove(ks).is_none() {
                    if *if_exists {
                        return Ok(Outcome::Void);
                    }
                    return Err(Error::invalid(format!("Keyspace '{ks}' doesn't exist")));
                }
                Ok(change(SchemaChangeKind::Dropped, SchemaTarget::Keyspace, ks, None))
            }
            Statement::CreateTable(ct) => self.create_table(ct, ctx),
            Statement::AlterTable { if_exists, name, action } => {
                self.alter_table(*if_exists, name, action, ctx)
            }
            Statement::DropTable { if_exists, name } => {
                let ks_name = self.keyspace_of(name, ctx)?;
                // A missing keyspace reads as a missing table, as in Cassandra.
                let dropped = if self.keyspaces.contains_key(&ks_name)
                    || SYSTEM_KEYSPACES.contains(&ks_name.as_str())
                {
                    self.existing_keyspace_mut(&ks_name)?.tables.remove(&name.name.0)
                } else {
                    None
                };
                if dropped.is_none() {
                    if *if_exists {
                        return Ok(Outcome::Void);
                    }
                    return Err(Error::invalid(format!(
                        "Table '{}.{}' doesn't exist",
                        ks_name, name.name.0
                    )));
                }
                Ok(change(
                    SchemaChangeKind::Dropped,
                    SchemaTarget::Table,
                    &ks_name,
                    Some(&name.name.0),
                ))
            }
            Statement::Truncate(name) => {
                let ks = self.keyspace_of(name, ctx)?;
                if SYSTEM_KEYSPACES.contains(&ks.as_str()) {
                    return Err(Error::Unauthorized(format!(
                        "{ks} keyspace is not user-modifiable."
                    )));
                }
                let table = self.table_mut(name, ctx)?;
                table.data = TableData::default();
                Ok(Outcome::Void)
            }
            Statement::CreateType { if_not_exists, name, fields } => {
                let ks_name = self.keyspace_of(name, ctx)?;
                let ks = self.existing_keyspace_mut(&ks_name)?;
                let tname = &name.name.0;
                if ks.types.contains_key(tname) {
                    if *if_not_exists {
                        return Ok(Outcome::Void);
                    }
                    return Err(Error::AlreadyExists {
                        message: format!("A user type with name '{tname}' already exists"),
                        keyspace: ks_name.clone(),
                        table: tname.clone(),
                    });
                }
                if NativeType::from_name(tname).is_some() {
                    return Err(Error::invalid(format!("Type name '{tname}' is reserved")));
                }
                let mut resolved = Vec::new();
                for (f, t) in fields {
                    if resolved.iter().any(|(n, _): &(String, CqlType)| n == &f.0) {
                        return Err(Error::invalid(format!(
                            "Duplicate field name '{}' in type '{}'",
                            f.0, tname
                        )));
                    }
                    let ty = resolve_type(t, ks)?;
                    if ty.native() == Some(NativeType::Counter) {
                        return Err(Error::invalid("A user type cannot contain counters"));
                    }
                    if matches!(ty, CqlType::Udt(_)) {
                        return Err(Error::invalid("A user type cannot contain non-frozen UDTs"));
                    }
                    // A collection field stays as declared (shown so in the schema): a
                    // frozen use of the type freezes it, and a non-frozen use is refused.
                    resolved.push((f.0.clone(), ty));
                }
                ks.types.insert(
                    tname.clone(),
                    UdtType { keyspace: ks_name.clone(), name: tname.clone(), fields: resolved },
                );
                Ok(change(SchemaChangeKind::Created, SchemaTarget::Type, &ks_name, Some(tname)))
            }
            Statement::AlterType { if_exists, name, action } => {
                self.alter_type(*if_exists, name, action, ctx)
            }
            Statement::DropType { if_exists, name } => {
                let ks_name = self.keyspace_of(name, ctx)?;
                let tname = &name.name.0;
                // A missing keyspace reads as a missing type, as in Cassandra.
                let exists =
                    self.keyspaces.get(&ks_name).is_some_and(|k| k.types.contains_key(tname));
                if !exists && !SYSTEM_KEYSPACES.contains(&ks_name.as_str()) {
                    if *if_exists {
                        return Ok(Outcome::Void);
                    }
                    return Err(Error::invalid(format!(
                        "Type '{}.{}' doesn't exist",
                        ks_name, tname
                    )));
                }
                let ks = self.existing_keyspace_mut(&ks_name)?;
                if !ks.types.contains_key(tname) {
                    if *if_exists {
                        return Ok(Outcome::Void);
                    }
                    return Err(Error::invalid(format!("Type '{ks_name}.{tname}' doesn't exist")));
                }
                let types: Vec<&str> = ks
                    .types
                    .iter()
                    .filter(|(other, u)| {
                        *other != tname && u.fields.iter().any(|(_, t)| refers_to_udt(t, tname))
                    })
                    .map(|(other, _)| other.as_str())
                    .collect();
                if !types.is_empty() {
                    return Err(Error::invalid(format!(
                        "Cannot drop user type '{ks_name}.{tname}' as it is still used by user types {}",
                        types.join(", ")
                    )));
                }
                let tables: Vec<&str> = ks
                    .tables
                    .values()
                    .filter(|t| t.columns.iter().any(|c| refers_to_udt(&c.ty, tname)))
                    .map(|t| t.name.as_str())
                    .collect();
                if !tables.is_empty() {
                    return Err(Error::invalid(format!(
                        "Cannot drop user type '{ks_name}.{tname}' as it is still used by tables {}",
                        tables.join(", ")
                    )));
                }
                ks.types.remove(tname);
                Ok(change(SchemaChangeKind::Dropped, SchemaTarget::Type, &ks_name, Some(tname)))
            }
            Statement::CreateIndex { if_not_exists, name, table, target, custom, options } => {
                let options = index_options(custom.is_some(), options)?;
                // Cassandra 4.0+ ships with SASI switched off (`sasi_indexes_enabled`).
                if custom.as_deref() == Some("org.apache.cassandra.index.sasi.SASIIndex") {
                    return Err(Error::invalid(
                        "SASI indexes are disabled. Enable in cassandra.yaml to use.",
                    ));
                }
                self.create_index(
                    *if_not_exists,
                    name.as_ref().map(|n| n.0.as_str()),
                    table,
                    target.clone(),
                    (custom.clone(), options),
                    ctx,
                )
            }
            Statement::DropIndex { if_exists, name } => {
                let ks_name = self.keyspace_of(name, ctx)?;
                // Cassandra looks the index up before anything else: a missing keyspace,
                // system ones included (they hold no index), reads as a missing index.
                let mut found = None;
                for t in
                    self.keyspaces.get_mut(&ks_name).into_iter().flat_map(|k| k.tables.values_mut())
                {
                    if let Some(pos) = t.indexes.iter().position(|i| i.name == name.name.0) {
                        Arc::make_mut(&mut t.indexes).remove(pos);
                        found = Some(t.name.clone());
                    }
                }
                match found {
                    Some(t) => Ok(change(
                        SchemaChangeKind::Updated,
                        SchemaTarget::Table,
                        &ks_name,
                        Some(&t),
                    )),
                    None if *if_exists => Ok(Outcome::Void),
                    // The stray closing quote is Cassandra's.
                    None => Err(Error::invalid(format!(
                        "Index '{}.{}' doesn't exist'",
                        ks_name, name.name.0
                    ))),
                }
            }
            _ => Err(Error::invalid("not a schema statement")),
        }
    }

    fn existing_keyspace_mut(&mut self, ks: &str) -> Result<&mut Keyspace, Error> {
        if SYSTEM_KEYSPACES.contains(&ks) {
            return Err(Error::Unauthorized(format!("{ks} keyspace is not user-modifiable.")));
        }
        self.keyspaces
            .get_mut(ks)
            .ok_or_else(|| Error::invalid(format!("Keyspace '{ks}' doesn't exist")))
    }

    fn create_table(&mut self, ct: &CreateTable, ctx: &Ctx) -> Result<Outcome, Error> {
        // Checked while parsing and preparing, before the keyspace is looked up, with the
        // name as written.
        let written = match &ct.name.keyspace {
            Some(ks) => format!("{}.{}", ks.0, ct.name.name.0),
            None => ct.name.name.0.clone(),
        };
        let mut has_key = false;
        for (i, def) in ct.columns.iter().enumerate() {
            if ct.columns[..i].iter().any(|c| c.name == def.name) {
                return Err(Error::invalid(format!(
                    "Duplicate column '{}' declaration for table '{written}'",
                    def.name.0
                )));
            }
            if def.primary_key {
                if has_key {
                    return Err(multiple_primary_keys(&written));
                }
                has_key = true;
            }
        }
        if ct.primary_key.is_some() && has_key {
            return Err(multiple_primary_keys(&written));
        }
        for (i, (c, _)) in ct.clustering_order.iter().enumerate() {
            if ct.clustering_order[..i].iter().any(|(o, _)| o == c) {
                return Err(Error::invalid(format!(
                    "Duplicate column '{}' in CLUSTERING ORDER BY clause for table '{written}'",
                    c.0
                )));
            }
        }
        if ct.primary_key.is_none() && !has_key {
            return Err(Error::invalid(format!(
                "No PRIMARY KEY specifed for table '{written}' (exactly one required)"
            )));
        }
        let ks_name = self.keyspace_of(&ct.name, ctx)?;
        let id = self.rng.uuid_v4();
        let ks = self.existing_keyspace_mut(&ks_name)?;
        let tname = &ct.name.name.0;
        if ks.tables.contains_key(tname) {
            if ct.if_not_exists {
                return Ok(Outcome::Void);
            }
            return Err(Error::AlreadyExists {
                message: format!(
                    "Cannot add already existing table \"{tname}\" to keyspace \"{ks_name}\""
                ),
                keyspace: ks_name.clone(),
                table: tname.clone(),
            });
        }
        if !valid_name(tname) {
            return Err(Error::invalid(format!(
                "Table name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got \"{tname}\")"
            )));
        }
        let (pk, ck): (Vec<String>, Vec<String>) = match &ct.primary_key {
            Some((p, c)) => {
                (p.iter().map(|i| i.0.clone()).collect(), c.iter().map(|i| i.0.clone()).collect())
            }
            None => ct
                .columns
                .iter()
                .filter(|c| c.primary_key)
                .map(|c| (vec![c.name.0.clone()], Vec::new()))
                .next()
                .unwrap_or_default(),
        };
        // Types are prepared before the primary key is looked at.
        let mut types = Vec::with_capacity(ct.columns.len());
        for def in &ct.columns {
            types.push(resolve_type(&def.ty, ks)?);
        }
        types.iter().try_for_each(check_udt_fields)?;
        let mut seen: Vec<&String> = Vec::new();
        for name in pk.iter().chain(ck.iter()) {
            let Some(i) = ct.columns.iter().position(|c| &c.name.0 == name) else {
                return Err(Error::invalid(format!(
                    "Unknown column '{name}' referenced in PRIMARY KEY for table '{tname}'"
                )));
            };
            if seen.contains(&name) {
                return Err(Error::invalid(format!(
                    "Duplicate column '{name}' in PRIMARY KEY clause for table '{tname}'"
                )));
            }
            seen.push(name);
            let (def, ty) = (&ct.columns[i], &types[i]);
            if is_multi_cell(ty) {
                return Err(Error::invalid(match ty {
                    // Cassandra names the type by its qualified name, quoted for the dot.
                    CqlType::Udt(u) => format!(
                        "Invalid non-frozen user-defined type {} for PRIMARY KEY column '{name}'",
                        maybe_quote(&format!("{}.{}", u.keyspace, u.name))
                    ),
                    _ => format!(
                        "Invalid non-frozen collection type {ty} for PRIMARY KEY column '{name}'"
                    ),
                }));
            }
            if ty.native() == Some(NativeType::Counter) {
                return Err(Error::invalid(format!(
                    "counter type is not supported for PRIMARY KEY column '{name}'"
                )));
            }
            if references_duration(ty) {
                return Err(Error::invalid(format!(
                    "duration type is not supported for PRIMARY KEY column '{name}'"
                )));
            }
            if def.is_static {
                return Err(Error::invalid(format!(
                    "Static column '{name}' cannot be part of the PRIMARY KEY"
                )));
            }
        }
        let columns: Vec<Column> = ct
            .columns
            .iter()
            .zip(types)
            .map(|(def, ty)| {
                let kind = if let Some(i) = pk.iter().position(|p| p == &def.name.0) {
                    ColumnKind::PartitionKey(i)
                } else if let Some(i) = ck.iter().position(|p| p == &def.name.0) {
                    ColumnKind::Clustering(i)
                } else if def.is_static {
                    ColumnKind::Static
                } else {
                    ColumnKind::Regular
                };
                Column { name: def.name.0.clone(), ty, kind }
            })
            .collect();
        // Clustering order must name the clustering columns, in order.
        let outside: Vec<&str> = ct
            .clustering_order
            .iter()
            .map(|(c, _)| c.0.as_str())
            .filter(|c| !ck.iter().any(|k| k == c))
            .collect();
        if !outside.is_empty() {
            return Err(Error::invalid(format!(
                "Only clustering key columns can be defined in CLUSTERING ORDER directive: [{}] are not clustering columns",
                outside.join(", ")
            )));
        }
        for ((id, _), c) in ct.clustering_order.iter().zip(&ck) {
            if &id.0 != c {
                return Err(Error::invalid(
                    if ct.clustering_order.iter().any(|(o, _)| &o.0 == c) {
                        format!(
                            "The order of columns in the CLUSTERING ORDER directive must match that of the clustering columns ({c} must appear before {})",
                            id.0
                        )
                    } else {
                        format!("Missing CLUSTERING ORDER for column {c}")
                    },
                ));
            }
        }
        let mut clustering: Vec<(String, Order)> =
            ck.iter().map(|c| (c.clone(), Order::Asc)).collect();
        for ((_, o), (_, slot)) in ct.clustering_order.iter().zip(clustering.iter_mut()) {
            *slot = *o;
        }
        if ck.is_empty() && columns.iter().any(|c| c.kind == ColumnKind::Static) {
            return Err(Error::invalid(
                "Static columns are only useful (and thus allowed) if the table has at least one clustering column",
            ));
        }
        let counters = columns
            .iter()
            .filter(|c| !c.kind.is_primary_key())
            .filter(|c| c.ty.native() == Some(NativeType::Counter))
            .count();
        let regular = columns.iter().filter(|c| !c.kind.is_primary_key()).count();
        if counters > 0 && counters != regular {
            return Err(Error::invalid(
                "Cannot mix counter and non counter columns in the same table",
            ));
        }
        if ct.compact_storage {
            return Err(Error::invalid(
                "COMPACT STORAGE tables are not supported starting with version 4.0",
            ));
        }
        let mut table = Table {
            keyspace: ks_name.clone(),
            name: tname.clone(),
            id,
            columns: Arc::new(columns),
            partition_key: Arc::new(pk),
            clustering: Arc::new(clustering),
            options: Arc::default(),
            default_ttl: 0,
            indexes: Arc::default(),
            dropped: Arc::default(),
            ck_types: Arc::default(),
            data: TableData::default(),
        };
        table.refresh_clustering_types();
        apply_table_options(&mut table, &ct.options, counters > 0, true)?;
        ks.tables.insert(tname.clone(), table);
        Ok(change(SchemaChangeKind::Created, SchemaTarget::Table, &ks_name, Some(tname)))
    }

    fn alter_table(
        &mut self,
        if_exists: bool,
        name: &QualifiedName,
        action: &AlterTableAction,
        ctx: &Ctx,
    ) -> Result<Outcome, Error> {
        let ks_name = self.keyspace_of(name, ctx)?;
        // A missing keyspace reads as a missing table here, as in Cassandra.
        if !SYSTEM_KEYSPACES.contains(&ks_name.as_str()) && !self.keyspaces.contains_key(&ks_name) {
            if if_exists {
                return Ok(Outcome::Void);
            }
            return Err(Error::invalid(format!(
                "Table '{}.{}' doesn't exist",
                ks_name, name.name.0
            )));
        }
        let ks = self.existing_keyspace_mut(&ks_name)?;
        let types_ks = Keyspace { tables: BTreeMap::new(), ..ks.clone_shallow() };
        let Some(table) = ks.tables.get_mut(&name.name.0) else {
            if if_exists {
                return Ok(Outcome::Void);
            }
            return Err(Error::invalid(format!(
                "Table '{}.{}' doesn't exist",
                ks_name, name.name.0
            )));
        };
        match action {
            AlterTableAction::Add(if_not_exists, defs) => {
                let counter = table.is_counter();
                for def in defs {
                    if table.column(&def.name.0).is_some() {
                        if *if_not_exists {
                            continue;
                        }
                        return Err(Error::invalid(format!(
                            "Column with name '{}' already exists",
                            def.name.0
                        )));
                    }
                    let ty = resolve_type(&def.ty, &types_ks)?;
                    check_udt_fields(&ty)?;
                    if def.is_static && table.clustering.is_empty() {
                        return Err(Error::invalid(
                            "Static columns are only useful (and thus allowed) if the table has at least one clustering column",
                        ));
                    }
                    if let Some(old) = table.dropped.get(&def.name.0) {
                        if !serialization_compatible(&ty, &old.ty) {
                            return Err(Error::invalid(format!(
                                "Cannot re-add previously dropped column '{}' of type {ty}, incompatible with previous type {}",
                                def.name.0, old.ty
                            )));
                        }
                        if old.is_static != def.is_static {
                            let kind = |s: bool| if s { "STATIC" } else { "REGULAR" };
                            return Err(Error::invalid(format!(
                                "Cannot re-add previously dropped column '{}' of kind {}, incompatible with previous kind {}",
                                def.name.0,
                                kind(def.is_static),
                                kind(old.is_static)
                            )));
                        }
                        if counter {
                            return Err(Error::invalid(format!(
                                "Cannot re-add previously dropped counter column {}",
                                def.name.0
                            )));
                        }
                    }
                    let is_counter = ty.native() == Some(NativeType::Counter);
                    if is_counter && !counter {
                        return Err(Error::invalid(format!(
                            "Cannot add a counter column ({}) in a non counter column family",
                            def.name.0
                        )));
                    }
                    if !is_counter && counter {
                        return Err(Error::invalid(format!(
                            "Cannot add a non counter column ({}) in a counter column family",
                            def.name.0
                        )));
                    }
                    let kind = if def.is_static { ColumnKind::Static } else { ColumnKind::Regular };
                    Arc::make_mut(&mut table.columns).push(Column {
                        name: def.name.0.clone(),
                        ty,
                        kind,
                    });
                }
            }
            AlterTableAction::Drop(if_exists_col, cols, ts) => {
                let dropped_at = ts.unwrap_or(ctx.now_us);
                for c in cols {
                    let Some(col) = table.column(&c.0) else {
                        if *if_exists_col {
                            continue;
                        }
                        return Err(Error::invalid(format!(
                            "Column {} was not found in table '{}.{}'",
                            maybe_quote(&c.0),
                            maybe_quote(&table.keyspace),
                            maybe_quote(&table.name)
                        )));
                    };
                    if col.kind.is_primary_key() {
                        return Err(Error::invalid(format!(
                            "Cannot drop PRIMARY KEY column {}",
                            maybe_quote(&c.0)
                        )));
                    }
                    if matches!(col.ty, CqlType::Udt(_)) {
                        return Err(Error::invalid(format!(
                            "Cannot drop non-frozen column {} of user type {}",
                            maybe_quote(&c.0),
                            col.ty
                        )));
                    }
                    let deps: Vec<&str> = table
                        .indexes
                        .iter()
                        .filter(|i| i.column == c.0)
                        .map(|i| i.name.as_str())
                        .collect();
                    if !deps.is_empty() {
                        return Err(Error::invalid(format!(
                            "Cannot drop column {} because it has dependent secondary indexes ({})",
                            maybe_quote(&c.0),
                            deps.join(", ")
                        )));
                    }
                    let dropped = DroppedColumn {
                        ty: col.ty.clone(),
                        is_static: col.kind == ColumnKind::Static,
                        dropped_at,
                    };
                    Arc::make_mut(&mut table.columns).retain(|col| col.name != c.0);
                    Arc::make_mut(&mut table.dropped).insert(c.0.clone(), dropped);
                    // The cells written up to the drop go with the column; later ones (a
                    // drop `USING TIMESTAMP` in the past) come back if it is re-added.
                    let gone = |cell: Option<&Cell>| cell.is_some_and(|cell| cell.ts <= dropped_at);
                    for p in table.data.values_mut() {
                        if gone(p.static_row.cells.get(&c.0)) {
                            p.static_row.cells.remove(&c.0);
                        }
                        for r in p.rows_mut() {
                            if gone(r.cells.get(&c.0)) {
                                r.cells.remove(&c.0);
                            }
                        }
                    }
                }
            }
            AlterTableAction::Rename(if_exists_col, renames) => {
                for (from, to) in renames {
                    let Some(col) = table.column(&from.0) else {
                        if *if_exists_col {
                            continue;
                        }
                        return Err(table
                            .existing_column(&from.0)
                            .err()
                            .unwrap_or_else(|| Error::invalid("")));
                    };
                    if !col.kind.is_primary_key() {
                        return Err(Error::invalid(format!(
                            "Cannot rename non PRIMARY KEY column {}",
                            maybe_quote(&from.0)
                        )));
                    }
                    if table.column(&to.0).is_some() {
                        return Err(Error::invalid(format!(
                            "Cannot rename column {} to {} in table '{}.{}'; another column with that name already exists",
                            maybe_quote(&from.0),
                            maybe_quote(&to.0),
                            maybe_quote(&table.keyspace),
                            maybe_quote(&table.name)
                        )));
                    }
                    let deps: Vec<&str> = table
                        .indexes
                        .iter()
                        .filter(|i| i.column == from.0)
                        .map(|i| i.name.as_str())
                        .collect();
                    if !deps.is_empty() {
                        return Err(Error::invalid(format!(
                            "Cannot rename column {} because it has dependent secondary indexes ({})",
                            maybe_quote(&from.0),
                            deps.join(", ")
                        )));
                    }
                    for c in Arc::make_mut(&mut table.columns) {
                        if c.name == from.0 {
                            c.name = to.0.clone();
                        }
                    }
                    for p in Arc::make_mut(&mut table.partition_key) {
                        if *p == from.0 {
                            p.clone_from(&to.0);
                        }
                    }
                    for (c, _) in Arc::make_mut(&mut table.clustering) {
                        if *c == from.0 {
                            c.clone_from(&to.0);
                        }
                    }
                    for i in Arc::make_mut(&mut table.indexes) {
                        if i.column == from.0 {
                            i.column.clone_from(&to.0);
                        }
                    }
                }
            }
            AlterTableAction::AlterType(..) => {
                return Err(Error::invalid("Altering column types is no longer supported"));
            }
            AlterTableAction::With(props) => {
                let counter = table.is_counter();
                apply_table_options(table, props, counter, false)?;
            }
        }
        let tname = table.name.clone();
        Ok(change(SchemaChangeKind::Updated, SchemaTarget::Table, &ks_name, Some(&tname)))
    }

    fn alter_type(
        &mut self,
        if_exists: bool,
        name: &QualifiedName,
        action: &AlterTypeAction,
        ctx: &Ctx,
    ) -> Result<Outcome, Error> {
        let ks_name = self.keyspace_of(name, ctx)?;
        let ks = self.existing_keyspace_mut(&ks_name)?;
        let tname = name.name.0.clone();
        let types_ks = ks.clone_shallow();
        let cql_name = format!("{}.{}", maybe_quote(&ks_name), maybe_quote(&tname));
        // The tables whose partition key holds the type, which would change its tokens.
        let keyed_by: Vec<String> = ks
            .tables
            .values()
            .filter(|t| {
                t.columns.iter().any(|c| {
                    matches!(c.kind, ColumnKind::PartitionKey(_)) && refers_to_udt(&c.ty, &tname)
                })
            })
            .map(|t| format!("{}.{}", maybe_quote(&t.keyspace), maybe_quote(&t.name)))
            .collect();
        let Some(udt) = ks.types.get_mut(&tname) else {
            if if_exists {
                return Ok(Outcome::Void);
            }
            return Err(Error::invalid(format!("Type {ks_name}.{tname} doesn't exist")));
        };
        match action {
            AlterTypeAction::Add(if_not_exists, field, ty) => {
                if matches!(ty, TypeSyntax::Native(NativeType::Counter)) {
                    return Err(Error::invalid("A user type cannot contain counters"));
                }
                if matches!(ty, TypeSyntax::Udt(_)) {
                    return Err(Error::invalid("A user type cannot contain non-frozen UDTs"));
                }
                if udt.fields.iter().any(|(n, _)| n == &field.0) {
                    if *if_not_exists {
                        return Ok(Outcome::Void);
                    }
                    return Err(Error::invalid(format!(
                        "Cannot add field {} to type {cql_name}: a field with name {} already exists",
                        field.0, field.0
                    )));
                }
                let t = resolve_type(ty, &types_ks)?;
                if refers_to_udt(&t, &tname) {
                    return Err(Error::invalid(format!(
                        "Cannot add new field {} of type {} to user type {cql_name} as it would create a circular reference",
                        field.0,
                        written_resolved(ty, &ks_name)
                    )));
                }
                if !keyed_by.is_empty() {
                    return Err(Error::invalid(format!(
                        "Cannot add new field {} of type {} to user type {cql_name} as the type is being used in partition key by the following tables: {}",
                        field.0,
                        written_resolved(ty, &ks_name),
                        keyed_by.join(", ")
                    )));
                }
                udt.fields.push((field.0.clone(), t));
            }
            AlterTypeAction::Rename(if_exists_field, renames) => {
                // Every rename applies before names are checked, so two fields can swap.
                let mut fields = udt.fields.clone();
                for (from, to) in renames {
                    let Some(pos) = udt.fields.iter().position(|(n, _)| n == &from.0) else {
                        if *if_exists_field {
                            continue;
                        }
                        return Err(Error::invalid(format!(
                            "Unkown field {} in user type {cql_name}",
                            from.0
                        )));
                    };
                    if let Some(f) = fields.get_mut(pos) {
                        f.0.clone_from(&to.0);
                    }
                }
                for (i, (n, _)) in fields.iter().enumerate() {
                    if fields.iter().skip(i + 1).any(|(o, _)| o == n) {
                        // Cassandra's message names the keyspace where the type belongs.
                        return Err(Error::invalid(format!(
                            "Duplicate field name {n} in type {ks_name}"
                        )));
                    }
                }
                udt.fields = fields;
            }
            AlterTypeAction::AlterType(..) => {
                return Err(Error::invalid("Altering field types is no longer supported"));
            }
        }
        let new = udt.clone();
        // Stored values name their fields: a rename renames them in the cells written so
        // far, and a new field joins them as null, as a driver reads a shorter value
        // (keys keep what they were written with). The walk reads the old types.
        let renames: Vec<(String, String)> = match action {
            AlterTypeAction::Rename(_, renames) => {
                renames.iter().map(|(from, to)| (from.0.clone(), to.0.clone())).collect()
            }
            _ => Vec::new(),
        };
        let added = match action {
            AlterTypeAction::Add(_, field, _) => Some(field.0.clone()),
            _ => None,
        };
        let edit_fields = |fields: &mut Vec<(String, Option<Value>)>| {
            for (name, _) in fields.iter_mut() {
                if let Some((_, to)) = renames.iter().find(|(from, _)| from == name) {
                    name.clone_from(to);
                }
            }
            if let Some(a) = &added
                && !fields.iter().any(|(n, _)| n == a)
            {
                fields.push((a.clone(), None));
            }
        };
        if !renames.is_empty() || added.is_some() {
            for t in ks.tables.values_mut() {
                let columns: Vec<(String, CqlType)> = t
                    .columns
                    .iter()
                    .filter(|c| !c.kind.is_primary_key() && refers_to_udt(&c.ty, &tname))
                    .map(|c| (c.name.clone(), c.ty.clone()))
                    .collect();
                if columns.is_empty() {
                    continue;
                }
                let rename_cell = |name: &str, cell: &mut Cell| {
                    if let Some((_, ty)) = columns.iter().find(|(n, _)| n == name) {
                        if let Some(v) = &mut cell.value {
                            edit_udt_values(v, ty, &tname, &edit_fields);
                        }
                        if let Some(e) = &mut cell.elements {
                            for (tomb, _) in &mut e.tombstones {
                                rename_element(tomb, ty, &tname, &renames, &edit_fields);
                            }
                            // A non-frozen value keeps one entry per declared field.
                            if let CqlType::Udt(u) = ty
                                && u.name == tname
                                && added.is_some()
                            {
                                e.meta.push(None);
                            }
                        }
                    }
                    true
                };
                for p in t.data.values_mut() {
                    p.static_row.cells.retain(rename_cell);
                    for r in p.rows_mut() {
                        r.cells.retain(rename_cell);
                    }
                }
            }
        }
        // Columns and other types embed the definition: refresh every copy.
        for t in ks.tables.values_mut() {
            for c in Arc::make_mut(&mut t.columns) {
                replace_udt(&mut c.ty, &new);
            }
            t.refresh_clustering_types();
        }
        for u in ks.types.values_mut() {
            for (_, t) in &mut u.fields {
                replace_udt(t, &new);
            }
        }
        Ok(change(SchemaChangeKind::Updated, SchemaTarget::Type, &ks_name, Some(&tname)))
    }

    fn create_index(
        &mut self,
        if_not_exists: bool,
        name: Option<&str>,
        table_name: &QualifiedName,
        target: (IndexKind, crate::ast::Ident),
        (custom, options): (Option<String>, BTreeMap<String, String>),
        ctx: &Ctx,
    ) -> Result<Outcome, Error> {
        let ks_name = self.keyspace_of(table_name, ctx)?;
        let ks = self.existing_keyspace_mut(&ks_name)?;
        let all_index_names: Vec<String> =
            ks.tables.values().flat_map(|t| t.indexes.iter().map(|i| i.name.clone())).collect();
        let Some(table) = ks.tables.get_mut(&table_name.name.0) else {
            return Err(Error::invalid(format!(
                "Table '{}.{}' doesn't exist",
                ks_name, table_name.name.0
            )));
        };
        // Cassandra's order: a named index that exists, then a counter table, then the
        // target column.
        if let Some(name) = name
            && all_index_names.iter().any(|n| n == name)
        {
            if if_not_exists {
                return Ok(Outcome::Void);
            }
            return Err(Error::invalid(format!("Index '{name}' already exists")));
        }
        if table.columns.iter().any(|c| c.ty.native() == Some(NativeType::Counter)) {
            return Err(Error::invalid("Secondary indexes on counter tables aren't supported"));
        }
        let (kind, col_name) = target;
        let col = table.existing_column(&col_name.0)?.clone();
        if references_duration(&col.ty) {
            let what = duration_holder(&col.ty);
            return Err(Error::invalid(format!("Secondary indexes are not supported on {what}")));
        }
        if let ColumnKind::PartitionKey(_) = col.kind
            && table.partition_key.len() == 1
        {
            return Err(Error::invalid(format!(
                "Cannot create secondary index on the only partition key column {}",
                col.name
            )));
        }
        let frozen_collection = matches!(col.ty, CqlType::Frozen(_)) && col.ty.is_collection();
        let multi_cell_collection = col.ty.is_collection() && !frozen_collection;
        let target_name = |k: IndexKind| match k {
            IndexKind::Simple | IndexKind::Values => "values",
            IndexKind::Keys => "keys",
            IndexKind::Entries => "entries",
            IndexKind::Full => "full",
        };
        // The checks run in Cassandra's order, with its words.
        if frozen_collection && kind != IndexKind::Full {
            return Err(Error::invalid(format!(
                "Cannot create {}() index on frozen column {}. Frozen collections are immutable and must be fully indexed by using the 'full({})' modifier",
                target_name(kind),
                col.name,
                maybe_quote(&col.name)
            )));
        }
        if !frozen_collection && kind == IndexKind::Full {
            return Err(Error::invalid("full() indexes can only be created on frozen collections"));
        }
        if !col.ty.is_collection() && kind != IndexKind::Simple {
            return Err(Error::invalid(format!(
                "Cannot create {}() index on {}. Non-collection columns only support simple indexes",
                target_name(kind),
                col.name
            )));
        }
        if matches!(kind, IndexKind::Keys | IndexKind::Entries)
            && !(multi_cell_collection && matches!(col.ty, CqlType::Map(..)))
        {
            return Err(Error::invalid(format!(
                "Cannot create index on {} of column {} with non-map type",
                target_name(kind),
                col.name
            )));
        }
        if matches!(col.ty, CqlType::Udt(_)) {
            return Err(Error::invalid(format!(
                "Cannot create index on non-frozen UDT column {}",
                col.name
            )));
        }
        let kind = if kind == IndexKind::Simple && multi_cell_collection {
            IndexKind::Values
        } else {
            kind
        };
        // A nameless index takes the first free name of the keyspace: the default one,
        // then that name with `_1`, `_2`, ... appended.
        let index_name = match name {
            Some(n) => n.to_string(),
            None => {
                let base = format!("{}_{}_idx", table.name, col.name)
                    .replace(|c: char| !c.is_ascii_alphanumeric() && c != '_', "");
                let mut candidate = base.clone();
                let mut i = 1;
                while all_index_names.contains(&candidate) {
                    candidate = format!("{base}_{i}");
                    i += 1;
                }
                candidate
            }
        };
        // Cassandra compares everything but the name: target, class and options.
        if let Some(existing) = table.indexes.iter().find(|i| {
            i.column == col.name && i.kind == kind && i.custom == custom && i.options == options
        }) {
            if if_not_exists {
                return Ok(Outcome::Void);
            }
            return Err(Error::invalid(format!(
                "Index {} is a duplicate of existing index {}",
                index_name, existing.name
            )));
        }
        Arc::make_mut(&mut table.indexes).push(Index {
            name: index_name,
            column: col.name.clone(),
            kind,
            custom,
            options,
        });
        let tname = table.name.clone();
        Ok(change(SchemaChangeKind::Updated, SchemaTarget::Table, &ks_name, Some(&tname)))
    }
}

impl Keyspace {
    /// The keyspace without its tables (enough to resolve types).
    fn clone_shallow(&self) -> Keyspace {
        Keyspace {
            name: self.name.clone(),
            replication: self.replication.clone(),
            durable_writes: self.durable_writes,
            tables: BTreeMap::new(),
            types: self.types.clone(),
        }
    }
}

/// A change to the fields of a user type value, applied in place.
type FieldEdit<'a> = dyn Fn(&mut Vec<(String, Option<Value>)>) + 'a;

/// Applies `edit` to the fields of every value of the user type `udt` inside `v`, a
/// value of type `ty`.
fn edit_udt_values(v: &mut Value, ty: &CqlType, udt: &str, edit: &FieldEdit<'_>) {
    match (ty.unfrozen(), v) {
        (
            CqlType::List(t) | CqlType::Set(t) | CqlType::Vector(t, _),
            Value::List(items) | Value::Set(items) | Value::Vector(items),
        ) => {
            for item in items {
                edit_udt_values(item, t, udt, edit);
            }
        }
        (CqlType::Map(kt, vt), Value::Map(entries)) => {
            for (k, val) in entries {
                edit_udt_values(k, kt, udt, edit);
                edit_udt_values(val, vt, udt, edit);
            }
        }
        (CqlType::Tuple(types), Value::Tuple(items)) => {
            for (t, item) in types.iter().zip(items) {
                if let Some(item) = item {
                    edit_udt_values(item, t, udt, edit);
                }
            }
        }
        (CqlType::Udt(u), Value::Udt(fields)) => {
            for (name, value) in fields.iter_mut() {
                if let (Some(value), Some((_, t))) =
                    (value.as_mut(), u.fields.iter().find(|(n, _)| n == name))
                {
                    edit_udt_values(value, t, udt, edit);
                }
            }
            if u.name == udt {
                edit(fields);
            }
        }
        _ => {}
    }
}

/// Renames inside an element tombstone of a multi-cell column of type `ty`: a set
/// element or map key, or the name of a field of the column's own user type.
fn rename_element(
    tomb: &mut Value,
    ty: &CqlType,
    udt: &str,
    renames: &[(String, String)],
    edit: &FieldEdit<'_>,
) {
    match ty {
        CqlType::Set(t) | CqlType::Map(t, _) => edit_udt_values(tomb, t, udt, edit),
        CqlType::Udt(u) if u.name == udt => {
            if let Value::Text(name) = tomb
                && let Some((_, to)) = renames.iter().find(|(from, _)| name.as_str() == from)
            {
                *name = to.as_str().into();
            }
        }
        _ => {}
    }
}

fn replace_udt(t: &mut CqlType, new: &UdtType) {
    match t {
        CqlType::Native(_) => {}
        CqlType::List(i) | CqlType::Set(i) | CqlType::Frozen(i) | CqlType::Vector(i, _) => {
            replace_udt(i, new);
        }
        CqlType::Map(k, v) => {
            replace_udt(k, new);
            replace_udt(v, new);
        }
        CqlType::Tuple(ts) => ts.iter_mut().for_each(|t| replace_udt(t, new)),
        CqlType::Udt(u) => {
            if u.name == new.name && u.keyspace == new.keyspace {
                *u = new.clone();
            } else {
                u.fields.iter_mut().for_each(|(_, t)| replace_udt(t, new));
            }
        }
    }
}

type KeyspaceOptions = (Option<BTreeMap<String, String>>, Option<bool>);

fn keyspace_options(
    props: &[Property],
    existing: Option<&Keyspace>,
) -> Result<KeyspaceOptions, Error> {
    let mut replication = None;
    let mut durable = None;
    for p in props {
        match p.name.0.as_str() {
            "replication" => {
                replication = Some(replication_of(&p.value, existing.map(|k| &k.replication))?);
            }
            "durable_writes" => durable = Some(bool_prop(p)?),
            other => return Err(Error::Syntax(format!("Unknown property '{other}'"))),
        }
    }
    Ok((replication, durable))
}

fn apply_table_options(
    table: &mut Table,
    props: &[Property],
    counter: bool,
    creating: bool,
) -> Result<(), Error> {
    for p in props {
        let name = p.name.0.as_str();
        // A table may be created with the id of one dropped before (to restore its
        // data, in Cassandra); the id is not an option and never changes afterwards.
        if name == "id" {
            if !creating {
                return Err(Error::invalid("Cannot alter table id."));
            }
            let text = match &p.value {
                Term::Constant(Constant::Uuid(s) | Constant::String(s)) => Some(s.as_str()),
                _ => None,
            };
            table.id = text
                .and_then(crate::types::Uuid::parse)
                .ok_or_else(|| Error::invalid("Invalid table id"))?;
            continue;
        }
        if !TABLE_OPTION_DEFAULTS.iter().any(|(n, _)| *n == name) {
            return Err(Error::Syntax(format!("Unknown property '{name}'")));
        }
        if name == "default_time_to_live" {
            let ttl = match &p.value {
                Term::Constant(Constant::Integer(s)) => s.parse::<i64>().ok(),
                _ => None,
            };
            let Some(ttl) = ttl else {
                return Err(Error::syntax("Invalid value for property 'default_time_to_live'"));
            };
            if ttl < 0 {
                return Err(Error::invalid(format!(
                    "default_time_to_live must be greater than or equal to 0 (got {ttl})"
                )));
            }
            if ttl > 630_720_000 {
                return Err(Error::invalid(format!(
                    "default_time_to_live must be less than or equal to 630720000 (got {ttl})"
                )));
            }
            if counter && ttl > 0 {
                return Err(Error::invalid(
                    "Cannot set default_time_to_live on a table with counters",
                ));
            }
            table.default_ttl = i32::try_from(ttl).unwrap_or(0);
        }
        let text = match name {
            "compaction" | "compression" => normalized_map_option(name, &p.value)
                .map_or_else(|| p.value.to_string(), |m| map_cql(&m)),
            _ => p.value.to_string(),
        };
        Arc::make_mut(&mut table.options).insert(name.to_string(), text);
    }
    Ok(())
}

/// `compaction` and `compression` as Cassandra stores them: the class under its full
/// name and the sub-options it fills in.
fn normalized_map_option(name: &str, value: &Term) -> Option<BTreeMap<String, String>> {
    let Term::Map(pairs) = value else { return None };
    let mut m = BTreeMap::new();
    for (k, v) in pairs {
        m.insert(term_as_string(k)?, term_as_string(v)?);
    }
    let full = |class: String, package: &str| {
        if class.contains('.') { class } else { format!("{package}.{class}") }
    };
    if name == "compaction" {
        let class = m.remove("class")?;
        m.insert("class".into(), full(class, "org.apache.cassandra.db.compaction"));
        m.entry("max_threshold".into()).or_insert_with(|| "32".into());
        m.entry("min_threshold".into()).or_insert_with(|| "4".into());
        return Some(m);
    }
    if m.remove("enabled").is_some_and(|e| e.eq_ignore_ascii_case("false")) {
        return Some(BTreeMap::from([("enabled".into(), "false".into())]));
    }
    if m.get("sstable_compression").is_some_and(String::is_empty) && !m.contains_key("class") {
        // The old way of switching compression off.
        return Some(BTreeMap::from([("enabled".into(), "false".into())]));
    }
    let class = m.remove("class").or_else(|| m.remove("sstable_compression"))?;
    m.insert("class".into(), full(class, "org.apache.cassandra.io.compress"));
    let chunk = m.remove("chunk_length_kb");
    m.entry("chunk_length_in_kb".into()).or_insert_with(|| chunk.unwrap_or_else(|| "16".into()));
    // Shown as Java prints the double it parses, and not at all when 0, the default.
    if let Some(ratio) = m.remove("min_compress_ratio") {
        let shown = match ratio.parse::<f64>() {
            Ok(r) if r.fract() == 0.0 && r.abs() < 1e7 => format!("{r:.1}"),
            Ok(r) => r.to_string(),
            Err(_) => ratio,
        };
        if shown != "0.0" {
            m.insert("min_compress_ratio".into(), shown);
        }
    }
    Some(m)
}

fn map_cql(m: &BTreeMap<String, String>) -> String {
    let pairs: Vec<String> = m
        .iter()
        .map(|(k, v)| format!("{}: {}", crate::ast::quote_str(k), crate::ast::quote_str(v)))
        .collect();
    format!("{{{}}}", pairs.join(", "))
}
