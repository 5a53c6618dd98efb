//! Files watchfloor writes for people (exports, reports, calendars, postmortems): new,
//! readable by their owner only, and never through a link someone planted where the
//! file will be written. An existing file is replaced only when asked, by a new file
//! renamed over it.

use std::io::Write;
use std::path::Path;

/// What to do when the path already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// Refuse, leaving it as it is.
    Refuse,
    /// Replace it (never through a link).
    Replace,
}

/// The directory a file was written into, in full: said after the file's name, so a
/// footer that cuts a long line still shows the name.
pub fn directory_of(path: &Path) -> String {
    std::fs::canonicalize(path)
        .ok()
        .and_then(|p| p.parent().map(|d| d.display().to_string()))
        .unwrap_or_else(|| ".".into())
}

/// Writes `bytes` to a new private file at `path`.
pub fn write_private(path: &Path, bytes: &[u8], existing: Existing) -> Result<(), String> {
    let shown = path.display();
    match (std::fs::symlink_metadata(path), existing) {
        (Err(_), _) => create_new(path, bytes).map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!("{shown} already exists"),
            _ => format!("{shown}: {e}"),
        }),
        (Ok(meta), _) if meta.file_type().is_symlink() => Err(format!(
            "{shown} is a symbolic link; nothing is written through it"
        )),
        (Ok(_), Existing::Refuse) => Err(format!(
            "{shown} already exists; nothing was written (--replace overwrites it)"
        )),
        (Ok(meta), Existing::Replace) if !meta.is_file() => Err(format!(
            "{shown} is not a regular file; nothing was written"
        )),
        (Ok(_), Existing::Replace) => replace(path, bytes).map_err(|e| format!("{shown}: {e}")),
    }
}

/// A new file (`O_EXCL`, so a link in its place is refused too), mode 0600.
fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600).custom_flags(libc::O_NOFOLLOW);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// A new private file beside `path`, renamed over it when complete.
fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_new_file_is_private_an_existing_one_is_kept_and_a_link_is_never_followed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        write_private(&path, b"one", Existing::Refuse).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let refused = write_private(&path, b"two", Existing::Refuse).unwrap_err();
        assert!(refused.contains("already exists"), "{refused}");
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_private(&path, b"three", Existing::Replace).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"three");
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);

        let secret = dir.path().join("secret.txt");
        std::fs::write(&secret, "secret").unwrap();
        let link = dir.path().join("planted.json");
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        for existing in [Existing::Refuse, Existing::Replace] {
            let refused = write_private(&link, b"export", existing).unwrap_err();
            assert!(refused.contains("symbolic link"), "{refused}");
        }
        assert_eq!(std::fs::read_to_string(&secret).unwrap(), "secret");
        let dangling = dir.path().join("dangling.json");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(write_private(&dangling, b"export", Existing::Refuse).is_err());
        assert!(!dir.path().join("nowhere").exists());
    }
}
