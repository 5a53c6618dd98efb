//! Moving a whole store to another backend (a file to a PostgreSQL server, or back):
//! every table copied from one snapshot of the source into one transaction on the
//! destination, the row counts of both compared before it commits.

use super::{Workflow, WorkflowError};
use crate::store::{RecordCounts, Store, StoreError};
use serde::Serialize;

/// One table of a store move: the rows the source had and the rows that arrived.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCopy {
    pub table: String,
    pub source_rows: i64,
    pub copied_rows: i64,
}

impl Workflow<'_> {
    /// Copies everything in `source` into this workflow's store, which must be empty.
    /// On any error, a count that does not match included, nothing is written.
    /// `progress` hears of each table and of every chunk of rows copied.
    pub fn copy_store_from(
        &self,
        source: &Store,
        progress: &mut dyn FnMut(&str, i64),
    ) -> Result<Vec<TableCopy>, WorkflowError> {
        if self.store.record_counts()? != RecordCounts::default() {
            return Err(WorkflowError::invalid(
                "destination",
                "already holds data; a store is moved into a new, empty database",
            ));
        }
        if source.schema_version()? != self.store.schema_version()? {
            return Err(WorkflowError::invalid(
                "source",
                "is at another schema version than the destination; open it once with this watchfloor first",
            ));
        }
        let tables = source.tables()?;
        let known: Vec<String> = self.store.tables()?.into_iter().map(|(t, _)| t).collect();
        if let Some((missing, _)) = tables.iter().find(|(t, _)| !known.contains(t)) {
            return Err(
                StoreError::Corrupt(format!("the destination has no table '{missing}'")).into(),
            );
        }
        let verbatim = |text: &str| text.to_string();
        source.read_snapshot(|| {
            self.store.write(|tx| {
                tx.suspend_ticket_search()?;
                let mut copies = Vec::with_capacity(tables.len());
                for (table, columns) in &tables {
                    let source_rows = source.row_count(table)?;
                    progress(table, 0);
                    let mut copied = 0;
                    source.dump_table_in_chunks(table, columns, |rows| {
                        let dump = crate::store::TableDump {
                            name: table.clone(),
                            columns: columns.clone(),
                            rows,
                        };
                        copied += tx.load_table(&dump, &verbatim)? as i64;
                        progress(table, copied);
                        Ok::<_, WorkflowError>(())
                    })?;
                    copies.push(TableCopy {
                        table: table.clone(),
                        source_rows,
                        copied_rows: tx.row_count(table)?,
                    });
                }
                tx.rebuild_ticket_search()?;
                if let Some(short) = copies.iter().find(|c| c.copied_rows != c.source_rows) {
                    return Err(StoreError::Corrupt(format!(
                        "table '{}': {} rows in the source, {} copied; nothing was written",
                        short.table, short.source_rows, short.copied_rows
                    ))
                    .into());
                }
                self.audit(
                    tx,
                    "store",
                    "store.migrate",
                    None,
                    Some(serde_json::json!({
                        "from": source.location(),
                        "rows": copies.iter().map(|c| c.copied_rows).sum::<i64>(),
                    })),
                )?;
                Ok(copies)
            })
        })
    }
}
