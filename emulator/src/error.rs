//! The emulator's own failures (the APIs' error envelopes live with each API).

use std::path::PathBuf;

/// A failure starting or running the emulator.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Reading or writing the `--data` file failed.
    #[error("could not read or write {}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The `--data` file is not a snapshot this engine can restore.
    #[error("{} is not a usable database snapshot", path.display())]
    Restore {
        /// The file.
        path: PathBuf,
        /// The engine's reason.
        source: cqlfiddle_engine::Error,
    },
}
