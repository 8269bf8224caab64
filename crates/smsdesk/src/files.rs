//! Files the person picks (an import, an export): read with a size cap, written whole, and
//! every failure named in plain words. The app shows the file dialog; these take its path.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// Reads the file at `path`, at most `max_bytes` (`Ok(None)` when it is bigger).
pub fn read_capped(path: &Path, max_bytes: u64) -> Result<Option<Vec<u8>>> {
    let unreadable = |e: std::io::Error| Error::FileUnreadable {
        file: file_name(path),
        reason: io_reason(&e),
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(unreadable)?;
    Ok((bytes.len() as u64 <= max_bytes).then_some(bytes))
}

/// Creates (or replaces) the file at `path` and lets `fill` write it.
pub fn write_with<T>(
    path: &Path,
    fill: impl FnOnce(&mut std::io::BufWriter<std::fs::File>) -> Result<T>,
) -> Result<T> {
    let not_saved = |e: std::io::Error| Error::FileNotSaved {
        file: file_name(path),
        reason: io_reason(&e),
    };
    let file = std::fs::File::create(path).map_err(not_saved)?;
    let mut out = std::io::BufWriter::new(file);
    let value = fill(&mut out)?;
    let file = out.into_inner().map_err(|e| not_saved(e.into_error()))?;
    file.sync_all().map_err(not_saved)?;
    Ok(value)
}

/// [`read_capped`], off the async runtime (a list of numbers may be tens of megabytes).
pub async fn read_capped_async(path: &Path, max_bytes: u64) -> Result<Option<Vec<u8>>> {
    let (at, file) = (path.to_owned(), file_name(path));
    crate::blocking::off_runtime(
        move || read_capped(&at, max_bytes),
        |reason| Error::FileUnreadable { file, reason },
    )
    .await
}

/// Writes `bytes` as the whole file at `path` (see [`write_with`]), off the async runtime.
pub async fn write_async(path: &Path, bytes: Vec<u8>) -> Result<()> {
    let (at, file) = (path.to_owned(), file_name(path));
    crate::blocking::off_runtime(
        move || {
            write_with(&at, |out| {
                std::io::Write::write_all(out, &bytes).map_err(|e| Error::FileNotSaved {
                    file: file_name(&at),
                    reason: io_reason(&e),
                })
            })
        },
        |reason| Error::FileNotSaved { file, reason },
    )
    .await
}

/// The file's name as people see it in a file dialog.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or(path.as_os_str())
        .to_string_lossy()
        .into_owned()
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "it is not there any more".into(),
        std::io::ErrorKind::PermissionDenied => {
            "this computer does not allow SMS Desk to use it".into()
        }
        std::io::ErrorKind::IsADirectory => "it is a folder, not a file".into(),
        _ => e.to_string(),
    }
}
