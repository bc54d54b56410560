//! The syntax tree of CQL statements. Every node prints (via `Display`) as canonical CQL
//! that parses back to the same tree.

use std::fmt::{self, Display, Formatter};

use crate::types::{Constant, NativeType, maybe_quote};

/// An identifier, already case-folded (unquoted names are lower-cased, quoted ones kept).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ident(pub String);

impl Display for Ident {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(&maybe_quote(&self.0))
    }
}

/// A possibly keyspace-qualified name of a table, type, index or function.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QualifiedName {
    /// The keyspace, when written.
    pub keyspace: Option<Ident>,
    /// The object's name.
    pub name: Ident,
}

impl Display for QualifiedName {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if let Some(ks) = &self.keyspace {
            write!(f, "{ks}.")?;
        }
        write!(f, "{}", self.name)
    }
}

/// A type as written in a statement (UDT names not yet resolved).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeSyntax {
    /// A native type.
    Native(NativeType),
    /// `list<T>`.
    List(Box<TypeSyntax>),
    /// `set<T>`.
    Set(Box<TypeSyntax>),
    /// `map<K, V>`.
    Map(Box<TypeSyntax>, Box<TypeSyntax>),
    /// `tuple<...>`.
    Tuple(Vec<TypeSyntax>),
    /// `frozen<T>`.
    Frozen(Box<TypeSyntax>),
    /// `vector<T, n>`.
    Vector(Box<TypeSyntax>, usize),
    /// A user-defined type's name.
    Udt(QualifiedName),
    /// A custom type given as a Java class name string.
    Custom(String),
}

impl Display for TypeSyntax {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            TypeSyntax::Native(n) => write!(f, "{n}"),
            TypeSyntax::List(t) => write!(f, "list<{t}>"),
            TypeSyntax::Set(t) => write!(f, "set<{t}>"),
            TypeSyntax::Map(k, v) => write!(f, "map<{k}, {v}>"),
            TypeSyntax::Tuple(ts) => write!(f, "tuple<{}>", List(ts)),
            TypeSyntax::Frozen(t) => write!(f, "frozen<{t}>"),
            TypeSyntax::Vector(t, n) => write!(f, "vector<{t}, {n}>"),
            TypeSyntax::Udt(q) => write!(f, "{q}"),
            TypeSyntax::Custom(s) => write!(f, "{}", quote_str(s)),
        }
    }
}

/// A term: a value in a statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    /// A scalar literal.
    Constant(Constant),
    /// `null`.
    Null,
    /// `?` or `:name`, with its position among the statement's markers (the index of the
    /// value bound to it).
    BindMarker(usize, Option<Ident>),
    /// `[a, b]`.
    List(Vec<Term>),
    /// `{a, b}`.
    Set(Vec<Term>),
    /// `{k: v}` (and `{}`).
    Map(Vec<(Term, Term)>),
    /// `(a, b)`.
    Tuple(Vec<Term>),
    /// `{field: v}`.
    Udt(Vec<(Ident, Term)>),
    /// `f(args)`.
    Function(QualifiedName, Vec<Term>),
    /// `(type) term`.
    TypeHint(TypeSyntax, Box<Term>),
    /// `-term` where the term is not a literal number.
    Negate(Box<Term>),
    /// `a op b` for `+ - * / %`.
    Binary(Box<Term>, char, Box<Term>),
}

impl Display for Term {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Term::Constant(c) => f.write_str(&constant_cql(c)),
            Term::Null => f.write_str("null"),
            Term::BindMarker(_, None) => f.write_str("?"),
            Term::BindMarker(_, Some(n)) => write!(f, ":{n}"),
            Term::List(ts) => write!(f, "[{}]", List(ts)),
            Term::Set(ts) => write!(f, "{{{}}}", List(ts)),
            Term::Map(kvs) => {
                f.write_str("{")?;
                for (i, (k, v)) in kvs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
            Term::Tuple(ts) => write!(f, "({})", List(ts)),
            Term::Udt(fs) => {
                f.write_str("{")?;
                for (i, (k, v)) in fs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
            Term::Function(name, args) => write!(f, "{name}({})", List(args)),
            // Cassandra prints a type hint against its term: `(int)1`.
            Term::TypeHint(t, term) => write!(f, "({t}){term}"),
            // Parentheses around one operation group it; around other terms CQL reads
            // them as a tuple, so they are printed only where an operation needs them.
            Term::Negate(t) => {
                if let Term::Binary(..) = t.as_ref() {
                    return write!(f, "-({t})");
                }
                // `--` would start a comment.
                let inner = t.to_string();
                if inner.starts_with('-') { write!(f, "- {inner}") } else { write!(f, "-{inner}") }
            }
            Term::Binary(a, op, b) => {
                // Parentheses only where the tree does not follow precedence: a right
                // operand that is itself an operation, or a sum under a product.
                let tight = |op: char| matches!(op, '*' | '/' | '%');
                match a.as_ref() {
                    Term::Binary(_, inner, _) if tight(*op) && !tight(*inner) => {
                        write!(f, "({a}) {op} ")?;
                    }
                    _ => write!(f, "{a} {op} ")?,
                }
                match b.as_ref() {
                    Term::Binary(..) => write!(f, "({b})"),
                    _ => write!(f, "{b}"),
                }
            }
        }
    }
}

