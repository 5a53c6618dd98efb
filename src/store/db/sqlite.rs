//! The SQLite side of [`super::Db`]: statements prepared once per connection and cached.

use super::{Param, Row, ValueRef};
use crate::store::StoreError;
use rusqlite::Connection;
use rusqlite::types::{ToSqlOutput, ValueRef as SqliteValue};

struct Bind<'a>(&'a dyn Param);

impl rusqlite::ToSql for Bind<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match self.0.value() {
            ValueRef::Null => SqliteValue::Null,
            ValueRef::Int(i) => SqliteValue::Integer(i),
            ValueRef::Real(f) => SqliteValue::Real(f),
            ValueRef::Text(t) => SqliteValue::Text(t.as_bytes()),
        }))
    }
}

fn binds<'a>(params: &'a [&'a dyn Param]) -> rusqlite::ParamsFromIter<Vec<Bind<'a>>> {
    rusqlite::params_from_iter(params.iter().map(|p| Bind(*p)).collect::<Vec<_>>())
}

pub(super) fn value<'r>(
    row: &'r rusqlite::Row<'_>,
    idx: usize,
) -> Result<ValueRef<'r>, StoreError> {
    Ok(match row.get_ref(idx)? {
        SqliteValue::Null => ValueRef::Null,
        SqliteValue::Integer(i) => ValueRef::Int(i),
        SqliteValue::Real(f) => ValueRef::Real(f),
        SqliteValue::Text(t) => {
            ValueRef::Text(std::str::from_utf8(t).map_err(|e| super::unreadable(idx, e))?)
        }
        SqliteValue::Blob(_) => {
            return Err(super::unreadable(
                idx,
                "a blob where text or a number belongs",
            ));
        }
    })
}

pub(super) fn execute(
    conn: &Connection,
    sql: &str,
    params: &[&dyn Param],
) -> Result<usize, StoreError> {
    Ok(conn.prepare_cached(sql)?.execute(binds(params))?)
}

pub(super) fn query_map<T>(
    conn: &Connection,
    sql: &str,
    params: &[&dyn Param],
    f: &mut dyn FnMut(&Row<'_>) -> Result<T, StoreError>,
) -> Result<Vec<T>, StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(binds(params))?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(f(&Row::Sqlite(r))?);
    }
    Ok(out)
}

pub(super) fn query_first(
    conn: &Connection,
    sql: &str,
    params: &[&dyn Param],
    f: &mut dyn FnMut(&Row<'_>) -> Result<(), StoreError>,
) -> Result<(), StoreError> {
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(binds(params))?;
    if let Some(r) = rows.next()? {
        f(&Row::Sqlite(r))?;
    }
    Ok(())
}
