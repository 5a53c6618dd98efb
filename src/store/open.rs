//! Opening a database: the file, its permissions and the connection's pragmas.

use super::db::{Db, PgConn};
use super::{FileSharing, OpenMode, Store, StoreError, migrations};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

pub(super) const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub fn open_file(path: &Path, mode: OpenMode, sharing: FileSharing) -> Result<Store, StoreError> {
    let io = |e: std::io::Error| StoreError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    if path.is_dir() {
        return Err(StoreError::Io {
            path: path.to_path_buf(),
            message: "is a directory, not a database file".into(),
        });
    }
    refuse_tampered(path)?;
    let flags = match mode {
        OpenMode::ReadOnly => {
            if !path.exists() {
                return Err(StoreError::Io {
                    path: path.to_path_buf(),
                    message: "no such database (read-only mode does not create one)".into(),
                });
            }
            OpenFlags::SQLITE_OPEN_READ_ONLY
        }
        OpenMode::ReadWrite => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(io)?;
            }
            create_file(path, sharing).map_err(io)?;
            refuse_unwritable(path)?;
            OpenFlags::SQLITE_OPEN_READ_WRITE
        }
    } | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;

    let conn = Connection::open_with_flags(path, flags).map_err(|e| StoreError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    })?;
    // The first read is where SQLite notices a file that is not a database.
    let not_a_database = |e: rusqlite::Error| match StoreError::from(e) {
        StoreError::NotADatabase { .. } => StoreError::NotADatabase {
            path: path.to_path_buf(),
        },
        StoreError::Damaged { detail, .. } => StoreError::Damaged {
            path: path.to_path_buf(),
            detail,
        },
        other => other,
    };
    conn.query_row("PRAGMA schema_version", [], |r| r.get::<_, i64>(0))
        .map_err(not_a_database)?;
    configure(&conn, mode).map_err(not_a_database)?;
    let db = Db::Sqlite(conn);
    migrations::migrate(&db, path, mode == OpenMode::ReadWrite)?;
    Ok(Store {
        db,
        path: Some(path.to_path_buf()),
        mode,
        sharing,
    })
}

pub fn open_memory() -> Result<Store, StoreError> {
    let conn = Connection::open_in_memory()?;
    configure(&conn, OpenMode::ReadWrite)?;
    let db = Db::Sqlite(conn);
    migrations::migrate(&db, Path::new(":memory:"), true)?;
    Ok(Store {
        db,
        path: None,
        mode: OpenMode::ReadWrite,
        sharing: FileSharing::Private,
    })
}

/// Whether `--db` names a PostgreSQL server rather than a file.
pub fn is_server_url(location: &str) -> bool {
    location.starts_with("postgres://") || location.starts_with("postgresql://")
}

/// What a read-only connection to a server runs first.
pub const READ_ONLY_SESSION: &str =
    "SET lock_timeout = '5s'; SET default_transaction_read_only = on";

/// What a read-write connection to a server runs first.
pub const READ_WRITE_SESSION: &str = "SET lock_timeout = '5s'";

/// Connects to a PostgreSQL server and migrates the database there.
pub fn open_server(url: &str, mode: OpenMode) -> Result<Store, StoreError> {
    // A writer waits for another as long as on SQLite (each attempt of three); a
    // read-only console cannot write even by mistake.
    let session = match mode {
        OpenMode::ReadWrite => READ_WRITE_SESSION,
        OpenMode::ReadOnly => READ_ONLY_SESSION,
    };
    let pg = PgConn::connect(url, session)?;
    let location = std::path::PathBuf::from(pg.location());
    let db = Db::Postgres(Box::new(pg));
    migrations::migrate(&db, &location, mode == OpenMode::ReadWrite)?;
    Ok(Store {
        db,
        path: None,
        mode,
        sharing: FileSharing::Private,
    })
}

fn configure(conn: &Connection, mode: OpenMode) -> rusqlite::Result<()> {
    conn.busy_timeout(BUSY_TIMEOUT)?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Functions and virtual tables in the schema (triggers, views) run only when they
    // are marked harmless: a schema someone else wrote cannot make a write do more.
    conn.pragma_update(None, "trusted_schema", "OFF")?;
    if mode == OpenMode::ReadWrite {
        conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get::<_, String>(0))?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
    }
    Ok(())
}

/// Refuses a database someone else could have planted or changed: a file every user
/// may write, or one in a directory every user may write (like `/tmp`) that belongs
/// to another user. Either could hold triggers that run on every write, and its owner
/// could read what is written; a team sharing a file does it through a group instead.
#[allow(unsafe_code, reason = "geteuid, to compare the file's owner with ours")]
fn refuse_tampered(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let Ok(file) = std::fs::metadata(path) else {
            return Ok(());
        };
        let refuse = |message: String| {
            Err(StoreError::Io {
                path: path.to_path_buf(),
                message,
            })
        };
        if file.mode() & 0o002 != 0 {
            return refuse(format!(
                "refused: every user may write this file (mode {:o}), so anyone could have changed it; check it, then chmod o-w it (or restore a backup)",
                file.mode() & 0o777
            ));
        }
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        // SAFETY: geteuid cannot fail and touches no memory.
        let me = unsafe { libc::geteuid() };
        let open_dir = std::fs::metadata(dir).is_ok_and(|d| d.mode() & 0o002 != 0);
        if open_dir && file.uid() != me {
            return refuse(format!(
                "refused: it belongs to another user (uid {}) in a directory every user may write, so it could be anyone's; keep the database in a directory of your own",
                file.uid()
            ));
        }
    }
    Ok(())
}

/// SQLite would open a file it cannot write read-only without a word, and fail at the
/// first write; say so at the start instead. The directory matters too: the write-ahead
/// log and its index are files beside the database.
#[allow(
    unsafe_code,
    reason = "libc::access: the kernel's own answer for this user"
)]
fn refuse_unwritable(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let writable = |p: &Path| {
            std::ffi::CString::new(p.as_os_str().as_bytes())
                // SAFETY: access only reads the NUL-terminated path it is given.
                .is_ok_and(|c| unsafe { libc::access(c.as_ptr(), libc::W_OK) } == 0)
        };
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        for (what, p) in [("the file", path), ("its directory", dir)] {
            if !writable(p) {
                return Err(StoreError::Io {
                    path: path.to_path_buf(),
                    message: format!(
                        "cannot be written: {what} is read-only to you; add --read-only to look without changing anything"
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Creates a file readable by its owner only (or its group too, when shared); an
/// existing file is left as it is.
pub(super) fn create_file(path: &Path, sharing: FileSharing) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(sharing.mode());
    }
    match options.open(path) {
        Ok(_) => {
            // The umask may have taken the group's write bit: set the mode outright.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(sharing.mode()))?;
            }
            Ok(())
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}