/// Prints a constant as CQL source.
pub fn constant_cql(c: &Constant) -> String {
    match c {
        Constant::String(s) => quote_str(s),
        Constant::Integer(s) | Constant::Float(s) | Constant::Uuid(s) | Constant::Duration(s) => {
            s.clone()
        }
        Constant::Boolean(b) => b.to_string(),
        Constant::Hex(h) => format!("0x{h}"),
        Constant::NaN => "NaN".into(),
        Constant::Infinity => "Infinity".into(),
        Constant::NegInfinity => "-Infinity".into(),
    }
}

/// Quotes a string literal with single quotes, doubling embedded ones.
pub fn quote_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// Comma-separated display of a slice.
struct List<'a, T>(&'a [T]);

impl<T: Display> Display for List<'_, T> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (i, t) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            write!(f, "{t}")?;
        }
        Ok(())
    }
}

/// A `WITH name = value` property.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    /// The property's name, lower case.
    pub name: Ident,
    /// Its value: a constant, an identifier-like word, or a map.
    pub value: Term,
}

impl Display for Property {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}", self.name, self.value)
    }
}

fn write_props(f: &mut Formatter<'_>, first: bool, props: &[Property]) -> fmt::Result {
    for (i, p) in props.iter().enumerate() {
        if i == 0 && first {
            write!(f, " WITH {p}")?;
        } else {
            write!(f, " AND {p}")?;
        }
    }
    Ok(())
}

/// A selected expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    /// A column.
    Column(Ident),
    /// A literal or other term.
    Term(Term),
    /// `COUNT(*)` (also `COUNT(1)`).
    CountStar,
    /// `f(args)`, including `WRITETIME`, `TTL`, `token` and aggregates.
    Function(QualifiedName, Vec<Selector>),
    /// `CAST(s AS type)`.
    Cast(Box<Selector>, NativeType),
    /// `s.field` on a UDT.
    Field(Box<Selector>, Ident),
    /// `s[key]` on a map or set.
    Element(Box<Selector>, Box<Term>),
    /// `s[from..to]` on a map or set; either bound may be absent (`s[a..]`, `s[..b]`).
    Slice(Box<Selector>, Option<Box<Term>>, Option<Box<Term>>),
    /// `a op b` for `+ - * / %`.
    Binary(Box<Selector>, char, Box<Selector>),
    /// `-s` where `s` is not a literal number.
    Negate(Box<Selector>),
    /// `(s)`, kept so that the column is named as written.
    Paren(Box<Selector>),
    /// `(type) s` on a selector that reads the row.
    Hint(TypeSyntax, Box<Selector>),
}

impl Display for Selector {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Selector::Column(c) => write!(f, "{c}"),
            Selector::Term(t) => write!(f, "{t}"),
            Selector::CountStar => f.write_str("COUNT(*)"),
            Selector::Function(n, args) => write!(f, "{n}({})", List(args)),
            Selector::Cast(s, t) => write!(f, "CAST({s} AS {t})"),
            Selector::Field(s, field) => write!(f, "{s}.{field}"),
            Selector::Element(s, k) => write!(f, "{s}[{k}]"),
            Selector::Slice(s, from, to) => {
                write!(f, "{s}[")?;
                if let Some(from) = from {
                    write!(f, "{from}")?;
                }
                f.write_str("..")?;
                if let Some(to) = to {
                    write!(f, "{to}")?;
                }
                f.write_str("]")
            }
            // Left-leaning by precedence, as for terms: no parentheses needed.
            Selector::Binary(a, op, b) => write!(f, "{a} {op} {b}"),
            Selector::Paren(s) => write!(f, "({s})"),
            Selector::Hint(t, s) => write!(f, "({t}){s}"),
            Selector::Negate(s) => {
                // `--` would start a comment.
                let inner = s.to_string();
                if inner.starts_with('-') { write!(f, "- {inner}") } else { write!(f, "-{inner}") }
            }
        }
    }
}

/// One item of a select clause.
#[derive(Debug, Clone, PartialEq)]
pub struct SelectItem {
    /// What to select.
    pub selector: Selector,
    /// `AS alias`.
    pub alias: Option<Ident>,
}

