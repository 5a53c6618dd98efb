//! The connection under the store: SQLite or PostgreSQL, chosen once at open. Store
//! modules write their SQL once, with `?1`-style placeholders, and read rows through
//! [`Row`]; the few statements that differ between the two ask [`Db::dialect`].

mod pg;
mod sqlite;
mod tls;
mod value;

pub use pg::{PgConn, shown_url};
pub use value::{FromValue, Param, Value, ValueRef, as_params};

use super::StoreError;

/// Which SQL the connection speaks, for the few statements written twice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

pub enum Db {
    Sqlite(rusqlite::Connection),
    Postgres(Box<PgConn>),
}

/// A column whose value is not what the schema promises.
fn unreadable(idx: usize, problem: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("column {idx}: {problem}"))
}

/// A row being read: its columns by position, converted to what the caller asks.
pub enum Row<'r> {
    Sqlite(&'r rusqlite::Row<'r>),
    Postgres(&'r postgres::Row),
}

impl Row<'_> {
    pub fn get<T: FromValue>(&self, idx: usize) -> Result<T, StoreError> {
        let value = match self {
            Row::Sqlite(r) => sqlite::value(r, idx)?,
            Row::Postgres(r) => pg::value(r, idx)?,
        };
        T::from_value(value).map_err(|e| unreadable(idx, e))
    }

    /// A text column parsed with the domain type's `FromStr`.
    pub fn parsed<T>(&self, idx: usize) -> Result<T, StoreError>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        let text: String = self.get(idx)?;
        text.parse().map_err(|e| unreadable(idx, e))
    }

    /// A nullable text column parsed with the domain type's `FromStr`.
    pub fn opt_parsed<T>(&self, idx: usize) -> Result<Option<T>, StoreError>
    where
        T: std::str::FromStr,
        T::Err: std::fmt::Display,
    {
        match self.get::<Option<String>>(idx)? {
            None => Ok(None),
            Some(text) => text.parse().map(Some).map_err(|e| unreadable(idx, e)),
        }
    }

    /// An integer column converted with the domain type's `TryFrom<i64>`.
    pub fn checked<T>(&self, idx: usize) -> Result<T, StoreError>
    where
        T: TryFrom<i64>,
        T::Error: std::fmt::Display,
    {
        let value: i64 = self.get(idx)?;
        T::try_from(value).map_err(|e| unreadable(idx, e))
    }

    pub fn ts(&self, idx: usize) -> Result<crate::domain::Timestamp, StoreError> {
        Ok(crate::domain::clock::from_epoch_seconds(self.get(idx)?))
    }

    pub fn opt_ts(&self, idx: usize) -> Result<Option<crate::domain::Timestamp>, StoreError> {
        Ok(self
            .get::<Option<i64>>(idx)?
            .map(crate::domain::clock::from_epoch_seconds))
    }
}

impl Db {
    pub fn dialect(&self) -> Dialect {
        match self {
            Db::Sqlite(_) => Dialect::Sqlite,
            Db::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Runs one statement; returns how many rows it changed.
    pub fn execute(&self, sql: &str, params: &[&dyn Param]) -> Result<usize, StoreError> {
        match self {
            Db::Sqlite(c) => sqlite::execute(c, sql, params),
            Db::Postgres(c) => c.execute(sql, params),
        }
    }

    /// Runs an INSERT and returns the `id` of the row it made.
    pub fn insert_id(&self, sql: &str, params: &[&dyn Param]) -> Result<i64, StoreError> {
        self.query_value(&format!("{sql} RETURNING id"), params)
    }

    /// Runs several statements without parameters.
    pub fn execute_batch(&self, sql: &str) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(c) => Ok(c.execute_batch(sql)?),
            Db::Postgres(c) => c.execute_batch(sql),
        }
    }

    /// Every row the query returns, each through `f`.
    pub fn query_map<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        mut f: impl FnMut(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Vec<T>, StoreError> {
        match self {
            Db::Sqlite(c) => sqlite::query_map(c, sql, params, &mut f),
            Db::Postgres(c) => c
                .query(sql, params)?
                .iter()
                .map(|r| f(&Row::Postgres(r)))
                .collect(),
        }
    }

    /// The first row the query returns, if any.
    pub fn query_opt<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        f: impl FnOnce(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<Option<T>, StoreError> {
        let mut f = Some(f);
        let mut first = None;
        match self {
            Db::Sqlite(c) => sqlite::query_first(c, sql, params, &mut |r| {
                if let Some(f) = f.take() {
                    first = Some(f(r)?);
                }
                Ok(())
            })?,
            Db::Postgres(c) => {
                if let (Some(r), Some(f)) = (c.query(sql, params)?.first(), f.take()) {
                    first = Some(f(&Row::Postgres(r))?);
                }
            }
        }
        Ok(first)
    }

    /// The one row an aggregate or a lookup by key must return.
    pub fn query_one<T>(
        &self,
        sql: &str,
        params: &[&dyn Param],
        f: impl FnOnce(&Row<'_>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.query_opt(sql, params, f)?
            .ok_or_else(|| StoreError::Database(format!("no row from: {sql}")))
    }

    /// One value from the first row.
    pub fn query_value<T: FromValue>(
        &self,
        sql: &str,
        params: &[&dyn Param],
    ) -> Result<T, StoreError> {
        self.query_one(sql, params, |r| r.get(0))
    }
}

/// Parameters for a statement, in placeholder order: `params![a, b]`.
macro_rules! params {
    () => { &[] as &[&dyn $crate::store::db::Param] };
    ($($p:expr),+ $(,)?) => { &[$(&$p as &dyn $crate::store::db::Param),+] as &[&dyn $crate::store::db::Param] };
}
pub(crate) use params;
