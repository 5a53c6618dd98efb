//! The whole store as plain tables, for the JSON export and import and for moving a
//! store between backends: every table's stored columns (generated ones are left out:
//! they are computed again) and rows in key order; search indexes are rebuilt by their
//! triggers, not copied. Both backends list the same tables and columns, so a dump of
//! one loads into the other. Loading checks every table and column name against the
//! schema, so a file can only fill what exists.

use super::db::{Db, Dialect, Value, ValueRef, as_params, params};
use super::{Store, StoreError, WriteTx};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableDump {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<serde_json::Value>>,
}

/// At most this many parameters in one INSERT (SQLite allows 32766, PostgreSQL 65535).
const PARAMETERS_PER_INSERT: usize = 30_000;
/// At most this many rows in one INSERT.
const ROWS_PER_INSERT: usize = 500;

/// The tables of the schema with their stored columns, by name.
fn schema(db: &Db) -> Result<Vec<(String, Vec<String>)>, StoreError> {
    let columns: Vec<(String, String)> = match db.dialect() {
        // Plain tables only: a search index (virtual, and its shadow tables) is kept up
        // to date by triggers as the rows come back; table_xinfo marks generated
        // columns hidden (2 and 3).
        Dialect::Sqlite => db.query_map(
            "SELECT t.name, c.name FROM pragma_table_list t, pragma_table_xinfo(t.name) c
             WHERE t.schema = 'main' AND t.type = 'table' AND t.name NOT LIKE 'sqlite_%'
               AND c.hidden = 0
             ORDER BY t.name, c.cid",
            params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?,
        // The bookkeeping table (schema version, change counter) belongs to the server.
        Dialect::Postgres => db.query_map(
            "SELECT c.table_name::text, c.column_name::text
             FROM information_schema.columns c
             JOIN information_schema.tables t
               ON t.table_schema = c.table_schema AND t.table_name = c.table_name
             WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
               AND c.is_generated = 'NEVER' AND c.table_name <> 'watchfloor_store'
             ORDER BY c.table_name, c.ordinal_position",
            params![],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?,
    };
    let mut tables: Vec<(String, Vec<String>)> = Vec::new();
    for (table, column) in columns {
        match tables.last_mut() {
            Some((name, list)) if *name == table => list.push(column),
            _ => tables.push((table, vec![column])),
        }
    }
    Ok(tables)
}

/// What a column holds, as declared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ColumnKind {
    Integer,
    Real,
    Text,
}

/// The most characters one text value may hold on load: a whole postmortem part fits
/// many times over; a 50 MB title does not.
pub const MAX_TEXT_CHARS: usize = 1_000_000;
/// ... and a one-line name or title.
pub const MAX_NAME_CHARS: usize = 1_000;

/// The declared kind of each column of a table.
fn column_kinds(db: &Db, table: &str) -> Result<Vec<(String, ColumnKind)>, StoreError> {
    let declared: Vec<(String, String)> = match db.dialect() {
        Dialect::Sqlite => db.query_map(
            "SELECT name, upper(type) FROM pragma_table_xinfo(?1) WHERE hidden = 0",
            params![table],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?,
        Dialect::Postgres => db.query_map(
            "SELECT column_name::text, upper(data_type::text) FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = ?1",
            params![table],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?,
    };
    Ok(declared
        .into_iter()
        .map(|(name, kind)| {
            let kind = if kind.contains("INT") {
                ColumnKind::Integer
            } else if kind.contains("REAL") || kind.contains("DOUBLE") {
                ColumnKind::Real
            } else {
                ColumnKind::Text
            };
            (name, kind)
        })
        .collect())
}

/// Whether a value fits its column: integers in integer columns, numbers in real
/// ones, text of a bounded length in text ones; null anywhere (the schema's NOT NULL
/// refuses it where it must).
fn fits(v: &serde_json::Value, column: &str, kind: ColumnKind) -> Result<(), String> {
    use serde_json::Value as J;
    let ok = match (v, kind) {
        (J::Null, _) | (J::Bool(_), ColumnKind::Integer) => true,
        (J::Number(n), ColumnKind::Integer) => n.is_i64(),
        (J::Number(_), ColumnKind::Real) => true,
        (J::String(s), ColumnKind::Text) => {
            let chars = s.chars().count();
            let one_line = matches!(column, "title" | "name" | "login" | "email" | "key");
            let limit = if one_line {
                MAX_NAME_CHARS
            } else {
                MAX_TEXT_CHARS
            };
            if chars > limit {
                return Err(format!(
                    "column '{column}': {chars} characters, more than the {limit} it may hold"
                ));
            }
            true
        }
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        let expected = match kind {
            ColumnKind::Integer => "an integer",
            ColumnKind::Real => "a number",
            ColumnKind::Text => "text",
        };
        Err(format!("column '{column}': {v} is not {expected}"))
    }
}

fn to_json(v: ValueRef<'_>) -> serde_json::Value {
    match v {
        ValueRef::Null => serde_json::Value::Null,
        ValueRef::Int(i) => i.into(),
        ValueRef::Real(f) => f.into(),
        ValueRef::Text(t) => t.into(),
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Rows by their id where the table has one, else by every column: the same order
/// on both backends.
fn order_by(columns: &[String]) -> String {
    if columns.iter().any(|c| c == "id") {
        "id".into()
    } else {
        (1..=columns.len())
            .map(|i| i.to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// How many rows a chunked read takes at a time.
const ROWS_PER_CHUNK: usize = 5_000;

impl Store {
    pub fn dump(&self) -> Result<Vec<TableDump>, StoreError> {
        self.tables()?
            .into_iter()
            .map(|(name, columns)| {
                let mut rows = Vec::new();
                self.dump_table_in_chunks(&name, &columns, |chunk| {
                    rows.extend(chunk);
                    Ok::<_, StoreError>(())
                })?;
                Ok(TableDump {
                    name,
                    columns,
                    rows,
                })
            })
            .collect()
    }

    /// The stored tables with their stored columns, by name: what `dump` covers.
    pub fn tables(&self) -> Result<Vec<(String, Vec<String>)>, StoreError> {
        schema(&self.db)
    }

    /// How many rows a table of [`Store::tables`] holds.
    pub fn row_count(&self, table: &str) -> Result<i64, StoreError> {
        row_count(&self.db, table)
    }

    /// The rows of one table in key order, a few thousand at a time, so a table of
    /// millions never sits in memory whole.
    pub fn dump_table_in_chunks<E: From<StoreError>>(
        &self,
        table: &str,
        columns: &[String],
        mut each: impl FnMut(Vec<Vec<serde_json::Value>>) -> Result<(), E>,
    ) -> Result<(), E> {
        let list: Vec<String> = columns.iter().map(|c| quote(c)).collect();
        let width = columns.len();
        let read = |r: &super::db::Row<'_>| -> Result<Vec<serde_json::Value>, StoreError> {
            (0..width)
                .map(|i| Ok(to_json(r.get::<Value>(i)?.as_ref())))
                .collect()
        };
        let Some(id) = columns.iter().position(|c| c == "id") else {
            let sql = format!(
                "SELECT {} FROM {} ORDER BY {}",
                list.join(", "),
                quote(table),
                order_by(columns)
            );
            return each(self.db.query_map(&sql, params![], read)?);
        };
        let sql = format!(
            "SELECT {} FROM {} WHERE id > ?1 ORDER BY id LIMIT ?2",
            list.join(", "),
            quote(table)
        );
        let mut after = i64::MIN;
        loop {
            let rows = self
                .db
                .query_map(&sql, params![after, ROWS_PER_CHUNK], read)?;
            let Some(last) = rows.last() else {
                return Ok(());
            };
            after = last[id].as_i64().unwrap_or(i64::MAX);
            let full = rows.len() == ROWS_PER_CHUNK;
            each(rows)?;
            if !full {
                return Ok(());
            }
        }
    }
}

fn row_count(db: &Db, table: &str) -> Result<i64, StoreError> {
    db.query_value(&format!("SELECT count(*) FROM {}", quote(table)), params![])
}

impl WriteTx<'_> {
    /// How many rows a table holds, as this transaction sees it.
    pub fn row_count(&self, table: &str) -> Result<i64, StoreError> {
        row_count(self.tx, table)
    }

    /// Numbers new rows after the highest id each table holds, as SQLite always does.
    /// A PostgreSQL sequence is not rolled back with a failed write, so without this
    /// a store that once refused a load would number its first records past 1.
    pub fn restart_numbering(&self) -> Result<(), StoreError> {
        if self.dialect() == Dialect::Sqlite {
            return Ok(());
        }
        for (table, columns) in schema(self.tx)? {
            if columns.iter().any(|c| c == "id") {
                self.tx.execute(
                    &format!(
                        "SELECT setval(pg_get_serial_sequence(?1, 'id'), coalesce(max(id), 0) + 1, false)
                         FROM {}",
                        quote(&table)
                    ),
                    params![table.as_str()],
                )?;
            }
        }
        Ok(())
    }

    /// Inserts the rows of one table; text goes through `clean` first. Foreign keys are
    /// checked when the transaction commits, so tables may come in any order.
    pub fn load_table(
        &self,
        table: &TableDump,
        clean: &dyn Fn(&str) -> String,
    ) -> Result<usize, StoreError> {
        let known = schema(self.tx)?;
        let Some((_, columns)) = known.iter().find(|(name, _)| *name == table.name) else {
            return Err(StoreError::Corrupt(format!(
                "no table named '{}'",
                table.name
            )));
        };
        if let Some(unknown) = table.columns.iter().find(|c| !columns.contains(c)) {
            return Err(StoreError::Corrupt(format!(
                "table '{}' has no column '{unknown}'",
                table.name
            )));
        }
        if table.columns.is_empty() {
            return Ok(0);
        }
        let declared = column_kinds(self.tx, &table.name)?;
        let kinds: Vec<ColumnKind> = table
            .columns
            .iter()
            .map(|c| {
                declared
                    .iter()
                    .find(|(name, _)| name == c)
                    .map_or(ColumnKind::Text, |(_, k)| *k)
            })
            .collect();
        self.tx.execute_batch(match self.dialect() {
            Dialect::Sqlite => "PRAGMA defer_foreign_keys = ON",
            Dialect::Postgres => "SET CONSTRAINTS ALL DEFERRED",
        })?;
        let width = table.columns.len();
        let per_insert = (PARAMETERS_PER_INSERT / width).clamp(1, ROWS_PER_INSERT);
        let mut values: Vec<Value> = Vec::with_capacity(per_insert * width);
        for (n, row) in table.rows.iter().enumerate() {
            if row.len() != width {
                return Err(StoreError::Corrupt(format!(
                    "table '{}' row {}: {} values for {width} columns",
                    table.name,
                    n + 1,
                    row.len(),
                )));
            }
            for ((v, column), kind) in row.iter().zip(&table.columns).zip(&kinds) {
                let at = |what: String| {
                    StoreError::Corrupt(format!("table '{}' row {}: {what}", table.name, n + 1))
                };
                fits(v, column, *kind).map_err(at)?;
                values.push(from_json(v, clean).map_err(at)?);
            }
            if values.len() == per_insert * width {
                self.insert_rows(table, &values)?;
                values.clear();
            }
        }
        if !values.is_empty() {
            self.insert_rows(table, &values)?;
        }
        if self.dialect() == Dialect::Postgres && table.columns.iter().any(|c| c == "id") {
            // Rows came with their ids: new rows are numbered after them.
            self.tx.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence(?1, 'id'), max(id)) FROM {}
                     HAVING max(id) IS NOT NULL",
                    quote(&table.name)
                ),
                params![table.name.as_str()],
            )?;
        }
        Ok(table.rows.len())
    }

    /// One INSERT of as many rows as `values` holds.
    fn insert_rows(&self, table: &TableDump, values: &[Value]) -> Result<(), StoreError> {
        let width = table.columns.len();
        let list: Vec<String> = table.columns.iter().map(|c| quote(c)).collect();
        let rows: Vec<String> = (0..values.len() / width)
            .map(|r| {
                let marks: Vec<String> =
                    (1..=width).map(|c| format!("?{}", r * width + c)).collect();
                format!("({})", marks.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES {}",
            quote(&table.name),
            list.join(", "),
            rows.join(", ")
        );
        self.tx.execute(&sql, &as_params(values))?;
        Ok(())
    }
}

fn from_json(v: &serde_json::Value, clean: &dyn Fn(&str) -> String) -> Result<Value, String> {
    match v {
        serde_json::Value::Null => Ok(Value::Null),
        serde_json::Value::Bool(b) => Ok(Value::Int(i64::from(*b))),
        serde_json::Value::Number(x) => Ok(x
            .as_i64()
            .map(Value::Int)
            .unwrap_or_else(|| Value::Real(x.as_f64().unwrap_or(0.0)))),
        serde_json::Value::String(s) => Ok(Value::Text(clean(s))),
        other => Err(format!("{other} is not a plain value")),
    }
}