impl Display for SelectItem {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.selector)?;
        if let Some(a) = &self.alias {
            write!(f, " AS {a}")?;
        }
        Ok(())
    }
}

/// A comparison operator in a relation or condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `=`
    Eq,
    /// `<`
    Lt,
    /// `<=`
    Lte,
    /// `>`
    Gt,
    /// `>=`
    Gte,
    /// `!=`
    Neq,
    /// `IN`
    In,
    /// `CONTAINS`
    Contains,
    /// `CONTAINS KEY`
    ContainsKey,
    /// `LIKE`
    Like,
}

impl Display for Operator {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Operator::Eq => "=",
            Operator::Lt => "<",
            Operator::Lte => "<=",
            Operator::Gt => ">",
            Operator::Gte => ">=",
            Operator::Neq => "!=",
            Operator::In => "IN",
            Operator::Contains => "CONTAINS",
            Operator::ContainsKey => "CONTAINS KEY",
            Operator::Like => "LIKE",
        })
    }
}

/// The left side of a relation.
#[derive(Debug, Clone, PartialEq)]
pub enum RelationLhs {
    /// A single column.
    Column(Ident),
    /// `(a, b, c)`.
    Columns(Vec<Ident>),
    /// `token(a, b)`.
    Token(Vec<Ident>),
    /// `m[key]`.
    Element(Ident, Term),
}

impl Display for RelationLhs {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            RelationLhs::Column(c) => write!(f, "{c}"),
            RelationLhs::Columns(cs) => write!(f, "({})", List(cs)),
            RelationLhs::Token(cs) => write!(f, "token({})", List(cs)),
            RelationLhs::Element(c, k) => write!(f, "{c}[{k}]"),
        }
    }
}

/// A `WHERE` relation.
#[derive(Debug, Clone, PartialEq)]
pub enum Relation {
    /// `lhs op term`.
    Compare(RelationLhs, Operator, Term),
    /// `lhs IN (t1, t2, ...)`; for multi-column left sides each item is a tuple.
    In(RelationLhs, Vec<Term>),
    /// `col IS NOT NULL`.
    IsNotNull(Ident),
}

impl Display for Relation {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Relation::Compare(l, op, t) => write!(f, "{l} {op} {t}"),
            Relation::In(l, ts) => write!(f, "{l} IN ({})", List(ts)),
            Relation::IsNotNull(c) => write!(f, "{c} IS NOT NULL"),
        }
    }
}

fn write_where(f: &mut Formatter<'_>, rels: &[Relation]) -> fmt::Result {
    for (i, r) in rels.iter().enumerate() {
        f.write_str(if i == 0 { " WHERE " } else { " AND " })?;
        write!(f, "{r}")?;
    }
    Ok(())
}

/// A condition of a lightweight transaction.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// The column, `col[key]` or `col.field`.
    pub lhs: ConditionLhs,
    /// The operator.
    pub op: Operator,
    /// The value (a tuple of values for `IN`).
    pub value: Term,
}

/// What a condition tests.
#[derive(Debug, Clone, PartialEq)]
pub enum ConditionLhs {
    /// A column.
    Column(Ident),
    /// `col[key]`.
    Element(Ident, Term),
    /// `col.field`.
    Field(Ident, Ident),
}

impl Display for Condition {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match &self.lhs {
            ConditionLhs::Column(c) => write!(f, "{c}")?,
            ConditionLhs::Element(c, k) => write!(f, "{c}[{k}]")?,
            ConditionLhs::Field(c, n) => write!(f, "{c}.{n}")?,
        }
        match (&self.op, &self.value) {
            (Operator::In, Term::Tuple(ts)) => write!(f, " IN ({})", List(ts)),
            (op, v) => write!(f, " {op} {v}"),
        }
    }
}

/// The `IF` clause of an UPDATE or DELETE.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Conditions {
    /// No `IF`.
    #[default]
    None,
    /// `IF EXISTS`.
    Exists,
    /// `IF c1 AND c2`.
    Columns(Vec<Condition>),
}

impl Display for Conditions {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Conditions::None => Ok(()),
            Conditions::Exists => f.write_str(" IF EXISTS"),
            Conditions::Columns(cs) => {
                for (i, c) in cs.iter().enumerate() {
                    f.write_str(if i == 0 { " IF " } else { " AND " })?;
                    write!(f, "{c}")?;
                }
                Ok(())
            }
        }
    }
}

/// `USING TTL .. AND TIMESTAMP ..`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Using {
    /// `TTL n`.
    pub ttl: Option<Term>,
    /// `TIMESTAMP n`.
    pub timestamp: Option<Term>,
}

