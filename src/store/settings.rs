//! Settings kept in the database itself, so every console on it agrees.

use super::db::params;
use super::{Store, StoreError, WriteTx};

impl Store {
    pub fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        self.db.query_opt(
            "SELECT value FROM settings WHERE name = ?1",
            params![name],
            |r| r.get(0),
        )
    }
}

impl WriteTx<'_> {
    /// Sets (or, with `None`, removes) a setting.
    pub fn set_setting(&self, name: &str, value: Option<&str>) -> Result<(), StoreError> {
        match value {
            Some(value) => self.tx.execute(
                "INSERT INTO settings(name, value) VALUES (?1, ?2)
                 ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                params![name, value],
            )?,
            None => self
                .tx
                .execute("DELETE FROM settings WHERE name = ?1", params![name])?,
        };
        Ok(())
    }
}
