use std::path::PathBuf;

/// What can go wrong in the store, in words a user can act on. No driver type leaks out.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: not a watchfloor database (the file exists but is not SQLite)")]
    NotADatabase { path: PathBuf },
    #[error(
        "{path}: written by a newer watchfloor (schema version {found}, this build knows up to {supported}); upgrade watchfloor to open it"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },
    #[error(
        "{path}: the database needs upgrading to schema version {latest} (it is at {found}); open it once without --read-only"
    )]
    NeedsMigration {
        path: PathBuf,
        found: i64,
        latest: i64,
    },
    #[error("{path}: {message}")]
    Io { path: PathBuf, message: String },
    #[error("the database is open read-only; nothing can be changed")]
    ReadOnly,
    #[error(
        "{entity} was changed by someone else (you had version {expected}, it is now at {found}); reload and try again"
    )]
    Conflict {
        entity: String,
        expected: i64,
        found: i64,
    },
    #[error("{0} does not exist")]
    NotFound(String),
    #[error("unknown {kind} '{name}'")]
    UnknownReference { kind: &'static str, name: String },
    #[error("the database is busy (another console is writing); try again")]
    Busy,
    #[error("the disk is full; nothing was written (free some space and try again)")]
    DiskFull,
    #[error("could not write the database file ({0}); nothing was written")]
    WriteFailed(String),
    #[error(
        "{path}: the database file is damaged ({detail}); `watchfloor check` lists the damage, `watchfloor restore BACKUP` brings back a backup"
    )]
    Damaged { path: PathBuf, detail: String },
    #[error("{path}: the backup is damaged ({detail}); nothing was restored")]
    DamagedBackup { path: PathBuf, detail: String },
    #[error("the change breaks a rule of the data: {0}")]
    Constraint(String),
    #[error("stored data is unreadable: {0}")]
    Corrupt(String),
    #[error("{location}: {message}")]
    Server { location: String, message: String },
    #[error(
        "the connection to the PostgreSQL server was lost ({0}); the next refresh connects again"
    )]
    ConnectionLost(String),
    #[error("database error: {0}")]
    Database(String),
}

impl From<postgres::Error> for StoreError {
    fn from(e: postgres::Error) -> Self {
        let Some(db) = e.as_db_error() else {
            // Not an answer from the server: the connection itself failed.
            let io = std::error::Error::source(&e).is_some_and(|s| s.is::<std::io::Error>());
            return if e.is_closed() || io {
                StoreError::ConnectionLost(e.to_string())
            } else {
                StoreError::Database(e.to_string())
            };
        };
        let message = match db.detail() {
            Some(detail) => format!("{} ({detail})", db.message()),
            None => db.message().to_string(),
        };
        match db.code().code() {
            // serialization failure, deadlock, lock not available
            "40001" | "40P01" | "55P03" => {
                tracing::warn!(error = %message, "database busy");
                StoreError::Busy
            }
            "25006" => StoreError::ReadOnly,
            // the server ended the session: shut down, restarted, or an administrator
            code if code.starts_with("57P") || code.starts_with("08") => {
                StoreError::ConnectionLost(message)
            }
            "53100" => StoreError::DiskFull,
            // a RAISE from a trigger (the append-only rules) and the integrity classes
            code if code == "P0001" || code.starts_with("23") => StoreError::Constraint(message),
            _ => StoreError::Database(message),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        match e.sqlite_error_code() {
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                tracing::warn!(error = %e, "database busy");
                StoreError::Busy
            }
            Some(ErrorCode::ConstraintViolation) => StoreError::Constraint(e.to_string()),
            Some(ErrorCode::ReadOnly) => StoreError::ReadOnly,
            Some(ErrorCode::DiskFull) => StoreError::DiskFull,
            Some(ErrorCode::SystemIoFailure) => StoreError::WriteFailed(e.to_string()),
            Some(ErrorCode::DatabaseCorrupt) => StoreError::Damaged {
                path: PathBuf::from("database"),
                detail: e.to_string(),
            },
            Some(ErrorCode::NotADatabase) => StoreError::NotADatabase {
                path: PathBuf::from("database"),
            },
            _ => match e {
                rusqlite::Error::FromSqlConversionFailure(..)
                | rusqlite::Error::InvalidColumnType(..) => StoreError::Corrupt(e.to_string()),
                other => StoreError::Database(other.to_string()),
            },
        }
    }
}