impl Display for Using {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match (&self.ttl, &self.timestamp) {
            (None, None) => Ok(()),
            (Some(t), None) => write!(f, " USING TTL {t}"),
            (None, Some(ts)) => write!(f, " USING TIMESTAMP {ts}"),
            (Some(t), Some(ts)) => write!(f, " USING TTL {t} AND TIMESTAMP {ts}"),
        }
    }
}

/// One assignment of an UPDATE.
#[derive(Debug, Clone, PartialEq)]
pub enum Assignment {
    /// `c = t`.
    Set(Ident, Term),
    /// `c[k] = t`.
    SetElement(Ident, Term, Term),
    /// `c.field = t`.
    SetField(Ident, Ident, Term),
    /// `c = c + t` or `c += t`.
    Add(Ident, Term),
    /// `c = c - t` or `c -= t`.
    Subtract(Ident, Term),
    /// `c = t + c`.
    Prepend(Ident, Term),
}

impl Display for Assignment {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Assignment::Set(c, t) => write!(f, "{c} = {t}"),
            Assignment::SetElement(c, k, t) => write!(f, "{c}[{k}] = {t}"),
            Assignment::SetField(c, n, t) => write!(f, "{c}.{n} = {t}"),
            Assignment::Add(c, t) => write!(f, "{c} = {c} + {t}"),
            Assignment::Subtract(c, t) => write!(f, "{c} = {c} - {t}"),
            Assignment::Prepend(c, t) => write!(f, "{c} = {t} + {c}"),
        }
    }
}

/// One target of a DELETE.
#[derive(Debug, Clone, PartialEq)]
pub enum DeleteTarget {
    /// A whole column.
    Column(Ident),
    /// `c[k]`.
    Element(Ident, Term),
    /// `c.field`.
    Field(Ident, Ident),
}

impl Display for DeleteTarget {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            DeleteTarget::Column(c) => write!(f, "{c}"),
            DeleteTarget::Element(c, k) => write!(f, "{c}[{k}]"),
            DeleteTarget::Field(c, n) => write!(f, "{c}.{n}"),
        }
    }
}

/// A column definition in CREATE TABLE.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnDef {
    /// The column's name.
    pub name: Ident,
    /// Its type.
    pub ty: TypeSyntax,
    /// `STATIC`.
    pub is_static: bool,
    /// `PRIMARY KEY` written on the column.
    pub primary_key: bool,
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Order {
    /// `ASC`.
    Asc,
    /// `DESC`.
    Desc,
}

impl Display for Order {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Order::Asc => "ASC",
            Order::Desc => "DESC",
        })
    }
}

/// A CREATE TABLE statement.
#[derive(Debug, Clone, PartialEq)]
pub struct CreateTable {
    /// `IF NOT EXISTS`.
    pub if_not_exists: bool,
    /// The table.
    pub name: QualifiedName,
    /// The columns in declaration order.
    pub columns: Vec<ColumnDef>,
    /// `PRIMARY KEY ((p1, p2), c1, c2)`: partition key then clustering columns.
    pub primary_key: Option<(Vec<Ident>, Vec<Ident>)>,
    /// `WITH CLUSTERING ORDER BY (...)`.
    pub clustering_order: Vec<(Ident, Order)>,
    /// `WITH COMPACT STORAGE`.
    pub compact_storage: bool,
    /// The other `WITH` properties.
    pub options: Vec<Property>,
}

/// What ALTER TABLE does.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterTableAction {
    /// `ADD [IF NOT EXISTS] c type [static], ...`.
    Add(bool, Vec<ColumnDef>),
    /// `DROP [IF EXISTS] c` or `DROP [IF EXISTS] (c, ...)`, with `USING TIMESTAMP t`.
    Drop(bool, Vec<Ident>, Option<i64>),
    /// `RENAME [IF EXISTS] a TO b AND ...`.
    Rename(bool, Vec<(Ident, Ident)>),
    /// `ALTER c TYPE t` (refused by Cassandra 4+).
    AlterType(Ident, TypeSyntax),
    /// `WITH ...`.
    With(Vec<Property>),
}

/// What ALTER TYPE does.
#[derive(Debug, Clone, PartialEq)]
pub enum AlterTypeAction {
    /// `ADD [IF NOT EXISTS] field type`.
    Add(bool, Ident, TypeSyntax),
    /// `RENAME [IF EXISTS] a TO b AND ...`.
    Rename(bool, Vec<(Ident, Ident)>),
    /// `ALTER field TYPE t`.
    AlterType(Ident, TypeSyntax),
}

/// What an index indexes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum IndexKind {
    /// A plain column, or a collection's values.
    Simple,
    /// `KEYS(m)`.
    Keys,
    /// `VALUES(c)`.
    Values,
    /// `ENTRIES(m)`.
    Entries,
    /// `FULL(frozen)`.
    Full,
}

