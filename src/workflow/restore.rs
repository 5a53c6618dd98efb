//! Loading a whole-store JSON export into an empty database, in one transaction.

use super::{Workflow, WorkflowError};
use crate::domain::sanitize_text;
use crate::store::RecordCounts;
use crate::store::document::StoreExport;

impl Workflow<'_> {
    pub fn import_store(&self, doc: &StoreExport) -> Result<RecordCounts, WorkflowError> {
        let counts = self.store.record_counts()?;
        if counts != RecordCounts::default() {
            return Err(WorkflowError::invalid(
                "database",
                "already holds data; a JSON export is imported into a new, empty database",
            ));
        }
        self.store.write(|tx| {
            let mut rows = 0;
            for table in &doc.tables {
                rows += tx.load_table(table, &sanitize_text)?;
            }
            self.audit(
                tx,
                "import",
                "import.json",
                None,
                Some(serde_json::json!({
                    "exported_at": doc.exported_at,
                    "tables": doc.tables.len(),
                    "rows": rows,
                })),
            )?;
            Ok::<_, WorkflowError>(())
        })?;
        Ok(self.store.record_counts()?)
    }
}
