//! The store: the only module that speaks SQL. It owns the connection and its invariants
//! (file mode, WAL, foreign keys, busy timeout, migrations) and answers in domain types,
//! so that another backend can stand behind the same API.
//!
//! Calls block on disk I/O: the TUI calls them from `update` when an action needs fresh
//! data and caches the result in its view models, never from `draw`.

mod alert_verdicts;
mod alerts;
mod articles;
pub use articles::ArticleFilter;
mod audiences;
mod audit;
mod changes;
mod columns;
mod conditions;
mod controls;
mod csat;
pub(crate) mod db;
pub mod document;
mod dump;
mod error;
mod exposition;
pub use exposition::HouseCounts;
mod external_refs;
mod handoffs;
mod heartbeats;
mod incidents;
mod kpi;
mod kpi_readings;
mod kpi_records;
mod maintenance;
mod migrations;
mod oncall;
mod open;
mod org;
mod paging;
mod records;
mod reviews;
mod row;
mod search_index;
mod settings;
mod ticket_articles;
mod ticket_history;
mod tickets;
mod tx;
mod vendors;

pub use crate::domain::TicketSort;
pub use alerts::{AlertCount, AlertMute};
pub use audit::AuditEntry;
pub use changes::Acknowledgements;
pub use csat::{CsatBy, CsatResponse, CsatSurvey};
pub use dump::TableDump;
pub use error::StoreError;
pub use kpi::{ChangeCounts, KpiFilter, SlaCounts, TicketCounts};
pub use kpi_records::TicketsBehind;
pub use maintenance::{Health, StagedBackup};
pub use migrations::LATEST_SCHEMA_VERSION;
pub use org::Stamped;
pub use paging::Reachability;
pub use records::RecordCounts;
pub use tickets::{TICKET_COUNT_CAP, TicketCount, TicketFilter, TicketQuery};
pub use tx::WriteTx;

use db::{Db, Dialect, params};
use std::path::{Path, PathBuf};

/// Whether a store may be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    ReadWrite,
    ReadOnly,
}

/// Who may read and write the files a store creates: the database and its backups.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum FileSharing {
    /// Its owner only (0600).
    #[default]
    Private,
    /// Its owner and its group (0660), for a team sharing one file through a Unix group.
    Group,
}

impl FileSharing {
    pub fn mode(self) -> u32 {
        match self {
            FileSharing::Private => 0o600,
            FileSharing::Group => 0o660,
        }
    }
}

pub struct Store {
    db: Db,
    path: Option<PathBuf>,
    mode: OpenMode,
    sharing: FileSharing,
}

impl Store {
    /// Opens (creating when needed, mode 0600) and migrates the database at `path`,
    /// or on the PostgreSQL server a `postgres://` URL names.
    pub fn open(path: &Path, mode: OpenMode) -> Result<Store, StoreError> {
        Store::open_shared(path, mode, FileSharing::Private)
    }

    /// As `open`, creating the database and its backups shared as asked.
    pub fn open_shared(
        path: &Path,
        mode: OpenMode,
        sharing: FileSharing,
    ) -> Result<Store, StoreError> {
        match path.to_str().filter(|p| open::is_server_url(p)) {
            Some(url) => open::open_server(url, mode),
            None => open::open_file(path, mode, sharing),
        }
    }

    /// A `--db` value as shown to users: a file's path, or a server's URL without its
    /// password.
    pub fn shown_location(location: &Path) -> String {
        match location.to_str().filter(|p| open::is_server_url(p)) {
            Some(url) => db::shown_url(url),
            None => location.display().to_string(),
        }
    }

    /// Whether a `--db` value names a PostgreSQL server (`postgres://…`) rather than
    /// a file.
    pub fn is_server_location(location: &Path) -> bool {
        location.to_str().is_some_and(open::is_server_url)
    }

