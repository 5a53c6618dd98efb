//! Keeping the file healthy: an integrity report, online backups and restoring one.
//! A backup is written beside its destination and renamed into place only when
//! complete, and a restore checks its source before touching anything, so neither
//! leaves a half-written database behind.

use super::db::Db;
use super::open::{BUSY_TIMEOUT, create_file};
use super::{LATEST_SCHEMA_VERSION, Store, StoreError};
use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};

/// What `PRAGMA integrity_check` and `PRAGMA foreign_key_check` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    pub schema_version: i64,
    /// Problems in the file's structure; empty when it is sound.
    pub integrity: Vec<String>,
    /// Rows that point at something missing, as `table row N → parent`.
    pub foreign_keys: Vec<String>,
    /// Whether the checks ran here; a PostgreSQL server keeps its own pages sound and
    /// never lets a foreign key dangle, so there they are the server's.
    pub checked_here: bool,
}

impl Health {
    pub fn is_sound(&self) -> bool {
        self.integrity.is_empty() && self.foreign_keys.is_empty()
    }
}

impl Store {
    /// On PostgreSQL the server keeps the files sound and enforces every foreign key
    /// itself: the report is the schema version.
    pub fn health(&self) -> Result<Health, StoreError> {
        let conn = match &self.db {
            Db::Sqlite(conn) => conn,
            Db::Postgres(_) => {
                return Ok(Health {
                    schema_version: self.schema_version()?,
                    integrity: Vec::new(),
                    foreign_keys: Vec::new(),
                    checked_here: false,
                });
            }
        };
        health_of(conn).map_err(|e| match (e, &self.path) {
            (StoreError::Damaged { detail, .. }, Some(path)) => StoreError::Damaged {
                path: path.clone(),
                detail,
            },
            (other, _) => other,
        })
    }

    /// Copies the whole database, consistent as of one moment, to `dest` (which must
    /// not exist) while other consoles go on reading and writing.
    pub fn backup_to(&self, dest: &Path) -> Result<(), StoreError> {
        self.sqlite()?;
        if dest.exists() {
            return Err(io_error(
                dest,
                "already exists; choose a new file for the backup",
            ));
        }
        let partial = partial_path(dest);
        let result = (|| {
            create_file(&partial, self.sharing).map_err(|e| io_error(&partial, &e.to_string()))?;
            let mut copy =
                Connection::open(&partial).map_err(|e| io_error(&partial, &e.to_string()))?;
            copy_all(self.sqlite()?, &mut copy)?;
            drop(copy);
            std::fs::rename(&partial, dest).map_err(|e| io_error(dest, &e.to_string()))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&partial);
        }
        result
    }

    /// A checked copy of the backup at `source`, beside this database and brought up
    /// to this schema, for the restore to add its audit row to before it replaces
    /// anything: so the restore and its record land together. Removed when dropped.
    pub fn stage_backup(&self, source: &Path) -> Result<StagedBackup, StoreError> {
        self.sqlite()?;
        let path = self
            .path
            .clone()
            .ok_or_else(|| StoreError::Database("an in-memory store has no file".into()))?;
        if self.is_read_only() {
            return Err(StoreError::ReadOnly);
        }
        let backup = open_backup(source)?;
        let staged = StagedBackup {
            path: partial_path(&path),
        };
        create_file(&staged.path, self.sharing)
            .map_err(|e| io_error(&staged.path, &e.to_string()))?;
        let mut copy =
            Connection::open(&staged.path).map_err(|e| io_error(&staged.path, &e.to_string()))?;
        copy_all(&backup, &mut copy)?;
        drop(copy);
        Ok(staged)
    }

    /// Replaces everything in this database with a staged backup, in one step.
    /// Other consoles on this file see the restored data on their next refresh.
    pub fn restore_from(&self, staged: &StagedBackup) -> Result<(), StoreError> {
        let path = self
            .path
            .clone()
            .ok_or_else(|| StoreError::Database("an in-memory store has no file".into()))?;
        let source = Connection::open_with_flags(&staged.path, OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| io_error(&staged.path, &e.to_string()))?;
        let mut target = Connection::open(&path).map_err(|e| io_error(&path, &e.to_string()))?;
        target.busy_timeout(BUSY_TIMEOUT)?;
        copy_all(&source, &mut target)
    }
}

