//! Settings kept in the database itself, so every console on it agrees.

use super::{Store, StoreError, WriteTx};
use rusqlite::OptionalExtension;

impl Store {
    pub fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT value FROM settings WHERE name = ?1")?
            .query_row([name], |r| r.get(0))
            .optional()?)
    }
}

impl WriteTx<'_> {
    /// Sets (or, with `None`, removes) a setting.
    pub fn set_setting(&self, name: &str, value: Option<&str>) -> Result<(), StoreError> {
        match value {
            Some(value) => self.tx.execute(
                "INSERT INTO settings(name, value) VALUES (?1, ?2)
                 ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                [name, value],
            )?,
            None => self
                .tx
                .execute("DELETE FROM settings WHERE name = ?1", [name])?,
        };
        Ok(())
    }
}
