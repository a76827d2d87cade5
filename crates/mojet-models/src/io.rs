//! Atomic file output: every result is written beside its destination and
//! renamed into place, so an interrupted run never leaves a truncated file.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Path of the temporary sibling used while `path` is being written.
pub fn temporary_sibling(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    path.with_file_name(name)
}

/// Writes `bytes` to `path` through a temporary sibling and a rename.
///
/// # Errors
/// Returns the I/O error with the path in its message; the temporary file is
/// removed on failure.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_atomic_with(path, |file| file.write_all(bytes))
}

/// Writes `path` through a temporary sibling with `write`, then renames it.
///
/// # Errors
/// Returns the first I/O error, naming the path; the temporary file is
/// removed on failure.
pub fn write_atomic_with<F>(path: &Path, write: F) -> io::Result<()>
where
    F: FnOnce(&mut fs::File) -> io::Result<()>,
{
    let tmp = temporary_sibling(path);
    let result = fs::File::create(&tmp)
        .and_then(|mut file| {
            write(&mut file)?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&tmp, path));
    if let Err(err) = result {
        let _ = fs::remove_file(&tmp);
        return Err(io::Error::new(
            err.kind(),
            format!("{}: cannot write: {err}", path.display()),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn write_atomic_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_atomic(&path, b"{}").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"{}");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn write_atomic_failure_names_path() {
        let path = Path::new("/nonexistent-dir/out.json");
        let err = write_atomic(path, b"{}").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("/nonexistent-dir/out.json: cannot write")
        );
    }

    #[test]
    fn failed_writer_keeps_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        write_atomic(&path, b"old").unwrap();
        let failed = write_atomic_with(&path, |_| Err(io::Error::other("interrupted")));
        assert!(failed.is_err());
        assert_eq!(fs::read(&path).unwrap(), b"old");
    }
}