/// The columns and values of an INSERT.
#[derive(Debug, Clone, PartialEq)]
pub enum InsertValues {
    /// `(cols) VALUES (terms)`.
    Values(Vec<Ident>, Vec<Term>),
    /// `JSON '...' [DEFAULT NULL|UNSET]`; the flag is `DEFAULT UNSET`.
    Json(Term, bool),
}

/// A batch's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BatchKind {
    /// `BEGIN BATCH`.
    Logged,
    /// `BEGIN UNLOGGED BATCH`.
    Unlogged,
    /// `BEGIN COUNTER BATCH`.
    Counter,
}

/// A SELECT statement.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Select {
    /// `SELECT JSON`.
    pub json: bool,
    /// `SELECT DISTINCT`.
    pub distinct: bool,
    /// The selected items; empty means `*`.
    pub items: Vec<SelectItem>,
    /// The table.
    pub table: Option<QualifiedName>,
    /// `WHERE`.
    pub relations: Vec<Relation>,
    /// `GROUP BY`.
    pub group_by: Vec<Ident>,
    /// `ORDER BY`.
    pub order_by: Vec<(Ident, Order)>,
    /// `PER PARTITION LIMIT`.
    pub per_partition_limit: Option<Term>,
    /// `LIMIT`.
    pub limit: Option<Term>,
    /// `ALLOW FILTERING`.
    pub allow_filtering: bool,
}

/// What a `DESCRIBE` statement describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DescribeTarget {
    /// `DESCRIBE CLUSTER`.
    Cluster,
    /// `DESCRIBE [FULL] SCHEMA`; `true` includes the system keyspaces.
    Schema(bool),
    /// `DESCRIBE KEYSPACES`.
    Keyspaces,
    /// `DESCRIBE [ONLY] KEYSPACE [ks]`; `true` leaves out the keyspace's contents.
    Keyspace(bool, Option<Ident>),
    /// `DESCRIBE TABLES`.
    Tables,
    /// `DESCRIBE TABLE [ks.]t` (also `COLUMNFAMILY`).
    Table(QualifiedName),
    /// `DESCRIBE INDEX [ks.]i`.
    Index(QualifiedName),
    /// `DESCRIBE MATERIALIZED VIEW [ks.]v`.
    MaterializedView(QualifiedName),
    /// `DESCRIBE TYPES`.
    Types,
    /// `DESCRIBE TYPE [ks.]t`.
    Type(QualifiedName),
    /// `DESCRIBE FUNCTIONS`.
    Functions,
    /// `DESCRIBE FUNCTION [ks.]f`.
    Function(QualifiedName),
    /// `DESCRIBE AGGREGATES`.
    Aggregates,
    /// `DESCRIBE AGGREGATE [ks.]a`.
    Aggregate(QualifiedName),
    /// `DESCRIBE [ks.]name`: a keyspace, table, index or view, looked up in that order.
    Generic(QualifiedName),
}

/// Whether `DESCRIBE word` would read `word` as a keyword rather than a name.
pub fn is_describe_word(word: &str) -> bool {
    const WORDS: &[&str] = &[
        "aggregate",
        "aggregates",
        "cluster",
        "columnfamily",
        "full",
        "function",
        "functions",
        "index",
        "keyspace",
        "keyspaces",
        "materialized",
        "only",
        "schema",
        "table",
        "tables",
        "type",
        "types",
    ];
    WORDS.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// A `DESCRIBE` (or `DESC`) statement, run by the server as in Cassandra 4.0 and later.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Describe {
    /// What to describe.
    pub target: DescribeTarget,
    /// `WITH INTERNALS`.
    pub internals: bool,
}

impl Display for Describe {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("DESCRIBE ")?;
        match &self.target {
            DescribeTarget::Cluster => f.write_str("CLUSTER")?,
            DescribeTarget::Schema(full) => {
                f.write_str(if *full { "FULL SCHEMA" } else { "SCHEMA" })?;
            }
            DescribeTarget::Keyspaces => f.write_str("KEYSPACES")?,
            DescribeTarget::Keyspace(only, ks) => {
                f.write_str(if *only { "ONLY KEYSPACE" } else { "KEYSPACE" })?;
                if let Some(ks) = ks {
                    write!(f, " {ks}")?;
                }
            }
            DescribeTarget::Tables => f.write_str("TABLES")?,
            DescribeTarget::Table(n) => write!(f, "TABLE {n}")?,
            DescribeTarget::Index(n) => write!(f, "INDEX {n}")?,
            DescribeTarget::MaterializedView(n) => write!(f, "MATERIALIZED VIEW {n}")?,
            DescribeTarget::Types => f.write_str("TYPES")?,
            DescribeTarget::Type(n) => write!(f, "TYPE {n}")?,
            DescribeTarget::Functions => f.write_str("FUNCTIONS")?,
            DescribeTarget::Function(n) => write!(f, "FUNCTION {n}")?,
            DescribeTarget::Aggregates => f.write_str("AGGREGATES")?,
            DescribeTarget::Aggregate(n) => write!(f, "AGGREGATE {n}")?,
            // A bare name that reads as one of the forms above is quoted to stay a name.
            DescribeTarget::Generic(n) if n.keyspace.is_none() && is_describe_word(&n.name.0) => {
                write!(f, "\"{}\"", n.name.0)?;
            }
            DescribeTarget::Generic(QualifiedName { keyspace: Some(ks), name })
                if is_describe_word(&ks.0) =>
            {
                write!(f, "\"{}\".{name}", ks.0)?;
            }
            DescribeTarget::Generic(n) => write!(f, "{n}")?,
        }
        if self.internals {
            f.write_str(" WITH INTERNALS")?;
        }
        Ok(())
    }
}

