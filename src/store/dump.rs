//! The whole store as plain tables, for the JSON export and import: every table's
//! stored columns (generated ones are left out: they are computed again) and rows in
//! rowid order; search indexes are rebuilt by their triggers, not copied. Loading checks every table and column name against the schema, so a
//! file can only fill what exists.

use super::{Store, StoreError, WriteTx};
use rusqlite::Connection;
use rusqlite::types::{Value, ValueRef};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableDump {
    pub name: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<serde_json::Value>>,
}

/// The tables of the schema with their stored columns, by name.
fn schema(conn: &Connection) -> Result<Vec<(String, Vec<String>)>, StoreError> {
    let names: Vec<String> = conn
        // Plain tables only: a search index (virtual, and its shadow tables) is kept
        // up to date by triggers as the rows come back.
        .prepare(
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table'
             AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    names
        .into_iter()
        .map(|table| {
            // table_xinfo marks generated columns hidden (2 and 3).
            let columns: Vec<String> = conn
                .prepare(&format!(
                    "SELECT name, hidden FROM pragma_table_xinfo('{table}')"
                ))?
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
                .filter_map(|c| match c {
                    Ok((name, 0)) => Some(Ok(name)),
                    Ok(_) => None,
                    Err(e) => Some(Err(e)),
                })
                .collect::<Result<_, _>>()?;
            Ok((table, columns))
        })
        .collect()
}

fn to_json(v: ValueRef<'_>) -> serde_json::Value {
    match v {
        ValueRef::Null => serde_json::Value::Null,
        ValueRef::Integer(i) => i.into(),
        ValueRef::Real(f) => f.into(),
        ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned().into(),
        ValueRef::Blob(b) => b
            .iter()
            .map(|x| format!("{x:02x}"))
            .collect::<String>()
            .into(),
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Store {
    pub fn dump(&self) -> Result<Vec<TableDump>, StoreError> {
        schema(&self.conn)?
            .into_iter()
            .map(|(name, columns)| {
                let list: Vec<String> = columns.iter().map(|c| quote(c)).collect();
                let mut stmt = self.conn.prepare(&format!(
                    "SELECT {} FROM {} ORDER BY rowid",
                    list.join(", "),
                    quote(&name)
                ))?;
                let width = columns.len();
                let rows = stmt
                    .query_map([], |r| {
                        (0..width).map(|i| Ok(to_json(r.get_ref(i)?))).collect()
                    })?
                    .collect::<Result<_, _>>()?;
                Ok(TableDump {
                    name,
                    columns,
                    rows,
                })
            })
            .collect()
    }
}

impl WriteTx<'_> {
    /// Inserts the rows of one table; text goes through `clean` first. Foreign keys are
    /// checked when the transaction commits, so tables may come in any order.
    pub fn load_table(
        &self,
        table: &TableDump,
        clean: &dyn Fn(&str) -> String,
    ) -> Result<usize, StoreError> {
        let known = schema(&self.tx)?;
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
        self.tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        let list: Vec<String> = table.columns.iter().map(|c| quote(c)).collect();
        let marks: Vec<String> = (1..=list.len()).map(|i| format!("?{i}")).collect();
        let mut stmt = self.tx.prepare(&format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quote(&table.name),
            list.join(", "),
            marks.join(", ")
        ))?;
        for (n, row) in table.rows.iter().enumerate() {
            if row.len() != list.len() {
                return Err(StoreError::Corrupt(format!(
                    "table '{}' row {}: {} values for {} columns",
                    table.name,
                    n + 1,
                    row.len(),
                    list.len()
                )));
            }
            let values: Vec<Value> = row
                .iter()
                .map(|v| match v {
                    serde_json::Value::Null => Ok(Value::Null),
                    serde_json::Value::Bool(b) => Ok(Value::Integer(i64::from(*b))),
                    serde_json::Value::Number(x) => Ok(x
                        .as_i64()
                        .map(Value::Integer)
                        .unwrap_or_else(|| Value::Real(x.as_f64().unwrap_or(0.0)))),
                    serde_json::Value::String(s) => Ok(Value::Text(clean(s))),
                    other => Err(StoreError::Corrupt(format!(
                        "table '{}' row {}: {other} is not a plain value",
                        table.name,
                        n + 1
                    ))),
                })
                .collect::<Result<_, _>>()?;
            stmt.execute(rusqlite::params_from_iter(values))?;
        }
        Ok(table.rows.len())
    }
}
