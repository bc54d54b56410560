//! Table metadata as both APIs need it, read from the engine's `system_schema` tables the
//! way Stargate reads it from Cassandra's.

use cqlfiddle_engine::types::{CqlType, NativeType, UdtType, Value};
use cqlfiddle_engine::{Error as EngineError, Options};

use crate::db::{self, Answer, Locked};
use crate::rest::literal::quote_string;

/// What part of the primary key a column is, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// A partition key column.
    PartitionKey,
    /// A clustering column.
    Clustering,
    /// A static column.
    Static,
    /// Any other column.
    Regular,
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnMeta {
    /// The name, case as stored.
    pub name: String,
    /// The type, with user-defined types resolved.
    pub ty: CqlType,
    /// Its part in the primary key.
    pub kind: ColumnKind,
    /// A clustering column sorted descending.
    pub descending: bool,
}

/// A table's columns: partition keys, clustering keys (both in key order), then static
/// columns and regular columns, each by name, which is Cassandra's `SELECT *` order.
#[derive(Debug, Clone, PartialEq)]
pub struct TableMeta {
    /// The keyspace.
    pub keyspace: String,
    /// The table.
    pub name: String,
    /// The columns in `SELECT *` order.
    pub columns: Vec<ColumnMeta>,
}

impl TableMeta {
    /// The partition key columns in order.
    pub fn partition_keys(&self) -> impl Iterator<Item = &ColumnMeta> {
        self.columns.iter().filter(|c| c.kind == ColumnKind::PartitionKey)
    }

    /// The clustering columns in order.
    pub fn clustering_keys(&self) -> impl Iterator<Item = &ColumnMeta> {
        self.columns.iter().filter(|c| c.kind == ColumnKind::Clustering)
    }

    /// The primary key columns: partition keys, then clustering keys.
    pub fn primary_key(&self) -> impl Iterator<Item = &ColumnMeta> {
        self.partition_keys().chain(self.clustering_keys())
    }

    /// The column called `name` (case-sensitive).
    pub fn column(&self, name: &str) -> Option<&ColumnMeta> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The column names, for "known fields" messages.
    pub fn column_names(&self) -> Vec<&str> {
        self.columns.iter().map(|c| c.name.as_str()).collect()
    }
}

/// Parses a type as `system_schema` prints it (`map<text, frozen<list<int>>>`, `frozen<addr>`).
/// User-defined types come back with no fields; [`load_table`] fills them in.
pub fn parse_type(text: &str) -> Result<CqlType, String> {
    let mut parser = TypeParser { text, pos: 0, depth: 0 };
    let ty = parser.ty()?;
    parser.skip_ws();
    if parser.pos != text.len() {
        return Err(format!("unexpected text after type in '{text}'"));
    }
    Ok(ty)
}

/// How deeply type parameters may nest; deeper input is refused rather than risking the stack.
const MAX_TYPE_DEPTH: usize = 32;

struct TypeParser<'a> {
    text: &'a str,
    pos: usize,
    depth: usize,
}