/// A CQL statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Statement {
    /// `USE ks`.
    Use(Ident),
    /// `CREATE KEYSPACE`.
    CreateKeyspace {
        /// `IF NOT EXISTS`.
        if_not_exists: bool,
        /// The keyspace.
        name: Ident,
        /// `WITH` properties.
        options: Vec<Property>,
    },
    /// `ALTER KEYSPACE`.
    AlterKeyspace {
        /// `IF EXISTS`.
        if_exists: bool,
        /// The keyspace.
        name: Ident,
        /// `WITH` properties.
        options: Vec<Property>,
    },
    /// `DROP KEYSPACE`.
    DropKeyspace {
        /// `IF EXISTS`.
        if_exists: bool,
        /// The keyspace.
        name: Ident,
    },
    /// `CREATE TABLE`.
    CreateTable(CreateTable),
    /// `ALTER TABLE`.
    AlterTable {
        /// `IF EXISTS`.
        if_exists: bool,
        /// The table.
        name: QualifiedName,
        /// The change.
        action: AlterTableAction,
    },
    /// `DROP TABLE`.
    DropTable {
        /// `IF EXISTS`.
        if_exists: bool,
        /// The table.
        name: QualifiedName,
    },
    /// `TRUNCATE [TABLE]`.
    Truncate(QualifiedName),
    /// `CREATE TYPE`.
    CreateType {
        /// `IF NOT EXISTS`.
        if_not_exists: bool,
        /// The type.
        name: QualifiedName,
        /// The fields.
        fields: Vec<(Ident, TypeSyntax)>,
    },
    /// `ALTER TYPE`.
    AlterType {
        /// `IF EXISTS`.
        if_exists: bool,
        /// The type.
        name: QualifiedName,
        /// The change.
        action: AlterTypeAction,
    },
    /// `DROP TYPE`.
    DropType {
        /// `IF EXISTS`.
        if_exists: bool,
        /// The type.
        name: QualifiedName,
    },
    /// `CREATE [CUSTOM] INDEX`.
    CreateIndex {
        /// `IF NOT EXISTS`.
        if_not_exists: bool,
        /// The index's name, when given.
        name: Option<Ident>,
        /// The table.
        table: QualifiedName,
        /// The indexed column and how.
        target: (IndexKind, Ident),
        /// `USING 'class'`.
        custom: Option<String>,
        /// `WITH OPTIONS = {...}`.
        options: Vec<Property>,
    },
    /// `DROP INDEX`.
    DropIndex {
        /// `IF EXISTS`.
        if_exists: bool,
        /// The index.
        name: QualifiedName,
    },
    /// `INSERT`.
    Insert {
        /// The table.
        table: QualifiedName,
        /// What to insert.
        values: InsertValues,
        /// `IF NOT EXISTS`.
        if_not_exists: bool,
        /// `USING`.
        using: Using,
    },
    /// `UPDATE`.
    Update {
        /// The table.
        table: QualifiedName,
        /// `USING`.
        using: Using,
        /// `SET`.
        assignments: Vec<Assignment>,
        /// `WHERE`.
        relations: Vec<Relation>,
        /// `IF`.
        conditions: Conditions,
    },
    /// `DELETE`.
    Delete {
        /// The columns to delete; empty deletes rows.
        targets: Vec<DeleteTarget>,
        /// The table.
        table: QualifiedName,
        /// `USING TIMESTAMP`.
        using: Using,
        /// `WHERE`.
        relations: Vec<Relation>,
        /// `IF`.
        conditions: Conditions,
    },
    /// `BEGIN BATCH ... APPLY BATCH`.
    Batch {
        /// The batch's kind.
        kind: BatchKind,
        /// `USING`.
        using: Using,
        /// The statements.
        statements: Vec<Statement>,
    },
    /// `SELECT`.
    Select(Box<Select>),
    /// `DESCRIBE`.
    Describe(Describe),
    /// A statement the engine recognises but does not implement.
    Unsupported {
        /// The feature, e.g. `user-defined functions`.
        feature: String,
        /// The statement as written.
        text: String,
    },
}

