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

/// Removes the temporary files that an interrupted run left in `dir`: names
/// made by [`temporary_sibling`] (`NAME.PID.tmp`, optionally followed by an
/// extension) whose process is no longer running. Returns how many were
/// removed.
///
/// NOTE: whether a process runs is read from `/proc`, so on systems without
/// it every temporary of another process counts as stale.
///
/// # Errors
/// The I/O error of reading `dir`; files that cannot be removed are skipped.
pub fn remove_stale_temporaries(dir: &Path) -> io::Result<usize> {
    let mut removed = 0;
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(temporary_pid) else {
            continue;
        };
        let running =
            pid == std::process::id() || Path::new("/proc").join(pid.to_string()).exists();
        if !running && entry.file_type()?.is_file() && fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    Ok(removed)
}

/// Returns the process id in a name made by [`temporary_sibling`], if it is one.
fn temporary_pid(name: &str) -> Option<u32> {
    let (before, _) = name.rsplit_once(".tmp")?;
    let (_, pid) = before.rsplit_once('.')?;
    pid.parse().ok()
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

    #[test]
    fn stale_temporaries_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // Process ids are below 2^22 on Linux, so this one is not running.
        let stale = ["summary.json.4999999.tmp", "figure.png.4999999.tmp.png"];
        for name in stale {
            fs::write(dir.path().join(name), b"partial").unwrap();
        }
        let own = temporary_sibling(&dir.path().join("own.json"));
        fs::write(&own, b"in progress").unwrap();
        fs::write(dir.path().join("notes.tmp"), b"kept").unwrap();
        fs::write(dir.path().join("summary.json"), b"{}").unwrap();

        assert_eq!(remove_stale_temporaries(dir.path()).unwrap(), 2);
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .unwrap()
            .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        let own_name = own.file_name().unwrap().to_string_lossy().into_owned();
        let mut expected = vec![
            "notes.tmp".to_string(),
            own_name,
            "summary.json".to_string(),
        ];
        expected.sort();
        assert_eq!(names, expected);
    }
}
