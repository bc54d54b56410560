//! The system tables: `system.local` and the `system_schema` tables, built from the
//! catalogue each time they are read.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::ddl::TABLE_OPTION_DEFAULTS;
use super::{Ctx, Engine};
use crate::ast::{AlterTableAction, Order, Statement, Term};
use crate::schema::{Column, ColumnKind, Table};
use crate::storage::{Cell, TableData};
use crate::types::{
    Constant, CqlType, NativeType, Uuid, Value, constant_to_value, partition_key_bytes,
};
use crate::{Error, RELEASE_VERSION, parse_statement};

fn text() -> CqlType {
    CqlType::Native(NativeType::Text)
}

fn native(n: NativeType) -> CqlType {
    CqlType::Native(n)
}

fn frozen(t: CqlType) -> CqlType {
    CqlType::Frozen(Box::new(t))
}

fn text_map() -> CqlType {
    frozen(CqlType::Map(Box::new(text()), Box::new(text())))
}

/// A table definition for a system table: key columns then the rest.
fn system_table(
    ks: &str,
    name: &str,
    pk: &[&str],
    ck: &[&str],
    cols: Vec<(&str, CqlType)>,
) -> Table {
    let columns = cols
        .into_iter()
        .map(|(n, ty)| {
            let kind = if let Some(i) = pk.iter().position(|p| *p == n) {
                ColumnKind::PartitionKey(i)
            } else if let Some(i) = ck.iter().position(|c| *c == n) {
                ColumnKind::Clustering(i)
            } else {
                ColumnKind::Regular
            };
            Column { name: n.to_string(), ty, kind }
        })
        .collect();
    let mut table = Table {
        keyspace: ks.to_string(),
        name: name.to_string(),
        id: Uuid::default(),
        columns: Arc::new(columns),
        partition_key: Arc::new(pk.iter().map(|s| (*s).to_string()).collect()),
        clustering: Arc::new(ck.iter().map(|s| ((*s).to_string(), Order::Asc)).collect()),
        options: Arc::default(),
        default_ttl: 0,
        indexes: Arc::default(),
        dropped: Arc::default(),
        ck_types: Arc::default(),
        data: TableData::default(),
    };
    table.refresh_clustering_types();
    table
}

/// Adds one row (values by column name) to a system table.
fn put(t: &mut Table, values: Vec<(&str, Option<Value>)>) {
    let get = |n: &str| values.iter().find(|(c, _)| *c == n).and_then(|(_, v)| v.clone());
    let pk: Vec<Value> = t.partition_key.iter().filter_map(|n| get(n)).collect();
    let ck: Vec<Value> = t.clustering.iter().filter_map(|(n, _)| get(n)).collect();
    let types = t.clustering_types();
    let refs: Vec<&Value> = pk.iter().collect();
    let bytes = partition_key_bytes(&refs);
    let part = t.data.get_or_insert(&crate::storage::ring_key(&bytes), || pk.clone());
    let row = part.row_mut(&types, ck);
    row.marker = Some(crate::storage::Marker { ts: 0, ttl: 0, expires: None });
    for (name, v) in values {
        if let Some(v) = v {
            row.cells.insert(name.to_string(), Cell::new(Some(v), 0, 0, None));
        }
    }
}

fn t(s: &str) -> Option<Value> {
    Some(Value::Text(s.to_string().into()))
}

fn map_value(pairs: &BTreeMap<String, String>) -> Option<Value> {
    Some(Value::Map(
        pairs
            .iter()
            .map(|(k, v)| (Value::Text(k.clone().into()), Value::Text(v.clone().into())))
            .collect(),
    ))
}

/// Reads an option's CQL text back as a term.
fn option_term(name: &str, text: &str) -> Option<Term> {
    match parse_statement(&format!("ALTER TABLE x WITH {name} = {text}")) {
        Ok(Statement::AlterTable { action: AlterTableAction::With(mut props), .. }) => {
            props.pop().map(|p| p.value)
        }
        _ => None,
    }
}