fn if_not_exists(b: bool) -> &'static str {
    if b { " IF NOT EXISTS" } else { "" }
}

fn if_exists(b: bool) -> &'static str {
    if b { " IF EXISTS" } else { "" }
}

fn write_column_defs(f: &mut Formatter<'_>, cols: &[ColumnDef]) -> fmt::Result {
    for (i, c) in cols.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{} {}", c.name, c.ty)?;
        if c.is_static {
            f.write_str(" STATIC")?;
        }
        if c.primary_key {
            f.write_str(" PRIMARY KEY")?;
        }
    }
    Ok(())
}

fn write_renames(f: &mut Formatter<'_>, renames: &[(Ident, Ident)]) -> fmt::Result {
    for (i, (a, b)) in renames.iter().enumerate() {
        if i > 0 {
            f.write_str(" AND ")?;
        }
        write!(f, "{a} TO {b}")?;
    }
    Ok(())
}

impl Display for CreateTable {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "CREATE TABLE{} {} (", if_not_exists(self.if_not_exists), self.name)?;
        write_column_defs(f, &self.columns)?;
        if let Some((pk, ck)) = &self.primary_key {
            write!(f, ", PRIMARY KEY (({})", List(pk))?;
            for c in ck {
                write!(f, ", {c}")?;
            }
            f.write_str(")")?;
        }
        f.write_str(")")?;
        let mut first = true;
        if self.compact_storage {
            f.write_str(" WITH COMPACT STORAGE")?;
            first = false;
        }
        if !self.clustering_order.is_empty() {
            f.write_str(if first { " WITH" } else { " AND" })?;
            f.write_str(" CLUSTERING ORDER BY (")?;
            for (i, (c, o)) in self.clustering_order.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{c} {o}")?;
            }
            f.write_str(")")?;
            first = false;
        }
        write_props(f, first, &self.options)
    }
}

impl Display for Select {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        f.write_str("SELECT ")?;
        if self.json {
            f.write_str("JSON ")?;
        }
        if self.distinct {
            f.write_str("DISTINCT ")?;
        }
        if self.items.is_empty() {
            f.write_str("*")?;
        } else {
            write!(f, "{}", List(&self.items))?;
        }
        if let Some(t) = &self.table {
            write!(f, " FROM {t}")?;
        }
        write_where(f, &self.relations)?;
        if !self.group_by.is_empty() {
            write!(f, " GROUP BY {}", List(&self.group_by))?;
        }
        if !self.order_by.is_empty() {
            f.write_str(" ORDER BY ")?;
            for (i, (c, o)) in self.order_by.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{c} {o}")?;
            }
        }
        if let Some(l) = &self.per_partition_limit {
            write!(f, " PER PARTITION LIMIT {l}")?;
        }
        if let Some(l) = &self.limit {
            write!(f, " LIMIT {l}")?;
        }
        if self.allow_filtering {
            f.write_str(" ALLOW FILTERING")?;
        }
        Ok(())
    }
}

