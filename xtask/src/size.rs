//! `cargo xtask size`: how many bytes a visitor downloads, raw and gzipped.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use flate2::Compression;
use flate2::write::GzEncoder;

/// Prints the sizes of the release frontend (`dist/`) and Worker bundle (`worker/build/`).
pub(crate) fn report(root: &Path) -> Result<()> {
    let groups = [("frontend", root.join("dist")), ("worker", root.join("worker/build"))];
    println!("{:<10} {:<44} {:>10} {:>10}", "bundle", "file", "raw", "gzip");
    for (label, dir) in groups {
        let files = bundle_files(&dir)?;
        if files.is_empty() {
            bail!("no .wasm or .js files in {}: run `cargo xtask build` first", dir.display());
        }
        let (mut raw_total, mut gz_total) = (0, 0);
        for file in files {
            let bytes =
                std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let gz = gzip_len(&bytes)?;
            raw_total += bytes.len();
            gz_total += gz;
            let name = file.strip_prefix(root).unwrap_or(&file).display().to_string();
            println!("{label:<10} {name:<44} {:>10} {gz:>10}", bytes.len());
        }
        println!("{label:<10} {:<44} {raw_total:>10} {gz_total:>10}", "total");
    }
    Ok(())
}

/// The `.wasm` and `.js` files directly in `dir` or one level below, sorted by name.
fn bundle_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut dirs = vec![(dir.to_path_buf(), 0)];
    while let Some((current, depth)) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else { continue };
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() && depth == 0 {
                dirs.push((path, depth + 1));
            } else if path.extension().is_some_and(|e| e == "wasm" || e == "js") {
                found.push(path);
            }
        }
    }
    found.sort();
    Ok(found)
}

/// The gzip size at the level static hosts typically use.
fn gzip_len(bytes: &[u8]) -> Result<usize> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::new(9));
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}