impl Store {
    /// The SQLite connection, for the file-level work a server does for itself.
    fn sqlite(&self) -> Result<&Connection, StoreError> {
        match &self.db {
            Db::Sqlite(conn) => Ok(conn),
            Db::Postgres(pg) => Err(StoreError::Server {
                location: pg.location().to_string(),
                message: "backups and restores of a PostgreSQL store are the server's own (pg_dump, or its replicas); `watchfloor migrate-store` copies it into a file".into(),
            }),
        }
    }
}

/// A backup copied beside the database for a restore; its files go when it does.
pub struct StagedBackup {
    path: PathBuf,
}

impl StagedBackup {
    /// The staged copy as a store, to write the restore's audit row into.
    pub fn open(&self) -> Result<Store, StoreError> {
        Store::open(&self.path, super::OpenMode::ReadWrite)
    }
}

impl Drop for StagedBackup {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut name = self.path.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(PathBuf::from(name));
        }
    }
}

/// Opens `source` read-only and refuses it unless it is a sound watchfloor database
/// no newer than this build.
fn open_backup(source: &Path) -> Result<Connection, StoreError> {
    if !source.is_file() {
        return Err(io_error(source, "no such backup file"));
    }
    let conn = Connection::open_with_flags(source, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| io_error(source, &e.to_string()))?;
    let unreadable = |e: StoreError| match e {
        StoreError::NotADatabase { .. } => StoreError::NotADatabase {
            path: source.to_path_buf(),
        },
        StoreError::Damaged { detail, .. } => StoreError::DamagedBackup {
            path: source.to_path_buf(),
            detail,
        },
        other => other,
    };
    let health = health_of(&conn).map_err(unreadable)?;
    if health.schema_version > LATEST_SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: source.to_path_buf(),
            found: health.schema_version,
            supported: LATEST_SCHEMA_VERSION,
        });
    }
    if health.schema_version == 0 {
        return Err(io_error(
            source,
            "is an SQLite file but not a watchfloor database",
        ));
    }
    refuse_foreign_schema(&conn, source, health.schema_version)?;
    if !health.is_sound() {
        let mut problems = health.integrity;
        problems.extend(health.foreign_keys);
        problems.truncate(5);
        return Err(StoreError::DamagedBackup {
            path: source.to_path_buf(),
            detail: problems.join("; "),
        });
    }
    Ok(conn)
}

/// A backup must hold exactly the schema watchfloor makes at its version: no table,
/// trigger, view or index of anyone else's (a trigger restored would run on every later
/// write), and none of ours missing (a file that only looks like a store).
fn refuse_foreign_schema(conn: &Connection, source: &Path, version: i64) -> Result<(), StoreError> {
    let shipped = super::migrations::shipped_sqlite_schema(version)?;
    let found = super::migrations::sqlite_schema(conn)?;
    let describe = |objects: Vec<&(String, String, String)>| {
        let mut names: Vec<String> = objects.iter().map(|(t, n, _)| format!("{t} {n}")).collect();
        let more = names.len().saturating_sub(5);
        names.truncate(5);
        if more > 0 {
            names.push(format!("and {more} more"));
        }
        names.join(", ")
    };
    let foreign: Vec<_> = found.iter().filter(|o| !shipped.contains(o)).collect();
    if !foreign.is_empty() {
        return Err(io_error(
            source,
            &format!(
                "holds schema objects watchfloor does not make ({}); nothing was restored",
                describe(foreign)
            ),
        ));
    }
    let missing: Vec<_> = shipped.iter().filter(|o| !found.contains(o)).collect();
    if !missing.is_empty() {
        return Err(io_error(
            source,
            &format!(
                "lacks watchfloor's own schema objects ({}); it is not a watchfloor backup, and nothing was restored",
                describe(missing)
            ),
        ));
    }
    Ok(())
}