fn option_value(ty: &CqlType, term: &Term) -> Option<Value> {
    match (term, ty.unfrozen()) {
        (Term::Constant(c), _) => constant_to_value(c, ty, "option").ok(),
        (Term::Map(pairs), CqlType::Map(..)) => {
            let mut out: Vec<(Value, Value)> = pairs
                .iter()
                .filter_map(|(k, v)| match (k, v) {
                    (Term::Constant(k), Term::Constant(v)) => Some((
                        Value::Text(constant_text(k).into()),
                        Value::Text(constant_text(v).into()),
                    )),
                    _ => None,
                })
                .collect();
            out.sort_by(|a, b| crate::types::compare(&text(), &a.0, &b.0));
            Some(Value::Map(out))
        }
        _ => None,
    }
}

fn constant_text(c: &Constant) -> String {
    match c {
        Constant::String(s) => s.clone(),
        other => crate::ast::constant_cql(other),
    }
}

impl Engine {
    /// The system table `ks.name`, built now; `None` if `ks` is not a system keyspace.
    pub(super) fn system_table(
        &self,
        ks: &str,
        name: &str,
        ctx: &Ctx,
    ) -> Result<Option<Table>, Error> {
        let _ = ctx;
        let missing = || Error::invalid(format!("table {name} does not exist"));
        match ks {
            "system" => match name {
                "local" => Ok(Some(self.system_local())),
                "peers" | "peers_v2" => Ok(Some(system_table(
                    "system",
                    name,
                    &["peer"],
                    &[],
                    vec![
                        ("peer", native(NativeType::Inet)),
                        ("data_center", text()),
                        ("host_id", native(NativeType::Uuid)),
                        ("rack", text()),
                        ("release_version", text()),
                        ("schema_version", native(NativeType::Uuid)),
                        ("tokens", frozen(CqlType::Set(Box::new(text())))),
                    ],
                ))),
                _ => Err(missing()),
            },
            "system_schema" => match name {
                "keyspaces" => Ok(Some(self.schema_keyspaces())),
                "tables" => Ok(Some(self.schema_tables())),
                "columns" => Ok(Some(self.schema_columns())),
                "types" => Ok(Some(self.schema_types())),
                "indexes" => Ok(Some(self.schema_indexes())),
                "dropped_columns" => Ok(Some(self.schema_dropped_columns())),
                _ => Err(missing()),
            },
            "system_auth"
            | "system_distributed"
            | "system_traces"
            | "system_views"
            | "system_virtual_schema" => Err(missing()),
            _ => Ok(None),
        }
    }

