//! Scalar constants of CQL syntax and their conversion to values.

/// A scalar literal as the lexer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Constant {
    /// A quoted string (`'...'` or `$$...$$`), unescaped.
    String(String),
    /// An integer literal, possibly with a leading `-`.
    Integer(String),
    /// A floating-point literal (`1.5`, `-2e10`).
    Float(String),
    /// `true` or `false`.
    Boolean(bool),
    /// An unquoted UUID literal.
    Uuid(String),
    /// A blob literal: the hex digits after `0x`.
    Hex(String),
    /// A duration literal (`1h30m`, `P1D`, ...).
    Duration(String),
    /// `NaN`.
    NaN,
    /// `Infinity`.
    Infinity,
    /// `-Infinity`.
    NegInfinity,
}

/// Cassandra's reserved keywords, which identifiers must quote.
const RESERVED: &[&str] = &[
    "add",
    "allow",
    "alter",
    "and",
    "apply",
    "asc",
    "authorize",
    "batch",
    "begin",
    "by",
    "columnfamily",
    "create",
    "default",
    "delete",
    "desc",
    "describe",
    "drop",
    "entries",
    "execute",
    "from",
    "full",
    "grant",
    "if",
    "in",
    "index",
    "infinity",
    "insert",
    "into",
    "is",
    "keyspace",
    "limit",
    "mbean",
    "mbeans",
    "modify",
    "nan",
    "norecursive",
    "not",
    "null",
    "of",
    "on",
    "or",
    "order",
    "primary",
    "rename",
    "replace",
    "revoke",
    "schema",
    "select",
    "set",
    "table",
    "to",
    "token",
    "truncate",
    "unlogged",
    "unset",
    "update",
    "use",
    "using",
    "view",
    "where",
    "with",
];

/// Whether `word` (lower case) is a reserved CQL keyword.
pub(crate) fn is_reserved_keyword(word: &str) -> bool {
    RESERVED.contains(&word)
}
