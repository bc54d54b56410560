//! `--data FILE`: the database survives restarts. The file is read once at start, and
//! written after writes (at most once a second) and at shutdown, always whole, through a
//! temporary file renamed over the old one so a crash never leaves half a snapshot.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use cqlfiddle_engine::Engine;

use crate::db::Db;
use crate::error::Error;

/// How often the saver checks for unsaved writes.
const SAVE_INTERVAL: Duration = Duration::from_secs(1);

/// The engine stored at `path`, or `None` when there is no file yet.
pub fn load(path: &Path) -> Result<Option<Engine>, Error> {
    match std::fs::read(path) {
        Ok(bytes) => Engine::restore(&bytes)
            .map(Some)
            .map_err(|source| Error::Restore { path: path.to_path_buf(), source }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(source) => Err(Error::Io { path: path.to_path_buf(), source }),
    }
}

/// Writes `bytes` to `path` atomically: a sibling temporary file, synced, then renamed.
pub fn save(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let temp = temp_path(path);
    let io = |source| Error::Io { path: temp.clone(), source };
    {
        use std::io::Write as _;
        let mut file = std::fs::File::create(&temp).map_err(io)?;
        file.write_all(bytes).map_err(io)?;
        file.sync_all().map_err(io)?;
    }
    std::fs::rename(&temp, path).map_err(|source| Error::Io { path: path.to_path_buf(), source })
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".tmp");
    path.with_file_name(name)
}

/// Saves `db` to `path` if anything changed since the last save.
pub fn save_if_dirty(db: &Db, path: &Path) -> Result<(), Error> {
    // The periodic saver and the final save at shutdown may overlap; one writer at a time
    // keeps them off each other's temporary file.
    static SAVING: Mutex<()> = Mutex::new(());
    let _saving = SAVING.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(bytes) = db.take_snapshot_if_dirty() {
        save(path, &bytes)?;
    }
    Ok(())
}

/// Saves changes every second until the task is dropped.
pub async fn autosave(db: Db, path: PathBuf) {
    let mut tick = tokio::time::interval(SAVE_INTERVAL);
    loop {
        tick.tick().await;
        let (db, path) = (db.clone(), path.clone());
        let saved = tokio::task::spawn_blocking(move || save_if_dirty(&db, &path)).await;
        match saved {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "saving the database failed"),
            Err(e) => tracing::error!(error = %e, "the save task failed"),
        }
    }
}

#[cfg(test)]
mod tests;