    fn system_local(&self) -> Table {
        let mut tb = system_table(
            "system",
            "local",
            &["key"],
            &[],
            vec![
                ("key", text()),
                ("bootstrapped", text()),
                ("broadcast_address", native(NativeType::Inet)),
                ("cluster_name", text()),
                ("cql_version", text()),
                ("data_center", text()),
                ("host_id", native(NativeType::Uuid)),
                ("listen_address", native(NativeType::Inet)),
                ("native_protocol_version", text()),
                ("partitioner", text()),
                ("rack", text()),
                ("release_version", text()),
                ("rpc_address", native(NativeType::Inet)),
                ("schema_version", native(NativeType::Uuid)),
                ("tokens", frozen(CqlType::Set(Box::new(text())))),
            ],
        );
        let localhost = Some(Value::Inet(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)));
        put(
            &mut tb,
            vec![
                ("key", t("local")),
                ("bootstrapped", t("COMPLETED")),
                ("broadcast_address", localhost.clone()),
                ("cluster_name", t("cqlfiddle")),
                ("cql_version", t("3.4.7")),
                ("data_center", t("datacenter1")),
                ("host_id", Some(Value::Uuid(self.host_id))),
                ("listen_address", localhost.clone()),
                ("native_protocol_version", t("5")),
                ("partitioner", t("org.apache.cassandra.dht.Murmur3Partitioner")),
                ("rack", t("rack1")),
                ("release_version", t(RELEASE_VERSION)),
                ("rpc_address", localhost),
                ("schema_version", Some(Value::Uuid(self.host_id))),
                ("tokens", Some(Value::Set(vec![Value::Text("-9223372036854775808".into())]))),
            ],
        );
        tb
    }

    fn schema_keyspaces(&self) -> Table {
        let mut tb = system_table(
            "system_schema",
            "keyspaces",
            &["keyspace_name"],
            &[],
            vec![
                ("keyspace_name", text()),
                ("durable_writes", native(NativeType::Boolean)),
                ("replication", text_map()),
            ],
        );
        let local: BTreeMap<String, String> =
            [("class".to_string(), "org.apache.cassandra.locator.LocalStrategy".to_string())]
                .into();
        let simple = |rf: &str| -> BTreeMap<String, String> {
            [
                ("class".to_string(), "org.apache.cassandra.locator.SimpleStrategy".to_string()),
                ("replication_factor".to_string(), rf.to_string()),
            ]
            .into()
        };
        let builtin = [
            ("system", local.clone()),
            ("system_auth", simple("1")),
            ("system_distributed", simple("3")),
            ("system_schema", local),
            ("system_traces", simple("2")),
        ];
        for (name, repl) in builtin {
            put(
                &mut tb,
                vec![
                    ("keyspace_name", t(name)),
                    ("durable_writes", Some(Value::Boolean(true))),
                    ("replication", map_value(&repl)),
                ],
            );
        }
        for ks in self.keyspaces.values() {
            put(
                &mut tb,
                vec![
                    ("keyspace_name", t(&ks.name)),
                    ("durable_writes", Some(Value::Boolean(ks.durable_writes))),
                    ("replication", map_value(&ks.replication)),
                ],
            );
        }
        tb
    }

    fn schema_tables(&self) -> Table {
        let option_types: Vec<(&str, CqlType)> = vec![
            ("additional_write_policy", text()),
            ("allow_auto_snapshot", native(NativeType::Boolean)),
            ("bloom_filter_fp_chance", native(NativeType::Double)),
            ("caching", text_map()),
            ("cdc", native(NativeType::Boolean)),
            ("comment", text()),
            ("compaction", text_map()),
            ("compression", text_map()),
            ("crc_check_chance", native(NativeType::Double)),
            ("default_time_to_live", native(NativeType::Int)),
            (
                "extensions",
                frozen(CqlType::Map(Box::new(text()), Box::new(native(NativeType::Blob)))),
            ),
            ("gc_grace_seconds", native(NativeType::Int)),
            ("incremental_backups", native(NativeType::Boolean)),
            ("max_index_interval", native(NativeType::Int)),
            ("memtable", text()),
            ("memtable_flush_period_in_ms", native(NativeType::Int)),
            ("min_index_interval", native(NativeType::Int)),
            ("read_repair", text()),
            ("speculative_retry", text()),
        ];
        let mut cols = vec![("keyspace_name", text()), ("table_name", text())];
        cols.extend(option_types.iter().cloned());
        cols.push(("flags", frozen(CqlType::Set(Box::new(text())))));
        cols.push(("id", native(NativeType::Uuid)));
        let mut tb =
            system_table("system_schema", "tables", &["keyspace_name"], &["table_name"], cols);
        for ks in self.keyspaces.values() {
            for table in ks.tables.values() {
                let mut values =
                    vec![("keyspace_name", t(&ks.name)), ("table_name", t(&table.name))];
                for (name, ty) in &option_types {
                    let text = table.options.get(*name).map(String::as_str).or_else(|| {
                        TABLE_OPTION_DEFAULTS.iter().find(|(n, _)| n == name).map(|(_, d)| *d)
                    });
                    let v = text
                        .and_then(|s| option_term(name, s))
                        .and_then(|term| option_value(ty, &term));
                    values.push((name, v));
                }
                values.push(("flags", Some(Value::Set(vec![Value::Text("compound".into())]))));
                values.push(("id", Some(Value::Uuid(table.id))));
                put(&mut tb, values);
            }
        }
        tb
    }

    fn schema_columns(&self) -> Table {
        let mut tb = system_table(
            "system_schema",
            "columns",
            &["keyspace_name"],
            &["table_name", "column_name"],
            vec![
                ("keyspace_name", text()),
                ("table_name", text()),
                ("column_name", text()),
                ("clustering_order", text()),
                ("column_name_bytes", native(NativeType::Blob)),
                ("kind", text()),
                ("position", native(NativeType::Int)),
                ("type", text()),
            ],
        );
        for ks in self.keyspaces.values() {
            for table in ks.tables.values() {
                for c in table.columns.iter() {
                    let (position, order) = match c.kind {
                        ColumnKind::PartitionKey(i) => (i32::try_from(i).unwrap_or(0), "none"),
                        ColumnKind::Clustering(i) => (
                            i32::try_from(i).unwrap_or(0),
                            match table.clustering.get(i).map(|(_, o)| *o) {
                                Some(Order::Desc) => "desc",
                                _ => "asc",
                            },
                        ),
                        _ => (-1, "none"),
                    };
                    put(
                        &mut tb,
                        vec![
                            ("keyspace_name", t(&ks.name)),
                            ("table_name", t(&table.name)),
                            ("column_name", t(&c.name)),
                            ("clustering_order", t(order)),
                            ("column_name_bytes", Some(Value::Blob(c.name.as_bytes().to_vec()))),
                            ("kind", t(c.kind.schema_name())),
                            ("position", Some(Value::Int(position))),
                            ("type", t(&c.ty.to_string())),
                        ],
                    );
                }
            }
        }
        tb
    }

    fn schema_dropped_columns(&self) -> Table {
        let mut tb = system_table(
            "system_schema",
            "dropped_columns",
            &["keyspace_name"],
            &["table_name", "column_name"],
            vec![
                ("keyspace_name", text()),
                ("table_name", text()),
                ("column_name", text()),
                ("dropped_time", native(NativeType::Timestamp)),
                ("kind", text()),
                ("type", text()),
            ],
        );
        for ks in self.keyspaces.values() {
            for table in ks.tables.values() {
                for (name, d) in table.dropped.iter() {
                    put(
                        &mut tb,
                        vec![
                            ("keyspace_name", t(&ks.name)),
                            ("table_name", t(&table.name)),
                            ("column_name", t(name)),
                            // Kept in microseconds, shown as the timestamp it falls in.
                            ("dropped_time", Some(Value::Timestamp(d.dropped_at.div_euclid(1000)))),
                            ("kind", t(if d.is_static { "static" } else { "regular" })),
                            ("type", t(&d.ty.to_string())),
                        ],
                    );
                }
            }
        }
        tb
    }

    fn schema_types(&self) -> Table {
        let list = frozen(CqlType::List(Box::new(text())));
        let mut tb = system_table(
            "system_schema",
            "types",
            &["keyspace_name"],
            &["type_name"],
            vec![
                ("keyspace_name", text()),
                ("type_name", text()),
                ("field_names", list.clone()),
                ("field_types", list),
            ],
        );
        for ks in self.keyspaces.values() {
            for u in ks.types.values() {
                put(
                    &mut tb,
                    vec![
                        ("keyspace_name", t(&ks.name)),
                        ("type_name", t(&u.name)),
                        (
                            "field_names",
                            Some(Value::List(
                                u.fields
                                    .iter()
                                    .map(|(n, _)| Value::Text(n.clone().into()))
                                    .collect(),
                            )),
                        ),
                        (
                            "field_types",
                            Some(Value::List(
                                u.fields
                                    .iter()
                                    .map(|(_, ty)| Value::Text(ty.to_string().into()))
                                    .collect(),
                            )),
                        ),
                    ],
                );
            }
        }
        tb
    }

    fn schema_indexes(&self) -> Table {
        let mut tb = system_table(
            "system_schema",
            "indexes",
            &["keyspace_name"],
            &["table_name", "index_name"],
            vec![
                ("keyspace_name", text()),
                ("table_name", text()),
                ("index_name", text()),
                ("kind", text()),
                ("options", text_map()),
            ],
        );
        for ks in self.keyspaces.values() {
            for table in ks.tables.values() {
                for i in table.indexes.iter() {
                    let opts = i.schema_options();
                    put(
                        &mut tb,
                        vec![
                            ("keyspace_name", t(&ks.name)),
                            ("table_name", t(&table.name)),
                            ("index_name", t(&i.name)),
                            ("kind", t(if i.custom.is_some() { "CUSTOM" } else { "COMPOSITES" })),
                            ("options", map_value(&opts)),
                        ],
                    );
                }
            }
        }
        tb
    }
}