    /// A private in-memory store, for unit tests and throwaway work.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        open::open_memory()
    }

    /// Another connection to the same database, read-only: for work that runs off the
    /// console's thread. A store in memory has none to give.
    pub fn reader(&self) -> Result<Store, StoreError> {
        match (&self.db, &self.path) {
            (Db::Postgres(pg), _) => Ok(Store {
                db: Db::Postgres(Box::new(pg.another(open::READ_ONLY_SESSION)?)),
                path: self.path.clone(),
                mode: OpenMode::ReadOnly,
                sharing: self.sharing,
            }),
            (Db::Sqlite(_), Some(path)) => open::open_file(path, OpenMode::ReadOnly, self.sharing),
            (Db::Sqlite(_), None) => Err(StoreError::NotFound(
                "a second connection to a store in memory".into(),
            )),
        }
    }

    /// Another connection to the same database in the same mode: for a writer on a
    /// thread of its own (the pager beside the listener).
    pub fn another(&self) -> Result<Store, StoreError> {
        match (&self.db, &self.path) {
            (Db::Postgres(pg), _) => Ok(Store {
                db: Db::Postgres(Box::new(pg.another(match self.mode {
                    OpenMode::ReadWrite => open::READ_WRITE_SESSION,
                    OpenMode::ReadOnly => open::READ_ONLY_SESSION,
                })?)),
                path: self.path.clone(),
                mode: self.mode,
                sharing: self.sharing,
            }),
            (Db::Sqlite(_), Some(path)) => open::open_file(path, self.mode, self.sharing),
            (Db::Sqlite(_), None) => Err(StoreError::NotFound(
                "a second connection to a store in memory".into(),
            )),
        }
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Where the data lives, as shown to users: the file, or the server without its
    /// password.
    pub fn location(&self) -> String {
        match (&self.db, &self.path) {
            (Db::Postgres(pg), _) => pg.location().to_string(),
            (Db::Sqlite(_), Some(path)) => path.display().to_string(),
            (Db::Sqlite(_), None) => "(in memory)".into(),
        }
    }

    pub fn mode(&self) -> OpenMode {
        self.mode
    }

    pub fn is_read_only(&self) -> bool {
        self.mode == OpenMode::ReadOnly
    }

    /// Changes whenever someone commits a change (on SQLite, only another connection);
    /// polled by consoles to refresh.
    /// A console on a server whose connection was lost (a restart, a network cut)
    /// connects again here, on its next poll.
    pub fn data_version(&self) -> Result<i64, StoreError> {
        match &self.db {
            Db::Sqlite(_) => self.db.query_value("PRAGMA data_version", params![]),
            Db::Postgres(pg) => {
                let poll = || {
                    self.db
                        .query_value("SELECT change_count FROM watchfloor_store", params![])
                };
                match poll() {
                    Err(StoreError::ConnectionLost(_)) => {
                        pg.reconnect()?;
                        poll()
                    }
                    other => other,
                }
            }
        }
    }

    pub fn schema_version(&self) -> Result<i64, StoreError> {
        migrations::current_version(&self.db)
    }

    /// Runs `work` on one consistent snapshot of the store: what other connections
    /// commit meanwhile stays out of sight until it returns.
    pub fn read_snapshot<T, E>(&self, work: impl FnOnce() -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        self.db.execute_batch(match self.db.dialect() {
            Dialect::Sqlite => "BEGIN",
            Dialect::Postgres => "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
        })?;
        let result = work();
        let end = self.db.execute_batch("COMMIT");
        let value = result?;
        end?;
        Ok(value)
    }

    /// Runs `work` inside one write transaction: committed when it returns
    /// `Ok`, rolled back (leaving the store exactly as it was) when it returns `Err`.
    pub fn write<T, E>(&self, work: impl FnOnce(&WriteTx<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        if self.is_read_only() {
            return Err(StoreError::ReadOnly.into());
        }
        let tx = WriteTx::begin(&self.db)?;
        let value = work(&tx)?;
        tx.commit()?;
        Ok(value)
    }
}