impl TypeParser<'_> {
    fn skip_ws(&mut self) {
        let rest = &self.text[self.pos..];
        self.pos += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, c: char) -> bool {
        self.skip_ws();
        if self.text[self.pos..].starts_with(c) {
            self.pos += c.len_utf8();
            true
        } else {
            false
        }
    }

    fn expect(&mut self, c: char) -> Result<(), String> {
        if self.eat(c) { Ok(()) } else { Err(format!("expected '{c}' in type '{}'", self.text)) }
    }

    fn name(&mut self) -> Result<String, String> {
        self.skip_ws();
        let rest = &self.text[self.pos..];
        if let Some(quoted) = rest.strip_prefix('"') {
            let mut out = String::new();
            let mut chars = quoted.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if c == '"' {
                    if chars.peek().is_some_and(|(_, c)| *c == '"') {
                        chars.next();
                        out.push('"');
                    } else {
                        self.pos += 1 + i + 1;
                        return Ok(out);
                    }
                } else {
                    out.push(c);
                }
            }
            return Err(format!("unterminated quoted name in type '{}'", self.text));
        }
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(rest.len());
        if len == 0 {
            return Err(format!("expected a type name in '{}'", self.text));
        }
        self.pos += len;
        Ok(rest[..len].to_string())
    }

    fn ty(&mut self) -> Result<CqlType, String> {
        self.depth += 1;
        if self.depth > MAX_TYPE_DEPTH {
            return Err(format!(
                "type '{}' is nested more than {MAX_TYPE_DEPTH} levels deep",
                self.text
            ));
        }
        let ty = self.ty_inner();
        self.depth -= 1;
        ty
    }

    fn ty_inner(&mut self) -> Result<CqlType, String> {
        let name = self.name()?;
        let lower = name.to_ascii_lowercase();
        let boxed = |p: &mut Self| -> Result<Box<CqlType>, String> { Ok(Box::new(p.ty()?)) };
        let ty = match lower.as_str() {
            "frozen" | "list" | "set" if self.eat('<') => {
                let inner = boxed(self)?;
                self.expect('>')?;
                match lower.as_str() {
                    // `frozen<frozen<x>>` means `frozen<x>`.
                    "frozen" if matches!(*inner, CqlType::Frozen(_)) => *inner,
                    "frozen" => CqlType::Frozen(inner),
                    "list" => CqlType::List(inner),
                    _ => CqlType::Set(inner),
                }
            }
            "map" if self.eat('<') => {
                let k = boxed(self)?;
                self.expect(',')?;
                let v = boxed(self)?;
                self.expect('>')?;
                CqlType::Map(k, v)
            }
            "tuple" if self.eat('<') => {
                let mut items = vec![self.ty()?];
                while self.eat(',') {
                    items.push(self.ty()?);
                }
                self.expect('>')?;
                CqlType::Tuple(items)
            }
            "vector" if self.eat('<') => {
                let elem = boxed(self)?;
                self.expect(',')?;
                let dim = self.name()?.parse::<usize>().map_err(|e| e.to_string())?;
                self.expect('>')?;
                CqlType::Vector(elem, dim)
            }
            _ => match NativeType::from_name(&name) {
                Some(native) => CqlType::Native(native),
                None => CqlType::Udt(UdtType { keyspace: String::new(), name, fields: Vec::new() }),
            },
        };
        Ok(ty)
    }
}

/// Reads `keyspace.table`'s columns, or `None` when there is no such table.
pub fn load_table(
    engine: &mut Locked<'_>,
    keyspace: &str,
    table: &str,
) -> Result<Option<TableMeta>, EngineError> {
    if let Some(meta) = engine.cached_table(keyspace, table) {
        return Ok(Some(meta));
    }
    let meta = read_table(engine, keyspace, table)?;
    if let Some(meta) = &meta {
        engine.cache_table(meta);
    }
    Ok(meta)
}

/// Reads `keyspace.table`'s columns from `system_schema`.
fn read_table(
    engine: &mut Locked<'_>,
    keyspace: &str,
    table: &str,
) -> Result<Option<TableMeta>, EngineError> {
    let cql = format!(
        "SELECT column_name, clustering_order, kind, position, type FROM system_schema.columns \
         WHERE keyspace_name = {} AND table_name = {}",
        quote_string(keyspace),
        quote_string(table)
    );
    let rows = select(engine, &cql)?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut columns = Vec::with_capacity(rows.len());
    for row in rows {
        let name = text(row.first());
        let descending = text(row.get(1)).eq_ignore_ascii_case("desc");
        let kind = match text(row.get(2)).as_str() {
            "partition_key" => ColumnKind::PartitionKey,
            "clustering" => ColumnKind::Clustering,
            "static" => ColumnKind::Static,
            _ => ColumnKind::Regular,
        };
        let position = match row.get(3) {
            Some(Some(Value::Int(p))) => *p,
            _ => -1,
        };
        let ty = parse_type(&text(row.get(4))).map_err(EngineError::invalid)?;
        let ty = resolve_udts(engine, keyspace, ty)?;
        columns.push((kind_rank(kind), position, ColumnMeta { name, ty, kind, descending }));
    }
    columns.sort_by(|a, b| (a.0, a.1, &a.2.name).cmp(&(b.0, b.1, &b.2.name)));
    Ok(Some(TableMeta {
        keyspace: keyspace.to_string(),
        name: table.to_string(),
        columns: columns.into_iter().map(|(_, _, c)| c).collect(),
    }))
}

