//! Reading domain values out of rows, with a clear error for a value that does not parse.

use crate::domain::Timestamp;
use crate::domain::clock::from_epoch_seconds;
use rusqlite::Row;
use rusqlite::types::Type;
use std::str::FromStr;

pub fn ts(row: &Row<'_>, idx: usize) -> rusqlite::Result<Timestamp> {
    Ok(from_epoch_seconds(row.get(idx)?))
}

pub fn opt_ts(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<Timestamp>> {
    Ok(row.get::<_, Option<i64>>(idx)?.map(from_epoch_seconds))
}

/// A text column parsed with the domain type's `FromStr`.
pub fn parsed<T>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let text: String = row.get(idx)?;
    text.parse()
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e)))
}

/// A nullable text column parsed with the domain type's `FromStr`.
pub fn opt_parsed<T>(row: &Row<'_>, idx: usize) -> rusqlite::Result<Option<T>>
where
    T: FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    row.get::<_, Option<String>>(idx)?
        .map(|text| {
            text.parse().map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(idx, Type::Text, Box::new(e))
            })
        })
        .transpose()
}

/// An integer column converted with the domain type's `TryFrom<i64>`.
pub fn checked<T>(row: &Row<'_>, idx: usize) -> rusqlite::Result<T>
where
    T: TryFrom<i64>,
    T::Error: std::error::Error + Send + Sync + 'static,
{
    let value: i64 = row.get(idx)?;
    T::try_from(value)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(idx, Type::Integer, Box::new(e)))
}

pub fn secs(t: Timestamp) -> i64 {
    t.timestamp()
}

pub fn opt_secs(t: Option<Timestamp>) -> Option<i64> {
    t.map(|t| t.timestamp())
}