fn health_of(conn: &Connection) -> Result<Health, StoreError> {
    let schema_version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let mut integrity = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    for row in stmt.query_map([], |r| r.get::<_, String>(0))? {
        let row = row?;
        if row != "ok" {
            integrity.push(row);
        }
    }
    if (1..=LATEST_SCHEMA_VERSION).contains(&schema_version) {
        let shipped = super::migrations::shipped_sqlite_schema(schema_version)?;
        for (kind, name, _) in super::migrations::sqlite_schema(conn)?
            .iter()
            .filter(|o| !shipped.contains(o))
        {
            integrity.push(format!("schema: {kind} {name} is not watchfloor's"));
        }
    }
    integrity.extend(mistyped_values(conn)?);
    let mut foreign_keys = Vec::new();
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    for row in stmt.query_map([], |r| {
        Ok(format!(
            "{} row {} → {}",
            r.get::<_, String>(0)?,
            r.get::<_, Option<i64>>(1)?.unwrap_or_default(),
            r.get::<_, String>(2)?
        ))
    })? {
        foreign_keys.push(row?);
    }
    Ok(Health {
        schema_version,
        integrity,
        foreign_keys,
        checked_here: true,
    })
}

/// A column, its declared type, and the SQLite storage classes that type allows.
type TypedColumn = (String, String, &'static str);

/// Values of another kind than their column's (SQLite keeps a 3.5 in an INTEGER
/// column as it is), which every reader of that column would stumble on.
fn mistyped_values(conn: &Connection) -> Result<Vec<String>, StoreError> {
    let columns: Vec<(String, String, String)> = {
        let mut stmt = conn.prepare(
            "SELECT t.name, c.name, upper(c.type) FROM pragma_table_list t, pragma_table_xinfo(t.name) c
             WHERE t.schema = 'main' AND t.type = 'table' AND t.name NOT LIKE 'sqlite_%'
               AND c.hidden = 0
             ORDER BY t.name, c.cid",
        )?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        rows.collect::<Result<_, _>>()?
    };
    let quote = |name: &str| format!("\"{}\"", name.replace('"', "\"\""));
    let mut by_table: Vec<(String, Vec<TypedColumn>)> = Vec::new();
    for (table, column, declared) in columns {
        let allowed = if declared.contains("INT") {
            "'integer'"
        } else if declared.contains("REAL") {
            "'real', 'integer'"
        } else if declared.contains("TEXT") {
            "'text'"
        } else {
            continue;
        };
        match by_table.last_mut() {
            Some((name, list)) if *name == table => list.push((column, declared, allowed)),
            _ => by_table.push((table, vec![(column, declared, allowed)])),
        }
    }
    // One pass over each table, counting every column's strays at once.
    let mut found = Vec::new();
    for (table, list) in by_table {
        let sums: Vec<String> = list
            .iter()
            .map(|(column, _, allowed)| {
                format!(
                    "coalesce(sum(typeof({}) NOT IN ('null', {allowed})), 0)",
                    quote(column)
                )
            })
            .collect();
        let sql = format!("SELECT {} FROM {}", sums.join(", "), quote(&table));
        let counts: Vec<i64> = conn.query_row(&sql, [], |r| {
            (0..list.len()).map(|i| r.get(i)).collect::<Result<_, _>>()
        })?;
        for ((column, declared, _), n) in list.iter().zip(counts) {
            if n > 0 {
                found.push(format!(
                    "values: {table}.{column} holds {n} values that are not {}",
                    declared.to_lowercase()
                ));
            }
        }
    }
    Ok(found)
}

/// Copies every page in one step, so the destination changes in a single
/// transaction; waits (as long as a write would) while another connection holds a lock.
fn copy_all(from: &Connection, to: &mut Connection) -> Result<(), StoreError> {
    let backup = Backup::new(from, to)?;
    let pause = std::time::Duration::from_millis(20);
    let mut waited = std::time::Duration::ZERO;
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            _ if waited >= BUSY_TIMEOUT => return Err(StoreError::Busy),
            _ => {
                std::thread::sleep(pause);
                waited += pause;
            }
        }
    }
}

fn partial_path(dest: &Path) -> PathBuf {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".partial-{}", std::process::id()));
    dest.with_file_name(name)
}

fn io_error(path: &Path, message: &str) -> StoreError {
    StoreError::Io {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}