/// Whether `keyspace` exists.
pub fn keyspace_exists(engine: &mut Locked<'_>, keyspace: &str) -> Result<bool, EngineError> {
    let cql = format!(
        "SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = {}",
        quote_string(keyspace)
    );
    Ok(!select(engine, &cql)?.is_empty())
}

fn kind_rank(kind: ColumnKind) -> u8 {
    match kind {
        ColumnKind::PartitionKey => 0,
        ColumnKind::Clustering => 1,
        ColumnKind::Static => 2,
        ColumnKind::Regular => 3,
    }
}

/// Fills in the fields of every user-defined type inside `ty`.
fn resolve_udts(
    engine: &mut Locked<'_>,
    keyspace: &str,
    ty: CqlType,
) -> Result<CqlType, EngineError> {
    let mut resolve = |t: Box<CqlType>| resolve_udts(engine, keyspace, *t).map(Box::new);
    Ok(match ty {
        CqlType::Udt(udt) if udt.fields.is_empty() => {
            let cql = format!(
                "SELECT field_names, field_types FROM system_schema.types \
                 WHERE keyspace_name = {} AND type_name = {}",
                quote_string(keyspace),
                quote_string(&udt.name)
            );
            let rows = select(engine, &cql)?;
            let (names, types) = match rows.first().map(|r| (r.first(), r.get(1))) {
                Some((Some(Some(Value::List(n))), Some(Some(Value::List(t))))) => {
                    (n.clone(), t.clone())
                }
                _ => (Vec::new(), Vec::new()),
            };
            let mut fields = Vec::with_capacity(names.len());
            for (name, ty) in names.iter().zip(&types) {
                let (Value::Text(name), Value::Text(ty)) = (name, ty) else { continue };
                let parsed = parse_type(ty).map_err(EngineError::invalid)?;
                fields.push((name.to_string(), resolve_udts(engine, keyspace, parsed)?));
            }
            CqlType::Udt(UdtType { keyspace: keyspace.to_string(), name: udt.name, fields })
        }
        CqlType::Frozen(t) => CqlType::Frozen(resolve(t)?),
        CqlType::List(t) => CqlType::List(resolve(t)?),
        CqlType::Set(t) => CqlType::Set(resolve(t)?),
        CqlType::Map(k, v) => CqlType::Map(resolve(k)?, resolve(v)?),
        CqlType::Vector(t, n) => CqlType::Vector(resolve(t)?, n),
        CqlType::Tuple(items) => CqlType::Tuple(
            items
                .into_iter()
                .map(|t| resolve_udts(engine, keyspace, t))
                .collect::<Result<_, _>>()?,
        ),
        other => other,
    })
}

/// The rows of an internal look-up. Those on `system_schema` are cached until the next
/// schema change, since every request makes a few of them.
pub(crate) fn select(
    engine: &mut Locked<'_>,
    cql: &str,
) -> Result<Vec<Vec<Option<Value>>>, EngineError> {
    let cacheable = cql.contains(" FROM system_schema.");
    if cacheable && let Some(rows) = engine.cached_rows(cql) {
        return Ok(rows);
    }
    let rows = match db::execute_read(engine, cql, Options::default())? {
        Answer::Rows(rows) => rows.rows,
        Answer::Void => Vec::new(),
    };
    if cacheable {
        engine.cache_rows(cql, &rows);
    }
    Ok(rows)
}

fn text(cell: Option<&Option<Value>>) -> String {
    match cell {
        Some(Some(Value::Text(s) | Value::Ascii(s))) => s.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests;
