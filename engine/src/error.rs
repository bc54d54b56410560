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
    /// The engine does not implement this feature.
    Unsupported,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Syntax => "syntax error",
            ErrorKind::Invalid => "invalid request",
            ErrorKind::AlreadyExists => "already exists",
            ErrorKind::Unsupported => "unsupported",
        })
    }
}

/// A failed statement: its kind and Cassandra's message for it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    /// The class of the failure.
    pub kind: ErrorKind,
    /// The message, worded as Cassandra words it.
    pub message: String,
}

impl Error {
    /// An error of `kind` with `message`.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into() }
    }

    /// An invalid request (Cassandra's `InvalidRequestException`).
    pub fn invalid(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Invalid, message)
    }

    /// A statement that does not parse (Cassandra's `SyntaxException`).
    pub fn syntax(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Syntax, message)
    }
}
