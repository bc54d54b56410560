use std::fmt;

/// The class of a failure, mirroring the error codes of Cassandra's native protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The statement does not parse (protocol code 0x2000).
    Syntax,
    /// The statement parses but is not valid (0x2200).
    Invalid,
    /// The statement tries to create something that exists (0x2400).
    AlreadyExists,
    /// The statement needs a permission the caller lacks (0x2100).
    Unauthorized,
    /// The engine does not implement this feature.
    Unsupported,
    /// The statement would take the engine past one of its memory limits.
    LimitExceeded,
}

impl ErrorKind {
    /// The native protocol's error code for this kind; engine-only kinds map to the
    /// closest protocol code (unsupported features and limits are invalid requests).
    pub fn code(self) -> u32 {
        match self {
            ErrorKind::Syntax => 0x2000,
            ErrorKind::Unauthorized => 0x2100,
            ErrorKind::Invalid | ErrorKind::Unsupported | ErrorKind::LimitExceeded => 0x2200,
            ErrorKind::AlreadyExists => 0x2400,
        }
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Syntax => "syntax error",
            ErrorKind::Invalid => "invalid request",
            ErrorKind::AlreadyExists => "already exists",
            ErrorKind::Unauthorized => "unauthorized",
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::LimitExceeded => "limit exceeded",
        })
    }
}

/// A failed statement, worded as Cassandra words it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The statement does not parse (Cassandra's `SyntaxException`); the message
    /// starts with the `line L:C` position of the offending token.
    #[error("{0}")]
    Syntax(String),
    /// The statement parses but is not valid (Cassandra's `InvalidRequestException`).
    #[error("{0}")]
    Invalid(String),
    /// A keyspace, table, type or index of that name exists (`AlreadyExistsException`).
    #[error("{message}")]
    AlreadyExists {
        /// Cassandra's message.
        message: String,
        /// The keyspace the existing object lives in.
        keyspace: String,
        /// The existing table, or empty for a keyspace.
        table: String,
    },
    /// The caller may not do this (`UnauthorizedException`), e.g. altering a system keyspace.
    #[error("{0}")]
    Unauthorized(String),
    /// A CQL feature the engine does not implement; the message names it and says what
    /// to use instead.
    #[error("{message}")]
    Unsupported {
        /// The feature, e.g. `materialized views`.
        feature: String,
        /// The full message shown to the user.
        message: String,
    },
    /// A memory limit of the engine was reached.
    #[error("{0}")]
    LimitExceeded(String),
}

impl Error {
    /// An invalid request (Cassandra's `InvalidRequestException`).
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::Invalid(message.into())
    }

    /// A statement that does not parse (Cassandra's `SyntaxException`).
    pub fn syntax(message: impl Into<String>) -> Self {
        Error::Syntax(message.into())
    }

    /// A feature the engine does not implement.
    pub fn unsupported(feature: impl Into<String>) -> Self {
        let feature = feature.into();
        let message = format!(
            "{feature} are not supported by cqlfiddle's in-memory engine; \
             try them on a real Cassandra cluster"
        );
        Error::Unsupported { feature, message }
    }

    /// The class of this failure.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Syntax(_) => ErrorKind::Syntax,
            Error::Invalid(_) => ErrorKind::Invalid,
            Error::AlreadyExists { .. } => ErrorKind::AlreadyExists,
            Error::Unauthorized(_) => ErrorKind::Unauthorized,
            Error::Unsupported { .. } => ErrorKind::Unsupported,
            Error::LimitExceeded(_) => ErrorKind::LimitExceeded,
        }
    }

    /// The message, worded as Cassandra words it.
    pub fn message(&self) -> &str {
        match self {
            Error::Syntax(m) | Error::Invalid(m) | Error::Unauthorized(m) => m,
            Error::LimitExceeded(m) => m,
            Error::AlreadyExists { message, .. } | Error::Unsupported { message, .. } => message,
        }
    }
}