impl Display for Statement {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Statement::Use(ks) => write!(f, "USE {ks}"),
            Statement::CreateKeyspace { if_not_exists: ine, name, options } => {
                write!(f, "CREATE KEYSPACE{} {name}", if_not_exists(*ine))?;
                write_props(f, true, options)
            }
            Statement::AlterKeyspace { if_exists: ie, name, options } => {
                write!(f, "ALTER KEYSPACE{} {name}", if_exists(*ie))?;
                write_props(f, true, options)
            }
            Statement::DropKeyspace { if_exists: ie, name } => {
                write!(f, "DROP KEYSPACE{} {name}", if_exists(*ie))
            }
            Statement::CreateTable(ct) => write!(f, "{ct}"),
            Statement::AlterTable { if_exists: ie, name, action } => {
                write!(f, "ALTER TABLE{} {name} ", if_exists(*ie))?;
                match action {
                    AlterTableAction::Add(ine, cols) => {
                        write!(f, "ADD{} ", if_not_exists(*ine))?;
                        if cols.len() == 1 {
                            return write_column_defs(f, cols);
                        }
                        f.write_str("(")?;
                        write_column_defs(f, cols)?;
                        f.write_str(")")
                    }
                    AlterTableAction::Drop(ie, cols, ts) => {
                        if cols.len() == 1 {
                            write!(f, "DROP{} {}", if_exists(*ie), List(cols))?;
                        } else {
                            write!(f, "DROP{} ({})", if_exists(*ie), List(cols))?;
                        }
                        match ts {
                            Some(ts) => write!(f, " USING TIMESTAMP {ts}"),
                            None => Ok(()),
                        }
                    }
                    AlterTableAction::Rename(ie, rs) => {
                        write!(f, "RENAME{} ", if_exists(*ie))?;
                        write_renames(f, rs)
                    }
                    AlterTableAction::AlterType(c, t) => write!(f, "ALTER {c} TYPE {t}"),
                    AlterTableAction::With(props) => {
                        f.write_str("WITH ")?;
                        for (i, p) in props.iter().enumerate() {
                            if i > 0 {
                                f.write_str(" AND ")?;
                            }
                            write!(f, "{p}")?;
                        }
                        Ok(())
                    }
                }
            }
            Statement::DropTable { if_exists: ie, name } => {
                write!(f, "DROP TABLE{} {name}", if_exists(*ie))
            }
            Statement::Truncate(name) => write!(f, "TRUNCATE TABLE {name}"),
            Statement::CreateType { if_not_exists: ine, name, fields } => {
                write!(f, "CREATE TYPE{} {name} (", if_not_exists(*ine))?;
                for (i, (n, t)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{n} {t}")?;
                }
                f.write_str(")")
            }
            Statement::AlterType { if_exists: ie, name, action } => {
                write!(f, "ALTER TYPE{} {name} ", if_exists(*ie))?;
                match action {
                    AlterTypeAction::Add(ine, n, t) => {
                        write!(f, "ADD{} {n} {t}", if_not_exists(*ine))
                    }
                    AlterTypeAction::Rename(ie, rs) => {
                        write!(f, "RENAME{} ", if_exists(*ie))?;
                        write_renames(f, rs)
                    }
                    AlterTypeAction::AlterType(n, t) => write!(f, "ALTER {n} TYPE {t}"),
                }
            }
            Statement::DropType { if_exists: ie, name } => {
                write!(f, "DROP TYPE{} {name}", if_exists(*ie))
            }
            Statement::CreateIndex { if_not_exists: ine, name, table, target, custom, options } => {
                f.write_str(if custom.is_some() { "CREATE CUSTOM INDEX" } else { "CREATE INDEX" })?;
                f.write_str(if_not_exists(*ine))?;
                if let Some(n) = name {
                    write!(f, " {n}")?;
                }
                write!(f, " ON {table} (")?;
                let (kind, col) = target;
                match kind {
                    IndexKind::Simple => write!(f, "{col}")?,
                    IndexKind::Keys => write!(f, "KEYS({col})")?,
                    IndexKind::Values => write!(f, "VALUES({col})")?,
                    IndexKind::Entries => write!(f, "ENTRIES({col})")?,
                    IndexKind::Full => write!(f, "FULL({col})")?,
                }
                f.write_str(")")?;
                if let Some(c) = custom {
                    write!(f, " USING {}", quote_str(c))?;
                }
                write_props(f, true, options)
            }
            Statement::DropIndex { if_exists: ie, name } => {
                write!(f, "DROP INDEX{} {name}", if_exists(*ie))
            }
            Statement::Insert { table, values, if_not_exists: ine, using } => {
                write!(f, "INSERT INTO {table} ")?;
                match values {
                    InsertValues::Values(cols, terms) => {
                        write!(f, "({}) VALUES ({})", List(cols), List(terms))?;
                    }
                    InsertValues::Json(t, unset) => {
                        write!(f, "JSON {t}")?;
                        if *unset {
                            f.write_str(" DEFAULT UNSET")?;
                        }
                    }
                }
                write!(f, "{}{using}", if_not_exists(*ine))
            }
            Statement::Update { table, using, assignments, relations, conditions } => {
                write!(f, "UPDATE {table}{using} SET {}", List(assignments))?;
                write_where(f, relations)?;
                write!(f, "{conditions}")
            }
            Statement::Delete { targets, table, using, relations, conditions } => {
                f.write_str("DELETE ")?;
                if !targets.is_empty() {
                    write!(f, "{} ", List(targets))?;
                }
                write!(f, "FROM {table}{using}")?;
                write_where(f, relations)?;
                write!(f, "{conditions}")
            }
            Statement::Batch { kind, using, statements } => {
                f.write_str(match kind {
                    BatchKind::Logged => "BEGIN BATCH",
                    BatchKind::Unlogged => "BEGIN UNLOGGED BATCH",
                    BatchKind::Counter => "BEGIN COUNTER BATCH",
                })?;
                write!(f, "{using}")?;
                for s in statements {
                    write!(f, " {s};")?;
                }
                f.write_str(" APPLY BATCH")
            }
            Statement::Select(s) => write!(f, "{s}"),
            Statement::Describe(d) => write!(f, "{d}"),
            Statement::Unsupported { text, .. } => f.write_str(text),
        }
    }
}
